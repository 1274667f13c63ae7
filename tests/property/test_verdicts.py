"""Property tests of the --check verdicts (calccli/homework/check.py, equivalence.py, critical.py).

* An exact answer r + c, for random exact results r and any nonzero rational c (down to 1e-40),
  is incorrect; so is c*r for a rational c != 1.  r itself, rewritten, is correct.
* The digits-given rule: a decimal that a value rounds to (to k places) is correct, and one unit
  off in the last digit is incorrect; the same for a decimal coordinate of a critical point.
* A breakpoint anywhere (|x - c|, Max, Heaviside, floor, Piecewise, with c up to 10^4): an answer
  that agrees on one side only is never correct; the same function written another way is.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

import sympy as sp
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from calccli.formula import answer
from calccli.formula.build import symbol
from calccli.homework import check, critical

x, y = symbol("x"), symbol("y")
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# --------------------------------------------------------------------------- exact results

ATOMS = [x, y, sp.sin(x), sp.exp(x), sp.cos(x * y), sp.sqrt(x**2 + 1), sp.log(x**2 + 1), sp.atan(y), x**3, sp.pi * x]
results = st.lists(st.tuples(st.integers(-5, 5).filter(bool), st.sampled_from(ATOMS)), min_size=1, max_size=3).map(
    lambda terms: sp.Add(*(k * a for k, a in terms))
)
tiny_or_not = st.one_of(
    st.fractions(min_value=-100, max_value=100, max_denominator=1000).filter(bool).map(sp.Rational),
    st.integers(1, 40).flatmap(lambda n: st.sampled_from([1, -1]).map(lambda s: sp.Rational(s, 10**n))),
)


@SETTINGS
@given(results, tiny_or_not)
def test_an_exact_answer_off_by_any_nonzero_constant_is_incorrect(r, c):
    assume(r.free_symbols)
    got = check.scalar(r + c, r, (x, y))
    assert got.verdict == "incorrect", (r, c, got)


@SETTINGS
@given(results, tiny_or_not)
def test_an_exact_answer_off_by_any_constant_factor_is_incorrect(r, c):
    assume(r.free_symbols and c != 1 and c != 0)
    got = check.scalar((1 + c) * r if 1 + c != 1 else 2 * r, r, (x, y))
    assert got.verdict in ("incorrect", "undetermined") and got.verdict != "correct", (r, c, got)
    if abs(c) >= sp.Rational(1, 10**30):
        assert got.verdict == "incorrect", (r, c, got)


@SETTINGS
@given(results)
def test_the_same_result_written_out_is_correct(r):
    assert check.scalar(sp.expand(r * (x**2 + 1)) / (x**2 + 1), r, (x, y)).verdict == "correct"


# --------------------------------------------------------------------------- the digits-given rule

VALUES = st.one_of(
    st.integers(2, 50).filter(lambda n: int(n**0.5) ** 2 != n).map(sp.sqrt),
    st.fractions(min_value=-5, max_value=5, max_denominator=50).map(lambda q: sp.exp(sp.Rational(q))),
    st.integers(1, 20).map(lambda n: sp.pi / n),
    st.integers(-30, 30).filter(bool).map(lambda n: sp.log(abs(n) + 1) * (1 if n > 0 else -1)),
)


def rounded(v: sp.Expr, places: int, units: int = 0) -> str:
    """``v`` rounded to ``places`` decimals, plus ``units`` in the last place, as the decimal a student writes."""
    d = Decimal(str(sp.N(v, 50))).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)
    return str(d + units * Decimal(1).scaleb(-places))


def graded(text: str, expected: sp.Expr) -> str:
    a = answer.value(text)
    return check.scalar(a.expr, expected, (), decimals=a.decimals, significant=a.significant).verdict


@SETTINGS
@given(VALUES, st.integers(1, 10))
@example(sp.pi / 16, 10)  # 0.1963495409 is 0.507 units off: a fixed 1e-12 floor once let it through
def test_what_the_value_rounds_to_is_correct_and_one_unit_off_is_not(v, places):
    assert graded(rounded(v, places), v) == "correct"
    assert graded(rounded(v, places, +1), v) == "incorrect"
    assert graded(rounded(v, places, -1), v) == "incorrect"


@SETTINGS
@given(VALUES, VALUES, st.integers(1, 6))
def test_decimal_coordinates_follow_the_same_rule(a, b, places):
    expected = [("local minimum", (a, b)), ("saddle point", (-a, b + 20))]

    def verdict(*coords: str) -> str:
        text = f"min at ({coords[0]}, {coords[1]}), saddle at ({coords[2]}, {coords[3]})"
        return critical.critical_points(answer.critical_points(text, (x, y)), expected).verdict

    right = [rounded(a, places), rounded(b, places), rounded(-a, places), rounded(b + 20, places)]
    assert verdict(*right) == "correct"
    for i in range(4):
        off = list(right)
        off[i] = rounded([a, b, -a, b + 20][i], places, 1)
        assert verdict(*off) == "incorrect", off


# --------------------------------------------------------------------------- breakpoints

breaks = st.one_of(
    st.integers(-(10**4), 10**4).map(sp.Integer),
    st.fractions(min_value=-200, max_value=200, max_denominator=100).map(sp.Rational),
)


@SETTINGS
@given(breaks)
def test_an_answer_right_on_one_side_of_a_breakpoint_only_is_never_correct(c):
    one_sided = [
        (x - c, sp.Abs(x - c)),
        (c - x, sp.Abs(x - c)),
        (x, sp.Max(x, c)),
        (c, sp.Max(x, c)),
        (sp.Integer(1), sp.Heaviside(x - c)),
        (sp.Integer(0), sp.Heaviside(x - c)),
        (sp.Integer(1), sp.sign(x - c) ** 2 + sp.Heaviside(c - x)),
        (x, sp.Piecewise((x, x < c), (x + 1, True))),
        (x + 1, sp.Piecewise((x, x < c), (x + 1, True))),
        (sp.floor(c) * 0 + sp.Integer(0), sp.floor((x - c) / 10**5)),
        (x * y - c, sp.Abs(x * y - c)),
    ]
    for answer_, result in one_sided:
        got = check.scalar(answer_, result, (x, y))
        assert got.verdict != "correct", (answer_, result, got)


@SETTINGS
@given(breaks)
def test_the_same_piecewise_function_written_another_way_is_correct(c):
    same = [
        (sp.Max(x, c), (x + c + sp.Abs(x - c)) / 2),
        (sp.Min(x, c), (x + c - sp.Abs(x - c)) / 2),
        (sp.Abs(x - c), sp.Max(x - c, c - x)),
    ]
    for answer_, result in same:
        got = check.scalar(answer_, result, (x,))
        assert got.verdict == "correct", (answer_, result, got)
