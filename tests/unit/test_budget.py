"""Soft deadlines: slow work gives up gracefully, even when a library swallows the first signal."""

from __future__ import annotations

import time

import pytest

from calccli.process.budget import DeadlineExceeded, soft_deadline


def test_a_soft_deadline_interrupts_a_loop():
    t0 = time.monotonic()
    with pytest.raises(DeadlineExceeded), soft_deadline(0.2):
        while True:
            pass
    assert 0.15 < time.monotonic() - t0 < 5


def test_a_swallowed_deadline_fires_again():
    # SymPy's solvers catch Exception in places; one swallowed signal must not mean no deadline.
    swallowed = 0
    t0 = time.monotonic()
    with pytest.raises(DeadlineExceeded), soft_deadline(0.2):
        while True:
            try:
                while True:
                    pass
            except Exception:
                swallowed += 1
                if swallowed > 3:
                    raise
    assert swallowed == 4 and time.monotonic() - t0 < 5


def test_the_timer_is_off_after_the_block():
    with soft_deadline(0.05):
        pass
    time.sleep(0.2)  # an alarm left armed would kill the process here
    nested_done = False
    with soft_deadline(10), soft_deadline(0.01):  # the outer one stands; the inner is a no-op
        time.sleep(0.05)
        nested_done = True
    assert nested_done
