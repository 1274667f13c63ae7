"""Every documented example runs, and help shows its examples verbatim."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from calccli.cli.app import app
from calccli.cli.table import COMMANDS as TABLE

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = list(TABLE)  # every computing command, from the one command table


def _gallery() -> list[str]:
    readme = (ROOT / "README.md").read_text()
    block = readme.split("## Gallery", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    lines = [line.split("  #")[0].strip() for line in block.strip().splitlines()]
    return [line.split("|")[0].strip() for line in lines if line.startswith("calccli") and "<" not in line]


def _docstring_examples(command: str) -> list[str]:
    doc = app.registered_commands[
        [c.callback.__name__ for c in app.registered_commands].index(command)
    ].callback.__doc__
    return [m.group(1) for m in re.finditer(r"\$ (calccli .+)", doc or "")]


@pytest.mark.parametrize("line", _gallery())
def test_readme_gallery_example_runs(calc, line):
    r = calc(*shlex.split(line)[1:])
    assert r.exit_code == 0, r.stderr
    assert r.stdout.strip()


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_runnable_examples(calc, command):
    examples = _docstring_examples(command)
    assert examples, f"{command} has no example in its docstring"
    help_text = calc(command, "--help").stdout
    for example in examples:
        assert example in help_text  # shown verbatim, not re-wrapped or eaten as markup
        r = calc(*shlex.split(example)[1:])
        assert r.exit_code == 0, (example, r.stderr)


def test_every_command_is_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    for command in COMMANDS:
        assert f"calccli {command} " in readme


def _readme_chain_section() -> str:
    return (ROOT / "README.md").read_text().split("### chain", 1)[1].split("\n### ", 1)[0]


def test_readme_chain_pictures_are_the_real_output(calc):
    """The D2L graph and its Mermaid drawing in the README are what calccli prints today."""
    section = _readme_chain_section()
    command = section.split("```sh\n", 1)[1].split("\n", 1)[0]
    args = shlex.split(command)[1:]
    tree = re.search(r"\n```\n(f = .*?)```", section, re.S).group(1)  # the first plain block
    text = calc(*args, "--format", "text")
    assert text.exit_code == 0, text.stderr
    assert tree in text.stdout
    assert "value = 1024" in tree and tree.count("df/d") == 9 and "-4096" in tree
    mermaid = section.split("```mermaid\n", 1)[1].split("```", 1)[0]
    drawn = calc(*[a for a in args if not a.startswith("--at") and "=-1" not in a], "--format", "mermaid")
    assert drawn.exit_code == 0, drawn.stderr
    assert drawn.stdout == mermaid


def test_readme_matdiff_table_is_the_real_output(calc, monkeypatch):
    section = (ROOT / "README.md").read_text().split("### matdiff", 1)[1].split("\n### ", 1)[0]
    command = section.split("```sh\n", 1)[1].split("\n", 1)[0]
    shown = re.search(r"\n```\n(derivative of .*?)```", section, re.S).group(1)
    monkeypatch.setenv("COLUMNS", "100")
    run = calc(*shlex.split(command)[1:], "--format", "table")
    assert run.exit_code == 0, run.stderr
    printed = "\n".join(line.rstrip() for line in run.stdout.splitlines()).strip("\n")
    assert shown.strip("\n") in printed
    assert "(A + Aᵀ) x" in shown


def test_readme_descent_lines_are_the_real_output(calc, monkeypatch):
    section = (ROOT / "README.md").read_text().split("### descend, newton and optimize", 1)[1].split("\n### ", 1)[0]
    command = section.split("```sh\n", 1)[1].split("\n", 1)[0]
    shown = re.search(r"\n```\n( status.*?)```", section, re.S).group(1)
    monkeypatch.setenv("COLUMNS", "110")
    run = calc(*shlex.split(command)[1:], "--format", "table")
    assert run.exit_code == 0, run.stderr
    printed = [line.rstrip() for line in (run.stdout + run.stderr).splitlines()]
    for line in shown.splitlines():
        if line.strip() and line != "...":
            assert line.rstrip() in printed, line
