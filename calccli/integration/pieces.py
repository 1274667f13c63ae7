"""Step functions split at their jumps: floor, ceiling, sign, Heaviside, |u|, frac, min, max and Piecewise, exactly.

Between two consecutive jumps each step function is one expression (floor u a constant, |u| either
u or −u, a Piecewise one of its branches), found by evaluating it at an exact interior point; the
pieces are integrated exactly and added.  ∫₀^{7/2} floor x dx = 0 + 1 + 2 + 3/2 = 9/2.
"""

from __future__ import annotations

import sympy as sp

from calccli.integration.quadrature import MAX_JUMPS, singular_points

STEP_FUNCTIONS = (sp.floor, sp.ceiling, sp.frac, sp.sign, sp.Heaviside, sp.Abs, sp.Piecewise, sp.Min, sp.Max)


def has_steps(f: sp.Expr, x: sp.Symbol) -> bool:
    """Whether ``f`` has a step function (or |u|, Piecewise) of ``x``.

    >>> x = sp.Symbol("x", real=True)
    >>> has_steps(sp.floor(x) * x, x), has_steps(sp.sin(x), x)
    (True, False)
    """
    return any(e.has(x) for e in f.atoms(*STEP_FUNCTIONS))


def _piecewise_points(f: sp.Expr, x: sp.Symbol, lo: sp.Expr, hi: sp.Expr) -> set[sp.Expr]:
    """Where a condition of a Piecewise changes: the zeros of each relation's two sides."""
    points: set[sp.Expr] = set()
    for pw in f.atoms(sp.Piecewise):
        for _, cond in pw.args:
            for rel in cond.atoms(sp.Rel):
                if rel.has(x):
                    found = sp.solveset(rel.lhs - rel.rhs, x, sp.Interval.open(lo, hi))
                    if not isinstance(found, sp.FiniteSet):
                        raise ValueError("a condition that changes infinitely often")
                    points |= {p for p in found if p.is_number}
    return points


def _inside(lo: sp.Expr, hi: sp.Expr) -> sp.Expr:
    """An exact point strictly between ``lo`` and ``hi`` (either may be infinite)."""
    if lo == -sp.oo and hi == sp.oo:
        return sp.S.Zero
    if hi == sp.oo:
        return lo + 1
    if lo == -sp.oo:
        return hi - 1
    return (lo + hi) / 2


def on_piece(f: sp.Expr, x: sp.Symbol, at: sp.Expr) -> sp.Expr | None:
    """``f`` with each step function replaced by the expression it equals around ``at`` (no jump near).

    >>> x = sp.Symbol("x", real=True)
    >>> on_piece(sp.floor(x) + sp.Abs(x - 1), x, sp.Rational(5, 2))
    x + 1
    """
    undecided = False

    def value(e: sp.Expr) -> sp.Expr:
        nonlocal undecided
        if isinstance(e, sp.Piecewise):
            for expr, cond in e.args:
                truth = cond.subs(x, at)
                if truth is sp.true:
                    return expr
                if truth is not sp.false:
                    undecided = True
                    return e
            undecided = True
            return e
        if isinstance(e, (sp.Min, sp.Max)):  # the argument that is smallest (largest) around ``at``
            values = [sp.N(arg.subs(x, at), 30) for arg in e.args]
            if not all(v.is_real for v in values) or len(set(values)) != len(values):
                undecided = True
                return e
            pick = min if isinstance(e, sp.Min) else max
            return e.args[values.index(pick(values))]
        u = e.args[0]
        s = sp.sign(u.subs(x, at))
        if not s.is_number or s == 0:
            undecided = True
            return e
        if isinstance(e, sp.Abs):
            return s * u
        if isinstance(e, sp.sign):
            return s
        if isinstance(e, sp.Heaviside):
            return sp.S.One if s > 0 else sp.S.Zero
        k = sp.floor(u.subs(x, at))
        if isinstance(e, sp.floor):
            return k
        if isinstance(e, sp.frac):
            return u - k
        return sp.ceiling(u.subs(x, at))  # ceiling, constant between integer crossings

    out = f
    for _ in range(8):  # nested step functions: innermost first
        atoms = [e for e in out.atoms(*STEP_FUNCTIONS) if e.has(x) and not _inner_steps(e, x)]
        if not atoms:
            break
        out = out.xreplace({e: value(e) for e in atoms})
        if undecided:
            return None
    return None if has_steps(out, x) else out


def _inner_steps(e: sp.Expr, x: sp.Symbol) -> bool:
    """Whether a step function of ``x`` sits inside ``e``'s arguments (replace that one first)."""
    return any(s.has(x) for arg in e.args for s in arg.atoms(*STEP_FUNCTIONS))


def _endpoint(F: sp.Expr, x: sp.Symbol, at: sp.Expr, side: str) -> sp.Expr:
    if at.is_finite:
        v = F.subs(x, at)
        if v.is_finite:
            return v
    return sp.limit(F, x, at, side)


def split_integral(f: sp.Expr, x: sp.Symbol, a: sp.Expr, b: sp.Expr) -> sp.Expr | None:
    """∫_a^b f dx, exact, for f with step functions: the sum of the integrals between the jumps, or None.

    >>> x = sp.Symbol("x", real=True)
    >>> split_integral(sp.floor(x), x, sp.S.Zero, sp.Rational(7, 2))
    9/2
    >>> split_integral(sp.sign(x - 1) * x, x, sp.S.Zero, sp.S(3))
    7/2
    """
    if not (a.is_number and b.is_number) or a == b:
        return None
    f = f.replace(sp.frac, lambda u: u - sp.floor(u))  # its jumps are floor's
    if bool(a > b):
        out = split_integral(f, x, b, a)
        return None if out is None else -out
    if any(isinstance(e, (sp.floor, sp.ceiling, sp.frac)) and e.has(x) for e in f.atoms(*STEP_FUNCTIONS)) and not (
        a.is_finite and b.is_finite
    ):
        return None  # infinitely many jumps
    try:
        cuts = set(singular_points(f, x, a, b)) | _piecewise_points(f, x, a, b)
    except (ValueError, TypeError, NotImplementedError):
        return None
    if len(cuts) > MAX_JUMPS:
        return None
    points = [a, *sorted(cuts, key=float), b]
    antiderivatives: dict[sp.Expr, sp.Expr] = {}
    total: sp.Expr = sp.S.Zero
    for lo, hi in zip(points, points[1:], strict=False):
        g = on_piece(f, x, _inside(lo, hi))
        if g is None:
            return None
        if g not in antiderivatives:
            G = sp.integrate(g, x)
            if G.has(sp.Integral):
                return None
            antiderivatives[g] = G
        G = antiderivatives[g]
        piece = _endpoint(G, x, hi, "-") - _endpoint(G, x, lo, "+")
        if piece.has(sp.oo, -sp.oo, sp.zoo, sp.nan, sp.Limit, sp.AccumBounds):
            return None
        total += piece
    return sp.simplify(total)


__all__ = ["STEP_FUNCTIONS", "has_steps", "on_piece", "split_integral"]
