"""CLI behaviour of the differential commands: formats, options, errors, stdin, exit codes.

Every run goes through ``cli``, which also checks the two rules that hold for every
invocation: no Python traceback ever reaches the user, and a failure writes
``calccli: error: ...`` to stderr (with stdout empty unless the output is JSON).
"""

from __future__ import annotations

import json
import re

import pytest
import sympy as sp

import calccli

x, y, z, a = sp.symbols("x y z a")

# command, its extra arguments, a point, the JSON schema kind, result keys without / with --at
COMMANDS = [
    (
        "diff",
        ["x^2 y", "--wrt", "x"],
        "x=1,y=2",
        "derivative",
        {"expr", "variables", "wrt", "order", "derivative", "at"},
        {"value", "numeric"},
    ),
    ("grad", ["x^2 y"], "1,2", "gradient", {"expr", "variables", "gradient", "at"}, {"value", "numeric"}),
    (
        "directional",
        ["x^2 y", "--dir", "3,4"],
        "1,2",
        "directional",
        {"expr", "variables", "direction", "given_direction", "normalized", "gradient", "derivative", "at"},
        {"value", "numeric"},
    ),
    (
        "jacobian",
        ["[x^2 y, x + y]"],
        "1,2",
        "jacobian",
        {"expr", "variables", "matrix", "at", "determinant"},
        {"value", "numeric"},
    ),
    (
        "hessian",
        ["x^2 y"],
        "1,2",
        "hessian",
        {"expr", "variables", "matrix", "at"},
        {"value", "numeric", "eigenvalues", "definiteness"},
    ),
    ("laplacian", ["x^2 y"], "1,2", "laplacian", {"expr", "variables", "laplacian", "at"}, {"value", "numeric"}),
]
IDS = [c[0] for c in COMMANDS]


@pytest.fixture
def cli(calc):
    """``calc`` plus the invariants every run must keep."""

    def run(*args: str, input: str | None = None):
        r = calc(*args, input=input)
        assert "Traceback" not in r.stderr and "Traceback" not in r.stdout, r.stderr
        if r.exit_code != 0:
            assert re.match(r"calccli: (line \d+: )?error: ", r.stderr), r.stderr  # stdin lines are numbered
            if "--json" not in args and "json" not in args:
                assert r.stdout == "", r.stdout
        return r

    return run


def fails(cli, code: int, *args: str):
    r = cli(*args)
    assert r.exit_code == code, (r.exit_code, r.stdout, r.stderr)
    return r


def result(cli, *args: str) -> dict:
    r = cli(*args, "--json")
    assert r.exit_code == 0, r.stderr
    return r.json()["result"]


def same(got: str, expected: sp.Expr) -> None:
    assert sp.simplify(sp.sympify(got) - expected) == 0, (got, expected)


# ------------------------------------------------------------------ formats


@pytest.mark.parametrize(("command", "args", "point", "kind", "keys", "at_keys"), COMMANDS, ids=IDS)
def test_json_envelope_and_result_keys(cli, command, args, point, kind, keys, at_keys):
    r = cli(command, *args, "--json")
    assert r.exit_code == 0 and r.stderr == ""
    assert r.stdout.count("\n") == 1  # one compact line in a pipe
    out = json.loads(r.stdout)
    assert set(out) == {"schema", "calccli", "command", "input", "result", "notes"}
    assert out["schema"] == f"calccli.{kind}/1"
    assert out["calccli"] == calccli.__version__
    assert out["command"] == command
    assert out["input"]["formula"] == args[0]
    assert set(out["result"]) == keys
    assert out["result"]["at"] is None


@pytest.mark.parametrize(("command", "args", "point", "kind", "keys", "at_keys"), COMMANDS, ids=IDS)
def test_json_at_a_point_adds_value_and_numeric(cli, command, args, point, kind, keys, at_keys):
    res = result(cli, command, *args, "--at", point)
    assert set(res) == keys | at_keys
    assert res["at"] == {"x": "1", "y": "2"}


def _leaves(obj: object) -> list[object]:
    if isinstance(obj, dict):
        return [leaf for v in obj.values() for leaf in _leaves(v)]
    if isinstance(obj, list):
        return [leaf for v in obj for leaf in _leaves(v)]
    return [obj]


@pytest.mark.parametrize(("command", "args", "point", "kind", "keys", "at_keys"), COMMANDS, ids=IDS)
def test_json_numeric_mirrors_value_with_floats(cli, command, args, point, kind, keys, at_keys):
    res = result(cli, command, *args, "--at", point)
    assert set(res["value"]) == set(res["numeric"])
    for key in res["value"]:
        exact, floats = _leaves(res["value"][key]), _leaves(res["numeric"][key])
        assert len(exact) == len(floats)
        for e, f in zip(exact, floats, strict=True):
            assert isinstance(e, str) and isinstance(f, float)
            assert float(sp.N(sp.sympify(e), 20)) == pytest.approx(f, rel=1e-14, abs=1e-300)


# A line each command's LaTeX must contain, without and with the point
LATEX_LINES = {
    "diff": (r"\frac{\partial f}{\partial x} &= 2 x y \\", r"\frac{\partial f}{\partial x} &= 2 x y = 4 \\"),
    "grad": (r"\frac{\partial f}{\partial y} &= x^{2} \\", r"\frac{\partial f}{\partial x} &= 2 x y = 4 \\"),
    "directional": (r"\mathbf{u} &= \left( \frac{3}{5}, \  \frac{4}{5}\right) \\", r"= \frac{16}{5} \approx 3.2 \\"),
    "jacobian": (
        r"J &= \begin{bmatrix} 2 x y & x^{2} \\ 1 & 1 \end{bmatrix} \\",
        r"J(p) &= \begin{bmatrix} 4 & 1 \\ 1 & 1 \end{bmatrix} \\",
    ),
    "hessian": (
        r"H &= \begin{bmatrix} 2 y & 2 x \\ 2 x & 0 \end{bmatrix} \\",
        r"H(p) &= \begin{bmatrix} 4 & 2 \\ 2 & 0 \end{bmatrix} \\",
    ),
    "laplacian": (r"\nabla^2 f &= 2 y \\", r"\nabla^2 f &= 2 y = 4 \\"),
}


@pytest.mark.parametrize(("command", "args", "point", "kind", "keys", "at_keys"), COMMANDS, ids=IDS)
def test_latex_is_one_aligned_environment(cli, command, args, point, kind, keys, at_keys):
    for extra, wanted in zip(([], ["--at", point]), LATEX_LINES[command], strict=True):
        r = cli(command, *args, *extra, "--format", "latex")
        assert r.exit_code == 0, r.stderr
        lines = r.stdout.splitlines()
        assert lines[0] == r"\begin{aligned}" and lines[-1] == r"\end{aligned}"
        assert r.stdout.count(r"\begin{aligned}") == 1
        assert all(line.endswith(r" \\") and "&=" in line for line in lines[1:-1])
        assert any(wanted in line for line in lines), r.stdout


# Text output at the point of each COMMANDS entry: one list of tab-separated fields per
# line.  SymPy objects are compared as mathematics (any equal form will do), strings exactly.
TEXT_AT_POINT = {
    "diff": [[2 * x * y, "4", "4.0"]],
    "grad": [
        ["# gradient"],
        ["x", 2 * x * y, "4", "4.0"],
        ["y", x**2, "1", "1.0"],
        ["# norm"],
        ["norm", "sqrt(17)", "sqrt(17)", "4.123105625617661"],
    ],
    "directional": [["direction", "(3/5, 4/5)", "", ""], ["derivative", (6 * x * y + 4 * x**2) / 5, "16/5", "3.2"]],
    "jacobian": [
        ["# Jacobian"],
        [2 * x * y, x**2],
        ["1", "1"],
        ["# Jacobian at p"],
        ["4", "1"],
        ["1", "1"],
        ["# determinant"],
        ["det", 2 * x * y - x**2, "3", "3.0"],
    ],
    "hessian": [
        ["# Hessian"],
        [2 * y, 2 * x],
        [2 * x, "0"],
        ["# Hessian at p"],
        ["4", "2"],
        ["2", "0"],
        ["# eigenvalues"],
        ["lambda1", 2 - 2 * sp.sqrt(2), 2 - 2 * sp.sqrt(2), "-0.8284271247461901"],
        ["lambda2", 2 + 2 * sp.sqrt(2), 2 + 2 * sp.sqrt(2), "4.82842712474619"],
        ["definiteness", "indefinite", "", ""],
    ],
    "laplacian": [[2 * y, "4", "4.0"]],
}


@pytest.mark.parametrize(("command", "args", "point", "kind", "keys", "at_keys"), COMMANDS, ids=IDS)
def test_text_is_tab_separated_one_item_per_line(cli, command, args, point, kind, keys, at_keys):
    r = cli(command, *args, "--at", point, "-f", "text")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.endswith("\n")
    lines = r.stdout.splitlines()
    expected = TEXT_AT_POINT[command]
    assert len(lines) == len(expected), r.stdout
    for line, want in zip(lines, expected, strict=True):
        assert line == line.strip(" ") and "  " not in line  # no padding, no alignment
        fields = line.split("\t")
        assert len(fields) == len(want), line
        for got, field in zip(fields, want, strict=True):
            if isinstance(field, str):
                assert got == field, line
            else:
                same(got, field)


@pytest.mark.parametrize(("command", "args", "point", "kind", "keys", "at_keys"), COMMANDS, ids=IDS)
def test_text_is_the_default_in_a_pipe(cli, command, args, point, kind, keys, at_keys):
    assert cli(command, *args).stdout == cli(command, *args, "-f", "text").stdout


@pytest.mark.parametrize(("command", "args", "point", "kind", "keys", "at_keys"), COMMANDS, ids=IDS)
def test_table_output_has_a_title_and_no_tabs(cli, command, args, point, kind, keys, at_keys):
    r = cli(command, *args, "--at", point, "--format", "table", "--no-color")
    assert r.exit_code == 0, r.stderr
    title = {
        "derivative": "derivative of f = ",
        "gradient": "gradient of f = ",
        "directional": "directional derivative of f = ",
        "jacobian": "Jacobian of f = ",
        "hessian": "Hessian of f = ",
        "laplacian": "Laplacian of f = ",
    }[kind]
    assert r.stdout.startswith(title)
    assert "at (x, y) = (1, 2)" in r.stdout
    assert "\t" not in r.stdout and "\x1b[" not in r.stdout


def test_text_gradient_exact_lines(cli):
    assert cli("grad", "x^2 y", "-f", "text").stdout == "x\t2*x*y\ny\tx**2\n"
    assert cli("grad", "x^2 y", "--at", "1,3", "-f", "text").stdout == (
        "# gradient\nx\t2*x*y\t6\t6.0\ny\tx**2\t1\t1.0\n# norm\nnorm\tsqrt(37)\tsqrt(37)\t6.082762530298219\n"
    )


def test_text_hessian_blocks_at_a_point(cli):
    out = cli("hessian", "x^4 + y^4 - 4xy + 1", "--at", "1,1", "-f", "text").stdout
    assert out == (
        "# Hessian\n12*x**2\t-4\n-4\t12*y**2\n"
        "# Hessian at p\n12\t-4\n-4\t12\n"
        "# eigenvalues\nlambda1\t8\t8\t8.0\nlambda2\t16\t16\t16.0\ndefiniteness\tpositive definite\t\t\n"
    )


def test_text_rows_at_a_point_all_have_the_same_columns(cli):
    out = cli("grad", "x^2 + 3y", "--at", "1,1", "-f", "text").stdout
    rows = [line.split("\t") for line in out.splitlines() if not line.startswith("#")][:2]
    assert rows[0] == ["x", "2*x", "2", "2.0"]
    assert rows[1] == ["y", "3", "3", "3.0"]


def test_text_never_wraps_long_expressions(cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "40")
    formula = " + ".join(f"{i}*x^{i}*y^{i % 4} - x*y^{i}" for i in range(1, 22))
    assert len(formula) >= 300
    for fmt in ("text", "auto"):
        r = cli("grad", formula, "-f", fmt)
        assert r.exit_code == 0, r.stderr
        lines = r.stdout.splitlines()
        assert len(lines) == 2  # one per partial derivative, however long
        f = sum(i * x**i * y ** (i % 4) - x * y**i for i in range(1, 22))
        for line, var in zip(lines, (x, y), strict=True):
            label, expr = line.split("\t")
            assert label == str(var) and len(expr) > 300
            assert sp.expand(sp.sympify(expr) - sp.diff(f, var)) == 0


def test_json_wins_over_format_and_format_is_case_insensitive(cli):
    expected = cli("grad", "x^2 y", "--json").stdout
    assert json.loads(expected)["result"]["gradient"] == {"x": "2*x*y", "y": "x**2"}
    assert cli("grad", "x^2 y", "--json", "-f", "text").stdout == expected
    assert cli("grad", "x^2 y", "-f", "JSON").stdout == expected


def test_unknown_format_is_a_usage_error(cli):
    r = fails(cli, 2, "grad", "x", "-f", "yaml")
    assert "yaml" in r.stderr


# ------------------------------------------------------------------ --wrt and variable order


def test_default_variable_order_is_natural_alphabetical(cli):
    res = result(cli, "grad", "z + y^2 + x10 + x2 + x^3")
    assert res["variables"] == ["x", "x2", "x10", "y", "z"]
    assert list(res["gradient"]) == ["x", "x2", "x10", "y", "z"]


def test_wrt_sets_the_order_of_components_and_text_lines(cli):
    res = result(cli, "grad", "x^3 y", "--wrt", "y,x")
    assert res["variables"] == ["y", "x"]
    assert list(res["gradient"]) == ["y", "x"]
    assert cli("grad", "x^3 y", "--wrt", "y,x", "-f", "text").stdout == "y\tx**3\nx\t3*x**2*y\n"


def test_wrt_may_be_repeated_instead_of_comma_separated(cli):
    repeated = cli("grad", "x^3 y z", "--wrt", "z", "--wrt", "y,x", "--json")
    assert repeated.stdout == cli("grad", "x^3 y z", "--wrt", "z,y,x", "--json").stdout
    assert repeated.json()["result"]["variables"] == ["z", "y", "x"]


def test_positional_point_follows_the_wrt_order(cli):
    # y = 1, x = 2: d/dy x^3 y = x^3 = 8 and d/dx = 3x^2 y = 12 (swapped it would be 1 and 6)
    res = result(cli, "grad", "x^3 y", "--wrt", "y,x", "--at", "1,2")
    assert res["at"] == {"y": "1", "x": "2"}
    assert res["value"]["gradient"] == {"y": "8", "x": "12"}
    named = result(cli, "grad", "x^3 y", "--wrt", "y,x", "--at", "x=2,y=1")
    assert named["value"] == res["value"]


def test_hessian_rows_follow_the_wrt_order(cli):
    res = result(cli, "hessian", "x^3 y", "--wrt", "y,x")
    same(res["matrix"][0][0], sp.Integer(0))
    same(res["matrix"][0][1], 3 * x**2)
    same(res["matrix"][1][1], 6 * x * y)


def test_extra_wrt_variable_gets_a_zero_component(cli):
    res = result(cli, "grad", "x^2 y", "--wrt", "x,y,z", "--at", "1,2,3")
    assert res["gradient"]["z"] == "0"
    assert res["value"]["gradient"] == {"x": "4", "y": "1", "z": "0"}


def test_letters_left_out_of_wrt_are_parameters(cli):
    res = result(cli, "grad", "a x^2", "--wrt", "x", "--at", "3")
    assert res["variables"] == ["x"]
    same(res["gradient"]["x"], 2 * a * x)
    same(res["value"]["gradient"]["x"], 6 * a)
    assert res["numeric"]["gradient"]["x"] is None  # no float while a parameter remains


@pytest.mark.parametrize(
    ("wrt", "message"),
    [
        ("sin", "is a function or constant"),
        ("pi", "is a function or constant"),
        ("1x", "is not a variable name"),
        ("x,x", "given twice"),
    ],
)
def test_bad_wrt_is_a_usage_error(cli, wrt, message):
    r = fails(cli, 2, "grad", "x y", "--wrt", wrt)
    assert message in r.stderr


# ------------------------------------------------------------------ diff


def test_diff_order_n(cli):
    assert result(cli, "diff", "x^5", "--order", "3")["derivative"] == "60*x**2"
    res = result(cli, "diff", "x^5 y", "--wrt", "x", "-n", "5", "--at", "x=7,y=2")
    assert res["derivative"] == "120*y" and res["value"]["derivative"] == "240"
    assert res["wrt"] == ["x"] * 5 and res["order"] == 5


def test_diff_mixed_partial(cli):
    res = result(cli, "diff", "x^3 y^2", "--wrt", "x,y", "--at", "1,2")
    assert res["wrt"] == ["x", "y"] and res["order"] == 2
    same(res["derivative"], 6 * x**2 * y)
    assert res["value"]["derivative"] == "12" and res["numeric"]["derivative"] == 12.0
    assert result(cli, "diff", "x^3 y^2", "--wrt", "x", "--wrt", "y")["derivative"] == res["derivative"]


@pytest.mark.slow
def test_diff_mixed_partials_in_either_order_agree(cli):
    f = "exp(x y) sin(x + y^2)"
    xy = result(cli, "diff", f, "--wrt", "x,y")["derivative"]
    yx = result(cli, "diff", f, "--wrt", "y,x")["derivative"]
    expected = sp.diff(sp.exp(x * y) * sp.sin(x + y**2), x, y)
    same(xy, expected)
    same(yx, expected)


def test_diff_order_applies_to_each_wrt_variable(cli):
    res = result(cli, "diff", "x^3 y^3", "--wrt", "x,y", "--order", "2")
    assert res["wrt"] == ["x", "x", "y", "y"] and res["order"] == 4
    same(res["derivative"], 36 * x * y)


def test_diff_wrt_sequence_with_repeats_is_a_higher_mixed_partial(cli):
    res = result(cli, "diff", "x^3 y^2", "--wrt", "x,x,y")
    assert res["wrt"] == ["x", "x", "y"] and res["order"] == 3
    same(res["derivative"], 12 * x * y)
    assert cli("diff", "x^3 y^2", "--wrt", "x", "--wrt", "x", "-f", "text").stdout == "6*x*y**2\n"


def test_diff_point_covers_every_variable_in_alphabetical_order(cli):
    # --wrt names the differentiation only; a plain point is (x, y) whatever the --wrt order
    res = result(cli, "diff", "x^3 y^2", "--wrt", "y,x", "--at", "1,2")
    assert res["variables"] == ["x", "y"] and res["at"] == {"x": "1", "y": "2"}
    same(res["derivative"], 6 * x**2 * y)
    assert res["value"]["derivative"] == "12"
    fails(cli, 2, "diff", "x^3 y^2", "--wrt", "x", "--at", "1")


def test_diff_of_a_vector_differentiates_each_component(cli):
    res = result(cli, "diff", "[x^2, sin(x)]", "--wrt", "x", "--at", "pi")
    assert [sp.sympify(d) for d in res["derivative"]] == [2 * x, sp.cos(x)]
    assert [sp.sympify(v) for v in res["value"]["derivative"]] == [2 * sp.pi, -1]
    assert res["numeric"]["derivative"] == pytest.approx([2 * 3.141592653589793, -1.0])


def test_diff_needs_wrt_only_when_there_are_several_variables(cli):
    assert result(cli, "diff", "sin(t)")["derivative"] == "cos(t)"
    r = fails(cli, 2, "diff", "x^2 y")
    assert "--wrt" in r.stderr and "x, y" in r.stderr


@pytest.mark.parametrize("order", ["0", "-1", "51", "two"])
def test_diff_order_out_of_range_is_a_usage_error(cli, order):
    r = fails(cli, 2, "diff", "x^2", "--order", order)
    assert "--order" in r.stderr


# ------------------------------------------------------------------ directional


def test_directional_normalisation_note_goes_to_stderr_in_text_mode(cli):
    r = cli("directional", "x^2 + y^2", "--at", "1,1", "--dir", "3,4", "-f", "text")
    assert r.exit_code == 0
    assert r.stderr == "calccli: note: direction (3, 4) is not a unit vector; normalised to (3/5, 4/5)\n"
    direction, derivative = (line.split("\t") for line in r.stdout.splitlines())
    assert direction == ["direction", "(3/5, 4/5)", "", ""]
    assert derivative[0] == "derivative" and derivative[2:] == ["14/5", "2.8"]
    same(derivative[1], (6 * x + 8 * y) / 5)


def test_directional_normalisation_note_is_in_json_notes(cli):
    r = cli("directional", "x^2 + y^2", "--at", "1,1", "--dir", "3,4", "--json")
    assert r.exit_code == 0 and r.stderr == ""
    out = r.json()
    assert out["notes"] == ["direction (3, 4) is not a unit vector; normalised to (3/5, 4/5)"]
    res = out["result"]
    assert res["normalized"] is True
    assert res["given_direction"] == ["3", "4"] and res["direction"] == ["3/5", "4/5"]
    assert res["value"]["derivative"] == "14/5" and res["numeric"]["derivative"] == 2.8


@pytest.mark.parametrize("direction", ["0.6,0.8", "3/5,4/5", "1/sqrt(2),-1/sqrt(2)", "0,1"])
def test_directional_unit_vector_is_used_as_given_without_a_note(cli, direction):
    r = cli("directional", "x^2 + y^2", "--dir", direction, "-f", "text")
    assert r.exit_code == 0 and r.stderr == ""
    out = cli("directional", "x^2 + y^2", "--dir", direction, "--json").json()
    assert out["notes"] == [] and out["result"]["normalized"] is False


def test_directional_symbolic_is_gradient_dot_unit(cli):
    res = result(cli, "directional", "x^2 y + y z^2", "--dir", "1,2,2")
    same(res["derivative"], (2 * x * y + 2 * (x**2 + z**2) + 2 * 2 * y * z) / 3)


@pytest.mark.parametrize("direction", ["0,0", "0,0.0", "0, -0"])
def test_zero_direction_is_a_usage_error(cli, direction):
    r = fails(cli, 2, "directional", "x^2 + y^2", "--at", "1,1", "--dir", direction)
    assert "zero vector" in r.stderr


def test_direction_of_the_wrong_length_is_a_usage_error(cli):
    r = fails(cli, 2, "directional", "x^2 + y^2", "--dir", "1,1,1")
    assert "--dir has 3 components but the formula has 2 variables (x, y)" in r.stderr


@pytest.mark.parametrize("direction", ["a,1", "1,,1", "1,oo"])
def test_direction_that_is_not_numbers_is_a_usage_error(cli, direction):
    r = fails(cli, 2, "directional", "x^2 + y^2", "--dir", direction)
    assert "--dir" in r.stderr


def test_directional_requires_dir(cli):
    assert "--dir" in fails(cli, 2, "directional", "x^2 + y^2").stderr


# ------------------------------------------------------------------ points


@pytest.mark.parametrize(("point", "count"), [("1", "1 coordinate"), ("1,2,3", "3 coordinates")])
def test_wrong_number_of_coordinates_is_a_usage_error(cli, point, count):
    r = fails(cli, 2, "grad", "x^2 + y", "--at", point)
    assert r.stderr == f"calccli: error: --at: the point has {count} but the formula has 2 variables (x, y)\n"


@pytest.mark.parametrize(
    ("point", "message"),
    [
        ("y=1,z=2", "'z' is not a variable"),
        ("x=1,x=2", "given twice"),
        ("x=1,2", "mix of named and plain"),
        ("x=foo,y=1", "'foo' is not a number"),
        ("x=oo,y=1", "not a finite number"),
        ("x=I,y=1", "not real"),
        ("x=1", "no value for y"),
    ],
)
def test_bad_point_is_a_usage_error(cli, point, message):
    r = fails(cli, 2, "grad", "x^2 + y", "--at", point)
    assert message in r.stderr


def test_point_coordinates_may_be_expressions(cli):
    res = result(cli, "grad", "sin(x) cos(y)", "--at", "x=pi/2,y=pi/3")
    assert res["at"] == {"x": "pi/2", "y": "pi/3"}
    assert res["value"]["gradient"]["x"] == "0"
    same(res["value"]["gradient"]["y"], -sp.sqrt(3) / 2)


# ------------------------------------------------------------------ scalar/vector and maths errors


@pytest.mark.parametrize("command", ["grad", "hessian", "laplacian", "directional"])
def test_vector_where_a_scalar_is_needed_is_a_usage_error(cli, command):
    extra = ["--dir", "1,1"] if command == "directional" else []
    r = fails(cli, 2, command, "[x, y]", *extra)
    assert "scalar" in r.stderr and "jacobian" in r.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("grad", "ln(x)", "--at", "x=-1"),
        ("grad", "1/x", "--at", "0"),
        ("diff", "1/x", "--at", "0"),
        ("hessian", "1/x", "--at", "0"),
        ("laplacian", "ln(x) + y", "--at", "0,1"),
        ("jacobian", "[1/x, y]", "--at", "0,1"),
        ("directional", "sqrt(x) + y", "--dir", "1,0", "--at", "0,1"),
        ("grad", "sqrt(x)", "--at", "0"),
        ("grad", "x^(1/3)", "--at", "0"),
    ],
)
def test_undefined_at_the_point_exits_1(cli, args):
    r = fails(cli, 1, *args)
    assert "undefined" in r.stderr or "not real" in r.stderr
    assert r.stderr.count("\n") == 1


def test_undefined_at_the_point_in_json_mode_prints_an_error_object(cli):
    r = fails(cli, 1, "grad", "1/x", "--at", "0", "--json")
    out = r.json()
    assert out["schema"] == "calccli.error/1" and out["command"] == "grad"
    assert out["error"]["code"] == 1 and out["error"]["kind"] == "math"
    assert "undefined" in out["error"]["message"]
    assert out["input"] == {"formula": "1/x", "wrt": None, "at": "0"}


@pytest.mark.parametrize(
    ("command", "formula", "point"),
    [
        ("grad", "abs(x)", "0"),
        ("diff", "abs(x)", "0"),
        ("grad", "max(x, y)", "1,1"),
        ("hessian", "abs(x) + y^2", "0,1"),
        ("grad", "floor(x)", "1"),
    ],
)
def test_no_derivative_at_a_kink_or_jump_exits_1(cli, command, formula, point):
    # sign(0) = 0 and Heaviside(0) = 1/2 must not be passed off as derivatives
    r = fails(cli, 1, command, formula, "--at", point)
    assert "not smooth" in r.stderr


def test_derivative_beside_a_kink_is_answered(cli):
    assert result(cli, "grad", "abs(x)", "--at", "-2")["value"]["gradient"] == {"x": "-1"}
    assert result(cli, "grad", "max(x, y)", "--at", "1,3")["value"]["gradient"] == {"x": "0", "y": "1"}


def test_step_function_between_jumps_has_derivative_zero(cli):
    # used to stay Derivative(floor(x), x) and crash the child (signal 11) at a point
    r = cli("grad", "floor(x)", "--at", "1/2", "--json", "--timeout", "5")
    assert r.exit_code == 0, r.stderr
    assert r.json()["result"]["gradient"] == {"x": "0"}
    assert r.json()["result"]["value"]["gradient"] == {"x": "0"}


def test_formula_without_variables_is_a_usage_error(cli):
    assert "no variables" in fails(cli, 2, "grad", "5").stderr
    assert result(cli, "grad", "5", "--wrt", "x")["gradient"] == {"x": "0"}


def test_too_long_formula_exits_4(cli):
    r = fails(cli, 4, "grad", "x+" * 140_000 + "x")
    assert "limit" in r.stderr


def test_time_limit_exits_3(cli):
    # takes about 25 s without a limit
    r = fails(cli, 3, "hessian", "exp(sin(x y z))^(x+y) * (x+y+z)^30", "--timeout", "0.5")
    assert "timed out" in r.stderr


# ------------------------------------------------------------------ parse errors


@pytest.mark.parametrize(
    ("formula", "column"),
    [
        ("x^2 + @ y", 7),
        ("sin(x)) + y", 7),
        ("x +* y", 4),
        ("x^^2", 3),
        ("(x + y", 1),
        ("x^2 +", 6),
    ],
)
def test_parse_error_caret_points_at_the_column(cli, formula, column):
    r = fails(cli, 2, "grad", formula)
    first, shown, caret = r.stderr.splitlines()
    assert first.startswith("calccli: error: ") and first.endswith(f"at column {column}")
    assert shown == "  " + formula
    assert caret.strip() == "^" and caret.index("^") == 2 + column - 1
    j = fails(cli, 2, "grad", formula, "--json").json()
    assert j["schema"] == "calccli.error/1"
    assert j["error"]["kind"] == "parse" and j["error"]["column"] == column and j["error"]["code"] == 2


def test_parse_error_in_a_vector_component_echoes_the_whole_formula(cli):
    r = fails(cli, 2, "jacobian", "[x, y +* 2]")
    first, shown, caret = r.stderr.splitlines()
    assert first.endswith("at column 8")
    assert shown == "  [x, y +* 2]"
    assert caret == "  " + " " * 7 + "^"


def test_parse_error_caret_in_a_long_formula_is_under_the_bad_character(cli):
    formula = "x+" * 60 + "@+y"
    r = fails(cli, 2, "grad", formula)
    _, shown, caret = r.stderr.splitlines()
    assert shown.startswith("  …") and len(shown) < 80
    assert shown[caret.index("^")] == "@"


def test_unknown_function_suggests_a_name(cli):
    r = fails(cli, 2, "grad", "sqr(x)")
    assert "unknown function 'sqr'" in r.stderr and "sqrt" in r.stderr


# ------------------------------------------------------------------ stdin


def test_stdin_one_json_object_per_line_and_error_object(cli):
    r = cli("grad", "-", "--json", input="x^2\ny^3\nsin(\n")
    assert r.exit_code == 2
    lines = r.stdout.splitlines()
    assert len(lines) == 3
    objs = [json.loads(line) for line in lines]
    assert [o["schema"] for o in objs] == ["calccli.gradient/1", "calccli.gradient/1", "calccli.error/1"]
    assert objs[0]["result"]["gradient"] == {"x": "2*x"}
    assert objs[1]["result"]["gradient"] == {"y": "3*y**2"}
    assert objs[2]["input"]["formula"] == "sin("
    assert objs[2]["error"]["kind"] == "parse" and objs[2]["error"]["code"] == 2
    # the error names the line of standard input it comes from, once
    assert r.stderr.startswith("calccli: line 3: error: ") and r.stderr.count("error:") == 1


def test_stdin_skips_blank_lines_and_comments(cli):
    r = cli("diff", "-", "--wrt", "x", "-f", "text", input="# derivatives\nx^2\n\n   \nsin(x)\n")
    # each result opens with its formula, and results are a blank line apart
    assert r.exit_code == 0 and r.stdout == "==> x^2 <==\n2*x\n\n==> sin(x) <==\ncos(x)\n"


def test_stdin_exit_code_is_the_first_failure(cli):
    r = cli("grad", "-", "--at", "0", "--json", input="1/x\nsin(\nx^2\n")
    assert r.exit_code == 1
    codes = [json.loads(line).get("error", {}).get("code", 0) for line in r.stdout.splitlines()]
    assert codes == [1, 2, 0]


# ------------------------------------------------------------------ misc


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version(cli, flag):
    r = cli(flag)
    assert r.exit_code == 0 and r.stdout == f"calccli {calccli.__version__}\n"
    assert re.fullmatch(r"\d+\.\d+\.\d+\S*", calccli.__version__)


@pytest.mark.parametrize("args", [("grad", "x", "--bogus"), ("frobnicate",), ("grad",)])
def test_usage_errors_are_one_line_exit_2(cli, args):
    r = fails(cli, 2, *args)
    assert r.stderr.count("\n") == 1
