"""Property tests of values at a point for random rational functions N/D of x and y.

Each function is built from integer coefficients and exists twice: as calccli formula text and as
exact Python arithmetic on Fractions (the reference never goes through SymPy or calccli's parser).

* When D vanishes at the point, every command that evaluates at a point exits 1 (a maths error);
  SymPy's one-variable-after-another ``subs`` would often give a number there.
* When it does not, f(p) (Taylor's ``value``) is exactly N(p)/D(p), and the gradient agrees with
  central differences of the Fraction function evaluated in floats.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.slow  # a dozen CLI runs per example

Poly = dict[tuple[int, int], int]  # (i, j) -> coefficient of (x - a)^i (y - b)^j

MONOMIALS = [(i, j) for i in range(3) for j in range(3) if i + j <= 2]
coefficient = st.integers(-3, 3)
points = st.tuples(st.integers(-2, 2), st.integers(-2, 2))


def poly_text(p: Poly, a: int, b: int) -> str:
    """The polynomial as calccli text, in powers of (x - a) and (y - b)."""
    parts = []
    for (i, j), c in sorted(p.items()):
        if c:
            parts.append(f"({c})" + "".join(f"*((x - ({a}))^{i})" * (i > 0) + f"*((y - ({b}))^{j})" * (j > 0)))
    return " + ".join(parts) or "0"


def poly_value(p: Poly, a: int, b: int, x: Fraction, y: Fraction) -> Fraction:
    return sum((c * (x - a) ** i * (y - b) ** j for (i, j), c in p.items()), Fraction(0))


@st.composite
def rational(draw: st.DrawFn, vanishing: bool) -> tuple[str, Poly, Poly, tuple[int, int]]:
    a, b = draw(points)
    num = {m: draw(coefficient) for m in MONOMIALS}
    den = {m: draw(coefficient) for m in MONOMIALS}
    if vanishing:
        den[(0, 0)] = 0  # every other monomial of D has a factor (x - a) or (y - b)
    else:
        den[(0, 0)] = draw(st.integers(1, 3)) * draw(st.sampled_from([-1, 1]))
    assume(any(c for m, c in den.items() if m != (0, 0)))  # D is not a constant
    assume(any(num.values()))
    ratio = {num[m] * den[n] - num[n] * den[m] for m in MONOMIALS for n in MONOMIALS}
    assume(ratio != {0})  # N is not a multiple of D (SymPy would cancel N/D to a constant)
    text = f"({poly_text(num, a, b)})/({poly_text(den, a, b)})"
    return text, num, den, (a, b)


AT_A_POINT = [
    ["diff", "{f}", "--wrt", "x"],
    ["diff", "{f}", "--wrt", "y,x"],
    ["grad", "{f}"],
    ["directional", "{f}", "--dir", "1,2"],
    ["jacobian", "[{f}, x y]"],
    ["hessian", "{f}"],
    ["laplacian", "{f}"],
    ["taylor", "{f}", "--order", "1"],
]


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=rational(vanishing=True))
def test_every_at_a_point_command_refuses_a_vanishing_denominator(calc, case):
    text, _, _, (a, b) = case
    for command in AT_A_POINT:
        args = [c.replace("{f}", text) for c in command]
        r = calc(*args, "--at", f"{a},{b}", "--timeout", "20")
        assert r.exit_code == 1, (args, r.stdout, r.stderr)
        assert "undefined at (x, y)" in r.stderr, r.stderr


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=rational(vanishing=False))
def test_where_the_denominator_does_not_vanish_the_values_are_the_formulas(calc, case):
    text, num, den, (a, b) = case
    pa, pb = Fraction(a), Fraction(b)

    def f(x: Fraction, y: Fraction) -> Fraction:
        return poly_value(num, a, b, x, y) / poly_value(den, a, b, x, y)

    r = calc("taylor", text, "--at", f"{a},{b}", "--order", "0", "--json", "--timeout", "20")
    assert r.exit_code == 0, r.stderr
    value = Fraction(r.json()["result"]["value"])  # an exact rational, printed as p/q
    assert value == f(pa, pb)

    g = calc("grad", text, "--at", f"{a},{b}", "--json", "--timeout", "20")
    assert g.exit_code == 0, g.stderr
    h = Fraction(1, 10**6)
    dx = float((f(pa + h, pb) - f(pa - h, pb)) / (2 * h))
    dy = float((f(pa, pb + h) - f(pa, pb - h)) / (2 * h))
    numeric = g.json()["result"]["numeric"]["gradient"]
    scale = max(1.0, abs(dx), abs(dy))
    assert abs(numeric["x"] - dx) <= 1e-6 * scale and abs(numeric["y"] - dy) <= 1e-6 * scale
