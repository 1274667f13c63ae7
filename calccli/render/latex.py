"""LaTeX ready to paste into a document: one ``aligned`` environment."""

from __future__ import annotations

from sympy import latex as sympy_latex

from calccli.view import Grid, View


def _tex(e: object) -> str:
    return rf"\text{{{e}}}" if isinstance(e, str) else sympy_latex(e)


def _number(x: float) -> str:
    return f"{x:.6g}".replace("inf", r"\infty")


def _matrix(cells: list[list[object]]) -> str:
    body = r" \\ ".join(" & ".join(_tex(c) for c in row) for row in cells)
    return rf"\begin{{bmatrix}} {body} \end{{bmatrix}}"


def render(view: View) -> str:
    lines = [r"\begin{aligned}"]
    for block in view.blocks:
        if isinstance(block, Grid):
            lines.append(rf"{block.latex_name} &= {_matrix(block.cells)} \\")
            continue
        for row in block.rows:
            rhs = _tex(row.expr)
            if row.exact is not None and row.exact != row.expr:
                rhs += f" = {_tex(row.exact)}"
            if row.numeric is not None and _tex(row.exact) != _number(row.numeric):
                rhs += rf" \approx {_number(row.numeric)}"
            lines.append(rf"{row.label.latex} &= {rhs} \\")
    lines.append(r"\end{aligned}")
    return "\n".join(lines) + "\n"
