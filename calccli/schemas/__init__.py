"""The JSON contract as JSON Schema (draft 2020-12): one ``<kind>.v<N>.json`` per ``calccli.<kind>/<N>``.

``common.v1.json`` holds the definitions the others share through relative ``$ref``; it is no
output kind.  Standard library only, and never imported by the CLI itself (docs/json.md).

>>> load("calccli.gradient/1")["title"]
'calccli.gradient/1'
>>> "calccli.error/1" in ids()
True
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources

COMMON = "common.v1.json"
_ID = re.compile(r"calccli\.(?P<kind>[a-z][a-z0-9_]*)/(?P<version>[1-9][0-9]*)")


def file_name(schema_id: str) -> str:
    """The file that defines ``schema_id``: ``"calccli.gradient/1"`` -> ``"gradient.v1.json"``.

    >>> file_name("calccli.critical_points/1")
    'critical_points.v1.json'
    """
    m = _ID.fullmatch(schema_id)
    if m is None:
        raise KeyError(f"not a calccli schema id: {schema_id!r} (expected calccli.<kind>/<N>)")
    return f"{m['kind']}.v{m['version']}.json"


@cache
def _read(name: str) -> str:
    return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")


def load_file(name: str) -> dict[str, object]:
    """One schema file by name, e.g. ``"common.v1.json"``, parsed (a fresh copy on every call)."""
    try:
        text = _read(name)
    except FileNotFoundError:
        raise KeyError(f"no schema file {name!r}") from None
    parsed: dict[str, object] = json.loads(text)
    return parsed


def load(schema_id: str) -> dict[str, object]:
    """The schema an output's ``"schema"`` field names: ``load("calccli.gradient/1")``.

    Raises ``KeyError`` for an id no file defines (a file defines the id its ``schema`` key pins).
    """
    schema = load_file(file_name(schema_id))
    props = schema.get("properties")
    own = props.get("schema") if isinstance(props, dict) else None
    if not isinstance(own, dict) or own.get("const") != schema_id:
        raise KeyError(f"{file_name(schema_id)} does not define {schema_id!r}")
    return schema


def names() -> list[str]:
    """Every schema file shipped, sorted (the output kinds and ``common.v1.json``)."""
    return sorted(p.name for p in resources.files(__name__).iterdir() if p.name.endswith(".json"))


def ids() -> list[str]:
    """Every schema id a file defines, e.g. ``"calccli.gradient/1"``, sorted."""
    out = []
    for name in names():
        kind, _, version = name.removesuffix(".json").rpartition(".v")
        if name != COMMON:
            out.append(f"calccli.{kind}/{version}")
    return sorted(out)


__all__ = ["COMMON", "file_name", "ids", "load", "load_file", "names"]
