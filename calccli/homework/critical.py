"""Grading classified critical points (``classify --check``): the same points, with the same kinds.

Points are compared numerically (to 1e-9, relative to max(1, |coordinate|)); an expected
kind calccli could not decide ("inconclusive") is not judged.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import sympy as sp

from calccli.calculus.common import as_expr
from calccli.homework.check import CORRECT, INCORRECT, UNDETERMINED, Check, plural
from calccli.process.budget import DeadlineExceeded

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


def _same_point(a: list[float] | None, b: list[float] | None) -> bool:
    return (
        a is not None
        and b is not None
        and len(a) == len(b)
        and all(abs(p - q) <= POINT_MATCH * max(1, abs(q)) for p, q in zip(a, b, strict=True))
    )


def _show_point(point: Sequence[sp.Expr]) -> str:
    return "(" + ", ".join(str(c) for c in point) + ")"


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
    for kind, point in given:
        c = _coords(point)
        j = next((j for j, ec in enumerate(exp_coords) if not used[j] and _same_point(c, ec)), None)
        if j is None:
            twice = any(_same_point(c, ec) for ec in exp_coords)
            extra.append(f"{kind} at {_show_point(point)}" + (" (listed twice)" if twice else ""))
            wrong.append(_show_point(point))
            continue
        used[j] = True
        want = expected[j][0]
        if want not in KINDS:
            unjudged.append(_show_point(expected[j][1]))
        elif want != kind:
            wrong_kind.append(f"{_show_point(expected[j][1])} is a {want}, not a {kind}")
            wrong.append(_show_point(expected[j][1]))
    for j, (kind, point) in enumerate(expected):
        if not used[j]:
            missing.append(f"{kind} at {_show_point(point)}" if kind in KINDS else _show_point(point))
            wrong.append(_show_point(point))
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
    return Check(CORRECT, f"all {plural(len(expected), 'critical point')} and their kinds match")
