"""The homework companion through the CLI: --check verdicts and exit codes on every command, --steps.

Cases are worked examples from the seeds, including their slips: the handwritten notes give
∂/∂y (2x + y²) as 8y² (it is 2y), and the lesson rounds ∬ over the unit square of (x + y) to
about 0.5 (it is 1).
"""

from __future__ import annotations

import pytest


def verdict(calc, *args: str) -> tuple[int, dict]:
    run = calc(*args, "--json")
    assert run.exit_code in (0, 1, 5), run.stderr
    return run.exit_code, run.json()["result"]["check"]


@pytest.mark.parametrize(
    "args, expected_code",
    [
        (["diff", "2x + y^2", "--wrt", "y", "--check", "8y^2"], 1),  # the notes' slip
        (["diff", "2x + y^2", "--wrt", "y", "--check", "2y"], 0),
        (["diff", "ln(sin(x^3)^2)", "--wrt", "x", "--check", "6x^2 cot(x^3)"], 0),
        (["diff", "ln(sin(x^3)^2)", "--wrt", "x", "--check", "6x^2 cos(x^3)"], 1),  # the notes' other slip
        (["diff", "sin(x^2)", "--wrt", "x", "--check", "cos(x^2)"], 1),  # missing chain-rule factor
        (["diff", "sin(2x)", "--wrt", "x", "--check", "2cos(x)^2 - 2sin(x)^2"], 0),  # an equivalent form
        (["diff", "x^3", "--wrt", "x", "--at", "2", "--check", "12"], 0),
        (["grad", "x^2 y + y z^2", "--at", "1,2,3", "--check", "[4, 10, 12]"], 0),
        (["laplacian", "x^2 + y^2 + z^2", "--check", "6"], 0),
        (["hessian", "x^4 + y^4 - 4xy + 1", "--check", "[[12x^2, -4], [-4, 12y^2]]"], 0),
        (["hessian", "x^4 + y^4 - 4xy + 1", "--check", "[[12x^2, 4], [4, 12y^2]]"], 1),
        (["jacobian", "[r cos(theta), r sin(theta)]", "--wrt", "r,theta", "--check", "r"], 0),  # the determinant
        (["taylor", "e^(x+y)", "--check", "1 + x + y + (x+y)^2/2"], 0),
        (["taylor", "e^(x+y)", "--check", "1 + x + y + (x+y)^2"], 1),  # the ½ forgotten
        (["integrate", "x cos(x)", "--check", "x sin(x) + cos(x)"], 0),
        (["integrate", "x cos(x)", "--check", "x sin(x) + cos(x) + 7"], 0),  # any constant
        (["integrate", "x cos(x)", "--check", "x sin(x) - cos(x)"], 1),  # sign error
        (["integrate", "1/x", "--check", "ln(x)"], 0),  # piecewise constant: ln x vs ln|x|
        (["integrate", "x + y", "--bound", "x=0..1", "--bound", "y=0..1", "--check", "0.5"], 1),  # the lesson's slip
        (["integrate", "x + y", "--bound", "x=0..1", "--bound", "y=0..1", "--check", "1"], 0),
        (["integrate", "sin(x)/x", "--from", "0", "--to", "oo", "--check", "1.571"], 0),  # to the digits given
        (["integrate", "sin(x)/x", "--from", "0", "--to", "oo", "--check", "1.58"], 1),
        (["taylor", "e^(x+y)", "--eval", "0.1,0.1", "--check", "1 + x + y + (x+y)^2/2"], 0),
        (["classify", "x^4 + y^4 - 4xy + 1", "--check", "min at (1,1) and (-1,-1), saddle at (0,0)"], 0),
        (["classify", "x^4 + y^4 - 4xy + 1", "--check", "min at (1,1), saddle at (0,0)"], 1),  # a point missing
        (["classify", "x^4 + y^4 - 4xy + 1", "--check", "max at (1,1) and (-1,-1), saddle at (0,0)"], 1),
    ],
)
def test_verdicts_and_exit_codes(calc, args, expected_code):
    code, check = verdict(calc, *args)
    assert code == expected_code, check
    assert check["verdict"] == {0: "correct", 1: "incorrect", 5: "undetermined"}[code]


def test_a_wrong_vector_names_the_wrong_component_and_shows_the_right_answer(calc):
    code, check = verdict(calc, "grad", "x^2 y + y z^2", "--at", "1,2,3", "--check", "[4, 13, 12]")
    assert code == 1 and check["wrong_components"] == ["∂f/∂y"]
    assert check["expected"] == "[4, 10, 12]"


def test_a_wrong_expression_comes_with_a_point_where_it_differs(calc):
    code, check = verdict(calc, "diff", "2x + y^2", "--wrt", "y", "--check", "8y^2")
    assert code == 1 and check["expected"] == "2*y" and check["differs_at"] is not None


def test_human_output_says_the_verdict(calc):
    out = calc("diff", "2x + y^2", "--wrt", "y", "--check", "8y^2", "-f", "text")
    assert out.exit_code == 1 and "incorrect" in out.stdout and "2*y" in out.stdout


def test_an_unreadable_answer_is_a_usage_error_with_a_caret(calc):
    out = calc("diff", "x^2", "--check", "2x +")
    assert out.exit_code == 2 and "^" in out.stderr


def test_derivative_steps_name_intermediate_variables(calc):
    out = calc("diff", "ln(sin(x^3)^2)", "--wrt", "x", "--steps", "--json")
    assert out.exit_code == 0
    steps = out.json()["result"]["steps"]
    rules = [s["rule"] for s in steps]
    assert "chain rule" in rules and rules[-1] == "simplify"
    assert any("u = x**3" in s["detail"] or "u = x^3" in s["detail"] for s in steps)


def test_integral_steps_by_parts(calc):
    out = calc("integrate", "x cos(x)", "--steps", "--json")
    steps = out.json()["result"]["steps"]
    assert any(s["rule"] == "integration by parts" for s in steps)


def test_integral_without_steps_says_so(calc):
    out = calc("integrate", "exp(-x^2) cos(x^3)", "--from", "0", "--to", "1", "--steps", "--json", "--timeout", "5")
    res = out.json()["result"]
    assert res["steps"] == [] and res["steps_note"]


@pytest.mark.parametrize("fmt", ["table", "text", "latex"])
def test_steps_render_in_every_format(calc, fmt):
    out = calc("diff", "x sin(x)", "--wrt", "x", "--steps", "-f", fmt)
    assert out.exit_code == 0 and "product rule" in out.stdout


def test_classify_steps_solve_then_test(calc):
    out = calc("classify", "x^4 + y^4 - 4xy + 1", "--steps", "--json")
    rules = [s["rule"] for s in out.json()["result"]["steps"]]
    assert rules[:2] == ["gradient", "solve ∇f = 0"] and rules.count("classify") == 3


def test_too_little_evidence_is_undetermined_exit_5(calc):
    # sqrt(-1 - x^2) is not real anywhere: no point can compare the two sides
    code, check = verdict(calc, "diff", "x^2", "--wrt", "x", "--check", "2x + sqrt(-1-x^2)")
    assert code == 5 and check["verdict"] == "undetermined"


def test_divergent_integrals_are_graded_as_divergent(calc):
    code, check = verdict(calc, "integrate", "1/x", "--from", "-1", "--to", "1", "--check", "0")
    assert code == 1 and "diverges" in check["reason"] and "principal value is 0" in check["reason"]
    code, check = verdict(calc, "integrate", "1/x", "--from", "0", "--to", "1", "--check", "oo")
    assert code == 0


def test_taylor_steps_build_the_polynomial_degree_by_degree(calc):
    res = calc("taylor", "e^(x+y)", "--steps", "--json").json()["result"]
    rules = [s["rule"] for s in res["steps"]]
    assert rules[:3] == ["value", "gradient", "Hessian"] and rules[-1] == "sum"
    assert [r for r in rules if r.startswith("degree")] == ["degree 0", "degree 1", "degree 2"]


def test_decimals_in_an_expression_are_exact_not_a_tolerance(calc):
    code, _ = verdict(calc, "integrate", "x", "--check", "0.7x^2")
    assert code == 1
    code, _ = verdict(calc, "integrate", "x", "--check", "0.5x^2")
    assert code == 0


def test_no_answer_from_calccli_is_undetermined_not_incorrect(calc):
    r = calc("integrate", "x^x", "--check", "x^x/ln(x)")
    assert r.exit_code == 5 and "cannot check" in r.stderr
