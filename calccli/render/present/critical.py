"""Presenter of the critical points: point | type | f(p), then how each point was classified.

The first block is short enough for 80 columns (the point, its type, f there); the test that
decided and its evidence (eigenvalues, or f_xx and det H in two variables, multipliers) follow
in a second block, one line each.  One-variable points print as ``-1``, never ``(-1,)``.
"""

from __future__ import annotations

import sympy as sp

from calccli.render.present.notation import words
from calccli.render.present.registry import presenter
from calccli.render.view import Block, Label, Row, Rows, View
from calccli.results import CriticalPoint, CriticalPoints, multiplier_names, text


def _where(p: CriticalPoint, variables: tuple[sp.Symbol, ...]) -> sp.Basic:
    """The point's coordinates: a number in one variable, a tuple in more."""
    coords = [p.point[v] for v in variables]
    return coords[0] if len(coords) == 1 else sp.Tuple(*coords)


def _show(where: sp.Basic) -> str:
    """``-1`` or ``(1, 2)``: calccli syntax, no one-element tuples.

    >>> _show(sp.Integer(-1)), _show(sp.Tuple(1, 2))
    ('-1', '(1, 2)')
    """
    return text(where)


def _point(i: int, where: sp.Basic) -> Label:
    return Label(_show(where), f"p{i} = {_show(where)}", rf"p_{{{i}}} = {sp.latex(where)}")


def _type(p: CriticalPoint) -> str:
    """The short type: ``local minimum``, ``saddle point``, ``global maximum`` (a global maximum is a
    local one), ``local minimum, singular`` where the gradient does not exist."""
    parts = [p.kind]
    if p.global_ and p.kind in (f"local {w}" for w in p.global_.split(" and ")):
        parts = [f"global {p.global_}"]
    elif p.global_:
        parts.append(f"global {p.global_}")
    if p.nature == "singular":
        parts.append("singular")
    return ("family: " if p.family else "") + ", ".join(parts)


def _float(p: CriticalPoint) -> float | None:
    """f(p) as a float, unless the exact value is an integer (the float would repeat it)."""
    return None if isinstance(p.value.exact, sp.Integer) else p.value.numeric


def _evidence(i: int, p: CriticalPoint, two: bool) -> list[Row]:
    """The test that decided p_i, then its numbers: eigenvalues, or f_xx and det H, multipliers."""
    rows = [Row(Label(f"p{i}", f"p{i}", rf"p_{{{i}}}"), f"by {p.test}")]
    if two and p.fxx is not None and p.det is not None:
        rows.append(
            Row(
                Label(f"p{i} f_xx, det H", "  f_xx, det H", rf"f_{{xx}}(p_{{{i}}}),\ \det H(p_{{{i}}})"),
                sp.Tuple(p.fxx.exact, p.det.exact),
            )
        )
    elif p.eigenvalues:
        rows.append(
            Row(
                Label(f"p{i} eigenvalues", "  eigenvalues", rf"\operatorname{{eig}} H(p_{{{i}}})"),
                p.eigenvalues[0].exact if len(p.eigenvalues) == 1 else sp.Tuple(*(e.exact for e in p.eigenvalues)),
            )
        )
    if p.multipliers is not None:
        names = multiplier_names(len(p.multipliers))
        latex_names = [r"\lambda" if n == "lambda" else rf"\lambda_{{{n[6:]}}}" for n in names]
        rows.append(
            Row(
                Label(f"p{i} {', '.join(names)}", f"  {', '.join(names)}", ",\\ ".join(latex_names)),
                p.multipliers[0].exact if len(names) == 1 else sp.Tuple(*(m.exact for m in p.multipliers)),
            )
        )
    return rows


def _global_rows(r: CriticalPoints) -> list[Row]:
    rows = []
    for name, ext in (("global minimum", r.minimum), ("global maximum", r.maximum)):
        if ext is not None:
            numeric = None if isinstance(ext.value.exact, sp.Integer) else ext.value.numeric
            for q in ext.points:  # one row per point: the same value at each
                where = q[r.variables[0]] if len(r.variables) == 1 else sp.Tuple(*(q[v] for v in r.variables))
                rows.append(Row(words(name.replace(" ", "_"), name), where, ext.value.exact, numeric))
    return rows


def _pattern_rows(r: CriticalPoints) -> list[Row]:
    return [
        Row(Label(f"pattern {i}", f"pattern {i}", rf"\text{{pattern {i}}}"), q[0] if len(q) == 1 else q)
        for i, q in enumerate(r.patterns, 1)
    ]


def _integers(r: CriticalPoints) -> str:
    ks = sorted({s.name for q in r.patterns for s in q.free_symbols if s.is_integer})
    return ", ".join(ks)


@presenter(CriticalPoints)
def critical_points(r: CriticalPoints) -> View:
    """Each point p_i with its type and f(p_i); how each was classified; the global extremes; patterns."""
    two = len(r.variables) == 2 and not r.constraints
    points: list[Row] = []
    tests: list[Row] = []
    for i, p in enumerate(r.points, 1):
        points.append(Row(_point(i, _where(p, r.variables)), _type(p), p.value.exact, _float(p)))
        tests += _evidence(i, p, two)
    blocks: list[Block] = []
    notes: list[str] = []
    if points:
        blocks.append(Rows("critical points", points, heading="type", exact_heading="f(p)"))
        blocks.append(Rows("how each point was classified", tests, heading="test", exact_heading=None))
    else:
        what = "Lagrange points" if r.constraints else "critical points"
        none = Row(Label(what, what, rf"\text{{{what}}}"), "none found" if not r.complete else "none")
        blocks.append(Rows(what, [none], exact_heading=None))
        notes.append(f"no {what} found" if not r.complete else f"f has no {what}")
    glob = _global_rows(r)
    if glob:
        blocks.append(Rows("global", glob, heading="at", exact_heading="value"))
    if r.patterns:
        blocks.append(Rows("repeating critical points", _pattern_rows(r), exact_heading=None))
        where = "those in the region --in gives" if r.region is not None else "those the search found near 0"
        notes.append(
            f"the critical points repeat without end (the patterns, for all integers {_integers(r)}); "
            f"the list above is a sample: {where}"
        )
    notes += list(r.remarks)
    if not r.complete and not r.patterns and r.stopped is None:
        notes.append("the list may be incomplete" + (" (from a numeric search)" if "numeric" in r.method else ""))
    names = ", ".join(v.name for v in r.variables)
    subject = "" if not r.constraints else " subject to " + ", ".join(f"{text(c)} = 0" for c in r.constraints)
    found = f"{len(r.points)} found" if r.points else None
    return View(lambda: f"critical points of f({names}) = {text(r.expr)}{subject}", found, blocks, notes)
