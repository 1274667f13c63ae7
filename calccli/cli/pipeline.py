"""One command invocation: read the formula(s), run each bounded, write the output.

The CLI hands this module a ``compute`` function (text -> result object); here
it is wrapped in a forked, time- and memory-limited child, rendered there, and
the text is written here.  Standard library only until a child needs more.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial

from calccli import limits
from calccli.errors import CalcError, InputLimitError, UsageError, describe
from calccli.process import child as runner
from calccli.render import Format, Result, render, resolve
from calccli.render.terminal import Terminal


@dataclass(frozen=True, slots=True)
class Settings:
    fmt: Format
    no_color: bool
    timeout: float
    memory_mb: int


def read_stdin(stream: object = None) -> list[str]:
    """Formulas from stdin, one per line; blank lines and ``#`` comments are skipped."""
    buffer = getattr(stream or sys.stdin, "buffer", None)
    data = buffer.read(limits.MAX_STDIN_BYTES + 1) if buffer else (stream or sys.stdin).read().encode()
    if len(data) > limits.MAX_STDIN_BYTES:
        raise InputLimitError(f"standard input is larger than {limits.MAX_STDIN_BYTES // 2**20} MiB")
    try:
        text = data.decode("utf-8", errors="strict")
    except UnicodeDecodeError as e:
        raise UsageError(f"standard input is not valid UTF-8 (byte {e.start})") from None
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def _texts(formula_arg: str) -> tuple[list[str], bool]:
    if formula_arg == "-":
        return read_stdin(), True
    return [formula_arg], False


def write(text: str, stream: object) -> None:
    if text:
        stream.write(text)  # type: ignore[attr-defined]
        stream.flush()  # type: ignore[attr-defined]


def execute(
    command: str,
    formula_arg: str,
    compute: Callable[[str], Result],
    settings: Settings,
    inputs: dict[str, object],
) -> int:
    """Run ``compute`` on each formula under the limits; return the exit code.

    The exit code is 0 when every formula succeeded, else the first failure's.
    """
    terminal = Terminal.detect(sys.stdout, settings.no_color)
    fmt = resolve(settings.fmt, terminal)
    texts, batch = _texts(formula_arg)
    if batch:
        runner.prewarm()
    first_failure = 0
    for outcome in _outcomes(command, texts, compute, settings, fmt, terminal, inputs):
        try:
            write(outcome.out, sys.stdout)
        except BrokenPipeError:  # `calccli ... | head -1`: the reader has gone; stop quietly
            _silence(sys.stdout)
            return first_failure
        write(outcome.err, sys.stderr)
        if outcome.code and not first_failure:
            first_failure = outcome.code
    return first_failure


def _silence(stream: object) -> None:
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())  # type: ignore[attr-defined]
    except (OSError, ValueError, AttributeError):
        pass


def _outcomes(
    command: str,
    texts: list[str],
    compute: Callable[[str], Result],
    settings: Settings,
    fmt: Format,
    terminal: Terminal,
    inputs: dict[str, object],
) -> Iterator[runner.Outcome]:
    for text in texts:
        shown = {"formula": text, **inputs}
        job = partial(_job, compute, text, fmt, terminal, command, shown)
        on_error = partial(_on_error, command, shown, fmt)
        yield runner.run(job, on_error, timeout=settings.timeout, memory_mb=settings.memory_mb)


# Module-level (picklable) so that a job can go to a child that is already running.
def _job(
    compute: Callable[[str], Result], text: str, fmt: Format, terminal: Terminal, command: str,
    shown: dict[str, object],
) -> runner.Outcome:
    result = compute(text)
    out, err = render(result, fmt, terminal, command, shown)
    return runner.Outcome(out, err, int(getattr(result, "exit_code", 0)))


def _on_error(command: str, shown: dict[str, object], fmt: Format, e: CalcError) -> runner.Outcome:
    out = ""
    if fmt is Format.JSON:
        from calccli.render import json_out

        out = json_out.error(command, shown, int(e.code), e.kind, e.message, e.details())
    return runner.Outcome(out, describe(e), int(e.code))
