"""Presenters of integrals: ``F + C`` for an antiderivative, the value and its evidence for a definite integral."""

from __future__ import annotations

import sympy as sp

from calccli.render.present.registry import presenter
from calccli.render.view import Block, Label, Row, Rows, View
from calccli.results import Antiderivative, Bound, DefiniteIntegral, text

ERROR_ESTIMATE = Label("error_estimate", "numeric error estimate", r"\text{error estimate}")
PRINCIPAL_VALUE = Label("principal_value", "principal value", r"\mathrm{PV}")
JACOBIAN = Label("jacobian", "|det J|", r"\lvert\det J\rvert")
TRANSFORMED = Label("transformed_integrand", "integrand × |det J|", r"f\,\lvert\det J\rvert")
QUADRATURE = Label("quadrature", "check: quadrature ± error", r"\text{check: quadrature} \pm \text{error}")
RECOGNISED = Label("recognised", "recognised, not proved", r"\text{recognised, not proved}")
ASSUMING = Label("assumptions", "assuming", r"\text{assuming}")


class PlusC:
    """``F + C`` for human formats, printed in that order (SymPy would sort C first)."""

    def __init__(self, antiderivative: sp.Expr) -> None:
        self.antiderivative = antiderivative

    def __str__(self) -> str:
        F = text(self.antiderivative)
        return f"({F}) + C" if isinstance(self.antiderivative, sp.Piecewise) else f"{F} + C"

    def _latex(self, printer: object) -> str:
        F = sp.latex(self.antiderivative)
        return rf"\left({F}\right) + C" if isinstance(self.antiderivative, sp.Piecewise) else f"{F} + C"


@presenter(Antiderivative)
def antiderivative(r: Antiderivative) -> View:
    """``∫ f dx = F + C``, with whether F' = f was verified."""
    x = r.variable.name
    label = Label("antiderivative", f"∫ f d{x}", rf"\int {sp.latex(r.expr)}\, d{sp.latex(r.variable)}")
    notes = [
        f"verified: d/d{x} of the result is the integrand"
        if r.verified
        else f"NOT verified: calccli could not confirm that d/d{x} of this result is the integrand; treat it with care"
    ]
    return View(
        lambda: f"antiderivative of f = {text(r.expr)} in {x}",
        f"by {r.method}",
        [Rows("antiderivative", [Row(label, PlusC(r.antiderivative))], keyed=False)],
        notes,
    )


# f in the new coordinates and |det J|, as the course writes them: the factor r is never dropped.
_CHANGED = {
    "polar": ("f(r cos θ, r sin θ)", "r"),
    "cylindrical": ("f(r cos θ, r sin θ, z)", "r"),
    "spherical": ("f", "ρ² sin φ"),  # f(ρ sin φ cos θ, ρ sin φ sin θ, ρ cos φ) is too wide for a table
}
_GREEK = {"theta": "θ", "rho": "ρ", "phi": "φ"}


def _value_label(r: DefiniteIntegral) -> Label:
    """``∫∫ f dy dx`` in the table (with the Jacobian after a change of coordinates: ``∫∫ f(r cos θ, r sin θ) r dr dθ``);
    in LaTeX with its limits, outermost first, and the integrand actually used."""
    bounds: tuple[Bound, ...] = r.bounds
    ds = " ".join(f"d{v.name}" for v, _, _ in bounds)
    if r.coords in _CHANGED:
        f, jac = _CHANGED[r.coords]
        ds = f"{f} {jac} " + " ".join(f"d{_GREEK.get(v.name, v.name)}" for v, _, _ in bounds)
        return Label("value", f"{'∫' * len(bounds)} {ds}", _latex_value(r))
    return Label("value", f"{'∫' * len(bounds)} f {ds}", _latex_value(r))


def _latex_value(r: DefiniteIntegral) -> str:
    bounds: tuple[Bound, ...] = r.bounds
    limits = "".join(rf"\int_{{{sp.latex(a)}}}^{{{sp.latex(b)}}}" for _, a, b in reversed(bounds))
    integrand = r.transformed if r.transformed is not None else r.expr
    differentials = r"\, ".join(f"d{sp.latex(v)}" for v, _, _ in bounds)
    return limits + sp.latex(integrand) + r"\, " + differentials


def _shown_value(r: DefiniteIntegral) -> object:
    if r.converges is False:
        return "diverges" + ("" if r.value is None else f" to {text(r.value)}")
    if r.value is not None:
        return r.value
    return "no closed form found (numeric value only)" if r.numeric is not None else "no closed form found"


def _assumption(words: str) -> sp.Expr:
    """``a > 0`` as a SymPy relation, for LaTeX.

    >>> _assumption("a >= 0")
    a >= 0
    """
    name, op, zero = words.split()
    return sp.Rel(sp.Symbol(name), sp.Integer(zero), op)


def _value_rows(r: DefiniteIntegral) -> list[Row]:
    diverges = r.converges is False
    rows = [Row(_value_label(r), _shown_value(r), None, None if diverges else r.numeric)]
    if r.assumptions:
        relations = [_assumption(a) for a in r.assumptions]
        rows.append(Row(ASSUMING, relations[0] if len(relations) == 1 else sp.And(*relations)))
    if r.recognised is not None:
        rows.append(Row(RECOGNISED, r.recognised, None, r.numeric))
    if r.value is not None and r.quadrature is not None and not diverges:
        check = repr(r.quadrature)  # all its digits: it is a check, and may differ in the last
        if r.error_estimate is not None:
            check += f" ± {r.error_estimate:.2g}"
        rows.append(Row(QUADRATURE, check))
    elif r.error_estimate is not None and not diverges:
        rows.append(Row(ERROR_ESTIMATE, f"{r.error_estimate:.2g}"))
    if r.principal_value is not None:
        rows.append(Row(PRINCIPAL_VALUE, r.principal_value))
    if r.antiderivative is not None:
        v = r.bounds[0][0]
        rows.append(Row(Label("antiderivative", f"F({v.name})", f"F({sp.latex(v)})"), r.antiderivative))
    return rows


def _notes(r: DefiniteIntegral) -> list[str]:
    notes = list(r.remarks)
    if r.converges is False:
        return notes
    if r.value is not None:
        notes.append(
            "verified against numeric quadrature"
            if r.verified
            else "NOT verified: the exact value could not be checked against numeric quadrature"
        )
    elif r.numeric is not None:
        notes.append("the value is numeric (no closed form was found)")
    return notes


@presenter(DefiniteIntegral)
def definite_integral(r: DefiniteIntegral) -> View:
    """The value (exact, or why not) with its float; the change of coordinates when one was made."""
    blocks: list[Block] = [Rows("integral", _value_rows(r), heading="value", exact_heading=None)]
    if r.coords is not None and r.transformed is not None and r.jacobian is not None:
        blocks.append(Rows(f"{r.coords} coordinates", [Row(JACOBIAN, r.jacobian), Row(TRANSFORMED, r.transformed)]))
    ranges = ", ".join(f"{v.name} = {text(a)}..{text(b)}" for v, a, b in r.bounds)
    coords = f" ({r.coords} coordinates)" if r.coords else ""
    return View(lambda: f"integral of f = {text(r.expr)}", f"over {ranges}{coords}", blocks, _notes(r))
