"""Sample points and the evaluation of an expression at one: the numeric half of the equivalence checker.

A :class:`~calccli.homework.equivalence.Policy` names one of each:

* :class:`Points`, where the two sides are compared: simple points first then random ones
  (``--check``), five fixed points (worked steps), or seeded abscissas with random parameter
  values (antiderivative verification);
* :class:`Evaluation`, how a side is evaluated there: mpmath at two precisions with real-variable
  semantics, SymPy's ``evalf`` after substituting, ``evalf`` with ``subs=``, or a plain complex
  number.

Each strategy is today's code of the checker it came from, unchanged, so that sharing one
checker moved no answer.  An evaluation raises :class:`Undefined` where a side has no usable
value; any other error propagates to the caller.
"""

from __future__ import annotations

import cmath
import enum
import itertools
import math
import random
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import mpmath
import sympy as sp

from calccli.process.budget import DeadlineExceeded

Point = dict[sp.Symbol, sp.Expr]
Value = Any  # an mpmath, SymPy or Python number, as the evaluation makes it
Evaluate = Callable[[Any, Point], Value]


class Undefined(Exception):
    """A side has no (real, finite, reliable) value at the point: the point is skipped."""


class Points(enum.Enum):
    """Where the two sides are compared."""

    SIMPLE_FIRST = "x=1, x=2, x=-1, x=1/2, ..., ±100 to ±10^4, then random points at mixed scales (fixed seed)"
    FIXED = "five fixed points, shifted per variable"
    SEEDED = "seeded abscissas of both signs for the first variable, random parameter values"


class Evaluation(enum.Enum):
    """How a side is evaluated at a point."""

    MPMATH = "mpmath at two precisions, real-variable semantics"
    EVALF = "SymPy's N after xreplace, as a Python complex; non-finite values skipped"
    EVALF_SUBS = "SymPy's evalf(digits, subs=point), finite SymPy numbers only"
    COMPLEX = "a Python complex (numbers as they are, SymPy's N otherwise)"


# --------------------------------------------------------------------------- points


_NICE = [
    sp.Integer(1),
    sp.Integer(2),
    sp.Integer(-1),
    sp.Rational(1, 2),
    sp.Integer(0),
    sp.Integer(3),
    sp.Integer(-2),
    sp.Rational(-1, 2),
    sp.Rational(3, 2),
    sp.Integer(-3),
    sp.Rational(1, 3),
    sp.Integer(5),
]
_SCALES = [(10, 100), (2, 1000), (1, 1000), (5, 100)]  # (half-width, denominator) for random points
_LARGE = (100, -100, 1000, -1000, 10**4, -(10**4))  # after the simple points: large magnitudes, both signs
_LARGE_SHIFT = 37  # variable k at a large point is the magnitude plus k * this
SIMPLE_FIRST_SEED = 20240601

_FIXED = (0.5123, 1.3719, 2.2461, -0.7331, 3.1913)
_FIXED_SHIFT = 0.2371  # variable k at point i is shifted by k * (i + 1) * this

ABSCISSA_SEED = 20240611
PARAMETER_SEED = 7


def order(a: Any, b: Any, variables: Sequence[sp.Symbol], points: Points) -> tuple[sp.Symbol, ...]:
    """The symbols to sample: ``variables`` that occur first, then the others (by name, or by str)."""
    free: set[sp.Symbol] = set()
    for side in (a, b):
        free |= getattr(side, "free_symbols", set())
    ordered = [v for v in variables if v in free]
    key: Callable[[sp.Symbol], str] = (lambda s: s.name) if points is Points.SIMPLE_FIRST else str
    if points is Points.SEEDED and variables:  # the first variable gets the abscissas, even when absent
        ordered = [variables[0]]
    return (*ordered, *sorted(free - set(ordered), key=key))


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


def fitted(point: dict[sp.Symbol, sp.Rational]) -> Point | None:
    """``point`` inside every symbol's declared domain, or None (a point to skip)."""
    out = {s: _fit(s, v) for s, v in point.items()}
    return None if any(v is None for v in out.values()) else out  # type: ignore[return-value]


def _simple_first(symbols: Sequence[sp.Symbol]) -> Iterator[Point | None]:
    """Simple points first (x=1, x=2, x=-1, x=1/2, ...), a few large ones (±100 to ±10^4), then random ones."""
    n = len(symbols)
    if n == 0:
        yield {}
        return
    rng = random.Random(SIMPLE_FIRST_SEED)
    nice = _NICE if n == 1 else _NICE[:8] if n == 2 else _NICE[:5]
    combos = sorted(itertools.product(range(len(nice)), repeat=n), key=lambda t: (sum(t), max(t), t))
    for combo in combos[:24]:
        yield fitted({s: nice[i] for s, i in zip(symbols, combo, strict=True)})
    for m in _LARGE:
        yield fitted({s: sp.Integer(m + _LARGE_SHIFT * k) for k, s in enumerate(symbols)})
    k = 0
    while True:
        half, den = _SCALES[k % len(_SCALES)]
        k += 1
        yield fitted({s: sp.Rational(rng.randint(-half * den, half * den), den) for s in symbols})


def _fixed(symbols: Sequence[sp.Symbol]) -> Iterator[Point]:
    """Five fixed points; the k-th symbol is shifted by ``k * (i + 1) * 0.2371`` at the i-th."""
    for i, p in enumerate(_FIXED):
        yield {s: sp.Float(p + _FIXED_SHIFT * k * (i + 1)) for k, s in enumerate(symbols)}


def abscissas(count: int = 10, seed: int = ABSCISSA_SEED) -> list[sp.Rational]:
    """Exact sample abscissas of both signs, of size 0.2 to 6 (so some |x| > 1), never integers.

    Fixed seed: a check must not pass on one run and fail on the next.

    >>> abscissas(3)
    [198/125, -1373/500, 489/1000]
    """
    rng = random.Random(seed)
    points = []
    for i in range(count):
        magnitude = 0.2 * 30 ** rng.random()  # log-uniform on [0.2, 6]
        sign = -1 if i % 2 else 1
        points.append(sp.Rational(round(sign * magnitude * 1000) + (7 if i % 3 else 3), 1000))
    return points


def _seeded(symbols: Sequence[sp.Symbol], xs: Sequence[sp.Expr] | None) -> Iterator[Point]:
    """The first symbol at each abscissa; the others (parameters) at values of either sign, 0.6 to 2.9."""
    x, params = (symbols[0], symbols[1:]) if symbols else (None, ())
    rng = random.Random(PARAMETER_SEED)
    for p in abscissas() if xs is None else xs:
        point: Point = {} if x is None else {x: p}
        for s in params:
            point[s] = sp.Rational(rng.choice([-1, 1]) * rng.randint(600, 2900), 1000)
        yield point


def points(kind: Points, symbols: Sequence[sp.Symbol], xs: Sequence[sp.Expr] | None = None) -> Iterator[Point | None]:
    """The sample points of ``kind`` for ``symbols`` (``xs``: abscissas replacing the seeded ones).

    None stands for a point outside a symbol's declared domain: skipped, and not counted as tried.

    >>> x = sp.Symbol("x", real=True)
    >>> list(itertools.islice(points(Points.SIMPLE_FIRST, [x]), 4))
    [{x: 1}, {x: 2}, {x: -1}, {x: 1/2}]
    """
    if kind is Points.SIMPLE_FIRST:
        return _simple_first(symbols)
    if kind is Points.FIXED:
        return _fixed(symbols)
    return _seeded(symbols, xs)


# --------------------------------------------------------------------------- mpmath at two precisions


_MP_NAMES: dict[type, str] = {
    **{
        getattr(sp, n): n
        for n in (
            "sin",
            "cos",
            "tan",
            "sec",
            "csc",
            "cot",
            "asin",
            "acos",
            "atan",
            "asec",
            "acsc",
            "acot",
            "sinh",
            "cosh",
            "tanh",
            "sech",
            "csch",
            "coth",
            "asinh",
            "acosh",
            "atanh",
            "asech",
            "acsch",
            "acoth",
            "exp",
            "log",
            "erf",
            "erfc",
            "erfi",
            "gamma",
            "factorial",
            "binomial",
            "atan2",
            "loggamma",
            "polygamma",
            "digamma",
            "sign",
            "floor",
            "fresnels",
            "fresnelc",
        )
    },
    sp.ceiling: "ceil",
    sp.Si: "si",
    sp.Ci: "ci",
    sp.Shi: "shi",
    sp.Chi: "chi",
    sp.Ei: "ei",
    sp.li: "li",
    sp.LambertW: "lambertw",
}

EXTRA_DIGITS = 15  # the second precision is this many digits above the first
STABLE = 18  # the two precisions must agree to this many digits, or the value is unreliable


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
        except (DeadlineExceeded, Undefined, KeyboardInterrupt):
            raise
        except Exception:  # ZeroDivisionError, poles (ValueError), overflow, ...
            raise Undefined from None

    def check(self, v: Any) -> Any:
        ctx = self.ctx
        if isinstance(v, ctx.mpc):
            if not (ctx.isfinite(v.real) and ctx.isfinite(v.imag)):
                raise Undefined
            if abs(v.imag) <= self.tiny * max(1, abs(v.real)):
                return v.real
            if not self.allow_complex:
                raise Undefined
            return v
        if not isinstance(v, ctx.mpf):
            v = ctx.mpf(v)
        if not ctx.isfinite(v):
            raise Undefined
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
                raise Undefined
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
                    raise Undefined
                return self.check(base**n)
            exponent = self.node(e.exp, env)
            if base == 0 and ctx.re(exponent) <= 0:
                raise Undefined
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
                raise Undefined
            return max(args) if e.func is sp.Max else min(args)
        if e.func is sp.Heaviside and len(e.args) == 1:
            a = self.node(e.args[0], env)
            if isinstance(a, ctx.mpc):
                raise Undefined
            return ctx.mpf(1) if a > 0 else ctx.mpf(0) if a < 0 else ctx.mpf(1) / 2
        return self.fallback(e, env)

    def fallback(self, e: sp.Expr, env: dict[sp.Symbol, Any]) -> Any:
        """Anything else (Piecewise, re, im, polylog, ...): SymPy's evalf at the point."""
        dps = self.ctx.dps + 5
        values = {s: sp.Float(self.ctx.nstr(v, dps), dps) for s, v in env.items() if s in e.free_symbols}
        return self.from_sympy(sp.N(e.xreplace(values), self.ctx.dps))

    def from_sympy(self, v: sp.Expr) -> Any:
        if not v.is_number or v.has(sp.oo, -sp.oo, sp.zoo, sp.nan):
            raise Undefined
        re_, im_ = v.as_real_imag()
        if not (re_.is_Number and im_.is_Number):
            raise Undefined
        if im_ == 0:
            return self.check(self.ctx.mpf(str(re_)))
        return self.check(self.ctx.mpc(str(re_), str(im_)))


class _TwoPrecisions:
    """Both sides of a comparison, evaluable at a point at ``digits`` and ``digits + 15``.

    A value that moves between the two precisions (cancellation, a jump) is unreliable: Undefined.
    """

    def __init__(self, allow_complex: bool, digits: int) -> None:
        self.low = _Evaluator(digits, allow_complex)
        self.high = _Evaluator(digits + EXTRA_DIGITS, allow_complex)

    def __call__(self, e: sp.Expr, point: Point) -> Any:
        env_low = {s: self.low.ctx.mpf(int(v.p)) / int(v.q) for s, v in point.items()}
        env_high = {s: self.high.ctx.mpf(int(v.p)) / int(v.q) for s, v in point.items()}
        a, b = self.low(e, env_low), self.high(e, env_high)
        ctx = self.high.ctx
        if abs(ctx.mpc(a) - b) > ctx.mpf(10) ** -STABLE * max(1, abs(b)):
            raise Undefined  # the value depends on the precision: cancellation, a jump, ...
        return b


def sympy_value(e: sp.Expr, point: Point, digits: int) -> complex | None:
    """``e`` at ``point`` by SymPy's own evalf (to confirm a disagreement); None if undefined."""
    v = sp.N(e.xreplace(point), digits)
    if not v.is_number or v.has(sp.oo, -sp.oo, sp.zoo, sp.nan):
        return None
    re_, im_ = v.as_real_imag()
    if not (re_.is_Number and im_.is_Number):
        return None
    return complex(float(re_), float(im_))


def confirmed(a: sp.Expr, b: sp.Expr, point: Point, digits: int, differ: Callable[[Any, Any], bool]) -> bool:
    """SymPy's own evaluation agrees that the two sides differ at ``point`` (a second opinion on mpmath)."""
    try:
        g, e = sympy_value(a, point, digits), sympy_value(b, point, digits)
    except DeadlineExceeded:
        raise
    except Exception:
        return False
    if g is None or e is None:
        return False
    if abs(g.imag) > 1e-12 * max(1, abs(g)) or abs(e.imag) > 1e-12 * max(1, abs(e)):
        if not (a.has(sp.I) or b.has(sp.I)):
            return False
    return differ(mpmath.mpc(g), mpmath.mpc(e))


# --------------------------------------------------------------------------- SymPy's evalf


_EVALF_ERRORS = (TypeError, ValueError, ZeroDivisionError, OverflowError, AttributeError)
_EVALF_SUBS_ERRORS = (ValueError, TypeError, ZeroDivisionError, ArithmeticError, NotImplementedError, RecursionError)
_COMPLEX_ERRORS = (TypeError, ValueError)


def _evalf(digits: int) -> Evaluate:
    def value(e: sp.Expr, point: Point) -> complex:
        try:
            v = complex(sp.N(e.xreplace(point), digits))
        except _EVALF_ERRORS:
            raise Undefined from None
        if not cmath.isfinite(v):
            raise Undefined
        return v

    return value


def _evalf_subs(digits: int) -> Evaluate:
    def value(e: sp.Expr, point: Point) -> sp.Expr:
        """``e`` at ``point`` as a finite (complex) SymPy number to ``digits`` digits."""
        try:
            v = e.evalf(digits, subs=point)
        except _EVALF_SUBS_ERRORS:
            raise Undefined from None
        if not isinstance(v, sp.Expr) or not v.is_number or v.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
            raise Undefined
        re_, im_ = v.as_real_imag()
        if not (re_.is_Float or re_.is_zero) or not (im_.is_Float or im_.is_zero):
            raise Undefined  # an unevaluated function: no numerical value here
        return v

    return value


def _complex(digits: int) -> Evaluate:
    def value(e: Any, point: Point) -> complex:
        if isinstance(e, int | float | complex):
            return complex(e)
        try:
            return complex(sp.N(e.subs(point) if point else e, digits))
        except _COMPLEX_ERRORS:
            raise Undefined from None

    return value


def evaluator(kind: Evaluation, a: Any, b: Any, digits: int) -> Evaluate:
    """The evaluation of ``kind`` at ``digits`` digits, made for comparing ``a`` with ``b``."""
    if kind is Evaluation.MPMATH:
        return _TwoPrecisions(a.has(sp.I) or b.has(sp.I), digits)
    if kind is Evaluation.EVALF:
        return _evalf(digits)
    if kind is Evaluation.EVALF_SUBS:
        return _evalf_subs(digits)
    return _complex(digits)
