"""Solving a system of equations for critical points: exactly where SymPy can, else numerically.

``solve_exact`` runs ``sympy.solve`` under a soft deadline and says whether its list is
complete; ``find_roots`` adds a numeric search (Newton from many starting points in a box)
and recognises the numbers it finds (radicals, rationals) where it can.
"""

from __future__ import annotations

import itertools
import math
import random
import time
from collections.abc import Callable, Sequence

import sympy as sp

from calccli.calculus.common import as_expr, tidy
from calccli.process.budget import Budget, DeadlineExceeded, soft_deadline

SOLVE_SECONDS = 8.0  # budget for the exact solver before the numeric search takes over
STARTS = 240  # numeric starting points
MAX_NUMERIC_POINTS = 100  # a numeric search reports at most this many new points
IDENTIFY_POINTS = 30  # nsimplify (slow) is tried on the first ones; cheap recognisers on all


def _never_zero(factor: sp.Expr) -> bool:
    return bool(factor.is_positive) or bool(factor.is_negative)


def _polynomial_core(eq: sp.Expr, unknowns: Sequence[sp.Symbol]) -> bool:
    """Is ``eq = 0`` a polynomial equation once factors that never vanish are dropped?"""
    num = sp.numer(sp.together(eq))
    factors = sp.Mul.make_args(sp.factor(num)) if num.is_Mul or num.is_Pow else (num,)
    for fac in factors:
        base = fac.base if fac.is_Pow and fac.exp.is_positive else fac
        if base.is_number or _never_zero(base):
            continue
        if not base.is_polynomial(*unknowns):
            return False
    return True


def _is_real(v: sp.Expr) -> bool:
    if v.is_real is not None:
        return bool(v.is_real)
    if v.free_symbols:  # a curve of solutions (y = sqrt(1 - x^2)): real on part of it
        return not v.has(sp.I)
    z = sp.N(v, 30)
    re_, im_ = z.as_real_imag()
    return im_.is_number and abs(im_) < 1e-20 * max(1, abs(re_))


def _real_part(v: sp.Expr, budget: Budget | None = None) -> sp.Expr:
    if v.is_real or v.free_symbols:
        return v
    return tidy(sp.re(sp.expand_complex(v)), budget)


def solve_exact(
    eqs: Sequence[sp.Expr], unknowns: Sequence[sp.Symbol], seconds: float = SOLVE_SECONDS, budget: Budget | None = None
) -> tuple[list[dict[sp.Symbol, sp.Expr]], bool] | None:
    """Real solutions of ``eqs = 0`` and whether they are all of them; ``None`` if the solver gave up."""
    try:
        with soft_deadline(seconds):
            sols = sp.solve(list(eqs), list(unknowns), dict=True)
    except (
        DeadlineExceeded,
        NotImplementedError,
        ValueError,
        TypeError,
        KeyError,
        AttributeError,
        RecursionError,
        sp.polys.polyerrors.PolynomialError,
    ):
        return None
    complete = all(_polynomial_core(e, unknowns) for e in eqs)
    out = []
    for s in sols:
        if not all(_is_real(v) for v in s.values()):
            continue
        out.append({k: _real_part(v, budget=budget) for k, v in s.items()})
    return out, complete


def _no_deltas(e: sp.Expr) -> sp.Expr:
    """Dirac deltas are 0 wherever the numeric search looks (NumPy has none): drop them."""
    return e.replace(lambda a: isinstance(a, sp.DiracDelta), lambda a: sp.S.Zero) if e.has(sp.DiracDelta) else e


def lambdify_system(exprs: Sequence[sp.Expr], unknowns: Sequence[sp.Symbol]) -> Callable[..., object]:
    """A NumPy function of ``unknowns`` returning ``exprs`` (Dirac deltas dropped)."""
    exprs = [_no_deltas(as_expr(e)) for e in exprs]
    # SymPy prints its own expression tree (built by calccli's parser from allow-listed
    # names) into a NumPy function; no user text is involved.
    return sp.lambdify(list(unknowns), list(exprs), modules="numpy", dummify=True)


def numeric_roots(
    eqs: Sequence[sp.Expr],
    unknowns: Sequence[sp.Symbol],
    box: list[tuple[float, float]],
    starts: int = STARTS,
    until: float = math.inf,
) -> list[list[float]]:
    """Roots of ``eqs`` in ``box`` by damped Newton from many starts, deduplicated.

    ``until`` is a ``time.monotonic()`` instant: no new start is tried after it.
    """
    import numpy as np

    n = len(unknowns)
    F = lambdify_system(eqs, unknowns)
    J = lambdify_system([sp.diff(e, u) for e in eqs for u in unknowns], unknowns)
    rng = random.Random(20261122)
    found: list[np.ndarray] = []
    lows = np.array([a for a, _ in box])
    highs = np.array([b for _, b in box])
    span = np.maximum(highs - lows, 1e-9)
    grid = int(round(starts ** (1 / n))) if n <= 3 else 0
    seeds = (
        [lows + span * (np.array(idx) + 0.5) / grid for idx in itertools.product(range(grid), repeat=n)]
        if grid > 1
        else []
    )
    seeds += [lows + span * np.array([rng.random() for _ in range(n)]) for _ in range(max(starts - len(seeds), 20))]
    with np.errstate(all="ignore"):
        for x in seeds:
            if time.monotonic() > until:
                break
            x = np.array(x, dtype=float)
            converged = False
            for _ in range(80):
                try:
                    fx = np.array(F(*x), dtype=float).reshape(len(eqs))
                    jx = np.array(J(*x), dtype=float).reshape(len(eqs), n)
                except (ValueError, TypeError, ZeroDivisionError, OverflowError, NameError):
                    break
                if not np.all(np.isfinite(fx)) or not np.all(np.isfinite(jx)):
                    break
                step, *_ = np.linalg.lstsq(jx, fx, rcond=None)
                x = x - step
                # Converged means the Newton step vanished, not merely a tiny residual: far out
                # on exp(-x^2) the gradient underflows without any root nearby.
                if np.linalg.norm(step) < 1e-12 * (1 + np.linalg.norm(x)):
                    converged = True
                    break
            if not converged or not np.all(np.isfinite(x)):
                continue
            try:
                fx = np.array(F(*x), dtype=float).reshape(len(eqs))
            except (ValueError, TypeError, ZeroDivisionError, OverflowError, NameError):
                continue
            if np.linalg.norm(fx) > 1e-9:
                continue
            if np.any(x < lows - 1e-9 * span) or np.any(x > highs + 1e-9 * span):
                continue
            if all(np.linalg.norm(x - y) > 1e-5 * (1 + np.linalg.norm(y)) for y in found):
                found.append(x)
    return [list(map(float, x)) for x in sorted(found, key=lambda v: tuple(v))]


def _identify(x: float, thorough: bool = True) -> sp.Expr:
    """A short exact number equal to ``x`` to 12 digits, else the float itself.

    >>> _identify(4.71238898038469), _identify(-0.7071067811865476)
    (3*pi/2, -sqrt(2)/2)
    """
    from fractions import Fraction

    if abs(x) < 1e-12:
        return sp.S.Zero
    tol = 1e-12 * max(1.0, abs(x))
    for scale, build, limit in ((1.0, lambda r: r, 1000), (math.pi, lambda r: r * sp.pi, 100)):
        r = Fraction(x / scale).limit_denominator(limit)
        if abs(float(r) * scale - x) < tol:
            return build(sp.Rational(r.numerator, r.denominator))
    r = Fraction(x * x).limit_denominator(1000)
    if abs(math.copysign(math.sqrt(float(r)), x) - x) < tol:
        return sp.sign(x) * sp.sqrt(sp.Rational(r.numerator, r.denominator))
    if not thorough:
        return sp.Float(x, 15)
    guess = sp.nsimplify(x, [sp.pi, sp.E], tolerance=1e-12 * max(1.0, abs(x)), rational=False)
    if sp.count_ops(guess) <= 12 and abs(float(guess) - x) <= 1e-10 * max(1.0, abs(x)):
        return guess
    return sp.Float(x, 15)


def _exactify(
    eqs: Sequence[sp.Expr],
    unknowns: Sequence[sp.Symbol],
    x: list[float],
    thorough: bool = True,
    until: float = math.inf,
) -> dict[sp.Symbol, sp.Expr]:
    """Recognise a numeric root exactly when the guess solves the equations exactly."""
    guess = {u: _identify(v, thorough) for u, v in zip(unknowns, x, strict=True)}
    seconds = min(2.0, until - time.monotonic())
    if seconds > 0.05 and all(not isinstance(g, sp.Float) for g in guess.values()):
        try:
            with soft_deadline(seconds):
                if all(sp.simplify(e.subs(guess)) == 0 for e in eqs):
                    return guess
        except DeadlineExceeded:
            pass
    return {u: sp.Float(v, 15) for u, v in zip(unknowns, x, strict=True)}


def find_roots(
    eqs: Sequence[sp.Expr],
    unknowns: Sequence[sp.Symbol],
    box: list[tuple[float, float]],
    exact_seconds: float,
    budget: Budget | None = None,
    until: float = math.inf,
    skip: Callable[[list[float]], bool] | None = None,
) -> tuple[list[dict[sp.Symbol, sp.Expr]], bool, str]:
    """Solutions of ``eqs = 0``: (solutions, complete, method).

    ``until`` (a ``time.monotonic()`` instant) ends the search early: the solutions found by
    then are returned, and the list is not complete.  Numeric roots for which ``skip`` is true
    (already described, e.g. by a family of solutions) are left out.
    """
    seconds = min(exact_seconds, 0.6 * (until - time.monotonic()))  # the rest for the numeric search
    exact = solve_exact(eqs, unknowns, seconds, budget=budget) if seconds > 0.05 else None
    sols = list(exact[0]) if exact is not None else []
    known = [_floats(s, unknowns) for s in sols]
    families = [s for s, k in zip(sols, known, strict=True) if k is None]
    missed = False
    added = 0
    # Always cross-check: sympy.solve can silently drop roots it cannot write in radicals.
    for x in numeric_roots(eqs, unknowns, box, until=until):
        if _on_family(x, families, unknowns) or (skip is not None and skip(x)):
            continue
        if all(
            k is None or max(abs(a - b) for a, b in zip(k, x, strict=True)) > 1e-5 * (1 + max(map(abs, x)))
            for k in known
        ):
            added += 1
            if added > MAX_NUMERIC_POINTS:
                break
            if time.monotonic() > until:
                sols.append({u: sp.Float(v, 15) for u, v in zip(unknowns, x, strict=True)})
            else:
                sols.append(_exactify(eqs, unknowns, x, thorough=added <= IDENTIFY_POINTS, until=until))
            known.append(x)
            missed = True
    if time.monotonic() > until:
        missed = True
    if exact is not None and exact[1] and not missed:
        return sols, True, "exact"
    return sols, False, "exact+numeric" if exact is not None and exact[0] else "numeric"


def _on_family(x: list[float], families: list[dict[sp.Symbol, sp.Expr]], unknowns: Sequence[sp.Symbol]) -> bool:
    """Does the numeric root lie on one of the solver's curves of solutions?"""
    point = dict(zip(unknowns, x, strict=True))
    for fam in families:
        try:
            if all(
                abs(complex(sp.N(val.subs(point), 20)) - point[u]) < 1e-4 * (1 + abs(point[u]))
                for u, val in fam.items()
            ):
                return True
        except (TypeError, ValueError):
            continue
    return False


def _floats(sol: dict[sp.Symbol, sp.Expr], unknowns: Sequence[sp.Symbol]) -> list[float] | None:
    try:
        return [float(sp.N(sol[u], 20)) for u in unknowns]
    except (KeyError, TypeError, ValueError):
        return None
