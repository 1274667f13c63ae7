"""Exact candidates for a definite integral, from independent routes; :mod:`~calccli.integration.definite` checks each.

The routes: the sum over the pieces between the jumps of step functions; polar coordinates over a
disk; a verified antiderivative and its limits (iterated for multiple integrals); SymPy's own
definite integrator.  With parameters, each first with the parameters' signs assumed.
Slow steps run as bounded attempts (:mod:`calccli.process.race`).
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace

import sympy as sp

from calccli.calculus.common import tidy
from calccli.integration import parameters, portfolio, quadrature
from calccli.integration.coordinates import disk_in_polar
from calccli.integration.pieces import has_steps, split_integral
from calccli.process import race
from calccli.process.budget import Budget
from calccli.results import Bound


@dataclass(frozen=True, slots=True)
class Exact:
    """An exact candidate value, the route that gave it, and what it proves."""

    value: sp.Expr | None
    method: str
    antiderivative: sp.Expr | None = None
    diverges: bool = False
    verified_steps: bool = True  # every antiderivative used was verified
    proves_divergence: bool = False  # the divergence follows from a verified antiderivative's limits


def finite(e: sp.Expr) -> bool:
    return not e.has(sp.oo, -sp.oo, sp.zoo, sp.nan)


def _limit(F: sp.Expr, x: sp.Symbol, at: sp.Expr, side: str) -> sp.Expr:
    """F at an endpoint: substitution when F is finite there, else the one-sided limit."""
    if at.is_finite is not False:
        v = F.subs(x, at)
        if finite(v) and not v.has(sp.Integral):
            return v
    return sp.limit(F, x, at, side)


def _ftc(F: sp.Expr, x: sp.Symbol, a: sp.Expr, b: sp.Expr, cuts: list[sp.Expr]) -> tuple[sp.Expr, bool] | None:
    """F(b) - F(a), split at the singular points ``cuts``: (value, diverges), or None if a limit is unresolved.

    A piece whose limit is exactly ±oo diverges, and so does one that oscillates (AccumBounds:
    sin x at oo).  Anything else infinite or undefined (atan(zoo/a)/a, a limit SymPy cannot
    settle, an infinity times a parameter's sign) proves nothing, so there is no value.
    """
    points = [a, *cuts, b] if not cuts or bool(a <= b) else [a, *reversed(cuts), b]
    total: sp.Expr = sp.S.Zero
    infinite: set[sp.Expr] = set()
    for lo, hi in zip(points, points[1:], strict=False):
        forward = not (lo.is_number and hi.is_number) or bool(lo <= hi)
        up, down = ("-", "+") if forward else ("+", "-")
        piece = _limit(F, x, hi, up) - _limit(F, x, lo, down)
        if piece.has(sp.oo, -sp.oo) and not piece.free_symbols and not piece.has(sp.zoo, sp.nan, sp.AccumBounds):
            piece = sp.re(piece)  # log(x) at 0 from the left: -oo + I*pi, a real infinity plus a branch constant
        if piece in (sp.oo, -sp.oo):
            infinite.add(piece)
        elif piece.has(sp.AccumBounds) and not piece.free_symbols:
            infinite.add(sp.nan)
        elif piece.has(sp.oo, -sp.oo, sp.zoo, sp.nan, sp.AccumBounds, sp.Limit):
            return None
        else:
            total += piece
    if infinite:  # diverges: to oo or -oo only if every infinite piece agrees
        return (infinite.pop() if len(infinite) == 1 else sp.nan), True
    return total, False


def _by_antiderivative(
    g: sp.Expr,
    x: sp.Symbol,
    a: sp.Expr,
    b: sp.Expr,
    until: float,
    budget: Budget,
) -> Exact | None:
    """∫_a^b g dx as F(b) - F(a) for a verified antiderivative F, split at singular points."""
    seconds = until - time.monotonic()
    if seconds <= 0.2:
        return None
    found = portfolio.find(g, x, seconds * 0.7, budget=budget)
    if found.antiderivative is None:
        return None
    F = found.antiderivative

    def evaluate() -> tuple[sp.Expr, bool] | None:
        cuts = quadrature.singular_points(g, x, a, b) if a.is_number and b.is_number else []
        return _ftc(F, x, a, b, cuts)

    out = race.bounded(evaluate, max(0.2, until - time.monotonic()))
    if out is None:
        return None
    value, diverges = out
    # An exact infinite or oscillating limit of a verified antiderivative proves divergence.
    return Exact(
        value,
        f"antiderivative ({found.method}) and the fundamental theorem",
        F,
        diverges,
        found.verified,
        proves_divergence=diverges and found.verified,
    )


def _by_sympy(f: sp.Expr, bounds: tuple[Bound, ...], until: float) -> Exact | None:
    """SymPy's own definite integrator (Meijer G, contour and limit methods) on the whole integral."""
    left = until - time.monotonic()
    if left <= 0.2:
        return None
    direct = race.bounded(lambda: sp.integrate(f, *bounds), left)
    if direct is None or direct.has(sp.Integral, sp.nan):
        return None
    return Exact(direct, "SymPy's definite integrator", None, direct.has(sp.oo, -sp.oo, sp.zoo), False)


def _iterated(f: sp.Expr, bounds: tuple[Bound, ...], until: float, budget: Budget) -> Exact | None:
    """Integrate innermost first; each step's value is the next step's integrand."""
    g = f
    methods: list[str] = []
    verified = True
    n = len(bounds)
    step = None
    for i, (v, a, b) in enumerate(bounds):
        share = (until - time.monotonic()) / (n - i)
        step = _by_antiderivative(g, v, a, b, time.monotonic() + share, budget)
        if step is None:
            return None
        methods.append(step.method)
        verified = verified and step.verified_steps
        if step.diverges:
            break
        g = step.value
    assert step is not None
    method = "; ".join(dict.fromkeys(methods))
    antider = step.antiderivative if n == 1 else None
    if not step.diverges:
        g = tidy(min((g, sp.expand(g)), key=sp.count_ops), budget)  # 2*pi*(1/2 - exp(-4)/2) -> pi - pi*exp(-4)
    return Exact(step.value if step.diverges else g, method, antider, step.diverges, verified, step.proves_divergence)


def _by_pieces(f: sp.Expr, bounds: tuple[Bound, ...], until: float) -> Exact | None:
    """A single integral of step functions (floor, sign, |u|, Piecewise, ...) as the sum over the pieces between jumps."""
    if len(bounds) != 1 or not has_steps(f, bounds[0][0]):
        return None
    x, a, b = bounds[0]
    left = until - time.monotonic()
    if left <= 0.2 or not (a.is_number and b.is_number):
        return None
    value = race.bounded(lambda: split_integral(f, x, a, b), min(left, 0.5 * left + 1.0))
    if value is None:
        return None
    return Exact(value, "split at the jumps of the step functions", None, False, True)


def candidates(f: sp.Expr, bounds: tuple[Bound, ...], until: float, budget: Budget) -> Iterator[Exact]:
    """Exact values from independent routes, most promising first; the caller checks each."""
    pieces = _by_pieces(f, bounds, until)
    if pieces is not None:
        yield pieces
    polar = disk_in_polar(f, bounds)
    if polar is not None:  # over a disk, polar coordinates are usually the way
        moved, ranges = polar
        found = _iterated(moved, ranges, until - 0.5 * (until - time.monotonic()), budget)
        if found is not None:
            yield Exact(
                found.value,
                "polar coordinates (the region is a disk or part of one); " + found.method,
                None,
                found.diverges,
                found.verified_steps,
                found.proves_divergence,
            )
    first = _iterated(f, bounds, until - 0.3 * (until - time.monotonic()), budget)
    if first is not None:
        yield first
    direct = _by_sympy(f, bounds, until)
    if direct is not None:
        yield direct


def assumed_candidates(
    f: sp.Expr,
    bounds: tuple[Bound, ...],
    params: list[sp.Symbol],
    assumptions: Mapping[sp.Symbol, str],
    until: float,
    budget: Budget,
) -> Iterator[Exact]:
    """With parameters: candidates found with each parameter of its sign (given, else positive), then
    (without given assumptions) candidates for real parameters; all in the real parameters."""
    if not params:
        yield from candidates(f, bounds, until, budget)
        return
    signed = parameters.assumed(params, assumptions)
    back = {v: k for k, v in signed.items()}
    moved = f.xreplace(signed)
    moved_bounds = tuple((v, a.xreplace(signed), b.xreplace(signed)) for v, a, b in bounds)
    share = until if assumptions else time.monotonic() + 0.6 * (until - time.monotonic())
    for c in candidates(moved, moved_bounds, share, budget):
        if c.diverges and not assumptions:
            continue  # divergence for positive parameters proves nothing about the others
        value = None if c.value is None else c.value.xreplace(back)
        F = None if c.antiderivative is None else c.antiderivative.xreplace(back)
        yield replace(c, value=value, antiderivative=F)
    if not assumptions:
        yield from candidates(f, bounds, until, budget)


__all__ = ["Exact", "assumed_candidates", "candidates", "finite"]
