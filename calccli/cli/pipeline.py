"""The pipeline: one :class:`Request` through parse, compute, homework and render, bounded.

::

    run(request)                                   parent: read stdin, every formula bounded
      ├─ child.run(answer, timeout, memory)        process: fork, limits, SIGKILL at the deadline
      └─ Worker(answer).run(text, timeout)         a ``-`` batch: one bounded child serves formula
                                                   after formula, replaced when one ends it
           └─ answer(request, text)                child: the four stages, errors to one line
                ├─ parse     table row: text and options -> a bound engine call (formula/)
                ├─ compute   the engine call with the computation's Budget (calculus/, integration/)
                ├─ homework  --check verdict and --steps worked solution (homework/)
                └─ render    result -> stdout and stderr text in the chosen format (render/)

The parent writes what the child rendered and returns the exit code.  Only the parent
touches the real stdout; only :func:`answer` turns exceptions into messages.
"""

from __future__ import annotations

import os
import sys
import traceback
from dataclasses import dataclass
from functools import partial
from typing import Any

from calccli import limits
from calccli.cli import output
from calccli.cli.request import Request
from calccli.cli.table import COMMANDS, OPTION_SPELLING
from calccli.errors import (
    ArgumentError,
    CalcError,
    ExitCode,
    InputLimitError,
    InternalError,
    MathError,
    ResourceError,
    UndeterminedError,
    UsageError,
    describe,
)
from calccli.process import child
from calccli.process.budget import SIMPLIFY_TOTAL_SECONDS, Budget
from calccli.process.worker import Worker
from calccli.render import Format, render, resolve
from calccli.render.terminal import Terminal


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one formula's answer prints and how it exits."""

    out: str
    err: str
    code: int


# --------------------------------------------------------------------------- parent


def run(request: Request) -> int:
    """Answer every formula of ``request`` under its limits; the exit code of the first failure, else 0.

    A reader that leaves early (``| head -1``) changes nothing but the output: the remaining
    formulas are still answered, so the exit status is the one the whole output would have had.
    A failure to write stdout otherwise (a full disk) is :attr:`ExitCode.OUTPUT`.
    """
    streams = output.Streams(sys.stdout, sys.stderr)
    terminal = Terminal.detect(sys.stdout, request.no_color)
    fmt = resolve(request.fmt, terminal)
    whole = request.formula == "-" and COMMANDS[request.command].whole_stdin
    batch = request.formula == "-" and not whole
    lines = read_numbered() if batch else [(0, read_whole() if whole else request.formula)]
    worker = None
    if batch:
        # The worker forked early (entry.py) warms itself; a worker forked here, or one that
        # replaces it, is forked after prewarm() so that it starts warm.
        handler = partial(answer, request, fmt=fmt, terminal=terminal)
        worker = Worker(handler, memory_mb=request.memory_mb, warm=prewarm)
    first_failure = 0
    try:
        for i, (number, text) in enumerate(lines):
            outcome = bounded(request, text, fmt, terminal, worker)
            if batch:
                outcome = in_batch(outcome, number, text, fmt, first=i == 0)
            streams.write(outcome.out)
            streams.note(outcome.err)
            if outcome.code and not first_failure:
                first_failure = outcome.code
    finally:
        if worker is not None:
            worker.close()
    if streams.failure is not None:
        streams.report()
        return int(ExitCode.OUTPUT)
    return first_failure


def in_batch(outcome: Outcome, number: int, text: str, fmt: Format, first: bool) -> Outcome:
    r"""One answer of a ``-`` batch: results apart, each under its formula; messages name the input line.

    Text opens each result with ``==> formula <==`` (the formula as typed, also when it failed) and
    LaTeX with a ``% formula`` comment; a blank line separates results.  JSON stays one object per line.

    >>> o = in_batch(Outcome("2*x\n", "calccli: note: n\n", 0), 3, "x^2", Format.TEXT, first=False)
    >>> print(o.out + o.err, end="")
    <BLANKLINE>
    ==> x^2 <==
    2*x
    calccli: line 3: note: n
    """
    err = "".join(
        f"calccli: line {number}: {line[len('calccli: ') :]}" if line.startswith("calccli: ") else line
        for line in outcome.err.splitlines(keepends=True)
    )
    if fmt is Format.JSON:
        return Outcome(outcome.out, err, outcome.code)
    one_line = " ".join(text.split())
    head = {Format.TEXT: f"==> {one_line} <==\n", Format.LATEX: f"% {one_line}\n"}.get(fmt, "")
    return Outcome(("" if first else "\n") + head + outcome.out, err, outcome.code)


def bounded(
    request: Request, text: str, fmt: Format, terminal: Terminal, worker: Worker[str, Outcome] | None = None
) -> Outcome:
    """:func:`answer` in a bounded child; a child that is killed or dies still yields one clean line.

    With a ``worker`` (a batch) the formula runs in the worker's child, under the same limits.
    A formula that fails for memory in a child that had served formulas before is answered
    again in a fresh child (with its full time limit), so that it gets exactly the headroom
    a formula of its own would have had; a child that failed for memory is never reused.
    """
    if worker is None:
        done = child.run(
            partial(answer, request, text, fmt, terminal),
            seconds=request.timeout,
            memory_mb=request.memory_mb,
            max_bytes=limits.MAX_OUTPUT_BYTES,
        )
    else:
        done = worker.run(text, seconds=request.timeout, max_bytes=limits.MAX_OUTPUT_BYTES)
        if memory_failure(done):
            worker.close()
            if not worker.fresh:
                done = worker.run(text, seconds=request.timeout, max_bytes=limits.MAX_OUTPUT_BYTES)
                if memory_failure(done):
                    worker.close()
    if done.status == child.OK and isinstance(done.result, Outcome):
        return done.result
    mib = request.memory_mb
    if done.status == child.TIMED_OUT:
        error: CalcError = ResourceError(f"timed out after {request.timeout:g} s (raise the limit with --timeout)")
    elif done.status == child.TOO_LARGE:
        error = ResourceError("the result is too large to print")
    elif done.status == child.ERROR:  # answer() turns every exception into an Outcome: this is a bug
        error = InternalError(f"internal error ({done.detail}); please report it")
    elif done.signal is not None:
        error = ResourceError(
            f"the computation was stopped by signal {done.signal} (most likely the memory "
            f"limit, {mib} MiB; raise it with --max-memory)"
        )
    else:
        error = ResourceError(f"the computation ended without a result (memory limit {mib} MiB?)")
    return failure(request, text, fmt, error)


def memory_failure(done: child.Finished[Any]) -> bool:
    """Did a formula end for memory: its child died of a signal, or it raised MemoryError inside?"""
    if done.status == child.CRASHED:
        return True
    return done.status == child.OK and isinstance(done.result, Outcome) and done.result.code == ExitCode.RESOURCE


def prewarm() -> None:
    """Import the heavy modules once so that each forked child starts warm.

    The garbage collector stays off while they load (they make a few hundred thousand objects,
    none of them garbage: collecting would only walk them, about a tenth of SymPy's import
    time), and what they made is then frozen out of every later collection.
    """
    import gc

    gc.disable()
    try:
        import sympy  # noqa: F401

        import calccli.calculus.differential  # noqa: F401
        import calccli.formula.grammar  # noqa: F401
        import calccli.results  # noqa: F401
    finally:
        gc.freeze()
        gc.enable()


def read_stdin(stream: Any = None) -> list[str]:
    """Formulas from stdin, one per line; blank lines and ``#`` comments are skipped."""
    return [text for _, text in read_numbered(stream)]


def read_numbered(stream: Any = None) -> list[tuple[int, str]]:
    r"""Formulas from stdin with their line numbers (from 1); blank lines and ``#`` comments are skipped.

    >>> import io
    >>> read_numbered(io.StringIO("x^2\n\n# note\nsin(x)\n"))
    [(1, 'x^2'), (4, 'sin(x)')]
    """
    text = read_whole(stream)
    return [
        (n, line.strip())
        for n, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]


def read_whole(stream: Any = None) -> str:
    """All of stdin as one text (a chain program), within the documented input limit."""
    buffer = getattr(stream or sys.stdin, "buffer", None)
    data = buffer.read(limits.MAX_STDIN_BYTES + 1) if buffer else (stream or sys.stdin).read().encode()
    if len(data) > limits.MAX_STDIN_BYTES:
        raise InputLimitError(f"standard input is larger than {limits.MAX_STDIN_BYTES // 2**20} MiB")
    try:
        text = data.decode("utf-8", errors="strict")
    except UnicodeDecodeError as e:
        raise UsageError(f"standard input is not valid UTF-8 (byte {e.start})") from None
    return text


# --------------------------------------------------------------------------- child


def answer(request: Request, text: str, fmt: Format, terminal: Terminal) -> Outcome:
    """One formula through the stages; every exception becomes an :class:`Outcome` (runs in the child)."""
    try:
        result = solve(request, text)
        out, err = render(result, fmt, terminal, request.command, request.echo(text))
        return Outcome(out, err, int(getattr(result, "exit_code", 0)))
    except ArgumentError as e:  # the engine names its argument; the user typed an option
        return failure(request, text, fmt, e.worded(OPTION_SPELLING))
    except CalcError as e:
        return failure(request, text, fmt, e)
    except MemoryError:
        return failure(
            request,
            text,
            fmt,
            ResourceError(f"memory limit reached ({request.memory_mb} MiB; raise it with --max-memory)"),
        )
    except RecursionError:
        return failure(request, text, fmt, InputLimitError("the expression is too deeply nested to work with"))
    except Exception as e:  # a bug: report it as one line, never a traceback
        if os.environ.get("CALCCLI_DEBUG"):
            traceback.print_exc()
        return failure(request, text, fmt, InternalError(f"internal error ({type(e).__name__}: {e}); please report it"))


def solve(request: Request, text: str) -> Any:
    """Parse, compute and (when asked) grade and explain: the result object the renderers take."""
    command = COMMANDS[request.command]
    share = command.simplify_share
    simplify = SIMPLIFY_TOTAL_SECONDS if share is None else min(SIMPLIFY_TOTAL_SECONDS, share * request.timeout)
    budget = Budget(request.timeout, simplify_seconds=simplify)
    call = command.parse(text, request)
    try:
        result = call(budget=budget)
    except MathError as e:
        if request.check is None:
            raise
        # A grading script must not read "calccli found no answer" as "the student is wrong".
        raise UndeterminedError(f"cannot check the answer: {e.message}") from None
    if request.check is None and not request.steps:
        return result
    return homework(result, request, budget)


def homework(result: Any, request: Request, budget: Budget) -> Any:
    """The homework companion: a verdict on the user's answer (--check) and the worked solution (--steps)."""
    from calccli.formula import answer as answers
    from calccli.homework import explain, grade
    from calccli.results import CriticalPoints, Explained, MatrixDerivativeResult

    worked, note = explain.worked(result, budget) if request.steps else (None, None)
    verdict = None
    if request.check is not None:  # the answer is parsed here, like the formula: the engine gets SymPy objects
        given: Any
        if isinstance(result, CriticalPoints):
            given = answers.critical_points(request.check, result.variables)
        elif isinstance(result, MatrixDerivativeResult):  # an answer in matrix notation, in the formula's shapes
            from calccli.formula import matrix_grammar

            given = matrix_grammar.parse(request.check, {v.name: v.shape for v in result.variables})
        else:
            given = answers.value(request.check, grade.names(result))
        verdict = grade.grade(result, given, request.tol, budget)
    return Explained(result, verdict, worked if request.steps else None, note)


def failure(request: Request, text: str, fmt: Format, e: CalcError) -> Outcome:
    """An error as one line on stderr (and, in JSON mode, a calccli.error object on stdout)."""
    out = ""
    if fmt is Format.JSON:
        from calccli.render import json_out

        out = json_out.error(request.command, request.echo(text), int(e.code), e.kind, e.message, e.details())
    return Outcome(out, describe(e), int(e.code))
