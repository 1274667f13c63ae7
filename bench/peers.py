#!/usr/bin/env python3
"""calccli side by side with Giac and Maxima on the same work, interleaved in the same rounds.

    .venv/bin/python bench/peers.py [--rounds 5] [--sizes 10,30,60,100] [--only ROW]

Rows (issue 12):

* ``cold``      one cold call, the gradient of x^2*y;
* ``batch``     100 gradients of 3-variable formulas in one process (``calccli grad - --wrt x,y,z``);
* ``hessian N`` the Hessian of f = sum x_i^4 + sum_{i<j} x_i x_j sin(x_j) in N variables;
* ``integrals`` 10 textbook antiderivatives, one process each.

Each round runs every (row, tool) once, in turn, so a burst of load on the machine hits all
tools alike; the figures are medians over the rounds of wall time and of CPU time (user +
system of the process tree).  A peer that is not installed (``apt-get install -y xcas maxima``,
or ``scripts/install-peers``) is left out.  Use the project's venv: the calccli measured is the
console script next to the Python running this file, with its bytecode compiled first as an
installed calccli has it (compiled.py).

Output: one table, wall and CPU seconds per tool and the ratio of calccli to Giac; then, for the
Hessian rows, the growth exponent of calccli's time against N (a least-squares slope of
log t against log N).
"""

from __future__ import annotations

import argparse
import math
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from compiled import ensure_bytecode

CALCCLI = str(Path(sys.executable).with_name("calccli"))
GIAC = shutil.which("giac")
MAXIMA = shutil.which("maxima")

ANTIDERIVATIVES = [
    "x*exp(x)",
    "x^2*sin(x)",
    "1/(x^2 + 1)",
    "log(x)",
    "x*cos(x)",
    "sin(x)^2",
    "1/(x*(x + 1))",
    "exp(x)*sin(x)",
    "x/sqrt(1 - x^2)",
    "sec(x)^2",
]


def batch_formulas(n: int = 100, seed: int = 12) -> list[str]:
    """``n`` reproducible 3-variable formulas of the kind the course texts differentiate."""
    rng = random.Random(seed)
    atoms = ["x", "y", "z", "x*y", "y*z", "x*z", "x^2", "y^2", "z^2"]
    outer = ["sin({})", "cos({})", "exp({})", "log(1 + ({})^2)", "({})^3", "sqrt(1 + ({})^2)"]
    out = []
    for _ in range(n):
        a, b, c = rng.sample(atoms, 3)
        f1, f2 = rng.sample(outer, 2)
        k = rng.randint(2, 5)
        out.append(f"{f1.format(a + ' + ' + b)} + {k}*{c}*{f2.format(a)}")
    return out


def dense(n: int) -> tuple[str, list[str]]:
    """f = sum x_i^4 + sum_{i<j} x_i x_j sin(x_j) in x1..xn, and its variables."""
    xs = [f"x{i}" for i in range(1, n + 1)]
    terms = [f"{x}^4" for x in xs]
    terms += [f"{xs[i]}*{xs[j]}*sin({xs[j]})" for i in range(n) for j in range(i + 1, n)]
    return " + ".join(terms), xs


@dataclass
class Job:
    """One (row, tool): how to run it once."""

    row: str
    tool: str
    argv: list[str]
    stdin: str | None = None
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    def run(self) -> None:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.run(self.argv, input=self.stdin, capture_output=True, text=True, env=_env())
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if proc.returncode != 0:
            sys.exit(f"bench: {self.row} / {self.tool} failed (exit {proc.returncode}):\n{proc.stderr[-1500:]}")
        self.wall.append(wall)
        self.cpu.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))


@dataclass
class Multi:
    """A job made of several processes run one after another (one process per antiderivative)."""

    row: str
    tool: str
    jobs: list[Job]
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    def run(self) -> None:
        for j in self.jobs:
            j.run()
        self.wall.append(sum(j.wall[-1] for j in self.jobs))
        self.cpu.append(sum(j.cpu[-1] for j in self.jobs))


def _env() -> dict[str, str]:
    return {**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}


def _giac_script(lines: list[str], tmp: Path, name: str) -> list[str]:
    path = tmp / f"{name}.giac"
    path.write_text("".join(line + ";\n" for line in lines))
    return [GIAC or "giac", str(path)]


def _maxima(lines: list[str]) -> list[str]:
    body = "display2d:false$ " + " ".join(f"print({line})$" for line in lines)
    return [MAXIMA or "maxima", "--very-quiet", f"--batch-string={body}"]


def giac_expr(f: str) -> str:
    return f.replace("log(", "ln(")


def build(rows: set[str], sizes: list[int], tmp: Path) -> list[Job | Multi]:
    jobs: list[Job | Multi] = []
    peers = {"giac": GIAC, "maxima": MAXIMA}

    def add(row: str, calc: Job | Multi, giac: Callable[[], Job | Multi], maxima: Callable[[], Job | Multi]) -> None:
        jobs.append(calc)
        if peers["giac"]:
            jobs.append(giac())
        if peers["maxima"]:
            jobs.append(maxima())

    if "cold" in rows:
        add(
            "cold grad x^2*y",
            Job("cold grad x^2*y", "calccli", [CALCCLI, "grad", "x^2*y"]),
            lambda: Job("cold grad x^2*y", "giac", _giac_script(["diff(x^2*y,[x,y])"], tmp, "cold")),
            lambda: Job("cold grad x^2*y", "maxima", _maxima(["jacobian([x^2*y],[x,y])"])),
        )
    if "batch" in rows:
        fs = batch_formulas()
        row = "100 gradients, one process"
        add(
            row,
            Job(row, "calccli", [CALCCLI, "grad", "-", "--wrt", "x,y,z"], stdin="\n".join(fs) + "\n"),
            lambda: Job(row, "giac", _giac_script([f"diff({giac_expr(f)},[x,y,z])" for f in fs], tmp, "batch")),
            lambda: Job(row, "maxima", _maxima([f"jacobian([{f}],[x,y,z])" for f in fs])),
        )
    if "hessian" in rows:
        for n in sizes:
            f, xs = dense(n)
            row = f"hessian, dense, n={n}"
            v = ",".join(xs)
            add(
                row,
                Job(row, "calccli", [CALCCLI, "hessian", f, "--wrt", v, "--timeout", "600"]),
                lambda f=f, v=v, n=n, row=row: Job(row, "giac", _giac_script([f"hessian({f},[{v}])"], tmp, f"hess{n}")),
                lambda f=f, v=v, row=row: Job(row, "maxima", _maxima([f"hessian({f},[{v}])"])),
            )
    if "integrals" in rows:
        row = "10 antiderivatives, a process each"
        add(
            row,
            Multi(row, "calccli", [Job(row, "calccli", [CALCCLI, "integrate", f]) for f in ANTIDERIVATIVES]),
            lambda: Multi(
                row,
                "giac",
                [
                    Job(row, "giac", _giac_script([f"integrate({giac_expr(f)},x)"], tmp, f"int{i}"))
                    for i, f in enumerate(ANTIDERIVATIVES)
                ],
            ),
            lambda: Multi(row, "maxima", [Job(row, "maxima", _maxima([f"integrate({f},x)"])) for f in ANTIDERIVATIVES]),
        )
    return jobs


def growth_exponent(sizes: list[int], times: list[float]) -> float:
    """The slope of log t against log n (least squares)."""
    lx = [math.log(n) for n in sizes]
    ly = [math.log(t) for t in times]
    mx, my = statistics.fmean(lx), statistics.fmean(ly)
    return sum((a - mx) * (b - my) for a, b in zip(lx, ly, strict=True)) / sum((a - mx) ** 2 for a in lx)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--sizes", default="10,30,60,100")
    p.add_argument("--only", action="append", choices=["cold", "batch", "hessian", "integrals"])
    args = p.parse_args(argv)
    rows = set(args.only or ["cold", "batch", "hessian", "integrals"])
    sizes = [int(s) for s in args.sizes.split(",")]
    print(ensure_bytecode())
    with tempfile.TemporaryDirectory() as d:
        jobs = build(rows, sizes, Path(d))
        for job in jobs:  # warm the page cache once; not counted
            job.run()
            job.wall.clear()
            job.cpu.clear()
            if isinstance(job, Multi):
                for j in job.jobs:
                    j.wall.clear()
                    j.cpu.clear()
        for _ in range(args.rounds):
            for job in jobs:
                job.run()
    print(
        f"calccli vs peers: median of {args.rounds} interleaved rounds, {os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}"
    )
    print(f"{'work':<36} {'tool':<8} {'wall s':>9} {'cpu s':>9} {'÷ giac':>8}")
    giac = {j.row: statistics.median(j.wall) for j in jobs if j.tool == "giac"}
    for j in jobs:
        w = statistics.median(j.wall)
        ratio = f"{w / giac[j.row]:.2f}×" if j.row in giac else ""
        print(f"{j.row:<36} {j.tool:<8} {w:>9.3f} {statistics.median(j.cpu):>9.3f} {ratio:>8}")
    for tool in ("calccli", "giac", "maxima"):
        pts = [
            (int(j.row.rsplit("=", 1)[1]), statistics.median(j.wall))
            for j in jobs
            if j.row.startswith("hessian") and j.tool == tool
        ]
        if len(pts) >= 2:
            ns, ts = [n for n, _ in pts], [t for _, t in pts]
            print(f"growth exponent of {tool}'s Hessian time against n ({ns}): {growth_exponent(ns, ts):.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
