"""LaTeX as pasted from homework and lecture notes reads in calccli's own grammar (no sympy.parsing.latex).

Each case compares with a SymPy object built here; errors keep the caret at the column of the
original text.
"""

from __future__ import annotations

import pytest
import sympy as sp

from calccli.errors import FormulaError
from calccli.formula import build, grammar

S = build.symbol
x, y, a, b, r, t = (S(v) for v in "xyabrt")
theta, alpha, phi = S("theta"), S("alpha"), S("phi")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (r"\frac{a}{b}", a / b),
        (r"\dfrac{x+1}{x-1}", (x + 1) / (x - 1)),
        (r"\tfrac{1}{2} x", x / 2),
        (r"\frac{1}{2}\frac{x}{3}", x / 6),
        (r"\sqrt{x}", sp.sqrt(x)),
        (r"\sqrt{x}^2", x),  # the root is one factor, then squared (x >= 0 is not assumed: sqrt(x)**2)
        (r"\sqrt[3]{x}", sp.sign(x) * sp.Abs(x) ** sp.Rational(1, 3)),
        (r"\sqrt[3]{-8}", sp.Integer(-2)),
        (r"\sin x", sp.sin(x)),
        (r"\sin^2 x + \cos^{2} x", sp.sin(x) ** 2 + sp.cos(x) ** 2),
        (r"\sin{x}", sp.sin(x)),
        (r"\ln x", sp.log(x)),
        (r"\log(x)", sp.log(x)),
        (r"\exp(x)", sp.exp(x)),
        (r"\arctan x", sp.atan(x)),
        (r"e^{x+y}", sp.exp(x + y)),
        (r"x^{2}", x**2),
        (r"x^{-1}", 1 / x),
        (r"x_{1} + x_2", S("x_1") + S("x_2")),
        (r"x_{12}", S("x_12")),
        (r"2 \cdot x", 2 * x),
        (r"3 \times y", 3 * y),
        (r"x \div 2", x / 2),
        (r"\left( x + 1 \right)^2", (x + 1) ** 2),
        (r"\left[ x + 1 \right] y", (x + 1) * y),
        (r"\left| x \right|", sp.Abs(x)),
        (r"2\pi r", 2 * sp.pi * r),
        (r"\theta + \alpha + \varphi", theta + alpha + phi),
        (r"\theta_1", S("theta_1")),
        (r"x \, y \; z \! \quad t \qquad", x * y * S("z") * t),
        (r"\frac{\sqrt{x}}{2}", sp.sqrt(x) / 2),
        (r"\infty", sp.oo),
        (r"x^2 \text", None),
    ],
)
def test_latex_reads_as_the_formula_it_typesets(text: str, expected: sp.Expr | None) -> None:
    if expected is None:
        with pytest.raises(FormulaError):
            grammar.formula(text)
        return
    assert grammar.formula(text).expr == expected


def test_latex_piecewise_conditions() -> None:
    assert grammar.formula(r"x if x \ge 0 else -x").expr == sp.Piecewise((x, x >= 0), (-x, True))
    assert grammar.formula(r"1 if x \neq 0 else 0").expr == sp.Piecewise((1, sp.Ne(x, 0)), (0, True))


@pytest.mark.parametrize(
    ("text", "pos", "fragment"),
    [
        (r"x + \partial y", 4, "calccli diff"),
        (r"\frac{d}{dx} x^2", 0, "calccli diff"),
        (r"\int x", 0, "calccli integrate"),
        (r"2 + \foo{x}", 4, r"unknown LaTeX command \foo"),
        (r"\frac{1}", 0, ""),
        (r"x + \sqrt", 4, "needs an argument"),
        (r"\left( x", 0, "unclosed '('"),
        (r"x \pm 1", 2, "two values"),
        ("x + \\", 4, "lone"),
    ],
)
def test_latex_errors_point_at_the_original_column(text: str, pos: int, fragment: str) -> None:
    with pytest.raises(FormulaError) as info:
        grammar.formula(text)
    if fragment:
        assert fragment in str(info.value)
    if fragment != "needs an argument" and fragment:
        assert info.value.pos == pos


# ------------------------------------------------------------------ SymPy's own LaTeX reads back

_x, _y = S("x"), S("y")


@pytest.mark.parametrize(
    "expr",
    [
        _x**2 * _y + sp.sin(_y),
        sp.sin(_x) ** 2 + sp.cos(_x) ** 2 / 3,
        sp.exp(-(_x**2) - _y**2) / sp.sqrt(2 * sp.pi),
        sp.log(sp.Abs(_x)) + sp.atan(_x / _y),
        sp.Rational(3, 4) * _x ** sp.Rational(3, 2) - 1 / (_x + 1),  # \sqrt[3]{x} is the real root here
        S("theta_1") ** 2 + S("lambda_2") * S("x_1"),  # lambda2 prints as \lambda_{2} too
        sp.asin(_x) + sp.cosh(_y) - sp.pi * _x,
        (_x + 1) ** (_y - 1),
    ],
    ids=str,
)
def test_latex_printed_by_sympy_reads_back(expr: sp.Expr) -> None:
    """What calccli prints with --format latex (sp.latex) pastes back as the same expression."""
    printed = sp.latex(expr)
    got = grammar.formula(printed).expr
    assert got == expr or sp.simplify(got - expr) == 0, printed
