r"""How rows are named: a plain ASCII key, decorated for the table and for LaTeX.

Every :class:`Label` starts from the key the text format prints (``"x,y"``, ``"norm"``); the helpers here spell
the table's and LaTeX's decorations of it (``∂²f/∂x∂y``, ``\frac{\partial^2 f}{\partial x \partial y}``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import sympy as sp

from calccli.render.latex import text_mode
from calccli.render.view import Label, Row
from calccli.results import Point, Value, point_text, text

_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def words(key: str, phrase: str | None = None) -> Label:
    r"""A row named in words: the phrase as is in the table, inside ``\text{}`` (escaped) in LaTeX.

    >>> words("error_estimate", "numeric error estimate").latex
    '\\text{numeric error estimate}'
    >>> words("f_xx").latex
    '\\text{f\\_xx}'
    """
    phrase = key if phrase is None else phrase
    return Label(key, phrase, rf"\text{{{text_mode(phrase)}}}")


def _power(k: int) -> str:
    return str(k).translate(_SUPERSCRIPTS) if k > 1 else ""


def partial(wrt: Sequence[str], f: str = "f", key: str | None = None) -> Label:
    r"""The label ∂ⁿf/∂a∂b… of differentiating ``f`` along the sequence ``wrt``; its key is ``"a,b"``.

    >>> lab = partial(["x", "x", "y"])
    >>> lab.text, lab.pretty, lab.latex
    ('x,x,y', '∂³f/∂x²∂y', '\\frac{\\partial^{3} f}{\\partial x^{2} \\partial y}')
    """
    n = len(wrt)
    if n == 0:
        return Label("f" if key is None else key, f, f)
    runs: list[tuple[str, int]] = []
    for v in wrt:
        if runs and runs[-1][0] == v:
            runs[-1] = (v, runs[-1][1] + 1)
        else:
            runs.append((v, 1))
    pretty_den = "".join(f"∂{v}{_power(k)}" for v, k in runs)
    latex_den = " ".join(rf"\partial {sp.latex(sp.Symbol(v))}" + (f"^{{{k}}}" if k > 1 else "") for v, k in runs)
    latex_num = rf"\partial^{{{n}}} {f}" if n > 1 else rf"\partial {f}"
    return Label(
        ",".join(wrt) if key is None else key, f"∂{_power(n)}{f}/{pretty_den}", rf"\frac{{{latex_num}}}{{{latex_den}}}"
    )


def subtitle(at: Point | None) -> str | None:
    """``at (x, y) = (1, 0)`` under the title of a result taken at a point."""
    return None if at is None else f"at {point_text(at)}"


def formula_text(exprs: Iterable[sp.Expr], is_vector: bool) -> str:
    """The formula as given: one expression, or a vector ``[f1, f2]``."""
    exprs = list(exprs)
    return "[" + ", ".join(text(e) for e in exprs) + "]" if is_vector else text(exprs[0])


def valued(label: Label, expr: object, value: Value | None) -> Row:
    """A row of an expression and, when taken at a point, its exact value and float there."""
    return Row(label, expr) if value is None else Row(label, expr, value.exact, value.numeric)


def number(label: Label, value: Value) -> Row:
    """A row whose expression is itself the value (an eigenvalue, a norm at the point)."""
    return Row(label, value.exact, value.exact, value.numeric)


def valued_rows(labels: Sequence[Label], exprs: Sequence[sp.Expr], values: Sequence[Value] | None) -> list[Row]:
    """One row per component, with its value at the point when there is one."""
    if values is None:
        return [Row(lab, e) for lab, e in zip(labels, exprs, strict=True)]
    return [valued(lab, e, v) for lab, e, v in zip(labels, exprs, values, strict=True)]
