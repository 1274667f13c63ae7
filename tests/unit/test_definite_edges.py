"""Definite integrals at their edges (issue 11 A6–A9): parameters of both signs, step functions,
values recognised from high-precision numerics, searches that run out of time.

Expected values are exact textbook results; each is also checked against mpmath.quad, written
here as the independent method (split at the jumps by hand, for the step functions).
"""

from __future__ import annotations

import math

import mpmath
import pytest
import sympy as sp

from calccli.integration import definite, parameters, pieces, recognise
from calccli.process.budget import Budget

pytestmark = pytest.mark.slow  # searches in forked children: seconds per test

x, a, b = sp.symbols("x a b", real=True)


def run(f: sp.Expr, lo: sp.Expr, hi: sp.Expr, seconds: float = 20.0, **kw):  # type: ignore[no-untyped-def]
    return definite.definite(f, ((x, sp.S(lo), sp.S(hi)),), Budget(seconds), **kw)


def quad(f: sp.Expr, lo: float, hi: float, points: list[float] | None = None) -> float:
    fn = sp.lambdify(x, f, "mpmath")
    return float(mpmath.quad(fn, [lo, *(points or []), hi]))


# ----------------------------------------------------------------- A6: the float beside an exact value


@pytest.mark.parametrize(
    "f, bounds, exact",
    [
        (x + b, ((x, 0, 1), (b, 0, 1)), sp.S(1)),
        (sp.sin(x), ((x, 0, sp.pi),), sp.S(2)),
        (x**2, ((x, 0, 1),), sp.Rational(1, 3)),
    ],
)
def test_the_float_is_the_exact_values_and_the_quadrature_is_separate(f, bounds, exact):
    r = definite.definite(f, tuple((v, sp.S(lo), sp.S(hi)) for v, lo, hi in bounds), Budget(20.0))
    assert r.value == exact and r.verified
    assert r.numeric == float(sp.N(exact, 30))  # not the quadrature's 0.9999999999999998
    assert r.quadrature is not None and abs(r.quadrature - r.numeric) <= 10 * r.error_estimate + 1e-15


# ----------------------------------------------------------------- A7: parameters of both signs

CASES_BOTH_SIGNS = [
    # ∫_{-a}^{a} √(a² − x²) dx: πa²/2 for a > 0, −πa²/2 for a < 0
    (sp.sqrt(a**2 - x**2), -a, a, sp.pi * a * sp.Abs(a) / 2),
    (1 / (x**2 + a**2), -sp.oo, sp.oo, sp.pi / sp.Abs(a)),
    (sp.Abs(x), 0, a, a * sp.Abs(a) / 2),
    (a * x, 0, 1, a / 2),
    (sp.exp(-(a**2) * x**2), -sp.oo, sp.oo, sp.sqrt(sp.pi) / sp.Abs(a)),
]


@pytest.mark.parametrize("f, lo, hi, expected", CASES_BOTH_SIGNS)
def test_a_value_with_a_parameter_holds_for_both_signs(f, lo, hi, expected):
    r = run(f, lo, hi)
    assert r.value is not None and r.verified and r.assumptions == ()
    for v in (sp.Rational(23, 10), sp.Rational(-19, 10), sp.Rational(7, 10)):
        assert sp.N(r.value.subs(a, v) - expected.subs(a, v), 30) == pytest.approx(0, abs=1e-20)
        g = sp.lambdify(x, f.subs(a, v), "mpmath")
        lo_v, hi_v = (float(e.subs(a, v)) if e.is_finite else float(e) for e in (sp.S(lo), sp.S(hi)))
        assert float(sp.N(r.value.subs(a, v))) == pytest.approx(float(mpmath.quad(g, [lo_v, hi_v])), rel=1e-9)
    assert any("checked numerically at a = " in m and "-" in m for m in r.remarks)  # a negative sample too


def test_two_parameters_each_of_both_signs():
    r = run(sp.sqrt(a**2 - x**2) + b, -a, a)
    assert r.value is not None and r.verified and r.assumptions == ()
    expected = sp.pi * a * sp.Abs(a) / 2 + 2 * a * b
    for va, vb in ((sp.Rational(3, 2), sp.Rational(-7, 10)), (sp.Rational(-11, 10), sp.Rational(5, 2))):
        assert sp.N((r.value - expected).subs({a: va, b: vb}), 30) == pytest.approx(0, abs=1e-20)
        g = sp.lambdify(x, (sp.sqrt(a**2 - x**2) + b).subs({a: va, b: vb}), "mpmath")
        numeric = float(mpmath.re(mpmath.quad(g, [-float(va), float(va)])))
        assert float(sp.N(r.value.subs({a: va, b: vb}))) == pytest.approx(numeric, rel=1e-9)


def test_a_value_checked_only_for_positive_parameters_states_the_assumption():
    r = run(x**a, 0, 1)  # 1/(a + 1), for a > -1: quadrature at a = -17/10 diverges
    assert sp.simplify(r.value - 1 / (a + 1)) == 0
    assert r.assumptions == ("a > 0",)
    assert any(m.startswith("holds for a > 0") for m in r.remarks)


@pytest.mark.parametrize("assumption, expected", [("positive", sp.pi * a**2 / 2), ("negative", -sp.pi * a**2 / 2)])
def test_a_given_assumption_decides_the_sign(assumption, expected):
    r = run(sp.sqrt(a**2 - x**2), -a, a, assumptions={a: assumption})
    assert sp.simplify(r.value - expected) == 0 and r.verified
    assert r.assumptions == (parameters.describe(a, assumption),)
    assert r.remarks[0].startswith("assuming a ")


def test_an_assumption_on_a_name_that_is_no_parameter_is_an_argument_error():
    from calccli.errors import ArgumentError

    with pytest.raises(ArgumentError, match="b is not a parameter"):
        run(a * x, 0, 1, assumptions={b: "positive"})


def test_no_answer_with_parameters_still_says_why():
    r = run(sp.cos(a * x**5 + x), 0, 1)
    assert r.value is None and r.numeric is None
    assert r.remarks, "exit 0 with no value must come with a word"
    expected = quad(sp.cos(sp.Rational(29, 10) * x**5 + x), 0, 1)
    assert f"{expected:.10g}" in r.remarks[-1]


def test_samples_have_both_signs_and_respect_assumptions():
    both = parameters.samples([a, b], {})
    for p in (a, b):
        assert any(s[p] > 0 for s in both) and any(s[p] < 0 for s in both)
    assert all(s[a] < 0 for s in parameters.samples([a, b], {a: "negative"}))


# ----------------------------------------------------------------- A8: step functions, exactly

STEPS = [
    (sp.floor(x), 0, sp.Rational(7, 2), sp.Rational(9, 2)),
    (sp.ceiling(x), 0, sp.Rational(5, 2), sp.Rational(9, 2)),
    (sp.frac(x), 0, sp.Rational(5, 2), sp.Rational(9, 8)),
    (sp.floor(2 * x) * x, 0, sp.Rational(3, 2), sp.Rational(13, 8)),
    (sp.sign(x - 1) * x, 0, 3, sp.Rational(7, 2)),
    (sp.Heaviside(x - 1) * x**2, 0, 2, sp.Rational(7, 3)),
    (sp.Abs(x - 1), 0, 3, sp.Rational(5, 2)),
    (sp.Piecewise((x, x < 1), (2 - x, True)), 0, 2, sp.S(1)),
    (sp.floor(x) * sp.exp(x), 0, 2, sp.exp(2) - sp.E),
    (sp.Max(x, 1 - x), 0, 1, sp.Rational(3, 4)),
    (sp.Min(x**2, 1) * sp.floor(x), 0, 3, sp.S(3)),
]


@pytest.mark.parametrize("f, lo, hi, expected", STEPS)
def test_step_functions_are_split_at_their_jumps_exactly(f, lo, hi, expected):
    assert sp.simplify(pieces.split_integral(f, x, sp.S(lo), sp.S(hi)) - expected) == 0
    jumps = [k / 2 for k in range(1, 2 * math.ceil(float(hi)) + 1) if k / 2 < float(hi)]
    assert float(expected) == pytest.approx(quad(f, float(lo), float(hi), jumps), rel=1e-12)


@pytest.mark.parametrize("f, lo, hi, expected", STEPS[:3])
def test_step_functions_give_an_exact_verified_value(f, lo, hi, expected):
    r = run(f, lo, hi)
    assert r.value == expected and r.verified and r.method.startswith("split at the jumps")


def test_infinitely_many_jumps_are_not_split():
    assert pieces.split_integral(sp.floor(x) * sp.exp(-x), x, sp.S.Zero, sp.oo) is None


# ----------------------------------------------------------------- A8: recognised, not proved


@pytest.mark.parametrize(
    "f, lo, hi, expected",
    [
        (sp.log(sp.sin(x)), 0, sp.pi / 2, -sp.pi * sp.log(2) / 2),
        (sp.log(x) / (1 + x**2), 0, 1, -sp.Catalan),
    ],
)
def test_a_float_only_value_is_recognised_and_labelled_not_proved(f, lo, hi, expected):
    r = run(f, lo, hi)
    if r.value is not None:  # a closed form is better still
        assert sp.simplify(r.value - expected) == 0
        return
    assert r.recognised is not None and sp.simplify(r.recognised - expected) == 0
    assert any("recognised, not proved" in m for m in r.remarks)
    assert r.numeric == pytest.approx(float(expected), rel=1e-12)


def test_recognition_refuses_numbers_outside_the_constants():
    with mpmath.workdps(60):
        for v in (mpmath.sqrt(5), mpmath.sqrt(mpmath.pi) * mpmath.exp(-0.25), mpmath.mpf(1) / 7 + mpmath.sqrt(7)):
            assert recognise.recognise(v, 1e-55) is None
        # and a number known to too few digits is never matched
        assert recognise.recognise(-mpmath.pi * mpmath.log(2) / 2, 1e-20) is None


# ----------------------------------------------------------------- A9: what a search found by its deadline


def test_a_search_out_of_time_reports_the_numeric_value_and_says_so():
    r = run(sp.sin(sp.sin(x)), 0, 1, seconds=1.0)
    assert r.value is None and r.complete is False
    assert r.numeric == pytest.approx(quad(sp.sin(sp.sin(x)), 0, 1), rel=1e-12)
    assert any("ran out of time" in m for m in r.remarks)
