"""Tokens of the formula language: numbers, names split into known words, operators."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import NoReturn

from calccli.errors import FormulaError
from calccli.formula.names import (
    CONSTANTS,
    FUNCTION_OR_VARIABLE,
    FUNCTIONS,
    GREEK,
    GREEK_CHARS,
)

# --------------------------------------------------------------------------- tokens

_LETTER = "A-Za-z" + "".join(GREEK_CHARS)
_RUN = re.compile(f"[{_LETTER}][{_LETTER}0-9_]*")
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
    "√": "√",
    "∛": "∛",
    "∜": "∜",
}

# Constants that are spelled like letter pairs count only as a whole run: "foo" is not f*oo.
_WHOLE_RUN_ONLY = frozenset({"oo", "inf", "infinity", "zoo", "nan"})
_KNOWN_WORDS = (frozenset(FUNCTIONS) | frozenset(CONSTANTS) | frozenset(GREEK)) - _WHOLE_RUN_ONLY
IDENTIFIER = re.compile(f"[{_LETTER}][A-Za-z0-9_]*")


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # NUM VAR CONST FUNC OP SUP END
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
        elif text.startswith("**", pos):
            tokens.append(Token("OP", "^", pos))
            pos += 2
        elif ch in _OPERATORS:
            tokens.append(Token("OP", _OPERATORS[ch], pos))
            pos += 1
        elif ch == "∞":
            tokens.append(Token("CONST", "oo", pos))
            pos += 1
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
    known = _KNOWN_WORDS | declared
    longest = max(map(len, known))
    pieces: list[Token] = []
    i, n = 0, len(run)
    while i < n:
        ch = run[i]
        if ch.isdigit():
            j = i
            while j < n and run[j].isdigit():
                j += 1
            pieces.append(Token("NUM", run[i:j], start + i))
            i = j
            continue
        if ch == "_":
            fail("unexpected '_' (a subscript follows a letter, as in x_1)", text, start + i)
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
        elif word in CONSTANTS:
            kind = "CONST"
        else:
            kind = "VAR"
        if kind == "VAR" and j < n:  # subscripts: x1, x_1, w_ij, theta2
            if run[j].isdigit():
                k = j
                while k < n and run[k].isdigit():
                    k += 1
                word, j = word + run[j:k], k
            elif run[j] == "_" and j + 1 < n and run[j + 1].isalnum() and run[j + 1] not in GREEK_CHARS:
                k = j + 1
                while k < n and run[k].isalnum() and run[k] not in GREEK_CHARS:
                    k += 1
                word, j = word + run[j:k], k
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
