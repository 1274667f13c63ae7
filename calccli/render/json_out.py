"""The JSON contract (docs/json.md): one object per result, versioned by ``schema``."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from calccli import __version__

if TYPE_CHECKING:
    from calccli.results import Result


def envelope(kind: str, version: int, command: str, inputs: dict[str, object]) -> dict[str, object]:
    """The keys every JSON object opens with: schema, version, command and its input."""
    return {"schema": f"calccli.{kind}/{version}", "calccli": __version__, "command": command, "input": inputs}


def dumps(obj: dict[str, object], pretty: bool = False) -> str:
    """One JSON document and a newline; NaN and infinities are refused (payloads spell them ``"oo"``)."""
    return json.dumps(obj, allow_nan=False, ensure_ascii=False, indent=2 if pretty else None) + "\n"


def render(result: Result, notes: list[str], command: str, inputs: dict[str, object], pretty: bool) -> str:
    """A result's JSON object: the envelope, its ``payload()`` and the notes."""
    obj = envelope(result.KIND, result.SCHEMA, command, inputs)
    obj["result"] = result.payload()
    obj["notes"] = notes
    return dumps(obj, pretty)


def error(
    command: str, inputs: dict[str, object], code: int, kind: str, message: str, details: dict[str, object]
) -> str:
    """The JSON object of a failed computation: the envelope and the ``error``."""
    obj = envelope("error", 1, command, inputs)
    obj["error"] = {"code": code, "kind": kind, "message": message, **details}
    return dumps(obj)
