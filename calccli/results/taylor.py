"""The Taylor polynomial result."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import sympy as sp

from calccli.results.values import Point, Value, by_name, jfloat, matrix_payload, names, point_payload, text


@dataclass(frozen=True, slots=True)
class TaylorPolynomial:
    """T_n f about p, grouped by total degree, in powers of the displacement x - p."""

    KIND: ClassVar[str] = "taylor"
    SCHEMA: ClassVar[int] = 1

    expr: sp.Expr
    variables: tuple[sp.Symbol, ...]
    at: Point
    order: int
    terms: dict[int, sp.Expr]  # degree -> homogeneous part
    polynomial: sp.Expr
    value: sp.Expr  # f(p)
    gradient: tuple[sp.Expr, ...] | None = None  # ∇f(p), order >= 2
    hessian: sp.Matrix | None = None  # H(p), order >= 2
    expanded: bool = False
    evaluate_at: Point | None = None
    approximation: Value | None = None
    exact: Value | None = None
    error: Value | None = None
    notes: tuple[str, ...] = ()  # e.g. that f is undefined at p and this is its continuous extension's

    def payload(self) -> dict[str, object]:
        """The JSON ``result`` object (docs/json.md)."""
        out: dict[str, object] = {
            "expr": text(self.expr),
            "variables": names(self.variables),
            "point": point_payload(self.at),
            "order": self.order,
            "polynomial": text(self.polynomial),
            "terms": {str(k): text(t) for k, t in self.terms.items()},
            "expanded": self.expanded,
            "value": text(self.value),
        }
        if self.gradient is not None and self.hessian is not None:
            out["gradient"] = by_name(self.variables, self.gradient)
            out["hessian"] = matrix_payload(self.hessian)
        if self.approximation is not None and self.exact is not None and self.error is not None:
            out["eval_at"] = point_payload(self.evaluate_at)
            out["approximation"] = text(self.approximation.exact)
            out["exact"] = text(self.exact.exact)
            out["error"] = text(self.error.exact)
            out["numeric"] = {
                "approximation": jfloat(self.approximation.numeric),
                "exact": jfloat(self.exact.numeric),
                "error": jfloat(self.error.numeric),
            }
        return out
