"""Definite integrals: exact candidates, each accepted only if numeric quadrature agrees with it.

The numeric value comes first (it is cheap and always wanted); then exact candidates from
independent routes (:mod:`~calccli.integration.routes`), each accepted only if it agrees with
the quadrature (:func:`calccli.integration.verify.agrees_with_quadrature`); with parameters, at
values of both signs (:mod:`~calccli.integration.parameters`).  The float beside an exact value
is its own; the quadrature is kept as the check.  With only a number, it is recognised, if it
can be, as a combination of known constants (:mod:`~calccli.integration.recognise`, not a proof).
Slow steps run as bounded attempts (:mod:`calccli.process.race`), so a hard integral ends
with an honest "no closed form found" and its numeric value rather than a hang.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import partial

import sympy as sp

from calccli.errors import ArgumentError, MathError
from calccli.integration import parameters, portfolio, quadrature, routes
from calccli.integration.coordinates import Coordinates, change_coordinates
from calccli.integration.verify import agrees_with_quadrature
from calccli.process import race
from calccli.process.budget import Budget
from calccli.results import Attempt, Bound, DefiniteIntegral


def _principal_value(f: sp.Expr, bounds: tuple[Bound, ...], seconds: float) -> sp.Expr | None:
    if len(bounds) != 1:
        return None
    x, a, b = bounds[0]
    pv = race.bounded(lambda: sp.Integral(f, (x, a, b)).principal_value(), seconds)
    if pv is None or pv.has(sp.Integral, sp.AccumBounds) or not routes.finite(pv) or not pv.is_finite:
        return None
    return pv


def _number(value: sp.Expr, sample: Mapping[sp.Symbol, sp.Expr]) -> complex | None:
    try:
        return complex(sp.N(value.subs(sample), 20))
    except (TypeError, ValueError):
        return None


@dataclass
class _Checks:
    """The quadrature at each sample of the parameters, and the samples where it can be trusted."""

    points: list[parameters.Sample]
    estimates: list[quadrature.Estimate | None]
    assumptions: Mapping[sp.Symbol, str]
    params: list[sp.Symbol] = field(default_factory=list)

    @property
    def first(self) -> quadrature.Estimate | None:
        return self.estimates[0]

    def usable(self) -> list[tuple[parameters.Sample, quadrature.Estimate]]:
        return [(s, e) for s, e in zip(self.points, self.estimates, strict=True) if e is not None and e.reliable]

    def agrees(self, value: sp.Expr, which: list[tuple[parameters.Sample, quadrature.Estimate]]) -> bool:
        for s, e in which:
            number = _number(value, s)
            if number is None or not agrees_with_quadrature(number, e.value, e.error):
                return False
        return True


@dataclass(frozen=True, slots=True)
class _Accepted:
    """A checked candidate: its value (perhaps rewritten for both signs of a parameter) and what holds."""

    exact: routes.Exact
    value: sp.Expr
    everywhere: bool  # agrees at every usable sample
    assumed: tuple[str, ...] = ()  # else: the assumption under which it was checked ("a > 0")
    unchecked: tuple[str, ...] = ()  # parameters whose negative values could not be checked


def _check(candidate: routes.Exact, checks: _Checks) -> _Accepted | None:
    """The candidate if it agrees with the quadrature at every usable sample; else repaired for the
    negative values of the parameters (|a|, sign a), or accepted for the positive ones only; or None."""
    assert candidate.value is not None
    usable = checks.usable()
    base = [(s, e) for s, e in usable if parameters.is_base(s, checks.assumptions)]
    if not base or not checks.agrees(candidate.value, base):
        return None
    free = [p for p in checks.params if p not in checks.assumptions]
    unchecked = tuple(
        p.name for p in free if not any(parameters.negative_only(s, p, checks.assumptions) for s, _ in usable)
    )
    value = candidate.value
    failed: list[str] = []
    for p in free:
        negative = [(s, e) for s, e in usable if parameters.negative_only(s, p, checks.assumptions)]
        if not negative or checks.agrees(value, negative):
            continue
        fits = [form for form in parameters.sign_forms(value, p) if checks.agrees(form, negative)]
        if fits:
            value = min(fits, key=sp.count_ops)
        else:
            failed.append(p.name)
    if not failed and checks.agrees(value, usable):
        if not unchecked:
            return _Accepted(candidate, value, True)
        return _Accepted(candidate, value, False, tuple(f"{n} > 0" for n in unchecked), unchecked)
    held = [n for n in (p.name for p in free) if n in failed or n in unchecked] or [p.name for p in free]
    return _Accepted(candidate, candidate.value, False, tuple(f"{n} > 0" for n in held), unchecked)


def _estimates(
    integrand: sp.Expr, bounds: tuple[Bound, ...], points: list[parameters.Sample], seconds: float
) -> list[quadrature.Estimate | None]:
    """The quadrature at each sample: the first may take most of the time, the others a share each."""
    out: list[quadrature.Estimate | None] = []
    end = time.monotonic() + max(1.0, seconds * 0.4)  # all of them together
    for i, s in enumerate(points):
        if i and end - time.monotonic() < 0.3:
            out.append(None)  # not checked there: too little time left
            continue
        allowed = (
            min(max(1.0, seconds * 0.3), 8.0) if i == 0 else min(max(0.5, seconds * 0.08), 3.0, end - time.monotonic())
        )
        sampled = tuple((v, a.subs(s), b.subs(s)) for v, a, b in bounds)
        g = integrand.subs(s)
        out.append(race.bounded(partial(quadrature.integrate, g, sampled), allowed))
    return out


def _recognised(integrand: sp.Expr, bounds: tuple[Bound, ...], seconds: float) -> sp.Expr | None:
    """A single integral's value at 50 digits, recognised as a combination of known constants, or None."""
    if len(bounds) != 1 or seconds < 0.3:
        return None
    from calccli.integration.recognise import recognise

    x, a, b = bounds[0]

    def guess() -> sp.Expr | None:
        found = quadrature.precise(integrand, x, a, b)
        return None if found is None else recognise(*found)

    return race.bounded(guess, seconds)


def _check_assumptions(assumptions: Mapping[sp.Symbol, str], params: list[sp.Symbol]) -> None:
    for p, what in assumptions.items():
        if p not in params:
            raise ArgumentError("assumptions", f"{{arg}}: {p.name} is not a parameter of this integral")
        if what not in parameters.RELATIONS.values():
            raise ArgumentError("assumptions", f"{{arg}}: cannot assume {p.name} is {what}")


def definite(
    f: sp.Expr,
    bounds: tuple[Bound, ...],
    budget: Budget,
    system: Coordinates | None = None,
    assumptions: Mapping[sp.Symbol, str] | None = None,
) -> DefiniteIntegral:
    """∫...∫ f over ``bounds`` (innermost first), optionally after a change of coordinates to ``system``.

    The numeric value comes first (it is cheap and always wanted); then exact
    candidates, each accepted only if it agrees with it.  With parameters, both
    are compared at several values of them, of both signs (``assumptions`` fix the sign of
    some: {a: "positive"}); a value that depends on a sign is given for both, or with its
    assumption stated.  All of it takes at most
    :func:`~calccli.integration.portfolio.search_seconds` of the computation's ``budget``.
    """
    start = time.monotonic()
    seconds = portfolio.search_seconds(budget)
    assumptions = dict(assumptions or {})
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
    _check_assumptions(assumptions, params)
    given = tuple(parameters.describe(p, what) for p, what in assumptions.items())
    checks = _Checks(parameters.samples(params, assumptions), [], assumptions, params)
    checks.estimates = _estimates(integrand, bounds, checks.points, seconds)
    estimate = checks.first
    remarks: list[str] = []
    reliable = estimate is not None and estimate.reliable
    # With a trustworthy numeric value in hand, a closed form is worth only part of the wait.
    until = start + (0.4 if reliable else 0.95) * seconds
    if params:
        until = start + (0.6 if reliable else 0.95) * seconds
    chosen: routes.Exact | None = None
    accepted: _Accepted | None = None
    fallback: _Accepted | None = None
    tried: list[Attempt] = []
    exhausted = True
    for candidate in routes.assumed_candidates(integrand, bounds, params, assumptions, until, budget):
        if candidate.diverges:
            # A verified antiderivative with an infinite (or oscillating) limit proves divergence,
            # whatever a quadrature routine returns (it gives finite numbers for 1/x^2 on -1..1).
            if reliable and not candidate.proves_divergence:  # a finite, well-converged quadrature contradicts it
                tried.append(Attempt(candidate.method, "claimed divergence; contradicts quadrature"))
                continue
            chosen = candidate
            exhausted = False
            break
        if not reliable or estimate is None or _number(candidate.value, checks.points[0]) is None:
            chosen = chosen or candidate  # nothing trustworthy: keep the first, unverified
            exhausted = False
            break
        found = _check(candidate, checks)
        if found is None:
            tried.append(
                Attempt(candidate.method, f"failed check ({candidate.value} against {estimate.value.real:.10g})")
            )
            continue
        if found.everywhere:
            accepted = found
            tried.append(Attempt(candidate.method, "verified"))
            exhausted = False
            break
        fallback = fallback or found
        tried.append(Attempt(candidate.method, "verified for " + ", ".join(found.assumed)))
    accepted = accepted or fallback
    if accepted is not None:
        chosen = accepted.exact
    verified = accepted is not None
    timed_out = exhausted and accepted is None and time.monotonic() >= until - 0.25
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
            assumptions=given,
        )
    if chosen is None and estimate is None:
        raise MathError("no closed form was found and numeric quadrature failed within the time limit")
    if any(a.outcome.startswith("failed check") for a in tried) and not verified:
        remarks.append("a closed form was found but disagrees with numeric quadrature, so it is not shown")
    value: sp.Expr | None = None
    if accepted is not None:
        value = accepted.value
    elif chosen is not None and not reliable:
        value = chosen.value
    method = chosen.method if value is not None and chosen is not None else "numeric quadrature"
    found_assumed: tuple[str, ...] = ()
    if params and value is not None:
        remarks.extend(_parameter_remarks(accepted, checks))
        if accepted is not None and not accepted.everywhere:
            found_assumed = accepted.assumed
    if value is not None and not verified and estimate is not None and not reliable:
        remarks.append("numeric quadrature was too inaccurate to check the exact value")
    numeric = error = quad = None
    if estimate is not None and not params and not (value is not None and not reliable):
        if abs(estimate.value.imag) <= max(1e-12, 10 * estimate.error):
            quad, error = estimate.value.real, max(estimate.error, 2.0**-52 * abs(estimate.value))
        else:
            remarks.append(f"the integral is complex: about {estimate.value:.10g}")
        if not reliable:
            remarks.append("the numeric error estimate is large: the integral may diverge or be badly behaved")
    if value is not None and estimate is None and not params:
        remarks.append("numeric quadrature did not finish, so the exact value is unchecked")
    if value is not None and not params:  # the float of the exact value; the quadrature is its check
        number = _number(value, {}) if value.is_number else None
        numeric = None if number is None or abs(number.imag) > 1e-12 * max(1.0, abs(number)) else number.real
    else:
        numeric = quad
    recognised = None
    if value is None and quad is not None and reliable:
        recognised = _recognised(integrand, bounds, min(4.0, start + seconds - time.monotonic()))
        if recognised is not None:
            remarks.append(
                "recognised, not proved: the numeric value, computed again to 50 digits, matches a "
                "combination of known constants to 45 digits; a match, not a derivation"
            )
    if given:
        remarks.insert(0, f"assuming {', '.join(given)}, as given")
    if timed_out:
        remarks.append("the search for a closed form ran out of time; the numeric value is what was found")
    if value is None and numeric is None and params:
        remarks.append(_no_answer_with_parameters(checks, timed_out))
    if value is None and numeric is None and not remarks:  # never an answer without a word
        remarks.append("no closed form was found, and numeric quadrature gave no reliable value")
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
        None if chosen is None or value is None or value != chosen.value else chosen.antiderivative,
        None,
        tuple(tried),
        tuple(remarks),
        quadrature=quad,
        recognised=recognised,
        complete=not timed_out and not (estimate is None and value is not None),
        assumptions=given + found_assumed,
    )


def _parameter_remarks(accepted: _Accepted | None, checks: _Checks) -> list[str]:
    """Where an exact value with parameters was checked, and under which assumption it holds."""
    if accepted is None:
        at = parameters.sample_text(checks.points)
        return [f"could not be checked numerically (tried at {at})"]
    usable = [s for s, _ in checks.usable()]
    if accepted.everywhere:
        return [f"checked numerically at {parameters.sample_text(usable)}"]
    base = [s for s in usable if parameters.is_base(s, checks.assumptions)]
    held = ", ".join(accepted.assumed)
    if accepted.unchecked:
        why = f"numeric quadrature could not be trusted at negative {', '.join(accepted.unchecked)}"
    else:
        why = "for other signs it disagrees with numeric quadrature"
    return [f"holds for {held}: checked numerically at {parameters.sample_text(base)}; {why}"]


def _no_answer_with_parameters(checks: _Checks, timed_out: bool) -> str:
    """Why there is no answer at all, and the numeric value at the first sample for orientation."""
    why = "the search ran out of time" if timed_out else "no closed form was found"
    e = checks.first
    if e is None or not e.reliable:
        return f"{why}, and with parameters there is no single numeric value"
    s = parameters.sample_text([checks.points[0]])
    return f"{why}; with parameters there is no single numeric value (at {s} it is about {e.value.real:.10g})"


__all__ = ["definite"]
