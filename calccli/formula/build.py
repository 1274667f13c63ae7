"""The SymPy side of the grammar: symbols, constants and constructors with their size guards."""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from typing import NoReturn

import sympy as sp

from calccli import limits
from calccli.errors import InputLimitError
from calccli.formula.names import (
    FUNCTIONS,
)

# --------------------------------------------------------------------------- SymPy side

_SYMBOLS: dict[str, sp.Symbol] = {}


def symbol(name: str) -> sp.Symbol:
    """The real symbol called ``name`` (variables are real unless said otherwise)."""
    if name not in _SYMBOLS:
        _SYMBOLS[name] = sp.Symbol(name, real=True)
    return _SYMBOLS[name]


CONSTANT_VALUES: dict[str, sp.Expr] = {
    "pi": sp.pi,
    "E": sp.E,
    "I": sp.I,
    "oo": sp.oo,
    "zoo": sp.zoo,
    "nan": sp.nan,
    "EulerGamma": sp.EulerGamma,
    "Catalan": sp.Catalan,
    "GoldenRatio": sp.GoldenRatio,
    "TribonacciConstant": sp.TribonacciConstant,
}


def real_root(a: sp.Expr, n: sp.Expr) -> sp.Expr:
    """The real n-th root: cbrt(-8) is -2, as on paper."""
    if n.is_Integer and n.is_odd:
        if a.is_number:
            return sp.real_root(a, n)
        if a.is_nonnegative:
            return a ** (1 / n)
        return sp.sign(a) * sp.Abs(a) ** (1 / n)
    return sp.root(a, n)


def _guard_integer_arg(name: str, a: sp.Expr) -> None:
    if a.is_Rational and abs(a) > limits.MAX_FACTORIAL_ARG:
        raise InputLimitError(f"{name} of a number above {limits.MAX_FACTORIAL_ARG} is beyond calccli's limits")


def factorial(a: sp.Expr) -> sp.Expr:
    _guard_integer_arg("factorial", a)
    return sp.factorial(a)


def _gamma(a: sp.Expr) -> sp.Expr:
    _guard_integer_arg("gamma", a)
    return sp.gamma(a)


def _binomial(n: sp.Expr, k: sp.Expr) -> sp.Expr:
    """binomial(n, k), refusing a value of more than 10,000 digits: binomial(10^1000, 999) has about 10^6."""
    if n.is_Integer and k.is_Integer and 0 <= k <= n:
        j = min(k, n - k)
        if j > limits.MAX_FACTORIAL_ARG or j * _digits(n) > limits.MAX_NUMBER_DIGITS:
            raise InputLimitError(f"binomial({_brief(n)}, {_brief(k)}) is beyond calccli's limits")
    return sp.binomial(n, k)


def _polygamma(m: sp.Expr, a: sp.Expr) -> sp.Expr:
    """polygamma(m, a); an order above 1,000 is refused (polygamma(10^5, 1) holds 10^5!)."""
    if m.is_Rational and abs(m) > limits.MAX_FACTORIAL_ARG:
        raise InputLimitError(f"polygamma of order above {limits.MAX_FACTORIAL_ARG} is beyond calccli's limits")
    return sp.polygamma(m, a)


def _zeta(s: sp.Expr, a: sp.Expr | None = None) -> sp.Expr:
    """zeta(s) or zeta(s, a); |s| above 1,000 is refused (zeta(-10^5) is a Bernoulli number)."""
    if s.is_Rational and abs(s) > limits.MAX_FACTORIAL_ARG:
        raise InputLimitError(f"zeta of a number above {limits.MAX_FACTORIAL_ARG} is beyond calccli's limits")
    return sp.zeta(s) if a is None else sp.zeta(s, a)


def _log(a: sp.Expr, base: sp.Expr | None = None) -> sp.Expr:
    return sp.log(a) if base is None else sp.log(a) / sp.log(base)


BUILDERS: dict[str, Callable[..., sp.Expr]] = {
    **{
        name: getattr(sp, name)
        for name in (
            "sin",
            "cos",
            "tan",
            "sec",
            "csc",
            "cot",
            "asin",
            "acos",
            "atan",
            "asec",
            "acsc",
            "acot",
            "sinh",
            "cosh",
            "tanh",
            "sech",
            "csch",
            "coth",
            "asinh",
            "acosh",
            "atanh",
            "asech",
            "acsch",
            "acoth",
            "exp",
            "sqrt",
            "sign",
            "floor",
            "ceiling",
            "erf",
            "erfc",
            "atan2",
            "digamma",
            "loggamma",
            "re",
            "im",
            "Heaviside",
            "DiracDelta",
            "Abs",
            "Min",
            "Max",
            "Si",
            "Ci",
            "Shi",
            "Chi",
            "Ei",
            "li",
            "erfi",
            "fresnels",
            "fresnelc",
            "expint",
            "uppergamma",
            "lowergamma",
            "polylog",
            "LambertW",
            "elliptic_k",
            "elliptic_e",
            "elliptic_f",
            "beta",
        )
    },
    **{
        f"arc{name}": getattr(sp, f"a{name}")
        for name in (
            "sin",
            "cos",
            "tan",
            "sec",
            "csc",
            "cot",
            "sinh",
            "cosh",
            "tanh",
        )
    },
    **{f"ar{name}": getattr(sp, f"a{name}") for name in ("sinh", "cosh", "tanh")},
    "ln": sp.log,
    "log": _log,
    "log10": lambda a: sp.log(a) / sp.log(10),
    "log2": lambda a: sp.log(a) / sp.log(2),
    "cbrt": lambda a: real_root(a, sp.Integer(3)),
    "root": real_root,
    "abs": sp.Abs,
    "sgn": sp.sign,
    "ceil": sp.ceiling,
    "min": sp.Min,
    "max": sp.Max,
    "gamma": _gamma,
    "factorial": factorial,
    "binomial": _binomial,
    "polygamma": _polygamma,
    "zeta": _zeta,
    "CRootOf": lambda p, k: sp.CRootOf(p, int(k)),
}
assert set(BUILDERS) == set(FUNCTIONS), set(FUNCTIONS) ^ set(BUILDERS)


def _digits(r: sp.Rational) -> float:
    return math.log10(max(abs(int(r.p)), abs(int(r.q)), 1))


def _brief(value: sp.Expr) -> str:
    """``value`` as text for a message, unless its numbers are too long to show."""
    size = max((_digits(r) for r in value.atoms(sp.Rational)), default=0.0)
    return str(value) if size < 30 else f"(a number of about {int(size) + 1} digits)"


def _number_size(e: sp.Expr) -> float:
    """About how many digits the numbers in ``e`` have (the number part of a product: (2x)^n is 2^n x^n)."""
    if e.is_number:
        return max((_digits(r) for r in e.atoms(sp.Rational)), default=0.0)
    if isinstance(e, sp.Mul):
        return sum(_number_size(f) for f in e.args if f.is_number)
    return 0.0


def checked_power(base: sp.Expr, exponent: sp.Expr) -> sp.Expr:
    """``base ** exponent``, refusing numbers too large to be useful (2^2^2^40, (2x)^100000)."""
    if exponent.is_Rational and abs(exponent) > 1:
        size = _number_size(base)
        if size * float(abs(exponent)) > limits.MAX_NUMBER_DIGITS:
            raise InputLimitError(
                f"the power {_brief(base) if base.is_Atom else f'({_brief(base)})'}^{_brief(exponent)} would have more than {limits.MAX_NUMBER_DIGITS} digits"
            )
    return sp.Pow(base, exponent)


def _too_large(what: str) -> NoReturn:
    raise InputLimitError(f"{what} would have more than {limits.MAX_NUMBER_DIGITS} digits")


def _coefficients(expr: sp.Expr) -> list[sp.Rational]:
    """The rational coefficients SymPy combines when ``expr`` joins a sum or product."""
    out = []
    for term in sp.Add.make_args(expr):
        coeff = term.as_coeff_Mul()[0]
        if coeff.is_Rational:
            out.append(coeff)
    return out


def guard_product(factors: list[sp.Expr]) -> None:
    """Refuse a product whose number part is too large (10^9000 * 10^9000 * ...).

    SymPy multiplies the numbers of a product at once; without this a short
    formula could build a number of millions of digits.
    """
    size = sum(max(map(_digits, _coefficients(f)), default=0.0) for f in factors)
    if size > limits.MAX_NUMBER_DIGITS:
        _too_large("this product")


def guard_sum(terms: list[sp.Expr]) -> None:
    """Refuse a sum whose common denominator is too large (1/(10^9000+1) + 1/(10^9000+3) ...)."""
    denominator, bits = 1, limits.MAX_NUMBER_DIGITS * math.log2(10)
    for term in terms:
        for coeff in _coefficients(term):
            if coeff.q != 1:
                denominator = math.lcm(denominator, int(coeff.q))
                if denominator.bit_length() > bits:
                    _too_large("the common denominator of this sum")


def _int(digits: str) -> int:
    """``int(digits)`` for up to MAX_LITERAL_DIGITS digits, whatever Python's own digit limit is."""
    limit = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)
    try:
        return int(digits)
    finally:
        sys.set_int_max_str_digits(limit)


def number(text: str, source: str, pos: int) -> sp.Rational:
    """A decimal literal, read exactly: ``0.1`` is 1/10."""
    mantissa, _, exp = text.lower().partition("e")
    whole, _, frac = mantissa.partition(".")
    digits = (whole + frac).lstrip("0")
    if len(digits) > limits.MAX_LITERAL_DIGITS:
        raise InputLimitError(f"number at column {pos + 1} has more than {limits.MAX_LITERAL_DIGITS} digits")
    e = int(exp) if exp else 0
    if abs(e) > limits.MAX_LITERAL_EXPONENT:
        raise InputLimitError(f"exponent of the number at column {pos + 1} is beyond ±{limits.MAX_LITERAL_EXPONENT}")
    e -= len(frac)
    value = _int(whole + frac or "0")
    return sp.Rational(value * 10**e) if e >= 0 else sp.Rational(value, 10**-e)
