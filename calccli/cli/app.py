"""The command line: read options, hand one engine call to the session, exit.

Only Typer is imported at module level; SymPy and the engine are imported
inside each command's ``compute`` (which runs in the bounded child), so
``calccli --help``, ``--version`` and TAB completion stay fast.
"""

from __future__ import annotations

import os
import sys
from functools import partial
from typing import Any, Optional

import typer
import typer._completion_classes as _typer_completion
from typer.core import TyperCommand, TyperGroup

from calccli import __version__, limits
from calccli.cli import compute as jobs
from calccli.cli.options import (
    AtOpt,
    BoundOpt,
    CheckOpt,
    CoordsOpt,
    DirOpt,
    EvalOpt,
    ExpandFlag,
    FormatOpt,
    FormulaArg,
    FromOpt,
    JsonFlag,
    MemoryOpt,
    NoColorFlag,
    OrderOpt,
    RegionOpt,
    StepsFlag,
    SubjectToOpt,
    TaylorOrderOpt,
    TimeoutOpt,
    TolOpt,
    ToOpt,
    WrtOpt,
    names,
)
from calccli.cli.pipeline import Settings, execute
from calccli.errors import CalcError, ExitCode, describe
from calccli.render import Format

# Help text is plain (rich_markup_mode=None); keep Typer's zsh/fish completion from loading Rich.
_typer_completion._sanitize_help_text = lambda text: " ".join(text.split())


class CalcGroup(TyperGroup):
    """Turns Click's usage errors into calccli's one-line errors and exit codes."""

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        from typer import exceptions as typer_exc
        from typer._click import exceptions as click_exc

        try:
            rv = super().main(*args, standalone_mode=False, **kwargs)
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
        if moved is None and a.startswith("-") and not a.startswith("--") and a != "-" \
                and a not in flags and not attached_short:
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
    wants_json = "--json" in argv or any(
        a in ("-f", "--format") and i + 1 < len(argv) and argv[i + 1].lower() == "json"
        for i, a in enumerate(argv)
    ) or any(a.lower() in ("--format=json", "-fjson") for a in argv)
    if not wants_json:
        return
    from calccli.render import json_out

    command = argv[0] if argv and not argv[0].startswith("-") else None
    sys.stdout.write(json_out.error(command or "", {"argv": argv}, int(ExitCode.USAGE), "usage",
                                    " ".join(message.split()), {}))


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


def _run(
    command: str, formula: str, compute: Any, inputs: dict[str, object],
    fmt: Format, json_: bool, no_color: bool, timeout: float, memory: int,
) -> None:
    """The tail every command shares: run ``compute`` bounded, render, exit with its code."""
    settings = Settings(Format.JSON if json_ else fmt, no_color, timeout, memory)
    code = execute(command, formula, compute, settings, inputs)
    if code:
        raise typer.Exit(code)


def companion(check: str | None, tol: float | None, steps: bool) -> dict[str, object]:
    """The homework companion's options, as the job takes them."""
    return {"check": check, "tol": tol, "steps": steps}


def shown(check: str | None, tol: float | None, steps: bool) -> dict[str, object]:
    """The same options as echoed in a JSON object's ``input`` (only when given)."""
    out: dict[str, object] = {}
    if check is not None:
        out["check"] = check
    if tol is not None:
        out["tol"] = tol
    if steps:
        out["steps"] = True
    return out


@app.command(cls=CalcCommand)
def diff(
    formula: FormulaArg,
    wrt: WrtOpt = None,
    order: OrderOpt = 1,
    at: AtOpt = None,
    check: CheckOpt = None,
    tol: TolOpt = None,
    steps: StepsFlag = False,
    fmt: FormatOpt = Format.AUTO,
    json_: JsonFlag = False,
    no_color: NoColorFlag = False,
    timeout: TimeoutOpt = limits.DEFAULT_TIMEOUT,
    memory: MemoryOpt = limits.DEFAULT_MEMORY_MB,
) -> None:
    """Partial derivative: --wrt x (--order n), or --wrt x,y for the mixed one.

    \b
    $ calccli diff 'ln(sin(x^3)^2)' --wrt x
    $ calccli diff 'x^3 y^2' --wrt x,y --at 1,2
    """
    sequence = names(wrt)
    compute = partial(jobs.derivative, **companion(check, tol, steps), wrt=sequence, order=order, at=at)
    _run("diff", formula, compute, {"wrt": sequence, "order": order, "at": at, **shown(check, tol, steps)}, fmt, json_, no_color, timeout, memory)


@app.command(cls=CalcCommand)
def grad(
    formula: FormulaArg,
    wrt: WrtOpt = None,
    at: AtOpt = None,
    check: CheckOpt = None,
    tol: TolOpt = None,
    steps: StepsFlag = False,
    fmt: FormatOpt = Format.AUTO,
    json_: JsonFlag = False,
    no_color: NoColorFlag = False,
    timeout: TimeoutOpt = limits.DEFAULT_TIMEOUT,
    memory: MemoryOpt = limits.DEFAULT_MEMORY_MB,
) -> None:
    """Gradient of a scalar formula, in variable order (with |grad f| at a point).

    \b
    $ calccli grad 'x^2 y + sin(y)' --at x=1,y=pi
    $ calccli grad 'log(exp(x)+exp(y))' --json
    """
    variables = names(wrt)
    compute = partial(jobs.gradient, **companion(check, tol, steps), wrt=variables, at=at)
    _run("grad", formula, compute, {"wrt": variables, "at": at, **shown(check, tol, steps)}, fmt, json_, no_color, timeout, memory)


@app.command(cls=CalcCommand)
def directional(
    formula: FormulaArg,
    direction: DirOpt,
    wrt: WrtOpt = None,
    at: AtOpt = None,
    check: CheckOpt = None,
    tol: TolOpt = None,
    steps: StepsFlag = False,
    fmt: FormatOpt = Format.AUTO,
    json_: JsonFlag = False,
    no_color: NoColorFlag = False,
    timeout: TimeoutOpt = limits.DEFAULT_TIMEOUT,
    memory: MemoryOpt = limits.DEFAULT_MEMORY_MB,
) -> None:
    """Directional derivative along --dir (scaled to a unit vector).

    \b
    $ calccli directional 'x^2 y + y z^2' --at 1,2,3 --dir 1,1,1
    """
    variables = names(wrt)
    compute = partial(jobs.directional, **companion(check, tol, steps), wrt=variables, at=at, direction=direction)
    _run("directional", formula, compute, {"wrt": variables, "at": at, "dir": direction, **shown(check, tol, steps)}, fmt, json_, no_color, timeout, memory)


@app.command(cls=CalcCommand)
def jacobian(
    formula: FormulaArg,
    wrt: WrtOpt = None,
    at: AtOpt = None,
    check: CheckOpt = None,
    tol: TolOpt = None,
    steps: StepsFlag = False,
    fmt: FormatOpt = Format.AUTO,
    json_: JsonFlag = False,
    no_color: NoColorFlag = False,
    timeout: TimeoutOpt = limits.DEFAULT_TIMEOUT,
    memory: MemoryOpt = limits.DEFAULT_MEMORY_MB,
) -> None:
    """Jacobian matrix of a vector formula, and its determinant when square.

    \b
    $ calccli jacobian '[u^2 - v^2, 2u v]' --wrt u,v
    $ calccli jacobian '[r cos(theta), r sin(theta)]' --wrt r,theta
    """
    variables = names(wrt)
    compute = partial(jobs.jacobian, **companion(check, tol, steps), wrt=variables, at=at)
    _run("jacobian", formula, compute, {"wrt": variables, "at": at, **shown(check, tol, steps)}, fmt, json_, no_color, timeout, memory)


@app.command(cls=CalcCommand)
def hessian(
    formula: FormulaArg,
    wrt: WrtOpt = None,
    at: AtOpt = None,
    check: CheckOpt = None,
    tol: TolOpt = None,
    steps: StepsFlag = False,
    fmt: FormatOpt = Format.AUTO,
    json_: JsonFlag = False,
    no_color: NoColorFlag = False,
    timeout: TimeoutOpt = limits.DEFAULT_TIMEOUT,
    memory: MemoryOpt = limits.DEFAULT_MEMORY_MB,
) -> None:
    """Hessian matrix; at a point also its eigenvalues and definiteness.

    \b
    $ calccli hessian 'x^4 + y^4 - 4xy + 1'
    $ calccli hessian 'x^4 + y^4 - 4xy + 1' --at 1,1
    """
    variables = names(wrt)
    compute = partial(jobs.hessian, **companion(check, tol, steps), wrt=variables, at=at)
    _run("hessian", formula, compute, {"wrt": variables, "at": at, **shown(check, tol, steps)}, fmt, json_, no_color, timeout, memory)


@app.command(cls=CalcCommand)
def laplacian(
    formula: FormulaArg,
    wrt: WrtOpt = None,
    at: AtOpt = None,
    check: CheckOpt = None,
    tol: TolOpt = None,
    steps: StepsFlag = False,
    fmt: FormatOpt = Format.AUTO,
    json_: JsonFlag = False,
    no_color: NoColorFlag = False,
    timeout: TimeoutOpt = limits.DEFAULT_TIMEOUT,
    memory: MemoryOpt = limits.DEFAULT_MEMORY_MB,
) -> None:
    """Laplacian: the sum of the second partials d2f/dx2 + d2f/dy2 + ...

    \b
    $ calccli laplacian 'x^2 + y^2 + z^2'
    """
    variables = names(wrt)
    compute = partial(jobs.laplacian, **companion(check, tol, steps), wrt=variables, at=at)
    _run("laplacian", formula, compute, {"wrt": variables, "at": at, **shown(check, tol, steps)}, fmt, json_, no_color, timeout, memory)


@app.command(cls=CalcCommand)
def taylor(
    formula: FormulaArg,
    wrt: WrtOpt = None,
    at: AtOpt = None,
    order: TaylorOrderOpt = 2,
    eval_at: EvalOpt = None,
    expand: ExpandFlag = False,
    check: CheckOpt = None,
    tol: TolOpt = None,
    steps: StepsFlag = False,
    fmt: FormatOpt = Format.AUTO,
    json_: JsonFlag = False,
    no_color: NoColorFlag = False,
    timeout: TimeoutOpt = limits.DEFAULT_TIMEOUT,
    memory: MemoryOpt = limits.DEFAULT_MEMORY_MB,
) -> None:
    """Taylor polynomial about --at (default the origin), grouped by degree.

    \b
    $ calccli taylor 'e^(x+y)' --at 0,0 --order 2 --eval 0.1,0.1
    $ calccli taylor 'x exp(-x^2-y^2)' --at -1,0
    """
    variables = names(wrt)
    compute = partial(jobs.taylor, **companion(check, tol, steps), wrt=variables, at=at, order=order, eval_at=eval_at, expand=expand)
    inputs = {"wrt": variables, "at": at, "order": order, "eval": eval_at, "expand": expand, **shown(check, tol, steps)}
    _run("taylor", formula, compute, inputs, fmt, json_, no_color, timeout, memory)


@app.command(cls=CalcCommand)
def classify(
    formula: FormulaArg,
    wrt: WrtOpt = None,
    subject_to: SubjectToOpt = None,
    region: RegionOpt = None,
    check: CheckOpt = None,
    tol: TolOpt = None,
    steps: StepsFlag = False,
    fmt: FormatOpt = Format.AUTO,
    json_: JsonFlag = False,
    no_color: NoColorFlag = False,
    timeout: TimeoutOpt = limits.DEFAULT_TIMEOUT,
    memory: MemoryOpt = limits.DEFAULT_MEMORY_MB,
) -> None:
    """Critical points, classified (second-derivative and higher-order tests).

    \b
    $ calccli classify 'x^4 + y^4 - 4xy + 1'
    $ calccli classify 'x^3 - 3x y^2 + y^3'
    $ calccli classify 'x y' --subject-to 'x^2 + y^2 = 1'
    $ calccli classify 'x^2 - y^2' --in x=-1..1,y=-1..1
    """
    variables = names(wrt)
    compute = partial(jobs.critical_points, **companion(check, tol, steps), wrt=variables, subject_to=subject_to, region=region)
    inputs = {"wrt": variables, "subject_to": subject_to, "in": region, **shown(check, tol, steps)}
    _run("classify", formula, compute, inputs, fmt, json_, no_color, timeout, memory)


@app.command(cls=CalcCommand)
def integrate(
    formula: FormulaArg,
    wrt: WrtOpt = None,
    lower: FromOpt = None,
    upper: ToOpt = None,
    bound: BoundOpt = None,
    coords: CoordsOpt = None,
    check: CheckOpt = None,
    tol: TolOpt = None,
    steps: StepsFlag = False,
    fmt: FormatOpt = Format.AUTO,
    json_: JsonFlag = False,
    no_color: NoColorFlag = False,
    timeout: TimeoutOpt = limits.DEFAULT_TIMEOUT,
    memory: MemoryOpt = limits.DEFAULT_MEMORY_MB,
) -> None:
    """Antiderivative, or definite, improper and multiple integrals (every answer checked).

    \b
    $ calccli integrate 'x e^x'
    $ calccli integrate 'sin(x)/x' --from 0 --to oo
    $ calccli integrate 'x^2 + y^2' --coords polar --bound r=0..2 --bound theta=0..2pi
    """
    variables = names(wrt)
    system = coords.value if coords else None
    compute = partial(jobs.integral, **companion(check, tol, steps), wrt=variables, lower=lower, upper=upper, bounds=bound, coords=system,
                      timeout=timeout)
    inputs = {"wrt": variables, "from": lower, "to": upper, "bounds": bound, "coords": system,
              **shown(check, tol, steps)}
    _run("integrate", formula, compute, inputs, fmt, json_, no_color, timeout, memory)


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
