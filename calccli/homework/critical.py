"""Grading classified critical points (``classify --check``): the same points, with the same kinds.

Points are compared numerically (to 1e-9, relative to max(1, |coordinate|)); a coordinate
typed as a plain decimal (``-0.707``) is compared to the digits given: it must be what the
exact coordinate rounds to (within half a unit of its last decimal place, so ``-0.707`` and
``-0.71`` are -sqrt(2)/2, ``-0.708`` is not).  An expected kind calccli could not decide
("inconclusive") is not judged.  A ``global`` or ``absolute`` qualifier is read but not
checked, and the method says so.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import sympy as sp

from calccli.calculus.common import as_expr
from calccli.homework.check import CORRECT, INCORRECT, UNDETERMINED, Check, plural
from calccli.process.budget import DeadlineExceeded
from calccli.results import text

POINT_MATCH = 1e-9  # critical points closer than this are the same point
KINDS = ("local minimum", "local maximum", "saddle point")

Classified = Sequence[tuple[str, Sequence[sp.Expr]]]


def _coords(point: Sequence[sp.Expr]) -> list[float] | None:
    try:
        out = []
        for c in point:
            v = complex(sp.N(as_expr(c), 30))
            if abs(v.imag) > 1e-12 or not math.isfinite(v.real):
                return None
            out.append(v.real)
        return out
    except Exception:
        return None


def _allowed(q: float, places: int | None) -> float:
    """How far a coordinate may be from ``q``: half a unit of the decimal places typed, else 1e-9 relative."""
    exact = POINT_MATCH * max(1, abs(q))
    return exact if places is None else max(exact, 0.5 * 10.0 ** (-places) * (1 + 1e-9))


def _distance(a: list[float] | None, b: list[float] | None, places: Sequence[int | None] = ()) -> float | None:
    """How far apart the points are, in units of what is allowed (<= 1: the same point); None: no match."""
    if a is None or b is None or len(a) != len(b):
        return None
    digits = list(places) + [None] * (len(a) - len(places))
    worst = max((abs(p - q) / _allowed(q, k) for p, q, k in zip(a, b, digits, strict=True)), default=0.0)
    return worst if worst <= 1 else None


def _same_point(a: list[float] | None, b: list[float] | None, places: Sequence[int | None] = ()) -> bool:
    return _distance(a, b, places) is not None


def show_point(point: Sequence[sp.Expr], places: Sequence[int | None] = ()) -> str:
    """``(1, -sqrt(2)/2)``; a coordinate typed as a decimal as it was typed (``-0.708``, not ``-177/250``)."""
    digits = list(places) + [None] * (len(point) - len(places))
    shown = [
        text(c) if k is None or not getattr(c, "is_Rational", False) or k < 0 else f"{float(c):.{k}f}"
        for c, k in zip(point, digits, strict=True)
    ]
    return "(" + ", ".join(shown) + ")"


def critical_points(given: Classified, expected: Classified, *, complete: bool = True) -> Check:
    """Compare classified critical points: the same points (to 1e-9) with the same kinds.

    ``complete=False`` when the expected list may miss points (found numerically): an
    extra point in the answer then makes the verdict undetermined instead of incorrect.
    Expected kinds other than min/max/saddle ("inconclusive") are not judged.

    >>> critical_points([("local minimum", (0,))], [("local maximum", (0,))]).reason
    'wrong kind: (0) is a local maximum, not a local minimum'
    """
    try:
        return _critical_points(given, expected, complete)
    except DeadlineExceeded:
        return Check(UNDETERMINED, "ran out of time")
    except Exception as exc:
        return Check(UNDETERMINED, f"could not check ({type(exc).__name__})")


def _critical_points(given: Classified, expected: Classified, complete: bool) -> Check:
    exp_coords = [_coords(p) for _, p in expected]
    used = [False] * len(expected)
    missing: list[str] = []
    extra: list[str] = []
    wrong_kind: list[str] = []
    unjudged: list[str] = []
    wrong: list[str] = []
    claimed: set[str] = set()
    for clause in given:
        kind, point = clause
        places = getattr(clause, "places", ())
        if getattr(clause, "claimed", ""):
            claimed.add(clause.claimed)  # type: ignore[attr-defined]
        c = _coords(point)
        near = [
            (d, j) for j, ec in enumerate(exp_coords) if not used[j] and (d := _distance(c, ec, places)) is not None
        ]
        j = min(near)[1] if near else None
        if j is None:
            twice = any(_same_point(c, ec, places) for ec in exp_coords)
            extra.append(f"{kind} at {show_point(point, places)}" + (" (listed twice)" if twice else ""))
            wrong.append(show_point(point, places))
            continue
        used[j] = True
        want = expected[j][0]
        if want not in KINDS:
            unjudged.append(show_point(expected[j][1]))
        elif want != kind:
            wrong_kind.append(f"{show_point(expected[j][1])} is a {want}, not a {kind}")
            wrong.append(show_point(expected[j][1]))
    for j, (kind, point) in enumerate(expected):
        if not used[j]:
            missing.append(f"{kind} at {show_point(point)}" if kind in KINDS else show_point(point))
            wrong.append(show_point(point))
    parts = []
    if missing:
        parts.append(f"missing {'; '.join(missing)}")
    if extra:
        parts.append(
            f"not a critical point: {'; '.join(extra)}"
            if complete
            else f"not among the points found: {'; '.join(extra)}"
        )
    if wrong_kind:
        parts.append(f"wrong kind: {'; '.join(wrong_kind)}")
    reason = "; ".join(parts)
    if missing or wrong_kind or (extra and complete):
        return Check(INCORRECT, "compared the points and their kinds", wrong=tuple(wrong), reason=reason)
    if extra or unjudged:
        more = f"calccli could not classify {', '.join(unjudged)}" if unjudged else ""
        return Check(
            UNDETERMINED, "compared the points and their kinds", reason="; ".join(p for p in (reason, more) if p)
        )
    unchecked = f" ('{' and '.join(sorted(claimed))}' is not checked)" if claimed else ""
    return Check(CORRECT, f"all {plural(len(expected), 'critical point')} and their kinds match{unchecked}")
