"""calccli's formula language: text in, SymPy out, with no ``eval`` anywhere.

A hand-written lexer and precedence-climbing parser build SymPy objects
directly.  Names resolve through the allow-list in :mod:`calccli.formula.names`; a
user's string never becomes Python code or a Python identifier we look up.

>>> str(formula("x^2 y + sin(y)").expr)
'x**2*y + sin(y)'
>>> str(formula("4xy").expr)
'4*x*y'
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import NoReturn

import sympy as sp

from calccli import limits
from calccli.errors import FormulaError, InputLimitError, UsageError
from calccli.formula.build import (
    BUILDERS,
    CONSTANT_VALUES,
    checked_power,
    factorial,
    guard_product,
    guard_sum,
    number,
    real_root,
    symbol,
)
from calccli.formula.lexer import IDENTIFIER, Token, fail, tokenize
from calccli.formula.names import (
    CONSTANTS,
    FUNCTION_OR_VARIABLE,
    FUNCTIONS,
    GREEK_CHARS,
    INVERSES,
)

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
                fail(f"unclosed {opened.value!r}", self.text, opened.pos)
            self.unexpected(f"expected {value!r}")
        return self.advance()

    def unexpected(self, hint: str = "") -> NoReturn:
        t = self.tok
        what = "end of formula" if t.kind == "END" else repr(t.value)
        fail(f"unexpected {what}" + (f" ({hint})" if hint else ""), self.text, t.pos)

    def enter(self, pos: int) -> None:
        self.depth += 1
        if self.depth > limits.MAX_DEPTH:
            raise InputLimitError(f"formula nests deeper than {limits.MAX_DEPTH} levels (at column {pos + 1})")

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
            fail(f"cannot build this: {type(exc).__name__}", self.text, pos)

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
        guard_sum(terms)
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
                    fail("two numbers in a row; missing operator?", self.text, t.pos)
                factors.append(self.power())
            else:
                break
        if len(factors) == 1:
            return factors[0]
        guard_product(factors)
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
            return self.build(checked_power, base, exponent, pos=t.pos)
        if t.kind == "SUP":
            self.advance()
            return self.build(checked_power, base, self.superscript(t), pos=t.pos)
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
            raise InputLimitError(f"superscript at column {t.pos + 1} has more than {limits.MAX_LITERAL_DIGITS} digits")
        try:
            return sp.Integer(int(t.value))
        except ValueError:
            fail(f"malformed superscript {t.value!r}", self.text, t.pos)

    def postfix(self) -> sp.Expr:
        """postfix := primary '!'*  -- each '!' nests one level (x!!! is a deep tree)."""
        value = self.primary()
        depth = self.depth
        while self.at("!"):
            t = self.advance()
            self.enter(t.pos)
            value = self.build(factorial, value, pos=t.pos)
        self.depth = depth
        return value

    def primary(self) -> sp.Expr:
        t = self.tok
        if t.kind == "NUM":
            self.advance()
            return number(t.value, self.text, t.pos)
        if t.kind == "VAR":
            self.advance()
            return symbol(t.value)
        if t.kind == "CONST":
            self.advance()
            return CONSTANT_VALUES[CONSTANTS[t.value]]
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
                        fail("unclosed '|'", self.text, t.pos)
                    self.unexpected("expected '|'")
                self.advance()
                return self.build(sp.Abs, value, pos=t.pos)
            if t.value in ("√", "∛", "∜"):
                self.advance()
                self.enter(t.pos)
                radicand = self.power()
                self.leave()
                index = {"√": 2, "∛": 3, "∜": 4}[t.value]
                return self.build(real_root, radicand, sp.Integer(index), pos=t.pos)
            if t.value == "[":
                fail("a vector [..] must be the whole formula", self.text, t.pos)
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
                    fail(f"{name}^-1 has no inverse function here", self.text, t.pos)
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
            fail(f"{name} takes {want} argument{'s' if want != '1' else ''}, got {len(args)}", self.text, t.pos)
        value = self.build(BUILDERS[name], *args, pos=t.pos)
        return value if exponent is None else self.build(checked_power, value, exponent, pos=t.pos)

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
            fail("a function power must be a whole number, as in sin^2(x)", self.text, n.pos)
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
        guard_product(factors)
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
                "this command needs a scalar formula, not a vector (for a vector function use 'calccli jacobian')"
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


def check_size(text: str) -> None:
    if len(text) > limits.MAX_FORMULA_CHARS:
        raise InputLimitError(f"formula has {len(text):,} characters; the limit is {limits.MAX_FORMULA_CHARS:,}")


def parse_rule(text: str, declared: frozenset[str], rule: str) -> sp.Expr:
    parser = _Parser(text, tokenize(text, declared))
    try:
        value = getattr(parser, rule)()
    except RecursionError:
        raise InputLimitError("formula is too deeply nested") from None
    if parser.tok.kind != "END":
        if parser.at(")"):
            fail("unmatched ')'", text, parser.tok.pos)
        if parser.at(","):
            fail("unexpected ',' (a vector is written [f1, f2])", text, parser.tok.pos)
        if parser.at("="):
            fail("unexpected '=' (only --subject-to takes equations)", text, parser.tok.pos)
        parser.unexpected()
    return value


def expression(text: str, declared: frozenset[str] = frozenset()) -> sp.Expr:
    """Parse one scalar expression.

    >>> expression("sin^2(x) + cos²x")
    sin(x)**2 + cos(x)**2
    """
    check_size(text)
    if not text.strip():
        raise FormulaError("empty formula", text, 0)
    return parse_rule(text, declared, "sum")


def split_top_level(text: str, sep: str = ",") -> list[tuple[int, str]]:
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
        fail("a vector must end with ']'", text, len(text.rstrip()))
    inner_start, inner_end = open_at + 1, text.rindex("]")
    exprs = []
    for offset, part in split_top_level(text[inner_start:inner_end]):
        if not part.strip():
            fail("empty vector component", text, inner_start + offset)
        exprs.append(parse_part(text, inner_start + offset, part, declared))
    return tuple(exprs)


def parse_part(text: str, offset: int, part: str, declared: frozenset[str]) -> sp.Expr:
    """Parse ``part``, found at ``offset`` in ``text``; an error points into the whole ``text``."""
    try:
        # Parse the part in place so that error columns match the whole text.
        return parse_rule(" " * offset + part, declared, "sum")
    except FormulaError as err:
        err.text = text
        raise


def check_names(names: list[str], option: str) -> list[str]:
    """Validate variable names given on the command line (``--wrt``)."""
    out = []
    for raw in names:
        name = "".join(GREEK_CHARS.get(c, c) for c in raw.strip())
        if not IDENTIFIER.fullmatch(name):
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
    check_size(text)
    names = check_names(wrt, "--wrt") if wrt else []
    extra = check_names(declare, "--wrt") if declare else []
    declared = frozenset(names) | frozenset(extra)
    if not text.strip():
        raise FormulaError("empty formula", text, 0)
    if text.lstrip().startswith("["):
        exprs, is_vector = _vector(text, declared), True
    else:
        exprs, is_vector = (parse_rule(text, declared, "sum"),), False
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
    check_size(text)
    parts = split_top_level(text, "=")
    if len(parts) > 2:
        fail("an equation has one '='", text, parts[2][0] - 1)
    lhs = parse_part(text, 0, parts[0][1], declared) if parts[0][1].strip() else None
    if lhs is None:
        raise FormulaError("empty left-hand side", text, 0)
    if len(parts) == 1:
        return lhs
    offset, right = parts[1]
    if not right.strip():
        raise FormulaError("empty right-hand side", text, offset)
    return lhs - parse_part(text, offset, right, declared)
