"""The allow-list: every name a formula may use, and nothing else.

Pure data, no SymPy: the lexer needs these sets to split letter runs, and
``calccli --help`` may list them without loading anything heavy.  The SymPy
objects behind the names are looked up in :mod:`calccli.formula.grammar`.
"""

from __future__ import annotations

# name -> (fewest arguments, most arguments); ``None`` for "no upper bound".
FUNCTIONS: dict[str, tuple[int, int | None]] = {
    # trigonometric and inverse trigonometric
    **{f: (1, 1) for f in ("sin", "cos", "tan", "sec", "csc", "cot")},
    **{f: (1, 1) for f in ("asin", "acos", "atan", "asec", "acsc", "acot")},
    **{f: (1, 1) for f in ("arcsin", "arccos", "arctan", "arcsec", "arccsc", "arccot")},
    # hyperbolic and inverse hyperbolic
    **{f: (1, 1) for f in ("sinh", "cosh", "tanh", "sech", "csch", "coth")},
    **{f: (1, 1) for f in ("asinh", "acosh", "atanh", "asech", "acsch", "acoth")},
    **{f: (1, 1) for f in ("arsinh", "arcosh", "artanh", "arcsinh", "arccosh", "arctanh")},
    # exponentials, logarithms, roots
    "exp": (1, 1),
    "ln": (1, 1),
    "log": (1, 2),
    "log10": (1, 1),
    "log2": (1, 1),
    "sqrt": (1, 1),
    "cbrt": (1, 1),
    "root": (2, 2),
    # piecewise-flavoured
    "abs": (1, 1),
    "Abs": (1, 1),
    "sign": (1, 1),
    "sgn": (1, 1),
    "floor": (1, 1),
    "ceil": (1, 1),
    "ceiling": (1, 1),
    "min": (1, None),
    "max": (1, None),
    "Min": (1, None),
    "Max": (1, None),
    "Heaviside": (1, 2),
    "DiracDelta": (1, 2),
    # special functions
    "erf": (1, 1),
    "erfc": (1, 1),
    "gamma": (1, 1),
    "factorial": (1, 1),
    "binomial": (2, 2),
    "atan2": (2, 2),
    "polygamma": (2, 2),
    "digamma": (1, 1),
    "loggamma": (1, 1),
    # special functions that antiderivatives are written in
    **{f: (1, 1) for f in ("Si", "Ci", "Shi", "Chi", "Ei", "li", "erfi", "fresnels", "fresnelc")},
    **{f: (2, 2) for f in ("expint", "uppergamma", "lowergamma", "polylog")},
    "LambertW": (1, 2),
    "elliptic_k": (1, 1),
    "elliptic_e": (1, 2),
    "elliptic_f": (2, 2),
    # what SymPy may print in a result, so that results paste back
    "re": (1, 1),
    "im": (1, 1),
    "CRootOf": (2, 2),
    "zeta": (1, 2),
    "beta": (1, 2),
}

# f^-1 written as a power means the inverse function.
INVERSES: dict[str, str] = {
    "sin": "asin",
    "cos": "acos",
    "tan": "atan",
    "sec": "asec",
    "csc": "acsc",
    "cot": "acot",
    "sinh": "asinh",
    "cosh": "acosh",
    "tanh": "atanh",
    "sech": "asech",
    "csch": "acsch",
    "coth": "acoth",
}

# constant name -> canonical name: the constants a user types (``calccli functions`` lists these)
CONSTANTS: dict[str, str] = {
    "pi": "pi",
    "e": "E",
    "E": "E",
    "I": "I",
    "oo": "oo",
    "inf": "oo",
    "infinity": "oo",
    "EulerGamma": "EulerGamma",
    "Catalan": "Catalan",
    "GoldenRatio": "GoldenRatio",
    "TribonacciConstant": "TribonacciConstant",
}

# Values a computation may print that are not numbers (complex infinity, undefined): they read
# back so that output pastes back, but they are not offered to the user.
PRINTED_ONLY_CONSTANTS: dict[str, str] = {"zoo": "zoo", "nan": "nan"}

# Every constant name the lexer reads.
READ_CONSTANTS: dict[str, str] = {**CONSTANTS, **PRINTED_ONLY_CONSTANTS}

# Words of the piecewise syntax, ``x if x > 0 else -x``; only a whole run of letters is one.
KEYWORDS = frozenset({"if", "else", "and", "or", "not"})

GREEK: tuple[str, ...] = (
    "alpha",
    "beta",
    "gamma",
    "delta",
    "epsilon",
    "zeta",
    "eta",
    "theta",
    "iota",
    "kappa",
    "lambda",
    "mu",
    "nu",
    "xi",
    "omicron",
    "rho",
    "sigma",
    "tau",
    "upsilon",
    "phi",
    "chi",
    "psi",
    "omega",
    "Gamma",
    "Delta",
    "Theta",
    "Lambda",
    "Xi",
    "Sigma",
    "Phi",
    "Psi",
    "Omega",
)

# Unicode letters pasted from documents -> the name they stand for.
GREEK_CHARS: dict[str, str] = {
    "α": "alpha",
    "β": "beta",
    "γ": "gamma",
    "δ": "delta",
    "ε": "epsilon",
    "ϵ": "epsilon",
    "ζ": "zeta",
    "η": "eta",
    "θ": "theta",
    "ϑ": "theta",
    "ι": "iota",
    "κ": "kappa",
    "λ": "lambda",
    "μ": "mu",
    "ν": "nu",
    "ξ": "xi",
    "ο": "omicron",
    "π": "pi",
    "ρ": "rho",
    "σ": "sigma",
    "τ": "tau",
    "υ": "upsilon",
    "φ": "phi",
    "ϕ": "phi",
    "χ": "chi",
    "ψ": "psi",
    "ω": "omega",
    "Γ": "Gamma",
    "Δ": "Delta",
    "Θ": "Theta",
    "Λ": "Lambda",
    "Ξ": "Xi",
    "Σ": "Sigma",
    "Φ": "Phi",
    "Ψ": "Psi",
    "Ω": "Omega",
}

# Names a user may type that are functions when followed by "(" and variables otherwise.
FUNCTION_OR_VARIABLE = frozenset({"gamma", "zeta", "beta"})
