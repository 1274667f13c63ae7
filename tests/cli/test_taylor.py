"""``calccli taylor``: Taylor polynomials grouped by degree, the matrix form, --eval and errors.

Expected polynomials are either written down by hand (the classical series) or computed
here by a different route from calccli's: calccli sums D^a f(p)/a! (x - p)^a over
multi-indices, the reference takes k-th derivatives of g(t) = f(p + t (x - p)) in t,
which gives the degree-k part as g^(k)(0)/k! directly.  Comparisons are exact.

Seeds (/work/shared/seeds): 000 D2L 18.4 (the quadratic approximation of x exp(-x^2-y^2)
at (-1, 0), printed there WITHOUT the 1/2 - the correct one is checked), 002 lesson page
(e^(x+y) at (0, 0), evaluated at (0.1, 0.1): 1.22 vs e^0.2 = 1.2214, error 0.0014).
"""

from __future__ import annotations

import math
import re

import pytest
import sympy as sp

x, y, z, t = sp.symbols("x y z t")
_LOCALS = {"x": x, "y": y, "z": z}
XY = (x, y)
E1 = sp.exp(-1)


def S(text: str) -> sp.Expr:
    return sp.sympify(text, locals=_LOCALS)


def is_zero(e: object) -> bool:
    e = sp.sympify(e)
    return e == 0 or sp.expand(e) == 0 or sp.simplify(e) == 0


def same(got: str, expected: object) -> None:
    assert is_zero(S(got) - sp.sympify(expected)), f"got {got!r}, expected {expected}"


def ok(calc, *args: str) -> dict:
    run = calc("taylor", *args, "--json")
    assert run.exit_code == 0, run.stderr
    assert "Traceback" not in run.stderr
    doc = run.json()
    assert doc["schema"] == "calccli.taylor/1"
    return doc["result"]


def reference_terms(f: sp.Expr, names: tuple[sp.Symbol, ...], at: tuple[object, ...], order: int) -> list[sp.Expr]:
    """Degree-k parts of the Taylor polynomial, from g(t) = f(p + t (x - p))."""
    p = [sp.sympify(a) for a in at]
    g = f.subs({v: pv + t * (v - pv) for v, pv in zip(names, p, strict=True)}, simultaneous=True)
    out = []
    for k in range(order + 1):
        out.append(sp.diff(g, t, k).subs(t, 0) / math.factorial(k))
    return out


def check_terms(res: dict, f: sp.Expr, names: tuple[sp.Symbol, ...], at: tuple[object, ...], order: int) -> None:
    """terms, polynomial and value agree exactly with the reference; each term is homogeneous in x - p."""
    ref = reference_terms(f, names, at, order)
    assert res["order"] == order
    assert res["variables"] == [v.name for v in names]
    assert set(res["terms"]) == {str(k) for k in range(order + 1)}
    for k in range(order + 1):
        same(res["terms"][str(k)], ref[k])
    same(res["polynomial"], sp.Add(*ref))
    same(res["value"], f.subs(dict(zip(names, at, strict=True))))
    for v, a in zip(names, at, strict=True):
        same(res["point"][v.name], a)
    # homogeneity: the degree-k part scales by s^k when x - p is scaled by s
    s = sp.Symbol("s")
    p = dict(zip(names, (sp.sympify(a) for a in at), strict=True))
    for k in range(order + 1):
        term = S(res["terms"][str(k)])
        scaled = term.subs({v: p[v] + s * (v - p[v]) for v in names}, simultaneous=True)
        assert is_zero(scaled - s**k * term), (k, term)


# ============================================================ seeds


def test_d2l_quadratic_of_x_exp_at_minus_1_0_has_the_one_half(calc):
    f = x * sp.exp(-(x**2) - y**2)
    res = ok(calc, "x exp(-x^2-y^2)", "--at", "-1,0")
    check_terms(res, f, XY, (-1, 0), 2)
    correct = E1 * (-1 - (x + 1) + (x + 1) ** 2 + y**2)
    d2l_printed = E1 * (-1 - (x + 1) + 2 * (x + 1) ** 2 + 2 * y**2)  # forgets the 1/2 of the Hessian term
    same(res["polynomial"], correct)
    assert not is_zero(S(res["polynomial"]) - d2l_printed)
    same(res["value"], -E1)
    same(res["gradient"]["x"], -E1)
    same(res["gradient"]["y"], 0)
    H = [[S(c) for c in row] for row in res["hessian"]]
    assert is_zero(H[0][0] - 2 * E1) and is_zero(H[1][1] - 2 * E1)
    assert is_zero(H[0][1]) and is_zero(H[1][0])


def test_lesson_e_to_x_plus_y_order_2_evaluated_at_0_1_0_1(calc):
    f = sp.exp(x + y)
    res = ok(calc, "e^(x+y)", "--at", "0,0", "--order", "2", "--eval", "0.1,0.1")
    check_terms(res, f, XY, (0, 0), 2)
    same(res["polynomial"], 1 + (x + y) + (x + y) ** 2 / 2)
    same(res["terms"]["2"], (x + y) ** 2 / 2)
    assert res["eval_at"] == {"x": "1/10", "y": "1/10"}
    same(res["approximation"], sp.Rational(122, 100))  # 1 + 0.2 + 0.02, exactly
    same(res["exact"], sp.exp(sp.Rational(1, 5)))
    same(res["error"], sp.exp(sp.Rational(1, 5)) - sp.Rational(122, 100))
    num = res["numeric"]
    assert num["approximation"] == pytest.approx(1.22, rel=1e-15)
    assert num["exact"] == pytest.approx(math.exp(0.2), rel=1e-15)
    assert round(num["exact"], 4) == 1.2214
    assert num["error"] == pytest.approx(math.exp(0.2) - 1.22, rel=1e-12)
    assert round(num["error"], 4) == 0.0014


# ============================================================ classical one-variable series

ONE_VARIABLE = [
    # (formula, --at, order, expected polynomial)
    ("sin(x)", "0", 5, x - x**3 / 6 + x**5 / 120),
    ("cos(x)", "pi/2", 4, -(x - sp.pi / 2) + (x - sp.pi / 2) ** 3 / 6),
    ("ln(1+x)", "0", 4, x - x**2 / 2 + x**3 / 3 - x**4 / 4),
    ("1/(1-x)", "0", 3, 1 + x + x**2 + x**3),
    ("sqrt(1+x)", "0", 3, 1 + x / 2 - x**2 / 8 + x**3 / 16),
    ("e^x", "0", 6, sum(x**k / sp.factorial(k) for k in range(7))),
    ("ln(x)", "1", 3, (x - 1) - (x - 1) ** 2 / 2 + (x - 1) ** 3 / 3),
    ("sqrt(x)", "4", 2, 2 + (x - 4) / 4 - (x - 4) ** 2 / 64),
    ("atan(x)", "0", 7, x - x**3 / 3 + x**5 / 5 - x**7 / 7),
    ("cos(x)", "0", 12, sum((-1) ** k * x ** (2 * k) / sp.factorial(2 * k) for k in range(7))),
    ("abs(x)", "1", 2, x),  # |x| = x near 1: smooth there
]


@pytest.mark.parametrize(
    ("text", "at", "order", "expected"), ONE_VARIABLE, ids=[f"{a[0]}@{a[1]}^{a[2]}" for a in ONE_VARIABLE]
)
def test_classical_series(calc, text, at, order, expected):
    res = ok(calc, text, "--at", at, "--order", str(order))
    same(res["polynomial"], expected)
    assert res["order"] == order
    # independent check with SymPy's own series
    f = S(text.replace("ln", "log").replace("^", "**").replace("e**x", "exp(x)"))
    a = S(at)
    series = sp.series(f, x, a, order + 1).removeO()
    same(res["polynomial"], series)


def test_sin_order_5_has_only_odd_terms(calc):
    res = ok(calc, "sin(x)", "--order", "5")
    check_terms(res, sp.sin(x), (x,), (0,), 5)
    for k in (0, 2, 4):
        same(res["terms"][str(k)], 0)
    same(res["terms"]["3"], -(x**3) / 6)
    same(res["terms"]["5"], x**5 / 120)


def test_cos_about_pi_over_2_is_in_powers_of_x_minus_pi_over_2(calc):
    res = ok(calc, "cos(x)", "--at", "pi/2", "--order", "4")
    check_terms(res, sp.cos(x), (x,), (sp.pi / 2,), 4)
    same(res["value"], 0)
    same(res["terms"]["1"], -(x - sp.pi / 2))
    same(res["terms"]["3"], (x - sp.pi / 2) ** 3 / 6)


# ============================================================ several variables

MULTI = [
    # (formula, SymPy f, variables, --at text, point, order)
    ("e^x sin(y)", sp.exp(x) * sp.sin(y), XY, "0,0", (0, 0), 3),
    ("sin(x y)", sp.sin(x * y), XY, "x=1,y=pi/2", (1, sp.pi / 2), 3),
    ("x exp(-x^2-y^2)", x * sp.exp(-(x**2) - y**2), XY, "-1,0", (-1, 0), 4),
    ("ln(x + y)", sp.log(x + y), XY, "1,0", (1, 0), 3),
    ("sqrt(x^2 + y^2)", sp.sqrt(x**2 + y**2), XY, "3,4", (3, 4), 2),
    ("x y z + e^(x - z)", x * y * z + sp.exp(x - z), (x, y, z), "1,2,1", (1, 2, 1), 3),
    ("cos(x) cos(y)", sp.cos(x) * sp.cos(y), XY, "pi/3,-pi/4", (sp.pi / 3, -sp.pi / 4), 2),
]


@pytest.mark.parametrize(
    ("text", "f", "names", "at_text", "at", "order"), MULTI, ids=[f"{m[0]}@{m[3]}^{m[5]}" for m in MULTI]
)
def test_multivariable_taylor_polynomials(calc, text, f, names, at_text, at, order):
    res = ok(calc, text, "--at", at_text, "--order", str(order))
    check_terms(res, f, names, at, order)


def test_e_x_sin_y_order_3_by_hand(calc):
    res = ok(calc, "e^x sin(y)", "--order", "3")
    same(res["polynomial"], y + x * y + x**2 * y / 2 - y**3 / 6)
    same(res["terms"]["2"], x * y)
    same(res["terms"]["3"], x**2 * y / 2 - y**3 / 6)


def test_a_polynomial_is_its_own_taylor_polynomial_about_any_point(calc):
    f = x**2 * y + y**3 - 4 * x * y + 7
    res = ok(calc, "x^2 y + y^3 - 4x y + 7", "--at", "1,2", "--order", "3")
    check_terms(res, f, XY, (1, 2), 3)
    same(res["polynomial"], f)
    res2 = ok(calc, "x^2 y + y^3 - 4x y + 7", "--at", "1,2", "--order", "2")
    same(S(res["polynomial"]) - S(res2["polynomial"]), (x - 1) ** 2 * (y - 2) + (y - 2) ** 3)


def test_parameters_stay_symbolic_with_wrt(calc):
    res = ok(calc, "x^2 y", "--wrt", "x", "--at", "1")
    assert res["variables"] == ["x"]
    same(res["polynomial"], y + 2 * y * (x - 1) + y * (x - 1) ** 2)
    same(res["value"], y)


def test_expand_multiplies_the_powers_out(calc):
    plain = ok(calc, "x^2 y + y^3", "--at", "1,2", "--order", "2")
    res = ok(calc, "x^2 y + y^3", "--at", "1,2", "--order", "2", "--expand")
    assert plain["expanded"] is False and res["expanded"] is True
    poly = S(res["polynomial"])
    assert poly == sp.expand(poly)  # already multiplied out
    assert S(plain["polynomial"]) != sp.expand(S(plain["polynomial"]))  # without --expand: powers of (x - 1), (y - 2)
    same(res["polynomial"], S(plain["polynomial"]))
    same(res["polynomial"], 2 * x**2 + 2 * x * y - 4 * x + 6 * y**2 - 13 * y + 10)
    for k in ("0", "1", "2"):
        same(res["terms"][k], S(plain["terms"][k]))
    res3 = ok(calc, "x^3", "--at", "1", "--order", "2", "--expand", "--eval", "2")
    same(res3["polynomial"], 3 * x**2 - 3 * x + 1)
    same(res3["error"], 1)  # 8 - 7


# ============================================================ the matrix form at order 2


@pytest.mark.parametrize(
    ("text", "f", "at_text", "at"),
    [
        ("x exp(-x^2-y^2)", x * sp.exp(-(x**2) - y**2), "-1,0", (-1, 0)),
        ("x^3 y + sin(y)", x**3 * y + sp.sin(y), "2,pi", (2, sp.pi)),
        ("e^(x+y)", sp.exp(x + y), "0,0", (0, 0)),
    ],
)
def test_matrix_form_reproduces_the_polynomial(calc, text, f, at_text, at):
    res = ok(calc, text, "--at", at_text)
    assert res["order"] == 2
    p = dict(zip(XY, at, strict=True))
    grad = [sp.diff(f, v).subs(p) for v in XY]
    H = sp.hessian(f, XY).subs(p)
    for v, g in zip(XY, grad, strict=True):
        same(res["gradient"][v.name], g)
    for i in range(2):
        for j in range(2):
            same(res["hessian"][i][j], H[i, j])
    h = sp.Matrix([x - at[0], y - at[1]])
    g = sp.Matrix([[S(res["gradient"]["x"]), S(res["gradient"]["y"])]])
    Hm = sp.Matrix([[S(c) for c in row] for row in res["hessian"]])
    matrix_form = S(res["value"]) + (g * h)[0] + sp.Rational(1, 2) * (h.T * Hm * h)[0]
    same(res["polynomial"], matrix_form)


def test_orders_0_and_1_have_no_matrix_form(calc):
    res0 = ok(calc, "e^x cos(y)", "--at", "1,0", "--order", "0")
    assert res0["terms"].keys() == {"0"}
    same(res0["polynomial"], sp.E)
    assert "gradient" not in res0 and "hessian" not in res0
    res1 = ok(calc, "e^x cos(y)", "--at", "1,0", "--order", "1")
    check_terms(res1, sp.exp(x) * sp.cos(y), XY, (1, 0), 1)
    same(res1["polynomial"], sp.E * x)  # e + e (x - 1) + 0 y
    assert "gradient" not in res1 and "hessian" not in res1


def test_higher_orders_keep_the_matrix_form_keys(calc):
    res = ok(calc, "e^x cos(y)", "--order", "3")
    same(res["gradient"]["x"], 1)
    same(res["gradient"]["y"], 0)
    assert [[S(c) for c in row] for row in res["hessian"]] == [[1, 0], [0, -1]]


# ============================================================ --eval: the error f(q) - T(q)


def test_eval_error_is_exact_minus_approximation(calc):
    res = ok(calc, "sqrt(x)", "--at", "4", "--eval", "4.41")
    same(res["exact"], sp.Rational(21, 10))
    same(res["approximation"], 2 + sp.Rational(41, 400) - sp.Rational(41, 100) ** 2 / 64)
    same(res["error"], S(res["exact"]) - S(res["approximation"]))
    same(res["error"], sp.Rational(81, 640000))
    assert res["numeric"]["error"] == pytest.approx(81 / 640000, rel=1e-15)


@pytest.mark.parametrize("order", [1, 2, 3, 4, 5])
def test_eval_error_obeys_the_lagrange_remainder_bound(calc, order):
    # e^x about 0 at q = 1/2: the error e^(1/2) - T_n(1/2) lies in (0, e^(1/2) (1/2)^(n+1) / (n+1)!]
    res = ok(calc, "e^x", "--order", str(order), "--eval", "1/2")
    same(res["exact"], sp.exp(sp.Rational(1, 2)))
    partial = sum(sp.Rational(1, 2) ** k / sp.factorial(k) for k in range(order + 1))
    same(res["approximation"], partial)
    same(res["error"], sp.exp(sp.Rational(1, 2)) - partial)
    err = res["numeric"]["error"]
    assert 0 < err <= math.exp(0.5) * 0.5 ** (order + 1) / math.factorial(order + 1)
    assert res["numeric"]["approximation"] + err == pytest.approx(res["numeric"]["exact"], rel=1e-15)


def test_eval_error_shrinks_with_the_order(calc):
    errs = [
        abs(ok(calc, "cos(x)", "--at", "pi/2", "--order", str(n), "--eval", "pi/2 + 0.1")["numeric"]["error"])
        for n in (1, 3, 5)
    ]
    assert errs[0] > errs[1] > errs[2] > 0
    res = ok(calc, "cos(x)", "--at", "pi/2", "--order", "3", "--eval", "pi/2 + 0.1")
    same(res["exact"], -sp.sin(sp.Rational(1, 10)))
    same(res["approximation"], -sp.Rational(1, 10) + sp.Rational(1, 6000))


def test_eval_at_the_expansion_point_has_zero_error(calc):
    res = ok(calc, "e^x", "--at", "1", "--eval", "1")
    same(res["approximation"], sp.E)
    same(res["error"], 0)
    assert res["numeric"]["error"] == 0


def test_eval_with_named_coordinates(calc):
    res = ok(calc, "e^(x+y)", "--eval", "y=0.2,x=0.1")
    assert res["eval_at"] == {"x": "1/10", "y": "1/5"}
    same(res["exact"], sp.exp(sp.Rational(3, 10)))


# ============================================================ points where f has no Taylor polynomial


def _fails(calc, code: int, *args: str) -> dict:
    run = calc("taylor", *args, "--json")
    assert run.exit_code == code, (run.exit_code, run.stdout, run.stderr)
    assert "Traceback" not in run.stderr
    assert run.stderr.startswith("calccli: error:")
    err = run.json()["error"]
    assert err["code"] == code
    return err


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("sqrt(x)", ("not analytic", "derivatives")),
        ("abs(x)", ("not smooth",)),
        ("ln(x)", ("undefined",)),
        ("x^(1/3)", ("not analytic",)),
        ("sqrt(x^2 + y^2)", ("not analytic",)),
        ("max(x, 0)", ("not smooth",)),
        ("1/x", ("undefined",)),
    ],
)
def test_non_analytic_points_are_math_errors(calc, text, words):
    err = _fails(calc, 1, text)
    assert err["kind"] == "math"
    for w in words:
        assert w in err["message"], err["message"]


def test_x_to_3_halves_has_order_1_but_not_order_2(calc):
    # x^(3/2) is C^1 at 0 (derivative 0) but its second derivative blows up there
    res = ok(calc, "x^(3/2)", "--order", "1")
    same(res["polynomial"], 0)
    err = _fails(calc, 1, "x^(3/2)", "--order", "2")
    assert "order 2" in err["message"]


def test_floor_is_locally_constant_between_integers(calc):
    res = ok(calc, "floor(x)", "--at", "0.5", "--timeout", "3")
    same(res["polynomial"], 0)


def test_ceiling_plus_x_between_integers(calc):
    res = ok(calc, "ceiling(x) + x", "--at", "1/3", "--order", "1", "--timeout", "3")
    same(res["polynomial"], x + 1)  # ceiling = 1 near 1/3


# ============================================================ usage errors


@pytest.mark.parametrize(
    "args",
    [
        ("e^(x+y)", "--at", "1,2,3"),
        ("e^(x+y)", "--at", "1"),
        ("e^(x+y)", "--eval", "1"),
        ("e^(x+y)", "--at", "x=1"),
        ("e^(x+y)", "--at", "x=1,z=2"),
    ],
)
def test_wrong_point_size_is_a_usage_error(calc, args):
    err = _fails(calc, 2, *args)
    assert err["kind"] == "usage"


@pytest.mark.parametrize("order", ["13", "-1"])
def test_order_out_of_range_is_a_usage_error(calc, order):
    run = calc("taylor", "e^x", "--order", order)
    assert run.exit_code == 2
    assert "--order" in run.stderr


def test_vector_formula_is_a_usage_error(calc):
    err = _fails(calc, 2, "[x, y]")
    assert err["kind"] == "usage"


def test_constant_formula_needs_variables(calc):
    _fails(calc, 2, "5")


# ============================================================ terms in powers of (x - p)


def _no_constant_inside(term: sp.Expr, h: dict[sp.Symbol, sp.Expr]) -> bool:
    """Every monomial of the printed term, read in the displacements h = x - p, has degree >= 1."""
    hs = {v: sp.Symbol(f"h_{v}") for v in h}
    shifted = sp.expand(term.xreplace({v: hs[v] + p for v, p in h.items()}))
    return shifted.subs({s: 0 for s in hs.values()}) == 0


@pytest.mark.parametrize(
    ("text", "at_text", "at", "degree1"),
    [
        ("x**2*y", "1,2", (1, 2), "4*(x - 1) + (y - 2)"),
        ("x**3", "2", (2,), "12*(x - 2)"),
        ("x*y", "-1,3", (-1, 3), "3*(x + 1) - (y - 3)"),
    ],
)
def test_terms_are_printed_in_powers_of_x_minus_p(calc, text, at_text, at, degree1):
    res = ok(calc, text, "--at", at_text, "--order", "3")
    names = (x, y)[: len(at)]
    assert res["terms"]["1"] == degree1  # as the README promises: no constant inside a degree-1 term
    p = dict(zip(names, (sp.Integer(a) for a in at), strict=True))
    for k in ("1", "2", "3"):
        term = S(res["terms"][k])
        assert _no_constant_inside(term, p), res["terms"][k]
        # the printed text is in powers of the displacements: no bare x, only (x - p)
        for v, pv in p.items():
            if pv != 0:
                assert str(v) not in res["terms"][k].replace(f"({sp.sstr(v - pv)})", ""), res["terms"][k]
    # pasted back, the polynomial is the sum of the terms and the Taylor polynomial itself
    check_terms(res, S(text), names, at, 3)


def test_the_polynomial_pastes_back_into_calccli_as_an_equal_formula(calc):
    res = ok(calc, "x^2 y + sin(x)", "--at", "1,2", "--order", "2")
    poly = res["polynomial"]
    assert "(x - 1)" in poly and "(y - 2)" in poly
    again = ok(calc, poly, "--at", "1,2", "--order", "2")  # a polynomial of degree 2 is its own T2
    assert is_zero(S(again["polynomial"]) - S(poly))


def test_expand_still_multiplies_out(calc):
    res = ok(calc, "x^2 y", "--at", "1,2", "--expand")
    assert res["terms"]["1"] == "4*x + y - 6"


# ============================================================ presentation: 80 columns, LaTeX


def test_the_eval_point_q_is_shown_in_every_format(calc, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    args = ("taylor", "x^2 y", "--at", "1,2", "--eval", "1.1,2")
    table = calc(*args, "--format", "table").stdout
    assert "(x, y) = (11/10, 2)" in table
    assert all(len(line) <= 80 for line in table.splitlines()), table
    assert "q\t(x, y) = (11/10, 2)" in calc(*args, "--format", "text").stdout
    assert r"q &= \left( x, \  y\right) = \left( \frac{11}{10}, \  2\right)" in calc(*args, "--format", "latex").stdout


@pytest.mark.parametrize(
    "args",
    [
        ("x^2 y", "--at", "1,2", "--eval", "1.1,2"),
        ("e^(x+y)", "--order", "3"),
        ("sin(x)/x", "--at", "0", "--order", "4"),
        ("x exp(-x^2-y^2)", "--at", "-1,0"),
    ],
)
def test_latex_compiles_in_katex_strict_with_no_math_inside_text(calc, args):
    from tests.test_latex_compiles import katex

    doc = calc("taylor", *args, "--format", "latex").stdout
    for inside in re.findall(r"\\text\{([^{}]*)\}", doc):
        assert not re.search(r"[\^_*]|\\\^", inside), inside  # h^T, f_xx, x**2 belong to math mode
    assert katex((doc.strip(),)) == [None]
