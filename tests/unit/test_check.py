"""The --check answer checker: answers parsed with calccli's grammar, equivalence decided soundly by one checker."""

from __future__ import annotations

import dataclasses
import itertools

import pytest
import sympy as sp

from calccli.errors import FormulaError, UsageError, describe
from calccli.formula import answer
from calccli.formula.build import symbol
from calccli.formula.grammar import expression
from calccli.homework import check, critical, explain, grade, sampling
from calccli.homework import equivalence as eq
from calccli.process.budget import Budget

x, y, z = symbol("x"), symbol("y"), symbol("z")


def verdict(given: str | sp.Expr, expected: str | sp.Expr, variables=(x,), **kwargs) -> check.Check:
    g = expression(given) if isinstance(given, str) else given
    e = expression(expected) if isinstance(expected, str) else expected
    return check.scalar(g, e, variables, **kwargs)


# --------------------------------------------------------------------------- equivalent forms


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("sin(2x)", "2 sin x cos x"),
        ("(x+1)^2", "x^2 + 2x + 1"),
        ("log(x^2)", "2 log|x|"),
        ("1/(1-x)", "-1/(x-1)"),
        ("sqrt(x^2)", "|x|"),
        ("tan^2 x + 1", "sec^2 x"),
        ("(x^2-1)/(x-1)", "x + 1"),
        ("gamma(x+1)", "x gamma(x)"),
        ("Max(x, 0)", "(x + |x|)/2"),
    ],
)
def test_equivalent_forms_are_correct(given, expected):
    c = verdict(given, expected)
    assert c.verdict == "correct", c
    assert c.differs_at is None


def test_exp_of_log_is_x_where_log_is_defined():
    # Built unevaluated so that the numeric test, not SymPy's auto-simplification, decides;
    # points with x <= 0 (ln x undefined) are skipped rather than counted against the answer.
    c = check.scalar(sp.exp(sp.log(x), evaluate=False), x, (x,))
    assert c.verdict == "correct"
    # Real semantics: sqrt(x)*sqrt(x^3) is x^2 where it is defined (x >= 0), although at
    # x = -1 the complex values would multiply to -1.
    assert verdict("sqrt(x) sqrt(x^3)", "x^2").verdict == "correct"


def test_the_method_says_how_it_was_decided():
    assert verdict("sin(2x)", "2 sin x cos x").method.startswith("symbolic")
    m = verdict("log(x^2)", "2 log|x|").method
    assert m.startswith("numeric") and "points" in m


def test_several_variables():
    assert verdict("x^2 y + y z^2", "y (x^2 + z^2)", (x, y, z)).verdict == "correct"
    c = verdict("x^2 y + y z^2", "x^2 y + y z", (x, y, z))
    assert c.verdict == "incorrect" and set(c.differs_at) == {x, y, z}


# --------------------------------------------------------------------------- antiderivatives


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("x^3/3 + 5", "x^3/3"),
        ("x^2/2 + C", "x^2/2"),
        ("log|x|", "log(x)"),  # equal where log(x) exists; derivatives agree wherever both are defined
        ("atan(x)", "-atan(1/x)"),  # pi/2 for x > 0, -pi/2 for x < 0
        ("sin(x)^2", "-cos(x)^2"),
    ],
)
def test_antiderivatives_up_to_a_constant(given, expected):
    c = verdict(given, expected, up_to_constant=True)
    assert c.verdict == "correct", c
    assert "constant" in c.method
    # Without up_to_constant the piecewise-constant differences count.
    if given in ("atan(x)", "x^3/3 + 5"):
        assert verdict(given, expected).verdict == "incorrect"


def test_a_wrong_antiderivative():
    c = verdict("x^2", "x^2/2", up_to_constant=True)
    assert c.verdict == "incorrect"
    assert c.differs_at == {x: 1} and (c.given_value, c.expected_value) == (2, 1)  # the derivatives there
    assert "factor of 2" in c.reason


def test_derivatives_may_be_passed_directly():
    assert verdict("1/x", "1/x").verdict == "correct"
    assert verdict(sp.diff(sp.atan(x), x), sp.diff(-sp.atan(1 / x), x)).verdict == "correct"


# --------------------------------------------------------------------------- near misses


def test_sign_error():
    c = verdict("-sin x", "sin x")
    assert c.verdict == "incorrect"
    assert c.differs_at == {x: 1}
    assert "sign" in c.reason


def test_missing_chain_rule_factor():
    c = verdict("cos(x^2)", "2x cos(x^2)")
    assert c.verdict == "incorrect"
    assert c.differs_at == {x: 1}
    assert "2*x" in c.reason and "chain" in c.reason


def test_constant_off_by_one():
    c = verdict("x^2 + 1", "x^2")
    assert c.verdict == "incorrect" and c.reason == "off by a constant 1"
    assert c.given_value == 2 and c.expected_value == 1


def test_the_seeds_slip():
    # d/dy (2x + y^2) is 2y, not 8y^2.
    expected = sp.diff(2 * x + y**2, y)
    c = check.scalar(expression("8y^2"), expected, (y,))
    assert c.verdict == "incorrect"
    assert c.differs_at == {y: 1} and (c.given_value, c.expected_value) == (8, 2)
    assert "4*y" in c.reason


def test_half_a_function():
    c = verdict("x^2/2", "x^2")
    assert c.verdict == "incorrect" and "factor of 1/2" in c.reason


@pytest.mark.parametrize(("given", "expected"), [("sin(x)/x", "1"), ("floor(x)", "x"), ("x^x^x", "(x^x)^x")])
def test_other_differences_are_found(given, expected):
    assert verdict(given, expected).verdict == "incorrect"


def test_numbers():
    assert verdict("sqrt(8)", "2 sqrt(2)", ()).verdict == "correct"
    c = verdict("pi", "355/113", ())
    assert c.verdict == "incorrect" and c.differs_at is None
    assert "sign" in verdict("-3", "3", ()).reason


# --------------------------------------------------------------------------- decimals


def test_decimals_are_compared_to_the_digits_given():
    a = answer.value("1.22", frozenset())
    c = check.scalar(a.expr, sp.exp(sp.Rational(1, 5)), (), decimals=a.decimals, significant=a.significant)
    assert c.verdict == "correct" and "digits given" in c.method
    assert verdict("1.2", "1.2214", (), decimals=1).verdict == "correct"
    c = verdict("1.23", "1.2214", (), decimals=2)
    assert c.verdict == "incorrect" and "1.22" in c.reason
    assert verdict("0.5", "1", (), decimals=1).verdict == "incorrect"


def test_tolerance_override():
    assert verdict("1.3", "1.2214", (), tol=0.1).verdict == "correct"
    assert verdict("1.3", "1.2214", (), tol=0.01).verdict == "incorrect"


def test_an_expression_with_decimals_uses_its_significant_digits():
    assert verdict("0.33x^2", "x^2/3", decimals=2, significant=2).verdict == "correct"
    assert verdict("0.25x^2", "x^2/3", decimals=2, significant=2).verdict == "incorrect"


# --------------------------------------------------------------------------- undecidable, odd input


def test_too_few_usable_points_is_undetermined():
    # defined only at x = 1
    assert verdict("sqrt(x-1) sqrt(1-x)", "0").verdict == "undetermined"
    # defined nowhere on the reals
    assert verdict("sqrt(-x^2-1)", "2 sqrt(-x^2-1)").verdict == "undetermined"


@pytest.mark.parametrize("odd", [sp.zoo, sp.nan, sp.oo * x, sp.I * x])
def test_odd_input_never_raises(odd):
    c = check.scalar(odd, x, (x,))
    assert c.verdict in ("incorrect", "undetermined")


# --------------------------------------------------------------------------- vectors, matrices


def test_gradient_with_a_wrong_component():
    f = x**2 * y + y * z**2
    grad = [sp.diff(f, v).subs({x: 1, y: 2, z: 3}) for v in (x, y, z)]
    assert grad == [4, 10, 12]
    labels = ["∂f/∂x", "∂f/∂y", "∂f/∂z"]
    assert check.components(list(answer.value("[4, 10, 12]").vector), grad, labels).verdict == "correct"
    c = check.components(list(answer.value("(4, 13, 12)").vector), grad, labels)
    assert c.verdict == "incorrect"
    assert c.wrong == ("∂f/∂y",)
    assert [k.verdict for k in c.components] == ["correct", "incorrect", "correct"]
    assert (c.given_value, c.expected_value) == (13, 10)


def test_symbolic_gradient_and_length_mismatch():
    f = x**2 * y + y * z**2
    grad = [sp.diff(f, v) for v in (x, y, z)]
    given = answer.value("[2xy, x^2 + z^2, 2yz]").vector
    assert check.components(list(given), grad, ["x", "y", "z"], (x, y, z)).verdict == "correct"
    c = check.components([2 * x * y, x**2], grad, ["x", "y", "z"], (x, y, z))
    assert c.verdict == "incorrect" and "2 components" in c.reason


def test_matrix_entries():
    hessian = [2, 0, 0, 2]
    given = answer.value("[[2, 0], [0, 3]]")
    c = check.components(list(given.exprs), hessian, ["f_xx", "f_xy", "f_yx", "f_yy"], (x, y))
    assert c.verdict == "incorrect" and c.wrong == ("f_yy",)


# --------------------------------------------------------------------------- critical points

EXPECTED = [("local minimum", (1, 1)), ("local minimum", (-1, -1)), ("saddle point", (0, 0))]


def test_classification_matches():
    given = answer.critical_points("min at (1,1) and (-1,-1), saddle at (0,0)", (x, y))
    assert given == [("local minimum", (1, 1)), ("local minimum", (-1, -1)), ("saddle point", (0, 0))]
    assert critical.critical_points(given, EXPECTED).verdict == "correct"
    # order and spelling do not matter
    given = answer.critical_points("Saddle point at (0, 0); local minima at (-1,-1), (1, 1)", (x, y))
    assert critical.critical_points(given, EXPECTED).verdict == "correct"


def test_classification_mistakes():
    c = critical.critical_points(answer.critical_points("min at (1,1), saddle at (0,0)", (x, y)), EXPECTED)
    assert c.verdict == "incorrect" and "missing local minimum at (-1, -1)" in c.reason
    c = critical.critical_points(
        answer.critical_points("min at (1,1) and (-1,-1) and (2,2), saddle at (0,0)", (x, y)), EXPECTED
    )
    assert c.verdict == "incorrect" and "(2, 2)" in c.reason
    c = critical.critical_points(
        answer.critical_points("min at (1,1), max at (-1,-1), saddle at (0,0)", (x, y)), EXPECTED
    )
    assert c.verdict == "incorrect" and "(-1, -1) is a local minimum, not a local maximum" in c.reason
    assert c.wrong == ("(-1, -1)",)


def test_classification_values_are_expressions():
    expected = [("local maximum", (sp.sqrt(2) / 2,)), ("local minimum", (-sp.sqrt(2) / 2,))]
    given = answer.critical_points("max at 1/sqrt(2), min at -0.70710678118654752", (x,))
    assert critical.critical_points(given, expected).verdict == "correct"
    assert answer.critical_points("none", (x, y)) == []
    assert critical.critical_points([], []).verdict == "correct"


def test_classification_syntax_errors_point_into_the_answer():
    with pytest.raises(FormulaError) as err:
        answer.critical_points("min at (1,1), maks at (0,0)", (x, y))
    assert "expected 'min', 'max' or 'saddle'" in err.value.message and err.value.pos == 14
    with pytest.raises(FormulaError) as err:
        answer.critical_points("min at (1,1,1)", (x, y))
    assert "3 coordinates" in err.value.message
    with pytest.raises(FormulaError) as err:
        answer.critical_points("min at 1", (x, y))
    assert err.value.pos == 7


# --------------------------------------------------------------------------- answer parsing


def test_answer_shapes():
    assert answer.value("2x cos(x^2)").kind == "scalar"
    assert answer.value("(x+1)(x-1)").kind == "scalar"
    assert answer.value("(2)").expr == 2
    v = answer.value("(4, 13, 12)")
    assert v.kind == "vector" and v.vector == (4, 13, 12)
    m = answer.value("[[1, 2], [3, x]]")
    assert m.shape == (2, 2) and m.matrix == ((1, 2), (3, x))
    with pytest.raises(UsageError):
        _ = m.expr


@pytest.mark.parametrize(
    ("text", "decimals", "significant"),
    [
        ("1.22", 2, 3),
        ("0.5", 1, 1),
        ("2x + 1", None, None),
        ("1.5 + 0.25x", 1, 2),
        ("1.5e-3", 4, 2),
        ("[1, 2.50]", 2, 3),
        ("0.0012", 4, 2),
    ],
)
def test_decimals_are_counted_from_the_text(text, decimals, significant):
    a = answer.value(text)
    assert (a.decimals, a.significant) == (decimals, significant)


def test_decimals_are_read_exactly():
    assert answer.value("1.22").expr == sp.Rational(122, 100)


def test_syntax_error_caret_points_into_the_answer():
    with pytest.raises(FormulaError) as err:
        answer.value("[1, 2 +, 3]")
    assert err.value.text == "[1, 2 +, 3]" and err.value.pos == 7
    assert describe(err.value).splitlines()[2] == "         ^"
    with pytest.raises(FormulaError) as err:
        answer.value("[[1, 2], [3]]")
    assert "1 entry" in err.value.message
    with pytest.raises(FormulaError):
        answer.value("   ")


# --------------------------------------------------------------------------- the one equivalence checker

ONE = sp.Integer(1)
# GRADING's sampling thresholds, without its exact pass (which finds any constant difference at all)
SAMPLED_GRADING = dataclasses.replace(eq.GRADING, name="grading, sampled", exact=False)


def nudged(delta: str) -> sp.Expr:
    """1 + delta, exactly (a Rational, so that no rounding blurs the boundary)."""
    return ONE + sp.Rational(delta)


@pytest.mark.parametrize(
    ("policy", "variables", "inside", "outside"),
    [
        # max(1, |a|, |b|) = 1 here: equal within 1e-12 ...
        (SAMPLED_GRADING, (), "9/10000000000000", "11/10000000000000"),
        # 1 + |a| + |b| = 3 here: 3e-8
        (eq.STEP, (), "29/1000000000", "31/1000000000"),
        (eq.WORKED_INTEGRAL, (), "29/1000000000", "31/1000000000"),
        # max(|a|, |b|) = 1 here: 1e-10, at all ten seeded points of x
        (eq.ANTIDERIVATIVE, (x,), "9/100000000000", "11/100000000000"),
        # max(1, |estimate|) = 1 here: 1e-9
        (eq.QUADRATURE, (), "9/10000000000", "11/10000000000"),
    ],
    ids=lambda p: p.name if isinstance(p, eq.Policy) else None,
)
def test_each_policy_separates_just_inside_from_just_outside(policy, variables, inside, outside):
    assert eq.compare(nudged(inside), ONE, variables, policy).verdict == eq.EQUAL
    assert eq.compare(nudged(outside), ONE, variables, policy).verdict != eq.EQUAL


def test_grading_between_agreement_and_a_clear_difference_decides_nothing():
    # |a - b| of 1.1e-12 is too much for "equal" and 9e-9 too little for "different" (1e-8).
    for delta in ("11/10000000000000", "9/1000000000"):
        e = eq.compare(nudged(delta), ONE, (), SAMPLED_GRADING)
        assert (e.verdict, e.witness) == (eq.UNKNOWN, None)
    e = eq.compare(nudged("11/1000000000"), ONE, (), SAMPLED_GRADING)
    assert e.verdict == eq.DIFFERENT and e.witness == {}


@pytest.mark.parametrize(
    "c", [sp.Rational(1, 10), sp.Rational(9, 10**13), sp.Rational(1, 10**40), -sp.Rational(1, 10**60)], ids=str
)
def test_grading_finds_any_exact_constant_difference(c):
    e = eq.compare(ONE + c, ONE, (), eq.GRADING)
    assert (e.verdict, e.how, e.constant) == (eq.DIFFERENT, eq.CONSTANT, c)
    e = eq.compare(2 * x + c, 2 * x, (x,), eq.GRADING)
    assert (e.verdict, e.how, e.constant, e.witness) == (eq.DIFFERENT, eq.CONSTANT, c, {x: 1})


def test_the_tolerance_policies_of_step_antiderivative_and_quadrature_leave_no_gap():
    # One threshold each: just outside is a difference at once, with the point it was seen at.
    assert eq.compare(nudged("31/1000000000"), ONE, (), eq.STEP).different
    e = eq.compare(x * nudged("11/100000000000"), x, (x,), eq.ANTIDERIVATIVE)
    assert e.different and e.witness == {x: sp.Rational(198, 125)}  # the first seeded abscissa
    assert eq.compare(x * nudged("9/100000000000"), x, (x,), eq.ANTIDERIVATIVE).equal  # relative, for any x
    assert eq.compare(2.0 + 2.1e-9, 2.0, (), eq.QUADRATURE).different  # relative to |estimate| = 2
    assert eq.compare(2.0 + 1.9e-9, 2.0, (), eq.QUADRATURE).equal


def test_quadrature_allows_a_hundred_times_its_error_estimate():
    p = eq.QUADRATURE.with_error(1e-6)  # 1e-4 absolute, far above 1e-9 relative
    assert eq.compare(1.0 + 0.9e-4, 1.0, (), p).equal
    assert eq.compare(1.0 + 1.1e-4, 1.0, (), p).different
    assert eq.compare(1.0 + 1.1e-4, 1.0 + 0j, (), eq.QUADRATURE.with_error(0.0)).different


def test_a_users_tolerance_is_absolute_for_numbers_and_relative_for_expressions():
    p = eq.GRADING.within(absolute=0.005)
    assert eq.compare(sp.Rational(122, 100), sp.Rational(12249, 10000), (), p).equal
    assert eq.compare(sp.Rational(122, 100), sp.Rational(12251, 10000), (), p).different
    p = eq.GRADING.within(relative=0.05)
    assert eq.compare(sp.Rational(104, 100) * x, x, (x,), p).equal
    e = eq.compare(sp.Rational(106, 100) * x, x, (x,), p)
    assert e.different and e.witness == {x: 1}


def test_antiderivative_policy_rejects_an_answer_undefined_where_the_integrand_is_defined():
    no_branch_below_zero = sp.Piecewise((1, x > 0))
    e = eq.compare(no_branch_below_zero, ONE, (x,), eq.ANTIDERIVATIVE)
    assert e.different and e.a_value is None and e.witness[x] < 0
    # Near-zero values on both sides say nothing: no point is usable, and simplify cannot prove it.
    assert eq.compare(sp.Rational(1, 10**16), sp.S.Zero, (x,), eq.ANTIDERIVATIVE).verdict == eq.UNKNOWN


def test_antiderivative_policy_samples_given_abscissas_without_a_symbolic_last_resort():
    p = eq.ANTIDERIVATIVE.at([sp.Rational(1, 2), sp.Rational(3, 2)])
    assert p.simplify_seconds is None and p.abscissas == (sp.Rational(1, 2), sp.Rational(3, 2))
    e = eq.compare(sp.Abs(x), x, (x,), p)
    assert e.verdict == eq.UNKNOWN and e.agreeing == 2  # equal at both, but 5 points are needed
    assert eq.compare(sp.Abs(x), x, (x,), eq.ANTIDERIVATIVE.at([-sp.Rational(1, 2)])).different


def test_the_evidence_says_how_equality_was_found():
    hows = [
        eq.compare(g, e, (x,), eq.GRADING).how
        for g, e in [
            (sp.sin(x), sp.sin(x)),
            ((x + 1) ** 2, x**2 + 2 * x + 1),
            (sp.sin(2 * x), 2 * sp.sin(x) * sp.cos(x)),
            (sp.log(x**2), 2 * sp.log(sp.Abs(x))),
        ]
    ]
    assert hows == [eq.IDENTICAL, eq.EXPAND, eq.TRIG, eq.NUMERIC]
    assert eq.compare(x * (x + 1), x**2 + x, (), eq.STEP).how == eq.NUMERIC  # STEP proves only a - b == 0


def test_a_worked_integral_falls_back_to_simplify_where_no_point_can_be_evaluated():
    g = sp.Function("g")(x)  # unevaluated: no value at any point
    a, b = g * (x + 1), g * x + g
    assert eq.compare(a, b, (), eq.STEP).verdict == eq.UNKNOWN
    assert eq.compare(a, b, (), eq.WORKED_INTEGRAL).how == eq.SIMPLIFY


def test_a_spent_budget_stops_the_comparison_without_a_verdict():
    spent = Budget(0.0)
    e = eq.compare(sp.sin(x) ** 2, 1 - sp.cos(x) ** 2, (x,), eq.GRADING, spent)
    assert e.verdict == eq.UNKNOWN and e.timed_out
    assert eq.compare(sp.sin(x) ** 2, 1 - sp.cos(x) ** 2, (x,), eq.GRADING).equal


def test_sampling_shows_simple_points_first():
    values = eq.sample(3 * x, x, (x,), dataclasses.replace(eq.GRADING, target=3))
    assert [(p[x], float(g), float(e)) for p, g, e in values] == [(1, 3.0, 1.0), (2, 6.0, 2.0), (-1, -3.0, -1.0)]


# --------------------------------------------------------------------------- registries


@dataclasses.dataclass(frozen=True)
class Doubled:
    """A result kind made up for the test: 2*expr."""

    expr: sp.Expr
    variables: tuple[sp.Symbol, ...] = (x,)


def test_a_new_result_kind_is_graded_and_explained_once_registered(monkeypatch):
    monkeypatch.setattr(grade, "_GRADERS", dict(grade._GRADERS))
    monkeypatch.setattr(explain, "_EXPLAINERS", dict(explain._EXPLAINERS))
    result = Doubled(x**2)
    with pytest.raises(UsageError) as raised:
        grade.grade(result, answer.value("2x^2"))
    # the message names the command and says which commands do have it
    assert raised.value.message.startswith("--check is not available for Doubled yet; it is for diff, grad, ")
    steps, note = explain.worked(result)
    assert steps == () and note.startswith("--steps is not available for Doubled yet; it is for diff, grad, ")
    assert "classify" in note and "integrate" in note

    @grade.expects(Doubled)
    def _doubled(r, at, shape):
        return grade.Expected(2 * r.expr)

    @explain.explainer(Doubled)
    def _explained(r, budget=None):
        return (), "double it"

    assert grade.grade(result, answer.value("2x^2")).verdict == "correct"
    v = grade.grade(result, answer.value("x^2"))
    assert v.verdict == "incorrect" and "factor of 1/2" in v.reason
    assert explain.worked(result) == ((), "double it")
    assert grade.names(result) == frozenset({"x"})


def test_every_result_kind_has_a_grader_and_an_explainer():
    from calccli import results as R

    kinds = {
        R.Derivative,
        R.Gradient,
        R.DirectionalDerivative,
        R.Jacobian,
        R.Hessian,
        R.Laplacian,
        R.TaylorPolynomial,
        R.Antiderivative,
        R.DefiniteIntegral,
        R.CriticalPoints,
    }
    assert kinds <= set(grade._GRADERS) and kinds <= set(explain._EXPLAINERS)


# --------------------------------------------------------------------------- breakpoints and large magnitudes


def test_sample_points_include_large_magnitudes_of_both_signs():
    first = list(itertools.islice(sampling.points(sampling.Points.SIMPLE_FIRST, [x]), 40))
    values = {p[x] for p in first if p is not None}
    assert {100, -100, 1000, -1000, 10**4, -(10**4)} <= values


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (x - 5000, sp.Abs(x - 5000)),  # equal for x > 5000 only
        (5000 - x, sp.Abs(x - 5000)),  # equal for x < 5000 only
        (x, sp.Min(x, sp.Integer(10) ** 6)),  # beyond every sampled magnitude
        (sp.Integer(0), sp.Heaviside(x - sp.Rational(12345, 7))),
        (x, sp.Piecewise((x, x < 777), (x + 1, True))),
    ],
    ids=str,
)
def test_an_answer_right_on_one_side_of_a_located_breakpoint_is_incorrect(given, expected):
    c = check.scalar(given, expected, (x,))
    assert c.verdict == "incorrect", c


def test_an_answer_right_on_one_side_of_an_unlocated_breakpoint_is_undetermined():
    g = x + sp.sin(x) - 10**5  # no closed-form zero, and every sample point has g < 0
    c = check.scalar(-g, sp.Abs(g), (x,))
    assert c.verdict == "undetermined" and "x + sin(x) - 100000 > 0" in c.reason, c
    assert check.scalar(sp.Abs(g), sp.sqrt(g**2), (x,)).verdict == "correct"  # the same function


def test_a_value_exactly_at_a_corner_decides_nothing():
    # the derivative of Max(x, 100) has no value at 100: Heaviside's convention there is not the answer's business
    assert check.scalar(sp.Heaviside(x - 100, 1), sp.Heaviside(x - 100), (x,)).verdict == "correct"
    assert check.scalar(sp.Heaviside(x - 100, 1), sp.Heaviside(x - 101), (x,)).verdict == "incorrect"


# --------------------------------------------------------------------------- classify answer forms

MIN_12 = [("local minimum", (1, 2))]


@pytest.mark.parametrize(
    ("text", "points"),
    [
        ("global min at (1,2)", MIN_12),
        ("absolute minimum at (1, 2)", MIN_12),
        ("min at x=1, y=2", MIN_12),
        ("min at y = 2, x = 1", MIN_12),
        ("min at (x, y) = (1, 2)", MIN_12),
        ("min at (y, x) = (2, 1)", MIN_12),
        ("minimum (1,2)", MIN_12),
        ("a local min at (1,2)", MIN_12),
        ("local minimum at (1, 2); saddle at (0,0)", [*MIN_12, ("saddle point", (0, 0))]),
        ("saddle at (0, 0) and min at (1, 2)", [("saddle point", (0, 0)), *MIN_12]),
        ("min at x=1, y=2 and x=3, y=4", [*MIN_12, ("local minimum", (3, 4))]),
        ("saddle at x=0, y=0, and max at (1, 2)", [("saddle point", (0, 0)), ("local maximum", (1, 2))]),
    ],
)
def test_classify_answer_forms_parse(text, points):
    assert answer.critical_points(text, (x, y)) == points


@pytest.mark.parametrize(
    ("text", "places", "claimed"),
    [
        ("min at (-0.707, 0)", (3, None), ""),
        ("global min at (1.50, 2e-3)", (2, 3), "global"),
        ("min at x=0.5, y=sqrt(0.5)", (1, None), ""),  # a decimal inside an expression is exact
        ("absolute max at (-.25, +1.0)", (2, 1), "absolute"),
    ],
)
def test_classify_answers_keep_the_decimal_places_of_each_coordinate(text, places, claimed):
    (clause,) = answer.critical_points(text, (x, y))
    assert (clause.places, clause.claimed) == (places, claimed)


def test_decimal_coordinates_match_to_their_digits_and_the_nearest_point_wins():
    r = sp.sqrt(2) / 2
    expected = [("local minimum", (r, sp.Integer(0))), ("local minimum", (sp.Rational(71, 100), sp.Integer(0)))]
    got = critical.critical_points(answer.critical_points("min at (0.71, 0) and (0.707, 0)", (x, y)), expected)
    assert got.verdict == "correct", got  # 0.71 matches both; 0.707 only r: each goes to its own point
    got = critical.critical_points(answer.critical_points("min at (0.708, 0), (0.71, 0)", (x, y)), expected)
    assert got.verdict == "incorrect" and "(0.708, 0)" in got.reason, got
