"""Rendering ``calccli chain`` from hand-made Chain objects (independent of the engine).

The graph is D2L's: f = (u+v)^2, u = (a+b)^2, v = (a-b)^2, a = (w+x+y+z)^2, b = (w+x-y-z)^2 at
(w, x, y, z) = (-1, 0, -2, 1), where a = 4, b = 0, u = v = 16, f = 1024 and every df/d input = -4096.  The Chain is built here
with SymPy: values by substitution, adjoints by backpropagating the local partials, totals by summing
path products, each checked against direct differentiation, so the numbers the renderers show are
known independently of what they print.
"""

from __future__ import annotations

import io
import json
import re

import pytest
import sympy as sp
from jsonschema import Draft202012Validator

from calccli import schemas
from calccli.errors import UsageError
from calccli.render import Format, render
from calccli.render.encoding import fit
from calccli.render.present import present
from calccli.render.terminal import Terminal
from calccli.render.view import Graph
from calccli.results import (
    Chain,
    ChainEdge,
    ChainNode,
    ChainPath,
    ChainStage,
    ChainTotal,
    Composition,
    Gradient,
    Value,
)

W, X, Y, Z, A, B, U, V, F = sp.symbols("w x y z a b u v f", real=True)
SYM = {s.name: s for s in (W, X, Y, Z, A, B, U, V, F)}
DEFS = {
    "a": (W + X + Y + Z) ** 2,
    "b": (W + X - Y - Z) ** 2,
    "u": (A + B) ** 2,
    "v": (A - B) ** 2,
    "f": (U + V) ** 2,
}
ORDER = ["w", "x", "y", "z", "a", "b", "u", "v", "f"]
INPUTS = ("w", "x", "y", "z")
POINT = {W: sp.Integer(-1), X: sp.Integer(0), Y: sp.Integer(-2), Z: sp.Integer(1)}


def _parents(name: str) -> tuple[str, ...]:
    if name not in DEFS:
        return ()
    free = {s.name for s in DEFS[name].free_symbols}
    return tuple(n for n in ORDER if n in free)


def _expanded(name: str) -> sp.Expr:
    if name not in DEFS:
        return SYM[name]
    return DEFS[name].subs({SYM[p]: _expanded(p) for p in _parents(name)})


def _val(e: sp.Expr) -> Value:
    exact = sp.nsimplify(e)
    return Value(exact, float(exact))


def _paths(name: str, target: str) -> list[tuple[str, ...]]:
    if name == target:
        return [(name,)]
    return [(name, *rest) for p in _parents(name) for rest in _paths(p, target)]


def d2l(at: bool = True, forward: str | None = "w", composition: Composition | None = None) -> Chain:
    """D2L's graph as the engine would return it; all numbers computed here, independently."""
    values = {n: _expanded(n).subs(POINT) for n in ORDER}
    at_values = {SYM[n]: values[n] for n in ORDER}
    locals_ = {(n, p): sp.diff(DEFS[n], SYM[p]) for n in DEFS for p in _parents(n)}
    adjoint: dict[str, sp.Expr] = {"f": sp.Integer(1)}
    for n in reversed(ORDER[:-1]):  # backpropagation: each node's children have their adjoints already
        adjoint[n] = sum(
            (adjoint[c] * locals_[(c, n)].subs(at_values) for c in DEFS if n in _parents(c)), sp.Integer(0)
        )
    nodes = []
    for n in ORDER:
        kind = "input" if n in INPUTS else "output" if n == "f" else "intermediate"
        tangent = sp.diff(_expanded(n), SYM[forward]).subs(POINT) if forward else None
        nodes.append(
            ChainNode(
                n,
                kind,
                SYM[n],
                DEFS.get(n),
                _parents(n),
                None if n in INPUTS else _expanded(n),
                _val(values[n]) if at else None,
                _val(tangent) if at and tangent is not None else None,
                _val(adjoint[n]) if at else None,
            )
        )
    edges = [ChainEdge(n, p, loc, _val(loc.subs(at_values)) if at else None) for (n, p), loc in locals_.items()]
    totals = []
    for i in INPUTS:
        paths = tuple(
            ChainPath(ps, sp.Mul(*(locals_[(ps[k], ps[k + 1])] for k in range(len(ps) - 1)), evaluate=False))
            for ps in _paths("f", i)
        )
        factored = sp.Add(*(p.product for p in paths))
        sub = {SYM[n]: _expanded(n) for n in ORDER if n not in INPUTS}
        total = sp.factor(factored.subs(sub).subs(sub).subs(sub))
        direct = sp.diff(_expanded("f"), SYM[i])
        verified = sp.expand(total - direct) == 0
        totals.append(ChainTotal(i, paths, factored, total, verified, _val(total.subs(POINT)) if at else None))
    return Chain(
        "f",
        INPUTS,
        tuple(nodes),
        tuple(edges),
        tuple(totals),
        dict(POINT) if at else None,
        forward if at else None,
        composition,
        None,
        ("a note from the engine",),
    )


@pytest.fixture(scope="module")
def chain() -> Chain:
    return d2l()


@pytest.fixture(scope="module")
def symbolic() -> Chain:
    return d2l(at=False, forward=None)


def _render(result: object, fmt: Format, encoding: str = "utf-8", tty: bool = False) -> tuple[str, str]:
    return render(result, fmt, Terminal(tty, 200, False, encoding), "chain", {})  # type: ignore[arg-type]


# ----------------------------------------------------------------- the hand-made chain is right


def test_the_hand_made_chain_has_d2l_numbers(chain):
    assert chain.node("f").value.exact == 1024
    assert (chain.node("a").value.exact, chain.node("b").value.exact) == (4, 0)  # -2 squared, 0 squared
    assert (chain.node("u").value.exact, chain.node("v").value.exact) == (16, 16)
    assert [t.value.exact for t in chain.totals] == [-4096] * 4
    assert [chain.node(i).adjoint.exact for i in INPUTS] == [-4096] * 4  # reverse mode agrees
    assert chain.node("f").tangent.exact == -4096  # forward mode by w agrees
    assert all(t.verified for t in chain.totals)
    assert [len(t.paths) for t in chain.totals] == [4] * 4


# ----------------------------------------------------------------- every format renders


def test_text_shows_blocks_in_reading_order(chain):
    out, err = _render(chain, Format.TEXT)
    titles = re.findall(r"^# (.+)$", out, re.M)
    assert titles == [
        "graph",
        "definitions",
        "local partials",
        "paths",
        "path form",
        "total derivatives",
        "forward pass",
        "forward mode (d/dw)",
        "reverse mode (adjoints)",
        "input derivatives",
    ]
    assert err == "calccli: note: a note from the engine\n"
    assert "df/dw\t4*(u + v)*(a + b)" not in out  # the path form is unsimplified, per path
    assert re.search(r"^df/dw\t.*\t-4096\t-4096\.0$", out, re.M)  # total, exact value, float


def _section(out: str, title: str) -> list[str]:
    lines = out.split(f"# {title}\n", 1)[1].split("\n# ", 1)[0]
    return [ln for ln in lines.splitlines() if ln]


def test_reverse_mode_runs_from_the_output_down(chain):
    out, _ = _render(chain, Format.TEXT)
    rev = [ln.split("\t")[0] for ln in _section(out, "reverse mode (adjoints)")]
    assert rev == [f"df/d{n}" for n in reversed(ORDER)]
    values = {ln.split("\t")[0]: ln.split("\t")[1] for ln in _section(out, "reverse mode (adjoints)")}
    assert values["df/df"] == "1"
    assert values["df/du"] == values["df/dv"] == str(2 * (16 + 16))  # df/du = 2(u+v)
    forward = [ln.split("\t")[0] for ln in _section(out, "forward mode (d/dw)")]
    assert forward == [f"d{n}/dw" for n in ORDER]


def test_local_partials_are_the_edges_with_their_values(chain):
    out, _ = _render(chain, Format.TEXT)
    rows = _section(out, "local partials")
    assert len(rows) == len(chain.edges) == 14  # 4 + 4 into a and b, 2 each into u, v and f
    assert "du/da\t2*a + 2*b\t8\t8.0" in rows or "du/da\t2*(a + b)\t8\t8.0" in rows


def test_table_renders_with_pretty_labels(chain):
    out, _ = _render(chain, Format.TABLE, tty=True)
    for label in (
        "∂f/∂w",
        "∂u/∂a",
        "f → u → a → w",
        "✓ for w, x, y, z: equal to differentiating f written out in its inputs",
    ):
        assert label in out
    assert "a note from the engine" in out


def test_table_falls_back_to_ascii(chain):
    out, _ = _render(chain, Format.TABLE, encoding="ascii", tty=True)
    out.encode("ascii")
    assert "df/dw" in out and "+-- " in out and "ok for w, x, y, z: equal" in out


def test_latex_renders_fractions_and_the_graph(chain):
    out, _ = _render(chain, Format.LATEX)
    assert out.startswith(r"\begin{aligned}") and out.endswith("\\end{aligned}\n")
    assert r"\frac{\partial f}{\partial w}" in out
    assert r"u &: \left(a + b\right)^{2} \quad \leftarrow a, b" in out
    assert r"\quad \frac{\partial f}{\partial u} = 64" in out


def test_symbolic_chain_has_no_point_blocks(symbolic):
    out, _ = _render(symbolic, Format.TEXT)
    assert "# forward pass" not in out and "# reverse mode" not in out
    assert "[" not in _section(out, "graph")[0]  # no numbers beside the nodes


# ----------------------------------------------------------------- the text drawing


def _tree(out: str) -> list[str]:
    return _section(out, "graph")


def test_the_tree_draws_each_node_once_and_shared_ones_as_above(chain):
    tree = _tree(_render(chain, Format.TEXT)[0])
    drawn = [re.sub(r"^[│├└─ ]*", "", ln).split(" ")[0] for ln in tree if "(above)" not in ln]
    assert sorted(drawn) == sorted(ORDER)  # every node drawn, exactly once
    above = [re.sub(r"^[│├└─ ]*", "", ln) for ln in tree if "(above)" in ln]
    # a and b are parents of u and of v; w..z are parents of a and of b
    assert sorted(above) == sorted(["a (above)", "b (above)"] + [f"{i} (above)" for i in INPUTS])
    assert tree[0].startswith("f = (u + v)**2   [value = 1024; df/df = 1]")
    assert tree[1].startswith("├── u = (a + b)**2   [value = 16; df/du = 64]")
    assert tree[-1] == "    └── b (above)"


def test_the_tree_is_indented_by_depth(chain):
    tree = _tree(_render(chain, Format.TEXT)[0])
    depth = {re.sub(r"^[│├└─ ]*", "", ln).split(" ")[0]: len(re.match(r"^[│├└─ ]*", ln)[0]) // 4 for ln in tree}
    assert depth["f"] == 0 and depth["u"] == 1 and depth["a"] == 2 and depth["w"] == 3


def test_the_tree_in_ascii(chain):
    out = fit(_render(chain, Format.TEXT)[0], "ascii")
    tree = _tree(out)
    assert tree[1].startswith("+-- u = (a + b)**2")
    assert all(ln.isascii() for ln in tree)
    assert any(ln.startswith("|   +-- a = ") for ln in tree)


# ----------------------------------------------------------------- DOT and Mermaid

DOT_NODE = re.compile(r'^\s*"((?:[^"\\]|\\.)+)"\s*\[label="((?:[^"\\]|\\.)*)".*\];$')
DOT_EDGE = re.compile(r'^\s*"((?:[^"\\]|\\.)+)"\s*->\s*"((?:[^"\\]|\\.)+)"\s*\[label="((?:[^"\\]|\\.)*)"\];$')


def _dot(out: str) -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    lines = out.strip().splitlines()
    assert lines[0] == "digraph chain {" and lines[-1] == "}"
    assert "rankdir=BT;" in lines[1]
    nodes, edges = {}, []
    for ln in lines[1:-1]:
        if m := DOT_EDGE.match(ln):
            edges.append((m[1], m[2], m[3]))
        elif m := DOT_NODE.match(ln):
            nodes[m[1]] = m[2]
        else:
            assert re.match(r"^\s*(rankdir=BT|node \[.*\]|edge \[.*\]);$", ln), ln
    return nodes, edges


def test_dot_has_exactly_the_graphs_nodes_and_edges(chain):
    out, err = _render(chain, Format.DOT)
    nodes, edges = _dot(out)
    assert set(nodes) == set(ORDER)
    assert sorted((p, n) for p, n, _ in edges) == sorted((e.parent, e.node) for e in chain.edges)
    assert "value = 1024" in nodes["f"] and "∂f/∂w = -4096" in nodes["w"]
    assert nodes["u"].split("\\n")[:3] == ["u = (a + b)^2", "value = 16", "∂f/∂u = 64"]
    labels = {(p, n): lab for p, n, lab in edges}
    assert labels[("u", "f")].startswith("∂f/∂u = ") and labels[("u", "f")].endswith(" = 64")
    assert err == "calccli: note: a note from the engine\n"


def test_dot_escapes_quotes_and_backslashes():
    from calccli.render.graph import _dot_string

    assert _dot_string('a"b\\c') == '"a\\"b\\\\c"'


def test_mermaid_has_one_line_per_edge(chain):
    out, _ = _render(chain, Format.MERMAID)
    lines = out.strip().splitlines()
    assert lines[0] == "flowchart BT"
    edge_lines = [ln for ln in lines if "-->" in ln]
    node_lines = [ln for ln in lines[1:] if "-->" not in ln]
    assert len(edge_lines) == len(chain.edges) and len(node_lines) == len(chain.nodes)
    ids = {re.match(r"\s*(n\d+)", ln)[1]: ln for ln in node_lines}
    name = {i: re.search(r'"([^"<]+)', ln)[1].split(" = ")[0] for i, ln in ids.items()}
    pairs = sorted((name[a], name[b]) for a, b in (re.findall(r"\b(n\d+)\b", ln) for ln in edge_lines))
    assert pairs == sorted((e.parent, e.node) for e in chain.edges)
    assert any("value = 1024<br/>∂f/∂f = 1" in ln for ln in node_lines)


def test_mermaid_escapes_what_would_end_a_label():
    from calccli.render.graph import _mermaid_text

    assert _mermaid_text('x > "1" | y') == "x #gt; #quot;1#quot; #124; y"


def _small() -> Chain:
    """end = x^2 (the output) and an unused g = 3 x: a Mermaid keyword as a name, a node the output does not use."""
    x, end, g = sp.symbols("x end g", real=True)
    nodes = (
        ChainNode("x", "input", x, None, (), x, Value(sp.Integer(3), 3.0), None, Value(sp.Integer(6), 6.0)),
        ChainNode(
            "g", "intermediate", g, 3 * x, ("x",), 3 * x, Value(sp.Integer(9), 9.0), None, Value(sp.Integer(0), 0.0)
        ),
        ChainNode("end", "output", end, x**2, ("x",), x**2, Value(sp.Integer(9), 9.0), None, Value(sp.Integer(1), 1.0)),
    )
    edges = (
        ChainEdge("g", "x", sp.Integer(3), Value(sp.Integer(3), 3.0)),
        ChainEdge("end", "x", 2 * x, Value(sp.Integer(6), 6.0)),
    )
    total = ChainTotal("x", (ChainPath(("end", "x"), 2 * x),), 2 * x, 2 * x, True, Value(sp.Integer(6), 6.0))
    return Chain("end", ("x",), nodes, edges, (total,), {x: sp.Integer(3)}, None, None, None, ())


def test_a_node_called_end_does_not_break_mermaid():
    out, _ = _render(_small(), Format.MERMAID)
    assert re.search(r'^  n2\[\["end = x\^2<br/>value = 9<br/>∂end/∂end = 1"\]\]$', out, re.M)
    assert not re.search(r"\bend\s*-->|-->\|.*\|\s*end\b", out)  # edges join ids, never the bare name
    assert len([ln for ln in out.splitlines() if "-->" in ln]) == 2


def test_a_node_the_output_does_not_use_is_drawn_after_the_tree():
    tree = _tree(_render(_small(), Format.TEXT)[0])
    assert tree == [
        "end = x**2   [value = 9; dend/dend = 1]",
        "└── x   [value = 3; dend/dx = 6]",
        "g = 3*x   [value = 9; dend/dg = 0]",
        "└── x (above)",
    ]
    nodes, edges = _dot(_render(_small(), Format.DOT)[0])
    assert set(nodes) == {"x", "g", "end"} and {(p, n) for p, n, _ in edges} == {("x", "g"), ("x", "end")}


def test_floats_are_shown_only_when_they_say_more():
    x = sp.Symbol("x", real=True)
    node = ChainNode("x", "input", x, None, (), x, Value(sp.sqrt(2), 2**0.5), None, Value(sp.Rational(1, 2), 0.5))
    out = _render(Chain("x", ("x",), (node,), (), (), {x: sp.sqrt(2)}), Format.TEXT)[0]
    assert _tree(out) == ["x   [value = sqrt(2) ≈ 1.414213562; dx/dx = 1/2 ≈ 0.5]"]


@pytest.mark.parametrize("fmt", [Format.DOT, Format.MERMAID])
def test_a_result_without_a_graph_is_a_usage_error(fmt):
    x, y = sp.symbols("x y")
    grad = Gradient(x**2 * y, (x, y), (2 * x * y, x**2))
    with pytest.raises(UsageError, match=f"--format {fmt.value} draws a computation graph; only calccli chain has one"):
        _render(grad, fmt)


# ----------------------------------------------------------------- JSON


def _validator() -> Draft202012Validator:
    from referencing import Registry
    from referencing.jsonschema import DRAFT202012

    registry = Registry().with_resources(
        (name, DRAFT202012.create_resource(schemas.load_file(name))) for name in schemas.names()
    )
    return Draft202012Validator(schemas.load("calccli.chain/1"), registry=registry)


INPUT = {
    "formula": "f = (u+v)^2",
    "of": None,
    "wrt": None,
    "at": "w=-1,x=0,y=-2,z=1",
    "forward": "w",
    "decompose": False,
}


def _json(result: Chain) -> dict:
    out, _ = render(result, Format.JSON, Terminal(False, 100, False), "chain", INPUT)
    return json.loads(out)


@pytest.mark.parametrize("make", [d2l, lambda: d2l(at=False, forward=None)], ids=["at a point", "symbolic"])
def test_json_validates_against_the_schema(make):
    obj = _json(make())
    errors = list(_validator().iter_errors(obj))
    assert not errors, errors[0].message
    assert obj["schema"] == "calccli.chain/1"


def test_json_carries_the_numbers(chain):
    res = _json(chain)["result"]
    assert res["order"] == ORDER
    assert {t["input"]: t["value"]["exact"] for t in res["totals"]} == dict.fromkeys(INPUTS, "-4096")
    assert next(n for n in res["nodes"] if n["name"] == "f")["value"] == {"exact": "1024", "numeric": 1024.0}


BROKEN = {
    "unknown kind": ("nodes", 0, "kind", "leaf"),
    "value as a bare number": ("nodes", 0, "value", -1),
    "verified as text": ("totals", 0, "verified", "yes"),
    "parents as a string": ("nodes", 4, "parents", "w,x"),
    "an edge without its local": ("edges", 0, "local", KeyError),
}


@pytest.mark.parametrize("change", BROKEN.values(), ids=BROKEN.keys())
def test_the_schema_refuses_a_changed_key(chain, change):
    obj = _json(chain)
    key, i, field, value = change
    if value is KeyError:
        del obj["result"][key][i][field]
    else:
        obj["result"][key][i][field] = value
    assert not _validator().is_valid(obj)


def test_the_schema_refuses_values_without_a_point(chain):
    obj = _json(chain)
    obj["result"]["at"] = None
    assert not _validator().is_valid(obj)


# ----------------------------------------------------------------- the vector chain rule


def _composition() -> Composition:
    """(p, q) = (sin(u), u v) after (u, v) = (x y, x + y): J2 J1 against the direct Jacobian."""
    x, y, u, v = sp.symbols("x y u v", real=True)
    j1 = sp.Matrix([[y, x], [1, 1]])
    j2 = sp.Matrix([[sp.cos(u), 0], [v, u]])
    prod = (j2 * j1).subs({u: x * y, v: x + y})
    direct = sp.Matrix([sp.sin(x * y), x * y * (x + y)]).jacobian([x, y])
    assert sp.simplify(prod - direct) == sp.zeros(2, 2)
    return Composition((ChainStage(("u", "v"), ("x", "y"), j1), ChainStage(("p", "q"), ("u", "v"), j2)), prod, True)


def test_composition_renders_stage_grids_and_the_product():
    base = d2l(at=False, forward=None)
    chain = Chain(base.output, base.inputs, base.nodes, base.edges, base.totals, composition=_composition())
    view = present(chain)
    grids = [b for b in view.blocks if b.__class__.__name__ == "Grid"]
    assert [g.latex_name for g in grids] == ["J_{1}", "J_{2}", "J = J_{2} J_{1}"]
    assert grids[2].row_labels == ["p", "q"] and grids[2].col_labels == ["x", "y"]
    assert "the product of the stages' Jacobians equals the Jacobian of the composition" in view.notes
    for fmt in (Format.TEXT, Format.LATEX, Format.TABLE):
        assert _render(chain, fmt)[0]
    res = _json(chain)["result"]
    assert res["composition"]["stages"][1]["names"] == ["p", "q"]
    assert not list(_validator().iter_errors(_json(chain)))


def test_the_view_has_one_graph_block_with_every_edge(chain):
    graphs = [b for b in present(chain).blocks if isinstance(b, Graph)]
    assert len(graphs) == 1
    assert {(e.parent, e.node) for e in graphs[0].edges} == {(e.parent, e.node) for e in chain.edges}


def test_every_format_renders_a_chain_without_error(chain):
    for fmt in Format:
        if fmt is not Format.AUTO:
            out, _ = _render(chain, fmt)
            assert out.strip()
    buf = io.StringIO()
    buf.write(_render(chain, Format.AUTO)[0])
    assert buf.getvalue().startswith("# graph")  # a pipe: plain text


def test_adjoints_equal_the_sum_over_children(chain):
    """The numbers in the drawing are the backpropagation identity: adjoint(n) = Σ adjoint(c) ∂c/∂n."""
    local = {(e.node, e.parent): e.value.exact for e in chain.edges}
    for n in chain.nodes[:-1]:
        children = [c for c in chain.nodes if n.name in c.parents]
        assert n.adjoint.exact == sum(chain.node(c.name).adjoint.exact * local[(c.name, n.name)] for c in children)
