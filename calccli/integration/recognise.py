"""A numeric value recognised as a small combination of well-known constants: a guess, never a proof.

When no closed form is found, the integral is computed again to 50 digits and an integer
relation ``n·v = c₀ + c₁·K₁ + c₂·K₂`` is sought (PSLQ, small coefficients) with K from
:data:`CONSTANTS`, using 30 of those digits.  A relation is accepted only if it then holds to
45 digits, far beyond the digits that found it; it is shown as "recognised, not proved".
"""

from __future__ import annotations

import itertools

import sympy as sp

# The constants definite integrals of the textbooks come to, and a few of their products.
CONSTANTS: tuple[sp.Expr, ...] = (
    sp.pi,
    sp.pi**2,
    sp.log(2),
    sp.pi * sp.log(2),
    sp.log(2) ** 2,
    sp.log(3),
    sp.sqrt(2),
    sp.sqrt(3),
    sp.pi * sp.sqrt(2),
    sp.pi * sp.sqrt(3),
    sp.zeta(3),
    sp.Catalan,
    sp.E,
    sp.EulerGamma,
    sp.pi**3,
)
# Digits the search uses, digits the match must then hold to, the largest coefficient allowed.
SEARCH_DIGITS = 30
CHECK_DIGITS = 45
MAX_COEFFICIENT = 60


def recognise(value: object, error: float) -> sp.Expr | None:
    """An exact expression equal to the mpmath number ``value`` (known to ± ``error``) to 45 digits, or None.

    >>> import mpmath
    >>> with mpmath.workdps(60):
    ...     v = -mpmath.pi * mpmath.log(2) / 2
    >>> recognise(v, 1e-55)
    -pi*log(2)/2
    >>> with mpmath.workdps(60):
    ...     print(recognise(mpmath.sqrt(5), 1e-55))
    None
    """
    import mpmath

    if error > 10.0 ** -(CHECK_DIGITS + 2):
        return None
    with mpmath.workdps(CHECK_DIGITS + 10):
        v = mpmath.mpf(value)  # type: ignore[arg-type]
        if v == 0:
            return sp.S.Zero
        found: list[tuple[int, sp.Expr]] = []
        for size in (0, 1, 2):
            for basis in itertools.combinations(CONSTANTS, size):
                guess = _relation(v, basis)
                if guess is not None:
                    found.append(guess)
            if found:
                break
        if not found:
            return None
        return min(found, key=lambda g: (g[0], sp.count_ops(g[1])))[1]


def _relation(v: object, basis: tuple[sp.Expr, ...]) -> tuple[int, sp.Expr] | None:
    """(coefficient size, expression) for an integer relation among v, 1 and ``basis`` that holds to CHECK_DIGITS."""
    import mpmath

    numbers = [mpmath.mpmathify(sp.N(k, CHECK_DIGITS + 10)) for k in basis]
    with mpmath.workdps(SEARCH_DIGITS):
        relation = mpmath.pslq(
            [+v, mpmath.mpf(1), *(+n for n in numbers)],  # type: ignore[operator]
            tol=mpmath.mpf(10) ** (4 - SEARCH_DIGITS),
            maxcoeff=MAX_COEFFICIENT,
            maxsteps=400,
        )
    if relation is None or relation[0] == 0 or any(c == 0 for c in relation[2:]):
        return None
    n, c0, *cs = relation
    expr = -(sp.Integer(c0) + sum((sp.Integer(c) * k for c, k in zip(cs, basis, strict=True)), sp.S.Zero)) / n
    close = abs(mpmath.mpmathify(sp.N(expr, CHECK_DIGITS + 10)) - v)  # type: ignore[operator]
    if close > mpmath.mpf(10) ** -CHECK_DIGITS * max(1, abs(v)):  # type: ignore[arg-type]
        return None
    return sum(abs(c) for c in relation), sp.nsimplify(expr) if expr.is_Float else expr


__all__ = ["CONSTANTS", "recognise"]
