"""Results of numerical optimisation: gradient descent, Newton's method, and the methods side by side.

The iterations run in floats, so a trace holds floats; what is exact (the Hessian's eigenvalues of
a quadratic f, the critical point the run ends near) is kept as SymPy objects beside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import sympy as sp

from calccli.results.critical import CriticalPoint
from calccli.results.values import Point, jfloat, names, text

# Why a run ended: the values of ``status``.
CONVERGED = "converged"  # |∇f| < tol (descent, Newton), |F| < tol (roots)
MAX_STEPS = "max steps"  # the step limit came first
DIVERGED = "diverged"  # f or |θ| grew without bound, or a value stopped being finite
OSCILLATING = "oscillating"  # at the step limit, the gradient flipping sign along a coordinate, not shrinking
TIMED_OUT = "timed out"  # the time budget ran out: the trace so far is kept, marked incomplete
SINGULAR_JACOBIAN = "singular jacobian"  # roots: J(θ) cannot be inverted
STALLED = "stalled"  # no step along the chosen direction decreases f any more (rounding), |∇f| still ≥ tol
STATUSES = (CONVERGED, MAX_STEPS, DIVERGED, OSCILLATING, TIMED_OUT, SINGULAR_JACOBIAN, STALLED)

# Descent methods (``Descent.method``) and the names of the rows of a comparison.
FIXED, LINE_SEARCH, MOMENTUM, NEWTON, BFGS = "fixed rate", "line search", "momentum", "newton", "bfgs"


def _floats(xs: tuple[float, ...]) -> list[float | str | None]:
    return [jfloat(x) for x in xs]


def _optional_point(p: Point | None, variables: tuple[sp.Symbol, ...]) -> dict[str, str] | None:
    return None if p is None else {v.name: text(p[v]) for v in variables}


@dataclass(frozen=True, slots=True)
class DescentStep:
    """One row of a descent trace: the iterate after ``step`` updates."""

    step: int  # 0 is the start
    point: tuple[float, ...]  # θ_k, in variable order
    value: float  # f(θ_k)
    gradient_norm: float  # |∇f(θ_k)|
    step_length: float | None  # |θ_k − θ_{k−1}| (None at the start)
    rate: float | None  # the rate the step used: η, or the backtracked rate of a line search (None at the start)

    def payload(self) -> dict[str, object]:
        return {
            "step": self.step,
            "point": _floats(self.point),
            "value": jfloat(self.value),
            "gradient_norm": jfloat(self.gradient_norm),
            "step_length": jfloat(self.step_length),
            "rate": jfloat(self.rate),
        }


@dataclass(frozen=True, slots=True)
class QuadraticBound:
    """For a quadratic f (constant Hessian H): the fixed rates for which descent converges.

    Descent with a fixed rate η converges iff η < 2/λ_max (heavy-ball momentum β: η < 2(1+β)/λ_max),
    when every eigenvalue of H is positive; the fastest fixed rate is 2/(λ_min + λ_max).
    """

    hessian: sp.Matrix  # the constant Hessian
    eigenvalues: tuple[sp.Expr, ...]  # exact, ascending
    lambda_max: sp.Expr
    bound: sp.Expr  # 2/λ_max, or 2(1+β)/λ_max with momentum β (exact); oo when λ_max ≤ 0
    best_rate: sp.Expr | None  # 2/(λ_min + λ_max) without momentum when H is positive definite, else None
    rate: float  # the rate the run used
    stable: bool  # rate < bound (and H positive definite): the run converges

    def payload(self) -> dict[str, object]:
        return {
            "hessian": [[text(c) for c in row] for row in self.hessian.tolist()],
            "eigenvalues": [text(e) for e in self.eigenvalues],
            "lambda_max": text(self.lambda_max),
            "bound": text(self.bound),
            "bound_numeric": jfloat(float(self.bound)),
            "best_rate": None if self.best_rate is None else text(self.best_rate),
            "rate": self.rate,
            "stable": self.stable,
        }


@dataclass(frozen=True, slots=True)
class Nearest:
    """The critical point (found by ``classify``) nearest to where a run ended."""

    point: CriticalPoint
    distance: float  # |θ_end − p|

    def payload(self, variables: tuple[sp.Symbol, ...]) -> dict[str, object]:
        return {"distance": jfloat(self.distance), **self.point.payload(variables)}


@dataclass(frozen=True, slots=True)
class Descent:
    """A gradient-descent run: θ ← θ − η∇f (with a line search or heavy-ball momentum as chosen)."""

    KIND: ClassVar[str] = "descent"
    SCHEMA: ClassVar[int] = 1

    expr: sp.Expr
    variables: tuple[sp.Symbol, ...]
    start: tuple[sp.Expr, ...]  # exact, as given
    method: str  # FIXED, LINE_SEARCH or MOMENTUM
    rate: float  # η (a line search starts each step from it)
    momentum: float  # β (0 without momentum)
    tol: float
    max_steps: int
    status: str  # one of STATUSES
    steps: int  # updates made
    trace: tuple[DescentStep, ...]  # step 0, every `every`-th step (thinned to at most MAX_ROWS), the last
    every: int  # the stride of the trace actually kept (≥ the one asked for when thinned)
    final: tuple[float, ...]  # θ at the end (not finite when the run overflowed)
    value: float  # f there
    gradient_norm: float  # |∇f| there
    seconds: float  # wall time of the iteration (compiling and the critical-point search excluded)
    exact: Point | None = None  # the exact critical point the run converged to, when known
    nearest: Nearest | None = None
    quadratic: QuadraticBound | None = None
    notes: tuple[str, ...] = ()

    @property
    def exit_code(self) -> int:
        """0 when the run converged, 1 otherwise."""
        return 0 if self.status == CONVERGED else 1

    def payload(self) -> dict[str, object]:
        """The JSON ``result`` object."""
        return {
            "expr": text(self.expr),
            "variables": names(self.variables),
            "start": [text(s) for s in self.start],
            "method": self.method,
            "rate": self.rate,
            "momentum": self.momentum,
            "tol": self.tol,
            "max_steps": self.max_steps,
            "status": self.status,
            "converged": self.status == CONVERGED,
            "iterations": self.steps,
            "final": _floats(self.final),
            "value": jfloat(self.value),
            "gradient_norm": jfloat(self.gradient_norm),
            "exact": _optional_point(self.exact, self.variables),
            "nearest_critical_point": None if self.nearest is None else self.nearest.payload(self.variables),
            "quadratic": None if self.quadratic is None else self.quadratic.payload(),
            "every": self.every,
            "trace": [r.payload() for r in self.trace],
            "seconds": self.seconds,
        }


@dataclass(frozen=True, slots=True)
class NewtonStep:
    """One row of a Newton trace: the iterate after ``step`` updates."""

    step: int
    point: tuple[float, ...]
    value: float  # f(θ_k); roots: |F(θ_k)|
    residual: float  # |∇f(θ_k)|; roots: |F(θ_k)|
    step_length: float | None  # |θ_k − θ_{k−1}|
    damping: float | None  # the fraction of the Newton step taken (1: the full step; None at the start)
    hessian: str | None  # H(θ_k)'s definiteness: positive definite, negative definite, indefinite, singular, ...
    error: float | None  # e_k = |θ_k − θ*| (θ* the exact solution when known, else the final point)
    ratio: float | None  # e_k / e_{k−1}²: bounded when convergence is quadratic

    def payload(self) -> dict[str, object]:
        return {
            "step": self.step,
            "point": _floats(self.point),
            "value": jfloat(self.value),
            "residual": jfloat(self.residual),
            "step_length": jfloat(self.step_length),
            "damping": jfloat(self.damping),
            "hessian": self.hessian,
            "error": jfloat(self.error),
            "ratio": jfloat(self.ratio),
        }


@dataclass(frozen=True, slots=True)
class Newton:
    """A Newton run: minimisation θ ← θ − H⁻¹∇f (damped), or roots of F = [f1, …, fn]: θ ← θ − J⁻¹F."""

    KIND: ClassVar[str] = "newton"
    SCHEMA: ClassVar[int] = 1

    exprs: tuple[sp.Expr, ...]  # f, or F's components
    variables: tuple[sp.Symbol, ...]
    roots: bool
    start: tuple[sp.Expr, ...]
    tol: float
    max_steps: int
    status: str
    steps: int
    trace: tuple[NewtonStep, ...]  # every step
    final: tuple[float, ...]
    value: float  # f at the end; roots: |F|
    residual: float  # |∇f| or |F| at the end
    seconds: float
    target: str  # what the errors are measured against: "exact solution", "critical point" or "final point"
    exact: Point | None = None  # the exact point the run converged to, when known
    nearest: Nearest | None = None  # minimisation: the nearest critical point classify found
    notes: tuple[str, ...] = ()

    @property
    def exit_code(self) -> int:
        """0 when the run converged, 1 otherwise."""
        return 0 if self.status == CONVERGED else 1

    def payload(self) -> dict[str, object]:
        """The JSON ``result`` object."""
        return {
            "expr": text(self.exprs[0]) if not self.roots else [text(e) for e in self.exprs],
            "variables": names(self.variables),
            "roots": self.roots,
            "start": [text(s) for s in self.start],
            "tol": self.tol,
            "max_steps": self.max_steps,
            "status": self.status,
            "converged": self.status == CONVERGED,
            "iterations": self.steps,
            "final": _floats(self.final),
            "value": jfloat(self.value),
            "residual": jfloat(self.residual),
            "exact": _optional_point(self.exact, self.variables),
            "error_against": self.target,
            "nearest_critical_point": None if self.nearest is None else self.nearest.payload(self.variables),
            "trace": [r.payload() for r in self.trace],
            "seconds": self.seconds,
        }


@dataclass(frozen=True, slots=True)
class MethodRun:
    """One row of a comparison: how one method did from the common start."""

    method: str  # FIXED, LINE_SEARCH, MOMENTUM, NEWTON or BFGS
    settings: str  # e.g. "rate 0.1", "rate 0.1, momentum 0.9"
    status: str
    steps: int
    final: tuple[float, ...]
    value: float
    gradient_norm: float
    seconds: float  # wall time of the run's iteration
    evaluations: int | None = None  # BFGS: evaluations of f (SciPy's count); None for the others

    def payload(self) -> dict[str, object]:
        return {
            "method": self.method,
            "settings": self.settings,
            "status": self.status,
            "converged": self.status == CONVERGED,
            "iterations": self.steps,
            "final": _floats(self.final),
            "value": jfloat(self.value),
            "gradient_norm": jfloat(self.gradient_norm),
            "seconds": self.seconds,
            "evaluations": self.evaluations,
        }


@dataclass(frozen=True, slots=True)
class Comparison:
    """Gradient descent (fixed rate, line search, momentum), Newton's method and BFGS from one start."""

    KIND: ClassVar[str] = "comparison"
    SCHEMA: ClassVar[int] = 1

    expr: sp.Expr
    variables: tuple[sp.Symbol, ...]
    start: tuple[sp.Expr, ...]
    tol: float
    runs: tuple[MethodRun, ...]  # in the order FIXED, LINE_SEARCH, MOMENTUM, NEWTON, BFGS
    agree: bool  # every converged run ended within AGREEMENT of the others
    nearest: Nearest | None = None  # the critical point nearest the first converged run's end
    notes: tuple[str, ...] = ()

    @property
    def exit_code(self) -> int:
        """0 when at least one method converged, 1 otherwise."""
        return 0 if any(r.status == CONVERGED for r in self.runs) else 1

    def payload(self) -> dict[str, object]:
        """The JSON ``result`` object."""
        return {
            "expr": text(self.expr),
            "variables": names(self.variables),
            "start": [text(s) for s in self.start],
            "tol": self.tol,
            "runs": [r.payload() for r in self.runs],
            "agree": self.agree,
            "nearest_critical_point": None if self.nearest is None else self.nearest.payload(self.variables),
        }
