"""Critical points and their classification; extrema under constraints.

Exact first: ``sympy.solve`` on ∇f = 0 under a soft deadline.  When that fails,
times out or cannot promise completeness, a numeric search (Newton from many
starting points in a box) fills in, and the result says the list may be
incomplete.  Every point returned is checked to zero the gradient.

>>> from calccli.formula.grammar import formula
>>> r = classify(formula("x^2 + y^2 - 2x - 4y + 5"))
>>> [(p.point, p.kind) for p in r.points]
[({x: 1, y: 2}, 'local minimum')]
"""

from __future__ import annotations

import contextlib
import itertools
import math
import random
import time
from collections.abc import Callable, Iterator, Sequence

import sympy as sp

from calccli.calculus import periodic, singular
from calccli.calculus.common import differentiate, numeric, tidy
from calccli.calculus.differential import eigen_summary, hessian_matrix
from calccli.calculus.roots import SOLVE_SECONDS, find_roots, lambdify_system, solve_exact
from calccli.calculus.taylor import coefficients, homogeneous_terms
from calccli.errors import ArgumentError, MathError, UsageError
from calccli.formula.grammar import Formula
from calccli.process.budget import Budget, DeadlineExceeded, soft_deadline
from calccli.results import CriticalPoint, CriticalPoints, Extremum, Point, Value

SEARCH_BOX = 10  # default numeric search box: [-10, 10] in each variable
HIGHER_ORDER = 6  # degree up to which the higher-order test looks

Box = dict[sp.Symbol, tuple[sp.Expr, sp.Expr]]


# ----------------------------------------------------------------- classification


def _value(e: sp.Expr, budget: Budget | None = None) -> Value:
    e = tidy(e, budget)
    try:
        return Value(e, numeric(e))
    except (TypeError, ValueError):
        return Value(e, None)


def _sign_at(expr: sp.Expr) -> int:
    v = sp.N(expr, 30)
    if not v.is_number or not v.is_real:
        return 0
    return 0 if abs(v) < 1e-25 else (1 if v > 0 else -1)


def _leading(g: sp.Expr, t: sp.Symbol, upto: int) -> tuple[int, int]:
    """(order, sign) of the first nonzero power of t in the polynomial g(t); (0, 0) if none."""
    poly = sp.Poly(sp.expand(g), t)
    for k in range(1, upto + 1):
        c = poly.coeff_monomial(t**k)
        s = _sign_at(c)
        if s:
            return k, s
    return 0, 0


def _sphere(n: int, count: int, rng: random.Random) -> list[list[sp.Rational]]:
    """Rational directions spread over the unit sphere's directions (not normalised)."""
    if n == 1:
        return [[sp.Integer(-1)], [sp.Integer(1)]]
    dirs: set[tuple[int, ...]] = set()
    for idx in itertools.product(range(-2, 3), repeat=n):
        if any(idx) and math.gcd(*idx) == 1:
            dirs.add(tuple(idx))
    for _ in range(20 * count):
        if len(dirs) >= count:
            break
        d = tuple(rng.randint(-9, 9) for _ in range(n))
        if any(d):
            dirs.add(d)
    return [[sp.Integer(c) for c in d] for d in sorted(dirs)]


class _OutOfTime(Exception):
    """The higher-order test's time ran out."""


def higher_order_test(
    expr: sp.Expr, variables: tuple[sp.Symbol, ...], p: Point, H: sp.Matrix, until: float = math.inf
) -> tuple[str, str]:
    """Decide a critical point with a singular Hessian from the terms beyond degree 2.

    Looks at f(p + γ(t)) − f(p) along lines γ(t) = t·d and parabolas
    γ(t) = t·v + c·t²·w through p (v in the Hessian's null space): a sign
    change proves a saddle, an odd lowest degree proves a saddle, and a
    positive (negative) definite lowest-degree form proves a minimum (maximum).  At ``until``
    (a ``time.monotonic()`` instant) it gives up: inconclusive.
    """
    n = len(variables)
    t = sp.Symbol("t", real=True)
    try:
        coeffs = coefficients(expr, variables, p, HIGHER_ORDER)
    except MathError:
        return "inconclusive", "the higher-order test (f is not smooth enough at the point)"
    hs = sp.symbols(f"h0:{n}", real=True)
    terms = homogeneous_terms(coeffs, hs, HIGHER_ORDER)
    rng = random.Random(7)
    directions = _sphere(n, 60, rng)

    def along(path: list[sp.Expr]) -> tuple[int, int]:
        if time.monotonic() > until:
            raise _OutOfTime
        g = sp.Add(
            *(terms[k].subs(dict(zip(hs, path, strict=True)), simultaneous=True) for k in range(1, HIGHER_ORDER + 1))
        )
        return _leading(g, t, HIGHER_ORDER)

    try:
        return _higher_order_verdict(expr, variables, p, H, terms, hs, directions, along)
    except _OutOfTime:
        return "inconclusive", "the higher-order test ran out of time"


def _higher_order_verdict(
    expr: sp.Expr,
    variables: tuple[sp.Symbol, ...],
    p: Point,
    H: sp.Matrix,
    terms: dict[int, sp.Expr],
    hs: tuple[sp.Symbol, ...],
    directions: list[list[sp.Rational]],
    along: Callable[[list[sp.Expr]], tuple[int, int]],
) -> tuple[str, str]:
    n = len(variables)
    t = sp.Symbol("t", real=True)
    lowest = next((k for k in range(2, HIGHER_ORDER + 1) if terms[k] != 0), None)
    if lowest is None:
        return "inconclusive", f"the higher-order test (every term up to degree {HIGHER_ORDER} vanishes)"
    if lowest % 2 == 1:
        return (
            "saddle point",
            f"the higher-order test (the lowest nonzero term has odd degree {lowest}, so the change in f takes both signs)",
        )
    signs: set[int] = set()
    zero_dirs: list[list[sp.Expr]] = []
    for d in directions:
        k, s = along([c * t for c in d])
        if s:
            signs.add(s if k % 2 == 0 else 0)
            if k % 2 == 1:
                return (
                    "saddle point",
                    f"the higher-order test (along the line through the point in direction {tuple(d)} the change in f has odd order {k})",
                )
        if _sign_at(terms[lowest].subs(dict(zip(hs, d, strict=True)))) == 0:
            zero_dirs.append(d)
    if 1 in signs and -1 in signs:
        return "saddle point", "the higher-order test (the change in f takes both signs along lines through the point)"
    form_definite = not zero_dirs and len(signs) == 1
    if form_definite and lowest > 2:
        kind = "local minimum" if 1 in signs else "local maximum"
        word = "positive" if 1 in signs else "negative"
        return kind, f"the higher-order test (the lowest nonzero term, of degree {lowest}, is {word} definite)"
    # Semidefinite: probe parabolas bending along the null directions.
    null = [list(v) for v in H.nullspace()] or zero_dirs[:3]
    others = [list(v) for v in H.columnspace()] or [list(r) for r in sp.eye(n).tolist()]
    curve_signs: set[int] = set()
    cs = [sp.Rational(k, 4) for k in range(-16, 17)]
    for v in null[:3]:
        for w in others[:3]:
            for c in cs:
                k, s = along([vi * t + c * wi * t**2 for vi, wi in zip(v, w, strict=True)])
                if s:
                    if k % 2 == 1:
                        return (
                            "saddle point",
                            f"the higher-order test (the change in f has odd order {k} along a parabola through the point)",
                        )
                    curve_signs.add(s)
    all_signs = signs | curve_signs
    if 1 in all_signs and -1 in all_signs:
        return "saddle point", "the higher-order test (the change in f takes both signs along curves through the point)"
    if len(all_signs) == 1 and _neighbourhood_sign(expr, variables, p) == next(iter(all_signs)):
        kind = "local minimum" if 1 in all_signs else "local maximum"
        return kind, (
            "the higher-order test (the change in f keeps one sign along lines and parabolas through the point "
            "and on small spheres around it)"
        )
    return "inconclusive", "the higher-order test (no sign change found, but no proof of an extremum either)"


def _neighbourhood_sign(expr: sp.Expr, variables: tuple[sp.Symbol, ...], p: Point) -> int:
    """+1 (-1) if f - f(p) > 0 (< 0) at every sampled point of small spheres around p, else 0."""
    import numpy as np

    f = lambdify_system([expr], variables)
    rng = np.random.default_rng(11)
    signs = set()
    try:
        centre = np.array([float(sp.N(p[v], 20)) for v in variables])
        f0 = float(np.array(f(*centre), dtype=float).reshape(-1)[0])
        with np.errstate(all="ignore"):
            for r in (1e-2, 1e-3):
                for _ in range(400):
                    u = rng.normal(size=len(variables))
                    u /= np.linalg.norm(u)
                    d = float(np.array(f(*(centre + r * u)), dtype=float).reshape(-1)[0]) - f0
                    if not math.isfinite(d) or abs(d) < 1e-14:
                        return 0
                    signs.add(1 if d > 0 else -1)
    except (TypeError, ValueError, ZeroDivisionError, OverflowError, NameError):
        return 0
    return signs.pop() if len(signs) == 1 else 0


def _second_derivative_test(
    H: sp.Matrix, n: int, budget: Budget | None = None
) -> tuple[str | None, str, tuple[Value, ...]]:
    eig, kind, _ = eigen_summary(H, budget)
    how = "the determinant test" if n == 2 else "the second-derivative test"
    if n == 1:
        words = {"positive definite": "second derivative positive", "negative definite": "second derivative negative"}
    else:
        words = {k: f"Hessian {k}" for k in ("positive definite", "negative definite", "indefinite")}
    verdict = {
        "positive definite": ("local minimum", f"{how} ({words.get('positive definite')})"),
        "negative definite": ("local maximum", f"{how} ({words.get('negative definite')})"),
        "indefinite": ("saddle point", f"{how} ({words.get('indefinite')})"),
    }.get(kind)
    if verdict is None:
        return (
            None,
            f"{how} is inconclusive ({'second derivative zero' if n == 1 else 'Hessian ' + kind + ', singular'})",
            eig,
        )
    return verdict[0], verdict[1], eig


def _is_exact(p: Point) -> bool:
    return not any(v.has(sp.Float) for v in p.values())


def classify_point(
    expr: sp.Expr,
    variables: tuple[sp.Symbol, ...],
    p: Point,
    Hsym: sp.Matrix,
    budget: Budget | None = None,
    until: float = math.inf,
) -> CriticalPoint:
    n = len(variables)
    H = Hsym.subs(p).applyfunc(lambda c: tidy(c, budget))
    if H.has(sp.DiracDelta, sp.nan, sp.zoo, sp.oo, sp.S.NegativeInfinity):  # f is not twice differentiable here
        by_values = singular.compare_values(expr, variables, p)
        value = _value(expr.subs(p), budget=budget)
        return CriticalPoint(p, {v: float(sp.N(p[v], 17)) for v in variables}, value, *by_values)
    kind, test, eig = _second_derivative_test(H, n, budget)
    if kind is None:
        if _is_exact(p):
            kind, test = higher_order_test(expr, variables, p, H, until)
        else:
            kind, test = "inconclusive", "the second-derivative test is inconclusive at this numerically found point"
    fxx = det = None
    if n == 2:
        fxx, det = _value(H[0, 0], budget=budget), _value(H.det(), budget=budget)
    value = _value(expr.subs(p), budget=budget)
    nums = {v: float(sp.N(p[v], 17)) for v in variables}
    return CriticalPoint(p, nums, value, kind, test, H, eig, fxx=fxx, det=det)


def _family_point(
    expr: sp.Expr,
    variables: tuple[sp.Symbol, ...],
    sol: dict[sp.Symbol, sp.Expr],
    Hsym: sp.Matrix,
    budget: Budget | None = None,
) -> CriticalPoint:
    """A curve or surface of critical points: classify by the Hessian's signs along it (Morse–Bott)."""
    p = {v: sol.get(v, v) for v in variables}
    free = sorted(set().union(*(e.free_symbols for e in p.values())) & set(variables), key=lambda s: s.name)
    H = Hsym.subs(p, simultaneous=True).applyfunc(lambda c: tidy(c, budget))
    value = _value(expr.subs(p, simultaneous=True), budget=budget)
    kind, test = "degenerate", "a family of critical points (not isolated)"
    import numpy as np

    try:
        rng = random.Random(3)
        samples = [{s: sp.Rational(rng.randint(-20, 20), 21) for s in free} for _ in range(40)]
        samples = [smp for smp in samples if all(sp.N(c.subs(smp)).is_real for c in p.values())][:5]
        rank = len(variables) - len(free)
        sig: set[tuple[bool, bool]] = set()
        for smp in samples:
            m = H.subs(smp)
            ev = np.linalg.eigvalsh(np.array(m.evalf(20).tolist(), dtype=float))
            scale = max(1.0, float(max(abs(ev))))
            nz = [e for e in ev if abs(e) > 1e-9 * scale]
            if len(nz) != rank:
                sig = set()
                break
            sig.add((all(e > 0 for e in nz), all(e < 0 for e in nz)))
        if len(sig) == 1 and len(samples) >= 3:
            pos, neg = sig.pop()
            words = f"a {len(free)}-dimensional family of critical points; the Hessian is nonzero only across it"
            if pos:
                kind, test = "local minimum", f"{words}, and positive there (Morse-Bott test; not strict)"
            elif neg:
                kind, test = "local maximum", f"{words}, and negative there (Morse-Bott test; not strict)"
            else:
                kind, test = "saddle point", f"{words}, with mixed signs (Morse-Bott test)"
    except (TypeError, ValueError, OverflowError):
        pass
    return CriticalPoint(p, None, value, kind, test, H, (), family=True)


# ----------------------------------------------------------------- global extrema


def _coercive_sign(expr: sp.Expr, variables: tuple[sp.Symbol, ...]) -> int:
    """+1 if f is a polynomial tending to +oo in every direction (top form positive definite), -1 for -oo."""
    if not expr.is_polynomial(*variables):
        return 0
    poly = sp.Poly(expr, *variables)
    d = poly.total_degree()
    if d == 0 or d % 2:
        return 0
    top = sp.Add(
        *(c * sp.Mul(*(v**e for v, e in zip(variables, m, strict=True))) for m, c in poly.terms() if sum(m) == d)
    )
    signs = set()
    rng = random.Random(5)
    for dvec in _sphere(len(variables), 200, rng):
        s = _sign_at(top.subs(dict(zip(variables, dvec, strict=True))))
        if s == 0:
            return 0
        signs.add(s)
    # One sign at every sampled rational direction, never zero: taken as definite.
    return signs.pop() if len(signs) == 1 else 0


def _point_key(p: Point) -> tuple[object, ...]:
    """A hashable identity for a point: its coordinates to 10 significant digits (a numerically
    found coordinate below 1e-12 counts as 0), or the text of a family's coordinates.

    >>> _point_key({sp.Symbol("x"): sp.sqrt(2) / 10**150}) != _point_key({sp.Symbol("x"): -sp.sqrt(2) / 10**150})
    True
    """
    out: list[object] = []
    for k in sorted(p, key=str):
        c = p[k]
        try:
            x = sp.N(c, 15)
            if not x.is_number or not x.is_real:
                raise TypeError
            if c.has(sp.Float) and abs(x) < 1e-12:
                x = sp.S.Zero
            out.append(sp.Float(x, 10) + 0 if x != 0 else 0)
        except (TypeError, ValueError):
            out.append(str(c))
    return tuple(out)


def _extremes(points: list[tuple[Point, Value]]) -> tuple[Extremum | None, Extremum | None]:
    """The smallest and largest values among the candidates, compared to 30 digits (no float
    overflow or underflow: 10^700 and 10^-300 compare as well as 1 and 2)."""
    vals: list[tuple[Point, Value, sp.Float]] = []
    for p, v in points:
        if v.exact.free_symbols:
            continue
        try:
            x = sp.N(v.exact, 30)
        except (TypeError, ValueError):
            continue
        if x.is_number and x.is_real and x.is_finite:
            vals.append((p, v, x))
    if not vals:
        return None, None
    spread = max(abs(x) for _, _, x in vals)

    def pick(best: sp.Float) -> Extremum:
        chosen: list[tuple[Point, Value]] = []
        seen: set[tuple[object, ...]] = set()
        for p, v, x in vals:
            key = _point_key(p)
            if abs(x - best) <= sp.Float(1e-20, 30) * spread and key not in seen:
                seen.add(key)
                chosen.append((p, v))
        return Extremum(chosen[0][1], tuple(p for p, _ in chosen))

    return pick(min(x for _, _, x in vals)), pick(max(x for _, _, x in vals))


def _box_candidates(
    expr: sp.Expr, variables: tuple[sp.Symbol, ...], box: Box, seconds: float, budget: Budget | None = None
) -> list[Point]:
    """Critical points of f restricted to each face, edge and corner of the box."""
    out: list[Point] = []
    n = len(variables)
    for fixed_count in range(1, n + 1):
        for fixed in itertools.combinations(range(n), fixed_count):
            free = [variables[i] for i in range(n) if i not in fixed]
            for ends in itertools.product(*(box[variables[i]] for i in fixed)):
                sub = {variables[i]: e for i, e in zip(fixed, ends, strict=True)}
                if not free:
                    out.append(dict(sub))
                    continue
                g = expr.subs(sub)
                eqs = [sp.diff(g, v) for v in free]
                fbox = [(float(box[v][0]), float(box[v][1])) for v in free]
                sols, _, _ = find_roots(eqs, free, fbox, seconds, budget=budget)
                for s in sols:
                    if all(v in s and not s[v].free_symbols for v in free):
                        merged = {**sub, **{v: s[v] for v in free}}
                        q = {v: merged[v] for v in variables}
                        if _in_box(q, box):
                            out.append(q)
    return out


def _in_box(p: Point, box: Box) -> bool:
    try:
        return all(float(box[v][0]) - 1e-12 <= float(sp.N(p[v])) <= float(box[v][1]) + 1e-12 for v in box)
    except TypeError:
        return False


# ----------------------------------------------------------------- entry points


def _search_box(variables: tuple[sp.Symbol, ...], box: Box | None) -> list[tuple[float, float]]:
    if box:
        return [(float(box[v][0]), float(box[v][1])) for v in variables]
    return [(-SEARCH_BOX, SEARCH_BOX)] * len(variables)


SEARCH_SHARE = 0.55  # the search for points stops at this share of the time left
CLASSIFY_SHARE = 0.7  # and classifying them at this one; the rest is for the answer's way out


class _Clock:
    """The instants (``time.monotonic()``) at which the search and the classification stop."""

    def __init__(self, budget: Budget | None) -> None:
        left = budget.remaining() if budget is not None else math.inf
        now = time.monotonic()
        self.search = now + SEARCH_SHARE * left if math.isfinite(left) else math.inf
        self.classify = now + CLASSIFY_SHARE * left if math.isfinite(left) else math.inf
        self.stopped = False

    def search_left(self) -> float:
        return self.search - time.monotonic()

    def classify_left(self) -> float:
        left = self.classify - time.monotonic()
        if left <= 0:
            self.stopped = True
        return left


@contextlib.contextmanager
def _capped(budget: Budget | None, until: float) -> Iterator[Budget | None]:
    """``budget`` as seen by one point's classification: its simplifications end by ``until``.

    What they spend is charged to ``budget`` afterwards.
    """
    if budget is None or not math.isfinite(until):
        yield budget
        return
    left = max(0.0, until - time.monotonic())
    local = Budget(
        budget.seconds,
        simplify_seconds=min(budget.simplify_seconds, budget.simplified + left / 2),
        started=budget.started,
        simplified=budget.simplified,
    )
    try:
        yield local
    finally:
        budget.spent_simplifying(local.simplified - budget.simplified)


def _singular_points(
    expr: sp.Expr,
    variables: tuple[sp.Symbol, ...],
    box: Box | None,
    clock: _Clock,
    until: float,
) -> list[CriticalPoint]:
    """Critical points where the gradient does not exist, found by ``until``, classified by comparing values."""
    out: list[CriticalPoint] = []
    seen: set[tuple[object, ...]] = set()
    for p in singular.candidates(expr, variables, lambda: until - time.monotonic()):
        if clock.classify_left() <= 0:
            break
        family = any(c.free_symbols & set(variables) for c in p.values())
        key = _point_key(p)
        if key in seen or (box is not None and not family and not _in_box(p, box)):
            continue
        seen.add(key)
        if family:
            value = _value(expr.subs(p, simultaneous=True))
            kind, test = singular.compare_on_family(expr, variables, p)
            out.append(CriticalPoint(p, None, value, kind, test, family=True, nature="singular"))
            continue
        if not singular.defined_at(expr, p):
            continue
        kind, test = singular.compare_values(expr, variables, p)
        nature = "stationary" if singular.gradient_tends_to_zero(expr, variables, p) else "singular"
        nums = {v: float(sp.N(p[v], 17)) for v in variables}
        out.append(CriticalPoint(p, nums, _value(expr.subs(p)), kind, test, nature=nature))
    return out


def _not_classified(p: Point, variables: tuple[sp.Symbol, ...], expr: sp.Expr) -> CriticalPoint:
    """A point found but not classified before the time limit: f there as computed (no simplification)."""
    nums = {v: float(sp.N(p[v], 17)) for v in variables}
    e = expr.subs(p)
    try:
        value = Value(e, numeric(e))
    except (TypeError, ValueError):
        value = Value(e, None)
    return CriticalPoint(p, nums, value, "inconclusive", "not classified before the time limit")


def classify(
    f: Formula,
    constraints: Sequence[sp.Expr] = (),
    box: Box | None = None,
    solve_seconds: float = SOLVE_SECONDS,
    budget: Budget | None = None,
) -> CriticalPoints:
    """Find and classify the critical points of ``f`` (with constraints: Lagrange candidates).

    The search stops at ``SEARCH_SHARE`` of the time left in ``budget`` and the classification
    at ``CLASSIFY_SHARE``; the result then holds what was found by then, marked incomplete.
    """
    expr = f.expr
    variables = f.variables
    if not variables:
        raise UsageError("the formula has no variables")
    if box is not None:
        missing = [v.name for v in variables if v not in box]
        if missing:
            raise ArgumentError("box", f"{{arg}} gives no range for {', '.join(missing)}")
    singular.refuse_jumps(expr)
    clock = _Clock(budget)
    if constraints:
        return _constrained(f, list(constraints), box, solve_seconds, budget=budget, clock=clock)
    grad = [singular.smooth(differentiate(expr, v)) for v in variables]
    if all(g == 0 for g in grad):
        raise MathError("f is constant wherever its gradient exists, so every point there is critical")
    with _capped(budget, time.monotonic() + 0.2 * clock.search_left()) as local:
        Hsym = hessian_matrix(expr, variables, budget=local)
    kink_exprs = singular.kinks(expr, variables)
    points: list[CriticalPoint] = []
    if kink_exprs:  # before the search, which may take all the time it has
        points = _singular_points(expr, variables, box, clock, time.monotonic() + 0.4 * clock.search_left())
    repeats = periodic.periodic(expr, variables)
    pats = periodic.patterns(grad, variables, min(5.0, 0.3 * clock.search_left())) if repeats else []
    families = [q for q in pats if q.free_symbols & set(variables)]
    sols, complete, method = find_roots(
        grad,
        variables,
        _search_box(variables, box),
        solve_seconds,
        budget=budget,
        until=clock.search,
        skip=(lambda x: any(periodic.on_pattern(x, q, variables) for q in families)) if families else None,
    )
    kinks = {_point_key(p.point) for p in points}
    remarks: list[str] = []
    for s in sols:
        if len(s) < len(variables) or any(val.free_symbols & set(variables) for val in s.values()):
            points.append(_family_point(expr, variables, s, Hsym, budget=budget))
            continue
        p = {v: s[v] for v in variables}
        if (box is not None and not _in_box(p, box)) or _point_key(p) in kinks or singular.on_kink(kink_exprs, p):
            continue
        if clock.classify_left() <= 0:
            points.append(_not_classified(p, variables, expr))
            continue
        with _capped(budget, clock.classify) as local:
            _verify_critical(grad, p, budget=local, seconds=min(3.0, clock.classify_left()))
            points.append(classify_point(expr, variables, p, Hsym, budget=local, until=clock.classify))
    if any(p.test.startswith("comparing values") for p in points):
        remarks.append(
            "points where the gradient does not exist are classified by comparing values nearby; along a "
            "curve where it does not exist only the points where f along the curve is critical are listed"
        )
    if method != "exact":
        lo, hi = _search_box(variables, box)[0]
        remarks.append(f"numeric search for critical points in [{lo:g}, {hi:g}] in each variable")
    if pats:
        complete = False
        off = sum(1 for p in points if not periodic.covers(pats, p.point, variables))
        if off:
            remarks.append(
                f"{off} of the points listed {'lies' if off == 1 else 'lie'} on none of the repeating patterns "
                "(the patterns are those the solver found)"
            )
    elif repeats and method != "exact" and points:
        remarks.append("f is periodic, so its critical points may repeat without end: the list is a sample")
    stopped = None
    if clock.stopped or time.monotonic() > clock.search:
        stopped, complete = "time limit", False
        remarks.append(
            f"the search stopped at the time limit with {len(points)} point{'s' if len(points) != 1 else ''} "
            "found; the list is incomplete"
        )
    points.sort(key=_order_key(variables))
    minimum: Extremum | None = None
    maximum: Extremum | None = None
    reason = None
    isolated = [(p.point, p.value) for p in points if not p.family or not p.value.exact.free_symbols]
    if box is not None and stopped is None:
        cands = isolated + [
            (q, _value(expr.subs(q), budget=budget))
            for q in _box_candidates(expr, variables, box, solve_seconds / 4, budget=budget)
        ]
        minimum, maximum = _extremes(cands)
        reason = "the largest and smallest values among the critical points inside the box and on its boundary"
    elif complete and isolated and all(not p.family or not p.value.exact.free_symbols for p in points):
        sign = _coercive_sign(expr, variables)
        if sign:
            low, high = _extremes(isolated)
            minimum, maximum = (low, None) if sign > 0 else (None, high)
            reason = (
                "f is a polynomial whose highest-degree part is "
                f"{'positive' if sign > 0 else 'negative'} definite, so f tends to "
                f"{'+oo' if sign > 0 else '-oo'} in every direction and its global "
                f"{'minimum' if sign > 0 else 'maximum'} is at a critical point"
            )
    points = _mark_global(points, minimum, maximum)
    return CriticalPoints(
        expr,
        variables,
        tuple(points),
        complete,
        method,
        (),
        box,
        minimum,
        maximum,
        reason,
        tuple(remarks),
        patterns=tuple(pats),
        stopped=stopped,
    )


def _order_key(variables: tuple[sp.Symbol, ...]) -> Callable[[CriticalPoint], tuple[object, ...]]:
    def key(p: CriticalPoint) -> tuple[object, ...]:
        if p.numeric is None:
            return (1,)
        return (0, *(p.numeric[v] for v in variables))

    return key


def _mark_global(
    points: list[CriticalPoint], minimum: Extremum | None, maximum: Extremum | None
) -> list[CriticalPoint]:
    from dataclasses import replace

    out = []
    for p in points:
        tags = [
            name
            for name, ext in (("minimum", minimum), ("maximum", maximum))
            if ext is not None and any(q == p.point for q in ext.points)
        ]
        out.append(replace(p, global_=" and ".join(tags) or None))
    return out


def _verify_critical(grad: list[sp.Expr], p: Point, budget: Budget | None = None, seconds: float = 3.0) -> None:
    """Every reported point must zero the gradient (exactly, or to 1e-9 for numeric points)."""
    for g in grad:
        v = g.subs(p)
        if _is_exact(p) and seconds > 0.05:
            try:
                with soft_deadline(seconds):
                    if tidy(v, budget) == 0 or sp.simplify(v) == 0:
                        continue
            except DeadlineExceeded:
                pass
        if abs(complex(sp.N(v, 30))) > 1e-9:
            raise MathError(f"internal check failed: the gradient is {v} at {p}, not 0")


def _singular_constraint_points(
    expr: sp.Expr,
    variables: tuple[sp.Symbol, ...],
    gs: list[sp.Expr],
    box: Box | None,
    seconds: float,
    found: list[CriticalPoint],
    budget: Budget | None = None,
) -> list[CriticalPoint]:
    """Points of a single constraint where its gradient vanishes (a cusp): no multiplier exists
    there, yet an extremum can sit there (x on y^2 = x^3 has its minimum at the cusp)."""
    if len(gs) != 1:
        return []
    g = gs[0]
    eqs = [g, *(differentiate(g, v) for v in variables)]
    exact = solve_exact(eqs, variables, seconds, budget=budget)
    if exact is None:
        return []
    out = []
    for s in exact[0]:
        if any(v not in s or s[v].free_symbols for v in variables):
            continue
        p = {v: s[v] for v in variables}
        if (box is not None and not _in_box(p, box)) or any(c.point == p for c in found):
            continue
        nums = {v: float(sp.N(p[v], 17)) for v in variables}
        kind, how = singular.compare_on_constraint(expr, variables, g, p)
        out.append(
            CriticalPoint(
                p,
                nums,
                _value(expr.subs(p), budget=budget),
                kind,
                f"comparing values along the constraint (its gradient is zero here, so no multiplier exists; {how})",
                None,
                (),
                nature="singular",
            )
        )
    return out


def _constrained(
    f: Formula,
    gs: list[sp.Expr],
    box: Box | None,
    solve_seconds: float,
    budget: Budget | None = None,
    clock: _Clock | None = None,
) -> CriticalPoints:
    expr, variables = f.expr, f.variables
    m = len(gs)
    if m >= len(variables):
        raise UsageError(f"{m} constraints leave no freedom in {len(variables)} variables")
    lams = sp.symbols(f"_lambda1:{m + 1}", real=True)
    L = expr - sum((lam * g for lam, g in zip(lams, gs, strict=True)), sp.S.Zero)
    unknowns = (*variables, *lams)
    eqs = [differentiate(L, v) for v in variables] + list(gs)
    search = _search_box(variables, box) + [(-100.0, 100.0)] * m
    clock = clock or _Clock(budget)
    sols, complete, method = find_roots(eqs, unknowns, search, solve_seconds, budget=budget, until=clock.search)
    with _capped(budget, time.monotonic() + 0.2 * clock.search_left()) as local:
        HL = hessian_matrix(L, variables, budget=local)
    Jg = sp.Matrix([[sp.diff(g, v) for v in variables] for g in gs])
    compact = any(_coercive_sign(g, variables) != 0 for g in gs)
    cands: list[CriticalPoint] = []
    for s in sols:
        if any(u not in s or s[u].free_symbols for u in unknowns):
            p = {v: s.get(v, v) for v in variables}
            value = _value(expr.subs(p, simultaneous=True), budget=budget)
            how = "f is constant there" if not value.exact.free_symbols else "not isolated"
            cands.append(
                CriticalPoint(
                    p, None, value, "degenerate", f"a family of Lagrange points ({how})", None, (), family=True
                )
            )
            continue
        p = {v: s[v] for v in variables}
        if box is not None and not _in_box(p, box):
            continue
        if clock.classify_left() <= 0:
            cands.append(_not_classified(p, variables, expr))
            continue
        with _capped(budget, clock.classify) as local:
            cands.append(_lagrange_point(expr, variables, s, p, lams, HL, Jg, m, local))
    seconds = min(solve_seconds / 4, clock.search_left())
    if seconds > 0.05:
        cands += _singular_constraint_points(expr, variables, gs, box, seconds, cands, budget=budget)
    minimum: Extremum | None = None
    maximum: Extremum | None = None
    reason = None
    if compact and cands:
        minimum, maximum = _extremes([(c.point, c.value) for c in cands if not c.value.exact.free_symbols])
        if minimum is not None or maximum is not None:
            reason = "the constraint set is closed and bounded, so f attains its extremes there at Lagrange points"
        fixed = []
        for c in cands:
            from dataclasses import replace

            if c.kind == "inconclusive" and maximum is not None and any(q == c.point for q in maximum.points):
                c = replace(c, kind="local maximum", test="comparison of values on the compact constraint set")
            elif c.kind == "inconclusive" and minimum is not None and any(q == c.point for q in minimum.points):
                c = replace(c, kind="local minimum", test="comparison of values on the compact constraint set")
            fixed.append(c)
        cands = fixed
    cands.sort(key=_order_key(variables))
    cands = _mark_global(cands, minimum, maximum)
    remarks = [] if method == "exact" else ["numeric search for Lagrange points"]
    stopped = None
    if clock.stopped or time.monotonic() > clock.search:
        stopped, complete = "time limit", False
        remarks.append(f"the search stopped at the time limit with {len(cands)} found; the list is incomplete")
    return CriticalPoints(
        expr,
        variables,
        tuple(cands),
        complete,
        method,
        tuple(gs),
        box,
        minimum,
        maximum,
        reason,
        tuple(remarks),
        stopped=stopped,
    )


def _lagrange_point(
    expr: sp.Expr,
    variables: tuple[sp.Symbol, ...],
    s: dict[sp.Symbol, sp.Expr],
    p: Point,
    lams: tuple[sp.Symbol, ...],
    HL: sp.Matrix,
    Jg: sp.Matrix,
    m: int,
    budget: Budget | None,
) -> CriticalPoint:
    """One Lagrange point, by the bordered Hessian test (the Lagrangian's Hessian on the tangent space)."""
    mult = tuple(_value(s[lam], budget=budget) for lam in lams)
    H = HL.subs(s).applyfunc(lambda c: tidy(c, budget))
    J = Jg.subs(p).applyfunc(lambda c: tidy(c, budget))
    basis = J.nullspace()
    kind, test = "inconclusive", "the bordered Hessian test is inconclusive"
    eig: tuple[Value, ...] = ()
    if J.rank() < m:
        kind, test = "inconclusive", "the constraint gradients are dependent here (no Lagrange test applies)"
    elif basis:
        Z = sp.Matrix.hstack(*sp.GramSchmidt(basis, orthonormal=True))
        R = (Z.T * H * Z).applyfunc(lambda c: tidy(c, budget))
        eig, definiteness, _ = eigen_summary(R, budget)
        verdict = {
            "positive definite": "local minimum",
            "negative definite": "local maximum",
            "indefinite": "saddle point",
        }.get(definiteness)
        if verdict:
            kind, test = (
                verdict,
                f"the bordered Hessian test (Lagrangian's Hessian {definiteness} on the tangent space)",
            )
    value = _value(expr.subs(p), budget=budget)
    nums = {v: float(sp.N(p[v], 17)) for v in variables}
    return CriticalPoint(p, nums, value, kind, test, H, eig, multipliers=mult)
