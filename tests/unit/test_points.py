"""``--points``: reading CSV and NDJSON points, the vectorised evaluation, and the writers' exact formats."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from calccli.calculus.points import PointTable, evaluate_at_points
from calccli.errors import FormulaError, InputLimitError, MathError, UsageError
from calccli.formula import points as points_module
from calccli.formula.points import Points, read_points
from calccli.render.points import csv as write_csv
from calccli.render.points import ndjson as write_ndjson
from calccli.results.points import PointValues

x, y, z = sp.symbols("x y z", real=True)
XY = [x, y]


# -- reading -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        "x,y\n1,2\n3.5,-4e-3\n",  # a header in variable order
        "y,x\n2,1\n-4e-3,3.5\n",  # a header in another order
        ' "y" , x \r\n2 , 1\r\n\r\n-0.004,3.5\r\n',  # quoted names, spaces, CRLF and a blank line
        "1,2\n3.5,-0.004\n",  # no header: columns in variable order
        "\n\n1,2\n   \n3.5,-4E-3",  # leading blank lines, no final newline
        '{"x": 1, "y": 2}\n{"y": -0.004, "x": 3.5}\n',  # NDJSON objects, keys in any order
        "[1, 2]\n\n[3.5, -4e-3]\n",  # NDJSON arrays
        '{"y": 2, "x": 1}\n[3.5, -0.004]\n',  # both on different lines
    ],
)
def test_every_spelling_of_the_same_points_reads_the_same(data: str) -> None:
    p = read_points(data, XY)
    assert p.names == ("x", "y")
    assert p.values.dtype == np.float64
    assert p.values.tolist() == [[1.0, 2.0], [3.5, -0.004]]


def test_decimal_text_reads_exactly_as_float_does() -> None:
    texts = ["0.1", "1e-320", "-0", "123456789012345678901234567890", "1e400", "nan", "-inf", "2.5E+3"]
    got = read_points("\n".join(texts), [x]).values[:, 0]
    want = np.array([float(t) for t in texts])
    assert np.array_equal(got, want, equal_nan=True)
    assert math.copysign(1.0, got[2]) == -1.0  # -0 keeps its sign


def test_one_variable_ndjson_and_csv_agree_on_many_points() -> None:
    values = np.random.default_rng(1).normal(size=(500, 3))
    csv = "z,x,y\n" + "".join(f"{c!r},{a!r},{b!r}\n" for a, b, c in values.tolist())
    ndjson = "".join(json.dumps(dict(zip("xyz", row, strict=True))) + "\n" for row in values.tolist())
    assert np.array_equal(read_points(csv, [x, y, z]).values, values)
    assert np.array_equal(read_points(ndjson, [x, y, z]).values, values)


@pytest.mark.parametrize(
    "data, error, words, line",
    [
        ("x,y\n1,2\n3\n", UsageError, "1 field(s), not 2", 3),
        ("1,2\n3,4,5\n", UsageError, "3 field(s), not 2", 2),
        ("x,y\n1,2\n\n1,abc\n", FormulaError, "'abc' is not a number", 4),
        ("x,y\n1,1_0\n", FormulaError, "'1_0' is not a number", 2),
        ("x,y\n1,\u0661\n", FormulaError, "is not a number", 2),  # an Arabic-Indic digit float() would take
        ("x,y\n1,\n", FormulaError, "an empty field", 2),
        ("1,2\n2*3,4\n", FormulaError, "'2*3' is not a number", 2),  # never evaluated
        ('{"x": 1, "y": 2}\n{"x": 1}\n', UsageError, "no value for y", 2),
        ('{"x": 1, "y": 2, "w": 0}\n', UsageError, "'w', not a variable", 1),
        ('[1, 2]\n{"x": 1, "y": "2"}\n', FormulaError, '"2" is not a number', 2),
        ("[1, 2]\n[true, 2]\n", FormulaError, "true is not a number", 2),
        ("[1, 2]\n[1, 2, 3]\n", UsageError, "3 number(s); the formula has 2", 2),
        ("[1, 2]\n\n[1, 2\n", FormulaError, "is not JSON", 3),
        ("[1, 2]\n7\n", UsageError, "neither an object nor an array", 2),
    ],
)
def test_a_bad_line_is_named_by_its_number(data: str, error: type[Exception], words: str, line: int) -> None:
    with pytest.raises(error) as caught:
        read_points(data, XY)
    assert type(caught.value) is error
    assert f"line {line} of the points" in str(caught.value)
    assert words in str(caught.value)


def test_a_bad_number_points_at_its_column() -> None:
    with pytest.raises(FormulaError) as caught:
        read_points("x,y\n1.5, abc\n", XY)
    assert caught.value.text == "1.5, abc"
    assert caught.value.pos == 5


@pytest.mark.parametrize(
    "data, words",
    [
        ("x\n1\n", "no column for y"),
        ("x,y,w\n1,2,3\n", "'w', not a variable"),
        ("x,x,y\n1,1,2\n", "'x' twice"),
        ("", "the input is empty"),
        ("\n  \n", "the input is empty"),
        ("x,y\n\n", "no data lines"),
    ],
)
def test_a_bad_header_or_no_points_is_a_usage_error(data: str, words: str) -> None:
    with pytest.raises(UsageError, match=words):
        read_points(data, XY)


def test_more_points_than_the_limit_is_an_input_limit_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(points_module, "MAX_POINTS", 3)
    assert read_points("1\n2\n\n3\n", [x]).values.shape == (3, 1)
    with pytest.raises(InputLimitError, match="too many points: 4"):
        read_points("1\n2\n3\n4\n", [x])
    with pytest.raises(InputLimitError):
        read_points("[1]\n[2]\n[3]\n[4]\n", [x])


def test_the_documented_limit_is_ten_million() -> None:
    assert points_module.MAX_POINTS == 10_000_000


# -- evaluation --------------------------------------------------------------------------------


def _at(exprs: list[sp.Expr], variables: list[sp.Symbol], rows: list[list[float]]) -> PointTable:
    labels = [f"e{i}" for i in range(len(exprs))]
    points = Points(tuple(v.name for v in variables), np.array(rows, dtype=np.float64))
    return evaluate_at_points(exprs, labels, variables, points)


def test_gradient_at_points_matches_exact_values() -> None:
    f = x**2 * y + sp.sin(y)
    gradient = [sp.diff(f, v) for v in XY]  # (2 x y, x^2 + cos y)
    rows = [[1.0, math.pi], [0.0, 0.0], [-2.0, math.pi / 2], [3.0, -1.5]]
    table = _at(gradient, XY, rows)
    exact = [[2 * sp.pi, 0], [0, 1], [-2 * sp.pi, 4], [-9, 9 + sp.cos(sp.Rational(3, 2))]]
    for got, want in zip(table.outputs.tolist(), exact, strict=True):
        assert got == pytest.approx([float(w) for w in want], rel=1e-15, abs=1e-15)
    assert table.nonfinite == (0, 0)
    assert table.outputs.shape == (4, 2)
    assert np.array_equal(table.inputs, np.array(rows))


def test_constants_broadcast_to_every_point() -> None:
    table = _at([sp.Integer(3), sp.pi, sp.Integer(0), x], [x, y], [[1.0, 2.0], [5.0, 6.0], [7.0, 8.0]])
    assert table.outputs.tolist() == [[3.0, math.pi, 0.0, 1.0], [3.0, math.pi, 0.0, 5.0], [3.0, math.pi, 0.0, 7.0]]


def test_values_that_are_not_finite_are_kept_and_counted_per_column() -> None:
    table = _at([sp.log(x), 1 / x, sp.sqrt(x), -1 / x**2, x], [x], [[-1.0], [0.0], [1.0], [-4.0]])
    out = table.outputs
    assert np.isnan(out[0, 0]) and np.isnan(out[3, 0]) and out[1, 0] == -math.inf and out[2, 0] == 0.0
    assert np.isinf(out[1, 1]) and out[0, 1] == -1.0
    assert np.isnan(out[0, 2]) and out[2, 2] == 1.0
    assert out[1, 3] == -math.inf
    assert table.nonfinite == (3, 1, 2, 1, 0)


@pytest.mark.parametrize(
    "expr, at, want",
    [
        (sp.erf(x), 0.5, math.erf(0.5)),
        (sp.gamma(x), 4.0, 6.0),
        (sp.loggamma(x), 3.0, math.log(2.0)),
        (sp.factorial(x), 3.0, 6.0),
        (sp.polygamma(1, x), 1.0, math.pi**2 / 6),
        (sp.LambertW(x), math.e, 1.0),
        (sp.Heaviside(x), 0.0, 0.5),
        (sp.DiracDelta(x), 2.0, 0.0),
        (sp.sign(x) * sp.Abs(x) ** sp.Rational(1, 3), -8.0, -2.0),  # calccli's real cube root
        (sp.Piecewise((x, x > 0), (-x, True)), -3.0, 3.0),
        (sp.I * x**2 + sp.I * (-(x**2)) + x, 2.0, 2.0),  # real after all
    ],
)
def test_functions_numpy_lacks_are_evaluated_elementwise(expr: sp.Expr, at: float, want: float) -> None:
    table = _at([expr], [x], [[at], [at]])
    assert table.outputs[:, 0] == pytest.approx([want, want], rel=1e-13)


def test_a_complex_value_and_a_pole_are_nan() -> None:
    table = _at([sp.gamma(x), sp.LambertW(x), sp.zoo * x], [x], [[-2.0], [-1.0]])
    assert np.isnan(table.outputs).all()
    assert table.nonfinite == (2, 2, 2)


def test_an_entry_numpy_cannot_print_is_a_math_error() -> None:
    with pytest.raises(MathError, match="e1 = Derivative"):
        _at([x, sp.Derivative(sp.floor(x), x)], [x], [[1.0]])


_FACTORS = [x, y, x**2 + 1, sp.sin(x), sp.cos(x * y), sp.exp(y), sp.exp(-(x**2)), sp.atan(y), 1 / (y**2 + 2), x * y**3]
_coordinates = st.floats(-3, 3, allow_nan=False, allow_infinity=False)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(_FACTORS), min_size=1, max_size=3), min_size=1, max_size=3),
    st.lists(st.tuples(_coordinates, _coordinates), min_size=1, max_size=5),
    st.integers(-5, 5),
)
def test_vectorised_evaluation_equals_sympy_at_each_point(
    products: list[list[sp.Expr]], rows: list[tuple[float, float]], c: int
) -> None:
    exprs = [c * sp.Mul(*factors) for factors in products]
    table = _at(exprs, XY, [list(r) for r in rows])
    for i, (a, b) in enumerate(rows):
        for k, e in enumerate(exprs):
            want = float(e.evalf(30, subs={x: sp.Float(a, 30), y: sp.Float(b, 30)}))
            assert math.isclose(table.outputs[i, k], want, rel_tol=1e-12, abs_tol=1e-300)


# -- writing (calccli.render.points) -------------------------------------------------------------

_TABLE = PointValues(
    "jacobian",
    ("x", "y"),
    ("df/dx", "J[1,2]"),
    np.array([[0.1, -0.0], [1e-300, 3.0]]),
    np.array([[1 / 3, np.nan], [np.inf, -np.inf]]),
    ("1/3", "nan"),
    (0, 2),
)


def test_csv_is_exact_with_a_header_and_spelled_infinities() -> None:
    assert write_csv(_TABLE) == 'x,y,df/dx,"J[1,2]"\n0.1,-0.0,0.3333333333333333,nan\n1e-300,3.0,inf,-inf\n'


def test_ndjson_is_one_object_per_point_with_the_house_spelling() -> None:
    objects = [json.loads(line) for line in write_ndjson(_TABLE).splitlines()]
    assert [{k: v for k, v in o.items() if k != "schema"} for o in objects] == [
        {"x": 0.1, "y": -0.0, "df/dx": 1 / 3, "J[1,2]": "nan"},
        {"x": 1e-300, "y": 3.0, "df/dx": "oo", "J[1,2]": "-oo"},
    ]
    assert math.copysign(1.0, objects[0]["y"]) == -1.0


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.floats(), st.floats()), min_size=1, max_size=20))
def test_what_the_writers_write_reads_back_to_the_same_floats(rows: list[tuple[float, float]]) -> None:
    values = np.array(rows, dtype=np.float64)
    doubled = -values[:, :1]
    result = PointValues("grad", ("x", "y"), ("s",), values, doubled, ("-x",), (0,))
    everything = np.hstack([values, doubled])
    s = sp.Symbol("s")
    text = write_csv(result)
    assert text.splitlines()[0] == "x,y,s"
    back = read_points(text, [x, y, s]).values  # the writer's CSV is the reader's
    assert np.array_equal(back, everything, equal_nan=True)
    signed = ~np.isnan(everything)  # -0.0 stays -0.0; a NaN's sign is not kept (it is written nan)
    assert np.array_equal(np.signbit(back[signed]), np.signbit(everything[signed]))
    spelled = {"nan": math.nan, "oo": math.inf, "-oo": -math.inf}
    for line, want in zip(write_ndjson(result).splitlines(), everything.tolist(), strict=True):
        o = json.loads(line)
        got = [spelled.get(v, v) if isinstance(v, str) else v for v in (o["x"], o["y"], o["s"])]
        assert np.array_equal(got, want, equal_nan=True)
