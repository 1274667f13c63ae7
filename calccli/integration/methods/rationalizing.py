"""Substitutions that make the integrand a rational function of the new variable.

t = tan(cx/2) for trig functions of one argument, u = exp(cx/n) for exponentials, u = (ax + b)^(1/n)
for roots of one linear expression, and Euler's substitutions for one square root of a quadratic.
"""

from __future__ import annotations

import math

import sympy as sp

from calccli.integration.methods.base import Method
from calccli.integration.methods.rational import rational, rational_or_manual

# The six trigonometric functions.
TRIG = (sp.sin, sp.cos, sp.tan, sp.cot, sp.sec, sp.csc)


def tan_half_angle(f: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    """A rational function of sin(cx), cos(cx), ...: t = tan(cx/2) makes it rational in t."""
    args = {a.args[0] for a in f.atoms(*TRIG)}
    if not args:
        return None
    g = sp.expand_trig(f) if any(a != x and (a / x).is_Integer for a in args) else f
    args = {a.args[0] for a in g.atoms(*TRIG)}
    if len(args) != 1:
        return None
    u = args.pop()
    c = sp.cancel(u / x)
    if c.has(x) or c == 0:
        return None
    t = sp.Dummy("t", real=True)
    s, k = 2 * t / (1 + t**2), (1 - t**2) / (1 + t**2)
    g = g.subs({sp.sin(u): s, sp.cos(u): k, sp.tan(u): s / k, sp.cot(u): k / s, sp.sec(u): 1 / k, sp.csc(u): 1 / s})
    if g.has(x):
        return None
    G = rational_or_manual(sp.cancel(g * 2 / (c * (1 + t**2))), t)
    return None if G is None else G.subs(t, sp.tan(u / 2))


def exp_substitution(f: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    """A rational function of exp(cx) (hyperbolic functions included): u = exp(cx/n) makes it rational."""
    g = f.rewrite(sp.exp) if f.has(sp.sinh, sp.cosh, sp.tanh, sp.coth, sp.sech, sp.csch) else f
    g = sp.powsimp(sp.expand_power_exp(g))
    exps = [e for e in g.atoms(sp.exp) if e.has(x)] + [e for e in g.atoms(sp.Pow) if e.exp.has(x) and not e.base.has(x)]
    if not exps:
        return None
    coeffs = []
    for e in exps:
        expo = e.args[0] if isinstance(e, sp.exp) else e.exp * sp.log(e.base)
        c = sp.cancel(expo / x)
        if c.has(x):
            return None
        coeffs.append(c)
    base = coeffs[0]
    ratios = [sp.nsimplify(sp.cancel(c / base)) for c in coeffs]
    if not all(r.is_Rational for r in ratios):
        return None
    n = math.lcm(*[int(r.q) for r in ratios])
    u = sp.Dummy("u", positive=True)
    h = g.subs(x, n * sp.log(u) / base)
    h = sp.powsimp(sp.expand_log(h, force=True), force=True)
    if h.has(x):
        return None
    G = rational_or_manual(sp.cancel(h * n / (base * u)), u)
    return None if G is None else G.subs(u, sp.exp(base * x / n))


def radical_substitution(f: sp.Expr, x: sp.Symbol, inner: Method | None = None) -> sp.Expr | None:
    """Roots of one linear expression (a x + b)^(p/q): u = (a x + b)^(1/n) removes them."""
    pows = [e for e in f.atoms(sp.Pow) if e.has(x) and e.exp.is_Rational and not e.exp.is_Integer]
    bases = {e.base for e in pows}
    if len(bases) != 1:
        return None
    base = bases.pop()
    if not base.is_polynomial(x) or sp.degree(base, x) != 1:
        return None
    a, b = sp.Poly(base, x).all_coeffs()
    n = math.lcm(*[int(e.exp.q) for e in pows])
    u = sp.Dummy("u", positive=True)
    g = f.subs({e: u ** (e.exp * n) for e in pows})
    g = g.subs(x, (u**n - b) / a)
    if g.has(x):
        return None
    h = sp.cancel(g * n * u ** (n - 1) / a) if g.is_rational_function(u) else g * n * u ** (n - 1) / a
    G = rational_or_manual(h, u) if inner is None else inner(h, u)
    return None if G is None else G.subs(u, base ** sp.Rational(1, n))


def _quadratic_radical(f: sp.Expr, x: sp.Symbol) -> tuple[sp.Expr, list[sp.Pow]] | None:
    """(Q, the powers Q^(k/2) in f) when every radical in f is a half-integer power of one quadratic Q."""
    pows = [e for e in f.atoms(sp.Pow) if e.has(x) and e.exp.is_Rational and not e.exp.is_Integer]
    bases = {sp.expand(e.base) for e in pows}
    if len(bases) != 1 or any(e.exp.q != 2 for e in pows):
        return None
    Q = bases.pop()
    if not Q.is_polynomial(x) or sp.degree(Q, x) != 2:
        return None
    return Q, pows


def euler_substitution(f: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    """R(x, √Q) for a quadratic Q = a x² + b x + c: an Euler substitution makes it rational in t.

    t = √Q + √a·x when a > 0; t = √Q/(x − α) when Q has real roots α, β.  Each t is a
    function of x, and x a rational function of t, so F = G(t(x)) holds on every branch.
    Square roots of linear factors are first combined (√(1−x)·√(1+x) = √(1−x²) where real).
    """
    got = _quadratic_radical(f, x)
    if got is None:
        f = sp.powsimp(sp.expand(f), force=True)
        got = _quadratic_radical(f, x)
        if got is None:
            return None
    Q, pows = got
    a, b, c = sp.Poly(Q, x).all_coeffs()
    t = sp.Dummy("t", real=True)
    if a.is_positive:
        X = (t**2 - c) / (2 * sp.sqrt(a) * t + b)
        root, back = t - sp.sqrt(a) * X, sp.sqrt(Q) + sp.sqrt(a) * x
    else:
        real_roots = sorted(
            (r for r in sp.roots(sp.Poly(Q, x), multiple=True) if r.is_real),
            key=lambda r: (not r.is_Rational, sp.count_ops(r)),
        )
        if len(real_roots) != 2 or real_roots[0] == real_roots[1]:
            return None
        alpha, beta = real_roots
        X = (a * beta - alpha * t**2) / (a - t**2)
        root, back = t * (X - alpha), sp.sqrt(Q) / (x - alpha)
    g = f.xreplace({e: root ** (2 * e.exp) for e in pows}).subs(x, X)
    h = sp.cancel(sp.together(g * sp.diff(X, t)))
    if h.has(x) or not h.is_rational_function(t):
        return None
    G = rational(h, t)
    return None if G is None else G.subs(t, back)
