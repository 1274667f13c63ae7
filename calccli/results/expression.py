"""Plain expressions: a value (``calccli eval``) and a simplification (``calccli simplify``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import sympy as sp

from calccli.results.values import Point, Value, jfloat, point_payload, text


def _names(variables: tuple[sp.Symbol, ...]) -> list[str]:
    return [v.name for v in variables]


@dataclass(frozen=True, slots=True)
class Evaluation:
    """The value of an expression: exact and as a float, at a point when one is given.

    Without a point and with variables left, ``value.exact`` is the expression in its tidied form
    and ``value.numeric`` is None.
    """

    KIND: ClassVar[str] = "evaluation"
    SCHEMA: ClassVar[int] = 1

    expr: sp.Expr
    variables: tuple[sp.Symbol, ...]
    at: Point | None
    value: Value
    typed: str = ""  # the formula as typed (SymPy evaluates sin(pi/4)^2 to 1/2 as it reads it)

    def payload(self) -> dict[str, object]:
        """The JSON ``result`` object (docs/json.md)."""
        return {
            "expr": text(self.expr),
            "variables": _names(self.variables),
            "at": point_payload(self.at),
            "value": text(self.value.exact),
            "numeric": jfloat(self.value.numeric),
        }


@dataclass(frozen=True, slots=True)
class Simplification:
    """An expression and the simplest equal form found for it (the expression itself if none is simpler)."""

    KIND: ClassVar[str] = "simplification"
    SCHEMA: ClassVar[int] = 1

    expr: sp.Expr
    variables: tuple[sp.Symbol, ...]
    simplified: sp.Expr
    notes: tuple[str, ...] = ()
    typed: str = ""  # the formula as typed

    def payload(self) -> dict[str, object]:
        """The JSON ``result`` object (docs/json.md)."""
        return {
            "expr": text(self.expr),
            "variables": _names(self.variables),
            "simplified": text(self.simplified),
            "changed": self.simplified != self.expr,
        }
