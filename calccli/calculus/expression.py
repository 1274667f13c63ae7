"""Plain expressions: evaluate one (exactly, with its float), or simplify it.

``calccli eval "sin(pi/4)^2"`` is 1/2 (0.5); ``calccli eval "x^2 + 1" --at x=2`` is 5;
``calccli simplify "sin(x)^2 + cos(x)^2"`` is 1.  A simplification is checked numerically
against the expression before it is shown: a form that differs anywhere it is tested is not an
answer, and the expression is kept as it was.
"""

from __future__ import annotations

import random
import time

import sympy as sp

from calccli.calculus.common import approximate, tidy, value_at
from calccli.errors import MathError, UsageError
from calccli.formula.grammar import Formula
from calccli.process.budget import Budget, DeadlineExceeded, soft_deadline
from calccli.results import Evaluation, Point, Simplification, Value

SIMPLIFY_SHARE = 0.8  # of the time left, for the simplify command's own search
_SAMPLES = 12  # random real points the simplified form is compared at


def evaluate(f: Formula, at: Point | None = None, budget: Budget | None = None) -> Evaluation:
    """The value of ``f``: exact and as a float; at ``at`` when given, else ``f`` with its variables kept.

    >>> from calccli.formula.grammar import formula
    >>> v = evaluate(formula("sin(pi/4)^2")).value
    >>> v.exact, v.numeric
    (1/2, 0.5)
    >>> f = formula("x^2 + 1")
    >>> evaluate(f, {f.variables[0]: sp.Integer(2)}).value.exact
    5
    >>> evaluate(formula("1/0")).value
    Traceback (most recent call last):
    ...
    calccli.errors.MathError: the expression is undefined (a division by zero, or a function outside its domain)
    """
    expr = f.expr
    if at is not None:
        return Evaluation(expr, f.variables, at, value_at(expr, at, "the expression", budget), f.text)
    if expr.free_symbols:
        return Evaluation(expr, f.variables, None, Value(tidy(expr, budget), None), f.text)
    if expr.has(sp.zoo, sp.nan):
        raise MathError("the expression is undefined (a division by zero, or a function outside its domain)")
    try:
        value = value_at(expr, {}, "the expression", budget)
    except MathError as e:  # the message names the point, and there is none: say it plainly
        raise MathError(e.message.replace(" at  = ", " ").replace(" at () = ()", "")) from None
    return Evaluation(expr, f.variables, None, value, f.text)


def simplify(f: Formula, budget: Budget | None = None) -> Simplification:
    """The simplest equal form SymPy finds for ``f`` in the time it has, checked at random points.

    >>> from calccli.formula.grammar import formula
    >>> simplify(formula("sin(x)^2 + cos(x)^2")).simplified
    1
    >>> simplify(formula("(x^2 - 1)/(x - 1)")).simplified
    x + 1
    >>> simplify(formula("sqrt(x^2)")).simplified  # variables are real
    Abs(x)
    """
    expr = f.expr
    if expr.has(sp.zoo, sp.nan):
        raise MathError("the expression is undefined (a division by zero, or a function outside its domain)")
    seconds = _allowance(budget)
    notes: list[str] = []
    best = expr
    start = time.monotonic()
    try:
        with soft_deadline(seconds):
            for candidate in _candidates(expr):
                if sp.count_ops(candidate) < sp.count_ops(best) and _agrees(expr, candidate):
                    best = candidate
    except DeadlineExceeded:
        notes.append("simplification stopped at the time limit; the form shown is the simplest found by then")
    except (RecursionError, ValueError, TypeError, NotImplementedError):
        pass
    finally:
        if budget is not None:
            budget.spent_simplifying(time.monotonic() - start)
    if best.has(sp.Piecewise) and not expr.has(sp.Piecewise):
        best = expr
    return Simplification(expr, f.variables, best, tuple(notes), f.text)


def _allowance(budget: Budget | None) -> float:
    if budget is None:
        return 30.0
    return max(0.1, SIMPLIFY_SHARE * budget.remaining())


def _candidates(expr: sp.Expr):  # -> Iterator[sp.Expr]
    """Equal forms to choose from, cheapest to try first."""
    yield sp.cancel(expr) if expr.is_rational_function() else expr
    yield sp.simplify(expr)
    if expr.has(sp.sin, sp.cos, sp.tan, sp.sinh, sp.cosh, sp.tanh):
        yield sp.trigsimp(expr)
    yield sp.factor(expr)
    yield sp.expand(expr)


def _agrees(a: sp.Expr, b: sp.Expr) -> bool:
    """Are ``a`` and ``b`` equal wherever both are defined, at random real points? (Exact zero is enough.)"""
    difference = a - b
    if difference == 0:
        return True
    symbols = sorted(difference.free_symbols, key=lambda s: s.name)
    rng = random.Random(20261202)
    tested = 0
    for _ in range(4 * _SAMPLES):
        point = {s: sp.Rational(rng.randint(-300, 300), 97) for s in symbols}
        va, vb = approximate(a.xreplace(point)), approximate(b.xreplace(point))
        if va is None or vb is None or not (va.is_finite and vb.is_finite) or not (va.is_real and vb.is_real):
            continue
        tested += 1
        if abs(va - vb) > 1e-12 * max(1, abs(va)):
            return False
        if tested >= _SAMPLES:
            break
    return tested > 0 or not symbols


def require_scalar(f: Formula) -> None:
    """eval and simplify take one expression, not a vector."""
    if f.is_vector:
        raise UsageError("eval and simplify take one expression, not a vector")
