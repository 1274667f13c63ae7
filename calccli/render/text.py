"""Plain text: one item per line, tab-separated, expressions in calccli syntax.

Nothing here wraps lines, so pipes and ``cut -f`` see whole expressions.
"""

from __future__ import annotations

from calccli.render.graph import tree_lines
from calccli.render.view import Graph, Grid, Steps, View
from calccli.results import text


def _float(x: float | None) -> str:
    return "" if x is None else repr(x)


def render(view: View) -> str:
    lines: list[str] = []
    many = len(view.blocks) > 1
    for block in view.blocks:
        if many:
            lines.append(f"# {block.title}")
        if isinstance(block, Grid):
            lines.extend("\t".join(text(c) for c in row) for row in block.cells)
            continue
        if isinstance(block, Steps):
            lines.extend(f"{'  ' * step.depth}{step.rule}: {step.detail}" for step in block.lines)
            continue
        if isinstance(block, Graph):  # the tree of the computation, its numbers keyed as in the text rows
            lines.extend(tree_lines(block, lambda row: row.label.text))
            continue
        at_point = any(row.exact is not None or row.numeric is not None for row in block.rows)
        with_exact = at_point and block.exact_heading is not None
        with_float = any(row.numeric is not None for row in block.rows)  # no column of empty floats
        for row in block.rows:
            fields = [row.label.text] if block.keyed else []
            fields.append(text(row.expr))
            if with_exact:  # every row of a block has the same columns, for cut and awk
                fields.append("" if row.exact is None else text(row.exact))
            if with_float:
                fields.append(_float(row.numeric))
            lines.append("\t".join(fields))
    return "".join(line + "\n" for line in lines)
