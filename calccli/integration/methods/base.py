"""The shape of an integration method, and trying several in turn.

A method takes (f, x) and returns a candidate antiderivative or None; it may also raise.
Its candidates are checked by :func:`calccli.integration.verify.verify` before anyone trusts them.
"""

from __future__ import annotations

from collections.abc import Callable

import sympy as sp

from calccli.integration.verify import is_answer

Method = Callable[[sp.Expr, sp.Symbol], "sp.Expr | None"]


def first_answer(methods: tuple[Method, ...], g: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    """The first of ``methods`` to give an answer (no Integral left) for ∫ g dx, or None."""
    for method in methods:
        try:
            G = method(g, x)
        except Exception:  # noqa: BLE001 - the next method may do
            G = None
        if G is not None and is_answer(G):
            return G
    return None
