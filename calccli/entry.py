"""Console entry point: start the computing child before anything heavy is imported.

For a one-formula computation the child is forked first thing, so that its
SymPy import overlaps the parent's own start-up (Typer, option parsing) on a
second core; the parent then sends it the job (see :mod:`calccli.process.child`).
Help, completion, ``--version`` and stdin batches never start one, and a
child the parent turns out not to need (a usage error) is killed.
"""

from __future__ import annotations

import os
import sys


def wants_early_child(args: list[str], environ: dict[str, str] | os._Environ[str] = os.environ) -> bool:
    """Is this (almost certainly) one computation, so that forking early pays off?

    >>> wants_early_child(["grad", "x^2*y"], {})
    True
    >>> wants_early_child(["grad", "--help"], {}), wants_early_child(["grad", "-"], {})
    (False, False)
    """
    from calccli.cli.table import COMMANDS

    return (
        bool(args)
        and args[0] in COMMANDS
        and not {"-h", "--help", "-"} & set(args)
        and not any(key.startswith("_CALCCLI_COMPLETE") for key in environ)
    )


def main() -> None:
    args = sys.argv[1:]
    early = wants_early_child(args)
    if early:
        from calccli.cli import pipeline
        from calccli.process import child

        child.prefork(warm=pipeline.prewarm)
    try:
        from calccli.cli.app import main as cli_main

        cli_main()
    finally:
        if early:
            child.discard_prefork()
