"""calccli's text printer (calccli.results.values.text) spells each subexpression once per process.

The memo must never change a spelling: a piece printed first in one context (a term, a base, a
negated factor, a Piecewise branch) reads the same as it does printed alone, in a fresh process.
"""

from __future__ import annotations

import sympy as sp

from calccli.formula.build import symbol
from calccli.results import values

x, y = symbol("x"), symbol("y")
u = x + 1
PIECES = [
    u,
    u**2,
    -u,
    -(u**2) * y,
    1 / u,
    sp.sin(u) * u,
    sp.Abs(u) / 2,
    sp.Piecewise((u, x > 0), (-u, True)),
    sp.Piecewise((u, x > 0), (-u, True)) + y,
    u**u,
    (x - y) * (x + y) - sp.Rational(3, 2) * u,
    sp.exp(-u) - sp.exp(u),
    sp.Matrix([[u, -u], [u**2, 1 / u]]),
]


def forget() -> None:
    values._SPELLED.clear()
    values._text_of_basic.cache_clear()


def spelled_alone(e: object) -> str:
    """``e`` printed with an empty memo: the reference spelling."""
    forget()
    return values.text(e)


def test_a_memoised_spelling_is_the_spelling_alone() -> None:
    alone = [spelled_alone(e) for e in PIECES]
    forget()
    warm = [values.text(e) for e in PIECES]  # u first as a term, then inside powers, negations, branches
    forget()
    backwards = [values.text(e) for e in reversed(PIECES)]  # u first deep inside u**u
    assert warm == backwards[::-1] == alone
    assert warm[:5] == ["x + 1", "(x + 1)**2", "-x - 1", "-y*(x + 1)**2", "1/(x + 1)"]
