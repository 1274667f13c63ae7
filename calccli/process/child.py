"""A bounded child: run a function in a forked process under a time and a memory limit.

Every computation runs this way.  The parent forks; the child caps its own address space,
runs the function and sends ``(status, value)`` back pickled over a pipe; the parent waits
with ``select`` and ends the child with ``SIGKILL`` at its time limit, which, unlike
``signal.alarm``, also stops C-level work such as a runaway big-integer operation.  The
function travels by fork (or, for a pre-forked child, pickled by reference to module-level
functions over a pipe from this very process), never from outside.

:func:`run` runs one function; :mod:`calccli.process.race` runs several.  :func:`prefork`
(or :func:`adopt`, for a child the entry point forked itself) starts the child of a one-shot
call before the parent's own start-up work, so that its imports overlap the parent's on a
second core.

Standard library only.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from calccli.process.forking import fork_serving

T = TypeVar("T")

# How a child ended.
OK = "ok"  # the function returned (its result may still be None)
TIMED_OUT = "timed out"  # killed at its time limit
ERROR = "error"  # the function raised an exception (detail: its type and message)
CRASHED = "crashed"  # the child died without a result (memory limit, a signal, an unpicklable result)
TOO_LARGE = "too large"  # killed because its result grew past the byte limit


@dataclass(frozen=True)
class Finished(Generic[T]):
    """One child's end: its ``result`` (None unless ``status`` is OK), how long it took, and why it ended."""

    name: str
    result: T | None
    status: str
    seconds: float
    detail: str = ""
    signal: int | None = None  # the signal that ended a crashed child, if one did


@dataclass
class Running:
    """A child at work: its pid, the read end of its result pipe and its deadline."""

    name: str
    pid: int
    fd: int
    started: float
    deadline: float
    chunks: list[bytes]
    size: int = 0


def die_with_parent() -> None:
    """Ask Linux to SIGKILL this child if the parent dies, so no computation outlives calccli."""
    try:
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        pass


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


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


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


def child_main(fn: Callable[[], Any], fd: int, memory_mb: int | None) -> None:
    """Body of a forked child: run ``fn``, send ``(status, value)`` pickled on ``fd``; never returns."""
    code = 0
    try:
        die_with_parent()
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C ends the child quietly
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
        # A SIGALRM handler inherited from a parent inside a soft deadline would make the
        # child's own soft deadlines stand aside; the parent's timer is not inherited.
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
        sys.setrecursionlimit(4_000)  # deeper risks overflowing the C stack (a crash, not an error)
        if hasattr(sys, "set_int_max_str_digits"):
            sys.set_int_max_str_digits(0)
        if memory_mb is not None:
            limit_memory(memory_mb)
        try:
            payload = pickle.dumps((OK, fn()), protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException as e:  # noqa: BLE001 - reported to the parent as an error
            payload = pickle.dumps((ERROR, f"{type(e).__name__}: {e}"[:500]))
        write_all(fd, payload)
    except BaseException:  # noqa: BLE001 - the parent reports a child that said nothing
        code = 1
    finally:
        os._exit(code)


def spawn(name: str, fn: Callable[[], Any], seconds: float, memory_mb: int | None) -> Running:
    """Fork a child running ``fn`` with ``seconds`` to live."""
    sys.stdout.flush()
    sys.stderr.flush()
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child's coverage is not collected
        os.close(r)
        child_main(fn, w, memory_mb)
    os.close(w)
    now = time.monotonic()
    return Running(name, pid, r, now, now + seconds, [])


def finish(job: Running) -> Finished[Any]:
    """The result of a child whose pipe reached end of file."""
    os.close(job.fd)
    status = 0
    try:
        _, status = os.waitpid(job.pid, 0)
    except ChildProcessError:
        pass
    elapsed = time.monotonic() - job.started
    try:
        outcome, value = pickle.loads(b"".join(job.chunks))
    except Exception:  # noqa: BLE001 - nothing (or garbage) came back
        sig = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
        return Finished(job.name, None, CRASHED, elapsed, signal=sig)
    if outcome == OK:
        return Finished(job.name, value, OK, elapsed)
    return Finished(job.name, None, ERROR, elapsed, str(value))


def read(job: Running, max_bytes: int | None) -> bool:
    """Read what the child has sent; False once its pipe is at end of file (or it sent too much)."""
    chunk = os.read(job.fd, 1 << 16)
    if not chunk:
        return False
    job.chunks.append(chunk)
    job.size += len(chunk)
    return max_bytes is None or job.size <= max_bytes


# --------------------------------------------------------------------------- one child


# In the parent: (pid, job pipe write end, result pipe read end) of a child forked early.
_PREFORKED: tuple[int, int, int] | None = None


def prefork(warm: Callable[[], None]) -> None:
    """Fork the computing child now, before the parent's own start-up work.

    The child runs ``warm`` (imports) while the parent parses options, then waits for its
    function on a pipe; :func:`run` sends it instead of forking anew.
    """
    adopt(fork_serving(lambda job_fd, out_fd: serve_one(warm, job_fd, out_fd)))


def adopt(forked: tuple[int, int, int] | None) -> None:
    """Take ``forked`` (from :func:`calccli.process.forking.fork_serving`, its child running
    :func:`serve_one`) as the child :func:`run` hands its function to."""
    global _PREFORKED
    _PREFORKED = forked


def serve_one(warm: Callable[[], None], job_fd: int, out_fd: int) -> None:
    try:
        die_with_parent()
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        warm()
        chunks = []
        while chunk := os.read(job_fd, 1 << 16):
            chunks.append(chunk)
        if not chunks:  # the parent did not need us
            os._exit(0)
        fn, memory_mb = pickle.loads(b"".join(chunks))
        child_main(fn, out_fd, memory_mb)
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


def _start(fn: Callable[[], Any], seconds: float, memory_mb: int) -> Running:
    """The pre-forked child, handed ``fn``, if there is one; else a new child."""
    global _PREFORKED
    if _PREFORKED is None:
        return spawn("run", fn, seconds, memory_mb)
    sys.stdout.flush()
    sys.stderr.flush()
    (pid, job_fd, read_fd), _PREFORKED = _PREFORKED, None
    try:
        write_all(job_fd, pickle.dumps((fn, memory_mb)))
    finally:
        os.close(job_fd)
    now = time.monotonic()
    return Running("run", pid, read_fd, now, now + seconds, [])


def run(fn: Callable[[], T], *, seconds: float, memory_mb: int, max_bytes: int | None = None) -> Finished[T]:
    """``fn()`` in a child under ``seconds`` of wall time, ``memory_mb`` of memory and ``max_bytes`` of result.

    >>> run(lambda: 6 * 7, seconds=5, memory_mb=2048).result
    42
    >>> run(lambda: 1 / 0, seconds=5, memory_mb=2048).status
    'error'
    """
    job = _start(fn, seconds, memory_mb)
    try:
        while True:
            remaining = job.deadline - time.monotonic()
            if remaining <= 0:
                kill(job.pid)
                os.close(job.fd)
                return Finished(job.name, None, TIMED_OUT, time.monotonic() - job.started)
            if not select.select([job.fd], [], [], remaining)[0]:
                continue
            if not read(job, max_bytes):
                if max_bytes is not None and job.size > max_bytes:
                    kill(job.pid)
                    os.close(job.fd)
                    return Finished(job.name, None, TOO_LARGE, time.monotonic() - job.started)
                break
    except BaseException:
        kill(job.pid)
        os.close(job.fd)
        raise
    return finish(job)


__all__ = [
    "CRASHED",
    "ERROR",
    "OK",
    "TIMED_OUT",
    "TOO_LARGE",
    "Finished",
    "Running",
    "child_main",
    "die_with_parent",
    "discard_prefork",
    "finish",
    "kill",
    "limit_memory",
    "prefork",
    "read",
    "run",
    "spawn",
    "write_all",
]
