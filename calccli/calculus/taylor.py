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

from calccli.calculus.common import (
    approximate,
    differentiate,
    held_constant,
    require_smooth,
    tidy,
    undefined_reason,
    unreachable_floats,
    value_at,
)
from calccli.errors import ArgumentError, MathError
from calccli.formula.grammar import Formula
from calccli.process.budget import Budget, DeadlineExceeded, soft_deadline
from calccli.results import Point, TaylorPolynomial, Value, point_text, text

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


def extension_coefficients(
    f: sp.Expr, x: sp.Symbol, at: sp.Expr, order: int, why: str
) -> dict[tuple[int, ...], sp.Expr]:
    """The Taylor coefficients of the continuous extension of f(x) at a removable singularity.

    f itself is undefined at ``at`` (``why`` says how); its series from both sides is used, and
    must be a power series there (sin(x)/x: 1 - x^2/6 + ...), else it is an error.

    >>> x = sp.Symbol("x", real=True)
    >>> extension_coefficients(sp.sin(x) / x, x, sp.S.Zero, 3, "")
    {(0,): 1, (1,): 0, (2,): -1/6, (3,): 0}
    """
    t = sp.Dummy("t", real=True)
    g = f.xreplace({x: at + t}) if at != 0 else f.xreplace({x: t})
    refusal = MathError(
        f"f is undefined at {x} = {at} ({why}) and has no Taylor series there; "
        "its limit there (calccli limit) or a piecewise definition asks the real question"
    )
    if f.has(sp.DiracDelta):
        raise MathError(f"f is undefined at {x} = {at} ({why}), so it has no Taylor polynomial there")
    sides = []
    try:
        with soft_deadline(5.0):
            for side in ("+", "-"):
                sides.append(sp.series(g, t, 0, order + 1, dir=side).removeO())
    except (DeadlineExceeded, ValueError, TypeError, NotImplementedError, ArithmeticError, RecursionError) as e:
        raise refusal from e
    try:
        polys = [sp.Poly(sp.expand(s), t) for s in sides]
    except sp.PolynomialError as e:
        raise refusal from e
    coeffs = [{k: p.coeff_monomial(t**k) for k in range(order + 1)} for p in polys]
    if any(p.degree() > order for p in polys):
        raise refusal
    if any(not c.is_finite for c in coeffs[0].values()) or any(
        not sp.simplify(coeffs[0][k] - coeffs[1][k]).is_zero for k in range(order + 1)
    ):
        raise refusal
    return {(k,): tidy(c) for k, c in coeffs[0].items()}


def _monomial(c: sp.Expr, h: tuple[sp.Expr, ...], alpha: tuple[int, ...]) -> sp.Expr:
    """c·h^α kept in powers of the displacements: 4*(x - 1), not 4*x - 4."""
    factors = [hi if a == 1 else sp.Pow(hi, a) for hi, a in zip(h, alpha, strict=True) if a]
    if all(isinstance(hi, sp.Symbol) for hi, a in zip(h, alpha, strict=True) if a):
        return c * sp.Mul(*factors)  # about 0 in every variable used: the ordinary product
    coeff, rest = sp.S(c).as_coeff_Mul()  # -exp(-1) -> -1, exp(-1): printed -exp(-1)*(x + 1), not (x + 1)*(-exp(-1))
    parts = ([] if coeff == 1 else [coeff]) + ([] if rest == 1 else list(rest.args) if rest.is_Mul else [rest])
    if not parts:
        return factors[0] if len(factors) == 1 else sp.Mul(*factors, evaluate=False)
    return sp.Mul(*parts, *factors, evaluate=False)


def _sum(parts: list[sp.Expr]) -> sp.Expr:
    if not parts:
        return sp.S.Zero
    return parts[0] if len(parts) == 1 else sp.Add(*parts, evaluate=False)


def homogeneous_terms(coeffs: dict[tuple[int, ...], sp.Expr], h: tuple[sp.Expr, ...], order: int) -> dict[int, sp.Expr]:
    """Degree k -> Σ_{|α| = k} c_α h^α, in powers of the displacements h (not multiplied out).

    >>> x, y = sp.symbols("x y", real=True)
    >>> homogeneous_terms({(0, 0): 2, (1, 0): 4, (0, 1): 1}, (x - 1, y - 2), 1)
    {0: 2, 1: 4*(x - 1) + (y - 2)}
    """
    return {k: _sum(_monomials(coeffs, h, k)) for k in range(order + 1)}


def _monomials(coeffs: dict[tuple[int, ...], sp.Expr], h: tuple[sp.Expr, ...], k: int) -> list[sp.Expr]:
    return [_monomial(c, h, alpha) for alpha, c in coeffs.items() if sum(alpha) == k and c != 0]


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
    notes: list[str] = list(held_constant(f.exprs, variables))
    why = undefined_reason(expr, at)
    if why is not None and len(variables) == 1:
        (x,) = variables
        require_smooth(expr, at, "it has no Taylor polynomial")
        coeffs = extension_coefficients(expr, x, at[x], order, why)
        notes.append(
            f"f is undefined at {point_text(at)} ({why}); this is the Taylor polynomial of its continuous "
            f"extension, which takes the value {text(coeffs[(0,)])} there"
        )
    else:
        coeffs = coefficients(expr, variables, at, order, budget)
    h = tuple(v - at[v] for v in variables)
    if expand:
        terms = {
            k: sp.expand(
                sp.Add(
                    *(
                        c * sp.Mul(*(hi**a for hi, a in zip(h, alpha, strict=True)))
                        for alpha, c in coeffs.items()
                        if sum(alpha) == k
                    )
                )
            )
            for k in range(order + 1)
        }
        poly = sp.expand(sp.Add(*terms.values()))
    else:
        terms = homogeneous_terms(coeffs, h, order)
        poly = _sum([m for k in range(order + 1) for m in _monomials(coeffs, h, k)])
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
        exact = value_at(expr, evaluate_at, "f", budget)  # undefined at q: an error (no extension here)
        err = tidy(exact.exact - approx.exact, budget)
        close = approximate(err, 17)  # as numeric(): 17 digits, then the nearest double
        error = Value(err, float(close) if close is not None and close.is_real else None)
        notes += unreachable_floats([approx, exact])
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
        tuple(notes),
    )
