"""The matrix-calculus engine on the standard tables of matrix derivatives.

Each identity is checked twice, by instantiating the dimensions (2 and 3, then 3 and 2) with random
rational matrices: against the expected tree written from The Matrix Cookbook (Petersen & Pedersen)
and Wikipedia's "Matrix calculus" (denominator layout), and against the entries of f differentiated
one by one (f(X + t Eᵢⱼ) by t at 0), which shares no code with the engine.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from calccli.calculus.matrix import Layout, derivative, simplify
from calccli.errors import ArgumentError, MathError
from calccli.formula import matrix as M
from calccli.formula.matrix import (
    MExpr,
    Var,
    add,
    apply,
    det,
    diag,
    dim,
    hadamard,
    hadamard_power,
    identity,
    inverse,
    mul,
    neg,
    norm,
    num,
    ones,
    power,
    sub,
    sum_entries,
    trace,
    transpose,
    unicode,
    var,
)

n, m, p = dim("n"), dim("m"), dim("p")
SIZES = ({n: 2, m: 3, p: 2}, {n: 3, m: 2, p: 3})

# vectors
x, y, a, b, c = var("x", n), var("y", n), var("a", n), var("b", m), var("c", m)
beta = var("β", 1, n)
# matrices
A, B, X, Xs = var("A", n, n), var("B", n, n), var("X", n, n), var("X", m, n)
W, U, V, Y = var("W", m, n), var("U", m, n), var("V", n, p), var("Y", m, p)
C, P = var("C", m, p), var("P", p, m)
Bp, Xnp, Xmn = var("B", p, p), var("X", n, p), var("X", m, n)
# a scalar
s = var("s")

_FUNCTIONS: dict[str, Callable[[sp.Expr], sp.Expr]] = {
    "exp": sp.exp,
    "log": sp.log,
    "sin": sp.sin,
    "cos": sp.cos,
    "tan": sp.tan,
    "tanh": sp.tanh,
    "sinh": sp.sinh,
    "cosh": sp.cosh,
    "sqrt": sp.sqrt,
    "sigmoid": lambda z: 1 / (1 + sp.exp(-z)),
    "abs": sp.Abs,
}


# ------------------------------------------------------------------ an evaluator of its own


def size(d: M.Dim, dims: dict[sp.Symbol, int]) -> int:
    return int(sp.sympify(d).subs(dims))


def evaluate(e: MExpr, dims: dict[sp.Symbol, int], values: dict[str, sp.Matrix]) -> sp.Matrix:
    """The tree at concrete sizes and values, with SymPy Matrix arithmetic."""

    def ev(t: MExpr) -> sp.Matrix:
        return evaluate(t, dims, values)

    def scalar(t: MExpr) -> sp.Expr:
        return ev(t)[0, 0]

    rows, cols = (size(d, dims) for d in e.shape)
    if isinstance(e, Var):
        return values[e.name]
    if isinstance(e, M.Num):
        return sp.Matrix([[e.value]])
    if isinstance(e, M.Identity):
        return sp.eye(rows)
    if isinstance(e, M.Zero):
        return sp.zeros(rows, cols)
    if isinstance(e, M.Ones):
        return sp.ones(rows, cols)
    if isinstance(e, M.Add):
        return sum((ev(t) for t in e.terms[1:]), ev(e.terms[0]))
    if isinstance(e, M.Mul):
        factor = sp.prod([scalar(t) for t in e.terms if t.is_scalar])
        matrices = [ev(t) for t in e.terms if not t.is_scalar]
        product = sp.prod(matrices[1:], start=matrices[0]) if matrices else sp.Matrix([[1]])
        return factor * product
    if isinstance(e, M.Hadamard):
        out = ev(e.terms[0])
        for t in e.terms[1:]:
            out = out.multiply_elementwise(ev(t))
        return out
    if isinstance(e, M.Transpose):
        return ev(e.arg).T
    if isinstance(e, M.Inverse):
        return ev(e.arg).inv()
    if isinstance(e, M.Trace):
        return sp.Matrix([[ev(e.arg).trace()]])
    if isinstance(e, M.Det):
        return sp.Matrix([[ev(e.arg).det()]])
    if isinstance(e, M.Norm):
        return sp.Matrix([[sp.sqrt(sum(z**2 for z in ev(e.arg)))]])
    if isinstance(e, M.SumEntries):
        return sp.Matrix([[sum(ev(e.arg))]])
    if isinstance(e, M.Diag):
        return sp.diag(*ev(e.arg))
    if isinstance(e, M.Apply):
        return ev(e.arg).applyfunc(_FUNCTIONS[e.func])
    if isinstance(e, M.Power) and e.base.is_scalar:
        return sp.Matrix([[scalar(e.base) ** e.exponent]])
    if isinstance(e, M.Power):
        return ev(e.base) ** int(e.exponent)
    if isinstance(e, M.HadamardPower):
        return ev(e.base).applyfunc(lambda z: z**e.exponent)
    raise AssertionError(f"no evaluator for {type(e).__name__}")


def random_values(variables: tuple[Var, ...], dims: dict[sp.Symbol, int], rng: random.Random) -> dict[str, sp.Matrix]:
    """Positive rational entries; square matrices are made diagonally dominant, so invertible with det > 0."""
    values = {}
    for v in variables:
        r, k = size(v.rows, dims), size(v.cols, dims)
        entries = sp.Matrix(r, k, lambda i, j: sp.Rational(rng.randint(1, 9), rng.randint(1, 4)))
        if r == k and r > 1:
            entries += 10 * r * sp.eye(r)
        values[v.name] = entries
    return values


def by_entries(
    f: MExpr, wrt: Var, layout: Layout, order: int, dims: dict[sp.Symbol, int], values: dict[str, sp.Matrix]
) -> sp.Matrix:
    """The derivative from f's entries, differentiated one by one along each entry of wrt."""
    t, u = sp.symbols("t u")
    base = values[wrt.name]
    rows, cols = base.shape

    def moved(*steps: tuple[sp.Symbol, int, int]) -> sp.Matrix:
        point = dict(values)
        shifted = sp.Matrix(base)
        for symbol, i, j in steps:
            shifted[i, j] += symbol
        point[wrt.name] = shifted
        return evaluate(f, dims, point)

    def partial(i: int, j: int) -> sp.Matrix:
        return moved((t, i, j)).diff(t).subs(t, 0)

    if rows == cols == 1:
        deriv = moved((t, 0, 0)).diff(t, order).subs(t, 0)
        return sp.Matrix(deriv)
    if order == 2:
        return sp.Matrix(rows, rows, lambda i, j: moved((t, i, 0), (u, j, 0))[0, 0].diff(t, u).subs({t: 0, u: 0}))
    if f.is_scalar:
        gradient = sp.Matrix(rows, cols, lambda i, j: partial(i, j)[0, 0])
        return gradient if layout == "denominator" else gradient.T
    columns = [sp.Matrix(list(partial(j, 0))) for j in range(rows)]  # a row f is taken as its column
    jacobian = sp.Matrix.hstack(*columns)  # numerator: column j is ∂f/∂x_j
    return jacobian if layout == "numerator" else jacobian.T


def assert_close(got: sp.Matrix, want: sp.Matrix, what: str) -> None:
    assert got.shape == want.shape, f"{what}: shape {got.shape} != {want.shape}"
    for g, w in zip(got, want, strict=True):
        assert abs(complex(sp.N(g - w, 30))) < 1e-12 * (1 + abs(complex(sp.N(w)))), f"{what}: {g} != {w}"


def assert_derivative(
    f: MExpr,
    wrt: Var,
    layout: Layout,
    order: int,
    expected: MExpr | None,
    seed: int = 0,
    sizes: tuple[dict[sp.Symbol, int], ...] = SIZES,
) -> None:
    result = derivative(f, wrt, layout, order)
    rng = random.Random(seed)
    for dims in sizes:
        others = expected.variables() if expected is not None else ()
        values = random_values(f.variables() + others + result.expr.variables() + (wrt,), dims, rng)
        got = evaluate(result.expr, dims, values)
        assert_close(got, by_entries(f, wrt, layout, order, dims, values), "against the entries")
        if expected is not None:
            assert_close(got, evaluate(expected, dims, values), "against the table")


# ------------------------------------------------------------------ the table of identities

IDENTITIES = [
    # scalar by vector: the gradient, n×1
    pytest.param(mul(transpose(a), x), x, "denominator", 1, a, "gradient", id="a'x = a"),
    pytest.param(mul(transpose(x), a), x, "denominator", 1, a, "gradient", id="x'a = a"),
    pytest.param(mul(beta, x), x, "denominator", 1, transpose(beta), "gradient", id="beta x = beta'"),
    pytest.param(mul(beta, x), x, "numerator", 1, beta, "gradient", id="beta x = beta (numerator)"),
    pytest.param(
        mul(transpose(x), A, x), x, "denominator", 1, mul(add(A, transpose(A)), x), "gradient", id="x'Ax = (A+A')x"
    ),
    pytest.param(mul(transpose(x), x), x, "denominator", 1, mul(num(2), x), "gradient", id="x'x = 2x"),
    pytest.param(norm(x), x, "denominator", 1, mul(power(norm(x), -1), x), "gradient", id="norm(x) = x/norm(x)"),
    pytest.param(
        power(norm(sub(x, y)), 2), x, "denominator", 1, mul(num(2), sub(x, y)), "gradient", id="norm(x-y)^2 = 2(x-y)"
    ),
    pytest.param(
        power(mul(transpose(a), x), 2),
        x,
        "denominator",
        1,
        mul(num(2), mul(transpose(a), x), a),
        "gradient",
        id="(a'x)^2 = 2(a'x)a",
    ),
    pytest.param(sum_entries(apply("exp", x)), x, "denominator", 1, apply("exp", x), "gradient", id="sum(exp x)"),
    pytest.param(sum_entries(apply("log", x)), x, "denominator", 1, hadamard_power(x, -1), "gradient", id="sum(log x)"),
    pytest.param(sum_entries(mul(diag(x), y)), x, "denominator", 1, y, "gradient", id="sum(diag(x) y) = y"),
    pytest.param(
        mul(transpose(x), hadamard(a, x)),
        x,
        "denominator",
        1,
        mul(num(2), hadamard(a, x)),
        "gradient",
        id="x'(a.*x) = 2 a.*x",
    ),
    # vector by vector: the Jacobian, n×k in the denominator layout
    pytest.param(mul(W, x), x, "denominator", 1, transpose(W), "jacobian", id="Wx = W' (denominator)"),
    pytest.param(mul(W, x), x, "numerator", 1, W, "jacobian", id="Wx = W (numerator)"),
    pytest.param(hadamard(x, y), x, "numerator", 1, diag(y), "jacobian", id="x.*y = diag(y)"),
    pytest.param(
        mul(mul(transpose(a), x), x),
        x,
        "numerator",
        1,
        add(mul(x, transpose(a)), mul(mul(transpose(a), x), identity(n))),
        "jacobian",
        id="(a'x)x = x a' + (a'x)I",
    ),
    pytest.param(
        apply("tanh", add(mul(W, x), b)),
        x,
        "numerator",
        1,
        mul(diag(sub(ones(m), hadamard_power(apply("tanh", add(mul(W, x), b)), 2))), W),
        "jacobian",
        id="tanh(Wx+b) = diag(1-tanh^2) W",
    ),
    pytest.param(apply("sigmoid", add(mul(W, x), b)), x, "denominator", 1, None, "jacobian", id="sigmoid(Wx+b)"),
    pytest.param(
        mul(x, transpose(x), a),
        x,
        "numerator",
        1,
        add(mul(mul(transpose(x), a), identity(n)), mul(x, transpose(a))),
        "jacobian",
        id="x x'a = (x'a)I + x a'",
    ),
    pytest.param(
        mul(add(mul(x, transpose(x)), A), y),
        x,
        "numerator",
        1,
        add(mul(mul(transpose(x), y), identity(n)), mul(x, transpose(y))),
        "jacobian",
        id="(x x' + A)y = (x'y)I + x y'",
    ),
    pytest.param(mul(diag(x), A, x), x, "denominator", 1, None, "jacobian", id="diag(x) A x"),
    pytest.param(mul(transpose(x), A), x, "numerator", 1, transpose(A), "jacobian", id="x'A (a row) = A'"),
    # scalar by matrix: the matrix gradient, X's shape
    pytest.param(trace(mul(transpose(W), Xs)), Xs, "denominator", 1, W, "matrix gradient", id="tr(W'X) = W"),
    pytest.param(trace(mul(P, Y)), Y, "denominator", 1, transpose(P), "matrix gradient", id="tr(AX) = A'"),
    pytest.param(trace(mul(transpose(Y), C)), Y, "denominator", 1, C, "matrix gradient", id="tr(X'A) = A"),
    pytest.param(
        trace(mul(P, Y, Bp, transpose(Y), C)),
        Y,
        "denominator",
        1,
        add(mul(transpose(P), transpose(C), Y, transpose(Bp)), mul(C, P, Y, Bp)),
        "matrix gradient",
        id="tr(AXBX'C) = A'C'XB' + CAXB",
    ),
    pytest.param(
        trace(mul(transpose(Y), Y)), Y, "denominator", 1, mul(num(2), Y), "matrix gradient", id="tr(X'X) = 2X"
    ),
    pytest.param(
        trace(power(X, 3)),
        X,
        "denominator",
        1,
        mul(num(3), power(transpose(X), 2)),
        "matrix gradient",
        id="tr(X^3) = 3(X')^2",
    ),
    pytest.param(trace(X), X, "denominator", 1, identity(n), "matrix gradient", id="tr(X) = I"),
    pytest.param(
        det(X), X, "denominator", 1, mul(det(X), transpose(inverse(X))), "matrix gradient", id="det X = det(X) X^-T"
    ),
    pytest.param(
        apply("log", det(X)), X, "denominator", 1, transpose(inverse(X)), "matrix gradient", id="log det X = X^-T"
    ),
    pytest.param(
        trace(mul(inverse(X), A)),
        X,
        "denominator",
        1,
        neg(mul(transpose(inverse(X)), transpose(A), transpose(inverse(X)))),
        "matrix gradient",
        id="tr(X^-1 A) = -X^-T A' X^-T",
    ),
    pytest.param(
        mul(transpose(c), Y, var("e", p)),
        Y,
        "denominator",
        1,
        mul(c, transpose(var("e", p))),
        "matrix gradient",
        id="a'Xb = a b'",
    ),
    pytest.param(
        power(norm(sub(Y, mul(U, V))), 2),
        V,
        "denominator",
        1,
        mul(num(-2), transpose(U), sub(Y, mul(U, V))),
        "matrix gradient",
        id="norm(X-UV)^2 by V = -2U'(X-UV)",
    ),
    pytest.param(
        power(norm(sub(Y, mul(U, V))), 2),
        U,
        "numerator",
        1,
        mul(num(-2), V, transpose(sub(Y, mul(U, V)))),
        "matrix gradient",
        id="norm(X-UV)^2 by U = -2V(X-UV)' (numerator)",
    ),
    pytest.param(norm(Y), Y, "denominator", 1, mul(power(norm(Y), -1), Y), "matrix gradient", id="norm_F(X)"),
    pytest.param(
        sum_entries(apply("sin", mul(W, Xnp))),
        Xnp,
        "denominator",
        1,
        mul(transpose(W), apply("cos", mul(W, Xnp))),
        "matrix gradient",
        id="sum(sin(WX)) = W' cos(WX)",
    ),
    # anything by a scalar: entry by entry, f's shape
    pytest.param(mul(s, x), s, "denominator", 1, x, "derivative", id="a x by a = x"),
    pytest.param(mul(s, x), s, "numerator", 1, x, "derivative", id="a x by a = x (numerator)"),
    pytest.param(
        inverse(mul(s, X)),
        s,
        "denominator",
        1,
        neg(mul(power(s, -2), inverse(X))),
        "derivative",
        id="inv(aX) by a = -inv(X)/a^2",
    ),
    pytest.param(det(mul(s, X)), s, "denominator", 1, None, "derivative", id="det(aX) by a"),
    pytest.param(
        apply("exp", mul(s, A)),
        s,
        "denominator",
        1,
        hadamard(A, apply("exp", mul(s, A))),
        "derivative",
        id="exp(aA) by a",
    ),
    pytest.param(power(mul(s, X), 2), s, "denominator", 1, mul(num(2), s, power(X, 2)), "derivative", id="(aX)^2 by a"),
    pytest.param(mul(power(s, 2), x), s, "denominator", 2, mul(num(2), x), "derivative", id="d2(a^2 x)/da2 = 2x"),
    # the Hessian
    pytest.param(mul(transpose(x), A, x), x, "denominator", 2, add(A, transpose(A)), "hessian", id="H x'Ax = A+A'"),
    pytest.param(power(norm(x), 2), x, "denominator", 2, mul(num(2), identity(n)), "hessian", id="H norm^2 = 2I"),
    pytest.param(
        sum_entries(apply("exp", x)), x, "numerator", 2, diag(apply("exp", x)), "hessian", id="H sum(exp) = diag(exp x)"
    ),
    pytest.param(mul(transpose(a), x), x, "denominator", 2, M.zero(n, n), "hessian", id="H a'x = 0"),
    pytest.param(sum_entries(apply("sigmoid", x)), x, "denominator", 2, None, "hessian", id="H sum(sigmoid x)"),
]

FUNCTION_CASES = [
    pytest.param(func, id=func)
    for func in ("exp", "log", "sin", "cos", "tan", "tanh", "sinh", "cosh", "sqrt", "sigmoid")
]


@pytest.mark.parametrize("f, wrt, layout, order, expected, kind", IDENTITIES)
def test_derivative_matches_the_tables_and_the_entries(
    f: MExpr, wrt: Var, layout: Layout, order: int, expected: MExpr | None, kind: str
) -> None:
    assert_derivative(f, wrt, layout, order, expected)
    assert derivative(f, wrt, layout, order).kind == kind


@pytest.mark.parametrize("func", FUNCTION_CASES)
def test_element_wise_functions_by_vector_and_matrix(func: str) -> None:
    assert_derivative(sum_entries(apply(func, mul(W, x))), x, "denominator", 1, None)
    assert_derivative(apply(func, add(mul(W, x), b)), x, "numerator", 1, None)
    assert_derivative(mul(transpose(c), apply(func, Xmn), x), Xmn, "denominator", 1, None)
    assert_derivative(apply(func, mul(s, X)), s, "denominator", 1, None)


@pytest.mark.parametrize(
    "f, wrt, layout, order, shape",
    [
        (mul(transpose(a), x), x, "denominator", 1, (n, 1)),
        (mul(transpose(a), x), x, "numerator", 1, (1, n)),
        (mul(W, x), x, "denominator", 1, (n, m)),
        (mul(W, x), x, "numerator", 1, (m, n)),
        (trace(mul(P, Y)), Y, "denominator", 1, (m, p)),
        (trace(mul(P, Y)), Y, "numerator", 1, (p, m)),
        (mul(s, Y), s, "numerator", 1, (m, p)),
        (mul(transpose(x), A, x), x, "numerator", 2, (n, n)),
    ],
)
def test_result_shape_follows_the_layout(f: MExpr, wrt: Var, layout: Layout, order: int, shape: M.Shape) -> None:
    assert derivative(f, wrt, layout, order).shape == shape


# ------------------------------------------------------------------ the printed forms of the seeds


@pytest.mark.parametrize(
    "f, wrt, printed",
    [
        (mul(transpose(x), A, x), x, "(A + Aᵀ) x"),
        (apply("log", det(X)), X, "X⁻ᵀ"),
        (det(X), X, "det(X) X⁻ᵀ"),
        (trace(mul(inverse(X), A)), X, "-X⁻ᵀ Aᵀ X⁻ᵀ"),
        (mul(transpose(x), x), x, "2 x"),
        (power(norm(sub(x, y)), 2), x, "2 (x - y)"),
        (apply("tanh", add(mul(W, x), b)), x, "Wᵀ diag(𝟙 - tanh(W x + b)∘²)"),
    ],
)
def test_seed_results_print_as_the_texts_do(f: MExpr, wrt: Var, printed: str) -> None:
    assert unicode(derivative(f, wrt).expr) == printed


def test_frobenius_least_squares_gradient_is_factored_as_in_d2l() -> None:
    got = derivative(power(norm(sub(Y, mul(U, V))), 2), V).expr
    assert got == mul(num(-2), transpose(U), sub(Y, mul(U, V)))


def test_hessian_of_quadratic_form_prints_a_plus_a_transpose() -> None:
    assert unicode(derivative(mul(transpose(x), A, x), x, order=2).expr) == "A + Aᵀ"


@pytest.mark.parametrize(
    "expanded, factored",
    [
        (add(mul(A, x), mul(transpose(A), x)), "(A + Aᵀ) x"),
        (
            add(mul(num(-2), transpose(U), Y), mul(num(2), transpose(U), U, V)),
            mul(num(-2), transpose(U), sub(Y, mul(U, V))),
        ),
        (add(mul(A, x), x), "(A + I) x"),
        (add(mul(transpose(x), A, x), mul(transpose(x), x)), "xᵀ (A + I) x"),
        (add(mul(det(X), A), mul(det(X), B)), "det(X) (A + B)"),
        (mul(A, inverse(A), x), "x"),
        (mul(transpose(inverse(X)), transpose(X)), "I"),
        (add(mul(num(2), x), mul(num(4), y)), "2 x + 4 y"),
    ],
)
def test_simplify_factors_sums_and_cancels_inverses(expanded: MExpr, factored: str | MExpr) -> None:
    got = simplify(expanded)
    if isinstance(factored, str):
        assert unicode(got) == factored
    else:
        assert got == factored
    rng = random.Random(1)
    for dims in SIZES:
        values = random_values(expanded.variables(), dims, rng)
        assert_close(evaluate(got, dims, values), evaluate(expanded, dims, values), "simplified")


# ------------------------------------------------------------------ rules for --steps


def test_rules_are_listed_once_in_the_order_first_used() -> None:
    rules = derivative(apply("log", det(mul(transpose(Xs), Xs))), Xs).rules
    names = [r.name for r in rules]
    assert names == [
        "chain rule (element-wise)",
        "d det X = det X tr(X⁻¹ dX)",
        "product rule",
        "d Xᵀ = (dX)ᵀ",
    ]
    assert rules[1].at == det(mul(transpose(Xs), Xs))


@pytest.mark.parametrize(
    "f, wrt, rule",
    [
        (trace(mul(inverse(X), A)), X, "d X⁻¹ = -X⁻¹ dX X⁻¹"),
        (trace(mul(A, X)), X, "d tr(X) = tr(dX)"),
        (inverse(mul(s, X)), s, "d X⁻¹ = -X⁻¹ dX X⁻¹"),
        (det(mul(s, X)), s, "d det X = det X tr(X⁻¹ dX)"),
        (apply("tanh", add(mul(W, x), b)), x, "chain rule (element-wise)"),
    ],
)
def test_rules_name_the_differential_used(f: MExpr, wrt: Var, rule: str) -> None:
    assert rule in [r.name for r in derivative(f, wrt).rules]


# ------------------------------------------------------------------ tensors and bad arguments


@pytest.mark.parametrize(
    "f, wrt, order, words",
    [
        (mul(x, transpose(x)), x, 1, "matrix by a vector x is a third-order tensor"),
        (mul(W, x), W, 1, "vector by a matrix W is a third-order tensor"),
        (mul(A, X, B), X, 1, "fourth-order tensor; calccli shows derivatives that are scalars, vectors or matrices"),
        (mul(A, X, B), X, 1, "d vec(F)/d vec(X) = B ⊗ Aᵀ"),
        (mul(transpose(Xs), Xs), Xs, 1, "fourth-order"),
        (apply("log", det(X)), X, 2, "second derivative of a scalar by a matrix X is a fourth-order tensor"),
        (mul(W, x), x, 2, "second derivative of a vector by a vector x is a third-order tensor"),
        (mul(apply("exp", mul(x, transpose(x))), y), x, 1, "exp(x xᵀ) is a matrix that depends on x"),
        (mul(transpose(a), x), X, 2, "fourth-order"),  # wrt absent: still no matrix to show
    ],
)
def test_tensor_results_are_math_errors_that_say_so(f: MExpr, wrt: Var, order: int, words: str) -> None:
    with pytest.raises(MathError) as err:
        derivative(f, wrt, order=order)
    assert words in err.value.message


def test_kronecker_form_in_numerator_layout() -> None:
    with pytest.raises(MathError, match="Bᵀ ⊗ A"):
        derivative(mul(A, X, B), X, layout="numerator")


@pytest.mark.parametrize(
    "f, wrt, layout, order, zero",
    [
        (mul(transpose(a), x), y, "denominator", 1, M.zero(n, 1)),
        (mul(transpose(a), x), y, "numerator", 1, M.zero(1, n)),
        (mul(W, x), b, "denominator", 1, M.zero(m, m)),
        (trace(mul(P, Y)), var("Z", n, n), "denominator", 1, M.zero(n, n)),
        (mul(transpose(a), x), y, "denominator", 2, M.zero(n, n)),
        (mul(W, x), s, "denominator", 1, M.zero(m, 1)),
    ],
)
def test_variable_absent_gives_the_zero_of_the_right_shape(
    f: MExpr, wrt: Var, layout: Layout, order: int, zero: MExpr
) -> None:
    d = derivative(f, wrt, layout, order)
    assert d.expr == zero
    assert d.rules == ()


def test_order_out_of_range_is_an_argument_error() -> None:
    with pytest.raises(ArgumentError, match="order must be 1 or 2"):
        derivative(mul(transpose(x), x), x, order=3)


def test_wrt_of_another_shape_than_the_formula_is_an_argument_error() -> None:
    with pytest.raises(ArgumentError, match="x is m×1, but the formula has it n×1"):
        derivative(mul(transpose(x), x), var("x", m))


# ------------------------------------------------------------------ a property over random expressions


def vector_expressions() -> st.SearchStrategy[MExpr]:
    """Column vectors built from x with the operators the Jacobian goes through."""
    leaves = st.sampled_from([x, a, add(x, a)])
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.builds(lambda u: mul(A, u), inner),
            st.builds(add, inner, inner),
            st.builds(hadamard, inner, inner),
            st.builds(apply, st.sampled_from(["sin", "tanh", "sigmoid", "cos"]), inner),
            st.builds(lambda u, v: mul(mul(transpose(a), u), v), inner, inner),
            st.builds(lambda u, v: mul(u, transpose(v), a), inner, inner),
            st.builds(lambda u, v: mul(diag(u), v), inner, inner),
            st.builds(lambda u: hadamard_power(u, 2), inner),
        ),
        max_leaves=5,
    )


@settings(max_examples=12, deadline=None)
@given(vector_expressions(), st.sampled_from(["denominator", "numerator"]))
def test_gradient_jacobian_and_hessian_agree_with_the_entries(u: MExpr, layout: Layout) -> None:
    assert_derivative(u, x, layout, 1, None, seed=2, sizes=SIZES[:1])
    assert_derivative(mul(transpose(u), u), x, layout, 1, None, seed=3, sizes=SIZES[:1])
    assert_derivative(mul(transpose(a), u), x, layout, 2, None, seed=4, sizes=SIZES[:1])
