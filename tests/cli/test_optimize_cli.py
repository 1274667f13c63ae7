"""descend, newton, optimize and --points end to end, against exact answers."""

from __future__ import annotations

import math

import pytest

from calccli.errors import ExitCode

LESSON = "x^2 + y^2 - 2x - 4y + 5"


def run(calc, *args: str) -> tuple[int, dict]:
    r = calc(*args, "--json")
    assert "Traceback" not in r.stderr
    return r.exit_code, r.json()["result"]


def test_the_lessons_descent_reaches_1_2(calc):
    code, res = run(calc, "descend", LESSON, "--from", "5,5", "--rate", "0.1")
    assert code == ExitCode.OK and res["status"] == "converged"
    assert res["exact"] == {"x": "1", "y": "2"}
    assert math.dist(res["final"], (1, 2)) < 1e-8
    first = res["trace"][:3]  # θ1 = (5, 5) - 0.1 (8, 6) = (4.2, 4.4); θ2 = (3.56, 3.92)
    assert [s["step"] for s in first] == [0, 1, 2]
    for s, want in zip(first, [(5, 5), (4.2, 4.4), (3.56, 3.92)], strict=True):
        assert s["point"] == pytest.approx(want, abs=1e-12)
    assert res["quadratic"]["bound"] == "1" and res["quadratic"]["stable"]


def test_a_rate_past_the_bound_diverges_and_says_which_rates_converge(calc):
    code, res = run(calc, "descend", LESSON, "--from", "5,5", "--rate", "1.1")
    assert code == ExitCode.MATH and res["status"] in ("diverged", "oscillating", "max steps")
    assert res["quadratic"]["bound"] == "1" and not res["quadratic"]["stable"]


def test_newton_converges_quadratically_to_1_1(calc):
    code, res = run(calc, "newton", "x^4 + y^4 - 4x y + 1", "--from", "2,2")
    assert code == ExitCode.OK and res["exact"] == {"x": "1", "y": "1"}
    errors = [s["error"] for s in res["trace"] if s["error"]]
    tail = [b / a**2 for a, b in zip(errors, errors[1:], strict=False) if a < 0.1]
    assert tail and max(tail) < 10  # e_{k+1} <= C e_k^2 near the end


def test_newton_roots_of_a_system(calc):
    code, res = run(calc, "newton", "[x^2 + y^2 - 4, x - y]", "--roots", "--from", "1,2")
    assert code == ExitCode.OK
    assert res["final"] == pytest.approx([math.sqrt(2), math.sqrt(2)], abs=1e-12)


def test_optimize_runs_every_method_and_they_agree(calc):
    code, res = run(calc, "optimize", LESSON, "--from", "5,5")
    assert code == ExitCode.OK
    methods = [r["method"] for r in res["runs"]]
    assert {"fixed rate", "line search", "momentum", "newton", "bfgs"} <= set(methods)
    for r in res["runs"]:
        if r["converged"]:
            assert math.dist(r["final"], (1, 2)) < 1e-6, r


def test_descent_check_the_minimiser(calc):
    assert calc("descend", LESSON, "--from", "5,5", "--check", "[1, 2]").exit_code == ExitCode.OK
    assert calc("descend", LESSON, "--from", "5,5", "--check", "[2, 1]").exit_code == ExitCode.INCORRECT


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("descend", LESSON, "--from", "5,5", "--rate", "0"), ExitCode.USAGE, "rate"),
        (("descend", LESSON, "--from", "5"), ExitCode.USAGE, "--from"),
        (("descend", "[x, y]", "--from", "1,1"), ExitCode.USAGE, "scalar"),
        (("descend", "log(x) + y^2", "--from", "-1,1"), ExitCode.MATH, "start"),
        (("descend", LESSON, "--from", "5,5", "--momentum", "1"), ExitCode.USAGE, "momentum"),
    ],
)
def test_bad_input_is_one_clear_line(calc, args, code, message):
    r = calc(*args)
    assert r.exit_code == code, (r.stdout, r.stderr)
    assert message in r.stderr and r.stderr.startswith("calccli: error:")


def test_points_from_a_csv_file(calc, tmp_path):
    f = tmp_path / "grid.csv"
    f.write_text("y,x\n3,1\n0,2\n")  # columns in another order than the variables
    r = calc("grad", "x^2 y + sin(y)", "--points", str(f))
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "x,y,df/dx,df/dy"
    x, y, fx, fy = map(float, lines[1].split(","))
    assert (x, y) == (1.0, 3.0) and fx == 6.0 and fy == pytest.approx(1 + math.cos(3), abs=1e-15)
    assert lines[2] == "2.0,0.0,0.0,5.0"


def test_points_as_ndjson_mark_where_f_is_undefined(calc, tmp_path):
    f = tmp_path / "pts.ndjson"
    f.write_text('{"x": 2}\n{"x": -1}\n')
    r = calc("diff", "log(x)", "--wrt", "x", "--points", str(f), "--json")
    assert r.exit_code == 0, r.stderr
    rows = [line for line in r.stdout.splitlines() if line]
    assert '"df/dx": 0.5' in rows[0] and '"df/dx": "nan"' in rows[1]
    assert "not defined at 1 of the points" in r.stderr
