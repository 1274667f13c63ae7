"""The result of ``calccli matdiff``: a derivative in matrix notation, its shape, layout and check.

The derivative is a matrix expression (:mod:`calccli.formula.matrix`) over symbolic dimensions,
such as ``(A + Aᵀ) x``; it is verified by instantiating the dimensions with small sizes and random
matrices and comparing with the entries of the function differentiated one by one.  At given values
it is also a concrete matrix; with ``--components n`` the function and its derivative are written
out entry by entry, as the course texts do when they derive a result.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import sympy as sp

from calccli.formula import matrix as M
from calccli.results.values import jfloat, text

LAYOUTS = ("denominator", "numerator")


def shape_payload(shape: M.Shape) -> list[str]:
    """``["n", "1"]``: dimensions as text, so symbolic and numeric sizes look alike."""
    return [str(d) for d in shape]


def role(v: M.MExpr) -> str:
    """scalar, vector, row vector or matrix, from the shape."""
    r, c = v.shape
    if r == 1 and c == 1:
        return "scalar"
    if c == 1:
        return "vector"
    if r == 1:
        return "row vector"
    return "matrix"


def sizes_text(dims: tuple[dict[str, int], ...]) -> str:
    """The sizes tried, each once: ``n = 2, 3`` or ``(m, n) = (2, 3), (3, 2)``.

    >>> sizes_text(({"n": 2}, {"n": 3}, {"n": 3})), sizes_text(({"m": 2, "n": 3}, {"m": 3, "n": 2}))
    ('n = 2, 3', '(m, n) = (2, 3), (3, 2)')
    """
    trials = list(dict.fromkeys(tuple(sorted(d.items())) for d in dims if d))
    if not trials:
        return ""
    if len(trials[0]) == 1:
        return f"{trials[0][0][0]} = " + ", ".join(str(t[0][1]) for t in trials)
    names = ", ".join(k for k, _ in trials[0])
    return f"({names}) = " + ", ".join("(" + ", ".join(str(v) for _, v in t) + ")" for t in trials)


def _matrix(m: sp.Matrix) -> list[list[str]]:
    return [[text(m[i, j]) for j in range(m.cols)] for i in range(m.rows)]


def _floats(m: sp.Matrix) -> list[list[float | str | None]]:
    return [[jfloat(_float(m[i, j])) for j in range(m.cols)] for i in range(m.rows)]


def _float(e: sp.Expr) -> float | None:
    try:
        return float(e)
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True, slots=True)
class MatrixCheck:
    """How the matrix-notation answer was verified: instantiated and compared entry by entry."""

    verified: bool
    trials: int
    dims: tuple[dict[str, int], ...]  # the dimension values of each trial
    max_error: float
    reason: str | None = None  # why it is not verified

    def payload(self) -> dict[str, object]:
        return {
            "verified": self.verified,
            "trials": self.trials,
            "dims": [dict(d) for d in self.dims],
            "max_error": jfloat(self.max_error),
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class MatrixComponents:
    """The function and its derivative written out entry by entry for one size."""

    size: int
    entries: tuple[sp.Symbol, ...]  # the entries of the variable differentiated by
    function: sp.Matrix  # f written out (1×1 for a scalar f)
    derivative: sp.Matrix  # the derivative entry by entry, in the layout of the result

    def payload(self) -> dict[str, object]:
        return {
            "size": self.size,
            "entries": [str(s) for s in self.entries],
            "function": _matrix(self.function),
            "derivative": _matrix(self.derivative),
        }


@dataclass(frozen=True, slots=True)
class MatrixDerivativeResult:
    """d f / d wrt in matrix notation (``calccli matdiff``)."""

    KIND: ClassVar[str] = "matdiff"
    SCHEMA: ClassVar[int] = 1

    formula: M.MExpr
    wrt: M.Var
    variables: tuple[M.Var, ...]  # every variable of the formula, with its shape
    layout: str  # denominator | numerator
    order: int  # 1, or 2 for the Hessian
    kind: str  # gradient | matrix gradient | jacobian | hessian | derivative
    derivative: M.MExpr
    check: MatrixCheck
    rules: tuple[tuple[str, M.MExpr], ...] = ()  # (rule, where it was applied), for --steps
    at: dict[str, sp.Matrix] | None = None
    value: sp.Matrix | None = None  # the derivative at the given values
    function_value: sp.Matrix | None = None  # f at the given values
    components: MatrixComponents | None = None
    notes: tuple[str, ...] = ()

    @property
    def shape(self) -> M.Shape:
        return self.derivative.shape

    def payload(self) -> dict[str, object]:
        """The JSON ``result`` object (docs/json.md, calccli/schemas/matdiff.v1.json)."""
        return {
            "function": M.ascii(self.formula),
            "wrt": self.wrt.name,
            "variables": [{"name": v.name, "shape": shape_payload(v.shape), "role": role(v)} for v in self.variables],
            "layout": self.layout,
            "order": self.order,
            "kind": self.kind,
            "derivative": M.ascii(self.derivative),
            "latex": M.latex(self.derivative),
            "shape": shape_payload(self.shape),
            "verification": self.check.payload(),
            "rules": list(dict.fromkeys(rule for rule, _ in self.rules)),
            "at": None if self.at is None else {k: _matrix(v) for k, v in self.at.items()},
            "function_value": None if self.function_value is None else _matrix(self.function_value),
            "value": None if self.value is None else _matrix(self.value),
            "numeric": None if self.value is None else _floats(self.value),
            "components": None if self.components is None else self.components.payload(),
        }


__all__ = [
    "LAYOUTS",
    "MatrixCheck",
    "MatrixComponents",
    "MatrixDerivativeResult",
    "role",
    "shape_payload",
    "sizes_text",
]
