"""Integration by parts: a log or inverse (hyperbolic) trig factor, and the Gaussian moments' reduction."""

from __future__ import annotations

import sympy as sp

from calccli.integration.methods.backends import manual
from calccli.integration.methods.base import first_answer
from calccli.integration.methods.rational import rational
from calccli.integration.methods.rationalizing import radical_substitution

# Functions whose derivative is simpler than they are: the u of ∫u dv = uv − ∫v du.
_PARTS_U = (
    sp.log,
    sp.asin,
    sp.acos,
    sp.atan,
    sp.acot,
    sp.asec,
    sp.acsc,
    sp.asinh,
    sp.acosh,
    sp.atanh,
    sp.acoth,
    sp.asech,
    sp.acsch,
)


def simple_integral(g: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    """∫ g by the cheap methods (no Integral left), or None."""
    return first_answer((rational, manual, radical_substitution), g, x)


def by_parts(f: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    """∫ P·u = (∫P)·u − ∫(∫P)·u' for u a log or inverse (hyperbolic) trig function of x.

    ``manualintegrate`` does this for some u only (not acosh, asech, ...), and not when
    ∫(∫P)·u' needs a substitution of its own.
    """
    factors = sp.Mul.make_args(f)
    for u in factors:
        if not isinstance(u, _PARTS_U) or not u.has(x):
            continue
        P = sp.Mul(*[g for g in factors if g is not u])
        V = simple_integral(P, x)
        if V is None:
            continue
        rest = simple_integral(sp.cancel(sp.powsimp(V * sp.diff(u, x))), x)
        if rest is None:
            rest = simple_integral(sp.expand(V * sp.diff(u, x)), x)
        if rest is not None:
            return V * u - rest
    return None


def gaussian_moments(f: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    """Σ c·xⁿ·e^(k x²) (numbers k ≠ 0, n ≥ 0): ∫xⁿe^(kx²) = xⁿ⁻¹e^(kx²)/(2k) − (n−1)/(2k)·∫xⁿ⁻²e^(kx²),
    down to e^(kx²)/(2k) or √π·erf(√−k·x)/(2√−k) (erfi for k > 0).

    ``manualintegrate`` leaves integrals of erf behind on these, and ``integrate`` takes seconds.
    """
    total = sp.S.Zero
    for term in sp.Add.make_args(sp.expand(sp.powsimp(f))):
        coeff, rest = term.as_independent(x, as_Add=False)
        exps = [e for e in sp.Mul.make_args(rest) if isinstance(e, sp.exp)]
        if len(exps) != 1:
            return None
        E = exps[0]
        k = sp.cancel(E.args[0] / x**2)
        power = sp.cancel(rest / E)
        if k.has(x) or not (k.is_number and k.is_real) or k == 0 or not power.is_polynomial(x):
            return None
        n = sp.degree(power, x)
        if power != x**n:
            return None
        moment = (
            sp.exp(k * x**2) / (2 * k)
            if n % 2
            else sp.sqrt(sp.pi) * sp.erf(sp.sqrt(-k) * x) / (2 * sp.sqrt(-k))
            if k < 0
            else sp.sqrt(sp.pi) * sp.erfi(sp.sqrt(k) * x) / (2 * sp.sqrt(k))
        )
        for m in range(n % 2 + 2, n + 1, 2):  # I(m) = x^(m-1) e^(kx²)/(2k) − (m−1)/(2k) I(m−2)
            moment = x ** (m - 1) * sp.exp(k * x**2) / (2 * k) - (m - 1) * moment / (2 * k)
        total += coeff * moment
    return total
