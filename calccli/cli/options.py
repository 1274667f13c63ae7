"""Options shared by every command, defined once so that they mean the same everywhere.

Imports only Typer: this module is loaded for ``--help`` and completion.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any, Optional

import typer

from calccli import limits
from calccli.render import Format

_STDIN = "'-' reads one formula per line from stdin."


def _formula(what: str) -> Any:
    """The FORMULA argument, with an example of the command's own kind."""
    return typer.Argument(metavar="FORMULA", help=f"{what} {_STDIN}", show_default=False)


FormulaArg = Annotated[str, _formula("Formula, e.g. 'x^2 y + sin(y)' or a vector '[u^2 - v^2, 2u v]'.")]
DiffFormula = Annotated[str, _formula("Formula to differentiate, e.g. 'x^3 y^2', or a vector '[x^2, x y]'.")]
ScalarFormula = Annotated[str, _formula("Scalar formula, e.g. 'x^2 y + sin(y)'.")]
VectorFormula = Annotated[str, _formula("Vector formula, e.g. '[u^2 - v^2, 2u v]'.")]
TaylorFormula = Annotated[str, _formula("Formula to expand, e.g. 'e^(x+y)' or 'x exp(-x^2-y^2)'.")]
ClassifyFormula = Annotated[str, _formula("Scalar formula whose critical points to find, e.g. 'x^4 + y^4 - 4xy + 1'.")]
Integrand = Annotated[str, _formula("Integrand, e.g. 'x e^x' or 'x^2 + y^2'.")]
ExpressionFormula = Annotated[str, _formula("Expression, e.g. 'sin(pi/4)^2' or 'x^2 + 1' with --at x=2.")]
SimplifyFormula = Annotated[str, _formula("Expression to simplify, e.g. 'sin(x)^2 + cos(x)^2'.")]
ChainProgram = Annotated[
    str,
    typer.Argument(
        metavar="PROGRAM",
        help="Definitions, one per ';' or line, e.g. 'f = (u+v)^2; u = x^2; v = x y' (the first is the "
        "output); a tuple (p, q) = (..., ...) is a vector stage. '-' reads the whole program from stdin.",
        show_default=False,
    ),
]
MatrixFormulaArg = Annotated[
    str,
    _formula(
        "Matrix expression, e.g. 'log(det(X))' or \"x' A x\": a-g and Greek letters are scalars, "
        "h-z vectors, A-Z matrices (--shape overrides)."
    ),
]


class Layout(str, Enum):
    DENOMINATOR = "denominator"
    NUMERATOR = "numerator"


MatrixWrtOpt = Annotated[
    Optional[str],
    typer.Option(
        "--wrt",
        metavar="VAR",
        help="The vector, matrix or scalar to differentiate by (default: the only variable, or the only vector).",
        show_default=False,
    ),
]
ShapeOpt = Annotated[
    Optional[str],
    typer.Option(
        "--shape",
        metavar="SHAPES",
        help="Declared shapes: A=n×n,x=n,X=m×n (x for ×), beta=1×n (a row), b=1 (a scalar); the rest are inferred.",
        show_default=False,
    ),
]
LayoutOpt = Annotated[
    Layout,
    typer.Option(
        "--layout",
        metavar="LAYOUT",
        help="denominator (the gradient has the variable's shape, as in D2L) or numerator (the Jacobian's).",
    ),
]
HessianFlag = Annotated[bool, typer.Option("--hessian", help="The second derivative of a scalar by a vector.")]
MatrixAtOpt = Annotated[
    Optional[str],
    typer.Option(
        "--at",
        metavar="VALUES",
        help="Values: 'A=[[1,2],[3,4]], x=[1,1], a=3' (every variable; a vector is a column).",
        show_default=False,
    ),
]
ComponentsOpt = Annotated[
    Optional[int],
    typer.Option(
        "--components",
        metavar="N",
        min=1,
        max=4,
        help="Also write the function and its derivative entry by entry, every dimension N.",
        show_default=False,
    ),
]
OptimizeFormula = Annotated[str, _formula("Scalar function to minimise, e.g. 'x^2 + y^2 - 2x - 4y + 5'.")]
NewtonFormula = Annotated[
    str,
    _formula(
        "Scalar function to minimise, e.g. 'x^4 + y^4 - 4x y + 1', or with --roots a system '[x^2 + y^2 - 4, x - y]'."
    ),
]
StartOpt = Annotated[
    Optional[str],
    typer.Option(
        "--from",
        metavar="POINT",
        help="Start point: 5,5 or x=5,y=5 (in variable order; default: the origin).",
        show_default=False,
    ),
]
RateOpt = Annotated[
    float,
    typer.Option(
        "--rate", metavar="ETA", help="Learning rate η of θ ← θ − η∇f (the first trial step with --line-search)."
    ),
]
LineSearchFlag = Annotated[bool, typer.Option("--line-search", help="Backtracking line search (Armijo) each step.")]
MomentumOpt = Annotated[
    float,
    typer.Option("--momentum", metavar="BETA", help="Heavy-ball momentum β in [0, 1): v ← βv − η∇f, θ ← θ + v."),
]
GradTolOpt = Annotated[
    float,
    typer.Option("--grad-tol", metavar="TOL", min=0, help="Stop when |∇f| (with --roots |F|) is below this."),
]
MaxStepsOpt = Annotated[
    int,
    typer.Option("--max-steps", metavar="N", min=1, max=limits.MAX_STEPS, help="Stop after this many steps."),
]
EveryOpt = Annotated[
    int,
    typer.Option("--every", metavar="K", min=1, help="Show every K-th step in the trace (the first and last always)."),
]
RootsFlag = Annotated[bool, typer.Option("--roots", help="Solve the system F = 0 (Newton on the Jacobian) instead.")]
PointsOpt = Annotated[
    Optional[str],
    typer.Option(
        "--points",
        metavar="FILE",
        help="Evaluate at every point of a CSV or NDJSON file ('-' for stdin): CSV out, NDJSON with --json.",
        show_default=False,
    ),
]
OfOpt = Annotated[
    Optional[str],
    typer.Option("--of", metavar="NAME", help="The output node (default: the first definition).", show_default=False),
]
ForwardOpt = Annotated[
    Optional[str],
    typer.Option(
        "--forward",
        metavar="INPUT",
        help="With --at: forward mode, each node's derivative by this input.",
        show_default=False,
    ),
]
DecomposeFlag = Annotated[
    bool,
    typer.Option("--decompose", help="PROGRAM is one formula: take it apart into intermediate variables first."),
]
WrtOpt = Annotated[
    Optional[list[str]],
    typer.Option(
        "--wrt",
        metavar="VARS",
        help="Variables, in order, comma-separated or repeated: --wrt x,y. "
        "Default: the formula's letters in alphabetical order.",
        show_default=False,
    ),
]
AtOpt = Annotated[
    Optional[str],
    typer.Option("--at", metavar="POINT", help="Point: x=1,y=pi/2 or 1,pi/2 (in variable order).", show_default=False),
]
FormatOpt = Annotated[
    Format,
    typer.Option(
        "--format",
        "-f",
        metavar="FORMAT",
        help="auto (a table on a terminal, text in a pipe), table, text, latex or json; "
        "dot or mermaid draw calccli chain's graph (Graphviz, Mermaid).",
        case_sensitive=False,
    ),
]
JsonFlag = Annotated[bool, typer.Option("--json", help="Same as --format json.")]
NoColorFlag = Annotated[bool, typer.Option("--no-color", help="No colour (NO_COLOR is honoured too).")]
TimeoutOpt = Annotated[
    float,
    typer.Option(
        "--timeout",
        metavar="SECONDS",
        min=0.1,
        max=limits.MAX_TIMEOUT,
        help="Wall-time limit in seconds per computation.",
    ),
]
MemoryOpt = Annotated[
    int,
    typer.Option(
        "--max-memory",
        metavar="MIB",
        min=limits.MIN_MEMORY_MB,
        help="Memory limit in MiB per computation.",
    ),
]
OrderOpt = Annotated[
    int,
    typer.Option("--order", "-n", metavar="N", min=1, max=limits.MAX_ORDER, help="How many times to differentiate."),
]
TaylorOrderOpt = Annotated[
    int,
    typer.Option("--order", "-n", metavar="N", min=0, max=12, help="Highest total degree of the polynomial."),
]
EvalOpt = Annotated[
    Optional[str],
    typer.Option(
        "--eval",
        metavar="POINT",
        help="Also evaluate there and compare with f: x=0.1,y=0.1 or 0.1,0.1.",
        show_default=False,
    ),
]
ExpandFlag = Annotated[bool, typer.Option("--expand", help="Multiply out the powers of (x - p).")]
SubjectToOpt = Annotated[
    Optional[list[str]],
    typer.Option(
        "--subject-to", metavar="CONSTRAINT", help="Constraint g = c (repeat for several).", show_default=False
    ),
]
RegionOpt = Annotated[
    Optional[str],
    typer.Option(
        "--in",
        metavar="REGION",
        help="Box to search and take global extremes over: x=-2..2,y=0..pi.",
        show_default=False,
    ),
]
DirOpt = Annotated[
    str,
    typer.Option(
        "--dir", metavar="VECTOR", help="Direction vector, e.g. 1,1,1 (normalised to length 1).", show_default=False
    ),
]

FromOpt = Annotated[
    Optional[str],
    typer.Option("--from", metavar="LIMIT", help="Lower limit of a single integral (with --to).", show_default=False),
]
ToOpt = Annotated[
    Optional[str],
    typer.Option("--to", metavar="LIMIT", help="Upper limit, e.g. oo for infinity.", show_default=False),
]
BoundOpt = Annotated[
    Optional[list[str]],
    typer.Option(
        "--bound",
        metavar="BOUND",
        help="Range var=low..high; repeat for a multiple integral, innermost first. "
        "Limits may use outer variables: --bound y=0..x --bound x=0..1.",
        show_default=False,
    ),
]


AssumeOpt = Annotated[
    Optional[list[str]],
    typer.Option(
        "--assume",
        metavar="COND",
        help="A parameter's sign, e.g. a>0 (also a<0, a>=0, a<=0); repeat for several. "
        "Without it, a value that depends on a sign is given for both signs or with its assumption stated.",
        show_default=False,
    ),
]


class Coords(str, Enum):
    POLAR = "polar"
    CYLINDRICAL = "cylindrical"
    SPHERICAL = "spherical"


CoordsOpt = Annotated[
    Optional[Coords],
    typer.Option(
        "--coords",
        metavar="SYSTEM",
        help="Change of variables: polar (r, theta), cylindrical (r, theta, z) or spherical "
        "(rho, phi from the z axis, theta); the Jacobian factor is added for you.",
        case_sensitive=False,
        show_default=False,
    ),
]

CheckOpt = Annotated[
    Optional[str],
    typer.Option(
        "--check",
        metavar="ANSWER",
        help="Your answer, to be marked correct or incorrect (exit 0 / 1; 5 if undecided): "
        "an expression, a vector [..], a matrix [[..],[..]] or a number.",
        show_default=False,
    ),
]
TolOpt = Annotated[
    Optional[float],
    typer.Option(
        "--tol",
        metavar="TOL",
        min=0,
        help="With --check: accept numbers within this absolute tolerance.",
        show_default=False,
    ),
]
StepsFlag = Annotated[bool, typer.Option("--steps", help="Show the worked solution: the rules applied, step by step.")]


def names(values: list[str] | None) -> list[str] | None:
    """``--wrt x,y --wrt z`` -> ``["x", "y", "z"]``."""
    if not values:
        return None
    return [part.strip() for v in values for part in v.split(",") if part.strip()]
