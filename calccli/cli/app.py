"""The Typer application: the command group, its error handling and the console entry point.

The commands themselves are in :mod:`calccli.cli.commands`.  Only Typer is imported at
module level; SymPy and the engines are imported inside the pipeline's bounded child, so
``calccli --help``, ``--version`` and TAB completion stay fast.
"""

from __future__ import annotations

import os
import sys
from typing import Any, Optional

import typer
import typer._completion_classes as _typer_completion
from typer.core import TyperCommand, TyperGroup

from calccli import __version__
from calccli.cli import commands
from calccli.errors import CalcError, ExitCode, describe

# Help text is plain (rich_markup_mode=None); keep Typer's zsh/fish completion from loading Rich.
_typer_completion._sanitize_help_text = lambda text: " ".join(text.split())


class CalcGroup(TyperGroup):
    """Turns Click's usage errors into calccli's one-line errors and exit codes."""

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        from typer import exceptions as typer_exc
        from typer._click import exceptions as click_exc

        try:
            rv = super().main(*args, standalone_mode=False, **kwargs)  # type: ignore[misc]
        except click_exc.NoArgsIsHelpError as e:
            sys.stdout.write(e.format_message() + "\n")
            rv = 0
        except click_exc.UsageError as e:
            hint = f" (see '{e.ctx.command_path} --help')" if e.ctx is not None else ""
            _json_usage_error(args, kwargs, e.format_message())
            _fail_line(e.format_message() + hint, ExitCode.USAGE)
        except click_exc.ClickException as e:
            _json_usage_error(args, kwargs, e.format_message())
            _fail_line(e.format_message(), ExitCode.USAGE)
        except (typer_exc.Abort, KeyboardInterrupt):
            _quiet_exit(ExitCode.INTERRUPTED)
        except CalcError as e:
            sys.stderr.write(describe(e))
            _quiet_exit(e.code)
        code = rv if isinstance(rv, int) else 0
        if not standalone_mode:
            return code
        _quiet_exit(code)


class CalcCommand(TyperCommand):
    """Lets a formula start with '-': ``calccli grad "-x^2 - y^2"`` is a formula, not an option."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        return super().parse_args(ctx, formula_last(args, self.get_params(ctx)))


def formula_last(args: list[str], params: list[Any]) -> list[str]:
    """Move the first dash-led argument that is no option (nor an option's value) behind ``--``.

    >>> class O:
    ...     def __init__(self, opts, flag=False): self.opts, self.secondary_opts, self.is_flag = opts, [], flag
    >>> formula_last(["-x^2", "--at", "-1"], [O(["--at"])])
    ['--at', '-1', '--', '-x^2']
    """
    valued = {o for p in params if not getattr(p, "is_flag", True) for o in p.opts}
    flags = {o for p in params if getattr(p, "is_flag", False) for o in [*p.opts, *p.secondary_opts]}
    out: list[str] = []
    moved: str | None = None
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--":
            out.extend(args[i:])
            break
        if a in valued:
            out.extend(args[i : i + 2])
            i += 2
            continue
        attached_short = a[:2] in valued and not a.startswith("--") and a[2:].isalnum()
        if (
            moved is None
            and a.startswith("-")
            and not a.startswith("--")
            and a != "-"
            and a not in flags
            and not attached_short
        ):
            moved = a
        else:
            out.append(a)
        i += 1
    if moved is not None:
        out += ["--", moved] if "--" not in out else [moved]
    return out


def _json_usage_error(args: tuple[Any, ...], kwargs: dict[str, Any], message: str) -> None:
    """In JSON mode a bad option still yields a calccli.error/1 object on stdout."""
    argv = list(kwargs.get("args") or (args[0] if args else None) or sys.argv[1:])
    wants_json = (
        "--json" in argv
        or any(
            a in ("-f", "--format") and i + 1 < len(argv) and argv[i + 1].lower() == "json" for i, a in enumerate(argv)
        )
        or any(a.lower() in ("--format=json", "-fjson") for a in argv)
    )
    if not wants_json:
        return
    from calccli.render import json_out

    command = argv[0] if argv and not argv[0].startswith("-") else None
    sys.stdout.write(
        json_out.error(command or "", {"argv": argv}, int(ExitCode.USAGE), "usage", " ".join(message.split()), {})
    )


def _fail_line(message: str, code: ExitCode) -> None:
    sys.stderr.write(f"calccli: error: {' '.join(message.split())}\n")
    _quiet_exit(code)


def _quiet_exit(code: int) -> None:
    try:
        sys.stdout.flush()
    except (BrokenPipeError, ValueError):
        _silence_stdout()
    sys.exit(int(code))


def _silence_stdout() -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


app = typer.Typer(
    cls=CalcGroup,
    name="calccli",
    help="Calculus at the command line: derivatives, gradients, Jacobians, Hessians, integrals.\n\n"
    "Formulas are read by calccli's own parser (see 'calccli functions'); results are exact, "
    "with floats alongside at a point.",
    rich_markup_mode=None,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"calccli {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Optional[bool] = typer.Option(  # noqa: UP045 - Typer reads this annotation
        None, "--version", "-V", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Calculus at the command line."""


for _name, _fn in commands.REGISTERED:
    app.command(_name, cls=CalcCommand)(_fn)


@app.command()
def functions() -> None:
    """List the function and constant names formulas may use."""
    from calccli.formula.names import CONSTANTS, FUNCTIONS, GREEK

    typer.echo("functions: " + ", ".join(sorted(FUNCTIONS, key=str.lower)))
    typer.echo("constants: " + ", ".join(CONSTANTS))
    typer.echo("greek letters (variables): " + ", ".join(GREEK))


def main() -> None:
    """Console-script entry point."""
    try:
        app(prog_name="calccli")
    except BrokenPipeError:
        _silence_stdout()
        sys.exit(0)
    except KeyboardInterrupt:
        sys.exit(int(ExitCode.INTERRUPTED))
