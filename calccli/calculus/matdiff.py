"""``calccli matdiff``: a derivative in matrix notation, verified, at given values and entry by entry.

The symbolic derivative comes from :mod:`calccli.calculus.matrix` (reverse mode over the matrix
expression, rules the texts use); it is shown only once :mod:`calccli.calculus.matrix_check` has
confirmed it by instantiating the dimensions with small sizes and random matrices and comparing with
the function's entries differentiated one by one.  A derivative the check contradicts is never shown
as the answer; one the check could not test (every draw undefined) is shown marked unverified.
"""

from __future__ import annotations

from collections.abc import Mapping

import sympy as sp

from calccli.calculus import matrix as engine
from calccli.calculus import matrix_check as check
from calccli.errors import MathError
from calccli.formula import matrix as M
from calccli.formula.matrix_grammar import MatrixFormula
from calccli.process.budget import Budget
from calccli.results.matrix import MatrixCheck, MatrixComponents, MatrixDerivativeResult


def _check(v: check.Verification) -> MatrixCheck:
    return MatrixCheck(v.verified, v.trials, tuple(dict(d) for d in v.dims), v.max_error, v.reason)


LARGEST_CHECKED = 6  # a fixed size beyond this is checked as a symbol: a 64×256 W as m×n


def _verify(
    f: M.MExpr, wrt: M.Var, derivative: M.MExpr, layout: str, order: int
) -> tuple[check.Verification, str | None]:
    """The numeric check; fixed sizes too large to write out (W = 64×256) become symbols for it.

    The derivative's form does not depend on the sizes (no rule here does), so checking it at small
    sizes of the same pattern checks it at the sizes given.
    """
    large = [x for x in M.dims_of(f) + M.dims_of(derivative) if x.is_number and x > LARGEST_CHECKED]
    if not large:
        return check.verify(f, wrt, derivative, layout, order), None
    taken = {str(s) for x in M.dims_of(f) for s in x.free_symbols}
    names = (c for c in "nmpqrkl" if c not in taken)
    mapping: dict[sp.Expr, sp.Expr] = {x: M.dim(next(names)) for x in dict.fromkeys(large)}
    general = M.substitute_dims(f, mapping)
    by = M.substitute_dims(wrt, mapping)
    assert isinstance(by, M.Var)
    said = ", ".join(f"{x} as {s}" for x, s in mapping.items())
    note = f"checked with the sizes written as symbols ({said}) at small sizes: the rules do not depend on them"
    return check.verify(general, by, M.substitute_dims(derivative, mapping), layout, order), note


def matdiff(
    f: MatrixFormula,
    wrt: M.Var,
    layout: str = "denominator",
    order: int = 1,
    at: Mapping[str, sp.Matrix] | None = None,
    components: int | None = None,
    budget: Budget | None = None,
) -> MatrixDerivativeResult:
    """d f / d wrt in matrix notation, verified; at ``at`` also its value; ``components`` writes it out.

    >>> from calccli.formula.matrix_grammar import parse, read_variable
    >>> f = parse("x' A x")
    >>> r = matdiff(f, read_variable("x", f))
    >>> M.unicode(r.derivative), r.check.verified, M.shape_text(r.shape)
    ('(A + Aᵀ) x', True, 'n×1')
    """
    d = engine.derivative(f.expr, wrt, layout, order)  # type: ignore[arg-type]
    verification, generalised = _verify(f.expr, wrt, d.expr, layout, order)
    notes: list[str] = [generalised] if generalised else []
    if not verification.verified:
        reason = verification.reason or "it differs from the entry-by-entry derivative"
        if not reason.startswith("could not be checked"):
            raise MathError(
                f"calccli's matrix-notation derivative failed its own check ({reason}), so it is not shown; "
                "please report this; --components N gives the derivative entry by entry"
            )
        notes.append(f"unverified: {reason}")
    value = function_value = None
    if at is not None:
        value = check.evaluate(d.expr, at, variables=f.variables)
        function_value = check.evaluate(f.expr, at, variables=f.variables)
    written = None
    if components is not None:
        c = check.components(f.expr, wrt, components, layout, order)
        written = MatrixComponents(components, tuple(c.entries), c.function, c.derivative)
    return MatrixDerivativeResult(
        formula=f.expr,
        wrt=wrt,
        variables=f.variables,
        layout=layout,
        order=order,
        kind=d.kind,
        derivative=d.expr,
        check=_check(verification),
        rules=tuple((r.name, r.at) for r in d.rules),
        at=dict(at) if at is not None else None,
        value=value,
        function_value=function_value,
        components=written,
        notes=tuple(notes),
    )


__all__ = ["matdiff"]
