"""Readers for the options that name points, directions, bounds and boxes: --at, --dir, --bound, --in."""

from __future__ import annotations

import sympy as sp

from calccli.errors import FormulaError, UsageError
from calccli.formula.build import symbol
from calccli.formula.grammar import Formula, check_names, check_size, parse_part, parse_rule, split_top_level
from calccli.formula.names import GREEK_CHARS


def numbers(text: str, option: str) -> list[sp.Expr]:
    """A comma-separated list of constant expressions, e.g. ``--dir 1,1,sqrt(2)``."""
    values = []
    for offset, part in split_top_level(text):
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
    if value.has(sp.I):
        raise UsageError(f"{option}: {part.strip()!r} is not real (variables are real)")


def point(text: str | None, f: Formula, option: str = "--at") -> dict[sp.Symbol, sp.Expr] | None:
    """Read ``x=1,y=2`` or ``1,2`` (in variable order); values may be expressions.

    Named coordinates may also set parameters (symbols that are not variables).
    """
    if text is None:
        return None
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
        if value.has(sp.zoo, sp.nan) or value.has(sp.I):
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
    for _, part in split_top_level(text):
        name, eq, span = part.partition("=")
        name = "".join(GREEK_CHARS.get(c, c) for c in name.strip())
        if not eq or ".." not in span:
            raise UsageError(f"{option}: write each range as name=low..high, e.g. x=-2..2 (got {part.strip()!r})")
        if name not in known:
            raise UsageError(f"{option}: {name!r} is not a variable (variables: {', '.join(known) or 'none'})")
        low_text, _, high_text = span.partition("..")
        bounds = []
        for bound in (low_text, high_text):
            value = parse_rule(bound, frozenset(), "sum")
            _require_constant(value, option, bound)
            bounds.append(value)
        low, high = bounds
        if not bool(low < high):
            raise UsageError(f"{option}: the range for {name} is empty ({low} .. {high})")
        if known[name] in out:
            raise UsageError(f"{option}: {name!r} is given twice")
        out[known[name]] = (low, high)
    missing = [v.name for v in f.variables if v not in out]
    if missing:
        raise UsageError(f"{option}: no range for {', '.join(missing)}")
    return out
