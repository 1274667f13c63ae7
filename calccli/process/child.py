"""Bounded execution: every computation runs in a forked child with hard limits.

The parent forks, the child parses, computes and renders, then sends its
output back through a pipe.  The parent enforces the wall-time limit with a
``SIGKILL`` (which, unlike ``signal.alarm``, also stops C-level work such as a
runaway big-integer operation), and the child caps its own address space so
that memory blow-ups fail inside it.  Parsing happens in the child too: building
a SymPy expression can already be the expensive part.

A parent may import SymPy before forking (:func:`prewarm`); its children then
start warm.  ``calccli grad - < formulas.txt`` does that, and a long-lived
parent serving many calls could do the same.
"""

from __future__ import annotations

import json
import os
import select
import signal
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import asdict, dataclass

from calccli import limits
from calccli.errors import CalcError, ExitCode, InputLimitError, InternalError, ResourceError


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one computation prints and how it exits."""

    out: str
    err: str
    code: int


ErrorHandler = Callable[[CalcError], Outcome]

# In the parent: (pid, job pipe write end, result pipe read end) of a child forked early.
_PREFORKED: tuple[int, int, int] | None = None


def die_with_parent() -> None:
    """Ask Linux to SIGKILL this child if the parent dies, so no computation outlives calccli."""
    try:
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        pass


def prefork() -> None:
    """Fork the computing child now, before the parent's own start-up work.

    The child imports SymPy while the parent parses options (two cores), then
    waits for its job on a pipe; :func:`run` sends it instead of forking anew.
    The job is pickled by reference to module-level functions of calccli: it
    travels from this process to its own child, never from outside.
    """
    global _PREFORKED
    try:
        job_r, job_w = os.pipe()
        out_r, out_w = os.pipe()
        pid = os.fork()
    except OSError:  # no fork now (process limit): run() forks later, as usual
        return
    if pid == 0:  # pragma: no cover - runs in the child
        os.close(job_w)
        os.close(out_r)
        _serve_one(job_r, out_w)
    os.close(job_r)
    os.close(out_w)
    _PREFORKED = (pid, job_w, out_r)


def _serve_one(job_fd: int, out_fd: int) -> None:
    try:
        die_with_parent()
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        prewarm()
        chunks = []
        while chunk := os.read(job_fd, 1 << 16):
            chunks.append(chunk)
        if not chunks:  # the parent did not need us
            os._exit(0)
        import pickle

        job, on_error, memory_mb = pickle.loads(b"".join(chunks))
        _child(job, on_error, memory_mb, out_fd)
    finally:
        os._exit(1)


def discard_prefork() -> None:
    """Kill a pre-forked child the parent did not need (help, usage error)."""
    global _PREFORKED
    if _PREFORKED is not None:
        pid, job_fd, out_fd = _PREFORKED
        _PREFORKED = None
        os.close(job_fd)
        os.close(out_fd)
        kill(pid)


def prewarm() -> None:
    """Import the heavy modules once so that each forked child starts warm."""
    import sympy  # noqa: F401

    import calccli.calculus.differential  # noqa: F401
    import calccli.formula.grammar  # noqa: F401
    import calccli.results  # noqa: F401


def limit_memory(megabytes: int) -> None:
    """Cap this process's address space at ``megabytes``, never loosening a limit already in force."""
    try:
        import resource

        cap = megabytes * 1024 * 1024
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        for existing in (soft, hard):
            if existing != resource.RLIM_INFINITY:
                cap = min(cap, existing)
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    except (ImportError, ValueError, OSError):  # pragma: no cover - non-POSIX
        pass


def guarded(job: Callable[[], Outcome], on_error: ErrorHandler, memory_mb: int) -> Outcome:
    """Run ``job``, turning every exception into an :class:`Outcome`."""
    try:
        return job()
    except CalcError as e:
        return on_error(e)
    except MemoryError:
        return on_error(ResourceError(f"memory limit reached ({memory_mb} MiB; raise it with --max-memory)"))
    except RecursionError:
        return on_error(InputLimitError("the expression is too deeply nested to work with"))
    except Exception as e:  # a bug: report it as one line, never a traceback
        if os.environ.get("CALCCLI_DEBUG"):
            traceback.print_exc()
        return on_error(InternalError(f"internal error ({type(e).__name__}: {e}); please report it"))


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def _child(job: Callable[[], Outcome], on_error: ErrorHandler, memory_mb: int, fd: int) -> None:
    """Body of the forked child; never returns."""
    code = 0
    try:
        die_with_parent()
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C ends the child quietly
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
        sys.setrecursionlimit(4_000)  # deeper risks overflowing the C stack (a crash, not an error)
        if hasattr(sys, "set_int_max_str_digits"):
            sys.set_int_max_str_digits(0)
        limit_memory(memory_mb)
        outcome = guarded(job, on_error, memory_mb)
        write_all(fd, json.dumps(asdict(outcome)).encode())
    except BaseException:  # noqa: BLE001 - the parent reports a child that said nothing
        code = 1
    finally:
        os._exit(code)


def kill(pid: int) -> None:
    """SIGKILL a child and reap it (it may already be gone)."""
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass


def run(job: Callable[[], Outcome], on_error: ErrorHandler, *, timeout: float, memory_mb: int) -> Outcome:
    """Run ``job`` in a child process under ``timeout`` seconds and ``memory_mb``."""
    global _PREFORKED
    sys.stdout.flush()
    sys.stderr.flush()
    if _PREFORKED is not None:
        import pickle

        (pid, job_fd, read_fd), _PREFORKED = _PREFORKED, None
        try:
            write_all(job_fd, pickle.dumps((job, on_error, memory_mb)))
        finally:
            os.close(job_fd)
    else:
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child's coverage is not collected
            os.close(read_fd)
            _child(job, on_error, memory_mb, write_fd)
        os.close(write_fd)
    deadline = time.monotonic() + timeout
    chunks: list[bytes] = []
    size = 0
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                kill(pid)
                return on_error(ResourceError(f"timed out after {timeout:g} s (raise the limit with --timeout)"))
            ready, _, _ = select.select([read_fd], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(read_fd, 1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > limits.MAX_OUTPUT_BYTES:
                kill(pid)
                return on_error(ResourceError("the result is too large to print"))
    except BaseException:
        kill(pid)
        raise
    finally:
        os.close(read_fd)
    _, status = os.waitpid(pid, 0)
    try:
        data = json.loads(b"".join(chunks))
        return Outcome(str(data["out"]), str(data["err"]), int(data["code"]))
    except (ValueError, KeyError, TypeError):
        pass
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        return on_error(ResourceError(
            f"the computation was stopped by signal {sig} (most likely the memory limit, "
            f"{memory_mb} MiB; raise it with --max-memory)"
        ))
    return on_error(ResourceError(f"the computation ended without a result (memory limit {memory_mb} MiB?)"))


__all__ = ["ExitCode", "Outcome", "die_with_parent", "discard_prefork", "guarded", "kill", "limit_memory",
           "prefork", "prewarm", "run", "write_all"]
