"""The presenters of ``descend``, ``newton`` and ``optimize``: a summary, then the trace as a table.

Floats in the trace are shown to 10 significant digits (the JSON has them whole); the summary
says why the run ended in words, and what is exact about where it ended.
"""

from __future__ import annotations

import sympy as sp

from calccli.render.present.notation import words
from calccli.render.present.registry import presenter
from calccli.render.view import Block, Grid, Row, Rows, View
from calccli.results import point_text, text
from calccli.results.optimize import CONVERGED, Comparison, Descent, Nearest, Newton


def _f(x: float | None) -> str:
    return "" if x is None else f"{x:.10g}"


def _point(xs: tuple[float, ...]) -> str:
    return "(" + ", ".join(_f(x) for x in xs) + ")"


def _start(variables: tuple[sp.Symbol, ...], start: tuple[sp.Expr, ...]) -> str:
    return point_text(dict(zip(variables, start, strict=True)))


def _status(status: str, steps: int) -> str:
    if status == CONVERGED:
        return f"converged in {steps:,} steps"
    return f"{status} after {steps:,} steps"


def _nearest(n: Nearest | None, variables: tuple[sp.Symbol, ...]) -> list[Row]:
    if n is None:
        return []
    where = point_text({v: n.point.point[v] for v in variables})
    return [Row(words("nearest", "nearest critical point"), f"{n.point.kind} at {where}, {_f(n.distance)} away")]


@presenter(Descent)
def descent(r: Descent) -> View:
    """What was run and how it ended; the quadratic rate bound; the trace."""
    settings = f"rate {r.rate:g}" + (f", momentum {r.momentum:g}" if r.momentum else "")
    rows = [
        Row(words("f"), r.expr),
        Row(words("start"), _start(r.variables, r.start)),
        Row(words("method"), f"gradient descent, {r.method} ({settings})"),
        Row(words("status"), _status(r.status, r.steps)),
        Row(words("final", "final point"), _point(r.final)),
        Row(words("value", "f there"), _f(r.value)),
        Row(words("gradient_norm", "|∇f| there"), _f(r.gradient_norm)),
    ]
    if r.exact is not None:
        rows.append(Row(words("exact", "exact minimiser"), point_text(r.exact)))
    rows += _nearest(r.nearest, r.variables)
    names = [v.name for v in r.variables]
    cells: list[list[object]] = [
        [str(s.step), *(_f(x) for x in s.point), _f(s.value), _f(s.gradient_norm), _f(s.step_length), _f(s.rate)]
        for s in r.trace
    ]
    cols = ["step", *names, "f", "|∇f|", "step length", "rate"]
    trace = Grid(f"trace (every {r.every:,} steps)", r"\text{trace}", ["" for _ in r.trace], cols, cells)
    return View(lambda: f"gradient descent on f = {text(r.expr)}", None, [Rows("descent", rows), trace], list(r.notes))


@presenter(Newton)
def newton(r: Newton) -> View:
    """What was run and how it ended; the trace with the error per step (quadratic convergence)."""
    what = "Newton's method for F = 0" if r.roots else "Newton's method (minimisation, damped)"
    f = sp.Matrix(r.exprs).T if r.roots else r.exprs[0]
    rows = [
        Row(words("F" if r.roots else "f"), f),
        Row(words("start"), _start(r.variables, r.start)),
        Row(words("method"), what),
        Row(words("status"), _status(r.status, r.steps)),
        Row(words("final", "final point"), _point(r.final)),
        Row(words("residual", "|F| there" if r.roots else "|∇f| there"), _f(r.residual)),
    ]
    if r.exact is not None:
        rows.append(Row(words("exact", "exact solution"), point_text(r.exact)))
    rows += _nearest(r.nearest, r.variables)
    names = [v.name for v in r.variables]
    res = "|F|" if r.roots else "|∇f|"
    cols = [
        "step",
        *names,
        *(() if r.roots else ("f",)),
        res,
        "damping",
        *(() if r.roots else ("Hessian",)),
        "error",
        "e/e_prev²",
    ]
    cells: list[list[object]] = []
    for s in r.trace:
        row: list[object] = list(
            [str(s.step), *(_f(x) for x in s.point)]
            + ([] if r.roots else [_f(s.value)])
            + [_f(s.residual), _f(s.damping)]
        )
        row += [] if r.roots else [s.hessian or ""]
        row += [_f(s.error), _f(s.ratio)]
        cells.append(row)
    trace = Grid(f"trace (error against the {r.target})", r"\text{trace}", ["" for _ in r.trace], cols, cells)
    title = "Newton's method on " + ("F = " + text(sp.Matrix(r.exprs).T) if r.roots else f"f = {text(r.exprs[0])}")
    return View(lambda: title, None, [Rows("newton", rows), trace], list(r.notes))


@presenter(Comparison)
def comparison(r: Comparison) -> View:
    """Each method's run from the common start, side by side."""
    rows = [Row(words("f"), r.expr), Row(words("start"), _start(r.variables, r.start))]
    rows.append(
        Row(words("agree"), "the converged runs agree" if r.agree else "the converged runs end at different points")
    )
    rows += _nearest(r.nearest, r.variables)
    cols = ["method", "settings", "status", "steps", "final point", "f", "|∇f|", "seconds"]
    cells: list[list[object]] = [
        [
            m.method,
            m.settings,
            m.status,
            f"{m.steps:,}",
            _point(m.final),
            _f(m.value),
            _f(m.gradient_norm),
            f"{m.seconds:.4f}",
        ]
        for m in r.runs
    ]
    blocks: list[Block] = [
        Rows("methods", rows),
        Grid("side by side", r"\text{runs}", ["" for _ in r.runs], cols, cells),
    ]
    return View(lambda: f"minimising f = {text(r.expr)} from one start", None, blocks, list(r.notes))
