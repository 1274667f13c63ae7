"""The independent check of matrix derivatives: instantiation, entry-by-entry derivatives, verification.

Expected values are computed by hand (2×2 matrices) or taken from the standard tables of matrix
derivatives (The Matrix Cookbook, Petersen & Pedersen; Wikipedia's "Matrix calculus", denominator
layout), written in the variables' entries.  The wrong candidates are the slips a library or a
student makes: SymPy 1.14's 0 for d log det X / dX, a transposition, a lost factor 2, a layout slip.
"""

from __future__ import annotations

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from calccli.calculus.matrix_check import (
    components,
    direct,
    entry_symbols,
    equivalent,
    evaluate,
    explicit,
    verify,
)
from calccli.errors import ArgumentError, MathError
from calccli.formula import matrix as M
from calccli.formula.matrix import (
    MExpr,
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
    var,
    zero,
)

m, n, p = dim("m"), dim("n"), dim("p")
A, B, X = var("A", n, n), var("B", n, n), var("X", n, n)
x, y = var("x", n), var("y", n)
a = var("a")
U, V, Y = var("U", m, n), var("V", n, p), var("Y", m, p)

VALUES = {
    "A": sp.Matrix([[1, 2], [3, 4]]),
    "B": sp.Matrix([[2, 0], [1, -1]]),
    "x": sp.Matrix([1, 2]),
    "a": sp.Matrix([[3]]),
}
R = sp.Rational


def equal(got: sp.Matrix, expected: sp.Matrix) -> bool:
    return got.shape == expected.shape and all(sp.simplify(g - e) == 0 for g, e in zip(got, expected, strict=True))


# --------------------------------------------------------------------------- explicit


@pytest.mark.parametrize(
    "e, expected",
    [
        (transpose(A), [[1, 3], [2, 4]]),
        (inverse(A), [[-2, 1], [R(3, 2), R(-1, 2)]]),
        (trace(A), [[5]]),
        (det(A), [[-2]]),
        (norm(A), [[sp.sqrt(30)]]),
        (norm(x), [[sp.sqrt(5)]]),
        (sum_entries(A), [[10]]),
        (diag(x), [[1, 0], [0, 2]]),
        (hadamard(A, B), [[2, 0], [3, -4]]),
        (hadamard_power(A, 2), [[1, 4], [9, 16]]),
        (hadamard_power(A, -1), [[1, R(1, 2)], [R(1, 3), R(1, 4)]]),
        (power(A, 2), [[7, 10], [15, 22]]),
        (power(trace(A), -1), [[R(1, 5)]]),
        (power(mul(transpose(x), x), R(1, 2)), [[sp.sqrt(5)]]),
        (identity(n), [[1, 0], [0, 1]]),
        (ones(n, n), [[1, 1], [1, 1]]),
        (ones(n), [[1], [1]]),
        (zero(n, n), [[0, 0], [0, 0]]),
        (mul(num(3), A), [[3, 6], [9, 12]]),
        (mul(a, A), [[3, 6], [9, 12]]),
        (mul(mul(transpose(x), x), A), [[5, 10], [15, 20]]),  # a 1×1 product scales
        (mul(A, B), [[4, -2], [10, -4]]),
        (mul(transpose(x), A, x), [[27]]),
        (mul(x, transpose(x)), [[1, 2], [2, 4]]),
        (sub(A, B), [[-1, 2], [2, 5]]),
        (add(A, transpose(A), identity(n)), [[3, 5], [5, 9]]),
        (mul(inverse(A), A), [[1, 0], [0, 1]]),
        (transpose(inverse(A)), [[-2, R(3, 2)], [1, R(-1, 2)]]),
    ],
)
def test_explicit_matches_hand_computed_2x2(e: MExpr, expected: list[list[object]]) -> None:
    assert equal(explicit(e, {n: 2}, VALUES), sp.Matrix(expected))


L2, L3, PI = sp.log(2), sp.log(3), sp.pi


FUNCTION_CASES = [
    ("exp", [[0, L2], [L3, 1]], [[1, 2], [3, sp.E]]),
    ("log", [[1, sp.E], [sp.E**2, 1 / sp.E]], [[0, 1], [2, -1]]),
    ("sin", [[0, PI / 2], [PI, PI / 6]], [[0, 1], [0, R(1, 2)]]),
    ("cos", [[0, PI / 2], [PI, PI / 6]], [[1, 0], [-1, sp.sqrt(3) / 2]]),
    ("tan", [[0, PI / 4], [PI, -PI / 4]], [[0, 1], [0, -1]]),
    ("tanh", [[0, L2], [L3, -L3]], [[0, R(3, 5)], [R(4, 5), R(-4, 5)]]),
    ("sinh", [[0, L2], [L3, -L3]], [[0, R(3, 4)], [R(4, 3), R(-4, 3)]]),
    ("cosh", [[0, L2], [L3, -L3]], [[1, R(5, 4)], [R(5, 3), R(5, 3)]]),
    ("sqrt", [[1, 4], [9, R(1, 4)]], [[1, 2], [3, R(1, 2)]]),
    ("sigmoid", [[0, L2], [L3, -L3]], [[R(1, 2), R(2, 3)], [R(3, 4), R(1, 4)]]),
    ("abs", [[1, -2], [0, R(-1, 3)]], [[1, 2], [0, R(1, 3)]]),
]


def test_every_function_has_a_hand_computed_case() -> None:
    assert {case[0] for case in FUNCTION_CASES} == {*M.FUNCTIONS, "abs"}


@pytest.mark.parametrize("func, argument, expected", FUNCTION_CASES)
def test_explicit_applies_each_function_entry_by_entry(
    func: str, argument: list[list[object]], expected: list[list[object]]
) -> None:
    assert equal(explicit(apply(func, A), {n: 2}, {"A": sp.Matrix(argument)}), sp.Matrix(expected))


def test_explicit_applies_a_function_to_a_scalar() -> None:
    assert explicit(apply("log", det(A)), {n: 2}, {"A": sp.Matrix([[2, 1], [1, 2]])}) == sp.Matrix([[sp.log(3)]])


@pytest.mark.parametrize(
    "e, values, message",
    [
        (inverse(A), {"A": sp.Matrix([[1, 2], [2, 4]])}, "singular"),
        (apply("log", det(A)), {"A": sp.Matrix([[1, 2], [3, 4]])}, "not positive"),  # det = -2
        (apply("log", A), {"A": sp.Matrix([[1, 2], [0, 4]])}, "not positive"),
        (apply("sqrt", x), {"x": sp.Matrix([1, -1])}, "negative"),
        (power(mul(transpose(x), x), -1), {"x": sp.Matrix([0, 0])}, "power"),
        (hadamard_power(x, R(1, 2)), {"x": sp.Matrix([1, -4])}, "not real"),
        (mul(power(norm(x), -1), x), {"x": sp.Matrix([0, 0])}, "power"),
    ],
)
def test_explicit_raises_math_error_where_undefined(e: MExpr, values: dict[str, sp.Matrix], message: str) -> None:
    with pytest.raises(MathError, match=message):
        explicit(e, {n: 2}, values)


def test_explicit_rejects_a_value_of_the_wrong_shape() -> None:
    with pytest.raises(ArgumentError, match="A is 3×3, expected 2×2"):
        explicit(A, {n: 2}, {"A": sp.eye(3)})


# --------------------------------------------------------------------------- entry symbols


def test_entry_symbols_are_the_texts_names() -> None:
    assert entry_symbols(x, {n: 3}) == sp.Matrix(sp.symbols("x1:4", real=True))
    assert entry_symbols(U, {m: 2, n: 3}) == sp.Matrix(2, 3, sp.symbols("U11 U12 U13 U21 U22 U23", real=True))
    assert entry_symbols(a, {}) == sp.Matrix([[sp.Symbol("a", real=True)]])
    assert entry_symbols(var("r", 1, n), {n: 2}) == sp.Matrix([sp.symbols("r1 r2", real=True)])  # a row
    big = entry_symbols(A, {n: 10})
    assert (big[0, 9].name, big[9, 0].name, big[9, 9].name) == ("A1_10", "A10_1", "A10_10")
    assert entry_symbols(var("w1", n), {n: 2})[1].name == "w1_2"
    assert all(s.is_real for s in entry_symbols(A, {n: 2}))


# --------------------------------------------------------------------------- direct


@pytest.mark.parametrize("size", [2, 3])
def test_direct_gradient_of_quadratic_form_is_a_plus_a_transpose_x(size: int) -> None:
    dims = {n: size}
    a_, x_ = entry_symbols(A, dims), entry_symbols(x, dims)
    assert equal(direct(mul(transpose(x), A, x), x, dims), (a_ + a_.T) * x_)


@pytest.mark.parametrize("size", [2, 3])
def test_direct_gradient_of_log_det_is_the_inverse_transpose(size: int) -> None:
    dims = {n: size}
    x_ = entry_symbols(X, dims)
    assert equal(direct(apply("log", det(X)), X, dims), x_.inv().T)


def test_direct_gradient_of_trace_of_a_x_is_a_transpose() -> None:
    dims = {n: 3}
    assert direct(trace(mul(A, X)), X, dims) == entry_symbols(A, dims).T


def test_direct_jacobian_of_a_x_in_each_layout() -> None:
    dims = {m: 2, n: 3}
    W = var("W", m, n)
    w = entry_symbols(W, dims)
    assert direct(mul(W, x), x, dims) == w.T  # denominator: n×m
    assert direct(mul(W, x), x, dims, layout="numerator") == w  # numerator: the Jacobian, m×n


def test_direct_gradient_in_numerator_layout_is_the_transpose() -> None:
    dims = {m: 2, n: 3}
    W, u = var("W", m, n), var("u", m)
    grad = direct(mul(transpose(u), W, x), W, dims)
    assert grad == entry_symbols(u, dims) * entry_symbols(x, dims).T  # u xᵀ, like W
    assert direct(mul(transpose(u), W, x), W, dims, layout="numerator") == grad.T


@pytest.mark.parametrize("size", [2, 3])
def test_direct_hessian_of_quadratic_form_is_a_plus_a_transpose(size: int) -> None:
    dims = {n: size}
    a_ = entry_symbols(A, dims)
    assert direct(mul(transpose(x), A, x), x, dims, order=2) == a_ + a_.T


def test_direct_by_a_scalar_is_entrywise() -> None:
    e = mul(power(a, 2), A)
    assert direct(e, a, {n: 2}) == 2 * sp.Symbol("a", real=True) * entry_symbols(A, {n: 2})
    assert direct(e, a, {n: 2}, order=2) == 2 * entry_symbols(A, {n: 2})


def test_direct_refuses_a_tensor() -> None:
    with pytest.raises(MathError, match="not a scalar, vector or matrix"):
        direct(mul(A, X), X, {n: 2})


# --------------------------------------------------------------------------- verify


RIGHT = [
    pytest.param(mul(transpose(x), A, x), x, mul(add(A, transpose(A)), x), "denominator", 1, id="x'Ax"),
    pytest.param(mul(transpose(x), x), x, mul(num(2), x), "denominator", 1, id="x'x"),
    pytest.param(mul(transpose(y), x), x, y, "denominator", 1, id="y'x"),
    pytest.param(mul(transpose(y), x), x, transpose(y), "numerator", 1, id="y'x numerator"),
    pytest.param(apply("log", det(X)), X, transpose(inverse(X)), "denominator", 1, id="log det X"),
    pytest.param(det(X), X, mul(det(X), transpose(inverse(X))), "denominator", 1, id="det X"),
    pytest.param(trace(mul(A, X)), X, transpose(A), "denominator", 1, id="tr(AX)"),
    pytest.param(
        trace(mul(A, inverse(X))),
        X,
        neg(mul(transpose(inverse(X)), transpose(A), transpose(inverse(X)))),
        "denominator",
        1,
        id="tr(A inv X)",
    ),
    pytest.param(
        trace(mul(A, transpose(var("Z", m, n)), var("C", m, m), var("Z", m, n), B)),
        var("Z", m, n),
        add(
            mul(transpose(var("C", m, m)), var("Z", m, n), transpose(A), transpose(B)),
            mul(var("C", m, m), var("Z", m, n), B, A),
        ),
        "denominator",
        1,
        id="tr(A Z' C Z B)",
    ),
    pytest.param(
        power(norm(sub(Y, mul(U, V))), 2),
        V,
        mul(num(-2), transpose(U), sub(Y, mul(U, V))),
        "denominator",
        1,
        id="‖Y-UV‖²",
    ),
    pytest.param(norm(x), x, mul(power(norm(x), -1), x), "denominator", 1, id="‖x‖"),
    pytest.param(sum_entries(apply("exp", x)), x, apply("exp", x), "denominator", 1, id="sum exp"),
    pytest.param(
        apply("log", mul(transpose(x), A, x)),
        x,
        mul(power(mul(transpose(x), A, x), -1), add(A, transpose(A)), x),
        "denominator",
        1,
        id="log x'Ax",
    ),
    pytest.param(mul(A, x), x, transpose(A), "denominator", 1, id="Ax"),
    pytest.param(mul(A, x), x, A, "numerator", 1, id="Ax numerator"),
    pytest.param(apply("sin", x), x, diag(apply("cos", x)), "denominator", 1, id="sin x"),
    pytest.param(mul(transpose(x), A, x), x, add(A, transpose(A)), "denominator", 2, id="hessian x'Ax"),
    pytest.param(mul(power(a, 3), A), a, mul(num(3), power(a, 2), A), "denominator", 1, id="by a scalar"),
]


@pytest.mark.parametrize("f, wrt, candidate, layout, order", RIGHT)
def test_verify_accepts_right_derivatives(f: MExpr, wrt: M.Var, candidate: MExpr, layout: str, order: int) -> None:
    v = verify(f, wrt, candidate, layout, order)
    assert v.verified, v.reason
    assert v.reason is None and v.trials == 3 and len(v.dims) == 3
    assert v.max_error < 1e-20


WRONG = [
    pytest.param(apply("log", det(X)), X, zero(n, n), "denominator", "differs", id="SymPy 1.14: d log det X/dX = 0"),
    pytest.param(apply("log", det(X)), X, inverse(X), "denominator", "differs", id="X⁻¹ for X⁻ᵀ"),
    pytest.param(trace(mul(A, X)), X, A, "denominator", "differs", id="A for Aᵀ"),
    pytest.param(mul(transpose(x), x), x, x, "denominator", "differs", id="factor 2 lost"),
    pytest.param(
        power(norm(sub(Y, mul(U, V))), 2),
        V,
        mul(transpose(U), sub(Y, mul(U, V))),
        "denominator",
        "differs",
        id="‖Y-UV‖² sign and 2",
    ),
    pytest.param(mul(A, x), x, A, "denominator", "differs", id="Ax: numerator answer as denominator"),
    pytest.param(mul(U, x), x, U, "denominator", "shape", id="Ux: numerator shape as denominator"),
    pytest.param(
        mul(transpose(var("u", m)), U, x), U, mul(x, transpose(var("u", m))), "denominator", "shape", id="u'Ux: x u'"
    ),
    pytest.param(mul(transpose(x), A, x), x, mul(num(2), A, x), "denominator", "differs", id="2Ax for symmetric only"),
]


@pytest.mark.parametrize("f, wrt, candidate, layout, why", WRONG)
def test_verify_rejects_wrong_derivatives(f: MExpr, wrt: M.Var, candidate: MExpr, layout: str, why: str) -> None:
    v = verify(f, wrt, candidate, layout)
    assert not v.verified
    assert v.reason is not None and why in v.reason
    assert v.max_error > 0
    assert not v.reason.startswith("could not be checked")


def test_verify_uses_distinct_sizes_for_distinct_dimensions() -> None:
    v = verify(power(norm(sub(Y, mul(U, V))), 2), V, mul(num(-2), transpose(U), sub(Y, mul(U, V))))
    assert all(len(set(d.values())) == 3 and min(d.values()) >= 2 for d in v.dims)
    assert v.dims[0] == {"m": 2, "n": 3, "p": 4}


@settings(max_examples=25, deadline=None)
@given(st.integers(-2, 2), st.integers(-2, 2))
def test_verify_accepts_c_a_plus_d_a_transpose_only_for_c_and_d_one(c: int, d: int) -> None:
    candidate = mul(add(mul(num(c), A), mul(num(d), transpose(A))), x)
    assert verify(mul(transpose(x), A, x), x, candidate).verified == (c == d == 1)


def test_verify_is_deterministic_and_holds_for_other_seeds() -> None:
    f, d = apply("log", det(X)), transpose(inverse(X))
    assert verify(f, X, zero(n, n)) == verify(f, X, zero(n, n))
    assert all(verify(f, X, d, seed=s).verified for s in range(3))


def test_verify_reports_unusable_draws_as_could_not_be_checked() -> None:
    never = apply("log", neg(mul(transpose(x), x)))  # log of a negative number at every draw
    v = verify(never, x, mul(power(mul(transpose(x), x), -1), x))
    assert not v.verified
    assert v.reason is not None and v.reason.startswith("could not be checked: 0 of 3")


def test_verify_needs_two_usable_trials() -> None:
    v = verify(mul(transpose(x), x), x, mul(num(2), x), trials=1)
    assert not v.verified and v.reason is not None and v.reason.startswith("could not be checked: 1 of 1")


# --------------------------------------------------------------------------- equivalent


def test_equivalent_calls_equal_forms_correct() -> None:
    e = equivalent(add(mul(A, x), mul(transpose(A), x)), mul(add(A, transpose(A)), x))
    assert e.verdict == "correct" and e.reason is None and len(e.dims) == 4


def test_equivalent_finds_the_differing_entry() -> None:
    e = equivalent(mul(num(2), A, x), mul(add(A, transpose(A)), x))
    assert e.verdict == "incorrect" and e.entry is not None
    assert e.got is not None and e.expected is not None and e.got != e.expected
    assert e.reason is not None and "they differ at n=2" in e.reason


def test_equivalent_rejects_a_shape_mismatch() -> None:
    e = equivalent(mul(A, x), transpose(mul(A, x)))
    assert (e.verdict, e.reason) == ("incorrect", "shape n×1, expected 1×n")


def test_equivalent_is_undetermined_when_every_draw_is_undefined() -> None:
    singular = inverse(mul(x, transpose(x)))  # rank one: never invertible for n >= 2
    e = equivalent(singular, singular)
    assert e.verdict == "undetermined"
    assert e.reason is not None and e.reason.startswith("could not be checked") and "singular" in e.reason


# --------------------------------------------------------------------------- evaluate


@pytest.mark.parametrize("given_x", [sp.Matrix([1, 1]), sp.Matrix([[1, 1]])])
def test_evaluate_quadratic_form_at_values(given_x: sp.Matrix) -> None:
    values = {"A": sp.Matrix([[1, 2], [3, 4]]), "x": given_x}
    assert evaluate(mul(transpose(x), A, x), values) == sp.Matrix([[10]])
    assert evaluate(mul(add(A, transpose(A)), x), values) == sp.Matrix([7, 13])  # A + Aᵀ = [[2, 5], [5, 8]]


def test_evaluate_reads_sizes_from_the_formulas_other_variables() -> None:
    with pytest.raises(ArgumentError, match="do not fix the size n"):
        evaluate(identity(n), {"X": sp.eye(3)})
    assert evaluate(identity(n), {"X": sp.eye(3)}, variables=(X,)) == sp.eye(3)


@pytest.mark.parametrize(
    "values, message",
    [
        ({"A": sp.Matrix([[1, 2], [3, 4]]), "x": sp.Matrix([1, 1, 1])}, "at: x has 3 entries but A is 2×2"),
        ({"A": sp.Matrix([[1, 2, 3], [3, 4, 5]]), "x": sp.Matrix([1, 1])}, "at: A is 2×3 but"),
        ({"A": sp.Matrix([[1, 2], [3, 4]])}, "at: no value for x"),
        ({"y": sp.Matrix([1, 2])}, "at: no value for x, A"),
    ],
)
def test_evaluate_rejects_inconsistent_or_missing_values(values: dict[str, sp.Matrix], message: str) -> None:
    with pytest.raises(ArgumentError, match=message) as caught:
        evaluate(mul(transpose(x), A, x), values)
    assert caught.value.argument == "at"
    assert caught.value.worded({"at": "--at"}).message.startswith("--at: ")


def test_evaluate_is_math_error_where_undefined() -> None:
    with pytest.raises(MathError, match="singular"):
        evaluate(inverse(A), {"A": sp.Matrix([[1, 2], [2, 4]])})


# --------------------------------------------------------------------------- components


def test_components_of_quadratic_form_as_the_texts_write_it() -> None:
    c = components(mul(transpose(x), A, x), x, 2)
    x1, x2, a11, a12, a21, a22 = sp.symbols("x1 x2 A11 A12 A21 A22", real=True)
    assert c.entries == (x1, x2)
    assert sp.expand(c.function[0, 0] - (a11 * x1**2 + (a12 + a21) * x1 * x2 + a22 * x2**2)) == 0
    assert c.derivative == sp.Matrix([2 * a11 * x1 + (a12 + a21) * x2, (a12 + a21) * x1 + 2 * a22 * x2])
    assert c.derivative[0] == 2 * a11 * x1 + x2 * (a12 + a21)  # collected, as printed


def test_components_of_log_det_is_the_inverse_transpose() -> None:
    c = components(apply("log", det(X)), X, 3)
    assert c.derivative.shape == (3, 3) and len(c.entries) == 9
    assert equal(c.derivative, entry_symbols(X, {n: 3}).inv().T)


def test_components_size_is_bounded() -> None:
    with pytest.raises(ArgumentError, match="components must be between 1 and"):
        components(mul(transpose(x), x), x, 0)
