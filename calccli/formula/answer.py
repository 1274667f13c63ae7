"""A user's answer for ``--check ANSWER``, read with calccli's own formula language.

An answer is a scalar (``2x cos(x^2)``), a vector (``[4, 13, 12]`` or ``(4, 13, 12)``)
or a matrix (``[[2, 0], [0, 2]]``).  Decimal literals are read exactly, as
everywhere in calccli, but how many digits the user typed is kept: ``1.22``
means "to 2 decimal places", and the checker compares to that precision.

Classification answers (``classify --check``) have a small language of their own::

    min at (1, 1) and (-1, -1), saddle at (0, 0)
    local max at (0, 0); saddle points at (1, 2), (-1, 2)
    minimum at 2            (one variable: a bare value, or (2), or x=2)
    none                    (also: "no critical points")

    global min at (1, 2)    local minimum at (1, 2); saddle at (0,0)    minimum (1,2)
    min at x=1, y=2         min at (x, y) = (1, 2)     saddle at (0, 0) and min at (1, 1)
    min at (-0.707, 0)      (a decimal coordinate: to the digits given)

Clauses are separated by ``;``, ``,`` or ``and``; each is KIND [at] POINT (and POINT)*.
KIND is min/minimum/minima/local min/relative min, max/..., saddle/saddle point(s),
optionally after ``a``/``the`` and ``global``/``absolute`` (read, but not checked: the
clause records it); a clause that starts with a point continues the previous kind.
Coordinates may be expressions (``sqrt(2)``, ``-1/2``, ``pi``) and may be named:
``(x=1, y=-1)``, ``x=1, y=-1`` or ``(x, y) = (1, -1)``.  A coordinate that is a plain
decimal (``-0.707``) keeps its decimal places, so that it is compared to the digits given.

Nothing here evaluates the user's text as code: every value goes through
:mod:`calccli.formula.grammar`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sympy as sp

from calccli.errors import FormulaError, UsageError
from calccli.formula import grammar, lexer
from calccli.formula.names import GREEK_CHARS


@dataclass(frozen=True, slots=True)
class Answer:
    """A parsed answer.

    ``shape`` is ``()`` for a scalar, ``(n,)`` for a vector and ``(rows, cols)`` for a
    matrix; ``exprs`` holds the entries flattened row by row.  ``decimals`` is the
    fewest decimal places among the decimal literals typed (``1.22`` -> 2, ``1.5e-3``
    -> 4), ``significant`` the fewest significant digits; both are ``None`` when the
    answer has no decimal literal (``1e-3`` counts as one: 3 places, 1 digit).
    """

    text: str
    shape: tuple[int, ...]
    exprs: tuple[sp.Expr, ...]
    decimals: int | None = None
    significant: int | None = None

    @property
    def kind(self) -> str:
        return ("scalar", "vector", "matrix")[len(self.shape)]

    @property
    def expr(self) -> sp.Expr:
        """The scalar value (a vector or matrix answer is a usage error here)."""
        if self.shape:
            raise UsageError(f"--check: expected a single value, not a {self.kind} ({self.text.strip()!r})")
        return self.exprs[0]

    @property
    def vector(self) -> tuple[sp.Expr, ...]:
        if len(self.shape) != 1:
            raise UsageError(f"--check: expected a vector such as [1, 2, 3], not a {self.kind} ({self.text.strip()!r})")
        return self.exprs

    @property
    def matrix(self) -> tuple[tuple[sp.Expr, ...], ...]:
        if len(self.shape) != 2:
            raise UsageError(
                f"--check: expected a matrix such as [[1, 2], [3, 4]], not a {self.kind} ({self.text.strip()!r})"
            )
        rows, cols = self.shape
        return tuple(tuple(self.exprs[r * cols : (r + 1) * cols]) for r in range(rows))


# --------------------------------------------------------------------------- digits typed


def _literal_digits(literal: str) -> tuple[int, int] | None:
    """(decimal places, significant digits) of a decimal literal; None for an integer."""
    lower = literal.lower()
    if "." not in lower and "e" not in lower:
        return None
    mantissa, _, exp = lower.partition("e")
    whole, _, frac = mantissa.partition(".")
    e = int(exp) if exp else 0
    places = len(frac) - e
    digits = (whole + frac).lstrip("0")
    significant = max(len(digits), 1) if digits else max(len(frac), 1)
    return places, significant


def digits_typed(text: str, declared: frozenset[str] = frozenset()) -> tuple[int | None, int | None]:
    """The fewest decimal places and significant digits among ``text``'s decimal literals.

    >>> digits_typed("1.22 + 0.5x")
    (1, 1)
    >>> digits_typed("2x + 1")
    (None, None)
    """
    places, significant = [], []
    for token in lexer.tokenize(text, declared):
        if token.kind == "NUM" and (d := _literal_digits(token.value)) is not None:
            places.append(d[0])
            significant.append(d[1])
    return (min(places) if places else None, min(significant) if significant else None)


# --------------------------------------------------------------------------- values


def _closing(text: str, open_at: int) -> int | None:
    """Index of the bracket closing the one at ``open_at`` (``(`` and ``[`` nest alike)."""
    depth = 0
    for i in range(open_at, len(text)):
        if text[i] in "([":
            depth += 1
        elif text[i] in ")]":
            depth -= 1
            if depth == 0:
                return i
    return None


def _bracketed(text: str, start: int, end: int) -> tuple[int, int] | None:
    """If ``text[start:end]`` (stripped) is one bracketed group, its inner span."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end or text[start] not in "([":
        return None
    close = _closing(text, start)
    if close != end - 1:
        return None
    return start + 1, end - 1


def _parts(text: str, start: int, end: int) -> list[tuple[int, str]]:
    """Top-level comma-separated parts of ``text[start:end]``, with absolute offsets."""
    return [(start + off, part) for off, part in grammar.split_top_level(text[start:end])]


def _entry(text: str, offset: int, part: str, declared: frozenset[str]) -> sp.Expr:
    if not part.strip():
        raise FormulaError("empty entry", text, offset)
    eq = _top_level_char(part, "=")
    if eq is not None:
        raise FormulaError("write just the value, without 'name ='", text, offset + eq)
    value = grammar.parse_part(text, offset, part, declared)
    if not isinstance(value, sp.Expr):
        raise FormulaError("this is not a value", text, offset)
    return value


def _top_level_char(text: str, ch: str) -> int | None:
    """Where ``ch`` first stands outside brackets in ``text``, if anywhere."""
    parts = grammar.split_top_level(text, ch)
    return parts[1][0] - 1 if len(parts) > 1 else None


def value(text: str, declared: frozenset[str] = frozenset()) -> Answer:
    """Parse an answer: a scalar, ``[a, b]`` / ``(a, b)`` vector or ``[[a, b], [c, d]]`` matrix.

    >>> value("[4, 13.0, 12]").shape, value("[4, 13.0, 12]").decimals
    ((3,), 1)
    >>> value("(x+1)(x-1)").kind
    'scalar'
    """
    grammar.check_size(text)
    if not text.strip():
        raise FormulaError("empty answer", text, 0)
    decimals, significant = digits_typed(text, declared)  # also reports bad characters, in place
    first = len(text) - len(text.lstrip())
    if text[first] in "([" and _closing(text, first) is None:
        raise FormulaError(f"unclosed {text[first]!r}", text, first)
    outer = _bracketed(text, 0, len(text))
    parts = _parts(text, *outer) if outer else []
    is_list = outer is not None and (text.lstrip()[0] == "[" or len(parts) > 1)
    if not is_list:
        exprs: tuple[sp.Expr, ...] = (_entry(text, 0, text, declared),)
        return Answer(text, (), exprs, decimals, significant)
    assert outer is not None
    if len(parts) == 1 and not parts[0][1].strip():
        raise FormulaError("empty vector", text, outer[0])
    rows = [(off, part, _bracketed(text, off, off + len(part))) for off, part in parts]
    nested = [
        r
        for r in rows
        if r[2] is not None and len(_parts(text, *r[2])) > 1 or (r[2] is not None and text[r[2][0] - 1] == "[")
    ]
    if not nested:
        exprs = tuple(_entry(text, off, part, declared) for off, part in parts)
        return Answer(text, (len(exprs),), exprs, decimals, significant)
    if len(nested) != len(rows):
        off, part, _ = next(r for r in rows if r not in nested)
        raise FormulaError(
            "a matrix row must be a bracketed list such as [1, 2]", text, off + len(part) - len(part.lstrip())
        )
    entries: list[sp.Expr] = []
    width = None
    for off, part, inner in rows:
        assert inner is not None
        row = _parts(text, *inner)
        if width is None:
            width = len(row)
        elif len(row) != width:
            raise FormulaError(
                f"this row has {len(row)} entr{'y' if len(row) == 1 else 'ies'} but the first has {width}",
                text,
                off + len(part) - len(part.lstrip()),
            )
        entries.extend(_entry(text, o, p, declared) for o, p in row)
    assert width is not None
    return Answer(text, (len(rows), width), tuple(entries), decimals, significant)


# --------------------------------------------------------------------------- classify answers

_KINDS = {"min": "local minimum", "max": "local maximum", "saddle": "saddle point"}
_KIND = re.compile(
    r"(?:(?:a|an|the)\s+)?"
    r"(?:(?P<q>global|absolute|abs\.?)\s+)?"
    r"(?:(?:local|relative|rel\.?|strict)\s+)?"
    r"(?P<k>min(?:imum|imums|ima)?s?|max(?:imum|imums|ima)?s?|saddle(?:s|\s+points?)?)"
    r"(?![A-Za-z0-9_])",
    re.IGNORECASE,
)
_AT = re.compile(r"(?:at|@|:)(?![A-Za-z0-9_])", re.IGNORECASE)
_AND = re.compile(r"(?:and|&)(?![A-Za-z0-9_])", re.IGNORECASE)
_NONE = re.compile(
    r"\s*(?:none|no\s+critical\s+points?|no\s+points?|there\s+are\s+none|\{\s*\}|\[\s*\])\s*\.?\s*", re.IGNORECASE
)


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def _bare_end(text: str, pos: int) -> int:
    """End of a bare (unbracketed) coordinate: the next top-level ',' ';' or ' and '."""
    depth = 0
    i = pos
    while i < len(text):
        c = text[i]
        if c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
        elif depth == 0 and c in ",;":
            break
        elif depth == 0 and c.isspace() and _AND.match(text, _skip(text, i)):
            j = _skip(text, i)
            if j == i or text[j - 1].isspace():
                break
        i += 1
    return i


_DECIMAL = re.compile(r"\s*[+-]?\s*(\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)\s*")
_NAMED = re.compile(r"\s*([^\W\d]\w*)\s*=(?!=)")


class Clause(tuple[str, tuple[sp.Expr, ...]]):
    """One classified point ``(kind, point)`` of an answer, and what the text said beyond that.

    ``places[i]`` is the number of decimal places typed for coordinate i when it is a plain
    decimal (``-0.707`` -> 3; compared to the digits given), else None (compared exactly).
    ``claimed`` is a qualifier such as ``global`` that was read but is not checked.

    >>> c = Clause("local minimum", (sp.Rational(-707, 1000), sp.Integer(0)), (3, None), "global")
    >>> c, c.places, c.claimed
    (('local minimum', (-707/1000, 0)), (3, None), 'global')
    """

    places: tuple[int | None, ...]
    claimed: str

    def __new__(
        cls, kind: str, point: tuple[sp.Expr, ...], places: tuple[int | None, ...] | None = None, claimed: str = ""
    ) -> Clause:
        self = super().__new__(cls, (kind, point))
        self.places = tuple(places) if places is not None else (None,) * len(point)
        self.claimed = claimed
        return self


def _places(part: str) -> int | None:
    """Decimal places of a coordinate typed as a plain decimal (``-0.707`` -> 3); None otherwise."""
    m = _DECIMAL.fullmatch(part)
    if m is None:
        return None
    d = _literal_digits(m.group(1))
    return None if d is None else d[0]


def _coordinate(
    text: str, offset: int, part: str, names: dict[str, sp.Symbol]
) -> tuple[sp.Symbol | None, sp.Expr, int | None]:
    lead = len(part) - len(part.lstrip())
    if not part.strip():
        raise FormulaError("empty coordinate", text, offset)
    name = None
    eq = _top_level_char(part, "=")
    if eq is not None:
        raw = "".join(GREEK_CHARS.get(c, c) for c in part[:eq].strip())
        if raw not in names:
            raise FormulaError(
                f"{raw!r} is not a variable here (variables: {', '.join(names) or 'none'})", text, offset + lead
            )
        name, offset, part = names[raw], offset + eq + 1, part[eq + 1 :]
        if not part.strip():
            raise FormulaError("empty coordinate", text, offset)
    v = grammar.parse_part(text, offset, part, frozenset())
    at = offset + len(part) - len(part.lstrip())
    if not isinstance(v, sp.Expr) or v.free_symbols:
        raise FormulaError(f"a coordinate must be a number, not {part.strip()!r}", text, at)
    if v.has(sp.oo, -sp.oo, sp.zoo, sp.nan) or v.has(sp.I):
        raise FormulaError(f"a coordinate must be a finite real number, not {part.strip()!r}", text, at)
    return name, v, _places(part)


def _is_name(part: str, names: dict[str, sp.Symbol]) -> bool:
    return "".join(GREEK_CHARS.get(c, c) for c in part.strip()) in names


def _named_bare(text: str, pos: int, end: int, n: int, names: dict[str, sp.Symbol]) -> int:
    """``x=1, y=2`` without brackets: extend the bare point past its commas while ``name =`` follows."""
    count = 1
    while count < n and end < len(text) and text[end] == ",":
        m = _NAMED.match(text, end + 1)
        if m is None or not _is_name(m.group(1), names):
            break
        end = _bare_end(text, m.end())
        count += 1
    return end


def _point(
    text: str, pos: int, variables: tuple[sp.Symbol, ...]
) -> tuple[tuple[sp.Expr, ...], tuple[int | None, ...], int]:
    names = {v.name: v for v in variables}
    n = len(variables)
    order: list[str] | None = None
    if pos < len(text) and text[pos] in "([":
        close = _closing(text, pos)
        if close is None:
            raise FormulaError(f"unclosed {text[pos]!r}", text, pos)
        parts = _parts(text, pos + 1, close)
        after = _skip(text, close + 1)
        if (
            after < len(text)
            and text[after] == "="
            and parts
            and all(_is_name(p, names) for _, p in parts)
            and _skip(text, after + 1) < len(text)
            and text[_skip(text, after + 1)] in "(["
        ):  # (x, y) = (1, 2)
            order = ["".join(GREEK_CHARS.get(c, c) for c in p.strip()) for _, p in parts]
            pos = _skip(text, after + 1)
            close = _closing(text, pos)
            if close is None:
                raise FormulaError(f"unclosed {text[pos]!r}", text, pos)
            parts = _parts(text, pos + 1, close)
        end = close + 1
    else:
        end = _bare_end(text, pos)
        if end == pos:
            raise FormulaError("expected a point such as (1, 2)" if n != 1 else "expected a point such as 2", text, pos)
        if n != 1 and _top_level_char(text[pos:end], "=") is None:
            raise FormulaError(
                f"write a point with {n} coordinates in brackets, as in ({', '.join(['1'] * n)})", text, pos
            )
        if n > 1:
            end = _named_bare(text, pos, end, n, names)
        parts = _parts(text, pos, end)
    coords = [_coordinate(text, off, part, names) for off, part in parts]
    if order is not None and len(order) == len(coords):
        coords = [(names[name], v, k) for name, (_, v, k) in zip(order, coords, strict=True)]
    if len(coords) != n:
        raise FormulaError(
            f"this point has {len(coords)} coordinate{'s' * (len(coords) != 1)} but there "
            f"{'is' if n == 1 else 'are'} {n} variable{'s' * (n != 1)} "
            f"({', '.join(v.name for v in variables) or 'none'})",
            text,
            pos,
        )
    named = [c for c in coords if c[0] is not None]
    if named and len(named) != len(coords):
        raise FormulaError("name every coordinate or none: (x=1, y=2) or (1, 2)", text, pos)
    if named:
        given: dict[sp.Symbol, tuple[sp.Expr, int | None]] = {}
        for sym, v, k in coords:
            assert sym is not None
            if sym in given:
                raise FormulaError(f"{sym} is given twice", text, pos)
            given[sym] = (v, k)
        return tuple(given[v][0] for v in variables), tuple(given[v][1] for v in variables), end
    return tuple(v for _, v, _ in coords), tuple(k for _, _, k in coords), end


def critical_points(text: str, variables: tuple[sp.Symbol, ...]) -> list[Clause]:
    """Parse a classification answer into ``[(kind, point), ...]`` (kinds as calccli names them).

    >>> from calccli.formula.build import symbol
    >>> x, y = symbol("x"), symbol("y")
    >>> critical_points("min at (1,1) and (-1,-1), saddle at (0,0)", (x, y))
    [('local minimum', (1, 1)), ('local minimum', (-1, -1)), ('saddle point', (0, 0))]
    >>> critical_points("global min at x=1, y=2 and saddle at (x, y) = (0, 0.5)", (x, y))
    [('local minimum', (1, 2)), ('saddle point', (0, 1/2))]
    """
    grammar.check_size(text)
    if not text.strip():
        raise FormulaError("empty answer", text, 0)
    if _NONE.fullmatch(text):
        return []
    out: list[Clause] = []
    kind: str | None = None
    claimed = ""
    pos = _skip(text, 0)
    while True:
        m = _KIND.match(text, pos)
        if m:
            kind = _KINDS[m.group("k").lower()[:3] if not m.group("k").lower().startswith("sad") else "saddle"]
            claimed = (m.group("q") or "").lower().rstrip(".")
            claimed = "absolute" if claimed == "abs" else claimed
            pos = _skip(text, m.end())
            if a := _AT.match(text, pos):
                pos = _skip(text, a.end())
        elif kind is None or pos >= len(text) or text[pos] not in "([-+.0123456789" and not text[pos].isalpha():
            raise FormulaError("expected 'min', 'max' or 'saddle' (as in: min at (1, 1), saddle at (0, 0))", text, pos)
        elif text[pos].isalpha() and not _looks_like_value(text, pos):
            raise FormulaError("expected 'min', 'max' or 'saddle' (as in: min at (1, 1), saddle at (0, 0))", text, pos)
        assert kind is not None
        next_kind = False
        while True:
            if pos >= len(text):
                raise FormulaError(f"expected a point after '{kind.split()[-1]}'", text, pos)
            point, places, pos = _point(text, pos, variables)
            out.append(Clause(kind, point, places, claimed))
            pos = _skip(text, pos)
            if a := _AND.match(text, pos):
                pos = _skip(text, a.end())
                if _KIND.match(text, pos):  # "saddle at (0, 0) and min at (1, 1)"
                    next_kind = True
                    break
                continue
            break
        if next_kind:
            continue
        if pos >= len(text) or text[pos:].strip() == ".":
            return out
        if text[pos] not in ",;":
            raise FormulaError("expected ',', ';' or 'and' between points", text, pos)
        pos = _skip(text, pos + 1)
        if pos >= len(text):
            return out  # a trailing separator
        if a := _AND.match(text, pos):  # ", and max at ..."
            pos = _skip(text, a.end())


def _looks_like_value(text: str, pos: int) -> bool:
    """A point may start with a letter: ``sqrt(2)``, ``pi``, ``x=1``; a kind word may not."""
    word = re.match(r"[A-Za-z]+", text[pos:])
    return (
        word is not None
        and word.group().lower() not in {"at", "and", "point", "points", "local", "relative"}
        and not re.match(r"[A-Za-z]+\s+at\b", text[pos:], re.IGNORECASE)
    )
