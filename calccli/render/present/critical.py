"""Presenter of the critical points: one row per point with its classification, then the global extremes."""

from __future__ import annotations

import sympy as sp

from calccli.render.present.notation import words
from calccli.render.present.registry import presenter
from calccli.render.view import Block, Label, Row, Rows, View
from calccli.results import CriticalPoint, CriticalPoints, multiplier_names, text


def _point(i: int, where: sp.Tuple) -> Label:
    return Label(text(where), f"p{i} = {text(where)}", rf"p_{{{i}}} = {sp.latex(where)}")


def _classification(p: CriticalPoint, two: bool) -> str:
    """``local minimum; global minimum; by …; eigenvalues …``: what is known of one point."""
    detail = [p.kind]
    if p.global_:
        detail.append(f"global {p.global_}")
    detail.append(f"by {p.test}")
    if p.eigenvalues:
        detail.append("eigenvalues " + ", ".join(text(e.exact) for e in p.eigenvalues))
    if two and p.fxx is not None and p.det is not None:
        detail.append(f"f_xx = {text(p.fxx.exact)}, det H = {text(p.det.exact)}")
    if p.multipliers is not None:
        names = multiplier_names(len(p.multipliers))
        detail.append(", ".join(f"{n} = {text(m.exact)}" for n, m in zip(names, p.multipliers, strict=True)))
    return "; ".join(detail)


def _global_rows(r: CriticalPoints) -> list[Row]:
    rows = []
    for name, ext in (("global minimum", r.minimum), ("global maximum", r.maximum)):
        if ext is not None:
            pts = ", ".join(text(sp.Tuple(*(q[v] for v in r.variables))) for q in ext.points)
            rows.append(Row(words(name.replace(" ", "_"), name), f"at {pts}", ext.value.exact, ext.value.numeric))
    return rows


@presenter(CriticalPoints)
def critical_points(r: CriticalPoints) -> View:
    """Each point p_i with its kind, test and evidence; the global minimum and maximum when known."""
    two = len(r.variables) == 2 and not r.constraints
    rows: list[Row] = []
    for i, p in enumerate(r.points, 1):
        where = sp.Tuple(*(p.point[v] for v in r.variables))
        rows.append(Row(_point(i, where), _classification(p, two), p.value.exact, p.value.numeric))
    blocks: list[Block] = [Rows("critical points", rows, heading="classification")]
    glob = _global_rows(r)
    if glob:
        blocks.append(Rows("global", glob, heading="where"))
    notes = list(r.remarks)
    if not r.complete:
        notes.append("the list may be incomplete" + (" (from a numeric search)" if "numeric" in r.method else ""))
    names = ", ".join(v.name for v in r.variables)
    subject = "" if not r.constraints else " subject to " + ", ".join(f"{text(c)} = 0" for c in r.constraints)
    return View(
        f"critical points of f({names}) = {text(r.expr)}{subject}",
        None if not r.points else f"{len(r.points)} found",
        blocks,
        notes,
    )
