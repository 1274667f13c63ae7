"""Numeric quadrature, the independent check on every exact integral: known values, honest error estimates."""

from __future__ import annotations

import math

import pytest
import sympy as sp

from calccli.integration.coordinates import COORDINATES, change_coordinates, disk_in_polar
from calccli.integration.definite import definite
from calccli.integration.quadrature import integrate, singular_points
from calccli.integration.verify import agrees_with_quadrature
from calccli.process.budget import Budget

x, y, z = sp.symbols("x y z", real=True)


@pytest.mark.parametrize(
    "f, a, b, expected",
    [
        (x**2, 0, 1, 1 / 3),
        (sp.exp(-x), 0, sp.oo, 1.0),
        (sp.exp(-(x**2)), -sp.oo, sp.oo, math.sqrt(math.pi)),
        (sp.sin(x) / x, 0, sp.oo, math.pi / 2),  # oscillating tail: quadosc
        (1 / sp.sqrt(x), 0, 1, 2.0),  # endpoint singularity
        (x**2, 1, 0, -1 / 3),  # reversed limits
    ],
)
def test_single_integrals(f, a, b, expected):
    est = integrate(f, ((x, sp.S(a), sp.S(b)),))
    assert est is not None and est.reliable
    assert abs(est.value - expected) < 1e-12 * max(1, abs(expected))
    assert est.error < 1e-8


@pytest.mark.parametrize(
    "f, a, b, points",
    [
        (sp.Abs(x - 1), 0, 3, [1]),
        (sp.Abs(sp.sin(x)), 0, 3 * sp.pi, [sp.pi, 2 * sp.pi]),
        (sp.Max(x, x**2) + sp.sign(x + sp.Rational(1, 2)), -1, 2, [-sp.Rational(1, 2), 0, 1]),
        (sp.floor(2 * x), 0, 2, [sp.Rational(1, 2), 1, sp.Rational(3, 2)]),
        (1 / x + sp.Heaviside(x - 3), -1, 4, [0, 3]),
    ],
)
def test_corners_and_jumps_are_split_points(f, a, b, points):
    assert singular_points(f, x, sp.S(a), sp.S(b)) == points


def test_a_slow_logarithmic_tail_is_integrated_in_log_x():
    # 1/(x log² x) decays too slowly for tanh-sinh on [e, oo); in u = log x it is 1/u² on [1, oo).
    est = integrate(1 / (x * sp.log(x) ** 2), ((x, sp.E, sp.oo),))
    assert est is not None and est.reliable
    assert abs(est.value - 1) < 1e-12


def test_a_disk_edge_is_smoothed_for_the_nested_rule():
    # sqrt(1 - x²) bounds: the plain Gauss rule converges slowly at x = ±1; the smoothing map does not.
    edge = sp.sqrt(1 - x**2)
    est = integrate(x**2 + y**2, ((y, -edge, edge), (x, sp.S(-1), sp.S(1))))
    assert est is not None and est.reliable
    assert abs(est.value - math.pi / 2) < 1e-10
    ball = integrate(sp.S(1), ((z, sp.S(0), sp.sqrt(1 - x**2 - y**2)), (y, -edge, edge), (x, sp.S(-1), sp.S(1))))
    assert ball is not None and abs(ball.value - 2 * math.pi / 3) < 1e-9


def test_split_points_are_numbers_and_never_an_error():
    a = sp.Symbol("a", real=True)
    assert singular_points(sp.floor(x) * sp.exp(-x), x, sp.S(0), sp.oo) == []  # infinitely many jumps
    assert singular_points(sp.floor(x) * sp.exp(-x), x, sp.S(0), sp.S(10) ** 30) == []
    assert singular_points(sp.Abs(x - a**2 - 1) * sp.exp(-x), x, sp.S(0), sp.oo) == []  # a corner at a parameter
    assert singular_points(sp.floor(a * x), x, sp.S(0), sp.S(2)) == []  # jumps that move with a


def test_an_oscillating_slow_tail_is_not_retried_in_log_x():
    # sin(e^(2u)) at large u would cost mpmath enormous precision: the estimate must come back, unreliable.
    from calccli.process import race as attempts

    est = attempts.bounded(lambda: integrate(sp.sin(x**2), ((x, sp.S(0), sp.oo),)), 30)
    assert est is not None and not est.reliable


def test_a_corner_no_longer_spoils_the_estimate():
    est = integrate(x * sp.Abs(x - 1), ((x, sp.S(0), sp.S(3)),))
    assert est is not None and est.reliable
    assert abs(est.value - 29 / 6) < 1e-12


def test_a_divergent_integral_is_not_reliable():
    est = integrate(1 / x, ((x, sp.S(0), sp.S(1)),))
    assert est is None or not est.reliable


@pytest.mark.parametrize(
    "f, bounds, expected",
    [
        (x * y, ((y, sp.S(0), x), (x, sp.S(0), sp.S(1))), 1 / 8),  # triangle below y = x
        (sp.S(1), ((y, -sp.sqrt(1 - x**2), sp.sqrt(1 - x**2)), (x, sp.S(-1), sp.S(1))), math.pi),  # unit disk
        (sp.exp(-(x**2) - y**2), ((x, -sp.oo, sp.oo), (y, -sp.oo, sp.oo)), math.pi),
        (sp.exp(-x - y), ((x, sp.S(0), sp.oo), (y, sp.S(0), sp.oo)), 1.0),
        (x * y * z, ((z, sp.S(0), sp.S(1)), (y, sp.S(0), sp.S(1)), (x, sp.S(0), sp.S(1))), 1 / 8),
    ],
)
def test_nested_integrals(f, bounds, expected):
    est = integrate(f, bounds)
    assert est is not None
    assert abs(est.value - expected) <= max(10 * est.error, 1e-12)
    assert abs(est.value - expected) < 1e-5


@pytest.mark.parametrize(
    "name, jacobian",
    [
        ("polar", "r"),
        ("cylindrical", "r"),
        ("spherical", "rho**2*sin(phi)"),
    ],
)
def test_coordinate_jacobians(name, jacobian):
    assert str(COORDINATES[name].jacobian) == jacobian


def test_cartesian_integrand_is_rewritten():
    moved, jac = change_coordinates(x**2 + y**2 + z**2, COORDINATES["spherical"])
    rho, phi = COORDINATES["spherical"].variables[:2]
    assert sp.simplify(moved - rho**4 * sp.sin(phi)) == 0


def test_a_disk_in_cartesian_limits_is_integrated_in_polar_form():
    edge = sp.sqrt(4 - x**2)
    moved, ranges = disk_in_polar(sp.exp(-(x**2 + y**2)), ((y, -edge, edge), (x, sp.S(-2), sp.S(2))))
    (r, r0, r1), (theta, t0, t1) = ranges
    assert (r0, r1, t0, t1) == (0, 2, 0, 2 * sp.pi)
    assert sp.simplify(moved - r * sp.exp(-(r**2))) == 0


def test_an_exact_value_is_shown_only_when_quadrature_agrees():
    assert agrees_with_quadrature(1 / 3, 1 / 3 + 1e-12, 1e-14)
    assert not agrees_with_quadrature(1 / 3, 1 / 3 + 1e-6, 1e-14)
    result = definite(x**2, ((x, sp.S(0), sp.S(1)),), Budget(20.0))
    assert result.verified and result.value == sp.Rational(1, 3)
