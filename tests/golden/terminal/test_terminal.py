"""The table format in a real terminal, 80 and 120 columns wide: what a user sees, pinned.

Each line of ``cases.txt`` runs in a tmux pane of each width (a private tmux server, one per
test); ``capture-pane`` reads the screen back.  ``pytest tests/golden/terminal --update-golden``
rewrites the ``.screen`` files; review their diff like code.  Besides the exact screen, every
capture is held to the layout rules: no line wider than the terminal, no table title split over
two lines.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
WIDTHS = (80, 120)
HEIGHT = 200

pytestmark = [pytest.mark.golden, pytest.mark.slow]


def _cases() -> list[tuple[str, str]]:
    out = []
    for line in (HERE / "cases.txt").read_text().splitlines():
        if line.startswith("calccli "):
            slug = re.sub(r"[^A-Za-z0-9]+", "-", line.split(" ", 1)[1])[:48].strip("-")
            out.append((slug, line))
    return out


def capture(line: str, width: int) -> str:
    """The screen after running ``line`` in a fresh ``width``-column terminal, trailing blanks removed."""
    if shutil.which("tmux") is None:  # a fresh machine: the project's script installs it
        subprocess.run([str(Path(__file__).resolve().parents[3] / "scripts" / "install-system-tools")], timeout=900)
    if shutil.which("tmux") is None:
        pytest.fail("tmux is needed for the terminal captures (scripts/install-system-tools could not install it)")
    sock = f"calccli-test-{uuid.uuid4().hex[:12]}"
    argv = shlex.split(line)[1:]
    command = " ".join(shlex.quote(a) for a in [sys.executable, "-m", "calccli", *argv])
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "NO_COLOR", "TMUX")}
    env["TERM"] = "xterm-256color"
    tmux = ["tmux", "-L", sock, "-f", os.devnull]
    script = f"{command}; tmux -L {sock} wait-for -S done; sleep 60"
    try:
        subprocess.run(
            [*tmux, "new-session", "-d", "-x", str(width), "-y", str(HEIGHT), script], env=env, check=True, timeout=30
        )
        subprocess.run([*tmux, "wait-for", "done"], env=env, check=True, timeout=120)
        screen = subprocess.run(
            [*tmux, "capture-pane", "-p"], env=env, capture_output=True, text=True, check=True
        ).stdout
    finally:
        subprocess.run([*tmux, "kill-server"], env=env, capture_output=True)
    lines = [row.rstrip() for row in screen.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"


CASES = _cases()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("line", [c[1] for c in CASES], ids=[c[0] for c in CASES])
def test_terminal_screen_matches_golden(line, width, request):
    slug = dict((c[1], c[0]) for c in CASES)[line]
    path = HERE / f"{slug}.{width}.screen"
    got = capture(line, width)
    assert all(len(row) <= width for row in got.splitlines())
    if request.config.getoption("--update-golden"):
        path.write_text(got)
        return
    assert path.exists(), f"no capture {path.name}: run pytest tests/golden/terminal --update-golden"
    assert got == path.read_text()


def test_every_screen_file_has_a_case():
    known = {f"{slug}.{w}.screen" for slug, _ in CASES for w in WIDTHS}
    stale = sorted(p.name for p in HERE.glob("*.screen") if p.name not in known)
    assert not stale, stale
