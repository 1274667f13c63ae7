"""The option readers (--at, --dir, --bound, --in, --subject-to) never fail internally.

Whatever is typed for a point, a bound, a region or a constraint ends in an answer or in a
documented exit code (1 maths, 2 usage, 3 time, 4 input limit): never 70, an internal error.
Generated from fragments that found such errors: non-real bounds (acos(2)), complex and
infinite values, enormous numbers, brackets as points are written.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calccli.errors import CalcError, ExitCode
from calccli.formula import grammar, readers

DOCUMENTED = {ExitCode.OK, ExitCode.MATH, ExitCode.USAGE, ExitCode.RESOURCE, ExitCode.INPUT_LIMIT}
VALUES = [
    "0",
    "1",
    "-2",
    "1/2",
    "pi",
    "e",
    "E",
    "I",
    "oo",
    "-oo",
    "zoo",
    "nan",
    "acos(2)",
    "log(-1)",
    "sqrt(-1)",
    "1e999",
    "1e999999",
    "10^9999",
    "x",
    "",
    "sin(",
    "asin(pi)",
    "1..2",
]
values = st.sampled_from(VALUES)
names = st.sampled_from(["x", "y", "z", "E", "theta", "θ", "", "1"])
pieces = st.lists(st.sampled_from([*VALUES, ",", "=", "..", "(", ")", "[", "]", "<", ">", "⟨", "⟩", " "]), max_size=8)


@st.composite
def points(draw: st.DrawFn) -> str:
    if draw(st.booleans()):
        return "".join(draw(pieces))
    coords = draw(st.lists(values, min_size=1, max_size=3))
    if draw(st.booleans()):
        coords = [f"{draw(names)}={c}" for c in coords]
    open_, close = draw(st.sampled_from([("", ""), ("(", ")"), ("[", "]"), ("<", ">"), ("⟨", "⟩")]))
    return open_ + ",".join(coords) + close


@st.composite
def ranges(draw: st.DrawFn) -> str:
    if draw(st.booleans()):
        return "".join(draw(pieces))
    return f"{draw(names)}={draw(values)}..{draw(values)}"


SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)


def _ends_well(code: int) -> bool:
    return code in DOCUMENTED


@SETTINGS
@given(points())
def test_any_point_reads_or_fails_with_a_documented_code(calc: Callable[..., object], at: str) -> None:
    r = calc("grad", "x^2 y", "--at", at, "--timeout", "5")
    assert _ends_well(r.exit_code), (at, r.stderr)  # type: ignore[attr-defined]


@SETTINGS
@given(points())
def test_any_direction_reads_or_fails_with_a_documented_code(calc: Callable[..., object], d: str) -> None:
    r = calc("directional", "x y", "--at", "1,2", "--dir", d, "--timeout", "5")
    assert _ends_well(r.exit_code), (d, r.stderr)  # type: ignore[attr-defined]


@SETTINGS
@given(ranges())
def test_any_bound_reads_or_fails_with_a_documented_code(calc: Callable[..., object], bound: str) -> None:
    r = calc("integrate", "x", "--bound", bound, "--timeout", "5")
    assert _ends_well(r.exit_code), (bound, r.stderr)  # type: ignore[attr-defined]


@SETTINGS
@given(st.lists(ranges(), min_size=1, max_size=2).map(",".join))
def test_any_region_reads_or_fails_with_a_documented_code(calc: Callable[..., object], region: str) -> None:
    r = calc("classify", "x^2 + y^2", "--in", region, "--timeout", "5")
    assert _ends_well(r.exit_code), (region, r.stderr)  # type: ignore[attr-defined]


@SETTINGS
@given(values, values)
def test_any_constraint_reads_or_fails_with_a_documented_code(calc: Callable[..., object], a: str, b: str) -> None:
    r = calc("classify", "x + y", "--subject-to", f"x^2 + y^2 = {a}", "--timeout", "5")
    assert _ends_well(r.exit_code), (a, r.stderr)  # type: ignore[attr-defined]
    r = calc("classify", "x + y", "--subject-to", f"{b} x + y = 1", "--timeout", "5")
    assert _ends_well(r.exit_code), (b, r.stderr)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["classify", "x^2", "--in", "x=acos(2)..1"], ExitCode.USAGE),
        (["classify", "x^2", "--in", "x=I..1"], ExitCode.USAGE),
        (["classify", "x^2", "--in", "x=0..oo"], ExitCode.USAGE),
        (["integrate", "x", "--bound", "x=zoo..1"], ExitCode.USAGE),
        (["integrate", "x", "--from", "acos(2)", "--to", "1"], ExitCode.USAGE),
        (["classify", "x^2+y^2", "--subject-to", "x^2+y^2 = 1e999999"], ExitCode.INPUT_LIMIT),
    ],
)
def test_non_real_infinite_and_enormous_options_are_clear_errors(calc, args: list[str], code: int) -> None:  # type: ignore[no-untyped-def]
    r = calc(*args)
    assert r.exit_code == code, r.stderr
    assert "internal error" not in r.stderr


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("(1, 2)", [1, 2]),
        ("[1,2,3]", [1, 2, 3]),
        ("<1,1,1>", [1, 1, 1]),
        ("⟨1, 1, 1⟩", [1, 1, 1]),
        ("(1+2)*3, 4", [9, 4]),
    ],
)
def test_points_and_vectors_as_written(text: str, expected: list[int]) -> None:
    assert readers.numbers(text, "--dir") == expected
    f = grammar.formula("x + y + z" if len(expected) == 3 else "x + y")
    assert list(readers.point(text, f).values()) == expected  # type: ignore[union-attr]


def test_named_point_in_parentheses() -> None:
    f = grammar.formula("x y")
    assert list(readers.point("(y=2, x=1)", f).values()) == [2, 1]  # type: ignore[union-attr]


def test_a_constant_named_in_at_says_how_to_make_it_a_variable() -> None:
    f = grammar.formula("E x^2")
    with pytest.raises(CalcError, match=r"Euler's number.*--wrt x,E"):
        readers.point("E=4, x=1", f)
    g = grammar.formula("E x^2", wrt=["x", "E"])
    assert [v.name for v in g.variables] == ["x", "E"]
    assert readers.point("E=4, x=1", g) == {v: val for v, val in zip(g.variables, (1, 4), strict=True)}
