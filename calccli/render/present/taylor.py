"""Presenter of the Taylor polynomial: its terms by degree, the matrix form, and the error at a point."""

from __future__ import annotations

import sympy as sp

from calccli.render.present.notation import number, words
from calccli.render.present.registry import presenter
from calccli.render.view import Block, Grid, Label, Row, Rows, View
from calccli.results import Point, TaylorPolynomial, point_text, text

FORM = words("form")
POINT_Q = Label("q", "q", "q")


class Spelled:
    """A cell spelled twice: ASCII for text and tables, LaTeX (math, never inside \\text) for LaTeX."""

    def __init__(self, ascii_text: str, latex: str) -> None:
        self.ascii_text, self.latex = ascii_text, latex

    def __str__(self) -> str:
        return self.ascii_text

    def _latex(self, printer: object) -> str:  # SymPy's printers look for this method on any object
        return self.latex


def _form(r: TaylorPolynomial) -> Spelled:
    """f(p) + grad f(p) . h + 1/2 h^T H(p) h, with h = x - p."""
    h = sp.Tuple(*(v - r.at[v] for v in r.variables))
    return Spelled(
        f"f(p) + grad f(p) . h + 1/2 h^T H(p) h, with h = ({', '.join(text(c) for c in h)})",
        rf"f(p) + \nabla f(p) \cdot h + \tfrac{{1}}{{2}}\, h^{{\mathsf{{T}}}} H(p)\, h, \quad h = {sp.latex(h)}",
    )


def _point(at: Point) -> Spelled:
    """The point q itself: (x, y) = (11/10, 2)."""
    names = sp.Tuple(*at.keys())
    values = sp.Tuple(*at.values())
    if len(at) == 1:
        return Spelled(point_text(at), rf"{sp.latex(names[0])} = {sp.latex(values[0])}")
    return Spelled(point_text(at), rf"{sp.latex(names)} = {sp.latex(values)}")


VALUE = Label("f(p)", "f(p)", "f(p)")
GRADIENT = Label("gradient", "∇f(p)", r"\nabla f(p)")
APPROXIMATION = Label("approximation", "T(q)", "T(q)")
EXACT = Label("exact", "f(q)", "f(q)")
ERROR = Label("error", "f(q) - T(q)", "f(q) - T(q)")


def _degree(k: int) -> Label:
    return words(f"degree {k}")


def _polynomial(order: int) -> Label:
    return Label("polynomial", f"T{order}", f"T_{{{order}}}")


@presenter(TaylorPolynomial)
def taylor(r: TaylorPolynomial) -> View:
    """Each homogeneous part and T_n; for order 2 and more, f(p) + ∇f(p)·h + ½hᵀH(p)h; then T, f and the error at q."""
    rows = [Row(_degree(k), t) for k, t in r.terms.items()]
    rows.append(Row(_polynomial(r.order), r.polynomial))
    blocks: list[Block] = [Rows("terms", rows)]
    if r.gradient is not None and r.hessian is not None:
        names = [v.name for v in r.variables]
        blocks.append(
            Rows(
                "matrix form",
                [
                    Row(FORM, _form(r)),
                    Row(VALUE, r.value),
                    Row(GRADIENT, sp.Tuple(*r.gradient)),
                ],
            )
        )
        blocks.append(Grid("Hessian at p", "H(p)", names, names, r.hessian.tolist()))
    if r.approximation is not None and r.exact is not None and r.error is not None:
        blocks.append(
            Rows(
                f"at {point_text(r.evaluate_at or {})}",
                [
                    Row(POINT_Q, _point(r.evaluate_at or {})),
                    number(APPROXIMATION, r.approximation),
                    number(EXACT, r.exact),
                    number(ERROR, r.error),
                ],
            )
        )
    return View(
        lambda: f"Taylor polynomial of order {r.order} of f = {text(r.expr)}",
        f"about {point_text(r.at)}",
        blocks,
        list(r.notes),
    )
