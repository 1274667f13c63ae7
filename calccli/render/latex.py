"""LaTeX ready to paste into a document: one ``aligned`` environment."""

from __future__ import annotations

import unicodedata

from sympy import Symbol
from sympy import latex as sympy_latex

from calccli.render.encoding import ascii_spelling
from calccli.render.view import Graph, Grid, Spelled, Steps, View


def _tex(e: object) -> str:
    """A cell: an expression through ``sp.latex``; a plain string as words, escaped for ``\\text``."""
    if isinstance(e, Spelled):
        return e.latex
    return rf"\text{{{text_mode(e)}}}" if isinstance(e, str) else sympy_latex(e)


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
    "~": r"\textasciitilde{}",
    "∂": r"$\partial$",
    "∇": r"$\nabla$",
    "·": r"$\cdot$",
    "∫": r"$\int$",
    "✓": r"$\checkmark$",
    "✗": r"$\times$",
    "×": r"$\times$",
    "≈": r"$\approx$",
    "≤": r"$\le$",
    "≥": r"$\ge$",
    "≠": r"$\ne$",
    "±": r"$\pm$",
    "∞": r"$\infty$",
    "→": r"$\to$",
    "∈": r"$\in$",
    "√": r"$\surd$",
    "∑": r"$\sum$",
    "…": r"\ldots{}",
    "²": r"$^{2}$",
    "³": r"$^{3}$",
}


# The Greek letters LaTeX has a command for (capitals such as Alpha are the Latin letter).
_GREEK_COMMANDS = frozenset(
    "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi pi rho sigma tau upsilon phi chi "
    "psi omega Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega".split()
)


def _symbol(c: str) -> str:
    """One character for ``\\text``: escaped, a math symbol in ``$…$``, a Greek letter by name, or ASCII."""
    if c in _TEXT_ESCAPES:
        return _TEXT_ESCAPES[c]
    if c.isascii():
        return c
    name = unicodedata.name(c, "")
    if name.startswith("GREEK ") and " LETTER " in name:
        word = ascii_spelling(c)
        return rf"$\{word}$" if word in _GREEK_COMMANDS else word
    return "".join(_TEXT_ESCAPES.get(a, a) for a in ascii_spelling(c))


def text_mode(s: str) -> str:
    r"""Words for \text{...}: powers as ^, LaTeX's special characters escaped, symbols as math.

    KaTeX's strict mode refuses Unicode symbols in ``\text``: each becomes its LaTeX command.

    >>> print(text_mode("d/dx x**2 = 2*x_1"))
    d/dx x\^{}2 = 2*x\_1
    >>> print(text_mode("correct ✓, θ ≈ 1"))
    correct $\checkmark$, $\theta$ $\approx$ 1
    """
    return "".join(_symbol(c) for c in s.replace("**", "^"))


def _number(x: float) -> str:
    return f"{x:.6g}".replace("inf", r"\infty")


def _matrix(cells: list[list[object]]) -> str:
    body = r" \\ ".join(" & ".join(_tex(c) for c in row) for row in cells)
    return rf"\begin{{bmatrix}} {body} \end{{bmatrix}}"


def _graph(block: Graph) -> list[str]:
    r"""The graph as a list in topological order: ``u &: (a + b)^2 \quad \leftarrow a, b``, its numbers after."""
    lines = []
    for node in block.nodes:
        rhs = r"\text{input}" if node.definition is None else _tex(node.definition)
        if node.parents:
            rhs += r" \quad \leftarrow " + ", ".join(sympy_latex(Symbol(p)) for p in node.parents)
        for row in node.notes:
            number = "" if row.exact is None else _tex(row.exact)
            if row.numeric is not None and number != _number(row.numeric):
                number += rf" \approx {_number(row.numeric)}"
            rhs += rf" \quad {row.label.latex} = {number}"
        lines.append(rf"{sympy_latex(Symbol(node.name))} &: {rhs} \\")
    return lines


def render(view: View) -> str:
    lines = [r"\begin{aligned}"]
    for block in view.blocks:
        if isinstance(block, Graph):
            lines.extend(_graph(block))
            continue
        if isinstance(block, Grid):
            lines.append(rf"{block.latex_name} &= {_matrix(block.cells)} \\")
            continue
        if isinstance(block, Steps):
            for step in block.lines:  # the rule in words, the step as an equation: no formula inside \text
                indent = r"\quad " * step.depth
                lines.append(rf"&{indent}\text{{{text_mode(step.rule)}:}}\ {step.latex} \\")
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
