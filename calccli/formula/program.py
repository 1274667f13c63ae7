"""The program language of ``calccli chain``: definitions, one per ``;`` or line, forming a graph.

``f = (u+v)^2; u = (a+b)^2; v = (a-b)^2`` defines three nodes; the names nothing defines (``a``,
``b``) are the inputs; the first definition (or ``--of``) is the output.  A tuple definition
``(p, q) = (sin(u), u v)`` defines several nodes at once: a vector stage of the vector chain rule.
Each right side is parsed by :mod:`calccli.formula.grammar` with every defined name declared, so
that multi-letter names stay whole; an error points into the whole program text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sympy as sp

from calccli.errors import FormulaError, InputLimitError, UsageError
from calccli.formula.build import symbol
from calccli.formula.grammar import check_names, check_size, parse_rule, split_top_level
from calccli.formula.lexer import IDENTIFIER
from calccli.formula.names import FUNCTIONS, KEYWORDS, READ_CONSTANTS

MAX_DEFINITIONS = 10_000  # definitions in one program


@dataclass(frozen=True, slots=True)
class Definition:
    """One definition: a name and its formula, or the names and formulas of a tuple definition."""

    names: tuple[str, ...]
    exprs: tuple[sp.Expr, ...]
    offset: int  # where the definition starts in the program text (for errors)


@dataclass(frozen=True, slots=True)
class Program:
    """A parsed program: its definitions as written, the output, the inputs and every name's symbol."""

    text: str
    definitions: tuple[Definition, ...]
    output: str
    inputs: tuple[str, ...]  # the names nothing defines that the output uses, in order of first use
    wrt: tuple[str, ...]  # the inputs differentiated by
    symbols: dict[str, sp.Symbol]

    @property
    def variables(self) -> tuple[sp.Symbol, ...]:
        """The inputs' symbols: what ``--at`` gives values to (readers.point)."""
        return tuple(self.symbols[n] for n in self.inputs)

    @property
    def parameters(self) -> tuple[sp.Symbol, ...]:
        """None: every name is an input or a node."""
        return ()

    def defined(self) -> dict[str, sp.Expr]:
        """Every node's name -> its formula."""
        return {n: e for d in self.definitions for n, e in zip(d.names, d.exprs, strict=True)}


_OPEN = {"(": ")", "[": "]"}


def _blank_comments(text: str) -> str:
    """``text`` with each ``# ...`` comment (to the end of its line) turned into spaces, offsets kept."""
    return re.sub(r"#[^\n]*", lambda m: " " * len(m.group()), text)


def _parts(text: str) -> list[tuple[int, str]]:
    """The non-blank parts between top-level ``;`` and newlines, with their offsets."""
    out = []
    for offset, line in split_top_level(text.replace("\n", ";"), ";"):
        if line.strip():
            out.append((offset, line))
    return out


def _check_name(name: str, text: str, pos: int) -> str:
    if not IDENTIFIER.fullmatch(name):
        raise FormulaError(f"{name!r} is not a name a definition can give", text, pos)
    if name in FUNCTIONS or name in READ_CONSTANTS or name in KEYWORDS or name == "pi":
        raise FormulaError(
            f"{name} is a function or constant name; a definition cannot give it a new meaning", text, pos
        )
    return name


def _left(text: str, offset: int, lhs: str) -> tuple[list[str], bool]:
    """The names a left side defines, and whether it is a tuple ``(p, q)``."""
    stripped = lhs.strip()
    start = offset + lhs.index(stripped[0]) if stripped else offset
    if not stripped:
        raise FormulaError("a definition needs a name before '='", text, offset)
    if stripped[0] in _OPEN:
        if stripped[-1] != _OPEN[stripped[0]]:
            raise FormulaError(f"a tuple of names must end with {_OPEN[stripped[0]]!r}", text, start)
        names = [n.strip() for n in stripped[1:-1].split(",")]
        return [_check_name(n, text, start) for n in names], True
    return [_check_name(stripped, text, start)], False


_WORD = re.compile(r"[^\W\d]\w*")


def _parse(text: str, offset: int, part: str, declared: frozenset[str]) -> sp.Expr:
    """Parse ``part`` found at ``offset``; an error points into the whole program ``text``.

    Only the declared names that occur in ``part`` are passed on: the lexer's work per letter run
    grows with the declared names, and a program may declare thousands.
    """
    if not part.strip():
        raise FormulaError("empty formula after '='", text, offset)
    here = frozenset(w for w in _WORD.findall(part) if w in declared)
    try:
        e = parse_rule(part, here)
    except FormulaError as err:
        err.text, err.pos = text, None if err.pos is None else err.pos + offset
        raise
    if not isinstance(e, sp.Expr):
        raise FormulaError("this is not a formula with a value", text, offset)
    return e


def _right(text: str, offset: int, rhs: str, count: int, declared: frozenset[str]) -> tuple[sp.Expr, ...]:
    """The formulas of a right side: one, or ``count`` of a tuple ``(e1, e2)``."""
    if count == 0:
        return (_parse(text, offset, rhs, declared),)
    stripped = rhs.strip()
    start = offset + (rhs.index(stripped[0]) if stripped else 0)
    if not stripped or stripped[0] not in _OPEN or stripped[-1] != _OPEN[stripped[0]]:
        raise FormulaError("a tuple of names is defined by a tuple of formulas: (p, q) = (e1, e2)", text, start)
    parts = split_top_level(stripped[1:-1])
    if len(parts) != count:
        raise FormulaError(f"{count} names but {len(parts)} formulas", text, start)
    return tuple(_parse(text, start + 1 + o, p, declared) for o, p in parts)


def _split(text: str) -> list[tuple[int, list[str], bool, int, str]]:
    """Each definition: its offset, names, tuple or not, and where and what its right side is."""
    raw = []
    for offset, part in _parts(_blank_comments(text)):
        sides = split_top_level(part, "=")
        if len(sides) != 2:
            where = offset + len(part) - len(part.lstrip())
            raise FormulaError("each definition is name = formula (or (p, q) = (e1, e2))", text, where)
        names, is_tuple = _left(text, offset, sides[0][1])
        raw.append((offset, names, is_tuple, offset + sides[1][0], sides[1][1]))
        if len(raw) > MAX_DEFINITIONS:
            raise InputLimitError(f"the program has more than {MAX_DEFINITIONS:,} definitions")
    if not raw:
        raise FormulaError("empty program: write definitions such as f = u^2; u = x + 1", text, 0)
    return raw


def _cycle(uses: dict[str, list[str]]) -> list[str] | None:
    """A cycle of definitions (``u -> v -> u``: u uses v, v uses u), or None; iterative depth-first."""
    state: dict[str, int] = {}  # 1: on the stack, 2: done
    for root in uses:
        if state.get(root):
            continue
        stack: list[tuple[str, int]] = [(root, 0)]
        path = [root]
        state[root] = 1
        while stack:
            name, i = stack[-1]
            children = uses[name]
            if i < len(children):
                stack[-1] = (name, i + 1)
                child = children[i]
                if state.get(child) == 1:
                    return [*path[path.index(child) :], child]
                if not state.get(child):
                    state[child] = 1
                    stack.append((child, 0))
                    path.append(child)
            else:
                state[name] = 2
                stack.pop()
                path.pop()
    return None


def _first_use(names: set[str], rhs: str) -> list[str]:
    """``names`` in the order they first appear in the text ``rhs`` (ties: alphabetical)."""
    return sorted(names, key=lambda n: (rhs.find(n) if n in rhs else len(rhs), n))


def program(text: str, of: str | None = None, wrt: list[str] | None = None) -> Program:
    """Parse a program of definitions.

    >>> p = program("f = (u+v)^2; u = (a+b)^2; v = (a-b)^2")
    >>> p.output, p.inputs, p.defined()["u"]
    ('f', ('a', 'b'), (a + b)**2)
    >>> program("(p, q) = (r cos(t), r sin(t))", of="q").inputs
    ('r', 't')
    """
    check_size(text)
    raw = _split(text)
    wanted = check_names(wrt, "--wrt") if wrt else []
    defined: dict[str, int] = {}
    for offset, names, _, _, _ in raw:
        for n in names:
            if n in defined:
                raise FormulaError(f"{n} is defined twice", text, offset)
            defined[n] = offset
    declared = frozenset(defined) | frozenset(wanted)
    definitions, order = [], []
    for offset, names, is_tuple, rhs_at, rhs in raw:
        exprs = _right(text, rhs_at, rhs, len(names) if is_tuple else 0, declared)
        definitions.append(Definition(tuple(names), exprs, offset))
        order.append(rhs)
    uses = {
        n: _first_use({s.name for s in e.free_symbols}, rhs)  # type: ignore[attr-defined]
        for d, rhs in zip(definitions, order, strict=True)
        for n, e in zip(d.names, d.exprs, strict=True)
    }
    if (cycle := _cycle({n: [u for u in us if u in defined] for n, us in uses.items()})) is not None:
        raise FormulaError(f"the definitions form a cycle: {' -> '.join(cycle)}", text, defined[cycle[0]])
    output = of.strip() if of is not None else definitions[0].names[0]
    if output not in defined:
        raise UsageError(f"--of: {output!r} is not defined by the program (defined: {', '.join(defined)})")
    inputs = _inputs(output, uses, defined)
    if not inputs:
        raise UsageError(f"the output {output} depends on no input, so there is nothing to differentiate by")
    for n in wanted:
        if n in defined:
            raise UsageError(f"--wrt: {n} is defined by the program, not an input (inputs: {', '.join(inputs)})")
        if n not in inputs:
            raise UsageError(f"--wrt: {n!r} is not an input of {output} (inputs: {', '.join(inputs)})")
    every = {*defined, *(u for us in uses.values() for u in us)}
    return Program(
        text, tuple(definitions), output, tuple(inputs), tuple(wanted) or tuple(inputs), {n: symbol(n) for n in every}
    )


def _inputs(output: str, uses: dict[str, list[str]], defined: dict[str, int]) -> list[str]:
    """The inputs the output depends on, in order of first use (definitions as written, then text)."""
    needed, stack = {output}, [output]
    while stack:
        for u in uses.get(stack.pop(), []):
            if u not in needed:
                needed.add(u)
                stack.append(u)
    out: dict[str, None] = {}
    for n, us in uses.items():  # definitions in the order written
        if n in needed:
            out.update((u, None) for u in us if u not in defined)
    return list(out)


__all__ = ["MAX_DEFINITIONS", "Definition", "Program", "program"]
