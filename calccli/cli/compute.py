"""The parse stage of each command: formula text and options in, a bound engine call out.

Each function reads the formula and its options with :mod:`calccli.formula` and returns the
engine function with its SymPy arguments bound (a ``functools.partial``); the pipeline then
calls it with the computation's :class:`~calccli.process.budget.Budget`.  Module-level, and
SymPy only inside the calls, so that the command table can be imported at start-up.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from calccli.cli.request import Request

Call = Callable[..., Any]  # an engine function with everything bound but ``budget``


def _at_points(kind: str, f: Any, r: Request, wrt: Any = None, order: int = 1) -> Call | None:
    """--points: the derivative at every point of a file; None without it."""
    from calccli.errors import UsageError

    if r.given("points") is None:
        return None
    if r.option("at") is not None:
        raise UsageError("--points evaluates at the file's points: give it without --at")
    from calccli.calculus import at_points

    data = _read_points_file(r.given("points"))
    return partial(at_points.derivatives_at_points, kind, f, data, wrt=wrt, order=order)


def derivative(text: str, r: Request) -> Call:
    from calccli.calculus import differential
    from calccli.formula import build, grammar, readers

    wrt = r.option("wrt")
    declared = list(dict.fromkeys((wrt or []) + readers.constants_named(r.option("at"))))
    f = grammar.formula(text, declare=declared or None)
    by = [build.symbol(grammar.check_names([n], "--wrt")[0]) for n in wrt] if wrt else []
    other = _at_points("diff", f, r, wrt=by or None, order=r.option("order"))
    if other is not None:
        return other
    return partial(differential.derivative, f, by, r.option("order"), at=readers.point(r.option("at"), f))


def gradient(text: str, r: Request) -> Call:
    from calccli.calculus import differential
    from calccli.formula import grammar, readers

    f = grammar.formula(text, r.option("wrt"), declare=readers.constants_named(r.option("at")) or None)
    other = _at_points("grad", f, r)
    if other is not None:
        return other
    return partial(differential.gradient, f, at=readers.point(r.option("at"), f))


def directional(text: str, r: Request) -> Call:
    from calccli.calculus import differential
    from calccli.formula import grammar, readers

    f = grammar.formula(text, r.option("wrt"), declare=readers.constants_named(r.option("at")) or None)
    direction = readers.numbers(r.option("dir"), "--dir")
    return partial(differential.directional, f, direction, at=readers.point(r.option("at"), f))


def jacobian(text: str, r: Request) -> Call:
    from calccli.calculus import differential
    from calccli.formula import grammar, readers

    f = grammar.formula(text, r.option("wrt"), declare=readers.constants_named(r.option("at")) or None)
    other = _at_points("jacobian", f, r)
    if other is not None:
        return other
    return partial(differential.jacobian, f, at=readers.point(r.option("at"), f))


def hessian(text: str, r: Request) -> Call:
    from calccli.calculus import differential
    from calccli.formula import grammar, readers

    f = grammar.formula(text, r.option("wrt"), declare=readers.constants_named(r.option("at")) or None)
    other = _at_points("hessian", f, r)
    if other is not None:
        return other
    return partial(differential.hessian, f, at=readers.point(r.option("at"), f))


def laplacian(text: str, r: Request) -> Call:
    from calccli.calculus import differential
    from calccli.formula import grammar, readers

    f = grammar.formula(text, r.option("wrt"), declare=readers.constants_named(r.option("at")) or None)
    return partial(differential.laplacian, f, at=readers.point(r.option("at"), f))


def taylor(text: str, r: Request) -> Call:
    from calccli.calculus import taylor as engine
    from calccli.formula import grammar, readers

    named = readers.constants_named(r.option("at")) + readers.constants_named(r.option("eval"))
    f = grammar.formula(text, r.option("wrt"), declare=sorted(set(named)) or None)
    return partial(
        engine.taylor,
        f,
        readers.point(r.option("at"), f),
        r.option("order"),
        readers.point(r.option("eval"), f, "--eval"),
        r.option("expand"),
    )


def critical_points(text: str, r: Request) -> Call:
    from calccli.calculus import critical
    from calccli.formula import grammar, readers

    wrt = r.option("wrt")
    f = grammar.formula(text, wrt)
    declared = frozenset(v.name for v in f.variables)
    constraints = [grammar.equation(c, declared) for c in r.option("subject_to") or []]
    if not wrt and constraints:  # a variable may appear only in a constraint: x subject to x^2 + y^2 = 1
        f = grammar.with_variables(f, *constraints)
    return partial(critical.classify, f, constraints, readers.region(r.option("in"), f))


def integral(text: str, r: Request) -> Call:
    from calccli.errors import UsageError
    from calccli.formula import build, grammar, readers
    from calccli.integration.coordinates import COORDINATES

    coords, lower, upper, bounds = r.option("coords"), r.option("from"), r.option("to"), r.option("bounds")
    system = COORDINATES[coords] if coords else None
    names = grammar.check_names(r.option("wrt"), "--wrt") if r.option("wrt") else []
    declared = (
        frozenset(names)
        | frozenset(v.name for v in (system.variables if system else ()))
        | frozenset(_bound_name(b) for b in bounds or [])
    )
    ranges = [readers.bound(b, "--bound", declared) for b in bounds or []]
    if (lower is None) != (upper is None):
        raise UsageError("give both --from and --to (or --bound x=a..b)")
    f = grammar.formula(text, declare=sorted(declared) or None)
    if lower is not None and upper is not None:
        if ranges:
            raise UsageError("use either --from/--to or --bound, not both")
        x = _integration_variable(f, names, build)
        ranges = [readers.bound(f"{x.name}={lower}..{upper}", "--from/--to", declared)]
    _check_ranges(ranges, system)
    if not ranges:
        if system is not None:
            raise UsageError(
                f"--coords needs a --bound for each new variable ({', '.join(v.name for v in system.variables)})"
            )
        from calccli.integration import indefinite

        if r.options.get("assume"):
            raise UsageError("--assume is for definite integrals (give --from/--to or --bound)")
        return partial(indefinite.indefinite, f.expr, _integration_variable(f, names, build))
    from calccli.integration import definite

    variables = {v for v, _, _ in ranges}
    free = (f.expr.free_symbols | set().union(*(a.free_symbols | b.free_symbols for _, a, b in ranges))) - variables
    if system is not None:
        free -= set(system.cartesian)
    assumed = _assumptions(r.options.get("assume") or [], free)
    return partial(definite.definite, f.expr, tuple(ranges), system=system, assumptions=assumed)


def _assumptions(given: list[str], params: set[Any]) -> dict[Any, str]:
    """``--assume a>0`` (also ``a < 0``, ``a>=0``, ``a≤0``): {a: "positive"}, for parameters of the integral only."""
    import re

    from calccli.errors import UsageError
    from calccli.formula import build, grammar
    from calccli.integration.parameters import RELATIONS

    out: dict[Any, str] = {}
    by_name = {p.name: p for p in params}
    for text in given:
        m = re.fullmatch(r"\s*([^<>=≤≥\s]+)\s*(>=|<=|>|<|≥|≤)\s*0\s*", text)
        if m is None:
            raise UsageError(f"--assume: write a sign condition such as a>0 or a<=0 (got {text.strip()!r})")
        name = grammar.check_names([_bound_name(m.group(1))], "--assume")[0]
        if name not in by_name:
            known = ", ".join(sorted(by_name)) or "none"
            raise UsageError(f"--assume: {name} is not a parameter of this integral (its parameters: {known})")
        p = by_name.get(name, build.symbol(name))
        if p in out:
            raise UsageError(f"--assume: {name} is given twice")
        out[p] = RELATIONS[{"≥": ">=", "≤": "<="}.get(m.group(2), m.group(2))]
    return out


def _bound_name(text: str) -> str:
    """The variable of a ``--bound`` as the formula reader spells it: ``θ=0..2π`` is theta's."""
    from calccli.formula.names import GREEK_CHARS

    return "".join(GREEK_CHARS.get(c, c) for c in text.partition("=")[0].strip())


def _integration_variable(f: Any, names: list[str], build: Any) -> Any:
    from calccli.errors import UsageError

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
            raise UsageError(
                f"--coords {system.name}: theta spans more than one turn ({a}..{b}); the region would be counted twice"
            )


def evaluation(text: str, r: Request) -> Call:
    """``calccli eval``: the expression's value, at ``--at`` when given."""
    from calccli.calculus import expression
    from calccli.formula import grammar, readers

    at = r.option("at")
    f = grammar.formula(text, r.option("wrt"), declare=readers.constants_named(at) or None)
    expression.require_scalar(f)
    return partial(expression.evaluate, f, at=readers.point(at, f))


def simplification(text: str, r: Request) -> Call:
    """``calccli simplify``: the simplest equal form."""
    from calccli.calculus import expression
    from calccli.formula import grammar

    f = grammar.formula(text, r.option("wrt"))
    expression.require_scalar(f)
    return partial(expression.simplify, f)


def chain(text: str, r: Request) -> Call:
    from calccli.calculus import chain as engine
    from calccli.formula import grammar, program, readers

    whole = None
    if r.option("decompose"):
        whole = grammar.formula(text, r.option("wrt"))
        p = engine.decompose(whole)
    else:
        p = program.program(text, of=r.option("of"), wrt=r.option("wrt"))
    point = readers.point(r.option("at"), p)
    return partial(
        engine.chain, p, at=point, forward=r.option("forward"), decomposed_from=whole.expr if whole else None
    )


def matdiff(text: str, r: Request) -> Call:
    from calccli.calculus import matdiff as engine
    from calccli.formula import matrix_grammar as grammar

    f = grammar.parse(text, grammar.read_shapes(r.option("shape")))
    wrt = grammar.read_variable(r.option("wrt") or _default_wrt(f), f)
    at = grammar.read_values(r.option("at")) if r.option("at") is not None else None
    order = 2 if r.option("hessian") else 1
    return partial(
        engine.matdiff, f, wrt, layout=r.option("layout"), order=order, at=at, components=r.option("components")
    )


def _default_wrt(f: Any) -> str:
    """Without --wrt: the formula's only variable, or else its only vector (x in x' A x)."""
    from calccli.errors import ArgumentError
    from calccli.results.matrix import role

    if len(f.variables) == 1:
        return str(f.variables[0].name)
    vectors = [v.name for v in f.variables if role(v) == "vector"]
    if len(vectors) == 1:
        return str(vectors[0])
    names = ", ".join(v.name for v in f.variables)
    raise ArgumentError("wrt", "give {arg}: the variable to differentiate by (one of " + names + ")")


def _start(r: Request, f: Any) -> Any:
    import sympy as sp

    from calccli.formula import readers

    if r.option("from") is None:  # the origin
        return tuple(sp.Integer(0) for _ in f.variables)
    start = readers.point(r.option("from"), f, "--from")
    assert start is not None
    return tuple(start[v] for v in f.variables)


def descend(text: str, r: Request) -> Call:
    from calccli.calculus import optimize as engine
    from calccli.formula import grammar

    f = grammar.formula(text, r.option("wrt"))
    return partial(
        engine.descend,
        f,
        _start(r, f),
        r.option("rate"),
        line_search=r.option("line_search"),
        momentum=r.option("momentum"),
        tol=r.option("grad_tol"),
        max_steps=r.option("max_steps"),
        every=r.option("every"),
    )


def newton(text: str, r: Request) -> Call:
    from calccli.calculus import optimize as engine
    from calccli.formula import grammar

    f = grammar.formula(text, r.option("wrt"))
    return partial(
        engine.newton,
        f,
        _start(r, f),
        roots=r.option("roots"),
        tol=r.option("grad_tol"),
        max_steps=r.option("max_steps"),
    )


def optimize(text: str, r: Request) -> Call:
    from calccli.calculus import optimize as engine
    from calccli.formula import grammar

    f = grammar.formula(text, r.option("wrt"))
    return partial(
        engine.compare,
        f,
        _start(r, f),
        rate=r.option("rate"),
        tol=r.option("grad_tol"),
        max_steps=r.option("max_steps"),
    )


def _read_points_file(path: str) -> str:
    """The text of --points FILE ('-': standard input), strict UTF-8."""
    import sys

    from calccli.errors import UsageError

    try:
        if path == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(path, "rb") as stream:
                data = stream.read()
        return data.decode("utf-8", errors="strict")
    except OSError as e:
        raise UsageError(f"--points: cannot read {path}: {e.strerror or e}") from None
    except UnicodeDecodeError as e:
        raise UsageError(f"--points: {path} is not valid UTF-8 (byte {e.start})") from None
