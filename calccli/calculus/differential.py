"""Differential calculus: partial derivatives, gradient, directional derivative,
Jacobian, Hessian and Laplacian.

>>> from calccli.formula.grammar import formula
>>> gradient(formula("x^2*y")).components
(2*x*y, x**2)
"""

from __future__ import annotations

import sympy as sp

from calccli import limits
from calccli.calculus import fast
from calccli.calculus.common import (
    differentiate,
    held_constant,
    numeric,
    require_smooth,
    tidy,
    tidy_all,
    unreachable_floats,
    value_at,
)
from calccli.calculus.simplifying import size
from calccli.errors import ArgumentError, UsageError
from calccli.formula.grammar import Formula
from calccli.process.budget import Budget, DeadlineExceeded, soft_deadline
from calccli.results import (
    Derivative,
    DirectionalDerivative,
    Gradient,
    Hessian,
    Jacobian,
    Laplacian,
    Point,
    Value,
)


def _require_variables(f: Formula) -> None:
    if not f.variables:
        raise ArgumentError("variables", "the formula has no variables; name one with {arg}")


def _require_defined(f: Formula, at: Point | None, budget: Budget | None) -> None:
    """A derivative at a point where f itself is undefined (ln x at x = -1) is no answer."""
    if at is not None:
        for i, e in enumerate(f.exprs):
            value_at(e, at, f"f{i + 1}" if f.is_vector else "f", budget)
            require_smooth(e, at, "its derivatives do not exist there")


def derivative(
    f: Formula, wrt: list[sp.Symbol], order: int = 1, at: Point | None = None, budget: Budget | None = None
) -> Derivative:
    """∂ⁿf along ``wrt`` (each repeated ``order`` times when one variable is given).

    >>> from calccli.formula.build import symbol
    >>> from calccli.formula.grammar import formula
    >>> derivative(formula("x^3 y"), [symbol("x")], order=2).derivatives
    (6*x*y,)
    """
    _require_defined(f, at, budget)
    if not 1 <= order <= limits.MAX_ORDER:
        raise ArgumentError("order", f"{{arg}} must be between 1 and {limits.MAX_ORDER}")
    if not wrt:
        if len(f.variables) != 1:
            names = ", ".join(v.name for v in f.variables) or "none"
            raise ArgumentError(
                "variables", f"say which variable to differentiate by with {{arg}} (variables: {names})"
            )
        wrt = [f.variables[0]]
    sequence = tuple(v for v in wrt for _ in range(order))
    if len(sequence) > limits.MAX_ORDER:
        raise UsageError(f"at most {limits.MAX_ORDER} differentiations")
    derivs = tuple(tidy(differentiate(e, *sequence), budget, size(e)) for e in f.exprs)
    values = None if at is None else tuple(value_at(d, at, "the derivative", budget) for d in derivs)
    notes = held_constant(f.exprs, tuple(dict.fromkeys(sequence))) + unreachable_floats(values or ())
    return Derivative(f.exprs, f.is_vector, f.variables, sequence, derivs, at, values, notes)


def _first_partials(exprs: tuple[sp.Expr, ...], variables: tuple[sp.Symbol, ...]) -> list[list[sp.Expr]]:
    """[[∂e/∂v for v in variables] for e in exprs], as computed (in SymEngine for a large system)."""
    if fast.worth_it(exprs, len(exprs) * len(variables)):
        rows = fast.jacobian(exprs, variables)
        if rows is not None:
            return rows
    return [[differentiate(e, v) for v in variables] for e in exprs]


def _gradient(expr: sp.Expr, variables: tuple[sp.Symbol, ...], budget: Budget | None) -> tuple[sp.Expr, ...]:
    return tuple(tidy_all(_first_partials((expr,), variables)[0], budget, size(expr)))


def gradient(f: Formula, at: Point | None = None, budget: Budget | None = None) -> Gradient:
    """∇f in variable order; at a point also its value and length |∇f|."""
    _require_defined(f, at, budget)
    _require_variables(f)
    comps = _gradient(f.expr, f.variables, budget)
    if at is None:
        return Gradient(f.expr, f.variables, comps, notes=held_constant(f.exprs, f.variables))
    values = tuple(value_at(c, at, f"∂f/∂{v}", budget) for c, v in zip(comps, f.variables, strict=True))
    norm = value_at(sp.sqrt(sum(v.exact**2 for v in values)), {}, "|∇f|", budget)
    notes = held_constant(f.exprs, f.variables) + unreachable_floats(values)
    return Gradient(f.expr, f.variables, comps, at, values, norm, notes)


def directional(
    f: Formula, direction: list[sp.Expr], at: Point | None = None, budget: Budget | None = None
) -> DirectionalDerivative:
    """D_u f = ∇f · u, with u the given direction scaled to length 1.

    >>> from calccli.formula.grammar import formula
    >>> d = directional(formula("x^2 + y^2"), [sp.Integer(1), sp.Integer(1)])
    >>> d.unit, d.derivative
    ((sqrt(2)/2, sqrt(2)/2), sqrt(2)*x + sqrt(2)*y)
    """
    _require_defined(f, at, budget)
    _require_variables(f)
    if len(direction) != len(f.variables):
        raise ArgumentError(
            "direction",
            f"{{arg}} has {len(direction)} component{'s' * (len(direction) != 1)} but the formula has "
            f"{len(f.variables)} variable{'s' * (len(f.variables) != 1)} "
            f"({', '.join(v.name for v in f.variables)})",
        )
    length = tidy(sp.sqrt(sum(d**2 for d in direction)), budget)
    if length == 0:
        raise ArgumentError("direction", "{arg} is the zero vector, which has no direction")
    unit = tuple(sp.radsimp(tidy(d / length, budget)) for d in direction)
    grad = _gradient(f.expr, f.variables, budget)
    deriv = tidy(sum((g * u for g, u in zip(grad, unit, strict=True)), sp.S.Zero), budget, size(f.expr))
    value = None if at is None else value_at(deriv, at, "the directional derivative", budget)
    notes = held_constant(f.exprs, f.variables) + unreachable_floats([value])
    return DirectionalDerivative(f.expr, f.variables, tuple(direction), unit, grad, deriv, at, value, notes)


def _matrix_at(m: sp.Matrix, at: Point, what: str, budget: Budget | None) -> tuple[sp.Matrix, list[list[float | None]]]:
    # a large matrix: each distinct entry's value once, under the simplification policy
    policy = len(m) >= fast.MIN_ENTRIES
    seen: dict[sp.Expr, Value] = {}
    for c in m:
        if c not in seen:
            seen[c] = value_at(c, at, what, budget, size(c) if policy else None)
    values = [[seen[c] for c in row] for row in m.tolist()]
    exact = sp.Matrix([[v.exact for v in row] for row in values])
    return exact, [[v.numeric for v in row] for row in values]


def _values(exact: sp.Matrix, floats: list[list[float | None]]) -> list[Value]:
    return [Value(e, x) for e, x in zip(exact, (x for row in floats for x in row), strict=True)]


def jacobian(f: Formula, at: Point | None = None, budget: Budget | None = None) -> Jacobian:
    """J[i, j] = ∂f_i/∂x_j, with det J when the matrix is square.

    >>> from calccli.formula.grammar import formula
    >>> jacobian(formula("[u^2 - v^2, 2u v]")).determinant
    4*(u**2 + v**2)
    """
    _require_defined(f, at, budget)
    _require_variables(f)
    input_size = sum(size(e) for e in f.exprs)
    rows = _first_partials(f.exprs, f.variables)
    m = sp.Matrix([tidy_all(row, budget, input_size) for row in rows])
    square = m.rows == m.cols
    det = tidy(sp.factor_terms(m.det()), budget, input_size) if square else None
    if at is None:
        return Jacobian(f.exprs, f.variables, m, det, notes=held_constant(f.exprs, f.variables))
    exact, floats = _matrix_at(m, at, "the Jacobian", budget)
    det_value = value_at(det, at, "det J", budget) if det is not None else None
    notes = held_constant(f.exprs, f.variables) + unreachable_floats([*_values(exact, floats), det_value])
    return Jacobian(f.exprs, f.variables, m, det, at, exact, floats, det_value, notes)


def _second_partials(expr: sp.Expr, variables: tuple[sp.Symbol, ...]) -> dict[tuple[int, int], sp.Expr]:
    """{(i, j): ∂²f/∂xᵢ∂xⱼ for i <= j}, as computed (in SymEngine for a large system)."""
    n = len(variables)
    if fast.worth_it((expr,), n * (n + 1) // 2):
        upper = fast.hessian(expr, variables)
        if upper is not None:
            return upper
    first = [differentiate(expr, v) for v in variables]
    return {(i, j): differentiate(first[i], variables[j]) for i in range(n) for j in range(i, n)}


def hessian_matrix(
    expr: sp.Expr, variables: tuple[sp.Symbol, ...], budget: Budget | None = None, input_size: int | None = None
) -> sp.Matrix:
    """The symmetric matrix of second partials (each mixed partial computed once, each distinct
    entry tidied once); ``input_size`` selects the simplification policy (see :func:`tidy`)."""
    n = len(variables)
    upper = _second_partials(expr, variables)
    keys = list(upper)
    tidied = dict(zip(keys, tidy_all((upper[k] for k in keys), budget, input_size), strict=True))
    return sp.Matrix(n, n, lambda i, j: tidied[min(i, j), max(i, j)])


def eigen_summary(m: sp.Matrix, budget: Budget | None = None) -> tuple[tuple[Value, ...], str, str | None]:
    """Eigenvalues (with multiplicity) of a constant symmetric matrix and its definiteness.

    Exact where SymPy finds radicals that are visibly real; otherwise the
    eigenvalues are given numerically and the third item says so.
    """
    note = None
    values: list[Value] = []
    exact = None
    # Exact eigenvalues only for algebraic entries (radicals of transcendental numbers are
    # unreadable, and eigenvals() on them can run for minutes).
    if m.is_diagonal() and not m.has(sp.Float):
        exact = list(m.diagonal())
    elif m.rows <= 4 and not m.has(sp.Float) and (m.rows <= 2 or all(c.is_Rational or c.is_algebraic for c in m)):
        try:
            with soft_deadline(3.0):
                exact = m.eigenvals(multiple=True)
        except (DeadlineExceeded, NotImplementedError, ValueError, RuntimeError, sp.matrices.exceptions.MatrixError):
            exact = None
    if exact is not None and all(not e.has(sp.I, sp.CRootOf) for e in exact):
        values = [Value(tidy(e, budget), numeric(e)) for e in exact]
        values.sort(key=lambda v: v.numeric if v.numeric is not None else 0.0)
    else:
        import numpy as np

        floats = np.linalg.eigvalsh(np.array(m.evalf(30).tolist(), dtype=float))
        values = [Value(sp.Float(x, 15), float(x)) for x in floats]
        note = "eigenvalues are given numerically (no simple closed form)"
    return tuple(values), definiteness(m, [v.numeric or 0.0 for v in values]), note


# Definiteness is decided exactly (SymPy) up to this many rows of algebraic numbers, and of rationals;
# beyond, from the signs of the eigenvalues computed numerically.
EXACT_DEFINITENESS_ROWS = 4
EXACT_DEFINITENESS_RATIONAL_ROWS = 30


def definiteness(m: sp.Matrix, eigen_floats: list[float]) -> str:
    """positive/negative (semi)definite or indefinite, decided exactly where SymPy can."""
    if m.is_zero_matrix:
        return "zero (both positive and negative semidefinite)"
    if m.has(sp.Float):  # SymPy's exact checks would go through mpmath and may not converge
        return _definiteness_from_signs(eigen_floats)
    if m.rows > EXACT_DEFINITENESS_ROWS and not all(c.is_Rational for c in m):
        # SymPy's exact test of a 10 x 10 matrix of sin(1)-like numbers runs for minutes; the
        # eigenvalues' signs (to 30 digits) decide it
        return _definiteness_from_signs(eigen_floats)
    if m.rows > EXACT_DEFINITENESS_RATIONAL_ROWS:
        return _definiteness_from_signs(eigen_floats)
    for name in (
        "positive definite",
        "negative definite",
        "indefinite",
        "positive semidefinite",
        "negative semidefinite",
    ):
        try:
            if getattr(m, "is_" + name.replace(" ", "_")) is True:
                return name
        except (ValueError, TypeError, RuntimeError, NotImplementedError):
            break
    return _definiteness_from_signs(eigen_floats)


def _definiteness_from_signs(eigen_floats: list[float]) -> str:
    scale = max((abs(x) for x in eigen_floats), default=0.0) or 1.0
    eps = 1e-12 * scale
    pos = sum(x > eps for x in eigen_floats)
    neg = sum(x < -eps for x in eigen_floats)
    if pos and neg:
        return "indefinite"
    zero = len(eigen_floats) - pos - neg
    if not zero:
        return "positive definite" if pos else "negative definite"
    return "positive semidefinite" if pos or not neg else "negative semidefinite"


def hessian(f: Formula, at: Point | None = None, budget: Budget | None = None) -> Hessian:
    """Hessian of ``f``; at a point also its eigenvalues and definiteness.

    >>> from calccli.formula.grammar import formula
    >>> hessian(formula("x^4 + y^4 - 4xy + 1")).matrix
    Matrix([
    [12*x**2,      -4],
    [     -4, 12*y**2]])
    """
    _require_defined(f, at, budget)
    _require_variables(f)
    m = hessian_matrix(f.expr, f.variables, budget, size(f.expr))
    if at is None:
        return Hessian(f.expr, f.variables, m, notes=held_constant(f.exprs, f.variables))
    exact, floats = _matrix_at(m, at, "the Hessian", budget)
    if exact.free_symbols:
        return Hessian(f.expr, f.variables, m, at, exact, floats, notes=held_constant(f.exprs, f.variables))
    if any(c is None for row in floats for c in row):
        unknown = "no eigenvalues or definiteness: some entries of H(p) have no float at bounded precision"
        notes = held_constant(f.exprs, f.variables) + unreachable_floats(_values(exact, floats))
        return Hessian(f.expr, f.variables, m, at, exact, floats, None, None, unknown, notes)
    eig, kind, note = eigen_summary(exact, budget)
    return Hessian(f.expr, f.variables, m, at, exact, floats, eig, kind, note, held_constant(f.exprs, f.variables))


def laplacian(f: Formula, at: Point | None = None, budget: Budget | None = None) -> Laplacian:
    """∇²f = Σ ∂²f/∂xᵢ².

    >>> from calccli.formula.grammar import formula
    >>> laplacian(formula("x^2 + y^2 + z^2")).laplacian
    6
    """
    _require_defined(f, at, budget)
    _require_variables(f)
    lap = tidy(sum((differentiate(f.expr, v, 2) for v in f.variables), sp.S.Zero), budget, size(f.expr))
    value = None if at is None else value_at(lap, at, "the Laplacian", budget)
    notes = held_constant(f.exprs, f.variables) + unreachable_floats([value])
    return Laplacian(f.expr, f.variables, lap, at, value, notes)
