"""The matrix-expression language of ``calccli matdiff``: text -> :mod:`calccli.formula.matrix` tree.

**Names.** A run of letters is split into single letters, ``x'Ax`` is ``x' A x``, unless the whole
run is a function, a name declared in ``shapes`` or a Greek letter's name (``beta x`` is β·x; the
characters ``α β θ λ σ …`` are those names too).  Digits or an underscore subscript after a letter
stay with it: ``x1``, ``W2``, ``w_ij``.

**Shapes, by the convention of matrixcalculus.org.** ``a``-``g`` and the lowercase Greek letters
are scalars, ``h``-``z`` column vectors, ``A``-``Z`` (and the uppercase Greek letters) matrices, and
``I`` is the identity.  A declared shape (``--shape``, :func:`read_shapes`) overrides the
convention: ``beta=1×n`` is a row, ``x=1`` a scalar, ``X=n`` a vector.  The dimensions are inferred:
every vector has its own length and every matrix its own rows and columns until an operator ties
them (``A x`` makes the columns of ``A`` the length of ``x``; ``+`` and ``.*`` make shapes equal;
``tr``, ``det``, ``inv`` and ``^k`` make a matrix square; ``I`` takes its size from its neighbours;
a scalar scales anything).  Declared dimension names are kept, the others are called ``n``, ``m``,
``p``, ``q``, ``r``, ``k``, ``l``, … in order of first appearance; a dimension never becomes 1 or
another declared dimension by inference, so ``W x + b`` with a scalar ``b`` is an error naming the
sum and both shapes.

**Operators**, loosest first: ``+`` and ``-``; element-wise product ``.*`` (also ``⊙``, ``∘``);
unary minus; product, ``*`` or juxtaposition (``x' A x``, ``2 A``, ``U V``; a number after a factor
needs ``*``), a scalar scales, and ``/`` divides by a scalar; the postfix operators: transpose
``'``, ``ᵀ``, ``^T``, ``^⊤``; inverse ``^-1``, ``⁻¹``; inverse transpose ``^-T``, ``⁻ᵀ``; power ``^k``,
``²`` (a scalar to a number, a square matrix to a whole number); element-wise power ``.^k``, ``∘²``
(``^T`` is the transpose even when ``T`` is declared).  An
exponent is a number, or a fraction in parentheses: ``^(1/2)``, ``^(-1)``.

**Functions**: ``tr`` (``trace``), ``det``, ``logdet`` (log det), ``inv``, ``norm`` (``norm2``,
``‖…‖``: Euclidean for a vector, Frobenius for a matrix), ``sum`` (of the entries), ``diag`` (a
vector as a diagonal matrix) and, entry by entry, ``exp log sin cos tan tanh sinh cosh sqrt
sigmoid`` (``σ(…)`` is sigmoid too, as the Unicode printer writes it).  ``|a|`` is the absolute value of a
scalar.  Numbers are exact: ``0.5`` is 1/2; there are
no named constants (``e`` is a scalar, ``pi`` is p·i).

>>> f = parse("x'Ax")
>>> str(f.expr), [(v.name, v.shape) for v in f.variables], f.dims
("x' A x", [('x', (n, 1)), ('A', (n, n))], (n,))
>>> f = parse("norm(X - U V)^2")
>>> [(v.name, v.shape) for v in f.variables]
[('X', (n, m)), ('U', (n, p)), ('V', (p, m))]
>>> str(parse("beta x", read_shapes("beta=1×n")).expr)
'beta x'
>>> parse("A y", read_shapes("A=n×n,y=m"))
Traceback (most recent call last):
...
calccli.formula.matrix.ShapeError: product: A is n×n and y is m×1
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import NoReturn

import sympy as sp

from calccli import limits
from calccli.errors import ArgumentError, FormulaError, InputLimitError
from calccli.formula import matrix as M
from calccli.formula.matrix import MExpr, Shape, ShapeError, Var
from calccli.formula.names import GREEK, GREEK_CHARS

# --------------------------------------------------------------------------- names

FUNCTIONS: tuple[str, ...] = ("tr", "trace", "det", "logdet", "inv", "norm", "norm2", "sum", "diag", *M.FUNCTIONS)
_GREEK_CHARS = {c: name for c, name in GREEK_CHARS.items() if name != "pi"}  # π is not a name here
_LETTERS = "A-Za-z" + "".join(_GREEK_CHARS)
_RUN = re.compile(rf"[{_LETTERS}][{_LETTERS}0-9_]*")
_SUBSCRIPT = re.compile(r"[0-9]+|_[0-9]+|_[A-Za-z0-9]+")
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?|\.[0-9]+")
_SUPERSCRIPTS = {"⁰": "0", "¹": "1", "²": "2", "³": "3", "⁴": "4", "⁵": "5", "⁶": "6", "⁷": "7", "⁸": "8", "⁹": "9"}
_SUPERSCRIPTS |= {"⁻": "-", "ᵀ": "T"}
_OPERATORS2 = {".*": ".*", ".^": ".^", "**": "^"}
_OPERATORS = {"+": "+", "-": "-", "−": "-", "*": "*", "·": "*", "⋅": "*", "/": "/", "^": "^", "(": "(", ")": ")"}
_OPERATORS |= {"⊙": ".*", "∘": ".*", "'": "'", "′": "'", "’": "'", "⊤": "⊤", "‖": "‖", "|": "|"}
_DIMENSION_NAMES = ("n", "m", "p", "q", "r", "k", "l", "s", "t", "u", "v", "w")
_SHORT = 24  # an operand longer than this is named "the expression" in a shape error


def _greek(text: str) -> str:
    """Greek characters spelled as their names: ``β`` -> ``beta``."""
    return "".join(_GREEK_CHARS.get(c, c) for c in text)


def _convention(name: str) -> str:
    """``scalar``, ``vector`` or ``matrix``, by the name's first letter (see the module docstring)."""
    greek = next((g for g in sorted(GREEK, key=len, reverse=True) if name.startswith(g)), None)
    if greek is not None:
        return "matrix" if greek[0].isupper() else "scalar"
    first = name[0]
    if first.isupper():
        return "matrix"
    return "scalar" if first <= "g" else "vector"


# --------------------------------------------------------------------------- tokens


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # NUM NAME FUNC OP SUP END
    value: str
    pos: int
    end: int  # where the token as typed ends


def _fail(message: str, text: str, pos: int) -> NoReturn:
    raise FormulaError(message, text, pos)


def _tokenize(text: str, declared: frozenset[str]) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    while pos < len(text):
        ch = text[pos]
        if ch.isspace():
            pos += 1
        elif m := _NUMBER.match(text, pos):
            tokens.append(_Token("NUM", m.group(), pos, m.end()))
            pos = m.end()
        elif m := _RUN.match(text, pos):
            tokens += _split_run(m.group(), pos, text, declared, text.startswith("(", m.end()))
            pos = m.end()
        elif ch in _SUPERSCRIPTS or (ch == "∘" and text[pos + 1 : pos + 2] in _SUPERSCRIPTS):
            end = pos + 1
            while end < len(text) and text[end] in _SUPERSCRIPTS:
                end += 1
            tokens.append(_Token("SUP", "".join(_SUPERSCRIPTS.get(c, c) for c in text[pos:end]), pos, end))
            pos = end
        elif text[pos : pos + 2] in _OPERATORS2:
            tokens.append(_Token("OP", _OPERATORS2[text[pos : pos + 2]], pos, pos + 2))
            pos += 2
        elif ch in _OPERATORS:
            tokens.append(_Token("OP", _OPERATORS[ch], pos, pos + 1))
            pos += 1
        else:
            shown = repr(ch) if ch.isprintable() else f"U+{ord(ch):04X}"
            _fail(f"unexpected character {shown}", text, pos)
    tokens.append(_Token("END", "", len(text), len(text)))
    return tokens


def _split_run(run: str, start: int, text: str, declared: frozenset[str], before_paren: bool) -> list[_Token]:
    """A letter run as names: whole when it is a function, declared or Greek; else letter by letter."""
    word, end = _greek(run), start + len(run)
    if word in FUNCTIONS and word not in declared:
        return [_Token("FUNC", word, start, end)]
    if run == "σ" and before_paren and word not in declared:  # σ(z), as the unicode printer writes sigmoid(z)
        return [_Token("FUNC", "sigmoid", start, end)]
    stem = re.sub(r"(?:[0-9]+|_[A-Za-z0-9]+)$", "", word)
    if word in declared or stem in GREEK or stem in declared:
        return [_Token("NAME", word, start, end)]
    if before_paren and len(run) >= 2 and run.isascii() and run.isalpha():
        _fail(f"unknown function {run!r} (the functions are {', '.join(FUNCTIONS)})", text, start)
    pieces: list[_Token] = []
    i = 0
    while i < len(run):
        if run[i] == "_" or run[i].isdigit():
            _fail("unexpected '_' (a subscript follows a letter, as in x_1)", text, start + i)
        name = _GREEK_CHARS.get(run[i], run[i])
        j = i + 1
        if m := _SUBSCRIPT.match(run, j):
            name, j = name + m.group(), m.end()
        pieces.append(_Token("NAME", name, start + i, start + j))
        i = j
    return pieces


# --------------------------------------------------------------------------- the syntax tree


@dataclass(eq=False, slots=True)
class _Node:
    """A node of the syntax tree, before shapes: ``kind`` is one of the branches of :meth:`_Builder.build`."""

    kind: str  # num var eye sum had neg prod post call bars
    start: int
    end: int
    value: object = None  # the number, the variable's name, the function, the bar
    children: list[_Node] = field(default_factory=list)
    ops: list[tuple[str, int, object]] = field(default_factory=list)  # (operator, position, exponent) per step
    shape: tuple[int, int] = (0, 0)  # dimension classes, set by the inference
    first: _Node | None = None  # the first and last matrix factors of a product, for error messages
    last: _Node | None = None


class _Parser:
    def __init__(self, text: str, tokens: list[_Token], vars: _Variables) -> None:
        self.text = text
        self.tokens = tokens
        self.vars = vars
        self.i = 0
        self.depth = 0
        self.open_bars: list[str] = []

    @property
    def tok(self) -> _Token:
        return self.tokens[self.i]

    def at(self, *values: str) -> bool:
        return self.tok.kind == "OP" and self.tok.value in values

    def advance(self) -> _Token:
        t = self.tokens[self.i]
        self.i += 1
        return t

    def unexpected(self, hint: str = "") -> NoReturn:
        t = self.tok
        what = "end of formula" if t.kind == "END" else repr(self.text[t.pos : t.end])
        _fail(f"unexpected {what}" + (f" ({hint})" if hint else ""), self.text, t.pos)

    def enter(self, pos: int) -> None:
        self.depth += 1
        if self.depth > limits.MAX_DEPTH:
            raise InputLimitError(f"formula nests deeper than {limits.MAX_DEPTH} levels (at column {pos + 1})")

    def close(self, opener: _Token, closing: str) -> None:
        if self.at(closing):
            self.advance()
            return
        if self.tok.kind == "END":
            _fail(f"unclosed {self.text[opener.pos]!r}", self.text, opener.pos)
        self.unexpected(f"expected {closing!r}")

    def whole(self) -> _Node:
        if self.tok.kind == "END":
            _fail("empty formula", self.text, 0)
        node = self.sum()
        if self.tok.kind != "END":
            if self.at(")"):
                _fail("unmatched ')'", self.text, self.tok.pos)
            self.unexpected()
        return node

    def _chain(self, kind: str, operators: tuple[str, ...], operand: Callable[[], _Node]) -> _Node:
        first = operand()
        node = _Node(kind, first.start, first.end, children=[first], ops=[("+", first.start, None)])
        while self.at(*operators):
            op = self.advance()
            node.children.append(operand())
            node.ops.append((op.value, op.pos, None))
        node.end = node.children[-1].end
        return first if len(node.children) == 1 else node

    def sum(self) -> _Node:
        return self._chain("sum", ("+", "-"), self.hadamard)

    def hadamard(self) -> _Node:
        return self._chain("had", (".*",), self.unary)

    def unary(self) -> _Node:
        if self.at("-", "+"):
            op = self.advance()
            self.enter(op.pos)
            inner = self.unary()
            self.depth -= 1
            return inner if op.value == "+" else _Node("neg", op.pos, inner.end, children=[inner])
        return self.product()

    def product(self) -> _Node:
        first = self.postfix()
        node = _Node("prod", first.start, first.end, children=[first], ops=[("*", first.start, None)])
        while True:
            if self.at("*", "/"):
                op = self.advance()
                node.children.append(self.factor())
                node.ops.append((op.value, op.pos, None))
            elif self.starts_atom():
                factor = self.postfix()
                node.children.append(factor)
                node.ops.append(("*", factor.start, None))
            elif self.tok.kind == "NUM":
                self.unexpected("write * before a number that follows a factor")
            else:
                break
        node.end = node.children[-1].end
        return first if len(node.children) == 1 else node

    def factor(self) -> _Node:
        """The operand after ``*`` or ``/``: ``2 * -x`` is allowed."""
        if self.at("-", "+"):
            op = self.advance()
            self.enter(op.pos)
            inner = self.factor()
            self.depth -= 1
            return inner if op.value == "+" else _Node("neg", op.pos, inner.end, children=[inner])
        return self.postfix()

    def starts_atom(self) -> bool:
        t = self.tok
        if t.kind in ("NAME", "FUNC"):
            return True
        return self.at("(") or (self.at("‖", "|") and t.value not in self.open_bars)

    def postfix(self) -> _Node:
        node = self.atom()
        post = _Node("post", node.start, node.end, children=[node])
        while True:
            t = self.tok
            if self.at("'"):
                post.ops.append(("T", self.advance().pos, None))
            elif t.kind == "SUP":
                self.advance()
                post.ops += self.superscript(t)
            elif self.at("^", ".^"):
                self.advance()
                post.ops.append(self.exponent(t))
            else:
                break
            post.end = self.tokens[self.i - 1].end
        return post if post.ops else node

    def superscript(self, t: _Token) -> list[tuple[str, int, object]]:
        """``ᵀ``, ``⁻ᵀ``, ``²``, ``⁻¹``, ``∘²`` (element-wise) and runs of them: ``ᵀ²`` is the square of the transpose."""
        if not re.fullmatch(r"(?:-?T|∘?-?[0-9]+)+", t.value):
            _fail(f"cannot read the superscript {self.text[t.pos : t.end]!r}", self.text, t.pos)
        ops: list[tuple[str, int, object]] = []
        for m in re.finditer(r"-?T|(∘?)(-?[0-9]+)", t.value):
            pos = t.pos + m.start()
            if m.group(2) is None:
                ops.append((m.group(), pos, None))
            else:
                ops.append((".^" if m.group(1) else "^", pos, sp.Integer(m.group(2))))
        return ops

    def exponent(self, op: _Token) -> tuple[str, int, object]:
        """After ``^`` or ``.^``: ``T``, ``⊤``, ``-T``, a number, ``-1`` or ``(p/q)``."""
        elementwise = op.value == ".^"
        negative = False
        if self.at("-"):
            self.advance()
            negative = True
        t = self.tok
        if not elementwise and ((t.kind == "NAME" and t.value == "T") or self.at("⊤")):
            self.advance()
            return ("-T" if negative else "T", op.pos, None)
        if t.kind == "NUM":
            value = _number(self.advance())
        elif self.at("(") and not negative:
            opener = self.advance()
            value = self.fraction()
            self.close(opener, ")")
        else:
            self.unexpected(f"an exponent after {op.value!r} is a number, T, -1 or -T")
        return (op.value, op.pos, -value if negative else value)

    def fraction(self) -> sp.Rational:
        sign = -1 if self.at("-") else 1
        if self.at("-"):
            self.advance()
        if self.tok.kind != "NUM":
            self.unexpected("an exponent in parentheses is a number or a fraction such as (1/2)")
        value = _number(self.advance())
        if self.at("/"):
            slash = self.advance()
            if self.tok.kind != "NUM":
                self.unexpected("a fraction's denominator is a number")
            denominator = _number(self.advance())
            if denominator == 0:
                _fail("division by zero", self.text, slash.pos)
            value = value / denominator
        return sign * value

    def atom(self) -> _Node:
        t = self.tok
        if t.kind == "NUM":
            self.advance()
            return _Node("num", t.pos, t.end, _number(t))
        if t.kind == "NAME":
            self.advance()
            if t.value == "I" and "I" not in self.vars.declared:
                return _Node("eye", t.pos, t.end, self.vars.fresh())
            self.vars.use(t.value, t.pos)
            return _Node("var", t.pos, t.end, t.value)
        if t.kind == "FUNC":
            self.advance()
            if not self.at("("):
                self.unexpected(f"{t.value} takes its argument in parentheses: {t.value}(...)")
            return self.group(self.advance(), "call", t)
        if self.at("("):
            self.advance()
            self.enter(t.pos)
            inner = self.sum()
            self.close(t, ")")
            self.depth -= 1
            inner.start, inner.end = t.pos, self.tokens[self.i - 1].end  # an error names "(...)" as typed
            return inner
        if self.at("‖", "|"):
            self.advance()
            self.open_bars.append(t.value)
            node = self.group(t, "bars", t)
            self.open_bars.pop()
            return node
        if self.at("'", "^", ".^") or t.kind == "SUP":
            _fail(f"{self.text[t.pos : t.end]!r} has nothing before it to apply to", self.text, t.pos)
        self.unexpected()

    def group(self, opener: _Token, kind: str, head: _Token) -> _Node:
        """A call ``f(...)`` or bars ``‖...‖``, from after the opener to the closer."""
        self.enter(opener.pos)
        inner = self.sum()
        self.close(opener, ")" if kind == "call" else opener.value)
        self.depth -= 1
        return _Node(kind, head.pos, self.tokens[self.i - 1].end, head.value, [inner])


def _exact(digits: str) -> sp.Rational:
    """A decimal as an exact rational: ``0.5`` -> 1/2."""
    whole, _, fraction = digits.partition(".")
    return sp.Rational(int(whole or "0") * 10 ** len(fraction) + int(fraction or "0"), 10 ** len(fraction))


def _number(t: _Token) -> sp.Rational:
    if len(t.value.replace(".", "")) > limits.MAX_LITERAL_DIGITS:
        raise InputLimitError(f"number at column {t.pos + 1} has more than {limits.MAX_LITERAL_DIGITS:,} digits")
    return _exact(t.value)


# --------------------------------------------------------------------------- dimensions


class _Dims:
    """Union-find over dimension classes; a class may carry a declared name or a number."""

    def __init__(self) -> None:
        self.parent: list[int] = []
        self.value: dict[int, int] = {}
        self.declared: dict[int, str] = {}
        self.by_name: dict[str, int] = {}
        self.one = self.number(1)

    def fresh(self) -> int:
        self.parent.append(len(self.parent))
        return len(self.parent) - 1

    def number(self, k: int) -> int:
        c = self.fresh()
        self.value[c] = k
        return c

    def named(self, name: str) -> int:
        if name not in self.by_name:
            self.by_name[name] = self.fresh()
            self.declared[self.by_name[name]] = name
        return self.by_name[name]

    def find(self, c: int) -> int:
        while self.parent[c] != c:
            self.parent[c] = self.parent[self.parent[c]]
            c = self.parent[c]
        return c

    def is_one(self, c: int) -> bool:
        return self.value.get(self.find(c)) == 1

    def unify(self, a: int, b: int) -> bool:
        """Make two classes one; False if they cannot be (two numbers, two declared names, a 1 or a number
        against a declared name, a 1 against a free dimension)."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        va, vb = self.value.get(ra), self.value.get(rb)
        na, nb = self.declared.get(ra), self.declared.get(rb)
        if va is not None and vb is not None and va != vb:
            return False
        if (va is not None or vb is not None) and (na is not None or nb is not None):
            return False
        if na is not None and nb is not None:
            return False
        if (va == 1) != (vb == 1):
            return False
        root, child = min(ra, rb), max(ra, rb)  # the older class stays the root: first appearance
        self.parent[child] = root
        if child in self.value:
            self.value[root] = self.value.pop(child)
        if child in self.declared:
            self.declared[root] = self.declared.pop(child)
        return True

    def names(self, used: set[str]) -> dict[int, sp.Expr]:
        """Every root as a SymPy dimension: its number, its declared name, or the next free name."""
        taken = used | set(self.by_name)
        candidates = itertools.chain(_DIMENSION_NAMES, (f"n{i}" for i in itertools.count(1)))
        pool = (n for n in candidates if n not in taken)
        out: dict[int, sp.Expr] = {}
        for c in range(len(self.parent)):
            if self.find(c) != c:
                continue
            if c in self.value:
                out[c] = sp.Integer(self.value[c])
            else:
                out[c] = M.dim(self.declared.get(c) or next(pool))
        return out


class _Variables:
    """The names met so far, in order, with their dimension classes."""

    def __init__(self, dims: _Dims, shapes: Mapping[str, Shape]) -> None:
        self.dims = dims
        self.shapes = shapes
        self.declared = frozenset(shapes)
        self.classes: dict[str, tuple[int, int]] = {}
        self.eyes: list[int] = []

    def fresh(self) -> int:
        c = self.dims.fresh()
        self.eyes.append(c)
        return c

    def dimension_names(self) -> dict[int, sp.Expr]:
        """The dimensions named as they stand, avoiding the variables' names."""
        return self.dims.names(set(self.classes) | set(self.shapes))

    def _declared_class(self, d: object) -> int:
        if isinstance(d, int) or isinstance(d, sp.Integer):
            return self.dims.one if int(d) == 1 else self.dims.number(int(d))
        if isinstance(d, sp.Symbol):
            return self.dims.named(d.name)
        raise TypeError(f"a dimension is a symbol or a positive integer, not {d!r}")

    def use(self, name: str, pos: int) -> None:
        if name in self.classes:
            return
        if len(self.classes) >= limits.MAX_VARIABLES:
            raise InputLimitError(f"formula has more than {limits.MAX_VARIABLES} variables (at column {pos + 1})")
        if name in self.shapes:
            rows, cols = self.shapes[name]
            self.classes[name] = (self._declared_class(rows), self._declared_class(cols))
            return
        kind = _convention(name)
        one = self.dims.one
        if kind == "scalar":
            self.classes[name] = (one, one)
        elif kind == "vector":
            self.classes[name] = (self.dims.fresh(), one)
        else:
            self.classes[name] = (self.dims.fresh(), self.dims.fresh())


# --------------------------------------------------------------------------- inference and building


class _Builder:
    """Infers the shapes of a syntax tree (unifying dimensions), names them, and builds the matrix tree."""

    def __init__(self, text: str, vars: _Variables) -> None:
        self.text = text
        self.vars = vars
        self.dims = vars.dims
        self.named: dict[int, sp.Expr] = {}

    # -- inference

    def scalar(self, shape: tuple[int, int]) -> bool:
        return self.dims.is_one(shape[0]) and self.dims.is_one(shape[1])

    def shape_text(self, shape: tuple[int, int]) -> str:
        names = self.vars.dimension_names()
        return M.shape_text((names[self.dims.find(shape[0])], names[self.dims.find(shape[1])]))

    def describe(self, node: _Node) -> str:
        return self.typed(node.start, node.end, node.shape)

    def typed(self, start: int, end: int, shape: tuple[int, int]) -> str:
        """An operand as the message names it: as typed when it is short."""
        typed = " ".join(self.text[start:end].split())
        if len(typed) <= _SHORT:
            return typed
        return "the scalar" if self.scalar(shape) else "the expression"

    def mismatch(self, op: str, a: _Node, b: _Node, pos: int) -> NoReturn:
        raise ShapeError(
            f"{op}: {self.describe(a)} is {self.shape_text(a.shape)} and {self.describe(b)} is "
            f"{self.shape_text(b.shape)}",
            self.text,
            pos,
        )

    def square(self, op: str, shape: tuple[int, int], span: tuple[int, int], pos: int) -> None:
        if not self.scalar(shape) and not self.dims.unify(*shape):
            message = f"{op}: {self.typed(*span, shape)} is {self.shape_text(shape)}, not square"
            raise ShapeError(message, self.text, pos)

    def same(self, op: str, a: _Node, b: _Node, pos: int) -> None:
        if not (self.dims.unify(a.shape[0], b.shape[0]) and self.dims.unify(a.shape[1], b.shape[1])):
            self.mismatch(op, a, b, pos)

    def infer(self, node: _Node) -> tuple[int, int]:
        node.shape = self._infer(node)
        return node.shape

    def _infer(self, node: _Node) -> tuple[int, int]:
        one = self.dims.one
        kind, children = node.kind, node.children
        if kind == "num":
            return (one, one)
        if kind == "var":
            return self.vars.classes[str(node.value)]
        if kind == "eye":
            assert isinstance(node.value, int)
            return (node.value, node.value)
        for child in children:
            self.infer(child)
        if kind == "neg":
            return children[0].shape
        if kind == "sum":
            for (_, pos, _), term in zip(node.ops[1:], children[1:], strict=True):
                self.same("sum", children[0], term, pos)
            return children[0].shape
        if kind == "had":
            return self._infer_hadamard(node)
        if kind == "prod":
            return self._infer_product(node)
        if kind == "post":
            return self._infer_postfix(node)
        if kind == "bars" and node.value == "|" and not self.scalar(children[0].shape):
            message = (
                f"|…|: {self.describe(children[0])} is {self.shape_text(children[0].shape)}; |…| is the absolute "
                "value of a scalar (write norm(…) or ‖…‖ for a norm, det(…) for a determinant)"
            )
            raise ShapeError(message, self.text, node.start)
        if kind == "bars":
            return (one, one)
        return self._infer_call(node)

    def _infer_hadamard(self, node: _Node) -> tuple[int, int]:
        shaped: _Node | None = None
        for (_, pos, _), f in zip(node.ops, node.children, strict=True):
            if self.scalar(f.shape):
                continue
            if shaped is None:
                shaped = f
            else:
                self.same("element-wise product", shaped, f, pos)
        return shaped.shape if shaped is not None else (self.dims.one, self.dims.one)

    def _infer_product(self, node: _Node) -> tuple[int, int]:
        acc: tuple[int, int] = (self.dims.one, self.dims.one)
        for (op, pos, _), f in zip(node.ops, node.children, strict=True):
            if op == "/":
                if not self.scalar(f.shape):
                    message = f"division: {self.describe(f)} is {self.shape_text(f.shape)}; divide only by a scalar"
                    raise ShapeError(message, self.text, pos)
                continue
            if self.scalar(f.shape):
                continue
            first, last = f.first or f, f.last or f
            if self.scalar(acc):
                acc, node.first = f.shape, node.first or first
            elif self.dims.unify(acc[1], f.shape[0]):
                acc = (acc[0], f.shape[1])
            else:
                assert node.last is not None
                self.mismatch("product", node.last, first, pos)
            node.last = last
        return acc

    def _infer_postfix(self, node: _Node) -> tuple[int, int]:
        shape = node.children[0].shape
        for op, pos, exponent in node.ops:
            if op in ("T", "-T"):
                if op == "-T":
                    self.square("inverse", shape, (node.start, pos), pos)
                shape = (shape[1], shape[0])
            elif op == "^" and not self.scalar(shape):
                self.square("inverse" if exponent == -1 else "power", shape, (node.start, pos), pos)
        return shape

    def _infer_call(self, node: _Node) -> tuple[int, int]:
        one = self.dims.one
        arg = node.children[0]
        func = str(node.value)
        if func in ("tr", "trace", "det", "logdet", "inv"):
            op = {"tr": "trace", "trace": "trace", "inv": "inverse"}.get(func, "det")
            self.square(op, arg.shape, (arg.start, arg.end), node.start)
            return arg.shape if func == "inv" else (one, one)
        if func in ("norm", "norm2", "sum"):
            return (one, one)
        if func == "diag":
            rows, cols = arg.shape
            if not self.dims.is_one(cols) or self.dims.is_one(rows):
                message = f"diag: {self.describe(arg)} is {self.shape_text(arg.shape)}; diag takes a vector"
                raise ShapeError(message, self.text, node.start)
            return (rows, rows)
        return arg.shape  # an element-wise function

    # -- building

    def dim(self, c: int) -> sp.Expr:
        return self.named[self.dims.find(c)]

    def variable(self, name: str) -> Var:
        rows, cols = self.vars.classes[name]
        return M.var(name, self.dim(rows), self.dim(cols))

    def at(self, pos: int, make: Callable[[], MExpr]) -> MExpr:
        """Call a constructor; its shape errors point at ``pos``; a constant must come out real and finite."""
        try:
            out = make()
        except ShapeError as exc:
            raise ShapeError(exc.message, self.text, pos) from None
        if isinstance(out, M.Num) and not (out.value.is_real and out.value.is_finite):
            what = "division by zero" if out.value.has(sp.zoo) else f"{out.value} is not a real number"
            _fail(f"{what}", self.text, pos)
        return out

    def power(self, base: MExpr, exponent: sp.Rational, pos: int, elementwise: bool = False) -> MExpr:
        if isinstance(base, M.Num) and isinstance(base.value, sp.Rational) and abs(exponent) > 1:
            size = max(abs(base.value.p), base.value.q)
            if float(abs(exponent)) * len(str(size)) > limits.MAX_NUMBER_DIGITS:
                raise InputLimitError(
                    f"the power at column {pos + 1} has more than {limits.MAX_NUMBER_DIGITS:,} digits"
                )
        make = M.hadamard_power if elementwise else M.power
        return self.at(pos, lambda: make(base, exponent))

    def build(self, node: _Node) -> MExpr:
        kind, children = node.kind, node.children
        if kind == "num":
            return M.num(node.value)
        if kind == "var":
            return self.variable(str(node.value))
        if kind == "eye":
            assert isinstance(node.value, int)
            return M.identity(self.dim(node.value))
        args = [self.build(c) for c in children]
        if kind == "neg":
            return M.neg(args[0])
        if kind == "sum":
            terms = [M.neg(a) if op == "-" else a for (op, _, _), a in zip(node.ops, args, strict=True)]
            return self.at(node.ops[1][1], lambda: M.add(*terms))
        if kind == "had":
            acc = args[0]
            for (_, pos, _), a in zip(node.ops[1:], args[1:], strict=True):
                acc = self.at(pos, functools.partial(M.hadamard, acc, a))
            return acc
        if kind == "prod":
            return self._build_product(node, args)
        if kind == "post":
            return self._build_postfix(node, args[0])
        if kind == "bars":
            return self.at(node.start, lambda: M.norm(args[0]))
        return self.at(node.start, lambda: _CALLS[str(node.value)](args[0]))

    def _build_product(self, node: _Node, args: list[MExpr]) -> MExpr:
        acc = args[0]
        for (op, pos, _), a in zip(node.ops[1:], args[1:], strict=True):
            if op == "/":
                a = self.power(a, sp.Integer(-1), pos)
            acc = self.at(pos, functools.partial(M.mul, acc, a))
        return acc

    def _build_postfix(self, node: _Node, e: MExpr) -> MExpr:
        for op, pos, exponent in node.ops:
            if op == "T":
                e = M.transpose(e)
            elif op == "-T":
                e = M.transpose(self.at(pos, functools.partial(M.inverse, e)))
            else:
                assert isinstance(exponent, sp.Rational)
                e = self.power(e, exponent, pos, elementwise=op == ".^")
        return e


_CALLS: dict[str, Callable[[MExpr], MExpr]] = {
    "tr": M.trace,
    "trace": M.trace,
    "det": M.det,
    "logdet": lambda e: M.apply("log", M.det(e)),
    "inv": M.inverse,
    "norm": M.norm,
    "norm2": M.norm,
    "sum": M.sum_entries,
    "diag": M.diag,
    **{f: functools.partial(M.apply, f) for f in M.FUNCTIONS},
}


# --------------------------------------------------------------------------- the public readers


@dataclass(frozen=True, slots=True)
class MatrixFormula:
    """A matrix expression as typed, its tree, its variables (with their shapes) and its dimensions."""

    text: str
    expr: MExpr
    variables: tuple[Var, ...]
    dims: tuple[sp.Symbol, ...]


def parse(text: str, shapes: Mapping[str, Shape] | None = None) -> MatrixFormula:
    """Read a matrix expression; ``shapes`` declares shapes the naming convention would not give.

    >>> f = parse("tr(A X' B X C)")
    >>> [(v.name, v.shape) for v in f.variables]
    [('A', (n, m)), ('X', (p, m)), ('B', (p, p)), ('C', (m, n))]
    >>> str(parse("logdet(X)").expr), parse("logdet(X)").variables[0].shape
    ('log(det(X))', (n, n))
    >>> parse("x' + ")
    Traceback (most recent call last):
    ...
    calccli.errors.FormulaError: unexpected end of formula
    """
    if len(text) > limits.MAX_FORMULA_CHARS:
        raise InputLimitError(f"formula has {len(text):,} characters; the limit is {limits.MAX_FORMULA_CHARS:,}")
    shapes = dict(shapes or {})
    dims = _Dims()
    variables = _Variables(dims, shapes)
    parser = _Parser(text, _tokenize(text, variables.declared), variables)
    try:
        tree = parser.whole()
        builder = _Builder(text, variables)
        builder.infer(tree)
        builder.named = variables.dimension_names()
        expr = builder.build(tree)
    except RecursionError:
        raise InputLimitError("formula is too deeply nested") from None
    found = tuple(builder.variable(name) for name in variables.classes)
    used = [c for rows, cols in variables.classes.values() for c in (rows, cols)] + variables.eyes
    roots = sorted({dims.find(c) for c in used})
    symbols = tuple(d for d in (builder.named[r] for r in roots) if isinstance(d, sp.Symbol))
    return MatrixFormula(text, expr, found, symbols)


_NAME = re.compile(rf"[{_LETTERS}][{_LETTERS}0-9_]*")
_DIM = r"[0-9]+|[A-Za-z][A-Za-z0-9_]*?"
_SHAPE = re.compile(rf"\s*({_DIM})\s*(?:[×*xX]\s*({_DIM}))?\s*")


def _quoted(text: str) -> str:
    """``repr(text)`` made safe inside an :class:`ArgumentError` template (braces doubled)."""
    return repr(text).replace("{", "{{").replace("}", "}}")


def _split_top(text: str) -> list[str]:
    """Split at the commas outside brackets."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += {"[": 1, "]": -1}.get(ch, 0)
        if ch == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def _entries(text: str, option: str) -> list[tuple[str, str]]:
    """``name=value`` pairs, the names checked and spelled without Greek characters."""
    out: dict[str, str] = {}
    for part in _split_top(text):
        name, eq, value = part.partition("=")
        name = name.strip()
        if not part.strip():
            raise ArgumentError(option, f"{{arg}}: an empty entry in {_quoted(text)}")
        if not eq or not _NAME.fullmatch(name):
            raise ArgumentError(option, f"{{arg}}: expected name=value, not {_quoted(part.strip())}")
        name = _greek(name)
        if name in out:
            raise ArgumentError(option, f"{{arg}}: {name} is given twice")
        out[name] = value.strip()
    return list(out.items())


def _dimension(text: str) -> sp.Expr:
    if text.isdigit():
        if int(text) == 0:
            raise ValueError(text)
        return sp.Integer(int(text))
    return M.dim(text)


def read_shapes(text: str | None) -> dict[str, Shape]:
    """The ``--shape`` option: ``A=n×n,x=n,X=m×n,b=1,beta=1×n`` (``x`` or ``*`` for ×).

    One dimension is a column vector (a scalar if it is 1), two are rows × columns.

    >>> read_shapes("A=n×n, x=n, b=1, beta=1x3")
    {'A': (n, n), 'x': (n, 1), 'b': (1, 1), 'beta': (1, 3)}
    """
    if text is None or not text.strip():
        return {}
    shapes: dict[str, Shape] = {}
    for name, spec in _entries(text, "shape"):
        m = _SHAPE.fullmatch(spec)
        try:
            if m is None:
                raise ValueError(spec)
            rows = _dimension(m.group(1))
            cols = _dimension(m.group(2)) if m.group(2) else sp.Integer(1)
        except ValueError:
            raise ArgumentError(
                "shape", f"{{arg}}: cannot read the shape {_quoted(spec)} of {name} (write n, n×m, 3×n or 1)"
            ) from None
        shapes[name] = (rows, cols)
    return shapes


_VALUE_NUMBER = re.compile(r"\s*(-?)\s*([0-9]+(?:\.[0-9]+)?|\.[0-9]+)(?:\s*/\s*([0-9]+))?\s*")


def _read_number(text: str) -> sp.Rational:
    m = _VALUE_NUMBER.fullmatch(text)
    if m is None:
        raise ValueError(f"{text.strip()!r} is not a number")
    if len(m.group(2)) + len(m.group(3) or "") > limits.MAX_LITERAL_DIGITS:
        raise ValueError(f"a number has more than {limits.MAX_LITERAL_DIGITS:,} digits")
    value = _exact(m.group(2))
    if m.group(3) is not None:
        if int(m.group(3)) == 0:
            raise ValueError("division by zero")
        value = value / int(m.group(3))
    return -value if m.group(1) else value


def _read_array(text: str) -> sp.Matrix:
    """``3``, ``[1, 2]`` (a column), ``[[1, 2], [3, 4]]`` (by rows)."""
    s = text.strip()
    if not s.startswith("["):
        return sp.Matrix([[_read_number(s)]])
    if not s.endswith("]"):
        raise ValueError(f"unbalanced brackets in {s!r}")
    items = [i.strip() for i in _split_top(s[1:-1])]
    if not all(items):
        raise ValueError(f"an empty entry in {s!r}")
    if all(not i.startswith("[") for i in items):
        return sp.Matrix([[_read_number(i)] for i in items])
    if not all(i.startswith("[") and i.endswith("]") and "[" not in i[1:] for i in items):
        raise ValueError(f"{s!r} mixes numbers and rows, or nests deeper than rows")
    rows = [[_read_number(e) for e in _split_top(i[1:-1])] for i in items]
    if len({len(r) for r in rows}) != 1:
        raise ValueError(f"the rows of {s!r} have different lengths")
    return sp.Matrix(rows)


def read_values(text: str | None) -> dict[str, sp.Matrix]:
    """The ``--at`` option: ``A=[[1,2],[3,4]], x=[1,1], a=3``, exact numbers; a vector is a column.

    >>> read_values("A=[[1,2],[3,4]], x=[1, -1/2], a=0.25")
    {'A': Matrix([
    [1, 2],
    [3, 4]]), 'x': Matrix([
    [   1],
    [-1/2]]), 'a': Matrix([[1/4]])}
    """
    if text is None or not text.strip():
        return {}
    if len(text) > limits.MAX_FORMULA_CHARS:
        raise InputLimitError(f"--at has {len(text):,} characters; the limit is {limits.MAX_FORMULA_CHARS:,}")
    values: dict[str, sp.Matrix] = {}
    for name, value in _entries(text, "at"):
        try:
            values[name] = _read_array(value)
        except ValueError as exc:
            reason = str(exc).replace("{", "{{").replace("}", "}}")
            raise ArgumentError("at", f"{{arg}}: cannot read the value of {name}: {reason}") from None
    return values


def read_variable(text: str, formula: MatrixFormula) -> Var:
    """The ``--wrt`` option: one of the formula's variables.

    >>> read_variable("x", parse("x' A x"))
    Var(name='x', rows=n, cols=1)
    >>> read_variable("A x", parse("x' A x"))
    Traceback (most recent call last):
    ...
    calccli.errors.ArgumentError: wrt: differentiate by a variable (one of x, A), not the expression 'A x'
    """
    name = _greek(text.strip())
    names = ", ".join(v.name for v in formula.variables)
    for v in formula.variables:
        if v.name == name:
            return v
    if not name:
        raise ArgumentError("wrt", f"{{arg}} is empty: name one of the variables ({names})")
    if _NAME.fullmatch(name):
        raise ArgumentError("wrt", f"{{arg}}: {name} is not a variable of the formula (its variables: {names})")
    raise ArgumentError(
        "wrt", f"{{arg}}: differentiate by a variable (one of {names}), not the expression {_quoted(name)}"
    )


__all__ = ["FUNCTIONS", "MatrixFormula", "parse", "read_shapes", "read_values", "read_variable"]
