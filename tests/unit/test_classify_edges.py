"""classify at its edges, calling the engine: non-smooth f, no critical points, singular points,
singular points of a constraint, periodic f, the time limit and enormous numbers.

Every expected point and kind is written down here by hand:

* |x|, |x| + |y|, sqrt(x^2 + y^2), max(x, -x), x^(2/3), |x^2 - 1| have their minima where the
  gradient does not exist (a kink, a cone's tip, a cusp); cbrt(x) and |x| - |y| have critical
  points there that are not extrema; |x - y| has a whole line of minima.
* x + y, exp(x) + y^2 + 1 (no: that one has none in x), x^3 + x have no critical points.
* On y^2 = x^3 (a cusp at the origin, the curve is x = |y|^(2/3) >= 0) f = x has its global
  minimum at the cusp, -x a maximum, and y there is no extremum.
* sin(x) cos(y) has critical points at (k1 pi, k2 pi + pi/2) (saddles) and (k1 pi + pi/2, k2 pi)
  (extrema): a lattice, so any list is a sample.

Each reported point is also checked independently: the exact gradient (SymPy, written here)
is zero at stationary points, and f(p) is compared with f at random points nearby for the
kinds decided by comparing values.
"""

from __future__ import annotations

import random
import time

import pytest
import sympy as sp

from calccli.calculus import periodic, singular
from calccli.calculus.critical import classify
from calccli.errors import MathError
from calccli.formula.grammar import equation, formula, with_variables
from calccli.process.budget import Budget

pytestmark = pytest.mark.slow  # solvers: a second or two per case

MIN, MAX, SADDLE = "local minimum", "local maximum", "saddle point"


def run(text: str, subject_to: str | None = None, seconds: float = 20.0):
    f = formula(text)
    cons = []
    if subject_to:
        cons = [equation(subject_to, frozenset(v.name for v in f.variables))]
        f = with_variables(f, *cons)
    return f, classify(f, cons, budget=Budget(seconds))


def by_point(res, f) -> dict[tuple[sp.Expr, ...], object]:
    return {tuple(p.point[v] for v in f.variables): p for p in res.points if not p.family}


def nearby_signs(expr: sp.Expr, variables, p: dict, n: int = 200, r: float = 1e-3) -> set[int]:
    """Signs of f(q) - f(p) at random points q within r of p (independent of classify's own sampling)."""
    rng = random.Random(5)
    f0 = sp.N(expr.subs(p), 30)
    out = set()
    for _ in range(n):
        q = {v: p[v] + sp.Rational(rng.randint(-1000, 1000), 1000) * sp.Float(r, 30) for v in variables}
        d = sp.N(expr.subs(q), 30) - f0
        if d.is_real and abs(d) > 1e-25:
            out.add(1 if d > 0 else -1)
    return out


# ----------------------------------------------------------------- non-smooth f: singular points

NON_SMOOTH = [
    ("abs(x)", {(0,): (MIN, "singular")}),
    ("abs(x) + abs(y)", {(0, 0): (MIN, "singular")}),
    ("sqrt(x^2 + y^2)", {(0, 0): (MIN, "singular")}),
    ("sqrt(x^2)", {(0,): (MIN, "singular")}),
    ("max(x, -x)", {(0,): (MIN, "singular")}),
    ("3 - abs(x - 1)", {(1,): (MAX, "singular")}),
    ("abs(x - 1) + (y - 2)^2", {(1, 2): (MIN, "singular")}),
    ("x^(2/3)", {(0,): (MIN, "singular")}),
    ("(x^2 + y^2)^(1/3)", {(0, 0): (MIN, "singular")}),
    ("cbrt(x)", {(0,): (SADDLE, "singular")}),
    ("abs(x) - abs(y)", {(0, 0): (SADDLE, "singular")}),
    ("abs(x^2 - 1)", {(-1,): (MIN, "singular"), (0,): (MAX, "stationary"), (1,): (MIN, "singular")}),
    ("x abs(x)", {(0,): (SADDLE, "stationary")}),  # C^1: the gradient exists there and is 0
]


@pytest.mark.parametrize(("text", "expected"), NON_SMOOTH, ids=[t for t, _ in NON_SMOOTH])
def test_non_smooth_functions_have_their_kinks_as_critical_points(text, expected):
    f, res = run(text)
    got = by_point(res, f)
    assert set(got) == {tuple(sp.Integer(c) for c in k) for k in expected}, res.points
    for where, (kind, nature) in expected.items():
        p = got[tuple(sp.Integer(c) for c in where)]
        assert (p.kind, p.nature) == (kind, nature), (where, p.kind, p.nature, p.test)
        if p.test.startswith("comparing values"):
            assert "sampled" in p.test
            # independently: random points nearby give f - f(p) of the sign the kind says
            signs = nearby_signs(f.expr, f.variables, p.point)
            assert signs == {MIN: {1}, MAX: {-1}, SADDLE: {-1, 1}}[kind], signs
        else:
            for v in f.variables:
                assert sp.simplify(sp.diff(f.expr, v).subs(p.point)) == 0


def test_a_line_of_kinks_along_which_f_is_constant_is_a_family_of_minima():
    f, res = run("abs(x - y)")
    (p,) = res.points
    x, y = f.variables
    assert p.family and p.nature == "singular" and p.kind == MIN
    assert sp.simplify(p.point[x] - p.point[y]) == 0  # the line x = y
    assert "not strict" in p.test


def test_stationary_points_are_not_confused_with_kinks():
    # |x| + (y - 1)^2 - 2y: the kink x = 0; along it (y - 1)^2 - 2y has its minimum at y = 2.
    f, res = run("abs(x) + (y - 1)^2 - 2y")
    got = by_point(res, f)
    assert list(got) == [(0, 2)]
    assert got[(0, 2)].kind == MIN and got[(0, 2)].nature == "singular"


def test_a_pole_is_not_a_critical_point():
    # 1/x: the gradient's denominator vanishes at 0, but f is not defined there
    f, res = run("1/x")
    assert res.points == ()


@pytest.mark.parametrize("text", ["floor(x)", "ceil(x) + y^2", "sign(x)"])
def test_functions_that_jump_are_a_clear_maths_error(text):
    with pytest.raises(MathError):
        run(text)


# ----------------------------------------------------------------- no critical points


@pytest.mark.parametrize("text", ["x + y", "x^3 + x", "exp(x) + y", "2x - 3y + z"])
def test_no_critical_points_is_an_empty_complete_list(text):
    f, res = run(text)
    assert res.points == ()
    assert res.stopped is None
    assert res.payload()["critical_points"] == []


# ----------------------------------------------------------------- singular points of a constraint


@pytest.mark.parametrize(
    ("text", "kind"),
    [("x", MIN), ("-x", MAX), ("y", SADDLE), ("x + 2", MIN)],
)
def test_the_cusp_of_y2_eq_x3_is_classified_by_values_along_the_curve(text, kind):
    f, res = run(text, "y^2 = x^3")
    got = by_point(res, f)
    cusp = got[(0, 0)]
    assert cusp.nature == "singular" and cusp.kind == kind, cusp.test
    assert "along the constraint" in cusp.test
    # independently: points (t^2, t^3) of the curve; f - f(cusp) has the sign the kind says
    x, y = f.variables
    tt = sp.Symbol("t")
    vals = {
        sp.sign(sp.N((f.expr.subs({x: tt**2, y: tt**3}) - cusp.value.exact).subs(tt, s), 30)) for s in (-0.01, 0.01)
    }
    assert vals == {MIN: {1}, MAX: {-1}, SADDLE: {-1, 1}}[kind]


# ----------------------------------------------------------------- periodic f


def test_a_lattice_of_critical_points_is_shown_as_its_pattern_and_the_list_is_a_sample():
    f, res = run("sin(x) cos(y)")
    x, y = f.variables
    k1, k2 = sp.symbols("k1 k2", integer=True)
    assert set(res.patterns) == {
        sp.Tuple(sp.pi * k1, sp.pi * k2 + sp.pi / 2),
        sp.Tuple(sp.pi * k1 + sp.pi / 2, sp.pi * k2),
    }
    assert not res.complete
    # every pattern point is critical (for a few integers), and every listed point is on a pattern
    grad = [sp.cos(x) * sp.cos(y), -sp.sin(x) * sp.sin(y)]
    for q in res.patterns:
        for a in range(-2, 3):
            for b in range(-2, 3):
                pt = {x: q[0].subs({k1: a, k2: b}), y: q[1].subs({k1: a, k2: b})}
                assert all(g.subs(pt) == 0 for g in grad)
    assert len(res.points) > 20
    for p in res.points:
        xs = [float(p.point[v]) for v in (x, y)]
        assert any(periodic.on_pattern(xs, q, (x, y)) for q in res.patterns), p.point


@pytest.mark.parametrize(
    ("grad", "want"),
    [
        ("cos(x)", ["(pi*k + pi/2,)"]),
        ("sin(x)", ["(pi*k,)"]),
        ("cos(2x)", ["(pi*k/2 + pi/4,)"]),
    ],
)
def test_one_variable_patterns_merge_half_periods(grad, want):
    g = formula(grad)
    got = periodic.patterns([g.expr], g.variables, 10.0)
    assert [str(q) for q in got] == want


def test_a_family_pattern_keeps_its_free_variable_and_numeric_points_on_it_are_not_listed():
    # sin(xy): the gradient (y cos xy, x cos xy) vanishes at the origin and on the hyperbolas
    # x y = pi/2 + k pi; the search must not list hundreds of points on them.
    t0 = time.monotonic()
    f, res = run("sin(x y)")
    assert time.monotonic() - t0 < 20
    x, y = f.variables
    k = sp.Symbol("k", integer=True)
    (q,) = res.patterns
    assert q[1] == y and sp.simplify(q[0] * y - (sp.pi * k + sp.pi / 2)) == 0
    isolated = [p for p in res.points if not p.family]
    assert [(p.point[x], p.point[y], p.kind) for p in isolated] == [(0, 0, SADDLE)]
    assert all(p.family for p in res.points if p is not isolated[0])


# ----------------------------------------------------------------- the time limit


def test_the_search_stops_with_margin_and_keeps_what_it_found():
    # A 3-variable periodic f with many critical points in the search box, and 3 seconds.
    seconds = 3.0
    t0 = time.monotonic()
    f, res = run("sin(x) sin(y) sin(z) + cos(x y z)", seconds=seconds)
    spent = time.monotonic() - t0
    assert spent < seconds, spent  # the child is killed at the limit: the answer must come before
    assert res.stopped == "time limit" and not res.complete
    assert res.payload()["stopped"] == "time limit"
    grad = [sp.diff(f.expr, v) for v in f.variables]
    for p in res.points:  # what is reported is right, classified or honestly not
        if not p.family:
            assert all(abs(complex(sp.N(g.subs(p.point), 20))) < 1e-8 for g in grad)
        if p.test == "not classified before the time limit":
            assert p.kind == "inconclusive"


def test_a_generous_budget_is_not_marked_stopped():
    _, res = run("x^4 + y^4 - 4x y + 1")
    assert res.stopped is None and res.complete


# ----------------------------------------------------------------- enormous and tiny numbers


@pytest.mark.parametrize("scale", [sp.Integer(10) ** 700, sp.Integer(10) ** -300, sp.Integer(10) ** 40])
def test_extremes_on_a_circle_of_enormous_or_tiny_radius(scale):
    # x y on x^2 + y^2 = R: the maximum R/2 at (±sqrt(R/2), ±sqrt(R/2)), the minimum -R/2 at the other two
    f, res = run("x y", f"x^2 + y^2 = {sp.sstr(scale)}".replace("**", "^"))
    assert res.maximum is not None and res.minimum is not None
    assert sp.simplify(res.maximum.value.exact - scale / 2) == 0
    assert sp.simplify(res.minimum.value.exact + scale / 2) == 0
    x, y = f.variables
    assert len(res.maximum.points) == 2 and all(sp.sign(p[x]) == sp.sign(p[y]) for p in res.maximum.points)
    assert len(res.minimum.points) == 2 and all(sp.sign(p[x]) == -sp.sign(p[y]) for p in res.minimum.points)


@pytest.mark.parametrize("constraint", ["x + y = 10^400", "x^2 + 10^400 y^2 = 1", "x y = 1e400", "exp(x) + y = 10^300"])
def test_enormous_constraints_are_answered(constraint):
    _, res = run("x y", constraint)
    res.payload()  # the JSON payload is built without error


# ----------------------------------------------------------------- the helpers, directly


def test_kinks_are_the_arguments_of_sign_and_the_bases_of_negative_powers():
    x, y = sp.symbols("x y", real=True)
    assert singular.kinks(sp.Abs(x - 1) + y**2, (x, y)) == [x - 1]
    assert singular.kinks(sp.sqrt(x**2 + y**2), (x, y)) == [x**2 + y**2]
    assert singular.kinks(x**2 + y**2, (x, y)) == []


def test_on_pattern_reads_the_integer_off_and_refuses_points_between():
    x = sp.Symbol("x", real=True)
    k = sp.Symbol("k", integer=True)
    q = sp.Tuple(sp.pi * k + sp.pi / 2)
    assert periodic.on_pattern([float(5 * sp.pi / 2)], q, (x,))
    assert not periodic.on_pattern([float(sp.pi)], q, (x,))


def test_a_removable_singularity_is_not_a_critical_point():
    # sin(x)/x is 0/0 at 0: Newton creeps up to it, but it is not in the domain.  The critical
    # points near it are the roots of tan x = x (x cos x - sin x = 0), ±4.4934...
    f, res = run("sin(x)/x")
    xs = sorted(float(p.point[f.variables[0]]) for p in res.points)
    assert all(abs(v) > 1 for v in xs), xs
    assert any(abs(v - 4.493409457909064) < 1e-9 for v in xs) and any(abs(v + 4.493409457909064) < 1e-9 for v in xs)
    for v in xs:
        assert abs(v * sp.cos(v) - sp.sin(v)) < 1e-9


def test_a_point_where_f_is_zero_over_zero_is_not_reported():
    f, res = run("x y (x^2 - y^2)/(x^2 + y^2)")
    assert all(any(c != 0 for c in p.point.values()) for p in res.points), res.points
