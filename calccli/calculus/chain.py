"""The chain rule through a computation graph: local partials, paths, forward and reverse mode.

A program (:mod:`calccli.formula.program`) is a graph whose nodes are its definitions.  The total
derivative of the output by an input is the sum, over every path from the output down to the
input, of the product of the local partials d node / d parent along it.  At a point the same
numbers come from a forward pass (values), forward mode (tangents, one input at a time) and
reverse mode (adjoints, every input at once, in time linear in the number of edges: backpropagation).
"""

from __future__ import annotations

import heapq
import math
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from calccli.calculus import fast
from calccli.calculus.common import differentiate, require_smooth, tidy, undefined_reason, value_at
from calccli.calculus.simplifying import size
from calccli.errors import ArgumentError, MathError, UsageError
from calccli.formula.build import symbol
from calccli.formula.grammar import Formula
from calccli.formula.program import Definition, Program
from calccli.process.budget import Budget, DeadlineExceeded, soft_deadline
from calccli.results.chain import (
    INPUT,
    INTERMEDIATE,
    OUTPUT,
    Chain,
    ChainEdge,
    ChainNode,
    ChainPath,
    ChainStage,
    ChainTotal,
    Composition,
)
from calccli.results.values import Point, Value, point_text, text

MAX_PATHS = 64  # paths per input enumerated; beyond this the total is the reverse-mode accumulation
LARGE_EDGES = 400  # a graph with more edges is large: SymEngine partials, float values, no expanded forms
PROOF_SECONDS = 2.0  # one proof that a chain-rule total equals the direct derivative
TIDY_MAX_SIZE = 600  # a total larger than this (tree nodes) is shown as substituted, untidied
EXACT_SECONDS = 2.0  # the exact forward and reverse sweep at a point; then floats
CHECK_MAX_SIZE = 300  # a total at most this large is evaluated at the point to cross-check reverse mode
EXACT_MAX_SIZE = 150  # an exact value larger than this (tree nodes) switches the point to floats


@dataclass
class _Graph:
    """The graph in topological order, with each node's formula, parents and local partials."""

    order: list[str]
    kind: dict[str, str]
    definition: dict[str, sp.Expr]
    parents: dict[str, list[str]]
    local: dict[tuple[str, str], sp.Expr] = field(default_factory=dict)
    sym: dict[str, sp.Symbol] = field(default_factory=dict)

    @property
    def edges(self) -> Iterator[tuple[str, str]]:
        for n in self.order:
            for p in self.parents.get(n, ()):
                yield n, p

    @property
    def size(self) -> int:
        return sum(len(ps) for ps in self.parents.values())


# --------------------------------------------------------------------------- the graph


def _needed(p: Program, defined: dict[str, sp.Expr]) -> set[str]:
    """The nodes the output depends on (the output included)."""
    needed, stack = {p.output}, [p.output]
    while stack:
        for s in defined[stack.pop()].free_symbols:
            name = s.name  # type: ignore[attr-defined]
            if name in defined and name not in needed:
                needed.add(name)
                stack.append(name)
    return needed


def _graph(p: Program) -> _Graph:
    """Topological order: inputs in order of first use, then nodes parents first, ties as written."""
    defined = p.defined()
    needed = _needed(p, defined)
    written = [n for d in p.definitions for n in d.names if n in needed]
    rank = {n: i for i, n in enumerate(p.inputs)} | {n: len(p.inputs) + i for i, n in enumerate(written)}
    parents: dict[str, list[str]] = {}
    for n in written:
        names = {s.name for s in defined[n].free_symbols}  # type: ignore[attr-defined]
        parents[n] = sorted(names, key=rank.__getitem__)
    children: dict[str, list[str]] = {n: [] for n in rank}
    waiting = {n: len(ps) for n, ps in parents.items()}
    for n, ps in parents.items():
        for q in ps:
            children[q].append(n)
    ready = [(rank[n], n) for n in written if waiting[n] == 0]
    heapq.heapify(ready)
    order = list(p.inputs)
    for i in p.inputs:
        for c in children[i]:
            waiting[c] -= 1
            if waiting[c] == 0:
                heapq.heappush(ready, (rank[c], c))
    while ready:
        _, n = heapq.heappop(ready)
        order.append(n)
        for c in children[n]:
            waiting[c] -= 1
            if waiting[c] == 0:
                heapq.heappush(ready, (rank[c], c))
    kind = {n: INPUT for n in p.inputs} | {n: INTERMEDIATE for n in written} | {p.output: OUTPUT}
    position = {n: i for i, n in enumerate(order)}
    for ps in parents.values():  # each parent list in topological order
        ps.sort(key=position.__getitem__)
    return _Graph(order, kind, {n: defined[n] for n in written}, parents, sym=dict(p.symbols))


def _locals(g: _Graph) -> _Fast | None:
    """d node / d parent for every edge, symbolic in the parents' names.

    A large graph is differentiated in SymEngine (microseconds an edge, where SymPy takes a fifth
    of a millisecond), and its SymEngine formulas are kept for the float sweep; None otherwise.
    """
    quick = _symengine_locals(g) if g.size > LARGE_EDGES else None
    if quick is None:
        for n, e in g.definition.items():
            for q in g.parents[n]:
                g.local[n, q] = differentiate(e, g.sym[q])
    return quick


@dataclass
class _Fast:
    """A large graph's formulas and local partials as SymEngine objects, for the float sweep."""

    symbols: dict[str, Any]
    definition: dict[str, Any]
    local: dict[tuple[str, str], Any]


def _symengine_locals(g: _Graph) -> _Fast | None:
    if not all(fast.supported(e) for e in g.definition.values()):
        return None
    se = fast._symengine()
    back = fast._Back(list(g.sym.values()))
    syms = {n: se.Symbol(n) for n in g.order}
    out = _Fast(syms, {}, {})
    try:
        for n, e in g.definition.items():
            f = fast._to_symengine(e)
            out.definition[n] = f
            quick = _outer_linear(e, [g.sym[q] for q in g.parents[n]])
            if quick is None:
                for sub in sp.preorder_traversal(e):  # the derivative reuses these: SymPy builds none again
                    if sub.args:
                        back.memo[fast._to_symengine(sub)] = sub
            for i, q in enumerate(g.parents[n]):
                d = f.diff(syms[q])
                out.local[n, q] = d
                g.local[n, q] = back(d) if quick is None else quick[i]
    except (fast.Unsupported, TypeError, ValueError, RuntimeError, AttributeError, NotImplementedError):
        g.local.clear()
        return None
    return out


def _outer_linear(e: sp.Expr, parents: list[sp.Symbol]) -> list[sp.Expr] | None:
    """The local partials of a neuron ``F(c1 p1 + c2 p2 + ... + b)``: F'(...) times each c, or None.

    One derivative of F a node instead of one differentiation an edge: a dense network's nodes
    are all of this shape.
    """
    scale, f = e.as_coeff_Mul()
    if not (isinstance(f, sp.Function) and len(f.args) == 1 and f.args[0].is_Add):
        return None
    coefficients = f.args[0].as_coefficients_dict()
    if not all(k in coefficients and coefficients[k].is_Rational for k in parents):
        return None
    # F' built from F(...) itself where it can be: a new tanh(...) would be evaluated again
    outer = 1 - f**2 if isinstance(f, sp.tanh) else f if isinstance(f, sp.exp) else f.fdiff()
    return [sp.Mul(scale * coefficients[k], outer) for k in parents]


def _fast_sweep(g: _Graph, p: Program, q: _Fast, at: Point, forward: str | None) -> _AtPoint:
    """The float sweep of a large graph in SymEngine: a few microseconds a node and an edge."""
    env: dict[Any, float] = {}
    values: dict[str, Value] = {}
    locals_: dict[tuple[str, str], float] = {}
    for n in g.order:
        if n not in g.definition:
            v = float(sp.N(at[g.sym[n]], 17))
        else:
            here = {q.symbols[k]: env[q.symbols[k]] for k in g.parents[n]}
            v = _finite(q.definition[n].subs(here), n, at)
            for k in g.parents[n]:
                locals_[n, k] = _finite(q.local[n, k].subs(here), f"d{n}/d{k}", at)
        env[q.symbols[n]] = v
        values[n] = Value(sp.Float(v, 17), v)
    tangents: dict[str, float] = {}
    if forward is not None:
        for n in g.order:
            ps = g.parents.get(n, ())
            tangents[n] = math.fsum(locals_[n, k] * tangents[k] for k in ps) if ps else float(n == forward)
    adj: dict[str, list[float]] = {p.output: [1.0]}
    adjoints: dict[str, float] = {}
    for n in reversed(g.order):
        a = adjoints[n] = math.fsum(adj.get(n, ()))
        for k in g.parents.get(n, ()):
            adj.setdefault(k, []).append(a * locals_[n, k])

    def value(x: float) -> Value:
        return Value(sp.Float(x, 17), x)

    return _AtPoint(
        values,
        {e: value(x) for e, x in locals_.items()},
        {n: value(x) for n, x in tangents.items()},
        {n: value(x) for n, x in adjoints.items()},
    )


def _finite(v: Any, what: str, at: Point) -> float:
    try:
        c = complex(v)
    except (TypeError, RuntimeError) as err:
        raise MathError(f"{what} has no numerical value at {point_text(at)}") from err
    if not (math.isfinite(c.real) and math.isfinite(c.imag)):
        raise MathError(f"{what} is undefined at {point_text(at)}")
    if abs(c.imag) > 1e-12 * max(1.0, abs(c.real)):
        raise MathError(f"{what} is not real at {point_text(at)}")
    return c.real


def _expanded(g: _Graph) -> dict[str, sp.Expr]:
    """Each node's formula with every intermediate substituted: in the inputs only."""
    out: dict[str, sp.Expr] = {}
    for n in g.order:
        if n in g.definition:
            out[n] = g.definition[n].xreplace({g.sym[q]: out[q] for q in g.parents[n]})
        else:
            out[n] = g.sym[n]
    return out


# --------------------------------------------------------------------------- totals


def _count_paths(g: _Graph, output: str) -> dict[str, int]:
    """The number of paths from the output down to each node (dynamic programming, linear)."""
    count = dict.fromkeys(g.order, 0)
    count[output] = 1
    for n in reversed(g.order):
        for q in g.parents.get(n, ()):
            count[q] += count[n]
    return count


def _paths(g: _Graph, output: str, target: str) -> list[tuple[str, ...]]:
    """Every path output -> ... -> target, in the parents' order."""
    out: list[tuple[str, ...]] = []
    stack: list[tuple[str, ...]] = [(output,)]
    while stack:
        path = stack.pop()
        if path[-1] == target:
            out.append(path)
            continue
        for q in reversed(g.parents.get(path[-1], [])):
            stack.append((*path, q))
    return out


def _accumulate(g: _Graph, output: str) -> dict[str, sp.Expr]:
    """Reverse-mode symbolic accumulation: d output / d node in the node names, linear in the edges."""
    adj: dict[str, list[sp.Expr]] = {output: [sp.S.One]}
    done: dict[str, sp.Expr] = {}
    for n in reversed(g.order):
        a = sp.Add(*adj.get(n, []))
        done[n] = a
        if a == 0:
            continue
        for q in g.parents.get(n, ()):
            adj.setdefault(q, []).append(a * g.local[n, q])
    return done


def _proved_zero(d: sp.Expr, budget: Budget) -> bool:
    """Is ``d`` zero?  expand, then simplify, under the budget's soft deadline (at most PROOF_SECONDS)."""
    if d == 0:
        return True
    try:
        with soft_deadline(min(max(budget.simplify_allowance(), 0.5), PROOF_SECONDS)):
            if sp.expand(d) == 0:
                return True
            return bool(sp.simplify(d) == 0)
    except (DeadlineExceeded, RecursionError, ValueError, TypeError, NotImplementedError):
        return False


def _tidy_total(e: sp.Expr, budget: Budget, input_size: int) -> sp.Expr:
    """:func:`tidy`, and for a polynomial (which tidy keeps as it is) its factored form when shorter."""
    t = tidy(e, budget, input_size)
    if not t.is_polynomial():
        return t
    try:
        with soft_deadline(max(budget.simplify_allowance(), 0.5)):
            f = sp.factor(t)
    except (DeadlineExceeded, RecursionError, ValueError, TypeError, NotImplementedError):
        return t
    return f if sp.count_ops(f) < sp.count_ops(t) else t


def _totals(
    g: _Graph, p: Program, expanded: dict[str, sp.Expr] | None, budget: Budget, notes: list[str]
) -> list[ChainTotal]:
    count = _count_paths(g, p.output)
    accumulated: dict[str, sp.Expr] | None = None
    out = []
    for name in p.wrt:
        paths: tuple[ChainPath, ...] = ()
        if count[name] <= MAX_PATHS and expanded is not None:
            paths = tuple(
                ChainPath(path, sp.Mul(*(g.local[a, b] for a, b in zip(path, path[1:], strict=False))))
                for path in _paths(g, p.output, name)
            )
            factored = sp.Add(*(c.product for c in paths))
        else:
            accumulated = accumulated or _accumulate(g, p.output)
            factored = accumulated[name]
            notes.append(
                f"{count[name]:,} paths lead from {p.output} to {name}; the total is accumulated in reverse "
                "mode instead of listing them"
            )
        if expanded is None:
            out.append(ChainTotal(name, paths, factored, factored, False))
            continue
        substituted = factored.xreplace({g.sym[n]: expanded[n] for n in g.definition})
        direct = differentiate(expanded[p.output], g.sym[name])
        verified = _proved_zero(substituted - direct, budget)  # tidy keeps equality: prove before tidying
        if not verified:
            notes.append(f"d{p.output}/d{name} could not be proved equal to differentiating {p.output} directly")
        big = size(substituted) > TIDY_MAX_SIZE
        total = substituted if big else _tidy_total(substituted, budget, size(expanded[p.output]))
        out.append(ChainTotal(name, paths, factored, total, verified))
    return out


# --------------------------------------------------------------------------- at a point


class _Floats(Exception):  # noqa: N818 - internal signal: exact values blew up
    pass


def _exact(e: sp.Expr, at: dict[sp.Symbol, sp.Expr], what: str, budget: Budget, until: float) -> Value:
    """``e`` at the point exactly; :class:`_Floats` when it grows too large or the sweep too slow."""
    v = value_at(e, at, what, budget)
    if size(v.exact) > EXACT_MAX_SIZE or time.monotonic() > until:
        raise _Floats
    return v


def _float(e: sp.Expr, at: dict[sp.Symbol, float], what: str, where: Point) -> Value:
    """``e`` at float values of its symbols; nan, infinity or a complex number is an error."""
    v = e.xreplace({k: sp.Float(x) for k, x in at.items()}).evalf(17)
    try:
        f = complex(v)
    except TypeError as err:
        raise MathError(f"{what} has no numerical value at {point_text(where)}") from err
    if not (math.isfinite(f.real) and math.isfinite(f.imag)):
        raise MathError(f"{what} is undefined at {point_text(where)}")
    if abs(f.imag) > 1e-12 * max(1.0, abs(f.real)):
        raise MathError(f"{what} is not real at {point_text(where)}")
    return Value(sp.Float(f.real, 17), f.real)


@dataclass
class _AtPoint:
    values: dict[str, Value]
    locals: dict[tuple[str, str], Value]
    tangents: dict[str, Value]
    adjoints: dict[str, Value]


def _check_point(g: _Graph, at: Point) -> None:
    """The output must be defined and smooth at the point, every node on the way too."""
    values: dict[sp.Symbol, sp.Expr] = dict(at)
    for n in g.order:
        if n not in g.definition:
            continue
        e = g.definition[n]
        local = {g.sym[q]: values[g.sym[q]] for q in g.parents[n]}
        reason = undefined_reason(e, local)
        if reason is not None:
            raise MathError(f"{n} is undefined at {point_text(at)}: {reason}")
        require_smooth(e, local, f"the derivatives through {n} do not exist there")
        values[g.sym[n]] = e.xreplace(local)
        if size(values[g.sym[n]]) > EXACT_MAX_SIZE:
            return  # the rest is checked in floats


def _sweep(g: _Graph, p: Program, at: Point, forward: str | None, budget: Budget, exact: bool) -> _AtPoint:
    """Forward pass, local values, forward mode and the reverse sweep (linear in the edges)."""
    values: dict[str, Value] = {}
    locals_: dict[tuple[str, str], Value] = {}
    until = time.monotonic() + EXACT_SECONDS
    for n in g.order:
        if n not in g.definition:
            v = at[g.sym[n]]
            values[n] = Value(v, float(sp.N(v, 17))) if exact else Value(sp.Float(float(sp.N(v, 17)), 17), None)
            if not exact:
                values[n] = Value(values[n].exact, float(values[n].exact))
            continue
        here = {g.sym[q]: values[q].exact for q in g.parents[n]}
        if exact:
            values[n] = _exact(g.definition[n], here, n, budget, until)
            for q in g.parents[n]:
                locals_[n, q] = _exact(g.local[n, q], here, f"d{n}/d{q}", budget, until)
        else:
            fl = {k: float(v) for k, v in here.items()}
            values[n] = _float(g.definition[n], fl, n, at)
            for q in g.parents[n]:
                locals_[n, q] = _float(g.local[n, q], fl, f"d{n}/d{q}", at)
    until = time.monotonic() + EXACT_SECONDS

    def combine(terms: list[sp.Expr], budget: Budget) -> Value:
        return (_exact_sum if exact else _float_sum)(terms, budget, until)

    tangents: dict[str, Value] = {}
    if forward is not None:
        for n in g.order:
            if n not in g.definition:
                tangents[n] = combine([sp.S.One if n == forward else sp.S.Zero], budget)
            else:
                tangents[n] = combine([locals_[n, q].exact * tangents[q].exact for q in g.parents[n]], budget)
    terms: dict[str, list[sp.Expr]] = {p.output: [sp.S.One]}
    adjoints: dict[str, Value] = {}
    for n in reversed(g.order):
        adjoints[n] = combine(terms.get(n, []), budget)
        a = adjoints[n].exact
        for q in g.parents.get(n, ()):
            terms.setdefault(q, []).append(a * locals_[n, q].exact)
    return _AtPoint(values, locals_, tangents, adjoints)


def _exact_sum(terms: list[sp.Expr], budget: Budget, until: float) -> Value:
    v = value_at(sp.Add(*terms), {}, "a derivative", budget)
    if size(v.exact) > EXACT_MAX_SIZE or time.monotonic() > until:
        raise _Floats
    return v


def _float_sum(terms: list[sp.Expr], budget: Budget, until: float) -> Value:
    s = math.fsum(float(t) for t in terms)
    return Value(sp.Float(s, 17), s)


# --------------------------------------------------------------------------- the vector chain rule


def _stages(p: Program, g: _Graph) -> list[Definition] | None:
    """The definitions as layers (each uses only the previous one's names, the first only inputs), or None."""
    if all(len(d.names) == 1 for d in p.definitions):
        return None
    owner = {n: d for d in p.definitions for n in d.names}
    layers: list[Definition] = []
    current: Definition | None = owner[p.output]
    used = set()
    while current is not None:
        layers.append(current)
        used.add(current.offset)
        free = {s.name for e in current.exprs for s in e.free_symbols}  # type: ignore[attr-defined]
        below = {owner[n].offset for n in free if n in owner}
        if not below:
            if free - set(p.inputs):
                return None
            current = None
        elif len(below) == 1 and not free - set(owner):
            current = owner[next(iter(free))]
            if current.offset in used:
                return None
        else:
            return None
    if {d.offset for d in p.definitions} - used:
        return None
    return layers[::-1]


def _composition(
    p: Program, g: _Graph, expanded: dict[str, sp.Expr], at: Point | None, budget: Budget
) -> Composition | None:
    layers = _stages(p, g)
    if layers is None:
        return None
    stages = []
    previous: tuple[str, ...] = p.inputs
    full = dict(expanded)
    for d in layers:
        for n, e in zip(d.names, d.exprs, strict=True):
            if n not in full:
                full[n] = e.xreplace({g.sym[k]: v for k, v in full.items() if k in g.sym})
        jac = sp.Matrix([[differentiate(e, g.sym[w]) for w in previous] for e in d.exprs])
        stages.append((d.names, previous, jac))
        previous = d.names
    sub = {g.sym[n]: full[n] for n in full if n not in p.inputs}
    product = sp.eye(len(p.inputs))
    for _, _, jac in stages:
        product = jac.xreplace(sub) * product
    product = product.applyfunc(lambda e: tidy(e, budget, size(full[p.output])))
    outputs = layers[-1]
    direct = sp.Matrix([[differentiate(full[n], g.sym[w]) for w in p.inputs] for n in outputs.names])
    verified = all(_proved_zero(a - b, budget) for a, b in zip(product, direct, strict=True))
    chain_stages = []
    for names, wrt, jac in stages:
        value = None
        if at is not None:
            value = jac.xreplace(sub).xreplace(at).applyfunc(lambda e: tidy(e, budget))
        chain_stages.append(ChainStage(names, wrt, jac, value))
    value = None if at is None else product.xreplace(at).applyfunc(lambda e: tidy(e, budget))
    return Composition(tuple(chain_stages), product, verified, value)


# --------------------------------------------------------------------------- the engine


def _unused(p: Program, g: _Graph) -> list[str]:
    own = set(next(d.names for d in p.definitions if p.output in d.names))
    unused = [n for d in p.definitions for n in d.names if n not in g.kind and n not in own]
    return [f"{n} is defined but the output {p.output} does not use it" for n in unused]


def chain(
    p: Program,
    at: Point | None = None,
    forward: str | None = None,
    budget: Budget | None = None,
    decomposed_from: sp.Expr | None = None,
) -> Chain:
    """The chain rule through the program ``p``; at a point also forward and reverse mode.

    ``decomposed_from`` is the formula :func:`decompose` took apart, when it did.

    >>> from calccli.formula.program import program
    >>> c = chain(program("f = (u+v)^2; u = (a+b)^2; v = (a-b)^2; a = (w+x+y+z)^2; b = (w+x-y-z)^2"),
    ...           at={symbol("w"): -1, symbol("x"): 0, symbol("y"): -2, symbol("z"): 1})
    >>> c.node("f").value.exact, [t.value.exact for t in c.totals]
    (1024, [-4096, -4096, -4096, -4096])
    """
    budget = budget or Budget.unlimited()
    if forward is not None and forward not in p.inputs:
        raise ArgumentError("forward", f"{{arg}}: {forward!r} is not an input (inputs: {', '.join(p.inputs)})")
    g = _graph(p)
    quick = _locals(g)
    large = g.size > LARGE_EDGES
    notes = _unused(p, g)
    expanded = None if large else _expanded(g)
    if large:
        notes.append(
            f"the graph has {len(g.order):,} nodes and {g.size:,} edges: the expanded forms and the symbolic "
            "totals in the inputs are left out (they grow exponentially with the depth)"
        )
    point = None
    if at is not None:
        at = {k: sp.S(v) for k, v in at.items()}
        if quick is not None:
            notes.append("the values at the point are computed in floats (a large graph)")
            point = _fast_sweep(g, p, quick, at, forward)
        else:
            point = _at_point(g, p, at, forward, budget, notes, exact=not large)
    totals = _totals(g, p, expanded, budget, notes) if not (large and point is not None) else _valued_totals(p, point)
    if point is not None and not large:
        totals = [_with_value(t, point, at, budget, notes, p.output) for t in totals]  # type: ignore[arg-type]
    nodes = []
    for n in g.order:
        defn = g.definition.get(n)
        nodes.append(
            ChainNode(
                n,
                g.kind[n],
                g.sym[n],
                defn,
                tuple(g.parents.get(n, ())),
                g.sym[n] if defn is None else (None if expanded is None else expanded[n]),
                None if point is None else point.values[n],
                None if point is None or forward is None else point.tangents[n],
                None if point is None else point.adjoints[n],
            )
        )
    edges = tuple(ChainEdge(n, q, g.local[n, q], None if point is None else point.locals[n, q]) for n, q in g.edges)
    composition = None if expanded is None else _composition(p, g, expanded, at, budget)
    return Chain(
        p.output, p.wrt, tuple(nodes), edges, tuple(totals), at, forward, composition, decomposed_from, tuple(notes)
    )


def _at_point(
    g: _Graph, p: Program, at: Point, forward: str | None, budget: Budget, notes: list[str], exact: bool
) -> _AtPoint:
    if exact:
        _check_point(g, at)
        try:
            return _sweep(g, p, at, forward, budget, exact=True)
        except _Floats:
            notes.append("the exact values grow too large at this point; the values are computed in floats")
    else:
        notes.append("the values at the point are computed in floats (a large graph)")
    return _sweep(g, p, at, forward, budget, exact=False)


def _valued_totals(p: Program, point: _AtPoint | None) -> list[ChainTotal]:
    """A large graph at a point: the totals are the inputs' adjoints (no symbolic form is shown)."""
    assert point is not None
    out = []
    for name in p.wrt:
        v = point.adjoints[name]
        out.append(ChainTotal(name, (), v.exact, v.exact, False, v))
    return out


def _with_value(t: ChainTotal, point: _AtPoint, at: Point, budget: Budget, notes: list[str], output: str) -> ChainTotal:
    """The total's value is the input's adjoint; the symbolic total at the point must agree."""
    v = point.adjoints[t.input]
    if size(t.total) > CHECK_MAX_SIZE:  # evaluating a huge total to many digits costs seconds; it is verified already
        return ChainTotal(t.input, t.paths, t.factored, t.total, t.verified, v)
    try:
        check = value_at(t.total, at, f"d{output}/d{t.input}", budget)
    except MathError:
        check = None
    if check is not None and v.numeric is not None and check.numeric is not None:
        if not math.isclose(check.numeric, v.numeric, rel_tol=1e-9, abs_tol=1e-12):
            notes.append(
                f"d{output}/d{t.input}: reverse mode gives {text(v.exact)} but the total gives {text(check.exact)}"
            )
    return ChainTotal(t.input, t.paths, t.factored, t.total, t.verified, v)


# --------------------------------------------------------------------------- --decompose

_LETTERS = ("u", "v", "w", "p", "q", "r", "s", "t", "g", "h", "k", "m", "n", "a", "b", "c", "d")


def _fresh(taken: set[str]) -> Iterator[str]:
    for name in _LETTERS:
        if name not in taken:
            yield name
    i = 1
    while True:
        if f"u{i}" not in taken:
            yield f"u{i}"
        i += 1


def decompose(f: Formula) -> Program:
    """Take one formula apart, innermost first, the way the course notes do.

    >>> from calccli.formula.grammar import formula
    >>> p = decompose(formula("ln(sin(x^3)^2)"))
    >>> [(d.names[0], d.exprs[0]) for d in p.definitions]
    [('u', x**3), ('v', sin(u)), ('w', v**2), ('y', log(w))]
    """
    e = f.expr
    taken = {s.name for s in e.free_symbols}  # type: ignore[attr-defined]
    if not e.free_symbols:
        raise UsageError("the formula has no variable, so there is nothing to take apart")
    if isinstance(e, sp.Symbol):
        raise UsageError("the formula is a single variable, so there is nothing to take apart")
    out_name = next(n for n in ("y", "f", "z", "F", "out") if n not in taken)
    taken.add(out_name)
    fresh = _fresh(taken)
    named: dict[sp.Basic, sp.Symbol] = {}
    steps: list[tuple[str, sp.Expr]] = []

    def visit(node: sp.Basic) -> sp.Basic:
        if node.is_Atom or not node.free_symbols:
            return node
        if node in named:
            return named[node]
        args = [visit(a) for a in node.args]
        rebuilt = node.func(*args)
        name = out_name if node == e else next(fresh)
        named[node] = symbol(name)
        steps.append((name, rebuilt))
        return named[node]

    visit(e)
    text_ = "; ".join(f"{n} = {text(x)}" for n, x in steps)
    offsets, pos = [], 0
    for n, x in steps:
        offsets.append(pos)
        pos += len(f"{n} = {text(x)}; ")
    definitions = tuple(Definition((n,), (x,), o) for (n, x), o in zip(steps, offsets, strict=True))
    inputs = tuple(v.name for v in f.variables if v in e.free_symbols)
    symbols = {n: symbol(n) for n, _ in steps} | {n: symbol(n) for n in inputs}
    return Program(text_, definitions, out_name, inputs, inputs, symbols)


__all__ = ["chain", "decompose"]
