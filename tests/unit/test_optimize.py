"""Gradient descent, Newton's method and the comparison, against iterates and solutions worked by hand."""

from __future__ import annotations

import json
import math

import pytest
import sympy as sp

from calccli.calculus.optimize import MAX_ROWS, MAX_STEPS_LIMIT, compare, descend, newton
from calccli.errors import ArgumentError, MathError, UsageError
from calccli.formula.grammar import formula
from calccli.process.budget import Budget

LESSON = "x^2 + y^2 - 2x - 4y + 5"  # ∇f = (2x − 2, 2y − 4), minimum (1, 2), H = 2I
ROSENBROCK = "(1 - x)^2 + 100(y - x^2)^2"
x, y = formula("x + y").variables  # the parser's symbols (real)


def start(*coords: str) -> tuple[sp.Expr, ...]:
    return tuple(sp.Rational(c) for c in coords)


def dumps(payload: dict[str, object]) -> str:
    return json.dumps(payload, allow_nan=False)


# ----------------------------------------------------------------------------- gradient descent


def test_lesson_descent_reaches_the_minimum_exactly_identified():
    r = descend(formula(LESSON), start("5", "5"), rate=0.1)
    assert r.status == "converged" and r.exit_code == 0
    assert math.dist(r.final, (1, 2)) < 1e-6
    assert r.gradient_norm < 1e-8
    assert r.exact == {x: 1, y: 2}
    assert r.nearest is not None and r.nearest.point.kind == "local minimum"
    assert r.trace[1].point == pytest.approx((4.2, 4.4), abs=1e-12)  # (5, 5) − 0.1·(8, 6)
    dumps(r.payload())


def test_lesson_iterates_follow_the_closed_form():
    # θ_k − (1, 2) = (1 − 2η)^k · (4, 3) = 0.8^k · (4, 3)
    r = descend(formula(LESSON), start("5", "5"), rate=0.1)
    assert [row.step for row in r.trace] == list(range(r.steps + 1))
    for row in r.trace[:30]:
        k = row.step
        assert row.point == pytest.approx((1 + 4 * 0.8**k, 2 + 3 * 0.8**k), abs=1e-12)
        assert row.value == pytest.approx(25 * 0.64**k, abs=1e-12)  # f − f* = |θ − θ*|², f* = 0
        assert row.gradient_norm == pytest.approx(10 * 0.8**k, abs=1e-12)


def test_rate_past_the_bound_diverges_and_says_the_bound():
    r = descend(formula(LESSON), start("5", "5"), rate=1.1)
    assert r.status == "diverged" and r.exit_code == 1
    assert r.quadratic is not None
    assert r.quadratic.lambda_max == 2 and r.quadratic.bound == 1 and not r.quadratic.stable
    assert any("rate 1.1 diverges" in n and "2/λ_max = 1 converges" in n for n in r.notes)
    for row in r.trace:  # θ_k − θ* = (−1.2)^k (4, 3): kept up to where the divergence was called
        assert row.point == pytest.approx((1 + 4 * (-1.2) ** row.step, 2 + 3 * (-1.2) ** row.step), rel=1e-9)
    assert r.trace[-1].step == r.steps < 100


def test_rate_at_the_bound_oscillates():
    r = descend(formula(LESSON), start("5", "5"), rate=1.0, max_steps=500)
    assert r.status == "oscillating" and r.exit_code == 1
    assert r.final == pytest.approx((5, 5))  # (5, 5) → (−3, −1) → (5, 5) ...
    assert any("flipped" in n for n in r.notes)


@pytest.mark.parametrize("a, b", [(1, 1), (1, 4), (3, sp.Rational(1, 2)), (10, 7)])
@pytest.mark.parametrize("momentum", [0.0, 0.5])
def test_quadratic_bound_separates_converging_from_diverging_rates(a, b, momentum):
    # f = a(x − 1)² + b(y + 2)²: H = diag(2a, 2b); heavy ball converges iff η < 2(1 + β)/λ_max
    f = formula(f"{a}(x - 1)^2 + {b}(y + 2)^2")
    exact_bound = 2 * (1 + sp.nsimplify(momentum)) / (2 * max(a, b))
    below = descend(f, start("3", "3"), rate=0.9 * float(exact_bound), momentum=momentum, max_steps=50_000)
    assert below.quadratic is not None and sp.simplify(below.quadratic.bound - exact_bound) == 0
    assert below.status == "converged" and math.dist(below.final, (1, -2)) < 1e-6
    above = descend(f, start("3", "3"), rate=1.1 * float(exact_bound), momentum=momentum)
    assert above.status == "diverged"


def test_overflow_is_reported_at_the_step_it_appears():
    r = descend(formula(ROSENBROCK), start("-1.2", "1"), rate=0.1)
    assert r.status == "diverged"
    last = r.trace[-1]
    assert last.step == r.steps and not math.isfinite(last.value)
    assert all(math.isfinite(row.value) for row in r.trace[:-1])
    assert any(f"at step {r.steps}" in n for n in r.notes)
    assert any("rates below" in n for n in r.notes)  # the local estimate from the Hessian at the start
    dumps(r.payload())


def test_line_search_converges_on_rosenbrock_and_never_goes_uphill():
    r = descend(formula(ROSENBROCK), start("-1.2", "1"), rate=1.0, line_search=True, tol=1e-6, max_steps=50_000)
    assert r.status == "converged"
    assert math.dist(r.final, (1, 1)) < 1e-5
    values = [row.value for row in r.trace]
    assert all(b <= a for a, b in zip(values, values[1:], strict=False))
    assert r.quadratic is None


def test_momentum_converges_on_rosenbrock():
    r = descend(formula(ROSENBROCK), start("-1.2", "1"), rate=1e-3, momentum=0.9)
    assert r.status == "converged"
    assert math.dist(r.final, (1, 1)) < 1e-6
    assert r.exact == {x: 1, y: 1}


def test_long_trace_is_thinned_evenly():
    r = descend(formula(LESSON), start("5", "5"), rate=0.999, max_steps=20_000)
    steps = [row.step for row in r.trace]
    assert len(steps) <= MAX_ROWS + 1 and steps[0] == 0 and steps[-1] == r.steps
    assert {b - a for a, b in zip(steps[:-1], steps[1:-1], strict=False)} == {r.every}
    assert any("one step in" in n for n in r.notes)


def test_every_keeps_every_kth_step_and_the_last():
    r = descend(formula(LESSON), start("5", "5"), rate=0.1, every=10)
    assert r.steps % 10  # 93 steps: the last is not a multiple of 10
    assert [row.step for row in r.trace] == [*range(0, r.steps, 10), r.steps]


def test_step_limit_says_not_converged():
    r = descend(formula(LESSON), start("5", "5"), rate=0.1, max_steps=5)
    assert (r.status, r.steps, r.exit_code) == ("max steps", 5, 1)
    assert r.final == pytest.approx((1 + 4 * 0.8**5, 2 + 3 * 0.8**5), abs=1e-12)


def test_time_limit_keeps_the_trace_so_far():
    r = descend(formula(LESSON), start("5", "5"), rate=1e-5, max_steps=100_000, budget=Budget(0.0))
    assert r.status == "timed out" and r.steps < 100_000
    assert r.trace[-1].step == r.steps
    assert any("incomplete" in n for n in r.notes)


# ----------------------------------------------------------------------------- Newton's method


def test_newton_converges_quadratically_to_one_one():
    r = newton(formula("x^4 + y^4 - 4x y + 1"), start("2", "2"))
    assert r.status == "converged" and r.exact == {x: 1, y: 1} and r.target == "critical point"
    errors = [row.error for row in r.trace]
    tail = [(a, b) for a, b in zip(errors, errors[1:], strict=False) if a is not None and b and a < 0.1]
    assert len(tail) >= 2 and all(b <= 2 * a * a for a, b in tail)
    # along x = y Newton is 1-D Newton on φ = 2x⁴ − 4x² + 1: δ' ≈ φ'''/(2φ'') δ² = 3/2 δ², and e = √2 δ
    ratios = [row.ratio for row in r.trace if row.ratio is not None]
    assert ratios[-1] == pytest.approx(1.5 / math.sqrt(2), rel=1e-2)
    assert all(row.hessian == "positive definite" for row in r.trace)
    dumps(r.payload())


def test_newton_near_a_saddle_warns_and_lands_on_it():
    r = newton(formula("x^2 - y^2"), start("0.1", "-0.05"))
    assert r.final == pytest.approx((0, 0), abs=1e-12)
    assert r.trace[0].hessian == "indefinite"
    assert any("indefinite" in n and "saddle" in n for n in r.notes)
    assert r.nearest is not None and r.nearest.point.kind == "saddle point"


def test_newton_on_a_concave_function_heads_for_the_maximum():
    r = newton(formula("-(x - 1)^2 - (y - 3)^2"), start("0", "0"))
    assert r.final == pytest.approx((1, 3), abs=1e-12)
    assert any("negative definite" in n and "maximum" in n for n in r.notes)


def test_newton_takes_a_gradient_step_where_the_hessian_is_singular():
    r = newton(formula("x^4 + y^2"), start("0", "1"))
    assert r.trace[0].hessian == "singular"
    assert any("singular at step 0" in n and "gradient step" in n for n in r.notes)
    assert r.status == "converged" and r.final == pytest.approx((0, 0), abs=1e-12)


@pytest.mark.parametrize(
    "system, begin, solution",
    [
        ("[x^2 + y^2 - 4, x - y]", ("1", "2"), (sp.sqrt(2), sp.sqrt(2))),
        ("[x^2 + y^2 - 4, x - y]", ("-1", "-3"), (-sp.sqrt(2), -sp.sqrt(2))),
        ("[x y - 6, x + y - 5]", ("4", "0"), (3, 2)),
        ("exp(x) - 2", ("0",), (sp.log(2),)),
    ],
)
def test_newton_roots_find_the_exact_solution(system, begin, solution):
    f = formula(system)
    r = newton(f, start(*begin), roots=True)
    assert r.status == "converged" and r.target == "exact solution"
    assert r.exact is not None and all(
        sp.simplify(r.exact[v] - s) == 0 for v, s in zip(f.variables, solution, strict=True)
    )
    assert r.final == pytest.approx([float(s) for s in solution], abs=1e-12)
    assert r.residual < 1e-12


def test_singular_jacobian_is_a_status_with_the_trace_kept():
    r = newton(formula("[x^2 + y^2 - 4, x - y]"), start("0", "0"), roots=True)
    assert r.status == "singular jacobian" and r.exit_code == 1
    assert len(r.trace) == 1 and r.trace[0].point == (0.0, 0.0)
    assert any("singular" in n for n in r.notes)
    dumps(r.payload())


# ----------------------------------------------------------------------------- side by side


def test_compare_runs_every_method_and_they_agree():
    c = compare(formula(LESSON), start("5", "5"))
    assert [r.method for r in c.runs] == ["fixed rate", "line search", "momentum", "newton", "bfgs"]
    assert all(r.status == "converged" for r in c.runs) and c.agree and c.exit_code == 0
    assert all(math.dist(r.final, (1, 2)) < 1e-6 for r in c.runs)
    assert c.runs[3].steps == 1  # Newton solves a quadratic in one step
    assert c.nearest is not None and c.nearest.point.kind == "local minimum"
    dumps(c.payload())


def test_compare_on_rosenbrock_second_order_methods_win():
    c = compare(formula(ROSENBROCK), start("-1.2", "1"), rate=1e-3)
    by = {r.method: r for r in c.runs}
    for method in ("momentum", "newton", "bfgs"):
        assert by[method].status == "converged" and math.dist(by[method].final, (1, 1)) < 1e-6
    assert by["newton"].steps < by["momentum"].steps and c.agree


# ----------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "call, argument",
    [
        (lambda: descend(formula(LESSON), start("1", "2", "3")), "start"),
        (lambda: descend(formula(LESSON), start("1")), "start"),
        (lambda: descend(formula(LESSON), start("5", "5"), rate=0), "rate"),
        (lambda: descend(formula(LESSON), start("5", "5"), rate=-0.1), "rate"),
        (lambda: descend(formula(LESSON), start("5", "5"), rate=math.nan), "rate"),
        (lambda: descend(formula(LESSON), start("5", "5"), momentum=1.0), "momentum"),
        (lambda: descend(formula(LESSON), start("5", "5"), momentum=-0.1), "momentum"),
        (lambda: descend(formula(LESSON), start("5", "5"), momentum=0.5, line_search=True), "momentum"),
        (lambda: descend(formula(LESSON), start("5", "5"), max_steps=0), "max_steps"),
        (lambda: descend(formula(LESSON), start("5", "5"), max_steps=MAX_STEPS_LIMIT + 1), "max_steps"),
        (lambda: descend(formula(LESSON), start("5", "5"), tol=0), "tol"),
        (lambda: newton(formula(LESSON), start("5")), "start"),
        (lambda: compare(formula(LESSON), start("5", "5"), rate=0), "rate"),
    ],
)
def test_arguments_out_of_domain_name_the_argument(call, argument):
    with pytest.raises(ArgumentError) as e:
        call()
    assert e.value.argument == argument


@pytest.mark.parametrize(
    "text, point, what",
    [("log(x) + y^2", ("-1", "0"), "f is not finite"), ("sqrt(x) + y^2", ("0", "1"), "gradient is not finite")],
)
def test_start_outside_the_domain_says_which(text, point, what):
    with pytest.raises(MathError, match=what):
        descend(formula(text), start(*point))
    with pytest.raises(MathError, match=what):
        newton(formula(text), start(*point))


def test_vector_formula_is_refused_for_minimisation():
    with pytest.raises(UsageError, match="scalar"):
        descend(formula("[x^2, y^2]"), start("1", "1"))
    with pytest.raises(UsageError, match="scalar"):
        newton(formula("[x^2, y^2]"), start("1", "1"))


def test_roots_need_a_square_system():
    with pytest.raises(UsageError, match="as many equations as unknowns"):
        newton(formula("[x + y + z, x - y]"), start("1", "1", "1"), roots=True)
