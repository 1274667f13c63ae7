"""Unit tests of calccli's own formula parser (calccli/parse.py).

Every case compares the parsed SymPy object with one built here from SymPy and
the parser's real symbols, so a change of meaning (not just of printing) fails.
"""

from __future__ import annotations

import pytest
import sympy as sp

from calccli import limits
from calccli.errors import CalcError, FormulaError, InputLimitError, UsageError
from calccli.formula import build, grammar, lexer, readers

S = build.symbol
x, y, z, t, n, k, r = (S(c) for c in "xyztnkr")
a, b, c, d, i = (S(v) for v in "abcdi")
theta, alpha, rho, phi = (S(v) for v in ("theta", "alpha", "rho", "phi"))


def parses_to(text: str, expected: object) -> None:
    got = grammar.expression(text)
    assert got == expected, f"{text!r} parsed as {got!r}, expected {expected!r}"


def parse_error(text: str, kind: type[CalcError] = FormulaError, **kwargs: object) -> CalcError:
    with pytest.raises(kind) as info:
        grammar.formula(text, **kwargs)  # type: ignore[arg-type]
    return info.value


# ============================================================ symbols


def test_symbols_are_real_and_shared() -> None:
    assert S("x").is_real
    assert S("x") is S("x")
    assert grammar.expression("x") is S("x")
    assert grammar.expression("x") != sp.Symbol("x")  # a plain (complex) symbol is another thing


# ============================================================ numbers


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2", sp.Integer(2)),
        ("0", sp.Integer(0)),
        ("007", sp.Integer(7)),
        ("2.5", sp.Rational(5, 2)),
        (".5", sp.Rational(1, 2)),
        ("2.", sp.Integer(2)),
        ("0.1", sp.Rational(1, 10)),
        ("0.125", sp.Rational(1, 8)),
        ("1e-3", sp.Rational(1, 1000)),
        ("1E3", sp.Integer(1000)),
        ("1e+3", sp.Integer(1000)),
        ("2.5e2", sp.Integer(250)),
        ("1.5e-1", sp.Rational(3, 20)),
        ("123456789012345678901234567890", sp.Integer(123456789012345678901234567890)),
        ("0.333333333333333333333", sp.Rational(333333333333333333333, 10**21)),
        ("1e1000", sp.Integer(10) ** 1000),
    ],
)
def test_number_literals_are_exact_rationals(text: str, value: sp.Rational) -> None:
    got = grammar.expression(text)
    assert got == value
    assert got.is_Rational


def test_decimal_sum_is_exact() -> None:
    parses_to("0.1 + 0.2", sp.Rational(3, 10))


# ============================================================ operators and precedence


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x + y", x + y),
        ("x - y", x - y),
        ("x * y", x * y),
        ("x / y", x / y),
        ("x ^ 2", x**2),
        ("x ** 2", x**2),
        ("x^-1", 1 / x),
        ("x**-1", 1 / x),
        ("x^+2", x**2),
        ("x^(1/2)", sp.sqrt(x)),
        ("-x", -x),
        ("+x", x),
        ("--x", x),
        ("- - -x", -x),
        ("2*-x", -2 * x),
        ("x - -y", x + y),
        ("(x + 1)", x + 1),
        ("((x))", x),
        ("x - y - z", x - y - z),
        ("x / y / z", x / (y * z)),
        ("x + y*z", x + y * z),
        ("(x + y)*z", (x + y) * z),
        ("x*y^2", x * y**2),
        ("(x*y)^2", x**2 * y**2),
        ("2 + 3*4", sp.Integer(14)),
        ("2*3^2", sp.Integer(18)),
        ("7/2", sp.Rational(7, 2)),
        ("1/0", sp.zoo),
        ("0/0", sp.nan),
    ],
)
def test_arithmetic_operators_and_precedence(text: str, expected: sp.Expr) -> None:
    parses_to(text, expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2^3^2", sp.Integer(512)),  # 2^(3^2), not (2^3)^2 = 64
        ("x^y^z", x ** (y**z)),
        ("x**y**z", x ** (y**z)),
        ("2^-1^2", sp.Rational(1, 2)),  # 2^(-(1^2))
        ("x^-y^2", x ** (-(y**2))),
        ("-2^2", sp.Integer(-4)),
        ("-x^2", -(x**2)),
        ("(-2)^2", sp.Integer(4)),
        ("e^-x^2", sp.exp(-(x**2))),
        ("e^x", sp.exp(x)),
        ("2^3!", sp.Integer(64)),
        ("3!^2", sp.Integer(36)),
        ("-3!", sp.Integer(-6)),
    ],
)
def test_power_is_right_associative_and_binds_tighter_than_unary_minus(text: str, expected: sp.Expr) -> None:
    parses_to(text, expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("|x|", sp.Abs(x)),
        ("|x - 1|", sp.Abs(x - 1)),
        ("|-x|", sp.Abs(x)),
        ("|x|^2", sp.Abs(x) ** 2),
        ("|x||y|", sp.Abs(x) * sp.Abs(y)),
        ("|x|y", sp.Abs(x) * y),
        ("2|x|", 2 * sp.Abs(x)),
        ("x|y|", x * sp.Abs(y)),
        ("| x + |y| |", sp.Abs(x + sp.Abs(y))),
        ("|x|!", sp.factorial(sp.Abs(x))),
        ("ln|x|", sp.log(sp.Abs(x))),
        ("|-3|", sp.Integer(3)),
    ],
)
def test_absolute_value_bars(text: str, expected: sp.Expr) -> None:
    parses_to(text, expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("n!", sp.factorial(n)),
        ("3!", sp.Integer(6)),
        ("0!", sp.Integer(1)),
        ("(3)!", sp.Integer(6)),
        ("(n+1)!", sp.factorial(n + 1)),
        ("x!!", sp.factorial(sp.factorial(x))),  # (x!)!, not the double factorial
        ("3!!", sp.Integer(720)),
        ("2x!", 2 * sp.factorial(x)),
        ("x! y", sp.factorial(x) * y),
        ("n!/(k!(n-k)!)", sp.factorial(n) / (sp.factorial(k) * sp.factorial(n - k))),
    ],
)
def test_postfix_factorial(text: str, expected: sp.Expr) -> None:
    parses_to(text, expected)


# ============================================================ implicit multiplication


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2x", 2 * x),
        ("2 x", 2 * x),
        ("2 x y", 2 * x * y),
        ("4xy", 4 * x * y),
        ("x y", x * y),
        ("x 2", 2 * x),
        ("3.5x", sp.Rational(7, 2) * x),
        (".5x", x / 2),
        ("1e3x", 1000 * x),
        ("x(y+1)", x * (y + 1)),
        ("2(x+1)", 2 * (x + 1)),
        ("(x+1)(x-1)", (x + 1) * (x - 1)),
        ("(x+1)2", 2 * (x + 1)),
        ("(x)(y)", x * y),
        ("2(3)", sp.Integer(6)),
        ("(2)(3)", sp.Integer(6)),
        ("2 sin(x)", 2 * sp.sin(x)),
        ("2sin(x)", 2 * sp.sin(x)),
        ("x sin y", x * sp.sin(y)),
        ("xsin(y)", x * sp.sin(y)),
        ("sin(x)cos(x)", sp.sin(x) * sp.cos(x)),
        ("2x^2", 2 * x**2),
        ("(2x)^2", 4 * x**2),
        ("x^2y", x**2 * y),
        ("x^2 y + sin(y)", x**2 * y + sp.sin(y)),
        ("2√x", 2 * sp.sqrt(x)),
        ("x√y", x * sp.sqrt(y)),
        ("2π", 2 * sp.pi),
        ("2e", 2 * sp.E),
        ("πr²", sp.pi * r**2),
    ],
)
def test_implicit_multiplication(text: str, expected: sp.Expr) -> None:
    parses_to(text, expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1/2x", x / 2),  # (1/2)*x: implicit product has the precedence of * and / (documented)
        ("1/2 x", x / 2),
        ("x/2y", x * y / 2),
        ("1/2(x+1)", (x + 1) / 2),
        ("6/2(1+2)", sp.Integer(9)),
        ("1/(2x)", 1 / (2 * x)),
    ],
)
def test_implicit_product_has_the_precedence_of_division(text: str, expected: sp.Expr) -> None:
    parses_to(text, expected)


# ============================================================ names: splitting runs of letters


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("xy", x * y),
        ("xyz", x * y * z),
        ("abcd", a * b * c * d),
        ("a b c d", a * b * c * d),
        ("foo", S("f") * S("o") ** 2),  # not followed by "(": a product of letters
        ("theta", theta),
        ("alpha + rho*phi", alpha + rho * phi),
        ("alphabeta", alpha * S("beta")),
        ("thetax", theta * x),
        ("xtheta", x * theta),
        ("zeta", S("zeta")),  # longest known word wins over z*eta
        ("eta", S("eta")),
        ("beta", S("beta")),
        ("Gamma", S("Gamma")),
        ("Delta x", S("Delta") * x),
        ("gamma", S("gamma")),  # a variable unless called
        ("gamma x", S("gamma") * x),
        ("pix", sp.pi * x),
        ("ex", sp.E * x),
        ("xe", sp.E * x),
        ("epi", sp.E * sp.pi),
        ("sinx", sp.sin(x)),
        ("sinxy", sp.sin(x * y)),
        ("2xsin y", 2 * x * sp.sin(y)),
        ("expx", sp.exp(x)),
    ],
)
def test_letter_runs_split_into_known_names_and_single_letters(text: str, expected: sp.Expr) -> None:
    parses_to(text, expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x1", S("x1")),
        ("x_1", S("x_1")),
        ("w2", S("w2")),
        ("x10", S("x10")),
        ("x1y", S("x1") * y),
        ("x2y", S("x2") * y),
        ("x2 y", S("x2") * y),
        ("2x2", 2 * S("x2")),
        ("x_a", S("x_a")),
        ("w_ij", S("w_ij")),
        ("w_ij2", S("w_ij2")),
        ("theta2", S("theta2")),
        ("theta_1", S("theta_1")),
        ("θ2", S("theta2")),
        ("θ_1", S("theta_1")),
    ],
)
def test_letters_followed_by_digits_or_subscripts_are_one_name(text: str, expected: sp.Expr) -> None:
    parses_to(text, expected)


@pytest.mark.parametrize(
    ("text", "wrt", "expected"),
    [
        ("rate*t", ["rate", "t"], S("rate") * t),
        ("rate t", ["rate", "t"], S("rate") * t),
        ("2rate", ["rate"], 2 * S("rate")),
        ("ab + c", ["ab", "c"], S("ab") + c),
        ("abx", ["ab", "x"], S("ab") * x),
        ("xy", ["xy"], S("xy")),
        ("gamma(x)", ["gamma", "x"], S("gamma") * x),  # a declared name is a variable
        ("sigma^2", ["sigma"], S("sigma") ** 2),
        ("θ + 1", ["θ"], theta + 1),
    ],
)
def test_names_declared_with_wrt_stay_whole(text: str, wrt: list[str], expected: sp.Expr) -> None:
    f = grammar.formula(text, wrt=wrt)
    assert f.expr == expected


def test_expression_accepts_declared_names() -> None:
    assert grammar.expression("ab c", declared=frozenset({"ab"})) == S("ab") * c


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pi", sp.pi),
        ("π", sp.pi),
        ("e", sp.E),
        ("E", sp.E),
        ("ln(e)", sp.Integer(1)),
        ("oo", sp.oo),
        ("inf", sp.oo),
        ("infinity", sp.oo),
        ("∞", sp.oo),
        ("-oo", -sp.oo),
        ("-inf", -sp.oo),
        ("-∞", -sp.oo),
        ("oo + 1", sp.oo),
        ("I", sp.I),
        ("I^2", sp.Integer(-1)),
        ("e^(Iπ)", sp.Integer(-1)),
        ("zoo", sp.zoo),
        ("nan", sp.nan),
    ],
)
def test_constants(text: str, expected: sp.Expr) -> None:
    parses_to(text, expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("i", i),
        ("i^2", i**2),
        ("3 i", 3 * i),
        ("e^(iπ)", sp.exp(sp.pi * i)),
    ],
)
def test_lowercase_i_is_an_ordinary_real_variable(text: str, expected: sp.Expr) -> None:
    parses_to(text, expected)
    assert grammar.expression("i").is_real


# ============================================================ functions


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # trigonometric
        ("sin(x)", sp.sin(x)),
        ("cos(x)", sp.cos(x)),
        ("tan(x)", sp.tan(x)),
        ("sec(x)", sp.sec(x)),
        ("csc(x)", sp.csc(x)),
        ("cot(x)", sp.cot(x)),
        # inverse trigonometric, three spellings
        ("asin(x)", sp.asin(x)),
        ("acos(x)", sp.acos(x)),
        ("atan(x)", sp.atan(x)),
        ("asec(x)", sp.asec(x)),
        ("acsc(x)", sp.acsc(x)),
        ("acot(x)", sp.acot(x)),
        ("arcsin(x)", sp.asin(x)),
        ("arccos(x)", sp.acos(x)),
        ("arctan(x)", sp.atan(x)),
        ("arcsec(x)", sp.asec(x)),
        ("arccsc(x)", sp.acsc(x)),
        ("arccot(x)", sp.acot(x)),
        ("sin^-1(x)", sp.asin(x)),
        ("cos^-1(x)", sp.acos(x)),
        ("tan^-1(x)", sp.atan(x)),
        ("sin^(-1)(x)", sp.asin(x)),
        ("sin⁻¹(x)", sp.asin(x)),
        ("sin^(−1)(x)", sp.asin(x)),
        ("cos^-1 x", sp.acos(x)),
        # hyperbolic and inverse hyperbolic
        ("sinh(x)", sp.sinh(x)),
        ("cosh(x)", sp.cosh(x)),
        ("tanh(x)", sp.tanh(x)),
        ("sech(x)", sp.sech(x)),
        ("csch(x)", sp.csch(x)),
        ("coth(x)", sp.coth(x)),
        ("asinh(x)", sp.asinh(x)),
        ("acosh(x)", sp.acosh(x)),
        ("atanh(x)", sp.atanh(x)),
        ("asech(x)", sp.asech(x)),
        ("acsch(x)", sp.acsch(x)),
        ("acoth(x)", sp.acoth(x)),
        ("arsinh(x)", sp.asinh(x)),
        ("arcosh(x)", sp.acosh(x)),
        ("artanh(x)", sp.atanh(x)),
        ("arcsinh(x)", sp.asinh(x)),
        ("arccosh(x)", sp.acosh(x)),
        ("arctanh(x)", sp.atanh(x)),
        ("tanh^-1(x)", sp.atanh(x)),
        ("sinh^-1(x)", sp.asinh(x)),
        # exponentials and logarithms (log is natural)
        ("exp(x)", sp.exp(x)),
        ("ln(x)", sp.log(x)),
        ("log(x)", sp.log(x)),
        ("log(x, 2)", sp.log(x) / sp.log(2)),
        ("log(x, b)", sp.log(x) / sp.log(b)),
        ("log(8, 2)", sp.log(8) / sp.log(2)),
        ("log10(x)", sp.log(x) / sp.log(10)),
        ("log2(x)", sp.log(x) / sp.log(2)),
        # roots
        ("sqrt(x)", sp.sqrt(x)),
        ("sqrt(4)", sp.Integer(2)),
        ("sqrt(-1)", sp.I),
        ("cbrt(-8)", sp.Integer(-2)),
        ("cbrt(27)", sp.Integer(3)),
        ("cbrt(x)", sp.sign(x) * sp.Abs(x) ** sp.Rational(1, 3)),
        ("root(x, 2)", sp.sqrt(x)),
        ("root(x, 3)", sp.sign(x) * sp.Abs(x) ** sp.Rational(1, 3)),
        ("root(-8, 3)", sp.Integer(-2)),
        ("root(27, 3)", sp.Integer(3)),
        ("root(16, 4)", sp.Integer(2)),
        ("root(x, n)", x ** (1 / n)),
        # piecewise-flavoured
        ("abs(x)", sp.Abs(x)),
        ("Abs(x)", sp.Abs(x)),
        ("sign(x)", sp.sign(x)),
        ("sgn(x)", sp.sign(x)),
        ("floor(x)", sp.floor(x)),
        ("ceil(x)", sp.ceiling(x)),
        ("ceiling(x)", sp.ceiling(x)),
        ("min(x, y)", sp.Min(x, y)),
        ("max(x, y, z)", sp.Max(x, y, z)),
        ("max(x, y, z, 1)", sp.Max(x, y, z, 1)),
        ("min(x)", x),
        ("Min(x, 2)", sp.Min(x, 2)),
        ("Heaviside(x)", sp.Heaviside(x)),
        # special functions
        ("erf(x)", sp.erf(x)),
        ("erfc(x)", sp.erfc(x)),
        ("erf(0)", sp.Integer(0)),
        ("gamma(x)", sp.gamma(x)),
        ("gamma(5)", sp.Integer(24)),
        ("gamma(1/2)", sp.sqrt(sp.pi)),
        ("factorial(x)", sp.factorial(x)),
        ("factorial(5)", sp.Integer(120)),
        ("binomial(n, k)", sp.binomial(n, k)),
        ("binomial(5, 2)", sp.Integer(10)),
        ("atan2(y, x)", sp.atan2(y, x)),
        ("atan2(1, 1)", sp.pi / 4),
        ("digamma(x)", sp.digamma(x)),
        ("loggamma(x)", sp.loggamma(x)),
        ("polygamma(1, x)", sp.polygamma(1, x)),
        # names SymPy prints, so that results paste back
        ("re(x)", x),
        ("im(x)", sp.Integer(0)),
        ("CRootOf(x^3 - 2, 0)", sp.CRootOf(x**3 - 2, 0)),
    ],
)
def test_function_calls(text: str, expected: sp.Expr) -> None:
    parses_to(text, expected)


@pytest.mark.parametrize(
    ("text", "at", "expected"),
    [
        ("cbrt(x)", -8, -2),
        ("cbrt(x)", 8, 2),
        ("root(x, 5)", -32, -2),
        ("∛x", -27, -3),
    ],
)
def test_odd_roots_are_real(text: str, at: int, expected: int) -> None:
    assert grammar.expression(text).subs(x, at) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sin^2(x)", sp.sin(x) ** 2),
        ("sin²(x)", sp.sin(x) ** 2),
        ("sin^(2)(x)", sp.sin(x) ** 2),
        ("sin^2 x", sp.sin(x) ** 2),
        ("cos²x", sp.cos(x) ** 2),
        ("sin^2(x) + cos²x", sp.sin(x) ** 2 + sp.cos(x) ** 2),
        ("tan^3(2x)", sp.tan(2 * x) ** 3),
        ("exp^2(x)", sp.exp(2 * x)),
        ("sin^-2(x)", sp.sin(x) ** -2),  # only ^-1 means the inverse
        ("ln^2 x", sp.log(x) ** 2),
    ],
)
def test_function_powers(text: str, expected: sp.Expr) -> None:
    parses_to(text, expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sin x", sp.sin(x)),
        ("sin 2x", sp.sin(2 * x)),
        ("sin xy", sp.sin(x * y)),
        ("sin x y", sp.sin(x * y)),
        ("sin 2x y", sp.sin(2 * x * y)),
        ("sin x + y", sp.sin(x) + y),
        ("sin x * y", sp.sin(x) * y),
        ("sin x cos x", sp.sin(x) * sp.cos(x)),
        ("sin x^2", sp.sin(x**2)),
        ("ln x^2", sp.log(x**2)),
        ("sin -x", sp.sin(-x)),
        ("sin |x|", sp.sin(sp.Abs(x))),
        ("sin √x", sp.sin(sp.sqrt(x))),
        ("sin π", sp.Integer(0)),
        ("sec x", sp.sec(x)),
        ("sinh x", sp.sinh(x)),
        ("sqrt 2x", sp.sqrt(2 * x)),
        ("sin sin x", sp.sin(sp.sin(x))),
    ],
)
def test_function_with_simple_argument_without_parentheses(text: str, expected: sp.Expr) -> None:
    parses_to(text, expected)


def test_gamma_is_a_function_only_when_called() -> None:
    g = S("gamma")
    parses_to("gamma(x) + gamma", sp.gamma(x) + g)


# ============================================================ unicode


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x × y", x * y),
        ("2×3", sp.Integer(6)),
        ("x · y", x * y),
        ("2⋅x", 2 * x),
        ("x ∙ y", x * y),
        ("x ÷ y", x / y),
        ("x÷2", x / 2),
        ("x − y", x - y),
        ("−x", -x),
        ("3−1", sp.Integer(2)),
        ("√x", sp.sqrt(x)),
        ("√(x+1)", sp.sqrt(x + 1)),
        ("√4", sp.Integer(2)),
        ("√x²", sp.Abs(x)),
        ("√2x", sp.sqrt(2) * x),  # √ takes one factor, like a power
        ("1/√2", sp.sqrt(2) / 2),
        ("∛x", sp.sign(x) * sp.Abs(x) ** sp.Rational(1, 3)),
        ("∛27", sp.Integer(3)),
        ("∜16", sp.Integer(2)),
        ("x²", x**2),
        ("x³", x**3),
        ("x⁻¹", 1 / x),
        ("x⁻²", x**-2),
        ("x¹⁰", x**10),
        ("x²y", x**2 * y),
        ("(x+1)²", (x + 1) ** 2),
        ("π", sp.pi),
        ("θ", theta),
        ("ϑ", theta),
        ("α + ρ φ", alpha + rho * phi),
        ("ϕ", phi),
        ("Δx", S("Delta") * x),
        ("ΔΔ", S("Delta") ** 2),
        ("∞", sp.oo),
        ("x\u00a0+\u2009y", x + y),  # no-break and thin spaces are spaces
    ],
)
def test_unicode_operators_letters_and_superscripts(text: str, expected: sp.Expr) -> None:
    parses_to(text, expected)


# ============================================================ vectors


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[x, y]", (x, y)),
        ("[x^2 - y^2, 2x y]", (x**2 - y**2, 2 * x * y)),
        ("  [ sin(x), cos(x), 1 ]  ", (sp.sin(x), sp.cos(x), sp.Integer(1))),
        ("[max(x, y), log(x, 2)]", (sp.Max(x, y), sp.log(x) / sp.log(2))),
        ("[x]", (x,)),
    ],
)
def test_vector_formula(text: str, expected: tuple[sp.Expr, ...]) -> None:
    f = grammar.formula(text)
    assert f.is_vector
    assert f.exprs == expected


def test_scalar_formula_is_not_a_vector() -> None:
    f = grammar.formula("x^2 y")
    assert not f.is_vector
    assert f.exprs == (x**2 * y,)
    assert f.expr == x**2 * y
    assert f.text == "x^2 y"


def test_vector_has_no_single_expr() -> None:
    with pytest.raises(UsageError, match="not a vector"):
        _ = grammar.formula("[x, y]").expr


# ============================================================ variables and their order


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("x^2 + y", ("x", "y")),
        ("z + y + x", ("x", "y", "z")),
        ("x10 + x2 + x1", ("x1", "x2", "x10")),  # natural order
        ("b a", ("a", "b")),
        ("[v, u]", ("u", "v")),
        ("2 + 3", ()),
        ("theta + x + alpha", ("alpha", "theta", "x")),
    ],
)
def test_default_variable_order_is_natural_alphabetical(text: str, names: tuple[str, ...]) -> None:
    assert grammar.formula(text).variables == tuple(S(v) for v in names)


@pytest.mark.parametrize(
    ("text", "wrt", "names", "parameters"),
    [
        ("x + y", ["y", "x"], ("y", "x"), ()),
        ("x^2", ["x", "y"], ("x", "y"), ()),  # wrt may add a variable
        ("a x^2", ["x"], ("x",), ("a",)),  # other symbols are parameters
        ("a x + b + c10 + c9", ["x"], ("x",), ("a", "b", "c9", "c10")),
    ],
)
def test_wrt_sets_the_variables_and_their_order(
    text: str, wrt: list[str], names: tuple[str, ...], parameters: tuple[str, ...]
) -> None:
    f = grammar.formula(text, wrt=wrt)
    assert f.variables == tuple(S(v) for v in names)
    assert f.parameters == tuple(S(v) for v in parameters)


@pytest.mark.parametrize(
    ("wrt", "message"),
    [
        (["x", "x"], "given twice"),
        (["sin"], "function or constant"),
        (["pi"], "function or constant"),
        (["2x"], "not a variable name"),
        (["x y"], "not a variable name"),
    ],
)
def test_bad_wrt_names_are_usage_errors(wrt: list[str], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        grammar.formula("x", wrt=wrt)


def test_natural_key_orders_numbers_by_value() -> None:
    names = ["x10", "x2", "x1", "y", "x"]
    assert sorted(names, key=grammar.natural_key) == ["x", "x1", "x2", "x10", "y"]


# ============================================================ syntax errors and their positions


@pytest.mark.parametrize(
    ("text", "pos", "fragment"),
    [
        ("", 0, "empty formula"),
        ("   ", 0, "empty formula"),
        ("x^2 + )", 6, "unexpected ')'"),
        ("(x + 1", 0, "unclosed '('"),
        ("x + (y", 4, "unclosed '('"),
        ("sin(x", 3, "unclosed '('"),
        ("x)", 1, "unmatched ')'"),
        ("(x))", 3, "unmatched ')'"),
        ("x +* y", 3, "unexpected '*'"),
        ("x***2", 3, "unexpected '*'"),
        ("x^^2", 2, "unexpected '^'"),
        ("x +", 3, "unexpected end of formula"),
        ("x^", 2, "unexpected end of formula"),
        ("2 3", 2, "two numbers in a row"),
        ("1..2", 2, "two numbers in a row"),
        ("sin", 3, "sin needs an argument"),
        ("x + sin", 7, "sin needs an argument"),
        ("sin()", 4, "unexpected ')'"),
        ("sin(x, y)", 0, "sin takes 1 argument, got 2"),
        ("log(x, 2, 3)", 0, "log takes 1 to 2 arguments, got 3"),
        ("root(x)", 0, "root takes 2 arguments, got 1"),
        ("x + atan2(1)", 4, "atan2 takes 2 arguments, got 1"),
        ("|x", 0, "unclosed '|'"),
        ("x + |y", 4, "unclosed '|'"),
        ("||", 2, "unexpected end of formula"),
        ("x, y", 1, "a vector is written [f1, f2]"),
        ("x + y = 1", 6, "only --subject-to takes equations"),
        ("x @ y", 2, "unexpected character '@'"),
        ("x $", 2, "unexpected character '$'"),
        ("x\x00", 1, "unexpected character U+0000"),
        ("_x", 0, "unexpected character '_'"),
        ("x_", 1, "unexpected '_'"),
        ("x_θ", 1, "unexpected '_'"),
        ("sin^x(y)", 4, "a function power must be a whole number"),
        ("sin^1.5(x)", 4, "a function power must be a whole number"),
        ("exp^-1(x)", 0, "exp^-1 has no inverse function"),
        ("x⁻", 1, "malformed superscript"),
        ("¹", 0, "unexpected '1'"),
        ("x + [y]", 4, "a vector [..] must be the whole formula"),
        ("[[x]]", 1, "a vector [..] must be the whole formula"),
        ("[x, y", 5, "a vector must end with ']'"),
        ("[x, ]", 3, "empty vector component"),
        ("[, x]", 1, "empty vector component"),
        ("[x, y +]", 7, "unexpected end of formula"),  # columns in a vector count from the '['
        ("[x, )]", 4, "unexpected ')'"),
    ],
)
def test_syntax_errors_report_message_and_position(text: str, pos: int, fragment: str) -> None:
    err = parse_error(text)
    assert isinstance(err, FormulaError)
    assert err.pos == pos, err.message
    assert fragment in err.message
    assert err.text == text


@pytest.mark.parametrize("text", ["x +", "(x", "sin(", "x^2 + )"])
def test_expression_reports_the_same_errors_as_formula(text: str) -> None:
    with pytest.raises(FormulaError) as from_expression:
        grammar.expression(text)
    assert (from_expression.value.pos, from_expression.value.message) == (
        parse_error(text).pos,
        parse_error(text).message,
    )


def test_syntax_errors_are_usage_errors() -> None:
    err = parse_error("x +")
    assert isinstance(err, UsageError)
    assert err.details() == {"column": 4}


# ============================================================ unknown functions


@pytest.mark.parametrize(
    ("text", "pos", "name", "suggestions"),
    [
        ("sen(x)", 0, "sen", ["sin"]),
        ("foo(x)", 0, "foo", ["floor"]),
        ("x + sqr(x)", 4, "sqr", ["sqrt"]),
        ("lg(x)", 0, "lg", ["log"]),
        ("Sin(x)", 0, "Sin", ["sin"]),
        ("SIN(x)", 0, "SIN", ["sin"]),
        ("lN(x)", 0, "lN", ["ln"]),
        ("ab(c)", 0, "ab", ["abs"]),
        ("cosine(x)", 0, "cosine", ["cos"]),  # not cos(i*n*e)*x
        ("sinus(x)", 0, "sinus", ["sin"]),
        ("logit(x)", 0, "logit", ["log"]),
        ("2 + arcsinus(x)", 4, "arcsinus", ["arcsin"]),
    ],
)
def test_unknown_function_suggests_close_names(text: str, pos: int, name: str, suggestions: list[str]) -> None:
    err = parse_error(text)
    assert err.pos == pos
    assert f"unknown function {name!r}" in err.message
    assert "did you mean" in err.message
    for s in suggestions:
        assert s in err.message


@pytest.mark.parametrize("text", ["qwzt(x)", "kmv(x)"])
def test_unknown_function_without_close_match_explains_products(text: str) -> None:
    err = parse_error(text)
    assert err.pos == 0
    assert "unknown function" in err.message
    assert "calccli functions" in err.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("xy(z)", x * y * z),  # two letters with no close function name: a product
        ("x(y)", x * y),
        ("x1(y)", S("x1") * y),
        ("nsin(x)", n * sp.sin(x)),
        ("tsqrt(x)", t * sp.sqrt(x)),
        ("phi(x)", phi * x),
    ],
)
def test_letters_before_parenthesis_that_are_not_a_misspelling_multiply(text: str, expected: sp.Expr) -> None:
    parses_to(text, expected)


# ============================================================ input limits


def _nested(depth: int) -> str:
    return "(" * depth + "x" + ")" * depth


@pytest.mark.parametrize(
    "text",
    [
        "2^2^2^40",
        "2^100000",
        "(1/3)^100000",
        "2.5^100000",
        "(10^5000)^3",
        "2^(10^5000)",
        "factorial(10^10)",
        "(10^10)!",
        "1001!",
        "gamma(10^10)",
        "binomial(10^10, 5000)",
        _nested(10_000),
        _nested(limits.MAX_DEPTH + 1),
        "|" * 5000 + "x" + "|" * 5000,
        "√" * 10_000 + "x",
        "sin " * 10_000 + "x",
        "^".join(["x"] * 10_000),
        "x" + "!" * 10_000,
        "x" + "²" * (limits.MAX_LITERAL_DIGITS + 1),
        "1" * (limits.MAX_LITERAL_DIGITS + 1),
        "1e100000",
        "1e-100000",
        f"1e{limits.MAX_LITERAL_EXPONENT + 1}",
        "*".join(["10^9000"] * 1000),  # a product may not build a huge number either
        "(10^6000 x)(10^6000 y)",
        "+".join(f"1/(10^9000+{2 * j + 1})" for j in range(100)),  # nor a sum's denominator
    ],
    ids=lambda s: s if len(s) < 30 else f"{s[:20]}...({len(s)} chars)",
)
def test_input_limits_raise_input_limit_error(text: str) -> None:
    with pytest.raises(InputLimitError):
        grammar.formula(text)


def test_a_megabyte_formula_is_refused_before_parsing() -> None:
    text = "x+" * 500_000 + "x"
    with pytest.raises(InputLimitError, match="characters"):
        grammar.formula(text)
    with pytest.raises(InputLimitError, match="characters"):
        grammar.expression(text)


def test_formula_one_character_over_the_size_limit_is_refused() -> None:
    with pytest.raises(InputLimitError):
        grammar.formula("1" + " " * limits.MAX_FORMULA_CHARS)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (_nested(limits.MAX_DEPTH), x),
        ("1" * limits.MAX_LITERAL_DIGITS, sp.Integer((10**limits.MAX_LITERAL_DIGITS - 1) // 9)),
        (f"1e{limits.MAX_LITERAL_EXPONENT}", sp.Integer(10) ** limits.MAX_LITERAL_EXPONENT),
        (f"1e-{limits.MAX_LITERAL_EXPONENT}", sp.Rational(1, 10**limits.MAX_LITERAL_EXPONENT)),
        ("2^33219", sp.Integer(2) ** 33219),
        ("1000!", sp.factorial(1000)),
        ("x^100000", x**100000),  # symbolic powers are not numbers
        ("-" * 10_000 + "x", x),  # a chain of signs is not nesting
    ],
    ids=["depth", "digits", "exponent", "negative-exponent", "power", "factorial", "symbolic-power", "signs"],
)
def test_inputs_at_the_limits_are_accepted(text: str, expected: sp.Expr) -> None:
    assert grammar.formula(text).expr == expected


def test_a_hundred_factorials_in_a_row_are_accepted() -> None:
    expected: sp.Expr = x
    for _ in range(limits.MAX_DEPTH):
        expected = sp.factorial(expected)
    assert grammar.expression("x" + "!" * limits.MAX_DEPTH) == expected


def test_limit_messages_do_not_print_huge_numbers() -> None:
    with pytest.raises(InputLimitError) as info:
        grammar.formula("(10^4000)^3")
    assert len(info.value.message) < 200
    assert "digits" in info.value.message


def test_a_twenty_thousand_term_sum_parses_flat() -> None:
    text = "+".join(f"x^{j}" for j in range(20_000))
    got = grammar.formula(text).expr
    assert isinstance(got, sp.Add)
    assert len(got.args) == 20_000


def test_too_many_variables_is_an_input_limit() -> None:
    text = "+".join(f"x{j}" for j in range(limits.MAX_VARIABLES + 1))
    with pytest.raises(InputLimitError, match="variables"):
        grammar.formula(text)
    text = "+".join(f"x{j}" for j in range(limits.MAX_VARIABLES))
    assert len(grammar.formula(text).variables) == limits.MAX_VARIABLES


def test_input_limit_error_is_not_a_syntax_error() -> None:
    with pytest.raises(InputLimitError) as info:
        grammar.formula("1e100000")
    assert not isinstance(info.value, FormulaError)
    assert isinstance(info.value, CalcError)


# ============================================================ equation, numbers, point, tokenize


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x^2 + y^2 = 1", x**2 + y**2 - 1),
        ("x = y", x - y),
        ("x + y", x + y),  # a bare g means g = 0
        ("f(x) = 0", S("f") * x),  # f is a variable
    ],
)
def test_equation_is_lhs_minus_rhs(text: str, expected: sp.Expr) -> None:
    assert grammar.equation(text) == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("x = 1 = 2", "one '='"),
        ("= 1", "empty left-hand side"),
        ("x =", "empty right-hand side"),
        ("x = )", "unexpected ')'"),
    ],
)
def test_equation_errors(text: str, fragment: str) -> None:
    with pytest.raises(FormulaError) as info:
        grammar.equation(text)
    assert fragment in info.value.message


@pytest.mark.parametrize(("text", "pos"), [("x = y +", 7), ("x + = y", 4), ("x = 1 = 2", 6)])
def test_equation_error_position_and_text_are_the_whole_equation(text: str, pos: int) -> None:
    with pytest.raises(FormulaError) as info:
        grammar.equation(text)
    assert info.value.pos == pos
    assert info.value.text == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,1,sqrt(2)", [1, 1, sp.sqrt(2)]),
        ("0.5, -1/3", [sp.Rational(1, 2), sp.Rational(-1, 3)]),
        ("pi, e", [sp.pi, sp.E]),
        ("max(1, 2), 3", [sp.Integer(2), sp.Integer(3)]),
    ],
)
def test_numbers(text: str, expected: list[sp.Expr]) -> None:
    assert readers.numbers(text, "--dir") == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("1,,2", "empty coordinate"),
        ("1, x", "not a number"),
        ("oo, 1", "not a finite number"),
        ("1/0", "not a finite number"),
        ("I", "not real"),
    ],
)
def test_numbers_errors(text: str, fragment: str) -> None:
    with pytest.raises(UsageError, match=fragment):
        readers.numbers(text, "--dir")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,2", {x: 1, y: 2}),
        ("x=1,y=2", {x: 1, y: 2}),
        ("y=2, x=1/2", {x: sp.Rational(1, 2), y: 2}),
        ("x = pi, y = sqrt(2)", {x: sp.pi, y: sp.sqrt(2)}),
    ],
)
def test_point(text: str, expected: dict[sp.Symbol, sp.Expr]) -> None:
    assert readers.point(text, grammar.formula("x^2 y")) == expected


def test_point_may_set_parameters_by_name() -> None:
    f = grammar.formula("a x^2", wrt=["x"])
    assert readers.point("x=1, a=3", f) == {x: 1, a: 3}


def test_point_none_is_none() -> None:
    assert readers.point(None, grammar.formula("x")) is None


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("1", "1 coordinate but the formula has 2 variables"),
        ("1,2,3", "3 coordinates"),
        ("x=1,2", "mix of named and plain"),
        ("x=1,z=2", "'z' is not a variable"),
        ("x=1,x=2", "given twice"),
        ("x=1", "no value for y"),
        ("x=y,y=1", "not a number"),
    ],
)
def test_point_errors(text: str, fragment: str) -> None:
    with pytest.raises(UsageError, match=fragment):
        readers.point(text, grammar.formula("x^2 y"))


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("2xsin y", [("NUM", "2"), ("VAR", "x"), ("FUNC", "sin"), ("VAR", "y"), ("END", "")]),
        ("x**2", [("VAR", "x"), ("OP", "^"), ("NUM", "2"), ("END", "")]),
        ("π r²", [("CONST", "pi"), ("VAR", "r"), ("SUP", "2"), ("END", "")]),
        (
            "x × y ÷ z − 1",
            [
                ("VAR", "x"),
                ("OP", "*"),
                ("VAR", "y"),
                ("OP", "/"),
                ("VAR", "z"),
                ("OP", "-"),
                ("NUM", "1"),
                ("END", ""),
            ],
        ),
        ("∞", [("CONST", "oo"), ("END", "")]),
        ("gamma(x) gamma", [("FUNC", "gamma"), ("OP", "("), ("VAR", "x"), ("OP", ")"), ("VAR", "gamma"), ("END", "")]),
    ],
)
def test_tokenize(text: str, tokens: list[tuple[str, str]]) -> None:
    assert [(t.kind, t.value) for t in lexer.tokenize(text)] == tokens


def test_tokens_carry_their_column() -> None:
    assert [t.pos for t in lexer.tokenize("2x + sin(y)")] == [0, 1, 3, 5, 8, 9, 10, 11]
