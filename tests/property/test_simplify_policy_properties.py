"""The simplification policy never changes a value: tidy(e) equals e at random points, to 30 digits.

Random expressions in x and y are built from a grammar with the shapes the policy's steps look for
(sums of fractions, trigonometric powers, symbolic and fractional powers, shared factors).  Each is
tidied under the policy (cheap steps, and the full simplify for a result large relative to its input,
forced here with an input size of 1), and both forms are evaluated with mpmath at 40 digits at points
where the raw form is defined (and its 40 digits agree with 120: no catastrophic cancellation).
"""

from __future__ import annotations

import random

import mpmath
import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calccli.calculus.common import tidy

pytestmark = pytest.mark.slow

x, y = sp.symbols("x y", real=True)

leaves = st.one_of(st.sampled_from([x, y]), st.integers(-3, 3).map(sp.Integer))


def _extend(children: st.SearchStrategy[sp.Expr]) -> st.SearchStrategy[sp.Expr]:
    return st.one_of(
        st.tuples(children, children).map(lambda p: p[0] + p[1]),
        st.tuples(children, children).map(lambda p: p[0] * p[1]),
        st.tuples(children, children).map(lambda p: p[0] / (1 + p[1] ** 2)),
        st.tuples(children, st.integers(-2, 3)).map(lambda p: sp.sin(p[0]) ** p[1]),
        st.tuples(children, st.integers(2, 3)).map(lambda p: sp.cos(p[0]) ** p[1]),
        children.map(sp.exp),
        children.map(lambda a: sp.sqrt(1 + a**2)),
        children.map(lambda a: sp.cosh(a) ** 2 - sp.sinh(a) ** 2),
    )


expressions = st.recursive(leaves, _extend, max_leaves=6)


def _value(e: sp.Expr, point: dict[sp.Symbol, mpmath.mpf]) -> mpmath.mpc | None:
    f = sp.lambdify((x, y), e, modules="mpmath")
    try:
        return mpmath.mpmathify(f(point[x], point[y]))
    except (ZeroDivisionError, ValueError, OverflowError):
        return None


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expressions, st.sampled_from([1, 10_000]))
def test_tidy_is_exactly_the_same_function(e, input_size):
    # input_size 1: every non-trivial result is "large", so simplify runs too; 10,000: cheap steps only
    t = tidy(e, input_size=input_size)
    rng = random.Random(str(e))
    with mpmath.workdps(40):
        checked = 0
        for _ in range(4):
            point = {x: mpmath.mpf(rng.uniform(-2, 2)), y: mpmath.mpf(rng.uniform(-2, 2))}
            a = _value(e, point)
            if a is None or not mpmath.isfinite(a) or abs(a) > 1e12:
                continue
            with mpmath.workdps(120):  # the raw form may cancel catastrophically (cosh(52)^2 - sinh(52)^2)
                exact = _value(e, point)
            if exact is None or abs(a - exact) > mpmath.mpf(10) ** -32 * max(1, abs(exact)):
                continue
            b = _value(t, point)
            assert b is not None, (e, t, point)
            assert abs(a - b) <= mpmath.mpf(10) ** -30 * max(1, abs(a)), (e, t, point)
            checked += 1


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expressions)
def test_tidy_minus_raw_simplifies_to_zero(e):
    t = tidy(e, input_size=1)
    assert t == e or sp.simplify(t - e) == 0 or sp.simplify(sp.expand_trig(t - e)) == 0 or _numerically_zero(t - e)


def _numerically_zero(d: sp.Expr) -> bool:
    rng = random.Random(str(d))
    with mpmath.workdps(40):
        for _ in range(3):
            v = _value(d, {x: mpmath.mpf(rng.uniform(-2, 2)), y: mpmath.mpf(rng.uniform(-2, 2))})
            if v is not None and mpmath.isfinite(v) and abs(v) > mpmath.mpf(10) ** -30:
                return False
    return True
