#!/usr/bin/env python3
"""Start-up benchmark: how long calccli takes before it answers.

    python bench/startup.py [--runs 15] [--warmup 2] [--strict]

Runs each command ``--warmup`` times, then ``--runs`` times (the commands take
turns, so a burst of load on the machine hits all of them alike), and prints the
median wall time and the median CPU time (user + system) of each.  Targets:

* ``calccli --help`` under 0.15 s (it is also roughly the latency of a TAB press);
* ``calccli grad "x^2*y"`` within 1.1x of a bare ``python -c "import sympy"`` (issue 12).

calccli's bytecode is compiled first, as an installed calccli has it (see compiled.py).

Uses the Python running this script and the ``calccli`` console script next to
it, so run it with the project's venv (``.venv/bin/python bench/startup.py``).
With ``--strict`` the exit status is 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from compiled import ensure_bytecode

HELP_TARGET_S = 0.15
GRAD_TARGET_RATIO = 1.1


@dataclass
class Case:
    label: str
    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    def run(self) -> tuple[float, float]:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.run(
            self.argv,
            env={**os.environ, **self.env},
            stdin=subprocess.DEVNULL,
            capture_output=True,
        )
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if proc.returncode != 0 or proc.stderr:
            sys.exit(f"bench: `{self.label}` failed (exit {proc.returncode}):\n{proc.stderr.decode()[-1500:]}")
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        return wall, cpu

    @property
    def median(self) -> float:
        return statistics.median(self.wall)


def cases() -> dict[str, Case]:
    python = sys.executable
    bindir = Path(python).parent
    script = bindir / "calccli"
    calccli = [str(script)] if script.exists() else [python, "-m", "calccli"]
    scrubbed = {k: "" for k in os.environ if k.startswith(("COMP_", "_TYPER_COMPLETE", "_CALCCLI_COMPLETE"))}
    tab = {**scrubbed, "_CALCCLI_COMPLETE": "complete_bash", "COMP_WORDS": "calccli gr", "COMP_CWORD": "1"}
    return {
        "help": Case("calccli --help", [*calccli, "--help"], scrubbed),
        "version": Case("calccli --version", [*calccli, "--version"], scrubbed),
        "tab": Case("TAB: calccli gr (bash)", calccli, tab),
        "grad": Case('calccli grad "x^2*y"', [*calccli, "grad", "x^2*y"], scrubbed),
        "sympy": Case('python -c "import sympy"', [python, "-c", "import sympy"]),
    }


def measure(table: dict[str, Case], runs: int, warmup: int) -> None:
    for _ in range(warmup):
        for case in table.values():
            case.run()
    for _ in range(runs):
        for case in table.values():
            wall, cpu = case.run()
            case.wall.append(wall)
            case.cpu.append(cpu)


def report(table: dict[str, Case], runs: int, warmup: int) -> bool:
    width = max(len(c.label) for c in table.values())
    print(f"median of {runs} runs after {warmup} warm-ups; python {sys.version.split()[0]} at {sys.executable}")
    print(f"{'command':<{width}}  {'wall':>8}  {'min':>8}  {'cpu':>8}")
    for case in table.values():
        print(
            f"{case.label:<{width}}  {case.median:>7.3f}s  {min(case.wall):>7.3f}s  "
            f"{statistics.median(case.cpu):>7.3f}s"
        )
    help_s = table["help"].median
    ratio = table["grad"].median / table["sympy"].median
    cpu_ratio = statistics.median(table["grad"].cpu) / statistics.median(table["sympy"].cpu)
    help_ok = help_s < HELP_TARGET_S
    grad_ok = ratio <= GRAD_TARGET_RATIO
    print()
    print(f"--help: {help_s:.3f} s (target < {HELP_TARGET_S} s)  {'MET' if help_ok else 'MISSED'}")
    print(
        f"grad / import sympy: {ratio:.2f}x wall, {cpu_ratio:.2f}x cpu "
        f"(target <= {GRAD_TARGET_RATIO}x)  {'MET' if grad_ok else 'MISSED'}"
    )
    return help_ok and grad_ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    table = cases()
    print(ensure_bytecode())
    measure(table, max(args.runs, 1), max(args.warmup, 0))
    ok = report(table, max(args.runs, 1), max(args.warmup, 0))
    return 0 if ok or not args.strict else 1


if __name__ == "__main__":
    sys.exit(main())
