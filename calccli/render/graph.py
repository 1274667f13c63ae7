"""Drawing a computation graph: as a tree in the terminal, as Graphviz DOT and as a Mermaid flowchart.

The tree puts the output at the top and each node's parents indented below it, so it reads the way
the chain rule is applied (from the output down to the inputs); a node met a second time is shown
as ``u (above)`` rather than drawn again.  DOT and Mermaid draw the same :class:`Graph` block for a
document, the data flowing upwards (inputs at the bottom), each edge labelled by its local partial.
"""

from __future__ import annotations

from collections.abc import Callable

from calccli.errors import UsageError
from calccli.render.view import Graph, GraphEdge, GraphNode, Row, View
from calccli.results import text

Spell = Callable[[object], str]  # how an expression is written in the drawing


def _plain(e: object) -> str:
    return text(e)


def pretty(e: object) -> str:
    """calccli syntax with ^ for powers, as the table writes expressions."""
    return text(e).replace("**", "^")


def _number(row: Row, spell: Spell) -> str:
    """``value = 4``, ``value = sqrt(2) ≈ 1.414213562`` (the float only when it says more)."""
    exact = "" if row.exact is None else spell(row.exact)
    if row.numeric is None:
        return exact
    approx = f"{row.numeric:.10g}"
    if exact in (approx, f"{approx}.0"):
        return exact
    return f"{exact} ≈ {approx}" if exact else approx


def annotation(row: Row, key: Callable[[Row], str], spell: Spell) -> str:
    """One labelled number beside a node: ``df/du = 48``."""
    return f"{key(row)} = {_number(row, spell)}"


def node_text(node: GraphNode, spell: Spell) -> str:
    """``u = (a + b)**2`` (an input is its name alone)."""
    return node.name if node.definition is None else f"{node.name} = {spell(node.definition)}"


def tree_lines(graph: Graph, key: Callable[[Row], str], spell: Spell = _plain) -> list[str]:
    """The graph as a tree: the output first, each node's parents below it; repeated nodes ``(above)``.

    Nodes the output does not use are drawn afterwards, each as a tree of its own.

    >>> import sympy as sp
    >>> a, b = sp.symbols("a b")
    >>> g = Graph("graph", "f", [GraphNode("a", "input", (), None), GraphNode("b", "intermediate", ("a",), a**2),
    ...     GraphNode("f", "output", ("a", "b"), a + b)], [])
    >>> print("\\n".join(tree_lines(g, lambda r: r.label.text)))
    f = a + b
    ├── a
    └── b = a**2
        └── a (above)
    """
    by_name = {n.name: n for n in graph.nodes}
    drawn: set[str] = set()
    lines: list[str] = []

    def draw(name: str, lead: str, branch: str) -> None:
        node = by_name[name]
        if name in drawn:
            lines.append(f"{lead}{branch}{name} (above)")
            return
        drawn.add(name)
        notes = "; ".join(annotation(r, key, spell) for r in node.notes)
        lines.append(f"{lead}{branch}{node_text(node, spell)}" + (f"   [{notes}]" if notes else ""))
        below = lead + ("" if not branch else "    " if branch.startswith("└") else "│   ")
        for i, parent in enumerate(node.parents):
            draw(parent, below, "└── " if i == len(node.parents) - 1 else "├── ")

    roots = [graph.output] + [n.name for n in reversed(graph.nodes) if n.name != graph.output]
    for root in roots:
        if root in by_name and root not in drawn:
            draw(root, "", "")
    return lines


def _graph(view: View, fmt: str) -> Graph:
    for block in view.blocks:
        if isinstance(block, Graph):
            return block
    raise UsageError(f"--format {fmt} draws a computation graph; only calccli chain has one")


def _pretty_key(row: Row) -> str:
    return row.label.pretty


def _label_lines(node: GraphNode) -> list[str]:
    return [node_text(node, pretty), *(annotation(r, _pretty_key, pretty) for r in node.notes)]


def _edge_label(edge: GraphEdge) -> str:
    label = f"{edge.label.pretty} = {pretty(edge.local)}"
    if edge.exact is not None:
        label += " = " + _number(Row(edge.label, edge.local, edge.exact, edge.numeric), pretty)
    return label


def _dot_string(s: str) -> str:
    r"""A DOT double-quoted string; lines joined by ``\n``.

    >>> _dot_string('say "hi" \\ bye')
    '"say \\"hi\\" \\\\ bye"'
    """
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


_DOT_SHAPES = {"input": "ellipse", "intermediate": "box", "output": "doubleoctagon"}


def dot(view: View) -> str:
    """Graphviz DOT: ``digraph chain { rankdir=BT; ... }``, nodes then edges parent -> node.

    Render it with ``dot -Tsvg``: the inputs at the bottom, the output at the top.
    """
    graph = _graph(view, "dot")
    lines = ["digraph chain {", "  rankdir=BT;", '  node [fontname="Helvetica"];', '  edge [fontname="Helvetica"];']
    for node in graph.nodes:
        label = _dot_string("\n".join(_label_lines(node))).replace("\n", "\\n")
        shape = _DOT_SHAPES.get(node.kind, "box")
        lines.append(f"  {_dot_string(node.name)} [label={label}, shape={shape}];")
    for edge in graph.edges:
        lines.append(
            f"  {_dot_string(edge.parent)} -> {_dot_string(edge.node)} [label={_dot_string(_edge_label(edge))}];"
        )
    lines.append("}")
    return "\n".join(lines) + "\n"


_MERMAID_ESCAPES = {"#": "#35;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "|": "#124;", "`": "#96;"}


def _mermaid_text(s: str) -> str:
    """Text inside a quoted Mermaid label: its specials as entity codes (``#quot;``), lines as ``<br/>``.

    >>> _mermaid_text('a < "b" # c')
    'a #lt; #quot;b#quot; #35; c'
    """
    return "".join(_MERMAID_ESCAPES.get(c, c) for c in s)


_MERMAID_SHAPES = {"input": ('(["', '"])'), "intermediate": ('["', '"]'), "output": ('[["', '"]]')}


def mermaid(view: View) -> str:
    """A Mermaid ``flowchart BT``: one line per node, then one line per edge (node ids n0, n1, ...).

    The ids are not the names: a node called ``end`` would close the flowchart.
    """
    graph = _graph(view, "mermaid")
    ids = {n.name: f"n{i}" for i, n in enumerate(graph.nodes)}
    lines = ["flowchart BT"]
    for node in graph.nodes:
        opening, closing = _MERMAID_SHAPES.get(node.kind, ('["', '"]'))
        label = "<br/>".join(_mermaid_text(s) for s in _label_lines(node))
        lines.append(f"  {ids[node.name]}{opening}{label}{closing}")
    for edge in graph.edges:
        lines.append(f'  {ids[edge.parent]} -->|"{_mermaid_text(_edge_label(edge))}"| {ids[edge.node]}')
    return "\n".join(lines) + "\n"


def render(view: View, fmt: str) -> str:
    """The view's computation graph in ``fmt`` (``"dot"`` or ``"mermaid"``); a UsageError if it has none."""
    return dot(view) if fmt == "dot" else mermaid(view)
