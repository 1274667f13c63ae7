"""Presenter of the Taylor polynomial: its terms by degree, the matrix form, and the error at a point."""

from __future__ import annotations

import sympy as sp

from calccli.render.present.notation import number, words
from calccli.render.present.registry import presenter
from calccli.render.view import Block, Grid, Label, Row, Rows, View
from calccli.results import TaylorPolynomial, point_text, text

FORM = words("form")
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
        h = ", ".join(text(v - r.at[v]) for v in r.variables)
        blocks.append(
            Rows(
                "matrix form",
                [
                    Row(FORM, f"f(p) + grad f(p) . h + 1/2 h^T H(p) h, with h = ({h})"),
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
                    number(APPROXIMATION, r.approximation),
                    number(EXACT, r.exact),
                    number(ERROR, r.error),
                ],
            )
        )
    return View(f"Taylor polynomial of order {r.order} of f = {text(r.expr)}", f"about {point_text(r.at)}", blocks)
