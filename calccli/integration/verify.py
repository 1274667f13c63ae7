"""Verification: the checks that decide whether an antiderivative or a definite value is right.

An antiderivative F of f is checked by differentiating it and comparing F' with f at exact
sample points (:func:`verify`); the exact value of a definite integral is checked against an
independent numeric quadrature (:func:`agrees_with_quadrature`).
"""

from __future__ import annotations

import sympy as sp

from calccli.homework import equivalence as eq
from calccli.process.budget import DeadlineExceeded, soft_deadline

# Function classes whose presence means "not an answer".
_NOT_ANSWERS = (sp.Integral, sp.Derivative, sp.Subs, sp.Limit)


def is_answer(F: sp.Expr) -> bool:
    """Whether ``F`` is a closed form at all: no unevaluated integral, no nan or zoo.

    >>> x = sp.Symbol("x")
    >>> is_answer(sp.sin(x)), is_answer(sp.Integral(sp.exp(x**3), x))
    (True, False)
    """
    return isinstance(F, sp.Expr) and not F.has(*_NOT_ANSWERS) and not F.has(sp.nan, sp.zoo)


def numeric_check(d: sp.Expr, f: sp.Expr, x: sp.Symbol, points: list[sp.Expr] | None = None) -> bool | None:
    """True if F' = f at the sample points, False if they differ at one, None if unsure.

    ``d`` is F'; ``points`` replace the standard sample points.  The comparison is the one
    equivalence checker's :data:`~calccli.homework.equivalence.ANTIDERIVATIVE` policy: 1e-10
    relative at 30 digits, at least 5 usable points, parameters fixed at values of either
    sign, and a point where f is finite but F' is not counts as a difference.
    """
    policy = eq.ANTIDERIVATIVE if points is None else eq.ANTIDERIVATIVE.at(points)
    return eq.compare(d, f, (x,), policy).decided


def verify(F: sp.Expr, f: sp.Expr, x: sp.Symbol, seconds: float = 5.0) -> bool:
    """Whether ``F`` is an antiderivative of ``f`` with respect to ``x``.

    By the one equivalence checker's ANTIDERIVATIVE policy: d/dx F must equal f to 1e-10
    (relative, 30 digits) at every sample point where f is finite, positive and negative
    ones, some with |x| > 1, and at least 5 of them; one disagreement is a rejection.  An
    answer valid only for x > 0 thus fails at the negative points.  Only when too few points
    are usable does ``simplify(F' - f) == 0`` decide.  Too slow (over ``seconds``), unsure,
    or no closed form: False.

    >>> x = sp.Symbol("x", real=True)
    >>> verify(x**3 / 3, x**2, x), verify(x**2 / 2, sp.Abs(x), x)
    (True, False)
    """
    if not is_answer(F):
        return False
    try:
        with soft_deadline(seconds):
            d = sp.diff(F, x)
            if d.has(sp.Derivative):
                return False
            return eq.compare(d, f, (x,), eq.ANTIDERIVATIVE).equal
    except (
        DeadlineExceeded,
        RecursionError,
        ValueError,
        TypeError,
        NotImplementedError,
        ArithmeticError,
        AttributeError,
        IndexError,
        KeyError,
    ):
        return False


def agrees_with_quadrature(exact: complex, numeric: complex, error: float) -> bool:
    """Whether an exact definite value (as a number) agrees with a quadrature ``numeric`` ± ``error``.

    The :data:`~calccli.homework.equivalence.QUADRATURE` policy: 1e-9 relative (absolute for
    values under 1), or 100 times the quadrature's error estimate if that is larger.

    >>> agrees_with_quadrature(1.0, 1.0 + 1e-12, 1e-14), agrees_with_quadrature(1.0, 1.001, 1e-14)
    (True, False)
    """
    return eq.compare(exact, numeric, (), eq.QUADRATURE.with_error(error)).equal


__all__ = ["agrees_with_quadrature", "is_answer", "numeric_check", "verify"]
