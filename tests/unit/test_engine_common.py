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
