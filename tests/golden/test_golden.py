"""Golden outputs: every case of ``cases.txt`` in text, table, LaTeX and JSON, byte for byte.

These pin what calccli prints, so that code can be moved and reshaped without changing a single
answer.  A change that alters output on purpose refreshes them with ``pytest tests/golden
--update-golden``, and the diff is reviewed like code.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest

from calccli import __version__

HERE = Path(__file__).resolve().parent
FORMATS = ("text", "table", "latex", "json")
WIDTH = 100  # columns of the fake terminal the table format is drawn for


def _cases() -> list[tuple[str, str]]:
    """(case id, command line) for each line of cases.txt; ids are <command>/<number>-<slug>."""
    out: list[tuple[str, str]] = []
    counts: dict[str, int] = {}
    for line in (HERE / "cases.txt").read_text().splitlines():
        if not line.startswith("calccli "):
            continue
        command = shlex.split(line)[1]
        counts[command] = counts.get(command, 0) + 1
        slug = re.sub(r"[^A-Za-z0-9]+", "-", line.split(" ", 2)[2])[:40].strip("-")
        out.append((f"{command}/{counts[command]:02d}-{slug}", line))
    return out


def _split(line: str) -> tuple[list[str], str | None]:
    """argv after 'calccli', and the stdin file named by '< file'."""
    argv = shlex.split(line)[1:]
    if "<" in argv:
        i = argv.index("<")
        return argv[:i], (HERE / "input" / argv[i + 1]).read_text()
    return argv, None


def _formats(argv: list[str]) -> list[tuple[str, list[str]]]:
    """A case that names its own format runs once; every other one in each of FORMATS."""
    if any(a in ("-f", "--format", "--json") or a.startswith("--format=") for a in argv):
        return [("as given", argv)]
    return [(fmt, [*argv, "-f", fmt]) for fmt in FORMATS]


# The integrator races several methods and reports the first verified one, so which method wins
# depends on timing; the answer does not.  The winner's name is masked.
_RACE_JSON = re.compile(r'"method": "[^"]*"(?=, "(?:converges|attempts|outcome)")')
_RACE_LINE = re.compile(r"^by (?!parts|substitution).*$", re.M)
_RACE_ATTEMPTS = re.compile(r'"attempts": \[[^\]]*\]')


_SECONDS_JSON = re.compile(r'"seconds": [0-9.e-]+')
_SECONDS_CELL = re.compile(r"(?<![\d.])\d+\.\d{4}(?![\d.e])")  # the side-by-side table's seconds column


def _normalise(stdout: str, command: str) -> str:
    """The version string, wall times, and the integration race (its winner, the order and outcome of the
    other attempts) are not part of an answer."""
    stdout = stdout.replace(json.dumps(__version__), '"<version>"')
    if command in ("descend", "newton", "optimize"):  # wall times
        stdout = _SECONDS_JSON.sub('"seconds": 0', stdout)  # 0 stands for any wall time
        if command == "optimize":
            stdout = _SECONDS_CELL.sub("<time>", stdout)
    if command == "integrate":
        stdout = _RACE_LINE.sub("by <race winner>", _RACE_JSON.sub('"method": "<race winner>"', stdout))
        stdout = _RACE_ATTEMPTS.sub('"attempts": [{"method": "<race winner>", "outcome": "<race>"}]', stdout)
    return stdout


def render_case(calc, line: str) -> str:
    argv, stdin = _split(line)
    parts = [f"$ {line}\n"]
    for fmt, args in _formats(argv):
        r = calc(*args, input=stdin)
        parts.append(f"\n=== {fmt} (exit {r.exit_code})\n{_normalise(r.stdout, argv[0])}")
        if r.stderr:
            parts.append(f"--- stderr\n{r.stderr}")
    return "".join(parts)


CASES = _cases()


@pytest.mark.golden
@pytest.mark.slow
@pytest.mark.parametrize("line", [c[1] for c in CASES], ids=[c[0] for c in CASES])
def test_output_matches_golden(calc, line, request, monkeypatch):
    monkeypatch.setenv("COLUMNS", str(WIDTH))
    monkeypatch.delenv("NO_COLOR", raising=False)
    case_id = request.node.callspec.id
    path = HERE / f"{case_id}.golden"
    got = render_case(calc, line)
    if request.config.getoption("--update-golden"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(got)
        return
    assert path.exists(), f"no golden file {path.name}: run pytest tests/golden --update-golden"
    assert got == path.read_text()


def test_every_golden_file_has_a_case():
    known = {HERE / f"{case_id}.golden" for case_id, _ in CASES}
    stale = sorted(str(p.relative_to(HERE)) for p in HERE.glob("*/*.golden") if p not in known)
    assert not stale, f"golden files without a case in cases.txt: {stale}"
