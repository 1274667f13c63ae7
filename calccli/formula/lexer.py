"""Tokens of the formula language: numbers, names split into known words, operators."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import NoReturn

from calccli.errors import FormulaError
from calccli.formula import latex
from calccli.formula.names import (
    FUNCTION_OR_VARIABLE,
    FUNCTIONS,
    GREEK,
    GREEK_CHARS,
    KEYWORDS,
    READ_CONSTANTS,
)

# --------------------------------------------------------------------------- tokens

_LETTER = "A-Za-z" + "".join(GREEK_CHARS)
_SUBSCRIPT_DIGITS = "₀₁₂₃₄₅₆₇₈₉"
_SUB_TRANS = str.maketrans(_SUBSCRIPT_DIGITS, "0123456789")
# A letter run; ``_{1}`` (LaTeX's subscript) and ``x₁`` (Unicode subscript digits) belong to it.
_RUN = re.compile(rf"[{_LETTER}](?:_\{{[A-Za-z0-9]+\}}|[{_LETTER}0-9_{_SUBSCRIPT_DIGITS}])*")
_NUMBER = re.compile(r"(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_SPACE = re.compile(r"\s+")
_SUPERSCRIPT = "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺"
_SUP_RUN = re.compile(f"[{_SUPERSCRIPT}]+")
_SUP_TRANS = str.maketrans(_SUPERSCRIPT, "0123456789-+")

# Operators as typed or pasted -> canonical spelling.
_OPERATORS = {
    "**": "^",
    "^": "^",
    "+": "+",
    "-": "-",
    "−": "-",
    "–": "-",
    "*": "*",
    "×": "*",
    "·": "*",
    "⋅": "*",
    "∙": "*",
    "∗": "*",
    "/": "/",
    "÷": "/",
    "∕": "/",
    "(": "(",
    ")": ")",
    "[": "[",
    "]": "]",
    ",": ",",
    "|": "|",
    "!": "!",
    "=": "=",
    "<": "<",
    ">": ">",
    "≤": "<=",
    "≥": ">=",
    "≠": "!=",
    "⟨": "⟨",
    "⟩": "⟩",
    "{": "{",
    "}": "}",
    "√": "√",
    "∛": "∛",
    "∜": "∜",
}

# Two-character operators, tried before the one-character ones.
_OPERATORS2 = {"**": "^", "<=": "<=", ">=": ">=", "==": "=", "!=": "!="}

# Constants that are spelled like letter pairs count only as a whole run: "foo" is not f*oo.
_WHOLE_RUN_ONLY = frozenset({"oo", "inf", "infinity", "zoo", "nan"})
_KNOWN_WORDS = (frozenset(FUNCTIONS) | frozenset(READ_CONSTANTS) | frozenset(GREEK)) - _WHOLE_RUN_ONLY
IDENTIFIER = re.compile(f"[{_LETTER}][A-Za-z0-9_]*")

# What calccli prints around a part of a result it cannot write in its own language.
UNREADABLE_OPEN, UNREADABLE_CLOSE = "«", "»"


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # NUM VAR CONST FUNC OP SUP KW END
    value: str
    pos: int


def fail(message: str, text: str, pos: int) -> NoReturn:
    raise FormulaError(message, text, pos)


def _show(ch: str) -> str:
    return repr(ch) if ch.isprintable() else f"U+{ord(ch):04X}"


def tokenize(text: str, declared: frozenset[str] = frozenset()) -> list[Token]:
    """Split ``text`` into tokens, splitting letter runs into names.

    >>> [t.value for t in tokenize("2xsin y")]
    ['2', 'x', 'sin', 'y', '']
    """
    tokens: list[Token] = []
    pos, n = 0, len(text)
    while pos < n:
        ch = text[pos]
        if m := _SPACE.match(text, pos):
            pos = m.end()
        elif m := _NUMBER.match(text, pos):
            tokens.append(Token("NUM", m.group(), pos))
            pos = m.end()
        elif m := _RUN.match(text, pos):
            followed_by_paren = text[m.end() : m.end() + 1] == "("
            tokens.extend(_split_run(m.group(), pos, text, declared, followed_by_paren))
            pos = m.end()
        elif m := _SUP_RUN.match(text, pos):
            tokens.append(Token("SUP", m.group().translate(_SUP_TRANS), pos))
            pos = m.end()
        elif text[pos : pos + 2] in _OPERATORS2:
            tokens.append(Token("OP", _OPERATORS2[text[pos : pos + 2]], pos))
            pos += 2
        elif ch == "\\":
            found, end = latex.command(text, pos)
            tokens.extend(Token(kind, value, pos) for kind, value in found)
            pos = end
        elif ch in _OPERATORS:
            tokens.append(Token("OP", _OPERATORS[ch], pos))
            pos += 1
        elif ch == "∞":
            tokens.append(Token("CONST", "oo", pos))
            pos += 1
        elif ch == UNREADABLE_OPEN:
            end = text.find(UNREADABLE_CLOSE, pos)
            inner = text[pos + 1 : end if end > 0 else len(text)]
            fail(
                f"«{inner[:40]}{'…' if len(inner) > 40 else ''}» is a part of a result calccli cannot write "
                "as a formula (it prints such parts between « »), so it cannot be read back",
                text,
                pos,
            )
        else:
            fail(f"unexpected character {_show(ch)}", text, pos)
    tokens.append(Token("END", "", n))
    return tokens


def _split_run(run: str, start: int, text: str, declared: frozenset[str], followed_by_paren: bool) -> list[Token]:
    """Split a letter run such as ``4xy`` or ``xsin`` into names (see README)."""
    if run in declared:
        return [Token("VAR", run, start)]
    if run in _WHOLE_RUN_ONLY:
        return [Token("CONST", run, start)]
    if run in KEYWORDS:
        return [Token("KW", run, start)]
    known = _KNOWN_WORDS | declared
    longest = max(map(len, known))
    pieces: list[Token] = []
    i, n = 0, len(run)
    while i < n:
        ch = run[i]
        if ch == "_" or ch in _SUBSCRIPT_DIGITS:
            what = "'_'" if ch == "_" else "subscript digit"
            fail(f"unexpected {what} (a subscript follows a letter, as in x_1)", text, start + i)
        if ch.isdigit():
            j = i
            while j < n and run[j].isdigit():
                j += 1
            pieces.append(Token("NUM", run[i:j], start + i))
            i = j
            continue
        if ch in GREEK_CHARS:
            word, j = GREEK_CHARS[ch], i + 1
        else:
            word, j = ch, i + 1
            for length in range(min(longest, n - i), 1, -1):
                if run[i : i + length] in known:
                    word, j = run[i : i + length], i + length
                    break
        at_end = j == n
        if word in declared:
            kind = "VAR"
        elif word in FUNCTIONS and not (word in FUNCTION_OR_VARIABLE and not (at_end and followed_by_paren)):
            kind = "FUNC"
        elif word in READ_CONSTANTS:
            kind = "CONST"
        else:
            kind = "VAR"
        if kind == "VAR" and j < n:
            word, j = _subscript(run, j, word)
        pieces.append(Token(kind, word, start + i))
        i = j
    # The letters right before "(" (after the last function, if any) are a mistyped
    # function when they are plain letters: foo(x), sen(x), cosine(x) (not cos(i*n*e)*x).
    last_func = max((k for k, p in enumerate(pieces) if p.kind == "FUNC"), default=-1)
    tail = pieces[last_func + 1 :]
    if (
        followed_by_paren
        and len(pieces) >= 2
        and tail
        and all(p.kind in ("VAR", "CONST") and p.value not in declared and not p.value[-1].isdigit() for p in tail)
    ):
        _check_unknown_function(run, text, start)
    return pieces


def _subscript(run: str, j: int, word: str) -> tuple[str, int]:
    """The subscript of a variable starting at ``run[j]``: x1, x_1, w_ij, theta2, x₁, x_{1}.

    ``w_1x_1`` is w_1 times x_1: a subscript that starts with a digit takes only digits.
    """
    n = len(run)
    if run[j].isdigit() and run[j] not in _SUBSCRIPT_DIGITS:
        k = j
        while k < n and run[k].isdigit() and run[k] not in _SUBSCRIPT_DIGITS:
            k += 1
        return word + run[j:k], k
    if run[j] in _SUBSCRIPT_DIGITS:
        k = j
        while k < n and run[k] in _SUBSCRIPT_DIGITS:
            k += 1
        return word + "_" + run[j:k].translate(_SUB_TRANS), k
    if run.startswith("_{", j):
        k = run.index("}", j)
        return word + "_" + run[j + 2 : k], k + 1
    if run[j] == "_" and j + 1 < n and run[j + 1].isascii() and run[j + 1].isalnum():
        k = j + 1
        digits = run[k].isdigit()
        while k < n and run[k].isascii() and (run[k].isdigit() if digits else run[k].isalnum()):
            k += 1
        return word + run[j:k], k
    return word, j


def _check_unknown_function(name: str, text: str, pos: int) -> None:
    """A run like ``foo(`` or ``sen(`` is a mistyped function, not f*o*o*(...)."""
    close = difflib.get_close_matches(name.lower(), sorted(FUNCTIONS), n=3, cutoff=0.6)
    if close:
        fail(f"unknown function {name!r}; did you mean {', '.join(close)}?", text, pos)
    if len(name) >= 3:
        fail(
            f"unknown function {name!r} (see 'calccli functions'; for a product write {'*'.join(name)}*(...))",
            text,
            pos,
        )
