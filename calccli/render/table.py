"""Rich tables for the terminal.  The only module that imports Rich."""

from __future__ import annotations

import io

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from calccli.render.terminal import Terminal
from calccli.render.view import Grid, Rows, Steps, View
from calccli.results import text


def _pretty(e: object) -> str:
    """calccli syntax with ^ for powers: still pasteable, easier to read."""
    return escape(text(e).replace("**", "^"))


def _float(x: float | None) -> str:
    return "" if x is None else f"{x:.10g}"


def _rows_table(block: Rows) -> Table:
    at_point = any(r.exact is not None or r.numeric is not None for r in block.rows)
    with_exact = at_point and block.exact_heading is not None
    t = Table(box=box.SIMPLE_HEAD, show_header=at_point, pad_edge=False)
    t.add_column("", style="bold cyan", no_wrap=True)
    t.add_column(block.heading if at_point else "", overflow="fold")
    if with_exact:
        t.add_column(escape(block.exact_heading or ""), overflow="fold")
    if at_point:
        t.add_column("≈", justify="right", no_wrap=True)
    for r in block.rows:
        cells = [escape(r.label.pretty), _pretty(r.expr)]
        if with_exact:
            cells.append("" if r.exact is None else _pretty(r.exact))
        if at_point:
            cells.append(_float(r.numeric))
        t.add_row(*cells)
    return t


def _grid_table(block: Grid) -> Table:
    t = Table(title=escape(block.title), box=box.SIMPLE_HEAD, title_justify="left", pad_edge=False)
    t.add_column("", style="bold cyan", no_wrap=True)
    for c in block.col_labels:
        t.add_column(escape(c), overflow="fold")
    for label, row in zip(block.row_labels, block.cells, strict=True):
        t.add_row(escape(label), *(_pretty(c) for c in row))
    return t


def render(view: View, terminal: Terminal) -> str:
    buf = io.StringIO()
    console = Console(
        file=buf,
        width=terminal.width,
        force_terminal=terminal.is_tty,
        no_color=not terminal.color,
        color_system="auto" if terminal.color else None,
        highlight=False,
        emoji=False,
    )
    console.print(f"[bold]{_pretty(view.title)}[/bold]")
    if view.subtitle:
        console.print(f"[dim]{_pretty(view.subtitle)}[/dim]")
    for block in view.blocks:
        if isinstance(block, Steps):
            console.print(f"[bold]{escape(block.title)}[/bold]")
            for step in block.lines:
                console.print(
                    f"{'  ' * (step.depth + 1)}[cyan]{escape(step.rule)}[/cyan]: {_pretty(step.detail)}",
                    overflow="fold",
                )
            continue
        console.print(_grid_table(block) if isinstance(block, Grid) else _rows_table(block))
    for note in view.notes:
        console.print(f"[yellow]note:[/yellow] {escape(note)}")
    return buf.getvalue()
