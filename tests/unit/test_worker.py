"""The bounded worker: one child serves many jobs, and a job that ends it ends only itself."""

from __future__ import annotations

import os
import time

from calccli.process import child
from calccli.process.worker import Worker, address_space


def _job(task: tuple[str, int]) -> object:
    """Module level, so that the worker's child holds it by fork."""
    kind, n = task
    if kind == "square":
        return n * n
    if kind == "pid":
        return os.getpid()
    if kind == "sleep":
        time.sleep(n)
        return "woke"
    if kind == "hog":  # allocate n MiB and keep it
        return len(bytearray(n * 1024 * 1024))
    if kind == "grow":  # keep n MiB alive in the child after the job
        _job.kept = bytearray(n * 1024 * 1024)  # type: ignore[attr-defined]
        return n
    if kind == "big":
        return "x" * n
    if kind == "raise":
        raise ValueError("no such thing")
    if kind == "exit":
        os._exit(3)
    if kind == "alarm":  # a soft deadline left behind must not reach the next job
        import signal

        signal.signal(signal.SIGALRM, lambda *_: None)
        signal.setitimer(signal.ITIMER_REAL, 100)
        return "armed"
    if kind == "alarm?":
        import signal

        return signal.getsignal(signal.SIGALRM) == signal.SIG_DFL and signal.getitimer(signal.ITIMER_REAL)[0] == 0
    raise AssertionError(kind)


def test_one_child_serves_many_jobs():
    with Worker(_job, memory_mb=2048) as w:
        results = [w.run(("square", n), seconds=10).result for n in range(20)]
        pids = {w.run(("pid", 0), seconds=10).result for _ in range(3)}
    assert results == [n * n for n in range(20)]
    assert w.started == 1 and len(pids) == 1 and pids != {os.getpid()}


def test_a_job_past_its_deadline_is_killed_and_the_next_runs_in_a_new_child():
    with Worker(_job, memory_mb=2048) as w:
        first = w.run(("pid", 0), seconds=10).result
        t = time.monotonic()
        slow = w.run(("sleep", 30), seconds=0.5)
        took = time.monotonic() - t
        after = w.run(("pid", 0), seconds=10)
        assert w.run(("square", 7), seconds=10).result == 49
    assert slow.status == child.TIMED_OUT and slow.result is None
    assert 0.5 <= took < 5
    assert after.status == child.OK and after.result != first
    assert w.started == 2
    assert w.fresh is False  # the last job ran in the child that served `after`


def test_a_killed_child_is_reaped():
    with Worker(_job, memory_mb=2048) as w:
        pid = w.run(("pid", 0), seconds=10).result
        w.run(("sleep", 30), seconds=0.3)
        assert isinstance(pid, int)
        try:
            os.kill(pid, 0)
            alive = True
        except ProcessLookupError:
            alive = False
    assert not alive


def test_a_job_over_the_memory_cap_fails_alone():
    with Worker(_job, memory_mb=512) as w:
        assert w.run(("square", 3), seconds=10).result == 9
        hog = w.run(("hog", 4096), seconds=10)
        assert w.run(("square", 4), seconds=10).result == 16
    assert hog.status == child.ERROR and hog.detail.startswith("MemoryError")


def test_a_child_that_dies_is_reported_with_nothing_and_replaced():
    with Worker(_job, memory_mb=2048) as w:
        died = w.run(("exit", 0), seconds=10)
        assert w.run(("square", 5), seconds=10).result == 25
    assert died.status == child.CRASHED and died.signal is None
    assert w.started == 2


def test_an_exception_is_an_error_and_the_child_goes_on():
    with Worker(_job, memory_mb=2048) as w:
        err = w.run(("raise", 0), seconds=10)
        assert w.run(("square", 6), seconds=10).result == 36
    assert err.status == child.ERROR and err.detail == "ValueError: no such thing"
    assert w.started == 1


def test_a_result_over_the_byte_limit_is_too_large_and_the_next_job_runs():
    with Worker(_job, memory_mb=2048) as w:
        big = w.run(("big", 1_000_000), seconds=10, max_bytes=100_000)
        small = w.run(("big", 10), seconds=10, max_bytes=100_000)
    assert big.status == child.TOO_LARGE and big.result is None
    assert small.result == "x" * 10


def test_a_child_that_grew_a_lot_is_replaced_after_the_job():
    with Worker(_job, memory_mb=2048, max_growth_mb=64) as w:
        assert w.run(("grow", 200), seconds=10).result == 200
        assert w.pid is None or address_space() is None  # replaced (where /proc says how big it is)
        assert w.run(("square", 2), seconds=10).result == 4
        assert w.fresh is (address_space() is not None)


def test_a_timer_left_by_one_job_does_not_reach_the_next():
    with Worker(_job, memory_mb=2048) as w:
        assert w.run(("alarm", 0), seconds=10).result == "armed"
        assert w.run(("alarm?", 0), seconds=10).result is True


def test_close_ends_the_child():
    w = Worker(_job, memory_mb=2048)
    pid = w.run(("pid", 0), seconds=10).result
    w.close()
    assert isinstance(pid, int)
    try:
        os.kill(pid, 0)
        alive = True
    except ProcessLookupError:
        alive = False
    assert not alive and w.pid is None


def _soft(seconds: float) -> str:
    from calccli.process.budget import DeadlineExceeded, soft_deadline

    try:
        with soft_deadline(seconds):
            time.sleep(5)
    except DeadlineExceeded:
        return "gave up"
    return "slept"


def _soft_job(task: tuple[str, float]) -> object:
    kind, x = task
    return _soft(x) if kind == "soft" else os.getpid()


def test_a_child_in_which_a_soft_deadline_fired_is_replaced():
    with Worker(_soft_job, memory_mb=2048) as w:
        before = w.run(("pid", 0), seconds=10).result
        assert w.run(("pid", 0), seconds=10).result == before
        assert w.run(("soft", 0.05), seconds=10).result == "gave up"
        after = w.run(("pid", 0), seconds=10).result
        assert w.run(("pid", 0), seconds=10).result == after
    assert after != before and w.retired == 1 and w.started == 2


def _warm() -> None:
    os.environ["CALCCLI_TEST_WARMED"] = str(os.getpid())


def _warmed(_: object) -> object:
    return os.environ.get("CALCCLI_TEST_WARMED"), os.getpid()


def test_the_worker_forked_early_is_adopted_warm(monkeypatch):
    from calccli.process import worker

    monkeypatch.delenv("CALCCLI_TEST_WARMED", raising=False)
    worker.prefork(_warm)
    with Worker(_warmed, memory_mb=2048, warm=_warm) as w:
        warmed_in, pid = w.run(None, seconds=10).result
    assert warmed_in == str(pid) and pid != os.getpid()  # it warmed itself, in the child
    assert "CALCCLI_TEST_WARMED" not in os.environ  # and this process never had to
    assert w.started == 1


def test_a_handler_that_cannot_travel_to_the_early_worker_gets_a_child_forked_here(monkeypatch):
    from calccli.process import worker

    monkeypatch.delenv("CALCCLI_TEST_WARMED", raising=False)
    worker.prefork(_warm)
    with Worker(lambda _: os.getpid(), memory_mb=2048, warm=_warm) as w:
        pid = w.run(None, seconds=10).result
    assert isinstance(pid, int) and pid != os.getpid()
    assert os.environ.get("CALCCLI_TEST_WARMED") == str(os.getpid())  # warmed here, then forked


def test_an_early_worker_nobody_adopts_is_ended():
    from calccli.process import worker

    worker.prefork(_warm)
    assert worker._EARLY is not None
    pid = worker._EARLY[0]
    worker.discard_prefork()
    assert worker._EARLY is None
    try:
        os.kill(pid, 0)
        alive = True
    except ProcessLookupError:
        alive = False
    assert not alive
