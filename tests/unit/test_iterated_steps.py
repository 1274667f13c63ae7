"""``--steps`` for multiple integrals (issue 11 C): iterated integrals, inner first, every stage shown.

Each stage's antiderivative must differentiate back to its integrand and the substituted bounds
must give the next stage's integrand; the last stage must end at the exact value.
"""

from __future__ import annotations

import sympy as sp

from calccli.homework.integral_steps import iterated_steps

x, y, r, t = sp.symbols("x y r theta", real=True)


def _stages(steps):  # type: ignore[no-untyped-def]
    return [s for s in steps if s.depth == 0]


def test_a_triangle_is_worked_inner_integral_first():
    steps = iterated_steps(x * y, ((y, sp.S(0), x), (x, sp.S(0), sp.S(1))), sp.Rational(1, 8))
    assert steps is not None
    assert [s.rule for s in _stages(steps)] == ["inner integral (in y)", "outer integral (in x)"]
    results = [s for s in steps if s.rule == "result"]
    assert [s.wrt for s in results] == [y, x]
    for s in results:  # each stage's antiderivative differentiates back to its integrand
        assert sp.simplify(sp.diff(s.result, s.wrt) - s.expr) == 0
    assert results[1].expr == x**3 / 2  # the inner value, with y = x and y = 0 substituted
    bounds = [s.detail for s in steps if s.rule == "substitute the bounds"]
    assert bounds[0].startswith("F(x) - F(0)") and bounds[-1].endswith("= 1/8")


def test_polar_coordinates_work_the_transformed_integrand():
    value = sp.pi - sp.pi * sp.exp(-4)
    steps = iterated_steps(r * sp.exp(-(r**2)), ((r, sp.S(0), sp.S(2)), (t, sp.S(0), 2 * sp.pi)), value)
    assert steps is not None
    last = [s for s in steps if s.rule == "substitute the bounds"][-1]
    assert sp.simplify(sp.sympify(last.detail.rsplit("= ", 1)[1]) - value) == 0


def test_stages_that_do_not_end_at_the_value_are_not_shown():
    assert iterated_steps(x * y, ((y, sp.S(0), x), (x, sp.S(0), sp.S(1))), sp.Rational(1, 7)) is None
