"""Shared engine helpers: readable simplification and exact values at a point."""

from __future__ import annotations

import itertools
import math
import sys
import time
import types

import sympy as sp

from calccli.errors import MathError
from calccli.process.budget import Budget, DeadlineExceeded, soft_deadline
from calccli.results import Value


def _skip_physical_units() -> None:
    """``sp.simplify`` (and ``checksol``) import ``sympy.physics.units`` (about 70 ms)
    only to look for physical quantities, which a calccli expression never holds.
    A stand-in module whose classes nothing is an instance of keeps that import out
    of every computation.  SymPy 1.14 uses only ``Quantity`` and ``Unit`` from it
    outside ``sympy.physics``; ``tests/unit/test_engine_common.py`` checks that."""
    if "sympy.physics.units" not in sys.modules:
        stand_in = types.ModuleType("sympy.physics.units", "calccli stand-in: no physical units here")
        # Classes nothing is an instance of: what simplify(), checksol() and the
        # pretty printer look for in this module.
        stand_in.Quantity = type("Quantity", (), {})  # type: ignore[attr-defined]
        stand_in.Unit = type("Unit", (), {})  # type: ignore[attr-defined]
        sys.modules["sympy.physics.units"] = stand_in


_skip_physical_units()

# Expressions with more operations than this are not handed to sp.simplify.
SIMPLIFY_MAX_OPS = 300


def _clean_real_roots(e: sp.Expr) -> sp.Expr:
    """Undo the noise of differentiating sign(u)*|u|^(1/n): sign(u)^2 -> 1, |u|^p*delta(u) -> 0."""
    if not e.has(sp.sign, sp.DiracDelta):
        return e
    u, p = sp.Wild("u"), sp.Wild("p", properties=[lambda k: k.is_positive])
    e = e.replace(sp.sign(u) ** 2, sp.S.One)
    e = e.replace(sp.DiracDelta(u) * sp.Abs(u) ** p, sp.S.Zero)
    return e.replace(
        lambda a: (
            a.is_Mul
            and a.has(sp.DiracDelta)
            and any(
                f.is_Pow
                and f.base.func is sp.Abs
                and f.exp.is_positive
                and any(d.args[0] == f.base.args[0] for d in a.atoms(sp.DiracDelta))
                for f in a.args
            )
        ),
        lambda a: sp.S.Zero,
    )


def as_expr(value: object) -> sp.Expr:
    """A SymPy object for a SymPy object or a Python number; text is refused, never evaluated.

    >>> as_expr(2) + 1
    3
    """
    if isinstance(value, (str, bytes)):
        raise TypeError("text must go through calccli.formula, never SymPy's evaluator")
    return sp.S(value, strict=True)  # strict: only registered conversions (numbers, SymPy objects)


def tidy(e: sp.Expr, budget: Budget | None = None) -> sp.Expr:
    """A readable equal form: ``simplify`` when it is cheap and helps, else ``e``.

    ``budget`` is the computation's: simplification stops when its share is spent (None: no cap).

    >>> x = sp.Symbol("x", real=True)
    >>> tidy(sp.sin(x)**2 + sp.cos(x)**2)
    1
    """
    e = _clean_real_roots(e)
    if not isinstance(e, sp.Expr) or e.is_Atom or e.is_polynomial():
        return e  # a polynomial is already as readable as simplify would make it
    allowance = (budget or Budget.unlimited()).simplify_allowance()
    if allowance <= 0.05:
        return e  # the computation has simplified enough; the rest stays as computed (still exact)
    start = time.monotonic()
    try:
        if sp.count_ops(e) > SIMPLIFY_MAX_OPS:
            return e
        with soft_deadline(allowance):
            s = sp.simplify(e)
    except (DeadlineExceeded, RecursionError, ValueError, TypeError, NotImplementedError):
        return e
    finally:
        if budget is not None:
            budget.spent_simplifying(time.monotonic() - start)
    if s.has(sp.nan, sp.zoo) and not e.has(sp.nan, sp.zoo):
        return e
    return s if sp.count_ops(s) <= sp.count_ops(e) else e


# Functions with a kink or jump where their argument hits a special value.
_KINKS = (sp.Abs, sp.sign, sp.Heaviside, sp.floor, sp.ceiling, sp.Max, sp.Min)


def require_smooth(expr: sp.Expr, at: dict[sp.Symbol, sp.Expr], consequence: str) -> None:
    """Refuse a point where f has a kink or jump (|x| at 0, floor at an integer).

    SymPy would happily report sign(0) = 0 as the derivative of |x| at 0.
    """
    for node in sp.preorder_traversal(expr):
        if isinstance(node, _KINKS):
            args = [a.subs(at) for a in node.args]
            if isinstance(node, (sp.Max, sp.Min)):
                bad = any(sp.simplify(a - b) == 0 for a, b in itertools.combinations(args, 2))
            elif isinstance(node, (sp.floor, sp.ceiling)):
                bad = bool(args[0].is_integer)
            else:
                bad = sp.simplify(args[0]) == 0
            if bad:
                raise MathError(f"f is not smooth at the point ({node} has a kink or jump there), so {consequence}")


def differentiate(e: sp.Expr, *wrt: sp.Symbol) -> sp.Expr:
    """``sp.diff`` with the step functions' derivatives settled: d/dx floor(u) = 0 between jumps."""
    d = sp.diff(e, *wrt)
    if d.has(sp.Derivative):
        d = d.replace(
            lambda n: isinstance(n, sp.Derivative) and isinstance(n.expr, (sp.floor, sp.ceiling)), lambda n: sp.S.Zero
        )
    if d.has(sp.Derivative):
        raise MathError("SymPy cannot differentiate this formula in closed form")
    return d


def numeric(e: sp.Expr) -> float:
    """A float for an exact real number (infinities allowed)."""
    if e is sp.oo:
        return math.inf
    if e is sp.S.NegativeInfinity:
        return -math.inf
    return float(sp.N(e, 17))


def _undefined(what: str, point_text: str) -> MathError:
    return MathError(f"{what} is undefined at {point_text}")


def value_at(
    e: sp.Expr, point: dict[sp.Symbol, sp.Expr], what: str = "the result", budget: Budget | None = None
) -> Value:
    """``e`` at ``point``: exact (simplified) and as a float; undefined or complex is an error.

    >>> x = sp.Symbol("x", real=True)
    >>> value_at(sp.sin(x), {x: sp.pi / 6}).exact
    1/2
    """
    where = "(" + ", ".join(f"{k}={v}" for k, v in point.items()) + ")"
    v = e.subs(point)
    if v.has(sp.zoo, sp.nan) or v.has(sp.oo) or v.has(-sp.oo):
        raise _undefined(what, where + " (division by zero or a singularity)")
    if v.free_symbols:
        params = v.free_symbols - set(point)
        if params:
            return Value(tidy(v, budget), None)
    v = tidy(v, budget)
    approx = sp.N(v, 30)
    if approx.has(sp.zoo, sp.nan, sp.oo):
        raise _undefined(what, where)
    if not approx.is_real:
        re_, im_ = approx.as_real_imag()
        if abs(im_) > 1e-25 * max(1, abs(re_)) or not im_.is_number:
            raise MathError(f"{what} is not real at {where} (for example a log or square root of a negative number)")
        v = sp.re(v)
    return Value(v, numeric(v))
