"""The presenter of ``calccli matdiff``: the derivative in matrix notation, its shape and its check.

Matrix expressions are spelled three ways (:mod:`calccli.formula.matrix`): calccli's syntax in
text (``(A + A') x``, which reads back), Unicode in the table (``(A + Aᵀ) x``) and LaTeX.
"""

from __future__ import annotations

import sympy as sp

from calccli.formula import matrix as M
from calccli.render.present.notation import words
from calccli.render.present.registry import presenter
from calccli.render.view import Block, Grid, Label, Row, Rows, Spelled, View
from calccli.results import text
from calccli.results.matrix import MatrixDerivativeResult, role, sizes_text


def spelled(e: M.MExpr) -> Spelled:
    """A matrix expression as a cell: calccli syntax, Unicode for the table, LaTeX."""
    return Spelled(M.ascii(e), M.latex(e), M.unicode(e))


def _derivative_label(r: MatrixDerivativeResult) -> Label:
    v, tex = r.wrt.name, sp.latex(sp.Symbol(r.wrt.name))
    if r.order == 2:
        return Label(
            f"d2f/d{v}2", f"∂²f/∂{v}²", rf"\frac{{\partial^{{2}} f}}{{\partial {tex}\, \partial {tex}^{{\top}}}}"
        )
    return Label(f"df/d{v}", f"∂f/∂{v}", rf"\frac{{\partial f}}{{\partial {tex}}}")


def _shapes(r: MatrixDerivativeResult) -> str:
    return ", ".join(
        f"{v.name}: " + ("scalar" if v.is_scalar else f"{M.shape_text(v.shape)} {role(v)}") for v in r.variables
    )


def _verified(r: MatrixDerivativeResult) -> str:
    c = r.check
    if not c.verified:
        return f"unverified: {c.reason}" if c.reason else "unverified"
    sizes = sizes_text(c.dims)
    return "✓ equal to the entries differentiated one by one" + (f" at {sizes}" if sizes else "") + ", random matrices"


def _given(v: sp.Matrix) -> str:
    """A value as typed: a number, a vector [1, 1], a matrix [[1, 2], [3, 4]]."""
    if v.shape == (1, 1):
        return text(v[0, 0])
    if v.cols == 1:
        return "[" + ", ".join(text(e) for e in v) + "]"
    return "[" + ", ".join("[" + ", ".join(text(e) for e in row) + "]" for row in v.tolist()) + "]"


def _shape(r: MatrixDerivativeResult) -> str:
    """The shape, and what the layout makes of it."""
    shape, v = M.shape_text(r.shape), r.wrt.name
    if r.kind in ("gradient", "matrix gradient"):
        like = "the shape of" if r.layout == "denominator" else "the transposed shape of"
        return f"{shape} ({like} {v}; {r.layout} layout)"
    if r.kind == "jacobian":
        what = "the Jacobian transposed" if r.layout == "denominator" else "the Jacobian"
        return f"{shape} ({what}; {r.layout} layout)"
    return f"{shape} ({r.layout} layout)"


def _grid(title: str, latex_name: str, m: sp.Matrix, rows: list[str] | None = None) -> Grid:
    row_labels = rows if rows is not None else [str(i + 1) for i in range(m.rows)]
    return Grid(title, latex_name, row_labels, [str(j + 1) for j in range(m.cols)], m.tolist())


def _at(r: MatrixDerivativeResult) -> list[Block]:
    if r.at is None or r.value is None:
        return []
    given = ", ".join(f"{name} = {_given(v)}" for name, v in r.at.items())
    rows: list[Row] = [Row(words("values"), given)]
    if r.function_value is not None and r.function_value.shape == (1, 1):
        f = r.function_value[0, 0]
        rows.append(Row(words("f"), f, f, _float(f)))
    blocks: list[Block] = [Rows("at the values", rows, exact_heading="value")]
    if r.function_value is not None and r.function_value.shape != (1, 1):
        blocks.append(_grid("f at the values", "f", r.function_value))
    if r.value.shape == (1, 1):
        v = r.value[0, 0]
        blocks.append(Rows("derivative at the values", [Row(_derivative_label(r), v, v, _float(v))]))
    else:
        blocks.append(_grid("derivative at the values", _derivative_label(r).latex, r.value))
    return blocks


def _float(e: sp.Expr) -> float | None:
    try:
        return float(e)
    except (TypeError, ValueError):
        return None


def _components(r: MatrixDerivativeResult) -> list[Block]:
    c = r.components
    if c is None:
        return []
    f = c.function[0, 0] if c.function.shape == (1, 1) else c.function
    blocks: list[Block] = [Rows(f"written out, every dimension {c.size}", [Row(words("f"), f)])]
    names = [str(s) for s in c.entries]
    rows = names if c.derivative.rows == len(names) else None
    blocks.append(_grid(f"derivative entry by entry ({c.size})", _derivative_label(r).latex, c.derivative, rows))
    return blocks


@presenter(MatrixDerivativeResult)
def matdiff(r: MatrixDerivativeResult) -> View:
    """The function, the shapes, the derivative and its shape and check; then values and components."""
    rows = [
        Row(words("function"), spelled(r.formula)),
        Row(words("shapes"), _shapes(r)),
        Row(_derivative_label(r), spelled(r.derivative)),
        Row(words("shape"), _shape(r)),
        Row(words("verified"), _verified(r)),
    ]
    blocks: list[Block] = [Rows(r.kind, rows), *_at(r), *_components(r)]
    title = "Hessian" if r.order == 2 else "derivative"
    return View(lambda: f"{title} of f = {M.unicode(r.formula)} by {r.wrt.name}", None, blocks, list(r.notes))
