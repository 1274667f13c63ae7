"""A renderer-neutral description of a result: labelled rows, matrices, worked steps, notes.

Presenters (:mod:`calccli.render.present`) turn a result into a :class:`View`; each renderer (table, text,
LaTeX) draws it.  Cells hold SymPy objects; only renderers turn them into strings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Spelled:
    r"""A cell that is not one SymPy expression, spelled for text (and tables), LaTeX, and optionally tables alone.

    Words with formulas in them (``h^T H(p) h``) belong here rather than in a plain string, which LaTeX
    would put inside ``\text{}`` (KaTeX's strict mode refuses math there).

    >>> str(Spelled("grad f(p) . h", r"\nabla f(p) \cdot h"))
    'grad f(p) . h'
    """

    plain: str
    latex: str
    pretty: str | None = None  # the table's spelling, when it differs from the plain one (xᵀ A x for x' A x)

    def __str__(self) -> str:
        return self.plain

    def _latex(self, printer: object) -> str:  # SymPy's printers use this on any object
        return self.latex


@dataclass(frozen=True, slots=True)
class Label:
    """How one row is named in each format."""

    text: str  # the plain ASCII key, used by the text format: "x", "x,y"
    pretty: str  # the table: "∂f/∂x"
    latex: str  # "\\frac{\\partial f}{\\partial x}"


@dataclass(frozen=True, slots=True)
class Row:
    """One labelled expression, with its exact value and float at a point when there is one."""

    label: Label
    expr: object  # a SymPy expression, a Spelled cell, or a plain string (words; \text{} in LaTeX)
    exact: object | None = None  # its exact value at the point
    numeric: float | None = None  # and that value as a float


@dataclass(frozen=True, slots=True)
class Rows:
    """A list of labelled expressions; ``keyed=False`` prints only the values in text."""

    title: str
    rows: list[Row]
    keyed: bool = True
    heading: str = "expression"  # the table's name for the expression column
    exact_heading: str | None = "at the point"  # None: no exact-value column (the expression is the value)


@dataclass(frozen=True, slots=True)
class Grid:
    """A matrix with row and column labels."""

    title: str
    latex_name: str
    row_labels: list[str]
    col_labels: list[str]
    cells: list[list[object]]


@dataclass(frozen=True, slots=True)
class StepLine:
    """One step of a worked solution."""

    depth: int  # indentation level
    rule: str  # "chain rule", "integration by parts", ...
    detail: str  # one line of words and formulas (calccli syntax)
    latex: str  # the step's equation in LaTeX, e.g. \frac{d}{dx}\left[x^2\right] = 2 x


@dataclass(frozen=True, slots=True)
class Steps:
    """A worked solution: rules applied, in order."""

    title: str
    lines: list[StepLine]


@dataclass(frozen=True, slots=True)
class GraphNode:
    """One node of a computation graph: its definition in its parents, and what is known of it at a point.

    ``notes`` are the node's labelled numbers beside it in a drawing (its value, its adjoint), each a
    :class:`Row` whose ``exact`` and ``numeric`` are the number: renderers spell the label per format.
    """

    name: str
    kind: str  # "input", "intermediate" or "output"
    parents: tuple[str, ...]  # the names its definition uses
    definition: object | None  # a SymPy expression in the parents; None for an input
    notes: tuple[Row, ...] = ()


@dataclass(frozen=True, slots=True)
class GraphEdge:
    """An edge parent -> node, labelled by the local partial (and its value at a point)."""

    node: str
    parent: str
    label: Label  # how the local partial is named: du/da, ∂u/∂a, \frac{\partial u}{\partial a}
    local: object  # the local partial, a SymPy expression
    exact: object | None = None
    numeric: float | None = None


@dataclass(frozen=True, slots=True)
class Graph:
    """A computation graph to draw: the nodes in topological order (inputs first, the output last)."""

    title: str
    output: str
    nodes: list[GraphNode]
    edges: list[GraphEdge]


Block = Rows | Grid | Steps | Graph


@dataclass(frozen=True, slots=True)
class View:
    """A titled list of blocks and the notes that go with them.

    The title may be given as a function that spells it: only the table shows it, and spelling
    f = (a 5,050-term formula) costs a second that plain text, LaTeX and a batch need not pay.
    """

    title: str | Callable[[], str]  # e.g. "gradient of f = x**2*y"; read it as ``heading``
    subtitle: str | None = None  # e.g. "at (x, y) = (1, pi)"
    blocks: list[Block] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def heading(self) -> str:
        """The title, spelled."""
        return self.title() if callable(self.title) else self.title
