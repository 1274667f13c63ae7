"""Changes of coordinates (polar, cylindrical, spherical), and a disk in Cartesian limits seen in polar form."""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from calccli.results import Bound


def _real(name: str) -> sp.Symbol:
    return sp.Symbol(name, real=True)


@dataclass(frozen=True, slots=True)
class Coordinates:
    """A change of variables (x, y[, z]) = T(new variables), with |det J| > 0 inside the usual ranges."""

    name: str
    variables: tuple[sp.Symbol, ...]  # the new variables
    cartesian: dict[sp.Symbol, sp.Expr]  # x, y, z in terms of them

    @property
    def jacobian(self) -> sp.Expr:
        """|det ∂(x,y,z)/∂(new)|, simplified (r, r, rho^2 sin(phi))."""
        old = list(self.cartesian)
        m = sp.Matrix([self.cartesian[o] for o in old]).jacobian(list(self.variables))
        det = sp.trigsimp(sp.simplify(m.det()))
        return -det if sp.simplify(det).could_extract_minus_sign() else det


_x, _y, _z = _real("x"), _real("y"), _real("z")
_r, _theta, _rho, _phi = _real("r"), _real("theta"), _real("rho"), _real("phi")

COORDINATES: dict[str, Coordinates] = {
    "polar": Coordinates("polar", (_r, _theta), {_x: _r * sp.cos(_theta), _y: _r * sp.sin(_theta)}),
    "cylindrical": Coordinates(
        "cylindrical", (_r, _theta, _z), {_x: _r * sp.cos(_theta), _y: _r * sp.sin(_theta), _z: _z}
    ),
    # phi is the angle from the +z axis (0..pi), theta the azimuth (0..2pi), as in most calculus texts.
    "spherical": Coordinates(
        "spherical",
        (_rho, _phi, _theta),
        {
            _x: _rho * sp.sin(_phi) * sp.cos(_theta),
            _y: _rho * sp.sin(_phi) * sp.sin(_theta),
            _z: _rho * sp.cos(_phi),
        },
    ),
}


def change_coordinates(f: sp.Expr, coords: Coordinates) -> tuple[sp.Expr, sp.Expr]:
    """``f`` written in the new variables, times |det J|; and |det J|.

    >>> polar = COORDINATES["polar"]
    >>> change_coordinates(_x**2 + _y**2, polar)
    (r**3, r)
    """
    jac = coords.jacobian
    moved = f.subs(coords.cartesian, simultaneous=True)
    return sp.trigsimp(sp.simplify(moved * jac)) if moved.free_symbols else moved * jac, jac


# The signs a variable takes over a range: both, only >= 0, only <= 0.
_ANGLES = {  # (sign of the outer variable u, sign of the inner v) -> theta range, with u = r cos, v = r sin
    (0, 0): (0, 2 * sp.pi),
    (0, 1): (0, sp.pi),
    (0, -1): (sp.pi, 2 * sp.pi),
    (1, 0): (-sp.pi / 2, sp.pi / 2),
    (-1, 0): (sp.pi / 2, 3 * sp.pi / 2),
    (1, 1): (0, sp.pi / 2),
    (-1, 1): (sp.pi / 2, sp.pi),
    (-1, -1): (sp.pi, 3 * sp.pi / 2),
    (1, -1): (-sp.pi / 2, 0),
}


def disk_in_polar(f: sp.Expr, bounds: tuple[Bound, ...]) -> tuple[sp.Expr, tuple[Bound, ...]] | None:
    """A disk, half-disk or quarter-disk written in Cartesian limits, as the same integral in polar form.

    ``--bound "y=-sqrt(4-x^2)..sqrt(4-x^2)" --bound x=-2..2`` is r = 0..2, theta = 0..2pi,
    where exp(-(x^2+y^2)) has a closed form that the Cartesian order of integration lacks.
    """
    if len(bounds) != 2:
        return None
    (v, v0, v1), (u, u0, u1) = bounds
    edge = v1 if v1 != 0 else -v0
    if not (edge.is_Pow and edge.exp == sp.S.Half):
        return None
    radius_sq = sp.expand(edge**2 + u**2)
    if radius_sq.free_symbols or not radius_sq.is_positive:
        return None
    radius = sp.sqrt(radius_sq)
    v_sign = {(-edge, edge): 0, (0, edge): 1, (-edge, 0): -1}.get((v0, v1))
    u_sign = {(-radius, radius): 0, (0, radius): 1, (-radius, 0): -1}.get((u0, u1))
    if v_sign is None or u_sign is None:
        return None
    r, theta = sp.Dummy("r", real=True), sp.Dummy("theta", real=True)
    low, high = (sp.S(e) for e in _ANGLES[(u_sign, v_sign)])
    moved = f.subs({u: r * sp.cos(theta), v: r * sp.sin(theta)}, simultaneous=True) * r
    return sp.simplify(moved), ((r, sp.S.Zero, radius), (theta, low, high))


__all__ = ["COORDINATES", "Coordinates", "change_coordinates", "disk_in_polar"]
