"""Results of integration: an antiderivative, a definite integral, and the methods tried on the way."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import sympy as sp

from calccli.results.values import jfloat, text

Bound = tuple[sp.Symbol, sp.Expr, sp.Expr]  # (variable, lower, upper)


def _optional(e: sp.Expr | None) -> str | None:
    return None if e is None else text(e)


@dataclass(frozen=True, slots=True)
class Attempt:
    """One method tried on the way to a result, and how it ended."""

    method: str
    outcome: str  # "verified", "unevaluated", "timed out", "failed check", "error", ...

    def payload(self) -> dict[str, str]:
        """``{"method": ..., "outcome": ...}``."""
        return {"method": self.method, "outcome": self.outcome}


@dataclass(frozen=True, slots=True)
class Antiderivative:
    """An indefinite integral: F with F' = f, and whether that was checked."""

    KIND: ClassVar[str] = "antiderivative"
    SCHEMA: ClassVar[int] = 1

    expr: sp.Expr
    variable: sp.Symbol
    antiderivative: sp.Expr
    verified: bool
    method: str
    attempts: tuple[Attempt, ...] = ()

    def payload(self) -> dict[str, object]:
        """The JSON ``result`` object (docs/json.md)."""
        return {
            "expr": text(self.expr),
            "variable": self.variable.name,
            "antiderivative": text(self.antiderivative),
            "constant": "C",
            "verified": self.verified,
            "method": self.method,
            "attempts": [a.payload() for a in self.attempts],
        }


@dataclass(frozen=True, slots=True)
class DefiniteIntegral:
    """A definite (possibly improper or multiple) integral: exact when found, always numeric when possible."""

    KIND: ClassVar[str] = "integral"
    SCHEMA: ClassVar[int] = 1

    expr: sp.Expr  # the integrand as given
    bounds: tuple[Bound, ...]  # innermost first
    value: sp.Expr | None  # exact value; None when no closed form was found or it diverges
    numeric: float | None  # the float of the exact value when there is one, else the quadrature's
    error_estimate: float | None  # the quadrature's
    verified: bool  # the exact value agrees with an independent numeric quadrature
    method: str
    converges: bool | None = True  # False: diverges; None: unknown
    coords: str | None = None
    transformed: sp.Expr | None = None  # integrand in the new coordinates, times the Jacobian
    jacobian: sp.Expr | None = None
    antiderivative: sp.Expr | None = None  # for a single integral, the F used
    principal_value: sp.Expr | None = None  # Cauchy principal value of a divergent integral
    attempts: tuple[Attempt, ...] = ()
    remarks: tuple[str, ...] = ()
    quadrature: float | None = None  # the independent numeric quadrature (the check), ± error_estimate
    recognised: sp.Expr | None = None  # a closed form matching a high-precision numeric value: not proved
    complete: bool = True  # False: a search ran out of time; what it found is shown
    assumptions: tuple[str, ...] = ()  # under which the value holds ("a > 0"), given or found

    def payload(self) -> dict[str, object]:
        """The JSON ``result`` object (docs/json.md)."""
        return {
            "expr": text(self.expr),
            "bounds": [{"variable": v.name, "from": text(a), "to": text(b)} for v, a, b in self.bounds],
            "coords": self.coords,
            "transformed_integrand": _optional(self.transformed),
            "jacobian": _optional(self.jacobian),
            "value": _optional(self.value),
            "numeric": jfloat(self.numeric),
            "error_estimate": jfloat(self.error_estimate),
            "verified": self.verified,
            "method": self.method,
            "converges": self.converges,
            "principal_value": _optional(self.principal_value),
            "antiderivative": _optional(self.antiderivative),
            "attempts": [a.payload() for a in self.attempts],
            "quadrature": jfloat(self.quadrature),
            "recognised": _optional(self.recognised),
            "complete": self.complete,
            "assumptions": list(self.assumptions),
        }
