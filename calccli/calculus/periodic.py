"""Repeating critical points of periodic functions: the lattices and families the solver gives.

``sympy.solve`` lists the solutions in one period; ``sympy.nonlinsolve`` describes all of them
as images of the integers (``2*n*pi + pi/2``).  :func:`patterns` turns those into points with
integer parameters ``k`` (``k1``, ``k2``, ... when there are several), merging the halves of a
period (``2*k*pi`` and ``2*k*pi + pi`` are ``k*pi``).

>>> x, y = sp.symbols("x y", real=True)
>>> patterns([sp.cos(x) * sp.cos(y), -sp.sin(x) * sp.sin(y)], (x, y), 5.0)
[(pi*k1, pi*k2 + pi/2), (pi*k1 + pi/2, pi*k2)]
"""

from __future__ import annotations

import functools
import itertools
import math
import time
from collections.abc import Sequence

import sympy as sp

from calccli.process.budget import DeadlineExceeded, soft_deadline

TRIG = (sp.sin, sp.cos, sp.tan, sp.sec, sp.csc, sp.cot)
MAX_PATTERNS = 12

_N = sp.Dummy("n", integer=True)


def periodic(expr: sp.Expr, variables: Sequence[sp.Symbol]) -> bool:
    """Does f contain a trigonometric function of its variables (so its critical points may repeat)?"""
    vs = set(variables)
    return any(a.free_symbols & vs for a in expr.atoms(*TRIG))


def _alternatives(entry: sp.Basic) -> list[sp.Basic] | None:
    """An entry of a solution tuple as a list of lattices (Lambda of an integer) or plain expressions."""
    if isinstance(entry, sp.Union):
        out: list[sp.Basic] = []
        for a in entry.args:
            alts = _alternatives(a)
            if alts is None:
                return None
            out += alts
        return out
    if isinstance(entry, sp.ImageSet):
        if entry.base_sets != (sp.S.Integers,) or len(entry.lamda.variables) != 1:
            return None
        (n,) = entry.lamda.variables
        return [sp.Lambda(_N, entry.lamda.expr.subs(n, _N))]
    if isinstance(entry, sp.FiniteSet):
        return list(entry.args)
    if isinstance(entry, sp.Expr) and not isinstance(entry, sp.Set):
        return [entry]
    return None


def _merge(rows: list[list[sp.Basic]]) -> list[list[sp.Basic]]:
    """Join two rows that differ only in one lattice e1, e2 with e2(n) = e1(n + 1/2): e1(n/2)."""
    changed = True
    while changed:
        changed = False
        for a, b in itertools.combinations(range(len(rows)), 2):
            ra, rb = rows[a], rows[b]
            diff = [i for i in range(len(ra)) if ra[i] != rb[i]]
            if len(diff) != 1:
                continue
            i = diff[0]
            ea, eb = ra[i], rb[i]
            if not (isinstance(ea, sp.Lambda) and isinstance(eb, sp.Lambda)):
                continue
            for e1, e2 in ((ea, eb), (eb, ea)):
                if sp.simplify(e2.expr - e1.expr.subs(_N, _N + sp.Rational(1, 2))) == 0:
                    merged = list(ra)
                    merged[i] = sp.Lambda(_N, sp.expand(e1.expr.subs(_N, _N / 2)))
                    rows = [r for j, r in enumerate(rows) if j not in (a, b)] + [merged]
                    changed = True
                    break
            if changed:
                break
    return rows


def _point(row: list[sp.Basic]) -> sp.Tuple:
    lattices = [i for i, e in enumerate(row) if isinstance(e, sp.Lambda)]
    names = ["k"] if len(lattices) == 1 else [f"k{j + 1}" for j in range(len(lattices))]
    ks = dict(zip(lattices, (sp.Symbol(nm, integer=True) for nm in names), strict=True))
    return sp.Tuple(*(sp.expand(e.expr.subs(_N, ks[i])) if i in ks else e for i, e in enumerate(row)))


def _rows(sol: sp.Basic, variables: Sequence[sp.Symbol]) -> list[list[sp.Basic]]:
    """The rows (one alternative per coordinate) of one solution tuple with a lattice in it."""
    if not isinstance(sol, sp.Tuple) or len(sol) != len(variables):
        return []
    alts = [_alternatives(e) for e in sol]
    if any(a is None for a in alts):
        return []
    rows = []
    for combo in itertools.product(*alts):  # type: ignore[arg-type]
        row = list(combo)
        if any(isinstance(e, sp.Lambda) for e in row) and all(isinstance(e, sp.Lambda) or not e.has(sp.I) for e in row):
            rows.append(row)
    return rows


def _common_factor(grad: Sequence[sp.Expr], variables: Sequence[sp.Symbol]) -> list[sp.Tuple]:
    """A periodic factor shared by every component of ∇f (cos(x y) in ∇ sin(x y)) vanishes on whole
    curves of critical points: solved for its first variable, the others free."""
    try:
        g = functools.reduce(sp.gcd, grad)
    except (sp.PolynomialError, NotImplementedError, ValueError, TypeError):
        return []
    if g.is_number or not periodic(g, variables):
        return []
    v = next(w for w in variables if g.has(w))
    sol = sp.solveset(g, v, sp.S.Reals)
    if isinstance(sol, sp.ConditionSet):
        sol = sol.base_set
    return [sp.Tuple(*(sol if w == v else w for w in variables))]


def patterns(grad: Sequence[sp.Expr], variables: Sequence[sp.Symbol], seconds: float) -> list[sp.Tuple]:
    """The repeating solutions of ∇f = 0 as points with integer parameters k (or k1, k2, ...).

    Only solutions with at least one lattice coordinate are kept (the rest ``sympy.solve``
    lists itself); coordinates left as a variable are free along a family.  Empty if the
    solver gives none within ``seconds``.
    """
    if seconds <= 0.05:
        return []
    failures = (DeadlineExceeded, NotImplementedError, ValueError, TypeError, KeyError, AttributeError, RecursionError)
    start = time.monotonic()
    common: list[sp.Tuple] = []
    try:
        with soft_deadline(seconds / 2):
            common = _common_factor(grad, variables)
    except failures:
        pass
    found: list[sp.Basic] = []
    left = seconds - (time.monotonic() - start)
    if left > 0.05:
        try:
            with soft_deadline(left):
                sols = sp.nonlinsolve(list(grad), list(variables))
            found = list(sols.args) if isinstance(sols, sp.FiniteSet) else []
        except failures:
            pass
    rows: list[list[sp.Basic]] = []
    for sol in [*common, *found]:
        for row in _rows(sol, variables):
            if row not in rows:
                rows.append(row)
        if len(rows) > 8 * MAX_PATTERNS:
            return []
    rows = _merge(rows)
    points = sorted({_point(r) for r in rows}, key=sp.default_sort_key)
    return points[:MAX_PATTERNS]


def on_pattern(x: Sequence[float], pattern: sp.Tuple, variables: Sequence[sp.Symbol]) -> bool:
    """Is the numeric point ``x`` one of the pattern's points (for some integers k)?

    Each lattice coordinate must be linear in its k; k is read off and must be an integer.
    """
    point = dict(zip(variables, x, strict=True))
    ks: dict[sp.Symbol, int] = {}
    for v, e in zip(variables, pattern, strict=True):
        mine = [s for s in e.free_symbols if s.is_integer]
        if not mine:
            continue
        if len(mine) != 1:
            return False
        k = mine[0]
        others = {w: point[w] for w in variables if w in e.free_symbols}
        lin = sp.expand(e.subs(others))
        a, b = lin.subs(k, 0), sp.diff(lin, k)
        try:
            slope = float(b)
            kk = (point[v] - float(a)) / slope
        except (TypeError, ValueError, ZeroDivisionError):
            return False
        if not math.isfinite(kk) or abs(kk - round(kk)) > 1e-6 or b.has(k):
            return False
        ks[k] = round(kk)
    if not ks:
        return False
    for v, e in zip(variables, pattern, strict=True):
        try:
            want = float(e.subs(ks).subs({w: point[w] for w in variables}))
        except (TypeError, ValueError):
            return False
        if abs(want - point[v]) > 1e-6 * (1 + abs(point[v])):
            return False
    return True


def covers(pats: Sequence[sp.Tuple], point: dict[sp.Symbol, sp.Expr], variables: Sequence[sp.Symbol]) -> bool:
    """Is the point (or, for a family, its point at parameter 1/3) on one of the patterns?"""
    free = {s for c in point.values() for s in c.free_symbols}
    at = {v: c.subs({s: sp.Rational(1, 3) for s in free}, simultaneous=True) for v, c in point.items()}
    try:
        x = [float(sp.N(at[v], 20)) for v in variables]
    except (TypeError, ValueError):
        return False
    return any(on_pattern(x, q, variables) for q in pats)
