"""Presenters of plain expressions: a value (``calccli eval``) and a simplification (``calccli simplify``)."""

from __future__ import annotations

import sympy as sp

from calccli.render.present.notation import subtitle
from calccli.render.present.registry import presenter
from calccli.render.view import Label, Row, Rows, View
from calccli.results import Evaluation, Simplification, text


@presenter(Evaluation)
def evaluation(r: Evaluation) -> View:
    """One row: the exact value and its float (text: ``1/2<TAB>0.5``)."""
    # in LaTeX the row reads f = value; an expression SymPy already evaluated (sin(pi/4)^2) is its value
    named = sp.latex(r.expr) if r.expr.free_symbols else r"\text{value}"
    label = Label("value", "value", named)
    exact = r.value.exact
    row = Row(label, exact, exact, r.value.numeric) if r.value.numeric is not None else Row(label, exact)
    return View(
        lambda: f"value of {r.typed or text(r.expr)}",
        subtitle(r.at),
        [Rows("value", [row], keyed=False, heading="exact", exact_heading=None)],
    )


@presenter(Simplification)
def simplification(r: Simplification) -> View:
    """One row: the simplified form (text: the expression alone, so that it pastes back)."""
    return View(
        lambda: f"simplification of {r.typed or text(r.expr)}",
        None,
        [Rows("simplified", [Row(Label("simplified", "simplified", sp.latex(r.expr)), r.simplified)], keyed=False)],
        list(r.notes),
    )
