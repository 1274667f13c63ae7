"""Time and size limits for the homework checks: soft deadlines where they can be set, operation counts."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterator
from typing import TypeVar

import sympy as sp

from calccli.process.budget import DeadlineExceeded, soft_deadline

T = TypeVar("T")


def deadline_works() -> bool:
    """Whether ``soft_deadline`` can interrupt here (main thread, no alarm already set)."""
    return threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGALRM) in (
        signal.SIG_DFL,
        None,
    )


@contextlib.contextmanager
def limited(seconds: float) -> Iterator[None]:
    """A soft deadline when one can be set, else nothing (callers bound their own loops)."""
    if deadline_works():
        with soft_deadline(seconds):
            yield
    else:
        yield


def attempt(fn: Callable[[], T], seconds: float, *, unbounded_ok: bool = True) -> T | None:
    """``fn()`` under a soft deadline; None when it times out or fails.

    With ``unbounded_ok=False`` an operation that could not be interrupted is not run.
    """
    if seconds <= 0 or (not unbounded_ok and not deadline_works()):
        return None
    try:
        with limited(seconds):
            return fn()
    except DeadlineExceeded:
        return None
    except Exception:  # SymPy raises many kinds of errors on odd input
        return None


def ops(e: sp.Expr) -> int:
    """SymPy's operation count, or a huge number when it cannot be counted."""
    try:
        return int(sp.count_ops(e))
    except Exception:
        return 10**6
