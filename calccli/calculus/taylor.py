"""Multivariable Taylor polynomials, grouped by total degree.

    T_n(x) = Σ_{|α| ≤ n} D^α f(p) / α! · (x − p)^α

>>> from calccli.formula.grammar import formula
>>> t = taylor(formula("e^(x+y)"), order=2)
>>> t.terms[2]
x**2/2 + x*y + y**2/2
"""

from __future__ import annotations

import itertools
import math

import sympy as sp

from calccli.calculus.common import differentiate, numeric, require_smooth, tidy, value_at
from calccli.errors import ArgumentError, MathError
from calccli.formula.grammar import Formula
from calccli.process.budget import Budget
from calccli.results import Point, TaylorPolynomial, Value

MAX_TAYLOR_ORDER = 12


def multi_indices(n: int, k: int) -> list[tuple[int, ...]]:
    """All α with |α| = k over n variables, in graded lexicographic order.

    >>> multi_indices(2, 2)
    [(2, 0), (1, 1), (0, 2)]
    """
    out = []
    for combo in itertools.combinations_with_replacement(range(n), k):
        alpha = [0] * n
        for i in combo:
            alpha[i] += 1
        out.append(tuple(alpha))
    return sorted(out, reverse=True)


class Derivatives:
    """D^α f, each computed once from the one below it."""

    def __init__(self, expr: sp.Expr, variables: tuple[sp.Symbol, ...]) -> None:
        self.variables = variables
        self.cache: dict[tuple[int, ...], sp.Expr] = {(0,) * len(variables): expr}

    def __call__(self, alpha: tuple[int, ...]) -> sp.Expr:
        if alpha not in self.cache:
            i = next(j for j, a in enumerate(alpha) if a)  # peel one off the first nonzero slot
            lower = alpha[:i] + (alpha[i] - 1,) + alpha[i + 1 :]
            self.cache[alpha] = differentiate(self(lower), self.variables[i])
        return self.cache[alpha]


def coefficients(
    f: sp.Expr, variables: tuple[sp.Symbol, ...], at: Point, order: int, budget: Budget | None = None
) -> dict[tuple[int, ...], sp.Expr]:
    """The Taylor coefficients D^α f(p)/α! for |α| ≤ order (exact)."""
    require_smooth(f, at, "it has no Taylor polynomial")
    d = Derivatives(f, variables)
    out: dict[tuple[int, ...], sp.Expr] = {}
    for k in range(order + 1):
        for alpha in multi_indices(len(variables), k):
            try:
                v = value_at(d(alpha), at, "f" if k == 0 else "a derivative of f", budget).exact
            except MathError as e:
                if k == 0:
                    raise
                raise MathError(
                    f"f is not analytic at the point: its derivatives of order {k} are undefined there"
                ) from e
            if v.has(sp.DiracDelta, sp.Heaviside):
                raise MathError("f is not smooth at the point, so it has no Taylor polynomial")
            out[alpha] = v / math.prod(math.factorial(a) for a in alpha)
    return out


def homogeneous_terms(coeffs: dict[tuple[int, ...], sp.Expr], h: tuple[sp.Expr, ...], order: int) -> dict[int, sp.Expr]:
    """Degree k -> Σ_{|α| = k} c_α h^α."""
    terms: dict[int, sp.Expr] = {}
    for k in range(order + 1):
        parts = [
            c * sp.Mul(*(hi**a for hi, a in zip(h, alpha, strict=True)))
            for alpha, c in coeffs.items()
            if sum(alpha) == k and c != 0
        ]
        terms[k] = sp.Add(*parts)
    return terms


def taylor(
    f: Formula,
    at: Point | None = None,
    order: int = 2,
    evaluate_at: Point | None = None,
    expand: bool = False,
    budget: Budget | None = None,
) -> TaylorPolynomial:
    """Taylor polynomial of ``f`` of the given order about ``at`` (default the origin).

    >>> from calccli.formula.grammar import formula
    >>> taylor(formula("x exp(-x^2-y^2)"), at=None, order=1).polynomial
    x
    """
    expr = f.expr
    if not f.variables:
        raise ArgumentError("variables", "the formula has no variables; name them with {arg}")
    if not 0 <= order <= MAX_TAYLOR_ORDER:
        raise ArgumentError("order", f"{{arg}} must be between 0 and {MAX_TAYLOR_ORDER}")
    at = at if at is not None else {v: sp.S.Zero for v in f.variables}
    variables = f.variables
    coeffs = coefficients(expr, variables, at, order, budget)
    h = tuple(v - at[v] for v in variables)
    terms = homogeneous_terms(coeffs, h, order)
    if expand:
        terms = {k: sp.expand(t) for k, t in terms.items()}
    poly = sp.Add(*terms.values())
    poly = sp.expand(poly) if expand else poly
    gradient = hessian = None
    if order >= 2:
        n = len(variables)
        unit = [tuple(int(i == j) for j in range(n)) for i in range(n)]
        gradient = tuple(coeffs[u] for u in unit)
        hessian = sp.Matrix(
            n,
            n,
            lambda i, j: coeffs[tuple(a + b for a, b in zip(unit[i], unit[j], strict=True))] * (2 if i == j else 1),
        )
    approx = exact = error = None
    if evaluate_at is not None:
        approx = value_at(poly, evaluate_at, "the Taylor polynomial", budget)
        exact = value_at(expr, evaluate_at, "f", budget)
        err = tidy(exact.exact - approx.exact, budget)
        error = Value(err, numeric(err))
    return TaylorPolynomial(
        expr,
        variables,
        at,
        order,
        terms,
        poly,
        coeffs[(0,) * len(variables)],
        gradient,
        hessian,
        expand,
        evaluate_at,
        approx,
        exact,
        error,
    )
