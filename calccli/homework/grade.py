"""Grading a user's answer against a computed result (``--check``).

Each result kind registers what a student would write as "the answer": a derivative,
a gradient vector, a matrix, a number at a point, an antiderivative (up to a
constant), a list of classified critical points.  Most kinds register only their
expected answer, with :func:`expects`; a kind graded some other way registers its whole
grader with :func:`grader`.  Adding a command adds one registered function here and
edits nothing else.  The comparison itself is :mod:`calccli.homework.check`'s (and
:mod:`calccli.homework.critical`'s); this module only lines the two up.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import sympy as sp

from calccli import results as R
from calccli.errors import UsageError
from calccli.formula.answer import Answer
from calccli.homework import check, critical
from calccli.process.budget import Budget

Classified = Sequence[tuple[str, tuple[sp.Expr, ...]]]  # a classify answer: (kind, point) pairs
Grader = Callable[[Any, Any, float | None, Budget | None], R.Verdict]
F = TypeVar("F", bound=Callable[..., Any])

_GRADERS: dict[type, Grader] = {}


def grader(*kinds: type) -> Callable[[F], F]:
    """Register ``fn(result, parsed, tol, budget) -> Verdict`` as the grader of results of ``kinds``."""

    def register(fn: F) -> F:
        for kind in kinds:
            _GRADERS[kind] = fn
        return fn

    return register


@dataclass(frozen=True, slots=True)
class Expected:
    """The right answer in the shape the user should have written, and its component labels."""

    value: object  # an expression, a tuple (vector) or a tuple of tuples (matrix)
    labels: tuple[str, ...] = ()


Expectation = Callable[[Any, bool, tuple[int, ...]], Expected]


def expects(*kinds: type) -> Callable[[Expectation], Expectation]:
    """Register ``fn(result, at, shape) -> Expected`` and grade results of ``kinds`` against it.

    ``at`` is True when the result was computed at a point and the answer is a constant, so
    the expected answer is the value there; ``shape`` is the answer's (``()``, ``(n,)``, ``(r, c)``).
    """

    def register(fn: Expectation) -> Expectation:
        def grade_it(result: Any, parsed: Answer, tol: float | None, budget: Budget | None) -> R.Verdict:
            return _against(result, parsed, tol, budget, fn)

        grader(*kinds)(grade_it)
        return fn

    return register


def grade(
    result: object, parsed: Answer | Classified, tol: float | None = None, budget: Budget | None = None
) -> R.Verdict:
    """Compare a parsed answer with ``result``: for classify a list of (kind, point), else an :class:`Answer`.

    ``budget`` is the computation's; the comparison never runs past its ``remaining()``.
    """
    fn = next((_GRADERS[k] for k in type(result).__mro__ if k in _GRADERS), None)
    if fn is None:
        raise UsageError(f"--check is not available for {command(result)} yet; it is for {available(_GRADERS)}")
    return fn(result, parsed, tol, budget)


# The command that makes a result of each kind (its KIND), where the two names differ.
_COMMANDS = {
    "derivative": "diff",
    "gradient": "grad",
    "critical_points": "classify",
    "antiderivative": "integrate",
    "integral": "integrate",
    "evaluation": "eval",
    "simplification": "simplify",
}


def command(result: object) -> str:
    """The command a result comes from, by its KIND (``diff`` for a derivative); its KIND otherwise.

    >>> command(R.Gradient(sp.Integer(1), (), ()))
    'grad'
    """
    kind = str(getattr(result, "KIND", type(result).__name__))
    return _COMMANDS.get(kind, kind)


def available(registry: dict[type, Any]) -> str:
    """The commands whose results have an entry in ``registry``, for a message: ``diff, grad, ...``."""
    kinds = [getattr(k, "KIND", None) for k in registry]
    return ", ".join(dict.fromkeys(_COMMANDS.get(k, k) for k in kinds if isinstance(k, str)))


def names(result: object) -> frozenset[str]:
    """The variable names an answer to ``result`` may use (kept whole when it is parsed)."""
    names = {v.name for v in _variables(result)}
    v = getattr(result, "variable", None)
    if v is not None:
        names.add(v.name)
    for v, _, _ in getattr(result, "bounds", ()) or ():
        names.add(v.name)
    return frozenset(names)


# --------------------------------------------------------------------------- lining the two up


def _variables(result: object) -> tuple[sp.Symbol, ...]:
    """The result's variables, in order (none for a result without them)."""
    return tuple(getattr(result, "variables", ()) or ())


def _flat(value: object) -> list[sp.Expr]:
    if isinstance(value, sp.MatrixBase):
        return list(value)
    if isinstance(value, (tuple, list)):
        return [c for row in value for c in (_flat(row) if isinstance(row, (tuple, list)) else [row])]
    return [value]  # type: ignore[list-item]


def _shape(value: object) -> tuple[int, ...]:
    if isinstance(value, sp.MatrixBase):
        return tuple(value.shape)
    if isinstance(value, (tuple, list)):
        if value and isinstance(value[0], (tuple, list)):
            return (len(value), len(value[0]))
        return (len(value),)
    return ()


def _describe(shape: tuple[int, ...]) -> str:
    if not shape:
        return "a single expression"
    if len(shape) == 1:
        return f"a vector of {shape[0]} components"
    return f"a {shape[0]}×{shape[1]} matrix"


def _shaped(exprs: tuple[sp.Expr, ...], shape: tuple[int, ...]) -> object:
    if not shape:
        return exprs[0]
    if len(shape) == 1:
        return tuple(exprs)
    rows, cols = shape
    return tuple(tuple(exprs[i * cols : (i + 1) * cols]) for i in range(rows))


Compare = Callable[[Any, Answer, Expected, dict[str, Any]], check.Check]


def _entries(result: Any, parsed: Answer, expected: Expected, options: dict[str, Any]) -> check.Check:
    """A vector or matrix entry by entry, a single expression as it is."""
    if parsed.shape:
        return check.components(
            list(parsed.exprs), _flat(expected.value), expected.labels, _variables(result), **options
        )
    return check.scalar(parsed.exprs[0], expected.value, _variables(result), **options)  # type: ignore[arg-type]


def _against(
    result: Any,
    parsed: Answer,
    tol: float | None,
    budget: Budget | None,
    expectation: Expectation,
    compare: Compare = _entries,
) -> R.Verdict:
    """Grade an :class:`Answer` against the expected answer ``expectation`` gives for ``result``."""
    shape = parsed.shape
    given = _shaped(parsed.exprs, shape)
    constant = not any(c.free_symbols for c in parsed.exprs)
    expected = expectation(result, getattr(result, "at", None) is not None and constant, shape)
    # Typed decimals set the tolerance of a number ("1.22" means ±0.005); in an expression they
    # are read exactly (0.5 x^2 is x^2/2), so that "0.7 x^2" is not "x^2/2 to one digit".
    digits = {"decimals": parsed.decimals, "significant": parsed.significant} if constant else {}
    options: dict[str, Any] = {**digits, "tol": tol, "budget": budget}
    if _shape(expected.value) != shape:
        return R.Verdict(
            "incorrect",
            given,
            expected.value,
            "the shapes differ",
            reason=f"expected {_describe(_shape(expected.value))}, got {_describe(shape)}",
        )
    c = compare(result, parsed, expected, options)
    return R.Verdict(
        c.verdict,
        given,
        expected.value,
        c.method,
        c.differs_at,
        c.given_value,
        c.expected_value,
        tuple(c.wrong),
        c.reason,
    )


# --------------------------------------------------------------------------- the kinds


@expects(R.Derivative)
def _derivative(result: R.Derivative, at: bool, shape: tuple[int, ...]) -> Expected:
    """The derivative (a vector for a vector formula), or its value at the point."""
    exprs = [v.exact for v in result.values] if at and result.values else list(result.derivatives)
    if result.is_vector:
        return Expected(tuple(exprs), tuple(f"f{i + 1}" for i in range(len(exprs))))
    return Expected(exprs[0])


@expects(R.Gradient)
def _gradient(result: R.Gradient, at: bool, shape: tuple[int, ...]) -> Expected:
    """The gradient vector, or its value at the point."""
    exprs = [v.exact for v in result.values] if at and result.values else list(result.components)
    return Expected(tuple(exprs), tuple(f"∂f/∂{v.name}" for v in result.variables))


@expects(R.DirectionalDerivative)
def _directional(result: R.DirectionalDerivative, at: bool, shape: tuple[int, ...]) -> Expected:
    """The directional derivative, or its value at the point."""
    return Expected(result.value.exact if at and result.value else result.derivative)


@expects(R.Jacobian, R.Hessian)
def _matrix(result: R.Jacobian | R.Hessian, at: bool, shape: tuple[int, ...]) -> Expected:
    """The matrix; for a Jacobian answered with a single expression, its determinant."""
    matrix = result.matrix_value if at and result.matrix_value is not None else result.matrix
    if isinstance(result, R.Jacobian) and shape == () and result.determinant is not None:
        return Expected(result.determinant_value.exact if at and result.determinant_value else result.determinant)
    labels = tuple(f"[{i + 1},{j + 1}]" for i in range(matrix.rows) for j in range(matrix.cols))
    return Expected(tuple(tuple(row) for row in matrix.tolist()), labels)


@expects(R.Laplacian)
def _laplacian(result: R.Laplacian, at: bool, shape: tuple[int, ...]) -> Expected:
    """The Laplacian, or its value at the point."""
    return Expected(result.value.exact if at and result.value else result.laplacian)


@expects(R.Chain)
def _chain(result: R.Chain, at: bool, shape: tuple[int, ...]) -> Expected:
    """The total derivative by the one input, or the vector of them in input order; or their values."""
    exprs = [t.value.exact if at and t.value is not None else t.total for t in result.totals]
    labels = tuple(f"∂{result.output}/∂{t.input}" for t in result.totals)
    return Expected(exprs[0] if len(exprs) == 1 else tuple(exprs), labels if len(exprs) > 1 else ())


@grader(R.MatrixDerivativeResult)
def _matdiff(result: R.MatrixDerivativeResult, given: Any, tol: float | None, budget: Budget | None) -> R.Verdict:
    """An answer in matrix notation, decided by instantiating the dimensions with random matrices."""
    from calccli.calculus import matrix_check

    verdict = matrix_check.equivalent(given.expr, result.derivative)
    sizes = R.sizes_text(verdict.dims)
    method = f"random matrices at {sizes}" if sizes else "the shapes"
    return R.Verdict(
        verdict.verdict,
        given.expr,
        result.derivative,
        method,
        given_value=verdict.got,
        expected_value=verdict.expected,
        reason=verdict.reason or "",
    )


@expects(R.Descent, R.Newton)
def _minimiser(result: R.Descent | R.Newton, at: bool, shape: tuple[int, ...]) -> Expected:
    """Where the run ends: the exact point when calccli knows it, else the float end point."""
    if result.exact is not None:
        coords = tuple(result.exact[v] for v in result.variables)
    else:
        coords = tuple(sp.Float(x) for x in result.final)
    labels = tuple(v.name for v in result.variables)
    return Expected(coords[0] if len(coords) == 1 else coords, labels if len(coords) > 1 else ())


@expects(R.Evaluation)
def _evaluation(result: R.Evaluation, at: bool, shape: tuple[int, ...]) -> Expected:
    """The value (at the point when one is given); without a point, the expression itself."""
    return Expected(result.value.exact)


@expects(R.Simplification)
def _simplification(result: R.Simplification, at: bool, shape: tuple[int, ...]) -> Expected:
    """Any form equal to the expression is a right answer; the simplest one found is shown."""
    return Expected(result.simplified)


def _taylor(result: R.TaylorPolynomial, at: bool, shape: tuple[int, ...]) -> Expected:
    """The Taylor polynomial; a number answers the approximation at the ``--eval`` point."""
    if at and result.approximation is not None:
        return Expected(result.approximation.exact)
    return Expected(result.polynomial)


@grader(R.TaylorPolynomial)
def _taylor_polynomial(
    result: R.TaylorPolynomial, parsed: Answer, tol: float | None, budget: Budget | None
) -> R.Verdict:
    """The polynomial, or with ``--eval`` a number: the approximation there (not f's exact value)."""
    verdict = _against(result, parsed, tol, budget, _taylor)
    if verdict.verdict != "incorrect" or result.exact is None or parsed.shape or not _constant(parsed):
        return verdict
    digits: dict[str, Any] = {
        "decimals": parsed.decimals,
        "significant": parsed.significant,
        "tol": tol,
        "budget": budget,
    }
    if check.scalar(parsed.exprs[0], result.exact.exact, (), **digits).ok:
        approximation = R.text(verdict.expected)
        reason = f"that is f's exact value at the point; the Taylor approximation there is {approximation}"
        return dataclasses.replace(verdict, reason=reason)
    return verdict


@grader(R.Antiderivative)
def _antiderivative(result: R.Antiderivative, parsed: Answer, tol: float | None, budget: Budget | None) -> R.Verdict:
    """An antiderivative, right up to a constant."""
    return _against(result, parsed, tol, budget, lambda r, at, shape: Expected(r.antiderivative), _up_to_a_constant)


def _up_to_a_constant(
    result: R.Antiderivative, parsed: Answer, expected: Expected, options: dict[str, Any]
) -> check.Check:
    """F is right when F' is the integrand: compared with f itself, not with calccli's own F.

    Constants, piecewise ones included (ln|x| against ln x), drop out on differentiating.
    """
    x = result.variable
    variables = (x, *sorted(result.expr.free_symbols - {x}, key=lambda s: s.name))
    c = check.scalar(sp.diff(parsed.exprs[0], x), result.expr, variables, **options)
    method = f"up to a constant: d/d{x.name} of the answer against the integrand ({c.method})"
    reason = c.reason and f"d/d{x.name} of the answer: {c.reason}"
    return check.Check(c.verdict, method, c.differs_at, c.given_value, c.expected_value, c.wrong, c.components, reason)


@grader(R.DefiniteIntegral)
def _definite(result: R.DefiniteIntegral, parsed: Answer, tol: float | None, budget: Budget | None) -> R.Verdict:
    """The value; a numeric one is compared within its error estimate, an unverified exact one decides nothing."""
    given = _shaped(parsed.exprs, parsed.shape)
    if result.converges is False:
        return _divergent(result, given)
    if result.value is None and (result.numeric is None or result.converges is not True):
        return R.Verdict(
            "undetermined",
            given,
            "unknown",
            "calccli found no reliable value to compare with",
            reason="no closed form, and no well-converged numeric value",
        )
    if result.value is None and tol is None and not (parsed.decimals is not None and _constant(parsed)):
        # an exact answer (no decimals typed) against the numeric value: within its accuracy
        assert result.numeric is not None
        tol = max(10 * (result.error_estimate or 0.0), 1e-9 * max(1, abs(result.numeric)))
    if result.value is None and tol is None:
        # decimals typed: the digits-given rule, against the float, unless its error blurs the last digit
        assert result.numeric is not None and parsed.decimals is not None
        blurred = _blurred(parsed, result.numeric, result.error_estimate)
        if blurred is not None:
            return blurred
    verdict = _against(
        result,
        parsed,
        tol,
        budget,
        lambda r, at, shape: Expected(r.value if r.value is not None else sp.Float(r.numeric, 15)),
    )
    if verdict.verdict == "correct" and result.value is not None and not result.verified:
        return dataclasses.replace(
            verdict, verdict="undetermined", method=verdict.method + "; but calccli's own value is unverified"
        )
    return verdict


def _constant(parsed: Answer) -> bool:
    """The answer is a number (no variables in it)."""
    return not any(c.free_symbols for c in parsed.exprs)


def _blurred(parsed: Answer, numeric: float, error: float | None) -> R.Verdict | None:
    """Undetermined when the numeric value's error estimate straddles the rounding of the digits given.

    The digits-given rule says ``1.22`` is right when the value rounds to it, i.e. lies within
    half a unit of the last digit typed; a value known only to ``± error`` decides it only when
    the whole interval lies on one side of that boundary.
    """
    assert parsed.decimals is not None
    half = 0.5 * 10.0 ** (-parsed.decimals)
    err = 10 * (error or 0.0) + 1e-12 * max(1.0, abs(numeric))
    given = _shaped(parsed.exprs, parsed.shape)
    if parsed.shape:
        return None  # a vector or matrix answer to a number: the shapes differ, as elsewhere
    try:
        d = abs(float(parsed.exprs[0]) - numeric)
    except (TypeError, ValueError):
        return None
    if abs(d - half) > err:
        return None
    return R.Verdict(
        "undetermined",
        given,
        sp.Float(numeric, 15),
        f"to the digits given (±{half:g}), against a numeric value known to ±{err:.2g}",
        reason="the numeric value is too close to the rounding boundary of the digits given to decide",
    )


def _divergent(result: R.DefiniteIntegral, given: object) -> R.Verdict:
    """A divergent integral: only ``oo`` or ``-oo`` (when it diverges that way) is right."""
    expected = R.text(result.value) if result.value is not None else "diverges"
    right = result.value is not None and given == result.value
    reason = (
        ""
        if right
        else "the integral diverges"
        + (
            f" (its Cauchy principal value is {R.text(result.principal_value)})"
            if result.principal_value is not None
            else ""
        )
    )
    return R.Verdict("correct" if right else "incorrect", given, expected, "the integral diverges", reason=reason)


@grader(R.CriticalPoints)
def _critical_points(
    result: R.CriticalPoints, given: Classified, tol: float | None, budget: Budget | None
) -> R.Verdict:
    """The classified critical points, in any order."""
    expected = [(p.kind, tuple(p.point[v] for v in result.variables)) for p in result.points if not p.family]
    if any(p.family for p in result.points):  # a curve of critical points cannot be listed point by point
        return R.Verdict(
            "undetermined",
            _points_text(given),
            _points_text(expected),
            "the critical points include a family (a curve or surface)",
        )
    c = critical.critical_points(given, expected, complete=result.complete)
    return R.Verdict(
        c.verdict, _points_text(given), _points_text(expected), c.method, wrong=tuple(c.wrong), reason=c.reason
    )


def _points_text(points: Classified) -> str:
    """``local minimum at (1, 1); saddle point at (0, 0)``; decimal coordinates as typed (``-0.707``)."""
    if not points:
        return "no critical points"
    return "; ".join(
        f"{clause[0]} at {critical.show_point(clause[1], getattr(clause, 'places', ()))}" for clause in points
    )
