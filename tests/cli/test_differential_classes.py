"""Classes of defects of the differential commands (issue 11): constants that cannot be evaluated,
derivatives of |u| and sign(u), and variables held constant without a word.
"""

from __future__ import annotations

import time

import pytest
import sympy as sp

x = sp.Symbol("x", real=True)

# Constants with an exact value and no float in any reasonable time: the argument of the outer
# function has hundreds of millions of digits, so a numerical evaluation would run for minutes.
TOWERS = [
    "sin(sin(3 + exp(exp(exp(3)))))",
    "cos(exp(exp(exp(3))))",
    "tan(1 + exp(exp(exp(2.5))))",
    "sin(exp(exp(exp(3)))) + cos(exp(exp(exp(3))))",
]

COMMANDS = {
    "diff": lambda f: ["diff", f, "--wrt", "x"],
    "grad": lambda f: ["grad", f],
    "directional": lambda f: ["directional", f, "--dir", "1,1"],
    "jacobian": lambda f: ["jacobian", f"[{f}, y]"],
    "hessian": lambda f: ["hessian", f],
    "laplacian": lambda f: ["laplacian", f],
    "taylor": lambda f: ["taylor", f, "--order", "1"],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("constant", TOWERS)
@pytest.mark.parametrize("at", [[], ["--at", "1,2"]], ids=["symbolic", "at-a-point"])
def test_a_tower_constant_stays_exact_and_does_not_time_out(calc, command, constant, at):
    formula = f"x^2 y {constant}"  # the derivatives are the constant times a polynomial
    start = time.monotonic()
    r = calc(*COMMANDS[command](formula), *at, "--json", "--timeout", "15")
    assert r.exit_code == 0, r.stderr
    assert time.monotonic() - start < 10
    assert "exp(exp(exp(" in r.stdout  # the constant is kept exactly, not replaced by a float


def test_the_gradient_of_the_issue_is_the_constant_factor(calc):
    r = calc("grad", "x*sin(sin(3 + exp(exp(exp(3)))))", "--json", "--timeout", "15")
    assert r.exit_code == 0, r.stderr
    assert r.json()["result"]["gradient"] == {"x": "sin(sin(3 + exp(exp(exp(3)))))"}


def test_a_float_out_of_reach_is_null_not_a_wrong_number(calc):
    r = calc("grad", "x*cos(exp(exp(exp(3))))", "--at", "1", "--json", "--timeout", "15")
    assert r.exit_code == 0, r.stderr
    assert r.json()["result"]["numeric"]["gradient"] == {"x": None}


@pytest.mark.parametrize(
    "args",
    [
        ["grad", "x*cos(exp(exp(exp(3))))", "--at", "1"],
        ["diff", "x*cos(exp(exp(exp(3))))", "--at", "1"],
        ["directional", "x*cos(exp(exp(exp(3))))", "--at", "1", "--dir", "1"],
        ["laplacian", "x^2*cos(exp(exp(exp(3))))", "--at", "1"],
        ["jacobian", "[x*cos(exp(exp(exp(3)))), x]", "--at", "1"],
        ["hessian", "x^2 y*cos(exp(exp(exp(3))))", "--at", "1,2"],
        ["taylor", "x*cos(exp(exp(exp(3))))", "--at", "1", "--eval", "2", "--order", "1"],
    ],
)
def test_a_missing_float_is_said_in_a_note(calc, args):
    doc = calc(*args, "--json", "--timeout", "15").json()
    assert any("no float at bounded precision" in n for n in doc["notes"]), doc["notes"]


def test_a_float_in_reach_is_given(calc):
    r = calc("grad", "x*sin(exp(exp(2)))", "--at", "1", "--json")
    assert r.json()["result"]["numeric"]["gradient"]["x"] == pytest.approx(float(sp.sin(sp.exp(sp.exp(2)))))


# ------------------------------------------------------------------ |u|, sign(u): calccli formulas


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ln|x|", 1 / x),
        ("ln|sin(x)|", sp.cos(x) / sp.sin(x)),
        ("|x|", sp.sign(x)),
        ("x |x|", 2 * sp.Abs(x)),
        ("|x|^3", 3 * x * sp.Abs(x)),
        ("sign(x)", sp.S.Zero),
        ("sign(x) x^2", 2 * x * sp.sign(x)),
        ("Heaviside(x) + x", sp.S.One),
    ],
)
def test_derivatives_of_abs_and_sign_print_without_piecewise_or_delta(calc, text, expected):
    r = calc("diff", text, "--json")
    assert r.exit_code == 0, r.stderr
    got = r.json()["result"]["derivative"]
    assert "Piecewise" not in got and "DiracDelta" not in got and "Eq(" not in got, got
    value = sp.sympify(got.replace("|", "Abs(", 1).replace("|", ")", 1) if "|" in got else got, locals={"x": x})
    assert sp.simplify(value - expected) == 0, got
    # and away from the kink the value is right numerically (x = 0.7 and x = -1.3)
    for p in (0.7, -1.3):
        assert float(value.subs(x, p)) == pytest.approx(float(expected.subs(x, p)))


@pytest.mark.parametrize("text", ["ln|x|", "|x|", "sign(x)", "x |x|"])
def test_at_the_kink_there_is_no_derivative(calc, text):
    r = calc("diff", text, "--at", "0")
    assert r.exit_code == 1, r.stdout


# ------------------------------------------------------------------ variables held constant


@pytest.mark.parametrize(
    "args",
    [
        ["grad", "(u+v)^2", "--wrt", "w,x,y,z"],
        ["diff", "(u+v)^2", "--wrt", "x"],
        ["hessian", "(u+v)^2", "--wrt", "x,y"],
        ["laplacian", "(u+v)^2", "--wrt", "x,y"],
        ["directional", "(u+v)^2", "--wrt", "x,y", "--dir", "1,0"],
        ["jacobian", "[u, v]", "--wrt", "x,y"],
        ["taylor", "(u+v)^2", "--wrt", "x"],
    ],
)
def test_variables_the_formula_lacks_are_named_and_its_symbols_held_constant(calc, args):
    doc = calc(*args, "--json").json()
    (note,) = [n for n in doc["notes"] if "held constant" in n]
    assert "u, v are held constant" in note and "does not contain" in note
    for fmt in ("text", "latex"):
        assert "u, v are held constant" in calc(*args, "--format", fmt).stderr
    assert "held constant" in calc(*args, "--format", "table").stdout


def test_no_note_when_the_variables_are_all_in_the_formula(calc):
    assert calc("grad", "a x^2 + y", "--wrt", "x,y", "--json").json()["notes"] == []


# ------------------------------------------------------------------ tables at 80 columns


@pytest.mark.parametrize(
    ("args", "title"),
    [
        (["hessian", "x^2 + y^2 + z^2", "--at", "1,1,1"], "Hessian at p"),
        (["jacobian", "[x^2 y, x + y]", "--at", "1,2"], "Jacobian at p"),
    ],
)
def test_matrix_titles_fit_on_one_line_at_80_columns(calc, monkeypatch, args, title):
    monkeypatch.setenv("COLUMNS", "80")
    out = calc(*args, "--format", "table").stdout
    assert title in out.splitlines()  # a line of its own, not split over two
    assert all(len(line) <= 80 for line in out.splitlines())
