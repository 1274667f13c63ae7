"""``calccli classify``: critical points, their classification, Lagrange points and global extrema.

Every expected answer is written down here by hand (textbook results) and compared with
calccli's exact strings through ``sympify``; points are compared as sets, never by the
order calccli lists them in.  Independently of the expected lists, every reported point
is substituted into the gradient of a SymPy expression written here (not parsed by
calccli) and must zero it: exactly for exact points, identically for a family, to 1e-9
for a point found numerically.

Seeds (/work/shared/seeds): 000 D2L 18.4 (3x^4 - 4x^3 - 12x^2, the exercise x^2 y + x y^2),
002 lesson page (x^4 + y^4 - 4xy + 1, x^2 + y^2 - 2x - 4y + 5, x^3 - 3xy^2 + y^3).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp

pytestmark = pytest.mark.slow  # searches and solvers: seconds per test

x, y, z = sp.symbols("x y z")  # plain symbols: calccli's strings are read back with these
_LOCALS = {"x": x, "y": y, "z": z}
XY = (x, y)
XYZ = (x, y, z)
R2 = 1 / sp.sqrt(2)

KINDS = {"local minimum", "local maximum", "saddle point", "degenerate", "inconclusive"}
MIN, MAX, SADDLE = "local minimum", "local maximum", "saddle point"


def S(text: str) -> sp.Expr:
    return sp.sympify(text, locals=_LOCALS)


def is_zero(e: sp.Expr) -> bool:
    e = sp.sympify(e)
    return e == 0 or sp.expand(e) == 0 or sp.simplify(e) == 0


def ok(calc, *args: str) -> dict:
    """Run ``calccli classify *args --json``; it must succeed; return ``result``."""
    run = calc("classify", *args, "--json")
    assert run.exit_code == 0, run.stderr
    assert "Traceback" not in run.stderr
    doc = run.json()
    assert doc["schema"] == "calccli.critical_points/1"
    return doc["result"]


def isolated(res: dict, names: tuple[sp.Symbol, ...]) -> list[tuple[tuple[sp.Expr, ...], dict]]:
    out = []
    for p in res["critical_points"]:
        assert p["kind"] in KINDS, p
        if not p["family"]:
            out.append((tuple(S(p["point"][v.name]) for v in names), p))
    return out


def same_point(a: tuple[sp.Expr, ...], b: tuple[object, ...]) -> bool:
    return all(is_zero(ai - sp.sympify(bi)) for ai, bi in zip(a, b, strict=True))


def find(res: dict, names: tuple[sp.Symbol, ...], where: tuple[object, ...]) -> dict:
    hits = [p for q, p in isolated(res, names) if same_point(q, where)]
    assert len(hits) == 1, f"expected exactly one reported point at {where}, got {len(hits)}: {res['critical_points']}"
    return hits[0]


def assert_points(res: dict, names: tuple[sp.Symbol, ...], expected: dict[tuple[object, ...], str]) -> None:
    """The isolated points are exactly ``expected`` (as a set), each with the expected kind."""
    got = isolated(res, names)
    assert len(got) == len(expected), f"got {[q for q, _ in got]}, expected {list(expected)}"
    for where, kind in expected.items():
        p = find(res, names, where)
        assert p["kind"] == kind, f"{where}: {p['kind']} ({p['test']}), expected {kind}"
        assert p["numeric"] is not None
        for v, c in zip(names, where, strict=True):
            assert p["numeric"][v.name] == pytest.approx(float(sp.sympify(c)), abs=1e-12)


def assert_gradient_zero(res: dict, f: sp.Expr, names: tuple[sp.Symbol, ...]) -> None:
    """Every reported point (or family) zeroes the gradient of ``f``."""
    grad = [sp.diff(f, v) for v in names]
    for p in res["critical_points"]:
        at = {v: S(p["point"][v.name]) for v in names}
        for g in grad:
            val = g.subs(at, simultaneous=True)
            if any(c.has(sp.Float) for c in at.values()):
                assert abs(complex(sp.N(val, 30))) < 1e-9, (p["point"], g)
            else:
                assert is_zero(val), f"gradient component {g} is {val} at {p['point']}"


def assert_values(res: dict, f: sp.Expr, names: tuple[sp.Symbol, ...]) -> None:
    """``value`` is f at the point, ``value_numeric`` its float."""
    for p in res["critical_points"]:
        at = {v: S(p["point"][v.name]) for v in names}
        assert is_zero(S(p["value"]) - f.subs(at, simultaneous=True)), p
        if not p["family"]:
            assert p["value_numeric"] == pytest.approx(float(sp.N(f.subs(at))), rel=1e-12, abs=1e-12)


def assert_lagrange(res: dict, f: sp.Expr, gs: list[sp.Expr], names: tuple[sp.Symbol, ...]) -> None:
    """Every reported point satisfies the constraints and grad f = sum lambda_i grad g_i."""
    for p in res["critical_points"]:
        at = {v: S(p["point"][v.name]) for v in names}
        mult = p["multipliers"]
        lams = [S(mult["lambda"])] if len(gs) == 1 else [S(mult[f"lambda{i + 1}"]) for i in range(len(gs))]
        for g in gs:
            assert is_zero(g.subs(at)), (p["point"], g)
        for v in names:
            assert is_zero((sp.diff(f, v) - sum(lam * sp.diff(g, v) for lam, g in zip(lams, gs, strict=True))).subs(at))


def check(
    res: dict,
    f: sp.Expr,
    names: tuple[sp.Symbol, ...],
    expected: dict[tuple[object, ...], str],
    constraints: list[sp.Expr] | None = None,
) -> None:
    assert res["variables"] == [v.name for v in names]
    assert_points(res, names, expected)
    if constraints:
        assert_lagrange(res, f, constraints, names)
    else:
        assert_gradient_zero(res, f, names)
    assert_values(res, f, names)


def global_points(ext: dict, names: tuple[sp.Symbol, ...]) -> list[tuple[sp.Expr, ...]]:
    return [tuple(S(q[v.name]) for v in names) for q in ext["points"]]


def assert_global(res: dict, which: str, value: object, names: tuple[sp.Symbol, ...], where: list[tuple]) -> None:
    ext = res["global"][which]
    assert ext is not None, f"no global {which} reported"
    assert is_zero(S(ext["value"]) - sp.sympify(value)), ext
    assert ext["value_numeric"] == pytest.approx(float(sp.N(value)), rel=1e-12, abs=1e-12)
    got = global_points(ext, names)
    assert len(got) == len(where), got
    for w in where:
        assert any(same_point(g, w) for g in got), (w, got)
    assert res["global"]["reason"]


def hessian_of(f: sp.Expr, names: tuple[sp.Symbol, ...], at: tuple[object, ...]) -> sp.Matrix:
    return sp.hessian(f, names).subs(dict(zip(names, at, strict=True)))


def assert_matrix(got: list[list[str]], expected: sp.Matrix) -> None:
    assert (len(got), len(got[0])) == expected.shape
    for i, row in enumerate(got):
        for j, cell in enumerate(row):
            assert is_zero(S(cell) - expected[i, j]), (i, j, cell, expected[i, j])


def assert_eigenvalues(p: dict, expected: list[object]) -> None:
    got = sorted(float(sp.N(S(e))) for e in p["eigenvalues"])
    assert got == pytest.approx(sorted(float(sp.N(e)) for e in expected), abs=1e-12)


# ============================================================ seeds


def test_d2l_quartic_critical_points_values_and_global_minimum(calc):
    # D2L 18.4: critical points of 3x^4 - 4x^3 - 12x^2 are x = -1, 0, 2 with values -5, 0, -32;
    # the global minimum is at x = 2.
    f = 3 * x**4 - 4 * x**3 - 12 * x**2
    res = ok(calc, "3x^4 - 4x^3 - 12x^2")
    check(res, f, (x,), {(-1,): MIN, (0,): MAX, (2,): MIN})
    assert res["complete"] is True
    for where, value in (((-1,), -5), ((0,), 0), ((2,), -32)):
        p = find(res, (x,), where)
        assert is_zero(S(p["value"]) - value)
        assert p["value_numeric"] == value
    assert_global(res, "minimum", -32, (x,), [(2,)])
    assert res["global"]["maximum"] is None  # a quartic with positive leading term has no maximum
    assert find(res, (x,), (2,))["global"] == "minimum"
    assert find(res, (x,), (-1,))["global"] is None  # a local minimum that is not the global one


def test_d2l_exercise_x2y_plus_xy2_only_origin_and_it_is_a_saddle(calc):
    # D2L exercise: the only critical point is (0,0); f(x, x) = 2x^3 changes sign, so neither max nor min.
    f = x**2 * y + x * y**2
    res = ok(calc, "x^2 y + x y^2")
    check(res, f, XY, {(0, 0): SADDLE})
    assert res["complete"] is True
    p = find(res, XY, (0, 0))
    assert_matrix(p["hessian"], sp.zeros(2, 2))
    assert "higher-order" in p["test"]


def test_lesson_x4_y4_minus_4xy_saddle_and_two_minima(calc):
    f = x**4 + y**4 - 4 * x * y + 1
    res = ok(calc, "x^4 + y^4 - 4xy + 1")
    check(res, f, XY, {(0, 0): SADDLE, (1, 1): MIN, (-1, -1): MIN})
    assert res["complete"] is True and res["method"] == "exact"
    p = find(res, XY, (1, 1))
    assert_matrix(p["hessian"], sp.Matrix([[12, -4], [-4, 12]]))
    assert is_zero(S(p["value"]) + 1)
    assert_eigenvalues(p, [8, 16])
    assert is_zero(S(p["determinant_test"]["fxx"]) - 12)
    assert is_zero(S(p["determinant_test"]["det"]) - 128)
    q = find(res, XY, (0, 0))
    assert_matrix(q["hessian"], sp.Matrix([[0, -4], [-4, 0]]))
    assert is_zero(S(q["determinant_test"]["det"]) + 16)  # det < 0: saddle
    assert "determinant test" in q["test"]
    # x^4 + y^4 dominates: f -> +oo, so the minima (both, value -1) are global.
    assert_global(res, "minimum", -1, XY, [(1, 1), (-1, -1)])
    assert res["global"]["maximum"] is None
    assert q["global"] is None


def test_lesson_shifted_paraboloid_minimum_at_1_2_eigenvalues_2_2(calc):
    f = x**2 + y**2 - 2 * x - 4 * y + 5
    res = ok(calc, "x^2 + y^2 - 2x - 4y + 5")
    check(res, f, XY, {(1, 2): MIN})
    p = find(res, XY, (1, 2))
    assert_eigenvalues(p, [2, 2])
    assert is_zero(S(p["value"]))
    assert_global(res, "minimum", 0, XY, [(1, 2)])


def test_lesson_monkey_saddle_with_zero_hessian_is_a_saddle(calc):
    # Lesson page problem 2: only (0,0); the Hessian is zero; higher-order analysis: saddle.
    f = x**3 - 3 * x * y**2 + y**3
    res = ok(calc, "x^3 - 3xy^2 + y^3")
    check(res, f, XY, {(0, 0): SADDLE})
    assert res["complete"] is True
    p = find(res, XY, (0, 0))
    assert_matrix(p["hessian"], sp.zeros(2, 2))
    assert_eigenvalues(p, [0, 0])
    assert "higher-order" in p["test"]


# ============================================================ textbook functions, second-derivative test

TEXTBOOK = [
    # (calccli formula, SymPy expression, variables, {point: kind})
    ("x^2 - y^2", x**2 - y**2, XY, {(0, 0): SADDLE}),
    ("x y", x * y, XY, {(0, 0): SADDLE}),
    ("x^2 + 3y^2", x**2 + 3 * y**2, XY, {(0, 0): MIN}),
    ("-x^2 - y^2 + 4", -(x**2) - y**2 + 4, XY, {(0, 0): MAX}),
    ("x^3 - 12x + y^2", x**3 - 12 * x + y**2, XY, {(2, 0): MIN, (-2, 0): SADDLE}),
    ("x^3 + y^3 - 3xy", x**3 + y**3 - 3 * x * y, XY, {(0, 0): SADDLE, (1, 1): MIN}),
    (
        "xy(1 - x - y)",
        x * y * (1 - x - y),
        XY,
        {(0, 0): SADDLE, (1, 0): SADDLE, (0, 1): SADDLE, (sp.Rational(1, 3), sp.Rational(1, 3)): MAX},
    ),
    ("x exp(-x^2-y^2)", x * sp.exp(-(x**2) - y**2), XY, {(-R2, 0): MIN, (R2, 0): MAX}),
    # Stewart: f = 2x^3 + 6xy^2 - 3y^3 - 150x
    (
        "2x^3 + 6x y^2 - 3y^3 - 150x",
        2 * x**3 + 6 * x * y**2 - 3 * y**3 - 150 * x,
        XY,
        {(5, 0): MIN, (-5, 0): MAX, (3, 4): SADDLE, (-3, -4): SADDLE},
    ),
    ("x^2 + xy + y^2 - 3x", x**2 + x * y + y**2 - 3 * x, XY, {(2, -1): MIN}),
    (
        "x^4 + y^4 + z^4 - 4xyz",
        x**4 + y**4 + z**4 - 4 * x * y * z,
        XYZ,
        {(0, 0, 0): SADDLE, (1, 1, 1): MIN, (1, -1, -1): MIN, (-1, 1, -1): MIN, (-1, -1, 1): MIN},
    ),
    # one variable: cubics and quartics
    ("x^3 - 3x", x**3 - 3 * x, (x,), {(-1,): MAX, (1,): MIN}),
    ("x^3 - 6x^2 + 9x + 1", x**3 - 6 * x**2 + 9 * x + 1, (x,), {(1,): MAX, (3,): MIN}),
    ("x^4 - 2x^2", x**4 - 2 * x**2, (x,), {(-1,): MIN, (0,): MAX, (1,): MIN}),
    ("x^4 - 8x^2 + 3", x**4 - 8 * x**2 + 3, (x,), {(-2,): MIN, (0,): MAX, (2,): MIN}),
]


@pytest.mark.parametrize(("text", "f", "names", "expected"), TEXTBOOK, ids=[t[0] for t in TEXTBOOK])
def test_textbook_critical_points_and_kinds(calc, text, f, names, expected):
    res = ok(calc, text)
    check(res, f, names, expected)
    assert res["complete"] is True
    for where in expected:
        p = find(res, names, where)
        H = hessian_of(f, names, where)
        assert_matrix(p["hessian"], H)
        ev = [float(sp.N(e)) for e, m in H.eigenvals().items() for _ in range(m)]
        assert_eigenvalues(p, ev)
        if len(names) == 2:
            assert is_zero(S(p["determinant_test"]["fxx"]) - H[0, 0])
            assert is_zero(S(p["determinant_test"]["det"]) - H.det())
        else:
            assert "determinant_test" not in p


def test_xy_1_minus_x_minus_y_maximum_value_is_1_27(calc):
    res = ok(calc, "xy(1 - x - y)")
    p = find(res, XY, (sp.Rational(1, 3), sp.Rational(1, 3)))
    assert is_zero(S(p["value"]) - sp.Rational(1, 27))
    assert p["global"] is None  # f is unbounded (a cubic): not a global maximum
    assert res["global"]["maximum"] is None and res["global"]["minimum"] is None


def test_gaussian_bump_extreme_values(calc):
    res = ok(calc, "x exp(-x^2-y^2)")
    peak = 1 / sp.sqrt(2 * sp.E)  # (1/sqrt2) e^(-1/2)
    assert is_zero(S(find(res, XY, (R2, 0))["value"]) - peak)
    assert is_zero(S(find(res, XY, (-R2, 0))["value"]) + peak)


def test_three_variable_quadratic_form(calc):
    f = x**2 + y**2 + z**2 - x * y - y * z
    res = ok(calc, "x^2 + y^2 + z^2 - xy - yz")
    check(res, f, XYZ, {(0, 0, 0): MIN})
    p = find(res, XYZ, (0, 0, 0))
    assert_eigenvalues(p, [2 - sp.sqrt(2), 2, 2 + sp.sqrt(2)])
    assert_global(res, "minimum", 0, XYZ, [(0, 0, 0)])


def test_three_variable_quadratic_with_linear_terms(calc):
    # grad = (2x - 2, 4y, 6z + 4) = 0 at (1, 0, -2/3); f there = -1 - 4/3 = -7/3
    f = x**2 + 2 * y**2 + 3 * z**2 - 2 * x + 4 * z
    res = ok(calc, "x^2 + 2y^2 + 3z^2 - 2x + 4z")
    check(res, f, XYZ, {(1, 0, sp.Rational(-2, 3)): MIN})
    assert_eigenvalues(find(res, XYZ, (1, 0, sp.Rational(-2, 3))), [2, 4, 6])
    assert_global(res, "minimum", sp.Rational(-7, 3), XYZ, [(1, 0, sp.Rational(-2, 3))])


def test_wrt_fixes_the_variable_order(calc):
    res = ok(calc, "x^3 - 12x + y^2", "--wrt", "y,x")
    assert res["variables"] == ["y", "x"]
    check(res, x**3 - 12 * x + y**2, (y, x), {(0, 2): MIN, (0, -2): SADDLE})
    p = find(res, (y, x), (0, 2))
    assert_matrix(p["hessian"], sp.Matrix([[2, 0], [0, 12]]))  # rows and columns in --wrt order


# ============================================================ degenerate Hessians: higher-order test

DEGENERATE = [
    ("x^4 + y^4", x**4 + y**4, XY, MIN),
    ("-(x^4) - y^2", -(x**4) - y**2, XY, MAX),
    ("x^4 - y^4", x**4 - y**4, XY, SADDLE),
    ("x^2 + y^4", x**2 + y**4, XY, MIN),
    ("x^2 + y^3", x**2 + y**3, XY, SADDLE),
    ("x^2 - y^4", x**2 - y**4, XY, SADDLE),
    ("x^3 + y^3", x**3 + y**3, XY, SADDLE),
    ("x^6 + y^6 - x^3 y^3", x**6 + y**6 - x**3 * y**3, XY, MIN),
    ("x^4 + y^4 + z^4", x**4 + y**4 + z**4, XYZ, MIN),
    ("x^4", x**4, (x,), MIN),
    ("-x^4", -(x**4), (x,), MAX),
]


@pytest.mark.parametrize(("text", "f", "names", "kind"), DEGENERATE, ids=[d[0] for d in DEGENERATE])
def test_singular_hessian_decided_by_higher_order_terms(calc, text, f, names, kind):
    res = ok(calc, text)
    origin = (0,) * len(names)
    check(res, f, names, {origin: kind})
    p = find(res, names, origin)
    H = hessian_of(f, names, origin)
    assert H.det() == 0  # the second-derivative test cannot decide
    assert_matrix(p["hessian"], H)
    assert "higher-order" in p["test"]


def test_peano_surface_is_a_saddle_although_a_minimum_along_every_line(calc):
    # f = (y - x^2)(y - 2x^2): restricted to any line through 0 it has a strict minimum, yet
    # f < 0 between the parabolas y = x^2 and y = 2x^2.  Lines alone would call it a minimum.
    f = (y - x**2) * (y - 2 * x**2)
    assert f.subs({x: 1, y: sp.Rational(3, 2)}) < 0
    res = ok(calc, "(y - x^2)(y - 2x^2)")
    check(res, f, XY, {(0, 0): SADDLE})


def test_one_variable_inflection_is_not_an_extremum(calc):
    res = ok(calc, "x^3")
    assert_gradient_zero(res, x**3, (x,))
    p = find(res, (x,), (0,))
    assert p["kind"] not in (MIN, MAX, "inconclusive")


def test_quartic_with_inflection_and_global_minimum(calc):
    # f' = 4x^2 (x - 3): x = 0 is a flat inflection, x = 3 the global minimum, f(3) = -27.
    f = x**4 - 4 * x**3
    res = ok(calc, "x^4 - 4x^3")
    assert_gradient_zero(res, f, (x,))
    assert len(isolated(res, (x,))) == 2
    assert find(res, (x,), (0,))["kind"] not in (MIN, MAX)
    assert find(res, (x,), (3,))["kind"] == MIN
    assert_global(res, "minimum", -27, (x,), [(3,)])


# ============================================================ families and infinitely many points


def test_x2y2_has_two_lines_of_critical_points(calc):
    f = x**2 * y**2
    res = ok(calc, "x^2 y^2")
    assert_gradient_zero(res, f, XY)
    assert_values(res, f, XY)
    fams = [p for p in res["critical_points"] if p["family"]]
    assert len(fams) == 2 and len(res["critical_points"]) == 2
    lines = set()
    for p in fams:
        assert p["numeric"] is None
        assert is_zero(S(p["value"]))
        px, py = S(p["point"]["x"]), S(p["point"]["y"])
        lines.add((px, py))
        assert p["kind"] in (MIN, "degenerate")  # f >= 0 = f on the lines: a (non-strict) minimum
    assert lines == {(x, sp.S.Zero), (sp.S.Zero, y)}  # the x-axis and the y-axis


def test_family_along_a_line_in_three_variables(calc):
    # (x + z)^2 + y^2: minimum 0 along the line x = -z, y = 0.
    f = x**2 + y**2 + z**2 + 2 * x * z
    res = ok(calc, "x^2 + y^2 + z^2 + 2xz")
    assert_gradient_zero(res, f, XYZ)
    assert [p["family"] for p in res["critical_points"]] == [True]
    p = res["critical_points"][0]
    assert is_zero(S(p["value"]))
    at = {v: S(p["point"][v.name]) for v in XYZ}
    assert is_zero(at[x] + at[z]) and is_zero(at[y])
    assert p["kind"] in (MIN, "degenerate")


def test_sin_x_sin_y_infinitely_many_points_list_is_not_complete(calc):
    f = sp.sin(x) * sp.sin(y)
    res = ok(calc, "sin(x) sin(y)")
    assert res["complete"] is False
    assert "numeric" in res["method"]
    assert_gradient_zero(res, f, XY)
    assert_values(res, f, XY)
    h = sp.pi / 2
    # the lattice near the origin: saddles at (k pi, m pi), extrema at (pi/2 + k pi, pi/2 + m pi)
    expected = {
        (0, 0): SADDLE,
        (sp.pi, 0): SADDLE,
        (0, -sp.pi): SADDLE,
        (h, h): MAX,
        (-h, -h): MAX,
        (h, -h): MIN,
        (-h, h): MIN,
        (3 * h, h): MIN,
    }
    for where, kind in expected.items():
        assert find(res, XY, where)["kind"] == kind
    for q, _ in isolated(res, XY):
        on_lattice = all(is_zero(sp.sin(c)) for c in q) or all(is_zero(sp.cos(c)) for c in q)
        assert on_lattice, q
        assert abs(float(q[0])) <= 10 + 1e-9 and abs(float(q[1])) <= 10 + 1e-9  # the search box


def test_exp_x_cos_y_has_no_critical_points(calc):
    # grad = e^x (cos y, -sin y) never vanishes.
    res = ok(calc, "e^x cos(y)")
    assert res["critical_points"] == []
    assert res["global"]["minimum"] is None and res["global"]["maximum"] is None


def test_no_critical_points_of_a_plane_like_function(calc):
    res = ok(calc, "x^2 - 3y")  # f_y = -3
    assert res["critical_points"] == []
    assert res["complete"] is True


# ============================================================ global extrema without a box


def test_coercive_polynomials_get_their_global_minimum(calc):
    res = ok(calc, "x^4 - 2x^2")
    assert_global(res, "minimum", -1, (x,), [(-1,), (1,)])
    assert find(res, (x,), (0,))["global"] is None
    res = ok(calc, "x^4 + y^4 + z^4 - 4xyz")
    assert_global(res, "minimum", -1, XYZ, [(1, 1, 1), (1, -1, -1), (-1, 1, -1), (-1, -1, 1)])
    res = ok(calc, "x^2 + xy + y^2 - 3x")
    assert_global(res, "minimum", -3, XY, [(2, -1)])
    assert find(res, XY, (2, -1))["global"] == "minimum"


def test_concave_quadratic_gets_its_global_maximum(calc):
    res = ok(calc, "-x^2 - y^2 + 4")
    assert_global(res, "maximum", 4, XY, [(0, 0)])
    assert res["global"]["minimum"] is None
    assert find(res, XY, (0, 0))["global"] == "maximum"


@pytest.mark.parametrize("text", ["x^3 - 12x + y^2", "x^3 + y^3 - 3xy", "x^2 - y^2", "x^3 - 3x"])
def test_unbounded_functions_claim_no_global_extremum(calc, text):
    # each is unbounded above and below, so a local extremum must not be called global
    res = ok(calc, text)
    assert res["global"]["minimum"] is None and res["global"]["maximum"] is None
    assert all(p["global"] is None for p in res["critical_points"])


def test_mexican_hat_circle_of_minima(calc):
    f = (x**2 + y**2) ** 2 - 2 * (x**2 + y**2)
    res = ok(calc, "(x^2 + y^2)^2 - 2(x^2 + y^2)")
    assert_gradient_zero(res, f, XY)
    assert find(res, XY, (0, 0))["kind"] == MAX
    assert find(res, XY, (0, 0))["global"] != "minimum"
    assert res["global"]["minimum"] is None or is_zero(S(res["global"]["minimum"]["value"]) + 1)
    # the unit circle is a curve of critical points (global minima, f = -1)
    assert any(p["family"] for p in res["critical_points"]) or res["complete"] is False


def _newton(grad: list[sp.Expr], names: tuple[sp.Symbol, ...], start: list[float]) -> np.ndarray:
    F = sp.lambdify(names, grad, "numpy")
    J = sp.lambdify(names, [[sp.diff(g, v) for v in names] for g in grad], "numpy")
    q = np.array(start, dtype=float)
    for _ in range(100):
        q = q - np.linalg.solve(np.array(J(*q), dtype=float), np.array(F(*q), dtype=float))
    assert np.linalg.norm(np.array(F(*q), dtype=float)) < 1e-12
    return q


def test_critical_point_not_expressible_in_radicals_is_found(calc):
    f = x**4 - 3 * x * y**2 - x * y + 3 * x * y**3 + 2 * y
    q = _newton([sp.diff(f, v) for v in XY], XY, [-0.3, 1.3])
    res = ok(calc, "x^4 - 3x y^2 - x y + 3x y^3 + 2y")
    assert_gradient_zero(res, f, XY)
    assert any(
        p["numeric"] is not None and math.hypot(p["numeric"]["x"] - q[0], p["numeric"]["y"] - q[1]) < 1e-8
        for p in res["critical_points"]
    ), res["critical_points"]


def test_quintic_elimination_critical_point_is_found(calc):
    f = 3 * y - x**2 * y**2 - x**3 - x**2
    q = _newton([sp.diff(f, v) for v in XY], XY, [-1.26, 0.94])
    res = ok(calc, "3y - x^2 y^2 - x^3 - x^2")
    assert res["critical_points"], "no critical point reported"
    assert any(
        math.hypot(p["numeric"]["x"] - q[0], p["numeric"]["y"] - q[1]) < 1e-8
        for p in res["critical_points"]
        if p["numeric"] is not None
    )


# ============================================================ constraints (Lagrange multipliers)


def test_xy_on_the_unit_circle(calc):
    f = x * y
    res = ok(calc, "xy", "--subject-to", "x^2 + y^2 = 1")
    assert res["constraints"] == ["x**2 + y**2 - 1 = 0"]
    check(res, f, XY, {(R2, R2): MAX, (-R2, -R2): MAX, (R2, -R2): MIN, (-R2, R2): MIN}, [x**2 + y**2 - 1])
    for where, lam in (
        ((R2, R2), sp.Rational(1, 2)),
        ((-R2, -R2), sp.Rational(1, 2)),
        ((R2, -R2), sp.Rational(-1, 2)),
        ((-R2, R2), sp.Rational(-1, 2)),
    ):
        p = find(res, XY, where)
        assert is_zero(S(p["multipliers"]["lambda"]) - lam)
        assert is_zero(S(p["value"]) - lam)  # here f = lambda at each point
        assert "determinant_test" not in p
    assert_global(res, "maximum", sp.Rational(1, 2), XY, [(R2, R2), (-R2, -R2)])
    assert_global(res, "minimum", sp.Rational(-1, 2), XY, [(R2, -R2), (-R2, R2)])


def test_x_plus_y_on_the_unit_circle(calc):
    f = x + y
    res = ok(calc, "x + y", "--subject-to", "x^2 + y^2 = 1")
    check(res, f, XY, {(R2, R2): MAX, (-R2, -R2): MIN}, [x**2 + y**2 - 1])
    assert is_zero(S(find(res, XY, (R2, R2))["multipliers"]["lambda"]) - R2)
    assert is_zero(S(find(res, XY, (-R2, -R2))["multipliers"]["lambda"]) + R2)
    assert_global(res, "maximum", sp.sqrt(2), XY, [(R2, R2)])
    assert_global(res, "minimum", -sp.sqrt(2), XY, [(-R2, -R2)])


def test_distance_to_a_line(calc):
    f = x**2 + y**2
    res = ok(calc, "x^2 + y^2", "--subject-to", "x + y = 1")
    half = sp.Rational(1, 2)
    check(res, f, XY, {(half, half): MIN}, [x + y - 1])
    p = find(res, XY, (half, half))
    assert is_zero(S(p["value"]) - half)
    assert is_zero(S(p["multipliers"]["lambda"]) - 1)
    assert res["global"]["maximum"] is None  # the line is unbounded: no maximum


def test_xyz_on_the_plane_x_plus_y_plus_z_3(calc):
    f = x * y * z
    res = ok(calc, "xyz", "--subject-to", "x + y + z = 3")
    check(res, f, XYZ, {(1, 1, 1): MAX, (3, 0, 0): SADDLE, (0, 3, 0): SADDLE, (0, 0, 3): SADDLE}, [x + y + z - 3])
    p = find(res, XYZ, (1, 1, 1))
    assert is_zero(S(p["value"]) - 1)
    assert is_zero(S(p["multipliers"]["lambda"]) - 1)


def test_two_constraints(calc):
    f = x**2 + y**2 + z**2
    res = ok(calc, "x^2 + y^2 + z^2", "--subject-to", "x + y + z = 1", "--subject-to", "x - y = 0")
    third = sp.Rational(1, 3)
    check(res, f, XYZ, {(third, third, third): MIN}, [x + y + z - 1, x - y])
    p = find(res, XYZ, (third, third, third))
    assert is_zero(S(p["multipliers"]["lambda1"]) - 2 * third)
    assert is_zero(S(p["multipliers"]["lambda2"]))


def test_linear_function_on_a_sphere_with_wrt(calc):
    # 2x + y on x^2 + y^2 + z^2 = 1: extremes +-sqrt(5) at +-(2, 1, 0)/sqrt(5) (Cauchy-Schwarz)
    f = 2 * x + y
    res = ok(calc, "2x + y", "--subject-to", "x^2 + y^2 + z^2 = 1", "--wrt", "x,y,z")
    r5 = sp.sqrt(5)
    check(res, f, XYZ, {(2 / r5, 1 / r5, 0): MAX, (-2 / r5, -1 / r5, 0): MIN}, [x**2 + y**2 + z**2 - 1])
    assert_global(res, "maximum", r5, XYZ, [(2 / r5, 1 / r5, 0)])
    assert_global(res, "minimum", -r5, XYZ, [(-2 / r5, -1 / r5, 0)])


_CONSTRAINT_VARIABLES = (
    "calccli bug: without --wrt the variables come from f alone, so a variable that occurs "
    "only in a --subject-to constraint is treated as a constant parameter"
)


def test_x_on_the_unit_circle_without_wrt(calc):
    res = ok(calc, "x", "--subject-to", "x^2 + y^2 = 1")
    check(res, x, XY, {(1, 0): MAX, (-1, 0): MIN}, [x**2 + y**2 - 1])


def test_linear_function_on_a_sphere_without_wrt(calc):
    res = ok(calc, "2x + y", "--subject-to", "x^2 + y^2 + z^2 = 1")
    assert res["variables"] == ["x", "y", "z"]
    assert len(res["critical_points"]) == 2


def test_function_constant_on_the_constraint(calc):
    res = ok(calc, "x^2 + y^2", "--subject-to", "x^2 + y^2 = 1")
    assert res["critical_points"] or res["complete"] is False


def _tangent_eigenvalues(f: sp.Expr, g: sp.Expr, names: tuple[sp.Symbol, ...], at: tuple, lam: object) -> list[float]:
    """Eigenvalues of the Lagrangian's Hessian restricted to the tangent space (orthonormal basis)."""
    sub = dict(zip(names, at, strict=True))
    H = sp.hessian(f - lam * g, names).subs(sub)
    n = sp.Matrix([[sp.diff(g, v) for v in names]]).subs(sub)
    basis = sp.GramSchmidt(n.nullspace(), orthonormal=True)
    Z = sp.Matrix.hstack(*basis)
    return sorted(float(sp.N(e)) for e in (Z.T * H * Z).eigenvals(multiple=True))


def test_constrained_eigenvalues_are_those_of_the_hessian_on_the_tangent_space(calc):
    res = ok(calc, "xyz", "--subject-to", "x + y + z = 3")
    for where in ((3, 0, 0), (0, 3, 0), (0, 0, 3), (1, 1, 1)):
        p = find(res, XYZ, where)
        expected = _tangent_eigenvalues(x * y * z, x + y + z - 3, XYZ, where, S(p["multipliers"]["lambda"]))
        assert_eigenvalues(p, expected)
    res = ok(calc, "xy", "--subject-to", "x^2 + y^2 = 1")
    p = find(res, XY, (R2, R2))
    assert_eigenvalues(p, _tangent_eigenvalues(x * y, x**2 + y**2 - 1, XY, (R2, R2), sp.Rational(1, 2)))


def test_constrained_kinds_have_the_right_tangent_space_signs(calc):
    # Whatever scaling, the signs are meaningful: max -> all negative, min -> all positive, saddle -> mixed.
    res = ok(calc, "xyz", "--subject-to", "x + y + z = 3")
    for _, p in isolated(res, XYZ):
        ev = [float(sp.N(S(e))) for e in p["eigenvalues"]]
        assert len(ev) == 2
        if p["kind"] == MAX:
            assert all(e < 0 for e in ev)
        elif p["kind"] == MIN:
            assert all(e > 0 for e in ev)
        else:
            assert min(ev) < 0 < max(ev)


# ============================================================ a box: global extrema with the boundary


def _grid_extremes(f: sp.Expr, names: tuple[sp.Symbol, ...], box: list[tuple[float, float]], n: int = 81):
    F = sp.lambdify(names, f, "numpy")
    axes = [np.linspace(a, b, n) for a, b in box]
    vals = np.asarray(F(*np.meshgrid(*axes, indexing="ij")), dtype=float)
    return float(vals.min()), float(vals.max())


def test_saddle_on_the_square_extremes_on_the_boundary(calc):
    f = x**2 - y**2
    res = ok(calc, "x^2 - y^2", "--in", "x=-1..1,y=-1..1")
    assert res["region"] == {"x": ["-1", "1"], "y": ["-1", "1"]}
    check(res, f, XY, {(0, 0): SADDLE})
    assert_global(res, "maximum", 1, XY, [(1, 0), (-1, 0)])
    assert_global(res, "minimum", -1, XY, [(0, 1), (0, -1)])
    lo, hi = _grid_extremes(f, XY, [(-1, 1), (-1, 1)])
    assert (lo, hi) == (pytest.approx(-1), pytest.approx(1))
    assert find(res, XY, (0, 0))["global"] is None


def test_box_without_interior_critical_points(calc):
    res = ok(calc, "x^2 + y^2", "--in", "x=1..2,y=1..2")
    assert res["critical_points"] == []
    assert_global(res, "minimum", 2, XY, [(1, 1)])
    assert_global(res, "maximum", 8, XY, [(2, 2)])


def test_box_excludes_critical_points_outside_it(calc):
    # x^3 - 3x on [0, 3]: x = -1 lies outside; min -2 at x = 1, max 18 at the end x = 3.
    res = ok(calc, "x^3 - 3x", "--in", "x=0..3")
    check(res, x**3 - 3 * x, (x,), {(1,): MIN})
    assert_global(res, "minimum", -2, (x,), [(1,)])
    assert_global(res, "maximum", 18, (x,), [(3,)])
    assert find(res, (x,), (1,))["global"] == "minimum"


def test_box_with_corner_extremes(calc):
    f = x * y
    res = ok(calc, "x y", "--in", "x=-1..2,y=0..3")
    assert_global(res, "minimum", -3, XY, [(-1, 3)])
    assert_global(res, "maximum", 6, XY, [(2, 3)])
    lo, hi = _grid_extremes(f, XY, [(-1, 2), (0, 3)])
    assert (lo, hi) == (pytest.approx(-3), pytest.approx(6))


def test_box_with_critical_point_on_the_edge(calc):
    # x^2 + y^2 - 2x on [-1,1]^2: the minimum (1, 0) lies on the edge x = 1; max 4 at (-1, ±1).
    f = x**2 + y**2 - 2 * x
    res = ok(calc, "x^2 + y^2 - 2x", "--in", "x=-1..1,y=-1..1")
    assert_global(res, "minimum", -1, XY, [(1, 0)])
    assert_global(res, "maximum", 4, XY, [(-1, 1), (-1, -1)])
    lo, hi = _grid_extremes(f, XY, [(-1, 1), (-1, 1)])
    assert (lo, hi) == (pytest.approx(-1), pytest.approx(4))


def test_trigonometric_box(calc):
    f = sp.sin(x) + sp.cos(y)
    res = ok(calc, "sin(x) + cos(y)", "--in", "x=0..pi,y=0..2pi")
    assert res["region"]["y"] == ["0", "2*pi"]
    assert_gradient_zero(res, f, XY)
    h = sp.pi / 2
    assert find(res, XY, (h, sp.pi))["kind"] == SADDLE
    assert_global(res, "maximum", 2, XY, [(h, 0), (h, 2 * sp.pi)])
    assert_global(res, "minimum", -1, XY, [(0, sp.pi), (sp.pi, sp.pi)])
    for q, _ in isolated(res, XY):
        assert 0 <= float(q[0]) <= math.pi + 1e-12 and 0 <= float(q[1]) <= 2 * math.pi + 1e-12
    lo, hi = _grid_extremes(f, XY, [(0, math.pi), (0, 2 * math.pi)])
    assert lo >= -1 - 1e-12 and hi <= 2 + 1e-12


# ============================================================ errors


def _fails(calc, code: int, *args: str) -> dict:
    run = calc("classify", *args, "--json")
    assert run.exit_code == code, (run.exit_code, run.stdout, run.stderr)
    assert "Traceback" not in run.stderr
    err = run.json()["error"]
    assert err["code"] == code
    assert run.stderr.strip()
    return err


def test_vector_formula_is_a_usage_error(calc):
    err = _fails(calc, 2, "[x, y]")
    assert "scalar" in err["message"]


@pytest.mark.parametrize("region", ["x=1", "x:-1..1,y=0..1", "x=-1..1;y=0..1", "x=..1,y=0..1"])
def test_bad_in_syntax_is_a_usage_error(calc, region):
    _fails(calc, 2, "x^2 + y^2", "--in", region)


def test_in_missing_a_variable_names_it(calc):
    err = _fails(calc, 2, "x^2 + y^2", "--in", "x=-1..1")
    assert "y" in err["message"]


def test_in_with_an_unknown_variable(calc):
    err = _fails(calc, 2, "x^2 + y^2", "--in", "x=-1..1,y=-1..1,z=0..1")
    assert "z" in err["message"]


def test_in_with_an_empty_range(calc):
    err = _fails(calc, 2, "x^2 + y^2", "--in", "x=1..-1,y=0..1")
    assert "empty" in err["message"]


def test_as_many_constraints_as_variables_is_a_usage_error(calc):
    _fails(calc, 2, "x + y", "--subject-to", "x = 1", "--subject-to", "y = 2")


def test_constant_formula_has_no_variables(calc):
    _fails(calc, 2, "5")


def test_reported_set_has_the_symmetry_of_the_function(calc):
    # x^4 + y^4 - 4xy + 1 is invariant under (x, y) -> (-x, -y) and (x, y) -> (y, x):
    # the set of critical points must be closed under both.
    res = ok(calc, "x^4 + y^4 - 4xy + 1")
    pts = [q for q, _ in isolated(res, XY)]
    for q in pts:
        for image in ((-q[0], -q[1]), (q[1], q[0])):
            assert any(same_point(image, r) for r in pts), image


# ============================================================ issue 11: edges of classify
#
# Non-smooth f (A3), no critical points, singular points, the cusp of a constraint (A8),
# periodic f, the time limit (A9), the layout (C) and enormous numbers (D).  The mathematics of
# these classes is in tests/unit/test_classify_edges.py; here: exit codes and every format.

FORMATS = ("text", "table", "latex", "json")


def _fmt(calc, fmt: str, *args: str):
    run = calc("classify", *args, "--format", fmt)
    assert run.exit_code == 0, run.stderr
    assert "Traceback" not in run.stderr
    return run


@pytest.mark.parametrize(
    ("formula", "where", "kind"),
    [
        ("abs(x)", (0,), MIN),
        ("abs(x) + abs(y)", (0, 0), MIN),
        ("sqrt(x^2 + y^2)", (0, 0), MIN),
        ("max(x, -x)", (0,), MIN),
        ("-abs(x) - abs(y) + 1", (0, 0), MAX),
        ("cbrt(x)", (0,), SADDLE),
    ],
)
def test_non_smooth_functions_report_their_singular_point(calc, formula, where, kind):
    names = XY if len(where) == 2 else (x,)
    res = ok(calc, formula)
    p = find(res, names, where)
    assert (p["kind"], p["nature"]) == (kind, "singular"), p
    assert "sampled" in p["test"] and p["hessian"] is None


@pytest.mark.parametrize("formula", ["floor(x)", "sign(x)"])
def test_functions_that_jump_are_a_maths_error_not_an_internal_one(calc, formula):
    run = calc("classify", formula)
    assert run.exit_code == 1, run.stderr
    assert "internal" not in run.stderr


@pytest.mark.parametrize("formula", ["x + y", "x^3 + x"])
def test_no_critical_points_is_said_in_every_format(calc, formula):
    for fmt in FORMATS:
        run = _fmt(calc, fmt, formula)
        if fmt == "json":
            doc = run.json()
            assert doc["result"]["critical_points"] == []
            assert doc["result"]["complete"] is True
            assert "f has no critical points" in doc["notes"]
        else:
            assert "none" in run.stdout, (fmt, run.stdout)
            assert "no critical points" in run.stdout + run.stderr, fmt


def test_the_cusp_of_a_constraint_is_its_minimum(calc):
    res = ok(calc, "x", "--subject-to", "y^2 = x^3")
    p = find(res, XY, (0, 0))
    assert (p["kind"], p["nature"]) == (MIN, "singular")
    assert "along the constraint" in p["test"]


def test_a_lattice_is_shown_as_a_pattern_and_the_list_called_a_sample_in_every_format(calc):
    for fmt in FORMATS:
        run = _fmt(calc, fmt, "sin(x) cos(y)")
        if fmt == "json":
            res = run.json()["result"]
            assert sorted(res["patterns"]) == ["(pi*k1 + pi/2, pi*k2)", "(pi*k1, pi*k2 + pi/2)"]
            assert res["complete"] is False
            assert any("sample" in n for n in run.json()["notes"])
        else:
            assert "sample" in run.stdout + run.stderr, fmt
            assert ("k_{1}" if fmt == "latex" else "pi*k1") in run.stdout, fmt


def test_sin_xy_is_answered_within_the_default_time_limit(calc):
    res = ok(calc, "sin(x y)")
    assert [p["kind"] for p in res["critical_points"] if not p["family"]] == [SADDLE]
    assert res["patterns"] and res["stopped"] is None


def test_at_the_time_limit_the_points_found_are_reported_incomplete(calc):
    run = calc("classify", "sin(x) sin(y) sin(z) + cos(x y z)", "--timeout", "6", "--json")
    assert run.exit_code == 0, run.stderr
    doc = run.json()
    assert doc["result"]["stopped"] == "time limit" and doc["result"]["complete"] is False
    assert any("time limit" in n for n in doc["notes"])


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize(
    "args",
    [
        ("x^4 + y^4 - 4xy + 1",),
        ("x^3 - 3x",),
        ("x y", "--subject-to", "x^2 + y^2 = 1"),
        ("x + y + z", "--subject-to", "x^2 + y^2 + z^2 = 1"),
        ("abs(x) + abs(y)",),
        ("x", "--subject-to", "y^2 = x^3"),
        ("x^3 - 3x y^2 + y^3",),
    ],
)
def test_the_table_reads_at_80_and_120_columns(calc, monkeypatch, args, width):
    monkeypatch.setenv("COLUMNS", str(width))
    out = _fmt(calc, "table", *args).stdout
    lines = out.splitlines()
    assert all(len(line) <= width for line in lines), out
    assert "at the point" not in out
    header = next(i for i, line in enumerate(lines) if "type" in line and "f(p)" in line)
    body = lines[header + 2 :]
    body = body[: next(i for i, line in enumerate(body) if not line.strip())]
    starts = [i for i, line in enumerate(body) if line.lstrip().startswith("p")]
    assert starts and starts[0] == 0, out
    spans = [b - a for a, b in zip(starts, [*starts[1:], len(body)], strict=True)]
    assert max(spans) <= (2 if width == 80 else 1), out  # a point's row: one line, two for a long point
    # the detail table: no cell wraps to four lines
    run_of_continuations = 0
    for line in lines:
        if line.startswith("  ") and line.strip() and not line.lstrip().startswith(("eigenvalues", "f_xx", "lambda")):
            run_of_continuations += 1
            assert run_of_continuations <= 2, out
        else:
            run_of_continuations = 0


@pytest.mark.parametrize("fmt", FORMATS)
def test_one_variable_points_print_without_a_tuple_comma(calc, fmt):
    out = _fmt(calc, fmt, "x^3 - 3x").stdout
    assert ",)" not in out and "\\right)" not in out
    if fmt == "text":
        assert [line.split("\t")[0] for line in out.splitlines()[1:3]] == ["-1", "1"]


@pytest.mark.parametrize(
    "args",
    [
        ("x^4 + y^4 - 4xy + 1",),
        ("x^3 - 3x",),
        ("x^2 y^2",),
        ("x y", "--subject-to", "x^2 + y^2 = 1"),
        ("abs(x) + abs(y)",),
        ("x^3 - 3x y^2",),
        ("sin(x) cos(y)",),
    ],
)
def test_latex_text_holds_words_only(calc, args):
    """KaTeX strict: no math (_ ^ \\) and nothing but ASCII inside \\text{...}."""
    import re

    out = _fmt(calc, "latex", *args).stdout
    texts = re.findall(r"\\text\{([^{}]*)\}", out)
    assert texts
    for t in texts:
        assert t.isascii() and not re.search(r"[_^\\$&%#]", t), t
    assert out.count("\\text{") == len(texts)  # no nested braces hid a \text from the check


@pytest.mark.parametrize(
    "constraint",
    ["x^2 + y^2 = 10^700", "x^2 + y^2 = 1e-300", "x + y = 10^400", "x^2 + 10^400 y^2 = 1", "x y = 1e400"],
)
def test_enormous_numbers_in_a_constraint_are_answered(calc, constraint):
    res = ok(calc, "x y", "--subject-to", constraint)
    if "x^2 + y^2" in constraint:  # a circle: the maximum R/2 at two points, the minimum -R/2 at two
        R = S(constraint.split("=")[1].replace("^", "**"))
        assert is_zero(S(res["global"]["maximum"]["value"]) - R / 2)
        assert is_zero(S(res["global"]["minimum"]["value"]) + R / 2)
        assert len(res["global"]["maximum"]["points"]) == 2


KATEX_CASES = [
    ("x^4 + y^4 - 4xy + 1",),
    ("x^3 - 3x",),
    ("abs(x) + abs(y)",),
    ("sqrt(x^2 + y^2)",),
    ("x + y",),
    ("sin(x) cos(y)", "--in", "x=0..4,y=0..4"),
    ("x", "--subject-to", "y^2 = x^3"),
    ("x y", "--subject-to", "x^2 + y^2 = 1"),
    ("x + y + z", "--subject-to", "x^2 + y^2 + z^2 = 1"),
    ("x^2 y^2",),
    ("abs(x - y)",),
]


def test_latex_compiles_in_strict_katex(calc):
    """Every classify LaTeX output of the edge cases renders in KaTeX's strict mode (Node.js)."""
    import json
    import re
    import shutil
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    assert shutil.which("node"), "Node.js is needed to check that the LaTeX output compiles"
    subprocess.run([str(root / "scripts" / "install-katex")], check=True, timeout=600)
    docs = []
    for args in KATEX_CASES:
        out = _fmt(calc, "latex", *args).stdout
        (doc,) = re.findall(r"\\begin\{aligned\}.*?\\end\{aligned\}", out, re.S)
        docs.append(doc)
    done = subprocess.run(
        ["node", str(root / "scripts" / "katex-check.js")],
        input=json.dumps(docs),
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    errors = [(doc, err) for doc, err in zip(docs, json.loads(done.stdout), strict=True) if err is not None]
    assert not errors, errors
