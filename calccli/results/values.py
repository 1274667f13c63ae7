"""Values, points and the string helpers every payload shares.

Strings made here are calccli's own syntax (what SymPy prints and calccli reads back); the renderers'
decorated spellings live in :mod:`calccli.render.present`.
"""

from __future__ import annotations

import functools
import math
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

import sympy as sp
from sympy.printing.precedence import PRECEDENCE
from sympy.printing.str import StrPrinter

from calccli.formula.lexer import IDENTIFIER, UNREADABLE_CLOSE, UNREADABLE_OPEN
from calccli.formula.names import FUNCTIONS, KEYWORDS

Point = dict[sp.Symbol, sp.Expr]


class Result(Protocol):
    """What every result offers: a JSON kind, its schema version and its payload."""

    @property
    def KIND(self) -> str: ...  # noqa: N802 - a ClassVar on the result classes

    @property
    def SCHEMA(self) -> int: ...  # noqa: N802

    def payload(self) -> dict[str, object]: ...


@dataclass(frozen=True, slots=True)
class Value:
    """An exact number and its float (``None`` when parameters remain)."""

    exact: sp.Expr
    numeric: float | None


_SPELLED: dict[sp.Basic, str] = {}  # _Printer's memo of spelled subexpressions
_SPELLED_MAX = 1 << 17


class _Printer(StrPrinter):
    """SymPy's string printer, limited to what calccli's formula language reads back.

    ``Abs`` is ``|x|``, a ``Piecewise`` is ``a if c else b`` (conditions with ``< <= > >= = !=``,
    ``and``, ``or``, ``not``); anything the language cannot write (``meijerg``, ``Subs``,
    ``AccumBounds``, an unevaluated integral, SymPy's dummy symbols) prints between ``« »``,
    which the lexer refuses with a message, never as text that reads back as something else.
    """

    def _print(self, expr: object, **kwargs: object) -> str:
        if not isinstance(expr, sp.Basic):
            return super()._print(expr, **kwargs)  # type: ignore[no-any-return]
        if kwargs:
            return self._print_basic(expr, **kwargs)
        # A matrix of derivatives repeats its pieces (x3*cos(x3) in a hundred entries): each is
        # spelled once per process.  The spelling of a subexpression does not depend on where
        # it stands (parenthesize() wraps it from outside) and every _Printer has the default
        # settings, so the memo holds across printers.
        spelled = _SPELLED.get(expr)
        if spelled is None:
            spelled = self._print_basic(expr)
            if len(_SPELLED) >= _SPELLED_MAX:
                _SPELLED.clear()
            _SPELLED[expr] = spelled
        return spelled

    def _print_basic(self, expr: sp.Basic, **kwargs: object) -> str:
        if not _writable(expr):
            return UNREADABLE_OPEN + sp.sstr(expr) + UNREADABLE_CLOSE
        return super()._print(expr, **kwargs)  # type: ignore[no-any-return]

    def _print_Tuple(self, e: sp.Tuple) -> str:
        """``(1)`` for a one-component vector, not Python's ``(1,)``."""
        if len(e) == 1:
            return f"({self._print(e[0])})"
        return super()._print_Tuple(e)  # type: ignore[no-any-return]

    def _print_Abs(self, e: sp.Abs) -> str:
        return f"|{self._print(e.args[0])}|"

    def _print_Piecewise(self, e: sp.Piecewise) -> str:
        return f"({self.piecewise(e)})"

    def piecewise(self, e: sp.Piecewise) -> str:
        out = []
        for k, (value, condition) in enumerate(e.args):
            if condition == sp.true:
                out.append(self._print(value) if k else f"{self._print(value)} if True")
                return " else ".join(out)
            out.append(f"{self.parenthesize(value, PRECEDENCE['Relational'] + 1)} if {self._print(condition)}")
        return " else ".join(out)

    def _print_Relational(self, e: sp.Rel) -> str:
        op = {"==": "=", "!=": "!="}.get(e.rel_op, e.rel_op)
        prec = PRECEDENCE["Relational"] + 1
        return f"{self.parenthesize(e.lhs, prec)} {op} {self.parenthesize(e.rhs, prec)}"

    def _print_And(self, e: sp.And) -> str:
        return " and ".join(self.parenthesize(a, PRECEDENCE["And"] + 1) for a in _ordered(e.args))

    def _print_Or(self, e: sp.Or) -> str:
        return " or ".join(self.parenthesize(a, PRECEDENCE["Or"] + 1) for a in _ordered(e.args))

    def _print_Not(self, e: sp.Not) -> str:
        return f"not ({self._print(e.args[0])})"

    def _print_MatrixBase(self, m: sp.MatrixBase) -> str:
        return "[" + ", ".join("[" + ", ".join(self._print(c) for c in row) + "]" for row in m.tolist()) + "]"

    _print_ImmutableDenseMatrix = _print_MatrixBase
    _print_MutableDenseMatrix = _print_MatrixBase


def _ordered(args: Iterable[sp.Basic]) -> list[sp.Basic]:
    return sorted(args, key=sp.default_sort_key)


_WRITABLE = (
    sp.Add,
    sp.Mul,
    sp.Pow,
    sp.Rational,
    sp.Float,
    sp.NumberSymbol,
    sp.core.numbers.ImaginaryUnit,
    sp.core.numbers.Infinity,
    sp.core.numbers.NegativeInfinity,
    sp.core.numbers.ComplexInfinity,
    sp.core.numbers.NaN,
    sp.Piecewise,
    sp.Abs,
    sp.core.relational.Relational,
    sp.And,
    sp.Or,
    sp.Not,
    sp.logic.boolalg.BooleanAtom,
    sp.MatrixBase,
    sp.Tuple,
)


def _writable(e: sp.Basic) -> bool:
    """Whether the printer may write ``e``'s head in calccli's language (its arguments are checked in turn)."""
    if isinstance(e, sp.Symbol):
        return not isinstance(e, (sp.Dummy, sp.Wild)) and _name_reads_back(e.name)
    if isinstance(e, sp.NumberSymbol):
        return type(e).__name__ in _CONSTANT_CLASSES
    if isinstance(e, _WRITABLE):
        return not isinstance(e, sp.core.relational.Relational) or e.rel_op in ("==", "!=", "<", "<=", ">", ">=")
    if isinstance(e, sp.Function) and not isinstance(e, sp.core.function.AppliedUndef):
        name = type(e).__name__
        if name not in FUNCTIONS:
            return False
        low, high = FUNCTIONS[name]
        return low <= len(e.args) <= (high if high is not None else len(e.args))
    return False


_CONSTANT_CLASSES = frozenset({"Pi", "Exp1", "EulerGamma", "Catalan", "GoldenRatio", "TribonacciConstant"})


def _name_reads_back(name: str) -> bool:
    """A symbol's name the lexer reads as one variable: x, x1, x_1, theta, lambda2, rate (with --wrt)."""
    return IDENTIFIER.fullmatch(name) is not None and name not in KEYWORDS


def text(e: object) -> str:
    """An expression in calccli's own syntax, which calccli reads back.

    >>> x = sp.Symbol("x")
    >>> text(x**2), text(sp.Abs(x) / 2), text(sp.Piecewise((x, x > 0), (0, True)))
    ('x**2', '|x|/2', 'x if x > 0 else 0')
    >>> text(sp.meijerg([[1], []], [[], [0]], x))
    '«meijerg(((1,), ()), ((), (0,)), x)»'
    """
    if not isinstance(e, (sp.Basic, sp.MatrixBase)):
        return str(e)
    if isinstance(e, sp.Basic):
        return _text_of_basic(e)  # a big matrix repeats its entries: each distinct one is printed once
    return _print_text(e)


@functools.lru_cache(maxsize=4096)
def _text_of_basic(e: sp.Basic) -> str:
    return _print_text(e)


def _print_text(e: sp.Basic | sp.MatrixBase) -> str:
    limit = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)  # a result may hold 10,000 digits (limits.MAX_NUMBER_DIGITS)
    try:
        printer = _Printer()
        if isinstance(e, sp.Piecewise) and _writable(e):
            return printer.piecewise(e)
        return printer.doprint(e)
    finally:
        sys.set_int_max_str_digits(limit)


def jfloat(x: float | None) -> float | str | None:
    """A float for JSON: infinities and NaN become SymPy's strings.

    >>> jfloat(float("-inf")), jfloat(0.5)
    ('-oo', 0.5)
    """
    if x is None:
        return None
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "oo" if x > 0 else "-oo"
    return x


def point_text(at: Point) -> str:
    """A point as words: ``x = 1`` for one variable, ``(x, y) = (1, 0)`` for several.

    >>> x, y = sp.symbols("x y")
    >>> point_text({x: sp.Integer(1), y: sp.Integer(0)})
    '(x, y) = (1, 0)'
    """
    names = ", ".join(k.name for k in at)
    values = ", ".join(text(v) for v in at.values())
    return f"({names}) = ({values})" if len(at) > 1 else f"{names} = {values}"


def point_payload(at: Point | None) -> dict[str, str] | None:
    """A point for JSON, ``{name: value}``; ``None`` stays ``None``."""
    return None if at is None else {k.name: text(v) for k, v in at.items()}


def names(variables: Iterable[sp.Symbol]) -> list[str]:
    """The variables' names, in order."""
    return [v.name for v in variables]


def by_name(variables: Iterable[sp.Symbol], exprs: Iterable[object]) -> dict[str, str]:
    """``{variable name: expression text}``, pairing the two sequences."""
    return {v.name: text(e) for v, e in zip(variables, exprs, strict=True)}


def values_payload(vs: Iterable[Value]) -> tuple[list[str], list[float | str | None]]:
    """The exact texts and the JSON floats of a sequence of values."""
    vs = list(vs)
    return [text(v.exact) for v in vs], [jfloat(v.numeric) for v in vs]


def matrix_payload(m: sp.MatrixBase) -> list[list[str]]:
    """A matrix for JSON: a list of rows of expression texts."""
    return [[text(c) for c in row] for row in m.tolist()]


def floats_payload(m: list[list[float | None]]) -> list[list[float | str | None]]:
    """A matrix of floats for JSON, infinities and NaN as strings."""
    return [[jfloat(c) for c in row] for row in m]
