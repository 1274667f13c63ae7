"""Grading a user's answer against a computed result (``--check``).

Each result kind says what a student would write as "the answer": a derivative,
a gradient vector, a matrix, a number at a point, an antiderivative (up to a
constant), a list of classified critical points.  The comparison itself is
:mod:`calccli.engine.check`'s; this module only lines the two up.
"""

from __future__ import annotations

import sympy as sp

from calccli import answer as answers
from calccli import results as R
from calccli.engine import check
from calccli.errors import UsageError


def _variables(result: object) -> tuple[sp.Symbol, ...]:
    return tuple(getattr(result, "variables", ()) or ())


def _declared(result: object) -> frozenset[str]:
    names = {v.name for v in _variables(result)}
    for attr in ("variable",):
        v = getattr(result, attr, None)
        if v is not None:
            names.add(v.name)
    for v, _, _ in getattr(result, "bounds", ()) or ():
        names.add(v.name)
    return frozenset(names)


def _flat(value: object) -> list[sp.Expr]:
    if isinstance(value, sp.MatrixBase):
        return list(value)
    if isinstance(value, (tuple, list)):
        return [c for row in value for c in (_flat(row) if isinstance(row, (tuple, list)) else [row])]
    return [value]  # type: ignore[list-item]


def _shape(value: object) -> tuple[int, ...]:
    if isinstance(value, sp.MatrixBase):
        return tuple(value.shape)
    if isinstance(value, (tuple, list)):
        if value and isinstance(value[0], (tuple, list)):
            return (len(value), len(value[0]))
        return (len(value),)
    return ()


def _describe(shape: tuple[int, ...]) -> str:
    if not shape:
        return "a single expression"
    if len(shape) == 1:
        return f"a vector of {shape[0]} components"
    return f"a {shape[0]}×{shape[1]} matrix"


def _expected(result: object, given_is_constant: bool, given_shape: tuple[int, ...]) -> tuple[object, list[str]]:
    """The right answer in the shape the user should have written, and its component labels."""
    at = getattr(result, "at", None) is not None and given_is_constant
    if isinstance(result, R.Derivative):
        exprs = [v.exact for v in result.values] if at and result.values else list(result.derivatives)
        if result.is_vector:
            return tuple(exprs), [f"f{i + 1}" for i in range(len(exprs))]
        return exprs[0], []
    if isinstance(result, R.Gradient):
        exprs = [v.exact for v in result.values] if at and result.values else list(result.components)
        return tuple(exprs), [f"∂f/∂{v.name}" for v in result.variables]
    if isinstance(result, R.DirectionalDerivative):
        return (result.value.exact if at and result.value else result.derivative), []
    if isinstance(result, (R.Jacobian, R.Hessian)):
        matrix = result.matrix_value if at and result.matrix_value is not None else result.matrix
        if isinstance(result, R.Jacobian) and given_shape == () and result.determinant is not None:
            det = result.determinant_value.exact if at and result.determinant_value else result.determinant
            return det, []
        labels = [f"[{i + 1},{j + 1}]" for i in range(matrix.rows) for j in range(matrix.cols)]
        return tuple(tuple(row) for row in matrix.tolist()), labels
    if isinstance(result, R.Laplacian):
        return (result.value.exact if at and result.value else result.laplacian), []
    if isinstance(result, R.TaylorPolynomial):
        return result.polynomial, []
    if isinstance(result, R.Antiderivative):
        return result.antiderivative, []
    if isinstance(result, R.DefiniteIntegral):
        if result.value is not None:
            return result.value, []
        if result.numeric is not None:
            return sp.Float(result.numeric, 15), []
        raise UsageError("--check: this integral has no value to compare with")
    raise UsageError("--check is not available for this command")


def grade(result: object, text: str, tol: float | None = None) -> R.Verdict:
    """Compare the answer ``text`` with ``result``; never raises for a wrong answer, only for an unreadable one."""
    if isinstance(result, R.CriticalPoints):
        return _grade_points(result, text)
    parsed = answers.value(text, _declared(result))
    if isinstance(result, R.DefiniteIntegral) and result.converges is False:
        return _grade_divergent(result, parsed.exprs[0] if not parsed.shape else None)
    shape = parsed.shape
    given = _shaped(parsed.exprs, shape)
    constant = not any(c.free_symbols for c in parsed.exprs)
    expected, labels = _expected(result, constant, shape)
    options: dict[str, object] = {"decimals": parsed.decimals, "significant": parsed.significant, "tol": tol}
    variables = _variables(result)
    if isinstance(result, R.Antiderivative):
        variables = (result.variable, *sorted(result.expr.free_symbols - {result.variable}, key=lambda s: s.name))
        options["up_to_constant"] = True
    elif isinstance(result, R.DefiniteIntegral) and result.value is None and result.error_estimate is not None:
        options["tol"] = tol if tol is not None else max(10 * result.error_estimate, 1e-9 * max(1, abs(result.numeric)))
    if _shape(expected) != shape:
        return R.Verdict("incorrect", given, expected, "the shapes differ",
                         reason=f"expected {_describe(_shape(expected))}, got {_describe(shape)}")
    if shape:
        c = check.components(list(parsed.exprs), _flat(expected), labels, variables, **options)  # type: ignore[arg-type]
    else:
        c = check.scalar(parsed.exprs[0], expected, variables, **options)  # type: ignore[arg-type]
    return R.Verdict(c.verdict, given, expected, c.method, c.differs_at, c.given_value, c.expected_value,
                     tuple(c.wrong), c.reason)


def _grade_divergent(result: R.DefiniteIntegral, given: sp.Expr | None) -> R.Verdict:
    """A divergent integral: only ``oo`` or ``-oo`` (when it diverges that way) is right."""
    expected = result.value if result.value is not None else sp.Symbol("diverges")
    right = given is not None and result.value is not None and given == result.value
    reason = "" if right else "the integral diverges" + (
        f" (its Cauchy principal value is {R.text(result.principal_value)})" if result.principal_value is not None else "")
    return R.Verdict("correct" if right else "incorrect", given if given is not None else sp.Symbol("vector"),
                     expected, "the integral diverges", reason=reason)


def _shaped(exprs: tuple[sp.Expr, ...], shape: tuple[int, ...]) -> object:
    if not shape:
        return exprs[0]
    if len(shape) == 1:
        return tuple(exprs)
    rows, cols = shape
    return tuple(tuple(exprs[i * cols:(i + 1) * cols]) for i in range(rows))


def _grade_points(result: R.CriticalPoints, text: str) -> R.Verdict:
    given = answers.critical_points(text, result.variables)
    expected = [(p.kind, tuple(p.point[v] for v in result.variables)) for p in result.points if not p.family]
    if any(p.family for p in result.points):  # a curve of critical points cannot be listed point by point
        return R.Verdict("undetermined", _points_text(given), _points_text(expected),
                         "the critical points include a family (a curve or surface)")
    c = check.critical_points(given, expected, complete=result.complete)
    return R.Verdict(c.verdict, _points_text(given), _points_text(expected), c.method, wrong=tuple(c.wrong),
                     reason=c.reason)


def _points_text(points: list[tuple[str, tuple[sp.Expr, ...]]]) -> str:
    if not points:
        return "no critical points"
    return "; ".join(f"{kind} at ({', '.join(R.text(c) for c in where)})" for kind, where in points)
