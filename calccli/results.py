"""One dataclass per kind of answer.

Fields hold SymPy objects.  Strings are made only in ``payload()`` (the JSON
contract, see docs/json.md) and by the renderers, which draw ``view()``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

import sympy as sp

from calccli.view import Grid, Label, Row, Rows, View

Point = dict[sp.Symbol, sp.Expr]


@dataclass(frozen=True, slots=True)
class Value:
    """An exact number and its float (``None`` when parameters remain)."""

    exact: sp.Expr
    numeric: float | None


# ----------------------------------------------------------------- string helpers


def text(e: object) -> str:
    """An expression in SymPy syntax, which calccli reads back."""
    return sp.sstr(e) if isinstance(e, sp.Basic) else str(e)


def jfloat(x: float | None) -> float | str | None:
    """A float for JSON: infinities and NaN become SymPy's strings."""
    if x is None:
        return None
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "oo" if x > 0 else "-oo"
    return x


def point_text(at: Point) -> str:
    names = ", ".join(k.name for k in at)
    values = ", ".join(text(v) for v in at.values())
    return f"({names}) = ({values})" if len(at) > 1 else f"{names} = {values}"


def point_payload(at: Point | None) -> dict[str, str] | None:
    return None if at is None else {k.name: text(v) for k, v in at.items()}


def _names(variables: tuple[sp.Symbol, ...]) -> list[str]:
    return [v.name for v in variables]


def _partial(vars_: list[str], f: str = "f") -> Label:
    """Label of ∂ⁿf/∂a∂b… for the differentiation sequence ``vars_``."""
    n = len(vars_)
    if n == 0:
        return Label("f", f, f)
    runs: list[tuple[str, int]] = []
    for v in vars_:
        if runs and runs[-1][0] == v:
            runs[-1] = (v, runs[-1][1] + 1)
        else:
            runs.append((v, 1))
    sup = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
    order = str(n).translate(sup) if n > 1 else ""
    pretty_den = "".join(f"∂{v}" + (str(k).translate(sup) if k > 1 else "") for v, k in runs)
    latex_den = " ".join(
        rf"\partial {sp.latex(sp.Symbol(v))}" + (f"^{{{k}}}" if k > 1 else "") for v, k in runs
    )
    latex_num = rf"\partial^{{{n}}} {f}" if n > 1 else rf"\partial {f}"
    return Label(",".join(vars_), f"∂{order}{f}/{pretty_den}", rf"\frac{{{latex_num}}}{{{latex_den}}}")


def _subtitle(at: Point | None) -> str | None:
    return None if at is None else f"at {point_text(at)}"


def _values(vs: list[Value]) -> tuple[list[str], list[float | str | None]]:
    return [text(v.exact) for v in vs], [jfloat(v.numeric) for v in vs]


def _rows_with_values(labels: list[Label], exprs: list[sp.Expr], vals: list[Value] | None) -> list[Row]:
    if vals is None:
        return [Row(lab, e) for lab, e in zip(labels, exprs, strict=True)]
    return [Row(lab, e, v.exact, v.numeric) for lab, e, v in zip(labels, exprs, vals, strict=True)]


def _matrix_payload(m: sp.Matrix) -> list[list[str]]:
    return [[text(c) for c in row] for row in m.tolist()]


# ----------------------------------------------------------------- results


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

    def payload(self) -> dict[str, object]:
        one = not self.is_vector
        out: dict[str, object] = {
            "expr": text(self.exprs[0]) if one else [text(e) for e in self.exprs],
            "variables": _names(self.variables),
            "wrt": _names(self.wrt),
            "order": len(self.wrt),
            "derivative": text(self.derivatives[0]) if one else [text(d) for d in self.derivatives],
            "at": point_payload(self.at),
        }
        if self.values is not None:
            exact, floats = _values(list(self.values))
            out["value"] = {"derivative": exact[0] if one else exact}
            out["numeric"] = {"derivative": floats[0] if one else floats}
        return out

    def view(self) -> View:
        names = _names(self.wrt)
        if self.is_vector:
            labels = [_partial(names, f"f{i + 1}") for i in range(len(self.exprs))]
            labels = [Label(str(i + 1), lab.pretty, lab.latex) for i, lab in enumerate(labels)]
        else:
            labels = [_partial(names)]
        rows = _rows_with_values(labels, list(self.derivatives), None if self.values is None else list(self.values))
        return View(
            f"derivative of f = {_formula_text(self.exprs, self.is_vector)}",
            _subtitle(self.at),
            [Rows("derivative", rows, keyed=self.is_vector)],
        )


def _formula_text(exprs: tuple[sp.Expr, ...], is_vector: bool) -> str:
    return "[" + ", ".join(text(e) for e in exprs) + "]" if is_vector else text(exprs[0])


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

    def payload(self) -> dict[str, object]:
        out: dict[str, object] = {
            "expr": text(self.expr),
            "variables": _names(self.variables),
            "gradient": {v.name: text(c) for v, c in zip(self.variables, self.components, strict=True)},
            "at": point_payload(self.at),
        }
        if self.values is not None and self.norm is not None:
            exact, floats = _values(list(self.values))
            names = _names(self.variables)
            out["value"] = {"gradient": dict(zip(names, exact, strict=True)), "norm": text(self.norm.exact)}
            out["numeric"] = {
                "gradient": dict(zip(names, floats, strict=True)),
                "norm": jfloat(self.norm.numeric),
            }
        return out

    def view(self) -> View:
        labels = [_partial([v.name]) for v in self.variables]
        labels = [Label(v.name, lab.pretty, lab.latex) for v, lab in zip(self.variables, labels, strict=True)]
        rows = _rows_with_values(labels, list(self.components), None if self.values is None else list(self.values))
        blocks: list[Rows | Grid] = [Rows("gradient", rows)]
        if self.norm is not None:
            blocks.append(Rows("norm", [Row(Label("norm", "|∇f|", r"\lVert \nabla f \rVert"),
                                            self.norm.exact, self.norm.exact, self.norm.numeric)]))
        return View(f"gradient of f = {text(self.expr)}", _subtitle(self.at), blocks)


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
        return tuple(self.given) != tuple(self.unit)

    def notes(self) -> list[str]:
        if not self.normalized:
            return []
        given = ", ".join(text(g) for g in self.given)
        unit = ", ".join(text(u) for u in self.unit)
        return [f"direction ({given}) is not a unit vector; normalised to ({unit})"]

    def payload(self) -> dict[str, object]:
        out: dict[str, object] = {
            "expr": text(self.expr),
            "variables": _names(self.variables),
            "direction": [text(u) for u in self.unit],
            "given_direction": [text(g) for g in self.given],
            "normalized": self.normalized,
            "gradient": {v.name: text(c) for v, c in zip(self.variables, self.gradient, strict=True)},
            "derivative": text(self.derivative),
            "at": point_payload(self.at),
        }
        if self.value is not None:
            out["value"] = {"derivative": text(self.value.exact)}
            out["numeric"] = {"derivative": jfloat(self.value.numeric)}
        return out

    def view(self) -> View:
        u = sp.Tuple(*self.unit)
        label = Label("derivative", "D_u f", r"D_{\mathbf{u}} f")
        v = self.value
        rows = [
            Row(Label("direction", "u", r"\mathbf{u}"), u),
            Row(label, self.derivative, None if v is None else v.exact, None if v is None else v.numeric),
        ]
        return View(f"directional derivative of f = {text(self.expr)}", _subtitle(self.at),
                    [Rows("directional", rows)], self.notes())


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

    def payload(self) -> dict[str, object]:
        out: dict[str, object] = {
            "expr": [text(e) for e in self.exprs],
            "variables": _names(self.variables),
            "matrix": _matrix_payload(self.matrix),
            "at": point_payload(self.at),
        }
        if self.determinant is not None:
            out["determinant"] = text(self.determinant)
        if self.matrix_value is not None and self.matrix_numeric is not None:
            value: dict[str, object] = {"matrix": _matrix_payload(self.matrix_value)}
            numeric: dict[str, object] = {"matrix": [[jfloat(c) for c in r] for r in self.matrix_numeric]}
            if self.determinant_value is not None:
                value["determinant"] = text(self.determinant_value.exact)
                numeric["determinant"] = jfloat(self.determinant_value.numeric)
            out["value"], out["numeric"] = value, numeric
        return out

    def view(self) -> View:
        rows = [f"f{i + 1}" for i in range(len(self.exprs))]
        cols = _names(self.variables)
        blocks: list[Rows | Grid] = [Grid("Jacobian", "J", rows, cols, self.matrix.tolist())]
        if self.matrix_value is not None:
            blocks.append(Grid("Jacobian at the point", "J(p)", rows, cols, self.matrix_value.tolist()))
        if self.determinant is not None:
            d = self.determinant_value
            blocks.append(Rows("determinant", [Row(Label("det", "det J", r"\det J"), self.determinant,
                                                   None if d is None else d.exact,
                                                   None if d is None else d.numeric)]))
        return View(f"Jacobian of f = {_formula_text(self.exprs, True)}", _subtitle(self.at), blocks)


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

    def payload(self) -> dict[str, object]:
        out: dict[str, object] = {
            "expr": text(self.expr),
            "variables": _names(self.variables),
            "matrix": _matrix_payload(self.matrix),
            "at": point_payload(self.at),
        }
        if self.matrix_value is not None and self.matrix_numeric is not None:
            out["value"] = {"matrix": _matrix_payload(self.matrix_value)}
            numeric: dict[str, object] = {"matrix": [[jfloat(c) for c in r] for r in self.matrix_numeric]}
            if self.eigenvalues is not None:
                exact, floats = _values(list(self.eigenvalues))
                out["eigenvalues"] = exact
                numeric["eigenvalues"] = floats
            if self.definiteness is not None:
                out["definiteness"] = self.definiteness
            out["numeric"] = numeric
        return out

    def view(self) -> View:
        names = _names(self.variables)
        blocks: list[Rows | Grid] = [Grid("Hessian", "H", names, names, self.matrix.tolist())]
        if self.matrix_value is not None:
            blocks.append(Grid("Hessian at the point", "H(p)", names, names, self.matrix_value.tolist()))
        if self.eigenvalues is not None:
            rows = [Row(Label(f"lambda{i + 1}", f"λ{i + 1}", rf"\lambda_{{{i + 1}}}"), v.exact, v.exact, v.numeric)
                    for i, v in enumerate(self.eigenvalues)]
            rows.append(Row(Label("definiteness", "definiteness", r"\text{definiteness}"), self.definiteness or ""))
            blocks.append(Rows("eigenvalues", rows))
        notes = [self.eigen_note] if self.eigen_note else []
        return View(f"Hessian of f = {text(self.expr)}", _subtitle(self.at), blocks, notes)


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

    def payload(self) -> dict[str, object]:
        out: dict[str, object] = {
            "expr": text(self.expr),
            "variables": _names(self.variables),
            "laplacian": text(self.laplacian),
            "at": point_payload(self.at),
        }
        if self.value is not None:
            out["value"] = {"laplacian": text(self.value.exact)}
            out["numeric"] = {"laplacian": jfloat(self.value.numeric)}
        return out

    def view(self) -> View:
        v = self.value
        row = Row(Label("laplacian", "∇²f", r"\nabla^2 f"), self.laplacian,
                  None if v is None else v.exact, None if v is None else v.numeric)
        return View(f"Laplacian of f = {text(self.expr)}", _subtitle(self.at), [Rows("laplacian", [row], keyed=False)])
