"""Writing the output, in real processes: closed pipes, full disks, closed streams, encodings without ∂.

These run the installed console script in a subprocess, since what they test (a reader that has
left, a descriptor that is closed, the encoding Python gives stdout) only exists in a real process.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys

import pytest

from calccli.errors import ExitCode

pytestmark = pytest.mark.slow

CALCCLI = f"{shlex.quote(sys.executable)} -m calccli"  # the console entry point, calccli.entry:main
FORMATS = ("text", "table", "latex", "json")
BATCH = "x^2 y\nsin(\nexp(x)\n"  # the second line is a usage error: the batch exits 2


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHONIOENCODING", "COLUMNS"))}
    env.update({"COLUMNS": "100", **extra})
    return env


def sh(script: str, stdin: str | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    """Run ``script`` in bash with ``$CALCCLI`` set, capturing what it prints."""
    return subprocess.run(
        ["bash", "-c", script],
        input=stdin,
        capture_output=True,
        text=True,
        env=_env(CALCCLI=CALCCLI, **env),
        timeout=120,
    )


def _quote(args: list[str]) -> str:
    return " ".join(shlex.quote(a) for a in args)


# ----------------------------------------------------------------- a reader that leaves early


SINGLE = ["integrate", "sin(θ)", "--bound", "θ=0..π"]  # several lines of stdout and a note on stderr
BATCH_ARGS = ["grad", "-"]


def _status(args: list[str], fmt: str, pipe: str, stdin: str | None) -> int:
    feed = "<<< " + shlex.quote(stdin) if stdin is not None else ""
    r = sh(f'$CALCCLI {_quote(args)} -f {fmt} {feed} 2>&1 {pipe} >/dev/null; echo "${{PIPESTATUS[0]}}"')
    assert r.stderr == "", r.stderr
    return int(r.stdout.strip())


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("mode", ["single", "batch"])
@pytest.mark.parametrize("pipe", ["| head -1", "| head -3", "| true"])
def test_a_broken_pipe_never_changes_the_exit_status(fmt, mode, pipe):
    args, stdin = (SINGLE, None) if mode == "single" else (BATCH_ARGS, BATCH)
    whole = _status(args, fmt, "| cat", stdin)
    assert whole == (0 if mode == "single" else ExitCode.USAGE)
    got = [_status(args, fmt, pipe, stdin) for _ in range(2)]  # it was 1 in 4 runs: timing decided it
    assert got == [whole] * 2


def test_a_broken_pipe_prints_no_traceback():
    r = sh(f"$CALCCLI {_quote(SINGLE)} -f text | head -1")
    assert r.stdout == "value\t2\t2.0\n"
    assert "Traceback" not in r.stderr and "BrokenPipe" not in r.stderr and "Exception ignored" not in r.stderr


# ----------------------------------------------------------------- output that cannot be written


CHECKED = ["diff", "x^2", "--wrt", "x", "--check", "2x"]  # a correct answer: exit 0


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_full_disk_is_an_output_error_not_an_incorrect_answer(fmt):
    r = sh(f"$CALCCLI {_quote(CHECKED)} -f {fmt} > /dev/full")
    assert r.returncode == ExitCode.OUTPUT != ExitCode.INCORRECT
    assert r.stderr == "calccli: error: cannot write the output: No space left on device (standard output)\n"


def test_a_closed_stdout_is_an_output_error():
    r = sh(f"$CALCCLI {_quote(CHECKED)} >&-")
    assert r.returncode == ExitCode.OUTPUT
    assert r.stderr.startswith("calccli: error: cannot write the output:") and r.stderr.count("\n") == 1


@pytest.mark.parametrize("args", [CHECKED, ["grad", "sin("], ["grad", "x^2 y", "--at", "1,2,3"]])
def test_a_closed_stderr_changes_neither_stdout_nor_the_status(args):
    both = sh(f"$CALCCLI {_quote(args)}")
    closed = sh(f"$CALCCLI {_quote(args)} 2>&-")
    assert (closed.stdout, closed.returncode) == (both.stdout, both.returncode)


def test_a_full_disk_with_a_closed_stderr_still_exits_with_the_output_code():
    r = sh(f"$CALCCLI {_quote(CHECKED)} > /dev/full 2>&-")
    assert r.returncode == ExitCode.OUTPUT


# ----------------------------------------------------------------- encodings that cannot show a symbol


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "args",
    [CHECKED, ["hessian", "x^2 y", "--at", "1,2"], ["diff", "sin(θ)", "--wrt", "θ", "--steps"]],
    ids=["check", "hessian", "steps"],
)
def test_an_ascii_stream_gets_an_ascii_spelling(fmt, args):
    utf8 = sh(f"$CALCCLI {_quote(args)} -f {fmt}", PYTHONIOENCODING="utf-8")
    r = sh(f"$CALCCLI {_quote(args)} -f {fmt}", PYTHONIOENCODING="ascii")
    assert r.returncode == utf8.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    assert r.stdout.isascii() and r.stderr.isascii()
    if utf8.stdout.isascii():
        assert r.stdout == utf8.stdout  # nothing to spell: nothing changes
    assert r.stdout.count("\n") == utf8.stdout.count("\n")


def test_an_ascii_table_keeps_its_columns_aligned():
    r = sh('$CALCCLI hessian "x^2 y" --at 1,2 -f table', PYTHONIOENCODING="ascii")
    rows = [line for line in r.stdout.splitlines() if line.strip().startswith(("lambda", "definiteness"))]
    assert len(rows) == 3
    assert len({len(line.rstrip()) for line in rows[:2]}) == 1  # both eigenvalue rows end at the float column


def test_a_check_mark_becomes_ok_in_ascii():
    r = sh(f"$CALCCLI {_quote(CHECKED)} -f text", PYTHONIOENCODING="ascii")
    assert "verdict\tcorrect ok\n" in r.stdout


@pytest.mark.parametrize("args", [["--help"], ["functions"], ["grad", "--help"]])
def test_help_and_listings_on_a_full_disk_are_an_output_error(args):
    r = sh(f"$CALCCLI {_quote(args)} > /dev/full")
    assert r.returncode == ExitCode.OUTPUT
    assert r.stderr == "calccli: error: cannot write the output: No space left on device\n"
