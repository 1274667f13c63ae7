"""Grading a user's answer against a computed result (``--check``).

Each result kind says what a student would write as "the answer": a derivative,
a gradient vector, a matrix, a number at a point, an antiderivative (up to a
constant), a list of classified critical points.  The comparison itself is
:mod:`calccli.homework.check`'s; this module only lines the two up.
"""

from __future__ import annotations

import sympy as sp

from calccli import results as R
from calccli.errors import UsageError
from calccli.formula.answer import Answer
from calccli.homework import check


def _variables(result: object) -> tuple[sp.Symbol, ...]:
    return tuple(getattr(result, "variables", ()) or ())


def names(result: object) -> frozenset[str]:
    """The variable names an answer to ``result`` may use (kept whole when it is parsed)."""
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
        return (result.value if result.value is not None else sp.Float(result.numeric, 15)), []
    raise UsageError("--check is not available for this command")


def grade(result: object, parsed: Answer | list[tuple[str, tuple[sp.Expr, ...]]], tol: float | None = None) -> R.Verdict:
    """Compare a parsed answer with ``result``: for classify a list of (kind, point), else an :class:`Answer`."""
    if isinstance(result, R.CriticalPoints):
        assert isinstance(parsed, list)
        return _grade_points(result, parsed)
    assert isinstance(parsed, Answer)
    shape = parsed.shape
    given = _shaped(parsed.exprs, shape)
    if isinstance(result, R.DefiniteIntegral):
        if result.converges is False:
            return _grade_divergent(result, given)
        if result.value is None and (result.numeric is None or result.converges is not True):
            return R.Verdict("undetermined", given, "unknown", "calccli found no reliable value to compare with",
                             reason="no closed form, and no well-converged numeric value")
    constant = not any(c.free_symbols for c in parsed.exprs)
    expected, labels = _expected(result, constant, shape)
    # Typed decimals set the tolerance of a number ("1.22" means ±0.005); in an expression they
    # are read exactly (0.5 x^2 is x^2/2), so that "0.7 x^2" is not "x^2/2 to one digit".
    digits = {"decimals": parsed.decimals, "significant": parsed.significant} if constant else {}
    options: dict[str, object] = {**digits, "tol": tol}
    variables = _variables(result)
    if isinstance(result, R.DefiniteIntegral) and result.value is None and result.error_estimate is not None:
        options["tol"] = tol if tol is not None else max(10 * result.error_estimate, 1e-9 * max(1, abs(result.numeric)))
    if _shape(expected) != shape:
        return R.Verdict("incorrect", given, expected, "the shapes differ",
                         reason=f"expected {_describe(_shape(expected))}, got {_describe(shape)}")
    if isinstance(result, R.Antiderivative):
        c = _antiderivative(result, parsed.exprs[0], options)
    elif shape:
        c = check.components(list(parsed.exprs), _flat(expected), labels, variables, **options)  # type: ignore[arg-type]
    else:
        c = check.scalar(parsed.exprs[0], expected, variables, **options)  # type: ignore[arg-type]
    verdict = c.verdict
    method = c.method
    if verdict == "correct" and isinstance(result, R.DefiniteIntegral) and result.value is not None \
            and not result.verified:
        verdict, method = "undetermined", method + "; but calccli's own value is unverified"
    return R.Verdict(verdict, given, expected, method, c.differs_at, c.given_value, c.expected_value,
                     tuple(c.wrong), c.reason)


def _antiderivative(result: R.Antiderivative, given: sp.Expr, options: dict[str, object]) -> check.Check:
    """F is right when F' is the integrand: compared with f itself, not with calccli's own F.

    Constants, piecewise ones included (ln|x| against ln x), drop out on differentiating.
    """
    x = result.variable
    variables = (x, *sorted(result.expr.free_symbols - {x}, key=lambda s: s.name))
    c = check.scalar(sp.diff(given, x), result.expr, variables, **options)  # type: ignore[arg-type]
    method = f"up to a constant: d/d{x.name} of the answer against the integrand ({c.method})"
    reason = c.reason and f"d/d{x.name} of the answer: {c.reason}"
    return check.Check(c.verdict, method, c.differs_at, c.given_value, c.expected_value, c.wrong, c.components, reason)


def _grade_divergent(result: R.DefiniteIntegral, given: object) -> R.Verdict:
    """A divergent integral: only ``oo`` or ``-oo`` (when it diverges that way) is right."""
    expected = R.text(result.value) if result.value is not None else "diverges"
    right = result.value is not None and given == result.value
    reason = "" if right else "the integral diverges" + (
        f" (its Cauchy principal value is {R.text(result.principal_value)})" if result.principal_value is not None else "")
    return R.Verdict("correct" if right else "incorrect", given, expected, "the integral diverges", reason=reason)


def _shaped(exprs: tuple[sp.Expr, ...], shape: tuple[int, ...]) -> object:
    if not shape:
        return exprs[0]
    if len(shape) == 1:
        return tuple(exprs)
    rows, cols = shape
    return tuple(tuple(exprs[i * cols:(i + 1) * cols]) for i in range(rows))


def _grade_points(result: R.CriticalPoints, given: list[tuple[str, tuple[sp.Expr, ...]]]) -> R.Verdict:
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
