"""The SymEngine boundary (calccli.calculus.fast): the same derivatives as SymPy's, or a fallback."""

from __future__ import annotations

import subprocess
import sys

import pytest
import sympy as sp

from calccli.calculus import differential, fast
from calccli.formula.grammar import formula


def dense(n: int) -> str:
    """bench/peers.py's benchmark function: sum x_i^4 + sum_{i<j} x_i x_j sin(x_j)."""
    xs = [f"x{i}" for i in range(1, n + 1)]
    terms = [f"{v}^4" for v in xs] + [f"{xs[i]}*{xs[j]}*sin({xs[j]})" for i in range(n) for j in range(i + 1, n)]
    return " + ".join(terms)


def sympy_hessian(e, vs):
    """The SymPy path's entries: each mixed partial as diff(diff(f, x_i), x_j)."""
    return {(i, j): sp.diff(sp.diff(e, vs[i]), vs[j]) for i in range(len(vs)) for j in range(i, len(vs))}


def test_dense_hessian_n4_is_exactly_sympys():
    f = formula(dense(4))
    x1, x2, x3, x4 = f.variables
    upper = fast.hessian(f.expr, f.variables)
    assert upper == sympy_hessian(f.expr, f.variables)
    for k, v in upper.items():  # identical in form: the same arguments in the same order
        assert v.args == sympy_hessian(f.expr, f.variables)[k].args
    # and the mathematics, written out
    assert upper[0, 0] == 12 * x1**2
    assert upper[0, 1] == x2 * sp.cos(x2) + sp.sin(x2)
    assert upper[1, 1] == 12 * x2**2 - x1 * x2 * sp.sin(x2) + 2 * x1 * sp.cos(x2)
    assert upper[2, 3] == x4 * sp.cos(x4) + sp.sin(x4)
    assert upper[3, 3] == 12 * x4**2 + sum(-xi * x4 * sp.sin(x4) + 2 * xi * sp.cos(x4) for xi in (x1, x2, x3))


@pytest.mark.parametrize(
    "text",
    [
        "log(1 + x^2 + 5y^2) + z^4 sin(x)",
        "exp(x y) sin(x+y)/(1+x^2)",
        "sqrt(x^2+y^2) atan(y/x)",
        "(x+y)^5 + x^x",
        "2*(x+1)*y^2 + tan(x)^3/cot(y)",
        "x^(2/3) y^(-1/2) + asinh(x y) + acosh(x)^2 + sec(x) csc(y) - 3/7 x y + pi e^x",
        "x^x^y + log(x)^3 y + atan(x)^2 + cosh(x y)^2 - sinh(x y)^2",
    ],
)
def test_round_trip_gives_sympys_derivatives(text):
    # terms whose SymEngine derivative is not a flat sum go through SymPy: identical either way
    f = formula(text)
    assert fast.hessian(f.expr, f.variables) == sympy_hessian(f.expr, f.variables)
    (row,) = fast.jacobian([f.expr], f.variables)
    assert row == [sp.diff(f.expr, v) for v in f.variables]


def test_round_trip_keeps_the_formulas_symbols():
    f = formula("a x^2 + sin(y)", ["x", "y"])
    (row,) = fast.jacobian([f.expr], f.variables)
    symbols = set().union(*(d.free_symbols for d in row))
    assert symbols <= f.expr.free_symbols  # the very symbols (real=True), not SymEngine's plain ones
    assert all(s.is_real for s in symbols)


@pytest.mark.parametrize("text", ["|x| y + x^2", "floor(x) y", "erf(x) y", "gamma(x) y", "x^2 if x > 0 else y"])
def test_unsupported_formulas_fall_back(text):
    f = formula(text, ["x", "y"])
    assert fast.hessian(f.expr, f.variables) is None
    assert fast.jacobian([f.expr], f.variables) is None


def test_large_system_with_an_unsupported_function_uses_sympy():
    # 10 variables: large enough for SymEngine, but |x1| keeps it in SymPy (sign(x1) is SymPy's)
    f = formula(dense(10) + " + |x1| x2")
    assert fast.worth_it([f.expr], 55)
    h = differential.hessian(f)
    x1, x2 = f.variables[:2]
    assert h.matrix[0, 1] == x2 * sp.cos(x2) + sp.sin(x2) + sp.sign(x1)
    assert h.matrix[0, 0] == 12 * x1**2


def test_large_hessian_through_symengine_matches_sympy():
    f = formula(dense(9))
    assert fast.worth_it([f.expr], 45)
    m = differential.hessian(f).matrix
    ref = sympy_hessian(f.expr, f.variables)
    assert all(m[i, j] == m[j, i] == ref[i, j] for (i, j) in ref)


def test_jacobian_and_gradient_at_scale_match_sympy():
    f = formula(dense(40))
    g = differential.gradient(f)
    assert list(g.components) == [sp.diff(f.expr, v) for v in f.variables]


def test_small_calls_never_import_symengine():
    code = (
        "import sys\n"
        "from calccli.calculus.differential import gradient, hessian, jacobian\n"
        "from calccli.formula.grammar import formula\n"
        "gradient(formula('x^2*y')); hessian(formula('x^4 + y^4 - 4xy + 1')); jacobian(formula('[u^2 - v^2, 2u v]'))\n"
        "assert 'symengine' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_large_hessian_at_a_point_decides_definiteness_numerically():
    # 10 x 10 of numbers like 2 cos(1) - sin(1): SymPy's exact test would run for minutes
    f = formula(dense(10))
    h = differential.hessian(f, at={v: sp.Integer(1) for v in f.variables})
    x2 = f.variables[1]
    assert h.matrix_value[0, 1] == (x2 * sp.cos(x2) + sp.sin(x2)).subs(x2, 1)
    import numpy as np

    floats = np.linalg.eigvalsh(np.array(h.matrix_value.evalf(30).tolist(), dtype=float))
    assert h.definiteness == ("positive definite" if min(floats) > 0 else "indefinite")
    assert h.eigen_note == "eigenvalues are given numerically (no simple closed form)"
