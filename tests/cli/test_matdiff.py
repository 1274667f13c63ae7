"""calccli matdiff end to end: the seeds' matrix results, layouts, values, components, --check, errors."""

from __future__ import annotations

import pytest
import sympy as sp

from calccli.errors import ExitCode


def ok(calc, *args: str) -> dict:
    run = calc("matdiff", *args, "--json")
    assert run.exit_code == 0, run.stderr
    return run.json()["result"]


# The seeds' three results (D2L 18.4.7 in its denominator layout), printed as the texts print them.
SEEDS = [
    (("beta x", "--wrt", "x", "--shape", "beta=1×n"), "beta'", ["n", "1"]),
    (("x' beta'", "--wrt", "x", "--shape", "beta=1×n"), "beta'", ["n", "1"]),  # D2L's exercise: the same answer
    (("x' A x", "--wrt", "x"), "(A + A') x", ["n", "1"]),
    (("norm(X - U V)^2", "--wrt", "V", "--shape", "X=n×m,U=n×r,V=r×m"), "-2 U' (X - U V)", ["r", "m"]),
]


@pytest.mark.parametrize(("args", "expected", "shape"), SEEDS)
def test_seed_results_in_matrix_notation(calc, args, expected, shape):
    res = ok(calc, *args)
    assert res["derivative"] == expected
    assert res["shape"] == shape
    assert res["layout"] == "denominator"
    assert res["verification"]["verified"] and res["verification"]["trials"] >= 2


def test_the_numerator_layout_transposes(calc):
    res = ok(calc, "x' A x", "--wrt", "x", "--layout", "numerator")
    assert res["shape"] == ["1", "n"] and res["verification"]["verified"]
    jac = ok(calc, "A x", "--wrt", "x", "--layout", "numerator")
    assert jac["derivative"] == "A" and jac["kind"] == "jacobian"
    assert ok(calc, "A x", "--wrt", "x")["derivative"] == "A'"


def test_the_hessian_of_a_quadratic_form_is_a_plus_a_transpose(calc):
    res = ok(calc, "x' A x", "--wrt", "x", "--hessian")
    assert res["derivative"] == "A + A'" and res["kind"] == "hessian" and res["order"] == 2


def test_log_det_is_the_inverse_transpose_where_sympy_says_zero(calc):
    res = ok(calc, "log(det(X))", "--wrt", "X")
    assert res["derivative"] == "inv(X)'" and res["verification"]["verified"]
    assert ok(calc, "det(X)", "--wrt", "X")["derivative"] == "det(X) inv(X)'"


def test_the_lesson_layer_jacobian_has_the_layer_shape(calc):
    # The lesson's layer f: R^256 -> R^64: its Jacobian is 64 x 256 (numerator layout).
    res = ok(calc, "tanh(W x + b)", "--wrt", "x", "--shape", "W=64×256,b=64", "--layout", "numerator")
    assert res["shape"] == ["64", "256"] and res["verification"]["verified"]


def test_values_give_the_exact_derivative(calc):
    res = ok(calc, "x' A x", "--wrt", "x", "--at", "A=[[1,2],[3,4]], x=[1,1]")
    assert res["function_value"] == [["10"]]
    assert res["value"] == [["7"], ["13"]]  # (A + A^T) x = [[2, 5], [5, 8]] [1, 1]
    assert res["numeric"] == [[7.0], [13.0]]
    inv = ok(calc, "log(det(X))", "--wrt", "X", "--at", "X=[[2,1],[1,1]]")
    assert [[sp.Rational(v) for v in row] for row in inv["value"]] == [[1, -1], [-1, 2]]


def test_components_write_the_gradient_out_entry_by_entry(calc):
    res = ok(calc, "x' A x", "--wrt", "x", "--components", "2")
    c = res["components"]
    assert c["entries"] == ["x1", "x2"]
    a11, a12, a21, a22, x1, x2 = sp.symbols("A11 A12 A21 A22 x1 x2")
    f = sp.parse_expr(c["function"][0][0], local_dict={str(s): s for s in (a11, a12, a21, a22, x1, x2)})
    assert sp.expand(f - (a11 * x1**2 + (a12 + a21) * x1 * x2 + a22 * x2**2)) == 0
    grad = [
        sp.parse_expr(row[0], local_dict={str(s): s for s in (a11, a12, a21, a22, x1, x2)}) for row in c["derivative"]
    ]
    assert [sp.expand(g - sp.diff(f, v)) for g, v in zip(grad, (x1, x2), strict=True)] == [0, 0]


@pytest.mark.parametrize(
    ("answer", "verdict", "code"),
    [
        ("(A + A') x", "correct", ExitCode.OK),
        ("A x + A' x", "correct", ExitCode.OK),
        ("A'x + Ax", "correct", ExitCode.OK),
        ("2 A x", "incorrect", ExitCode.INCORRECT),  # right only for a symmetric A
        ("x' (A + A')", "incorrect", ExitCode.INCORRECT),  # the numerator layout's shape
    ],
)
def test_check_a_matrix_answer(calc, answer, verdict, code):
    run = calc("matdiff", "x' A x", "--wrt", "x", "--check", answer, "--json")
    assert run.exit_code == code, run.stderr
    assert run.json()["result"]["check"]["verdict"] == verdict


@pytest.mark.parametrize(
    ("formula", "rules"),
    [
        ("log(det(X)) + tr(A X)", ["d det X = det X tr(X⁻¹ dX)", "d tr(X) = tr(dX)"]),
        ("x' inv(X) y", ["d X⁻¹ = -X⁻¹ dX X⁻¹"]),
    ],
)
def test_steps_name_the_differential_rules(calc, formula, rules):
    res = calc("matdiff", formula, "--wrt", "X", "--steps", "--json").json()["result"]
    used = [s["rule"] for s in res["steps"]]
    assert all(rule in used for rule in rules), used
    assert set(rules) <= set(res["rules"])


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("x' A y", "--wrt", "x", "--shape", "A=n×n,y=m"), ExitCode.USAGE, "product: A is n×n and y is m×1"),
        (("det(X)", "--wrt", "X", "--shape", "X=m×n"), ExitCode.USAGE, "det: X is m×n, not square"),
        (("inv(X)", "--wrt", "X", "--shape", "X=m×n"), ExitCode.USAGE, "not square"),
        (("x' A x", "--wrt", "y"), ExitCode.USAGE, "y is not a variable"),
        (("A x", "--wrt", "A x"), ExitCode.USAGE, "not the expression"),
        (("foo(x)", "--wrt", "x"), ExitCode.USAGE, "foo"),
        (("x' A +", "--wrt", "x"), ExitCode.USAGE, "column 7"),
        (("A X B", "--wrt", "X"), ExitCode.MATH, "fourth-order tensor"),
        (("X x", "--wrt", "X"), ExitCode.MATH, "third-order tensor"),
        (("x' A x", "--wrt", "x", "--at", "A=[[1,2],[3,4]], x=[1,1,1]"), ExitCode.USAGE, "--at"),
        (("x' A x", "--wrt", "x", "--at", "x=[1,1]"), ExitCode.USAGE, "A"),
    ],
)
def test_bad_input_is_one_clear_line(calc, args, code, message):
    run = calc("matdiff", *args)
    assert run.exit_code == code, (run.stdout, run.stderr)
    assert message in run.stderr and "Traceback" not in run.stderr
    assert run.stderr.startswith("calccli: error:")
