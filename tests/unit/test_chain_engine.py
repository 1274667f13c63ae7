"""The chain rule engine: D2L's graph, the course notes' decomposition, the vector chain rule, bad input.

Every number is checked against an independent computation: differentiating the fully substituted
expression, or a finite difference.
"""

from __future__ import annotations

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from calccli.calculus.chain import LARGE_EDGES, chain, decompose
from calccli.errors import ArgumentError, FormulaError, InputLimitError, MathError, UsageError
from calccli.formula.build import symbol
from calccli.formula.grammar import formula
from calccli.formula.program import MAX_DEFINITIONS, program
from calccli.formula.readers import point
from calccli.results.chain import INPUT, INTERMEDIATE, OUTPUT

D2L = "f = (u+v)^2; u = (a+b)^2; v = (a-b)^2; a = (w+x+y+z)^2; b = (w+x-y-z)^2"
D2L_AT = "w=-1,x=0,y=-2,z=1"


@pytest.fixture(scope="module")
def d2l():
    p = program(D2L)
    return chain(p, at=point(D2L_AT, p), forward="w")


def test_d2l_graph_order_and_kinds(d2l):
    assert [n.name for n in d2l.nodes] == ["w", "x", "y", "z", "a", "b", "u", "v", "f"]
    assert [n.kind for n in d2l.nodes] == [INPUT] * 4 + [INTERMEDIATE] * 4 + [OUTPUT]
    assert d2l.node("f").parents == ("u", "v")
    assert [(e.node, e.parent) for e in d2l.edges][:4] == [("a", "w"), ("a", "x"), ("a", "y"), ("a", "z")]
    assert len(d2l.edges) == 14


def test_d2l_value_and_every_derivative_is_minus_4096(d2l):
    assert d2l.node("f").value.exact == 1024
    assert [t.input for t in d2l.totals] == ["w", "x", "y", "z"]
    for t in d2l.totals:
        assert t.value.exact == -4096 and t.value.numeric == -4096.0
        assert t.verified
        assert len(t.paths) == 4  # f -> u|v -> a|b -> input


def test_d2l_totals_equal_differentiating_the_substituted_output(d2l):
    f = d2l.node("f").expanded
    at = d2l.at
    for t in d2l.totals:
        direct = sp.diff(f, symbol(t.input))
        assert sp.expand(t.total - direct) == 0
        assert direct.xreplace(at) == -4096
        assert sp.expand(sp.Add(*(c.product for c in t.paths)) - t.factored) == 0


def test_d2l_values_and_adjoints_against_independent_derivatives(d2l):
    """adjoint(n) = d f / d n with n treated as an independent variable: cut the graph at n."""
    p = program(D2L)
    defs = p.defined()
    at = d2l.at
    for node in d2l.nodes:
        assert node.value.exact == node.expanded.xreplace(at)
        if node.kind == INPUT:
            continue
        # f as a function of n and of the inputs by the paths avoiding n: substitute everything except n
        free = symbol(node.name)
        expr: sp.Expr = symbol("f")
        for _ in range(6):
            expr = expr.xreplace({symbol(k): v for k, v in defs.items() if k != node.name})
        local = {symbol(n.name): n.value.exact for n in d2l.nodes if n.kind == INPUT}
        local[free] = node.value.exact
        assert sp.diff(expr, free).xreplace(local) == node.adjoint.exact, node.name


def test_d2l_forward_mode_tangents_equal_d_node_d_w(d2l):
    for node in d2l.nodes:
        expected = sp.diff(node.expanded, symbol("w")).xreplace(d2l.at)
        assert node.tangent.exact == expected, node.name
    assert d2l.node("f").tangent.exact == d2l.totals[0].value.exact


def test_forward_mode_by_each_input_agrees_with_reverse_mode():
    p = program("f = u v + sin(u); u = x^2 + y; v = x y")
    at = point("x=1/2,y=1/3", p)
    for name in p.inputs:
        c = chain(p, at=at, forward=name)
        total = next(t for t in c.totals if t.input == name)
        assert c.node("f").tangent.exact.equals(total.value.exact)
        assert c.node(name).adjoint.exact.equals(total.value.exact)


def test_notes_decomposition_gives_6x2_cot_x3_not_cos():
    f = formula("ln(sin(x^3)^2)")
    p = decompose(f)
    assert [(d.names[0], d.exprs[0]) for d in p.definitions] == [
        ("u", symbol("x") ** 3),
        ("v", sp.sin(symbol("u"))),
        ("w", symbol("v") ** 2),
        ("y", sp.log(symbol("w"))),
    ]
    c = chain(p, at={symbol("x"): sp.Rational(1, 2)}, decomposed_from=f.expr)
    (total,) = c.totals
    x = symbol("x")
    assert sp.simplify(total.total - 6 * x**2 * sp.cot(x**3)) == 0
    assert sp.simplify(total.total - 6 * x**2 * sp.cos(x**3)) != 0  # the notes' slip
    assert total.verified and c.decomposed_from == f.expr
    assert total.value.numeric == pytest.approx(float(6 * 0.25 / sp.tan(sp.Rational(1, 8))))


def test_decompose_avoids_the_formulas_names():
    p = decompose(formula("sin(u + y)^2"))
    names = [d.names[0] for d in p.definitions]
    assert "u" not in names and "y" not in names and p.output == "f"


def test_vector_chain_rule_polar_to_cartesian():
    p = program("(g, h) = (x^2 - y^2, 2 x y); (x, y) = (r cos(t), r sin(t))")
    c = chain(p, at=point("r=2,t=pi/6", p))
    comp = c.composition
    assert comp is not None and comp.verified
    assert [s.names for s in comp.stages] == [("x", "y"), ("g", "h")]
    r, t = symbol("r"), symbol("t")
    g = sp.Matrix([(r * sp.cos(t)) ** 2 - (r * sp.sin(t)) ** 2, 2 * r**2 * sp.cos(t) * sp.sin(t)])
    direct = g.jacobian([r, t])
    assert (comp.product - direct).applyfunc(sp.simplify) == sp.zeros(2, 2)
    at = {r: 2, t: sp.pi / 6}
    assert (comp.value - direct.xreplace(at)).applyfunc(sp.simplify) == sp.zeros(2, 2)
    j2, j1 = comp.stages[1].value, comp.stages[0].value
    assert (j2 * j1 - comp.value).applyfunc(sp.simplify) == sp.zeros(2, 2)


def test_no_composition_without_layers():
    assert chain(program(D2L)).composition is None
    assert chain(program("(p, q) = (x + u, u); u = x^2")).composition is None  # p skips a layer


def test_unused_definition_is_a_note():
    c = chain(program("f = u + 1; u = x^2; w = 3x"))
    assert c.notes == ("w is defined but the output f does not use it",)
    assert "w" not in [n.name for n in c.nodes]


def test_of_and_wrt():
    c = chain(program(D2L, of="u", wrt=["y"]))
    assert c.output == "u" and c.inputs == ("y",)
    assert sp.expand(c.totals[0].total - sp.diff(c.node("u").expanded, symbol("y"))) == 0


def test_many_paths_are_accumulated_not_listed():
    # a ladder: each level doubles the paths; 2^7 = 128 > 64
    lines = ["f = a7"] + [f"a{i} = sin(a{i - 1}) + cos(b{i - 1}); b{i} = a{i - 1} b{i - 1}" for i in range(1, 8)]
    lines += ["a0 = x; b0 = x + 1"]
    p = program("\n".join(lines))
    c = chain(p, at=point("x=1/3", p))
    (total,) = c.totals
    assert total.paths == () and any("paths lead from f to x" in n for n in c.notes)
    direct = sp.diff(c.node("f").expanded, symbol("x"))
    assert total.value.numeric == pytest.approx(float(direct.xreplace({symbol("x"): sp.Rational(1, 3)})))


@pytest.mark.parametrize(
    ("text", "error", "message"),
    [
        ("u = v; v = u", FormulaError, "u -> v -> u"),
        ("f = u + 1; u = u^2", FormulaError, "u -> u"),
        ("f = x; f = y", FormulaError, "f is defined twice"),
        ("f = 2 + 3", UsageError, "depends on no input"),
        ("sin = x", FormulaError, "function or constant"),
        ("pi = 2", FormulaError, "function or constant"),
        ("f = x +", FormulaError, "end"),
        ("f = x; g", FormulaError, "name = formula"),
        ("(p, q) = (x, y, z)", FormulaError, "2 names but 3 formulas"),
        ("", FormulaError, "empty program"),
    ],
)
def test_bad_programs(text, error, message):
    with pytest.raises(error, match=message.replace("(", r"\(").replace("+", r"\+")):
        program(text)


def test_parse_error_points_into_the_whole_program():
    text = "f = u^2; u = x + * 2"
    with pytest.raises(FormulaError) as err:
        program(text)
    assert err.value.text == text and text[err.value.pos] == "*"


def test_too_many_definitions():
    with pytest.raises(InputLimitError, match="definitions"):
        program(";".join(f"a{i} = x" for i in range(MAX_DEFINITIONS + 1)))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"of": "g"}, "not defined"), ({"wrt": ["q"]}, "not an input"), ({"wrt": ["u"]}, "not an input")],
)
def test_bad_options(kwargs, message):
    with pytest.raises(UsageError, match=message):
        program(D2L, **kwargs)


def test_forward_naming_no_input():
    with pytest.raises(ArgumentError, match="^forward: 'u' is not an input") as caught:
        chain(program(D2L), forward="u")
    assert caught.value.worded({"forward": "--forward"}).message.startswith("--forward: 'u'")


def test_point_missing_an_input():
    with pytest.raises(UsageError, match="no value for z"):
        point("w=1,x=2,y=3", program(D2L))


@pytest.mark.parametrize(
    ("text", "at", "message"),
    [
        ("f = abs(u); u = x - 1", "x=1", "not smooth"),
        ("f = log(u); u = x - 1", "x=1", "logarithm of 0"),
        ("f = 1/u; u = x^2 - 4", "x=2", "denominator"),
    ],
)
def test_undefined_or_kinked_at_the_point(text, at, message):
    p = program(text)
    with pytest.raises(MathError, match=message):
        chain(p, at=point(at, p))


def test_blown_up_exact_values_fall_back_to_floats():
    lines = ["f = t30"] + [f"t{i} = tanh(t{i - 1} + 1/3)" for i in range(1, 31)] + ["t0 = x"]
    p = program("\n".join(lines))
    c = chain(p, at=point("x=1/2", p))
    assert any("floats" in n for n in c.notes)
    h = 1e-6
    import math

    def f(x: float) -> float:
        for _ in range(30):
            x = math.tanh(x + 1 / 3)
        return x

    assert c.totals[0].value.numeric == pytest.approx((f(0.5 + h) - f(0.5 - h)) / (2 * h), rel=1e-6)


def test_large_graph_reverse_mode_matches_finite_differences():
    width, depth = 4, LARGE_EDGES // 8 + 2
    lines = [f"f = h{depth}_0 + h{depth}_1"]
    for layer in range(1, depth + 1):
        prev = [f"h{layer - 1}_{j}" for j in range(width)] if layer > 1 else ["x0", "x1", "x2", "x3"]
        for j in range(width):
            terms = " + ".join(f"({(j + k) % 3 - 1}/{k + 2})*{prev[k]}" for k in range(width))
            lines.append(f"h{layer}_{j} = tanh({terms})")
    p = program("\n".join(lines))
    at = point("x0=1/2,x1=-1/3,x2=1/5,x3=1", p)
    c = chain(p, at=at)
    assert c.node("f").expanded is None  # large: not formed

    import math

    def f(xs: list[float]) -> float:
        h = xs
        for _ in range(depth):
            h = [math.tanh(sum(((j + k) % 3 - 1) / (k + 2) * h[k] for k in range(width))) for j in range(width)]
        return h[0] + h[1]

    base = [0.5, -1 / 3, 0.2, 1.0]
    for t in c.totals:
        i = int(t.input[1:])
        up, down = list(base), list(base)
        up[i] += 1e-6
        down[i] -= 1e-6
        assert t.value.numeric == pytest.approx((f(up) - f(down)) / 2e-6, rel=1e-5, abs=1e-9)


_OPS = ["{a} + {b}", "{a} {b}", "sin({a}) + {b}", "{a}^2 - {b}", "exp({a}/3) {b}", "({a} - {b})^2"]


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(range(len(_OPS))), st.integers(0, 50), st.integers(0, 50)), min_size=1, max_size=6
    ),
    st.lists(st.fractions(min_value=-2, max_value=2, max_denominator=5), min_size=3, max_size=3),
)
def test_reverse_mode_on_random_dags_equals_diff_of_the_substituted_output(shape, xs):
    names: list[str] = ["x", "y", "z"]
    lines = []
    for i, (op, a, b) in enumerate(shape):
        lines.append(f"n{i} = " + _OPS[op].format(a=names[a % len(names)], b=names[b % len(names)]))
        names.append(f"n{i}")
    lines.append(f"f = {names[-1]} + x")
    p = program("\n".join(reversed(lines)))
    at = {symbol(n): sp.Rational(v.numerator, v.denominator) for n, v in zip("xyz", xs, strict=True) if n in p.inputs}
    c = chain(p, at=at)
    expanded = c.node("f").expanded
    for t in c.totals:
        direct = sp.diff(expanded, symbol(t.input)).xreplace(at)
        assert float(t.value.exact) == pytest.approx(float(direct), rel=1e-9, abs=1e-12)
        assert sp.simplify(t.value.exact - direct) == 0 or abs(float(t.value.exact - direct)) < 1e-12
