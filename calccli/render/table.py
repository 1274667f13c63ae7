"""Rich tables for the terminal.  The only module that imports Rich."""

from __future__ import annotations

import io
from collections.abc import Callable

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.padding import Padding
from rich.table import Table

from calccli.render.encoding import fit
from calccli.render.graph import pretty, tree_lines
from calccli.render.terminal import Terminal
from calccli.render.view import Graph, Grid, Rows, Spelled, Steps, View
from calccli.results import text

Spell = Callable[[str], str]  # the identity, or the ASCII spelling when the stream cannot show Unicode


def _same(s: str) -> str:
    return s


def _pretty(e: object, spell: Spell = _same) -> str:
    """calccli syntax with ^ for powers: still pasteable, easier to read."""
    if isinstance(e, Spelled) and e.pretty is not None:
        return escape(spell(e.pretty))
    return escape(spell(text(e).replace("**", "^")))


# box.SIMPLE_HEAD drawn in ASCII, for a stream that cannot show box drawing (PYTHONIOENCODING=ascii).
_SIMPLE_HEAD_ASCII = box.Box("    \n    \n -- \n    \n    \n    \n    \n    \n", ascii=True)


def _float(x: float | None) -> str:
    return "" if x is None else f"{x:.10g}"


def _rows_table(block: Rows, spell: Spell, frame: box.Box) -> Table:
    at_point = any(r.exact is not None or r.numeric is not None for r in block.rows)
    with_exact = at_point and block.exact_heading is not None
    t = Table(box=frame, show_header=at_point, pad_edge=False)
    t.add_column("", style="bold cyan", no_wrap=True)
    t.add_column(escape(spell(block.heading)) if at_point else "", overflow="fold")
    if with_exact:
        t.add_column(escape(spell(block.exact_heading or "")), overflow="fold")
    with_float = any(r.numeric is not None for r in block.rows)  # no column of empty floats
    if with_float:
        t.add_column(spell("≈"), justify="right", no_wrap=True)
    for r in block.rows:
        cells = [escape(spell(r.label.pretty)), _pretty(r.expr, spell)]
        if with_exact:
            cells.append("" if r.exact is None else _pretty(r.exact, spell))
        if with_float:
            cells.append(_float(r.numeric))
        t.add_row(*cells)
    return t


def _grid_table(block: Grid, spell: Spell, frame: box.Box) -> Table:
    t = Table(box=frame, pad_edge=False)  # the title is printed above it: a table's title wraps at its width
    t.add_column("", style="bold cyan", no_wrap=True)
    for c in block.col_labels:
        t.add_column(escape(spell(c)), overflow="fold")
    for label, row in zip(block.row_labels, block.cells, strict=True):
        t.add_row(escape(spell(label)), *(_pretty(c, spell) for c in row))
    return t


def render(view: View, terminal: Terminal) -> str:
    buf = io.StringIO()
    spell: Spell = _same if terminal.unicode else (lambda s: fit(s, terminal.encoding))
    frame = box.SIMPLE_HEAD if terminal.unicode else _SIMPLE_HEAD_ASCII
    console = Console(
        file=buf,
        width=terminal.width,
        force_terminal=terminal.is_tty,
        no_color=not terminal.color,
        color_system="auto" if terminal.color else None,
        highlight=False,
        emoji=False,
    )
    console.print(f"[bold]{_pretty(view.heading, spell)}[/bold]")
    if view.subtitle:
        console.print(f"[dim]{_pretty(view.subtitle, spell)}[/dim]")
    for block in view.blocks:
        if isinstance(block, Steps):
            console.print(f"[bold]{escape(spell(block.title))}[/bold]")
            for step in block.lines:  # a long step wraps under its own detail, not at column 0
                row = Table.grid(padding=0)
                row.add_column(no_wrap=True)
                row.add_column(overflow="fold")
                row.add_row(f"[cyan]{escape(spell(step.rule))}[/cyan]: ", _pretty(step.detail, spell))
                console.print(Padding(row, (0, 0, 0, 2 * (step.depth + 1))))
            continue
        if isinstance(block, Graph):  # the tree of the computation, one node a line, folded when too long
            console.print(f"[bold]{escape(spell(block.title))}[/bold]")
            for line in tree_lines(block, lambda row: row.label.pretty, pretty):
                console.print(escape(spell(line)), overflow="fold")
            continue
        if isinstance(block, Grid):
            console.print(escape(spell(block.title)), overflow="fold")
            console.print(_grid_table(block, spell, frame))
        else:
            console.print(_rows_table(block, spell, frame))
    for note in view.notes:
        console.print(f"[yellow]note:[/yellow] {escape(spell(note))}")
    return buf.getvalue()
