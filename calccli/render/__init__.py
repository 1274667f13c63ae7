"""Renderers: a result (through its ``view()`` or ``payload()``) in, text out.

Renderers print; they never compute.  Rich is imported only by
:mod:`calccli.render.table`.
"""

from __future__ import annotations

from enum import Enum
from typing import Protocol

from calccli.render.terminal import Terminal
from calccli.render.view import View


class Format(str, Enum):
    AUTO = "auto"
    TABLE = "table"
    TEXT = "text"
    LATEX = "latex"
    JSON = "json"


class Result(Protocol):
    KIND: str
    SCHEMA: int

    def payload(self) -> dict[str, object]: ...

    def view(self) -> View: ...


def resolve(fmt: Format, terminal: Terminal) -> Format:
    """``auto`` is a table on a terminal and plain text in a pipe."""
    if fmt is Format.AUTO:
        return Format.TABLE if terminal.is_tty else Format.TEXT
    return fmt


def render(
    result: Result,
    fmt: Format,
    terminal: Terminal,
    command: str,
    inputs: dict[str, object],
) -> tuple[str, str]:
    """Return ``(stdout, stderr)`` text for one result."""
    fmt = resolve(fmt, terminal)
    view = result.view()
    if fmt is Format.JSON:
        from calccli.render import json_out

        return json_out.render(result, view.notes, command, inputs, pretty=terminal.is_tty), ""
    notes = "".join(f"calccli: note: {n}\n" for n in view.notes)
    if fmt is Format.TABLE:
        from calccli.render import table

        return table.render(view, terminal), ""
    if fmt is Format.LATEX:
        from calccli.render import latex

        return latex.render(view), notes
    from calccli.render import text

    return text.render(view), notes
