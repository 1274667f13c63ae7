"""Property tests of the differential engine against numerical differentiation.

Random smooth functions of x, y, z are built from a small grammar (integers,
variables, +, *, integer powers, sin, cos, exp).  Each function exists twice:
as calccli formula text (read by calccli's parser) and as an mpmath function
built directly from the same tree, so the reference values never go through
SymPy or the parser.  The engine's symbolic results are evaluated with mpmath
at 50 digits and compared with central differences of the mpmath function.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import mpmath
import pytest
import sympy as sp
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from calccli.calculus.differential import directional, gradient, hessian, laplacian
from calccli.formula.grammar import formula

pytestmark = pytest.mark.slow  # searches and solvers: seconds per test

VARS = ("x", "y", "z")
DPS = 50
H1 = mpmath.mpf("1e-15")  # step for first differences: error ~ H1^2 f''' + 10^-DPS / H1
H2 = mpmath.mpf("1e-10")  # step for second differences: error ~ H2^2 f'''' + 10^-DPS / H2^2
TOL = 1e-9  # relative (to max(1, |reference|)); the differences are good to ~1e-19

Env = dict[str, mpmath.mpf]


@dataclass(frozen=True)
class Fn:
    text: str
    f: Callable[[Env], mpmath.mpf]
    names: frozenset[str] = frozenset()  # the variables that occur

    def __repr__(self) -> str:  # what Hypothesis prints for a failing example
        return f"Fn({self.text!r})"


def _var(name: str) -> Fn:
    return Fn(name, lambda e: e[name], frozenset({name}))


def _const(k: int) -> Fn:
    return Fn(f"({k})", lambda e: mpmath.mpf(k))


def _add(p: tuple[Fn, Fn]) -> Fn:
    a, b = p
    return Fn(f"({a.text} + {b.text})", lambda e: a.f(e) + b.f(e), a.names | b.names)


def _mul(p: tuple[Fn, Fn]) -> Fn:
    a, b = p
    return Fn(f"({a.text})*({b.text})", lambda e: a.f(e) * b.f(e), a.names | b.names)


def _pow(p: tuple[Fn, int]) -> Fn:
    a, n = p
    return Fn(f"({a.text})^{n}", lambda e: a.f(e) ** n, a.names)


def _call(name: str, fn: Callable[[mpmath.mpf], mpmath.mpf]) -> Callable[[Fn], Fn]:
    return lambda a: Fn(f"{name}({a.text})", lambda e: fn(a.f(e)), a.names)


leaves = st.one_of(st.sampled_from(VARS).map(_var), st.integers(-3, 3).map(_const))


def _extend(children: st.SearchStrategy[Fn]) -> st.SearchStrategy[Fn]:
    return st.one_of(
        st.tuples(children, children).map(_add),
        st.tuples(children, children).map(_mul),
        st.tuples(children, st.integers(2, 3)).map(_pow),
        children.map(_call("sin", mpmath.sin)),
        children.map(_call("cos", mpmath.cos)),
        children.map(_call("exp", mpmath.exp)),
    )


def _extend_polynomial(children: st.SearchStrategy[Fn]) -> st.SearchStrategy[Fn]:
    return st.one_of(
        st.tuples(children, children).map(_add),
        st.tuples(children, children).map(_mul),
        st.tuples(children, st.integers(2, 3)).map(_pow),
    )


def _product_of_two(trees: st.SearchStrategy[Fn]) -> st.SearchStrategy[Fn]:
    """t1 * t2 with at least two variables in it, so that mixed partials matter."""
    return st.tuples(trees, trees).map(_mul).filter(lambda fn: len(fn.names) >= 2)


# Small trees only: the engine simplifies every entry, and that dominates the run time.
functions = _product_of_two(st.recursive(leaves, _extend, max_leaves=3))
polynomials = _product_of_two(
    st.recursive(
        st.one_of(st.sampled_from(VARS).map(_var), st.integers(1, 3).map(_const)), _extend_polynomial, max_leaves=5
    )
)
coordinate = st.integers(-6, 6).map(lambda k: sp.Rational(k, 4))  # exact in binary too
points = st.tuples(coordinate, coordinate, coordinate)
directions = st.tuples(*(st.integers(-3, 3),) * 3).filter(any)

SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# ------------------------------------------------------------------ helpers


def _env(point: tuple[sp.Rational, ...]) -> Env:
    return {n: mpmath.mpf(int(c.p)) / int(c.q) for n, c in zip(VARS, point, strict=True)}


def _shift(env: Env, **steps: mpmath.mpf) -> Env:
    return {n: v + steps.get(n, 0) for n, v in env.items()}


def first_difference(fn: Fn, env: Env, var: str) -> mpmath.mpf:
    return (fn.f(_shift(env, **{var: H1})) - fn.f(_shift(env, **{var: -H1}))) / (2 * H1)


def second_difference(fn: Fn, env: Env, a: str, b: str) -> mpmath.mpf:
    if a == b:
        return (fn.f(_shift(env, **{a: H2})) - 2 * fn.f(env) + fn.f(_shift(env, **{a: -H2}))) / H2**2
    pp = fn.f(_shift(env, **{a: H2, b: H2}))
    pm = fn.f(_shift(env, **{a: H2, b: -H2}))
    mp_ = fn.f(_shift(env, **{a: -H2, b: H2}))
    mm = fn.f(_shift(env, **{a: -H2, b: -H2}))
    return (pp - pm - mp_ + mm) / (4 * H2**2)


def evaluate(expr: sp.Expr, variables: tuple[sp.Symbol, ...], env: Env) -> mpmath.mpf:
    value = sp.lambdify(variables, expr, modules="mpmath")(*(env[v.name] for v in variables))
    assert mpmath.im(value) == 0, (expr, value)
    return mpmath.re(value)


def close(got: object, reference: mpmath.mpf, what: str) -> None:
    got = mpmath.mpf(got)
    scale = max(mpmath.mpf(1), abs(reference))
    assert abs(got - reference) <= TOL * scale, f"{what}: engine {got}, finite differences {reference}"


def parsed(fn: Fn):
    f = formula(fn.text, list(VARS))
    assert tuple(v.name for v in f.variables) == VARS
    return f


def moderate(fn: Fn, env: Env) -> bool:
    """Keep away from astronomically large values, where relative checks say little."""
    return abs(fn.f(env)) < 1e8


# ------------------------------------------------------------------ properties


@SETTINGS
@given(functions, points)
def test_gradient_matches_central_differences(fn, point):
    with mpmath.workdps(DPS):
        env = _env(point)
        assume(moderate(fn, env))
        f = parsed(fn)
        grad = gradient(f)
        assert len(grad.components) == 3
        for var, component in zip(f.variables, grad.components, strict=True):
            close(evaluate(component, f.variables, env), first_difference(fn, env, var.name), f"d/d{var}")


@SETTINGS
@given(functions, points)
def test_gradient_at_a_point_matches_central_differences(fn, point):
    with mpmath.workdps(DPS):
        env = _env(point)
        assume(moderate(fn, env))
        f = parsed(fn)
        at = dict(zip(f.variables, point, strict=True))
        grad = gradient(f, at=at)
        refs = [first_difference(fn, env, v.name) for v in f.variables]
        for var, value, ref in zip(f.variables, grad.values, refs, strict=True):
            assert value.exact.free_symbols == set()
            close(sp.N(value.exact, DPS), ref, f"exact d/d{var}")
            assert abs(value.numeric - float(ref)) <= 1e-12 * max(1.0, abs(float(ref))), (value, ref)
        norm = mpmath.sqrt(sum(r**2 for r in refs))
        assert abs(grad.norm.numeric - float(norm)) <= 1e-12 * max(1.0, float(norm))


@SETTINGS
@given(functions, points)
def test_hessian_matches_central_differences(fn, point):
    with mpmath.workdps(DPS):
        env = _env(point)
        assume(moderate(fn, env))
        f = parsed(fn)
        m = hessian(f).matrix
        assert m.shape == (3, 3)
        for i, a in enumerate(VARS):
            for j, b in enumerate(VARS[i:], start=i):
                close(evaluate(m[i, j], f.variables, env), second_difference(fn, env, a, b), f"H[{a},{b}]")


@SETTINGS
@given(functions, points)
def test_hessian_is_symmetric_and_is_the_jacobian_of_the_gradient(fn, point):
    with mpmath.workdps(DPS):
        env = _env(point)
        assume(moderate(fn, env))
        f = parsed(fn)
        m = hessian(f).matrix
        assert all(sp.simplify(m[i, j] - m[j, i]) == 0 for i in range(3) for j in range(i + 1, 3))
        # H[i, j] is d/dx_i of the engine's own gradient component j, differenced numerically
        for j, component in enumerate(gradient(f).components):
            g = Fn(str(component), lambda e, c=component: evaluate(c, f.variables, e))
            for i, a in enumerate(VARS):
                close(evaluate(m[i, j], f.variables, env), first_difference(g, env, a), f"d/d{a} grad[{j}]")


@SETTINGS
@given(functions, points)
def test_laplacian_is_the_trace_of_the_hessian(fn, point):
    with mpmath.workdps(DPS):
        env = _env(point)
        assume(moderate(fn, env))
        f = parsed(fn)
        lap = laplacian(f).laplacian
        trace = hessian(f).matrix.trace()
        close(evaluate(lap, f.variables, env), evaluate(trace, f.variables, env), "laplacian vs trace")
        reference = sum(second_difference(fn, env, v, v) for v in VARS)
        close(evaluate(lap, f.variables, env), reference, "laplacian")
        at = dict(zip(f.variables, point, strict=True))
        value = laplacian(f, at=at).value
        close(sp.N(value.exact, DPS), reference, "exact laplacian at the point")
        assert abs(value.numeric - float(reference)) <= 1e-12 * max(1.0, abs(float(reference)))


# Polynomials only, and fewer examples: with transcendental entries SymPy's exact 3x3
# eigenvalues can take minutes (reported to the engine's owner).
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(polynomials, points)
def test_hessian_at_a_point_values_eigenvalues_and_definiteness(fn, point):
    with mpmath.workdps(DPS):
        env = _env(point)
        assume(moderate(fn, env))
        f = parsed(fn)
        at = dict(zip(f.variables, point, strict=True))
        h = hessian(f, at=at)
        ref = mpmath.matrix([[second_difference(fn, env, a, b) for b in VARS] for a in VARS])
        for i in range(3):
            for j in range(3):
                close(sp.N(h.matrix_value[i, j], DPS), ref[i, j], f"H({VARS[i]},{VARS[j]}) at the point")
                assert abs(h.matrix_numeric[i][j] - float(ref[i, j])) <= 1e-9 * max(1.0, abs(float(ref[i, j])))
        assert h.eigenvalues is not None and len(h.eigenvalues) == 3
        eig = [v.numeric for v in h.eigenvalues]
        assert eig == sorted(eig)
        expected, _ = mpmath.eigsy(ref)
        scale = max(1.0, *(abs(float(e)) for e in expected))
        for got, want in zip(eig, sorted(float(e) for e in expected), strict=True):
            assert abs(got - want) <= 1e-8 * scale, (eig, expected)
        # eigenvalues add up to the trace, i.e. to the Laplacian
        assert abs(sum(eig) - float(sum(ref[i, i] for i in range(3)))) <= 1e-8 * scale
        pos, neg = sum(e > 1e-9 * scale for e in eig), sum(e < -1e-9 * scale for e in eig)
        if pos + neg == 3:  # no eigenvalue near zero: the definiteness is clear-cut
            want = "positive definite" if pos == 3 else "negative definite" if neg == 3 else "indefinite"
            assert h.definiteness == want, (h.definiteness, eig)


@SETTINGS
@given(functions, points, directions)
def test_directional_derivative_matches_differences_along_the_unit_vector(fn, point, d):
    with mpmath.workdps(DPS):
        env = _env(point)
        assume(moderate(fn, env))
        f = parsed(fn)
        dd = directional(f, [sp.Integer(k) for k in d])
        length = mpmath.sqrt(sum(mpmath.mpf(k) ** 2 for k in d))
        unit = [mpmath.mpf(k) / length for k in d]
        for u, k in zip(dd.unit, d, strict=True):
            close(sp.N(u, DPS), mpmath.mpf(k) / length, "unit vector")
        along = (
            fn.f({n: env[n] + H1 * c for n, c in zip(VARS, unit, strict=True)})
            - fn.f({n: env[n] - H1 * c for n, c in zip(VARS, unit, strict=True)})
        ) / (2 * H1)
        value = evaluate(dd.derivative, f.variables, env)
        close(value, along, "D_u f")
        grad_norm = mpmath.sqrt(sum(first_difference(fn, env, v) ** 2 for v in VARS))
        assert abs(value) <= grad_norm * (1 + TOL) + TOL  # Cauchy-Schwarz
