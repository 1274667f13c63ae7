"""Time budgets inside one computation: a :class:`Budget` handed down, and soft deadlines.

The bounded child's ``SIGKILL`` is the hard limit on a computation.  Inside it, work that can
give up gracefully (a simplification that keeps the unsimplified form, a search that returns
what it found) asks its :class:`Budget` how long it may take, and runs under
:func:`soft_deadline`.  A Budget is created once per computation by the pipeline and passed
down as an argument; there is no module-level state.

Standard library only.
"""

from __future__ import annotations

import contextlib
import math
import signal
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

# All simplifications of one computation together may take this long, and one of them at most
# SIMPLIFY_EACH_SECONDS, before the results are kept as computed (still exact, less tidy).
SIMPLIFY_TOTAL_SECONDS = 8.0
SIMPLIFY_EACH_SECONDS = 4.0


@dataclass
class Budget:
    """The wall time one computation may spend, and the part of it simplification may use.

    >>> b = Budget(10.0, simplify_seconds=1.0)
    >>> b.simplify_allowance(4.0)
    1.0
    >>> b.spent_simplifying(0.75); round(b.simplify_allowance(4.0), 2)
    0.25
    >>> Budget.unlimited().simplify_allowance(4.0)
    4.0
    """

    seconds: float
    simplify_seconds: float = SIMPLIFY_TOTAL_SECONDS
    started: float = field(default_factory=time.monotonic)
    simplified: float = 0.0

    @classmethod
    def unlimited(cls) -> Budget:
        """No cap at all (a library call or a test outside any computation)."""
        return cls(math.inf, math.inf)

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def remaining(self) -> float:
        """Seconds left before the computation's time limit."""
        return self.seconds - self.elapsed()

    def simplify_allowance(self, cap: float = SIMPLIFY_EACH_SECONDS) -> float:
        """How long the next simplification may take: at most ``cap``, within what is left for simplifying."""
        return min(cap, self.simplify_seconds - self.simplified)

    def spent_simplifying(self, seconds: float) -> None:
        self.simplified += seconds


REFIRE_SECONDS = 0.05  # a swallowed soft deadline is raised again this often


class DeadlineExceeded(Exception):
    """A :func:`soft_deadline` ran out: the caller keeps what it has (an unsimplified form, no answer)."""


@contextlib.contextmanager
def soft_deadline(seconds: float) -> Iterator[None]:
    """Raise ``DeadlineExceeded`` inside the block after ``seconds`` (main thread only).

    The hard limit is the child process's kill; this one lets slow work give up gracefully and
    keep the answer it already has.  Nested deadlines: the outer one stands, the inner is a no-op.
    """
    if seconds <= 0 or signal.getsignal(signal.SIGALRM) not in (signal.SIG_DFL, None):
        yield
        return

    def fire(signum: int, frame: object) -> None:
        # Fire again shortly until the block is left: library code that swallows the exception
        # (an ``except Exception`` inside SymPy) must not turn the deadline into no deadline.
        signal.setitimer(signal.ITIMER_REAL, REFIRE_SECONDS)
        raise DeadlineExceeded

    old = signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
