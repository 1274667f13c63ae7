"""The JSON contract: the schema files are valid and complete, the goldens obey them, docs/json.md matches them.

Every JSON output of the CLI tests is validated by the ``calc`` fixture (tests/conftest.py); here the
schemas themselves are checked, and the golden files are read directly so that this runs in a second.
"""

from __future__ import annotations

import copy
import importlib
import json
import pkgutil
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from calccli import __version__, schemas

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
DOC = ROOT / "docs" / "json.md"
COMPANION = {"check", "steps", "steps_note"}  # --check and --steps: keys any result may gain
ERROR = "calccli.error/1"


ROWS = {"calccli.point/1"}  # row kinds: one object per line of a stream, no envelope (--points --json)


def _result_ids() -> set[str]:
    """``calccli.<KIND>/<SCHEMA>`` of every result class in calccli.results and its modules."""
    import calccli.results as package

    modules = [package] + [
        importlib.import_module(m.name) for m in pkgutil.walk_packages(package.__path__, package.__name__ + ".")
    ]
    return {
        f"calccli.{obj.KIND}/{obj.SCHEMA}"
        for module in modules
        for obj in vars(module).values()
        if isinstance(obj, type)
        and isinstance(getattr(obj, "KIND", None), str)
        and isinstance(getattr(obj, "SCHEMA", None), int)
    }


def _validator(schema_id: str, registry) -> Draft202012Validator:
    return Draft202012Validator(schemas.load(schema_id), registry=registry)


# ----------------------------------------------------------------- the schema files


@pytest.mark.parametrize("name", schemas.names())
def test_every_schema_file_is_a_valid_draft_2020_12_schema(name):
    schema = schemas.load_file(name)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def _refs(node: object) -> Iterator[str]:
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield node["$ref"]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


@pytest.mark.parametrize("name", schemas.names())
def test_every_ref_resolves(name, schema_registry):
    resolver = schema_registry.resolver(base_uri=name)
    for ref in _refs(schemas.load_file(name)):
        resolver.lookup(ref)  # raises Unresolvable


def test_every_result_kind_and_the_error_have_a_schema_file():
    assert set(schemas.ids()) == _result_ids() | {ERROR}
    assert set(schemas.names()) == {schemas.file_name(i) for i in schemas.ids()} | {schemas.COMMON}


@pytest.mark.parametrize("schema_id", schemas.ids())
def test_each_file_pins_its_own_id(schema_id):
    schema = schemas.load(schema_id)
    assert schema["title"] == schema_id
    assert schema["properties"]["schema"] == {"const": schema_id}
    assert schema["additionalProperties"] is False


@pytest.mark.parametrize("schema_id", sorted(set(schemas.ids()) - {ERROR, *ROWS}))
def test_every_result_accepts_check_and_steps_from_the_common_file(schema_id):
    result = schemas.load(schema_id)["$defs"]["result"]
    assert result["additionalProperties"] is False
    for key in COMPANION:
        assert result["properties"][key] == {"$ref": f"{schemas.COMMON}#/$defs/{key}"}
    assert {"$ref": f"{schemas.COMMON}#/$defs/companion"} in result["allOf"]


def test_load_refuses_ids_no_file_defines():
    assert schemas.load("calccli.gradient/1")["properties"]["schema"]["const"] == "calccli.gradient/1"
    for bad in ("calccli.gradient/2", "calccli.common/1", "calccli.nope/1", "gradient", "calccli.Gradient/1"):
        with pytest.raises(KeyError):
            schemas.load(bad)


def test_the_cli_does_not_import_the_schemas_at_start_up():
    code = "import sys, calccli.entry, calccli.cli.app; sys.exit('calccli.schemas' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0


# ----------------------------------------------------------------- strict enough to catch a change

GRADIENT = {
    "schema": "calccli.gradient/1",
    "calccli": __version__,
    "command": "grad",
    "input": {"formula": "x^2 y + sin(y)", "wrt": None, "at": "x=1,y=pi"},
    "result": {
        "expr": "x**2*y + sin(y)",
        "variables": ["x", "y"],
        "gradient": {"x": "2*x*y", "y": "x**2 + cos(y)"},
        "at": {"x": "1", "y": "pi"},
        "value": {"gradient": {"x": "2*pi", "y": "0"}, "norm": "2*pi"},
        "numeric": {"gradient": {"x": 6.283185307179586, "y": 0.0}, "norm": 6.283185307179586},
    },
    "notes": [],
}


def _mutated(path: str, value: object) -> dict:
    obj = copy.deepcopy(GRADIENT)
    *parents, last = path.split(".")
    node = obj
    for key in parents:
        node = node[key]
    if value is KeyError:
        del node[last]
    else:
        node[last] = value
    return obj


def _renamed(path: str, new: str) -> dict:
    obj = copy.deepcopy(GRADIENT)
    *parents, last = path.split(".")
    node = obj
    for key in parents:
        node = node[key]
    node[new] = node.pop(last)
    return obj


def test_a_sound_output_validates(schema_registry):
    assert _validator("calccli.gradient/1", schema_registry).is_valid(GRADIENT)
    assert _validator("calccli.gradient/1", schema_registry).is_valid(_mutated("result.numeric.norm", "oo"))


BROKEN = {
    "renamed result.gradient": _renamed("result.gradient", "grad"),
    "renamed result.numeric": _renamed("result.numeric", "floats"),
    "renamed notes": _renamed("notes", "remarks"),
    "variables as a string": _mutated("result.variables", "x,y"),
    "a bare Infinity": _mutated("result.numeric.norm", "Infinity"),
    "an exact value as a float": _mutated("result.value.norm", 6.28),
    "values without a point": _mutated("result.at", None),
    "an empty expression": _mutated("result.expr", ""),
    "a point without values": _mutated("result.value", KeyError),
    "an unknown result key": _mutated("result.extra", 1),
    "wrt as text": _mutated("input.wrt", "x,y"),
    "another command's option": _mutated("input.dir", "1,1"),
    "another command": _mutated("command", "diff"),
    "a note that is no string": _mutated("notes", [None]),
}


@pytest.mark.parametrize("broken", BROKEN.values(), ids=BROKEN.keys())
def test_a_renamed_or_retyped_key_fails(broken, schema_registry):
    assert not _validator("calccli.gradient/1", schema_registry).is_valid(broken)


def _error(**error: object) -> dict:
    return {
        "schema": ERROR,
        "calccli": __version__,
        "command": "grad",
        "input": {"formula": "x^^2", "wrt": None, "at": None},
        "error": error,
    }


@pytest.mark.parametrize(
    "obj, valid",
    [
        (_error(code=2, kind="parse", message="unexpected '^'", column=3), True),
        (_error(code=1, kind="parse", message="unexpected '^'", column=3), False),
        (_error(code=2, kind="usage", message="bad --at", column=3), False),
        (_error(code=70, kind="internal", message="a bug"), True),
        (_error(code=2, kind="oops", message="?"), False),
        ({**_error(code=2, kind="usage", message="No such option"), "command": "", "input": {"argv": ["--x"]}}, True),
        (
            {
                **_error(code=2, kind="usage", message="bad"),
                "input": {"formula": "x", "wrt": None, "at": None, "order": 1},
            },
            False,
        ),
    ],
)
def test_error_objects_pair_kind_code_and_input(obj, valid, schema_registry):
    assert _validator(ERROR, schema_registry).is_valid(obj) is valid


# ----------------------------------------------------------------- the golden files obey the schemas

_SECTION = re.compile(r"^=== (?:json|as given) \(exit \d+\)\n(?P<body>.*?)(?=^=== |^--- stderr\n|\Z)", re.M | re.S)
GOLDEN_FILES = sorted(GOLDEN.glob("*/*.golden"))


def _golden_json(path: Path) -> list[str]:
    """The JSON sections of a golden file, with the real version where the file says ``<version>``."""
    bodies = (m["body"] for m in _SECTION.finditer(path.read_text()))
    return [b.replace('"<version>"', json.dumps(__version__)) for b in bodies if b.lstrip().startswith("{")]


@pytest.mark.parametrize("path", GOLDEN_FILES, ids=[str(p.relative_to(GOLDEN)) for p in GOLDEN_FILES])
def test_every_golden_json_section_validates(path, validate_json):
    for body in _golden_json(path):
        assert validate_json(body)


def test_the_goldens_show_every_schema():
    seen = {
        json.loads(line)["schema"]
        for p in GOLDEN_FILES
        for body in _golden_json(p)
        for line in body.splitlines()
        if line.strip()
    }
    assert seen == set(schemas.ids())


# ----------------------------------------------------------------- docs/json.md documents the schemas


def _doc_sections() -> dict[str, list[str]]:
    """``## heading`` -> the backticked keys in the first cell of each table row under it."""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in DOC.read_text().splitlines():
        if line.startswith("## "):
            current = sections.setdefault(line[3:].strip(), [])
        elif current is not None and line.startswith("| `"):
            current.extend(re.findall(r"`([^`]+)`", line.split("|")[1]))
    return sections


def _kind_sections() -> dict[str, list[str]]:
    out = {}
    for heading, keys in _doc_sections().items():
        m = re.match(r"`(calccli\.[a-z_]+/[0-9]+)`", heading)
        if m:
            out[m[1]] = keys
    return out


def _section(prefix: str) -> list[str]:
    (keys,) = [k for h, k in _doc_sections().items() if h.startswith(prefix)]
    return keys


def _alternatives(node: dict, resolver) -> Iterator[tuple[dict, object]]:
    """``node`` and what it stands for through ``$ref``, ``allOf``, ``anyOf`` and ``oneOf``."""
    yield node, resolver
    if "$ref" in node:
        found = resolver.lookup(node["$ref"])
        yield from _alternatives(found.contents, found.resolver)
    for key in ("allOf", "anyOf", "oneOf"):
        for sub in node.get(key, []):
            yield from _alternatives(sub, resolver)


def _step(frontier: list[tuple[dict, object]], segment: str) -> list[tuple[dict, object]]:
    out = []
    for node, resolver in frontier:
        for alt, res in _alternatives(node, resolver):
            if segment == "[]" and isinstance(alt.get("items"), dict):
                out.append((alt["items"], res))
            elif segment in alt.get("properties", {}):
                out.append((alt["properties"][segment], res))
    return out


def _segments(path: str) -> list[str]:
    """``"critical_points[].point"`` -> ``["critical_points", "[]", "point"]``."""
    return re.findall(r"\[\]|[^.\[\]]+", path)


def _keys(frontier: list[tuple[dict, object]]) -> set[str]:
    return {k for node, res in frontier for alt, _ in _alternatives(node, res) for k in alt.get("properties", {})}


def _root(schema_id: str, registry) -> list[tuple[dict, object]]:
    """What a kind's section documents: ``result`` (the top of the object for calccli.error/1)."""
    frontier = [(schemas.load(schema_id), registry.resolver(base_uri=schemas.file_name(schema_id)))]
    return frontier if schema_id == ERROR or schema_id in ROWS else _step(frontier, "result")


def _check_documented(documented: list[str], root: list[tuple[dict, object]], top: set[str]) -> None:
    """Every documented path exists; the top-level keys are ``top``; a key whose sub-keys are listed has all listed."""
    for path in documented:
        frontier = root
        for segment in _segments(path):
            frontier = _step(frontier, segment)
        assert frontier, f"documented key {path!r} is not in the schema"
    assert {_segments(p)[0] for p in documented} == top
    children: dict[tuple[str, ...], set[str]] = {}
    for path in documented:
        *parent, last = _segments(path)
        if parent:
            children.setdefault(tuple(parent), set()).add(last)
    for parent, listed in children.items():
        frontier = root
        for segment in parent:
            frontier = _step(frontier, segment)
        where = ".".join(parent).replace(".[]", "[]")
        assert listed == _keys(frontier), f"{where}: documented {sorted(listed)}, schema {sorted(_keys(frontier))}"


def test_every_kind_has_a_section_and_every_section_a_schema():
    assert set(_kind_sections()) == set(schemas.ids())


@pytest.mark.parametrize("schema_id", schemas.ids())
def test_documented_keys_match_the_schema(schema_id, schema_registry):
    root = _root(schema_id, schema_registry)
    envelope = {"schema", "calccli", "command", "input"}
    top = _keys(root) - (envelope if schema_id == ERROR or schema_id in ROWS else COMPANION)
    _check_documented(_kind_sections()[schema_id], root, top)


def test_the_check_and_steps_keys_are_documented(schema_registry):
    _check_documented(_section("`--check` and `--steps`"), _root("calccli.gradient/1", schema_registry), COMPANION)


def test_the_envelope_is_documented(schema_registry):
    tops = {
        sid: _keys([(schemas.load(sid), schema_registry.resolver(base_uri=schemas.file_name(sid)))])
        for sid in schemas.ids()
        if sid not in ROWS
    }
    results = {k for sid, keys in tops.items() if sid != ERROR for k in keys}
    assert set(_section("The envelope")) == results
    assert tops[ERROR] - results == {"error"}


def test_every_input_key_is_documented():
    defs = schemas.load_file(schemas.COMMON)["$defs"]
    keys = {k for name, d in defs.items() if name.startswith("input-") for k in d["properties"]}
    assert set(_section("`input`")) == keys
