"""Rational functions: Hermite reduction, then logarithms and arctangents over the roots of the rest."""

from __future__ import annotations

import sympy as sp

from calccli.integration.methods.backends import manual


def _log_terms(a: sp.Poly, d: sp.Poly, x: sp.Symbol) -> sp.Expr | None:
    """∫ a/d for squarefree d, deg a < deg d: Σ a(r)/d'(r) log(x − r) over the roots r of d, in real form.

    Each conjugate pair r = α ± iβ with residues c = p ± iq becomes the real
    p·log((x−α)² + β²) − 2q·atan((x−α)/β).  None if some factor has no roots in radicals.
    """
    total = sp.S.Zero
    dd = d.diff(x)
    for factor, _ in sp.factor_list(d.as_expr(), x)[1]:
        fp = sp.Poly(factor, x)
        if fp.degree() == 0:
            continue
        rs = sp.roots(fp, multiple=True)
        if len(rs) != fp.degree():
            return None
        for r in rs:
            c = sp.radsimp(a.as_expr().subs(x, r) / dd.as_expr().subs(x, r))
            r_re, r_im = (sp.radsimp(t) for t in sp.expand_complex(r).as_real_imag())
            if r_im == 0:
                total += c * sp.log(x - r_re)
                continue
            if not r_im.is_number or r_im.evalf(30) < 0:
                continue  # the partner with positive imaginary part carries the pair
            c_re, c_im = (sp.radsimp(t) for t in sp.expand_complex(c).as_real_imag())
            total += c_re * sp.log(sp.expand((x - r_re) ** 2 + r_im**2)) - 2 * c_im * sp.atan((x - r_re) / r_im)
    return total


def rational(f: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    """A rational function: Hermite reduction, then logs and arctangents over the roots of the rest.

    Written out rather than left to ``ratint``, which drops the log part of some integrands
    (∫x⁸/(x⁸+3x⁴+1) dx = x) and otherwise answers with a RootSum.
    """
    if not f.is_rational_function(x):
        return None
    from sympy.integrals.rationaltools import ratint_ratpart

    p, q = sp.fraction(sp.cancel(sp.together(f)))
    P, Q = sp.Poly(p, x), sp.Poly(q, x)
    poly, rem = P.div(Q)
    result = poly.integrate().as_expr()
    if rem.is_zero:
        return result
    g, h = ratint_ratpart(rem, Q, x)
    result += g
    hn, hd = sp.fraction(sp.cancel(h))
    if hn == 0:
        return result
    logs = _log_terms(sp.Poly(hn, x), sp.Poly(hd, x), x)
    return None if logs is None else result + logs


def rational_or_manual(g: sp.Expr, t: sp.Symbol) -> sp.Expr | None:
    """∫ g dt, by :func:`rational` when g is rational in t, else by ``manualintegrate``."""
    if g.is_rational_function(t):
        G = rational(g, t)
        if G is not None:
            return G
    G = manual(g, t)
    return None if G is None or G.has(sp.Integral) else G
