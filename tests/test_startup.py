"""Start-up stays light: help, version and TAB completion never load SymPy, NumPy or Rich.

Completion re-runs calccli on every TAB press, so whatever the CLI imports
before it answers is latency the user feels.  Each case runs ``calccli.cli.main``
in a fresh interpreter and reports which modules that process loaded.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from calccli import __version__

ROOT = Path(__file__).resolve().parent.parent
HEAVY = {"sympy", "mpmath", "numpy", "rich"}
_SCRUB = ("COMP_", "_TYPER_COMPLETE", "_CALCCLI_COMPLETE")

# Runs main() as the console script would (argv[0] = "calccli"), captures what it
# prints, survives its sys.exit, then reports exit code, output and sys.modules.
_PROBE = r"""
import contextlib, io, json, sys
sys.argv = ["calccli", *sys.argv[1:]]
from calccli.cli.app import main
out = io.StringIO()
code, error = None, None
try:
    with contextlib.redirect_stdout(out):
        main()
except SystemExit as e:
    code = e.code
except BaseException as e:
    error = f"{type(e).__name__}: {e}"
json.dump({"code": code or 0, "error": error, "stdout": out.getvalue(), "modules": sorted(sys.modules)},
          sys.__stdout__)
"""


def probe(*args: str, **env: str) -> dict[str, Any]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(_SCRUB)}
    environ.update(env)
    r = subprocess.run(
        [sys.executable, "-c", _PROBE, *args],
        cwd=ROOT,
        env=environ,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    report["stderr"] = r.stderr
    report["heavy"] = sorted({m.partition(".")[0] for m in report["modules"]} & HEAVY)
    return report


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--help"], "Usage: calccli [OPTIONS] COMMAND"),
        (["--version"], f"calccli {__version__}"),
        (["grad", "--help"], "Usage: calccli grad [OPTIONS]"),
    ],
    ids=["help", "version", "grad-help"],
)
def test_help_and_version_import_nothing_heavy(args: list[str], expected: str) -> None:
    r = probe(*args)
    assert r["error"] is None, r["error"]
    assert r["code"] == 0, r["stderr"]
    assert expected in r["stdout"]
    assert r["heavy"] == [], f"calccli {' '.join(args)} imported {r['heavy']}"


@pytest.mark.parametrize(
    ("shell", "env"),
    [
        ("bash", {"COMP_WORDS": "calccli gr", "COMP_CWORD": "1"}),
        ("zsh", {"_TYPER_COMPLETE_ARGS": "calccli gr"}),
        ("fish", {"_TYPER_COMPLETE_ARGS": "calccli gr", "_TYPER_COMPLETE_FISH_ACTION": "get-args"}),
    ],
)
def test_tab_completion_imports_nothing_heavy(shell: str, env: dict[str, str]) -> None:
    r = probe(_CALCCLI_COMPLETE=f"complete_{shell}", **env)
    assert "grad" in r["stdout"], r["stdout"] + r["stderr"]
    assert r["error"] is None, r["error"]
    assert r["heavy"] == [], f"{shell} completion imported {r['heavy']}"


def test_grad_computes_in_a_child_and_the_parent_never_imports_sympy() -> None:
    r = probe("grad", "x^2*y")
    assert r["error"] is None, r["error"]
    assert r["code"] == 0, r["stderr"]
    assert "2*x*y" in r["stdout"] and "x**2" in r["stdout"], r["stdout"]  # SymPy ran (in the forked child)
    assert r["heavy"] == [], f"the parent process imported {r['heavy']}"


def test_the_entry_points_command_names_are_the_command_table() -> None:
    """entry.py decides to fork from names it spells itself; a command missing there runs unforked-early."""
    from calccli.cli.table import COMMANDS
    from calccli.entry import COMPUTING

    assert set(COMMANDS) == COMPUTING


def test_deciding_to_fork_early_imports_only_the_standard_library() -> None:
    """The early child's SymPy import is the long pole of a cold call: it starts before calccli loads."""
    probe = (
        "import sys; before = set(sys.modules); import calccli.entry, calccli.process.forking; "
        "print(sorted(m for m in set(sys.modules) - before if m.startswith('calccli')))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT)
    assert done.stdout.strip() == "['calccli', 'calccli.entry', 'calccli.process', 'calccli.process.forking']"
