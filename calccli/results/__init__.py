"""One dataclass per kind of answer.

Fields hold SymPy objects.  Strings are made only in ``payload()`` (the JSON
contract, see docs/json.md) and by the renderers, which draw ``view()``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

import sympy as sp

from calccli.render.view import Grid, Label, Row, Rows, StepLine, Steps, View

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
                out["value"]["eigenvalues"] = exact  # type: ignore[index]
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

    def payload(self) -> dict[str, object]:
        out: dict[str, object] = {
            "expr": text(self.expr),
            "variables": _names(self.variables),
            "point": point_payload(self.at),
            "order": self.order,
            "polynomial": text(self.polynomial),
            "terms": {str(k): text(t) for k, t in self.terms.items()},
            "expanded": self.expanded,
            "value": text(self.value),
        }
        if self.gradient is not None and self.hessian is not None:
            out["gradient"] = {v.name: text(g) for v, g in zip(self.variables, self.gradient, strict=True)}
            out["hessian"] = _matrix_payload(self.hessian)
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

    def view(self) -> View:
        rows = [Row(Label(f"degree {k}", f"degree {k}", rf"\text{{degree {k}}}"), t) for k, t in self.terms.items()]
        rows.append(Row(Label("polynomial", f"T{self.order}", f"T_{{{self.order}}}"), self.polynomial))
        blocks: list[Rows | Grid] = [Rows("terms", rows)]
        if self.gradient is not None and self.hessian is not None:
            names = _names(self.variables)
            h = ", ".join(text(v - self.at[v]) for v in self.variables)
            blocks.append(Rows("matrix form", [
                Row(Label("form", "form", r"\text{form}"),
                    f"f(p) + grad f(p) . h + 1/2 h^T H(p) h, with h = ({h})"),
                Row(Label("f(p)", "f(p)", "f(p)"), self.value),
                Row(Label("gradient", "∇f(p)", r"\nabla f(p)"), sp.Tuple(*self.gradient)),
            ]))
            blocks.append(Grid("Hessian at p", "H(p)", names, names, self.hessian.tolist()))
        if self.approximation is not None and self.exact is not None and self.error is not None:
            ev = [
                ("approximation", "T(q)", "T(q)", self.approximation),
                ("exact", "f(q)", "f(q)", self.exact),
                ("error", "f(q) - T(q)", "f(q) - T(q)", self.error),
            ]
            blocks.append(Rows(f"at {point_text(self.evaluate_at or {})}",
                               [Row(Label(a, b, c), v.exact, v.exact, v.numeric) for a, b, c, v in ev]))
        return View(f"Taylor polynomial of order {self.order} of f = {text(self.expr)}",
                    f"about {point_text(self.at)}", blocks)


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

    def payload(self, variables: tuple[sp.Symbol, ...]) -> dict[str, object]:
        out: dict[str, object] = {
            "point": {v.name: text(self.point[v]) for v in variables},
            "numeric": None if self.numeric is None else {v.name: jfloat(self.numeric[v]) for v in variables},
            "value": text(self.value.exact),
            "value_numeric": jfloat(self.value.numeric),
            "kind": self.kind,
            "test": self.test,
            "eigenvalues": [text(e.exact) for e in self.eigenvalues],
            "hessian": None if self.hessian is None else _matrix_payload(self.hessian),
            "family": self.family,
            "global": self.global_,
        }
        if self.fxx is not None and self.det is not None:
            out["determinant_test"] = {"fxx": text(self.fxx.exact), "det": text(self.det.exact)}
        if self.multipliers is not None:
            names = _multiplier_names(len(self.multipliers))
            out["multipliers"] = {n: text(m.exact) for n, m in zip(names, self.multipliers, strict=True)}
        return out


def _multiplier_names(m: int) -> list[str]:
    return ["lambda"] if m == 1 else [f"lambda{i + 1}" for i in range(m)]


@dataclass(frozen=True, slots=True)
class Extremum:
    """A global minimum or maximum among the candidates."""

    value: Value
    points: tuple[Point, ...]

    def payload(self) -> dict[str, object]:
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

    def payload(self) -> dict[str, object]:
        out: dict[str, object] = {
            "expr": text(self.expr),
            "variables": _names(self.variables),
            "constraints": [f"{text(c)} = 0" for c in self.constraints],
            "region": None if self.region is None else {
                k.name: [text(a), text(b)] for k, (a, b) in self.region.items()
            },
            "complete": self.complete,
            "method": self.method,
            "critical_points": [p.payload(self.variables) for p in self.points],
            "global": {
                "minimum": None if self.minimum is None else self.minimum.payload(),
                "maximum": None if self.maximum is None else self.maximum.payload(),
                "reason": self.global_reason,
            },
        }
        return out

    def view(self) -> View:
        two = len(self.variables) == 2 and not self.constraints
        rows: list[Row] = []
        for i, p in enumerate(self.points, 1):
            where = sp.Tuple(*(p.point[v] for v in self.variables))
            detail = [p.kind]
            if p.global_:
                detail.append(f"global {p.global_}")
            detail.append(f"by {p.test}")
            if p.eigenvalues:
                detail.append("eigenvalues " + ", ".join(text(e.exact) for e in p.eigenvalues))
            if two and p.fxx is not None and p.det is not None:
                detail.append(f"f_xx = {text(p.fxx.exact)}, det H = {text(p.det.exact)}")
            if p.multipliers is not None:
                names = _multiplier_names(len(p.multipliers))
                detail.append(", ".join(f"{n} = {text(m.exact)}" for n, m in zip(names, p.multipliers, strict=True)))
            rows.append(Row(Label(text(where), f"p{i} = {text(where)}", rf"p_{{{i}}} = {sp.latex(where)}"),
                            "; ".join(detail), p.value.exact, p.value.numeric))
        blocks: list[Rows | Grid] = [Rows("critical points", rows, heading="classification")]
        glob = []
        for name, ext in (("global minimum", self.minimum), ("global maximum", self.maximum)):
            if ext is not None:
                pts = ", ".join(text(sp.Tuple(*(q[v] for v in self.variables))) for q in ext.points)
                glob.append(Row(Label(name.replace(" ", "_"), name, rf"\text{{{name}}}"),
                                f"at {pts}", ext.value.exact, ext.value.numeric))
        if glob:
            blocks.append(Rows("global", glob, heading="where"))
        notes = list(self.remarks)
        if not self.complete:
            notes.append("the list may be incomplete" + (" (from a numeric search)" if "numeric" in self.method else ""))
        names = ", ".join(v.name for v in self.variables)
        subject = "" if not self.constraints else " subject to " + ", ".join(f"{text(c)} = 0" for c in self.constraints)
        return View(f"critical points of f({names}) = {text(self.expr)}{subject}",
                    None if not self.points else f"{len(self.points)} found", blocks, notes)


# ----------------------------------------------------------------- integrals

Bound = tuple[sp.Symbol, sp.Expr, sp.Expr]  # (variable, lower, upper)


def _integral_sign(bounds: tuple[Bound, ...]) -> tuple[str, str]:
    """``∫∫ ... dy dx`` in plain text and LaTeX, innermost differential first."""
    n = len(bounds)
    pretty = "∫" * n
    latex = "".join(rf"\int_{{{sp.latex(a)}}}^{{{sp.latex(b)}}}" for _, a, b in reversed(bounds))
    return pretty, latex


@dataclass(frozen=True, slots=True)
class Attempt:
    """One method tried on the way to a result, and how it ended."""

    method: str
    outcome: str  # "verified", "unevaluated", "timed out", "failed check", "error", ...

    def payload(self) -> dict[str, str]:
        return {"method": self.method, "outcome": self.outcome}


class PlusC:
    """``F + C`` for human formats, printed in that order (SymPy would sort C first)."""

    def __init__(self, antiderivative: sp.Expr) -> None:
        self.antiderivative = antiderivative

    def __str__(self) -> str:
        return f"{text(self.antiderivative)} + C"

    def _latex(self, printer: object) -> str:
        return f"{sp.latex(self.antiderivative)} + C"


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
        return {
            "expr": text(self.expr),
            "variable": self.variable.name,
            "antiderivative": text(self.antiderivative),
            "constant": "C",
            "verified": self.verified,
            "method": self.method,
            "attempts": [a.payload() for a in self.attempts],
        }

    def view(self) -> View:
        x = self.variable.name
        with_c = PlusC(self.antiderivative)
        label = Label("antiderivative", f"∫ f d{x}", rf"\int {sp.latex(self.expr)}\, d{sp.latex(self.variable)}")
        notes = [f"verified: d/d{x} of the result is the integrand" if self.verified else
                 f"NOT verified: calccli could not confirm that d/d{x} of this result is the integrand; "
                 "treat it with care"]
        return View(f"antiderivative of f = {text(self.expr)} in {x}", f"by {self.method}",
                    [Rows("antiderivative", [Row(label, with_c)], keyed=False)], notes)


@dataclass(frozen=True, slots=True)
class DefiniteIntegral:
    """A definite (possibly improper or multiple) integral: exact when found, always numeric when possible."""

    KIND: ClassVar[str] = "integral"
    SCHEMA: ClassVar[int] = 1

    expr: sp.Expr  # the integrand as given
    bounds: tuple[Bound, ...]  # innermost first
    value: sp.Expr | None  # exact value; None when no closed form was found or it diverges
    numeric: float | None
    error_estimate: float | None
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

    def payload(self) -> dict[str, object]:
        return {
            "expr": text(self.expr),
            "bounds": [{"variable": v.name, "from": text(a), "to": text(b)} for v, a, b in self.bounds],
            "coords": self.coords,
            "transformed_integrand": None if self.transformed is None else text(self.transformed),
            "jacobian": None if self.jacobian is None else text(self.jacobian),
            "value": None if self.value is None else text(self.value),
            "numeric": jfloat(self.numeric),
            "error_estimate": jfloat(self.error_estimate),
            "verified": self.verified,
            "method": self.method,
            "converges": self.converges,
            "principal_value": None if self.principal_value is None else text(self.principal_value),
            "antiderivative": None if self.antiderivative is None else text(self.antiderivative),
            "attempts": [a.payload() for a in self.attempts],
        }

    def view(self) -> View:
        pretty, latex = _integral_sign(self.bounds)
        ds = " ".join(f"d{v.name}" for v, _, _ in self.bounds)
        integrand = self.transformed if self.transformed is not None else self.expr
        label = Label("value", f"{pretty} f {ds}", latex + sp.latex(integrand) + r"\, " +
                      r"\, ".join(f"d{sp.latex(v)}" for v, _, _ in self.bounds))
        shown: object
        if self.converges is False:
            shown = "diverges" + ("" if self.value is None else f" to {text(self.value)}")
        elif self.value is not None:
            shown = self.value
        else:
            shown = "no closed form found (numeric value only)" if self.numeric is not None else "no closed form found"
        numeric = self.numeric if self.converges is not False else None
        rows = [Row(label, shown, None, numeric)]
        if self.error_estimate is not None and self.converges is not False:
            rows.append(Row(Label("error_estimate", "numeric error estimate", r"\text{error estimate}"),
                            f"{self.error_estimate:.2g}"))
        if self.principal_value is not None:
            rows.append(Row(Label("principal_value", "principal value", r"\mathrm{PV}"), self.principal_value))
        if self.antiderivative is not None:
            v = self.bounds[0][0]
            rows.append(Row(Label("antiderivative", f"F({v.name})", f"F({sp.latex(v)})"), self.antiderivative))
        blocks: list[Rows | Grid] = [Rows("integral", rows, heading="value", exact_heading=None)]
        if self.coords is not None and self.transformed is not None and self.jacobian is not None:
            blocks.append(Rows(f"{self.coords} coordinates", [
                Row(Label("jacobian", "|det J|", r"\lvert\det J\rvert"), self.jacobian),
                Row(Label("transformed_integrand", "integrand × |det J|", r"f\,\lvert\det J\rvert"),
                    self.transformed),
            ]))
        notes = list(self.remarks)
        if self.value is not None and self.converges is not False:
            notes.append("verified against numeric quadrature" if self.verified else
                         "NOT verified: the exact value could not be checked against numeric quadrature")
        elif self.numeric is not None and self.converges is not False:
            notes.append("the value is numeric (no closed form was found)")
        ranges = ", ".join(f"{v.name} = {text(a)}..{text(b)}" for v, a, b in self.bounds)
        return View(f"integral of f = {text(self.expr)}", f"over {ranges}" + (
            f" ({self.coords} coordinates)" if self.coords else ""), blocks, notes)


# ----------------------------------------------------------------- homework companion: --check and --steps


def _shown(e: object) -> str:
    """An answer (expression, vector or matrix) as calccli text."""
    if isinstance(e, sp.MatrixBase):
        return "[" + ", ".join("[" + ", ".join(text(c) for c in row) + "]" for row in e.tolist()) + "]"
    if isinstance(e, (tuple, list)):
        return "[" + ", ".join(_shown(c) for c in e) + "]"
    return text(e)


@dataclass(frozen=True, slots=True)
class Verdict:
    """The verdict on a user's answer (``--check``)."""

    verdict: str  # correct | incorrect | undetermined
    given: object  # the answer as parsed
    expected: object  # the right answer, in the same shape
    method: str  # how it was decided
    differs_at: Point | None = None
    given_value: sp.Expr | None = None
    expected_value: sp.Expr | None = None
    wrong: tuple[str, ...] = ()  # labels of wrong components
    reason: str = ""

    @property
    def exit_code(self) -> int:
        from calccli.errors import ExitCode

        codes = {"correct": ExitCode.OK, "incorrect": ExitCode.INCORRECT}
        return int(codes.get(self.verdict, ExitCode.UNDETERMINED))

    def payload(self) -> dict[str, object]:
        return {
            "verdict": self.verdict,
            "given": _shown(self.given),
            "expected": _shown(self.expected),
            "method": self.method,
            "differs_at": point_payload(self.differs_at),
            "given_at": None if self.given_value is None else text(self.given_value),
            "expected_at": None if self.expected_value is None else text(self.expected_value),
            "wrong_components": list(self.wrong),
            "reason": self.reason or None,
        }

    def rows(self) -> Rows:
        mark = {"correct": "correct ✓", "incorrect": "incorrect ✗"}.get(self.verdict, "undetermined ?")
        rows = [
            Row(Label("verdict", "verdict", r"\text{verdict}"), mark),
            Row(Label("given", "your answer", r"\text{your answer}"), _shown(self.given)),
        ]
        if self.verdict != "correct":
            rows.append(Row(Label("expected", "correct answer", r"\text{correct answer}"), _shown(self.expected)))
        if self.wrong:
            rows.append(Row(Label("wrong", "wrong components", r"\text{wrong components}"), ", ".join(self.wrong)))
        if self.differs_at is not None:
            where = point_text(self.differs_at)
            detail = where
            if self.given_value is not None and self.expected_value is not None:
                detail += f": yours gives {text(self.given_value)}, the correct one {text(self.expected_value)}"
            rows.append(Row(Label("differs_at", "differs at", r"\text{differs at}"), detail))
        if self.reason:
            rows.append(Row(Label("reason", "hint", r"\text{hint}"), self.reason))
        rows.append(Row(Label("method", "decided by", r"\text{decided by}"), self.method))
        return Rows("check", rows, heading="")


@dataclass(frozen=True, slots=True)
class WorkedStep:
    """One step of a worked solution (``--steps``)."""

    depth: int
    rule: str
    expr: sp.Expr | None  # what the step differentiates or integrates (None: a step in words)
    result: sp.Expr | None
    detail: str
    operation: str = "d"  # "d" (derivative), "partial", "int" (antiderivative) or "words"
    wrt: sp.Symbol | None = None

    def payload(self) -> dict[str, object]:
        return {
            "depth": self.depth,
            "rule": self.rule,
            "expression": None if self.expr is None else text(self.expr),
            "result": None if self.result is None else text(self.result),
            "detail": self.detail,
        }

    def line(self) -> StepLine:
        from calccli.render.latex import text_mode  # noqa: PLC0415 - a pure string helper

        if self.expr is None or self.result is None or self.wrt is None or self.operation == "words":
            latex = rf"\text{{{text_mode(self.detail)}}}"
        else:
            e, r, v = sp.latex(self.expr), sp.latex(self.result), sp.latex(self.wrt)
            latex = {
                "d": rf"\frac{{d}}{{d{v}}}\left[{e}\right] = {r}",
                "partial": rf"\frac{{\partial}}{{\partial {v}}}\left[{e}\right] = {r}",
                "int": rf"\int {e}\, d{v} = {r}",
            }.get(self.operation, rf"\text{{{text_mode(self.detail)}}}")
        return StepLine(self.depth, self.rule, self.detail, latex)


@dataclass(frozen=True)
class Explained:
    """A result with the homework companion's additions: a verdict on the user's answer, worked steps."""

    result: object
    check: Verdict | None = None
    steps: tuple[WorkedStep, ...] | None = None
    steps_note: str | None = None  # e.g. "the answer came from the Risch algorithm, which gives no steps"

    @property
    def KIND(self) -> str:  # noqa: N802 - mirrors the result classes' ClassVar
        return self.result.KIND  # type: ignore[attr-defined, no-any-return]

    @property
    def SCHEMA(self) -> int:  # noqa: N802
        return self.result.SCHEMA  # type: ignore[attr-defined, no-any-return]

    @property
    def exit_code(self) -> int:
        return 0 if self.check is None else self.check.exit_code

    def payload(self) -> dict[str, object]:
        out = dict(self.result.payload())  # type: ignore[attr-defined]
        if self.check is not None:
            out["check"] = self.check.payload()
        if self.steps is not None or self.steps_note is not None:
            out["steps"] = [s.payload() for s in self.steps or ()]
            out["steps_note"] = self.steps_note
        return out

    def view(self) -> View:
        inner: View = self.result.view()  # type: ignore[attr-defined]
        blocks = list(inner.blocks)
        notes = list(inner.notes)
        if self.steps:
            blocks.append(Steps("steps", [s.line() for s in self.steps]))
        if self.steps_note:
            notes.append(self.steps_note)
        if self.check is not None:
            blocks.append(self.check.rows())
        return View(inner.title, inner.subtitle, blocks, notes)
