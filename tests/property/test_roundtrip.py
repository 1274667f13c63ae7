"""What calccli prints reads back as what it printed (results/values.text is the parser's inverse).

* Generated SymPy expressions (with |x|, piecewise, special functions and the constants SymPy
  prints), and the derivatives and antiderivatives SymPy computes from them, are printed with
  ``text`` and read back with the formula parser: the same object, or the same values at a
  few points.
* What ``text`` cannot write in the language is marked ``« »``, and the parser refuses it
  (a usage error, exit 2): never a different reading.
"""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
import sympy as sp
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from calccli.errors import FormulaError
from calccli.formula import build, grammar
from calccli.results.values import text

S = build.symbol
x, y, n = S("x"), S("y"), S("n")
NAMES = ["x", "y", "n", "x_1", "theta", "lambda2"]

leaves = st.one_of(
    st.integers(-5, 5).map(sp.Integer),
    st.tuples(st.integers(-7, 7), st.integers(1, 6)).map(lambda p: sp.Rational(*p)),
    st.sampled_from([S(v) for v in NAMES]),
    st.sampled_from([sp.pi, sp.E, sp.EulerGamma, sp.Catalan, sp.GoldenRatio, sp.I]),
)

UNARY: list[Callable[[sp.Expr], sp.Expr]] = [
    sp.sin,
    sp.cos,
    sp.tan,
    sp.exp,
    sp.log,
    sp.sqrt,
    sp.Abs,
    sp.atan,
    sp.asin,
    sp.sinh,
    sp.erf,
    sp.gamma,
    sp.sign,
    sp.floor,
    sp.Heaviside,
    sp.zeta,
    sp.LambertW,
    sp.Ei,
    sp.Si,
    sp.cbrt,
]
CONDITIONS: list[Callable[[sp.Expr, sp.Expr], sp.Basic]] = [sp.Lt, sp.Le, sp.Gt, sp.Ge, sp.Eq, sp.Ne]


def _apply(fn: Callable[[sp.Expr], sp.Expr], a: sp.Expr) -> sp.Expr:
    """``fn(a)``, or ``a`` itself where SymPy refuses the argument (Heaviside(I) raises)."""
    try:
        return fn(a)
    except (ValueError, TypeError, ArithmeticError):
        return a


def _combine(children: st.SearchStrategy[sp.Expr]) -> st.SearchStrategy[sp.Expr]:
    binary = st.tuples(st.sampled_from(["+", "-", "*", "/"]), children, children).map(
        lambda t: {"+": sp.Add, "-": lambda a, b: a - b, "*": sp.Mul, "/": lambda a, b: a / b}[t[0]](t[1], t[2])
    )
    power = st.tuples(children, st.sampled_from([-2, -1, 2, 3, sp.Rational(1, 2), n])).map(lambda t: t[0] ** t[1])
    unary = st.tuples(st.sampled_from(UNARY), children).map(lambda t: _apply(t[0], t[1]))
    subjects = st.sampled_from([x, y, n, x + y, x - 1, x * y])  # real, so that comparisons are defined
    piecewise = st.tuples(children, children, st.sampled_from(CONDITIONS), subjects, st.booleans()).map(
        lambda t: sp.Piecewise((t[0], t[2](t[3], 0)), (t[1], True if t[4] else sp.Ne(t[3], 1)))
    )
    return st.one_of(binary, binary, power, unary, piecewise)


expressions = st.recursive(leaves, _combine, max_leaves=6)


@contextmanager
def seconds(limit: int) -> Iterator[None]:
    """Give up (skip the example) when SymPy takes longer than ``limit`` seconds."""

    def stop(*_: object) -> None:
        raise TimeoutError

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(limit)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _value(e: sp.Basic, point: dict[sp.Symbol, sp.Expr]) -> complex | None:
    try:
        v = sp.N(e.subs(point), 20)
        return complex(v) if v.is_number and v.is_finite else None
    except (TypeError, ValueError, ArithmeticError):
        return None


def same_value(a: sp.Basic, b: sp.Basic) -> bool:
    symbols = sorted(a.free_symbols | b.free_symbols, key=lambda s: s.name)
    samples = [sp.Rational(7, 10), sp.Rational(-13, 10), sp.Rational(21, 10), sp.Rational(5, 2)]
    for shift in range(3):
        point = {s: samples[(j + shift) % len(samples)] for j, s in enumerate(symbols)}
        va, vb = _value(a, point), _value(b, point)
        if (va is None) != (vb is None):
            return False
        if va is not None and vb is not None and abs(va - vb) > 1e-9 * (1 + abs(va)):
            return False
    return True


def reads_back(e: sp.Expr) -> None:
    """``text(e)`` parses back to ``e`` (or an equal value), or is marked and refused."""
    printed = text(e)
    declared = sorted(s.name for s in e.free_symbols)
    if "«" in printed:
        with pytest.raises(FormulaError, match="cannot be read back"):
            grammar.formula(printed, declare=declared or None)
        return
    again = grammar.formula(printed, declare=declared or None).expr
    assert again == e or same_value(again, e), f"{printed!r} read back as {again}"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expressions)
def test_printed_expressions_read_back(e: sp.Expr) -> None:
    assume(isinstance(e, sp.Expr))
    reads_back(e)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expressions)
def test_printed_derivatives_read_back(e: sp.Expr) -> None:
    assume(isinstance(e, sp.Expr))
    try:
        with seconds(3):
            d = sp.diff(e, x)
    except TimeoutError:
        assume(False)
    reads_back(d)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expressions)
def test_printed_antiderivatives_read_back(e: sp.Expr) -> None:
    assume(isinstance(e, sp.Expr))
    try:
        with seconds(3):
            F = sp.integrate(e, x)
    except (TimeoutError, Exception):
        assume(False)
    reads_back(F)


@pytest.mark.parametrize(
    ("expr", "printed"),
    [
        (sp.EulerGamma * x, "EulerGamma*x"),
        (sp.Catalan + sp.GoldenRatio, "Catalan + GoldenRatio"),
        (sp.zeta(3), "zeta(3)"),
        (sp.Abs(x) / 2, "|x|/2"),
        (sp.Abs(sp.Abs(x) - 1), "||x| - 1|"),
        (
            sp.Piecewise((x ** (n + 1) / (n + 1), sp.Ne(n, -1)), (sp.log(x), True)),
            "x**(n + 1)/(n + 1) if n != -1 else log(x)",
        ),
        (2 * sp.Piecewise((x, x > 0), (0, True)), "2*(x if x > 0 else 0)"),
        (sp.Piecewise((1, sp.Ne(x, 0) | sp.Ne(y, 0))), "1 if x != 0 or y != 0"),
        (sp.Piecewise((x, (x > 0) & (y <= 1)), (y, True)), "x if y <= 1 and x > 0 else y"),
        (sp.Piecewise((x, sp.Eq(y, 0)), (y, True)), "x if y = 0 else y"),
        (S("x_1") * S("w_1"), "w_1*x_1"),
    ],
)
def test_the_printer_writes_calccli_syntax_that_reads_back(expr: sp.Expr, printed: str) -> None:
    assert text(expr) == printed
    declared = sorted(s.name for s in expr.free_symbols)
    assert grammar.formula(printed, declare=declared or None).expr == expr


@pytest.mark.parametrize(
    "expr",
    [
        sp.AccumBounds(-1, 1),
        sp.Subs(sp.Derivative(sp.Function("f")(x), x), x, 1),
        sp.meijerg([[1], []], [[], [0]], x),
        sp.Integral(sp.exp(x**3), x),
        sp.Dummy("t") + 1,
        sp.besselj(0, x),
        sp.hyper([1], [2], x),
        sp.O(x**3),
    ],
    ids=["AccumBounds", "Subs", "meijerg", "Integral", "Dummy", "besselj", "hyper", "Order"],
)
def test_what_the_language_cannot_write_is_marked_and_refused(expr: sp.Basic) -> None:
    printed = text(expr)
    assert "«" in printed and "»" in printed
    with pytest.raises(FormulaError, match="cannot be read back"):
        grammar.formula(printed)


def test_a_ten_thousand_digit_result_pastes_back() -> None:
    big = sp.Integer(2) ** 33000  # under limits.MAX_NUMBER_DIGITS, over Python's 4,300-digit str limit
    assert grammar.formula(text(big)).expr == big
