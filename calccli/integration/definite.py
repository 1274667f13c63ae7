"""Definite integrals: exact candidates, each accepted only if numeric quadrature agrees with it.

The numeric value comes first (it is cheap and always wanted); then exact candidates from
independent routes (a verified antiderivative and its limits, iterated for multiple integrals;
polar coordinates over a disk; SymPy's own definite integrator), each accepted only if it
agrees with the quadrature (:func:`calccli.integration.verify.agrees_with_quadrature`).
Slow steps run as bounded attempts (:mod:`calccli.process.race`), so a hard integral ends
with an honest "no closed form found" and its numeric value rather than a hang.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from dataclasses import dataclass

import sympy as sp

from calccli.calculus.common import tidy
from calccli.errors import MathError
from calccli.integration import portfolio, quadrature
from calccli.integration.coordinates import Coordinates, change_coordinates, disk_in_polar
from calccli.integration.verify import agrees_with_quadrature
from calccli.process import race
from calccli.process.budget import Budget
from calccli.results import Attempt, Bound, DefiniteIntegral


@dataclass(frozen=True, slots=True)
class _Exact:
    """An exact candidate value, the route that gave it, and what it proves."""

    value: sp.Expr | None
    method: str
    antiderivative: sp.Expr | None = None
    diverges: bool = False
    verified_steps: bool = True  # every antiderivative used was verified
    proves_divergence: bool = False  # the divergence follows from a verified antiderivative's limits


def _finite(e: sp.Expr) -> bool:
    return not e.has(sp.oo, -sp.oo, sp.zoo, sp.nan)


def _limit(F: sp.Expr, x: sp.Symbol, at: sp.Expr, side: str) -> sp.Expr:
    """F at an endpoint: substitution when F is finite there, else the one-sided limit."""
    if at.is_finite is not False:
        v = F.subs(x, at)
        if _finite(v) and not v.has(sp.Integral):
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
) -> _Exact | None:
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
    return _Exact(
        value,
        f"antiderivative ({found.method}) and the fundamental theorem",
        F,
        diverges,
        found.verified,
        proves_divergence=diverges and found.verified,
    )


def _by_sympy(f: sp.Expr, bounds: tuple[Bound, ...], until: float) -> _Exact | None:
    """SymPy's own definite integrator (Meijer G, contour and limit methods) on the whole integral."""
    left = until - time.monotonic()
    if left <= 0.2:
        return None
    direct = race.bounded(lambda: sp.integrate(f, *bounds), left)
    if direct is None or direct.has(sp.Integral, sp.nan):
        return None
    return _Exact(direct, "SymPy's definite integrator", None, direct.has(sp.oo, -sp.oo, sp.zoo), False)


def _iterated(f: sp.Expr, bounds: tuple[Bound, ...], until: float, budget: Budget) -> _Exact | None:
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
    return _Exact(step.value if step.diverges else g, method, antider, step.diverges, verified, step.proves_divergence)


def _candidates(f: sp.Expr, bounds: tuple[Bound, ...], until: float, budget: Budget) -> Iterator[_Exact]:
    """Exact values from independent routes, most promising first; the caller checks each."""
    polar = disk_in_polar(f, bounds)
    if polar is not None:  # over a disk, polar coordinates are usually the way
        moved, ranges = polar
        found = _iterated(moved, ranges, until - 0.5 * (until - time.monotonic()), budget)
        if found is not None:
            yield _Exact(
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


def _sample_parameters(params: list[sp.Symbol]) -> dict[sp.Symbol, sp.Expr]:
    """Values for the parameters at which exact and numeric answers are compared."""
    rng = random.Random(20261122)
    return {p: sp.Rational(rng.randint(11, 29), 10) for p in params}


def _principal_value(f: sp.Expr, bounds: tuple[Bound, ...], seconds: float) -> sp.Expr | None:
    if len(bounds) != 1:
        return None
    x, a, b = bounds[0]
    pv = race.bounded(lambda: sp.Integral(f, (x, a, b)).principal_value(), seconds)
    if pv is None or pv.has(sp.Integral, sp.AccumBounds) or not _finite(pv) or not pv.is_finite:
        return None
    return pv


def _number(value: sp.Expr, sample: dict[sp.Symbol, sp.Expr]) -> complex | None:
    try:
        return complex(sp.N(value.subs(sample), 20))
    except (TypeError, ValueError):
        return None


def definite(
    f: sp.Expr,
    bounds: tuple[Bound, ...],
    budget: Budget,
    system: Coordinates | None = None,
) -> DefiniteIntegral:
    """∫...∫ f over ``bounds`` (innermost first), optionally after a change of coordinates to ``system``.

    The numeric value comes first (it is cheap and always wanted); then exact
    candidates, each accepted only if it agrees with it.  With parameters, both
    are compared at sample values of the parameters.  All of it takes at most
    :func:`~calccli.integration.portfolio.search_seconds` of the computation's ``budget``.
    """
    start = time.monotonic()
    seconds = portfolio.search_seconds(budget)
    transformed = jacobian = None
    integrand = f
    if system is not None:
        integrand, jacobian = change_coordinates(f, system)
        transformed = integrand
    variables = {v for v, _, _ in bounds}
    params = sorted(
        (integrand.free_symbols | set().union(*(a.free_symbols | b.free_symbols for _, a, b in bounds))) - variables,
        key=lambda s: s.name,
    )
    sample = _sample_parameters(params)
    remarks: list[str] = []
    sampled = tuple((v, a.subs(sample), b.subs(sample)) for v, a, b in bounds)
    estimate = race.bounded(
        lambda: quadrature.integrate(integrand.subs(sample), sampled), min(max(1.0, seconds * 0.3), 8.0)
    )
    reliable = estimate is not None and estimate.reliable
    # With a trustworthy numeric value in hand, a closed form is worth only part of the wait.
    until = start + (0.4 if reliable else 0.95) * seconds
    chosen: _Exact | None = None
    verified = False
    tried: list[Attempt] = []
    for candidate in _candidates(integrand, bounds, until, budget):
        if candidate.diverges:
            # A verified antiderivative with an infinite (or oscillating) limit proves divergence,
            # whatever a quadrature routine returns (it gives finite numbers for 1/x^2 on -1..1).
            if reliable and not candidate.proves_divergence:  # a finite, well-converged quadrature contradicts it
                tried.append(Attempt(candidate.method, "claimed divergence; contradicts quadrature"))
                continue
            chosen = candidate
            break
        number = _number(candidate.value, sample)
        if not reliable or number is None or estimate is None:  # nothing trustworthy: keep the first, unverified
            chosen = chosen or candidate
            break
        if agrees_with_quadrature(number, estimate.value, estimate.error):
            chosen, verified = candidate, True
            tried.append(Attempt(candidate.method, "verified"))
            break
        tried.append(Attempt(candidate.method, f"failed check ({candidate.value} against {estimate.value.real:.10g})"))
    name = system.name if system is not None else None
    if chosen is not None and chosen.diverges:
        pv = _principal_value(integrand, bounds, max(0.2, start + seconds - time.monotonic()))
        shown = chosen.value if chosen.value in (sp.oo, -sp.oo) else None
        return DefiniteIntegral(
            f,
            bounds,
            shown,
            None,
            None,
            False,
            chosen.method,
            False,
            name,
            transformed,
            jacobian,
            chosen.antiderivative,
            pv,
            tuple(tried),
            tuple(remarks),
        )
    if chosen is None and estimate is None:
        raise MathError("no closed form was found and numeric quadrature failed within the time limit")
    if any(a.outcome.startswith("failed check") for a in tried) and not verified:
        remarks.append("a closed form was found but disagrees with numeric quadrature, so it is not shown")
    value = chosen.value if chosen is not None and (verified or not reliable) else None
    method = chosen.method if value is not None and chosen is not None else "numeric quadrature"
    at_sample = ", ".join(f"{p} = {v}" for p, v in sample.items())
    if params and value is not None:
        remarks.append(
            f"checked numerically only at {at_sample}; it may hold only for some values of "
            f"{', '.join(p.name for p in params)}"
            if verified
            else f"could not be checked numerically (tried at {at_sample})"
        )
    if value is not None and not verified and estimate is not None and not reliable:
        remarks.append("numeric quadrature was too inaccurate to check the exact value")
    numeric = error = None
    if estimate is not None and not params and not (value is not None and not reliable):
        if abs(estimate.value.imag) <= max(1e-12, 10 * estimate.error):
            numeric, error = estimate.value.real, max(estimate.error, 2.0**-52 * abs(estimate.value))
        else:
            remarks.append(f"the integral is complex: about {estimate.value:.10g}")
        if not reliable:
            remarks.append("the numeric error estimate is large: the integral may diverge or be badly behaved")
    if value is not None and estimate is None and not params:
        remarks.append("numeric quadrature did not finish, so the exact value is unchecked")
    if value is not None and numeric is None and not params:  # the float of the exact value instead
        number = _number(value, {}) if value.is_number else None
        numeric = None if number is None else number.real
    converges = None if params else True if verified or reliable else None  # with parameters: may depend on them
    return DefiniteIntegral(
        f,
        bounds,
        value,
        numeric,
        error,
        verified,
        method,
        converges,
        name,
        transformed,
        jacobian,
        None if chosen is None or value is None else chosen.antiderivative,
        None,
        tuple(tried),
        tuple(remarks),
    )


__all__ = ["definite"]
