"""A log of a polynomial times a rational function, integrated in dilogarithms."""

from __future__ import annotations

import sympy as sp

from calccli.integration.methods.parts import simple_integral


def _linear_logs(P: sp.Expr, x: sp.Symbol) -> list[tuple[int, sp.Expr, sp.Expr]] | None:
    """log P = Σ m·log(x − ρ) + const for a polynomial P: [(m, ρ, const share)], or None."""
    poly = sp.Poly(P, x)
    rs = sp.roots(poly)
    if sum(rs.values()) != poly.degree():
        return None
    return [(m, r, sp.S.Zero) for r, m in rs.items()]


def log_rational(f: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    """∫ log(P(x))·R(x) for polynomial P and rational R, in dilogarithms (atan, atanh, ... as logs).

    R goes into partial fractions over its roots; for P linear,
    ∫ log P/(x − r) = log P·log(1 − P/P(r)) + Li₂(P/P(r)) exactly; a P of higher degree is
    split into logs of its linear factors (branches left to the check).  Other terms, and
    powers (x − r)⁻ᵏ with k > 1, go to the cheap methods.
    """
    total = sp.S.Zero
    if f.has(sp.atan, sp.acot, sp.atanh, sp.acoth):
        f = f.rewrite(sp.log)
    for term in sp.Add.make_args(sp.expand(f)):
        logs = [a for a in sp.Mul.make_args(term) if isinstance(a, sp.log) and a.has(x)]
        if len(logs) != 1 or not logs[0].args[0].is_polynomial(x):
            G = simple_integral(term, x)
            if G is None:
                return None
            total += G
            continue
        L = logs[0]
        R = sp.cancel(term / L)
        if not R.has(x) or not R.is_rational_function(x) or R.has(sp.log):
            G = simple_integral(term, x)
            if G is None:
                return None
            total += G
            continue
        P = L.args[0]
        lin: list[tuple[int, sp.Expr, sp.Expr]] | None
        if sp.degree(P, x) == 1:  # log(a x + b) as it is: no split, no branch trouble
            a, b = sp.Poly(P, x).all_coeffs()
            lin, lc = [(1, -b / a, sp.S.Zero)], a
            whole = True
        else:
            lin, lc, whole = _linear_logs(P, x), sp.Poly(P, x).LC(), False
        if lin is None:
            return None
        parts = sp.Add.make_args(sp.apart(R, x, full=True).doit())
        split = sp.log(lc) + sum(m * sp.log(x - rho) for m, rho, _ in lin)
        for part in parts:
            num, den = sp.fraction(sp.factor(part))
            dpoly = sp.Poly(den, x)
            if dpoly.degree() == 1 and not num.has(x):
                r = -dpoly.all_coeffs()[1] / dpoly.all_coeffs()[0]
                c = num / dpoly.LC()
                if whole:  # ∫ log(P)/(x − r) = log P·log(1 − y) + Li₂(y), y = P(x)/P(r)
                    Pr = sp.expand(P.subs(x, r))
                    if Pr == 0:
                        total += c * L**2 / 2
                    else:
                        y = P / Pr
                        total += c * (L * sp.log(1 - y) + sp.polylog(2, y))
                    continue
                total += c * sp.log(lc) * sp.log(x - r)
                for m, rho, _ in lin:
                    if sp.simplify(rho - r) == 0:
                        total += c * m * sp.log(x - r) ** 2 / 2
                    else:
                        y = (x - rho) / (r - rho)
                        total += c * m * (sp.log(x - rho) * sp.log(1 - y) + sp.polylog(2, y))
            else:
                G = simple_integral(part * split, x)
                if G is None:
                    G = simple_integral(sp.expand(part * split), x)
                if G is None:
                    return None
                total += G
    return total
