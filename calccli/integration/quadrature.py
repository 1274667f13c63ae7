"""Numeric integration, independent of the symbolic methods: the check on every exact value.

One variable: mpmath's tanh-sinh quadrature (robust at endpoint singularities
and on infinite ranges), split at interior singular points, and mpmath's
``quadosc`` for oscillating integrands on infinite ranges.  Several variables:
nested Gauss-Legendre rules on NumPy arrays, with variable inner bounds and
infinite ranges mapped to finite ones; the error estimate is the difference
between an n-point and a 2n-point rule.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import sympy as sp

from calccli.process.budget import DeadlineExceeded, soft_deadline
from calccli.results import Bound

# An estimate is "reliable" when its error is at most this fraction of its size (or absolute, near 0).
RELIABLE = 1e-7
HUGE = 1e15


@dataclass(frozen=True, slots=True)
class Estimate:
    value: complex
    error: float

    @property
    def reliable(self) -> bool:
        size = abs(self.value)
        # A huge value is a quadrature routine's garbage near a non-integrable singularity far more
        # often than a true integral (those come with a closed form to check instead).
        return math.isfinite(size) and size < HUGE and self.error <= RELIABLE * max(1.0, size)


def integrate(f: sp.Expr, bounds: tuple[Bound, ...]) -> Estimate | None:
    """∫...∫ f over ``bounds`` (innermost first, constant outermost bounds), numerically."""
    if len(bounds) == 1:
        x, a, b = bounds[0]
        return _single(f, x, a, b)
    return _nested(f, bounds)


# ----------------------------------------------------------------- one variable


def _oscillation(f: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    """The angular frequency k of a sin(k x + c) or cos(k x + c) factor, if f has one."""
    for node in sp.preorder_traversal(f):
        if isinstance(node, (sp.sin, sp.cos)):
            arg = sp.expand(node.args[0])
            k = arg.coeff(x)
            if k != 0 and k.is_number and (arg - k * x).free_symbols == set():
                return abs(k)
    return None


# Most corners or jumps of one function split at (floor(a x + b) over a long range, |sin x| over
# thousands of periods); beyond, quadrature copes as it can.  And how long finding them may take.
MAX_JUMPS = 200
ZEROS_SECONDS = 1.0
# How long the retry of an unreliable infinite range in log|x| may take.
LOG_TAIL_SECONDS = 2.0


def _zeros(g: sp.Expr, x: sp.Symbol, interval: sp.Interval) -> set[sp.Expr]:
    """The zeros of g in ``interval`` when SymPy lists them quickly and they are few numbers, else none."""
    try:
        with soft_deadline(ZEROS_SECONDS):
            found = sp.solveset(g, x, interval)
    except (DeadlineExceeded, NotImplementedError, ValueError, TypeError, OverflowError):
        return set()
    if not isinstance(found, sp.FiniteSet) or len(found) > MAX_JUMPS:
        return set()
    return {p for p in found if p.is_number}


def _kinks(f: sp.Expr, x: sp.Symbol, interval: sp.Interval) -> set[sp.Expr]:
    """Where f has a corner or a jump: zeros of the arguments of |g|, sign g, Heaviside g,
    crossings of min and max, the integers floor and ceiling of a linear argument pass."""
    points: set[sp.Expr] = set()
    for e in f.atoms(sp.Abs, sp.sign, sp.Heaviside, sp.Min, sp.Max, sp.floor, sp.ceiling, sp.frac, sp.Piecewise):
        if not e.has(x):
            continue
        if isinstance(e, sp.Piecewise):  # where a condition changes
            for rel in {r for _, cond in e.args for r in cond.atoms(sp.Rel) if r.has(x)}:
                points |= _zeros(rel.lhs - rel.rhs, x, interval)
        elif isinstance(e, (sp.Min, sp.Max)):
            for i, u in enumerate(e.args):
                for v in e.args[i + 1 :]:
                    points |= _zeros(u - v, x, interval)
        elif isinstance(e, (sp.floor, sp.ceiling, sp.frac)):
            u = e.args[0]
            if (
                u.free_symbols == {x}
                and u.is_polynomial(x)
                and sp.degree(u, x) == 1
                and interval.start.is_finite
                and interval.end.is_finite
            ):
                ends = sorted(float(u.subs(x, end)) for end in (interval.start, interval.end))
                if ends[1] - ends[0] <= MAX_JUMPS:
                    ks = range(math.floor(ends[0]) + 1, math.ceil(ends[1]))
                    points |= {p for k in ks for p in _zeros(u - k, x, interval)}
        else:
            points |= _zeros(e.args[0], x, interval)
    return points


def singular_points(f: sp.Expr, x: sp.Symbol, a: sp.Expr, b: sp.Expr) -> list[sp.Expr]:
    """Points strictly between constant limits where f is singular (1/x on -1..1 has 0) or has a
    corner or jump (|x| at 0), in order: quadrature and the fundamental theorem split there."""
    if a == b or not (a.is_number and b.is_number):
        return []
    lo, hi = sorted((a, b), key=lambda e: float(e))
    interval = sp.Interval.open(lo, hi)
    try:
        found = sp.singularities(f, x, interval)
    except (NotImplementedError, ValueError, TypeError):
        found = sp.S.EmptySet
    points = set(found) if isinstance(found, sp.FiniteSet) else set()
    points |= _kinks(f, x, interval)
    return sorted((p for p in points if p.is_number and p.is_real), key=float)


def _single(f: sp.Expr, x: sp.Symbol, a: sp.Expr, b: sp.Expr) -> Estimate | None:
    import mpmath

    if a == b:
        return Estimate(0j, 0.0)
    sign = 1
    if bool(a > b):
        a, b, sign = b, a, -1
    fn = sp.lambdify(x, f, modules="mpmath")
    ends = [-mpmath.inf if a == -sp.oo else _mp(a), mpmath.inf if b == sp.oo else _mp(b)]
    omega = _oscillation(f, x) if sp.oo in (a, b) or -sp.oo in (a, b) else None
    with mpmath.workdps(20):
        if omega is not None and a.is_finite and b == sp.oo:
            # quadosc gives no error estimate: compute the tail again from three periods further
            # on (the head by plain quadrature); the two differ by about the truncation error.
            w = _mp(omega)
            v1 = mpmath.quadosc(fn, [ends[0], mpmath.inf], omega=w)
            split = ends[0] + 6 * mpmath.pi / w
            v2 = mpmath.quad(fn, [ends[0], split]) + mpmath.quadosc(fn, [split, mpmath.inf], omega=w)
            return Estimate(sign * complex(v1), float(abs(v2 - v1)) + 1e-15 * float(abs(v1)))
        points = [ends[0], *(_mp(c) for c in singular_points(f, x, a, b)), ends[1]]
        estimate = _quad(fn, points)
        if (
            not estimate.reliable and (mpmath.isinf(points[0]) or mpmath.isinf(points[-1])) and not f.has(*_PERIODIC)
        ):  # sin(e^u) at large u costs mpmath huge precision
            try:
                with soft_deadline(LOG_TAIL_SECONDS):
                    tails = _quad_log_tails(fn, points)
                if tails.error < estimate.error:
                    estimate = tails
            except (DeadlineExceeded, ArithmeticError, ValueError, TypeError):
                pass
    return Estimate(sign * estimate.value, estimate.error)


_PERIODIC = (sp.sin, sp.cos, sp.tan, sp.cot, sp.sec, sp.csc)


def precise(f: sp.Expr, x: sp.Symbol, a: sp.Expr, b: sp.Expr, digits: int = 50) -> tuple[object, float] | None:
    """∫_a^b f dx to about ``digits`` digits by tanh-sinh split at the singular points: (mpf, error), or None.

    For recognising a constant (:mod:`calccli.integration.recognise`); no oscillatory tails.

    >>> x = sp.Symbol("x", real=True)
    >>> value, error = precise(sp.log(sp.sin(x)), x, sp.S.Zero, sp.pi / 2, 40)
    >>> import mpmath
    >>> print(mpmath.nstr(value, 20), error < 1e-35)
    -1.0887930451518010653 True
    """
    import mpmath

    if a == b or not (a.is_number and b.is_number):
        return None
    sign = 1
    if bool(a > b):
        a, b, sign = b, a, -1
    with mpmath.workdps(digits + 10):
        fn = sp.lambdify(x, f, modules="mpmath")
        ends = [-mpmath.inf if a == -sp.oo else mpmath.mpmathify(sp.N(a, digits + 10))]
        ends.append(mpmath.inf if b == sp.oo else mpmath.mpmathify(sp.N(b, digits + 10)))
        cuts = [mpmath.mpmathify(sp.N(c, digits + 10)) for c in singular_points(f, x, a, b)]
        value, error = mpmath.quad(fn, [ends[0], *cuts, ends[1]], error=True, maxdegree=10)
        if isinstance(value, mpmath.mpc):
            if abs(value.imag) > 10 * error:
                return None
            value = value.real
        return sign * (+value), float(error)


def _quad(fn, points: list) -> Estimate:  # type: ignore[no-untyped-def]
    """tanh-sinh over ``points``; the error estimate compares the last two levels of one rule,
    and a coarser run catches the cases where both are garbage (sin(x^2) on 0..oo)."""
    import mpmath

    value, error = mpmath.quad(fn, points, error=True, maxdegree=8)
    coarse = mpmath.quad(fn, points, maxdegree=6)
    return Estimate(complex(value), max(float(error), float(abs(value - coarse))))


def _quad_log_tails(fn, points: list) -> Estimate:  # type: ignore[no-untyped-def]
    """The same integral with each infinite end beyond |x| = 1 in u = log|x|: a tail that decays
    like 1/(x log² x), too slowly for the plain rule, becomes one like 1/u²."""
    import mpmath

    finite = [p for p in points if not mpmath.isinf(p)]
    middle = list(finite)
    total, error = mpmath.mpf(0), 0.0
    for end, side in ((points[0], -1), (points[-1], 1)):
        if not mpmath.isinf(end):
            continue
        cut = max([mpmath.mpf(1)] + [side * p for p in finite])  # |x| from which the tail is mapped
        middle.append(side * cut)
        tail = _quad(lambda u, side=side: fn(side * mpmath.exp(u)) * mpmath.exp(u), [mpmath.log(cut), mpmath.inf])
        total, error = total + tail.value, error + tail.error
    middle = sorted(set(middle))
    if len(middle) > 1:
        head = _quad(fn, middle)
        total, error = total + head.value, error + head.error
    return Estimate(complex(total), error)


def _mp(e: sp.Expr) -> object:
    import mpmath

    return mpmath.mpmathify(sp.N(e, 25))


# ----------------------------------------------------------------- several variables


def _map(lo, hi, t, smooth: bool = False):  # type: ignore[no-untyped-def]
    """Points and dx/dt for Gauss nodes t in (-1, 1) mapped onto [lo, hi].

    Infinite ends use tangent maps (x = tan(pi t / 2) on the whole line), which
    turn algebraic and Gaussian tails into smooth integrands in t.  ``smooth`` maps a
    finite range by s − sin(2πs)/2π, s = (t + 1)/2, whose derivative vanishes at both
    ends: a square root at an end (a disk's edge) no longer spoils the rule.
    """
    import numpy as np

    if smooth:
        s = (t + 1) / 2
        t = 2 * (s - np.sin(2 * np.pi * s) / (2 * np.pi)) - 1
        stretch = 1 - np.cos(2 * np.pi * s)  # dt_new/dt
    else:
        stretch = 1.0

    lo_inf = np.isneginf(lo)
    hi_inf = np.isposinf(hi)
    lo_f = np.where(np.isfinite(lo), lo, 0.0)
    hi_f = np.where(np.isfinite(hi), hi, 0.0)
    xf = (hi_f - lo_f) / 2 * t + (hi_f + lo_f) / 2  # finite [lo, hi]
    dxf = (hi_f - lo_f) / 2 + 0 * t
    xb = np.tan(np.pi * t / 2)  # (-oo, oo)
    dxb = np.pi / 2 / np.cos(np.pi * t / 2) ** 2
    half = np.pi * (t + 1) / 4  # s = (t + 1) / 2 in (0, 1), angle pi s / 2
    tail = np.tan(half)
    dtail = np.pi / 4 / np.cos(half) ** 2
    x = np.where(~lo_inf & ~hi_inf, xf, np.where(lo_inf & hi_inf, xb, np.where(hi_inf, lo_f + tail, hi_f - tail)))
    dx = np.where(~lo_inf & ~hi_inf, dxf, np.where(lo_inf & hi_inf, dxb, dtail))
    return x, dx * stretch


def _evaluator(f: sp.Expr, variables: list[sp.Symbol]):  # type: ignore[no-untyped-def]
    import numpy as np

    fast = sp.lambdify(variables, f, modules="numpy")
    probe = [np.array([0.3 + 0.1 * i, 0.7 - 0.05 * i]) for i in range(len(variables))]
    try:
        with np.errstate(all="ignore"):
            np.asarray(fast(*probe), dtype=complex)
        return fast, True
    except Exception:  # noqa: BLE001 - a function NumPy lacks (erf, Si, ...): use mpmath point by point
        slow = sp.lambdify(variables, f, modules="mpmath")
        return np.frompyfunc(lambda *a: complex(slow(*a)), len(variables), 1), False


def _nested_rule(f, bounds: tuple[Bound, ...], n: int, smooth: bool = False):  # type: ignore[no-untyped-def]
    import numpy as np

    t, w = np.polynomial.legendre.leggauss(n)
    outer_first = list(reversed(bounds))
    variables = [v for v, _, _ in outer_first]
    points: list[np.ndarray] = []
    weight = np.ones(1)
    for depth, (_, a, b) in enumerate(outer_first):
        known = variables[:depth]
        lo = _bound_values(a, known, points, weight.shape)
        hi = _bound_values(b, known, points, weight.shape)
        x, dx = _map(lo[:, None], hi[:, None], t[None, :], smooth)
        points = [p[:, None].repeat(n, axis=1).ravel() for p in points] + [x.ravel()]
        weight = (weight[:, None] * w[None, :] * dx).ravel()
    with np.errstate(all="ignore"):
        values = np.asarray(f(*points), dtype=complex)
    values = np.broadcast_to(values, weight.shape)
    return complex(np.sum(values * weight))


def _bound_values(e: sp.Expr, known: list[sp.Symbol], points: list, shape: tuple[int, ...]):  # type: ignore[no-untyped-def]
    import numpy as np

    if e == sp.oo:
        return np.full(shape, np.inf)
    if e == -sp.oo:
        return np.full(shape, -np.inf)
    if not e.free_symbols:
        return np.full(shape, float(e))
    fn = sp.lambdify(known, e, modules="numpy")
    with np.errstate(all="ignore"):
        return np.broadcast_to(np.asarray(fn(*points), dtype=float), shape)


def _nested(f: sp.Expr, bounds: tuple[Bound, ...]) -> Estimate | None:
    variables = [v for v, _, _ in reversed(bounds)]
    fn, vectorised = _evaluator(f, variables)
    dims = len(bounds)
    sizes = (
        {2: (96, 192), 3: (32, 64)}.get(dims, (10, 16)) if vectorised else {2: (24, 48), 3: (10, 16)}.get(dims, (6, 10))
    )
    best = None
    for smooth in (False, True):  # the smoothing map only when the plain rules disagree
        coarse = _nested_rule(fn, bounds, sizes[0], smooth)
        fine = _nested_rule(fn, bounds, sizes[1], smooth)
        if math.isfinite(abs(coarse)) and math.isfinite(abs(fine)):
            estimate = Estimate(fine, abs(fine - coarse))
            if best is None or estimate.error < best.error:
                best = estimate
        if best is not None and best.reliable:
            break
    return best
