"""The SymEngine boundary: derivatives of large systems computed in SymEngine, handed back as SymPy.

SymEngine (C++) differentiates a dense 100-variable function's 5,050 second partials in a fraction
of a second, where SymPy takes most of a minute.  Only the differentiation crosses the boundary:
the formula goes in, and the derivatives come back as the very SymPy expressions ``sp.diff`` gives
(the formula's own symbols with their assumptions, SymPy's canonical form), so that SymPy keeps the
simplifying, solving and printing.  A formula with anything SymEngine does not model exactly as
SymPy does (|x|, sign, floor, Piecewise, floats, special functions ...) stays in SymPy: these
functions return None and the caller differentiates in SymPy.

The work is sparse by term: a sum's terms are differentiated only by the variables they contain
(x1 x2 sin(x2) by x1 and x2, not by the 98 others).  ``symengine`` is imported only when a system is
large (:func:`worth_it`); its import costs about 0.15 s.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cmp_to_key
from typing import Any

import sympy as sp

# Use SymEngine when a system has at least this many derivative entries, or its formulas at least
# this many nodes in all (below that SymPy is as fast, and the import is not paid).
MIN_ENTRIES = 36
MIN_NODES = 2_000

# The SymPy functions SymEngine differentiates and converts back exactly as SymPy would.
_FUNCTIONS: tuple[type[sp.Basic], ...] = (
    sp.exp,
    sp.log,
    sp.sin,
    sp.cos,
    sp.tan,
    sp.cot,
    sp.sec,
    sp.csc,
    sp.asin,
    sp.acos,
    sp.atan,
    sp.acot,
    sp.sinh,
    sp.cosh,
    sp.tanh,
    sp.coth,
    sp.asinh,
    sp.acosh,
    sp.atanh,
)
_BY_NAME: dict[str, type[sp.Basic]] = {f.__name__: f for f in _FUNCTIONS}
# The order SymPy's Add and Mul keep their arguments in (sympy.core.operations: _args_sortkey).
_SORT_KEY = cmp_to_key(sp.Basic.compare)


class Unsupported(Exception):
    """An expression SymEngine cannot take over exactly: the caller falls back to SymPy."""


def worth_it(exprs: Sequence[sp.Expr], entries: int) -> bool:
    """Is a system of ``entries`` derivatives of ``exprs`` large enough for SymEngine?

    >>> x, y = sp.symbols("x y")
    >>> worth_it([x * y], 4), worth_it([x * y], 100)
    (False, True)
    """
    if entries >= MIN_ENTRIES:
        return True
    nodes = 0
    for e in exprs:
        for _ in sp.preorder_traversal(e):
            nodes += 1
            if nodes >= MIN_NODES:
                return True
    return False


def supported(e: sp.Basic) -> bool:
    """Does SymEngine differentiate ``e`` exactly as SymPy does (and give it back unchanged)?

    >>> x = sp.Symbol("x", real=True)
    >>> supported(x**4 + x * sp.sin(x) / sp.log(x)), supported(sp.Abs(x)), supported(x + 0.5)
    (True, False, False)
    """
    names: dict[str, sp.Symbol] = {}
    for node in sp.preorder_traversal(e):
        if node.is_Symbol:
            if type(node) is not sp.Symbol or names.setdefault(node.name, node) != node:
                return False  # a Dummy, or two symbols of one name: SymEngine knows symbols by name
        elif node.is_Number:
            if not node.is_Rational:
                return False  # floats: precision semantics differ
        elif node.is_Add or node.is_Mul or node.is_Pow:
            continue
        elif node is sp.pi or node is sp.E:
            continue
        elif type(node) not in _FUNCTIONS or len(node.args) != 1:
            return False
    return True


def _symengine() -> Any:
    import symengine

    return symengine


def _to_symengine(e: sp.Basic) -> Any:
    """A SymPy tree as a SymEngine one, node for node (text is refused, never parsed)."""
    from symengine.lib.symengine_wrapper import sympy2symengine

    if not isinstance(e, sp.Basic):
        raise TypeError("only SymPy objects cross into SymEngine")
    return sympy2symengine(e, True)


def _plain(factor: sp.Basic) -> bool:
    """A factor SymPy's Mul would not merge with another distinct one: x, x^k, f(u), f(u)^k."""
    if factor.is_Pow:
        factor, exp = factor.args
        if not exp.is_Rational:
            return False
    return bool(factor.is_Symbol) or type(factor) in _FUNCTIONS


def _canonical(op: type[sp.Add] | type[sp.Mul], args: list[sp.Expr]) -> sp.Expr:
    """``op(*args)`` for the arguments of a SymEngine sum or product (already collected: no two
    terms alike, no two factors of one base), put in SymPy's canonical order directly when nothing
    in them could make SymPy's flatten do more than sort; else through SymPy's constructor."""
    numbers = [a for a in args if a.is_Number]
    rest = [a for a in args if not a.is_Number]
    if len(numbers) > 1 or (numbers and not numbers[0].is_Rational) or len(rest) < 1:
        return op(*args)
    if op is sp.Mul:
        if not all(_plain(a) for a in rest) or (numbers and numbers[0] == 0):
            return op(*args)
    elif not all(_plain(a) or (a.is_Mul and all(f.is_Rational or _plain(f) for f in a.args)) for a in rest):
        return op(*args)
    if numbers and numbers[0] == (1 if op is sp.Mul else 0):
        numbers = []
    if len(rest) + len(numbers) == 1:
        return (numbers or rest)[0]
    rest.sort(key=_SORT_KEY)
    return op._from_args(numbers + rest, True)  # type: ignore[attr-defined, no-any-return]


class _Back:
    """SymEngine → SymPy, node by node through SymPy's constructors (its canonical form), with the
    formula's own symbols and each repeated subexpression converted once."""

    def __init__(self, symbols: Sequence[sp.Symbol]) -> None:
        se = _symengine()
        self.se = se
        self.memo: dict[Any, sp.Expr] = {se.Symbol(s.name): s for s in symbols}

    def __call__(self, node: Any) -> sp.Expr:
        hit = self.memo.get(node)
        if hit is not None:
            return hit
        se = self.se
        if isinstance(node, se.Add):
            out = _canonical(sp.Add, [self(a) for a in node.args])
        elif isinstance(node, se.Mul):
            out = _canonical(sp.Mul, [self(a) for a in node.args])
        elif isinstance(node, se.Pow):
            base, exp = node.args
            out = sp.Pow(self(base), self(exp))
        elif isinstance(node, (se.Integer, se.Rational)) or node in (se.pi, se.E):
            out = node._sympy_()
        elif isinstance(node, se.Symbol):
            raise Unsupported(f"a symbol SymEngine made up: {node}")
        else:
            func = _BY_NAME.get(type(node).__name__)
            if func is None or len(node.args) != 1:
                raise Unsupported(f"SymEngine returned {type(node).__name__}")
            out = func(self(node.args[0]))
        self.memo[node] = out
        return out  # type: ignore[no-any-return]


def _terms(e: Any, index: dict[Any, int]) -> list[tuple[Any, list[int]]]:
    """The terms of a SymEngine sum, each with the (sorted) indices of the variables it contains."""
    se = _symengine()
    terms = e.args if isinstance(e, se.Add) else (e,)
    out = []
    for t in terms:
        held = sorted(index[s] for s in t.free_symbols if s in index)
        if held:
            out.append((t, held))
    return out


def _flat(d: Any) -> bool:
    """Is the SymEngine derivative ``d`` a plain sum of products (no sum inside a product or power)?

    Then SymPy's canonical form of it is the one ``sp.diff`` gives; a product rule that leaves a
    sum as a factor (``(tan(x)^2 + 1) tan(x)``) may be grouped differently by the two engines.
    """
    se = _symengine()
    stack = list(d.args) if isinstance(d, se.Add) else [d]
    while stack:
        node = stack.pop()
        if isinstance(node, (se.Mul, se.Pow)):
            for a in node.args:
                if isinstance(a, se.Add):
                    return False
                stack.append(a)
        elif isinstance(node, se.Add):
            return False
    return True


class _Sum:
    """One derivative, summed over the terms of the formula: SymEngine's flat parts, summed in
    SymEngine, and SymPy's parts for the terms whose SymEngine derivative is not flat."""

    def __init__(self) -> None:
        self.flat: list[Any] = []
        self.sympy: list[sp.Expr] = []

    def add(self, back: _Back, term: Any, d: Any, symbols: tuple[sp.Symbol, ...]) -> None:
        if _flat(d):
            self.flat.append(d)
            return
        out = back(term)
        for s in symbols:  # one variable at a time, as the SymPy path does (diff(f, x, y) groups differently)
            out = sp.diff(out, s)
        self.sympy.append(out)

    def value(self, back: _Back) -> sp.Expr:
        flat = back(_symengine().Add(*self.flat)) if self.flat else sp.S.Zero
        return sp.Add(flat, *self.sympy) if self.sympy else flat


def _prepare(exprs: Sequence[sp.Expr], variables: Sequence[sp.Symbol]) -> tuple[list[Any], list[Any], _Back] | None:
    symbols = set(variables).union(*(e.free_symbols for e in exprs))
    if len({s.name for s in symbols}) != len(symbols) or not all(supported(e) for e in exprs):
        return None
    se = _symengine()
    try:
        # SymPy objects only: the converter refuses text (symengine's own parser is never used)
        converted = [_to_symengine(e) for e in exprs]
    except (TypeError, ValueError, RuntimeError, AttributeError, NotImplementedError, se.SympifyError):
        return None
    return converted, [se.Symbol(v.name) for v in variables], _Back(sorted(symbols, key=lambda s: s.name))


def jacobian(exprs: Sequence[sp.Expr], variables: Sequence[sp.Symbol]) -> list[list[sp.Expr]] | None:
    """[[∂e/∂v for v in variables] for e in exprs], or None when SymEngine cannot take them over.

    >>> x, y = sp.symbols("x y", real=True)
    >>> jacobian([x**2 * y, sp.sin(x * y)], [x, y])
    [[2*x*y, x**2], [y*cos(x*y), x*cos(x*y)]]
    """
    prepared = _prepare(exprs, variables)
    if prepared is None:
        return None
    converted, vs, back = prepared
    index = {v: i for i, v in enumerate(vs)}
    rows = []
    try:
        for e in converted:
            parts = [_Sum() for _ in vs]
            for t, held in _terms(e, index):
                for i in held:
                    parts[i].add(back, t, t.diff(vs[i]), (variables[i],))
            rows.append([p.value(back) for p in parts])
    except (Unsupported, RuntimeError, TypeError, ValueError):
        return None
    return rows


def hessian(expr: sp.Expr, variables: Sequence[sp.Symbol]) -> dict[tuple[int, int], sp.Expr] | None:
    """{(i, j): ∂²e/∂vᵢ∂vⱼ for i <= j}, or None when SymEngine cannot take the expression over.

    >>> x, y = sp.symbols("x y", real=True)
    >>> hessian(x**3 * y + sp.exp(y), [x, y])
    {(0, 0): 6*x*y, (0, 1): 3*x**2, (1, 1): exp(y)}
    """
    prepared = _prepare([expr], variables)
    if prepared is None:
        return None
    (e,), vs, back = prepared
    index = {v: i for i, v in enumerate(vs)}
    parts: dict[tuple[int, int], _Sum] = {}
    n = len(vs)
    try:
        for t, held in _terms(e, index):
            for a, i in enumerate(held):
                di = t.diff(vs[i])
                for j in held[a:]:
                    parts.setdefault((i, j), _Sum()).add(back, t, di.diff(vs[j]), (variables[i], variables[j]))
        return {
            (i, j): parts[i, j].value(back) if (i, j) in parts else sp.S.Zero for i in range(n) for j in range(i, n)
        }
    except (Unsupported, RuntimeError, TypeError, ValueError):
        return None
