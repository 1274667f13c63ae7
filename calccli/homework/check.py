"""The homework checker behind ``--check``: is the user's answer the expected one?

Soundness first.  "correct" needs a proof or strong evidence:

1. cheap symbolic: the difference is 0 as built, after ``expand`` or after
   ``expand_trig`` (under a short soft deadline);
2. randomized numeric testing: both sides at many real points (simple ones first,
   so that a disagreement is shown at x=1 rather than x=3.17), each side evaluated
   with mpmath at two precisions; a point where either side is undefined, infinite,
   non-real (anywhere inside: ``ln x`` at x=-1 is undefined, whatever follows) or
   numerically unreliable is skipped.  A disagreement is confirmed with SymPy's own
   evaluation before it counts.  At least ``MIN_POINTS`` agreeing points -> correct;
3. when too few points are usable, a full ``simplify`` under a soft deadline;
   otherwise "undetermined" -- never "correct" on weak evidence.

Answers typed with decimals (``1.22``) are compared to the digits given; an
antiderivative (``up_to_constant``) is compared through its derivative, so
``log|x|`` and ``log(x)``, or ``atan(x)`` and ``-atan(1/x)``, which differ by
piecewise constants, are both accepted.
"""

from __future__ import annotations

import itertools
import math
import random
import signal
import threading
import time
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import mpmath
import sympy as sp

from calccli.calculus.common import DeadlineExceeded, as_expr, soft_deadline

CORRECT, INCORRECT, UNDETERMINED = "correct", "incorrect", "undetermined"

MIN_POINTS = 30  # agreeing points needed for a numeric "correct"
TARGET_POINTS = 40  # agreeing points gathered before stopping
MAX_ATTEMPTS = 240  # points tried at most
NUMERIC_SECONDS = 1.5  # budget of one numeric comparison
SYMBOLIC_SECONDS = 0.5  # budget of the cheap symbolic pass
SIMPLIFY_SECONDS = 2.0  # budget of the last-resort simplify
SIMPLIFY_MAX_OPS = 250
AGREE = 1e-12  # |g - e| <= AGREE * max(1, |g|, |e|): the same value
DISAGREE = 1e-8  # |g - e| > DISAGREE * max(1, |g|, |e|): clearly different
POINT_MATCH = 1e-9  # critical points closer than this are the same point
LOW_DPS, HIGH_DPS = 30, 45


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


# --------------------------------------------------------------------------- time limits


def _deadline_works() -> bool:
    """Whether ``soft_deadline`` can interrupt here (main thread, no alarm already set)."""
    return threading.current_thread() is threading.main_thread() and signal.getsignal(
        signal.SIGALRM
    ) in (signal.SIG_DFL, None)


@contextmanager
def _limited(seconds: float):  # type: ignore[no-untyped-def]
    """A soft deadline when one can be set, else nothing (callers bound their own loops)."""
    if _deadline_works():
        with soft_deadline(seconds):
            yield
    else:
        yield


def _attempt(fn: Callable[[], Any], seconds: float, *, unbounded_ok: bool = True) -> Any:
    """``fn()`` under a soft deadline; None when it times out or fails.

    With ``unbounded_ok=False`` an operation that could not be interrupted is not run.
    """
    if not unbounded_ok and not _deadline_works():
        return None
    try:
        with _limited(seconds):
            return fn()
    except DeadlineExceeded:
        return None
    except Exception:  # SymPy raises many kinds of errors on odd input
        return None


# --------------------------------------------------------------------------- evaluation


class _Undefined(Exception):
    """The expression has no (real, finite, reliable) value at the point."""


_MP_NAMES: dict[type, str] = {
    **{getattr(sp, n): n for n in (
        "sin", "cos", "tan", "sec", "csc", "cot", "asin", "acos", "atan", "asec", "acsc", "acot",
        "sinh", "cosh", "tanh", "sech", "csch", "coth", "asinh", "acosh", "atanh", "asech",
        "acsch", "acoth", "exp", "log", "erf", "erfc", "erfi", "gamma", "factorial", "binomial",
        "atan2", "loggamma", "polygamma", "digamma", "sign", "floor", "fresnels", "fresnelc",
    )},
    sp.ceiling: "ceil", sp.Si: "si", sp.Ci: "ci", sp.Shi: "shi", sp.Chi: "chi", sp.Ei: "ei",
    sp.li: "li", sp.LambertW: "lambertw",
}


class _Evaluator:
    """Evaluate a SymPy expression at a point with mpmath, with real-variable semantics."""

    def __init__(self, dps: int, allow_complex: bool) -> None:
        self.ctx = mpmath.MPContext()
        self.ctx.dps = dps
        self.allow_complex = allow_complex
        self.tiny = self.ctx.mpf(10) ** (8 - dps)
        self.constants: dict[sp.Expr, Any] = {}

    def __call__(self, e: sp.Expr, env: dict[sp.Symbol, Any]) -> Any:
        try:
            return self.node(e, env)
        except (DeadlineExceeded, _Undefined, KeyboardInterrupt):
            raise
        except Exception:  # ZeroDivisionError, poles (ValueError), overflow, ...
            raise _Undefined from None

    def check(self, v: Any) -> Any:
        ctx = self.ctx
        if isinstance(v, ctx.mpc):
            if not (ctx.isfinite(v.real) and ctx.isfinite(v.imag)):
                raise _Undefined
            if abs(v.imag) <= self.tiny * max(1, abs(v.real)):
                return v.real
            if not self.allow_complex:
                raise _Undefined
            return v
        if not isinstance(v, ctx.mpf):
            v = ctx.mpf(v)
        if not ctx.isfinite(v):
            raise _Undefined
        return v

    def node(self, e: sp.Expr, env: dict[sp.Symbol, Any]) -> Any:
        ctx = self.ctx
        if e.is_Symbol:
            return env[e]
        if e.is_Rational:
            return ctx.mpf(int(e.p)) / int(e.q)
        if e.is_Float:
            return ctx.mpf(str(e))
        if e is sp.I:
            return ctx.mpc(0, 1)
        if e.is_Atom:
            if e in (sp.oo, -sp.oo, sp.zoo, sp.nan) or not e.is_number:
                raise _Undefined
            if e not in self.constants:
                self.constants[e] = self.from_sympy(sp.N(e, ctx.dps + 5))
            return self.constants[e]
        if e.is_Add:
            return self.check(ctx.fsum(self.node(a, env) for a in e.args))
        if e.is_Mul:
            out = ctx.mpf(1)
            for a in e.args:
                out = out * self.node(a, env)
            return self.check(out)
        if e.is_Pow:
            base = self.node(e.base, env)
            if e.exp.is_Integer:
                n = int(e.exp)
                if n < 0 and base == 0:
                    raise _Undefined
                return self.check(base**n)
            exponent = self.node(e.exp, env)
            if base == 0 and ctx.re(exponent) <= 0:
                raise _Undefined
            return self.check(ctx.power(base, exponent))
        name = _MP_NAMES.get(e.func)
        if name is not None:
            args = [self.node(a, env) for a in e.args]
            if e.func is sp.log and len(args) == 2:
                return self.check(ctx.log(args[0]) / ctx.log(args[1]))
            return self.check(getattr(ctx, name)(*args))
        if e.func is sp.Abs:
            return self.check(abs(self.node(e.args[0], env)))
        if e.func in (sp.Max, sp.Min):
            args = [self.node(a, env) for a in e.args]
            if any(isinstance(a, ctx.mpc) for a in args):
                raise _Undefined
            return max(args) if e.func is sp.Max else min(args)
        if e.func is sp.Heaviside and len(e.args) == 1:
            a = self.node(e.args[0], env)
            if isinstance(a, ctx.mpc):
                raise _Undefined
            return ctx.mpf(1) if a > 0 else ctx.mpf(0) if a < 0 else ctx.mpf(1) / 2
        return self.fallback(e, env)

    def fallback(self, e: sp.Expr, env: dict[sp.Symbol, Any]) -> Any:
        """Anything else (Piecewise, re, im, polylog, ...): SymPy's evalf at the point."""
        dps = self.ctx.dps + 5
        values = {s: sp.Float(self.ctx.nstr(v, dps), dps) for s, v in env.items() if s in e.free_symbols}
        return self.from_sympy(sp.N(e.xreplace(values), self.ctx.dps))

    def from_sympy(self, v: sp.Expr) -> Any:
        if not v.is_number or v.has(sp.oo, -sp.oo, sp.zoo, sp.nan):
            raise _Undefined
        re_, im_ = v.as_real_imag()
        if not (re_.is_Number and im_.is_Number):
            raise _Undefined
        if im_ == 0:
            return self.check(self.ctx.mpf(str(re_)))
        return self.check(self.ctx.mpc(str(re_), str(im_)))


class _Pair:
    """Both sides of a comparison, evaluable at a point at two precisions."""

    def __init__(self, given: sp.Expr, expected: sp.Expr) -> None:
        self.given, self.expected = given, expected
        allow_complex = given.has(sp.I) or expected.has(sp.I)
        self.low = _Evaluator(LOW_DPS, allow_complex)
        self.high = _Evaluator(HIGH_DPS, allow_complex)

    def one(self, e: sp.Expr, env_low: dict, env_high: dict) -> Any:
        a, b = self.low(e, env_low), self.high(e, env_high)
        ctx = self.high.ctx
        if abs(ctx.mpc(a) - b) > ctx.mpf(10) ** -18 * max(1, abs(b)):
            raise _Undefined  # the value depends on the precision: cancellation, a jump, ...
        return b

    def at(self, point: dict[sp.Symbol, sp.Rational]) -> tuple[Any, Any]:
        env_low = {s: self.low.ctx.mpf(int(v.p)) / int(v.q) for s, v in point.items()}
        env_high = {s: self.high.ctx.mpf(int(v.p)) / int(v.q) for s, v in point.items()}
        return self.one(self.given, env_low, env_high), self.one(self.expected, env_low, env_high)


def _sympy_value(e: sp.Expr, point: dict[sp.Symbol, sp.Expr]) -> complex | None:
    """``e`` at ``point`` by SymPy's own evalf (to confirm a disagreement); None if undefined."""
    v = sp.N(e.xreplace(point), LOW_DPS)
    if not v.is_number or v.has(sp.oo, -sp.oo, sp.zoo, sp.nan):
        return None
    re_, im_ = v.as_real_imag()
    if not (re_.is_Number and im_.is_Number):
        return None
    return complex(float(re_), float(im_))


# --------------------------------------------------------------------------- points

_NICE = [sp.Integer(1), sp.Integer(2), sp.Integer(-1), sp.Rational(1, 2), sp.Integer(0), sp.Integer(3),
         sp.Integer(-2), sp.Rational(-1, 2), sp.Rational(3, 2), sp.Integer(-3), sp.Rational(1, 3), sp.Integer(5)]
_SCALES = [(10, 100), (2, 1000), (1, 1000), (5, 100)]  # (half-width, denominator) for random points


def _fit(sym: sp.Symbol, v: sp.Rational) -> sp.Rational | None:
    """``v`` moved into the symbol's declared domain (positive, integer, ...), if possible."""
    if sym.is_integer and not v.is_integer:
        v = sp.Integer(math.floor(v))
    if (sym.is_positive or sym.is_nonnegative) and v < 0:
        v = -v
    if sym.is_positive and v == 0:
        return None
    if sym.is_negative:
        v = -abs(v) if v != 0 else None
    return v


def _points(symbols: Sequence[sp.Symbol], rng: random.Random) -> Any:
    """Simple points first (x=1, x=2, x=-1, x=1/2, ...), then random ones at mixed scales."""
    n = len(symbols)
    if n == 0:
        yield {}
        return
    nice = _NICE if n == 1 else _NICE[:8] if n == 2 else _NICE[:5]
    combos = sorted(itertools.product(range(len(nice)), repeat=n), key=lambda t: (sum(t), max(t), t))
    for combo in combos[:24]:
        yield {s: nice[i] for s, i in zip(symbols, combo, strict=True)}
    k = 0
    while True:
        half, den = _SCALES[k % len(_SCALES)]
        k += 1
        yield {s: sp.Rational(rng.randint(-half * den, half * den), den) for s in symbols}


@dataclass
class _Outcome:
    agreeing: int
    tried: int
    samples: list[tuple[dict, Any, Any]]
    differs: tuple[dict, Any, Any] | None = None
    timed_out: bool = False


def _compare(
    given: sp.Expr,
    expected: sp.Expr,
    symbols: Sequence[sp.Symbol],
    judge: Callable[[Any, Any], str],
    *,
    target: int = TARGET_POINTS,
    seconds: float = NUMERIC_SECONDS,
) -> _Outcome:
    """Evaluate both sides at many points; stop at a confirmed disagreement."""
    pair = _Pair(given, expected)
    out = _Outcome(0, 0, [])
    start = time.monotonic()
    rng = random.Random(20240601)
    try:
        with _limited(seconds + 0.5):
            for point in _points(symbols, rng):
                if out.agreeing >= target or out.tried >= MAX_ATTEMPTS:
                    break
                if time.monotonic() - start > seconds:
                    out.timed_out = True
                    break
                point = {s: _fit(s, v) for s, v in point.items()}
                if any(v is None for v in point.values()):
                    continue
                out.tried += 1
                try:
                    g, e = pair.at(point)
                except _Undefined:
                    continue
                verdict = judge(g, e)
                if verdict == "agree":
                    out.agreeing += 1
                    out.samples.append((point, g, e))
                elif verdict == "disagree" and _confirmed(given, expected, point, judge):
                    out.samples.append((point, g, e))
                    out.differs = (point, g, e)
                    break
                if not symbols:
                    break  # a constant: one (precise) evaluation is all there is
    except DeadlineExceeded:
        out.timed_out = True
    return out


def _confirmed(given: sp.Expr, expected: sp.Expr, point: dict, judge: Callable[[Any, Any], str]) -> bool:
    """SymPy's own evaluation agrees that the two sides differ at ``point``."""
    try:
        g, e = _sympy_value(given, point), _sympy_value(expected, point)
    except DeadlineExceeded:
        raise
    except Exception:
        return False
    if g is None or e is None:
        return False
    if abs(g.imag) > 1e-12 * max(1, abs(g)) or abs(e.imag) > 1e-12 * max(1, abs(e)):
        if not (given.has(sp.I) or expected.has(sp.I)):
            return False
    mp = mpmath.mpc
    return judge(mp(g), mp(e)) == "disagree"


def _exact_judge(g: Any, e: Any) -> str:
    scale = max(1, abs(g), abs(e))
    d = abs(g - e)
    if d <= AGREE * scale:
        return "agree"
    return "disagree" if d > DISAGREE * scale else "unclear"


def _tolerance_judge(atol: float, rtol: float) -> Callable[[Any, Any], str]:
    def judge(g: Any, e: Any) -> str:
        allowed = atol + rtol * max(abs(g), abs(e)) + 1e-12 * max(1, abs(e))
        return "agree" if abs(g - e) <= allowed * (1 + 1e-9) else "disagree"

    return judge


# --------------------------------------------------------------------------- helpers


def _symbols(given: sp.Expr, expected: sp.Expr, variables: Sequence[sp.Symbol]) -> list[sp.Symbol]:
    free = given.free_symbols | expected.free_symbols
    ordered = [v for v in variables if v in free]
    rest = sorted(free - set(ordered), key=lambda s: s.name)
    return ordered + rest


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


def _ops(e: sp.Expr) -> int:
    try:
        return int(sp.count_ops(e))
    except Exception:
        return 10**6


def _is_zero_cheaply(d: sp.Expr) -> bool:
    if d == 0:
        return True
    if _ops(d) > SIMPLIFY_MAX_OPS:
        return False

    def attempt() -> bool:
        if sp.expand(d) == 0:
            return True
        if d.has(sp.sin, sp.cos, sp.tan, sp.sec, sp.csc, sp.cot):
            t = sp.expand(sp.expand_trig(d))
            if t == 0:
                return True
            return sp.expand(t.rewrite(sp.cos).rewrite(sp.sin)) == 0 if _ops(t) < 80 else False
        return False

    return bool(_attempt(attempt, SYMBOLIC_SECONDS, unbounded_ok=False))


def _simplifies_to_zero(d: sp.Expr, seconds: float = SIMPLIFY_SECONDS) -> bool:
    if _ops(d) > SIMPLIFY_MAX_OPS:
        return False
    return _attempt(lambda: sp.simplify(d) == 0, seconds, unbounded_ok=False) is True


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
    sample = _compare(given, expected, symbols, lambda g, e: "agree", target=10, seconds=0.4)
    pairs = [(g, e) for _, g, e in sample.samples]
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
        q = _attempt(lambda: sp.nsimplify(sp.cancel(given / expected)), 0.3, unbounded_ok=False)
        if not (isinstance(q, sp.Expr) and q.is_number and q.is_Rational):
            q = _small_rational(c, 10 if is_number else 100)
        if q is not None and (not is_number or (abs(q.p) <= 10 and q.q <= 10)):
            return f"off by a factor of {q}"
        if is_number:
            return ""
    if is_number:
        return ""
    diff = _constant([g - e for g, e in pairs])
    if diff is not None:
        d = _attempt(lambda: sp.simplify(given - expected), 0.3, unbounded_ok=False)
        if not (isinstance(d, sp.Expr) and not d.free_symbols and _ops(d) <= 8):
            d = _small_rational(diff)
        return f"off by a constant {d}" if d is not None else "off by a constant"
    if given.is_number or expected.is_number:
        return ""
    missing = _attempt(lambda: sp.factor(sp.cancel(expected / given)), 0.3, unbounded_ok=False)
    if (isinstance(missing, sp.Expr) and missing.free_symbols and _ops(missing) <= 6 and missing.is_polynomial()
            and missing not in (given, expected)):
        return f"missing a factor of {missing} (a chain-rule factor?)"
    extra = _attempt(lambda: sp.factor(sp.cancel(given / expected)), 0.3, unbounded_ok=False)
    if (isinstance(extra, sp.Expr) and extra.free_symbols and _ops(extra) <= 6 and extra.is_polynomial()
            and extra not in (given, expected)):
        return f"off by a factor of {extra}"
    return ""


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


def _point_text(point: dict) -> str:
    return ", ".join(f"{s}={v}" for s, v in point.items())


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
) -> Check:
    """Is ``given`` the same function as ``expected`` (of ``variables`` and any parameters)?

    ``decimals``/``significant`` (from the digits the user typed) or ``tol`` switch to a
    comparison within that accuracy.  ``up_to_constant``: antiderivatives, compared by
    their derivatives in ``variables[0]``.  Never raises on odd input.
    """
    try:
        return _scalar(as_expr(given), as_expr(expected), tuple(variables), decimals, significant,
                       tol, up_to_constant)
    except DeadlineExceeded:
        return Check(UNDETERMINED, "ran out of time", reason="the check took too long")
    except RecursionError:
        return Check(UNDETERMINED, "too deeply nested to check", reason="the answer is too complex to check")
    except Exception as exc:  # never fail the command because of the checker
        return Check(UNDETERMINED, f"could not check ({type(exc).__name__})")


def _bad(e: sp.Expr) -> bool:
    return not isinstance(e, sp.Expr) or e.has(sp.zoo, sp.nan)


def _scalar(
    given: sp.Expr, expected: sp.Expr, variables: tuple[sp.Symbol, ...], decimals: int | None,
    significant: int | None, tol: float | None, up_to_constant: bool,
) -> Check:
    if _bad(given) or _bad(expected):
        return Check(UNDETERMINED, "a side has no value (zoo or nan)",
                     reason="the answer or the expected result is undefined")
    if up_to_constant:
        if not variables:
            return Check(UNDETERMINED, "no integration variable")
        x = variables[0]
        try:
            dg, de = sp.diff(given, x), sp.diff(expected, x)
        except Exception:
            return Check(UNDETERMINED, "could not differentiate the answer")
        inner = _scalar(dg, de, variables, decimals, significant, tol, False)
        if inner.verdict == CORRECT:
            return Check(CORRECT, f"up to a constant: the derivatives agree ({inner.method})")
        if inner.verdict == INCORRECT:
            symbols = _symbols(given, expected, variables)
            reason = _reason(given, expected, symbols) if tol is None and decimals is None else ""
            reason = reason or f"its derivative in {x} is not the integrand"
            return Check(INCORRECT, f"{inner.method} (after differentiating in {x})", inner.differs_at,
                         inner.given_value, inner.expected_value, reason=reason)
        return Check(UNDETERMINED, f"{inner.method} (after differentiating in {x})", reason=inner.reason)

    symbols = _symbols(given, expected, variables)
    if given == expected or (sp.expand(given - expected) == 0 if _ops(given - expected) < 60 else False):
        return Check(CORRECT, "symbolic: the answer is the expected expression")
    if tol is not None or decimals is not None or significant is not None:
        return _approximate(given, expected, symbols, decimals, significant, tol)
    if _is_zero_cheaply(given - expected):
        return Check(CORRECT, "symbolic: the difference simplifies to 0")
    out = _compare(given, expected, symbols, _exact_judge,
                   target=1 if not symbols else TARGET_POINTS)
    if out.differs is not None:
        return _incorrect(given, expected, symbols, out)
    if not symbols and out.agreeing:
        return Check(CORRECT, f"numeric: equal to {HIGH_DPS - 18} digits")
    if out.agreeing >= MIN_POINTS:
        return Check(CORRECT, f"numeric: equal at {out.agreeing} random points")
    if _simplifies_to_zero(given - expected):
        return Check(CORRECT, "symbolic: the difference simplifies to 0")
    why = ("the check ran out of time" if out.timed_out else
           f"only {_plural(out.agreeing, 'point')} where both sides are defined agreed")
    return Check(UNDETERMINED, f"numeric: {why}",
                 reason=f"could not decide: {why} (at least {MIN_POINTS} are needed)")


def _incorrect(given: sp.Expr, expected: sp.Expr, symbols: Sequence[sp.Symbol], out: _Outcome,
               method: str = "differs at a point") -> Check:
    assert out.differs is not None
    point, g, e = out.differs
    reason = _reason(given, expected, symbols)
    return Check(INCORRECT, method if symbols else "differs in value", dict(point) if symbols else None,
                 _show_value(g, given, point), _show_value(e, expected, point), reason=reason)


def _approximate(given: sp.Expr, expected: sp.Expr, symbols: Sequence[sp.Symbol], decimals: int | None,
                 significant: int | None, tol: float | None) -> Check:
    """Compare to the accuracy the user typed (or ``tol``)."""
    if not symbols:  # a number: absolute tolerance
        if tol is not None:
            atol, label = float(tol), f"within ±{tol:g}"
        elif decimals is not None:
            atol = 0.5 * 10.0 ** (-decimals)
            label = f"to the digits given (±{atol:g})"
        else:
            # significant digits only (should not happen for a literal): relative
            return _approximate_relative(given, expected, symbols, significant or 1, None)
        out = _compare(given, expected, symbols, _tolerance_judge(atol, 0.0), target=1)
        if out.differs is not None:
            point, g, e = out.differs
            if tol is None and not getattr(e, "imag", 0):
                places = max(decimals or 0, 0)
                reason = f"expected about {float(e):.{places}f} to {_plural(places, 'decimal place')}"
            else:
                reason = f"more than ±{atol:g} away from the expected value"
            return Check(INCORRECT, f"differs {label}", None, _show_value(g, given, point),
                         _show_value(e, expected, point), reason=reason)
        if out.agreeing:
            return Check(CORRECT, label)
        return Check(UNDETERMINED, "could not evaluate", reason="a side has no real value")
    return _approximate_relative(given, expected, symbols, significant, tol)


def _approximate_relative(given: sp.Expr, expected: sp.Expr, symbols: Sequence[sp.Symbol],
                          significant: int | None, tol: float | None) -> Check:
    if tol is not None:
        rtol, label = float(tol), f"within a relative ±{tol:g}"
    else:
        rtol = 0.5 * 10.0 ** (1 - (significant or 1))
        label = f"to the {_plural(significant or 1, 'significant digit')} given (relative ±{rtol:g})"
    judge = _tolerance_judge(0.0, rtol)
    out = _compare(given, expected, symbols, judge, target=1 if not symbols else TARGET_POINTS)
    if out.differs is not None:
        return _incorrect(given, expected, symbols, out, f"differs {label}")
    if not symbols and out.agreeing:
        return Check(CORRECT, label)
    if out.agreeing >= MIN_POINTS:
        return Check(CORRECT, f"{label}, at {out.agreeing} random points")
    return Check(UNDETERMINED, f"{label}: too few points where both sides are defined",
                 reason=f"could not decide: only {_plural(out.agreeing, 'point')} usable")


# --------------------------------------------------------------------------- vectors, matrices


def components(
    given: Sequence[sp.Expr],
    expected: Sequence[sp.Expr],
    labels: Sequence[str],
    variables: Sequence[sp.Symbol] = (),
    **same_kwargs: Any,
) -> Check:
    """Check a vector or a flattened matrix entry by entry (``same_kwargs`` go to :func:`scalar`)."""
    if len(given) != len(expected):
        return Check(INCORRECT, "wrong number of components",
                     reason=f"the answer has {_plural(len(given), 'component')}; expected {len(expected)}")
    checks = tuple(scalar(g, e, variables, **same_kwargs) for g, e in zip(given, expected, strict=True))
    names = list(labels) + [f"component {i + 1}" for i in range(len(labels), len(checks))]
    wrong = tuple(n for n, c in zip(names, checks, strict=True) if c.verdict == INCORRECT)
    unsure = [n for n, c in zip(names, checks, strict=True) if c.verdict == UNDETERMINED]
    if wrong:
        details = "; ".join(f"{n}: {c.reason}" for n, c in zip(names, checks, strict=True) if c.verdict == INCORRECT and c.reason)
        reason = f"wrong: {', '.join(wrong)}" + (f" ({details})" if details else "")
        first = next(c for c in checks if c.verdict == INCORRECT)
        return Check(INCORRECT, f"{len(wrong)} of {_plural(len(checks), 'component')} differ", first.differs_at,
                     first.given_value, first.expected_value, wrong, checks, reason)
    if unsure:
        return Check(UNDETERMINED, f"could not decide {', '.join(unsure)}", components=checks,
                     reason=f"could not decide {', '.join(unsure)}")
    return Check(CORRECT, f"all {_plural(len(checks), 'component')} agree", components=checks)


# --------------------------------------------------------------------------- critical points

_KINDS = ("local minimum", "local maximum", "saddle point")


def _coords(point: Sequence[sp.Expr]) -> list[float] | None:
    try:
        out = []
        for c in point:
            v = complex(sp.N(as_expr(c), 30))
            if abs(v.imag) > 1e-12 or not math.isfinite(v.real):
                return None
            out.append(v.real)
        return out
    except Exception:
        return None


def _same_point(a: list[float] | None, b: list[float] | None) -> bool:
    return a is not None and b is not None and len(a) == len(b) and all(
        abs(p - q) <= POINT_MATCH * max(1, abs(q)) for p, q in zip(a, b, strict=True))


def _show_point(point: Sequence[sp.Expr]) -> str:
    return "(" + ", ".join(str(c) for c in point) + ")"


def critical_points(
    given: Sequence[tuple[str, Sequence[sp.Expr]]],
    expected: Sequence[tuple[str, Sequence[sp.Expr]]],
    *,
    complete: bool = True,
) -> Check:
    """Compare classified critical points: the same points (to 1e-9) with the same kinds.

    ``complete=False`` when the expected list may miss points (found numerically): an
    extra point in the answer then makes the verdict undetermined instead of incorrect.
    Expected kinds other than min/max/saddle ("inconclusive") are not judged.
    """
    try:
        return _critical_points(given, expected, complete)
    except DeadlineExceeded:
        return Check(UNDETERMINED, "ran out of time")
    except Exception as exc:
        return Check(UNDETERMINED, f"could not check ({type(exc).__name__})")


def _critical_points(given: Sequence[tuple[str, Sequence[sp.Expr]]],
                     expected: Sequence[tuple[str, Sequence[sp.Expr]]], complete: bool) -> Check:
    exp_coords = [_coords(p) for _, p in expected]
    used = [False] * len(expected)
    missing, extra, wrong_kind, unjudged, wrong = [], [], [], [], []
    for kind, point in given:
        c = _coords(point)
        j = next((j for j, ec in enumerate(exp_coords) if not used[j] and _same_point(c, ec)), None)
        if j is None:
            twice = any(_same_point(c, ec) for ec in exp_coords)
            extra.append(f"{kind} at {_show_point(point)}" + (" (listed twice)" if twice else ""))
            wrong.append(_show_point(point))
            continue
        used[j] = True
        want = expected[j][0]
        if want not in _KINDS:
            unjudged.append(_show_point(expected[j][1]))
        elif want != kind:
            wrong_kind.append(f"{_show_point(expected[j][1])} is a {want}, not a {kind}")
            wrong.append(_show_point(expected[j][1]))
    for j, (kind, point) in enumerate(expected):
        if not used[j]:
            missing.append(f"{kind} at {_show_point(point)}" if kind in _KINDS else _show_point(point))
            wrong.append(_show_point(point))
    parts = []
    if missing:
        parts.append(f"missing {'; '.join(missing)}")
    if extra:
        parts.append(f"not a critical point: {'; '.join(extra)}" if complete else
                     f"not among the points found: {'; '.join(extra)}")
    if wrong_kind:
        parts.append(f"wrong kind: {'; '.join(wrong_kind)}")
    reason = "; ".join(parts)
    if missing or wrong_kind or (extra and complete):
        return Check(INCORRECT, "compared the points and their kinds", wrong=tuple(wrong), reason=reason)
    if extra or unjudged:
        more = f"calccli could not classify {', '.join(unjudged)}" if unjudged else ""
        return Check(UNDETERMINED, "compared the points and their kinds",
                     reason="; ".join(p for p in (reason, more) if p))
    return Check(CORRECT, f"all {_plural(len(expected), 'critical point')} and their kinds match")
