"""Indefinite integrals: an antiderivative from the portfolio, its logs made real, or an honest refusal."""

from __future__ import annotations

import sympy as sp

from calccli.errors import MathError
from calccli.integration import portfolio
from calccli.integration.verify import verify
from calccli.process.budget import Budget
from calccli.results import Antiderivative, Attempt


def _real_logs(F: sp.Expr, f: sp.Expr, x: sp.Symbol) -> sp.Expr:
    """ln|u| for ln(u) where u is real but can be negative, as textbooks write it.

    d/dx ln|u| = u'/u wherever u is real and nonzero, so the answer stays right and
    is real on the whole real domain of a real integrand: ∫ tan x dx = -ln|cos x|,
    not -ln(cos x), which is complex wherever cos x < 0.  Logs the integrand itself
    contains (∫ x^2 ln x) keep their domain.
    """
    if f.has(sp.I) or not F.has(sp.log):
        return F
    own = {e.args[0] for e in f.atoms(sp.log)}

    def loose(e: sp.Basic) -> bool:
        if not isinstance(e, sp.log) or e.args[0] in own:
            return False
        u = e.args[0]
        return bool(u.is_real) and not u.is_positive and not isinstance(u, sp.Abs)

    G = F.replace(loose, lambda e: sp.log(sp.Abs(e.args[0])))
    return G if G != F and verify(G, f, x) else F


def indefinite(f: sp.Expr, x: sp.Symbol, budget: Budget) -> Antiderivative:
    """∫ f dx by the portfolio of methods, within the computation's ``budget``.

    The search may take :func:`~calccli.integration.portfolio.search_seconds` of it; an answer
    that does not check is marked unverified, and none found in time is a ``MathError``.
    """
    found = portfolio.find(f, x, portfolio.search_seconds(budget), budget=budget)
    tried = tuple(Attempt(m, o) for m, o in found.tried)
    if found.antiderivative is not None and found.verified:
        found = portfolio.Found(_real_logs(found.antiderivative, f, x), found.method, True, found.tried)
    if found.antiderivative is None:
        how = "; ".join(f"{m}: {o}" for m, o in found.tried) or "no method applied"
        if any(o.startswith("non-elementary") for _, o in found.tried):
            raise MathError(f"this integral has no elementary antiderivative ({how})")
        raise MathError(f"no antiderivative found in closed form within the time limit ({how})")
    return Antiderivative(f, x, found.antiderivative, found.verified, found.method or "unknown", tried)


__all__ = ["indefinite"]
