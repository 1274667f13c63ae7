"""The cost of bounded execution: one forked, time- and memory-limited child per computation.

Prints the median wall time of a trivial job run in-process and through calccli.process.child.run,
cold (nothing heavy imported in the parent, as for one CLI call) and warm (SymPy imported in
the parent before forking, as for `calccli grad - < formulas.txt`).
"""

from __future__ import annotations

import statistics
import time

from calccli.cli.pipeline import Outcome, prewarm
from calccli.process import child


def _job() -> Outcome:
    return Outcome("ok\n", "", 0)


def median_ms(fn, n: int = 200) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def main() -> None:
    inline = median_ms(_job)
    cold = median_ms(lambda: child.run(_job, seconds=10, memory_mb=2048))
    prewarm()
    warm = median_ms(lambda: child.run(_job, seconds=10, memory_mb=2048))
    print(f"{'job in-process':34}{inline:8.3f} ms")
    print(f"{'forked child, light parent':34}{cold:8.3f} ms")
    print(f"{'forked child, SymPy-warm parent':34}{warm:8.3f} ms")


if __name__ == "__main__":
    main()
