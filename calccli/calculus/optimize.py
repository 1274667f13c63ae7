"""Numerical optimisation: gradient descent, Newton's method, and the methods side by side.

f, its gradient and its Hessian are differentiated exactly, then compiled once from SymPy's tree
(``sympy.lambdify`` with dummified symbols, to the ``math`` module: plain Python floats are the
fastest for a few variables) — never from the user's text.  The iterations run in floats; a value
that stops being finite ends a run at the step where it appears, with the trace kept up to there.

>>> from calccli.formula.grammar import formula
>>> r = descend(formula("x^2 + y^2 - 2x - 4y + 5"), (sp.Integer(5), sp.Integer(5)))
>>> r.status, [round(c, 6) for c in r.final], r.exact
('converged', [1.0, 2.0], {x: 1, y: 2})
"""

from __future__ import annotations

import contextlib
import math
import time
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import sympy as sp

from calccli import limits
from calccli.calculus.common import differentiate
from calccli.errors import ArgumentError, CalcError, MathError, UsageError
from calccli.formula.grammar import Formula
from calccli.process.budget import Budget, DeadlineExceeded, soft_deadline
from calccli.results.critical import CriticalPoint
from calccli.results.optimize import (
    BFGS,
    CONVERGED,
    DIVERGED,
    FIXED,
    LINE_SEARCH,
    MAX_STEPS,
    MOMENTUM,
    NEWTON,
    OSCILLATING,
    SINGULAR_JACOBIAN,
    STALLED,
    TIMED_OUT,
    Comparison,
    Descent,
    DescentStep,
    MethodRun,
    Nearest,
    Newton,
    NewtonStep,
    QuadraticBound,
)
from calccli.results.values import Point, text

MAX_STEPS_LIMIT = limits.MAX_STEPS  # the largest max_steps accepted (README, Limits)
MAX_ROWS = 1_000  # a trace keeps at most this many rows (and the last), thinned evenly
ARMIJO = 1e-4  # sufficient decrease: f(θ − t∇f) ≤ f(θ) − ARMIJO·t·|∇f|²
HALVINGS = 60  # a line search halves the rate at most this often before it gives up
DIVERGE_STREAK = 20  # f rising at this many consecutive steps ...
DIVERGE_GROWTH = 100.0  # ... while |∇f| is this many times its smallest value so far: diverged
RUNAWAY = 1e150  # |θ| beyond this: diverged
OSCILLATION_WINDOW = 50  # sign flips in a row along one coordinate, |∇f| not halving over them: oscillating
CLOCK_EVERY = 256  # descent steps between looks at the clock
ITERATION_SHARE = 0.8  # of the time left, what the iterations may use (the rest: the critical-point search)
CRITICAL_SECONDS = 5.0  # at most this long looking for the nearest critical point
ROUNDING = 1e-15  # a rise in f this small against |f| is rounding: a step making it counts as downhill if |∇f| shrinks
SINGULAR = 1e-12  # |λ|_min ≤ SINGULAR·|λ|_max: the Hessian (Jacobian) is treated as singular
CLOSE = 1e-6  # an end point this close (relative) to an exact critical point or root is taken to be it
AGREEMENT = 1e-4  # converged runs of a comparison agree when their end points are this close (relative)
MOMENTUM_IN_COMPARISON = 0.9

Vector = list[float]


# --------------------------------------------------------------------------- compiling


class _Compiled:
    """Numeric functions of the variables compiled from SymPy expressions: a list of floats per call.

    A value that cannot be computed (a domain error, an overflow, a complex result) is NaN.
    """

    def __init__(self, exprs: Sequence[sp.Expr], variables: Sequence[sp.Symbol], probe: Sequence[float]) -> None:
        self.size = len(exprs)
        # SymPy prints its own tree (built by calccli's parser from allow-listed names); no user text.
        self.fn = sp.lambdify(list(variables), list(exprs), modules="math", dummify=True)
        try:
            self.fn(*probe)
        except NameError:  # a function the math module lacks (a Bessel function, ...): NumPy has it
            self.fn = sp.lambdify(list(variables), list(exprs), modules="numpy", dummify=True)
        except (ArithmeticError, ValueError, TypeError):
            pass

    def __call__(self, theta: Sequence[float]) -> Vector:
        try:
            return [float(v) for v in self.fn(*theta)]
        except (ArithmeticError, ValueError, TypeError):
            return [math.nan] * self.size


@dataclass
class _Problem:
    """A scalar f compiled: its value, gradient and (compiled on first use) Hessian."""

    expr: sp.Expr
    variables: tuple[sp.Symbol, ...]
    start: tuple[sp.Expr, ...]
    theta0: Vector
    gradient_exprs: list[sp.Expr]
    f: _Compiled
    grad: _Compiled
    _hessian: _Compiled | None = field(default=None)

    def value(self, theta: Sequence[float]) -> float:
        return self.f(theta)[0]

    def hessian(self, theta: Sequence[float]) -> list[Vector]:
        if self._hessian is None:
            flat = [differentiate(g, v) for g in self.gradient_exprs for v in self.variables]
            self._hessian = _Compiled(flat, self.variables, self.theta0)
        n = len(self.variables)
        h = self._hessian(theta)
        return [h[i * n : (i + 1) * n] for i in range(n)]


def _floats(start: Sequence[sp.Expr], variables: tuple[sp.Symbol, ...]) -> Vector:
    if len(start) != len(variables):
        names = ", ".join(v.name for v in variables)
        raise ArgumentError(
            "start",
            f"{{arg}} has {len(start)} coordinate{'s' if len(start) != 1 else ''} but f has "
            f"{len(variables)} variable{'s' if len(variables) != 1 else ''} ({names})",
        )
    try:
        out = [float(sp.N(s, 17)) for s in start]
    except (TypeError, ValueError):
        raise ArgumentError("start", "{arg} must be real numbers") from None
    if not all(math.isfinite(c) for c in out):
        raise ArgumentError("start", "{arg} must be finite")
    return out


def _common_checks(f: Formula, tol: float, max_steps: int) -> None:
    if not f.variables:
        raise UsageError("the formula has no variables")
    if f.parameters:
        held = ", ".join(p.name for p in f.parameters)
        raise UsageError(
            f"a numerical method needs numbers: {held} {'has' if len(f.parameters) == 1 else 'have'} no value"
        )
    if not (tol > 0 and math.isfinite(tol)):
        raise ArgumentError("tol", "{arg} must be > 0")
    if not 1 <= max_steps <= MAX_STEPS_LIMIT:
        raise ArgumentError("max_steps", f"{{arg}} must be between 1 and {MAX_STEPS_LIMIT:,}")


def _problem(f: Formula, start: Sequence[sp.Expr], tol: float, max_steps: int, what: str) -> _Problem:
    _common_checks(f, tol, max_steps)
    if f.is_vector:
        raise ArgumentError(
            "roots",
            f"{what} minimises a scalar formula, not a vector [f1, ..., fn] (a system F = 0 is solved by Newton's method with {{arg}})",
        )
    expr, variables = f.exprs[0], f.variables
    theta0 = _floats(start, variables)
    grads = [differentiate(expr, v) for v in variables]
    p = _Problem(
        expr,
        variables,
        tuple(start),
        theta0,
        grads,
        _Compiled([expr], variables, theta0),
        _Compiled(grads, variables, theta0),
    )
    where = _point_words(variables, start)
    if not math.isfinite(p.value(theta0)):
        raise MathError(f"the start {where} is outside f's domain: f is not finite there")
    if not all(math.isfinite(g) for g in p.grad(theta0)):
        raise MathError(f"the start {where} is outside the domain of ∇f: the gradient is not finite there")
    return p


def _point_words(variables: Sequence[sp.Symbol], coords: Iterable[sp.Expr | float]) -> str:
    values = [text(c) if isinstance(c, sp.Basic) else f"{c:.6g}" for c in coords]
    if len(variables) == 1:
        return f"{variables[0].name} = {values[0]}"
    return f"({', '.join(v.name for v in variables)}) = ({', '.join(values)})"


def _norm(v: Sequence[float]) -> float:
    return math.hypot(*v)  # inf, never an OverflowError, for a huge vector


def _distance(a: Sequence[float], b: Sequence[float]) -> float:
    return math.dist(a, b)


def _finite(*vectors: Sequence[float]) -> bool:
    return all(math.isfinite(c) for v in vectors for c in v)


def _rounding_level(new: float, old: float) -> bool:
    """``new`` is not above ``old`` by more than rounding: a step there still counts as downhill if |∇f| shrinks."""
    return new <= old + ROUNDING * abs(old)


def _deadline(budget: Budget | None) -> float:
    left = math.inf if budget is None else budget.remaining()
    return time.monotonic() + ITERATION_SHARE * left if math.isfinite(left) else math.inf


def _steps_words(steps: Sequence[int]) -> str:
    """``0–3, 7``: step numbers with runs written as ranges."""
    parts: list[str] = []
    i = 0
    while i < len(steps):
        j = i
        while j + 1 < len(steps) and steps[j + 1] == steps[j] + 1:
            j += 1
        parts.append(str(steps[i]) if i == j else f"{steps[i]}–{steps[j]}")
        i = j + 1
    return ("step " if len(steps) == 1 else "steps ") + ", ".join(parts)


# --------------------------------------------------------------------------- the critical point nearby


def _nearest_critical(f: Formula, end: Sequence[float], budget: Budget | None) -> tuple[Nearest | None, str | None]:
    """The critical point ``classify`` finds nearest to ``end``, or None and why not."""
    from calccli.calculus.critical import classify

    left = math.inf if budget is None else budget.remaining()
    seconds = min(CRITICAL_SECONDS, 0.5 * left)
    if seconds <= 0.05:
        return None, "no time was left to look for the critical points"
    try:
        with soft_deadline(seconds):
            found = classify(f, budget=Budget(seconds, simplify_seconds=seconds / 2))
    except DeadlineExceeded:
        return None, "the search for critical points ran out of time"
    except CalcError as e:
        return None, f"the critical points could not be found ({e.message})"
    best: tuple[float, CriticalPoint] | None = None
    for p in found.points:
        if p.family or p.numeric is None:
            continue
        d = _distance(end, [p.numeric[v] for v in f.variables])
        if math.isfinite(d) and (best is None or d < best[0]):
            best = (d, p)
    if best is None:
        return None, "classify found no isolated critical point to compare the end point with"
    return Nearest(best[1], best[0]), None


def _is_at(nearest: Nearest | None, end: Sequence[float]) -> bool:
    return nearest is not None and nearest.distance <= CLOSE * (1 + _norm(end))


# --------------------------------------------------------------------------- the quadratic bound


def _quadratic_bound(p: _Problem, rate: float, momentum: float) -> QuadraticBound | None:
    """For a quadratic f: its constant Hessian's eigenvalues and the fixed rates that converge."""
    try:
        poly = sp.Poly(p.expr, *p.variables)
    except sp.PolynomialError:
        return None
    if poly.total_degree() > 2 or not all(c.is_real for c in poly.coeffs()):
        return None
    H = sp.hessian(p.expr, p.variables)
    eigen: list[sp.Expr] = []
    try:
        with soft_deadline(1.0):
            for value, multiplicity in H.eigenvals().items():
                eigen += [value] * multiplicity
    except DeadlineExceeded:
        eigen = []
    if len(eigen) != H.rows or not all(e.is_real is True for e in eigen):
        import numpy as np

        eigen = [sp.Float(e) for e in np.linalg.eigvalsh(np.array(H.tolist(), dtype=float))]
    eigen.sort(key=lambda e: float(e))
    low, high = eigen[0], eigen[-1]
    bound = 2 * (1 + sp.nsimplify(momentum)) / high if high.is_positive else sp.oo
    best = 2 / (low + high) if low.is_positive and not momentum else None
    stable = bool(low.is_nonnegative) and rate < float(bound)
    return QuadraticBound(H, tuple(eigen), high, sp.simplify(bound), best, rate, stable)


def _quadratic_note(q: QuadraticBound, status: str, momentum: float) -> str:
    lam, bound = text(q.lambda_max), text(q.bound)
    low = q.eigenvalues[0]
    limit = "2(1+β)/λ_max" if momentum else "2/λ_max"
    if low.is_negative:
        return (
            f"f is quadratic and its Hessian has a negative eigenvalue ({text(low)}): f has no minimum, "
            "so descent cannot converge"
        )
    if not q.stable:
        verb = "diverges" if status == DIVERGED else "does not converge"
        return f"rate {q.rate:g} {verb}: this f is quadratic with λ_max = {lam}, so any rate below {limit} = {bound} converges"
    said = f"this f is quadratic with λ_max = {lam}: a fixed rate converges iff it is below {limit} = {bound}"
    if q.best_rate is not None:
        said += f"; the fastest fixed rate is 2/(λ_min + λ_max) = {text(q.best_rate)}"
    if low.is_zero:
        said += " (λ_min = 0: the minimisers, if f has any, are not isolated)"
    return said


def _local_rate_note(p: _Problem, momentum: float) -> str | None:
    """For a non-quadratic f that diverged: the rates stable near the start, from the Hessian there."""
    import numpy as np

    H = p.hessian(p.theta0)
    if not _finite(*H):
        return None
    top = float(np.linalg.eigvalsh(np.array(H)).max())
    if top <= 0:
        return None
    limit = 2 * (1 + momentum) / top
    return (
        f"f is not quadratic; at the start the Hessian's largest eigenvalue is {top:.4g}, so rates below "
        f"{'2(1+β)' if momentum else '2'}/λ_max ≈ {limit:.3g} are stable near there (a local estimate)"
    )


# --------------------------------------------------------------------------- gradient descent


@dataclass
class _Trace:
    """The rows kept: every ``every``-th step, halved evenly whenever more than MAX_ROWS pile up."""

    every: int
    rows: list[DescentStep] = field(default_factory=list)
    thinned: bool = False

    def wants(self, k: int) -> bool:
        return k % self.every == 0

    def add(self, row: DescentStep) -> None:
        self.rows.append(row)
        if len(self.rows) >= MAX_ROWS:
            self.rows = self.rows[::2]
            self.every *= 2
            self.thinned = True

    def close(self, last: DescentStep) -> tuple[DescentStep, ...]:
        if self.rows[-1].step != last.step:
            self.rows.append(last)
        return tuple(self.rows)


@dataclass
class _Run:
    status: str
    steps: int
    theta: Vector
    value: float
    gnorm: float
    seconds: float
    notes: list[str]
    trace: tuple[DescentStep, ...] = ()
    every: int = 1


def _run_descent(
    p: _Problem,
    rate: float,
    line_search: bool,
    momentum: float,
    tol: float,
    max_steps: int,
    every: int,
    deadline: float,
) -> _Run:
    """The iteration itself, in plain floats."""
    began = time.perf_counter()
    value, grad = p.value, p.grad
    theta = list(p.theta0)
    fx, g = value(theta), grad(theta)
    gn = _norm(g)
    n = len(theta)
    trace = _Trace(every)
    trace.add(DescentStep(0, tuple(theta), fx, gn, None, None))
    velocity = [0.0] * n
    flips = [0] * n  # per coordinate: the steps in a row at which the gradient's sign flipped
    flipped_from = [gn] * n  # |∇f| when that run of flips began
    smallest, rising = gn, 0
    notes: list[str] = []
    status, k, length, used = MAX_STEPS, 0, 0.0, rate
    for k in range(1, max_steps + 1):
        if gn < tol:
            k -= 1
            status = CONVERGED
            break
        if not k % CLOCK_EVERY and time.monotonic() > deadline:
            k -= 1
            status = TIMED_OUT
            notes.append(f"the time limit stopped the run after {k:,} steps: the trace is incomplete")
            break
        if line_search:
            used, target, slope = rate, fx, ARMIJO * gn * gn
            for _ in range(HALVINGS):
                new = [t - used * d for t, d in zip(theta, g, strict=True)]
                fn = value(new)
                if fn <= target - used * slope or (_rounding_level(fn, fx) and _norm(grad(new)) < gn):
                    break
                used *= 0.5
            else:
                k -= 1
                status = STALLED
                notes.append(
                    f"at step {k + 1} no rate down to {used:.3g} decreased f enough along −∇f "
                    f"(|∇f| = {gn:.3g}): rounding error hides any further decrease"
                )
                break
        elif momentum:
            velocity = [momentum * v - rate * d for v, d in zip(velocity, g, strict=True)]
            new = [t + v for t, v in zip(theta, velocity, strict=True)]
            fn = value(new)
        else:
            new = [t - rate * d for t, d in zip(theta, g, strict=True)]
            fn = value(new)
        gnew = grad(new)
        length = _distance(new, theta)
        rising = rising + 1 if fn > fx else 0
        for i in range(n):
            if gnew[i] * g[i] < 0:
                flips[i] += 1
            else:
                flips[i], flipped_from[i] = 0, gn
        theta, fx, g = new, fn, gnew
        gn = _norm(g)
        if trace.wants(k):
            trace.add(DescentStep(k, tuple(theta), fx, gn, length, used))
        if not (math.isfinite(fx) and _finite(g, theta)):
            status = DIVERGED
            what = "the point" if not _finite(theta) else "f" if not math.isfinite(fx) else "∇f"
            notes.append(f"at step {k} {what} stopped being finite: the iteration overflowed or left f's domain")
            break
        smallest = min(smallest, gn)
        if (rising >= DIVERGE_STREAK and gn >= DIVERGE_GROWTH * smallest) or max(map(abs, theta)) > RUNAWAY:
            status = DIVERGED
            notes.append(
                f"f rose at each of the last {rising} steps while |∇f| grew {gn / smallest:.3g}-fold: the iterates run away"
                if rising >= DIVERGE_STREAK
                else f"|θ| passed {RUNAWAY:g} at step {k}: the iterates run away"
            )
            break
    seconds = time.perf_counter() - began
    if status == MAX_STEPS:
        notes.append(f"not converged: |∇f| = {gn:.3g} is still ≥ tol = {tol:g} after {k:,} steps")
        bouncing = [i for i in range(n) if flips[i] >= OSCILLATION_WINDOW and gn >= 0.5 * flipped_from[i]]
        if bouncing:
            status = OSCILLATING
            notes.append(
                f"the gradient's sign along {', '.join(p.variables[i].name for i in bouncing)} flipped at each of "
                f"the last {min(flips[i] for i in bouncing):,} steps while |∇f| did not shrink: the iterates "
                "bounce across the valley (the rate is at or past the edge of stability)"
            )
    last = DescentStep(k, tuple(theta), fx, gn, length if k else None, used if k else None)
    rows = trace.close(last)
    if trace.thinned:
        notes.append(f"the trace keeps one step in {trace.every:,} (thinned to at most {MAX_ROWS:,} rows) and the last")
    return _Run(status, k, theta, fx, gn, seconds, notes, rows, trace.every)


def descend(
    f: Formula,
    start: Sequence[sp.Expr],
    rate: float = 0.1,
    *,
    line_search: bool = False,
    momentum: float = 0.0,
    tol: float = 1e-8,
    max_steps: int = 10_000,
    every: int = 1,
    budget: Budget | None = None,
) -> Descent:
    """Gradient descent θ ← θ − η∇f from ``start``: fixed rate, Armijo backtracking, or heavy-ball momentum.

    Stops when |∇f| < ``tol`` or after ``max_steps``; detects divergence and oscillation; for a
    quadratic f gives the exact bound 2/λ_max on the rate; compares the end with the nearest
    critical point that ``classify`` finds.

    >>> from calccli.formula.grammar import formula
    >>> r = descend(formula("x^2 + y^2 - 2x - 4y + 5"), (sp.Integer(5), sp.Integer(5)), rate=1.1)
    >>> r.status, r.quadratic.bound, r.exit_code
    ('diverged', 1, 1)
    >>> [round(c, 12) for c in r.trace[1].point]
    [-3.8, -1.6]
    """
    if not (rate > 0 and math.isfinite(rate)):
        raise ArgumentError("rate", "{arg} must be > 0")
    if not 0 <= momentum < 1:
        raise ArgumentError("momentum", "{arg} must be in [0, 1)")
    if momentum and line_search:
        raise ArgumentError("momentum", "{arg} cannot be combined with a line search")
    if every < 1:
        raise ArgumentError("every", "{arg} must be ≥ 1")
    p = _problem(f, start, tol, max_steps, "gradient descent")
    method = LINE_SEARCH if line_search else MOMENTUM if momentum else FIXED
    quadratic = None if line_search else _quadratic_bound(p, rate, momentum)
    with _quiet():
        run = _run_descent(p, rate, line_search, momentum, tol, max_steps, every, _deadline(budget))
    notes = list(run.notes)
    if quadratic is not None:
        notes.append(_quadratic_note(quadratic, run.status, momentum))
    elif run.status in (DIVERGED, OSCILLATING) and not line_search:
        with _quiet():
            local = _local_rate_note(p, momentum)
        if local is not None:
            notes.append(local)
    nearest, why = _nearest_critical(f, run.theta, budget) if run.status != DIVERGED else (None, None)
    if nearest is None and why is not None:  # when found, the presenter shows it
        notes.append(f"not compared with a critical point: {why}")
    exact = nearest.point.point if run.status == CONVERGED and nearest and _is_at(nearest, run.theta) else None
    return Descent(
        p.expr, p.variables, p.start, method, rate, momentum, tol, max_steps,
        run.status, run.steps, run.trace, run.every, tuple(run.theta), run.value, run.gnorm, run.seconds,
        exact, nearest, quadratic, tuple(notes),
    )  # fmt: skip


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """NumPy's floating-point warnings and SciPy's off: a non-finite value is reported as a status."""
    import numpy as np

    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


# --------------------------------------------------------------------------- Newton's method


def _definiteness(eigen: Sequence[float]) -> str:
    scale = max(abs(e) for e in eigen)
    if scale == 0 or min(abs(e) for e in eigen) <= SINGULAR * scale:
        return "singular"
    if all(e > 0 for e in eigen):
        return "positive definite"
    if all(e < 0 for e in eigen):
        return "negative definite"
    return "indefinite"


_WARNINGS = {
    "singular": "H is singular at {steps}: a gradient step was taken there instead of a Newton step",
    "indefinite": (
        "H is indefinite (eigenvalues of both signs) at {steps}: Newton's method is heading for a saddle point "
        "there, not a minimum"
    ),
    "negative definite": "H is negative definite at {steps}: Newton's method is heading for a maximum there",
}


@dataclass
class _NewtonRun:
    status: str
    points: list[Vector]
    values: list[float]
    residuals: list[float]
    damping: list[float | None]
    kinds: list[str | None]
    notes: list[str]
    seconds: float = 0.0


def _minimise(p: _Problem, tol: float, max_steps: int, deadline: float) -> _NewtonRun:
    import numpy as np

    began = time.perf_counter()
    theta = list(p.theta0)
    fx, g = p.value(theta), p.grad(theta)
    run = _NewtonRun(MAX_STEPS, [theta], [fx], [_norm(g)], [None], [], [])
    for k in range(1, max_steps + 2):
        H = p.hessian(theta)
        if not _finite(*H):
            run.kinds.append(None)
            run.status = DIVERGED
            run.notes.append(f"at step {k - 1} the Hessian is not finite at the point")
            break
        kind = _definiteness(np.linalg.eigvalsh(np.array(H)).tolist())
        run.kinds.append(kind)
        if run.residuals[-1] < tol:
            run.status = CONVERGED
            break
        if k > max_steps:
            break
        if time.monotonic() > deadline:
            run.status = TIMED_OUT
            run.notes.append(f"the time limit stopped the run after {k - 1} steps: the trace is incomplete")
            break
        gv = np.array(g)
        d = -gv if kind == "singular" else -np.linalg.solve(np.array(H), gv)
        t, fnew = 1.0, math.nan
        if float(gv @ d) < 0:  # a descent direction: damp the step until f decreases
            for _ in range(HALVINGS):
                moved = (np.array(theta) + t * d).tolist()
                fnew = p.value(moved)
                if fnew < fx or (_rounding_level(fnew, fx) and _norm(p.grad(moved)) < run.residuals[-1]):
                    break
                t *= 0.5
            else:
                run.status = STALLED
                run.notes.append(
                    f"at step {k} no fraction of the step decreased f (|∇f| = {run.residuals[-1]:.3g}): "
                    "rounding error hides any further decrease"
                )
                break
        new = (np.array(theta) + t * d).tolist()
        fx, g = p.value(new), p.grad(new)
        theta = new
        run.points.append(theta)
        run.values.append(fx)
        run.residuals.append(_norm(g))
        run.damping.append(t)
        if not (math.isfinite(fx) and _finite(g, theta)):
            run.kinds.append(None)
            run.status = DIVERGED
            run.notes.append(f"at step {k} f or ∇f stopped being finite: the iteration left f's domain or overflowed")
            break
    run.seconds = time.perf_counter() - began
    for kind, template in _WARNINGS.items():
        at = [i for i, seen in enumerate(run.kinds) if seen == kind and i < len(run.points) - 1]
        if at:
            run.notes.append(template.format(steps=_steps_words(at)))
    return run


def _solve_roots(
    F: _Compiled,
    J: _Compiled,
    theta0: Vector,
    variables: tuple[sp.Symbol, ...],
    tol: float,
    max_steps: int,
    deadline: float,
) -> _NewtonRun:
    import numpy as np

    began = time.perf_counter()
    n = len(theta0)
    theta = list(theta0)
    r = _norm(F(theta))
    run = _NewtonRun(MAX_STEPS, [theta], [r], [r], [None], [None], [])
    for k in range(1, max_steps + 1):
        if run.residuals[-1] < tol:
            run.status = CONVERGED
            break
        if time.monotonic() > deadline:
            run.status = TIMED_OUT
            run.notes.append(f"the time limit stopped the run after {k - 1} steps: the trace is incomplete")
            break
        jac = np.array(J(theta)).reshape(n, n)
        if not np.all(np.isfinite(jac)):
            run.status = DIVERGED
            run.notes.append(f"at step {k - 1} the Jacobian is not finite at the point")
            break
        singular = np.linalg.svd(jac, compute_uv=False)
        if singular[-1] <= SINGULAR * max(singular[0], 1e-300):
            run.status = SINGULAR_JACOBIAN
            run.notes.append(
                f"the Jacobian is singular at step {k - 1}, at {_point_words(variables, theta)} "
                f"(det J = {np.linalg.det(jac):.3g}): Newton's method cannot take a step from there"
            )
            break
        theta = (np.array(theta) - np.linalg.solve(jac, np.array(F(theta)))).tolist()
        r = _norm(F(theta))
        run.points.append(theta)
        run.values.append(r)
        run.residuals.append(r)
        run.damping.append(1.0)
        run.kinds.append(None)
        if not (math.isfinite(r) and _finite(theta)):
            run.status = DIVERGED
            run.notes.append(f"at step {k} F stopped being finite: the iteration left F's domain or overflowed")
            break
    run.seconds = time.perf_counter() - began
    return run


def _nearest_root(
    exprs: Sequence[sp.Expr], variables: tuple[sp.Symbol, ...], end: Vector, budget: Budget | None
) -> Point | None:
    """The exact real solution of F = 0 nearest ``end`` (when SymPy solves the system in time and it is there)."""
    from calccli.calculus.roots import solve_exact

    left = math.inf if budget is None else budget.remaining()
    seconds = min(CRITICAL_SECONDS, 0.5 * left)
    if seconds <= 0.05:
        return None
    found = solve_exact(exprs, variables, seconds=seconds)
    best: tuple[float, Point] | None = None
    for s in found[0] if found else []:
        if set(s) != set(variables) or any(v.free_symbols for v in s.values()):
            continue
        d = _distance(end, [float(sp.N(s[v], 17)) for v in variables])
        if best is None or d < best[0]:
            best = (d, {v: s[v] for v in variables})
    return best[1] if best is not None and best[0] <= CLOSE * (1 + _norm(end)) else None


def _newton_rows(run: _NewtonRun, target: Vector) -> tuple[NewtonStep, ...]:
    errors = [_distance(q, target) if _finite(q) else math.nan for q in run.points]
    floor = 1e-14 * (1 + _norm(target))
    rows = []
    for k, q in enumerate(run.points):
        ratio = None
        if k and errors[k - 1] > 0 and errors[k] > floor:
            ratio = errors[k] / errors[k - 1] ** 2
        length = _distance(q, run.points[k - 1]) if k else None
        kind = run.kinds[k] if k < len(run.kinds) else None
        rows.append(
            NewtonStep(k, tuple(q), run.values[k], run.residuals[k], length, run.damping[k], kind, errors[k], ratio)
        )
    return tuple(rows)


def newton(
    f: Formula,
    start: Sequence[sp.Expr],
    *,
    roots: bool = False,
    tol: float = 1e-12,
    max_steps: int = 100,
    budget: Budget | None = None,
) -> Newton:
    """Newton's method from ``start``: minimisation θ ← θ − H⁻¹∇f (damped), or with ``roots`` F = 0: θ ← θ − J⁻¹F.

    Each row has the error |θ_k − θ*| and e_k/e_{k−1}², so quadratic convergence shows; the notes say
    where H was singular, indefinite or negative definite (heading for a saddle or a maximum).

    >>> from calccli.formula.grammar import formula
    >>> r = newton(formula("x^4 + y^4 - 4x y + 1"), (sp.Integer(2), sp.Integer(2)))
    >>> r.status, r.exact, r.target
    ('converged', {x: 1, y: 1}, 'critical point')
    >>> r = newton(formula("[x^2 + y^2 - 4, x - y]"), (sp.Integer(1), sp.Integer(2)), roots=True)
    >>> r.exact
    {x: sqrt(2), y: sqrt(2)}
    """
    if roots:
        return _newton_roots(f, start, tol, max_steps, budget)
    p = _problem(f, start, tol, max_steps, "Newton's method")
    with _quiet():
        run = _minimise(p, tol, max_steps, _deadline(budget))
    end = run.points[-1]
    nearest, why = _nearest_critical(f, end, budget) if run.status != DIVERGED else (None, None)
    notes = list(run.notes)
    if nearest is None and why is not None:  # when found, the presenter shows it
        notes.append(f"not compared with a critical point: {why}")
    exact, target = None, end
    if nearest is not None and _is_at(nearest, end):
        exact = nearest.point.point
        target = [nearest.point.numeric[v] for v in p.variables]  # type: ignore[index]
    rows = _newton_rows(run, target)
    return Newton(
        (p.expr,), p.variables, False, p.start, tol, max_steps, run.status, len(run.points) - 1, rows,
        tuple(end), run.values[-1], run.residuals[-1], run.seconds,
        "critical point" if exact is not None else "final point", exact, nearest, tuple(notes),
    )  # fmt: skip


def _newton_roots(f: Formula, start: Sequence[sp.Expr], tol: float, max_steps: int, budget: Budget | None) -> Newton:
    _common_checks(f, tol, max_steps)
    exprs, variables = f.exprs, f.variables
    if len(exprs) != len(variables):
        raise UsageError(
            f"Newton's method for roots needs as many equations as unknowns: {len(exprs)} "
            f"equation{'s' if len(exprs) != 1 else ''} in {len(variables)} variable{'s' if len(variables) != 1 else ''}"
        )
    theta0 = _floats(start, variables)
    F = _Compiled(exprs, variables, theta0)
    J = _Compiled([differentiate(e, v) for e in exprs for v in variables], variables, theta0)
    if not _finite(F(theta0)):
        raise MathError(f"the start {_point_words(variables, start)} is outside F's domain: F is not finite there")
    with _quiet():
        run = _solve_roots(F, J, theta0, variables, tol, max_steps, _deadline(budget))
    end = run.points[-1]
    exact = _nearest_root(exprs, variables, end, budget) if run.status == CONVERGED else None
    target = end if exact is None else [float(sp.N(exact[v], 17)) for v in variables]
    rows = _newton_rows(run, target)
    return Newton(
        tuple(exprs), variables, True, tuple(start), tol, max_steps, run.status, len(run.points) - 1, rows,
        tuple(end), run.values[-1], run.residuals[-1], run.seconds,
        "exact solution" if exact is not None else "final point", exact, None, tuple(run.notes),
    )  # fmt: skip


# --------------------------------------------------------------------------- side by side


def _bfgs(p: _Problem, tol: float, max_steps: int) -> MethodRun:
    """SciPy's BFGS with the exact gradient."""
    import numpy as np
    from scipy.optimize import minimize

    began = time.perf_counter()
    res = minimize(
        lambda x: p.value(x.tolist()),
        np.array(p.theta0),
        jac=lambda x: np.array(p.grad(x.tolist())),
        method="BFGS",
        options={"gtol": tol, "maxiter": max_steps, "norm": 2.0},
    )
    seconds = time.perf_counter() - began
    end = [float(c) for c in res.x]
    gn = _norm(p.grad(end))
    fx = p.value(end)
    if gn < tol:
        status = CONVERGED
    elif not (math.isfinite(fx) and math.isfinite(gn)) or res.status == 3:
        status = DIVERGED
    else:
        status = MAX_STEPS if res.status == 1 else STALLED
    return MethodRun(BFGS, "SciPy, exact gradient", status, int(res.nit), tuple(end), fx, gn, seconds, int(res.nfev))


def compare(
    f: Formula,
    start: Sequence[sp.Expr],
    *,
    rate: float = 0.1,
    tol: float = 1e-8,
    max_steps: int = 10_000,
    budget: Budget | None = None,
) -> Comparison:
    """Descent (fixed rate, line search, momentum 0.9), Newton's method and SciPy's BFGS from one start.

    >>> from calccli.formula.grammar import formula
    >>> c = compare(formula("x^2 + y^2 - 2x - 4y + 5"), (sp.Integer(5), sp.Integer(5)))
    >>> [(r.method, r.status) for r in c.runs][:2], c.agree
    ([('fixed rate', 'converged'), ('line search', 'converged')], True)
    """
    if not (rate > 0 and math.isfinite(rate)):
        raise ArgumentError("rate", "{arg} must be > 0")
    p = _problem(f, start, tol, max_steps, "comparing minimisers")
    deadline = _deadline(budget)
    runs: list[MethodRun] = []
    notes: list[str] = []
    with _quiet():
        for method, search, beta, settings in (
            (FIXED, False, 0.0, f"rate {rate:g}"),
            (LINE_SEARCH, True, 0.0, f"Armijo backtracking from rate {rate:g}"),
            (MOMENTUM, False, MOMENTUM_IN_COMPARISON, f"rate {rate:g}, momentum {MOMENTUM_IN_COMPARISON:g}"),
        ):
            d = _run_descent(p, rate, search, beta, tol, max_steps, 1 << 30, deadline)
            runs.append(MethodRun(method, settings, d.status, d.steps, tuple(d.theta), d.value, d.gnorm, d.seconds))
        nt = _minimise(p, tol, min(max_steps, 1_000), deadline)
        end = nt.points[-1]
        runs.append(
            MethodRun(
                NEWTON, "damped", nt.status, len(nt.points) - 1, tuple(end), nt.values[-1], nt.residuals[-1], nt.seconds
            )
        )
        runs.append(_bfgs(p, tol, max_steps))
    done = [r for r in runs if r.status == CONVERGED]
    agree = all(_distance(r.final, done[0].final) <= AGREEMENT * (1 + _norm(done[0].final)) for r in done)
    if not agree:
        notes.append("the converged methods ended at different points: f has more than one critical point near here")
    nearest = None
    if done:
        nearest, why = _nearest_critical(f, list(done[0].final), budget)
        if nearest is None:
            notes.append(f"not compared with a critical point: {why}")
    else:
        notes.append("no method converged")
    return Comparison(p.expr, p.variables, p.start, tol, tuple(runs), agree, nearest, tuple(notes))
