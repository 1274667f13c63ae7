"""A bounded worker: one forked child that serves many jobs, each under its own time limit.

A batch of formulas would pay a fork per formula (about 4 ms each) if every one ran in a
new :func:`calccli.process.child.run`.  A :class:`Worker` instead forks one child that
holds a ``handler`` (it travels by fork, never from outside) and serves jobs one at a
time: the parent writes a job's argument, pickled, on one pipe; the child computes
``handler(argument)`` and writes ``(status, value)`` back, pickled, on the other.  Every
job is still bounded:

* **time**: the parent waits with ``select`` and ``SIGKILL``\\ s the child at the job's
  deadline, as :func:`calccli.process.child.run` does; the next job gets a new child;
* **memory**: the child runs under the same address-space cap as a one-shot child.  A job
  that exceeds it kills only this child, and the next job gets a fresh one (a caller that
  sees a job fail with ``MemoryError`` inside, the child alive, replaces it with :meth:`close`).
  A child that has grown by more than ``max_growth_mb`` since it started is replaced after
  the job that grew it, so that the next job finds (almost) the headroom of a fresh child;
* **result size**: a result over ``max_bytes`` pickled ends the child (TOO_LARGE);
* **state**: a child in which a soft deadline fired (an exception raised from a signal
  handler, anywhere in SymPy) is replaced after that job, so that no job ever sees the
  state a half-finished one left behind.

:func:`prefork` starts a batch's worker before the parent's own start-up work (as
:func:`calccli.process.child.prefork` does for one formula), so that its imports overlap the
parent's on a second core; the first :class:`Worker` adopts it and sends it its handler.

Results are :class:`calccli.process.child.Finished`, with the statuses and meanings of
:func:`calccli.process.child.run`.  :attr:`Worker.fresh` says whether the last job ran in
a child that had served no job before (a caller may retry, in a fresh child, a job that
failed for memory in a used one).  Standard library only.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import struct
import sys
import time
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from calccli.process.child import (
    CRASHED,
    ERROR,
    OK,
    TIMED_OUT,
    TOO_LARGE,
    Finished,
    die_with_parent,
    kill,
    limit_memory,
    write_all,
)
from calccli.process.forking import fork_serving

A = TypeVar("A")
T = TypeVar("T")

_HEADER = struct.Struct("<Q")  # a job: the byte length of the pickle that follows
_RESULT = struct.Struct("<QB")  # a result: the same, and whether the child asks to be replaced
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
GROWTH_MB = 256  # default: replace a child whose address space grew by more than this


def address_space(pid: int | str = "self") -> int | None:
    """Bytes of address space process ``pid`` maps now (Linux ``/proc``), or None where unknown."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as f:
            return int(f.read().split()[0]) * _PAGE
    except (OSError, ValueError, IndexError):
        return None


def _read_exact(fd: int, n: int) -> bytes | None:
    """``n`` bytes from ``fd``; None at end of file (the parent has gone or is done)."""
    parts = []
    while n:
        chunk = os.read(fd, min(n, 1 << 20))
        if not chunk:
            return None
        parts.append(chunk)
        n -= len(chunk)
    return b"".join(parts)


def _alarm_watch() -> int | None:
    """A pipe end on which Python notes every signal it handles here (``signal.set_wakeup_fd``).

    A job's soft deadline (:func:`calccli.process.budget.soft_deadline`) interrupts the work
    with an exception from a ``SIGALRM`` handler, anywhere: SymPy may be left with a cache or
    a lazily built table half made.  A child in which one fired is replaced, so that the next
    job runs exactly as it would in a fresh child.  The handlers themselves are untouched.
    """
    try:
        r, w = os.pipe()
        os.set_blocking(r, False)
        os.set_blocking(w, False)
        signal.set_wakeup_fd(w, warn_on_full_buffer=False)
    except (OSError, ValueError, AttributeError):  # pragma: no cover - not the main thread, or not POSIX
        return None
    return r


def _alarmed(fd: int | None) -> bool:
    """Did a SIGALRM handler run since the last call?  (Drains the watch pipe.)"""
    if fd is None:
        return False
    seen = False
    try:
        while chunk := os.read(fd, 512):
            seen = seen or signal.SIGALRM in chunk
    except BlockingIOError:
        pass
    return seen


def _serve(handler: Callable[[Any], Any], job_fd: int, out_fd: int, memory_mb: int | None) -> None:
    """Body of the worker child: answer jobs until the job pipe closes; never returns."""
    code = 0
    try:
        die_with_parent()
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C ends the child quietly
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
        sys.setrecursionlimit(4_000)  # deeper risks overflowing the C stack (a crash, not an error)
        if hasattr(sys, "set_int_max_str_digits"):
            sys.set_int_max_str_digits(0)
        if memory_mb is not None:
            limit_memory(memory_mb)
        alarms = _alarm_watch()
        while True:
            header = _read_exact(job_fd, _HEADER.size)
            if header is None:
                break
            body = _read_exact(job_fd, _HEADER.unpack(header)[0])
            if body is None:
                break
            # Each job starts as a fresh child would: no timer, no inherited SIGALRM handler
            # (a handler left in place would make the job's own soft deadlines stand aside).
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, signal.SIG_DFL)
            _alarmed(alarms)
            try:
                payload = pickle.dumps((OK, handler(pickle.loads(body))), protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException as e:  # noqa: BLE001 - reported to the parent as an error
                payload = pickle.dumps((ERROR, f"{type(e).__name__}: {e}"[:500]))
            write_all(out_fd, _RESULT.pack(len(payload), _alarmed(alarms)) + payload)
    except BaseException:  # noqa: BLE001 - the parent reports a child that said nothing
        code = 1
    finally:
        os._exit(code)


# In the parent: (pid, job pipe write end, result pipe read end) of a worker forked early.
_EARLY: tuple[int, int, int] | None = None
_READY = b"\x01"  # what an early worker writes once warm


def prefork(warm: Callable[[], None]) -> None:
    """Fork a batch's worker now, before the parent's own start-up work.

    The child runs ``warm`` (imports) while the parent parses options and reads its input,
    says it is ready, then waits for its handler (pickled, by reference to module-level
    functions, from this very process); the first :class:`Worker` to start a child adopts it.
    """
    adopt(fork_serving(lambda job_fd, out_fd: serve_early(warm, job_fd, out_fd)))


def adopt(forked: tuple[int, int, int] | None) -> None:
    """Take ``forked`` (from :func:`calccli.process.forking.fork_serving`, its child running
    :func:`serve_early`) as the child the first :class:`Worker` adopts."""
    global _EARLY
    _EARLY = forked


def serve_early(warm: Callable[[], None], job_fd: int, out_fd: int) -> None:
    try:
        die_with_parent()
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        warm()
        write_all(out_fd, _READY)
        header = _read_exact(job_fd, _HEADER.size)
        body = None if header is None else _read_exact(job_fd, _HEADER.unpack(header)[0])
        if body is None:  # the parent did not need us
            os._exit(0)
        handler, memory_mb = pickle.loads(body)
        _serve(handler, job_fd, out_fd, memory_mb)
    finally:
        os._exit(1)


def discard_prefork() -> None:
    """Kill a worker forked early that no :class:`Worker` adopted (help, usage error)."""
    global _EARLY
    if _EARLY is not None:
        pid, job_fd, out_fd = _EARLY
        _EARLY = None
        os.close(job_fd)
        os.close(out_fd)
        kill(pid)


class Worker(Generic[A, T]):
    """One bounded child serving ``handler(argument)`` jobs, replaced whenever a job ends it.

    The child is the worker forked early by :func:`prefork`, if there is one, or else is
    forked on the first job from this process, after ``warm`` (imports) has run here, so
    that it and every child that replaces it start warm.  :meth:`close` (also on leaving a
    ``with`` block) ends it; it also dies with its parent.
    """

    def __init__(
        self,
        handler: Callable[[A], T],
        *,
        memory_mb: int | None = None,
        max_growth_mb: int = GROWTH_MB,
        warm: Callable[[], None] | None = None,
    ) -> None:
        self.handler = handler
        self.warm = warm
        self.memory_mb = memory_mb
        self.max_growth = max_growth_mb * 1024 * 1024
        self.pid: int | None = None
        self._job_fd = -1
        self._out_fd = -1
        self._base: int | None = None  # the child's address space when it started
        self.served = 0  # jobs the current child has answered
        self.started = 0  # children forked so far
        self.fresh = True  # did the last job run in a child that had served no job before?
        self.retired = 0  # children replaced because a soft deadline fired in them

    def __enter__(self) -> Worker[A, T]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        self.close()

    def _spawn(self) -> None:
        global _EARLY
        if _EARLY is not None and self.started == 0:
            early, _EARLY = _EARLY, None
            if self._adopt(*early):
                return
        if self.warm is not None:
            self.warm()
        sys.stdout.flush()
        sys.stderr.flush()
        job_r, job_w = os.pipe()
        out_r, out_w = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child
            os.close(job_w)
            os.close(out_r)
            _serve(self.handler, job_r, out_w, self.memory_mb)
        os.close(job_r)
        os.close(out_w)
        self.pid, self._job_fd, self._out_fd = pid, job_w, out_r
        self._base = address_space()  # the child is a copy of this process
        self.served = 0
        self.started += 1

    def _adopt(self, pid: int, job_fd: int, out_fd: int) -> bool:
        """Take over the worker forked early, once it is warm (its warm-up is no job's time)."""
        try:
            ready = os.read(out_fd, len(_READY)) == _READY
            if ready:
                handler = pickle.dumps((self.handler, self.memory_mb), protocol=pickle.HIGHEST_PROTOCOL)
                write_all(job_fd, _HEADER.pack(len(handler)) + handler)
        except (OSError, pickle.PicklingError, AttributeError, TypeError):
            ready = False
        if not ready:  # it died, or the handler cannot travel: fork one here instead
            os.close(job_fd)
            os.close(out_fd)
            kill(pid)
            return False
        self.pid, self._job_fd, self._out_fd = pid, job_fd, out_fd
        self._base = None  # measured after its first job (this process is not warm)
        self.served = 0
        self.started += 1
        return True

    def close(self) -> None:
        """End the child (if one is running) and reap it."""
        pid, self.pid = self.pid, None
        if pid is None:
            return
        for fd in (self._job_fd, self._out_fd):
            try:
                os.close(fd)
            except OSError:
                pass
        kill(pid)

    def _reap(self) -> int | None:
        """Reap a child whose result pipe reached end of file: the signal that ended it, if one did."""
        pid, self.pid = self.pid, None
        os.close(self._job_fd)
        os.close(self._out_fd)
        status = 0
        try:
            _, status = os.waitpid(pid, 0)  # type: ignore[arg-type]
        except ChildProcessError:
            pass
        return os.WTERMSIG(status) if os.WIFSIGNALED(status) else None

    def run(self, argument: A, *, seconds: float, max_bytes: int | None = None) -> Finished[T]:
        """``handler(argument)`` in the child under ``seconds`` of wall time and ``max_bytes`` of result.

        >>> def double(n): return 2 * n
        >>> with Worker(double, memory_mb=2048) as w:
        ...     [w.run(n, seconds=5).result for n in (1, 2, 3)], w.started
        ([2, 4, 6], 1)
        """
        job = pickle.dumps(argument, protocol=pickle.HIGHEST_PROTOCOL)
        if self.pid is None:
            self._spawn()
        fresh = self.served == 0
        started = time.monotonic()
        try:
            write_all(self._job_fd, _HEADER.pack(len(job)) + job)
        except BrokenPipeError:  # the child died between jobs (killed from outside): once more, fresh
            self._reap()
            self._spawn()
            fresh = True
            write_all(self._job_fd, _HEADER.pack(len(job)) + job)
        self.fresh = fresh
        done = self._wait(started, started + seconds, max_bytes)
        if self.pid is not None:
            self.served += 1
            grown = address_space(self.pid)
            if self._base is None:
                self._base = grown
            elif grown is not None and grown - self._base > self.max_growth:
                self.close()  # the next job starts in a fresh child
        return done

    def _wait(self, started: float, deadline: float, max_bytes: int | None) -> Finished[T]:
        buffer = bytearray()
        need: int | None = None
        retire = 0
        try:
            while need is None or len(buffer) < _RESULT.size + need:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    self.close()
                    return Finished("job", None, TIMED_OUT, time.monotonic() - started)
                if not select.select([self._out_fd], [], [], remaining)[0]:
                    continue
                chunk = os.read(self._out_fd, 1 << 16)
                if not chunk:  # the child died without (all of) its answer
                    sig = self._reap()
                    return Finished("job", None, CRASHED, time.monotonic() - started, signal=sig)
                buffer += chunk
                if need is None and len(buffer) >= _RESULT.size:
                    need, retire = _RESULT.unpack_from(buffer)
                    if max_bytes is not None and need > max_bytes:
                        self.close()
                        return Finished("job", None, TOO_LARGE, time.monotonic() - started)
        except BaseException:
            self.close()
            raise
        elapsed = time.monotonic() - started
        if retire:  # a soft deadline fired in the child: the next job gets a fresh one
            self.retired += 1
            self.close()
        try:
            outcome, value = pickle.loads(bytes(buffer[_RESULT.size :]))
        except Exception:  # noqa: BLE001 - garbage came back: do not trust this child again
            self.close()
            return Finished("job", None, CRASHED, elapsed)
        if outcome == OK:
            return Finished("job", value, OK, elapsed)
        return Finished("job", None, ERROR, elapsed, str(value))


__all__ = ["GROWTH_MB", "Worker", "address_space", "discard_prefork", "prefork"]
