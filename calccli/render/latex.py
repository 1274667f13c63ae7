"""LaTeX ready to paste into a document: one ``aligned`` environment."""

from __future__ import annotations

from sympy import latex as sympy_latex

from calccli.render.view import Grid, Steps, View


def _tex(e: object) -> str:
    return rf"\text{{{e}}}" if isinstance(e, str) else sympy_latex(e)


_TEXT_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "_": r"\_",
    "^": r"\^{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "∂": r"$\partial$",
    "∇": r"$\nabla$",
    "·": r"$\cdot$",
    "∫": r"$\int$",
    "Δ": r"$\Delta$",
}


def text_mode(s: str) -> str:
    r"""Words for \text{...}: powers as ^, LaTeX's special characters escaped.

    >>> print(text_mode("d/dx x**2 = 2*x_1"))
    d/dx x\^{}2 = 2*x\_1
    """
    return "".join(_TEXT_ESCAPES.get(c, c) for c in s.replace("**", "^"))


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
        if isinstance(block, Steps):
            for step in block.lines:
                indent = r"\quad " * step.depth
                words = rf"\quad\text{{({text_mode(step.detail)})}}" if step.latex.startswith(r"\frac") else ""
                lines.append(rf"&{indent}\text{{{text_mode(step.rule)}:}}\ {step.latex}{words} \\")
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
