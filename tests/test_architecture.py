"""The shape the code promises (docs/architecture.md): one command table, shared options, semantic errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from calccli.cli import commands
from calccli.cli.app import app
from calccli.cli.table import COMMANDS, OPTION_SPELLING
from calccli.errors import ArgumentError

ROOT = Path(__file__).resolve().parent.parent
ENGINE = ("formula", "calculus", "integration", "homework", "results")


def _typer_commands() -> dict[str, object]:
    return {c.name or c.callback.__name__: c for c in app.registered_commands}


def test_every_table_command_is_a_registered_command_and_nothing_else_computes():
    registered = [name for name, _ in commands.REGISTERED]
    assert registered == list(COMMANDS)
    assert set(COMMANDS) <= set(_typer_commands())
    assert set(_typer_commands()) - set(COMMANDS) == {"functions"}


@pytest.mark.parametrize("name", list(COMMANDS))
def test_shared_options_are_attached_once_to_every_command(name):
    fn = dict(commands.REGISTERED)[name]
    params = list(fn.__signature__.parameters)  # type: ignore[attr-defined]
    shared = [n for n, _, _ in commands.SHARED]
    assert params[-len(shared) :] == shared
    assert len(params) == len(set(params))


def test_an_engine_error_names_its_argument_and_the_cli_spells_the_option(calc):
    import sympy as sp

    from calccli.calculus import differential
    from calccli.formula.grammar import formula

    with pytest.raises(ArgumentError) as e:
        differential.directional(formula("x*y"), [sp.S(1), sp.S(2), sp.S(3)])
    assert e.value.argument == "direction" and "--" not in e.value.message
    r = calc("directional", "x*y", "--dir", "1,2,3")
    assert r.exit_code == 2
    assert r.stderr == "calccli: error: --dir has 3 components but the formula has 2 variables (x, y)\n"


def test_every_argument_the_engine_names_has_a_spelling():
    raised = set()
    for package in ENGINE:
        for path in (ROOT / "calccli" / package).rglob("*.py"):
            raised |= set(re.findall(r'ArgumentError\(\s*"(\w+)"', path.read_text()))
    assert raised and raised <= set(OPTION_SPELLING)


def test_engine_errors_do_not_spell_command_line_options():
    """The engine words errors by meaning; only cli/ and the option readers of formula/ know '--dir'."""
    option_in_error = re.compile(r'(?:Error|raise \w+)\(\s*f?"[^"]*(?<![\w{])--[a-z]')
    offenders = []
    for package in ("calculus", "integration", "results"):
        for path in (ROOT / "calccli" / package).rglob("*.py"):
            offenders += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in option_in_error.finditer(path.read_text())]
    assert not offenders
