"""Presenter of the homework companion: the wrapped result's view, then the worked steps and the verdict."""

from __future__ import annotations

import sympy as sp

from calccli.render.latex import text_mode
from calccli.render.present.notation import words
from calccli.render.present.registry import present, presenter
from calccli.render.view import Row, Rows, StepLine, Steps, View
from calccli.results import Explained, Verdict, WorkedStep, point_text, shown

_MARKS = {"correct": "correct ✓", "incorrect": "incorrect ✗"}


def _cell(v: object) -> object:
    """An answer as a cell: an expression as it is (LaTeX through ``sp.latex``), a vector or matrix as lists.

    >>> _cell((sp.Integer(1), (sp.Integer(2), sp.Integer(3))))
    [1, [2, 3]]
    """
    if isinstance(v, sp.MatrixBase):
        return [list(row) for row in v.tolist()]
    if isinstance(v, (tuple, list)):
        return [_cell(c) for c in v]
    if isinstance(v, (sp.Basic, str)):
        return v
    return shown(v)


def verdict_rows(v: Verdict) -> Rows:
    """The ``check`` block: the verdict, both answers, where they differ and how it was decided.

    Answers and values are cells holding expressions (never their text inside LaTeX's ``\\text``).
    """
    rows = [
        Row(words("verdict"), _MARKS.get(v.verdict, "undetermined ?")),
        Row(words("given", "your answer"), _cell(v.given)),
    ]
    if v.verdict != "correct":
        rows.append(Row(words("expected", "correct answer"), _cell(v.expected)))
    if v.wrong:
        rows.append(Row(words("wrong", "wrong components"), ", ".join(v.wrong)))
    if v.differs_at is not None:
        rows.append(Row(words("differs_at", "differs at"), point_text(v.differs_at)))
    if v.differs_at is not None and v.given_value is not None and v.expected_value is not None:
        rows.append(Row(words("given_at", "yours there"), v.given_value))
        rows.append(Row(words("expected_at", "correct one there"), v.expected_value))
    if v.reason:
        rows.append(Row(words("reason", "hint"), v.reason))
    rows.append(Row(words("method", "decided by"), v.method))
    return Rows("check", rows, heading="")


def _step_latex(s: WorkedStep) -> str:
    r"""The step's equation, e.g. ``\frac{d}{dx}\left[x^{2}\right] = 2 x``; a step in words as ``\text{}``."""
    words_only = rf"\text{{{text_mode(s.detail)}}}"
    if s.expr is None or s.result is None or s.wrt is None:
        return words_only
    e, r, v = sp.latex(s.expr), sp.latex(s.result), sp.latex(s.wrt)
    return {
        "d": rf"\frac{{d}}{{d{v}}}\left[{e}\right] = {r}",
        "partial": rf"\frac{{\partial}}{{\partial {v}}}\left[{e}\right] = {r}",
        "int": rf"\int {e}\, d{v} = {r}",
    }.get(s.operation, words_only)


def step_line(s: WorkedStep) -> StepLine:
    """One worked step as the renderers draw it."""
    return StepLine(s.depth, s.rule, s.detail, _step_latex(s))


@presenter(Explained)
def explained(r: Explained) -> View:
    """The wrapped result's view, followed by the steps (``--steps``) and the verdict (``--check``)."""
    inner = present(r.result)
    blocks = list(inner.blocks)
    notes = list(inner.notes)
    if r.steps:
        blocks.append(Steps("steps", [step_line(s) for s in r.steps]))
    if r.steps_note:
        notes.append(r.steps_note)
    if r.check is not None:
        blocks.append(verdict_rows(r.check))
    return View(inner.title, inner.subtitle, blocks, notes)
