"""Matrix expressions: the typed tree that ``matdiff`` reads, differentiates and prints.

A node knows its shape, ``(rows, cols)``, whose entries are dimensions: a positive-integer SymPy
symbol such as ``n`` or a number.  A 1×1 node is a scalar: it multiplies anything (``(xᵀ y) A``),
its transpose is itself, and it prints without brackets.  Vectors are columns, ``n×1``; a row is a
transposed column.

Nodes are built by the smart constructors below (:func:`add`, :func:`mul`, :func:`transpose`, ...),
never directly: they check shapes (a :class:`ShapeError` names the operator and both shapes) and
keep one canonical form, so that equal expressions compare equal and like terms meet:

* sums and products are flat; zeros vanish; a product's numeric coefficient comes first;
* transposes sit on variables only (``(A B)ᵀ = Bᵀ Aᵀ``, ``(A + B)ᵀ = Aᵀ + Bᵀ``, ``(X⁻¹)ᵀ`` is
  ``Transpose(Inverse(X))``, printed ``X⁻ᵀ``);
* ``tr``, ``det``, ``sum`` and the norm of a scalar are the scalar; ``tr`` is linear.

Printing has three spellings: :func:`ascii` (calccli's matrix syntax, read back by the matrix
grammar: ``x' A x``, ``inv(X)'``, ``norm(x)^2``, ``x .* y``), :func:`unicode` (``xᵀ A x``, ``X⁻ᵀ``,
``‖x‖²``, ``x ⊙ y``) and :func:`latex`.  ``str()`` is ASCII and SymPy's LaTeX printer picks up
``_latex``, so a node can sit in any View cell.

>>> n = dim("n")
>>> A, x = var("A", n, n), var("x", n)
>>> q = mul(transpose(x), A, x)
>>> q.shape, ascii(q), unicode(q)
((1, 1), "x' A x", 'xᵀ A x')
>>> g = add(mul(A, x), mul(transpose(A), x))
>>> unicode(g), latex(g)
('A x + Aᵀ x', 'A x + A^{\\\\top} x')
>>> mul(A, var("y", dim("m")))
Traceback (most recent call last):
...
calccli.formula.matrix.ShapeError: product: A is n×n and y is m×1
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar, TypeAlias

import sympy as sp

from calccli.errors import FormulaError

Dim: TypeAlias = sp.Expr  # a positive-integer symbol (n, m, ...) or an Integer
Shape: TypeAlias = tuple[Dim, Dim]

ONE: sp.Integer = sp.Integer(1)

# Element-wise (and scalar) functions, each with its derivative as a function of the argument.
FUNCTIONS = ("exp", "log", "sin", "cos", "tan", "tanh", "sinh", "cosh", "sqrt", "sigmoid")


class ShapeError(FormulaError):
    """Shapes that do not fit an operator; the message names the operator and both shapes."""


def dim(name: str) -> sp.Symbol:
    """A symbolic dimension: a positive integer."""
    return sp.Symbol(name, integer=True, positive=True)


def shape_text(shape: Shape) -> str:
    """``n×n``, ``m×1``; a scalar is ``scalar``."""
    r, c = shape
    if r == 1 and c == 1:
        return "scalar"
    return f"{r}×{c}"


def _same(a: Dim, b: Dim) -> bool:
    return bool(sp.simplify(a - b) == 0) if a != b else True


# --------------------------------------------------------------------------- nodes


class MExpr:
    """A matrix expression.  Subclasses are frozen dataclasses; build them with the constructors."""

    __slots__ = ()
    precedence: ClassVar[int] = 100  # for parentheses: atoms 100, power 60, product 50, hadamard 45, sum 40

    @property
    def shape(self) -> Shape:
        raise NotImplementedError

    @property
    def is_scalar(self) -> bool:
        r, c = self.shape
        return r == 1 and c == 1

    @property
    def args(self) -> tuple[MExpr, ...]:
        return ()

    def rebuild(self, args: tuple[MExpr, ...]) -> MExpr:
        """The same operator over new arguments, through its constructor (so canonical again)."""
        assert not args
        return self

    def walk(self) -> Iterator[MExpr]:
        """Every node, this one first."""
        yield self
        for a in self.args:
            yield from a.walk()

    def variables(self) -> tuple[Var, ...]:
        """The variables, each once, in order of first appearance."""
        seen: dict[str, Var] = {}
        for node in self.walk():
            if isinstance(node, Var):
                seen.setdefault(node.name, node)
        return tuple(seen.values())

    def has(self, v: Var) -> bool:
        return any(isinstance(node, Var) and node.name == v.name for node in self.walk())

    def __str__(self) -> str:
        return ascii(self)

    def _latex(self, printer: object = None) -> str:
        return latex(self)


@dataclass(frozen=True, slots=True)
class Var(MExpr):
    """A named scalar, vector or matrix."""

    name: str
    rows: Dim = ONE
    cols: Dim = ONE

    @property
    def shape(self) -> Shape:
        return (self.rows, self.cols)


@dataclass(frozen=True, slots=True)
class Num(MExpr):
    """A constant scalar: a SymPy number (``2``, ``1/2``, ``pi``)."""

    value: sp.Expr

    @property
    def shape(self) -> Shape:
        return (ONE, ONE)


@dataclass(frozen=True, slots=True)
class Identity(MExpr):
    n: Dim

    @property
    def shape(self) -> Shape:
        return (self.n, self.n)


@dataclass(frozen=True, slots=True)
class Zero(MExpr):
    rows: Dim
    cols: Dim

    @property
    def shape(self) -> Shape:
        return (self.rows, self.cols)


@dataclass(frozen=True, slots=True)
class Ones(MExpr):
    """The all-ones vector or matrix (𝟙)."""

    rows: Dim
    cols: Dim

    @property
    def shape(self) -> Shape:
        return (self.rows, self.cols)


@dataclass(frozen=True, slots=True)
class _Nary(MExpr):
    terms: tuple[MExpr, ...]

    @property
    def args(self) -> tuple[MExpr, ...]:
        return self.terms


@dataclass(frozen=True, slots=True)
class Add(_Nary):
    precedence: ClassVar[int] = 40

    @property
    def shape(self) -> Shape:
        return self.terms[0].shape

    def rebuild(self, args: tuple[MExpr, ...]) -> MExpr:
        return add(*args)


@dataclass(frozen=True, slots=True)
class Mul(_Nary):
    """A matrix product in order; scalar factors (1×1) scale.  The coefficient, if any, is first."""

    precedence: ClassVar[int] = 50

    @property
    def shape(self) -> Shape:
        matrices = [t for t in self.terms if not t.is_scalar]
        if not matrices:
            return (ONE, ONE)
        return (matrices[0].shape[0], matrices[-1].shape[1])

    def rebuild(self, args: tuple[MExpr, ...]) -> MExpr:
        return mul(*args)


@dataclass(frozen=True, slots=True)
class Hadamard(_Nary):
    """The element-wise product ⊙ of equal shapes."""

    precedence: ClassVar[int] = 45

    @property
    def shape(self) -> Shape:
        return self.terms[0].shape

    def rebuild(self, args: tuple[MExpr, ...]) -> MExpr:
        return hadamard(*args)


@dataclass(frozen=True, slots=True)
class _Unary(MExpr):
    arg: MExpr

    @property
    def args(self) -> tuple[MExpr, ...]:
        return (self.arg,)


@dataclass(frozen=True, slots=True)
class Transpose(_Unary):
    """Only ever over a variable or an inverse (the canonical form)."""

    @property
    def shape(self) -> Shape:
        r, c = self.arg.shape
        return (c, r)

    def rebuild(self, args: tuple[MExpr, ...]) -> MExpr:
        return transpose(args[0])


@dataclass(frozen=True, slots=True)
class Inverse(_Unary):
    @property
    def shape(self) -> Shape:
        return self.arg.shape

    def rebuild(self, args: tuple[MExpr, ...]) -> MExpr:
        return inverse(args[0])


@dataclass(frozen=True, slots=True)
class Trace(_Unary):
    @property
    def shape(self) -> Shape:
        return (ONE, ONE)

    def rebuild(self, args: tuple[MExpr, ...]) -> MExpr:
        return trace(args[0])


@dataclass(frozen=True, slots=True)
class Det(_Unary):
    @property
    def shape(self) -> Shape:
        return (ONE, ONE)

    def rebuild(self, args: tuple[MExpr, ...]) -> MExpr:
        return det(args[0])


@dataclass(frozen=True, slots=True)
class Norm(_Unary):
    """The Euclidean norm of a vector, the Frobenius norm of a matrix."""

    @property
    def shape(self) -> Shape:
        return (ONE, ONE)

    def rebuild(self, args: tuple[MExpr, ...]) -> MExpr:
        return norm(args[0])


@dataclass(frozen=True, slots=True)
class SumEntries(_Unary):
    """The sum of all entries."""

    @property
    def shape(self) -> Shape:
        return (ONE, ONE)

    def rebuild(self, args: tuple[MExpr, ...]) -> MExpr:
        return sum_entries(args[0])


@dataclass(frozen=True, slots=True)
class Diag(_Unary):
    """The diagonal matrix with a vector on its diagonal."""

    @property
    def shape(self) -> Shape:
        n = self.arg.shape[0]
        return (n, n)

    def rebuild(self, args: tuple[MExpr, ...]) -> MExpr:
        return diag(args[0])


@dataclass(frozen=True, slots=True)
class Apply(_Unary):
    """A function of a scalar, or applied entry by entry to a vector or matrix."""

    func: str = "exp"

    @property
    def shape(self) -> Shape:
        return self.arg.shape

    def rebuild(self, args: tuple[MExpr, ...]) -> MExpr:
        return apply(self.func, args[0])


@dataclass(frozen=True, slots=True)
class Power(MExpr):
    """A scalar to a number, or a square matrix to an integer >= 2."""

    base: MExpr
    exponent: sp.Expr
    precedence: ClassVar[int] = 60

    @property
    def shape(self) -> Shape:
        return self.base.shape

    @property
    def args(self) -> tuple[MExpr, ...]:
        return (self.base,)

    def rebuild(self, args: tuple[MExpr, ...]) -> MExpr:
        return power(args[0], self.exponent)


@dataclass(frozen=True, slots=True)
class HadamardPower(MExpr):
    """Every entry to a number: ``x.^2``, ``x^∘2``."""

    base: MExpr
    exponent: sp.Expr
    precedence: ClassVar[int] = 60

    @property
    def shape(self) -> Shape:
        return self.base.shape

    @property
    def args(self) -> tuple[MExpr, ...]:
        return (self.base,)

    def rebuild(self, args: tuple[MExpr, ...]) -> MExpr:
        return hadamard_power(args[0], self.exponent)


# --------------------------------------------------------------------------- constructors


def var(name: str, rows: Dim | int = 1, cols: Dim | int = 1) -> Var:
    return Var(
        name, sp.Integer(rows) if isinstance(rows, int) else rows, sp.Integer(cols) if isinstance(cols, int) else cols
    )


def _sympy_number(value: object) -> sp.Expr:
    """A SymPy object for a SymPy object or a Python number; text is refused, never evaluated."""
    if isinstance(value, (str, bytes)):
        raise TypeError("text must go through the matrix grammar, never SymPy's evaluator")
    return value if isinstance(value, sp.Basic) else sp.S(value, strict=True)  # type: ignore[return-value]


def num(value: object) -> Num:
    return Num(_sympy_number(value))


def identity(n: Dim | int) -> MExpr:
    n = sp.Integer(n) if isinstance(n, int) else n
    return num(1) if n == 1 else Identity(n)


def zero(rows: Dim | int, cols: Dim | int = 1) -> MExpr:
    rows = sp.Integer(rows) if isinstance(rows, int) else rows
    cols = sp.Integer(cols) if isinstance(cols, int) else cols
    return num(0) if rows == 1 and cols == 1 else Zero(rows, cols)


def ones(rows: Dim | int, cols: Dim | int = 1) -> MExpr:
    rows = sp.Integer(rows) if isinstance(rows, int) else rows
    cols = sp.Integer(cols) if isinstance(cols, int) else cols
    return num(1) if rows == 1 and cols == 1 else Ones(rows, cols)


def is_zero(e: MExpr) -> bool:
    return isinstance(e, Zero) or (isinstance(e, Num) and e.value == 0)


def _name(e: MExpr) -> str:
    """How an error message names an operand: the expression itself when it is short."""
    s = unicode(e)
    return s if len(s) <= 24 else "the " + ("scalar" if e.is_scalar else "expression")


def _mismatch(op: str, a: MExpr, b: MExpr) -> ShapeError:
    return ShapeError(f"{op}: {_name(a)} is {shape_text(a.shape)} and {_name(b)} is {shape_text(b.shape)}")


def _split_coefficient(e: MExpr) -> tuple[sp.Expr, MExpr]:
    """``3 A x`` -> (3, A x); anything else -> (1, e)."""
    if isinstance(e, Num):
        return e.value, num(1)
    if isinstance(e, Mul) and isinstance(e.terms[0], Num):
        rest = e.terms[1:]
        return e.terms[0].value, rest[0] if len(rest) == 1 else Mul(rest)
    return ONE, e


def add(*terms: MExpr) -> MExpr:
    """The sum, flat, with like terms combined and zeros dropped (in order of first appearance)."""
    if not terms:
        raise ValueError("add() needs a term")
    if len(terms) == 1:
        return terms[0]
    flat: list[MExpr] = []
    for t in terms:
        if isinstance(t, Mul) and len(t.terms) == 2 and isinstance(t.terms[0], Num) and isinstance(t.terms[1], Add):
            flat.extend(mul(t.terms[0], u) for u in t.terms[1].terms)  # c (a + b) in a sum is c a + c b
        else:
            flat.extend(t.terms if isinstance(t, Add) else (t,))
    first = flat[0]
    for t in flat[1:]:
        if not (_same(t.shape[0], first.shape[0]) and _same(t.shape[1], first.shape[1])):
            raise _mismatch("sum", first, t)
    shape = first.shape
    coefficients: dict[MExpr, sp.Expr] = {}
    for t in flat:
        if is_zero(t):
            continue
        c, rest = _split_coefficient(t)
        coefficients[rest] = coefficients.get(rest, sp.Integer(0)) + c
    kept = [mul(num(c), rest) for rest, c in coefficients.items() if c != 0]
    if not kept:
        return zero(*shape)
    return kept[0] if len(kept) == 1 else Add(tuple(kept))


def neg(e: MExpr) -> MExpr:
    return mul(num(-1), e)


def sub(a: MExpr, b: MExpr) -> MExpr:
    return add(a, neg(b))


def mul(*factors: MExpr) -> MExpr:
    """The product in order: shapes must chain, except that a scalar (1×1) factor scales."""
    if not factors:
        return num(1)
    coefficient: sp.Expr = ONE
    scalars: list[MExpr] = []
    matrices: list[MExpr] = []
    parts: list[MExpr] = []
    for f in factors:
        if isinstance(f, Mul) and (not f.is_scalar or all(t.is_scalar for t in f.terms)):
            parts.extend(f.terms)  # a product of matrices, or of scalars: flat
        elif isinstance(f, Mul):  # a 1×1 product of matrices (xᵀ A x) stays one scalar factor
            c, rest = _split_coefficient(f)
            parts += [num(c), rest]
        else:
            parts.append(f)
    for p in parts:
        if isinstance(p, Num):
            coefficient *= p.value
        elif p.is_scalar:
            scalars.append(p)
        else:
            if matrices and not _same(matrices[-1].shape[1], p.shape[0]):
                raise _mismatch("product", matrices[-1], p)
            matrices.append(p)
    shape: Shape = (matrices[0].shape[0], matrices[-1].shape[1]) if matrices else (ONE, ONE)
    if coefficient == 0 or any(is_zero(m) for m in matrices):
        return zero(*shape)
    matrices = [m for m in matrices if not isinstance(m, Identity)] or [m for m in matrices[:1]]
    if shape == (ONE, ONE) and len(matrices) >= 2:  # a scalar equals its transpose: one orientation of the two
        flipped = [transpose(m) for m in reversed(matrices)]
        if [ascii(m) for m in flipped] < [ascii(m) for m in matrices]:
            matrices = flipped
    out: list[MExpr] = [] if coefficient == 1 else [num(coefficient)]
    out += _powers(scalars) + matrices
    if len(out) == 2 and isinstance(out[0], Num) and isinstance(out[1], Mul):  # 2 (xᵀ A x) is 2 xᵀ A x
        return Mul((out[0], *out[1].terms))
    if not out:
        return num(1)
    return out[0] if len(out) == 1 else Mul(tuple(out))


def _powers(scalars: list[MExpr]) -> list[MExpr]:
    """Equal scalar factors as one power: (xᵀ y)(xᵀ y) -> (xᵀ y)²."""
    exponents: dict[MExpr, sp.Expr] = {}
    for f in scalars:
        base, p = (f.base, f.exponent) if isinstance(f, Power) else (f, ONE)
        exponents[base] = exponents.get(base, sp.Integer(0)) + p
    if len(exponents) == len(scalars):
        return scalars
    return [power(b, p) for b, p in exponents.items() if p != 0]


def transpose(e: MExpr) -> MExpr:
    """``eᵀ``, pushed down to the variables."""
    if e.is_scalar:
        return e
    if isinstance(e, Transpose):
        return e.arg
    if isinstance(e, Var):
        return Transpose(e)
    if isinstance(e, Inverse):
        return Transpose(e)
    if isinstance(e, (Identity, Diag)):
        return e
    if isinstance(e, Zero):
        return Zero(e.cols, e.rows)
    if isinstance(e, Ones):
        return Ones(e.cols, e.rows)
    if isinstance(e, Mul):
        return mul(*[transpose(t) for t in reversed(e.terms)])
    if isinstance(e, (Add, Hadamard)):
        return e.rebuild(tuple(transpose(t) for t in e.terms))
    if isinstance(e, (Apply, HadamardPower)):
        return e.rebuild((transpose(e.args[0]),))
    if isinstance(e, Power):  # (Aᵏ)ᵀ = (Aᵀ)ᵏ
        return power(transpose(e.base), e.exponent)
    raise TypeError(f"transpose of {type(e).__name__}")


def _square(op: str, e: MExpr) -> None:
    r, c = e.shape
    if not _same(r, c):
        raise ShapeError(f"{op}: {_name(e)} is {shape_text(e.shape)}, not square")


def inverse(e: MExpr) -> MExpr:
    if e.is_scalar:
        return power(e, sp.Integer(-1))
    _square("inverse", e)
    if isinstance(e, Inverse):
        return e.arg
    if isinstance(e, Identity):
        return e
    if isinstance(e, Transpose) and isinstance(e.arg, Inverse):
        return transpose(e.arg.arg)
    if isinstance(e, Transpose):
        return Transpose(Inverse(e.arg))
    if isinstance(e, Mul) and isinstance(e.terms[0], Num) and len(e.terms) == 2:
        return mul(num(1 / e.terms[0].value), inverse(e.terms[1]))
    return Inverse(e)


def trace(e: MExpr) -> MExpr:
    if e.is_scalar:
        return e
    _square("trace", e)
    if isinstance(e, Add):
        return add(*[trace(t) for t in e.terms])
    if isinstance(e, Transpose):
        return trace(e.arg)
    if isinstance(e, Identity):
        return Num(e.n)
    if isinstance(e, Zero):
        return num(0)
    if isinstance(e, Mul):
        scalars = [t for t in e.terms if t.is_scalar]
        matrices = [t for t in e.terms if not t.is_scalar]
        if scalars:
            return mul(*scalars, trace(mul(*matrices)))
    return Trace(e)


def det(e: MExpr) -> MExpr:
    if e.is_scalar:
        return e
    _square("det", e)
    if isinstance(e, Identity):
        return num(1)
    if isinstance(e, Transpose):
        return det(e.arg)
    if isinstance(e, Inverse):
        return power(det(e.arg), sp.Integer(-1))
    return Det(e)


def norm(e: MExpr) -> MExpr:
    if e.is_scalar:
        return apply("abs", e)
    if isinstance(e, Transpose):
        return norm(e.arg)
    return Norm(e)


def sum_entries(e: MExpr) -> MExpr:
    return e if e.is_scalar else SumEntries(e)


def diag(e: MExpr) -> MExpr:
    r, c = e.shape
    if c != 1 or r == 1:
        raise ShapeError(f"diag: {_name(e)} is {shape_text(e.shape)}; diag takes a vector")
    if isinstance(e, Ones):
        return Identity(r)
    return Diag(e)


def hadamard(*factors: MExpr) -> MExpr:
    """The element-wise product; scalar factors scale instead."""
    scalars = [f for f in factors if f.is_scalar]
    rest: list[MExpr] = []
    for f in factors:
        if f.is_scalar:
            continue
        if isinstance(f, Mul) and sum(not t.is_scalar for t in f.terms) == 1:  # (c M) ⊙ N = c (M ⊙ N)
            scalars += [t for t in f.terms if t.is_scalar]
            f = next(t for t in f.terms if not t.is_scalar)
        for p in f.terms if isinstance(f, Hadamard) else (f,):
            if rest and not (_same(rest[0].shape[0], p.shape[0]) and _same(rest[0].shape[1], p.shape[1])):
                raise _mismatch("element-wise product", rest[0], p)
            rest.append(p)
    if not rest:
        return mul(*scalars)
    if any(is_zero(p) for p in rest):
        return zero(*rest[0].shape)
    rest = [p for p in rest if not isinstance(p, Ones)] or rest[:1]
    core = rest[0] if len(rest) == 1 else Hadamard(tuple(rest))
    return mul(*scalars, core) if scalars else core


def power(base: MExpr, exponent: object) -> MExpr:
    p = _sympy_number(exponent)
    if p == 1:
        return base
    if base.is_scalar:
        if p == 0:
            return num(1)
        if isinstance(base, Num):
            return num(base.value**p)
        if isinstance(base, Power):
            return power(base.base, base.exponent * p)
        return Power(base, p)
    _square("power", base)
    if p == 0:
        return Identity(base.shape[0])
    if p == -1:
        return inverse(base)
    if not (p.is_Integer and p >= 2):
        raise ShapeError(f"power: a matrix power must be a whole number ({_name(base)}^{p}); for entry by entry use .^")
    return Power(base, p)


def hadamard_power(base: MExpr, exponent: object) -> MExpr:
    p = _sympy_number(exponent)
    if base.is_scalar:
        return power(base, p)
    if p == 1:
        return base
    if p == 0:
        return Ones(*base.shape)
    if isinstance(base, HadamardPower):
        return hadamard_power(base.base, base.exponent * p)
    return HadamardPower(base, p)


def apply(func: str, e: MExpr) -> MExpr:
    if func not in FUNCTIONS and func != "abs":
        raise ShapeError(f"{func} is not an element-wise function calccli knows ({', '.join(FUNCTIONS)})")
    if isinstance(e, Num):
        f = {"sigmoid": lambda z: 1 / (1 + sp.exp(-z)), "abs": sp.Abs}.get(func) or getattr(sp, func)
        return num(f(e.value))
    return Apply(e, func)


def substitute_dims(e: MExpr, mapping: dict[sp.Expr, sp.Expr]) -> MExpr:
    """``e`` with its dimensions replaced (a number by a symbol, or back), rebuilt canonically.

    >>> n = dim("n")
    >>> substitute_dims(var("W", 64, 256), {sp.Integer(64): n}).shape
    (n, 256)
    """

    def d(x: sp.Expr) -> sp.Expr:
        return mapping.get(x, x) if x.is_number else x.xreplace(mapping)

    def go(node: MExpr) -> MExpr:
        if isinstance(node, Var):
            return Var(node.name, d(node.rows), d(node.cols))
        if isinstance(node, Num):
            return Num(node.value.xreplace(mapping))
        if isinstance(node, Identity):
            return identity(d(node.n))
        if isinstance(node, Zero):
            return zero(d(node.rows), d(node.cols))
        if isinstance(node, Ones):
            return ones(d(node.rows), d(node.cols))
        return node.rebuild(tuple(go(a) for a in node.args))

    return go(e)


def dims_of(e: MExpr) -> tuple[sp.Expr, ...]:
    """Every dimension of every node, each once, in order of first appearance."""
    seen: dict[sp.Expr, None] = {}
    for node in e.walk():
        for x in node.shape:
            seen.setdefault(x, None)
    return tuple(seen)


# --------------------------------------------------------------------------- printing

_SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def _number(value: sp.Expr, style: str) -> str:
    if style == "latex":
        return sp.latex(value)
    return str(value)


class _Printer:
    """One printer for the three spellings; ``style`` is ``ascii``, ``unicode`` or ``latex``."""

    def __init__(self, style: str) -> None:
        self.style = style
        self._memo: dict[MExpr, str] = {}

    def _wrap(self, s: str, inner: MExpr, outer: int) -> str:
        return self._parens(s) if inner.precedence < outer else s

    def _parens(self, s: str) -> str:
        return rf"\left({s}\right)" if self.style == "latex" else f"({s})"

    def __call__(self, e: MExpr) -> str:
        done = self._memo.get(e)
        if done is None:  # each subexpression once: an inverse or transpose spells its argument twice
            done = self._memo[e] = str(getattr(self, "_" + type(e).__name__.lower())(e))
        return done

    def _name(self, name: str) -> str:
        return sp.latex(sp.Symbol(name)) if self.style == "latex" else name

    def _var(self, e: Var) -> str:
        return self._name(e.name)

    def _num(self, e: Num) -> str:
        return _number(e.value, self.style)

    def _identity(self, e: Identity) -> str:
        return "I"

    def _zero(self, e: Zero) -> str:
        return {"ascii": "0", "unicode": "0", "latex": r"\mathbf{0}"}[self.style]

    def _ones(self, e: Ones) -> str:
        return {"ascii": "ones", "unicode": "𝟙", "latex": r"\mathbf{1}"}[self.style]

    def _add(self, e: Add) -> str:
        out = self(e.terms[0])
        for t in e.terms[1:]:
            c, rest = _split_coefficient(t)
            if c.is_number and c < 0:  # type: ignore[operator]
                q = mul(num(-c), rest)
                out += " - " + self._wrap(self(q), q, Add.precedence + 1)
            else:
                out += " + " + self(t)
        return out

    def _mul(self, e: Mul) -> str:
        parts: list[str] = []
        terms = list(e.terms)
        if isinstance(terms[0], Num):
            c = terms[0].value
            if c == -1 and len(terms) > 1:
                parts.append("-")
                terms = terms[1:]
            elif c.is_Rational and not c.is_Integer and self.style == "latex":  # type: ignore[attr-defined]
                parts.append(sp.latex(c))
                terms = terms[1:]
            elif c.is_Rational and not c.is_Integer:  # type: ignore[attr-defined]
                parts.append(f"({c})")
                terms = terms[1:]
            elif c.is_Integer:  # type: ignore[attr-defined]
                parts.append(str(c))
                terms = terms[1:]
        for t in terms:
            s = self(t)
            needs = t.precedence <= Mul.precedence or (isinstance(t, Num) and t.value.is_negative)
            if isinstance(t, Mul):  # a scalar product inside a product: (xᵀ y) A, but 2 xᵀ y
                needs = sum(not isinstance(u, Num) for u in terms) > 1
            parts.append(self._parens(s) if needs else s)
        sep = " " if self.style != "latex" else r" "
        text = sep.join(parts)
        return text.replace("- ", "-", 1) if text.startswith("- ") else text

    def _hadamard(self, e: Hadamard) -> str:
        op = {"ascii": " .* ", "unicode": " ⊙ ", "latex": r" \odot "}[self.style]
        return op.join(self._wrap(self(t), t, Hadamard.precedence + 1) for t in e.terms)

    def _transpose(self, e: Transpose) -> str:
        if isinstance(e.arg, Inverse):
            inner = self._wrap(self(e.arg.arg), e.arg.arg, 100)
            return {"ascii": f"inv({self(e.arg.arg)})'", "unicode": f"{inner}⁻ᵀ", "latex": f"{inner}^{{-\\top}}"}[
                self.style
            ]
        inner = self._wrap(self(e.arg), e.arg, 100)
        return {"ascii": f"{inner}'", "unicode": f"{inner}ᵀ", "latex": f"{inner}^{{\\top}}"}[self.style]

    def _inverse(self, e: Inverse) -> str:
        inner = self._wrap(self(e.arg), e.arg, 100)
        return {"ascii": f"inv({self(e.arg)})", "unicode": f"{inner}⁻¹", "latex": f"{inner}^{{-1}}"}[self.style]

    def _call(self, name: str, e: MExpr) -> str:
        if self.style == "latex":
            op = {
                "tr": r"\operatorname{tr}",
                "det": r"\det",
                "sum": r"\operatorname{sum}",
                "diag": r"\operatorname{diag}",
            }
            fn = op.get(name) or (
                rf"\{name}" if name in ("exp", "log", "sin", "cos", "tan", "tanh", "sinh", "cosh") else None
            )
            if name == "sqrt":
                return rf"\sqrt{{{self(e)}}}"
            if name == "sigmoid":
                fn = r"\sigma"
            fn = fn or r"\operatorname{" + name + "}"
            return rf"{fn}\left({self(e)}\right)"
        if name == "sigmoid" and self.style == "unicode":
            name = "σ"
        return f"{name}({self(e)})"

    def _trace(self, e: Trace) -> str:
        return self._call("tr", e.arg)

    def _det(self, e: Det) -> str:
        return self._call("det", e.arg)

    def _sumentries(self, e: SumEntries) -> str:
        return self._call("sum", e.arg)

    def _diag(self, e: Diag) -> str:
        return self._call("diag", e.arg)

    def _apply(self, e: Apply) -> str:
        if e.func == "abs":
            return {
                "ascii": f"|{self(e.arg)}|",
                "unicode": f"|{self(e.arg)}|",
                "latex": rf"\left|{self(e.arg)}\right|",
            }[self.style]
        return self._call(e.func, e.arg)

    def _norm(self, e: Norm) -> str:
        inner = self(e.arg)
        if self.style == "ascii":
            return f"norm({inner})"
        if self.style == "unicode":
            return f"‖{inner}‖"
        sub = "_F" if e.arg.shape[1] != 1 else ""
        return rf"\left\lVert {inner} \right\rVert{sub}"

    def _exponent(self, p: sp.Expr, hadamard: bool) -> str:
        if self.style == "latex":
            return ("^{\\circ " if hadamard else "^{") + sp.latex(p) + "}"
        if self.style == "unicode" and p.is_Integer:  # type: ignore[attr-defined]
            return ("∘" if hadamard else "") + str(p).translate(_SUPERSCRIPTS)
        text = str(p) if p.is_Integer and p >= 0 else f"({p})"  # type: ignore[attr-defined,operator]
        return (".^" if hadamard else "^") + text

    def _power(self, e: Power) -> str:
        return self._wrap(self(e.base), e.base, 61) + self._exponent(e.exponent, False)

    def _hadamardpower(self, e: HadamardPower) -> str:
        return self._wrap(self(e.base), e.base, 61) + self._exponent(e.exponent, True)


@functools.lru_cache(maxsize=4096)
def ascii(e: MExpr) -> str:
    """calccli's matrix syntax, which the matrix grammar reads back: ``x' A x``, ``inv(X)'``."""
    return _Printer("ascii")(e)


@functools.lru_cache(maxsize=4096)
def unicode(e: MExpr) -> str:
    """For people: ``xᵀ A x``, ``X⁻ᵀ``, ``‖x‖²``, ``x ⊙ y``."""
    return _Printer("unicode")(e)


@functools.lru_cache(maxsize=4096)
def latex(e: MExpr) -> str:
    return _Printer("latex")(e)


__all__ = [
    "FUNCTIONS",
    "Add",
    "Apply",
    "Det",
    "Diag",
    "Dim",
    "Hadamard",
    "HadamardPower",
    "Identity",
    "Inverse",
    "MExpr",
    "Mul",
    "Norm",
    "Num",
    "Ones",
    "Power",
    "Shape",
    "ShapeError",
    "SumEntries",
    "Trace",
    "Transpose",
    "Var",
    "Zero",
    "add",
    "apply",
    "ascii",
    "det",
    "diag",
    "dim",
    "dims_of",
    "hadamard",
    "hadamard_power",
    "identity",
    "inverse",
    "is_zero",
    "latex",
    "mul",
    "neg",
    "norm",
    "num",
    "ones",
    "power",
    "shape_text",
    "sub",
    "substitute_dims",
    "sum_entries",
    "trace",
    "transpose",
    "unicode",
    "var",
    "zero",
]
