"""``calccli eval`` and ``calccli simplify``: exact values with floats, simplifications that are equal."""

from __future__ import annotations

import math

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from calccli.calculus import expression
from calccli.errors import ExitCode
from calccli.formula.grammar import formula


@pytest.mark.parametrize(
    "text, at, exact, numeric",
    [
        ("sin(pi/4)^2", None, sp.Rational(1, 2), 0.5),
        ("x^2 + 1", "x=2", sp.Integer(5), 5.0),
        ("exp(x y)", "x=1,y=ln(2)", sp.Integer(2), 2.0),
        ("sqrt(8)", None, 2 * sp.sqrt(2), math.sqrt(8)),
        ("atan(1) * 4", None, sp.pi, math.pi),
        ("log(8, 2)", None, sp.Integer(3), 3.0),
    ],
)
def test_eval_is_exact_with_its_float(calc, text, at, exact, numeric):
    args = ["eval", text, "--json"] + (["--at", at] if at else [])
    r = calc(*args)
    assert r.exit_code == 0, r.stderr
    result = r.json()["result"]
    assert sp.simplify(formula(result["value"]).expr - exact) == 0
    assert result["numeric"] == pytest.approx(numeric, rel=1e-15)


def test_eval_text_is_the_value_and_its_float(calc):
    r = calc("eval", "sin(pi/4)^2", "-f", "text")
    assert (r.exit_code, r.stdout) == (0, "1/2\t0.5\n")


def test_eval_keeps_variables_without_a_point(calc):
    r = calc("eval", "x^2 + 1", "--json")
    assert r.exit_code == 0
    assert r.json()["result"]["value"] == "x**2 + 1" and r.json()["result"]["numeric"] is None


@pytest.mark.parametrize("text, at", [("1/0", None), ("sqrt(-1)", None), ("1/x", "x=0"), ("ln(x)", "x=-1")])
def test_eval_where_undefined_or_not_real_is_a_maths_error(calc, text, at):
    r = calc("eval", text, *(["--at", at] if at else []))
    assert r.exit_code == ExitCode.MATH
    assert r.stdout == ""
    assert r.stderr.startswith("calccli: error: ") and r.stderr.count("\n") == 1


@pytest.mark.parametrize(
    "text, expected",
    [
        ("sin(x)^2 + cos(x)^2", "1"),
        ("(x^2 - 1)/(x - 1)", "x + 1"),
        ("(x + 1)^2 - x^2", "2x + 1"),
        ("tan(x) cos(x)", "sin(x)"),
        ("2 sin(x) cos(x)", "sin(2*x)"),
    ],
)
def test_simplify_finds_the_simple_form(calc, text, expected):
    r = calc("simplify", text, "--json")
    assert r.exit_code == 0, r.stderr
    got = formula(r.json()["result"]["simplified"]).expr  # read back by calccli's own grammar
    assert sp.simplify(got - formula(expected).expr) == 0
    assert r.json()["result"]["changed"] is True


def test_simplify_of_a_simple_expression_changes_nothing(calc):
    r = calc("simplify", "x + y", "--json")
    assert r.json()["result"]["simplified"] == "x + y" and r.json()["result"]["changed"] is False


def test_simplify_text_pastes_back(calc):
    r = calc("simplify", "(x^2 - 1)/(x - 1)", "-f", "text")
    assert r.stdout == "x + 1\n"
    again = calc("simplify", r.stdout.strip(), "-f", "text")
    assert again.stdout == "x + 1\n"


@pytest.mark.parametrize(
    ("args", "answer", "verdict"),
    [
        (["eval", "sin(pi/4)^2"], "1/2", "correct"),
        (["eval", "sin(pi/4)^2"], "0.5", "correct"),
        (["eval", "sin(pi/4)^2"], "0.6", "incorrect"),
        (["eval", "x^2 + 1", "--at", "x=2"], "5", "correct"),
        (["eval", "x^2 + 1", "--at", "x=2"], "4", "incorrect"),
        (["simplify", "sin(x)^2 + cos(x)^2"], "1", "correct"),
        (["simplify", "(x^2 - 1)/(x - 1)"], "x + 1", "correct"),
        (["simplify", "(x^2 - 1)/(x - 1)"], "x - 1", "incorrect"),
    ],
)
def test_check_grades_a_value_or_an_equal_form(calc, args, answer, verdict):
    r = calc(*args, "--check", answer, "--json")
    assert r.json()["result"]["check"]["verdict"] == verdict
    assert r.exit_code == (0 if verdict == "correct" else 1)


def test_a_vector_is_refused(calc):
    r = calc("eval", "[1, 2]")
    assert r.exit_code == ExitCode.USAGE


# Rational functions and trig identities: whatever simplify returns is equal at sample points.
_terms = st.sampled_from(["x", "y", "x^2", "sin(x)", "cos(y)", "exp(x)", "(x + 1)", "1/(x^2 + 1)"])


@settings(max_examples=25, deadline=None)
@given(st.lists(_terms, min_size=1, max_size=4), st.lists(st.integers(-3, 3), min_size=4, max_size=4))
def test_simplified_form_equals_the_expression(terms, coefficients):
    text = " + ".join(f"({c}) {t}" for c, t in zip(coefficients, terms, strict=False))
    f = formula(text)
    s = expression.simplify(f).simplified
    for point in ({"x": 0.3, "y": -1.7}, {"x": 2.1, "y": 0.4}):
        values = {v: sp.Float(point[v.name]) for v in f.variables}
        assert abs(complex((f.expr - s).evalf(subs=values))) < 1e-9
