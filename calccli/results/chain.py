"""The result of ``calccli chain``: a computation graph, its local partials, and the chain rule through it.

A program of definitions (``f = (u+v)^2; u = (a+b)^2; ...``) is a graph: every defined name is a
node whose parents are the names its definition uses; the names nothing defines are the inputs.
The chain rule sums, over every path from the output down to an input, the product of the local
partials along the path.  At a point the same numbers come from a forward pass (values), forward
mode (tangents ∂node/∂input for one input) and reverse mode (adjoints ∂output/∂node, every
input's derivative at once).  A tuple definition ``(p, q) = (sin(u), u v)`` is a vector stage;
when the stages form layers, the Jacobian of the composition is the product of theirs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import sympy as sp

from calccli.results.values import Point, Value, jfloat, matrix_payload, point_payload, text

INPUT, INTERMEDIATE, OUTPUT = "input", "intermediate", "output"


@dataclass(frozen=True, slots=True)
class ChainNode:
    """One node: an input, an intermediate or the output, in the order the computation runs."""

    name: str
    kind: str  # INPUT, INTERMEDIATE or OUTPUT
    symbol: sp.Symbol
    definition: sp.Expr | None  # in terms of its parents (None for an input)
    parents: tuple[str, ...]  # the names its definition uses, in topological order
    expanded: sp.Expr | None  # the definition with every intermediate substituted: in the inputs only
    value: Value | None = None  # at the point (the forward pass)
    tangent: Value | None = None  # forward mode: d node / d (the forward input), at the point
    adjoint: Value | None = None  # reverse mode: d output / d node, at the point

    def payload(self) -> dict[str, object]:
        return {
            "name": self.name,
            "kind": self.kind,
            "definition": None if self.definition is None else text(self.definition),
            "parents": list(self.parents),
            "expanded": None if self.expanded is None else text(self.expanded),
            "value": _value(self.value),
            "tangent": _value(self.tangent),
            "adjoint": _value(self.adjoint),
        }


@dataclass(frozen=True, slots=True)
class ChainEdge:
    """An edge parent -> node, carrying the local partial d node / d parent."""

    node: str
    parent: str
    local: sp.Expr  # in terms of the node's parents (the names, not substituted)
    value: Value | None = None  # at the point

    def payload(self) -> dict[str, object]:
        return {"node": self.node, "parent": self.parent, "local": text(self.local), "value": _value(self.value)}


@dataclass(frozen=True, slots=True)
class ChainPath:
    """One path from the output down to an input, and the product of the local partials along it."""

    names: tuple[str, ...]  # output first, the input last
    product: sp.Expr  # the product of the edges' local partials, unsimplified, in the node names

    def payload(self) -> dict[str, object]:
        return {"path": list(self.names), "product": text(self.product)}


@dataclass(frozen=True, slots=True)
class ChainTotal:
    """d output / d input: the sum over paths, and what it is in the inputs."""

    input: str
    paths: tuple[ChainPath, ...]
    factored: sp.Expr  # the sum of the paths' products, in the node names (the path form)
    total: sp.Expr  # substituted back into the inputs and simplified
    verified: bool  # equal to differentiating the output's expanded form directly
    value: Value | None = None  # at the point

    def payload(self) -> dict[str, object]:
        return {
            "input": self.input,
            "paths": [p.payload() for p in self.paths],
            "factored": text(self.factored),
            "total": text(self.total),
            "verified": self.verified,
            "value": _value(self.value),
        }


@dataclass(frozen=True, slots=True)
class ChainStage:
    """A vector stage of the vector chain rule: its nodes, what it takes, and its Jacobian."""

    names: tuple[str, ...]  # the stage's nodes (rows)
    wrt: tuple[str, ...]  # the previous stage's nodes, or the inputs (columns)
    jacobian: sp.Matrix  # d names / d wrt, in the node names
    value: sp.Matrix | None = None  # at the point

    def payload(self) -> dict[str, object]:
        return {
            "names": list(self.names),
            "wrt": list(self.wrt),
            "jacobian": matrix_payload(self.jacobian),
            "value": None if self.value is None else matrix_payload(self.value),
        }


@dataclass(frozen=True, slots=True)
class Composition:
    """The vector chain rule: the Jacobian of the composition as the product of the stages' Jacobians."""

    stages: tuple[ChainStage, ...]  # in the order they run (the product is taken last stage first)
    product: sp.Matrix  # J_k ... J_1, substituted into the inputs and simplified
    verified: bool  # equal to the Jacobian of the composition computed directly
    value: sp.Matrix | None = None  # at the point

    def payload(self) -> dict[str, object]:
        return {
            "stages": [s.payload() for s in self.stages],
            "product": matrix_payload(self.product),
            "verified": self.verified,
            "value": None if self.value is None else matrix_payload(self.value),
        }


@dataclass(frozen=True, slots=True)
class Chain:
    """The whole answer of ``calccli chain``."""

    KIND: ClassVar[str] = "chain"
    SCHEMA: ClassVar[int] = 1

    output: str
    inputs: tuple[str, ...]  # the inputs differentiated by (all, or --wrt), in order of first use
    nodes: tuple[ChainNode, ...]  # topological order: inputs first, the output last
    edges: tuple[ChainEdge, ...]  # grouped by node, in the nodes' order
    totals: tuple[ChainTotal, ...]  # one per input
    at: Point | None = None
    forward: str | None = None  # the input forward mode differentiates by (None: no forward mode)
    composition: Composition | None = None  # when the program has vector stages in layers
    decomposed_from: sp.Expr | None = None  # the single formula --decompose took apart
    notes: tuple[str, ...] = ()

    @property
    def variables(self) -> tuple[sp.Symbol, ...]:
        """The symbols of the inputs differentiated by, in order (what a --check answer is written in)."""
        return tuple(self.node(name).symbol for name in self.inputs)

    def node(self, name: str) -> ChainNode:
        """The node called ``name``."""
        return next(n for n in self.nodes if n.name == name)

    def payload(self) -> dict[str, object]:
        """The JSON ``result`` object (docs/json.md, calccli/schemas/chain.v1.json)."""
        return {
            "output": self.output,
            "inputs": list(self.inputs),
            "order": [n.name for n in self.nodes],
            "nodes": [n.payload() for n in self.nodes],
            "edges": [e.payload() for e in self.edges],
            "totals": [t.payload() for t in self.totals],
            "at": point_payload(self.at),
            "forward": self.forward,
            "composition": None if self.composition is None else self.composition.payload(),
            "decomposed_from": None if self.decomposed_from is None else text(self.decomposed_from),
        }


def _value(v: Value | None) -> dict[str, object] | None:
    return None if v is None else {"exact": text(v.exact), "numeric": jfloat(v.numeric)}


__all__ = [
    "INPUT",
    "INTERMEDIATE",
    "OUTPUT",
    "Chain",
    "ChainEdge",
    "ChainNode",
    "ChainPath",
    "ChainStage",
    "ChainTotal",
    "Composition",
]
