"""calccli's formula language: text in, SymPy out, with no ``eval`` anywhere.

A hand-written lexer and precedence-climbing parser build SymPy objects
directly.  Names resolve through the allow-list in :mod:`calccli.names`; a
user's string never becomes Python code or a Python identifier we look up.

>>> str(formula("x^2 y + sin(y)").expr)
'x**2*y + sin(y)'
>>> str(formula("4xy").expr)
'4*x*y'
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import NoReturn

import sympy as sp

from calccli import limits
from calccli.errors import FormulaError, InputLimitError, UsageError
from calccli.names import (
    CONSTANTS,
    FUNCTION_OR_VARIABLE,
    FUNCTIONS,
    GREEK,
    GREEK_CHARS,
    INVERSES,
)

# --------------------------------------------------------------------------- tokens

_LETTER = "A-Za-z" + "".join(GREEK_CHARS)
_RUN = re.compile(f"[{_LETTER}][{_LETTER}0-9_]*")
_NUMBER = re.compile(r"(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_SPACE = re.compile(r"\s+")
_SUPERSCRIPT = "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺"
_SUP_RUN = re.compile(f"[{_SUPERSCRIPT}]+")
_SUP_TRANS = str.maketrans(_SUPERSCRIPT, "0123456789-+")

# Operators as typed or pasted -> canonical spelling.
_OPERATORS = {
    "**": "^", "^": "^", "+": "+", "-": "-", "−": "-", "–": "-", "*": "*", "×": "*",
    "·": "*", "⋅": "*", "∙": "*", "∗": "*", "/": "/", "÷": "/", "∕": "/", "(": "(",
    ")": ")", "[": "[", "]": "]", ",": ",", "|": "|", "!": "!", "=": "=", "√": "√",
    "∛": "∛", "∜": "∜",
}

# Constants that are spelled like letter pairs count only as a whole run: "foo" is not f*oo.
_WHOLE_RUN_ONLY = frozenset({"oo", "inf", "infinity", "zoo", "nan"})
_KNOWN_WORDS = (frozenset(FUNCTIONS) | frozenset(CONSTANTS) | frozenset(GREEK)) - _WHOLE_RUN_ONLY
_IDENTIFIER = re.compile(f"[{_LETTER}][A-Za-z0-9_]*")


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # NUM VAR CONST FUNC OP SUP END
    value: str
    pos: int


def _fail(message: str, text: str, pos: int) -> NoReturn:
    raise FormulaError(message, text, pos)


def _show(ch: str) -> str:
    return repr(ch) if ch.isprintable() else f"U+{ord(ch):04X}"


def tokenize(text: str, declared: frozenset[str] = frozenset()) -> list[Token]:
    """Split ``text`` into tokens, splitting letter runs into names.

    >>> [t.value for t in tokenize("2xsin y")]
    ['2', 'x', 'sin', 'y', '']
    """
    tokens: list[Token] = []
    pos, n = 0, len(text)
    while pos < n:
        ch = text[pos]
        if m := _SPACE.match(text, pos):
            pos = m.end()
        elif m := _NUMBER.match(text, pos):
            tokens.append(Token("NUM", m.group(), pos))
            pos = m.end()
        elif m := _RUN.match(text, pos):
            followed_by_paren = text[m.end() : m.end() + 1] == "("
            tokens.extend(_split_run(m.group(), pos, text, declared, followed_by_paren))
            pos = m.end()
        elif m := _SUP_RUN.match(text, pos):
            tokens.append(Token("SUP", m.group().translate(_SUP_TRANS), pos))
            pos = m.end()
        elif text.startswith("**", pos):
            tokens.append(Token("OP", "^", pos))
            pos += 2
        elif ch in _OPERATORS:
            tokens.append(Token("OP", _OPERATORS[ch], pos))
            pos += 1
        elif ch == "∞":
            tokens.append(Token("CONST", "oo", pos))
            pos += 1
        else:
            _fail(f"unexpected character {_show(ch)}", text, pos)
    tokens.append(Token("END", "", n))
    return tokens


def _split_run(
    run: str, start: int, text: str, declared: frozenset[str], followed_by_paren: bool
) -> list[Token]:
    """Split a letter run such as ``4xy`` or ``xsin`` into names (see README)."""
    if run in declared:
        return [Token("VAR", run, start)]
    if run in _WHOLE_RUN_ONLY:
        return [Token("CONST", run, start)]
    known = _KNOWN_WORDS | declared
    longest = max(map(len, known))
    pieces: list[Token] = []
    i, n = 0, len(run)
    while i < n:
        ch = run[i]
        if ch.isdigit():
            j = i
            while j < n and run[j].isdigit():
                j += 1
            pieces.append(Token("NUM", run[i:j], start + i))
            i = j
            continue
        if ch == "_":
            _fail("unexpected '_' (a subscript follows a letter, as in x_1)", text, start + i)
        if ch in GREEK_CHARS:
            word, j = GREEK_CHARS[ch], i + 1
        else:
            word, j = ch, i + 1
            for length in range(min(longest, n - i), 1, -1):
                if run[i : i + length] in known:
                    word, j = run[i : i + length], i + length
                    break
        at_end = j == n
        if word in declared:
            kind = "VAR"
        elif word in FUNCTIONS and not (
            word in FUNCTION_OR_VARIABLE and not (at_end and followed_by_paren)
        ):
            kind = "FUNC"
        elif word in CONSTANTS:
            kind = "CONST"
        else:
            kind = "VAR"
        if kind == "VAR" and j < n:  # subscripts: x1, x_1, w_ij, theta2
            if run[j].isdigit():
                k = j
                while k < n and run[k].isdigit():
                    k += 1
                word, j = word + run[j:k], k
            elif run[j] == "_" and j + 1 < n and run[j + 1].isalnum() and run[j + 1] not in GREEK_CHARS:
                k = j + 1
                while k < n and run[k].isalnum() and run[k] not in GREEK_CHARS:
                    k += 1
                word, j = word + run[j:k], k
        pieces.append(Token(kind, word, start + i))
        i = j
    # The letters right before "(" (after the last function, if any) are a mistyped
    # function when they are plain letters: foo(x), sen(x), cosine(x) (not cos(i*n*e)*x).
    last_func = max((k for k, p in enumerate(pieces) if p.kind == "FUNC"), default=-1)
    tail = pieces[last_func + 1 :]
    if followed_by_paren and len(pieces) >= 2 and tail and all(
        p.kind in ("VAR", "CONST") and p.value not in declared and not p.value[-1].isdigit()
        for p in tail
    ):
        _check_unknown_function(run, text, start)
    return pieces


def _check_unknown_function(name: str, text: str, pos: int) -> None:
    """A run like ``foo(`` or ``sen(`` is a mistyped function, not f*o*o*(...)."""
    close = difflib.get_close_matches(name.lower(), sorted(FUNCTIONS), n=3, cutoff=0.6)
    if close:
        _fail(f"unknown function {name!r}; did you mean {', '.join(close)}?", text, pos)
    if len(name) >= 3:
        _fail(
            f"unknown function {name!r} (see 'calccli functions'; for a product write "
            f"{'*'.join(name)}*(...))",
            text,
            pos,
        )


# --------------------------------------------------------------------------- SymPy side

_SYMBOLS: dict[str, sp.Symbol] = {}


def symbol(name: str) -> sp.Symbol:
    """The real symbol called ``name`` (variables are real unless said otherwise)."""
    if name not in _SYMBOLS:
        _SYMBOLS[name] = sp.Symbol(name, real=True)
    return _SYMBOLS[name]


_CONSTANT_VALUES: dict[str, sp.Expr] = {
    "pi": sp.pi, "E": sp.E, "I": sp.I, "oo": sp.oo, "zoo": sp.zoo, "nan": sp.nan,
}


def _real_root(a: sp.Expr, n: sp.Expr) -> sp.Expr:
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
        raise InputLimitError(
            f"{name} of a number above {limits.MAX_FACTORIAL_ARG} is beyond calccli's limits"
        )


def _factorial(a: sp.Expr) -> sp.Expr:
    _guard_integer_arg("factorial", a)
    return sp.factorial(a)


def _gamma(a: sp.Expr) -> sp.Expr:
    _guard_integer_arg("gamma", a)
    return sp.gamma(a)


def _binomial(n: sp.Expr, k: sp.Expr) -> sp.Expr:
    if n.is_Integer and k.is_Integer and min(k, n - k) > limits.MAX_FACTORIAL_ARG:
        raise InputLimitError(f"binomial({n}, {k}) is beyond calccli's limits")
    return sp.binomial(n, k)


def _log(a: sp.Expr, base: sp.Expr | None = None) -> sp.Expr:
    return sp.log(a) if base is None else sp.log(a) / sp.log(base)


_BUILDERS: dict[str, Callable[..., sp.Expr]] = {
    **{name: getattr(sp, name) for name in (
        "sin", "cos", "tan", "sec", "csc", "cot", "asin", "acos", "atan", "asec", "acsc",
        "acot", "sinh", "cosh", "tanh", "sech", "csch", "coth", "asinh", "acosh", "atanh",
        "asech", "acsch", "acoth", "exp", "sqrt", "sign", "floor", "ceiling", "erf", "erfc",
        "atan2", "polygamma", "digamma", "loggamma", "re", "im", "Heaviside", "DiracDelta",
        "Abs", "Min", "Max", "Si", "Ci", "Shi", "Chi", "Ei", "li", "erfi", "fresnels", "fresnelc",
        "expint", "uppergamma", "lowergamma", "polylog", "LambertW", "elliptic_k", "elliptic_e",
        "elliptic_f",
    )},
    **{f"arc{name}": getattr(sp, f"a{name}") for name in (
        "sin", "cos", "tan", "sec", "csc", "cot", "sinh", "cosh", "tanh",
    )},
    **{f"ar{name}": getattr(sp, f"a{name}") for name in ("sinh", "cosh", "tanh")},
    "ln": sp.log,
    "log": _log,
    "log10": lambda a: sp.log(a) / sp.log(10),
    "log2": lambda a: sp.log(a) / sp.log(2),
    "cbrt": lambda a: _real_root(a, sp.Integer(3)),
    "root": _real_root,
    "abs": sp.Abs,
    "sgn": sp.sign,
    "ceil": sp.ceiling,
    "min": sp.Min,
    "max": sp.Max,
    "gamma": _gamma,
    "factorial": _factorial,
    "binomial": _binomial,
    "CRootOf": lambda p, k: sp.CRootOf(p, int(k)),
}
assert set(_BUILDERS) == set(FUNCTIONS), set(FUNCTIONS) ^ set(_BUILDERS)


def _digits(r: sp.Rational) -> float:
    return math.log10(max(abs(int(r.p)), abs(int(r.q)), 1))


def _brief(value: sp.Expr) -> str:
    """``value`` as text for a message, unless its numbers are too long to show."""
    size = max((_digits(r) for r in value.atoms(sp.Rational)), default=0.0)
    return str(value) if size < 30 else f"(a number of about {int(size) + 1} digits)"


def _power(base: sp.Expr, exponent: sp.Expr) -> sp.Expr:
    """``base ** exponent``, refusing numbers too large to be useful (2^2^2^40)."""
    if base.is_number and exponent.is_Rational and abs(exponent) > 1:
        size = max((_digits(r) for r in base.atoms(sp.Rational)), default=0.0)
        if size * float(abs(exponent)) > limits.MAX_NUMBER_DIGITS:
            raise InputLimitError(
                f"the power {_brief(base)}^{_brief(exponent)} would have more than "
                f"{limits.MAX_NUMBER_DIGITS} digits"
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


def _guard_product(factors: list[sp.Expr]) -> None:
    """Refuse a product whose number part is too large (10^9000 * 10^9000 * ...).

    SymPy multiplies the numbers of a product at once; without this a short
    formula could build a number of millions of digits.
    """
    size = sum(max(map(_digits, _coefficients(f)), default=0.0) for f in factors)
    if size > limits.MAX_NUMBER_DIGITS:
        _too_large("this product")


def _guard_sum(terms: list[sp.Expr]) -> None:
    """Refuse a sum whose common denominator is too large (1/(10^9000+1) + 1/(10^9000+3) ...)."""
    denominator, bits = 1, limits.MAX_NUMBER_DIGITS * math.log2(10)
    for term in terms:
        for coeff in _coefficients(term):
            if coeff.q != 1:
                denominator = math.lcm(denominator, int(coeff.q))
                if denominator.bit_length() > bits:
                    _too_large("the common denominator of this sum")


def _number(text: str, source: str, pos: int) -> sp.Rational:
    """A decimal literal, read exactly: ``0.1`` is 1/10."""
    mantissa, _, exp = text.lower().partition("e")
    whole, _, frac = mantissa.partition(".")
    digits = (whole + frac).lstrip("0")
    if len(digits) > limits.MAX_LITERAL_DIGITS:
        raise InputLimitError(
            f"number at column {pos + 1} has more than {limits.MAX_LITERAL_DIGITS} digits"
        )
    e = int(exp) if exp else 0
    if abs(e) > limits.MAX_LITERAL_EXPONENT:
        raise InputLimitError(
            f"exponent of the number at column {pos + 1} is beyond ±{limits.MAX_LITERAL_EXPONENT}"
        )
    e -= len(frac)
    value = int(whole + frac or "0")
    return sp.Rational(value * 10**e) if e >= 0 else sp.Rational(value, 10**-e)


# --------------------------------------------------------------------------- parser

_STARTS_OPERAND = frozenset({"NUM", "VAR", "CONST", "FUNC"})
_PREFIX_OPS = frozenset({"(", "√", "∛", "∜", "|"})


class _Parser:
    def __init__(self, text: str, tokens: list[Token]) -> None:
        self.text = text
        self.tokens = tokens
        self.i = 0
        self.depth = 0
        self.bars = 0  # how many |...| are open

    # -- helpers
    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def advance(self) -> Token:
        t = self.tokens[self.i]
        self.i += 1
        return t

    def at(self, value: str) -> bool:
        return self.tok.kind == "OP" and self.tok.value == value

    def expect(self, value: str, opened: Token | None = None) -> Token:
        if not self.at(value):
            if opened is not None and self.tok.kind == "END":
                _fail(f"unclosed {opened.value!r}", self.text, opened.pos)
            self.unexpected(f"expected {value!r}")
        return self.advance()

    def unexpected(self, hint: str = "") -> NoReturn:
        t = self.tok
        what = "end of formula" if t.kind == "END" else repr(t.value)
        _fail(f"unexpected {what}" + (f" ({hint})" if hint else ""), self.text, t.pos)

    def enter(self, pos: int) -> None:
        self.depth += 1
        if self.depth > limits.MAX_DEPTH:
            raise InputLimitError(
                f"formula nests deeper than {limits.MAX_DEPTH} levels (at column {pos + 1})"
            )

    def leave(self) -> None:
        self.depth -= 1

    def build(self, fn: Callable[..., sp.Expr], *args: sp.Expr, pos: int) -> sp.Expr:
        """Call a SymPy constructor, turning its surprises into parse errors."""
        try:
            return fn(*args)
        except (InputLimitError, FormulaError):
            raise
        except RecursionError:
            raise InputLimitError("formula is too deeply nested") from None
        except Exception as exc:  # SymPy raises many types for meaningless input
            _fail(f"cannot build this: {type(exc).__name__}", self.text, pos)

    # -- grammar
    def sum(self) -> sp.Expr:
        """sum := ['+'|'-'] product (('+'|'-') product)*  -- built flat."""
        terms: list[sp.Expr] = []
        sign = 1
        if self.at("+") or self.at("-"):
            sign = -1 if self.advance().value == "-" else 1
        while True:
            start = self.tok.pos
            term = self.product()
            terms.append(term if sign == 1 else self.build(sp.Mul, sp.S.NegativeOne, term, pos=start))
            if self.at("+") or self.at("-"):
                sign = -1 if self.advance().value == "-" else 1
            else:
                break
        if len(terms) == 1:
            return terms[0]
        _guard_sum(terms)
        return self.build(sp.Add, *terms, pos=0)

    def product(self) -> sp.Expr:
        """product := signed (('*'|'/') signed | implicit power)*  -- built flat."""
        factors = [self.signed()]
        while True:
            t = self.tok
            if self.at("*") or self.at("/"):
                self.advance()
                f = self.signed()
                factors.append(f if t.value == "*" else self.build(sp.Pow, f, sp.S.NegativeOne, pos=t.pos))
            elif self.starts_implicit():
                if t.kind == "NUM" and self.tokens[self.i - 1].kind == "NUM":
                    _fail("two numbers in a row; missing operator?", self.text, t.pos)
                factors.append(self.power())
            else:
                break
        if len(factors) == 1:
            return factors[0]
        _guard_product(factors)
        return self.build(sp.Mul, *factors, pos=0)

    def starts_implicit(self) -> bool:
        t = self.tok
        if t.kind in _STARTS_OPERAND:
            return True
        if t.kind == "OP" and t.value in _PREFIX_OPS:
            return not (t.value == "|" and self.bars > 0)
        return False

    def signed(self) -> sp.Expr:
        """signed := ('-'|'+')* power."""
        negative = False
        start = self.tok.pos
        while self.at("-") or self.at("+"):
            if self.advance().value == "-":
                negative = not negative
        value = self.power()
        return self.build(sp.Mul, sp.S.NegativeOne, value, pos=start) if negative else value

    def power(self) -> sp.Expr:
        """power := postfix ('^' exponent | SUPERSCRIPT)?   (right-associative)."""
        base = self.postfix()
        t = self.tok
        if self.at("^"):
            self.advance()
            self.enter(t.pos)
            exponent = self.signed_exponent()
            self.leave()
            return self.build(_power, base, exponent, pos=t.pos)
        if t.kind == "SUP":
            self.advance()
            return self.build(_power, base, self.superscript(t), pos=t.pos)
        return base

    def signed_exponent(self) -> sp.Expr:
        start = self.tok.pos
        if self.at("-") or self.at("+"):
            negative = self.advance().value == "-"
            value = self.signed_exponent()
            return self.build(sp.Mul, sp.S.NegativeOne, value, pos=start) if negative else value
        return self.power()

    def superscript(self, t: Token) -> sp.Integer:
        if len(t.value) > limits.MAX_LITERAL_DIGITS:
            raise InputLimitError(
                f"superscript at column {t.pos + 1} has more than {limits.MAX_LITERAL_DIGITS} digits"
            )
        try:
            return sp.Integer(int(t.value))
        except ValueError:
            _fail(f"malformed superscript {t.value!r}", self.text, t.pos)

    def postfix(self) -> sp.Expr:
        """postfix := primary '!'*  -- each '!' nests one level (x!!! is a deep tree)."""
        value = self.primary()
        depth = self.depth
        while self.at("!"):
            t = self.advance()
            self.enter(t.pos)
            value = self.build(_factorial, value, pos=t.pos)
        self.depth = depth
        return value

    def primary(self) -> sp.Expr:
        t = self.tok
        if t.kind == "NUM":
            self.advance()
            return _number(t.value, self.text, t.pos)
        if t.kind == "VAR":
            self.advance()
            return symbol(t.value)
        if t.kind == "CONST":
            self.advance()
            return _CONSTANT_VALUES[CONSTANTS[t.value]]
        if t.kind == "FUNC":
            return self.call()
        if t.kind == "OP":
            if t.value == "(":
                self.advance()
                self.enter(t.pos)
                value = self.sum()
                self.leave()
                self.expect(")", t)
                return value
            if t.value == "|":
                self.advance()
                self.enter(t.pos)
                self.bars += 1
                value = self.sum()
                self.bars -= 1
                self.leave()
                if not self.at("|"):
                    if self.tok.kind == "END":
                        _fail("unclosed '|'", self.text, t.pos)
                    self.unexpected("expected '|'")
                self.advance()
                return self.build(sp.Abs, value, pos=t.pos)
            if t.value in ("√", "∛", "∜"):
                self.advance()
                self.enter(t.pos)
                radicand = self.power()
                self.leave()
                index = {"√": 2, "∛": 3, "∜": 4}[t.value]
                return self.build(_real_root, radicand, sp.Integer(index), pos=t.pos)
            if t.value == "[":
                _fail("a vector [..] must be the whole formula", self.text, t.pos)
        if t.kind == "END":
            self.unexpected()
        self.unexpected()

    def call(self) -> sp.Expr:
        """name(args), name^k(args), name^-1(args), name x (a simple argument)."""
        t = self.advance()
        name, exponent = t.value, None
        if self.at("^") or self.tok.kind == "SUP":
            exponent = self.function_power()
            if exponent == -1:
                if name not in INVERSES:
                    _fail(f"{name}^-1 has no inverse function here", self.text, t.pos)
                name, exponent = INVERSES[name], None
        self.enter(t.pos)
        if self.at("("):
            opened = self.advance()
            args = [self.sum()]
            while self.at(","):
                self.advance()
                args.append(self.sum())
            self.expect(")", opened)
        elif self.tok.kind == "END" or (self.tok.kind == "OP" and self.tok.value not in _PREFIX_OPS | {"-", "+"}):
            self.unexpected(f"{name} needs an argument")
        else:
            args = [self.simple_argument()]
        self.leave()
        low, high = FUNCTIONS[name]
        if not low <= len(args) <= (high if high is not None else len(args)):
            want = f"{low}" if low == high else f"{low} to {high}" if high else f"at least {low}"
            _fail(f"{name} takes {want} argument{'s' if want != '1' else ''}, got {len(args)}",
                  self.text, t.pos)
        value = self.build(_BUILDERS[name], *args, pos=t.pos)
        return value if exponent is None else self.build(_power, value, exponent, pos=t.pos)

    def function_power(self) -> sp.Integer:
        t = self.tok
        if t.kind == "SUP":
            self.advance()
            return self.superscript(t)
        self.advance()  # '^'
        negative = False
        if self.at("-"):
            self.advance()
            negative = True
        parenthesised = self.at("(")
        if parenthesised:
            self.advance()
            if self.at("-"):
                self.advance()
                negative = not negative
        n = self.tok
        if n.kind != "NUM" or not n.value.isdigit():
            _fail("a function power must be a whole number, as in sin^2(x)", self.text, n.pos)
        self.advance()
        if parenthesised:
            self.expect(")")
        return sp.Integer(-int(n.value) if negative else int(n.value))

    def simple_argument(self) -> sp.Expr:
        """The argument of ``sin x``, ``sin 2x``, ``ln x^2``: a product of plain factors."""
        value = self.signed()
        factors = [value]
        while self.tok.kind in ("NUM", "VAR", "CONST"):
            factors.append(self.power())
        if len(factors) == 1:
            return factors[0]
        _guard_product(factors)
        return self.build(sp.Mul, *factors, pos=0)


# --------------------------------------------------------------------------- public API


@dataclass(frozen=True, slots=True)
class Formula:
    """A parsed formula: one expression or a vector of them, and its variables."""

    text: str
    exprs: tuple[sp.Expr, ...]
    is_vector: bool
    variables: tuple[sp.Symbol, ...]

    @property
    def expr(self) -> sp.Expr:
        if self.is_vector:
            raise UsageError(
                "this command needs a scalar formula, not a vector "
                "(for a vector function use 'calccli jacobian')"
            )
        return self.exprs[0]

    @property
    def parameters(self) -> tuple[sp.Symbol, ...]:
        """Free symbols that are not variables (held constant)."""
        free = set().union(*(e.free_symbols for e in self.exprs))
        return tuple(sorted(free - set(self.variables), key=lambda s: natural_key(s.name)))


def with_variables(f: Formula, *others: sp.Expr) -> Formula:
    """``f`` with the symbols of ``others`` added to its variables, in natural order."""
    free = set(f.variables).union(*(e.free_symbols for e in others))
    ordered = tuple(sorted(free, key=lambda s: natural_key(s.name)))  # type: ignore[attr-defined]
    return Formula(f.text, f.exprs, f.is_vector, ordered)  # type: ignore[arg-type]


def natural_key(name: str) -> tuple[object, ...]:
    """Sort key putting x2 before x10."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", name))


def _check_size(text: str) -> None:
    if len(text) > limits.MAX_FORMULA_CHARS:
        raise InputLimitError(
            f"formula has {len(text):,} characters; the limit is {limits.MAX_FORMULA_CHARS:,}"
        )


def _parse(text: str, declared: frozenset[str], rule: str) -> sp.Expr:
    parser = _Parser(text, tokenize(text, declared))
    try:
        value = getattr(parser, rule)()
    except RecursionError:
        raise InputLimitError("formula is too deeply nested") from None
    if parser.tok.kind != "END":
        if parser.at(")"):
            _fail("unmatched ')'", text, parser.tok.pos)
        if parser.at(","):
            _fail("unexpected ',' (a vector is written [f1, f2])", text, parser.tok.pos)
        if parser.at("="):
            _fail("unexpected '=' (only --subject-to takes equations)", text, parser.tok.pos)
        parser.unexpected()
    return value


def expression(text: str, declared: frozenset[str] = frozenset()) -> sp.Expr:
    """Parse one scalar expression.

    >>> expression("sin^2(x) + cos²x")
    sin(x)**2 + cos(x)**2
    """
    _check_size(text)
    if not text.strip():
        raise FormulaError("empty formula", text, 0)
    return _parse(text, declared, "sum")


def _split_top_level(text: str, sep: str = ",") -> list[tuple[int, str]]:
    """Split on ``sep`` outside brackets, keeping each part's offset."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == sep and depth == 0:
            parts.append((start, text[start:i]))
            start = i + 1
    parts.append((start, text[start:]))
    return parts


def _vector(text: str, declared: frozenset[str]) -> tuple[sp.Expr, ...]:
    stripped = text.strip()
    open_at = text.index("[")
    if not stripped.endswith("]"):
        _fail("a vector must end with ']'", text, len(text.rstrip()))
    inner_start, inner_end = open_at + 1, text.rindex("]")
    exprs = []
    for offset, part in _split_top_level(text[inner_start:inner_end]):
        if not part.strip():
            _fail("empty vector component", text, inner_start + offset)
        exprs.append(_parse_part(text, inner_start + offset, part, declared))
    return tuple(exprs)


def _parse_part(text: str, offset: int, part: str, declared: frozenset[str]) -> sp.Expr:
    """Parse ``part``, found at ``offset`` in ``text``; an error points into the whole ``text``."""
    try:
        # Parse the part in place so that error columns match the whole text.
        return _parse(" " * offset + part, declared, "sum")
    except FormulaError as err:
        err.text = text
        raise


def check_names(names: list[str], option: str) -> list[str]:
    """Validate variable names given on the command line (``--wrt``)."""
    out = []
    for raw in names:
        name = "".join(GREEK_CHARS.get(c, c) for c in raw.strip())
        if not _IDENTIFIER.fullmatch(name):
            raise UsageError(f"{option}: {raw!r} is not a variable name")
        if name in FUNCTIONS and name not in FUNCTION_OR_VARIABLE or name in CONSTANTS:
            raise UsageError(f"{option}: {raw!r} is a function or constant, not a variable")
        if name in out:
            raise UsageError(f"{option}: {raw!r} is given twice")
        out.append(name)
    return out


def formula(text: str, wrt: list[str] | None = None, declare: list[str] | None = None) -> Formula:
    """Parse a formula (scalar or ``[f1, f2, ...]``) and fix its variable order.

    Without ``wrt`` the variables are the formula's symbols in natural
    alphabetical order; with it, exactly the names given, in that order.
    ``declare`` names more variables (kept whole, as in ``--wrt``) without
    fixing the order: ``diff --wrt rate`` differentiates by one of them.

    >>> formula("[u^2 - v^2, 2u v]").variables
    (u, v)
    >>> formula("rate^2 x", declare=["rate", "z"]).variables
    (rate, x, z)
    """
    _check_size(text)
    names = check_names(wrt, "--wrt") if wrt else []
    extra = check_names(declare, "--wrt") if declare else []
    declared = frozenset(names) | frozenset(extra)
    if not text.strip():
        raise FormulaError("empty formula", text, 0)
    if text.lstrip().startswith("["):
        exprs, is_vector = _vector(text, declared), True
    else:
        exprs, is_vector = (_parse(text, declared, "sum"),), False
    for e in exprs:
        if not isinstance(e, sp.Expr):
            raise FormulaError("this is not a formula with a value", text, 0)
    free = set().union(*(e.free_symbols for e in exprs)) | {symbol(n) for n in extra}
    if len(free | set(names)) > limits.MAX_VARIABLES:
        raise InputLimitError(f"formula has more than {limits.MAX_VARIABLES} variables")
    if names:
        variables = tuple(symbol(n) for n in names)
    else:
        variables = tuple(sorted(free, key=lambda s: natural_key(s.name)))  # type: ignore[arg-type]
    return Formula(text, exprs, is_vector, variables)  # type: ignore[arg-type]


def equation(text: str, declared: frozenset[str] = frozenset()) -> sp.Expr:
    """Parse ``lhs = rhs`` (or a bare ``g``, meaning ``g = 0``) as ``lhs - rhs``.

    >>> equation("x^2 + y^2 = 1")
    x**2 + y**2 - 1
    """
    _check_size(text)
    parts = _split_top_level(text, "=")
    if len(parts) > 2:
        _fail("an equation has one '='", text, parts[2][0] - 1)
    lhs = _parse_part(text, 0, parts[0][1], declared) if parts[0][1].strip() else None
    if lhs is None:
        raise FormulaError("empty left-hand side", text, 0)
    if len(parts) == 1:
        return lhs
    offset, right = parts[1]
    if not right.strip():
        raise FormulaError("empty right-hand side", text, offset)
    return lhs - _parse_part(text, offset, right, declared)


def numbers(text: str, option: str) -> list[sp.Expr]:
    """A comma-separated list of constant expressions, e.g. ``--dir 1,1,sqrt(2)``."""
    values = []
    for offset, part in _split_top_level(text):
        if not part.strip():
            raise UsageError(f"{option}: empty coordinate in {text!r}")
        value = _parse_part(text, offset, part, frozenset())
        _require_constant(value, option, part)
        values.append(value)
    return values


def _require_constant(value: sp.Expr, option: str, part: str) -> None:
    if value.free_symbols:
        raise UsageError(f"{option}: {part.strip()!r} is not a number")
    if value.has(sp.oo, -sp.oo, sp.zoo, sp.nan):
        raise UsageError(f"{option}: {part.strip()!r} is not a finite number")
    if value.has(sp.I):
        raise UsageError(f"{option}: {part.strip()!r} is not real (variables are real)")


def point(text: str | None, f: Formula, option: str = "--at") -> dict[sp.Symbol, sp.Expr] | None:
    """Read ``x=1,y=2`` or ``1,2`` (in variable order); values may be expressions.

    Named coordinates may also set parameters (symbols that are not variables).
    """
    if text is None:
        return None
    parts = _split_top_level(text)
    named = [p for p in parts if "=" in p[1]]
    out: dict[sp.Symbol, sp.Expr] = {}
    if named and len(named) != len(parts):
        raise UsageError(f"{option}: mix of named and plain coordinates in {text!r}")
    if named:
        known = {s.name: s for s in (*f.variables, *f.parameters)}
        for offset, part in parts:
            name, _, value_text = part.partition("=")
            name = "".join(GREEK_CHARS.get(c, c) for c in name.strip())
            if name not in known:
                raise UsageError(
                    f"{option}: {name!r} is not a variable of this formula "
                    f"(variables: {', '.join(s.name for s in f.variables) or 'none'})"
                )
            if known[name] in out:
                raise UsageError(f"{option}: {name!r} is given twice")
            value = _parse_part(text, offset + len(part) - len(value_text), value_text, frozenset())
            _require_constant(value, option, value_text)
            out[known[name]] = value
        missing = [v.name for v in f.variables if v not in out]
        if missing:
            raise UsageError(f"{option}: no value for {', '.join(missing)}")
        return out
    values = numbers(text, option)
    if len(values) != len(f.variables):
        raise UsageError(
            f"{option}: the point has {len(values)} coordinate{'s' * (len(values) != 1)} "
            f"but the formula has {len(f.variables)} variable{'s' * (len(f.variables) != 1)} "
            f"({', '.join(v.name for v in f.variables) or 'none'})"
        )
    return dict(zip(f.variables, values, strict=True))


def bound(text: str, option: str = "--bound", declared: frozenset[str] = frozenset()) -> tuple[sp.Symbol, sp.Expr, sp.Expr]:
    """``x=0..1`` or ``y=-sqrt(4-x^2)..sqrt(4-x^2)``: a variable and its limits.

    Limits may be expressions in other variables and may be infinite (``oo``).

    >>> bound("y=-sqrt(1-x^2)..sqrt(1-x^2)")
    (y, -sqrt(1 - x**2), sqrt(1 - x**2))
    """
    _check_size(text)
    name, eq, span = text.partition("=")
    if not eq or ".." not in span:
        raise UsageError(f"{option}: write a range as name=low..high, e.g. x=0..1 (got {text.strip()!r})")
    var = symbol(check_names([name], option)[0])
    low_at = len(name) + 1
    low_text, _, high_text = span.partition("..")
    limits_ = []
    for offset, part in ((low_at, low_text), (low_at + len(low_text) + 2, high_text)):
        if not part.strip():
            raise FormulaError("empty limit", text, offset)
        value = _parse_part(text, offset, part, declared | {var.name})
        if value.has(sp.zoo, sp.nan) or value.has(sp.I):
            raise UsageError(f"{option}: {part.strip()!r} is not a real limit")
        limits_.append(value)
    low, high = limits_
    if low == high and low in (sp.oo, -sp.oo):
        raise UsageError(f"{option}: the range for {var.name} is empty ({low}..{high})")
    return var, low, high


def region(text: str | None, f: Formula, option: str = "--in") -> dict[sp.Symbol, tuple[sp.Expr, sp.Expr]] | None:
    """A box ``x=-2..2,y=0..pi`` (bounds may be expressions), one range per variable.

    >>> region("x=-1..1, y=0..pi", formula("x y"))
    {x: (-1, 1), y: (0, pi)}
    """
    if text is None:
        return None
    known = {v.name: v for v in f.variables}
    out: dict[sp.Symbol, tuple[sp.Expr, sp.Expr]] = {}
    for _, part in _split_top_level(text):
        name, eq, span = part.partition("=")
        name = "".join(GREEK_CHARS.get(c, c) for c in name.strip())
        if not eq or ".." not in span:
            raise UsageError(f"{option}: write each range as name=low..high, e.g. x=-2..2 (got {part.strip()!r})")
        if name not in known:
            raise UsageError(f"{option}: {name!r} is not a variable (variables: {', '.join(known) or 'none'})")
        low_text, _, high_text = span.partition("..")
        bounds = []
        for bound in (low_text, high_text):
            value = _parse(bound, frozenset(), "sum")
            _require_constant(value, option, bound)
            bounds.append(value)
        low, high = bounds
        if not bool(low < high):
            raise UsageError(f"{option}: the range for {name} is empty ({low} .. {high})")
        if known[name] in out:
            raise UsageError(f"{option}: {name!r} is given twice")
        out[known[name]] = (low, high)
    missing = [v.name for v in f.variables if v not in out]
    if missing:
        raise UsageError(f"{option}: no range for {', '.join(missing)}")
    return out
