"""The Typer application: the command group, its error handling and the console entry point.

The commands themselves are in :mod:`calccli.cli.commands`.  Only Typer is imported at
module level; SymPy and the engines are imported inside the pipeline's bounded child, so
``calccli --help``, ``--version`` and TAB completion stay fast.
"""

from __future__ import annotations

import os
import re
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
    """A computing command: a formula may start with '-', and help speaks of FORMULA and N, not <str>.

    ``calccli grad "-x^2 - y^2"`` is a formula, not an option.  Help shows each argument by its
    metavar (``FORMULA``, not ``{FORMULA}`` or ``FORMULA <str>``) and a range in words
    (``1 to 50``, not ``1<=x<=50``).
    """

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        return super().parse_args(ctx, formula_last(args, self.get_params(ctx)))

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        return pieces + [p.metavar or p.name.upper() for p in self.get_params(ctx) if p.param_type_name == "argument"]

    def format_options(self, ctx: Any, formatter: Any) -> None:
        args: list[tuple[str, str]] = []
        opts: list[tuple[str, str]] = []
        for p in self.get_params(ctx):
            record = p.get_help_record(ctx)
            if record is None:
                continue
            name, text = record[0], ranges_in_words(record[1])
            if p.param_type_name == "argument":
                args.append((p.metavar or p.name.upper(), text))
            else:
                opts.append((name, text))
        for title, rows in (("Arguments", args), ("Options", opts)):
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)


def ranges_in_words(help_text: str) -> str:
    """Click's ``1<=x<=50`` and ``x>=0`` in the help, as ``1 to 50`` and ``at least 0``.

    >>> ranges_in_words("How many.  [default: 1; 1<=x<=50]"), ranges_in_words("Tolerance.  [x>=0]")
    ('How many.  [default: 1; 1 to 50]', 'Tolerance.  [at least 0]')
    """
    text = re.sub(r"(?<![\w.])([-\d.e+]+)<=?x<=?([-\d.e+]+)(?=[;\]])", r"\1 to \2", help_text)
    text = re.sub(r"(?<![\w.])x>=?([-\d.e+]+)(?=[;\]])", r"at least \1", text)
    return re.sub(r"(?<![\w.])x<=?([-\d.e+]+)(?=[;\]])", r"at most \1", text)


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
    except OSError as e:
        _silence_stdout()
        from calccli.cli.output import Streams

        Streams(None, sys.stderr).note(f"calccli: error: cannot write the output: {e.strerror or e}\n")
        code = ExitCode.OUTPUT
    sys.exit(int(code))


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


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
    """List the functions (by how many arguments they take), constants and Greek letters formulas may use.

    \b
    $ calccli functions
    """
    from calccli.formula.names import CONSTANTS, GREEK

    for line in function_lines():
        typer.echo(line)
    typer.echo("constants: " + ", ".join(CONSTANTS))
    typer.echo("greek letters (variables): " + ", ".join(GREEK))


_ARITY_WORDS: dict[tuple[int, int | None], str] = {
    (1, 1): "one argument",
    (2, 2): "two arguments",
    (1, 2): "one or two arguments",
}


def function_lines() -> list[str]:
    """One line per arity: ``functions of one argument: abs, acos, …``; only names a formula can call.

    >>> lines = function_lines()
    >>> lines[0].startswith("functions of one argument: abs, Abs, acos")
    True
    >>> [line.split(":")[0] for line in lines]  # doctest: +NORMALIZE_WHITESPACE
    ['functions of one argument', 'functions of two arguments', 'functions of one or two arguments',
     'functions of one or more arguments']
    """
    from calccli.formula.names import FUNCTIONS

    groups: dict[tuple[int, int | None], list[str]] = {}
    for name, arity in FUNCTIONS.items():
        groups.setdefault(arity, []).append(name)
    known = list(_ARITY_WORDS)
    order = sorted(groups, key=lambda a: (known.index(a) if a in known else len(known), a[0], a[1] or 0))
    out = []
    for arity in order:
        lo, hi = arity
        words = _ARITY_WORDS.get(arity) or (
            f"{lo} or more arguments".replace("1 or more", "one or more") if hi is None else f"{lo} to {hi} arguments"
        )
        out.append(f"functions of {words}: " + ", ".join(sorted(groups[arity], key=str.lower)))
    return out


def main() -> None:
    """Console-script entry point."""
    try:
        app(prog_name="calccli")
    except BrokenPipeError:
        _silence_stdout()
        sys.exit(0)
    except OSError as e:  # help or a listing that cannot be written (a full disk): one line, not a traceback
        from calccli.cli.output import Streams

        _silence_stdout()
        Streams(None, sys.stderr).note(f"calccli: error: cannot write the output: {e.strerror or e}\n")
        sys.exit(int(ExitCode.OUTPUT))
    except KeyboardInterrupt:
        sys.exit(int(ExitCode.INTERRUPTED))
