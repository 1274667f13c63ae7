"""Renderers: a result in, text out.

A presenter (:mod:`calccli.render.present`) turns the result into a :class:`View`, which the table, text and
LaTeX renderers draw; JSON prints the result's ``payload()``.  Renderers print; they never compute.  Rich is
imported only by :mod:`calccli.render.table`, and nothing here imports SymPy until a result is rendered.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

from calccli.render.terminal import Terminal

if TYPE_CHECKING:  # calccli.results imports SymPy, which --help and TAB completion must not pay for
    from calccli.results import Result


class Format(str, Enum):
    """The ``--format`` choices."""

    AUTO = "auto"
    TABLE = "table"
    TEXT = "text"
    LATEX = "latex"
    JSON = "json"
    DOT = "dot"  # Graphviz: the computation graph of calccli chain
    MERMAID = "mermaid"  # a Mermaid flowchart of the same graph


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
    from calccli.render.present import present

    fmt = resolve(fmt, terminal)
    from calccli.results.points import PointValues

    if isinstance(result, PointValues):  # a file of rows, not a view: CSV, or NDJSON for --json
        from calccli.render import points

        notes = "".join(f"calccli: note: {n}\n" for n in result.notes)
        return (points.ndjson(result) if fmt is Format.JSON else points.csv(result)), notes
    view = present(result)
    if fmt is Format.JSON:
        from calccli.render import json_out

        return json_out.render(result, view.notes, command, inputs, pretty=terminal.is_tty), ""
    notes = "".join(f"calccli: note: {n}\n" for n in view.notes)
    if fmt is Format.TABLE:
        from calccli.render import table

        return table.render(view, terminal), ""
    if fmt in (Format.DOT, Format.MERMAID):
        from calccli.render import graph

        return graph.render(view, fmt.value), notes
    if fmt is Format.LATEX:
        from calccli.render import latex

        return latex.render(view), notes
    from calccli.render import text

    return text.render(view), notes
