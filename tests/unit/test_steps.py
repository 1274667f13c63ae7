"""Step-by-step derivatives and integrals: every shown step is true mathematics."""

from __future__ import annotations

import pytest
import sympy as sp
from sympy.integrals import manualintegrate as mi

from calccli.homework import steps
from calccli.homework.integral_steps import integral_steps
from calccli.homework.steps import MAX_STEPS, Step, derivative_steps

x, y, u = sp.symbols("x y u", real=True)


def same(a: sp.Expr, b: sp.Expr) -> bool:
    """a == b as functions: exactly, or at several real points (values may be complex)."""
    if a == b or sp.simplify(a - b) == 0:
        return True
    agreed = 0
    for p in (0.3, 0.77, 1.6, 2.9, -1.3):
        point = {s: sp.Float(p + 0.41 * k) for k, s in enumerate(sorted((a - b).free_symbols, key=str))}
        va, vb = complex(sp.N(a.xreplace(point))), complex(sp.N(b.xreplace(point)))
        if abs(va - vb) > 1e-9 * (1 + abs(va)):
            return False
        agreed += 1
    return agreed >= 3


def rules(ss: tuple[Step, ...]) -> list[str]:
    return [s.rule for s in ss]


VARIED = [
    3 * x**4 - 2 * x + 7,
    x * sp.exp(x),
    sp.sin(x) / x,
    (x**2 + 1) / (x - 3),
    sp.exp(x**2) * sp.sin(x),
    x**x,
    sp.sqrt(1 + x**2),
    sp.atan(1 / x),
    sp.log(sp.sin(x**3) ** 2),
    sp.exp(x * sp.sin(x**2 + x)),
    2 ** (x**2) * sp.cosh(3 * x),
    sp.asin(sp.sqrt(x)) + sp.tanh(x) ** 3,
    x * y**2 + sp.sin(x * y),
    sp.sin(x) ** sp.cos(x),
]


@pytest.mark.parametrize("f", VARIED, ids=str)
def test_every_derivative_step_is_the_derivative_of_its_expression(f):
    ss = derivative_steps(f, x)
    for s in ss:
        assert same(s.result, sp.diff(s.expr, x)), s
        assert "\n" not in s.detail and s.detail
    last = ss[-1]
    assert (last.depth, last.rule, last.expr) == (0, "simplify", f)
    assert same(last.result, sp.diff(f, x))
    assert ss[0].depth == 0 and all(b.depth <= a.depth + 1 for a, b in zip(ss, ss[1:], strict=False))


def test_chain_rule_names_the_layers_innermost_first():
    f = sp.log(sp.sin(x**3) ** 2)
    ss = derivative_steps(f, x)
    top = ss[0]
    assert top.rule == "chain rule" and top.depth == 0
    assert "u = x**3" in top.detail and "v = sin(u)" in top.detail and "w = v**2" in top.detail
    assert "d/dx log(w) = (1/w)*dw/dx" in top.detail
    assert rules(ss) == ["chain rule", "power rule", "trig rule", "power rule", "multiply", "simplify"]
    assert [s.depth for s in ss] == [0, 1, 1, 1, 1, 0]
    assert ss[2].detail == "v = sin(u): d/dx sin(u) = cos(u)*du/dx"
    # the combined product, as the chain rule multiplies it, before any simplification
    assert ss[4].detail == "d/dx log(sin(x**3)**2) = sin(x**3)**(-2)*2*sin(x**3)*cos(x**3)*3*x**2"
    assert sp.simplify(ss[-1].result - 6 * x**2 * sp.cos(x**3) / sp.sin(x**3)) == 0


@pytest.mark.parametrize("f", [sp.sin(x**2), sp.exp(sp.sin(x**2 + 1)), sp.sqrt(1 + x**2), sp.cos(3 * x) ** 4], ids=str)
def test_the_chain_rule_shows_the_combined_product_before_simplifying(f):
    ss = derivative_steps(f, x)
    (combined,) = [s for s in ss if s.rule == "multiply"]
    # the product of the layers' derivatives, each at its inner expression, as it stands
    assert same(combined.result, sp.diff(f, x))
    assert combined.detail.startswith(f"d/dx {f} = ")
    product_text = combined.detail.split(" = ", 1)[1]
    assert product_text.count("*") >= 1 and product_text != str(ss[-1].result)
    value = sp.sympify(product_text, locals={"x": x})
    assert same(value, sp.diff(f, x))


def test_intermediate_names_avoid_the_formulas_symbols():
    ss = derivative_steps(sp.log(sp.sin(u * x**3) ** 2), x)
    assert ss[0].detail.startswith("let v = u*x**3, w = sin(v), u1 = w**2;")


def test_a_chain_inside_a_chain_gets_new_names():
    ss = derivative_steps(sp.exp(x * sp.sin(x**2 + x)), x)
    chains = [s.detail for s in ss if s.rule == "chain rule"]
    assert chains[0].startswith("let u = x*sin(x**2 + x);")
    assert chains[1].startswith("let v = x**2 + x;")


def test_quotient_and_product_rules():
    q = derivative_steps(sp.sin(x) / x, x)
    assert q[0].rule == "quotient rule" and "u = sin(x), v = x" in q[0].detail
    p = derivative_steps(x * sp.exp(x), x)
    assert rules(p) == ["product rule", "power rule", "exponential rule", "simplify"]
    assert "u = x, v = exp(x)" in p[0].detail


def test_variable_in_base_and_exponent_is_rewritten_through_exp():
    ss = derivative_steps(x**x, x)
    assert ss[0].rule == "rewrite" and "exp(x*log(x))" in ss[0].detail
    assert ss[1].rule == "chain rule" and ss[1].depth == 1
    assert sp.simplify(ss[-1].result - x**x * (sp.log(x) + 1)) == 0


def test_constants_and_other_variables():
    assert rules(derivative_steps(sp.Integer(5), x)) == ["constant rule", "simplify"]
    ss = derivative_steps(x * y**2, x)
    assert ss[0].rule == "constant multiple rule" and ss[-1].result == y**2
    # the variable need not be called x
    ss = derivative_steps(sp.sin(y**2), y)
    assert "d/dy sin(u) = cos(u)*du/dy" in ss[0].detail


def test_unknown_functions_are_left_to_sympy():
    ss = derivative_steps(sp.gamma(x) * x, x)
    assert steps.SYMPY_RULE in rules(ss)
    assert same(ss[-1].result, sp.diff(sp.gamma(x) * x, x))


def test_a_step_that_would_be_wrong_is_replaced_by_sympy(monkeypatch):
    def wrong(self, e, depth, first_name):
        return sp.S(42), [Step(depth, "power rule", e, sp.S(42), "made up")]

    monkeypatch.setattr(steps._Differentiator, "_build", wrong)
    ss = derivative_steps(sp.sin(x**2), x)
    assert rules(ss) == [steps.SYMPY_RULE, "simplify"]
    assert ss[0].result == 2 * x * sp.cos(x**2)


def test_long_explanations_are_cut_by_depth():
    f = sp.Add(*(x**k * sp.sin(k * x) for k in range(1, 40)))
    ss = derivative_steps(f, x)
    assert len(ss) <= MAX_STEPS
    assert ss[-1].rule == "simplify" and same(ss[-1].result, sp.diff(f, x))
    assert all(same(s.result, sp.diff(s.expr, x)) for s in ss[:5])


# -- integrals ---------------------------------------------------------------


def test_integration_by_parts():
    ss = integral_steps(x * sp.cos(x), x)
    assert ss is not None
    assert ss[0].rule == "integration by parts" and ss[0].detail.startswith("u = x, dv = cos(x) dx")
    assert "v = sin(x)" in ss[0].detail
    assert ss[-1].rule == "result" and ss[-1].depth == 0 and ss[-1].expr == x * sp.cos(x)
    assert sp.expand(ss[-1].result - (x * sp.sin(x) + sp.cos(x))) == 0


def test_substitution():
    ss = integral_steps(2 * x * sp.cos(x**2), x)
    assert ss is not None
    sub = next(s for s in ss if s.rule == "substitution")
    assert sub.detail.startswith("u = x**2, du = 2*x dx")
    assert ss[-1].result == sp.sin(x**2)


def test_substitution_variable_avoids_the_formulas_symbols():
    ss = integral_steps(u * x * sp.cos(u * x**2), x)
    assert ss is not None
    sub = next(s for s in ss if s.rule == "substitution")
    assert sub.detail.startswith("w = u*x**2")


def test_partial_fractions():
    # SymPy 1.14's integrator rewrites by apart() first; the step says so, with the decomposition
    ss = integral_steps(1 / (x**2 - 1), x)
    assert ss is not None
    assert ss[0].rule == "partial fractions"
    assert "1/(x**2 - 1) = (-1/(x + 1) + 1/(x - 1))/2" in ss[0].detail
    assert "reciprocal rule" in rules(ss)


@pytest.mark.parametrize("f", [sp.exp(-(x**2)) * sp.cos(x**3), x**x])
def test_no_steps_without_a_complete_step_tree(f):
    assert integral_steps(f, x) is None


def test_no_steps_when_the_answer_does_not_differentiate_back(monkeypatch):
    monkeypatch.setattr(mi, "integral_steps", lambda f, x: mi.SinRule(f, x))  # ∫ cos(x) = -cos(x): wrong
    assert integral_steps(sp.cos(x), x) is None


def test_no_steps_when_the_integrator_fails(monkeypatch):
    def boom(f, x):
        raise ValueError("no")

    monkeypatch.setattr(mi, "integral_steps", boom)
    assert integral_steps(sp.cos(x), x) is None


@pytest.mark.parametrize(
    "f",
    [
        x * sp.cos(x),
        2 * x * sp.cos(x**2),
        1 / (x**2 - 1),
        sp.exp(x) * sp.sin(x),
        sp.tan(x),
        sp.log(x),
        x**2 * sp.exp(x),
        1 / (x**2 + 2 * x + 5),
        sp.sin(x) ** 3 * sp.cos(x) ** 2,
        sp.exp(x * y),
    ],
    ids=str,
)
def test_integral_steps_end_in_an_antiderivative(f):
    ss = integral_steps(f, x)
    assert ss is not None
    last = ss[-1]
    assert (last.depth, last.rule, last.expr) == (0, "result", f)
    assert same(sp.diff(last.result, x), f)
    assert ss[0].expr == f and ss[0].depth == 0
    assert all(s.detail and "\n" not in s.detail and "_u" not in s.detail for s in ss)
