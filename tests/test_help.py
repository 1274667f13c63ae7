"""Help speaks to people: metavars are words (FORMULA, VARS, POINT, N), never Python types or click syntax."""

from __future__ import annotations

import re

import pytest
from typer.main import get_command

from calccli.cli.app import app
from calccli.cli.table import COMMANDS

GROUP = get_command(app)
ALL = sorted(GROUP.commands)  # type: ignore[attr-defined]
PYTHON_TYPES = re.compile(r"\b(str|int|float|bool|list|dict|tuple|Optional|None|Path)\b", re.I)
FORBIDDEN = set("[<{=")


def _params(name: str) -> list:
    return [p for p in GROUP.commands[name].params if not getattr(p, "hidden", False)]  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", ALL)
def test_every_metavar_is_a_word_people_read(name):
    ctx = GROUP.commands[name].make_context(name, ["--help"], resilient_parsing=True)  # type: ignore[attr-defined]
    for p in _params(name):
        if getattr(p, "is_flag", False) or getattr(p, "count", False):
            continue
        shown = p.metavar if p.metavar is not None else p.make_metavar(ctx)
        assert p.metavar is not None, f"{name} {p.name}: no metavar, help would show {shown!r}"
        assert re.fullmatch(r"[A-Z][A-Z0-9_]*", p.metavar), f"{name} {p.name}: metavar {p.metavar!r}"
        assert not FORBIDDEN & set(p.metavar) and not PYTHON_TYPES.search(p.metavar)


@pytest.mark.parametrize("name", ALL)
def test_help_shows_no_python_types_nor_click_syntax(calc, name):
    r = calc(name, "--help")
    assert r.exit_code == 0
    usage = r.stdout.splitlines()[0]
    assert "{" not in usage and "<" not in usage, usage
    options = r.stdout.split("Arguments:", 1)[-1]
    assert not re.search(r"<[a-z|\[\] ]+>", options), options  # <str>, <list[str]>, <auto|table>
    assert not re.search(r"\d<=x|x>=|x<=", options), options  # 1<=x<=50, x>=0
    assert not re.search(r"^\s+(-\S+, )?--\S+ (str|int|float)\b", options, re.M)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_each_command_gives_a_formula_example_of_its_own_kind(calc, name):
    text = " ".join(calc(name, "--help").stdout.split())
    m = re.search(r"(?:FORMULA|PROGRAM) (.+?) '-' reads (?:one formula per line|the whole program)", text)
    assert m, text
    assert "e.g. '" in m.group(1)
    example = re.search(r"e\.g\. '([^']+)'", m.group(1)).group(1)
    r = calc(name, example, *_extra(name))
    assert r.exit_code == 0, (example, r.stderr)


def _extra(name: str) -> list[str]:
    """What the example needs besides the formula to run."""
    return {"diff": ["--wrt", "x"], "directional": ["--dir", "1,1"], "integrate": ["--wrt", "x"]}.get(name, [])


def test_formula_help_differs_between_kinds_of_command(calc):
    def formula_help(name: str) -> str:
        text = " ".join(calc(name, "--help").stdout.split())
        return re.search(r"FORMULA (.+?) '-' reads", text).group(1)

    assert formula_help("jacobian") != formula_help("integrate") != formula_help("diff")
