"""``--points FILE``: a derivative computed once, symbolically, then evaluated at every point of a file.

The entries (a gradient's components, a Jacobian's or Hessian's entries row by row) are compiled
once from the SymPy tree into one vectorised NumPy function (:mod:`calccli.calculus.points`), so a
script can tabulate a gradient over a grid without a process, or a substitution, per point.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import sympy as sp

from calccli.calculus import differential
from calccli.calculus import points as vectorised
from calccli.formula.grammar import Formula
from calccli.formula.points import read_points
from calccli.process.budget import Budget
from calccli.results import text
from calccli.results.points import PointValues


def _entries(
    kind: str, f: Formula, wrt: Sequence[sp.Symbol] | None, order: int, budget: Budget | None
) -> tuple[list[sp.Expr], list[str]]:
    """The derivative's entries and their column labels."""
    names = [v.name for v in f.variables]
    if kind == "diff":
        d = differential.derivative(f, list(wrt or []), order, budget=budget)
        by = "".join(f"d{v.name}" for v in d.wrt)
        if d.is_vector:
            return list(d.derivatives), [
                f"d{len(d.wrt) if len(d.wrt) > 1 else ''}f{i + 1}/{by}" for i in range(len(d.derivatives))
            ]
        return list(d.derivatives), [f"d{len(d.wrt) if len(d.wrt) > 1 else ''}f/{by}"]
    if kind == "grad":
        g = differential.gradient(f, budget=budget)
        return list(g.components), [f"df/d{n}" for n in names]
    if kind == "jacobian":
        j = differential.jacobian(f, budget=budget)
        return list(j.matrix), [f"J[{i + 1},{k + 1}]" for i in range(j.matrix.rows) for k in range(j.matrix.cols)]
    h = differential.hessian(f, budget=budget)
    return list(h.matrix), [f"H[{i + 1},{k + 1}]" for i in range(h.matrix.rows) for k in range(h.matrix.cols)]


def derivatives_at_points(
    kind: str,
    f: Formula,
    data: str,
    wrt: Sequence[sp.Symbol] | None = None,
    order: int = 1,
    budget: Budget | None = None,
) -> PointValues:
    """The derivative of ``kind`` (diff, grad, jacobian, hessian) at every point of ``data`` (CSV or NDJSON).

    >>> from calccli.formula.grammar import formula
    >>> r = derivatives_at_points("grad", formula("x^2 y"), "x,y\\n1,2\\n3,1\\n")
    >>> r.labels, r.outputs.tolist()
    (('df/dx', 'df/dy'), [[4.0, 1.0], [6.0, 9.0]])
    """
    points = read_points(data, f.variables)
    exprs, labels = _entries(kind, f, wrt, order, budget)
    table = vectorised.evaluate_at_points(exprs, labels, f.variables, points, budget)
    outputs, notes = table.outputs, []
    given = list(f.exprs)  # f itself: where it is undefined, so is its derivative
    own = vectorised.evaluate_at_points(given, [f"f{i}" for i in range(len(given))], f.variables, points, budget)
    undefined = ~np.isfinite(own.outputs).all(axis=1)
    if undefined.any():
        outputs = outputs.copy()
        outputs[undefined, :] = np.nan
        notes.append(f"f is not defined at {int(undefined.sum()):,} of the points: its derivative there is nan")
    counts = [int(n) for n in (~np.isfinite(outputs)).sum(axis=0)]
    bad = [f"{label} at {n:,} points" for label, n in zip(labels, counts, strict=True) if n]
    if bad:
        notes.append("not finite (nan or an infinity): " + "; ".join(bad))
    return PointValues(
        kind,
        tuple(points.names),
        tuple(labels),
        table.inputs,
        outputs,
        tuple(text(e) for e in exprs),
        tuple(counts),
        tuple(notes),
    )


__all__ = ["derivatives_at_points"]
