"""SymPy's own integrators, on the integrand as given and on rewritten forms of it."""

from __future__ import annotations

import sympy as sp

from calccli.integration.verify import is_answer
from calccli.process.budget import soft_deadline


def manual(f: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    from sympy.integrals.manualintegrate import manualintegrate

    return manualintegrate(f, x)


def plain(f: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    return sp.integrate(f, x)


def risch(f: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    from sympy.integrals.risch import risch_integrate

    return risch_integrate(f, x)


def risch_exp(f: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    """Risch on the integrand with trig and hyperbolic functions written as exponentials."""
    from sympy.integrals.risch import risch_integrate

    return risch_integrate(f.rewrite(sp.exp), x)


def heurisch(f: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    from sympy.integrals.heurisch import heurisch

    return heurisch(f, x)


def meijerg(f: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    from sympy.integrals.meijerint import meijerint_indefinite

    return meijerint_indefinite(f, x)


def manual_exp(f: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    return manual(f.rewrite(sp.exp), x)


def manual_expand(f: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    g = sp.expand(f)
    return None if g == f else manual(g, x)


def manual_apart(f: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    return manual(sp.apart(sp.together(f), x), x)


def briefly_integrate(g: sp.Expr, t: sp.Symbol, seconds: float = 1.5) -> sp.Expr | None:
    """``integrate`` given ``seconds``: its answer, or None."""
    try:
        with soft_deadline(seconds):
            G = sp.integrate(g, t)
    except Exception:  # noqa: BLE001 - DeadlineExceeded included
        return None
    return G if is_answer(G) else None
