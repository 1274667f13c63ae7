"""The matdiff engine never shows a derivative its own check contradicts."""

from __future__ import annotations

import dataclasses

import pytest

from calccli.calculus import matdiff as command
from calccli.calculus import matrix as engine
from calccli.errors import MathError
from calccli.formula import matrix as M
from calccli.formula.matrix_grammar import parse, read_variable


def _wrong(replacement):
    real = engine.derivative

    def derivative(f, wrt, layout="denominator", order=1):
        d = real(f, wrt, layout, order)
        return dataclasses.replace(d, expr=replacement(d))

    return derivative


@pytest.mark.parametrize(
    ("formula", "wrt", "slip"),
    [
        ("log(det(X))", "X", lambda d: M.zero(*d.expr.shape)),  # what SymPy 1.14 answers
        ("tr(A X)", "X", lambda d: M.transpose(d.expr)),  # a transposition slip
        ("x' A x", "x", lambda d: M.mul(M.num(2), d.expr)),  # a factor 2
    ],
)
def test_a_contradicted_derivative_is_an_error_not_an_answer(monkeypatch, formula, wrt, slip):
    f = parse(formula)
    monkeypatch.setattr(command.engine, "derivative", _wrong(slip))
    with pytest.raises(MathError, match="failed its own check"):
        command.matdiff(f, read_variable(wrt, f))


def test_the_right_derivative_is_shown_verified():
    f = parse("log(det(X))")
    r = command.matdiff(f, read_variable("X", f))
    assert M.unicode(r.derivative) == "X⁻ᵀ" and r.check.verified and r.check.trials >= 2


def test_large_fixed_sizes_are_checked_as_symbols():
    f = parse("W x + b", {"W": (M.ONE * 64, M.ONE * 256), "b": (M.ONE * 64, M.ONE)})
    r = command.matdiff(f, read_variable("x", f), layout="numerator")
    assert r.shape == (64, 256) and M.unicode(r.derivative) == "W" and r.check.verified
    assert any("64 as" in note and "256 as" in note for note in r.notes)
