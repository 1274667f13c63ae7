"""Singular critical points: where the gradient of f does not exist, and a verdict by comparing values.

A point where ∇f does not exist is a critical point too (|x| at 0, the cone sqrt(x^2 + y^2) at its
tip).  Such points sit where an argument of Abs/sign/Heaviside vanishes or a denominator of ∇f is
zero (the *kinks* of f); no derivative test applies there, so they are classified by comparing
f(p) with f at points sampled on small circles (spheres, or the two points of an interval) around p,
evaluated exactly and signed with 30 digits.

>>> x, y = sp.symbols("x y", real=True)
>>> kinks(sp.Abs(x) + sp.Abs(y), (x, y))
[x, y]
>>> compare_values(sp.Abs(x) + sp.Abs(y), (x, y), {x: 0, y: 0})[0]
'local minimum'
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence

import sympy as sp

from calccli.calculus.roots import solve_exact
from calccli.errors import MathError
from calccli.results import Point

MAX_KINKS = 8  # at most this many kink equations are solved
RADII = (sp.Rational(1, 10**3), sp.Rational(1, 10**6))  # the sampled circles' radii
DIRECTIONS = 24  # directions sampled per radius (2 in one variable)
JUMPS = (sp.floor, sp.ceiling, sp.frac)


def smooth(e: sp.Expr) -> sp.Expr:
    """``e`` with Dirac deltas dropped: they vanish wherever the gradient exists.

    >>> x = sp.Symbol("x", real=True)
    >>> smooth(sp.diff(sp.sign(x) * x**2, x))
    2*x*sign(x)
    """
    return e.replace(lambda a: isinstance(a, sp.DiracDelta), lambda a: sp.S.Zero) if e.has(sp.DiracDelta) else e


def refuse_jumps(expr: sp.Expr) -> None:
    """floor, ceil and frac jump at every integer: their gradient is 0 wherever it exists."""
    for fn in JUMPS:
        hit = next(iter(expr.atoms(fn)), None)
        if hit is not None:
            raise MathError(
                f"classify needs a continuous f: {hit} jumps at every integer and has gradient 0 "
                "between the jumps, so every point is critical"
            )


def _strip(e: sp.Expr) -> sp.Expr:
    while isinstance(e, sp.Abs):
        e = e.args[0]
    return e


def kinks(expr: sp.Expr, variables: Sequence[sp.Symbol]) -> list[sp.Expr]:
    """Expressions whose zeros are where ∇f may not exist: arguments of sign, Heaviside, DiracDelta
    in ∇f and the bases of its negative powers (denominators)."""
    vs = set(variables)
    out: list[sp.Expr] = []
    for v in variables:
        g = sp.diff(expr, v)
        found = [a.args[0] for a in g.atoms(sp.sign, sp.Heaviside, sp.DiracDelta)]
        found += [a.base for a in g.atoms(sp.Pow) if a.exp.is_number and a.exp.is_negative]
        for k in found:
            k = _strip(k)
            if not (k.free_symbols & vs) or any(sp.expand(k - o) == 0 or sp.expand(k + o) == 0 for o in out):
                continue
            out.append(k)
    return out[:MAX_KINKS]


def _isolated(s: dict[sp.Symbol, sp.Expr], variables: Sequence[sp.Symbol]) -> bool:
    return all(v in s and not (s[v].free_symbols & set(variables)) for v in variables)


def candidates(
    expr: sp.Expr, variables: Sequence[sp.Symbol], time_left: Callable[[], float], depth: int = 0
) -> list[Point]:
    """Points on the kinks of f that may be extrema: isolated zeros of a kink, and on a curve
    (surface) of zeros the points where f restricted to it is critical.  Points with free
    symbols left are families (f is constant along a kink)."""
    vs = list(variables)
    out: list[Point] = []
    for k in kinks(expr, vs):
        systems = [[k]]
        if len(vs) > 1 and k.is_polynomial(*vs):  # the real zeros of a sum of squares are its minima
            systems.append([k, *(sp.diff(k, v) for v in vs)])
        for eqs in systems:
            seconds = min(3.0, time_left())
            if seconds <= 0.05:
                return out
            solved = solve_exact(eqs, vs, seconds)
            if solved is None:
                continue
            for s in solved[0]:
                if _isolated(s, vs):
                    out.append({v: s[v] for v in vs})
                    continue
                if depth >= len(vs):
                    continue
                out += _along(expr, vs, s, time_left, depth)
    return out


def _along(
    expr: sp.Expr, vs: list[sp.Symbol], s: dict[sp.Symbol, sp.Expr], time_left: Callable[[], float], depth: int
) -> list[Point]:
    """Critical points of f restricted to the kink set ``s`` (some variables in terms of the rest)."""
    rest = [v for v in vs if v not in s]
    if not rest or any(s[v].free_symbols - set(rest) for v in s if v in vs):
        return []
    g = expr.subs({v: s[v] for v in vs if v in s}, simultaneous=True)

    def full(q: dict[sp.Symbol, sp.Expr]) -> Point:
        return {v: (s[v].subs(q, simultaneous=True) if v in s else q.get(v, v)) for v in vs}

    if not (g.free_symbols & set(rest)):  # f is constant along the kink: a family
        return [full({})]
    out: list[Point] = []
    seconds = min(3.0, time_left())
    if seconds > 0.05:
        grad = [smooth(sp.diff(g, v)) for v in rest]
        solved = solve_exact(grad, rest, seconds)
        for q in solved[0] if solved is not None else []:
            if _isolated(q, rest):
                out.append(full(q))
    out += [full(q) for q in candidates(g, rest, time_left, depth + 1) if _isolated(q, rest)]
    return out


def defined_at(expr: sp.Expr, p: Point) -> bool:
    """Is f finite and real at p?"""
    try:
        v = sp.N(expr.subs(p, simultaneous=True), 30)
    except (TypeError, ValueError, ZeroDivisionError):
        return False
    return bool(v.is_number and v.is_finite and v.is_real) and not v.has(sp.nan, sp.zoo)


def _directions(n: int) -> list[tuple[int, ...]]:
    """Rational directions around a point: ±1 in one variable, the primitive integer vectors of
    the cube [-2, 2]^n in more (all of them in 2 and 3 variables, the first ones beyond)."""
    if n == 1:
        return [(-1,), (1,)]
    out = [d for d in itertools.product(range(-2, 3), repeat=n) if any(d) and math.gcd(*d) == 1]
    return out[: max(DIRECTIONS, 2 * n)] if n > 3 else out


def _sign(e: sp.Expr, scale: float) -> int | None:
    """The sign of an exact number, from 30 digits; None if it is not a real number."""
    try:
        v = sp.N(e, 30)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    if not v.is_number or v.has(sp.nan, sp.zoo) or not v.is_finite:
        return None
    if not v.is_real:
        re_, im_ = v.as_real_imag()
        if abs(im_) > 1e-25 * max(1.0, abs(re_)):
            return None
        v = re_
    if v == 0 or abs(v) < 1e-26 * max(1.0, scale):
        return 0
    return 1 if v > 0 else -1


def compare_values(expr: sp.Expr, variables: Sequence[sp.Symbol], p: Point) -> tuple[str, str]:
    """(kind, test) of p from the signs of f(q) - f(p) at points q sampled around p.

    The points q = p + r·d, for the radii ``RADII`` and the rational directions ``d``, are
    exact; f(q) - f(p) is signed from 30 digits.  A sample, not a proof: the test says so.
    """
    n = len(variables)
    f0 = expr.subs(p, simultaneous=True)
    scale = abs(float(sp.N(f0, 15)))
    signs: set[int] = set()
    zeros = sampled = outside = 0
    for r in RADII:
        for d in _directions(n):
            q = {v: p[v] + r * c for v, c in zip(variables, d, strict=True)}
            s = _sign(expr.subs(q, simultaneous=True) - f0, scale)
            if s is None:  # outside the domain of f
                outside += 1
                continue
            sampled += 1
            if s:
                signs.add(s)
            else:
                zeros += 1
    where = {1: "at distance", 2: "on circles of radius"}.get(n, "on spheres of radius")
    radii = " and ".join(str(r) for r in RADII)
    at = f"{sampled} points sampled {where} {radii} around it"
    if outside:
        at += f"; f is not defined at {outside} more"
    if not sampled:
        return "inconclusive", "comparing values (f is not defined at the points sampled around it)"
    kind, why = _by_signs(signs, zeros, at)
    return kind, f"comparing values ({why})"


def _by_signs(signs: set[int], zeros: int, at: str) -> tuple[str, str]:
    """The kind of a point from the signs of f - f(p) at the points sampled around it, and why."""
    if signs == {1}:
        return "local minimum", f"f is {'no smaller' if zeros else 'larger'} at all {at}"
    if signs == {-1}:
        return "local maximum", f"f is {'no larger' if zeros else 'smaller'} at all {at}"
    if not signs:
        return "degenerate", f"f is the same at all {at}"
    return "saddle point", f"f is larger at some and smaller at others of the {at}"


def _near_roots(g: sp.Expr, w: sp.Symbol, centre: sp.Expr, bound: float) -> list[sp.Expr]:
    """The real roots of the polynomial g(w) within ``bound`` of ``centre`` (exact: CRootOf or radicals)."""
    if not g.free_symbols <= {w} or not g.is_polynomial(w):
        return []
    try:
        poly = sp.Poly(sp.expand(g), w)
        if poly.degree() < 1:
            return []
        roots = sp.real_roots(poly)
    except (sp.PolynomialError, NotImplementedError, ValueError):
        return []
    return [r for r in roots if abs(float(sp.N(r - centre, 20))) <= bound]


def compare_on_constraint(expr: sp.Expr, variables: Sequence[sp.Symbol], g: sp.Expr, p: Point) -> tuple[str, str]:
    """(kind, how) of a singular point p of the constraint g = 0 from values of f along it.

    Points of the constraint near p: one coordinate w is left free, the others are moved by
    r·d from p, and g = 0 is solved exactly for w (roots within sqrt(r) of p); then likewise
    for every choice of w.  f(q) - f(p) is signed at each such q.
    """
    n = len(variables)
    f0 = expr.subs(p, simultaneous=True)
    scale = abs(float(sp.N(f0, 15)))
    signs: set[int] = set()
    zeros = sampled = 0
    for r in RADII:
        bound = math.sqrt(float(r))
        for i, w in enumerate(variables):
            others = [v for j, v in enumerate(variables) if j != i]
            for d in _directions(n - 1):
                q0 = {v: p[v] + r * c for v, c in zip(others, d, strict=True)}
                for root in _near_roots(g.subs(q0, simultaneous=True), w, p[w], bound):
                    s = _sign(expr.subs({**q0, w: root}, simultaneous=True) - f0, scale)
                    if s is None:
                        continue
                    sampled += 1
                    if s:
                        signs.add(s)
                    else:
                        zeros += 1
    at = f"{sampled} points sampled on it nearby"
    if not sampled:
        return "inconclusive", "no points of the constraint were found nearby to compare values"
    return _by_signs(signs, zeros, at)


def gradient_tends_to_zero(expr: sp.Expr, variables: Sequence[sp.Symbol], p: Point) -> bool:
    """Does ∇f (where it exists) tend to 0 at p?  Then p is stationary after all (x·|x| at 0).

    Sampled: ∇f at p + r·d for r = 10^-8 and the directions of :func:`compare_values`.
    """
    grad = [smooth(sp.diff(expr, v)) for v in variables]
    r = sp.Rational(1, 10**8)
    for d in _directions(len(variables)):
        q = {v: p[v] + r * c for v, c in zip(variables, d, strict=True)}
        for g in grad:
            try:
                val = complex(sp.N(g.subs(q, simultaneous=True), 20))
            except (TypeError, ValueError, ZeroDivisionError):
                return False
            if not math.isfinite(abs(val)) or abs(val) > 1e-5:
                return False
    return True


def on_kink(kink_exprs: Sequence[sp.Expr], p: Point) -> bool:
    """Does p lie where a kink vanishes (so the singular search, not a derivative test, decides it)?

    Exactly for an exact point; within 1e-7 for a point found numerically (Newton creeps up to a
    removable singularity: sin(x)/x "has" a critical point at 1e-9, where f is 0/0).
    """
    tol = 1e-7 if any(c.has(sp.Float) for c in p.values()) else 1e-25
    for k in kink_exprs:
        try:
            v = complex(sp.N(k.subs(p, simultaneous=True), 30))
        except (TypeError, ValueError, ZeroDivisionError):
            continue
        if abs(v) < tol:
            return True
    return False


def compare_on_family(expr: sp.Expr, variables: Sequence[sp.Symbol], p: Point) -> tuple[str, str]:
    """(kind, test) of a curve (surface) of singular critical points: :func:`compare_values` at two
    of its points; the same verdict at both is reported (not strict: f is constant along it)."""
    free = sorted({s for c in p.values() for s in c.free_symbols if s in set(variables)}, key=lambda s: s.name)
    verdicts = set()
    for t in (sp.Rational(1, 3), sp.Rational(-2, 7)):
        q = {v: c.subs({s: t for s in free}, simultaneous=True) for v, c in p.items()}
        if not defined_at(expr, q):
            return "degenerate", "a curve of points where the gradient does not exist (f is constant along it)"
        verdicts.add(compare_values(expr, variables, q)[0])
    if len(verdicts) == 1 and (kind := verdicts.pop()) in ("local minimum", "local maximum"):
        return kind, (
            "comparing values at two points of this curve where the gradient does not exist "
            f"(f is constant along it and {'no smaller' if kind == 'local minimum' else 'no larger'} nearby; "
            "not strict)"
        )
    return "degenerate", "a curve of points where the gradient does not exist (f is constant along it)"
