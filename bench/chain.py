#!/usr/bin/env python3
"""Reverse mode through a computation graph against differentiating the substituted expression.

    .venv/bin/python bench/chain.py [--sizes 250,500,1000,2000] [--width 4] [--cap 10]

The graph is a small dense network written out node by node: ``width`` inputs, then layers of
``width`` nodes ``h<l>_<j> = tanh(sum_k c_jk h<l-1>_k)``, and ``f`` the sum of the last layer.  For
each size it prints the graph (nodes, edges), the time to parse the program, the time of the
engine call at a point (``chain(p, at=...)``: local partials, the forward pass and reverse mode,
every input's derivative at once), the time of ``sp.diff`` of the fully substituted output by one
input (capped: ``> N s``), and, when the command is wired, the wall time of the whole
``calccli chain - --at ...`` command.  Last, the growth exponent of the engine's time against the
number of edges (the least-squares slope of log t against log edges): about 1 is linear, as
backpropagation is.  The goal (issue 13): 2,000 nodes in under 1 s.
"""

from __future__ import annotations

import argparse
import math
import statistics
import subprocess
import sys
import time
from pathlib import Path

import sympy as sp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from calccli.calculus.chain import chain  # noqa: E402
from calccli.formula.program import program  # noqa: E402
from calccli.formula.readers import point  # noqa: E402
from calccli.process.budget import DeadlineExceeded, soft_deadline  # noqa: E402


def network(nodes: int, width: int) -> tuple[str, str]:
    """The program text of a dense ``tanh`` network of about ``nodes`` nodes, and a point for it."""
    depth = max(1, nodes // width)
    lines = ["f = " + " + ".join(f"h{depth}_{j}" for j in range(width))]
    for layer in range(1, depth + 1):
        prev = [f"h{layer - 1}_{k}" if layer > 1 else f"x{k}" for k in range(width)]
        for j in range(width):
            terms = " + ".join(f"({(j + 2 * k) % 5 - 2}/{k + 3})*{prev[k]}" for k in range(width))
            lines.append(f"h{layer}_{j} = tanh({terms} + 1/{j + 2})")
    at = ",".join(f"x{k}={(-1) ** k}/{k + 2}" for k in range(width))
    return "\n".join(lines), at


def symbolic(text: str, cap: float) -> float | None:
    """Seconds to differentiate the substituted output by x0, or None past ``cap``."""
    p = program(text)
    defined = p.defined()
    start = time.perf_counter()
    try:
        with soft_deadline(cap):
            memo: dict[str, sp.Expr] = {}
            for d in (*p.definitions[1:], p.definitions[0]):  # the output is written first, the layers in order
                for n, e in zip(d.names, d.exprs, strict=True):
                    memo[n] = e.xreplace({p.symbols[k]: memo[k] for k in map(str, e.free_symbols) if k in memo})
            expr = memo[p.output]
            assert not set(map(str, expr.free_symbols)) & set(defined)
            sp.diff(expr, p.symbols["x0"])
    except DeadlineExceeded:
        return None
    return time.perf_counter() - start


def command(text: str, at: str) -> float | None:
    """Wall seconds of ``calccli chain - --at ...`` (None when the command is not wired)."""
    exe = ROOT / ".venv" / "bin" / "calccli"
    if subprocess.run([exe, "chain", "--help"], capture_output=True).returncode != 0:
        return None
    start = time.perf_counter()
    r = subprocess.run([exe, "chain", "-", "--at", at, "--format", "json"], input=text.encode(), capture_output=True)
    wall = time.perf_counter() - start
    if r.returncode != 0:
        print(f"   (calccli chain exited {r.returncode}: {r.stderr.decode()[:200].strip()})")
    return wall


def growth_exponent(sizes: list[int], times: list[float]) -> float:
    """The slope of log t against log n (least squares)."""
    lx = [math.log(n) for n in sizes]
    ly = [math.log(t) for t in times]
    mx, my = statistics.fmean(lx), statistics.fmean(ly)
    return sum((a - mx) * (b - my) for a, b in zip(lx, ly, strict=True)) / sum((a - mx) ** 2 for a in lx)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="250,500,1000,2000")
    ap.add_argument("--width", type=int, default=4)
    ap.add_argument("--cap", type=float, default=10.0, help="seconds allowed for the symbolic differentiation")
    ap.add_argument("--no-command", action="store_true", help="skip timing the calccli command")
    args = ap.parse_args(argv)
    chain(program("f = x^2"))  # warm up: imports (SymEngine's on the first large graph is paid below)
    edges, times = [], []
    print(f"{'nodes':>6} {'edges':>6} {'parse s':>8} {'reverse s':>10} {'sp.diff s':>10} {'command s':>10}")
    for size in (int(s) for s in args.sizes.split(",")):
        text, at = network(size, args.width)
        t0 = time.perf_counter()
        p = program(text)
        t1 = time.perf_counter()
        c = chain(p, at=point(at, p))
        t2 = time.perf_counter()
        sym = symbolic(text, args.cap)
        cmd = None if args.no_command else command(text, at)
        edges.append(len(c.edges))
        times.append(t2 - t1)
        print(
            f"{len(c.nodes):>6} {len(c.edges):>6} {t1 - t0:>8.3f} {t2 - t1:>10.3f} "
            f"{f'> {args.cap:g}' if sym is None else f'{sym:.3f}':>10} {'-' if cmd is None else f'{cmd:.3f}':>10}"
        )
    if len(edges) > 1:
        print(f"growth exponent of reverse mode against edges: {growth_exponent(edges, times):.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
