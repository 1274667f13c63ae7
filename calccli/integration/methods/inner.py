"""The integral that a substitution or a step by parts leaves, by the elementary methods in turn."""

from __future__ import annotations

import sympy as sp

from calccli.integration.methods.backends import briefly_integrate, manual
from calccli.integration.methods.base import first_answer
from calccli.integration.methods.logs import log_rational
from calccli.integration.methods.parts import by_parts, gaussian_moments
from calccli.integration.methods.rational import rational
from calccli.integration.methods.rationalizing import (
    euler_substitution,
    exp_substitution,
    radical_substitution,
    tan_half_angle,
)


def inner_integral(g: sp.Expr, t: sp.Symbol) -> sp.Expr | None:
    """∫ g dt after a substitution: the cheap methods, by parts, then ``integrate`` briefly."""
    G = first_answer(
        (
            rational,
            gaussian_moments,
            manual,
            radical_substitution,
            euler_substitution,
            tan_half_angle,
            exp_substitution,
            by_parts,
            log_rational,
        ),
        g,
        t,
    )
    return G if G is not None else briefly_integrate(g, t)
