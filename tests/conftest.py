"""Shared fixtures: run calccli in-process through Typer's CliRunner, and hold every JSON output to its schema."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache

import pytest
from hypothesis import settings
from typer.testing import CliRunner

from calccli.cli.app import app

# The property tests (tests/property) draw the same examples on every run, so that CI's verdict is
# the code's and not the draw's; HYPOTHESIS_PROFILE=explore draws new ones each run, to look for
# the next counterexample (pin what it finds with @example).
settings.register_profile("repeatable", derandomize=True, print_blob=True)
settings.register_profile("explore", derandomize=False, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> dict:
        return json.loads(self.stdout)


# ----------------------------------------------------------------- the JSON contract (calccli/schemas)


@cache
def _registry():  # -> referencing.Registry
    """Every shipped schema file as a resource, under its file name (the schemas' relative $ref resolve there)."""
    from referencing import Registry
    from referencing.jsonschema import DRAFT202012

    from calccli import schemas

    return Registry().with_resources(
        (name, DRAFT202012.create_resource(schemas.load_file(name))) for name in schemas.names()
    )


@cache
def schema_validator(schema_id: str):  # -> jsonschema.Draft202012Validator
    """The cached validator for ``"calccli.<kind>/<N>"``; an id no schema file defines fails the test."""
    from jsonschema import Draft202012Validator

    from calccli import schemas

    try:
        schema = schemas.load(schema_id)
    except KeyError as e:
        pytest.fail(f"output names a schema that does not exist: {e}")
    return Draft202012Validator(schema, registry=_registry())


def json_objects(stdout: str) -> Iterator[object]:
    """The JSON values of ``stdout``: one object, NDJSON lines, or indented objects one after another."""
    decoder = json.JSONDecoder()
    i, n = 0, len(stdout)
    while True:
        while i < n and stdout[i].isspace():
            i += 1
        if i == n:
            return
        try:
            obj, i = decoder.raw_decode(stdout, i)
        except json.JSONDecodeError as e:
            pytest.fail(f"stdout is not JSON at character {i}: {e}\n{stdout[:2000]}")
        yield obj


def check_json_output(stdout: str) -> list[dict]:
    """Validate each object of ``stdout`` against the schema its ``"schema"`` key names; return them."""
    out = []
    for obj in json_objects(stdout):
        if not isinstance(obj, dict) or not isinstance(obj.get("schema"), str):
            pytest.fail(f'JSON output without a "schema" key: {json.dumps(obj)[:500]}')
        errors = sorted(schema_validator(obj["schema"]).iter_errors(obj), key=lambda e: list(e.absolute_path))
        if errors:
            lines = [f"  at /{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors[:10]]
            pytest.fail(
                f"{obj['schema']} output violates its schema:\n"
                + "\n".join(lines)
                + f"\n{json.dumps(obj, ensure_ascii=False)[:2000]}"
            )
        out.append(obj)
    return out


_JSON_FLAGS = ("--json", "--format=json", "-fjson")


def _asks_for_json(args: tuple[str, ...]) -> bool:
    pairs = zip(args, args[1:], strict=False)
    return any(a.lower() in _JSON_FLAGS for a in args) or any(
        a in ("-f", "--format") and b.lower() == "json" for a, b in pairs
    )


def _is_json_run(args: tuple[str, ...], stdout: str) -> bool:
    """stdout that starts like an object, or any stdout of a JSON run (help, completion and --version aside)."""
    if stdout.lstrip().startswith("{"):
        return True
    skip = {"-h", "--help", "--version", "-V", "--show-completion", "--install-completion"}
    return bool(stdout.strip()) and _asks_for_json(args) and not skip & set(args)


@pytest.fixture(scope="session")
def schema_registry():  # -> referencing.Registry
    """Every schema file of calccli/schemas, by file name, for resolving their ``$ref``."""
    return _registry()


@pytest.fixture(scope="session")
def validate_json() -> Callable[[str], list[dict]]:
    """``validate_json(stdout)`` -> the objects, each checked against its schema (fails the test otherwise)."""
    return check_json_output


@pytest.fixture
def calc() -> Callable[..., Run]:
    """``calc("grad", "x^2*y", "--json")`` -> Run(exit_code, stdout, stderr).

    Whenever stdout is JSON, each object in it is validated against the schema its ``"schema"``
    field names, so every CLI and golden test is also a test of the JSON contract.
    """
    runner = CliRunner()

    def run(*args: str, input: str | None = None) -> Run:
        r = runner.invoke(app, list(args), input=input, prog_name="calccli")
        if _is_json_run(args, r.stdout):
            check_json_output(r.stdout)
        return Run(r.exit_code, r.stdout, r.stderr)

    return run


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", help="rewrite tests/golden/*/*.golden from the current output"
    )
