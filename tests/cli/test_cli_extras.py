"""JSON error objects for bad options; constraint cusps; one-variable wording."""

import json

import pytest


@pytest.mark.parametrize(
    "args, message",
    [
        (["taylor", "x", "--order", "13", "--json"], "Invalid value for '--order'"),
        (["grad", "x", "--bogus", "-f", "json"], "No such option: --bogus"),
        (["grad", "x", "--format=json", "--at"], "requires an argument"),
    ],
)
def test_bad_option_in_json_mode_gives_an_error_object(calc, args, message):
    r = calc(*args)
    assert r.exit_code == 2
    obj = json.loads(r.stdout)
    assert obj["schema"] == "calccli.error/1"
    assert obj["command"] == args[0]
    assert obj["input"] == {"argv": args}
    assert obj["error"]["code"] == 2 and obj["error"]["kind"] == "usage"
    assert message in obj["error"]["message"]
    assert r.stderr.startswith("calccli: error: ") and message in r.stderr


def test_bad_option_without_json_prints_nothing_on_stdout(calc):
    r = calc("grad", "x", "--bogus")
    assert r.exit_code == 2
    assert r.stdout == ""
    assert r.stderr == "calccli: error: No such option: --bogus (see 'calccli grad --help')\n"


def test_cusp_of_a_constraint_is_classified_along_the_curve(calc):
    # x on y^2 = x^3 has its minimum at the cusp (0, 0), where no Lagrange multiplier exists:
    # on the curve x = |y|^(2/3) >= 0, so comparing values along it decides.
    r = calc("classify", "x", "--subject-to", "y^2 = x^3", "--wrt", "x,y", "--json")
    assert r.exit_code == 0, r.stderr
    points = r.json()["result"]["critical_points"]
    assert [p["point"] for p in points] == [{"x": "0", "y": "0"}]
    assert (points[0]["kind"], points[0]["nature"]) == ("local minimum", "singular")
    assert "along the constraint" in points[0]["test"]


def test_one_variable_second_derivative_test_speaks_of_f_second(calc):
    r = calc("classify", "3x^4 - 4x^3 - 12x^2", "--json")
    tests = [p["test"] for p in r.json()["result"]["critical_points"]]
    assert tests == [
        "the second-derivative test (second derivative positive)",
        "the second-derivative test (second derivative negative)",
        "the second-derivative test (second derivative positive)",
    ]
