"""Values at a point come from the formula AT the point, with every variable put in at once.

SymPy's ``subs`` puts one variable in after another and cancels on the way, which is an iterated
limit: x y (x^2 - y^2)/(x^2 + y^2) has the mixed partials -1 and 1 "at" the origin that way, though
the formula is 0/0 there.  Every command that evaluates at a point must refuse such a point with a
maths error (exit 1) that names the reason, and Taylor polynomials in one variable at a removable
singularity are those of the continuous extension, with a note.
"""

from __future__ import annotations

import pytest
import sympy as sp

x = sp.Symbol("x")

# (formula, the reason's words) - each undefined at (x, y) = (0, 0)
SINGULAR_2D = [
    ("x y (x^2 - y^2)/(x^2 + y^2)", "the denominator x**2 + y**2 is 0 there"),
    ("x y/(x^2 + y^2)", "the denominator x**2 + y**2 is 0 there"),
    ("sin(x y)/(x y)", "is 0 there"),
    ("ln(x^2 + y^2)", "logarithm of 0"),
    ("(x^2 + y^2)^(-1/2)", "negative power -1/2"),
    ("atan2(y, x)", "atan2(0, 0)"),
    ("y + cot(x)", "cot(x) is undefined there"),
    ("x^2 + 1/(x - y)", "the denominator x - y is 0 there"),
]

# every command that evaluates at a point, as arguments before the point
COMMANDS = {
    "diff": lambda f: ["diff", f, "--wrt", "y,x"],
    "grad": lambda f: ["grad", f],
    "directional": lambda f: ["directional", f, "--dir", "1,1"],
    "jacobian": lambda f: ["jacobian", f"[{f}, x + y]"],
    "hessian": lambda f: ["hessian", f],
    "laplacian": lambda f: ["laplacian", f],
    "taylor": lambda f: ["taylor", f, "--order", "1"],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize(("text", "reason"), SINGULAR_2D, ids=[s[0] for s in SINGULAR_2D])
def test_every_command_refuses_a_point_where_f_is_undefined(calc, command, text, reason):
    r = calc(*COMMANDS[command](text), "--at", "0,0")
    assert r.exit_code == 1, (r.stdout, r.stderr)
    assert r.stdout == ""
    line = r.stderr.strip()
    assert "\n" not in line and line.startswith("calccli: error: "), line
    assert "undefined at (x, y) = (0, 0)" in line and reason in line, line
    assert "limit" in line  # says what asks the real question


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_the_json_error_of_a_singular_point_is_a_math_error(calc, command):
    r = calc(*COMMANDS[command]("x y/(x^2 + y^2)"), "--at", "0,0", "--json")
    assert r.exit_code == 1
    assert "undefined" in r.json()["error"]["message"]


@pytest.mark.parametrize("wrt", ["x,y", "y,x"])
def test_the_iterated_limit_is_not_reported_as_a_mixed_partial(calc, wrt):
    # the example of issue 11: -1 one way, 1 the other, neither is a value of f's partials at 0
    r = calc("diff", "x y (x^2-y^2)/(x^2+y^2)", "--wrt", wrt, "--at", "0,0")
    assert r.exit_code == 1 and "-1" not in r.stdout


def test_away_from_the_singularity_the_values_are_the_formulas(calc):
    # d/dx d/dy of x y (x^2-y^2)/(x^2+y^2) at (1, 2): checked against a float central difference
    r = calc("diff", "x y (x^2-y^2)/(x^2+y^2)", "--wrt", "y,x", "--at", "1,2", "--json")
    assert r.exit_code == 0, r.stderr

    def f(a: float, b: float) -> float:
        return a * b * (a * a - b * b) / (a * a + b * b)

    h = 1e-4
    mixed = (f(1 + h, 2 + h) - f(1 + h, 2 - h) - f(1 - h, 2 + h) + f(1 - h, 2 - h)) / (4 * h * h)
    assert r.json()["result"]["numeric"]["derivative"] == pytest.approx(mixed, rel=1e-6)


@pytest.mark.parametrize(
    ("text", "args"),
    [("sin(x)/x", []), ("1/x", []), ("ln|x|", []), ("x^(-2)", []), ("tan(x)", ["--at", "pi/2"])],
)
@pytest.mark.parametrize("command", ["diff", "grad", "hessian", "laplacian"])
def test_one_variable_singular_points_are_refused_by_the_derivative_commands(calc, command, text, args):
    r = calc(command, text, *(args or ["--at", "0"]))
    assert r.exit_code == 1, r.stdout
    assert "undefined at x = " in r.stderr


# ------------------------------------------------------------------ Taylor at a removable singularity


@pytest.mark.parametrize(
    ("text", "at", "order", "expected", "value"),
    [
        ("sin(x)/x", "0", 4, 1 - x**2 / 6 + x**4 / 120, 1),
        ("(1 - cos(x))/x^2", "0", 2, sp.Rational(1, 2) - x**2 / 24, sp.Rational(1, 2)),
        ("(e^x - 1)/x", "0", 3, 1 + x / 2 + x**2 / 6 + x**3 / 24, 1),
        ("sin(x - 1)/(x - 1)", "1", 2, 1 - (x - 1) ** 2 / 6, 1),
        ("(x^2 - 4)/(x - 2)", "2", 2, x + 2, 4),
    ],
)
def test_taylor_at_a_removable_singularity_is_that_of_the_continuous_extension(calc, text, at, order, expected, value):
    r = calc("taylor", text, "--at", at, "--order", str(order), "--json")
    assert r.exit_code == 0, r.stderr
    doc = r.json()
    got = sp.sympify(doc["result"]["polynomial"], locals={"x": x})
    assert sp.expand(got - expected) == 0, got
    assert sp.sympify(doc["result"]["value"]) == value
    (note,) = doc["notes"]
    assert "undefined at x = " in note and "continuous extension" in note
    # and the note is said in the other formats too
    for fmt in ("text", "latex"):
        other = calc("taylor", text, "--at", at, "--order", str(order), "--format", fmt)
        assert "continuous extension" in other.stderr
    table = calc("taylor", text, "--at", at, "--order", str(order), "--format", "table")
    assert "continuous" in table.stdout


@pytest.mark.parametrize(
    "text",
    ["1/x", "x atan(1/x)", "sin(x)/x^2", "ln|x|", "DiracDelta(x)", "|x|/x", "sqrt(x^2)/x"],
)
def test_taylor_where_no_continuous_extension_has_a_series_is_a_math_error(calc, text):
    r = calc("taylor", text, "--at", "0")
    assert r.exit_code == 1, r.stdout
    assert r.stderr.count("\n") == 1 and "internal" not in r.stderr


def test_taylor_of_a_delta_is_a_math_error_not_an_internal_one(calc):
    r = calc("taylor", "DiracDelta(b)")
    assert r.exit_code == 1
    assert "DiracDelta(b)" in r.stderr and "b = 0" in r.stderr


def test_taylor_in_several_variables_at_a_singularity_is_an_error(calc):
    r = calc("taylor", "sin(x y)/(x y)", "--at", "0,0")
    assert r.exit_code == 1 and "undefined at (x, y) = (0, 0)" in r.stderr
