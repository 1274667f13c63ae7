"""The JSON contract (docs/json.md): one object per result, versioned by ``schema``."""

from __future__ import annotations

import json

from calccli import __version__


def envelope(kind: str, version: int, command: str, inputs: dict[str, object]) -> dict[str, object]:
    return {"schema": f"calccli.{kind}/{version}", "calccli": __version__, "command": command, "input": inputs}


def dumps(obj: dict[str, object], pretty: bool = False) -> str:
    return json.dumps(obj, allow_nan=False, ensure_ascii=False, indent=2 if pretty else None) + "\n"


def render(result: object, notes: list[str], command: str, inputs: dict[str, object], pretty: bool) -> str:
    obj = envelope(result.KIND, result.SCHEMA, command, inputs)  # type: ignore[attr-defined]
    obj["result"] = result.payload()  # type: ignore[attr-defined]
    obj["notes"] = notes
    return dumps(obj, pretty)


def error(command: str, inputs: dict[str, object], code: int, kind: str, message: str,
          details: dict[str, object]) -> str:
    obj = envelope("error", 1, command, inputs)
    obj["error"] = {"code": code, "kind": kind, "message": message, **details}
    return dumps(obj)
