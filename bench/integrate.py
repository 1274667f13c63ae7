"""Antiderivatives on the Rubi dev corpus: calccli's ``find`` next to plain ``sympy.integrate``.

Usage (from the repository root)::

    .venv/bin/python -m bench.integrate                      # both tools, 250 problems, 20 s each
    .venv/bin/python -m bench.integrate --only trig,17 --tools ours --verbose
    .venv/bin/python -m bench.integrate --first 40 --timeout 10 --json out.jsonl

Each problem runs in a fresh forked child (per tool) and is killed at the time limit.  An answer
counts as solved only if an independent numerical check passes: d/dx of the answer, by
finite differences (``mpmath.diff`` at 40 digits), must equal the integrand to 1e-8 (relative)
at every usable random point, and at least 3 points must be usable.  This check shares no code
with calccli's own ``verify`` (which differentiates symbolically).  A closed form that fails it
is *wrong*; a result still holding an ``Integral``, none, or one that cannot be checked is
*unsolved*.

calccli's ``find`` itself races two methods at a time, so its problems run one at a time with
``--jobs 2`` (the default), and plain SymPy's two at a time: never more than ``--jobs`` busy
processes on the machine.  The corpus is trusted input, so it is read with ``sympify``.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import mpmath
import sympy as sp

from calccli.integration.portfolio import find
from calccli.process import race as attempts
from calccli.process.budget import DeadlineExceeded, soft_deadline

CORPUS = (
    Path(__file__).resolve().parents[2] / "shared" / "corpus" / "integrals-rubi-dev.jsonl"
)  # ../shared beside the checkout
CHECK_SECONDS = 40.0  # the independent check's own limit (not counted in the solve time)


@dataclass
class Problem:
    index: int
    id: str
    category: str
    f: sp.Expr
    x: sp.Symbol


def load(path: Path) -> list[Problem]:
    """The corpus, with each integration variable replaced by a real symbol (as calccli makes them)."""
    problems = []
    for i, line in enumerate(path.read_text().splitlines(), 1):
        row = json.loads(line)
        plain, x = sp.Symbol(row["var"]), sp.Symbol(row["var"], real=True)
        problems.append(Problem(i, row["id"], row["category"], sp.sympify(row["integrand"]).subs(plain, x), x))
    return problems


# ---------------------------------------------------------------------------------------------
# The independent check
# ---------------------------------------------------------------------------------------------


def _mp_function(e: sp.Expr, x: sp.Symbol):
    """``e`` as a function of one mpmath number, at mpmath's current precision."""
    try:
        fn = sp.lambdify(x, e, modules="mpmath")
        fn(mpmath.mpf("0.737"))  # unknown names fail here, not later
        return fn
    except NameError:
        pass
    except Exception:  # noqa: BLE001 - a singular test point says nothing about the names
        return sp.lambdify(x, e, modules="mpmath")

    def slow(t):  # evalf for what lambdify does not know
        dps = mpmath.mp.dps
        v = e.evalf(
            dps,
            subs={x: sp.Float(mpmath.nstr(t, dps + 5), dps + 5)}
            if not isinstance(t, mpmath.mpc)
            else {
                x: sp.Float(mpmath.nstr(t.real, dps + 5), dps + 5)
                + sp.I * sp.Float(mpmath.nstr(t.imag, dps + 5), dps + 5)
            },
        )
        re_, im_ = v.as_real_imag()
        if not (re_.is_number and im_.is_number) or v.has(sp.nan, sp.zoo, sp.oo):
            raise ValueError("no value")
        return mpmath.mpc(mpmath.mpf(str(re_)), mpmath.mpf(str(im_)))

    return slow


def _finite(v) -> bool:
    try:
        return mpmath.isfinite(v) and not mpmath.isnan(v)
    except TypeError:
        return False


def independent_check(F: sp.Expr, f: sp.Expr, x: sp.Symbol, seed: int) -> bool | None:
    """True/False if d/dx F = f at every usable point (≥3 usable), None if it cannot say."""
    rng = random.Random(seed)
    reals = [mpmath.mpf(rng.choice([-1, 1]) * rng.uniform(0.1, 4.5)) for _ in range(14)]
    complexes = [mpmath.mpc(rng.uniform(-2, 2), rng.uniform(0.2, 2)) for _ in range(6)]
    Fm, fm = _mp_function(F, x), _mp_function(f, x)
    real_ok, real_complex, complex_pts = [], [], []
    with mpmath.workdps(40):
        for p in reals:
            try:
                fv = fm(p)
            except Exception:  # noqa: BLE001
                continue
            if not _finite(fv) or abs(fv) < 1e-12:
                continue
            (real_ok if abs(mpmath.im(fv)) <= 1e-30 * abs(fv) else real_complex).append((p, fv))
        points = real_ok[:5]
        if len(points) < 5:
            points += real_complex[: 5 - len(points)]
        if len(points) < 3:
            for p in complexes:
                try:
                    fv = fm(p)
                except Exception:  # noqa: BLE001
                    continue
                if _finite(fv) and abs(fv) > 1e-12:
                    complex_pts.append((p, fv))
            points += complex_pts[: 5 - len(points)]
        usable = 0
        for p, fv in points:
            try:
                dv = mpmath.diff(Fm, p)
            except Exception:  # noqa: BLE001 - undefined where f is defined: not an antiderivative there
                return False
            if not _finite(dv):
                return False
            if abs(dv - fv) > 1e-8 * max(abs(fv), abs(dv)):
                return False
            usable += 1
    return True if usable >= 3 else None


# ---------------------------------------------------------------------------------------------
# Running the tools
# ---------------------------------------------------------------------------------------------


@dataclass
class Result:
    id: str
    category: str
    tool: str
    verdict: str  # solved | wrong | unsolved | timeout
    seconds: float
    method: str | None = None
    answer: str | None = None
    tried: list = field(default_factory=list)


def _ours(p: Problem, timeout: float):
    found = find(p.f, p.x, seconds=max(1.0, timeout - 1.0))
    return found.antiderivative, found.method, list(found.tried)


def _sympy(p: Problem, timeout: float):
    return sp.integrate(p.f, p.x), None, []


SOLVERS = {"ours": _ours, "sympy": _sympy}


def _judge(tool: str, p: Problem, timeout: float) -> Result:
    """In a child: solve (in a grandchild, killed at ``timeout``), then check independently."""
    start = time.monotonic()
    out = attempts.bounded(lambda: SOLVERS[tool](p, timeout), timeout)
    elapsed = time.monotonic() - start
    if out is None:
        verdict = "timeout" if elapsed >= timeout - 0.05 else "unsolved"
        return Result(p.id, p.category, tool, verdict, min(elapsed, timeout))
    F, method, tried = out
    if F is None or not isinstance(F, sp.Expr) or F.has(sp.Integral) or F.has(sp.nan, sp.zoo):
        return Result(p.id, p.category, tool, "unsolved", elapsed, method, None if F is None else str(F), tried)
    try:
        with soft_deadline(CHECK_SECONDS):
            ok = independent_check(F, p.f, p.x, seed=p.index)
    except DeadlineExceeded:
        ok = None
    verdict = {True: "solved", False: "wrong", None: "unsolved"}[ok]
    return Result(p.id, p.category, tool, verdict, elapsed, method, str(F), tried)


def run_tool(tool: str, problems: list[Problem], timeout: float, parallel: int, memory_mb: int) -> list[Result]:
    tasks = [(p.id, (lambda p=p: _judge(tool, p, timeout)), timeout + CHECK_SECONDS + 10) for p in problems]
    by_id = {p.id: p for p in problems}
    results = []
    for n, done in enumerate(attempts.race(tasks, float("inf"), parallel=parallel, memory_mb=memory_mb), 1):
        r = done.result
        if r is None:  # the child itself died or hung in the check
            p = by_id[done.name]
            r = Result(p.id, p.category, tool, "unsolved", timeout, None, None, [("bench", done.status)])
        results.append(r)
        print(
            f"[{tool} {n}/{len(problems)}] {r.id}: {r.verdict} {r.seconds:.2f}s {r.method or ''}",
            file=sys.stderr,
            flush=True,
        )
    order = {p.id: i for i, p in enumerate(problems)}
    return sorted(results, key=lambda r: order[r.id])


# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------


def _pct(k: int, n: int) -> str:
    return f"{100 * k / n:5.1f}%" if n else "  -  "


def report(all_results: dict[str, list[Result]]) -> None:
    print(f"{'tool':8}{'solved':>9}{'wrong':>9}{'unsolved':>10}{'timeouts':>10}{'median s':>10}{'p90 s':>9}")
    for tool, results in all_results.items():
        n = len(results)
        c = Counter(r.verdict for r in results)
        times = sorted(r.seconds for r in results)
        p90 = times[min(n - 1, int(0.9 * n))] if n else 0.0
        print(
            f"{tool:8}{_pct(c['solved'], n):>9}{_pct(c['wrong'], n):>9}{_pct(c['unsolved'], n):>10}"
            f"{c['timeout']:>10}{statistics.median(times) if n else 0:>10.3f}{p90:>9.3f}"
        )
    print()
    cats = sorted({r.category for rs in all_results.values() for r in rs})
    print(f"{'category':20}" + "".join(f"{t + ' ok/wrong/n':>20}" for t in all_results))
    for cat in cats:
        row = f"{cat:20}"
        for results in all_results.values():
            rs = [r for r in results if r.category == cat]
            c = Counter(r.verdict for r in rs)
            row += f"{c['solved']:>12}/{c['wrong']}/{len(rs)}"
        print(row)
    if "ours" in all_results:
        wins = Counter(r.method for r in all_results["ours"] if r.verdict == "solved")
        print("\nours, solving method:", ", ".join(f"{m}: {k}" for m, k in wins.most_common()))


def select(problems: list[Problem], only: str | None, first: int | None) -> list[Problem]:
    if only:
        keys = [k.strip() for k in only.split(",") if k.strip()]
        problems = [
            p
            for p in problems
            if any(
                (k.isdigit() and p.index == int(k)) or k == p.category or (not k.isdigit() and k in p.id) for k in keys
            )
        ]
    return problems[:first] if first else problems


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--timeout", "--limit", type=float, default=20.0, help="seconds per problem (default 20)")
    ap.add_argument("--only", help="comma-separated 1-based indices, ids (or parts of them) or categories")
    ap.add_argument("--first", type=int, help="only the first N (selected) problems")
    ap.add_argument("--jobs", type=int, default=2, help="busy processes at once (default 2)")
    ap.add_argument("--tools", default="ours,sympy", help="ours, sympy or both (default)")
    ap.add_argument("--memory", type=int, default=4000, help="MiB per process (default 4000)")
    ap.add_argument("--json", type=Path, help="write one JSON line per (tool, problem) here")
    ap.add_argument("--verbose", action="store_true", help="list every problem not solved")
    args = ap.parse_args(argv)

    sp.Symbol("x").diff(sp.Symbol("x"))  # warm SymPy before forking
    problems = select(load(args.corpus), args.only, args.first)
    tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    results: dict[str, list[Result]] = {}
    for tool in tools:
        # find() keeps two children busy; plain integrate one.
        parallel = max(1, args.jobs // 2) if tool == "ours" else max(1, args.jobs)
        results[tool] = run_tool(tool, problems, args.timeout, parallel, args.memory)
    if args.json:
        with args.json.open("w") as out:
            for rs in results.values():
                for r in rs:
                    out.write(json.dumps(r.__dict__, default=str) + "\n")
    if args.verbose:
        for tool, rs in results.items():
            for r in rs:
                if r.verdict != "solved":
                    print(f"{tool} {r.verdict:8} {r.id} {r.seconds:.1f}s {r.tried}")
        print()
    print(f"{len(problems)} problems, {args.timeout:g} s each\n")
    report(results)


if __name__ == "__main__":
    main()
