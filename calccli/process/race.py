"""A race of bounded children: several attempts at one computation, the first good answer wins.

SymPy's integrators can hang (in Python loops or in C-level big-integer arithmetic), so
an attempt that may be slow runs in a child process (:mod:`calccli.process.child`), which
a ``SIGKILL`` stops for sure; a ``SIGALRM`` would not.  A child of a SymPy-warm process
starts warm (a fork costs about 4 ms).  Standard library only.

:func:`bounded` runs one function; :func:`race` runs several, at most ``parallel`` at a
time, and hands each result over as it arrives, so that the caller can stop at the first
acceptable one.  No child ever outlives the call that started it: children are killed
and reaped on return, on exception and when a :func:`race` iterator is closed, and every
child asks Linux to kill it if its parent dies.
"""

from __future__ import annotations

import math
import os
import select
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from typing import Generic, TypeVar

from calccli.process.child import CRASHED, ERROR, OK, TIMED_OUT, Finished, Running, finish, kill, read, spawn

T = TypeVar("T")


class Race(Generic[T]):
    """Tasks run in forked children, at most ``parallel`` at a time, in the order given.

    A task is ``(name, fn)`` or ``(name, fn, limit)``: it is killed after its own ``limit``
    seconds or when the race has run ``seconds``, whichever is first.  Iterating yields a
    :class:`Finished` for every task as it ends (tasks never started because the time ran
    out are not reported).  :meth:`close` (also on leaving a ``with`` block, on an
    exception inside the iteration, and on garbage collection) kills the children still
    running.  :meth:`shorten` brings the end of the race forward, for a caller that holds
    an answer and will wait only a little longer for a better one.
    """

    def __init__(
        self,
        tasks: Sequence[tuple[str, Callable[[], T | None]] | tuple[str, Callable[[], T | None], float]],
        seconds: float,
        parallel: int = 2,
        *,
        memory_mb: int | None = None,
    ) -> None:
        self.end = time.monotonic() + seconds
        self.parallel = max(1, parallel)
        self.memory_mb = memory_mb
        self._queue = [(t[0], t[1], t[2] if len(t) > 2 else math.inf) for t in tasks]  # type: ignore[misc]
        self._queue.reverse()  # pop() from the end takes them in the order given
        self._running: dict[int, Running] = {}
        self._iterator = self._run()

    def __iter__(self) -> Iterator[Finished[T]]:
        return self._iterator

    def __next__(self) -> Finished[T]:
        return next(self._iterator)

    def __enter__(self) -> Race[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def shorten(self, seconds: float) -> None:
        """End the race at most ``seconds`` from now (running tasks included)."""
        self.end = min(self.end, time.monotonic() + seconds)
        for job in self._running.values():
            job.deadline = min(job.deadline, self.end)

    def close(self) -> None:
        """Kill and reap every child still running; start no more."""
        self._queue.clear()
        self._iterator.close()
        self._kill_all()

    def _kill_all(self) -> None:
        for job in self._running.values():
            kill(job.pid)
            os.close(job.fd)
        self._running.clear()

    def _run(self) -> Generator[Finished[T], None, None]:
        running = self._running
        try:
            while self._queue or running:
                now = time.monotonic()
                while self._queue and len(running) < self.parallel and now < self.end:
                    name, fn, limit = self._queue.pop()
                    job = spawn(name, fn, min(limit, self.end - now), self.memory_mb)
                    running[job.fd] = job
                if not running:
                    return  # out of time with tasks left
                wait = min(j.deadline for j in running.values()) - time.monotonic()
                ready = select.select(list(running), [], [], wait)[0] if wait > 0 else []
                for fd in ready:
                    job = running[fd]
                    if read(job, None):
                        continue
                    del running[fd]
                    yield finish(job)
                now = time.monotonic()
                for fd, job in list(running.items()):
                    if now >= job.deadline:
                        del running[fd]
                        kill(job.pid)
                        os.close(fd)
                        yield Finished(job.name, None, TIMED_OUT, now - job.started)
        finally:
            self._kill_all()

    def __del__(self) -> None:
        self._kill_all()


def race(
    tasks: Sequence[tuple[str, Callable[[], T | None]] | tuple[str, Callable[[], T | None], float]],
    seconds: float,
    parallel: int = 2,
    *,
    memory_mb: int | None = None,
) -> Race[T]:
    """Start a :class:`Race` (use it in a ``with`` block, or close it, to stop early).

    >>> with race([("one", lambda: 1), ("two", lambda: 2)], 10, parallel=1) as r:
    ...     [f.result for f in r]
    [1, 2]
    """
    return Race(tasks, seconds, parallel, memory_mb=memory_mb)


def bounded(fn: Callable[[], T], seconds: float, *, memory_mb: int | None = None) -> T | None:
    """``fn()`` computed in a forked child, or None if it takes over ``seconds``, raises or crashes.

    >>> bounded(lambda: 6 * 7, 5)
    42
    >>> bounded(lambda: 1 / 0, 5) is None
    True
    """
    with race([("fn", fn)], seconds, parallel=1, memory_mb=memory_mb) as r:
        for done in r:
            return done.result
    return None


__all__ = ["CRASHED", "ERROR", "OK", "TIMED_OUT", "Finished", "Race", "bounded", "race"]  # noqa: F822
