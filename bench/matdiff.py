#!/usr/bin/env python3
"""Matrix calculus: each symbolic derivative and its numeric verification, timed in one process.

    .venv/bin/python bench/matdiff.py [--rounds 3]

For each expression of the issue's size (the seeds' results and the standard table's identities)
it prints the time to parse, differentiate (reverse or forward mode over the matrix expression)
and verify (dimensions instantiated, random exact matrices, every entry differentiated by SymPy)
the first time, the median of ``--rounds`` more runs (with the caches warm), and whether the first
time is under the goal of 1 s (issue 14).  A cold ``calccli matdiff`` call adds the interpreter's start-up
(bench/startup.py measures that).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from calccli.calculus import matdiff  # noqa: E402
from calccli.formula import matrix as M  # noqa: E402
from calccli.formula.matrix_grammar import parse, read_shapes, read_variable  # noqa: E402

CASES = [
    ("x' A x", "x", None, 1),
    ("beta x", "x", "beta=1×n", 1),
    ("norm(X - U V)^2", "V", "X=n×m,U=n×r,V=r×m", 1),
    ("log(det(X))", "X", None, 1),
    ("det(X)", "X", None, 1),
    ("tr(A X' B X C)", "X", None, 1),
    ("tr(inv(X) A)", "X", None, 1),
    ("a' X b", "X", "a=m,b=n", 1),
    ("sum(exp(x))", "x", None, 1),
    ("norm(A x - y)^2", "x", None, 1),
    ("tanh(W x + b)", "x", "b=m", 1),
    ("tanh(W x + b)", "x", "W=64×256,b=64", 1),
    ("x' A x", "x", None, 2),
    ("log(sum(exp(W x)))", "x", None, 1),
]


def run(text: str, wrt: str, shapes: str | None, order: int) -> tuple[float, float, str]:
    start = time.perf_counter()
    f = parse(text, read_shapes(shapes))
    v = read_variable(wrt, f)
    parsed = time.perf_counter()
    r = matdiff.matdiff(f, v, order=order)
    done = time.perf_counter()
    assert r.check.verified, (text, r.check.reason)
    return parsed - start, done - parsed, M.unicode(r.derivative)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    print(f"{'expression':<26} {'by':>3} {'first s':>8} {'again s':>8}  {'< 1 s':>5}  result")
    worst = 0.0
    for text, wrt, shapes, order in CASES:
        p0, d0, result = run(text, wrt, shapes, order)  # the first time: nothing of it cached yet
        again = statistics.median(sum(run(text, wrt, shapes, order)[:2]) for _ in range(args.rounds))
        first = p0 + d0
        worst = max(worst, first)
        name = text if order == 1 else f"{text} (Hessian)"
        print(f"{name:<26} {wrt:>3} {first:8.3f} {again:8.3f}  {'yes' if first < 1 else 'NO':>5}  {result}")
    print(f"slowest first time: {worst:.3f} s (goal: every one under 1 s, parse + derivative + verification)")


if __name__ == "__main__":
    main()
