"""The homework checker behind ``--check``: is the user's answer the expected one?

Soundness first.  "correct" needs a proof or strong evidence, as the
:data:`~calccli.homework.equivalence.GRADING` policy of the one equivalence checker
(:mod:`calccli.homework.equivalence`) defines it:

1. cheap symbolic: the difference is 0 as built, after ``expand`` or after
   ``expand_trig`` (under a short soft deadline); a difference that is a nonzero
   constant (or a ratio that is a constant other than 1) is a difference, however small;
   Floats in either side are read as the Rational of their decimal digits first;
2. randomized numeric testing: both sides at many real points (simple ones first,
   so that a disagreement is shown at x=1 rather than x=3.17), each side evaluated
   with mpmath at two precisions; a point where either side is undefined, infinite,
   non-real (anywhere inside: ``ln x`` at x=-1 is undefined, whatever follows) or
   numerically unreliable is skipped.  A disagreement is confirmed with SymPy's own
   evaluation before it counts.  The points include large ones (±100 to ±10^4) and, first,
   both sides of every breakpoint of a piecewise part (|g|, sign, floor, Max, Piecewise, ...);
   at least 30 agreeing points, with those breakpoints covered -> correct;
3. when too few points are usable, a full ``simplify`` under a soft deadline;
   otherwise "undetermined" -- never "correct" on weak evidence.

Numbers typed with decimals (``1.22``) are compared to the digits given: correct when the
expected value rounds to them, i.e. lies within half a unit of the last place typed
(:meth:`~calccli.homework.equivalence.Policy.within`); an antiderivative
(``up_to_constant``) is compared through its derivative, so ``log|x|`` and
``log(x)``, or ``atan(x)`` and ``-atan(1/x)``, which differ by piecewise
constants, are both accepted.  Critical points are :mod:`calccli.homework.critical`'s.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import mpmath
import sympy as sp

from calccli.calculus.common import as_expr
from calccli.homework import bounded, breakpoints
from calccli.homework import equivalence as eq
from calccli.homework.sampling import EXTRA_DIGITS, STABLE, Points, order
from calccli.process.budget import Budget, DeadlineExceeded

CORRECT, INCORRECT, UNDETERMINED = "correct", "incorrect", "undetermined"

# Sampling for the hints about a mistake (sign error, constant factor, ...): a few points, quickly.
_HINTS = dataclasses.replace(eq.GRADING, name="hints", target=10, seconds=0.4)


@dataclass(frozen=True, slots=True)
class Check:
    """The verdict on one answer (or one component of it).

    With ``up_to_constant`` the values at ``differs_at`` are those of the derivatives.
    """

    verdict: str  # "correct" | "incorrect" | "undetermined"
    method: str  # how it was decided
    differs_at: dict[sp.Symbol, sp.Expr] | None = None
    given_value: sp.Expr | None = None
    expected_value: sp.Expr | None = None
    wrong: tuple[str, ...] = ()
    components: tuple[Check, ...] = ()
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.verdict == CORRECT


def plural(n: int, word: str) -> str:
    """``3 points``, ``1 point``."""
    return f"{n} {word}{'s' * (n != 1)}"


# --------------------------------------------------------------------------- scalar


def scalar(
    given: sp.Expr,
    expected: sp.Expr,
    variables: Sequence[sp.Symbol] = (),
    *,
    decimals: int | None = None,
    significant: int | None = None,
    tol: float | None = None,
    up_to_constant: bool = False,
    budget: Budget | None = None,
) -> Check:
    """Is ``given`` the same function as ``expected`` (of ``variables`` and any parameters)?

    ``decimals``/``significant`` (from the digits the user typed) or ``tol`` switch to a
    comparison within that accuracy.  ``up_to_constant``: antiderivatives, compared by
    their derivatives in ``variables[0]``.  Never raises on odd input.

    >>> x = sp.Symbol("x", real=True)
    >>> scalar(sp.cos(x**2), 2 * x * sp.cos(x**2), (x,)).reason
    'missing a factor of 2*x (a chain-rule factor?)'
    """
    try:
        return _scalar(
            exact_decimals(as_expr(given)),
            exact_decimals(as_expr(expected)),
            tuple(variables),
            decimals,
            significant,
            tol,
            up_to_constant,
            budget,
        )
    except DeadlineExceeded:
        return Check(UNDETERMINED, "ran out of time", reason="the check took too long")
    except RecursionError:
        return Check(UNDETERMINED, "too deeply nested to check", reason="the answer is too complex to check")
    except Exception as exc:  # never fail the command because of the checker
        return Check(UNDETERMINED, f"could not check ({type(exc).__name__})")


def exact_decimals(e: sp.Expr) -> sp.Expr:
    """Every Float in ``e`` as the Rational of its decimal digits (no nsimplify: 0.1 is 1/10, 1e-12 stays).

    >>> x = sp.Symbol("x", real=True)
    >>> exact_decimals(2 * x + sp.Float("1e-12"))
    2*x + 1/1000000000000
    """
    floats = e.atoms(sp.Float) if isinstance(e, sp.Basic) else set()
    return e.xreplace({f: sp.Rational(str(f)) for f in floats if f.is_finite}) if floats else e


def _bad(e: sp.Expr) -> bool:
    return not isinstance(e, sp.Expr) or e.has(sp.zoo, sp.nan)


def _symbols(given: sp.Expr, expected: sp.Expr, variables: Sequence[sp.Symbol]) -> tuple[sp.Symbol, ...]:
    """The symbols the checker samples: ``variables`` first, then any parameters by name."""
    return order(given, expected, variables, Points.SIMPLE_FIRST)


_SAME_EXPRESSION = "symbolic: the answer is the expected expression"
_SIMPLIFIES = "symbolic: the difference simplifies to 0"
_PROVED = {eq.IDENTICAL: _SAME_EXPRESSION, eq.EXPAND: _SAME_EXPRESSION, eq.TRIG: _SIMPLIFIES, eq.SIMPLIFY: _SIMPLIFIES}


def _scalar(
    given: sp.Expr,
    expected: sp.Expr,
    variables: tuple[sp.Symbol, ...],
    decimals: int | None,
    significant: int | None,
    tol: float | None,
    up_to_constant: bool,
    budget: Budget | None,
) -> Check:
    if _bad(given) or _bad(expected):
        return Check(
            UNDETERMINED, "a side has no value (zoo or nan)", reason="the answer or the expected result is undefined"
        )
    if up_to_constant:
        return _up_to_constant(given, expected, variables, decimals, significant, tol, budget)
    symbols = _symbols(given, expected, variables)
    if tol is not None or decimals is not None or significant is not None:
        return _approximate(given, expected, symbols, decimals, significant, tol, budget)
    ev = eq.compare(given, expected, symbols, eq.GRADING, budget)
    if ev.equal and ev.how in _PROVED:
        return Check(CORRECT, _PROVED[ev.how])
    if ev.different:
        return _incorrect(given, expected, symbols, ev)
    if ev.equal:
        if not symbols:
            return Check(CORRECT, f"numeric: equal to {eq.GRADING.digits + EXTRA_DIGITS - STABLE} digits")
        return Check(CORRECT, f"numeric: equal at {ev.agreeing} random points")
    if ev.uncovered:
        why = f"they agree at {plural(ev.agreeing, 'point')} but were not compared {ev.uncovered}"
        return Check(UNDETERMINED, f"numeric: {why}", reason=f"could not decide: {why}")
    why = (
        "the check ran out of time"
        if ev.timed_out
        else f"only {plural(ev.agreeing, 'point')} where both sides are defined agreed"
    )
    return Check(
        UNDETERMINED, f"numeric: {why}", reason=f"could not decide: {why} (at least {eq.GRADING.min_points} are needed)"
    )


def _up_to_constant(
    given: sp.Expr,
    expected: sp.Expr,
    variables: tuple[sp.Symbol, ...],
    decimals: int | None,
    significant: int | None,
    tol: float | None,
    budget: Budget | None,
) -> Check:
    """Antiderivatives: the derivatives in ``variables[0]`` must agree."""
    if not variables:
        return Check(UNDETERMINED, "no integration variable")
    x = variables[0]
    try:
        dg, de = sp.diff(given, x), sp.diff(expected, x)
    except Exception:
        return Check(UNDETERMINED, "could not differentiate the answer")
    inner = _scalar(dg, de, variables, decimals, significant, tol, False, budget)
    if inner.verdict == CORRECT:
        return Check(CORRECT, f"up to a constant: the derivatives agree ({inner.method})")
    if inner.verdict == INCORRECT:
        symbols = _symbols(given, expected, variables)
        reason = _reason(given, expected, symbols) if tol is None and decimals is None else ""
        reason = reason or f"its derivative in {x} is not the integrand"
        return Check(
            INCORRECT,
            f"{inner.method} (after differentiating in {x})",
            inner.differs_at,
            inner.given_value,
            inner.expected_value,
            reason=reason,
        )
    return Check(UNDETERMINED, f"{inner.method} (after differentiating in {x})", reason=inner.reason)


def _incorrect(
    given: sp.Expr, expected: sp.Expr, symbols: Sequence[sp.Symbol], ev: eq.Evidence, method: str = "differs at a point"
) -> Check:
    point = ev.witness or {}
    if ev.how == eq.CONSTANT and ev.constant is not None:
        reason = _reason(given, expected, symbols) or (
            f"off by a constant {ev.constant}" if symbols else f"off by {ev.constant}"
        )
        method = "symbolic: the difference is a nonzero constant"
    elif ev.how == eq.FACTOR and ev.constant is not None:
        reason = _reason(given, expected, symbols) or f"off by a factor of {ev.constant}"
        method = "symbolic: the ratio is a constant other than 1"
    else:
        reason = _reason(given, expected, symbols)
    if ev.witness is None or ev.a_value is None or ev.b_value is None:
        return Check(INCORRECT, method, reason=reason)
    return Check(
        INCORRECT,
        method if symbols else "differs in value",
        dict(point) if symbols else None,
        _show_value(ev.a_value, given, point),
        _show_value(ev.b_value, expected, point),
        reason=reason,
    )


def _approximate(
    given: sp.Expr,
    expected: sp.Expr,
    symbols: Sequence[sp.Symbol],
    decimals: int | None,
    significant: int | None,
    tol: float | None,
    budget: Budget | None,
) -> Check:
    """Compare to the accuracy the user typed (or ``tol``)."""
    if not symbols:  # a number: absolute tolerance
        if tol is not None:
            atol, label = float(tol), f"within ±{tol:g}"
        elif decimals is not None:
            atol = 0.5 * 10.0 ** (-decimals)
            label = f"to the digits given (±{atol:g})"
        else:
            # significant digits only (should not happen for a literal): relative
            return _approximate_relative(given, expected, symbols, significant or 1, None, budget)
        ev = eq.compare(given, expected, symbols, eq.GRADING.within(absolute=atol), budget)
        if ev.equal and ev.how in _PROVED:
            return Check(CORRECT, _PROVED[ev.how])
        if ev.different:
            point, g, e = ev.witness or {}, ev.a_value, ev.b_value
            if tol is None and not getattr(e, "imag", 0):
                places = max(decimals or 0, 0)
                reason = f"expected about {float(e):.{places}f} to {plural(places, 'decimal place')}"
            else:
                reason = f"more than ±{atol:g} away from the expected value"
            return Check(
                INCORRECT,
                f"differs {label}",
                None,
                _show_value(g, given, point),
                _show_value(e, expected, point),
                reason=reason,
            )
        if ev.equal:
            return Check(CORRECT, label)
        return Check(UNDETERMINED, "could not evaluate", reason="a side has no real value")
    return _approximate_relative(given, expected, symbols, significant, tol, budget)


def _approximate_relative(
    given: sp.Expr,
    expected: sp.Expr,
    symbols: Sequence[sp.Symbol],
    significant: int | None,
    tol: float | None,
    budget: Budget | None,
) -> Check:
    if tol is not None:
        rtol, label = float(tol), f"within a relative ±{tol:g}"
    else:
        rtol = 0.5 * 10.0 ** (1 - (significant or 1))
        label = f"to the {plural(significant or 1, 'significant digit')} given (relative ±{rtol:g})"
    ev = eq.compare(given, expected, symbols, eq.GRADING.within(relative=rtol), budget)
    if ev.equal and ev.how in _PROVED:
        return Check(CORRECT, _PROVED[ev.how])
    if ev.different:
        return _incorrect(given, expected, symbols, ev, f"differs {label}")
    if ev.equal:
        return Check(CORRECT, label if not symbols else f"{label}, at {ev.agreeing} random points")
    if ev.uncovered:
        why = f"they agree at {plural(ev.agreeing, 'point')} but were not compared {ev.uncovered}"
        return Check(UNDETERMINED, f"{label}: {why}", reason=f"could not decide: {why}")
    return Check(
        UNDETERMINED,
        f"{label}: too few points where both sides are defined",
        reason=f"could not decide: only {plural(ev.agreeing, 'point')} usable",
    )


# --------------------------------------------------------------------------- hints at the mistake


def _show_value(v: Any, e: sp.Expr, point: dict) -> sp.Expr:
    """A readable value for the report: exact when it is a plain rational, else 15 digits."""
    try:
        exact = e.xreplace(point)
        if exact.is_Rational:
            return exact
    except Exception:
        pass
    if isinstance(v, (mpmath.mpc,)) or (hasattr(v, "imag") and v.imag):
        return sp.Float(mpmath.nstr(v.real, 15), 15) + sp.I * sp.Float(mpmath.nstr(v.imag, 15), 15)
    return sp.Float(mpmath.nstr(v, 15), 15)


def _small_rational(x: Any, limit: int = 100) -> sp.Rational | None:
    try:
        f = Fraction(float(x)).limit_denominator(limit)
    except (TypeError, ValueError, OverflowError):
        return None
    if abs(float(x) - f.numerator / f.denominator) <= 1e-12 * max(1, abs(float(x))):
        return sp.Rational(f.numerator, f.denominator)
    return None


def _constant(values: list[Any]) -> Any | None:
    if len(values) < 3:
        return None
    first = values[0]
    if all(abs(v - first) <= 1e-10 * max(1, abs(first)) for v in values):
        return first
    return None


def _reason(given: sp.Expr, expected: sp.Expr, symbols: Sequence[sp.Symbol]) -> str:
    """A cheap hint at the mistake: sign error, a constant factor or term, a missing factor."""
    try:
        return _reason_inner(given, expected, symbols)
    except DeadlineExceeded:
        raise
    except Exception:
        return ""


def _reason_inner(given: sp.Expr, expected: sp.Expr, symbols: Sequence[sp.Symbol]) -> str:
    if given.has(sp.I) or expected.has(sp.I):
        return ""
    if symbols and breakpoints.functions(given, expected):
        return ""  # the hint points may all lie on one side of a breakpoint: "sign error" could be half true
    pairs = [(g, e) for _, g, e in eq.sample(given, expected, symbols, _HINTS)]
    if not pairs:
        return ""
    if all(abs(g + e) <= 1e-10 * max(1, abs(e)) for g, e in pairs) and any(abs(e) > 1e-10 for _, e in pairs):
        return "sign error (the answer is the negative of the expected one)"
    is_number = not symbols
    ratios = [g / e for g, e in pairs if abs(e) > 1e-20]
    nonzero_ok = all(abs(g) <= 1e-20 for g, e in pairs if abs(e) <= 1e-20)
    c = _constant(ratios) if nonzero_ok else None
    if is_number and abs(pairs[0][1]) > 1e-20:
        c = pairs[0][0] / pairs[0][1]
    if c is not None and abs(c) > 1e-20:
        q = bounded.attempt(lambda: sp.nsimplify(sp.cancel(given / expected)), 0.3, unbounded_ok=False)
        if not (isinstance(q, sp.Expr) and q.is_number and q.is_Rational):
            q = _small_rational(c, 10 if is_number else 100)
        if q is not None and q != 1 and (not is_number or (abs(q.p) <= 10 and q.q <= 10)):
            return f"off by a factor of {q}"
        if is_number:
            return ""
    if is_number:
        return ""
    diff = _constant([g - e for g, e in pairs])
    if diff is not None:
        d = bounded.attempt(lambda: sp.simplify(given - expected), 0.3, unbounded_ok=False)
        if not (isinstance(d, sp.Expr) and not d.free_symbols and bounded.ops(d) <= 8):
            d = _small_rational(diff)
        return f"off by a constant {d}" if d is not None else "off by a constant"
    if given.is_number or expected.is_number:
        return ""
    missing = bounded.attempt(lambda: sp.factor(sp.cancel(expected / given)), 0.3, unbounded_ok=False)
    if (
        isinstance(missing, sp.Expr)
        and missing.free_symbols
        and bounded.ops(missing) <= 6
        and missing.is_polynomial()
        and missing not in (given, expected)
    ):
        return f"missing a factor of {missing} (a chain-rule factor?)"
    extra = bounded.attempt(lambda: sp.factor(sp.cancel(given / expected)), 0.3, unbounded_ok=False)
    if (
        isinstance(extra, sp.Expr)
        and extra.free_symbols
        and bounded.ops(extra) <= 6
        and extra.is_polynomial()
        and extra not in (given, expected)
    ):
        return f"off by a factor of {extra}"
    return ""


# --------------------------------------------------------------------------- vectors, matrices


def components(
    given: Sequence[sp.Expr],
    expected: Sequence[sp.Expr],
    labels: Sequence[str],
    variables: Sequence[sp.Symbol] = (),
    **same_kwargs: Any,
) -> Check:
    """Check a vector or a flattened matrix entry by entry (``same_kwargs`` go to :func:`scalar`).

    >>> components([1, 3], [1, 2], ["a", "b"]).wrong
    ('b',)
    """
    if len(given) != len(expected):
        return Check(
            INCORRECT,
            "wrong number of components",
            reason=f"the answer has {plural(len(given), 'component')}; expected {len(expected)}",
        )
    checks = tuple(scalar(g, e, variables, **same_kwargs) for g, e in zip(given, expected, strict=True))
    names = list(labels) + [f"component {i + 1}" for i in range(len(labels), len(checks))]
    wrong = tuple(n for n, c in zip(names, checks, strict=True) if c.verdict == INCORRECT)
    unsure = [n for n, c in zip(names, checks, strict=True) if c.verdict == UNDETERMINED]
    if wrong:
        details = "; ".join(
            f"{n}: {c.reason}" for n, c in zip(names, checks, strict=True) if c.verdict == INCORRECT and c.reason
        )
        reason = f"wrong: {', '.join(wrong)}" + (f" ({details})" if details else "")
        first = next(c for c in checks if c.verdict == INCORRECT)
        return Check(
            INCORRECT,
            f"{len(wrong)} of {plural(len(checks), 'component')} differ",
            first.differs_at,
            first.given_value,
            first.expected_value,
            wrong,
            checks,
            reason,
        )
    if unsure:
        return Check(
            UNDETERMINED,
            f"could not decide {', '.join(unsure)}",
            components=checks,
            reason=f"could not decide {', '.join(unsure)}",
        )
    return Check(CORRECT, f"all {plural(len(checks), 'component')} agree", components=checks)
