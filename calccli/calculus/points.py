"""Derivatives at many points at once: the entries compiled once into one vectorised NumPy function.

The entries (a gradient's components, a Jacobian's or Hessian's entries row by row) are compiled
from the SymPy tree by ``lambdify`` with dummified symbols, never from text, and called once on
the points' columns.  Functions NumPy lacks (``erf``, ``gamma``, ``polygamma``, ``LambertW``, ...)
are evaluated element by element (``math``, else mpmath), slower but still one compiled function.
Values are real: a complex value, or none (``log(-1)``, ``1/0``), is NaN or an infinity, kept in
the table and counted per column.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from calccli.calculus.common import as_expr
from calccli.errors import MathError, ResourceError
from calccli.formula.points import Points
from calccli.process.budget import Budget


@dataclass(frozen=True, slots=True, eq=False)
class PointTable:
    """The entries ``labels`` (columns of ``outputs``) at every point (rows of ``inputs``, columns ``names``)."""

    names: tuple[str, ...]
    labels: tuple[str, ...]
    inputs: np.ndarray  # float64 (points, variables)
    outputs: np.ndarray  # float64 (points, labels)
    nonfinite: tuple[int, ...]  # per label: points where the value is NaN or an infinity


def _real(value: object) -> float:
    """A scalar function's value as a real float: NaN when complex or undefined."""
    try:
        z = complex(value)  # type: ignore[arg-type,call-overload]
    except (TypeError, ValueError, OverflowError):
        return math.nan
    return z.real if z.imag == 0 else math.nan


def _elementwise(scalar: Callable[..., object], arity: int) -> Callable[..., np.ndarray]:
    """``scalar`` applied to every element (broadcasting its arguments), NaN where it fails or is complex."""

    def safe(*args: object) -> float:
        try:
            return _real(scalar(*args))
        except (ArithmeticError, ValueError, TypeError):
            return math.nan

    ufunc = np.frompyfunc(safe, arity, 1)
    return lambda *args: np.asarray(ufunc(*args), dtype=np.float64)


def _dirac(x: object, k: object = 0) -> np.ndarray:
    """DiracDelta(x) and its derivatives: 0 away from 0, undefined (NaN) at 0."""
    a = np.asarray(x, dtype=np.float64)
    return np.where(a == 0, np.nan, 0.0)


_MATH = {"erf": math.erf, "erfc": math.erfc, "gamma": math.gamma, "loggamma": math.lgamma, "factorial": math.gamma}


def _namespace(exprs: Sequence[sp.Expr]) -> dict[str, object]:
    """Elementwise implementations of the functions in ``exprs`` that NumPy does not have."""
    space: dict[str, object] = {"DiracDelta": _dirac}
    for f in {type(a) for e in exprs for a in e.atoms(sp.Function)}:
        name = f.__name__
        if name == "factorial":  # printed as math's factorial: n! = gamma(n + 1)
            space[name] = _elementwise(lambda n: math.gamma(n + 1), 1)
        elif name in _MATH:
            space[name] = _elementwise(_MATH[name], 1)
        elif not hasattr(np, name) and name not in space and isinstance(f, sp.FunctionClass):
            space[name] = _mpmath_elementwise(f)
    return space


def _mpmath_elementwise(f: sp.FunctionClass) -> Callable[..., np.ndarray]:
    """``f`` evaluated by mpmath at every element (any number of arguments)."""
    compiled: dict[int, Callable[..., object]] = {}

    def scalar(*args: object) -> object:
        arity = len(args)
        if arity not in compiled:
            xs = sp.symbols(f"a0:{arity}")
            compiled[arity] = sp.lambdify(xs, f(*xs), modules="mpmath")
        return compiled[arity](*args)

    return lambda *args: _elementwise(scalar, len(args))(*args)


def _compile(exprs: Sequence[sp.Expr], labels: Sequence[str], variables: Sequence[sp.Symbol]) -> Callable[..., object]:
    """One NumPy function of the variables returning every entry; a MathError names an entry it cannot compile."""
    modules = [_namespace(exprs), "numpy"]
    try:
        return sp.lambdify(list(variables), list(exprs), modules=modules, dummify=True, cse=True)  # type: ignore[no-any-return]
    except Exception:  # noqa: BLE001 - the printer's refusal (an unevaluated Derivative, an Integral)
        for expr, label in zip(exprs, labels, strict=True):
            try:
                sp.lambdify(list(variables), expr, modules=modules, dummify=True)
            except Exception:  # noqa: BLE001
                raise MathError(f"{label} = {expr} cannot be evaluated numerically at points") from None
        raise


def _column(value: object, n: int) -> np.ndarray:
    """One entry's values as n floats: a constant broadcast, a complex value NaN unless real."""
    a = np.asarray(value)
    if np.iscomplexobj(a):
        a = np.where(a.imag == 0, a.real, np.nan)
    return np.broadcast_to(np.asarray(a, dtype=np.float64), (n,))


def evaluate_at_points(
    exprs: Sequence[sp.Expr],
    labels: Sequence[str],
    variables: Sequence[sp.Symbol],
    points: Points,
    budget: Budget | None = None,
) -> PointTable:
    """Every entry of ``exprs`` (columns ``labels``) at every point, compiled once and evaluated on whole columns.

    >>> x, y = sp.symbols("x y")
    >>> from calccli.formula.points import read_points
    >>> t = evaluate_at_points([2 * x * y, x**2, sp.Integer(3), sp.log(x)], ["a", "b", "c", "d"], [x, y],
    ...                        read_points("x,y\\n1,2\\n-1,3\\n", [x, y]))
    >>> t.outputs.tolist(), t.nonfinite
    ([[4.0, 1.0, 3.0, 0.0], [-6.0, 1.0, 3.0, nan]], (0, 0, 0, 1))
    """
    if budget is not None and budget.remaining() <= 0:
        raise ResourceError("the time limit was reached before evaluating at the points")
    exprs = [as_expr(e).xreplace({sp.zoo: sp.nan}) for e in exprs]  # SymPy objects, never text
    fn = _compile(exprs, labels, variables)
    n = points.values.shape[0]
    columns = np.ascontiguousarray(points.values.T)
    outputs = np.empty((n, len(exprs)), dtype=np.float64, order="F")
    with np.errstate(all="ignore"):
        results: Any = fn(*columns)  # type: ignore[operator]
        for k, value in enumerate(results):
            outputs[:, k] = _column(value, n)
    nonfinite = tuple(int(c) for c in (~np.isfinite(outputs)).sum(axis=0))
    return PointTable(points.names, tuple(labels), points.values, outputs, nonfinite)


__all__ = ["PointTable", "evaluate_at_points"]
