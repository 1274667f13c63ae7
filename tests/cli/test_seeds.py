"""Every worked example of the differential kind in the seed texts, run through the CLI.

Seeds (see /work/shared/seeds/README.md):
  000  D2L 18.4 "Multivariable Calculus"
  001  handwritten lecture notes (OCR, with slips)
  002  lesson page "Multivariable Calculus" (lesson 32)

Expected values are built here with SymPy, independently of calccli, and compared
with ``sp.simplify(got - expected) == 0``; floats with ``pytest.approx``.  Where a
seed's own answer is wrong, the test checks the correct answer and says so.
Integrals, Taylor and classification commands are not covered here (not built yet).
"""

from __future__ import annotations

import math

import pytest
import sympy as sp

a, b1, b2, b3, c11, c12, c22 = sp.symbols("a b1 b2 b3 c11 c12 c22")
g1, g2, r, rho, phi, theta, t, u, v = sp.symbols("g1 g2 r rho phi theta t u v")
w, x, y, z = sp.symbols("w x y z")
x1, x2, x3, w1, w2, w3, v1, v2, v3 = sp.symbols("x1 x2 x3 w1 w2 w3 v1 v2 v3")
a11, a12, a21, a22 = sp.symbols("a11 a12 a21 a22")

# Read calccli's output strings with plain symbols of the same names (never SymPy's
# functions of those names, e.g. beta or gamma).
_LOCALS = {
    str(s): s
    for s in (
        a,
        b1,
        b2,
        b3,
        c11,
        c12,
        c22,
        g1,
        g2,
        r,
        rho,
        phi,
        theta,
        t,
        u,
        v,
        w,
        x,
        y,
        z,
        x1,
        x2,
        x3,
        w1,
        w2,
        w3,
        v1,
        v2,
        v3,
        a11,
        a12,
        a21,
        a22,
    )
}


def S(text: str) -> sp.Expr:
    return sp.sympify(text, locals=_LOCALS)


def is_zero(e: sp.Expr) -> bool:
    return sp.expand(e) == 0 or sp.simplify(e) == 0


def same(got: str, expected: object) -> None:
    """``got`` (a calccli string) equals ``expected`` exactly."""
    assert is_zero(S(got) - sp.sympify(expected)), f"got {got!r}, expected {expected}"


def same_matrix(got: list[list[str]], expected: sp.Matrix) -> None:
    assert (len(got), len(got[0])) == expected.shape, got
    for i, row in enumerate(got):
        for j, cell in enumerate(row):
            same(cell, expected[i, j])


def matrix(got: list[list[str]]) -> sp.Matrix:
    return sp.Matrix([[S(c) for c in row] for row in got])


def ok(calc, *args: str) -> dict:
    """Run ``calccli *args --json``; it must succeed; return the ``result`` object."""
    run = calc(*args, "--json")
    assert run.exit_code == 0, run.stderr
    assert "Traceback" not in run.stderr
    return run.json()["result"]


# ============================================================ seed 000: D2L 18.4


def test_d2l_logsumexp_gradient_at_0_log2_is_one_third_two_thirds(calc):
    res = ok(calc, "grad", "log(exp(x) + exp(y))", "--at", "0,log(2)")
    same(res["gradient"]["x"], sp.exp(x) / (sp.exp(x) + sp.exp(y)))
    same(res["gradient"]["y"], sp.exp(y) / (sp.exp(x) + sp.exp(y)))
    same(res["value"]["gradient"]["x"], sp.Rational(1, 3))
    same(res["value"]["gradient"]["y"], sp.Rational(2, 3))
    assert res["numeric"]["gradient"]["x"] == pytest.approx(1 / 3, rel=1e-15)
    assert res["numeric"]["gradient"]["y"] == pytest.approx(2 / 3, rel=1e-15)
    same(res["value"]["norm"], sp.sqrt(5) / 3)


def test_d2l_logsumexp_linear_approximation_reproduces_the_printed_numbers(calc):
    # D2L prints "Approximation: 1.0819457, True Value: 1.0821242" for eps = (0.01, -0.03).
    res = ok(calc, "grad", "log(exp(x) + exp(y))", "--at", "x=0,y=log(2)")
    g = res["numeric"]["gradient"]
    f0 = math.log(3)  # f(0, log 2) = log(1 + 2)
    approx = f0 + 0.01 * g["x"] - 0.03 * g["y"]
    assert approx == pytest.approx(1.0819457, abs=1e-7)
    true_value = math.log(math.exp(0.01) + math.exp(math.log(2) - 0.03))
    assert true_value == pytest.approx(1.0821242, abs=1e-7)


def test_d2l_quartic_has_critical_points_at_minus1_0_2(calc):
    f = "3x^4 - 4x^3 - 12x^2"
    res = ok(calc, "diff", f, "--wrt", "x")
    same(res["derivative"], 12 * x * (x + 1) * (x - 2))
    for p in ("-1", "0", "2"):
        assert ok(calc, "diff", f, "--wrt", "x", "--at", p)["value"]["derivative"] == "0"
    # ... and not elsewhere: f'(1) = 12 - 12 - 24
    same(ok(calc, "diff", f, "--wrt", "x", "--at", "1")["value"]["derivative"], -24)


def test_d2l_quartic_second_derivative_makes_2_and_minus1_minima_and_0_a_maximum(calc):
    f = "3x^4 - 4x^3 - 12x^2"
    second = {p: S(ok(calc, "diff", f, "--order", "2", "--at", p)["value"]["derivative"]) for p in ("-1", "0", "2")}
    assert second == {"-1": 36, "0": -24, "2": 72}


BACKPROP = "(((w+x+y+z)^2+(w+x-y-z)^2)^2 + ((w+x+y+z)^2-(w+x-y-z)^2)^2)^2"


def test_d2l_backprop_every_partial_is_minus_4096_at_minus1_0_minus2_1(calc):
    res = ok(calc, "grad", BACKPROP, "--at", "-1,0,-2,1")
    assert res["variables"] == ["w", "x", "y", "z"]
    # the formula read back is the seed's f, which is 1024 at the point
    assert S(res["expr"]).subs({w: -1, x: 0, y: -2, z: 1}) == 1024
    for name in "wxyz":
        same(res["value"]["gradient"][name], -4096)
        assert res["numeric"]["gradient"][name] == -4096.0
    same(res["value"]["norm"], 8192)


def test_d2l_backprop_symbolic_gradient_matches_the_chain_rule(calc):
    aa, bb = (w + x + y + z) ** 2, (w + x - y - z) ** 2
    uu, vv = (aa + bb) ** 2, (aa - bb) ** 2
    f = (uu + vv) ** 2
    res = ok(calc, "grad", BACKPROP)
    for s in (w, x, y, z):
        same(res["gradient"][str(s)], sp.diff(f, s))


D2L_PROGRAM = "f = (u+v)^2; u = (a+b)^2; v = (a-b)^2; a = (w+x+y+z)^2; b = (w+x-y-z)^2"


def test_d2l_backprop_through_the_named_intermediates(calc):
    # D2L 18.4.5: forward pass f = 1024, then every adjoint; all four input derivatives are -4096.
    res = ok(calc, "chain", D2L_PROGRAM, "--at", "w=-1,x=0,y=-2,z=1", "--forward", "w")
    nodes = {n["name"]: n for n in res["nodes"]}
    assert res["order"][-1] == "f" and set(res["order"][:4]) == {"w", "x", "y", "z"}
    values = {"a": 4, "b": 0, "u": 16, "v": 16, "f": 1024}
    adjoints = {"f": 1, "u": 64, "v": 64, "a": 1024, "b": 0, "w": -4096, "x": -4096, "y": -4096, "z": -4096}
    for name, value in values.items():
        same(nodes[name]["value"]["exact"], value)
    for name, adjoint in adjoints.items():
        same(nodes[name]["adjoint"]["exact"], adjoint)
    same(nodes["f"]["tangent"]["exact"], -4096)  # forward mode from w reaches the same number
    totals = {t["input"]: t for t in res["totals"]}
    assert all(t["verified"] and len(t["paths"]) == 4 for t in totals.values())  # 2 x 2 paths per input
    aa, bb = (w + x + y + z) ** 2, (w + x - y - z) ** 2
    f = ((aa + bb) ** 2 + (aa - bb) ** 2) ** 2
    for s in (w, x, y, z):
        same(totals[str(s)]["total"], sp.diff(f, s))
        same(totals[str(s)]["value"]["exact"], -4096)


def test_d2l_general_quadratic_gradient_at_zero_is_b_and_hessian_is_2c(calc):
    f = "a + b1 x1 + b2 x2 + c11 x1^2 + c12 x1 x2 + c22 x2^2"
    g = ok(calc, "grad", f, "--wrt", "x1,x2", "--at", "0,0")
    same(g["value"]["gradient"]["x1"], b1)
    same(g["value"]["gradient"]["x2"], b2)
    assert g["numeric"]["gradient"] == {"x1": None, "x2": None}  # parameters remain
    h = ok(calc, "hessian", f, "--wrt", "x1,x2")
    same_matrix(h["matrix"], sp.Matrix([[2 * c11, c12], [c12, 2 * c22]]))


def test_d2l_x_exp_gradient_and_hessian_at_minus1_0(calc):
    f = "x exp(-x^2 - y^2)"
    e = sp.exp(-(x**2) - y**2)
    g = ok(calc, "grad", f, "--at", "-1,0")
    same(g["gradient"]["x"], (1 - 2 * x**2) * e)
    same(g["gradient"]["y"], -2 * x * y * e)
    same(g["value"]["gradient"]["x"], -sp.exp(-1))
    same(g["value"]["gradient"]["y"], 0)
    h = ok(calc, "hessian", f, "--at", "-1,0")
    same_matrix(
        h["matrix"],
        sp.Matrix([[(4 * x**3 - 6 * x) * e, (4 * x**2 - 2) * y * e], [(4 * x**2 - 2) * y * e, (4 * y**2 - 2) * x * e]]),
    )
    # Correct Hessian at (-1, 0) is diag(2/e, 2/e).
    same_matrix(h["value"]["matrix"], sp.Matrix([[2 / sp.E, 0], [0, 2 / sp.E]]))
    assert sum(h["numeric"]["matrix"], []) == pytest.approx([2 / math.e, 0.0, 0.0, 2 / math.e], rel=1e-15)
    assert [S(ev) for ev in h["eigenvalues"]] == [2 / sp.E, 2 / sp.E]
    assert h["definiteness"] == "positive definite"


def test_d2l_x_exp_quadratic_needs_the_one_half_that_d2l_omits(calc):
    # D2L's plotted quadratic is e^-1 (-1 - (x+1) + 2(x+1)^2 + 2y^2): it drops the 1/2 of the
    # Taylor formula.  Built from calccli's gradient and Hessian, the correct quadratic is
    # e^-1 (-1 - (x+1) + (x+1)^2 + y^2).
    f = "x exp(-x^2 - y^2)"
    g = ok(calc, "grad", f, "--at", "-1,0")
    h = ok(calc, "hessian", f, "--at", "-1,0")
    f0 = S(g["expr"]).subs({x: -1, y: 0})
    dx = sp.Matrix([x + 1, y])
    grad0 = sp.Matrix([S(g["value"]["gradient"]["x"]), S(g["value"]["gradient"]["y"])])
    quad = f0 + (grad0.T * dx)[0] + sp.Rational(1, 2) * (dx.T * matrix(h["value"]["matrix"]) * dx)[0]
    correct = sp.exp(-1) * (-1 - (x + 1) + (x + 1) ** 2 + y**2)
    d2l_printed = sp.exp(-1) * (-1 - (x + 1) + 2 * (x + 1) ** 2 + 2 * y**2)
    assert is_zero(quad - correct)
    assert not is_zero(quad - d2l_printed)


def test_d2l_exercise_logsumexp_gradient_components_sum_to_one(calc):
    res = ok(calc, "grad", "log(e^x + e^y)")
    total = S(res["gradient"]["x"]) + S(res["gradient"]["y"])
    assert sp.simplify(total - 1) == 0


def test_d2l_exercise_x2y_plus_xy2_only_critical_point_is_origin(calc):
    res = ok(calc, "grad", "x^2 y + x y^2")
    gx, gy = S(res["gradient"]["x"]), S(res["gradient"]["y"])
    same(str(gx), 2 * x * y + y**2)
    same(str(gy), x**2 + 2 * x * y)
    assert sp.solve([gx, gy], [x, y], dict=True) == [{x: 0, y: 0}]


def test_d2l_exercise_x2y_plus_xy2_origin_is_neither_max_nor_min(calc):
    # Along y = x, f(t, t) = 2t^3: f' and f'' vanish at 0 but f''' = 12, so neither.
    along = "t^2 t + t t^2"
    values = [S(ok(calc, "diff", along, "--order", n, "--at", "0")["value"]["derivative"]) for n in ("1", "2", "3")]
    assert values == [0, 0, 12]
    h = ok(calc, "hessian", "x^2 y + x y^2", "--at", "0,0")
    same_matrix(h["value"]["matrix"], sp.zeros(2, 2))  # second-order test inconclusive
    assert h["definiteness"] not in ("positive definite", "negative definite", "indefinite")


def test_d2l_exercise_derivative_of_beta_x_is_beta(calc):
    res = ok(calc, "grad", "b1 x1 + b2 x2 + b3 x3", "--wrt", "x1,x2,x3")
    assert [S(res["gradient"][k]) for k in ("x1", "x2", "x3")] == [b1, b2, b3]


def test_d2l_exercise_derivative_of_norm_is_v_over_norm(calc):
    res = ok(calc, "grad", "sqrt(v1^2 + v2^2 + v3^2)")
    norm = sp.sqrt(v1**2 + v2**2 + v3**2)
    for s in (v1, v2, v3):
        same(res["gradient"][str(s)], s / norm)


def test_d2l_xT_A_x_gradient_is_A_plus_A_transpose_times_x(calc):
    res = ok(calc, "grad", "x1 (a11 x1 + a12 x2) + x2 (a21 x1 + a22 x2)", "--wrt", "x1,x2")
    A = sp.Matrix([[a11, a12], [a21, a22]])
    expected = (A + A.T) * sp.Matrix([x1, x2])
    same(res["gradient"]["x1"], expected[0])
    same(res["gradient"]["x2"], expected[1])


def test_d2l_one_by_one_matrix_factorisation_derivative(calc):
    # d/dv (x - u v)^2 = -2u(x - uv): the 1x1 case of -2 U^T (X - UV).
    res = ok(calc, "diff", "(x - u v)^2", "--wrt", "v")
    same(res["derivative"], -2 * u * (x - u * v))


def test_d2l_derivative_of_a_x_squared_is_2ax(calc):
    same(ok(calc, "diff", "a x^2", "--wrt", "x")["derivative"], 2 * a * x)


# ============================================================ seed 001: lecture notes


def test_notes_gradient_of_2x_plus_y2_is_2_2y_not_8y2(calc):
    # The notes write d/dy (2x + y^2) = 8y^2 (an OCR/handwriting slip); correct is 2y.
    res = ok(calc, "grad", "2x + y^2")
    same(res["gradient"]["x"], 2)
    same(res["gradient"]["y"], 2 * y)
    assert not is_zero(S(res["gradient"]["y"]) - 8 * y**2)


def test_notes_gradient_of_3x2y_is_6xy_3x2(calc):
    res = ok(calc, "grad", "3x^2 y")
    same(res["gradient"]["x"], 6 * x * y)
    same(res["gradient"]["y"], 3 * x**2)


def test_notes_jacobian_of_3x2y_and_2x_plus_y2_has_2y_bottom_right(calc):
    # The notes' J = [[6xy, 3x^2], [2, 8y^2]] repeats the 8y^2 slip; correct is [[6xy, 3x^2], [2, 2y]].
    res = ok(calc, "jacobian", "[3x^2 y, 2x + y^2]")
    J = sp.Matrix([[6 * x * y, 3 * x**2], [2, 2 * y]])
    same_matrix(res["matrix"], J)
    same(res["determinant"], J.det())


def test_notes_gradient_of_linear_sum_is_the_weights(calc):
    res = ok(calc, "grad", "w1 x1 + w2 x2 + w3 x3", "--wrt", "x1,x2,x3")
    assert [S(res["gradient"][k]) for k in ("x1", "x2", "x3")] == [w1, w2, w3]


def test_notes_hessian_of_xy_is_0_1_1_0(calc):
    g = ok(calc, "grad", "x y")
    same(g["gradient"]["x"], y)
    same(g["gradient"]["y"], x)
    h = ok(calc, "hessian", "x y", "--at", "3,-5")
    same_matrix(h["matrix"], sp.Matrix([[0, 1], [1, 0]]))
    assert [S(ev) for ev in h["eigenvalues"]] == [-1, 1]
    assert h["definiteness"] == "indefinite"


def test_notes_jacobian_of_identity_function_is_identity(calc):
    res = ok(calc, "jacobian", "[x1, x2, x3]")
    same_matrix(res["matrix"], sp.eye(3))
    same(res["determinant"], 1)


def test_notes_chain_rule_ln_sin_x3_squared_is_6x2_cot_x3_not_6x2_cos_x3(calc):
    # The notes conclude 6x^2 cos(x^3): they drop the 1/sin(x^3) (2v/v^2 = 2/v).  Correct: 6x^2 cot(x^3).
    res = ok(calc, "diff", "ln(sin(x^3)^2)", "--wrt", "x")
    same(res["derivative"], 6 * x**2 * sp.cot(x**3))
    assert not is_zero(S(res["derivative"]) - 6 * x**2 * sp.cos(x**3))
    at1 = ok(calc, "diff", "ln(sin(x^3)^2)", "--wrt", "x", "--at", "1")
    assert at1["numeric"]["derivative"] == pytest.approx(6 / math.tan(1), rel=1e-14)


def test_notes_four_step_recipe_through_chain_catches_the_notes_slip(calc):
    res = ok(calc, "chain", "ln(sin(x^3)^2)", "--decompose")
    definitions = {n["name"]: n["definition"] for n in res["nodes"] if n["definition"]}
    assert [(k, S(v)) for k, v in definitions.items()] == [("u", x**3), ("v", sp.sin(u)), ("w", v**2), ("y", sp.log(w))]
    (total,) = res["totals"]
    same(total["total"], 6 * x**2 * sp.cot(x**3))
    assert total["verified"]
    wrong = calc("chain", "ln(sin(x^3)^2)", "--decompose", "--check", "6x^2 cos(x^3)", "--json")
    assert wrong.exit_code == 1 and wrong.json()["result"]["check"]["verdict"] == "incorrect"
    right = calc("chain", "ln(sin(x^3)^2)", "--decompose", "--check", "6x^2 cot(x^3)", "--json")
    assert right.exit_code == 0 and right.json()["result"]["check"]["verdict"] == "correct"


def test_notes_chain_rule_sin_x2_is_2x_cos_x2(calc):
    same(ok(calc, "diff", "sin(x^2)", "--wrt", "x")["derivative"], 2 * x * sp.cos(x**2))


def test_notes_total_derivative_u_plus_u2_is_1_plus_2u(calc):
    same(ok(calc, "diff", "u + u^2", "--wrt", "u")["derivative"], 1 + 2 * u)


def test_notes_total_derivative_sin_x_plus_x2_is_1_plus_2x_cos(calc):
    # The notes' heading says sin(x + u^2) but works f(x) = sin(x + x^2) with u1 = x^2.
    same(ok(calc, "diff", "sin(x + x^2)", "--wrt", "x")["derivative"], (1 + 2 * x) * sp.cos(x + x**2))


def test_notes_total_derivative_x_times_x2_is_3x2(calc):
    same(ok(calc, "diff", "x x^2", "--wrt", "x")["derivative"], 3 * x**2)


def test_notes_vector_chain_rule_ln_x2_sin_3x_is_2_over_x_3cos_3x(calc):
    res = ok(calc, "diff", "[ln(x^2), sin(3x)]", "--wrt", "x")
    assert isinstance(res["derivative"], list) and len(res["derivative"]) == 2
    same(res["derivative"][0], 2 / x)
    same(res["derivative"][1], 3 * sp.cos(3 * x))


def test_notes_vector_chain_rule_is_the_product_of_jacobians(calc):
    # d/dx f(g(x)) = (df/dg)(dg/dx) with g = [x^2, 3x], f = [ln g1, sin g2].
    jf = matrix(ok(calc, "jacobian", "[ln(g1), sin(g2)]", "--wrt", "g1,g2")["matrix"])
    jg = matrix(ok(calc, "jacobian", "[x^2, 3x]", "--wrt", "x")["matrix"])
    composite = matrix(ok(calc, "jacobian", "[ln(x^2), sin(3x)]", "--wrt", "x")["matrix"])
    product = jf.subs({g1: x**2, g2: 3 * x}) * jg
    assert product.shape == composite.shape == (2, 1)
    assert all(is_zero(p - c) for p, c in zip(product, composite, strict=True))
    assert all(is_zero(c - e) for c, e in zip(composite, [2 / x, 3 * sp.cos(3 * x)], strict=True))


# ============================================================ seed 002: lesson page


def test_lesson_gradient_of_x2y_plus_sin_y_at_1_pi_is_2pi_0(calc):
    res = ok(calc, "grad", "x^2 y + sin(y)", "--at", "1,pi")
    same(res["gradient"]["x"], 2 * x * y)
    same(res["gradient"]["y"], x**2 + sp.cos(y))
    same(res["value"]["gradient"]["x"], 2 * sp.pi)
    same(res["value"]["gradient"]["y"], 0)
    assert res["numeric"]["gradient"]["x"] == pytest.approx(2 * math.pi)
    assert res["numeric"]["gradient"]["y"] == pytest.approx(0.0, abs=1e-15)
    same(res["value"]["norm"], 2 * sp.pi)


def test_lesson_directional_of_x2_plus_y2_at_1_1_along_unit_diagonal_is_2sqrt2(calc):
    res = ok(calc, "directional", "x^2 + y^2", "--at", "1,1", "--dir", "1/sqrt(2),1/sqrt(2)")
    same(res["value"]["derivative"], 2 * sp.sqrt(2))
    assert res["numeric"]["derivative"] == pytest.approx(2 * math.sqrt(2))
    assert res["normalized"] is False  # already a unit vector


def test_lesson_directional_of_x2_plus_y2_along_1_1_is_normalised_first(calc):
    run = calc("directional", "x^2 + y^2", "--at", "1,1", "--dir", "1,1", "--json")
    assert run.exit_code == 0, run.stderr
    out = run.json()
    res = out["result"]
    same(res["value"]["derivative"], 2 * sp.sqrt(2))  # not 4, which the unnormalised (1,1) gives
    assert res["normalized"] is True
    assert [S(c) for c in res["direction"]] == [sp.sqrt(2) / 2, sp.sqrt(2) / 2]
    assert any("not a unit vector" in n for n in out["notes"])


def test_lesson_gradient_magnitude_is_the_maximum_directional_derivative(calc):
    f = "x^2 y + y z^2"
    g = ok(calc, "grad", f, "--at", "1,2,3")
    norm = S(g["value"]["norm"])
    same(str(norm), sp.sqrt(4**2 + 10**2 + 12**2))
    along_grad = ok(calc, "directional", f, "--at", "1,2,3", "--dir", "4,10,12")
    same(along_grad["value"]["derivative"], norm)  # equality along the gradient
    against = ok(calc, "directional", f, "--at", "1,2,3", "--dir", "-4,-10,-12")
    same(against["value"]["derivative"], -norm)  # steepest descent
    other = ok(calc, "directional", f, "--at", "1,2,3", "--dir", "1,1,1")
    assert abs(other["numeric"]["derivative"]) < float(norm)  # Cauchy-Schwarz, strict off the gradient line


def test_lesson_hessian_of_x4_y4_minus_4xy_and_at_1_1(calc):
    f = "x^4 + y^4 - 4xy + 1"
    g = ok(calc, "grad", f, "--at", "1,1")
    same(g["gradient"]["x"], 4 * x**3 - 4 * y)
    same(g["gradient"]["y"], 4 * y**3 - 4 * x)
    assert {k: S(val) for k, val in g["value"]["gradient"].items()} == {"x": 0, "y": 0}  # critical point
    h = ok(calc, "hessian", f, "--at", "1,1")
    same_matrix(h["matrix"], sp.Matrix([[12 * x**2, -4], [-4, 12 * y**2]]))
    same_matrix(h["value"]["matrix"], sp.Matrix([[12, -4], [-4, 12]]))
    assert h["numeric"]["matrix"] == [[12.0, -4.0], [-4.0, 12.0]]
    assert [S(ev) for ev in h["eigenvalues"]] == [8, 16]
    assert h["numeric"]["eigenvalues"] == pytest.approx([8.0, 16.0])
    assert h["definiteness"] == "positive definite"


def test_lesson_clairaut_mixed_partials_agree(calc):
    f = "x^4 + y^4 - 4xy + 1 + x^3 sin(x y)"
    xy = ok(calc, "diff", f, "--wrt", "x,y")
    yx = ok(calc, "diff", f, "--wrt", "y,x")
    expected = sp.diff(x**4 + y**4 - 4 * x * y + 1 + x**3 * sp.sin(x * y), x, y)
    same(xy["derivative"], expected)
    same(yx["derivative"], expected)


def test_lesson_trace_of_hessian_is_the_laplacian(calc):
    f = "x^4 + y^4 - 4xy + 1"
    h = matrix(ok(calc, "hessian", f)["matrix"])
    lap = ok(calc, "laplacian", f)["laplacian"]
    same(lap, 12 * x**2 + 12 * y**2)
    same(lap, h.trace())


def test_lesson_problem1_gradient_of_x2y_plus_yz2_at_1_2_3_is_4_10_12(calc):
    res = ok(calc, "grad", "x^2 y + y z^2", "--at", "1,2,3")
    same(res["gradient"]["x"], 2 * x * y)
    same(res["gradient"]["y"], x**2 + z**2)
    same(res["gradient"]["z"], 2 * y * z)
    assert {k: S(val) for k, val in res["value"]["gradient"].items()} == {"x": 4, "y": 10, "z": 12}
    assert res["numeric"]["gradient"] == {"x": 4.0, "y": 10.0, "z": 12.0}


def test_lesson_problem1_directional_along_1_1_1_is_26_over_sqrt3(calc):
    res = ok(calc, "directional", "x^2 y + y z^2", "--at", "1,2,3", "--dir", "1,1,1")
    same(res["value"]["derivative"], 26 / sp.sqrt(3))
    assert res["numeric"]["derivative"] == pytest.approx(15.01, abs=0.005)
    assert res["numeric"]["derivative"] == pytest.approx(26 / math.sqrt(3), rel=1e-15)
    assert [S(c) for c in res["direction"]] == [1 / sp.sqrt(3)] * 3


def test_lesson_problem2_cubic_critical_point_and_zero_hessian(calc):
    f = "x^3 - 3x y^2 + y^3"
    g = ok(calc, "grad", f)
    gx, gy = S(g["gradient"]["x"]), S(g["gradient"]["y"])
    same(str(gx), 3 * x**2 - 3 * y**2)
    same(str(gy), -6 * x * y + 3 * y**2)
    assert sp.solve([gx, gy], [x, y], dict=True) == [{x: 0, y: 0}]
    h = ok(calc, "hessian", f, "--at", "0,0")
    same_matrix(h["matrix"], sp.Matrix([[6 * x, -6 * y], [-6 * y, -6 * x + 6 * y]]))
    same_matrix(h["value"]["matrix"], sp.zeros(2, 2))
    assert [S(ev) for ev in h["eigenvalues"]] == [0, 0]
    # Zero Hessian: the test is inconclusive (the point is in fact a saddle), so never definite.
    assert "semidefinite" in h["definiteness"]


def test_lesson_problem4_exp_x_plus_y_gradient_hessian_and_quadratic_at_0_1(calc):
    g = ok(calc, "grad", "exp(x + y)", "--at", "0,0")
    assert [S(g["value"]["gradient"][k]) for k in "xy"] == [1, 1]
    h = ok(calc, "hessian", "exp(x + y)", "--at", "0,0")
    same_matrix(h["value"]["matrix"], sp.ones(2, 2))
    assert [S(ev) for ev in h["eigenvalues"]] == [0, 2]
    assert h["definiteness"] == "positive semidefinite"
    # second-order approximation at (0.1, 0.1): 1 + 0.2 + 0.02 = 1.22; exact e^0.2 = 1.2214
    hv = sp.Matrix([sp.Rational(1, 10)] * 2)
    approx = (
        1
        + sum(S(c) for c in g["value"]["gradient"].values()) / 10
        + sp.Rational(1, 2) * (hv.T * matrix(h["value"]["matrix"]) * hv)[0]
    )
    assert approx == sp.Rational(122, 100)
    assert math.exp(0.2) - float(approx) == pytest.approx(0.0014, abs=1e-4)


def test_lesson_problem5_jacobian_of_u2_minus_v2_2uv_has_det_4_u2_plus_v2(calc):
    res = ok(calc, "jacobian", "[u^2 - v^2, 2u v]")
    assert res["variables"] == ["u", "v"]
    same_matrix(res["matrix"], sp.Matrix([[2 * u, -2 * v], [2 * v, 2 * u]]))
    same(res["determinant"], 4 * (u**2 + v**2))


def test_lesson_numeric_jacobian_example_at_1_2_is_2_1_4_4(calc):
    res = ok(calc, "jacobian", "[x^2 + y, x y^2]", "--at", "1,2")
    same_matrix(res["matrix"], sp.Matrix([[2 * x, 1], [y**2, 2 * x * y]]))
    same_matrix(res["value"]["matrix"], sp.Matrix([[2, 1], [4, 4]]))
    assert res["numeric"]["matrix"] == [[2.0, 1.0], [4.0, 4.0]]
    same(res["value"]["determinant"], 4)


def test_lesson_minimise_x2_y2_minus_2x_4y_gradient_zero_at_1_2_and_hessian_2I(calc):
    f = "x^2 + y^2 - 2x - 4y + 5"
    g = ok(calc, "grad", f, "--at", "1,2")
    same(g["gradient"]["x"], 2 * x - 2)
    same(g["gradient"]["y"], 2 * y - 4)
    assert g["numeric"]["gradient"] == {"x": 0.0, "y": 0.0}
    h = ok(calc, "hessian", f, "--at", "1,2")
    same_matrix(h["matrix"], 2 * sp.eye(2))
    assert [S(ev) for ev in h["eigenvalues"]] == [2, 2]
    assert h["definiteness"] == "positive definite"


def test_lesson_polar_jacobian_determinant_is_r(calc):
    res = ok(calc, "jacobian", "[r cos(theta), r sin(theta)]")
    assert res["variables"] == ["r", "theta"]
    same_matrix(res["matrix"], sp.Matrix([[sp.cos(theta), -r * sp.sin(theta)], [sp.sin(theta), r * sp.cos(theta)]]))
    same(res["determinant"], r)


def test_lesson_cylindrical_jacobian_determinant_is_r(calc):
    res = ok(calc, "jacobian", "[r cos(theta), r sin(theta), z]")
    same(res["determinant"], r)


def test_lesson_spherical_jacobian_determinant_is_rho2_sin_phi(calc):
    f = "[rho sin(phi) cos(theta), rho sin(phi) sin(theta), rho cos(phi)]"
    res = ok(calc, "jacobian", f, "--wrt", "rho,phi,theta")
    X = sp.Matrix([rho * sp.sin(phi) * sp.cos(theta), rho * sp.sin(phi) * sp.sin(theta), rho * sp.cos(phi)])
    same_matrix(res["matrix"], X.jacobian([rho, phi, theta]))
    same(res["determinant"], rho**2 * sp.sin(phi))
    # In the default (alphabetical) order phi, rho, theta two columns swap: the sign flips, |det| does not.
    default = ok(calc, "jacobian", f)
    assert default["variables"] == ["phi", "rho", "theta"]
    same(default["determinant"], -(rho**2) * sp.sin(phi))


def test_lesson_inverse_function_theorem_polar_jacobians_are_inverse(calc):
    # J_{T^-1}(T(p)) = J_T(p)^-1 for T = polar at (r, theta) = (sqrt 2, pi/4), T(p) = (1, 1).
    jt = matrix(ok(calc, "jacobian", "[r cos(theta), r sin(theta)]", "--at", "sqrt(2),pi/4")["value"]["matrix"])
    jinv = matrix(ok(calc, "jacobian", "[sqrt(x^2 + y^2), atan(y/x)]", "--at", "1,1")["value"]["matrix"])
    assert sp.simplify(jinv * jt - sp.eye(2)) == sp.zeros(2, 2)
