"""The engine's shared helpers: the units stand-in, tidy, values at a point."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sympy as sp

from calccli.calculus import common
from calccli.errors import MathError

x, y = sp.symbols("x y", real=True)


def test_sympy_uses_only_what_the_units_stand_in_provides():
    # Outside sympy.physics, SymPy imports from sympy.physics.units only names the stand-in
    # defines; a SymPy upgrade that needs more must fail here, not in a user's computation.
    root = Path(sp.__file__).parent
    used = set()
    for path in root.rglob("*.py"):
        rel = path.relative_to(root).as_posix()
        if rel.startswith("physics/") or "/tests/" in f"/{rel}":
            continue
        for m in re.finditer(r"from sympy\.physics\.units import ([\w, ]+)", path.read_text(encoding="utf-8")):
            used.update(n.strip() for n in m.group(1).split(","))
    assert used <= {"Quantity", "Unit"}, used


def test_simplify_and_solve_work_with_the_stand_in():
    assert common.tidy(sp.sin(x) ** 2 + sp.cos(x) ** 2) == 1
    assert sp.solve(x**2 - 4, x) == [-2, 2]


def test_tidy_keeps_polynomials_as_they_are():
    e = 2 * x * y + x**2
    assert common.tidy(e) is e


def test_value_at_is_exact_with_a_float_alongside():
    v = common.value_at(sp.sin(x) + y, {x: sp.pi / 6, y: sp.Rational(1, 2)})
    assert v.exact == 1 and v.numeric == 1.0


@pytest.mark.parametrize(
    "expr, point, fragment",
    [
        (1 / x, {x: 0}, "undefined"),
        (sp.log(x), {x: -1}, "not real"),
        (sp.sqrt(x), {x: -4}, "not real"),
    ],
)
def test_value_at_refuses_undefined_or_complex_values(expr, point, fragment):
    with pytest.raises(MathError, match=fragment):
        common.value_at(expr, point)


@pytest.mark.parametrize(
    "expr, point",
    [
        (sp.Abs(x), {x: 0}),
        (sp.Max(x, y), {x: 1, y: 1}),
        (sp.floor(x), {x: 2}),
    ],
)
def test_no_derivative_at_a_kink_or_jump(expr, point):
    with pytest.raises(MathError, match="not smooth"):
        common.require_smooth(expr, point, "no derivative")


def test_step_functions_differentiate_to_zero_between_jumps():
    assert common.differentiate(sp.floor(x) + x**2, x) == 2 * x


# ------------------------------------------------------------------ all variables at once


@pytest.mark.parametrize(
    ("expr", "point", "reason"),
    [
        (x * y / (x**2 + y**2), {x: 0, y: 0}, "the denominator x**2 + y**2 is 0 there"),
        (sp.diff(x * y * (x**2 - y**2) / (x**2 + y**2), y, x), {x: 0, y: 0}, "is 0 there"),
        (sp.log(x**2 + y**2), {x: 0, y: 0}, "logarithm of 0"),
        ((x**2 + y**2) ** sp.Rational(-3, 2), {x: 0, y: 0}, "negative power -3/2"),
        (sp.atan2(y, x), {x: 0, y: 0}, "atan2(0, 0)"),
        (sp.tan(x), {x: sp.pi / 2}, "tan(x) is undefined there"),
        (sp.DiracDelta(x), {x: 0}, "distribution"),
        (1 / (sp.cos(x) ** 2 + sp.sin(x) ** 2 - 1), {x: 1}, "is 0 there"),  # zero, though not visibly
        (sp.Piecewise((1 / x, x > 0), (y, True)), {x: 1, y: 0}, None),  # the branch that applies is fine
        (sp.Piecewise((y, x < 0), (1 / x, True)), {x: 0, y: 1}, "the denominator x is 0 there"),
        (sp.sin(x) / x, {x: sp.Rational(1, 2)}, None),
        (1 / (x - y), {x: 1}, None),  # y is a parameter: undecided, not undefined
    ],
)
def test_undefined_reason_puts_every_variable_in_at_once(expr, point, reason):
    got = common.undefined_reason(expr, point)
    if reason is None:
        assert got is None
    else:
        assert got is not None and reason in got, got


def test_subs_one_after_another_would_give_a_number_where_there_is_none():
    mixed = sp.diff(x * y * (x**2 - y**2) / (x**2 + y**2), y, x)
    assert mixed.subs(x, 0).subs(y, 0) == -1  # SymPy's iterated limit, the defect of issue 11
    with pytest.raises(MathError, match=r"undefined at \(x, y\) = \(0, 0\).*limit"):
        common.value_at(mixed, {x: 0, y: 0}, "the derivative")


# ------------------------------------------------------------------ constants out of numerical reach

TOWER = sp.sin(sp.sin(3 + sp.exp(sp.exp(sp.exp(3)))))


def test_a_tower_constant_is_built_tidied_and_valued_without_evaluating_it():
    import time

    start = time.monotonic()
    e = sp.sin(sp.sin(3 + sp.exp(sp.exp(sp.exp(3)))))  # SymPy's sin.eval alone used to run for minutes
    assert common.tidy(e) == e
    assert common.approximate(e) is None
    v = common.value_at(x * e, {x: 2})
    assert v.exact == 2 * TOWER and v.numeric is None
    assert time.monotonic() - start < 5


def test_approximate_is_bounded_but_exact_where_it_can_be():
    assert common.approximate(sp.pi, 20) == sp.N(sp.pi, 20)
    assert common.approximate(sp.sin(sp.exp(sp.exp(2))), 15) == sp.N(sp.sin(sp.exp(sp.exp(2))), 15)


# ------------------------------------------------------------------ |u| and sign(u) derivatives


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        (sp.log(sp.Abs(x)), 1 / x),
        (sp.Abs(x) ** 3, 3 * x * sp.Abs(x)),
        (sp.sign(x), sp.S.Zero),
        (sp.Heaviside(x) * x**2, 2 * x * sp.Heaviside(x)),
    ],
)
def test_differentiate_gives_formulas_not_distributions(expr, expected):
    d = common.tidy(common.differentiate(expr, x))
    assert not d.has(sp.DiracDelta, sp.Piecewise)
    assert sp.simplify(d - expected) == 0


def test_tidy_refuses_a_piecewise_simplify_makes_up():
    e = sp.sign(x) / sp.Abs(x)  # simplify: Piecewise((0, Eq(x, 0)), (1/x, True)), wrong at 0
    assert not common.tidy(e).has(sp.Piecewise)
