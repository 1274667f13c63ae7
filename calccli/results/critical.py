"""Results of the critical-point search: each point classified, and the global extremes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import sympy as sp

from calccli.results.values import Point, Value, jfloat, matrix_payload, names, text


def multiplier_names(m: int) -> list[str]:
    """Names of ``m`` Lagrange multipliers: ``lambda`` alone, else ``lambda1``, ``lambda2``, ...

    >>> multiplier_names(1), multiplier_names(2)
    (['lambda'], ['lambda1', 'lambda2'])
    """
    return ["lambda"] if m == 1 else [f"lambda{i + 1}" for i in range(m)]


@dataclass(frozen=True, slots=True)
class CriticalPoint:
    """One critical point (or a family of them) with its classification."""

    point: Point  # exact coordinates; for a family, expressions in its free variables
    numeric: dict[sp.Symbol, float] | None
    value: Value  # f there
    kind: str  # local minimum | local maximum | saddle point | degenerate | inconclusive
    test: str  # which test decided
    hessian: sp.Matrix | None = None  # H(p), or the Lagrangian's Hessian with constraints
    eigenvalues: tuple[Value, ...] = ()
    family: bool = False
    multipliers: tuple[Value, ...] | None = None
    fxx: Value | None = None  # the 2-variable determinant test: f_xx and det H
    det: Value | None = None
    global_: str | None = None  # "minimum", "maximum" or both, when known
    nature: str = "stationary"  # stationary (gradient zero) | singular (no gradient there)

    def payload(self, variables: tuple[sp.Symbol, ...]) -> dict[str, object]:
        """This point's entry in ``critical_points``, coordinates in the order of ``variables``."""
        out: dict[str, object] = {
            "point": {v.name: text(self.point[v]) for v in variables},
            "numeric": None if self.numeric is None else {v.name: jfloat(self.numeric[v]) for v in variables},
            "value": text(self.value.exact),
            "value_numeric": jfloat(self.value.numeric),
            "kind": self.kind,
            "test": self.test,
            "eigenvalues": [text(e.exact) for e in self.eigenvalues],
            "hessian": None if self.hessian is None else matrix_payload(self.hessian),
            "family": self.family,
            "global": self.global_,
            "nature": self.nature,
        }
        if self.fxx is not None and self.det is not None:
            out["determinant_test"] = {"fxx": text(self.fxx.exact), "det": text(self.det.exact)}
        if self.multipliers is not None:
            keys = multiplier_names(len(self.multipliers))
            out["multipliers"] = {n: text(m.exact) for n, m in zip(keys, self.multipliers, strict=True)}
        return out


@dataclass(frozen=True, slots=True)
class Extremum:
    """A global minimum or maximum among the candidates."""

    value: Value
    points: tuple[Point, ...]

    def payload(self) -> dict[str, object]:
        """The JSON object under ``global.minimum`` or ``global.maximum``."""
        return {
            "value": text(self.value.exact),
            "value_numeric": jfloat(self.value.numeric),
            "points": [{k.name: text(v) for k, v in p.items()} for p in self.points],
        }


@dataclass(frozen=True, slots=True)
class CriticalPoints:
    """All critical points found, classified; with constraints, the Lagrange candidates."""

    KIND: ClassVar[str] = "critical_points"
    SCHEMA: ClassVar[int] = 1

    expr: sp.Expr
    variables: tuple[sp.Symbol, ...]
    points: tuple[CriticalPoint, ...]
    complete: bool
    method: str  # "exact", "numeric" or "exact+numeric"
    constraints: tuple[sp.Expr, ...] = ()
    region: dict[sp.Symbol, tuple[sp.Expr, sp.Expr]] | None = None
    minimum: Extremum | None = None
    maximum: Extremum | None = None
    global_reason: str | None = None
    remarks: tuple[str, ...] = ()
    patterns: tuple[sp.Tuple, ...] = ()  # repeating points, in integer parameters k, k1, ...: (k*pi, 0)
    stopped: str | None = None  # why the search ended early ("time limit"), else None

    def payload(self) -> dict[str, object]:
        """The JSON ``result`` object (docs/json.md)."""
        return {
            "expr": text(self.expr),
            "variables": names(self.variables),
            "constraints": [f"{text(c)} = 0" for c in self.constraints],
            "region": None
            if self.region is None
            else {k.name: [text(a), text(b)] for k, (a, b) in self.region.items()},
            "complete": self.complete,
            "method": self.method,
            "critical_points": [p.payload(self.variables) for p in self.points],
            "patterns": [text(q) for q in self.patterns],
            "stopped": self.stopped,
            "global": {
                "minimum": None if self.minimum is None else self.minimum.payload(),
                "maximum": None if self.maximum is None else self.maximum.payload(),
                "reason": self.global_reason,
            },
        }
