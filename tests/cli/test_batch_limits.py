"""A ``-`` batch runs in one bounded worker, and every formula keeps its own time, memory and size limit.

A formula that exceeds a limit ends with its own line on stderr; the formulas after it are
answered by a fresh worker, and the output is byte for byte what one child per formula gives.
"""

from __future__ import annotations

import os
import signal
from functools import partial

import pytest

from calccli import limits
from calccli.cli import pipeline
from calccli.errors import ExitCode
from calccli.process import child

RUNAWAY = "x^(x^(x^(x^x)))"  # its 12th derivative takes minutes


class OneChildPerFormula:
    """Stands in for the batch worker: every formula in a child of its own (the path before the worker)."""

    fresh = True

    def __init__(self, handler, *, memory_mb, warm=None, **_):
        self.handler, self.memory_mb = handler, memory_mb

    def run(self, argument, *, seconds, max_bytes=None):
        return child.run(
            partial(self.handler, argument), seconds=seconds, memory_mb=self.memory_mb, max_bytes=max_bytes
        )

    def close(self):
        pass


def _per_formula(calc, monkeypatch, *args, input):
    with monkeypatch.context() as m:
        m.setattr(pipeline, "Worker", OneChildPerFormula)
        return calc(*args, input=input)


def test_a_runaway_formula_times_out_alone_and_the_rest_are_answered(calc):
    r = calc("diff", "-", "--order", "12", "--timeout", "1", input=f"x^2\n{RUNAWAY}\nsin(x)\n")
    assert r.exit_code == ExitCode.RESOURCE
    assert r.stdout == f"==> x^2 <==\n0\n\n==> {RUNAWAY} <==\n\n==> sin(x) <==\nsin(x)\n"
    assert r.stderr == "calccli: line 2: error: timed out after 1 s (raise the limit with --timeout)\n"


def _hog_or_crash(real, request, text):
    """``hog`` allocates past any memory cap; ``crash`` dies of a signal; the rest are computed."""
    if text == "hog":
        return len(bytearray(64 * 2**30))
    if text == "crash":
        os.kill(os.getpid(), signal.SIGKILL)
    return real(request, text)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("hog", "calccli: line 2: error: memory limit reached (512 MiB; raise it with --max-memory)\n"),
        (
            "crash",
            "calccli: line 2: error: the computation was stopped by signal 9 (most likely the memory "
            "limit, 512 MiB; raise it with --max-memory)\n",
        ),
    ],
)
def test_a_formula_over_the_memory_limit_fails_alone(calc, monkeypatch, bad, message):
    monkeypatch.setattr(pipeline, "solve", partial(_hog_or_crash, pipeline.solve))
    batch = f"x^2 y\n{bad}\nsin(x y)\nx y\n"
    r = calc("grad", "-", "--wrt", "x,y", "--max-memory", "512", input=batch)
    assert r.exit_code == ExitCode.RESOURCE
    assert r.stderr == message
    assert r.stdout == (
        "==> x^2 y <==\nx\t2*x*y\ny\tx**2\n\n"
        f"==> {bad} <==\n\n"
        "==> sin(x y) <==\nx\ty*cos(x*y)\ny\tx*cos(x*y)\n\n"
        "==> x y <==\nx\ty\ny\tx\n"
    )
    assert _per_formula(calc, monkeypatch, "grad", "-", "--wrt", "x,y", "--max-memory", "512", input=batch) == r


def test_a_result_over_the_size_limit_fails_alone(calc, monkeypatch):
    monkeypatch.setattr(limits, "MAX_OUTPUT_BYTES", 400)
    r = calc("diff", "-", input="x^2\nsin(x)^2*" + "*".join(f"(x+{k})" for k in range(40)) + "\nx^3\n")
    assert r.exit_code == ExitCode.RESOURCE
    assert r.stderr == "calccli: line 2: error: the result is too large to print\n"
    assert r.stdout.startswith("==> x^2 <==\n2*x\n\n==> sin(x)^2*")
    assert r.stdout.endswith("<==\n\n==> x^3 <==\n3*x**2\n")


def test_the_exit_code_is_the_first_failures(calc):
    r = calc("diff", "-", "--order", "12", "--timeout", "1", input=f"x^2\nx^^2\n{RUNAWAY}\nx^3\n")
    assert r.exit_code == ExitCode.USAGE
    assert r.stderr.splitlines()[0] == "calccli: line 2: error: unexpected '^' at column 3"
    assert r.stderr.splitlines()[-1] == "calccli: line 3: error: timed out after 1 s (raise the limit with --timeout)"
    assert r.stdout.endswith("==> x^3 <==\n0\n")


MIXED = "x^2 y\n# a comment\n\nsin(x y)\nx^^2\nexp(x) + y\nlog(1 + x^2 + 5y^2) + z^4 sin(x)\nfoo(x)\nx/y\n"


@pytest.mark.parametrize("fmt", [("-f", "text"), ("--json",), ("-f", "latex")])
def test_a_mixed_batch_prints_what_one_child_per_formula_prints(calc, monkeypatch, fmt):
    args = ("grad", "-", "--wrt", "x,y", *fmt)
    batch = calc(*args, input=MIXED)
    assert batch.exit_code == ExitCode.USAGE
    assert batch.stdout and batch.stderr
    assert _per_formula(calc, monkeypatch, *args, input=MIXED) == batch


def test_a_checked_batch_prints_what_one_child_per_formula_prints(calc, monkeypatch):
    args = ("diff", "-", "--check", "2*x", "--steps")
    batch = calc(*args, input="x^2\nx^2 + 1\nx^3\n")
    assert "==> x^3 <==" in batch.stdout
    assert _per_formula(calc, monkeypatch, *args, input="x^2\nx^2 + 1\nx^3\n") == batch


def _cli(*args: str, input: str) -> tuple[int, str, str]:
    """The real entry point (where the batch's worker is forked before start-up), in a new process."""
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-m", "calccli", *args],
        input=input.encode(),
        capture_output=True,
        timeout=120,
        env={**os.environ, "NO_COLOR": "1"},
    )
    return proc.returncode, proc.stdout.decode(), proc.stderr.decode()


def test_the_worker_forked_at_start_up_serves_the_batch_and_is_replaced_after_a_runaway(calc):
    batch = f"x^2\nx^^2\n{RUNAWAY}\nsin(x)\nx^3\n"
    code, out, err = _cli("diff", "-", "--order", "12", "--timeout", "1", input=batch)
    inproc = calc("diff", "-", "--order", "12", "--timeout", "1", input=batch)
    assert (code, out, err) == (inproc.exit_code, inproc.stdout, inproc.stderr)
    assert code == ExitCode.USAGE and "line 3: error: timed out after 1 s" in err


def test_a_batch_with_a_usage_error_ends_its_early_worker(calc):
    code, out, err = _cli("grad", "-", "--no-such-option", input="x^2\n")
    assert code == ExitCode.USAGE and out == ""
    assert "No such option" in err or "no such option" in err
