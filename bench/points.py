#!/usr/bin/env python3
"""``--points``: a 3-variable gradient at 10⁶ points, calccli's compiled entries against hand-written NumPy.

    .venv/bin/python bench/points.py [--points 1000000] [--rounds 5]

The gradient of x² y + sin(y z) + exp(x z) is computed once by SymPy, then evaluated at random
points by :func:`calccli.calculus.points.evaluate_at_points` (compiled once, called on whole
columns) and by a NumPy function written by hand for the same gradient; the best of ``--rounds``
of each, side by side, excluding reading the points, and whether calccli is within the goal of 2×
(issue 15).  The time of :func:`read_points` (CSV) and of the writers for the same points follow,
for information.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import sympy as sp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from calccli.calculus.points import evaluate_at_points  # noqa: E402
from calccli.formula.points import Points, read_points  # noqa: E402
from calccli.render import points as writers  # noqa: E402
from calccli.results.points import PointValues  # noqa: E402

GOAL = 2.0  # calccli's time over hand-written NumPy's


def by_hand(x: np.ndarray, y: np.ndarray, z: np.ndarray) -> np.ndarray:
    """The gradient of x² y + sin(y z) + exp(x z), written by hand."""
    e = np.exp(x * z)
    c = np.cos(y * z)
    return np.stack([2 * x * y + z * e, x**2 + z * c, y * c + x * e], axis=1)


def best(rounds: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    x, y, z = variables = sp.symbols("x y z")
    f = x**2 * y + sp.sin(y * z) + sp.exp(x * z)
    gradient = [sp.diff(f, v) for v in variables]
    labels = [f"df/d{v}" for v in variables]
    values = np.random.default_rng(15).uniform(-2, 2, (args.points, 3))
    points = Points(("x", "y", "z"), values)

    table = evaluate_at_points(gradient, labels, variables, points)
    expected = by_hand(values[:, 0], values[:, 1], values[:, 2])
    assert np.allclose(table.outputs, expected, rtol=1e-12, atol=0), "calccli and the hand-written gradient differ"

    ours = best(args.rounds, lambda: evaluate_at_points(gradient, labels, variables, points))
    columns = [np.ascontiguousarray(values[:, j]) for j in range(3)]
    hand = best(args.rounds, lambda: by_hand(*columns))
    ratio = ours / hand
    print(f"gradient of {f} at {args.points:,} points (best of {args.rounds})")
    print(f"  calccli evaluate_at_points  {ours:8.3f} s  (compile included)")
    print(f"  hand-written NumPy          {hand:8.3f} s")
    print(f"  ratio {ratio:.2f}x   goal {GOAL:g}x: {'met' if ratio <= GOAL else 'MISSED'}")

    text = "x,y,z\n" + "".join(f"{a!r},{b!r},{c!r}\n" for a, b, c in values.tolist())
    reading = best(1, lambda: read_points(text, variables))
    rows = PointValues("grad", table.names, table.labels, table.inputs, table.outputs, (), table.nonfinite)
    csv = best(1, lambda: writers.csv(rows))
    ndjson = best(1, lambda: writers.ndjson(rows))
    print("for information (one run each):")
    print(f"  read_points (CSV, {len(text) / 1e6:.0f} MB)   {reading:8.3f} s")
    print(f"  CSV                         {csv:8.3f} s")
    print(f"  NDJSON                      {ndjson:8.3f} s")


if __name__ == "__main__":
    main()
