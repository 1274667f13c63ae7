"""Reading many points (``--points FILE``): CSV or NDJSON, one point a line, as one NumPy array.

CSV has a header row naming the variables in any order, or no header (the columns are then the
variables in order); NDJSON has one object ``{"x": 1, "y": 2}`` or one array ``[1, 2]`` a line.
The first non-blank line decides which: ``{`` or ``[`` is NDJSON.  Blank lines are skipped.  Every
number is decimal text read by ``float`` (or JSON's own number syntax), never evaluated; ``nan``
and ``inf`` are floats too.  At most :data:`MAX_POINTS` points.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import sympy as sp

from calccli.errors import FormulaError, InputLimitError, UsageError

MAX_POINTS = 10_000_000  # points in one --points input


@dataclass(frozen=True, slots=True, eq=False)
class Points:
    """The points: ``values[i, j]`` is variable ``names[j]`` at point ``i`` (float64)."""

    names: tuple[str, ...]
    values: np.ndarray


def read_points(data: str, variables: Sequence[sp.Symbol]) -> Points:
    """The points of ``data`` (CSV or NDJSON) for ``variables``, columns in the order of ``variables``.

    >>> x, y = sp.symbols("x y")
    >>> read_points("y,x\\n2,1\\n\\n4,3.5\\n", [x, y]).values.tolist()
    [[1.0, 2.0], [3.5, 4.0]]
    >>> read_points('{"x": 1, "y": 2}\\n[3, 4]\\n', [x, y]).values.tolist()
    [[1.0, 2.0], [3.0, 4.0]]
    """
    names = tuple(v.name for v in variables)
    if not names:
        raise UsageError("a formula without variables has no points to be evaluated at")
    lines = data.splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        raise UsageError("no points: the input is empty")
    if lines[first].lstrip()[0] in "{[":
        values = _ndjson(lines, first, names)
    else:
        values = _csv(lines, first, names)
    return Points(names, values)


def _check_count(count: int) -> None:
    if count == 0:
        raise UsageError("no points: the input has no data lines")
    if count > MAX_POINTS:
        raise InputLimitError(f"too many points: {count:,} (at most {MAX_POINTS:,})")


def _number(token: str, line_number: int, line: str, start: int) -> float:
    """One CSV field as a float, or a FormulaError pointing at it (``start``: the field's column in ``line``)."""
    text = token.strip()
    where = start + len(token) - len(token.lstrip())
    if not text:
        raise FormulaError(f"line {line_number} of the points: an empty field", line, where)
    if text.isascii() and "_" not in text:
        try:
            return float(text)
        except ValueError:
            pass
    raise FormulaError(f"line {line_number} of the points: {text[:40]!r} is not a number", line, where)


def _header(line: str, names: tuple[str, ...]) -> list[int]:
    """For each variable, its column in the header ``line``."""
    columns = [field.strip().strip('"').strip() for field in line.split(",")]
    for column in columns:
        if column not in names:
            raise UsageError(f"the points' header names {column!r}, not a variable of the formula ({', '.join(names)})")
        if columns.count(column) > 1:
            raise UsageError(f"the points' header names {column!r} twice")
    missing = [n for n in names if n not in columns]
    if missing:
        raise UsageError(f"the points' header has no column for {', '.join(missing)}")
    return [columns.index(n) for n in names]


def _is_header(line: str) -> bool:
    """A first line with a field that is not a number is a header."""
    for field in line.split(","):
        try:
            float(field)
        except ValueError:
            return True
    return False


def _csv(lines: list[str], first: int, names: tuple[str, ...]) -> np.ndarray:
    has_header = _is_header(lines[first])
    order = _header(lines[first], names) if has_header else list(range(len(names)))
    start = first + 1 if has_header else first
    body = [line for line in lines[start:] if line.strip()]
    _check_count(len(body))
    width = len(order)
    joined = ",".join(body)
    flat: list[float] | None = None
    if joined.isascii() and "_" not in joined and all(line.count(",") == width - 1 for line in body):
        try:
            flat = list(map(float, joined.split(",")))
        except ValueError:
            flat = None
    if flat is None:  # find the first bad line, and say where
        flat = []
        for number, line in enumerate(lines[start:], start + 1):
            if line.strip():
                flat.extend(_row(line, number, width, has_header))
    table = np.array(flat, dtype=np.float64).reshape(len(body), width)
    return table if order == list(range(width)) else table[:, order]


def _row(line: str, number: int, width: int, has_header: bool) -> list[float]:
    fields = line.split(",")
    if len(fields) != width:
        what = "the header's columns" if has_header else "the formula's variables"
        raise UsageError(f"line {number} of the points has {len(fields)} field(s), not {width} ({what})")
    row, column = [], 0
    for field in fields:
        row.append(_number(field, number, line, column))
        column += len(field) + 1
    return row


def _ndjson(lines: list[str], first: int, names: tuple[str, ...]) -> np.ndarray:
    rows: list[list[float]] = []
    for number, line in enumerate(lines[first:], first + 1):
        if line.strip():
            rows.append(_json_row(line, number, names))
    _check_count(len(rows))
    return np.array(rows, dtype=np.float64).reshape(len(rows), len(names))


def _json_row(line: str, number: int, names: tuple[str, ...]) -> list[float]:
    """One NDJSON line as the point's coordinates in the order of ``names``."""
    try:  # JSON numbers only; integers read as floats, so a long one is inf, never a huge int
        item = json.loads(line, parse_int=float, parse_constant=float)
    except json.JSONDecodeError as e:
        raise FormulaError(f"line {number} of the points is not JSON: {e.msg}", line, e.pos) from None
    except (ValueError, RecursionError):
        raise FormulaError(f"line {number} of the points is not JSON", line, 0) from None
    if isinstance(item, dict):
        extra = [k for k in item if k not in names]
        if extra:
            raise UsageError(
                f"line {number} of the points names {extra[0]!r}, not a variable of the formula ({', '.join(names)})"
            )
        missing = [n for n in names if n not in item]
        if missing:
            raise UsageError(f"line {number} of the points has no value for {', '.join(missing)}")
        values = [item[n] for n in names]
    elif isinstance(item, list):
        if len(item) != len(names):
            raise UsageError(
                f"line {number} of the points has {len(item)} number(s); the formula has {len(names)} variable(s)"
            )
        values = item
    else:
        raise UsageError(f"line {number} of the points is neither an object nor an array")
    for value in values:
        if type(value) is not float:
            raise FormulaError(f"line {number} of the points: {json.dumps(value)[:40]} is not a number", line, 0)
    return values


__all__ = ["MAX_POINTS", "Points", "read_points"]
