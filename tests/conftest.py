"""Shared fixtures: run calccli in-process through Typer's CliRunner."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from typer.testing import CliRunner

from calccli.cli.app import app


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> dict:
        return json.loads(self.stdout)


@pytest.fixture
def calc() -> Callable[..., Run]:
    """``calc("grad", "x^2*y", "--json")`` -> Run(exit_code, stdout, stderr)."""
    runner = CliRunner()

    def run(*args: str, input: str | None = None) -> Run:
        r = runner.invoke(app, list(args), input=input, prog_name="calccli")
        return Run(r.exit_code, r.stdout, r.stderr)

    return run


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/*/*.golden from the current output")
