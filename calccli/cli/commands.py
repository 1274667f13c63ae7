"""The computing commands: each lists only its own options and returns a :class:`Request`.

``@command`` attaches the options every command shares (``--check``, ``--tol``, ``--steps``,
``--format``, ``--json``, ``--no-color``, ``--timeout``, ``--max-memory``), declared once
here, fills them into the request and hands it to :func:`calccli.cli.pipeline.run`.
Imports only Typer: this module is loaded for ``--help`` and completion.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
from collections.abc import Callable
from typing import Any

import typer

from calccli import limits
from calccli.cli.options import (
    AssumeOpt,
    AtOpt,
    BoundOpt,
    ChainProgram,
    CheckOpt,
    ClassifyFormula,
    ComponentsOpt,
    CoordsOpt,
    DecomposeFlag,
    DiffFormula,
    DirOpt,
    EvalOpt,
    EveryOpt,
    ExpandFlag,
    ExpressionFormula,
    FormatOpt,
    ForwardOpt,
    FromOpt,
    GradTolOpt,
    HessianFlag,
    Integrand,
    JsonFlag,
    Layout,
    LayoutOpt,
    LineSearchFlag,
    MatrixAtOpt,
    MatrixFormulaArg,
    MatrixWrtOpt,
    MaxStepsOpt,
    MemoryOpt,
    MomentumOpt,
    NewtonFormula,
    NoColorFlag,
    OfOpt,
    OptimizeFormula,
    OrderOpt,
    PointsOpt,
    RateOpt,
    RegionOpt,
    RootsFlag,
    ScalarFormula,
    ShapeOpt,
    SimplifyFormula,
    StartOpt,
    StepsFlag,
    SubjectToOpt,
    TaylorFormula,
    TaylorOrderOpt,
    TimeoutOpt,
    TolOpt,
    ToOpt,
    VectorFormula,
    WrtOpt,
    names,
)
from calccli.cli.request import Request
from calccli.cli.table import COMMANDS
from calccli.render import Format

# The options every computing command shares, in the order --help lists them (after the command's own).
SHARED: tuple[tuple[str, Any, Any], ...] = (
    ("check", CheckOpt, None),
    ("tol", TolOpt, None),
    ("steps", StepsFlag, False),
    ("fmt", FormatOpt, Format.AUTO),
    ("json_", JsonFlag, False),
    ("no_color", NoColorFlag, False),
    ("timeout", TimeoutOpt, limits.DEFAULT_TIMEOUT),
    ("memory", MemoryOpt, limits.DEFAULT_MEMORY_MB),
)

# The command functions, in the order they were declared (``calccli --help`` lists them so).
REGISTERED: list[tuple[str, Callable[..., None]]] = []


def command(name: str) -> Callable[[Callable[..., Request]], Callable[..., None]]:
    """Register a command of the table: its function's options plus the shared ones; it runs the pipeline."""
    if name not in COMMANDS:
        raise KeyError(f"{name!r} is not in calccli.cli.table.COMMANDS")

    def register(fn: Callable[..., Request]) -> Callable[..., None]:
        own = inspect.signature(fn, eval_str=True)
        shared = [
            inspect.Parameter(n, inspect.Parameter.POSITIONAL_OR_KEYWORD, default=d, annotation=a) for n, a, d in SHARED
        ]

        @functools.wraps(fn)
        def run(**kwargs: Any) -> None:
            from calccli.cli import pipeline

            s = {n: kwargs.pop(n) for n, _, _ in SHARED}
            request = dataclasses.replace(
                fn(**kwargs),
                check=s["check"],
                tol=s["tol"],
                steps=s["steps"],
                fmt=Format.JSON if s["json_"] else s["fmt"],
                no_color=s["no_color"],
                timeout=s["timeout"],
                memory_mb=s["memory"],
            )
            code = pipeline.run(request)
            if code:
                raise typer.Exit(code)

        run.__signature__ = own.replace(  # type: ignore[attr-defined]
            parameters=[*own.parameters.values(), *shared], return_annotation=None
        )
        run.__annotations__ = {
            **{p.name: p.annotation for p in run.__signature__.parameters.values()},  # type: ignore[attr-defined]
            "return": None,
        }
        run.__name__ = name  # the callback is known by its command's name (eval's function is evaluate)
        REGISTERED.append((name, run))
        return run

    return register


def _points(points: str | None) -> dict[str, object]:
    """--points, in the request (and the JSON input) only when given."""
    return {} if points is None else {"points": points}


@command("diff")
def diff(
    formula: DiffFormula,
    wrt: WrtOpt = None,
    order: OrderOpt = 1,
    at: AtOpt = None,
    points: PointsOpt = None,
) -> Request:
    """Partial derivative: --wrt x (--order n), or --wrt x,y for the mixed one.

    \b
    $ calccli diff 'ln(sin(x^3)^2)' --wrt x
    $ calccli diff 'x^3 y^2' --wrt x,y --at 1,2
    """
    extra = _points(points)
    return Request("diff", formula, {"wrt": names(wrt), "order": order, "at": at, **extra})


@command("grad")
def grad(
    formula: ScalarFormula,
    wrt: WrtOpt = None,
    at: AtOpt = None,
    points: PointsOpt = None,
) -> Request:
    """Gradient of a scalar formula, in variable order (with |grad f| at a point).

    \b
    $ calccli grad 'x^2 y + sin(y)' --at x=1,y=pi
    $ calccli grad 'log(exp(x)+exp(y))' --json
    """
    return Request("grad", formula, {"wrt": names(wrt), "at": at, **_points(points)})


@command("directional")
def directional(formula: ScalarFormula, direction: DirOpt, wrt: WrtOpt = None, at: AtOpt = None) -> Request:
    """Directional derivative along --dir (scaled to a unit vector).

    \b
    $ calccli directional 'x^2 y + y z^2' --at 1,2,3 --dir 1,1,1
    """
    return Request("directional", formula, {"wrt": names(wrt), "at": at, "dir": direction})


@command("jacobian")
def jacobian(
    formula: VectorFormula,
    wrt: WrtOpt = None,
    at: AtOpt = None,
    points: PointsOpt = None,
) -> Request:
    """Jacobian matrix of a vector formula, and its determinant when square.

    \b
    $ calccli jacobian '[u^2 - v^2, 2u v]' --wrt u,v
    $ calccli jacobian '[r cos(theta), r sin(theta)]' --wrt r,theta
    """
    return Request("jacobian", formula, {"wrt": names(wrt), "at": at, **_points(points)})


@command("hessian")
def hessian(
    formula: ScalarFormula,
    wrt: WrtOpt = None,
    at: AtOpt = None,
    points: PointsOpt = None,
) -> Request:
    """Hessian matrix; at a point also its eigenvalues and definiteness.

    \b
    $ calccli hessian 'x^4 + y^4 - 4xy + 1'
    $ calccli hessian 'x^4 + y^4 - 4xy + 1' --at 1,1
    """
    return Request("hessian", formula, {"wrt": names(wrt), "at": at, **_points(points)})


@command("laplacian")
def laplacian(formula: ScalarFormula, wrt: WrtOpt = None, at: AtOpt = None) -> Request:
    """Laplacian: the sum of the second partials d2f/dx2 + d2f/dy2 + ...

    \b
    $ calccli laplacian 'x^2 + y^2 + z^2'
    """
    return Request("laplacian", formula, {"wrt": names(wrt), "at": at})


@command("taylor")
def taylor(
    formula: TaylorFormula,
    wrt: WrtOpt = None,
    at: AtOpt = None,
    order: TaylorOrderOpt = 2,
    eval_at: EvalOpt = None,
    expand: ExpandFlag = False,
) -> Request:
    """Taylor polynomial about --at (default the origin), grouped by degree.

    \b
    $ calccli taylor 'e^(x+y)' --at 0,0 --order 2 --eval 0.1,0.1
    $ calccli taylor 'x exp(-x^2-y^2)' --at -1,0
    """
    return Request("taylor", formula, {"wrt": names(wrt), "at": at, "order": order, "eval": eval_at, "expand": expand})


@command("classify")
def classify(
    formula: ClassifyFormula, wrt: WrtOpt = None, subject_to: SubjectToOpt = None, region: RegionOpt = None
) -> Request:
    """Critical points, classified (second-derivative and higher-order tests).

    \b
    $ calccli classify 'x^4 + y^4 - 4xy + 1'
    $ calccli classify 'x^3 - 3x y^2 + y^3'
    $ calccli classify 'x y' --subject-to 'x^2 + y^2 = 1'
    $ calccli classify 'x^2 - y^2' --in x=-1..1,y=-1..1
    """
    return Request("classify", formula, {"wrt": names(wrt), "subject_to": subject_to, "in": region})


@command("integrate")
def integrate(
    formula: Integrand,
    wrt: WrtOpt = None,
    lower: FromOpt = None,
    upper: ToOpt = None,
    bound: BoundOpt = None,
    coords: CoordsOpt = None,
    assume: AssumeOpt = None,
) -> Request:
    """Antiderivative, or definite, improper and multiple integrals (every answer checked).

    \b
    $ calccli integrate 'x e^x'
    $ calccli integrate 'sin(x)/x' --from 0 --to oo
    $ calccli integrate 'x^2 + y^2' --coords polar --bound r=0..2 --bound theta=0..2pi
    $ calccli integrate 'sqrt(a^2 - x^2)' --wrt x --from -a --to a --assume a>0
    """
    options: dict[str, object] = {
        "wrt": names(wrt),
        "from": lower,
        "to": upper,
        "bounds": bound,
        "coords": coords.value if coords else None,
        "assume": assume or None,
    }
    return Request("integrate", formula, options)


@command("chain")
def chain(
    program: ChainProgram,
    of: OfOpt = None,
    wrt: WrtOpt = None,
    at: AtOpt = None,
    forward: ForwardOpt = None,
    decompose: DecomposeFlag = False,
) -> Request:
    """The chain rule through named intermediate variables: graph, paths, forward and reverse mode.

    \b
    $ calccli chain 'f = (u+v)^2; u = (a+b)^2; v = (a-b)^2; a = (w+x+y+z)^2; b = (w+x-y-z)^2' --at w=-1,x=0,y=-2,z=1
    $ calccli chain 'ln(sin(x^3)^2)' --decompose
    $ calccli chain 'f = p q; (p, q) = (r cos(t), r sin(t))' --format dot
    """
    options = {"of": of, "wrt": names(wrt), "at": at, "forward": forward, "decompose": decompose}
    return Request("chain", program, options)


@command("matdiff")
def matdiff(
    formula: MatrixFormulaArg,
    wrt: MatrixWrtOpt = None,
    shape: ShapeOpt = None,
    layout: LayoutOpt = Layout.DENOMINATOR,
    hessian: HessianFlag = False,
    at: MatrixAtOpt = None,
    components: ComponentsOpt = None,
) -> Request:
    """Matrix calculus: the derivative of a vector or matrix expression, in matrix notation, verified.

    \b
    $ calccli matdiff "x' A x" --wrt x
    $ calccli matdiff 'norm(X - U V)^2' --wrt V
    $ calccli matdiff 'log(det(X))' --wrt X
    $ calccli matdiff "x' A x" --wrt x --hessian
    """
    options = {
        "wrt": wrt,
        "shape": shape,
        "layout": layout.value,
        "hessian": hessian,
        "at": at,
        "components": components,
    }
    return Request("matdiff", formula, options)


@command("descend")
def descend(
    formula: OptimizeFormula,
    start: StartOpt = None,
    wrt: WrtOpt = None,
    rate: RateOpt = 0.1,
    line_search: LineSearchFlag = False,
    momentum: MomentumOpt = 0.0,
    grad_tol: GradTolOpt = 1e-8,
    max_steps: MaxStepsOpt = 10_000,
    every: EveryOpt = 1,
) -> Request:
    """Gradient descent θ ← θ − η∇f from --from, with its trace; divergence and oscillation explained.

    \b
    $ calccli descend 'x^2 + y^2 - 2x - 4y + 5' --from 5,5 --rate 0.1
    $ calccli descend '(1 - x)^2 + 100 (y - x^2)^2' --from -1.2,1 --rate 0.001 --momentum 0.9 --every 500
    """
    options = {
        "wrt": names(wrt),
        "from": start,
        "rate": rate,
        "line_search": line_search,
        "momentum": momentum,
        "grad_tol": grad_tol,
        "max_steps": max_steps,
        "every": every,
    }
    return Request("descend", formula, options)


@command("newton")
def newton(
    formula: NewtonFormula,
    start: StartOpt = None,
    wrt: WrtOpt = None,
    roots: RootsFlag = False,
    grad_tol: GradTolOpt = 1e-12,
    max_steps: MaxStepsOpt = 100,
) -> Request:
    """Newton's method: minimise with the Hessian (damped), or --roots of a system; the error per step.

    \b
    $ calccli newton 'x^4 + y^4 - 4x y + 1' --from 2,2
    $ calccli newton '[x^2 + y^2 - 4, x - y]' --roots --from 1,2
    """
    options = {"wrt": names(wrt), "from": start, "roots": roots, "grad_tol": grad_tol, "max_steps": max_steps}
    return Request("newton", formula, options)


@command("optimize")
def optimize(
    formula: OptimizeFormula,
    start: StartOpt = None,
    wrt: WrtOpt = None,
    rate: RateOpt = 0.1,
    grad_tol: GradTolOpt = 1e-8,
    max_steps: MaxStepsOpt = 10_000,
) -> Request:
    """Every method from one start, side by side: steps, final point, f and time.

    \b
    $ calccli optimize '(1 - x)^2 + 100 (y - x^2)^2' --from -1.2,1 --rate 0.001
    """
    options = {"wrt": names(wrt), "from": start, "rate": rate, "grad_tol": grad_tol, "max_steps": max_steps}
    return Request("optimize", formula, options)


@command("eval")
def evaluate(formula: ExpressionFormula, wrt: WrtOpt = None, at: AtOpt = None) -> Request:
    """Value of an expression, exact and as a float (at --at when it has variables).

    \b
    $ calccli eval 'sin(pi/4)^2'
    $ calccli eval 'x^2 + 1' --at x=2
    """
    return Request("eval", formula, {"wrt": names(wrt), "at": at})


@command("simplify")
def simplify(formula: SimplifyFormula, wrt: WrtOpt = None) -> Request:
    """Simplest equal form of an expression (checked at random points).

    \b
    $ calccli simplify 'sin(x)^2 + cos(x)^2'
    $ calccli simplify '(x^2 - 1)/(x - 1)'
    """
    return Request("simplify", formula, {"wrt": names(wrt)})
