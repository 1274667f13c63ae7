"""Results of differentiation: derivative, gradient, directional derivative, Jacobian, Hessian, Laplacian."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import sympy as sp

from calccli.results.values import (
    Point,
    Value,
    by_name,
    floats_payload,
    jfloat,
    matrix_payload,
    names,
    point_payload,
    text,
    values_payload,
)


@dataclass(frozen=True, slots=True)
class Derivative:
    """A partial derivative (of each component, for a vector formula)."""

    KIND: ClassVar[str] = "derivative"
    SCHEMA: ClassVar[int] = 1

    exprs: tuple[sp.Expr, ...]
    is_vector: bool
    variables: tuple[sp.Symbol, ...]
    wrt: tuple[sp.Symbol, ...]  # the differentiation sequence, e.g. (x, x, y)
    derivatives: tuple[sp.Expr, ...]
    at: Point | None = None
    values: tuple[Value, ...] | None = None
    notes: tuple[str, ...] = ()  # said in every format (the envelope's notes in JSON)

    def payload(self) -> dict[str, object]:
        """The JSON ``result`` object (docs/json.md)."""
        one = not self.is_vector
        out: dict[str, object] = {
            "expr": text(self.exprs[0]) if one else [text(e) for e in self.exprs],
            "variables": names(self.variables),
            "wrt": names(self.wrt),
            "order": len(self.wrt),
            "derivative": text(self.derivatives[0]) if one else [text(d) for d in self.derivatives],
            "at": point_payload(self.at),
        }
        if self.values is not None:
            exact, floats = values_payload(self.values)
            out["value"] = {"derivative": exact[0] if one else exact}
            out["numeric"] = {"derivative": floats[0] if one else floats}
        return out


@dataclass(frozen=True, slots=True)
class Gradient:
    """The vector of first partials, in variable order."""

    KIND: ClassVar[str] = "gradient"
    SCHEMA: ClassVar[int] = 1

    expr: sp.Expr
    variables: tuple[sp.Symbol, ...]
    components: tuple[sp.Expr, ...]
    at: Point | None = None
    values: tuple[Value, ...] | None = None
    norm: Value | None = None  # |∇f| at the point: the steepest rate of increase
    notes: tuple[str, ...] = ()  # said in every format (the envelope's notes in JSON)

    def payload(self) -> dict[str, object]:
        """The JSON ``result`` object (docs/json.md)."""
        out: dict[str, object] = {
            "expr": text(self.expr),
            "variables": names(self.variables),
            "gradient": by_name(self.variables, self.components),
            "at": point_payload(self.at),
        }
        if self.values is not None and self.norm is not None:
            exact, floats = values_payload(self.values)
            keys = names(self.variables)
            out["value"] = {"gradient": dict(zip(keys, exact, strict=True)), "norm": text(self.norm.exact)}
            out["numeric"] = {
                "gradient": dict(zip(keys, floats, strict=True)),
                "norm": jfloat(self.norm.numeric),
            }
        return out


@dataclass(frozen=True, slots=True)
class DirectionalDerivative:
    """∇f · u for the unit vector u along the given direction."""

    KIND: ClassVar[str] = "directional"
    SCHEMA: ClassVar[int] = 1

    expr: sp.Expr
    variables: tuple[sp.Symbol, ...]
    given: tuple[sp.Expr, ...]
    unit: tuple[sp.Expr, ...]
    gradient: tuple[sp.Expr, ...]
    derivative: sp.Expr
    at: Point | None = None
    value: Value | None = None

    @property
    def normalized(self) -> bool:
        """Whether the given direction had to be scaled to unit length."""
        return tuple(self.given) != tuple(self.unit)

    notes: tuple[str, ...] = ()  # said in every format (the envelope's notes in JSON)

    def payload(self) -> dict[str, object]:
        """The JSON ``result`` object (docs/json.md)."""
        out: dict[str, object] = {
            "expr": text(self.expr),
            "variables": names(self.variables),
            "direction": [text(u) for u in self.unit],
            "given_direction": [text(g) for g in self.given],
            "normalized": self.normalized,
            "gradient": by_name(self.variables, self.gradient),
            "derivative": text(self.derivative),
            "at": point_payload(self.at),
        }
        if self.value is not None:
            out["value"] = {"derivative": text(self.value.exact)}
            out["numeric"] = {"derivative": jfloat(self.value.numeric)}
        return out


@dataclass(frozen=True, slots=True)
class Jacobian:
    """Matrix of first partials: row i is the gradient of component i."""

    KIND: ClassVar[str] = "jacobian"
    SCHEMA: ClassVar[int] = 1

    exprs: tuple[sp.Expr, ...]
    variables: tuple[sp.Symbol, ...]
    matrix: sp.Matrix
    determinant: sp.Expr | None
    at: Point | None = None
    matrix_value: sp.Matrix | None = None
    matrix_numeric: list[list[float | None]] | None = None
    determinant_value: Value | None = None
    notes: tuple[str, ...] = ()  # said in every format (the envelope's notes in JSON)

    def payload(self) -> dict[str, object]:
        """The JSON ``result`` object (docs/json.md)."""
        out: dict[str, object] = {
            "expr": [text(e) for e in self.exprs],
            "variables": names(self.variables),
            "matrix": matrix_payload(self.matrix),
            "at": point_payload(self.at),
        }
        if self.determinant is not None:
            out["determinant"] = text(self.determinant)
        if self.matrix_value is not None and self.matrix_numeric is not None:
            value: dict[str, object] = {"matrix": matrix_payload(self.matrix_value)}
            numeric: dict[str, object] = {"matrix": floats_payload(self.matrix_numeric)}
            if self.determinant_value is not None:
                value["determinant"] = text(self.determinant_value.exact)
                numeric["determinant"] = jfloat(self.determinant_value.numeric)
            out["value"], out["numeric"] = value, numeric
        return out


@dataclass(frozen=True, slots=True)
class Hessian:
    """Matrix of second partials, rows and columns in variable order."""

    KIND: ClassVar[str] = "hessian"
    SCHEMA: ClassVar[int] = 1

    expr: sp.Expr
    variables: tuple[sp.Symbol, ...]
    matrix: sp.Matrix
    at: Point | None = None
    matrix_value: sp.Matrix | None = None
    matrix_numeric: list[list[float | None]] | None = None
    eigenvalues: tuple[Value, ...] | None = None
    definiteness: str | None = None
    eigen_note: str | None = None
    notes: tuple[str, ...] = ()  # said in every format (the envelope's notes in JSON)

    def payload(self) -> dict[str, object]:
        """The JSON ``result`` object (docs/json.md)."""
        out: dict[str, object] = {
            "expr": text(self.expr),
            "variables": names(self.variables),
            "matrix": matrix_payload(self.matrix),
            "at": point_payload(self.at),
        }
        if self.matrix_value is not None and self.matrix_numeric is not None:
            value: dict[str, object] = {"matrix": matrix_payload(self.matrix_value)}
            numeric: dict[str, object] = {"matrix": floats_payload(self.matrix_numeric)}
            out["value"] = value
            if self.eigenvalues is not None:
                exact, floats = values_payload(self.eigenvalues)
                out["eigenvalues"] = exact
                value["eigenvalues"] = exact
                numeric["eigenvalues"] = floats
            if self.definiteness is not None:
                out["definiteness"] = self.definiteness
            out["numeric"] = numeric
        return out


@dataclass(frozen=True, slots=True)
class Laplacian:
    """Sum of the unmixed second partials (the trace of the Hessian)."""

    KIND: ClassVar[str] = "laplacian"
    SCHEMA: ClassVar[int] = 1

    expr: sp.Expr
    variables: tuple[sp.Symbol, ...]
    laplacian: sp.Expr
    at: Point | None = None
    value: Value | None = None
    notes: tuple[str, ...] = ()  # said in every format (the envelope's notes in JSON)

    def payload(self) -> dict[str, object]:
        """The JSON ``result`` object (docs/json.md)."""
        out: dict[str, object] = {
            "expr": text(self.expr),
            "variables": names(self.variables),
            "laplacian": text(self.laplacian),
            "at": point_payload(self.at),
        }
        if self.value is not None:
            out["value"] = {"laplacian": text(self.value.exact)}
            out["numeric"] = {"laplacian": jfloat(self.value.numeric)}
        return out
