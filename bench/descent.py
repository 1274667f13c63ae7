#!/usr/bin/env python3
"""Gradient descent: 10,000 steps on two-variable functions, the engine against a NumPy-array loop.

    .venv/bin/python bench/descent.py [--steps 10000] [--rounds 3]

For each function it runs ``descend`` for exactly ``--steps`` steps (tol 1e-300, so it never stops
early) and prints the median over ``--rounds`` of the iteration's own time (``Descent.seconds``:
compiled f and ∇f in plain Python floats, the trace and the divergence and oscillation checks
included; parsing, differentiating, compiling and the critical-point search excluded), then the
same number of bare fixed-rate steps with a NumPy-compiled gradient on small arrays, the
alternative the engine was measured against.  The goal (issue 15): 10,000 steps in under 0.5 s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import sympy as sp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from calccli.calculus.optimize import descend  # noqa: E402
from calccli.formula.grammar import formula  # noqa: E402
from calccli.process.budget import Budget  # noqa: E402

GOAL_SECONDS = 0.5
CASES = [  # (formula, start, rate, momentum): runs that stay finite for 10,000 steps
    ("x^2 + y^2 - 2x - 4y + 5", ("5", "5"), 0.1, 0.0),
    ("(1 - x)^2 + 100(y - x^2)^2", ("-1.2", "1"), 0.001, 0.0),
    ("(1 - x)^2 + 100(y - x^2)^2", ("-1.2", "1"), 0.001, 0.9),
    ("sin(x) cos(y) + (x^2 + y^2)/10", ("1", "1"), 0.1, 0.0),
    ("log(1 + exp(x - y)) + (x + 2y)^2/4", ("3", "-2"), 0.1, 0.0),
]


def numpy_loop(text: str, start: tuple[str, str], rate: float, steps: int) -> float:
    """Seconds for ``steps`` bare updates θ ← θ − η∇f(θ) with a NumPy gradient on arrays."""
    import numpy as np

    f = formula(text)
    grad = sp.lambdify(f.variables, [sp.diff(f.expr, v) for v in f.variables], modules="numpy", dummify=True)
    theta = np.array([float(sp.Rational(s)) for s in start])
    began = time.perf_counter()
    for _ in range(steps):
        theta = theta - rate * np.asarray(grad(*theta))
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(f"{'formula':<40} {'rate':>6} {'beta':>4} {'status':>10} {'engine s':>9} {'numpy s':>8}  goal")
    for text, start, rate, beta in CASES:
        f = formula(text)
        point = tuple(sp.Rational(s) for s in start)
        runs = [
            descend(f, point, rate, momentum=beta, tol=1e-300, max_steps=args.steps, budget=Budget(2.0))
            for _ in range(args.rounds)
        ]
        engine = statistics.median(r.seconds for r in runs)
        bare = statistics.median(numpy_loop(text, start, rate, args.steps) for _ in range(args.rounds))
        verdict = "ok" if engine < GOAL_SECONDS else "SLOW"
        print(f"{text:<40} {rate:>6g} {beta:>4g} {runs[0].status:>10} {engine:>9.3f} {bare:>8.3f}  {verdict}")


if __name__ == "__main__":
    main()
