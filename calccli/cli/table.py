"""The command table: every computing command, once.

The Typer command functions (:mod:`calccli.cli.commands`), the early fork of the console
entry point (:mod:`calccli.entry`), the pipeline and the documentation tests all read this
table; adding a command adds one row here.  Light: importing it imports no SymPy.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from calccli.cli import compute
from calccli.cli.compute import Call
from calccli.cli.request import Request


@dataclass(frozen=True, slots=True)
class Command:
    """A computing command: its name and its parse stage (text and options to a bound engine call)."""

    name: str
    parse: Callable[[str, Request], Call]
    # The share of the time limit simplification may take (None: the default, 8 s in all).
    # integrate keeps most of its time for the search.
    simplify_share: float | None = None
    # '-' reads all of stdin as one input (a program of definitions), not one formula per line.
    whole_stdin: bool = False


COMMANDS: dict[str, Command] = {
    c.name: c
    for c in (
        Command("diff", compute.derivative),
        Command("grad", compute.gradient),
        Command("directional", compute.directional),
        Command("jacobian", compute.jacobian),
        Command("hessian", compute.hessian),
        Command("laplacian", compute.laplacian),
        Command("taylor", compute.taylor),
        Command("classify", compute.critical_points),
        Command("integrate", compute.integral, simplify_share=0.1),
        Command("chain", compute.chain, whole_stdin=True),
        Command("matdiff", compute.matdiff),
        Command("descend", compute.descend),
        Command("newton", compute.newton),
        Command("optimize", compute.optimize),
        Command("eval", compute.evaluation),
        Command("simplify", compute.simplification, simplify_share=1.0),
    )
}

# How the engine's argument names are spelled on the command line (for ArgumentError).
OPTION_SPELLING = {
    "order": "--order",
    "direction": "--dir",
    "variables": "--wrt",
    "box": "--in",
    "assumptions": "--assume",
    "forward": "--forward",
    "of": "--of",
    "wrt": "--wrt",
    "at": "--at",
    "layout": "--layout",
    "components": "--components",
    "values": "--at",
    "dims": "--at",
    "shape": "--shape",
    "start": "--from",
    "rate": "--rate",
    "momentum": "--momentum",
    "max_steps": "--max-steps",
    "tol": "--grad-tol",
    "every": "--every",
    "roots": "--roots",
}
