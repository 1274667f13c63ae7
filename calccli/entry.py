"""Console entry point: start the computing child before anything else is imported.

For a one-formula computation the child is forked first thing (this module and
:mod:`calccli.process.forking` import only the standard library's ``os``, ``io`` and
``errno``), so that its SymPy import, the long pole of a cold call, starts at once and
overlaps the parent's own start-up (Typer, option parsing) on a second core; the parent
then sends it the job (see :mod:`calccli.process.child`).  A stdin batch (``-``) likewise
forks its worker first thing, and the parent sends it the formulas one by one (see
:mod:`calccli.process.worker`).  Help, completion and ``--version`` never start one, and a
child the parent turns out not to need (a usage error) is killed.
"""

from __future__ import annotations

import errno
import io
import os
import sys

# The computing commands, :data:`calccli.cli.table.COMMANDS` by name: spelled out here so that
# deciding to fork imports nothing (tests/test_startup.py holds the two equal).  WHOLE_STDIN: the
# commands whose '-' is one input read from all of stdin (a chain program), not a batch.
COMPUTING = frozenset(
    {
        "diff",
        "grad",
        "directional",
        "jacobian",
        "hessian",
        "laplacian",
        "taylor",
        "classify",
        "integrate",
        "chain",
        "matdiff",
        "descend",
        "newton",
        "optimize",
        "eval",
        "simplify",
    }
)

WHOLE_STDIN = frozenset({"chain"})


def wants_early_child(args: list[str], environ: dict[str, str] | os._Environ[str] = os.environ) -> bool:
    """Is this (almost certainly) one computation, so that forking early pays off?

    >>> wants_early_child(["grad", "x^2*y"], {})
    True
    >>> wants_early_child(["grad", "--help"], {}), wants_early_child(["grad", "-"], {})
    (False, False)
    >>> wants_early_child(["chain", "-"], {})
    True
    """
    return (
        bool(args)
        and args[0] in COMPUTING
        and not {"-h", "--help"} & set(args)
        and ("-" not in args or args[0] in WHOLE_STDIN)
        and not any(key.startswith("_CALCCLI_COMPLETE") for key in environ)
    )


def wants_early_worker(args: list[str], environ: dict[str, str] | os._Environ[str] = os.environ) -> bool:
    """Is this (almost certainly) a stdin batch, so that forking its worker early pays off?

    >>> wants_early_worker(["grad", "-", "--wrt", "x,y"], {})
    True
    >>> wants_early_worker(["grad", "-", "--help"], {}), wants_early_worker(["grad", "x^2"], {})
    (False, False)
    """
    return (
        bool(args)
        and args[0] in COMPUTING
        and args[0] not in WHOLE_STDIN
        and "-" in args
        and not {"-h", "--help"} & set(args)
        and not any(key.startswith("_CALCCLI_COMPLETE") for key in environ)
    )


class _ClosedStream(io.TextIOBase):
    """Stands in for a stdout that was closed (``calccli … >&-``): writing to it is an output error."""

    encoding = "utf-8"

    def write(self, s: str) -> int:
        raise OSError(errno.EBADF, os.strerror(errno.EBADF))

    def flush(self) -> None:
        pass


def guard_closed_streams() -> None:
    """Give a closed stdout or stderr a stand-in, so that no later file takes its descriptor.

    A closed stderr (``2>&-``) becomes /dev/null: diagnostics are dropped and nothing else
    changes.  A closed stdout becomes a stream whose writes fail, so that the pipeline reports
    an output error instead of pretending it printed.
    """
    for fd in (1, 2):
        try:
            os.fstat(fd)
            continue
        except OSError:
            pass
        devnull = os.open(os.devnull, os.O_WRONLY)
        if devnull != fd:
            os.dup2(devnull, fd)
            os.close(devnull)
        if fd == 2:
            sys.stderr = open(fd, "w", encoding="utf-8", closefd=False)  # noqa: SIM115 - lives as long as the process
        else:
            sys.stdout = _ClosedStream()


def _serve(batch: bool, job_fd: int, out_fd: int) -> None:  # pragma: no cover - runs in the child
    """The early child: import and warm up, then serve the parent's job (or a batch's jobs)."""
    import gc

    gc.disable()  # until prewarm() has frozen what the imports made: no collection passes over it
    from calccli.cli import pipeline
    from calccli.process import child, worker

    (worker.serve_early if batch else child.serve_one)(pipeline.prewarm, job_fd, out_fd)


def main() -> None:
    guard_closed_streams()
    args = sys.argv[1:]
    early = wants_early_child(args)
    batch = not early and wants_early_worker(args)
    if early or batch:
        from calccli.process.forking import fork_serving

        forked = fork_serving(lambda job_fd, out_fd: _serve(batch, job_fd, out_fd))
        from calccli.process import child, worker

        (worker.adopt if batch else child.adopt)(forked)
    try:
        from calccli.cli.app import main as cli_main

        cli_main()
    finally:
        if early:
            child.discard_prefork()
        elif batch:
            worker.discard_prefork()
