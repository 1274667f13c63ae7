"""Property tests of classify (critical points) and taylor, calling the engine directly.

(a) For random polynomials in x, y of degree <= 4 with small integer coefficients, every
    critical point classify reports zeroes the gradient exactly (every family identically),
    and points with a definite Hessian get the matching kind.  When classify says the list
    is ``complete``, Newton's method on the gradient from random starts must find no
    critical point outside the list.
(b) A Taylor polynomial of order n <= 4 about a random rational point has the same partial
    derivatives up to order n at that point as f (f built from polynomials, sin, cos, exp).
(c) A positive-definite quadratic form plus linear terms has exactly one critical point,
    -A^{-1} b / 2: a local and global minimum.
(d) A nonsingular quadratic form v^T A v is a minimum, maximum or saddle at 0 exactly as the
    signs of A's eigenvalues (computed by NumPy) say.
(e) a|x - p| + b|y - q| has its one critical point at (p, q), singular (no gradient there), of
    the kind the signs of a and b say.

Reference expressions are built here directly in SymPy, with plain symbols, from the same
tree that produces the formula text calccli parses.
"""

from __future__ import annotations

import contextlib
import gc
import random
from dataclasses import dataclass

import numpy as np
import pytest
import sympy as sp
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from calccli.calculus.critical import classify
from calccli.calculus.taylor import taylor
from calccli.formula.grammar import formula
from calccli.formula.readers import point

pytestmark = pytest.mark.slow  # searches and solvers: seconds per test

x, y, z = sp.symbols("x y z")
PLAIN = {"x": x, "y": y, "z": z}
SOLVE_SECONDS = 2.0  # the exact solver's budget per call (the engine's default is 8 s)
SETTINGS = settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])


def plain(e: sp.Expr) -> sp.Expr:
    """Replace calccli's (real) symbols by the plain symbols of the same names."""
    return e.xreplace({s: PLAIN[s.name] for s in e.free_symbols if s.name in PLAIN})


def exactly_zero(e: sp.Expr) -> bool:
    """e == 0, exactly; radicals of cubic roots that simplify() cannot cancel are settled at 60 digits."""
    e = sp.sympify(e)
    if e == 0 or sp.expand(e) == 0:
        return True
    try:
        if sp.simplify(e) == 0:
            return True
    except (TypeError, ValueError, NotImplementedError):
        pass
    v = sp.N(e, 60)
    return v.is_number and abs(complex(v)) < 1e-45


# ============================================================ (a) random polynomials

MONOMIALS = [(i, j) for i in range(5) for j in range(5) if 1 <= i + j <= 4]


@dataclass(frozen=True)
class Poly2:
    terms: tuple[tuple[int, int, int], ...]  # (coefficient, power of x, power of y)

    @property
    def text(self) -> str:
        return " + ".join(f"({c})*x^{i}*y^{j}" for c, i, j in self.terms)

    @property
    def expr(self) -> sp.Expr:
        return sp.Add(*(c * x**i * y**j for c, i, j in self.terms))

    def __repr__(self) -> str:
        return f"Poly2({self.text!r})"


@st.composite
def polynomials(draw: st.DrawFn) -> Poly2:
    mons = draw(st.lists(st.sampled_from(MONOMIALS), min_size=1, max_size=6, unique=True))
    coeffs = draw(st.lists(st.sampled_from([-3, -2, -1, 1, 2, 3]), min_size=len(mons), max_size=len(mons)))
    return Poly2(tuple((c, i, j) for c, (i, j) in zip(coeffs, mons, strict=True)))


@contextlib.contextmanager
def no_gc_callbacks():
    """classify's soft deadline is a SIGALRM that raises inside whatever Python code runs; if that is
    Hypothesis's gc callback the exception is swallowed ("Exception ignored in gc_callback") and the
    exact solver runs on without a deadline.  No automatic collections, no callbacks."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _classify(f, **kw):
    with no_gc_callbacks():
        return classify(f, solve_seconds=SOLVE_SECONDS, **kw)


def _run(p: Poly2):
    f = formula(p.text, ["x", "y"])
    assert sp.expand(plain(f.expr) - p.expr) == 0  # the parser read the text as built
    return _classify(f)


def _numeric_point(pt: dict, names=("x", "y")) -> np.ndarray:
    byname = {k.name: v for k, v in pt.items()}
    return np.array([float(sp.N(byname[n], 30)) for n in names])


@SETTINGS
@given(polynomials())
@example(Poly2(((1, 4, 0), (1, 0, 4), (-4, 1, 1))))  # x^4 + y^4 - 4xy: two minima and a saddle
@example(Poly2(((1, 2, 2),)))  # x^2 y^2: two lines of critical points
@example(Poly2(((1, 3, 0), (-3, 1, 2))))  # the monkey saddle, Hessian zero
def test_every_reported_critical_point_zeroes_the_gradient(p):
    res = _run(p)
    f = p.expr
    grad = [sp.diff(f, v) for v in (x, y)]
    H = sp.hessian(f, (x, y))
    for cp in res.points:
        at = {PLAIN[k.name]: plain(sp.sympify(v)) for k, v in cp.point.items()}
        inexact = any(v.has(sp.Float) for v in at.values())
        for g in grad:
            val = g.subs(at, simultaneous=True)
            if inexact:
                assert not res.complete  # a complete list is an exact one
                assert abs(complex(sp.N(val, 30))) < 1e-8, (cp.point, g, val)
            else:
                assert exactly_zero(val), f"{p.text}: grad component {g} = {val} at {cp.point}"
        if cp.family:
            continue
        # the second-derivative test, redone here in floating point
        ev = np.linalg.eigvalsh(np.array(sp.N(H.subs(at), 30).tolist(), dtype=float))
        scale = max(1.0, float(np.max(np.abs(ev))))
        if ev.min() > 1e-7 * scale:
            assert cp.kind == "local minimum", (p.text, cp.point, cp.kind)
        elif ev.max() < -1e-7 * scale:
            assert cp.kind == "local maximum", (p.text, cp.point, cp.kind)
        elif ev.min() < -1e-7 * scale and ev.max() > 1e-7 * scale:
            assert cp.kind == "saddle point", (p.text, cp.point, cp.kind)
        # numeric coordinates agree with the exact ones
        assert np.allclose([cp.numeric[k] for k in res.variables], _numeric_point(cp.point), atol=1e-12)


def _newton_roots(grad: list[sp.Expr], rng: random.Random, starts: int = 24) -> list[np.ndarray]:
    """Critical points found by Newton's method from random starts in [-3, 3]^2."""
    F = sp.lambdify((x, y), grad, "numpy")
    J = sp.lambdify((x, y), [[sp.diff(g, v) for v in (x, y)] for g in grad], "numpy")
    roots = []
    with np.errstate(all="ignore"):
        for _ in range(starts):
            q = np.array([rng.uniform(-3, 3), rng.uniform(-3, 3)])
            for _ in range(150):  # degenerate roots converge only linearly
                step = np.linalg.lstsq(np.array(J(*q), dtype=float), np.array(F(*q), dtype=float), rcond=None)[0]
                q = q - step
                if not np.all(np.isfinite(q)) or np.linalg.norm(q) > 1e6 or np.linalg.norm(step) < 1e-16:
                    break
            if np.all(np.isfinite(q)) and np.linalg.norm(np.array(F(*q), dtype=float)) < 1e-11:
                roots.append(q)
    return roots


def _listed(q: np.ndarray, res) -> bool:
    tol = 1e-3 * (1 + np.linalg.norm(q))  # loose: Newton stops ~1e-5 from a degenerate root
    for cp in res.points:
        if not cp.family:
            if np.linalg.norm(_numeric_point(cp.point) - q) < tol:
                return True
            continue
        # a family: put q's coordinates into its free variables and compare
        byname = {k.name: plain(sp.sympify(v)) for k, v in cp.point.items()}
        sub = {x: q[0], y: q[1]}
        try:
            image = np.array([float(sp.N(byname[n].subs(sub))) for n in ("x", "y")])
        except TypeError:  # complex: q is not on this branch
            continue
        if np.linalg.norm(image - q) < tol:
            return True
    return False


@SETTINGS
@given(polynomials(), st.integers(0, 2**32 - 1))
@example(Poly2(((1, 4, 0), (-3, 1, 2), (-1, 1, 1), (3, 1, 3), (2, 0, 1))), 0)
@example(Poly2(((3, 0, 1), (-1, 2, 2), (-1, 3, 0), (-1, 2, 0))), 0)
def test_a_complete_list_misses_no_critical_point(p, seed):
    res = _run(p)
    if not res.complete:
        return
    missing = [
        q for q in _newton_roots([sp.diff(p.expr, v) for v in (x, y)], random.Random(seed)) if not _listed(q, res)
    ]
    assert not missing, f"{p.text}: complete = True, but Newton finds critical points at {missing}"


# ============================================================ (b) Taylor polynomials


@dataclass(frozen=True)
class Fn:
    text: str
    expr: sp.Expr

    def __repr__(self) -> str:
        return f"Fn({self.text!r})"


def _leaf() -> st.SearchStrategy[Fn]:
    return st.one_of(
        st.sampled_from([Fn("x", x), Fn("y", y)]),
        st.integers(-3, 3).map(lambda k: Fn(f"({k})", sp.Integer(k))),
    )


def _extend(children: st.SearchStrategy[Fn]) -> st.SearchStrategy[Fn]:
    pair = st.tuples(children, children)
    return st.one_of(
        pair.map(lambda ab: Fn(f"({ab[0].text} + {ab[1].text})", ab[0].expr + ab[1].expr)),
        pair.map(lambda ab: Fn(f"({ab[0].text})*({ab[1].text})", ab[0].expr * ab[1].expr)),
        st.tuples(children, st.integers(2, 3)).map(lambda ak: Fn(f"({ak[0].text})^{ak[1]}", ak[0].expr ** ak[1])),
        children.map(lambda a: Fn(f"sin({a.text})", sp.sin(a.expr))),
        children.map(lambda a: Fn(f"cos({a.text})", sp.cos(a.expr))),
        children.map(lambda a: Fn(f"exp({a.text})", sp.exp(a.expr))),
    )


trees = st.recursive(_leaf(), _extend, max_leaves=4)


@st.composite
def smooth_functions(draw: st.DrawFn) -> Fn:
    """t1 (x + a) + t2 (y + b) + t3 for random trees t1, t2, t3: both variables always occur."""
    t1, t2, t3 = draw(trees), draw(trees), draw(trees)
    a, b = draw(st.integers(-2, 2)), draw(st.integers(-2, 2))
    return Fn(
        f"({t1.text})*(x + ({a})) + ({t2.text})*(y + ({b})) + {t3.text}",
        t1.expr * (x + a) + t2.expr * (y + b) + t3.expr,
    )


rationals = st.builds(lambda n, d: sp.Rational(n, d), st.integers(-4, 4), st.integers(1, 4))


@SETTINGS
@given(smooth_functions(), st.tuples(rationals, rationals), st.sampled_from([3, 4, 2, 1, 0]))
@example(Fn("x*exp(-x^2-y^2)", x * sp.exp(-(x**2) - y**2)), (sp.Integer(-1), sp.Integer(0)), 2)  # D2L
@example(Fn("exp(x + y)", sp.exp(x + y)), (sp.Rational(1, 3), sp.Rational(-1, 2)), 4)
def test_taylor_polynomial_matches_the_derivatives_up_to_its_order(fn, at, n):
    f = formula(fn.text, ["x", "y"])
    assert sp.simplify(plain(f.expr) - fn.expr) == 0
    p = point(f"{at[0]},{at[1]}", f)
    res = taylor(f, p, order=n)
    T = plain(res.polynomial)
    sub = {x: at[0], y: at[1]}
    assert T.free_symbols <= {x, y}
    # T is a polynomial of total degree <= n in (x - a, y - b)
    h1, h2 = sp.symbols("h1 h2")
    shifted = sp.Poly(sp.expand(T.subs({x: at[0] + h1, y: at[1] + h2}, simultaneous=True)), h1, h2)
    assert shifted.is_zero or shifted.total_degree() <= n
    for k in range(n + 1):
        for i in range(k + 1):
            j = k - i
            dT = sp.diff(T, x, i, y, j) if k else T
            df = sp.diff(fn.expr, x, i, y, j) if k else fn.expr
            diff = dT.subs(sub) - df.subs(sub)
            assert exactly_zero(diff), f"{fn.text} at {at}, order {n}: d^{i}x d^{j}y differ by {diff}"
    # the homogeneous parts add up to the polynomial
    assert sp.expand(plain(sp.Add(*res.terms.values())) - T) == 0
    assert set(res.terms) == set(range(n + 1))


# ============================================================ (c) positive-definite quadratics


@st.composite
def pd_quadratics(draw: st.DrawFn):
    n = draw(st.sampled_from([2, 3]))
    M = sp.Matrix(n, n, draw(st.lists(st.integers(-2, 2), min_size=n * n, max_size=n * n)))
    A = M.T * M + sp.eye(n)  # symmetric positive definite
    b = sp.Matrix(draw(st.lists(st.integers(-5, 5), min_size=n, max_size=n)))
    c = draw(st.integers(-5, 5))
    return A, b, c


@SETTINGS
@given(pd_quadratics())
@example((sp.Matrix([[1, 0], [0, 1]]), sp.Matrix([-2, -4]), 5))  # lesson: x^2 + y^2 - 2x - 4y + 5
def test_positive_definite_quadratic_has_one_global_minimum(q):
    A, b, c = q
    names = (x, y, z)[: A.rows]
    v = sp.Matrix(names)
    f = sp.expand((v.T * A * v)[0] + (b.T * v)[0] + c)
    text = " + ".join(
        f"({coef})*{'*'.join(f'{s}^{e}' for s, e in zip(names, mon, strict=True))}"
        for mon, coef in sp.Poly(f, *names).terms()
    )
    res = _classify(formula(text, [s.name for s in names]))
    star = -A.inv() * b / 2  # grad = 2 A v + b = 0
    assert res.complete and res.method == "exact"
    assert len(res.points) == 1
    cp = res.points[0]
    assert not cp.family
    got = {k.name: plain(val) for k, val in cp.point.items()}
    for s, want in zip(names, star, strict=True):
        assert got[s.name] == want, (got, star)
    assert cp.kind == "local minimum"
    assert cp.global_ == "minimum"
    fmin = f.subs(dict(zip(names, star, strict=True)))
    assert res.minimum is not None and plain(res.minimum.value.exact) == fmin
    assert res.maximum is None
    assert sp.simplify(plain(cp.value.exact) - fmin) == 0
    ev = sorted(float(sp.N(e.exact)) for e in cp.eigenvalues)
    want = sorted(np.linalg.eigvalsh(np.array((2 * A).tolist(), dtype=float)))
    assert np.allclose(ev, want, rtol=1e-12, atol=1e-12)


def test_exactly_zero_is_not_vacuous():
    # a point correct to 16 digits is not a zero; a true identity between radicals is
    assert not exactly_zero(sp.sqrt(2) - sp.Rational(14142135623730951, 10**16))
    assert exactly_zero((sp.sqrt(2) + 1) ** 2 - 3 - 2 * sp.sqrt(2))
    assert not exactly_zero(x - 1)


# ============================================================ (d) quadratic forms of any signature


@st.composite
def nonsingular_quadratics(draw: st.DrawFn):
    n = draw(st.sampled_from([2, 3]))
    entries = draw(st.lists(st.integers(-3, 3), min_size=n * (n + 1) // 2, max_size=n * (n + 1) // 2))
    A = sp.zeros(n, n)
    it = iter(entries)
    for i in range(n):
        for j in range(i, n):
            A[i, j] = A[j, i] = next(it)
    if A.det() == 0:
        A += sp.eye(n) * draw(st.sampled_from([-4, 4]))
    if A.det() == 0:
        A = sp.diag(*draw(st.lists(st.sampled_from([-2, -1, 1, 2]), min_size=n, max_size=n)))
    return A


@SETTINGS
@given(nonsingular_quadratics())
@example(sp.Matrix([[1, 0], [0, -1]]))  # x^2 - y^2: a saddle
@example(sp.Matrix([[-1, 0, 0], [0, -2, 0], [0, 0, -3]]))  # negative definite
def test_a_quadratic_form_is_classified_by_the_signs_of_its_eigenvalues(A):
    """v^T A v with det A != 0: the one critical point 0 is a minimum, maximum or saddle exactly as
    the signs of A's eigenvalues (NumPy, independently) say."""
    names = (x, y, z)[: A.rows]
    v = sp.Matrix(names)
    f = sp.expand((v.T * A * v)[0])
    text = " + ".join(
        f"({coef})*{'*'.join(f'{s}^{e}' for s, e in zip(names, mon, strict=True))}"
        for mon, coef in sp.Poly(f, *names).terms()
    )
    res = _classify(formula(text, [s.name for s in names]))
    assert res.complete
    (cp,) = res.points
    assert all(val == 0 for val in cp.point.values())
    ev = np.linalg.eigvalsh(np.array(A.tolist(), dtype=float))
    want = "local minimum" if (ev > 0).all() else "local maximum" if (ev < 0).all() else "saddle point"
    assert cp.kind == want, (A, ev, cp.test)
    assert cp.nature == "stationary"


# ============================================================ (e) kinks: a|x - p| + b|y - q|


@SETTINGS
@given(
    st.sampled_from([-3, -2, -1, 1, 2, 3]),
    st.sampled_from([-3, -2, -1, 1, 2, 3]),
    st.integers(-4, 4),
    st.integers(-4, 4),
)
def test_a_sum_of_kinks_has_its_singular_point_classified_by_the_signs(a, b, p, q):
    """a|x - p| + b|y - q| has one critical point, (p, q), where the gradient does not exist:
    a minimum when a, b > 0, a maximum when a, b < 0, else not an extremum."""
    res = _classify(formula(f"({a}) abs(x - ({p})) + ({b}) abs(y - ({q}))", ["x", "y"]))
    (cp,) = [c for c in res.points if not c.family]
    assert {k.name: val for k, val in cp.point.items()} == {"x": p, "y": q}
    want = "local minimum" if a > 0 and b > 0 else "local maximum" if a < 0 and b < 0 else "saddle point"
    assert (cp.kind, cp.nature) == (want, "singular"), cp.test
