"""Antiderivatives: a portfolio of integration methods under a time budget, every answer verified.

No single SymPy integrator is good enough: ``manualintegrate`` is fast but gives up often,
``integrate`` hangs on some integrands and gives a few wrong answers, the Risch algorithm
covers only elementary transcendental functions, ``heurisch`` and the Meijer G method are
slow.  :func:`find` runs several methods (and rewrites of the integrand that suit them) in
forked children, two at a time, fast ones first, each under its own time limit, and takes
the first answer whose derivative provably or numerically equals the integrand.
"""

from __future__ import annotations

import contextlib
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

import sympy as sp

from calccli.engine import attempts
from calccli.engine.common import _Deadline, soft_deadline, tidy

# ---------------------------------------------------------------------------------------------
# Verification
# ---------------------------------------------------------------------------------------------

# Relative agreement required between F' and f at a sample point, and the working precision.
RELATIVE_TOLERANCE = 1e-10
DIGITS = 30
# Sample points needed (all must agree) before a numerical check counts.
MIN_POINTS = 5
# Function classes whose presence means "not an answer".
_NOT_ANSWERS = (sp.Integral, sp.Derivative, sp.Subs, sp.Limit)


def _sample_points(count: int = 10, seed: int = 20240611) -> list[sp.Rational]:
    """Exact sample abscissas of both signs, of size 0.2 to 6 (so some |x| > 1), never integers.

    Fixed seed: a check must not pass on one run and fail on the next.
    """
    rng = random.Random(seed)
    points = []
    for i in range(count):
        magnitude = 0.2 * 30 ** rng.random()  # log-uniform on [0.2, 6]
        sign = -1 if i % 2 else 1
        points.append(sp.Rational(round(sign * magnitude * 1000) + (7 if i % 3 else 3), 1000))
    return points


def _value(e: sp.Expr, subs: dict[sp.Symbol, sp.Expr]) -> sp.Expr | None:
    """``e`` at ``subs`` as a finite (complex) number to DIGITS digits, or None."""
    try:
        v = e.evalf(DIGITS, subs=subs)
    except (ValueError, TypeError, ZeroDivisionError, ArithmeticError, NotImplementedError, RecursionError):
        return None
    if not isinstance(v, sp.Expr) or not v.is_number or v.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
        return None
    re_, im_ = v.as_real_imag()
    if not (re_.is_Float or re_.is_zero) or not (im_.is_Float or im_.is_zero):
        return None  # an unevaluated function: no numerical value here
    return v


def is_answer(F: sp.Expr) -> bool:
    """Whether ``F`` is a closed form at all: no unevaluated integral, no nan or zoo."""
    return isinstance(F, sp.Expr) and not F.has(*_NOT_ANSWERS) and not F.has(sp.nan, sp.zoo)


def _numeric_check(d: sp.Expr, f: sp.Expr, x: sp.Symbol) -> bool | None:
    """True if F' = f at MIN_POINTS or more sample points, False if they differ at one, None if unsure.

    Parameters (other free symbols) get fixed values of either sign at each point.
    A point where f is finite but F' is not is a failure: the answer is no antiderivative there
    (for example a Piecewise with no branch for that x).
    """
    params = sorted((f.free_symbols | d.free_symbols) - {x}, key=str)
    rng = random.Random(7)
    usable = 0
    for p in _sample_points():
        subs = {x: p}
        for s in params:
            subs[s] = sp.Rational(rng.choice([-1, 1]) * rng.randint(600, 2900), 1000)
        fv = _value(f, subs)
        if fv is None:
            continue
        dv = _value(d, subs)
        if dv is None:
            return False
        scale = max(abs(fv), abs(dv))
        if scale < 1e-15:
            continue  # both (nearly) zero: says little either way
        if abs(dv - fv) > RELATIVE_TOLERANCE * scale:
            return False
        usable += 1
    return True if usable >= MIN_POINTS else None


def verify(F: sp.Expr, f: sp.Expr, x: sp.Symbol, seconds: float = 5.0) -> bool:
    """Whether ``F`` is an antiderivative of ``f`` with respect to ``x``.

    Checked numerically first: d/dx F must equal f to 1e-10 (relative, 30 digits) at every
    sample point where f is finite, positive and negative ones, some with |x| > 1, and at
    least 5 of them; one disagreement is a rejection.  An answer valid only for x > 0 thus
    fails at the negative points.  Only when too few points are usable does
    ``simplify(F' - f) == 0`` decide.  Too slow (over ``seconds``), unsure, or no closed
    form: False.
    """
    if not is_answer(F):
        return False
    try:
        with soft_deadline(seconds):
            d = sp.diff(F, x)
            if d.has(sp.Derivative):
                return False
            if d == f:
                return True
            numeric = _numeric_check(d, f, x)
            if numeric is not None:
                return numeric
            return bool(sp.simplify(d - f) == 0)
    except (_Deadline, RecursionError, ValueError, TypeError, NotImplementedError, ArithmeticError,
            AttributeError, IndexError, KeyError):
        return False


# ---------------------------------------------------------------------------------------------
# Methods: each (f, x) -> a candidate antiderivative or None.  They run in forked children.
# ---------------------------------------------------------------------------------------------

Method = Callable[[sp.Expr, sp.Symbol], "sp.Expr | None"]


def _manual(f: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    from sympy.integrals.manualintegrate import manualintegrate

    return manualintegrate(f, x)


def _plain(f: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    return sp.integrate(f, x)


def _risch(f: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    from sympy.integrals.risch import risch_integrate

    return risch_integrate(f, x)


def _risch_exp(f: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    """Risch on the integrand with trig and hyperbolic functions written as exponentials."""
    from sympy.integrals.risch import risch_integrate

    return risch_integrate(f.rewrite(sp.exp), x)


def _heurisch(f: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    from sympy.integrals.heurisch import heurisch

    return heurisch(f, x)


def _meijerg(f: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    from sympy.integrals.meijerint import meijerint_indefinite

    return meijerint_indefinite(f, x)


def _manual_exp(f: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    return _manual(f.rewrite(sp.exp), x)


def _manual_expand(f: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    return _manual(sp.expand(f), x)


def _manual_apart(f: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    return _manual(sp.apart(sp.together(f), x), x)


METHODS: dict[str, Method] = {
    "manualintegrate": _manual,
    "integrate": _plain,
    "risch": _risch,
    "risch (exp form)": _risch_exp,
    "heurisch": _heurisch,
    "meijerg": _meijerg,
    "manualintegrate (exp form)": _manual_exp,
    "manualintegrate (expanded)": _manual_expand,
    "manualintegrate (partial fractions)": _manual_apart,
}


def attempt(method: Method, f: sp.Expr, x: sp.Symbol) -> tuple[sp.Expr | None, str]:
    """Run one method and check its answer: (antiderivative or None, outcome)."""
    try:
        F = method(f, x)
    except Exception as e:  # noqa: BLE001 - a method that breaks simply failed
        return None, f"error ({type(e).__name__})"
    if F is None or not isinstance(F, sp.Expr):
        return None, "unevaluated"
    if not is_answer(F):
        return None, "unevaluated"
    if not verify(F, f, x):
        return None, "failed check"
    return F, "verified"


# ---------------------------------------------------------------------------------------------
# The portfolio
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Found:
    """The outcome of :func:`find`: an antiderivative (verified) or None, and what was tried."""

    antiderivative: sp.Expr | None
    method: str | None
    verified: bool
    tried: tuple[tuple[str, str], ...]


# (method name, its own time limit in seconds), in the order they are started.
PLAN: tuple[tuple[str, float], ...] = (
    ("manualintegrate", 3.0),
    ("integrate", 8.0),
    ("risch (exp form)", 4.0),
    ("meijerg", 4.0),
    ("heurisch", 6.0),
)


def find(f: sp.Expr, x: sp.Symbol, budget: float = 20.0) -> Found:
    """An antiderivative of ``f`` with respect to ``x`` found within ``budget`` seconds, verified.

    Other free symbols of ``f`` are constants.  Returns ``Found(None, None, False, tried)``
    when no method produced a verified answer in time.
    """
    start = time.monotonic()
    if x not in f.free_symbols:
        return Found(f * x, "constant", True, (("constant", "verified"),))
    tried: list[tuple[str, str]] = []
    tasks = [(name, (lambda m=METHODS[name]: attempt(m, f, x)), limit) for name, limit in PLAN]
    best: tuple[sp.Expr, str] | None = None
    with contextlib.closing(attempts.race(tasks, budget - (time.monotonic() - start))) as results:
        for done in results:
            if done.status != attempts.OK or done.result is None:
                tried.append((done.name, done.status))
                continue
            F, outcome = done.result
            tried.append((done.name, outcome))
            if F is not None:
                best = (F, done.name)
                break
    if best is None:
        return Found(None, None, False, tuple(tried))
    return Found(best[0], best[1], True, tuple(tried))


__all__ = ["Found", "METHODS", "find", "verify"]
