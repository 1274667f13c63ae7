"""``calccli functions`` lists what a formula can call, with how many arguments it takes."""

from __future__ import annotations

import re

import pytest

from calccli.formula import grammar
from calccli.formula.names import FUNCTIONS


def _listed(stdout: str) -> dict[str, str]:
    """name -> the arity words of its line."""
    out = {}
    for line in stdout.splitlines():
        m = re.match(r"functions of (.+?): (.+)$", line)
        if m:
            out.update({name: m.group(1) for name in m.group(2).split(", ")})
    return out


def test_functions_lists_every_function_once_with_its_arity(calc):
    r = calc("functions")
    assert r.exit_code == 0
    listed = _listed(r.stdout)
    assert set(listed) == set(FUNCTIONS)
    assert listed["sin"] == "one argument" and listed["atan2"] == "two arguments"
    assert listed["log"] == "one or two arguments" and listed["max"] == "one or more arguments"


def test_functions_lists_no_value_that_is_not_callable(calc):
    r = calc("functions")
    listed = set(_listed(r.stdout))
    assert not listed & {"zoo", "nan", "oo", "pi", "E", "I"}


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_every_listed_function_can_be_called_with_its_arity(name):
    fewest, _ = FUNCTIONS[name]
    args = ", ".join(["x"] + ["2"] * (fewest - 1))
    if name == "CRootOf":
        args = "x^3 - x - 1, 0"
    f = grammar.formula(f"{name}({args})")
    assert f.expr is not None
