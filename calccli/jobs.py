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
    def run(*args: Any, **kwargs: Any) -> Any:
        from calccli.engine.common import start_computation

        start_computation()
        return fn(*args, **kwargs)

    return run


@computation
def derivative(text: str, wrt: list[str] | None, order: int, at: str | None) -> Any:
    from calccli import parse
    from calccli.engine import differential

    f = parse.formula(text, declare=sorted(set(wrt), key=wrt.index) if wrt else None)
    by = [parse.symbol(parse.check_names([n], "--wrt")[0]) for n in wrt] if wrt else []
    return differential.derivative(f, by, order, at=parse.point(at, f))


@computation
def gradient(text: str, wrt: list[str] | None, at: str | None) -> Any:
    from calccli import parse
    from calccli.engine import differential

    f = parse.formula(text, wrt)
    return differential.gradient(f, at=parse.point(at, f))


@computation
def directional(text: str, wrt: list[str] | None, at: str | None, direction: str) -> Any:
    from calccli import parse
    from calccli.engine import differential

    f = parse.formula(text, wrt)
    return differential.directional(f, parse.numbers(direction, "--dir"), at=parse.point(at, f))


@computation
def jacobian(text: str, wrt: list[str] | None, at: str | None) -> Any:
    from calccli import parse
    from calccli.engine import differential

    f = parse.formula(text, wrt)
    return differential.jacobian(f, at=parse.point(at, f))


@computation
def hessian(text: str, wrt: list[str] | None, at: str | None) -> Any:
    from calccli import parse
    from calccli.engine import differential

    f = parse.formula(text, wrt)
    return differential.hessian(f, at=parse.point(at, f))


@computation
def laplacian(text: str, wrt: list[str] | None, at: str | None) -> Any:
    from calccli import parse
    from calccli.engine import differential

    f = parse.formula(text, wrt)
    return differential.laplacian(f, at=parse.point(at, f))


@computation
def taylor(text: str, wrt: list[str] | None, at: str | None, order: int, eval_at: str | None, expand: bool) -> Any:
    from calccli import parse
    from calccli.engine import taylor as engine

    f = parse.formula(text, wrt)
    return engine.taylor(f, parse.point(at, f), order, parse.point(eval_at, f, "--eval"), expand)


@computation
def critical_points(text: str, wrt: list[str] | None, subject_to: list[str] | None, region: str | None) -> Any:
    from calccli import parse
    from calccli.engine import critical

    f = parse.formula(text, wrt)
    declared = frozenset(v.name for v in f.variables)
    constraints = [parse.equation(c, declared) for c in subject_to or []]
    if not wrt and constraints:  # a variable may appear only in a constraint: x subject to x^2 + y^2 = 1
        f = parse.with_variables(f, *constraints)
    return critical.classify(f, constraints, parse.region(region, f))
