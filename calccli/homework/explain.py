"""Worked solutions (``--steps``): the rules behind a result, as students are taught them.

Derivatives come from :mod:`calccli.homework.steps` (sum, product, quotient and
chain rules with named intermediate variables); antiderivatives from SymPy's
step-based integrator (:mod:`calccli.homework.integral_steps`) when it found a
complete set of steps.  When the answer came from a method without steps, the note
says so rather than inventing any.

Each result kind registers its explainer with :func:`explainer`; adding a command adds
one registered function here and edits nothing else.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any, TypeVar

import sympy as sp

from calccli import results as R
from calccli.homework import steps as S
from calccli.homework.grade import available, command
from calccli.homework.integral_steps import integral_steps, iterated_steps
from calccli.process.budget import Budget
from calccli.results import WorkedStep

Worked = tuple[tuple[WorkedStep, ...], str | None]
Explainer = Callable[[Any, Budget | None], Worked]
F = TypeVar("F", bound=Callable[..., Any])

_EXPLAINERS: dict[type, Explainer] = {}


def explainer(*kinds: type) -> Callable[[F], F]:
    """Register ``fn(result, budget) -> (steps, note)`` as the worked solution of results of ``kinds``."""

    def register(fn: F) -> F:
        for kind in kinds:
            _EXPLAINERS[kind] = fn
        return fn

    return register


def worked(result: object, budget: Budget | None = None) -> Worked:
    """The worked solution for any result, or a note that there is none.

    ``budget`` is the computation's, for the simplifications the steps make (None: no cap).
    """
    fn = next((_EXPLAINERS[k] for k in type(result).__mro__ if k in _EXPLAINERS), None)
    if fn is None:
        return (), f"--steps is not available for {command(result)} yet; it is for {available(_EXPLAINERS)}"
    return fn(result, budget)


def _convert(found: tuple[S.Step, ...], wrt: sp.Symbol, operation: str, depth: int = 0) -> list[WorkedStep]:
    """The engine's steps as result steps, ``depth`` levels deeper."""
    return [WorkedStep(s.depth + depth, s.rule, s.expr, s.result, s.detail, operation, wrt) for s in found]


def _words(depth: int, rule: str, detail: str) -> WorkedStep:
    """A step in words only."""
    return WorkedStep(depth, rule, None, None, detail, "words")


def _partials(
    expr: sp.Expr,
    variables: tuple[sp.Symbol, ...],
    budget: Budget | None,
    name: str = "f",
    held: tuple[sp.Symbol, ...] | None = None,
) -> list[WorkedStep]:
    """d/dv of ``expr`` for each of ``variables``, the other variables of the function (``held``, by
    default ``variables``) held constant; a function of one variable holds nothing."""
    out: list[WorkedStep] = []
    everyone = variables if held is None else held
    for v in variables:
        others = [w.name for w in everyone if w != v]
        clause = f", holding {', '.join(others)} constant" if others else ""
        out.append(_words(0, f"∂{name}/∂{v.name}", f"differentiate {R.text(expr)} with respect to {v.name}{clause}"))
        out += _convert(S.derivative_steps(expr, v, budget), v, "partial", 1)
    return out


@explainer(R.Derivative)
def derivative(result: R.Derivative, budget: Budget | None = None) -> Worked:
    """Each derivative in turn, one variable at a time."""
    out: list[WorkedStep] = []
    for i, expr in enumerate(result.exprs):
        current = expr
        for k, v in enumerate(result.wrt):
            label = f"f{i + 1}" if result.is_vector else "f"
            if len(result.wrt) > 1 or result.is_vector:
                out.append(
                    _words(
                        0,
                        f"step {k + 1}" if not result.is_vector else f"{label}, step {k + 1}",
                        f"differentiate {R.text(current)} with respect to {v.name}",
                    )
                )
            op = "partial" if len(result.variables) > 1 else "d"
            out += _convert(
                S.derivative_steps(current, v, budget), v, op, 1 if len(result.wrt) > 1 or result.is_vector else 0
            )
            current = sp.diff(current, v)
    return tuple(out), None


@explainer(R.Gradient)
def gradient(result: R.Gradient, budget: Budget | None = None) -> Worked:
    """Each partial derivative."""
    return tuple(_partials(result.expr, result.variables, budget)), None


@explainer(R.DirectionalDerivative)
def directional(result: R.DirectionalDerivative, budget: Budget | None = None) -> Worked:
    """The partials, then their dot product with the unit direction."""
    steps = _partials(result.expr, result.variables, budget)
    unit = ", ".join(R.text(u) for u in result.unit)
    steps.append(
        _words(0, "dot product", f"D_u f = ∇f · u with the unit vector u = ({unit}): {R.text(result.derivative)}")
    )
    return tuple(steps), None


@explainer(R.Chain)
def chain(result: R.Chain, budget: Budget | None = None) -> Worked:
    """The four-step recipe: intermediate variables, their local derivatives, combined along every
    path, substituted back (then checked against differentiating the substituted formula)."""
    inner = [n for n in result.nodes if n.definition is not None]
    out: list[WorkedStep] = [_words(0, "1. intermediate variables", "name each piece of the computation")]
    if result.decomposed_from is not None:
        out.append(_words(1, "the formula", f"{result.output} = {R.text(result.decomposed_from)}"))
    out += [_words(1, n.name, f"{n.name} = {R.text(n.definition)}") for n in inner]
    out.append(_words(0, "2. local derivatives", "differentiate each node by each name it uses, the others fixed"))
    out += [_words(1, f"∂{e.node}/∂{e.parent}", R.text(e.local)) for e in result.edges]
    out.append(_words(0, "3. combine", "multiply the local derivatives along each path and add the paths"))
    for t in result.totals:
        paths = " + ".join("·".join(f"∂{a}/∂{b}" for a, b in itertools.pairwise(p.names)) for p in t.paths)
        out.append(
            _words(
                1, f"∂{result.output}/∂{t.input}", f"{paths} = {R.text(t.factored)}" if paths else R.text(t.factored)
            )
        )
    out.append(_words(0, "4. substitute back", "replace every intermediate variable by its definition"))
    for t in result.totals:
        check = "checked against differentiating the substituted formula" if t.verified else "not verified"
        out.append(_words(1, f"∂{result.output}/∂{t.input}", f"{R.text(t.total)} ({check})"))
    return tuple(out), None


@explainer(R.MatrixDerivativeResult)
def matdiff(result: R.MatrixDerivativeResult, budget: Budget | None = None) -> Worked:
    """The differential rules used, each where it was first applied, then the result and its check."""
    from calccli.formula import matrix as M

    out: list[WorkedStep] = [_words(0, "the function", f"f = {M.unicode(result.formula)}")]
    out.append(_words(0, "shapes", ", ".join(f"{v.name}: {M.shape_text(v.shape)}" for v in result.variables)))
    out.append(_words(0, "rules", f"differentiate f by {result.wrt.name}, from the outside in"))
    seen: set[str] = set()
    for rule, at in result.rules:
        if rule not in seen:
            seen.add(rule)
            out.append(_words(1, rule, f"at {M.unicode(at)}"))
    derivative = M.unicode(result.derivative)
    out.append(_words(0, "result", f"{derivative}  ({M.shape_text(result.shape)}, {result.layout} layout)"))
    verified = "checked against the entries differentiated one by one" if result.check.verified else "unverified"
    out.append(_words(1, "verified" if result.check.verified else "unverified", verified))
    return tuple(out), None


@explainer(R.Descent)
def descent(result: R.Descent, budget: Budget | None = None) -> Worked:
    """The update rule, the gradient, and the first steps with their numbers."""
    grad = [sp.diff(result.expr, v) for v in result.variables]
    names = ", ".join(v.name for v in result.variables)
    rule = "θ ← θ + v, v ← βv − η∇f(θ)" if result.momentum else "θ ← θ − η∇f(θ)"
    out: list[WorkedStep] = [_words(0, "update rule", f"{rule}, θ = ({names}), η = {result.rate:g}")]
    out.append(_words(0, "gradient", "∇f = (" + ", ".join(R.text(g) for g in grad) + ")"))
    shown = [s for s in result.trace if s.step <= 3]
    for before, after in itertools.pairwise(shown):
        if after.step != before.step + 1:
            break
        at = dict(zip(result.variables, before.point, strict=True))
        g = ", ".join(f"{float(d.subs(at)):.6g}" for d in grad)
        point = ", ".join(f"{x:.6g}" for x in before.point)
        new = ", ".join(f"{x:.6g}" for x in after.point)
        rate = after.rate if after.rate is not None else result.rate
        move = f"({point}) → ({new})" if result.momentum else f"({point}) − {rate:g}·({g}) = ({new})"
        out.append(_words(1, f"step {after.step}", f"{move}, ∇f = ({g}), f = {after.value:.6g}"))
    out.append(_words(0, "stop", f"when |∇f| < {result.tol:g}: {result.status} after {result.steps:,} steps"))
    return tuple(out), None


@explainer(R.Jacobian)
def jacobian(result: R.Jacobian, budget: Budget | None = None) -> Worked:
    """The partials of each component, then the determinant when the matrix is square."""
    out: list[WorkedStep] = []
    for i, expr in enumerate(result.exprs):
        out += _partials(expr, result.variables, budget, f"f{i + 1}")
    if result.determinant is not None:
        out.append(_words(0, "determinant", f"det J = {R.text(result.determinant)}"))
    return tuple(out), None


@explainer(R.Hessian)
def hessian(result: R.Hessian, budget: Budget | None = None) -> Worked:
    """The first partials, then the second partials of each (upper triangle), then symmetry."""
    out = _partials(result.expr, result.variables, budget)
    for i, v in enumerate(result.variables):
        first = sp.diff(result.expr, v)
        out += _partials(first, result.variables[i:], budget, f"f_{v.name}", held=result.variables)
    out.append(_words(0, "symmetry", "the mixed partials are equal (Schwarz), so H is symmetric"))
    return tuple(out), None


@explainer(R.Laplacian)
def laplacian(result: R.Laplacian, budget: Budget | None = None) -> Worked:
    """The pure second partials, then their sum."""
    out: list[WorkedStep] = []
    for v in result.variables:
        first = sp.diff(result.expr, v)
        out += _partials(first, (v,), budget, f"f_{v.name}", held=result.variables)
    out.append(_words(0, "sum", f"Δf = {R.text(result.laplacian)}"))
    return tuple(out), None


def antiderivative(expr: sp.Expr, x: sp.Symbol, method: str, budget: Budget | None = None) -> Worked:
    """The steps of ∫ expr dx, or a note that ``method`` (which found the answer) records none."""
    found = integral_steps(expr, x, budget)
    if found is None:
        return (), (
            f"no steps: the answer came from {method}, which does not record steps "
            "(SymPy's step-based integrator found no complete solution)"
        )
    return tuple(_convert(found, x, "int")), None


@explainer(R.Antiderivative)
def indefinite(result: R.Antiderivative, budget: Budget | None = None) -> Worked:
    """The integrator's steps, when it has a complete set."""
    return antiderivative(result.expr, result.variable, result.method, budget)


@explainer(R.DefiniteIntegral)
def definite(result: R.DefiniteIntegral, budget: Budget | None = None) -> Worked:
    """Through the antiderivative and the fundamental theorem; a multiple integral as iterated integrals."""
    integrand = result.transformed if result.transformed is not None else result.expr
    if len(result.bounds) > 1 and result.value is not None and result.converges is not False:
        found = iterated_steps(integrand, result.bounds, result.value, budget)
        if found is not None:
            return found, None
        return (), "no steps: a stage of the iterated integral has no complete steps from SymPy's step-based integrator"
    if len(result.bounds) != 1 or result.value is None or result.antiderivative is None:
        return (), "steps are shown for single integrals found through an antiderivative"
    x, a, b = result.bounds[0]
    steps, note = antiderivative(
        result.transformed if result.transformed is not None else result.expr, x, result.method, budget
    )
    F = result.antiderivative
    tail = _words(
        0, "fundamental theorem", f"F({R.text(b)}) - F({R.text(a)}) with F = {R.text(F)}: {R.text(result.value)}"
    )
    return (*steps, tail), note


def _signed(value: R.Value) -> str:
    """``128 > 0``: a number with the sign the test reads from it."""
    n = value.numeric
    sign = "" if n is None else " > 0" if n > 0 else " < 0" if n < 0 else " = 0"
    return f"{R.text(value.exact)}{sign}" if sign != " = 0" else R.text(value.exact) + " (zero)"


@explainer(R.CriticalPoints)
def critical(result: R.CriticalPoints, budget: Budget | None = None) -> Worked:
    """The gradient, the solutions of grad f = 0, then the test that classified each point."""
    names = ", ".join(v.name for v in result.variables)
    grad = [sp.diff(result.expr, v) for v in result.variables]
    equations = " and ".join(f"{R.text(g)} = 0" for g in grad)
    found = ", ".join("(" + ", ".join(R.text(p.point[v]) for v in result.variables) + ")" for p in result.points)
    out = [
        _words(0, "gradient", "∇f = (" + ", ".join(R.text(g) for g in grad) + ")"),
        _words(
            0,
            "solve ∇f = 0",
            f"{equations}: {len(result.points)} critical point(s) in ({names})"
            + (f": {found}" if found else "")
            + ("" if result.complete else " (the list may be incomplete)"),
        ),
    ]
    for p in result.points:
        where = "(" + ", ".join(R.text(p.point[v]) for v in result.variables) + ")"
        if p.fxx is not None and p.det is not None:
            detail = f"at {where}: det H = {_signed(p.det)}, f_xx = {_signed(p.fxx)}, so a {p.kind} (by {p.test})"
        elif p.eigenvalues:
            detail = (
                f"at {where}: Hessian eigenvalues {', '.join(R.text(e.exact) for e in p.eigenvalues)}, "
                f"so a {p.kind} (by {p.test})"
            )
        else:
            detail = f"at {where}: {p.kind} (by {p.test})"
        out.append(_words(1, "classify", detail))
    return tuple(out), None


@explainer(R.TaylorPolynomial)
def taylor(result: R.TaylorPolynomial, budget: Budget | None = None) -> Worked:
    """The value, gradient and Hessian at the point, then the polynomial degree by degree."""
    where = R.point_text(result.at)
    h = ", ".join(f"{v.name} - {R.text(result.at[v])}" if result.at[v] != 0 else v.name for v in result.variables)
    out = [_words(0, "value", f"f at {where}: {R.text(result.value)}")]
    if result.gradient is not None:
        out.append(_words(0, "gradient", "∇f(p) = (" + ", ".join(R.text(g) for g in result.gradient) + ")"))
    if result.hessian is not None:
        out.append(_words(0, "Hessian", f"H(p) = {R.text(result.hessian.tolist())}"))
    for degree, term in sorted(result.terms.items()):
        out.append(
            _words(1, f"degree {degree}", f"sum of D^a f(p)/a! h^a over |a| = {degree}, with h = ({h}): {R.text(term)}")
        )
    out.append(_words(0, "sum", f"T{result.order} = {R.text(result.polynomial)}"))
    return tuple(out), None
