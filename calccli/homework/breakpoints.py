"""Where piecewise parts change: sample points on both sides of every breakpoint, or a note that they are missing.

Two expressions that agree on one side of a breakpoint and not on the other (``|x - 50|``
and ``x - 50``) agree at every small sample point; random points alone would call them
equal.  So the checker finds the *break functions* of both sides -- ``g`` in ``|g|``,
``sign(g)``, ``Heaviside(g)``, ``a - b`` in ``Max(a, b)``/``Min(a, b)``, ``lhs - rhs`` of a
``Piecewise`` condition, and ``g - k`` (k = -2..2) in ``floor(g)``/``ceiling(g)`` -- and
where each is 0:

* located (solved for its first variable, a finite set of real roots, within a short time):
  sample points just left and right of each root, and between and beyond the roots, are
  tried first, so both sides of every breakpoint are compared (not the root itself: at a
  corner a derivative has no value, and an answer may rightly differ from SymPy's there);
* not located (an infinite set such as ``sin x = 0``, or no solution in time): the sampled
  points must show both signs of ``g`` where the two sides agree, unless SymPy knows ``g``
  has one sign; otherwise :meth:`Breaks.uncovered` names it and "equal" becomes "unknown".

>>> x = sp.Symbol("x", real=True)
>>> b = find(sp.Abs(x - 50), x - 50, (x,))
>>> sorted({float(p[x]) for p in b.points})
[-1.0, 47.5, 49.95, 50.05, 52.5, 101.0]
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import sympy as sp
from sympy.core.relational import Relational

from calccli.homework.bounded import attempt
from calccli.homework.sampling import Point, fitted

MAX_FUNCTIONS = 12  # more break functions than this: none are located (the sign rule applies)
MAX_ROOTS = 12  # a break function with more real roots than this is not located
MAX_POINTS = 36  # targeted sample points at most (the sweep's target is 40)
SOLVE_SECONDS = 0.3  # time to locate one break function's zeros
FLOOR_LEVELS = range(-2, 3)  # floor(g) and ceiling(g) break where g is one of these integers (among others)
NEAR = sp.Rational(1, 1000)  # points this far (relative to max(1, |root|)) left and right of a root
BASES = (sp.Integer(1), sp.Integer(2), sp.Integer(-1))  # values of the other variables, multivariate


@dataclass(frozen=True)
class Breaks:
    """The break functions of two expressions, the targeted sample points, and those not located."""

    functions: tuple[sp.Expr, ...] = ()
    points: tuple[Point, ...] = ()
    unlocated: tuple[sp.Expr, ...] = ()
    corners: tuple[sp.Expr, ...] = ()  # the break functions of corners (|g|, Max, ...), not of jumps (floor)

    def on_corner(self, point: Point) -> bool:
        """``point`` is exactly on a corner (``|x|`` at 0): skipped, as a derivative there has no value.

        >>> x = sp.Symbol("x", real=True)
        >>> b = Breaks((x,), corners=(x - 1,))
        >>> b.on_corner({x: sp.Integer(1)}), b.on_corner({x: sp.Integer(2)})
        (True, False)
        """
        for g in self.corners:
            try:
                if g.xreplace({s: point[s] for s in g.free_symbols if s in point}) == 0:
                    return True
            except (TypeError, ValueError, ArithmeticError):
                continue
        return False

    def uncovered(self, agreeing: Iterable[Point]) -> str:
        """'' when both sides of every breakpoint were compared; else what is missing, in words.

        >>> x = sp.Symbol("x", real=True)
        >>> Breaks((x,), (), (x,)).uncovered([{x: sp.Integer(1)}])
        'where x < 0 (a breakpoint of the answer or the result)'
        """
        if not self.unlocated:
            return ""
        seen: dict[sp.Expr, set[int]] = {g: set() for g in self.unlocated}
        for point in agreeing:
            for g in self.unlocated:
                s = _sign(g, point)
                if s is not None:
                    seen[g].add(s)
        for g in self.unlocated:
            missing = {1, -1} - seen[g]
            if missing and not _one_signed(g, missing):
                side = "<" if -1 in missing else ">"
                return f"where {g} {side} 0 (a breakpoint of the answer or the result)"
        return ""


def functions(*exprs: Any, corners: bool = False) -> tuple[sp.Expr, ...]:
    """The break functions of ``exprs``: where each is 0, a piecewise part of them changes.

    ``corners``: only those of ``|g|``, ``sign``, ``Heaviside``, ``Max``/``Min`` and ``Piecewise``
    inequalities, where a derivative has a corner (not ``floor``/``ceiling``, whose jumps are values).

    >>> x, y = sp.Symbol("x", real=True), sp.Symbol("y", real=True)
    >>> functions(sp.Abs(x - 1) + sp.Max(x, y), sp.Heaviside(y))
    (x - 1, x - y, y)
    >>> functions(sp.floor(x) + sp.Abs(y), corners=True)
    (y,)
    """
    out: list[sp.Expr] = []
    for e in exprs:
        if not isinstance(e, sp.Basic):
            continue
        for node in sp.preorder_traversal(e):
            if not (corners and isinstance(node, (sp.floor, sp.ceiling, sp.frac))):
                out.extend(_of(node, corners))
    seen: list[sp.Expr] = []
    for g in out:
        if isinstance(g, sp.Expr) and g.free_symbols and g not in seen and -g not in seen:
            seen.append(g)
    return tuple(seen)


def _of(node: sp.Basic, corners: bool = False) -> list[sp.Expr]:
    if isinstance(node, (sp.Abs, sp.sign, sp.Heaviside)):
        return [node.args[0]]
    if isinstance(node, (sp.floor, sp.ceiling, sp.frac)):
        return [node.args[0] - k for k in FLOOR_LEVELS]
    if isinstance(node, (sp.Max, sp.Min)):
        return [a - b for a, b in itertools.combinations(node.args, 2)]
    if isinstance(node, sp.Piecewise):
        out = []
        for _, cond in node.args:
            if isinstance(cond, sp.Basic) and cond not in (sp.true, sp.false):
                rels = [r for r in cond.atoms(Relational) if not (corners and isinstance(r, (sp.Eq, sp.Ne)))]
                out += [r.lhs - r.rhs for r in rels]
        return out
    return []


def find(a: Any, b: Any, symbols: Sequence[sp.Symbol], seconds: float = 1.0) -> Breaks:
    """The breakpoints of ``a`` and ``b`` in ``symbols``: targeted points where located, else the sign rule.

    ``seconds`` bounds the search for zeros; a function not located in time falls to the sign rule.
    """
    fs = functions(a, b)
    corners = functions(a, b, corners=True)
    if not fs or not symbols:
        return Breaks(fs, corners=corners)
    if len(fs) > MAX_FUNCTIONS:
        return Breaks(fs, (), fs, corners)
    points: list[Point] = []
    unlocated: list[sp.Expr] = []
    end = time.monotonic() + seconds
    for g in fs:
        found = _locate(g, symbols, end)
        if found is None:
            unlocated.append(g)
        else:
            points += [p for p in map(fitted, found) if p is not None]
    if len(points) > MAX_POINTS:  # too many to try first: keep an even spread, the rest by the sign rule
        step = len(points) / MAX_POINTS
        points = [points[int(i * step)] for i in range(MAX_POINTS)]
    return Breaks(fs, tuple(points), tuple(unlocated), corners)


def _base(symbols: Sequence[sp.Symbol], k: int) -> Point:
    return {s: BASES[(k + i) % len(BASES)] for i, s in enumerate(symbols)}


def _locate(g: sp.Expr, symbols: Sequence[sp.Symbol], end: float) -> list[Point] | None:
    """Points on both sides of each zero of ``g`` in its first variable (others at a few base values)."""
    v = next((s for s in symbols if s in g.free_symbols), None)
    if v is None:
        return []
    others = [s for s in symbols if s != v]
    rest = g.free_symbols - {v}
    bases = [_base(others, k) for k in range(len(BASES))] if rest else [_base(others, 0)]
    out: list[Point] = []
    for base in bases:
        h = g.xreplace({s: base[s] for s in rest})
        roots = _real_roots(h, v, min(SOLVE_SECONDS, end - time.monotonic()))
        if roots is None:
            return None
        for x in _around(roots):
            out.append({**base, v: x})
    return out


def _real_roots(h: sp.Expr, v: sp.Symbol, seconds: float) -> list[sp.Rational] | None:
    """The real zeros of ``h`` in ``v`` as rationals (to 30 digits), sorted; None if not found in time."""
    found = attempt(lambda: sp.solveset(h, v, sp.S.Reals), seconds, unbounded_ok=False)
    if found is None:
        return None
    if found is sp.S.EmptySet:
        return []
    if not isinstance(found, sp.FiniteSet) or len(found) > MAX_ROOTS:
        return None
    roots = []
    for r in found:
        try:
            value = sp.N(r, 30)
            if not value.is_real or not value.is_finite:
                return None
            roots.append(sp.Rational(str(value)))
        except (TypeError, ValueError, ArithmeticError):
            return None
    return sorted(set(roots))


def _around(roots: list[sp.Rational]) -> list[sp.Rational]:
    """Points just left and right of each root, midpoints between roots, and points beyond both ends."""
    if not roots:
        return []
    first, last = roots[0], roots[-1]
    out: list[sp.Rational] = [first - 1 - abs(first), last + 1 + abs(last)]
    for i, r in enumerate(roots):
        gaps = [r - roots[i - 1]] if i else []
        gaps += [roots[i + 1] - r] if i + 1 < len(roots) else []
        d = min([NEAR * max(1, abs(r)), *(gap / 3 for gap in gaps)])
        out += [r - d, r + d]  # not r itself: at a corner a derivative has no value, whatever SymPy says
        if i + 1 < len(roots):
            out.append((r + roots[i + 1]) / 2)
        else:
            out.append(r + 50 * d)
        if i == 0:
            out.append(r - 50 * d)
    return sorted(set(out))


def _sign(g: sp.Expr, point: Point) -> int | None:
    try:
        v = sp.N(g.xreplace({s: point[s] for s in g.free_symbols if s in point}), 20)
    except (TypeError, ValueError, ArithmeticError, KeyError):
        return None
    if not v.is_number or not v.is_real or v.is_zero is None:
        return None
    return 0 if v.is_zero else 1 if v > 0 else -1


def _one_signed(g: sp.Expr, missing: set[int]) -> bool:
    """SymPy knows ``g`` never has the missing sign (``x**2 + 1`` is never negative)."""

    def known() -> bool:
        if missing == {-1}:
            return bool(g.is_nonnegative)
        if missing == {1}:
            return bool(g.is_nonpositive)
        return bool(g.is_zero)

    return bool(attempt(known, SOLVE_SECONDS, unbounded_ok=True))
