"""--check verdicts on numbers, decimals and answer forms, through the CLI (issue 11 A2, B).

Each class of defect is tested over every command it touches: a bare number answers the value
at the point wherever a result has one; decimals are read to the digits given (``1.22`` is right
for 1.2214 because that is what 1.2214 rounds to, ``1.23`` and ``1.2214``-for-1.22 are not); an
exact answer off by any nonzero constant is wrong, however small the constant.
"""

from __future__ import annotations

import re

import pytest


def verdict(calc, *args: str) -> tuple[int, dict]:
    run = calc(*args, "--json")
    assert run.exit_code in (0, 1, 5), run.stderr
    return run.exit_code, run.json()["result"]["check"]


# --------------------------------------------------------------------------- a number answers the value at the point


@pytest.mark.parametrize(
    ("args", "exact"),
    [
        (["diff", "x^3 + x", "--wrt", "x", "--at", "0.5"], 1.75),
        (["diff", "sin(x)", "--wrt", "x", "--at", "1"], 0.5403023058681398),
        (["laplacian", "x^2 y + y^3", "--at", "1,2"], 16.0),
        (["taylor", "e^(x+y)", "--at", "0,0", "--eval", "0.1,0.1"], 1.22),
        (["taylor", "sqrt(1+x)", "--at", "0", "--order", "1", "--eval", "0.2"], 1.1),
        (["taylor", "cos(x)", "--at", "0", "--order", "2", "--eval", "0.5"], 0.875),  # 1 - x^2/2
        (["directional", "x^2 y", "--at", "1,2", "--dir", "3,4"], 3.2),  # (4, 1) . (3, 4)/5
    ],
    ids=lambda a: " ".join(a[:2]) if isinstance(a, list) else None,
)
def test_a_bare_number_is_compared_with_the_value_at_the_point(calc, args, exact):
    # to 2 and to 4 decimals: what the exact value rounds to is right, one unit off in the last digit is not
    for places in (2, 4):
        right = f"{exact:.{places}f}"
        off = f"{float(right) + 10**-places:.{places}f}"
        code, c = verdict(calc, *args, "--check", right)
        assert (code, c["verdict"]) == (0, "correct"), (right, c)
        code, c = verdict(calc, *args, "--check", off)
        assert (code, c["verdict"]) == (1, "incorrect"), (off, c)
        assert c["differs_at"] is None  # a number against a number, not against the polynomial at (1, 1)


def test_the_practice_problem_taylor_answer_is_correct(calc):
    # /work/shared/seeds: "At (0.1, 0.1): f ≈ 1 + 0.2 + 0.02 = 1.22"
    code, c = verdict(calc, "taylor", "e^(x+y)", "--at", "0,0", "--eval", "0.1,0.1", "--check", "1.22")
    assert (code, c["verdict"], c["expected"]) == (0, "correct", "61/50")
    # the exact e^0.2 = 1.2214... is not the approximation asked for, to the 4 digits given
    code, c = verdict(calc, "taylor", "e^(x+y)", "--at", "0,0", "--eval", "0.1,0.1", "--check", "1.2214")
    assert (code, c["verdict"]) == (1, "incorrect")
    assert "exact value" in c["reason"] and "61/50" in c["reason"]


def test_without_eval_a_taylor_answer_is_the_polynomial(calc):
    code, c = verdict(calc, "taylor", "e^(x+y)", "--at", "0,0", "--check", "1.22")
    assert (code, c["verdict"]) == (1, "incorrect")


# --------------------------------------------------------------------------- an integral with no closed form


@pytest.mark.parametrize(
    ("answer", "code"),
    # sin(sin(x)) over [0, 1] = 0.43060610312...
    [("0.43", 0), ("0.4306", 0), ("0.430606", 0), ("0.4307", 1), ("0.44", 1), ("0.4305", 1), ("0.4", 0), ("0.5", 1)],
)
def test_a_numeric_integral_follows_the_digits_given_rule(calc, answer, code):
    got, c = verdict(calc, "integrate", "sin(sin(x))", "--bound", "x=0..1", "--check", answer)
    assert got == code, c
    assert "digits given" in c["method"]


# --------------------------------------------------------------------------- tiny constants are differences


@pytest.mark.parametrize(
    "args",
    [
        ["diff", "x^2", "--wrt", "x", "--check", "2x + 1e-12"],
        ["diff", "x^2", "--wrt", "x", "--check", "2x - 1/10^30"],
        ["grad", "x^2 y", "--check", "[2x y, x^2 + 1e-15]"],
        ["taylor", "e^x", "--order", "2", "--check", "1 + x + x^2/2 + 1e-20"],
        ["laplacian", "x^2 + y^2", "--check", "4 + 10^-40"],
        ["diff", "x^2", "--wrt", "x", "--at", "1", "--check", "2 + 10^-20"],
    ],
    ids=lambda a: " ".join(a),
)
def test_an_exact_answer_off_by_a_tiny_constant_is_incorrect(calc, args):
    code, c = verdict(calc, *args)
    assert (code, c["verdict"]) == (1, "incorrect"), c


def test_decimals_in_an_expression_are_exact(calc):
    assert verdict(calc, "diff", "x^2/4", "--wrt", "x", "--check", "0.5x")[0] == 0
    assert verdict(calc, "diff", "x^2/4", "--wrt", "x", "--check", "0.5000000001x")[0] == 1


# --------------------------------------------------------------------------- classify: decimals and answer forms

SADDLE_AND_MINIMA = ["classify", "x^4 + y^4 - 4xy + 1"]  # minima at ±(1, 1), saddle at (0, 0)


@pytest.mark.parametrize(
    "answer",
    [
        "min at (1,1) and (-1,-1), saddle at (0,0)",
        "global min at (1,1) and (-1,-1); saddle at (0,0)",
        "local minimum at (1, 1); local minimum at (-1, -1); saddle at (0,0)",
        "minimum (1,1), (-1,-1), saddle point (0,0)",
        "min at x=1, y=1 and x=-1, y=-1; saddle at x=0, y=0",
        "saddle at (0, 0) and min at (1, 1) and (-1, -1)",
        "minima at (x, y) = (1, 1) and (-1, -1), a saddle point at (0, 0)",
        "min at (1.00, 1.0), (-1.0, -1.00); saddle at (0.0, 0)",
    ],
)
def test_classify_answer_forms(calc, answer):
    code, c = verdict(calc, *SADDLE_AND_MINIMA, "--check", answer)
    assert (code, c["verdict"]) == (0, "correct"), c


def test_a_global_claim_is_read_but_said_to_be_unchecked(calc):
    _, c = verdict(calc, *SADDLE_AND_MINIMA, "--check", "global min at (1,1) and (-1,-1), saddle at (0,0)")
    assert "'global' is not checked" in c["method"]


# f = x^3/3 - x/2 + y^2: min at (sqrt(2)/2, 0) = (0.70710678..., 0), max? no: saddle at (-sqrt(2)/2, 0)
IRRATIONAL = ["classify", "x^3/3 - x/2 + y^2"]


@pytest.mark.parametrize(
    ("answer", "code"),
    [
        ("min at (0.707, 0), saddle at (-0.707, 0)", 0),
        ("min at (0.71, 0), saddle at (-0.71, 0)", 0),
        ("min at (0.7071, 0), saddle at (-0.7071, 0.000)", 0),
        ("min at (0.7, 0), saddle at (-0.7, 0)", 0),  # one decimal: 0.7071 rounds to 0.7
        ("min at (0.708, 0), saddle at (-0.707, 0)", 1),  # one unit off in the last digit
        ("min at (0.7072, 0), saddle at (-0.7071, 0)", 1),
        ("min at (0.707, 0.1), saddle at (-0.707, 0)", 1),
        ("min at (sqrt(2)/2, 0), saddle at (-sqrt(0.5), 0)", 0),
    ],
)
def test_decimal_coordinates_are_read_to_their_digits(calc, answer, code):
    got, c = verdict(calc, *IRRATIONAL, "--check", answer)
    assert got == code, c


# --------------------------------------------------------------------------- the check block in LaTeX


def test_check_latex_sends_expressions_through_sp_latex(calc):
    out = calc("diff", "2x + y^2", "--wrt", "y", "--check", "8y^2", "-f", "latex").stdout
    assert r"8 y^{2}" in out  # the answer as mathematics
    texts = re.findall(r"\\text\{((?:[^{}]|\{[^{}]*\})*)\}", out)
    assert texts and not any("**" in t or "✗" in t or "✓" in t for t in texts), texts
    out = calc("grad", "x^2 y", "--check", "[2xy, x^2 + 1]", "-f", "latex").stdout
    assert r"\left[ 2 x y, \  x^{2} + 1\right]" in out
    assert not any("**" in t for t in re.findall(r"\\text\{([^}]*)\}", out))
