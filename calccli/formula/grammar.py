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
    FUNCTION_OR_VARIABLE,
    FUNCTIONS,
    GREEK_CHARS,
    INVERSES,
    READ_CONSTANTS,
)

# --------------------------------------------------------------------------- parser

_STARTS_OPERAND = frozenset({"NUM", "VAR", "CONST", "FUNC"})
_PREFIX_OPS = frozenset({"(", "{", "√", "∛", "∜", "|", "\\frac", "\\sqrt"})
_CLOSING = {"(": ")", "{": "}"}
_COMPARISONS: dict[str, Callable[[sp.Expr, sp.Expr], sp.Basic]] = {
    "<": sp.Lt,
    "<=": sp.Le,
    ">": sp.Gt,
    ">=": sp.Ge,
    "=": sp.Eq,
    "!=": sp.Ne,
}


class _Parser:
    def __init__(self, text: str, tokens: list[Token], declared: frozenset[str] = frozenset()) -> None:
        self.text = text
        self.declared = declared
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
                typed = self.text[opened.pos] if self.text[opened.pos] in "({[" else opened.value
                fail(f"unclosed {typed!r}", self.text, opened.pos)
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
    def at_keyword(self, word: str) -> bool:
        return self.tok.kind == "KW" and self.tok.value == word

    def conditional(self) -> sp.Expr:
        """conditional := sum ('if' condition ('else' sum)?)*  -- a Piecewise, read left to right.

        ``a if c else b`` is a where c holds and b elsewhere; ``a if c`` alone is undefined
        where c fails; ``a if c1 else b if c2 else d`` chains.
        """
        value = self.sum()
        if not self.at_keyword("if"):
            return value
        start = self.tok.pos
        pairs: list[tuple[sp.Expr, sp.Basic]] = []
        while self.at_keyword("if"):
            self.advance()
            self.enter(start)
            pairs.append((value, self.condition()))
            self.leave()
            if not self.at_keyword("else"):
                return self.build(sp.Piecewise, *pairs, pos=start)
            self.advance()
            value = self.sum()
        pairs.append((value, sp.true))
        return self.build(sp.Piecewise, *pairs, pos=start)

    def condition(self) -> sp.Basic:
        """condition := conjunction ('or' conjunction)*."""
        parts = [self.conjunction()]
        while self.at_keyword("or"):
            self.advance()
            parts.append(self.conjunction())
        return parts[0] if len(parts) == 1 else self.build(sp.Or, *parts, pos=0)

    def conjunction(self) -> sp.Basic:
        """conjunction := negation ('and' negation)*."""
        parts = [self.negation()]
        while self.at_keyword("and"):
            self.advance()
            parts.append(self.negation())
        return parts[0] if len(parts) == 1 else self.build(sp.And, *parts, pos=0)

    def negation(self) -> sp.Basic:
        """negation := 'not' negation | '(' condition ')' | comparison."""
        if self.at_keyword("not"):
            t = self.advance()
            return self.build(sp.Not, self.negation(), pos=t.pos)
        if self.at("("):
            saved = (self.i, self.depth, self.bars)
            try:
                opened = self.advance()
                self.enter(opened.pos)
                inner = self.condition()
                self.leave()
                self.expect(")", opened)
                if not self.at_comparison():
                    return inner
            except FormulaError:
                pass
            self.i, self.depth, self.bars = saved
            tuple_ = self.tuple_comparison()
            if tuple_ is not None:
                return tuple_
        return self.comparison()

    def at_comparison(self) -> bool:
        return self.tok.kind == "OP" and self.tok.value in _COMPARISONS

    def comparison(self) -> sp.Basic:
        """comparison := sum (('<'|'<='|'>'|'>='|'='|'!=') sum)+  -- a chain 0 < x < 1 is an 'and'."""
        left = self.sum()
        if not self.at_comparison():
            self.unexpected("expected a comparison: < <= > >= = !=")
        parts = []
        while self.at_comparison():
            t = self.advance()
            right = self.sum()
            parts.append(self.build(_COMPARISONS[t.value], left, right, pos=t.pos))
            left = right
        return parts[0] if len(parts) == 1 else self.build(sp.And, *parts, pos=0)

    def tuple_comparison(self) -> sp.Basic | None:
        """``(x, y) != (0, 0)``: componentwise; None (nothing read) unless a tuple starts here."""
        saved = (self.i, self.depth, self.bars)
        try:
            left = self.tuple_()
        except FormulaError:
            left = None
        if left is None:
            self.i, self.depth, self.bars = saved
            return None
        t = self.tok
        if not (self.at("=") or self.at("!=")):
            self.unexpected("a tuple (a, b) compares with = or != to another tuple")
        self.advance()
        right = self.tuple_()
        if right is None or len(right) != len(left):
            fail(f"compare {len(left)} values with {len(left)} values, as in (x, y) != (0, 0)", self.text, t.pos)
        if t.value == "=":
            return self.build(sp.And, *(sp.Eq(a, b) for a, b in zip(left, right, strict=True)), pos=t.pos)
        return self.build(sp.Or, *(sp.Ne(a, b) for a, b in zip(left, right, strict=True)), pos=t.pos)

    def tuple_(self) -> list[sp.Expr] | None:
        if not self.at("("):
            return None
        opened = self.advance()
        values = [self.sum()]
        while self.at(","):
            self.advance()
            values.append(self.sum())
        self.expect(")", opened)
        return values if len(values) > 1 else None

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
            if self.tok.value == "T" == self.text[self.tok.pos] and self.tok.kind == "VAR" and "T" not in self.declared:
                fail(
                    "^T reads as the power T, not a transpose; vectors and matrices (x^T A x) are for the "
                    "matrix calculus command (calccli matdiff, coming); for the power write ^(T)",
                    self.text,
                    self.tok.pos,
                )
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
            return CONSTANT_VALUES[READ_CONSTANTS[t.value]]
        if t.kind == "FUNC":
            return self.call()
        if t.kind == "OP":
            if t.value in _CLOSING:
                self.advance()
                self.enter(t.pos)
                value = self.conditional()
                self.leave()
                self.expect(_CLOSING[t.value], t)
                return value
            if t.value == "\\frac":
                return self.fraction()
            if t.value == "\\sqrt":
                return self.latex_root()
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
            if t.value == "⟨":
                fail("a vector ⟨..⟩ is a point or direction (--at, --dir), not part of a formula", self.text, t.pos)
        if t.kind == "KW":
            self.unexpected(f"'{t.value}' belongs to a piecewise formula: f if x > 0 else g")
        if self.at_comparison():
            self.unexpected("a comparison belongs in a condition: f if x > 0 else g")
        self.unexpected()

    def group(self, what: str) -> sp.Expr:
        """A LaTeX argument ``{...}`` (or a parenthesis, or one plain token)."""
        t = self.tok
        if (t.kind == "OP" and t.value in _CLOSING) or t.kind in ("NUM", "VAR", "CONST"):
            return self.primary()
        self.unexpected(f"{what} needs an argument in braces, as in {{x}}")

    def fraction(self) -> sp.Expr:
        """``\\frac{a}{b}`` (also ``\\dfrac`` and ``\\tfrac``) is a/b; ``\\frac{d}{dx}`` is refused."""
        t = self.advance()
        self.enter(t.pos)
        numerator = self.group("\\frac")
        after = self.tokens[min(self.i + 1, len(self.tokens) - 1)]
        if numerator == symbol("d") and self.tok.kind == "OP" and after.kind == "VAR" and after.value == "d":
            fail("d/dx is a derivative, not a formula: use 'calccli diff' on the function", self.text, t.pos)
        denominator = self.group("\\frac")
        self.leave()
        return self.build(lambda a, b: a / b, numerator, denominator, pos=t.pos)

    def latex_root(self) -> sp.Expr:
        """``\\sqrt{x}`` and ``\\sqrt[n]{x}``: a real root (odd n as on paper)."""
        t = self.advance()
        self.enter(t.pos)
        index: sp.Expr = sp.Integer(2)
        if self.at("["):
            opened = self.advance()
            index = self.sum()
            self.expect("]", opened)
        radicand = self.group("\\sqrt")
        self.leave()
        return self.build(real_root, radicand, index, pos=t.pos)

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
        if self.tok.kind == "OP" and self.tok.value in _CLOSING:
            opened = self.advance()
            args = [self.conditional()]
            while self.at(","):
                self.advance()
                args.append(self.conditional())
            self.expect(_CLOSING[opened.value], opened)
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
        parenthesised = self.at("(") or self.at("{")
        close = ")" if self.at("(") else "}"
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
            self.expect(close)
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


def parse_rule(text: str, declared: frozenset[str], rule: str = "conditional") -> sp.Expr:
    parser = _Parser(text, tokenize(text, declared), declared)
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
        if parser.at_comparison():
            parser.unexpected("a comparison belongs in a condition: f if x > 0 else g")
        if parser.tok.kind == "KW":
            parser.unexpected(f"'{parser.tok.value}' belongs to a piecewise formula: f if x > 0 else g")
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
    return parse_rule(text, declared)


def split_top_level(text: str, sep: str = ",") -> list[tuple[int, str]]:
    """Split on ``sep`` outside brackets, keeping each part's offset.

    An ``=`` that is part of ``<=``, ``>=``, ``!=`` or ``==`` does not split.

    >>> split_top_level("f(x, y) = x if x <= y else y", "=")
    [(0, 'f(x, y) '), (9, ' x if x <= y else y')]
    """
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "([{⟨":
            depth += 1
        elif ch in ")]}⟩":
            depth -= 1
        elif ch == sep and depth == 0:
            if sep == "=" and (text[i - 1 : i] in ("<", ">", "!", "=") or text[i + 1 : i + 2] == "="):
                continue
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
        return parse_rule(" " * offset + part, declared)
    except FormulaError as err:
        err.text = text
        raise


# Constants that cannot be variables; naming E, e or I in --wrt makes it one (E is then not Euler's number).
_NOT_VARIABLES = frozenset({"oo", "inf", "infinity", "zoo", "nan", "pi"})


def check_names(names: list[str], option: str) -> list[str]:
    """Validate variable names given on the command line (``--wrt``).

    A constant's letter (``E``, ``e``, ``I``) named here becomes a variable: the user wants one.
    """
    out = []
    for raw in names:
        name = "".join(GREEK_CHARS.get(c, c) for c in raw.strip())
        if not IDENTIFIER.fullmatch(name):
            raise UsageError(f"{option}: {raw!r} is not a variable name")
        if name in FUNCTIONS and name not in FUNCTION_OR_VARIABLE or name in _NOT_VARIABLES:
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

    A definition ``f(x, y) = ...`` (or ``f = ...``) is its right side; its left side gives the
    variable order (and keeps its names whole) unless ``wrt`` is given:

    >>> f = formula("f(y, x) = 3x^2 y")
    >>> f.expr, f.variables
    (3*x**2*y, (y, x))
    """
    check_size(text)
    names = check_names(wrt, "--wrt") if wrt else []
    extra = check_names(declare, "--wrt") if declare else []
    if not text.strip():
        raise FormulaError("empty formula", text, 0)
    body, defined = text, None
    if (found := definition(text)) is not None:
        name, arguments, offset = found
        body = " " * offset + text[offset:]
        if arguments is not None:
            defined = check_names(arguments, f"the arguments of {name}(...)")
            names = names or defined
            extra = [*extra, *(n for n in defined if n not in extra)]
    declared = frozenset(names) | frozenset(extra)
    try:
        if body.lstrip().startswith("["):
            exprs, is_vector = _vector(body, declared), True
        else:
            exprs, is_vector = (parse_rule(body, declared),), False
    except FormulaError as err:
        err.text = text
        raise
    if found is not None and any(symbol(found[0]) in e.free_symbols for e in exprs):
        raise FormulaError(f"{found[0]} is defined in terms of itself", text, 0)
    for e in exprs:
        if not isinstance(e, sp.Expr):
            raise FormulaError("this is not a formula with a value", text, 0)
    free = set().union(*(e.free_symbols for e in exprs)) | {symbol(n) for n in extra}
    if len(free | {symbol(n) for n in names}) > limits.MAX_VARIABLES:  # names are strings: as symbols
        raise InputLimitError(f"formula has more than {limits.MAX_VARIABLES} variables")
    if names:
        variables = tuple(symbol(n) for n in names)
    else:
        variables = tuple(sorted(free, key=lambda s: natural_key(s.name)))  # type: ignore[arg-type]
    return Formula(text, exprs, is_vector, variables)  # type: ignore[arg-type]


_DEFINED = re.compile(r"\s*([A-Za-z][A-Za-z0-9_]*)\s*(?:\(([^()]*)\))?\s*")


def definition(text: str) -> tuple[str, list[str] | None, int] | None:
    """``f(x, y) = rhs`` or ``f = rhs``: the name, the arguments (None for ``f =``), where rhs starts.

    Anything else (``x^2 + y^2 = 1``, ``sin(x) = 0``, no ``=``) is not a definition: None.

    >>> definition("f(x, y) = x y"), definition("g = 2x"), definition("x^2 = 1")
    (('f', ['x', 'y'], 9), ('g', None, 3), None)
    """
    parts = split_top_level(text, "=")
    if len(parts) != 2 or not (m := _DEFINED.fullmatch(parts[0][1])):
        return None
    name, arguments = m.group(1), m.group(2)
    if name in FUNCTIONS and name not in FUNCTION_OR_VARIABLE:
        return None
    if arguments is None:
        return name, None, parts[1][0]
    return name, [a.strip() for a in arguments.split(",")], parts[1][0]


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
        return _finite_equation(lhs, text)
    offset, right = parts[1]
    if not right.strip():
        raise FormulaError("empty right-hand side", text, offset)
    return _finite_equation(lhs - parse_part(text, offset, right, declared), text)


def _finite_equation(g: sp.Expr, text: str) -> sp.Expr:
    """An equation's ``lhs - rhs``, refusing infinite, undefined and imaginary parts (``x = zoo``)."""
    if g.has(sp.oo, -sp.oo, sp.zoo, sp.nan):
        raise UsageError(f"the equation {text.strip()!r} has an infinite or undefined part")
    if g.has(sp.I):
        raise UsageError(f"the equation {text.strip()!r} is not real (variables are real)")
    return g
