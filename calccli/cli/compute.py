"""One function per command: formula text + options in, a result object out.

Module-level (not closures) so that a job can be handed to an already running
child process by reference; no Typer here, and SymPy only inside the calls.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any


def computation(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Each job is one computation, with its own total simplification budget."""

    @functools.wraps(fn)
    def run(*args: Any, check: str | None = None, tol: float | None = None, steps: bool = False,
            **kwargs: Any) -> Any:
        from calccli.errors import MathError, UndeterminedError

        try:
            result = fn(*args, **kwargs)
        except MathError as e:
            if check is None:
                raise
            # A grading script must not read "calccli found no answer" as "the student is wrong".
            raise UndeterminedError(f"cannot check the answer: {e.message}") from None
        if check is None and not steps:
            return result
        return _companion(result, check, tol, steps)

    return run


def _companion(result: Any, check: str | None, tol: float | None, steps: bool) -> Any:
    """The homework companion: a verdict on the user's answer (--check) and the worked solution (--steps)."""
    from calccli.formula import answer
    from calccli.homework import explain, grade
    from calccli.results import CriticalPoints, Explained

    worked, note = explain.worked(result) if steps else (None, None)
    verdict = None
    if check is not None:  # the answer is parsed here, like the formula: the engine gets SymPy objects
        given = answer.critical_points(check, result.variables) if isinstance(result, CriticalPoints) \
            else answer.value(check, grade.names(result))
        verdict = grade.grade(result, given, tol)
    return Explained(result, verdict, worked if steps else None, note)


@computation
def derivative(text: str, wrt: list[str] | None, order: int, at: str | None) -> Any:
    from calccli.calculus import differential
    from calccli.formula import build, grammar, readers

    f = grammar.formula(text, declare=sorted(set(wrt), key=wrt.index) if wrt else None)
    by = [build.symbol(grammar.check_names([n], "--wrt")[0]) for n in wrt] if wrt else []
    return differential.derivative(f, by, order, at=readers.point(at, f))


@computation
def gradient(text: str, wrt: list[str] | None, at: str | None) -> Any:
    from calccli.calculus import differential
    from calccli.formula import grammar, readers

    f = grammar.formula(text, wrt)
    return differential.gradient(f, at=readers.point(at, f))


@computation
def directional(text: str, wrt: list[str] | None, at: str | None, direction: str) -> Any:
    from calccli.calculus import differential
    from calccli.formula import grammar, readers

    f = grammar.formula(text, wrt)
    return differential.directional(f, readers.numbers(direction, "--dir"), at=readers.point(at, f))


@computation
def jacobian(text: str, wrt: list[str] | None, at: str | None) -> Any:
    from calccli.calculus import differential
    from calccli.formula import grammar, readers

    f = grammar.formula(text, wrt)
    return differential.jacobian(f, at=readers.point(at, f))


@computation
def hessian(text: str, wrt: list[str] | None, at: str | None) -> Any:
    from calccli.calculus import differential
    from calccli.formula import grammar, readers

    f = grammar.formula(text, wrt)
    return differential.hessian(f, at=readers.point(at, f))


@computation
def laplacian(text: str, wrt: list[str] | None, at: str | None) -> Any:
    from calccli.calculus import differential
    from calccli.formula import grammar, readers

    f = grammar.formula(text, wrt)
    return differential.laplacian(f, at=readers.point(at, f))


@computation
def taylor(text: str, wrt: list[str] | None, at: str | None, order: int, eval_at: str | None, expand: bool) -> Any:
    from calccli.calculus import taylor as engine
    from calccli.formula import grammar, readers

    f = grammar.formula(text, wrt)
    return engine.taylor(f, readers.point(at, f), order, readers.point(eval_at, f, "--eval"), expand)


@computation
def critical_points(text: str, wrt: list[str] | None, subject_to: list[str] | None, region: str | None) -> Any:
    from calccli.calculus import critical
    from calccli.formula import grammar, readers

    f = grammar.formula(text, wrt)
    declared = frozenset(v.name for v in f.variables)
    constraints = [grammar.equation(c, declared) for c in subject_to or []]
    if not wrt and constraints:  # a variable may appear only in a constraint: x subject to x^2 + y^2 = 1
        f = grammar.with_variables(f, *constraints)
    return critical.classify(f, constraints, readers.region(region, f))


@computation
def integral(
    text: str, wrt: list[str] | None, lower: str | None, upper: str | None, bounds: list[str] | None,
    coords: str | None, timeout: float,
) -> Any:
    import time

    from calccli.errors import UsageError
    from calccli.formula import grammar, readers
    from calccli.integration import integrate as engine

    started = time.monotonic()
    system = engine.COORDINATES[coords] if coords else None
    names = grammar.check_names(wrt, "--wrt") if wrt else []
    declared = frozenset(names) | frozenset(v.name for v in (system.variables if system else ())) | frozenset(
        b.partition("=")[0].strip() for b in bounds or [])
    ranges = [readers.bound(b, "--bound", declared) for b in bounds or []]
    if (lower is None) != (upper is None):
        raise UsageError("give both --from and --to (or --bound x=a..b)")
    f = grammar.formula(text, declare=sorted(declared) or None)
    if lower is not None and upper is not None:
        if ranges:
            raise UsageError("use either --from/--to or --bound, not both")
        x = _integration_variable(f, names)
        ranges = [readers.bound(f"{x.name}={lower}..{upper}", "--from/--to", declared)]
    _check_ranges(ranges, system)
    budget = max(0.5, 0.8 * timeout - 0.4 - (time.monotonic() - started))
    if not ranges:
        if system is not None:
            raise UsageError("--coords needs a --bound for each new variable "
                             f"({', '.join(v.name for v in system.variables)})")
        return engine.indefinite(f.expr, _integration_variable(f, names), budget)
    return engine.definite(f.expr, tuple(ranges), budget, system)


def _integration_variable(f: Any, names: list[str]) -> Any:
    from calccli.errors import UsageError
    from calccli.formula import build

    if len(names) > 1:
        raise UsageError("--wrt: integrate with respect to one variable (use --bound for multiple integrals)")
    if names:
        return build.symbol(names[0])
    if len(f.variables) > 1:
        raise UsageError(
            f"the formula has variables {', '.join(v.name for v in f.variables)}: say which to integrate with --wrt"
        )
    return f.variables[0] if f.variables else build.symbol("x")


def _check_ranges(ranges: list[Any], system: Any) -> None:
    """Innermost first: a range's limits may use only the variables of ranges outside it."""
    from calccli.errors import UsageError

    seen: list[Any] = []
    for v, a, b in ranges:
        if v in seen:
            raise UsageError(f"--bound: {v.name} has two ranges")
        inner = set(seen) | {v}
        clash = (a.free_symbols | b.free_symbols) & inner
        if clash:
            names = ", ".join(sorted(s.name for s in clash))
            raise UsageError(
                f"--bound: the range of {v.name} uses {names}, which is integrated before it; "
                "give --bound innermost first (the range of y may use x if x's --bound comes after)"
            )
        seen.append(v)
    if system is not None:
        _check_coordinate_ranges(ranges, system)
        given = {v for v, _, _ in ranges}
        if given != set(system.variables):
            raise UsageError(
                f"--coords {system.name}: give a --bound for each of "
                f"{', '.join(v.name for v in system.variables)} (got {', '.join(v.name for v, _, _ in ranges)})"
            )


def _check_coordinate_ranges(ranges: list[Any], system: Any) -> None:
    """r, rho >= 0, phi in [0, pi], theta over at most one turn: where |det J| is the Jacobian given."""
    import sympy as sp

    from calccli.errors import UsageError

    for v, a, b in ranges:
        for limit in (a, b):
            if not limit.is_number or limit.has(sp.oo, -sp.oo):
                continue
            if v.name in ("r", "rho") and bool(limit < 0):
                raise UsageError(f"--coords {system.name}: {v.name} cannot be negative (got {limit})")
            if v.name == "phi" and system.name == "spherical" and not bool(0 <= limit <= sp.pi):
                raise UsageError(f"--coords spherical: phi is the angle from the z axis, in 0..pi (got {limit})")
        if v.name == "theta" and a.is_number and b.is_number and bool(abs(b - a) > 2 * sp.pi):
            raise UsageError(f"--coords {system.name}: theta spans more than one turn ({a}..{b}); "
                             "the region would be counted twice")
