"""Fork a child that serves a pipe: the first thing the console entry point does.

Imports ``os`` alone, so that the entry point can fork before it has imported anything else
(the child's SymPy import then starts about 50 ms sooner).  :mod:`calccli.process.child`
and :mod:`calccli.process.worker` give the forked child its work.
"""

from __future__ import annotations

import os
from collections.abc import Callable


def fork_serving(serve: Callable[[int, int], None]) -> tuple[int, int, int] | None:
    """Fork a child that runs ``serve(job_fd, out_fd)`` and never returns; in the parent,
    ``(pid, job pipe write end, result pipe read end)``, or None when no fork is possible now
    (a process limit: the caller forks later, as usual)."""
    try:
        job_r, job_w = os.pipe()
        out_r, out_w = os.pipe()
        pid = os.fork()
    except OSError:
        return None
    if pid == 0:  # pragma: no cover - runs in the child
        os.close(job_w)
        os.close(out_r)
        serve(job_r, out_w)
        os._exit(70)  # serve ends the process itself; this only guards against a return
    os.close(job_r)
    os.close(out_w)
    return pid, job_w, out_r
