"""Parameters of a definite integral: sample values of both signs, and values that depend on a sign.

An exact value with a parameter is compared with numeric quadrature at several values of the
parameter, positive and negative (:func:`samples`).  ∫_{-a}^{a} √(a² − x²) dx is πa²/2 for
a > 0 but −πa²/2 for a < 0: a value found for positive parameters that fails at the negative
samples is repaired, where one of a few standard forms fits (:func:`sign_forms`: ±V(a) and
±V(−a) for a < 0, written with |a| and sign a), or else shown with its assumption stated.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping

import sympy as sp

# The assumptions a user may state (``--assume a>0``) and the SymPy assumption each stands for.
RELATIONS = {">": "positive", "<": "negative", ">=": "nonnegative", "<=": "nonpositive"}
_SIGN = {"positive": 1, "nonnegative": 1, "negative": -1, "nonpositive": -1}
_WORDS = {"positive": "> 0", "negative": "< 0", "nonnegative": ">= 0", "nonpositive": "<= 0"}

Sample = dict[sp.Symbol, sp.Expr]


def describe(p: sp.Symbol, assumption: str) -> str:
    """``a > 0`` for (a, "positive").

    >>> describe(sp.Symbol("a"), "negative")
    'a < 0'
    """
    return f"{p.name} {_WORDS[assumption]}"


def assumed(params: list[sp.Symbol], assumptions: Mapping[sp.Symbol, str]) -> dict[sp.Symbol, sp.Symbol]:
    """Each parameter as a symbol of the same name with its sign: given, or positive by default.

    >>> a = sp.Symbol("a", real=True)
    >>> assumed([a], {})[a].is_positive, assumed([a], {a: "negative"})[a].is_negative
    (True, True)
    """
    return {p: sp.Symbol(p.name, **{assumptions.get(p, "positive"): True}) for p in params}


def samples(params: list[sp.Symbol], assumptions: Mapping[sp.Symbol, str]) -> list[Sample]:
    """Values of the parameters at which exact and numeric values are compared.

    First two with every free parameter positive (the "base" samples, where a value found for
    positive parameters must hold), then each free parameter negative in turn (three at most)
    and all of them negative together; a parameter with an assumption keeps its sign.

    >>> a = sp.Symbol("a", real=True)
    >>> samples([a], {})
    [{a: 29/10}, {a: 13/10}, {a: -17/10}]
    >>> samples([a], {a: "negative"})
    [{a: -29/10}, {a: -13/10}]
    """
    if not params:
        return [{}]
    rng = random.Random(20261122)
    first = {p: sp.Rational(rng.randint(11, 29), 10) for p in params}
    second = {p: sp.Rational(13 + 2 * i, 10) for i, p in enumerate(params)}
    third = {p: sp.Rational(17 + 3 * i, 10) for i, p in enumerate(params)}
    sign = {p: _SIGN[assumptions[p]] if p in assumptions else 1 for p in params}
    free = [p for p in params if p not in assumptions]
    out = [{p: sign[p] * first[p] for p in params}, {p: sign[p] * second[p] for p in params}]
    if len(free) <= 3:
        for q in free:
            out.append({p: -third[p] if p == q else sign[p] * third[p] for p in params})
    if len(free) > 1:
        out.append({p: -third[p] if p in free else sign[p] * third[p] for p in params})
    return out


def is_base(sample: Sample, assumptions: Mapping[sp.Symbol, str]) -> bool:
    """Whether every parameter without an assumption is positive in ``sample``."""
    return all(v > 0 for p, v in sample.items() if p not in assumptions)


def negative_only(sample: Sample, p: sp.Symbol, assumptions: Mapping[sp.Symbol, str]) -> bool:
    """Whether ``p`` is the one negative free parameter of ``sample``."""
    return sample[p] < 0 and all(v > 0 for q, v in sample.items() if q != p and q not in assumptions)


def sign_forms(value: sp.Expr, p: sp.Symbol) -> Iterator[sp.Expr]:
    """Values valid for both signs of ``p``, built from ``value``, valid for p > 0: the one for p < 0
    is −V(p), V(−p) or −V(−p), and each is written with |p| or sign p.

    >>> a = sp.Symbol("a", real=True)
    >>> list(sign_forms(sp.pi * a**2 / 2, a))
    [pi*a*Abs(a)/2, pi*a**2/2, pi*a*Abs(a)/2]
    """
    yield _times_sign(value, p)  # for a < 0, −V(a)
    yield value.subs(p, sp.Abs(p))  # for a < 0, V(−a)
    yield _times_sign(value.subs(p, sp.Abs(p)), p)  # for a < 0, −V(−a)


def _times_sign(value: sp.Expr, p: sp.Symbol) -> sp.Expr:
    """sign(p)·value, term by term, a power p^n or |p|^n absorbing the sign: p·sign p = |p|, |p|·sign p = p.

    >>> a, b = sp.symbols("a b", real=True)
    >>> _times_sign(sp.pi * a**2 / 2 + 2 * b * sp.Abs(a), a)
    2*a*b + pi*a*Abs(a)/2
    """
    out = sp.S.Zero
    for term in sp.Add.make_args(sp.expand(value)):
        powers = term.as_powers_dict()
        n, m = sp.S(powers.get(p, 0)), sp.S(powers.get(sp.Abs(p), 0))
        if n.is_Integer and n >= 1:
            out += term / p * sp.Abs(p)
        elif m.is_Integer and m >= 1:
            out += term / sp.Abs(p) * p
        else:
            out += term * sp.sign(p)
    return out


def sample_text(points: list[Sample]) -> str:
    """``a = 29/10, 13/10, -17/10`` or ``(a, b) = (1, 2), (-1, 2)``.

    >>> a, b = sp.symbols("a b")
    >>> sample_text([{a: 1}, {a: -2}]), sample_text([{a: 1, b: 2}])
    ('a = 1, -2', '(a, b) = (1, 2)')
    """
    if not points:
        return ""
    names = [p.name for p in points[0]]
    if len(names) == 1:
        return f"{names[0]} = " + ", ".join(str(next(iter(s.values()))) for s in points)
    return f"({', '.join(names)}) = " + ", ".join("(" + ", ".join(str(v) for v in s.values()) + ")" for s in points)


__all__ = ["RELATIONS", "assumed", "describe", "is_base", "negative_only", "sample_text", "samples", "sign_forms"]
