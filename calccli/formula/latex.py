"""LaTeX commands in a formula, as pasted from homework and lecture notes.

The lexer hands every backslash here; a command becomes the tokens of calccli's own language
(``\\cdot`` is ``*``, ``\\sin`` the function sin, ``\\theta`` the variable theta, ``\\left(`` a
parenthesis) or nothing (``\\,`` and ``\\quad`` are spaces).  ``\\frac`` and ``\\sqrt`` stay
commands that the grammar reads with their brace groups.  What calccli cannot read
(``\\partial``, ``\\int``, an unknown command) is an error at the backslash's column.

>>> command(r"2\\cdot x", 1)
([('OP', '*')], 6)
>>> command(r"\\sqrt[3]{x}", 0)
([('OP', '\\\\sqrt')], 5)
"""

from __future__ import annotations

import re

from calccli.errors import FormulaError
from calccli.formula.names import FUNCTIONS, GREEK

_NAME = re.compile(r"\\([A-Za-z]+|.)")
_SUBSCRIPT = re.compile(r"_(?:\{([A-Za-z0-9]+)\}|([A-Za-z0-9]))")
_SPACES = frozenset({",", ";", ":", "!", " ", "quad", "qquad", "displaystyle", "textstyle", "limits"})
_OPERATORS = {
    "cdot": "*",
    "times": "*",
    "ast": "*",
    "div": "/",
    "le": "<=",
    "leq": "<=",
    "leqslant": "<=",
    "ge": ">=",
    "geq": ">=",
    "geqslant": ">=",
    "ne": "!=",
    "neq": "!=",
    "lt": "<",
    "gt": ">",
    "mid": "|",
    "vert": "|",
    "lvert": "|",
    "rvert": "|",
    "langle": "⟨",
    "rangle": "⟩",
    "frac": "\\frac",
    "dfrac": "\\frac",
    "tfrac": "\\frac",
    "cfrac": "\\frac",
    "sqrt": "\\sqrt",
}
_GREEK_VARIANTS = {"varepsilon": "epsilon", "vartheta": "theta", "varphi": "phi", "varrho": "rho", "varsigma": "sigma"}
_CONSTANTS = {"pi": "pi", "infty": "oo", "varpi": "pi"}
# \left and \right: the delimiter that follows -> the token (LaTeX's brackets only group).
_DELIMITERS = {"(": "(", ")": ")", "[": "(", "]": ")", "|": "|", ".": "", "\\{": "(", "\\}": ")"}
_REFUSED = {
    "partial": "a derivative is not a formula: use 'calccli diff' (or grad, hessian) on the function",
    "nabla": "a gradient is not a formula: use 'calccli grad' on the function",
    "int": "an integral is not a formula: use 'calccli integrate' on the integrand",
    "iint": "an integral is not a formula: use 'calccli integrate' with a --bound per variable",
    "iiint": "an integral is not a formula: use 'calccli integrate' with a --bound per variable",
    "oint": "an integral is not a formula: use 'calccli integrate' on the integrand",
    "sum": "sums are not part of calccli's formula language",
    "prod": "products are not part of calccli's formula language",
    "lim": "limits are not part of calccli's formula language",
    "pm": "± has two values: write the formula once with + and once with -",
    "mp": "∓ has two values: write the formula once with - and once with +",
}


def _fail(message: str, text: str, pos: int) -> FormulaError:
    return FormulaError(message, text, pos)


def command(text: str, pos: int) -> tuple[list[tuple[str, str]], int]:
    """The tokens (kind, value) of the LaTeX command at ``text[pos]`` and where it ends."""
    m = _NAME.match(text, pos)
    if m is None:
        raise _fail("a lone '\\' (a LaTeX command is a backslash and a name, as in \\frac)", text, pos)
    name, end = m.group(1), m.end()
    if name in _SPACES:
        return [], end
    if name in ("left", "right", "bigl", "bigr", "Bigl", "Bigr", "big", "Big"):
        return _delimiter(text, end, pos)
    if name in _OPERATORS:
        return [("OP", _OPERATORS[name])], end
    if name in _CONSTANTS:
        return [("CONST", _CONSTANTS[name])], end
    if name == "operatorname":
        inner = re.compile(r"\s*\{([A-Za-z]+)\}").match(text, end)
        if inner and inner.group(1) in FUNCTIONS:
            return [("FUNC", inner.group(1))], inner.end()
        raise _fail("\\operatorname needs the name of a function calccli knows, as in \\operatorname{sech}", text, pos)
    if name == "Gamma" and text[end : end + 1] == "(":
        return [("FUNC", "gamma")], end
    if name in GREEK or name in _GREEK_VARIANTS:
        word = _GREEK_VARIANTS.get(name, name)
        sub = _SUBSCRIPT.match(text, end)
        if sub:
            return [("VAR", f"{word}_{sub.group(1) or sub.group(2)}")], sub.end()
        return [("VAR", word)], end
    if name in FUNCTIONS:
        return [("FUNC", name)], end
    if name in _REFUSED:
        raise _fail(f"\\{name}: {_REFUSED[name]}", text, pos)
    if name in ("{", "}"):
        return [("OP", name)], end
    raise _fail(f"unknown LaTeX command \\{name}", text, pos)


def _delimiter(text: str, end: int, pos: int) -> tuple[list[tuple[str, str]], int]:
    """The delimiter after ``\\left`` or ``\\right``: ``(``, ``[``, ``|``, ``.``, ``\\{``, ``\\langle``."""
    while end < len(text) and text[end] == " ":
        end += 1
    for spelling, token in _DELIMITERS.items():
        if text.startswith(spelling, end):
            return ([("OP", token)] if token else []), end + len(spelling)
    m = _NAME.match(text, end)
    if m and m.group(1) in ("langle", "rangle", "lvert", "rvert", "vert"):
        return [("OP", _OPERATORS[m.group(1)])], m.end()
    raise _fail("\\left and \\right need a delimiter: ( ) [ ] | or .", text, pos)
