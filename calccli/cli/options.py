"""Options shared by every command, defined once so that they mean the same everywhere.

Imports only Typer: this module is loaded for ``--help`` and completion.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Optional

import typer

from calccli import limits
from calccli.render import Format

FormulaArg = Annotated[
    str,
    typer.Argument(
        metavar="FORMULA",
        help="Formula, e.g. 'x^2 y + sin(y)' or '[u^2 - v^2, 2u v]'. '-' reads one formula per line from stdin.",
        show_default=False,
    ),
]
WrtOpt = Annotated[
    Optional[list[str]],
    typer.Option(
        "--wrt",
        help="Variables, in order, comma-separated or repeated: --wrt x,y. "
        "Default: the formula's letters in alphabetical order.",
        show_default=False,
    ),
]
AtOpt = Annotated[
    Optional[str],
    typer.Option("--at", help="Point: x=1,y=pi/2 or 1,pi/2 (in variable order).", show_default=False),
]
FormatOpt = Annotated[
    Format,
    typer.Option(
        "--format",
        "-f",
        help="table (terminal default), text (pipe default), latex or json.",
        case_sensitive=False,
    ),
]
JsonFlag = Annotated[bool, typer.Option("--json", help="Same as --format json.")]
NoColorFlag = Annotated[bool, typer.Option("--no-color", help="No colour (NO_COLOR is honoured too).")]
TimeoutOpt = Annotated[
    float,
    typer.Option("--timeout", min=0.1, max=limits.MAX_TIMEOUT, help="Wall-time limit in seconds per computation."),
]
MemoryOpt = Annotated[
    int,
    typer.Option(
        "--max-memory",
        min=limits.MIN_MEMORY_MB,
        help="Memory limit in MiB per computation.",
    ),
]
OrderOpt = Annotated[
    int,
    typer.Option("--order", "-n", min=1, max=limits.MAX_ORDER, help="How many times to differentiate."),
]
TaylorOrderOpt = Annotated[
    int,
    typer.Option("--order", "-n", min=0, max=12, help="Highest total degree of the polynomial."),
]
EvalOpt = Annotated[
    Optional[str],
    typer.Option("--eval", help="Also evaluate there and compare with f: x=0.1,y=0.1 or 0.1,0.1.", show_default=False),
]
ExpandFlag = Annotated[bool, typer.Option("--expand", help="Multiply out the powers of (x - p).")]
SubjectToOpt = Annotated[
    Optional[list[str]],
    typer.Option("--subject-to", help="Constraint g = c (repeat for several).", show_default=False),
]
RegionOpt = Annotated[
    Optional[str],
    typer.Option("--in", help="Box to search and take global extremes over: x=-2..2,y=0..pi.", show_default=False),
]
DirOpt = Annotated[
    str,
    typer.Option("--dir", help="Direction vector, e.g. 1,1,1 (normalised to length 1).", show_default=False),
]

FromOpt = Annotated[
    Optional[str],
    typer.Option("--from", help="Lower limit of a single integral (with --to).", show_default=False),
]
ToOpt = Annotated[
    Optional[str],
    typer.Option("--to", help="Upper limit, e.g. oo for infinity.", show_default=False),
]
BoundOpt = Annotated[
    Optional[list[str]],
    typer.Option(
        "--bound",
        help="Range var=low..high; repeat for a multiple integral, innermost first. "
        "Limits may use outer variables: --bound y=0..x --bound x=0..1.",
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
        help="Your answer, to be marked correct or incorrect (exit 0 / 1; 5 if undecided): "
        "an expression, a vector [..], a matrix [[..],[..]] or a number.",
        show_default=False,
    ),
]
TolOpt = Annotated[
    Optional[float],
    typer.Option(
        "--tol", min=0, help="With --check: accept numbers within this absolute tolerance.", show_default=False
    ),
]
StepsFlag = Annotated[bool, typer.Option("--steps", help="Show the worked solution: the rules applied, step by step.")]


def names(values: list[str] | None) -> list[str] | None:
    """``--wrt x,y --wrt z`` -> ``["x", "y", "z"]``."""
    if not values:
        return None
    return [part.strip() for v in values for part in v.split(",") if part.strip()]
