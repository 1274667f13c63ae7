"""The one equivalence checker: are two expressions the same function, and how does calccli know?

Every "is this equal to that?" in calccli goes through :func:`compare` with a named
:class:`Policy`.  The policy says what counts as evidence:

1. proof: the two sides are identical, or cheap symbolic passes (``a - b == 0`` as built,
   ``expand``, ``expand_trig``) make their difference 0;
2. sampling: both sides at sample points; a point where a side has no usable value is
   skipped.  A point where they differ by more than the policy's tolerance is a witness that
   they are different; enough agreeing points make them equal;
3. when too few points are usable, optionally ``simplify(a - b) == 0`` under a time limit.

An ``exact`` policy (GRADING) first asks whether ``a - b`` reduces (as built, or expanded) to a
nonzero number, or ``a / b`` to a number other than 1: then the sides differ however small the
difference (``2x + 10**-12`` is not ``2x``).  A ``breakpoints`` policy (GRADING) samples both
sides of every breakpoint of a piecewise part (:mod:`calccli.homework.breakpoints`) first, and
"equal" needs them covered.

Anything short of that is :data:`UNKNOWN`: never "equal" on weak evidence.  The policies are
those calccli has always used, with their numbers unchanged:

========================  =====================================================================
:data:`GRADING`           ``--check``: 30 agreeing points of 40 sought, equal to 1e-12, different
                          beyond 1e-8 (relative to max(1, |a|, |b|)), mpmath at 30 and 45 digits;
                          exact (any constant difference or factor differs) and breakpoint-aware
:data:`STEP`              a worked step: 1e-8 relative to 1 + |a| + |b| at five fixed points,
                          two of them needed, three enough
:data:`WORKED_INTEGRAL`   a worked integral's result: STEP's sampling alone, then ``simplify``
                          for 3 s
:data:`ANTIDERIVATIVE`    F' against f: every one of 10 seeded points within 1e-10 relative (30
                          digits), at least 5 of them usable; F' undefined where f is defined is
                          a difference; then ``simplify`` under the caller's deadline
:data:`QUADRATURE`        an exact definite value against a quadrature estimate: 1e-9 relative
                          to max(1, |estimate|), or 100 times the error estimate if larger
========================  =====================================================================

A user's tolerance (``--tol``, digits typed) is :meth:`Policy.within`.

>>> x = sp.Symbol("x", real=True)
>>> e = compare(sp.sin(2 * x), 2 * sp.sin(x) * sp.cos(x), (x,), GRADING)
>>> e.verdict, e.how
('equal', 'trig')
>>> e = compare(x**2 + 1, x**2, (x,), GRADING)
>>> e.verdict, e.witness, e.a_value, e.b_value
('different', {x: 1}, mpf('2.0'), mpf('1.0'))
"""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import itertools
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from calccli.calculus.common import as_expr
from calccli.homework import breakpoints
from calccli.homework.bounded import attempt, limited, ops
from calccli.homework.sampling import Evaluation, Point, Points, Undefined, Value, confirmed, evaluator, order, points
from calccli.process.budget import Budget, DeadlineExceeded

__all__ = [
    "ANTIDERIVATIVE",
    "DIFFERENT",
    "EQUAL",
    "GRADING",
    "QUADRATURE",
    "STEP",
    "UNKNOWN",
    "WORKED_INTEGRAL",
    "Evidence",
    "Policy",
    "Scale",
    "compare",
    "sample",
]

EQUAL, DIFFERENT, UNKNOWN = "equal", "different", "unknown"
# How the evidence was found.
IDENTICAL, DIFFERENCE, EXPAND, TRIG, NUMERIC, SIMPLIFY, CONSTANT, FACTOR = (
    "identical",
    "difference",
    "expand",
    "trig",
    "numeric",
    "simplify",
    "constant",
    "factor",
)
# What one sample point says.
AGREE, DIFFER, UNCLEAR = "agree", "differ", "unclear"

EXPAND_MAX_OPS = 60  # the expand pass is tried below this many operations in a - b
TRIG_SECONDS = 0.5  # time limit of the expand_trig pass
TOLERANCE_FLOOR = 1e-12  # a user's tolerance also allows this much relative to max(1, |b|), or a
# thousandth of the tolerance when that is less (ten decimals are ±5e-11: a 1e-12 floor is 2% of it) ...
TOLERANCE_SLACK = 1e-9  # ... and this much of itself, for rounding at the boundary
BREAKPOINT_SECONDS = 1.0  # time to locate the breakpoints of piecewise parts (Policy.breakpoints)


class Scale(enum.Enum):
    """What a difference |a - b| is measured against (``b`` is the reference side)."""

    UNIT = "max(1, |a|, |b|)"
    SUM = "1 + |a| + |b|"
    LARGER = "max(|a|, |b|)"
    REFERENCE = "max(1, |b|)"

    def of(self, a: Value, b: Value) -> Value:
        """The scale for values ``a`` and ``b``.

        >>> Scale.UNIT.of(0.5, -3), Scale.SUM.of(0.5, -3), Scale.LARGER.of(0.5, 0.25), Scale.REFERENCE.of(7, 0.5)
        (3, 4.5, 0.5, 1)
        """
        if self is Scale.UNIT:
            return max(1, abs(a), abs(b))
        if self is Scale.SUM:
            return 1 + abs(a) + abs(b)
        if self is Scale.LARGER:
            return max(abs(a), abs(b))
        return max(1, abs(b))


@dataclass(frozen=True, slots=True)
class Policy:
    """A named tolerance policy: what agreement is, how many points it takes, how they are found.

    Two values agree when ``|a - b| <= allowed(a, b)``: ``relative * scale``, combined with
    ``absolute`` by ``combine`` ("sum" or "max"), plus ``floor * max(1, |b|)``, times
    ``1 + slack``.  Beyond ``disagree * scale`` they differ; in between the point is unclear
    and counts for nothing (``disagree=None``: whatever does not agree differs).

    >>> GRADING.judge(1, 1 + 5e-13), GRADING.judge(1, 1 + 5e-9), GRADING.judge(1, 1 + 5e-8)
    ('agree', 'unclear', 'differ')
    >>> QUADRATURE.judge(2.0, 2.0 + 5e-10), QUADRATURE.with_error(1e-6).judge(2.0, 2.00005)
    ('agree', 'agree')
    """

    name: str
    relative: float  # agreement, relative to the scale
    min_points: int  # agreeing sample points needed for "equal" (one when neither side has a symbol)
    scale: Scale = Scale.UNIT
    disagree: float | None = None  # a clear difference, relative to the scale (None: relative)
    absolute: float = 0.0  # an absolute allowance, combined with the relative one by ``combine``
    combine: str = "sum"  # "sum" or "max"
    floor: float = 0.0  # plus this times max(1, |b|)
    slack: float = 0.0  # the allowance times 1 + slack
    negligible: float = 0.0  # a point where both |a| and |b| are below this is skipped
    error_multiple: float = 0.0  # with_error(e) allows this times e absolutely
    target: int | None = None  # stop after this many agreeing points (None: try every point)
    max_points: int | None = None  # points tried at most
    seconds: float | None = None  # time for the sampling (None: the caller's own deadline)
    points: Points = Points.SIMPLE_FIRST
    abscissas: tuple[sp.Expr, ...] | None = None  # replace the seeded abscissas (Points.SEEDED)
    evaluation: Evaluation = Evaluation.MPMATH
    digits: int = 30  # working precision of the evaluation
    one_sided: bool = False  # b has a value and a has none at a point: different
    confirm: bool = False  # a difference must be confirmed by SymPy's own evaluation
    identical: bool = True  # identical sides are equal without evaluating them (even oo*x and oo*x)
    symbolic: tuple[str, ...] = ()  # proofs tried before sampling: DIFFERENCE, EXPAND, TRIG
    simplify_seconds: float | None = None  # last resort; None: none; inf: under the caller's deadline
    max_ops: int | None = None  # the TRIG and SIMPLIFY passes skip a difference larger than this
    exact: bool = False  # a difference that reduces to a nonzero constant (even 1e-30) is a difference
    breakpoints: bool = False  # "equal" needs both sides of every breakpoint (|g|, floor, Max, ...) sampled

    def allowed(self, a: Value, b: Value) -> Value:
        """How far apart ``a`` and ``b`` may be and still agree."""
        allowed = self.relative * self.scale.of(a, b)
        if self.absolute:
            allowed = max(self.absolute, allowed) if self.combine == "max" else self.absolute + allowed
        if self.floor:
            allowed = allowed + self.floor * Scale.REFERENCE.of(a, b)
        if self.slack:
            allowed = allowed * (1 + self.slack)
        return allowed

    def judge(self, a: Value, b: Value) -> str:
        """What one pair of values says: AGREE, DIFFER or UNCLEAR."""
        d = abs(a - b)
        if d <= self.allowed(a, b):
            return AGREE
        if self.disagree is not None and not d > self.disagree * self.scale.of(a, b):
            return UNCLEAR
        return DIFFER

    def within(self, absolute: float = 0.0, relative: float = 0.0) -> Policy:
        """This policy's sampling with a user's tolerance instead of its own.

        Agreement is ``|a - b| <= (absolute + relative*max(|a|, |b|) + floor*max(1, |b|))*(1 + 1e-9)``
        with ``floor`` the smaller of 1e-12 and a thousandth of the tolerance, and anything else is
        a difference; of the proofs only the exact-form ones are kept.

        >>> p = GRADING.within(absolute=0.005)
        >>> p.judge(1.22, 1.2249), p.judge(1.22, 1.2251)
        ('agree', 'differ')
        >>> GRADING.within(absolute=5e-11).judge(0.1963495409, 0.19634954084936)  # 0.507 units off
        'differ'
        """
        tolerance = absolute + relative
        floor = min(TOLERANCE_FLOOR, 1e-3 * tolerance) if tolerance > 0 else TOLERANCE_FLOOR
        return dataclasses.replace(
            self,
            name=f"{self.name} within ±{absolute:g} + {relative:g} relative",
            relative=relative,
            absolute=absolute,
            scale=Scale.LARGER,
            combine="sum",
            floor=floor,
            slack=TOLERANCE_SLACK,
            disagree=None,
            symbolic=tuple(s for s in self.symbolic if s in (DIFFERENCE, EXPAND)),
            simplify_seconds=None,
            exact=False,
        )

    def with_error(self, error: float) -> Policy:
        """This policy allowing ``error_multiple`` times a numeric estimate's ``error``, absolutely."""
        return dataclasses.replace(self, absolute=self.error_multiple * error)

    def at(self, xs: Sequence[sp.Expr]) -> Policy:
        """This policy sampling the first variable at ``xs`` (Points.SEEDED), and nothing but sampling."""
        return dataclasses.replace(
            self,
            name=f"{self.name} at given points",
            abscissas=tuple(xs),
            identical=False,
            symbolic=(),
            simplify_seconds=None,
        )


GRADING = Policy(
    "grading",
    relative=1e-12,
    disagree=1e-8,
    scale=Scale.UNIT,
    min_points=30,
    target=40,
    max_points=240,
    seconds=1.5,
    points=Points.SIMPLE_FIRST,
    evaluation=Evaluation.MPMATH,
    digits=30,
    confirm=True,
    symbolic=(EXPAND, TRIG),
    simplify_seconds=2.0,
    max_ops=250,
    exact=True,
    breakpoints=True,
)
STEP = Policy(
    "step",
    relative=1e-8,
    scale=Scale.SUM,
    min_points=2,
    target=3,
    points=Points.FIXED,
    evaluation=Evaluation.EVALF,
    digits=15,
    symbolic=(DIFFERENCE,),
)
WORKED_INTEGRAL = dataclasses.replace(STEP, name="worked integral", identical=False, symbolic=(), simplify_seconds=3.0)
ANTIDERIVATIVE = Policy(
    "antiderivative",
    relative=1e-10,
    scale=Scale.LARGER,
    negligible=1e-15,
    min_points=5,
    points=Points.SEEDED,
    evaluation=Evaluation.EVALF_SUBS,
    digits=30,
    one_sided=True,
    simplify_seconds=math.inf,
)
QUADRATURE = Policy(
    "quadrature",
    relative=1e-9,
    scale=Scale.REFERENCE,
    combine="max",
    error_multiple=100.0,
    min_points=1,
    evaluation=Evaluation.COMPLEX,
    digits=20,
    identical=False,
)


@dataclass(frozen=True, slots=True)
class Evidence:
    """What :func:`compare` found: the verdict, how it knows, and a point where the sides differ.

    ``agreeing`` counts the sample points that agreed; ``a_value`` and ``b_value`` are the
    values at ``witness`` (``a_value`` is None where only ``b`` has one, under ``one_sided``).
    """

    verdict: str  # EQUAL | DIFFERENT | UNKNOWN
    how: str  # IDENTICAL, DIFFERENCE, EXPAND, TRIG, NUMERIC or SIMPLIFY
    policy: str
    symbols: tuple[sp.Symbol, ...] = ()
    agreeing: int = 0
    timed_out: bool = False
    witness: Point | None = None
    a_value: Value = None
    b_value: Value = None
    constant: sp.Expr | None = None  # how CONSTANT: a - b, a nonzero number; how FACTOR: a / b, not 1
    uncovered: str = ""  # sampling agreed but missed this (a side of a breakpoint): why it is UNKNOWN

    @property
    def equal(self) -> bool:
        return self.verdict == EQUAL

    @property
    def different(self) -> bool:
        return self.verdict == DIFFERENT

    @property
    def decided(self) -> bool | None:
        """True for equal, False for different, None when unknown."""
        return {EQUAL: True, DIFFERENT: False}.get(self.verdict)


def _within_budget(seconds: float, budget: Budget | None) -> float:
    return seconds if budget is None or math.isinf(seconds) else min(seconds, budget.remaining())


# --------------------------------------------------------------------------- proofs


def _difference(a: sp.Expr, b: sp.Expr, policy: Policy, budget: Budget | None) -> bool:
    return bool(a - b == 0)


def _expand(a: sp.Expr, b: sp.Expr, policy: Policy, budget: Budget | None) -> bool:
    return bool(sp.expand(a - b) == 0) if ops(a - b) < EXPAND_MAX_OPS else False


def _trig(a: sp.Expr, b: sp.Expr, policy: Policy, budget: Budget | None) -> bool:
    """``expand``, then ``expand_trig`` and a sin/cos rewrite, under a short deadline."""
    d = a - b
    if d == 0:
        return True
    if policy.max_ops is not None and ops(d) > policy.max_ops:
        return False

    def expanded() -> bool:
        if sp.expand(d) == 0:
            return True
        if d.has(sp.sin, sp.cos, sp.tan, sp.sec, sp.csc, sp.cot):
            t = sp.expand(sp.expand_trig(d))
            if t == 0:
                return True
            return sp.expand(t.rewrite(sp.cos).rewrite(sp.sin)) == 0 if ops(t) < 80 else False
        return False

    return bool(attempt(expanded, _within_budget(TRIG_SECONDS, budget), unbounded_ok=False))


CONSTANT_DIGITS = 60  # a constant difference is evaluated at this many digits and 30 more ...
CONSTANT_ZERO = 45  # ... and is nonzero when it is above 10**-45 and the two agree


def nonzero_constant(d: Any) -> sp.Expr | None:
    """``d`` if it is a number that is certainly not 0 (exactly, or at two precisions), else None.

    >>> nonzero_constant(sp.Rational(1, 10**30)), nonzero_constant(sp.log(6) - sp.log(2) - sp.log(3))
    (1/1000000000000000000000000000000, None)
    """
    if not isinstance(d, sp.Expr) or d.free_symbols or not d.is_number or d.has(sp.oo, -sp.oo, sp.zoo, sp.nan):
        return None
    if d.is_Rational:
        return None if d == 0 else d
    try:
        lo, hi = sp.N(d, CONSTANT_DIGITS), sp.N(d, CONSTANT_DIGITS + 30)
        lo_c, hi_c = complex(lo), complex(hi)
        if not all(math.isfinite(v) for v in (hi_c.real, hi_c.imag)):
            return None
        big = abs(sp.N(sp.Abs(hi), 20)) > sp.Float(10) ** -CONSTANT_ZERO
        stable = abs(sp.N(lo - hi, 20)) <= sp.Float(10) ** -(CONSTANT_DIGITS - 10) * max(1, abs(lo_c))
    except (TypeError, ValueError, ArithmeticError, AttributeError):
        return None
    return d if bool(big) and bool(stable) else None


def _constant_difference(a: sp.Expr, b: sp.Expr, budget: Budget | None) -> sp.Expr | None:
    """``a - b`` as built or expanded, when that is a nonzero number: then a and b differ everywhere."""
    d = a - b
    if not d.free_symbols:
        return nonzero_constant(d)
    if ops(d) >= EXPAND_MAX_OPS:
        return None
    e = attempt(lambda: sp.expand(d), _within_budget(TRIG_SECONDS, budget), unbounded_ok=False)
    return nonzero_constant(e) if isinstance(e, sp.Expr) and not e.free_symbols else None


def _constant_factor(a: sp.Expr, b: sp.Expr, budget: Budget | None) -> sp.Expr | None:
    """``a / b`` (cancelled) when that is a number other than 1: then a and b differ wherever b is not 0."""
    if not (a.free_symbols or b.free_symbols) or a == 0 or b == 0 or ops(a) + ops(b) >= EXPAND_MAX_OPS:
        return None
    q = attempt(lambda: sp.cancel(a / b), _within_budget(TRIG_SECONDS, budget), unbounded_ok=False)
    if not isinstance(q, sp.Expr) or q.free_symbols or nonzero_constant(q) is None:
        return None
    return q if nonzero_constant(q - 1) is not None else None


_PROOFS: dict[str, Callable[[sp.Expr, sp.Expr, Policy, Budget | None], bool]] = {
    DIFFERENCE: _difference,
    EXPAND: _expand,
    TRIG: _trig,
}


def _simplifies(a: sp.Expr, b: sp.Expr, policy: Policy, budget: Budget | None) -> bool:
    """``simplify(a - b) == 0``: under the caller's deadline (inf), else bounded here or not at all."""
    seconds = policy.simplify_seconds
    assert seconds is not None
    d = a - b
    if math.isinf(seconds):
        return bool(sp.simplify(d) == 0)
    if policy.max_ops is not None and ops(d) > policy.max_ops:
        return False
    return attempt(lambda: sp.simplify(d) == 0, _within_budget(seconds, budget), unbounded_ok=False) is True


# --------------------------------------------------------------------------- sampling


@dataclass
class _Sweep:
    agreeing: int = 0
    tried: int = 0
    samples: list[tuple[Point, Value, Value]] = field(default_factory=list)
    differs: tuple[Point, Value, Value] | None = None
    timed_out: bool = False


def _sweep(
    a: Any,
    b: Any,
    symbols: Sequence[sp.Symbol],
    policy: Policy,
    judge: Callable[[Value, Value], str] | None,
    budget: Budget | None,
    first: Sequence[Point] = (),
    skip: Callable[[Point], bool] | None = None,
) -> _Sweep:
    """Both sides at the policy's points; stop at a (confirmed) difference or at ``target`` agreeing points."""
    value = evaluator(policy.evaluation, a, b, policy.digits)
    out = _Sweep()
    seconds = None if policy.seconds is None else _within_budget(policy.seconds, budget)
    start = time.monotonic()
    try:
        with contextlib.nullcontext() if seconds is None else limited(seconds + 0.5):
            for point in itertools.chain(first, points(policy.points, symbols, policy.abscissas)):
                if (policy.target is not None and out.agreeing >= policy.target) or (
                    policy.max_points is not None and out.tried >= policy.max_points
                ):
                    break
                if seconds is not None and time.monotonic() - start > seconds:
                    out.timed_out = True
                    break
                if point is None or (skip is not None and skip(point)):
                    continue
                out.tried += 1
                try:
                    vb = value(b, point)
                except Undefined:
                    continue
                try:
                    va = value(a, point)
                except Undefined:
                    if policy.one_sided:
                        out.differs = (point, None, vb)
                        break
                    continue
                if policy.negligible and max(abs(va), abs(vb)) < policy.negligible:
                    continue  # both (nearly) zero: says little either way
                verdict = AGREE if judge is None else judge(va, vb)
                if verdict == AGREE:
                    out.agreeing += 1
                    out.samples.append((point, va, vb))
                elif verdict == DIFFER and (
                    not policy.confirm
                    or confirmed(a, b, point, policy.digits, lambda g, e: policy.judge(g, e) == DIFFER)
                ):
                    out.samples.append((point, va, vb))
                    out.differs = (point, va, vb)
                    break
    except DeadlineExceeded:
        if seconds is None:
            raise  # the caller's deadline: not this comparison's to absorb
        out.timed_out = True
    return out


def _sides(a: Any, b: Any, policy: Policy) -> tuple[Any, Any]:
    if policy.evaluation is Evaluation.COMPLEX:
        return a, b  # numbers may stay Python numbers
    return as_expr(a), as_expr(b)


def compare(
    a: Any, b: Any, variables: Sequence[sp.Symbol] = (), policy: Policy = GRADING, budget: Budget | None = None
) -> Evidence:
    """Whether ``a`` and ``b`` are the same function of ``variables`` (and of any other free symbol).

    ``b`` is the reference side (the expected answer, the integrand, the estimate).  ``budget``
    is the computation's: no sampling or simplification this comparison bounds runs past its
    ``remaining()``.  An error the policy's evaluation does not read as "no value here"
    propagates, and so does the caller's own soft deadline when the policy has none.

    >>> x = sp.Symbol("x", real=True)
    >>> compare(sp.diff(x**3 / 3, x), x**2, (x,), ANTIDERIVATIVE).how
    'identical'
    >>> compare(sp.diff(x**2 / 2, x), sp.Abs(x), (x,), ANTIDERIVATIVE).witness
    {x: -1373/500}
    """
    a, b = _sides(a, b, policy)
    symbols = order(a, b, variables, policy.points)

    def evidence(verdict: str, how: str, sweep: _Sweep | None = None) -> Evidence:
        if sweep is None:
            return Evidence(verdict, how, policy.name, symbols)
        where = sweep.differs or (None, None, None)
        return Evidence(verdict, how, policy.name, symbols, sweep.agreeing, sweep.timed_out, *where)

    if policy.identical and a == b:
        return evidence(EQUAL, IDENTICAL)
    for proof in policy.symbolic:
        if _PROOFS[proof](a, b, policy, budget):
            return evidence(EQUAL, proof)
    if policy.exact:
        # a - b a nonzero constant, or a / b one other than 1, however close: a witness where both have a value
        how, c = CONSTANT, _constant_difference(a, b, budget)
        if c is None:
            how, c = FACTOR, _constant_factor(a, b, budget)
        if c is not None:  # different wherever both are defined: if they are anywhere (the first such point)
            found = _sweep(a, b, symbols, dataclasses.replace(policy, target=1, confirm=False), None, budget)
            if found.samples:
                return Evidence(DIFFERENT, how, policy.name, symbols, 0, False, *found.samples[0], constant=c)
    breaks = (
        breakpoints.find(a, b, symbols, _within_budget(BREAKPOINT_SECONDS, budget))
        if policy.breakpoints and symbols
        else None
    )
    sweep = _sweep(
        a,
        b,
        symbols,
        policy,
        policy.judge,
        budget,
        breaks.points if breaks else (),
        breaks.on_corner if breaks else None,
    )
    if sweep.differs is not None:
        return evidence(DIFFERENT, NUMERIC, sweep)
    gap = ""
    if sweep.agreeing and (not symbols or sweep.agreeing >= policy.min_points):
        gap = breaks.uncovered(p for p, _, _ in sweep.samples) if breaks else ""
        if not gap:
            return evidence(EQUAL, NUMERIC, sweep)
    if policy.simplify_seconds is not None and _simplifies(a, b, policy, budget):
        return evidence(EQUAL, SIMPLIFY, sweep)
    return dataclasses.replace(evidence(UNKNOWN, NUMERIC, sweep), uncovered=gap)


def sample(
    a: Any, b: Any, variables: Sequence[sp.Symbol], policy: Policy, budget: Budget | None = None
) -> list[tuple[Point, Value, Value]]:
    """The values of both sides at up to ``policy.target`` of its points where both are defined.

    >>> x = sp.Symbol("x", real=True)
    >>> [(p[x], float(g), float(e)) for p, g, e in sample(2 * x, x, (x,), dataclasses.replace(GRADING, target=2))]
    [(1, 2.0, 1.0), (2, 4.0, 2.0)]
    """
    a, b = _sides(a, b, policy)
    return _sweep(a, b, order(a, b, variables, policy.points), policy, None, budget).samples
