"""Presenters of the differentiation results: rows of partials, and matrices as grids."""

from __future__ import annotations

import sympy as sp

from calccli.render.present.notation import (
    formula_text,
    number,
    partial,
    subtitle,
    valued,
    valued_rows,
    words,
)
from calccli.render.present.registry import presenter
from calccli.render.view import Block, Grid, Label, Row, Rows, View
from calccli.results import (
    Derivative,
    DirectionalDerivative,
    Gradient,
    Hessian,
    Jacobian,
    Laplacian,
    text,
)

NORM = Label("norm", "|∇f|", r"\lVert \nabla f \rVert")
DIRECTION = Label("direction", "u", r"\mathbf{u}")
DIRECTIONAL = Label("derivative", "D_u f", r"D_{\mathbf{u}} f")
DETERMINANT = Label("det", "det J", r"\det J")
LAPLACIAN = Label("laplacian", "∇²f", r"\nabla^2 f")
DEFINITENESS = words("definiteness")


def _eigenvalue(i: int) -> Label:
    return Label(f"lambda{i}", f"λ{i}", rf"\lambda_{{{i}}}")


@presenter(Derivative)
def derivative(r: Derivative) -> View:
    """∂ⁿf/∂a∂b… (for a vector formula, one row per component, keyed 1, 2, …)."""
    wrt = [v.name for v in r.wrt]
    if r.is_vector:
        labels = [partial(wrt, f"f{i}", key=str(i)) for i in range(1, len(r.exprs) + 1)]
    else:
        labels = [partial(wrt)]
    rows = valued_rows(labels, r.derivatives, r.values)
    return View(
        lambda: f"derivative of f = {formula_text(r.exprs, r.is_vector)}",
        subtitle(r.at),
        [Rows("derivative", rows, keyed=r.is_vector)],
        list(r.notes),
    )


@presenter(Gradient)
def gradient(r: Gradient) -> View:
    """One row ∂f/∂x per variable; at a point also the norm |∇f|."""
    rows = valued_rows([partial([v.name]) for v in r.variables], r.components, r.values)
    blocks: list[Block] = [Rows("gradient", rows)]
    if r.norm is not None:
        blocks.append(Rows("norm", [number(NORM, r.norm)]))
    return View(lambda: f"gradient of f = {text(r.expr)}", subtitle(r.at), blocks, list(r.notes))


def _normalisation_notes(r: DirectionalDerivative) -> list[str]:
    if not r.normalized:
        return []
    given = ", ".join(text(g) for g in r.given)
    unit = ", ".join(text(u) for u in r.unit)
    return [f"direction ({given}) is not a unit vector; normalised to ({unit})"]


@presenter(DirectionalDerivative)
def directional(r: DirectionalDerivative) -> View:
    """The unit direction u and D_u f; a note when the given direction was normalised."""
    rows = [Row(DIRECTION, sp.Tuple(*r.unit)), valued(DIRECTIONAL, r.derivative, r.value)]
    return View(
        lambda: f"directional derivative of f = {text(r.expr)}",
        subtitle(r.at),
        [Rows("directional", rows)],
        [*_normalisation_notes(r), *r.notes],
    )


@presenter(Jacobian)
def jacobian(r: Jacobian) -> View:
    """J as a grid (and J(p) at a point), then det J for a square matrix."""
    rows = [f"f{i + 1}" for i in range(len(r.exprs))]
    cols = [v.name for v in r.variables]
    blocks: list[Block] = [Grid("Jacobian", "J", rows, cols, r.matrix.tolist())]
    if r.matrix_value is not None:
        blocks.append(Grid("Jacobian at p", "J(p)", rows, cols, r.matrix_value.tolist()))
    if r.determinant is not None:
        blocks.append(Rows("determinant", [valued(DETERMINANT, r.determinant, r.determinant_value)]))
    return View(lambda: f"Jacobian of f = {formula_text(r.exprs, True)}", subtitle(r.at), blocks, list(r.notes))


@presenter(Hessian)
def hessian(r: Hessian) -> View:
    """H as a grid; at a point H(p), its eigenvalues and its definiteness."""
    names = [v.name for v in r.variables]
    blocks: list[Block] = [Grid("Hessian", "H", names, names, r.matrix.tolist())]
    if r.matrix_value is not None:
        blocks.append(Grid("Hessian at p", "H(p)", names, names, r.matrix_value.tolist()))
    if r.eigenvalues is not None:
        rows = [number(_eigenvalue(i), v) for i, v in enumerate(r.eigenvalues, 1)]
        rows.append(Row(DEFINITENESS, r.definiteness or ""))
        blocks.append(Rows("eigenvalues", rows))
    notes = [r.eigen_note, *r.notes] if r.eigen_note else list(r.notes)
    return View(lambda: f"Hessian of f = {text(r.expr)}", subtitle(r.at), blocks, notes)


@presenter(Laplacian)
def laplacian(r: Laplacian) -> View:
    """∇²f, and its value at a point."""
    return View(
        lambda: f"Laplacian of f = {text(r.expr)}",
        subtitle(r.at),
        [Rows("laplacian", [valued(LAPLACIAN, r.laplacian, r.value)], keyed=False)],
        list(r.notes),
    )
