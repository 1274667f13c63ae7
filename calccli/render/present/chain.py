"""The presenter of ``calccli chain``: the graph, its local partials, the totals, then the passes at a point.

Blocks come in the order a student reads them: the graph drawn and its definitions (topological
order), the local partials on its edges, each total derivative as the sum over paths and simplified;
then at a point the forward pass, forward mode's tangents, reverse mode's adjoints (in the order
backpropagation runs: the output first) and the input derivatives; last the vector stages' Jacobians.
"""

from __future__ import annotations

import sympy as sp

from calccli.render.present.notation import subtitle, words
from calccli.render.present.registry import presenter
from calccli.render.view import Block, Graph, GraphEdge, GraphNode, Grid, Label, Row, Rows, View
from calccli.results import Chain, ChainNode, Composition, Value, text

VALUE = Label("value", "value", r"\text{value}")
VERIFIED = words("verified")


def derivative(num: str, den: str) -> Label:
    r"""The label of d num / d den: ``df/dw`` in text, ``∂f/∂w`` in the table, a fraction in LaTeX.

    >>> derivative("f", "w")
    Label(text='df/dw', pretty='∂f/∂w', latex='\\frac{\\partial f}{\\partial w}')
    """
    n, d = sp.latex(sp.Symbol(num)), sp.latex(sp.Symbol(den))
    return Label(f"d{num}/d{den}", f"∂{num}/∂{den}", rf"\frac{{\partial {n}}}{{\partial {d}}}")


def _name(name: str, phrase: str | None = None) -> Label:
    return Label(name, name if phrase is None else f"{name} ({phrase})", sp.latex(sp.Symbol(name)))


def _number(label: Label, value: Value) -> Row:
    return Row(label, value.exact, value.exact, value.numeric)


def _valued(label: Label, expr: object, value: Value | None) -> Row:
    return Row(label, expr) if value is None else Row(label, expr, value.exact, value.numeric)


def _graph(r: Chain) -> Graph:
    nodes = []
    for n in r.nodes:
        notes = []
        if n.value is not None:
            notes.append(_number(VALUE, n.value))
        if n.adjoint is not None:
            notes.append(_number(derivative(r.output, n.name), n.adjoint))
        nodes.append(GraphNode(n.name, n.kind, n.parents, n.definition, tuple(notes)))
    edges = [
        GraphEdge(
            e.node,
            e.parent,
            derivative(e.node, e.parent),
            e.local,
            None if e.value is None else e.value.exact,
            None if e.value is None else e.value.numeric,
        )
        for e in r.edges
    ]
    return Graph("graph", r.output, nodes, edges)


def _definitions(r: Chain) -> Rows:
    rows = [
        Row(
            _name(n.name, None if n.kind == "intermediate" else n.kind),
            "input" if n.definition is None else n.definition,
        )
        for n in r.nodes
    ]
    return Rows("definitions", rows, heading="definition")


def _path_label(names: tuple[str, ...]) -> Label:
    return Label(",".join(names), " → ".join(names), r" \to ".join(sp.latex(sp.Symbol(n)) for n in names))


def _totals(r: Chain) -> list[Block]:
    paths = [Row(_path_label(p.names), p.product) for t in r.totals for p in t.paths]
    factored = [Row(derivative(r.output, t.input), t.factored) for t in r.totals]
    totals = [_valued(derivative(r.output, t.input), t.total, t.value) for t in r.totals]
    good = [t.input for t in r.totals if t.verified]
    bad = [t.input for t in r.totals if not t.verified]
    if good:
        totals.append(
            Row(VERIFIED, f"✓ for {', '.join(good)}: equal to differentiating {r.output} written out in its inputs")
        )
    if bad:
        totals.append(
            Row(
                VERIFIED,
                f"✗ for {', '.join(bad)}: not confirmed by differentiating {r.output} written out in its inputs",
            )
        )
    blocks: list[Block] = []
    if paths:
        blocks.append(Rows("paths", paths, heading="product of the local partials"))
    blocks.append(Rows("path form", factored, heading="sum over paths"))
    blocks.append(Rows("total derivatives", totals, heading="in the inputs"))
    return blocks


def _at_point(r: Chain) -> list[Block]:
    blocks: list[Block] = []
    valued = [n for n in r.nodes if n.value is not None]
    if valued:
        rows = [_number(_name(n.name), n.value) for n in valued if n.value is not None]
        blocks.append(Rows("forward pass", rows, heading="value", exact_heading=None))
    if r.forward is not None:
        tangents = [(n, n.tangent) for n in r.nodes if n.tangent is not None]
        rows = [_number(derivative(n.name, r.forward), v) for n, v in tangents]
        if rows:
            blocks.append(Rows(f"forward mode (d/d{r.forward})", rows, heading="tangent", exact_heading=None))
    adjoints: list[tuple[ChainNode, Value]] = [(n, n.adjoint) for n in reversed(r.nodes) if n.adjoint is not None]
    if adjoints:
        rows = [_number(derivative(r.output, n.name), v) for n, v in adjoints]
        blocks.append(Rows("reverse mode (adjoints)", rows, heading="adjoint", exact_heading=None))
        inputs = [(n, v) for n, v in reversed(adjoints) if n.name in r.inputs]
        if inputs:
            rows = [_number(derivative(r.output, n.name), v) for n, v in inputs]
            blocks.append(Rows("input derivatives", rows, heading="derivative", exact_heading=None))
    return blocks


def _stage_name(names: tuple[str, ...], wrt: tuple[str, ...]) -> str:
    return f"d({', '.join(names)})/d({', '.join(wrt)})"


def _composition(c: Composition) -> list[Block]:
    """Each stage's Jacobian (and at p), then their product: rows the last stage, columns the first's inputs."""
    blocks: list[Block] = []
    for i, s in enumerate(c.stages, 1):
        rows, cols = list(s.names), list(s.wrt)
        title = f"stage {i} Jacobian {_stage_name(s.names, s.wrt)}"
        blocks.append(Grid(title, f"J_{{{i}}}", rows, cols, s.jacobian.tolist()))
        if s.value is not None:
            blocks.append(Grid(f"stage {i} Jacobian at p", f"J_{{{i}}}(p)", rows, cols, s.value.tolist()))
    last = list(c.stages[-1].names) if c.stages else []
    inputs = list(c.stages[0].wrt) if c.stages else []
    order = " ".join(f"J{i}" for i in range(len(c.stages), 0, -1))
    product = "J = " + r" ".join(f"J_{{{i}}}" for i in range(len(c.stages), 0, -1))
    blocks.append(Grid(f"composition {order}", product, last, inputs, c.product.tolist()))
    if c.value is not None:
        blocks.append(Grid("composition at p", "J(p)", last, inputs, c.value.tolist()))
    return blocks


def _title(r: Chain) -> str:
    if r.decomposed_from is not None:
        return f"chain rule through {r.output} = {text(r.decomposed_from)}, taken apart"
    defined = [n for n in reversed(r.nodes) if n.definition is not None]
    return "chain rule through " + "; ".join(f"{n.name} = {text(n.definition)}" for n in defined)


def _notes(r: Chain) -> list[str]:
    notes = list(r.notes)
    if r.composition is not None:
        verdict = "equals" if r.composition.verified else "was not confirmed equal to"
        notes.append(f"the product of the stages' Jacobians {verdict} the Jacobian of the composition")
    return notes


@presenter(Chain)
def chain(r: Chain) -> View:
    """The graph, local partials, totals; at a point the three passes; the vector stages' Jacobians."""
    edges = [_valued(derivative(e.node, e.parent), e.local, e.value) for e in r.edges]
    blocks: list[Block] = [_graph(r), _definitions(r)]
    if edges:
        blocks.append(Rows("local partials", edges, heading="local partial"))
    blocks.extend(_totals(r))
    blocks.extend(_at_point(r))
    if r.composition is not None:
        blocks.extend(_composition(r.composition))
    return View(lambda: _title(r), subtitle(r.at), blocks, _notes(r))
