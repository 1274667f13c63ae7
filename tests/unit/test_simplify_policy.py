"""The simplification policy (calccli.calculus.simplifying): which steps run, and what they give."""

from __future__ import annotations

import sympy as sp

from calccli.calculus import simplifying
from calccli.calculus.common import tidy, tidy_all
from calccli.process.budget import Budget

x, y, r, t = sp.symbols("x y r theta", real=True)


def test_trig_power_gets_trigsimp():
    # diff ln(sin(x^3)^2): the README gallery's 6 x^2 / tan(x^3), as with the full simplify
    d = sp.diff(sp.log(sp.sin(x**3) ** 2), x)
    assert tidy(d, input_size=simplifying.size(sp.log(sp.sin(x**3) ** 2))) == 6 * x**2 / sp.tan(x**3)
    # det of the polar Jacobian: r cos^2 + r sin^2 -> r
    assert tidy(r * sp.cos(t) ** 2 + r * sp.sin(t) ** 2, input_size=10) == r


def test_rational_part_is_cancelled():
    d = sp.diff(sp.atan(y / x), x)  # -y/(x^2 (1 + y^2/x^2))
    assert tidy(d, input_size=simplifying.size(sp.atan(y / x))) == -y / (x**2 + y**2)
    assert tidy(x / (x + 1) + 1 / (x + 1), input_size=20) == 1


def test_shared_factor_is_pulled_out():
    assert tidy(2 * x * sp.exp(x**2) + 2 * x, input_size=5) == 2 * x * (sp.exp(x**2) + 1)


def test_nothing_to_do_leaves_the_expression_alone():
    e = x * sp.cos(x) + sp.sin(x)
    assert tidy(e, input_size=5) is e
    p = 12 * x**2 - 4 * y
    assert tidy(p, input_size=5) is p  # polynomials are never rewritten


def test_full_simplify_only_for_a_result_large_relative_to_its_input(monkeypatch):
    calls = []
    real = sp.simplify
    monkeypatch.setattr(sp, "simplify", lambda e: calls.append(e) or real(e))
    e = 2 * sp.sin(x) * sp.cos(x) * sp.exp(x) + 2 * sp.sin(x) * sp.cos(y) * x + sp.exp(y) * x / (1 + x**2)
    assert tidy(e, input_size=10_000) == e  # not large: the cheap steps only (none applies here)
    assert calls == []
    s = tidy(e, input_size=1)  # large relative to an input of size 1: the full simplify is tried
    assert len(calls) == 1
    assert sp.count_ops(s) <= sp.count_ops(e)
    # and never on a result beyond MAX_NODES, whatever its input
    big = sum(sp.sin(k * x) * sp.exp(k * y) for k in range(1, 80))
    assert simplifying.size(big) > simplifying.MAX_NODES
    tidy(big, input_size=1)
    assert len(calls) == 1


def test_budget_is_charged_and_respected():
    b = Budget(10.0, simplify_seconds=1.0)
    e = sp.sin(x) ** 2 + sp.cos(x) ** 2 + x
    assert tidy(e, b, input_size=1) == x + 1
    assert 0 < b.simplified < 1.0
    spent = Budget(10.0, simplify_seconds=0.0)
    assert tidy(e, spent, input_size=1) is e  # nothing left to spend: as computed (exact)


def test_tidy_all_tidies_each_distinct_entry_once(monkeypatch):
    calls = []
    real = simplifying.readable

    def counting(e, size, allowance):
        calls.append(e)
        return real(e, size, allowance)

    monkeypatch.setattr(simplifying, "readable", counting)
    e = x * sp.cos(x) + sp.sin(x)
    assert tidy_all([e, e, e, y * sp.sin(y)], input_size=5) == [e, e, e, y * sp.sin(y)]
    assert calls == [e, y * sp.sin(y)]


def test_step_failure_keeps_the_other_steps(monkeypatch):
    def broken(e):
        raise sp.PolynomialError("no")

    monkeypatch.setattr(sp, "cancel", broken)
    e = sp.sin(x) ** 2 / (x + 1) + sp.cos(x) ** 2 / (x + 1)
    assert tidy(e, input_size=50) == 1 / (x + 1)


def test_size_counts_nodes():
    assert simplifying.size(x) == 1
    assert simplifying.size(x + sp.sin(y)) == 4
