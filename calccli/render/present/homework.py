"""Presenter of the homework companion: the wrapped result's view, then the worked steps and the verdict."""

from __future__ import annotations

import sympy as sp

from calccli.render.latex import text_mode
from calccli.render.present.notation import words
from calccli.render.present.registry import present, presenter
from calccli.render.view import Row, Rows, StepLine, Steps, View
from calccli.results import Explained, Verdict, WorkedStep, point_text, shown, text

_MARKS = {"correct": "correct ✓", "incorrect": "incorrect ✗"}


def verdict_rows(v: Verdict) -> Rows:
    """The ``check`` block: the verdict, both answers, where they differ and how it was decided."""
    rows = [
        Row(words("verdict"), _MARKS.get(v.verdict, "undetermined ?")),
        Row(words("given", "your answer"), shown(v.given)),
    ]
    if v.verdict != "correct":
        rows.append(Row(words("expected", "correct answer"), shown(v.expected)))
    if v.wrong:
        rows.append(Row(words("wrong", "wrong components"), ", ".join(v.wrong)))
    if v.differs_at is not None:
        detail = point_text(v.differs_at)
        if v.given_value is not None and v.expected_value is not None:
            detail += f": yours gives {text(v.given_value)}, the correct one {text(v.expected_value)}"
        rows.append(Row(words("differs_at", "differs at"), detail))
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
