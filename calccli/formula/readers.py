"""Readers for the options that name points, directions, bounds and boxes: --at, --dir, --bound, --in."""

from __future__ import annotations

from typing import Protocol

import sympy as sp

from calccli.errors import FormulaError, UsageError
from calccli.formula.build import symbol
from calccli.formula.grammar import Formula, check_names, check_size, parse_part, split_top_level
from calccli.formula.names import CONSTANTS, GREEK_CHARS


class HasVariables(Protocol):
    """What :func:`point` reads a point for: a Formula, or a chain Program (its inputs)."""

    @property
    def variables(self) -> tuple[sp.Symbol, ...]: ...

    @property
    def parameters(self) -> tuple[sp.Symbol, ...]: ...


_CONSTANT_WORDS = {"E": "Euler's number", "e": "Euler's number", "I": "the imaginary unit"}
_BRACKETS = {"(": ")", "[": "]", "<": ">", "⟨": "⟩"}


def unbracket(text: str) -> str:
    """A point or vector as written, ``(1,2)``, ``[1,2,3]``, ``<1,1,1>``, ``⟨1,1,1⟩``, without its brackets.

    The brackets become spaces, so that an error's column still points into the text typed;
    brackets that do not enclose the whole text (``(1+2)*3, 4``) stay.

    >>> unbracket("(1, 2)"), unbracket("<1,1,1>"), unbracket("(1+2)*3, 4")
    (' 1, 2 ', ' 1,1,1 ', '(1+2)*3, 4')
    """
    stripped = text.strip()
    if len(stripped) < 2 or stripped[0] not in _BRACKETS or stripped[-1] != _BRACKETS[stripped[0]]:
        return text
    start, end = text.index(stripped[0]), text.rindex(stripped[-1])
    if stripped[0] in "([":  # the opening bracket must close at the very end
        depth = 0
        for i in range(start, end + 1):
            depth += {"(": 1, "[": 1, ")": -1, "]": -1}.get(text[i], 0)
            if depth == 0 and i < end:
                return text
    elif any(c in _BRACKETS and c not in "([" or c in ">⟩" for c in text[start + 1 : end]):
        return text
    return text[:start] + " " + text[start + 1 : end] + " " + text[end + 1 :]


def constants_named(text: str | None) -> list[str]:
    """The constants' letters (``E``, ``e``, ``I``) that a point names, as in ``--at E=4,x=1``.

    Naming one means the user wants a variable: a command passes these to
    ``grammar.formula(..., declare=...)`` so that the formula reads them as variables.

    >>> constants_named("E=4, x=1"), constants_named("1,2"), constants_named(None)
    (['E'], [], [])
    """
    if text is None:
        return []
    out = []
    for _, part in split_top_level(unbracket(text)):
        name, eq, _ = part.partition("=")
        name = name.strip()
        if eq and name in _CONSTANT_WORDS and name not in out:
            out.append(name)
    return out


def numbers(text: str, option: str) -> list[sp.Expr]:
    """A comma-separated list of constant expressions, e.g. ``--dir 1,1,sqrt(2)`` or ``--dir "<1,1,1>"``."""
    values = []
    for offset, part in split_top_level(unbracket(text)):
        if not part.strip():
            raise UsageError(f"{option}: empty coordinate in {text!r}")
        value = parse_part(text, offset, part, frozenset())
        _require_constant(value, option, part)
        values.append(value)
    return values


def _require_constant(value: sp.Expr, option: str, part: str) -> None:
    if value.free_symbols:
        raise UsageError(f"{option}: {part.strip()!r} is not a number")
    if value.has(sp.oo, -sp.oo, sp.zoo, sp.nan):
        raise UsageError(f"{option}: {part.strip()!r} is not a finite number")
    if not _real(value):
        raise UsageError(f"{option}: {part.strip()!r} is not real (variables are real)")


def _real(value: sp.Expr) -> bool:
    """Whether a constant is a real number (``acos(2)`` and ``log(-1)`` are not)."""
    if value.has(sp.I):
        return False
    try:
        return sp.N(value, 20).is_extended_real is not False
    except (TypeError, ValueError, ArithmeticError):
        return True  # undecided here; the engine checks values at the point


def point(text: str | None, f: HasVariables, option: str = "--at") -> dict[sp.Symbol, sp.Expr] | None:
    """Read ``x=1,y=2`` or ``1,2`` (in variable order); values may be expressions.

    Named coordinates may also set parameters (symbols that are not variables).
    """
    if text is None:
        return None
    text = unbracket(text)
    parts = split_top_level(text)
    named = [p for p in parts if "=" in p[1]]
    out: dict[sp.Symbol, sp.Expr] = {}
    if named and len(named) != len(parts):
        raise UsageError(f"{option}: mix of named and plain coordinates in {text!r}")
    if named:
        known = {s.name: s for s in (*f.variables, *f.parameters)}
        for offset, part in parts:
            name, _, value_text = part.partition("=")
            name = "".join(GREEK_CHARS.get(c, c) for c in name.strip())
            if name not in known and name in CONSTANTS and name != "pi":
                raise UsageError(
                    f"{option}: {name} is {_CONSTANT_WORDS.get(name, 'a constant')} in this formula; to make {name} a "
                    f"variable, name it in --wrt as well (--wrt {','.join([*(v.name for v in f.variables), name])})"
                )
            if name not in known:
                raise UsageError(
                    f"{option}: {name!r} is not a variable of this formula "
                    f"(variables: {', '.join(s.name for s in f.variables) or 'none'})"
                )
            if known[name] in out:
                raise UsageError(f"{option}: {name!r} is given twice")
            value = parse_part(text, offset + len(part) - len(value_text), value_text, frozenset())
            _require_constant(value, option, value_text)
            out[known[name]] = value
        missing = [v.name for v in f.variables if v not in out]
        if missing:
            raise UsageError(f"{option}: no value for {', '.join(missing)}")
        return out
    values = numbers(text, option)
    if len(values) != len(f.variables):
        raise UsageError(
            f"{option}: the point has {len(values)} coordinate{'s' * (len(values) != 1)} "
            f"but the formula has {len(f.variables)} variable{'s' * (len(f.variables) != 1)} "
            f"({', '.join(v.name for v in f.variables) or 'none'})"
        )
    return dict(zip(f.variables, values, strict=True))


def bound(
    text: str, option: str = "--bound", declared: frozenset[str] = frozenset()
) -> tuple[sp.Symbol, sp.Expr, sp.Expr]:
    """``x=0..1`` or ``y=-sqrt(4-x^2)..sqrt(4-x^2)``: a variable and its limits.

    Limits may be expressions in other variables and may be infinite (``oo``).

    >>> bound("y=-sqrt(1-x^2)..sqrt(1-x^2)")
    (y, -sqrt(1 - x**2), sqrt(1 - x**2))
    """
    check_size(text)
    name, eq, span = text.partition("=")
    if not eq or ".." not in span:
        raise UsageError(f"{option}: write a range as name=low..high, e.g. x=0..1 (got {text.strip()!r})")
    var = symbol(check_names([name], option)[0])
    low_at = len(name) + 1
    low_text, _, high_text = span.partition("..")
    limits_ = []
    for offset, part in ((low_at, low_text), (low_at + len(low_text) + 2, high_text)):
        if not part.strip():
            raise FormulaError("empty limit", text, offset)
        value = parse_part(text, offset, part, declared | {var.name})
        if value.has(sp.zoo, sp.nan) or (value.is_number and not _real(value)):
            raise UsageError(f"{option}: {part.strip()!r} is not a real limit")
        limits_.append(value)
    low, high = limits_
    if low == high and low in (sp.oo, -sp.oo):
        raise UsageError(f"{option}: the range for {var.name} is empty ({low}..{high})")
    return var, low, high


def region(text: str | None, f: Formula, option: str = "--in") -> dict[sp.Symbol, tuple[sp.Expr, sp.Expr]] | None:
    """A box ``x=-2..2,y=0..pi`` (bounds may be expressions), one range per variable.

    >>> from calccli.formula.grammar import formula
    >>> region("x=-1..1, y=0..pi", formula("x y"))
    {x: (-1, 1), y: (0, pi)}
    """
    if text is None:
        return None
    known = {v.name: v for v in f.variables}
    out: dict[sp.Symbol, tuple[sp.Expr, sp.Expr]] = {}
    for at, part in split_top_level(text):
        name, eq, span = part.partition("=")
        name = "".join(GREEK_CHARS.get(c, c) for c in name.strip())
        if not eq or ".." not in span:
            raise UsageError(f"{option}: write each range as name=low..high, e.g. x=-2..2 (got {part.strip()!r})")
        if name not in known:
            raise UsageError(f"{option}: {name!r} is not a variable (variables: {', '.join(known) or 'none'})")
        low_text, _, high_text = span.partition("..")
        bounds = []
        offset = at + len(part) - len(span)
        for bound, where in ((low_text, offset), (high_text, offset + len(low_text) + 2)):
            if not bound.strip():
                raise FormulaError("empty limit", text, where)
            value = parse_part(text, where, bound, frozenset())
            _require_constant(value, option, bound)
            bounds.append(value)
        low, high = bounds
        try:
            empty = not bool(low < high)
        except TypeError:  # SymPy cannot decide the order (it should not happen for real numbers)
            raise UsageError(f"{option}: cannot compare the limits {low} and {high} for {name}") from None
        if empty:
            raise UsageError(f"{option}: the range for {name} is empty ({low} .. {high})")
        if known[name] in out:
            raise UsageError(f"{option}: {name!r} is given twice")
        out[known[name]] = (low, high)
    missing = [v.name for v in f.variables if v not in out]
    if missing:
        raise UsageError(f"{option}: no range for {', '.join(missing)}")
    return out
