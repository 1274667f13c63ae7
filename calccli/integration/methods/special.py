"""Special functions (Si, Ei, erf, polygamma, ...): a table of their integrals, and by parts with one of them."""

from __future__ import annotations

import sympy as sp

from calccli.integration.methods.backends import briefly_integrate, manual
from calccli.integration.methods.base import first_answer
from calccli.integration.methods.inner import inner_integral
from calccli.integration.methods.parts import gaussian_moments

# Special functions whose derivative is elementary: the u of ∫u dv.
_SPECIAL = (
    sp.Si,
    sp.Ci,
    sp.Shi,
    sp.Chi,
    sp.Ei,
    sp.li,
    sp.erf,
    sp.erfc,
    sp.erfi,
    sp.fresnels,
    sp.fresnelc,
    sp.expint,
    sp.polygamma,
    sp.polylog,
    sp.loggamma,
    sp.LambertW,
)


def _tabled(S: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    """∫ S dx for a special function S of a linear argument that integrates to its neighbour, or None.

    ∫ψ⁽ⁿ⁾(u) = ψ⁽ⁿ⁻¹⁾(u), ∫ψ(u) = log Γ(u), ∫E_n(u) = −E_{n+1}(u) (divided by u').
    """
    if not S.args:
        return None
    u = S.args[-1]
    if not u.is_polynomial(x) or sp.degree(u, x) != 1:
        return None
    du = sp.diff(u, x)
    if isinstance(S, sp.polygamma) and S.args[0].is_Integer and S.args[0] >= 0:
        n = S.args[0]
        return (sp.polygamma(n - 1, u) if n >= 1 else sp.loggamma(u)) / du
    if isinstance(S, sp.expint) and not S.args[0].has(x):
        return -sp.expint(S.args[0] + 1, u) / du
    return None


def _polynomial_times_tabled(P: sp.Expr, S: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    """∫ P·S for a polynomial P and a tabled S: ∫P S = P·S₁ − ∫P'·S₁ until P' = 0."""
    S1 = _tabled(S, x)
    if S1 is None:
        return None
    dP = sp.diff(P, x)
    if dP == 0:
        return P * S1
    coeff, S1_alone = S1.as_independent(x, as_Add=False)
    rest = _polynomial_times_tabled(sp.expand(dP * coeff), S1_alone, x)
    return None if rest is None else P * S1 - rest


def special_by_parts(f: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    """Terms g·S with one special function S: a table for polynomial g, else ∫ = S·∫g − ∫(∫g)·S'.

    Hurwitz ζ(s, u) of integer order s ≥ 2 is first written as (−1)ˢψ⁽ˢ⁻¹⁾(u)/(s−1)!.
    The remaining integral goes to the Gaussian moments, to ``manualintegrate`` with products
    of sines and cosines as sums, then in exponential form, then to ``integrate`` briefly.
    """
    from sympy.simplify.fu import TR8

    f = f.replace(
        lambda e: (
            isinstance(e, sp.zeta) and len(e.args) == 2 and e.args[0].is_Integer and e.args[0] >= 2 and e.args[1].has(x)
        ),
        lambda e: (-1) ** e.args[0] * sp.polygamma(e.args[0] - 1, e.args[1]) / sp.factorial(e.args[0] - 1),
    )
    if not f.has(*_SPECIAL):
        return None
    total = sp.S.Zero
    for term in sp.Add.make_args(sp.expand(f)):
        coeff, rest = term.as_independent(x, as_Add=False)
        specials = [e for e in sp.Mul.make_args(rest) if isinstance(e, _SPECIAL) and e.has(x)]
        if not specials:
            G = inner_integral(term, x)
            if G is None:
                return None
            total += G
            continue
        if len(specials) != 1:
            return None
        S = specials[0]
        g = sp.cancel(rest / S)
        if g.is_polynomial(x):
            G = _polynomial_times_tabled(g, S, x)
            if G is not None:
                total += coeff * G
                continue
        V = inner_integral(g, x)
        if V is None:
            return None
        remaining = sp.expand(sp.powsimp(V * sp.diff(S, x)))
        R = (
            first_answer((gaussian_moments,), remaining, x)
            or first_answer((manual,), sp.expand(TR8(remaining)), x)
            or first_answer((manual,), sp.expand(remaining.rewrite(sp.exp)), x)
            or briefly_integrate(remaining, x, seconds=2.0)
        )
        if R is None:
            return None
        total += coeff * (V * S - R)
    return total
