"""Text for pipes: a ``-`` batch pairs each result with its formula, and stderr names the input line."""

from __future__ import annotations

import pytest

BATCH = "x^2 y\n# a comment\n\nsin(x y)\nx^^2\nexp(x) + y\n"
FORMULAS = ["x^2 y", "sin(x y)", "x^^2", "exp(x) + y"]


def _results(stdout: str) -> list[str]:
    return stdout.split("\n\n")


def test_each_batch_result_opens_with_its_formula(calc):
    r = calc("grad", "-", "--wrt", "x,y", "-f", "text", input=BATCH)
    assert r.exit_code == 2
    results = _results(r.stdout)
    assert [res.splitlines()[0] for res in results] == [f"==> {f} <==" for f in FORMULAS]
    assert results[0] == "==> x^2 y <==\nx\t2*x*y\ny\tx**2"
    assert results[2] == "==> x^^2 <=="  # a failed formula keeps its place


def test_batch_errors_name_the_input_line(calc):
    r = calc("grad", "-", "--wrt", "x,y", "-f", "text", input=BATCH)
    assert r.stderr.splitlines()[0] == "calccli: line 5: error: unexpected '^' at column 3"


@pytest.mark.parametrize("fmt", ["text", "latex", "table"])
def test_batch_results_are_separated_by_one_blank_line(calc, fmt):
    r = calc("grad", "-", "--wrt", "x,y", "-f", fmt, input="x^2 y\nsin(x y)\n")
    assert r.exit_code == 0
    if fmt == "latex":
        assert r.stdout.count("\\begin{aligned}") == 2
        assert "\\end{aligned}\n\n% sin(x y)\n\\begin{aligned}" in r.stdout
    elif fmt == "text":
        assert len(_results(r.stdout)) == 2


def test_batch_json_is_one_object_per_line(calc):
    r = calc("grad", "-", "--wrt", "x,y", "--json", input=BATCH)
    lines = r.stdout.splitlines()
    assert len(lines) == 4 and all(line.startswith("{") for line in lines)
    assert r.stderr.startswith("calccli: line 5: error:")


@pytest.mark.parametrize(
    "args",
    [
        ("grad", "x^2 y", "--at", "1,2"),
        ("hessian", "x^2 y", "--at", "1,2"),
        ("diff", "x^2", "--wrt", "x", "--check", "2x"),
        ("diff", "sin(x)", "--wrt", "x", "--steps"),
        ("taylor", "exp(x)", "--eval", "0.1"),
    ],
)
def test_a_result_of_several_sections_heads_each_one(calc, args):
    r = calc(*args, "-f", "text")
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith("# ")
    headers = [line for line in lines if line.startswith("# ")]
    assert len(headers) >= 2
    assert "" not in lines  # blank lines separate batch results, never sections


@pytest.mark.parametrize("args", [("grad", "x^2 y"), ("laplacian", "x^2 + y^2"), ("diff", "x^3", "--wrt", "x")])
def test_a_result_of_one_section_has_no_header(calc, args):
    r = calc(*args, "-f", "text")
    assert r.exit_code == 0
    assert not any(line.startswith("# ") for line in r.stdout.splitlines())
