"""Worked solutions (``--steps``): the rules behind a result, as students are taught them.

Derivatives come from :mod:`calccli.homework.steps` (sum, product, quotient and
chain rules with named intermediate variables); antiderivatives from SymPy's
step-based integrator when it found a complete set of steps.  When the answer
came from a method without steps, the note says so rather than inventing any.
"""

from __future__ import annotations

import sympy as sp

from calccli import results as R
from calccli.homework import steps as S
from calccli.results import WorkedStep

Worked = tuple[tuple[WorkedStep, ...], str | None]


def _convert(found: tuple[S.Step, ...], wrt: sp.Symbol, operation: str, depth: int = 0) -> list[WorkedStep]:
    return [WorkedStep(s.depth + depth, s.rule, s.expr, s.result, s.detail, operation, wrt) for s in found]


def _words(depth: int, rule: str, detail: str) -> WorkedStep:
    return WorkedStep(depth, rule, None, None, detail, "words")


def _partials(expr: sp.Expr, variables: tuple[sp.Symbol, ...], name: str = "f") -> list[WorkedStep]:
    out: list[WorkedStep] = []
    for v in variables:
        out.append(_words(0, f"∂{name}/∂{v.name}", f"differentiate {R.text(expr)} with respect to {v.name}, "
                                                      f"holding {', '.join(w.name for w in variables if w != v) or 'nothing'} constant"))
        out += _convert(S.derivative_steps(expr, v), v, "partial", 1)
    return out


def derivative(result: R.Derivative) -> Worked:
    out: list[WorkedStep] = []
    for i, expr in enumerate(result.exprs):
        current = expr
        for k, v in enumerate(result.wrt):
            label = f"f{i + 1}" if result.is_vector else "f"
            if len(result.wrt) > 1 or result.is_vector:
                out.append(_words(0, f"step {k + 1}" if not result.is_vector else f"{label}, step {k + 1}",
                                  f"differentiate {R.text(current)} with respect to {v.name}"))
            op = "partial" if len(result.variables) > 1 else "d"
            out += _convert(S.derivative_steps(current, v), v, op, 1 if len(result.wrt) > 1 or result.is_vector else 0)
            current = sp.diff(current, v)
    return tuple(out), None


def gradient(result: R.Gradient) -> Worked:
    return tuple(_partials(result.expr, result.variables)), None


def directional(result: R.DirectionalDerivative) -> Worked:
    steps = _partials(result.expr, result.variables)
    unit = ", ".join(R.text(u) for u in result.unit)
    steps.append(_words(0, "dot product", f"D_u f = ∇f · u with the unit vector u = ({unit}): {R.text(result.derivative)}"))
    return tuple(steps), None


def jacobian(result: R.Jacobian) -> Worked:
    out: list[WorkedStep] = []
    for i, expr in enumerate(result.exprs):
        out += _partials(expr, result.variables, f"f{i + 1}")
    if result.determinant is not None:
        out.append(_words(0, "determinant", f"det J = {R.text(result.determinant)}"))
    return tuple(out), None


def hessian(result: R.Hessian) -> Worked:
    out = _partials(result.expr, result.variables)
    for i, v in enumerate(result.variables):
        first = sp.diff(result.expr, v)
        out += _partials(first, result.variables[i:], f"f_{v.name}")
    out.append(_words(0, "symmetry", "the mixed partials are equal (Schwarz), so H is symmetric"))
    return tuple(out), None


def laplacian(result: R.Laplacian) -> Worked:
    out: list[WorkedStep] = []
    for v in result.variables:
        first = sp.diff(result.expr, v)
        out += _partials(first, (v,), f"f_{v.name}")
    out.append(_words(0, "sum", f"Δf = {R.text(result.laplacian)}"))
    return tuple(out), None


def antiderivative(expr: sp.Expr, x: sp.Symbol, method: str) -> Worked:
    found = S.integral_steps(expr, x)
    if found is None:
        return (), (f"no steps: the answer came from {method}, which does not record steps "
                    "(SymPy's step-based integrator found no complete solution)")
    return tuple(_convert(found, x, "int")), None


def integral(result: R.Antiderivative | R.DefiniteIntegral) -> Worked:
    if isinstance(result, R.Antiderivative):
        return antiderivative(result.expr, result.variable, result.method)
    if len(result.bounds) != 1 or result.value is None or result.antiderivative is None:
        return (), "steps are shown for single integrals found through an antiderivative"
    x, a, b = result.bounds[0]
    steps, note = antiderivative(result.transformed if result.transformed is not None else result.expr, x,
                                 result.method)
    F = result.antiderivative
    tail = _words(0, "fundamental theorem",
                  f"F({R.text(b)}) - F({R.text(a)}) with F = {R.text(F)}: {R.text(result.value)}")
    return (*steps, tail), note


def _signed(value: R.Value) -> str:
    """``128 > 0``: a number with the sign the test reads from it."""
    n = value.numeric
    sign = "" if n is None else " > 0" if n > 0 else " < 0" if n < 0 else " = 0"
    return f"{R.text(value.exact)}{sign}" if sign != " = 0" else R.text(value.exact) + " (zero)"


def critical(result: R.CriticalPoints) -> Worked:
    names = ", ".join(v.name for v in result.variables)
    grad = [sp.diff(result.expr, v) for v in result.variables]
    equations = " and ".join(f"{R.text(g)} = 0" for g in grad)
    found = ", ".join("(" + ", ".join(R.text(p.point[v]) for v in result.variables) + ")" for p in result.points)
    out = [_words(0, "gradient", "∇f = (" + ", ".join(R.text(g) for g in grad) + ")"),
           _words(0, "solve ∇f = 0", f"{equations}: {len(result.points)} critical point(s) in ({names})"
                  + (f": {found}" if found else "")
                  + ("" if result.complete else " (the list may be incomplete)"))]
    for p in result.points:
        where = "(" + ", ".join(R.text(p.point[v]) for v in result.variables) + ")"
        if p.fxx is not None and p.det is not None:
            detail = f"at {where}: det H = {_signed(p.det)}, f_xx = {_signed(p.fxx)}, so a {p.kind} (by {p.test})"
        elif p.eigenvalues:
            detail = (f"at {where}: Hessian eigenvalues {', '.join(R.text(e.exact) for e in p.eigenvalues)}, "
                      f"so a {p.kind} (by {p.test})")
        else:
            detail = f"at {where}: {p.kind} (by {p.test})"
        out.append(_words(1, "classify", detail))
    return tuple(out), None


def taylor(result: R.TaylorPolynomial) -> Worked:
    where = R.point_text(result.at)
    h = ", ".join(f"{v.name} - {R.text(result.at[v])}" if result.at[v] != 0 else v.name for v in result.variables)
    out = [_words(0, "value", f"f at {where}: {R.text(result.value)}")]
    if result.gradient is not None:
        out.append(_words(0, "gradient", "∇f(p) = (" + ", ".join(R.text(g) for g in result.gradient) + ")"))
    if result.hessian is not None:
        out.append(_words(0, "Hessian", f"H(p) = {R.text(result.hessian.tolist())}"))
    for degree, term in sorted(result.terms.items()):
        out.append(_words(1, f"degree {degree}", f"sum of D^a f(p)/a! h^a over |a| = {degree}, with h = ({h}): "
                                                 f"{R.text(term)}"))
    out.append(_words(0, "sum", f"T{result.order} = {R.text(result.polynomial)}"))
    return tuple(out), None


def worked(result: object) -> Worked:
    """The worked solution for any result, or a note that there is none."""
    table = {
        R.Derivative: derivative, R.Gradient: gradient, R.DirectionalDerivative: directional,
        R.Jacobian: jacobian, R.Hessian: hessian, R.Laplacian: laplacian, R.Antiderivative: integral,
        R.DefiniteIntegral: integral, R.CriticalPoints: critical, R.TaylorPolynomial: taylor,
    }
    fn = table.get(type(result))
    if fn is None:
        return (), "--steps is not available for this command"
    return fn(result)  # type: ignore[operator]
