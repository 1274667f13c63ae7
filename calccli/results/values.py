"""Values, points and the string helpers every payload shares.

Strings made here are calccli's own syntax (what SymPy prints and calccli reads back); the renderers'
decorated spellings live in :mod:`calccli.render.present`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

import sympy as sp

Point = dict[sp.Symbol, sp.Expr]


class Result(Protocol):
    """What every result offers: a JSON kind, its schema version and its payload."""

    @property
    def KIND(self) -> str: ...  # noqa: N802 - a ClassVar on the result classes

    @property
    def SCHEMA(self) -> int: ...  # noqa: N802

    def payload(self) -> dict[str, object]: ...


@dataclass(frozen=True, slots=True)
class Value:
    """An exact number and its float (``None`` when parameters remain)."""

    exact: sp.Expr
    numeric: float | None


def text(e: object) -> str:
    """An expression in SymPy syntax, which calccli reads back.

    >>> text(sp.Symbol("x") ** 2)
    'x**2'
    """
    return sp.sstr(e) if isinstance(e, sp.Basic) else str(e)


def jfloat(x: float | None) -> float | str | None:
    """A float for JSON: infinities and NaN become SymPy's strings.

    >>> jfloat(float("-inf")), jfloat(0.5)
    ('-oo', 0.5)
    """
    if x is None:
        return None
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "oo" if x > 0 else "-oo"
    return x


def point_text(at: Point) -> str:
    """A point as words: ``x = 1`` for one variable, ``(x, y) = (1, 0)`` for several.

    >>> x, y = sp.symbols("x y")
    >>> point_text({x: sp.Integer(1), y: sp.Integer(0)})
    '(x, y) = (1, 0)'
    """
    names = ", ".join(k.name for k in at)
    values = ", ".join(text(v) for v in at.values())
    return f"({names}) = ({values})" if len(at) > 1 else f"{names} = {values}"


def point_payload(at: Point | None) -> dict[str, str] | None:
    """A point for JSON, ``{name: value}``; ``None`` stays ``None``."""
    return None if at is None else {k.name: text(v) for k, v in at.items()}


def names(variables: Iterable[sp.Symbol]) -> list[str]:
    """The variables' names, in order."""
    return [v.name for v in variables]


def by_name(variables: Iterable[sp.Symbol], exprs: Iterable[object]) -> dict[str, str]:
    """``{variable name: expression text}``, pairing the two sequences."""
    return {v.name: text(e) for v, e in zip(variables, exprs, strict=True)}


def values_payload(vs: Iterable[Value]) -> tuple[list[str], list[float | str | None]]:
    """The exact texts and the JSON floats of a sequence of values."""
    vs = list(vs)
    return [text(v.exact) for v in vs], [jfloat(v.numeric) for v in vs]


def matrix_payload(m: sp.MatrixBase) -> list[list[str]]:
    """A matrix for JSON: a list of rows of expression texts."""
    return [[text(c) for c in row] for row in m.tolist()]


def floats_payload(m: list[list[float | None]]) -> list[list[float | str | None]]:
    """A matrix of floats for JSON, infinities and NaN as strings."""
    return [[jfloat(c) for c in row] for row in m]
