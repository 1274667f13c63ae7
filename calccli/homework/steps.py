"""Step-by-step derivatives, the way they are taught, and the :class:`Step` both kinds of steps are made of.

``derivative_steps`` walks the expression tree itself (sum, constant multiple,
product, quotient, power, chain rule with named intermediate variables, table
derivatives).  Every step it emits is checked against ``sp.diff`` (with the
:data:`~calccli.homework.equivalence.STEP` policy) before it is shown; a node whose
steps would not check out is explained as "by SymPy's differentiation" instead, so
a wrong step is never displayed.  Antiderivatives: :mod:`calccli.homework.integral_steps`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

import sympy as sp

from calccli.calculus.common import as_expr, differentiate, tidy
from calccli.errors import MathError
from calccli.homework import equivalence
from calccli.process.budget import Budget

__all__ = ["MAX_STEPS", "Step", "derivative_steps", "fresh_names", "product", "times", "trim"]


@dataclass(frozen=True, slots=True)
class Step:
    """One line of an explanation.

    ``result`` is the derivative (or antiderivative) of ``expr``; steps of a rule's
    sub-problems follow it at ``depth + 1``.
    """

    depth: int
    rule: str
    expr: sp.Expr
    result: sp.Expr
    detail: str


# At most this many steps are shown; deeper levels are dropped first (each kept
# step's result is complete on its own, so nothing shown becomes wrong).
MAX_STEPS = 60
# At most this many nodes are explained rule by rule; further nodes get one step each,
# so a huge formula costs time proportional to its size, not to its size times its depth.
_MAX_NODES = 200
SYMPY_RULE = "SymPy"
COLLAPSED_RULE = "by the rules above"


def _equal(a: sp.Expr, b: sp.Expr) -> bool:
    """Cheap equality (the STEP policy): structural, or at sample points; undecided counts as unequal."""
    return equivalence.compare(a, b, (), equivalence.STEP).equal


def _true_derivative(e: sp.Expr, x: sp.Symbol) -> sp.Expr:
    """``d/dx e`` as calccli computes it (step functions settled), else plain ``sp.diff``."""
    try:
        return differentiate(e, x)
    except MathError:
        return sp.diff(e, x)


def fresh_names(pool: Iterable[str], avoid: set[str]) -> Iterator[str]:
    """Names from ``pool``, then ``<first>1``, ``<first>2``, ..., skipping ``avoid``."""
    pool = list(pool)
    for name in pool:
        if name not in avoid:
            yield name
    i = 1
    while True:
        name = f"{pool[0]}{i}"
        if name not in avoid:
            yield name
        i += 1


def _d(e: sp.Expr, x: sp.Symbol) -> str:
    """``d/dx e``, with a sum in parentheses."""
    return f"d/d{x} ({e})" if e.is_Add else f"d/d{x} {e}"


def times(factor: sp.Expr, differential: str) -> str:
    """``factor*du/dx`` with the factor parenthesised when reading it otherwise is unclear."""
    if factor == 1:
        return differential
    if factor == -1:
        return f"-{differential}"
    text = str(factor)
    if factor.is_Add or "/" in text:
        text = f"({text})"
    return f"{text}*{differential}"


def product(factors: Iterable[sp.Expr]) -> str:
    """The factors of a chain rule multiplied as they stand, before any simplification.

    >>> x = sp.Symbol("x")
    >>> product([sp.exp(sp.sin(x**2)), sp.cos(x**2), 2 * x])
    'exp(sin(x**2))*cos(x**2)*2*x'
    >>> product([-sp.sin(x + 1), x + 2, sp.S.One])
    '-sin(x + 1)*(x + 2)'
    """
    shown = [f for f in factors if f != 1] or [sp.S.One]
    texts = []
    for i, f in enumerate(shown):
        t = str(f)
        if f.is_Add or (i > 0 and (t.startswith("-") or "/" in t)):
            t = f"({t})"
        texts.append(t)
    return "*".join(texts)


_TABLE_RULES: tuple[tuple[tuple[type, ...], str], ...] = (
    ((sp.sin, sp.cos, sp.tan, sp.cot, sp.sec, sp.csc), "trig rule"),
    ((sp.sinh, sp.cosh, sp.tanh, sp.coth, sp.sech, sp.csch), "hyperbolic rule"),
    ((sp.asin, sp.acos, sp.atan, sp.acot, sp.asec, sp.acsc), "inverse trig rule"),
    ((sp.asinh, sp.acosh, sp.atanh, sp.acoth, sp.asech, sp.acsch), "inverse hyperbolic rule"),
    ((sp.exp,), "exponential rule"),
    ((sp.log,), "logarithm rule"),
    ((sp.Abs,), "absolute value rule"),
)


def _table_rule(e: sp.Expr) -> str | None:
    """The name of the table rule for a one-argument function SymPy and students both know."""
    if not isinstance(e, sp.Function) or len(e.args) != 1:
        return None
    for classes, name in _TABLE_RULES:
        if isinstance(e, classes):
            return name
    return None


@dataclass(frozen=True, slots=True)
class _Link:
    """One layer ``outer(inner)`` of a composition, with ``outer`` applied to a named variable."""

    node: sp.Expr  # the layer in terms of x
    inner: sp.Expr
    outer: Callable[[sp.Expr], sp.Expr]
    rule: str


def _power(n: sp.Expr) -> Callable[[sp.Expr], sp.Expr]:
    """The outer layer ``a -> a**n``."""
    return lambda a: a**n


def _exponential(base: sp.Expr) -> Callable[[sp.Expr], sp.Expr]:
    """The outer layer ``a -> base**a``."""
    return lambda a: base**a


class _WrongStep(Exception):
    """A step did not check out against ``sp.diff``: explain this node by SymPy instead."""


class _Differentiator:
    """Builds the steps of d/dx f; one instance per call of ``derivative_steps``."""

    def __init__(self, f: sp.Expr, x: sp.Symbol) -> None:
        self.x = x
        self.nodes = 0
        self._names: list[str] = []
        self._gen = iter(fresh_names(("u", "v", "w"), {s.name for s in f.free_symbols} | {x.name}))

    def name(self, i: int) -> sp.Symbol:
        """The i-th intermediate variable (u, v, w, u1, ...): real, like calccli's variables."""
        while len(self._names) <= i:
            self._names.append(next(self._gen))
        return sp.Symbol(self._names[i], real=True)

    # -- one node ---------------------------------------------------------

    def node(self, e: sp.Expr, depth: int, first_name: int) -> tuple[sp.Expr, list[Step]]:
        """(d/dx e, its steps).  ``first_name`` is the first name this subtree may introduce,
        so a chain nested inside another never reuses its ancestors' u, v, w."""
        x = self.x
        if not e.has(x):
            return sp.S.Zero, [Step(depth, "constant rule", e, sp.S.Zero, f"{_d(e, x)} = 0: it does not depend on {x}")]
        if e == x:
            return sp.S.One, [Step(depth, "power rule", e, sp.S.One, f"{_d(x, x)} = 1")]
        truth = _true_derivative(e, x)
        self.nodes += 1
        if self.nodes > _MAX_NODES:
            return truth, [Step(depth, COLLAPSED_RULE, e, truth, f"{_d(e, x)} = {truth}")]
        try:
            built = self._build(e, depth, first_name)
            if built is not None and not _equal(built[0], truth):
                raise _WrongStep
        except _WrongStep:
            built = None
        if built is None:
            return truth, [Step(depth, SYMPY_RULE, e, truth, f"by SymPy's differentiation: {_d(e, x)} = {truth}")]
        return built

    def _build(self, e: sp.Expr, depth: int, first_name: int) -> tuple[sp.Expr, list[Step]] | None:
        x = self.x
        if e.is_Add:
            return self._sum(e, depth, first_name)
        if e.is_Mul:
            return self._mul(e, depth, first_name)
        if e.is_Pow:
            base, n = e.as_base_exp()
            if base.has(x) and n.has(x):
                # f**g with x in both: no power or exponential rule applies as it stands.
                rewritten = sp.exp(n * sp.log(base))
                d, sub = self.node(rewritten, depth + 1, first_name)
                step = Step(depth, "rewrite", e, d, f"{e} = {rewritten} (since a**b = exp(b*log(a)))")
                return d, [step, *sub]
            if base == x:
                d = n * x ** (n - 1)
                return d, [Step(depth, "power rule", e, d, f"{_d(x, x)}**n = n*{x}**(n - 1): {_d(e, x)} = {d}")]
            if n == x:
                d = e * sp.log(base)
                return d, [Step(depth, "exponential rule", e, d, f"d/d{x} a**{x} = a**{x}*log(a): {_d(e, x)} = {d}")]
            return self._chain(e, depth, first_name)
        rule = _table_rule(e)
        if rule is None:
            return None
        if e.args[0] == x:
            d = sp.diff(e, x)
            return d, [Step(depth, rule, e, d, f"{_d(e, x)} = {d}")]
        return self._chain(e, depth, first_name)

    # -- the rules --------------------------------------------------------

    def _sum(self, e: sp.Expr, depth: int, first_name: int) -> tuple[sp.Expr, list[Step]]:
        terms = e.as_ordered_terms()
        parts = [self.node(t, depth + 1, first_name) for t in terms]
        d = sp.Add(*(p[0] for p in parts))
        detail = f"(f + g)' = f' + g': differentiate the {len(terms)} terms separately and add"
        return d, [Step(depth, "sum rule", e, d, detail), *(s for p in parts for s in p[1])]

    def _mul(self, e: sp.Expr, depth: int, first_name: int) -> tuple[sp.Expr, list[Step]] | None:
        x = self.x
        c, rest = e.as_independent(x, as_Add=False)
        if c != 1:
            d_rest, sub = self.node(rest, depth + 1, first_name)
            d = c * d_rest
            return d, [Step(depth, "constant multiple rule", e, d, f"(c*f)' = c*f' with c = {c}, f = {rest}"), *sub]
        factors = e.as_ordered_factors()
        above = [f for f in factors if not (f.is_Pow and f.exp.is_number and f.exp.is_negative)]
        below = [f.base**-f.exp for f in factors if f.is_Pow and f.exp.is_number and f.exp.is_negative]
        if below and above:
            u, v = sp.Mul(*above), sp.Mul(*below)
            du, sub_u = self.node(u, depth + 1, first_name)
            dv, sub_v = self.node(v, depth + 1, first_name)
            d = (du * v - u * dv) / v**2
            detail = f"u = {u}, v = {v}: (u/v)' = (u'*v - u*v')/v**2"
            return d, [Step(depth, "quotient rule", e, d, detail), *sub_u, *sub_v]
        if len(factors) < 2:
            return None
        u, v = factors[0], sp.Mul(*factors[1:])
        du, sub_u = self.node(u, depth + 1, first_name)
        dv, sub_v = self.node(v, depth + 1, first_name)
        d = du * v + u * dv
        detail = f"u = {u}, v = {v}: (u*v)' = u'*v + u*v'"
        return d, [Step(depth, "product rule", e, d, detail), *sub_u, *sub_v]

    def _link(self, e: sp.Expr) -> _Link | None:
        """``e`` as outer(inner) with inner not just x, if it is such a composition."""
        x = self.x
        if e.is_Pow:
            base, n = e.as_base_exp()
            if base.has(x) and not n.has(x) and base != x:
                return _Link(e, base, _power(n), "power rule")
            if n.has(x) and not base.has(x) and n != x:
                return _Link(e, n, _exponential(base), "exponential rule")
            return None
        rule = _table_rule(e)
        if rule is not None and e.args[0] != x:
            return _Link(e, e.args[0], e.func, rule)
        return None

    def _chain(self, e: sp.Expr, depth: int, first_name: int) -> tuple[sp.Expr, list[Step]] | None:
        """The chain rule over the whole composition at once, innermost layer named u."""
        x = self.x
        links: list[_Link] = []
        cur = e
        while (link := self._link(cur)) is not None:
            links.append(link)
            cur = link.inner
        if not links:
            return None
        # names: the innermost expression (cur) gets the first, each layer but the outermost the next
        names = [self.name(first_name + i) for i in range(len(links))]
        d_prev, sub = self.node(cur, depth + 1, first_name + len(links))
        lets = [f"{names[0]} = {cur}"]
        link_steps: list[Step] = []
        factors = [d_prev]  # innermost first: d(cur)/dx, then each layer's derivative at its inner expression
        for i, link in enumerate(reversed(links)):
            var = names[i]
            outer = link.outer(var)
            factor = sp.diff(outer, var)
            if factor.has(sp.Derivative, sp.Subs):
                return None
            factors.append(factor.xreplace({var: link.inner}))
            d = factors[-1] * d_prev
            said = f"{_d(outer, x)} = {times(factor, f'd{var}/d{x}')}"
            if link is links[0]:
                detail = f"let {', '.join(lets)}; by the {link.rule} {said}"
                shown = [f for f in reversed(factors) if f != 1]
                unsimplified = sp.Mul(*shown, evaluate=False) if len(shown) > 1 else d  # LaTeX shows it as is
                combined = Step(depth + 1, "multiply", e, unsimplified, f"{_d(e, x)} = {product(shown)}")
                return d, [Step(depth, "chain rule", e, d, detail), *sub, *link_steps, combined]
            if not _equal(d, _true_derivative(link.node, x)):
                raise _WrongStep
            new = names[i + 1]
            lets.append(f"{new} = {outer}")
            link_steps.append(Step(depth + 1, link.rule, link.node, d, f"{new} = {outer}: {said}"))
            d_prev = d
        raise AssertionError("unreachable: the outermost link returns")


def trim(steps: Sequence[Step], room: int) -> list[Step]:
    """The steps down to the deepest level that fits in ``room`` steps (the top level always fits)."""
    if len(steps) <= room:
        return list(steps)
    depth = max(s.depth for s in steps)
    while depth > 0 and sum(s.depth <= depth for s in steps) > room:
        depth -= 1
    return [s for s in steps if s.depth <= depth]


def derivative_steps(f: sp.Expr, x: sp.Symbol, budget: Budget | None = None) -> tuple[Step, ...]:
    """The steps of d/dx f, each checked, ending with a "simplify" step at depth 0.

    ``budget`` is the computation's, for the final simplification (None: no cap).

    >>> x = sp.Symbol("x", real=True)
    >>> [s.rule for s in derivative_steps(x * sp.exp(x), x)]
    ['product rule', 'power rule', 'exponential rule', 'simplify']
    """
    f = as_expr(f)
    raw, steps = _Differentiator(f, x).node(f, 0, 0)
    final = tidy(_true_derivative(f, x), budget)
    if raw == final:
        detail = f"{_d(f, x)} = {final}"
    else:
        detail = f"collect and simplify: {raw} = {final}"
    return (*trim(steps, MAX_STEPS - 1), Step(0, "simplify", f, final, detail))
