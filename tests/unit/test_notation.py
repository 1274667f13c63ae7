"""The notation of issue 11: names that read back, piecewise formulas, definitions, subscripts,
refused misreadings and huge numbers refused at once.  Each case is an exact SymPy object."""

from __future__ import annotations

import pytest
import sympy as sp

from calccli import limits
from calccli.errors import FormulaError, InputLimitError, UsageError
from calccli.formula import build, grammar, lexer, names
from calccli.results.values import text

S = build.symbol
x, y, z, n = (S(v) for v in "xyzn")


# ------------------------------------------------------------------ names calccli prints


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("EulerGamma*x", sp.EulerGamma * x),
        ("EulerGamma x", sp.EulerGamma * x),
        ("2Catalan", 2 * sp.Catalan),
        ("GoldenRatio**2", sp.GoldenRatio**2),
        ("TribonacciConstant", sp.TribonacciConstant),
        ("zeta(3)", sp.zeta(3)),
        ("zeta(x, 2)", sp.zeta(x, 2)),
        ("beta(x, y)", sp.beta(x, y)),
        ("zoo", sp.zoo),
    ],
)
def test_names_calccli_prints_read_back_as_themselves(printed: str, expected: sp.Expr) -> None:
    assert grammar.formula(printed).expr == expected


def test_every_name_in_the_allow_lists_reads_whole() -> None:
    """No run of letters that is a known name splits: each constant and function reads as itself."""
    for name in names.READ_CONSTANTS:
        assert [t.value for t in lexer.tokenize(name)][:-1] == [name], name
    for name in names.FUNCTIONS:
        assert [(t.kind, t.value) for t in lexer.tokenize(f"{name}(x)")][0] == ("FUNC", name), name


def test_zeta_and_beta_are_variables_unless_called() -> None:
    assert grammar.formula("zeta + beta").expr == S("zeta") + S("beta")
    assert grammar.formula("zeta(2)").expr == sp.pi**2 / 6


def test_functions_lists_only_names_a_user_types() -> None:
    assert "zoo" not in names.CONSTANTS and "nan" not in names.CONSTANTS
    assert {"EulerGamma", "Catalan", "GoldenRatio"} <= set(names.CONSTANTS)


# ------------------------------------------------------------------ piecewise


@pytest.mark.parametrize(
    ("text_", "expected"),
    [
        ("x if x > 0 else -x", sp.Piecewise((x, x > 0), (-x, True))),
        (
            "x^(n+1)/(n+1) if n != -1 else log(x)",
            sp.Piecewise((x ** (n + 1) / (n + 1), sp.Ne(n, -1)), (sp.log(x), True)),
        ),
        ("1 if x = 0 else 0", sp.Piecewise((1, sp.Eq(x, 0)), (0, True))),
        ("1 if x == 0 else 0", sp.Piecewise((1, sp.Eq(x, 0)), (0, True))),
        ("x if x <= 1 else 2 if x < 3 else 0", sp.Piecewise((x, x <= 1), (2, x < 3), (0, True))),
        ("x if 0 < x < 1", sp.Piecewise((x, (x > 0) & (x < 1)))),
        ("1 if x > 0 and y > 0 or z >= 1 else 0", sp.Piecewise((1, ((x > 0) & (y > 0)) | (z >= 1)), (0, True))),
        ("1 if (x > 0 or y > 0) and z >= 1 else 0", sp.Piecewise((1, ((x > 0) | (y > 0)) & (z >= 1)), (0, True))),
        ("1 if not (x > 0) else 0", sp.Piecewise((1, x <= 0), (0, True))),
        (
            "x y/(x^2+y^2) if (x,y) != (0,0) else 0",
            sp.Piecewise((x * y / (x**2 + y**2), sp.Ne(x, 0) | sp.Ne(y, 0)), (0, True)),
        ),
        ("1 if (x, y) = (0, 0) else 0", sp.Piecewise((1, sp.Eq(x, 0) & sp.Eq(y, 0)), (0, True))),
        ("2(x if x > 0 else 0) + 1", 2 * sp.Piecewise((x, x > 0), (0, True)) + 1),
        ("(x+1)^2 if (x+1)^2 > 1 else 0", sp.Piecewise(((x + 1) ** 2, (x + 1) ** 2 > 1), (0, True))),
        ("x if x ≥ 0 else 0", sp.Piecewise((x, x >= 0), (0, True))),
        ("sin(x if x > 0 else 0)", sp.sin(sp.Piecewise((x, x > 0), (0, True)))),
    ],
)
def test_piecewise_syntax(text_: str, expected: sp.Expr) -> None:
    got = grammar.formula(text_).expr
    assert got == expected
    assert grammar.formula(text(got)).expr == got


@pytest.mark.parametrize(
    ("text_", "fragment"),
    [
        ("x if else 1", "unexpected 'else'"),
        ("x if x else 1", "expected a comparison"),
        ("x > 0", "comparison belongs in a condition"),
        ("x if (x, y) < (0, 0) else 1", "compares with = or !="),
        ("x if (x, y) != (0, 0, 0) else 1", "compare 2 values"),
        ("x if I > 0 else 1", "cannot build"),
        ("x and y", "piecewise"),
    ],
)
def test_piecewise_errors_are_usage_errors(text_: str, fragment: str) -> None:
    with pytest.raises(FormulaError, match=fragment):
        grammar.formula(text_)


def test_equations_still_read_with_comparisons_inside() -> None:
    assert grammar.equation("x^2 + y^2 = 1") == x**2 + y**2 - 1
    assert grammar.equation("x = (1 if y >= 0 else 2)") == x - sp.Piecewise((1, y >= 0), (2, True))


@pytest.mark.parametrize("equation", ["x^2 + y^2 = zoo", "zoo x + y = 1", "x = oo", "x + I y = 1", "nan = x"])
def test_equations_with_infinite_or_imaginary_parts_are_usage_errors(equation: str) -> None:
    with pytest.raises(UsageError):
        grammar.equation(equation)


# ------------------------------------------------------------------ definitions


@pytest.mark.parametrize(
    ("text_", "expected", "order"),
    [
        ("f(x,y) = 3x^2 y", 3 * x**2 * y, ("x", "y")),
        ("f(y, x) = 3x^2 y", 3 * x**2 * y, ("y", "x")),
        ("g(rate, t) = rate t", S("rate") * S("t"), ("rate", "t")),
        ("f(x) = a x^2", S("a") * x**2, ("x",)),
        ("f = x y", x * y, ("x", "y")),
        ("z = x^2 + y^2", x**2 + y**2, ("x", "y")),
        ("F(x, y) = [x y, x + y]", None, ("x", "y")),
    ],
)
def test_a_definition_is_its_right_side_and_its_left_side_gives_the_order(
    text_: str, expected: sp.Expr | None, order: tuple[str, ...]
) -> None:
    f = grammar.formula(text_)
    if expected is not None:
        assert f.expr == expected
    else:
        assert f.exprs == (x * y, x + y)
    assert tuple(v.name for v in f.variables) == order


def test_wrt_overrides_a_definitions_order() -> None:
    assert grammar.formula("f(x, y) = x y", wrt=["y", "x"]).variables == (y, x)


@pytest.mark.parametrize(
    ("text_", "fragment"),
    [
        ("f(x) = f(x) + 1", "defined in terms of itself"),
        ("f(x+1) = x", "not a variable name"),
        ("f(x) = x +", "unexpected end of formula"),
    ],
)
def test_bad_definitions(text_: str, fragment: str) -> None:
    with pytest.raises(UsageError, match=fragment):
        grammar.formula(text_)


def test_a_definition_error_points_into_the_whole_text() -> None:
    with pytest.raises(FormulaError) as info:
        grammar.formula("f(x) = x + )")
    assert info.value.text == "f(x) = x + )" and info.value.pos == 11


# ------------------------------------------------------------------ subscripts


@pytest.mark.parametrize(
    ("text_", "expected"),
    [
        ("w_1x_1 + w_2x_2", S("w_1") * S("x_1") + S("w_2") * S("x_2")),
        ("x₁ + x₂", S("x_1") + S("x_2")),
        ("x₁₂y", S("x_12") * y),
        ("θ₁", S("theta_1")),
        ("x_ij", S("x_ij")),
        ("x_1y", S("x_1") * y),
    ],
)
def test_subscripts_as_in_the_notes(text_: str, expected: sp.Expr) -> None:
    assert grammar.formula(text_).expr == expected


def test_unicode_subscripts_print_as_underscores() -> None:
    assert text(grammar.formula("x₁^2").expr) == "x_1**2"


# ------------------------------------------------------------------ silent misreadings


@pytest.mark.parametrize("text_", ["x^T A x", "x^T", "(x+y)^T"])
def test_transpose_is_refused_with_a_pointer_to_matdiff(text_: str) -> None:
    with pytest.raises(FormulaError, match="matdiff"):
        grammar.formula(text_)


def test_a_power_t_in_parentheses_is_a_power() -> None:
    assert grammar.formula("x^(T)").expr == x ** S("T")
    assert grammar.formula("x^t").expr == x ** S("t")
    assert grammar.formula("x^T", wrt=["x", "T"]).expr == x ** S("T")  # T named as a variable


@pytest.mark.parametrize("name", ["E", "e", "I"])
def test_a_constant_named_in_wrt_is_a_variable(name: str) -> None:
    f = grammar.formula(f"{name} x^2", wrt=[name, "x"])
    assert f.expr == S(name) * x**2


@pytest.mark.parametrize("name", ["pi", "oo", "zoo"])
def test_pi_and_infinities_stay_constants(name: str) -> None:
    with pytest.raises(UsageError):
        grammar.formula("x", wrt=[name])


# ------------------------------------------------------------------ huge numbers


@pytest.mark.parametrize(
    "text_",
    [
        "(2x)^100000",
        "(3 x y)^30000",
        "(sqrt(2) x)^100000",
        "polygamma(10^5, 1)",
        "polygamma(1001, x)",
        "binomial(10^1000, 999)",
        "binomial(10^20, 600)",
        "zeta(-100000)",
    ],
)
def test_huge_numbers_are_refused_at_once(text_: str) -> None:
    with pytest.raises(InputLimitError):
        grammar.formula(text_)


@pytest.mark.parametrize(
    ("text_", "expected"),
    [
        ("(2x)^1000", 2**1000 * x**1000),
        ("polygamma(3, x)", sp.polygamma(3, x)),
        ("binomial(10^6, 500)", sp.binomial(10**6, 500)),
        ("x^100000", x**100000),
    ],
)
def test_numbers_within_the_limits_are_built(text_: str, expected: sp.Expr) -> None:
    assert grammar.formula(text_).expr == expected


def test_the_literal_limit_agrees_with_the_number_limit() -> None:
    """A number calccli may build (and print) can be pasted back as a literal."""
    assert limits.MAX_LITERAL_DIGITS >= limits.MAX_NUMBER_DIGITS
    big = sp.Integer(7) ** 11800  # 9,972 digits
    assert grammar.formula(text(big)).expr == big


def test_the_variable_limit_counts_each_variable_once():
    # --wrt names the formula's own variables: they are the same variables, not twice as many.
    xs = [f"x{i}" for i in range(1, limits.MAX_VARIABLES + 1)]
    f = grammar.formula(" + ".join(xs), xs)
    assert len(f.variables) == limits.MAX_VARIABLES
    with pytest.raises(InputLimitError):
        grammar.formula(" + ".join(xs) + " + y", [*xs, "y"])
