"""The independent check of a matrix-notation derivative: instantiate, write out, differentiate entry by entry.

A matrix expression (:mod:`calccli.formula.matrix`) over symbolic dimensions becomes a concrete
SymPy matrix once its dimensions have sizes and its variables values (:func:`explicit`).  With the
variables' entries as symbols (``x1, x2``, ``A11, A12, ...``: :func:`entry_symbols`) it is the
function written out entry by entry, and SymPy's ``diff`` of every entry by every entry of the
variable, arranged in the layout, is the derivative the way the texts derive it (:func:`direct`).
This shares no rule with :mod:`calccli.calculus.matrix`, so :func:`verify` can confirm or refute
the engine's answer: the dimensions get distinct small sizes (a transposition slip changes the
shape or, with random non-symmetric values, the entries), the variables random exact rationals,
and the two sides are compared exactly, or to 25 digits where irrational functions appear.

The same instantiation decides ``--check`` (:func:`equivalent`), evaluates ``--at`` values
(:func:`evaluate`) and writes out ``--components n`` (:func:`components`).

>>> from calccli.formula.matrix import dim, mul, transpose, var
>>> n = dim("n")
>>> A, x = var("A", n, n), var("x", n)
>>> verify(mul(transpose(x), A, x), x, mul(A, x)).verified  # a factor Aᵀ x missing
False
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import sympy as sp

from calccli.calculus.common import as_expr
from calccli.errors import ArgumentError, MathError
from calccli.formula import matrix as M
from calccli.formula.matrix import MExpr, Var

ATTEMPTS = 6  # value draws per instantiation before it counts as unusable
DIGITS = 30  # precision of the comparison where irrational functions appear
RELATIVE_TOLERANCE = sp.Float("1e-25", DIGITS)
MAX_COMPONENTS = 5  # --components n: symbolic n×n determinants and inverses grow as n!

# Operators whose value needs draws away from their singularities: positive entries and scalars,
# square matrices with a positive determinant.
_POSITIVE_FUNCTIONS = ("log", "sqrt")


def _sigmoid(z: sp.Expr) -> sp.Expr:
    return 1 / (1 + sp.exp(-z))


_ELEMENTWISE: dict[str, Callable[[sp.Expr], sp.Expr]] = {
    "exp": sp.exp,
    "log": sp.log,
    "sin": sp.sin,
    "cos": sp.cos,
    "tan": sp.tan,
    "tanh": sp.tanh,
    "sinh": sp.sinh,
    "cosh": sp.cosh,
    "sqrt": sp.sqrt,
    "sigmoid": _sigmoid,
    "abs": sp.Abs,
}


# --------------------------------------------------------------------------- instantiation


def _size(d: M.Dim, dims: Mapping[sp.Symbol, int]) -> int:
    value = as_expr(d).xreplace({s: sp.Integer(v) for s, v in dims.items()})
    if not (value.is_Integer and value > 0):
        raise ArgumentError("dims", "{arg}: the dimension " + f"{d} has no size")
    return int(value)


def _shape(e: MExpr, dims: Mapping[sp.Symbol, int]) -> tuple[int, int]:
    return _size(e.shape[0], dims), _size(e.shape[1], dims)


def _sign(value: sp.Expr) -> int | None:
    """-1, 0 or 1 for a real number (exact where SymPy decides it, else to 30 digits); None if symbolic."""
    if not value.is_number:
        return None
    if value.is_zero:
        return 0
    if value.is_positive:
        return 1
    if value.is_negative:
        return -1
    approx = sp.N(value, DIGITS)
    if not approx.is_real:
        raise MathError(f"{value} is not real")
    return 0 if abs(approx) < RELATIVE_TOLERANCE else (1 if approx > 0 else -1)


def _function(func: str, value: sp.Expr) -> sp.Expr:
    sign = _sign(value)
    if func == "log" and sign is not None and sign <= 0:
        raise MathError(f"log of {value}, which is not positive")
    if func == "sqrt" and sign is not None and sign < 0:
        raise MathError(f"sqrt of {value}, which is negative")
    return _ELEMENTWISE[func](value)


def _power(value: sp.Expr, p: sp.Expr) -> sp.Expr:
    sign = _sign(value)
    if sign == 0 and bool(p.is_negative):
        raise MathError(f"0 to the power {p}")
    if sign is not None and sign < 0 and not p.is_integer:
        raise MathError(f"{value} to the power {p} is not real")
    return value**p


def _scalar(m: sp.Matrix) -> sp.Expr:
    return m[0, 0]


def explicit(e: MExpr, dims: Mapping[sp.Symbol, int], values: Mapping[str, sp.Matrix]) -> sp.Matrix:
    """``e`` with sizes for its dimensions and each variable a concrete matrix (1×1 for a scalar), exactly.

    Raises :class:`MathError` where ``e`` is undefined at the values: a singular inverse, the log of
    a non-positive number, zero to a negative power.

    >>> from calccli.formula.matrix import dim, inverse, mul, transpose, var
    >>> n = dim("n")
    >>> A, x = var("A", n, n), var("x", n)
    >>> explicit(mul(transpose(x), A, x), {n: 2}, {"A": sp.Matrix([[1, 2], [3, 4]]), "x": sp.Matrix([1, 1])})
    Matrix([[10]])
    >>> explicit(inverse(A), {n: 2}, {"A": sp.Matrix([[1, 2], [2, 4]])})
    Traceback (most recent call last):
    ...
    calccli.errors.MathError: the inverse of a singular matrix
    """
    out = _Instantiate(dims, values)(e)
    if any(v.has(sp.zoo, sp.nan, sp.oo, -sp.oo) or (v.is_number and v.is_real is False) for v in out):
        raise MathError(f"{M.unicode(e)} is undefined there")
    return out


class _Instantiate:
    """One instantiation: sizes and values, applied node by node."""

    def __init__(self, dims: Mapping[sp.Symbol, int], values: Mapping[str, sp.Matrix]) -> None:
        self.dims = dims
        self.values = values

    def __call__(self, e: MExpr) -> sp.Matrix:
        method = getattr(self, "_" + type(e).__name__.lower())
        result: sp.Matrix = method(e)
        return result

    def _var(self, e: Var) -> sp.Matrix:
        if e.name not in self.values:
            raise ArgumentError("values", "{arg}: " + f"no value for {e.name}")
        value = sp.Matrix(self.values[e.name])
        shape = _shape(e, self.dims)
        if value.shape != shape:
            raise ArgumentError("values", "{arg}: " + f"{e.name} is {_text(value.shape)}, expected {_text(shape)}")
        return value

    def _num(self, e: M.Num) -> sp.Matrix:
        return sp.Matrix([[e.value]])

    def _identity(self, e: M.Identity) -> sp.Matrix:
        return sp.eye(_size(e.n, self.dims))

    def _zero(self, e: M.Zero) -> sp.Matrix:
        return sp.zeros(*_shape(e, self.dims))

    def _ones(self, e: M.Ones) -> sp.Matrix:
        return sp.ones(*_shape(e, self.dims))

    def _add(self, e: M.Add) -> sp.Matrix:
        total = self(e.terms[0])
        for t in e.terms[1:]:
            total = total + self(t)
        return total

    def _mul(self, e: M.Mul) -> sp.Matrix:
        scale: sp.Expr = sp.Integer(1)
        product: sp.Matrix | None = None
        for t in e.terms:
            value = self(t)
            if t.is_scalar:
                scale *= _scalar(value)
            else:
                product = value if product is None else product * value
        return sp.Matrix([[scale]]) if product is None else scale * product

    def _hadamard(self, e: M.Hadamard) -> sp.Matrix:
        out = self(e.terms[0])
        for t in e.terms[1:]:
            out = out.multiply_elementwise(self(t))
        return out

    def _transpose(self, e: M.Transpose) -> sp.Matrix:
        return self(e.arg).T

    def _inverse(self, e: M.Inverse) -> sp.Matrix:
        m = self(e.arg)
        d = m.det()
        if _sign(d) == 0 or (not d.is_number and sp.expand(d) == 0):
            raise MathError("the inverse of a singular matrix")
        return m.inv(method="LU") if d.is_number else m.adjugate() / d  # d is not 0: no second test

    def _trace(self, e: M.Trace) -> sp.Matrix:
        return sp.Matrix([[self(e.arg).trace()]])

    def _det(self, e: M.Det) -> sp.Matrix:
        return sp.Matrix([[self(e.arg).det()]])

    def _norm(self, e: M.Norm) -> sp.Matrix:
        return sp.Matrix([[sp.sqrt(sum(v**2 for v in self(e.arg)))]])

    def _sumentries(self, e: M.SumEntries) -> sp.Matrix:
        return sp.Matrix([[sum(self(e.arg))]])

    def _diag(self, e: M.Diag) -> sp.Matrix:
        return sp.diag(*self(e.arg))

    def _apply(self, e: M.Apply) -> sp.Matrix:
        return self(e.arg).applyfunc(lambda v: _function(e.func, v))

    def _power(self, e: M.Power) -> sp.Matrix:
        base = self(e.base)
        if e.base.is_scalar:
            return sp.Matrix([[_power(_scalar(base), e.exponent)]])
        return base ** int(e.exponent)

    def _hadamardpower(self, e: M.HadamardPower) -> sp.Matrix:
        return self(e.base).applyfunc(lambda v: _power(v, e.exponent))


def _text(shape: tuple[int, int]) -> str:
    return f"{shape[0]}×{shape[1]}"


def entry_symbols(v: Var, dims: Mapping[sp.Symbol, int]) -> sp.Matrix:
    """The real symbols the texts write for the entries of ``v``: ``x1, x2`` (a column), ``A11, A12, ...``.

    A scalar is its own name; beyond 9 rows or columns, or after a name ending in a digit, the
    indices are separated: ``A1_10``, ``x1_2``.

    >>> from calccli.formula.matrix import dim, var
    >>> n = dim("n")
    >>> entry_symbols(var("A", n, n), {n: 2}), entry_symbols(var("x", n), {n: 2}).T
    (Matrix([
    [A11, A12],
    [A21, A22]]), Matrix([[x1, x2]]))
    """
    rows, cols = _shape(v, dims)
    if v.is_scalar:
        return sp.Matrix([[sp.Symbol(v.name, real=True)]])
    join = "_" if max(rows, cols) > 9 or v.name[-1].isdigit() else ""
    if rows == 1 or cols == 1:  # a vector: one index
        return sp.Matrix(rows, cols, [sp.Symbol(f"{v.name}{join}{k + 1}", real=True) for k in range(rows * cols)])
    return sp.Matrix(rows, cols, lambda i, j: sp.Symbol(f"{v.name}{i + 1}{join}{j + 1}", real=True))


# --------------------------------------------------------------------------- the derivative entry by entry


def _rank(e: MExpr) -> int:
    r, c = e.shape
    return int(r != 1) + int(c != 1)


def _arrange(f: MExpr, wrt: Var, written: sp.Matrix, entries: sp.Matrix, layout: str, order: int) -> sp.Matrix:
    """Every entry of ``written`` (f written out) differentiated by every entry of ``wrt``, in the layout."""
    if layout not in ("denominator", "numerator"):
        raise ArgumentError("layout", "{arg} must be denominator or numerator")
    if order not in (1, 2):
        raise ArgumentError("order", "{arg} must be 1 or 2 (2 is the Hessian)")
    if wrt.is_scalar:
        w = entries[0, 0]
        return written.applyfunc(lambda v: sp.diff(v, w, order))
    column = wrt.shape[1] == 1
    if f.is_scalar and order == 1:
        s = written[0, 0]
        gradient = entries.applyfunc(lambda w: sp.diff(s, w))
        return gradient if layout == "denominator" else gradient.T
    if f.is_scalar and column:
        return sp.hessian(written[0, 0], list(entries))
    if _rank(f) == 1 and column and order == 1:
        jacobian = sp.Matrix(len(written), len(entries), lambda i, j: sp.diff(written[i], entries[j]))
        return jacobian if layout == "numerator" else jacobian.T
    what = "second derivative" if order == 2 else "derivative"
    raise MathError(f"the {what} of {M.unicode(f)} by {wrt.name} is not a scalar, vector or matrix")


def direct(f: MExpr, wrt: Var, dims: Mapping[sp.Symbol, int], layout: str = "denominator", order: int = 1) -> sp.Matrix:
    """d f / d wrt the independent way: f written out entry by entry, each entry differentiated by SymPy.

    Denominator layout: ∂(scalar)/∂x is n×1, ∂(scalar)/∂X has X's shape, ∂f(k×1)/∂x is n×k;
    numerator layout gives the transposes; ``order=2`` is the Hessian (n×n).

    >>> from calccli.formula.matrix import dim, mul, var
    >>> n = dim("n")
    >>> direct(mul(var("A", n, n), var("x", n)), var("x", n), {n: 2})
    Matrix([
    [A11, A21],
    [A12, A22]])
    """
    variables = {v.name: v for v in (*f.variables(), wrt)}
    values = {name: entry_symbols(v, dims) for name, v in variables.items()}
    written = explicit(f, dims, values)
    return _arrange(f, wrt, written, values[wrt.name], layout, order)


def _direct_at(
    f: MExpr, wrt: Var, dims: Mapping[sp.Symbol, int], values: Mapping[str, sp.Matrix], layout: str, order: int
) -> sp.Matrix:
    """:func:`direct` at the values: only wrt's entries symbolic while differentiating (cheaper, as independent)."""
    entries = entry_symbols(wrt, dims)
    symbolic = {**values, wrt.name: entries}
    d = _arrange(f, wrt, explicit(f, dims, symbolic), entries, layout, order)
    at = dict(zip(entries, values[wrt.name], strict=True))
    out = d.xreplace(at)
    if any(v.has(sp.zoo, sp.nan, sp.oo, -sp.oo) for v in out):
        raise MathError(f"the derivative of {M.unicode(f)} is undefined there")
    return out


# --------------------------------------------------------------------------- random instantiations


def _dimensions(exprs: Iterable[MExpr]) -> list[sp.Symbol]:
    found: set[sp.Symbol] = set()
    for e in exprs:
        for node in e.walk():
            for d in node.shape:
                found |= {s for s in as_expr(d).free_symbols if isinstance(s, sp.Symbol)}
    return sorted(found, key=lambda s: s.name)


def _sizes(symbols: Sequence[sp.Symbol], trial: int, rng: random.Random) -> dict[sp.Symbol, int]:
    """Distinct sizes, at least 2 (so that no vector is a scalar): 2, 3, ..., then reversed, then drawn."""
    k = len(symbols)
    base = list(range(2, 2 + k))
    if trial == 0:
        sizes = base
    elif trial == 1:
        sizes = base[::-1] if k > 1 else [3]
    else:
        sizes = rng.sample(range(2, max(4, k + 2)), k)
    return dict(zip(symbols, sizes, strict=True))


def _needs_positive(exprs: Iterable[MExpr]) -> bool:
    """Whether the expressions have a log, square root, determinant, inverse or a fractional power."""
    for e in exprs:
        for node in e.walk():
            if isinstance(node, (M.Det, M.Inverse)):
                return True
            if isinstance(node, M.Apply) and node.func in _POSITIVE_FUNCTIONS:
                return True
            if isinstance(node, (M.Power, M.HadamardPower)) and not (
                node.exponent.is_integer and node.exponent.is_positive
            ):
                return True
    return False


def _rational(rng: random.Random, positive: bool) -> sp.Rational:
    numerator = rng.randint(1, 9) * (1 if positive or rng.random() < 0.5 else -1)
    return sp.Rational(numerator, rng.choice((1, 1, 2, 3)))


def _draw(
    variables: Iterable[Var], dims: Mapping[sp.Symbol, int], rng: random.Random, positive: bool
) -> dict[str, sp.Matrix]:
    """Random exact values, never zero; with ``positive``, positive entries and square matrices
    ``P Pᵀ + I + K - Kᵀ``: not symmetric, yet with a positive determinant (its symmetric part is
    positive definite)."""
    values: dict[str, sp.Matrix] = {}
    for v in variables:
        rows, cols = _shape(v, dims)
        if positive and rows == cols and rows > 1:
            p = sp.Matrix(rows, rows, lambda i, j: _rational(rng, True))
            k = sp.Matrix(rows, rows, lambda i, j: _rational(rng, False))
            values[v.name] = p * p.T + sp.eye(rows) + k - k.T
        else:
            values[v.name] = sp.Matrix(rows, cols, lambda i, j: _rational(rng, positive))
    return values


def _all_variables(*exprs: MExpr) -> list[Var]:
    seen: dict[str, Var] = {}
    for e in exprs:
        for v in e.variables():
            if v.name in seen and seen[v.name] != v:
                raise ArgumentError(
                    "variables",
                    "{arg}: " + f"{v.name} is {M.shape_text(seen[v.name].shape)} and {M.shape_text(v.shape)}",
                )
            seen.setdefault(v.name, v)
    return list(seen.values())


def _compare(got: sp.Matrix, want: sp.Matrix) -> tuple[tuple[int, int] | None, float]:
    """The first entry where ``got`` and ``want`` differ (None if none) and the largest difference."""
    first: tuple[int, int] | None = None
    largest = 0.0
    for i in range(want.rows):
        for j in range(want.cols):
            a, b = got[i, j], want[i, j]
            difference = a - b
            if difference.is_Rational:
                error = abs(float(difference))
                differs = difference != 0
            else:
                exact = sp.N(difference, DIGITS)
                scale = max(sp.Float(1), abs(sp.N(b, DIGITS)))
                error = float(abs(exact))
                differs = bool(abs(exact) > RELATIVE_TOLERANCE * scale)
            largest = max(largest, error)
            if differs and first is None:
                first = (i, j)
    return first, largest


def _dims_text(dims: Mapping[sp.Symbol, int]) -> str:
    return ", ".join(f"{s}={v}" for s, v in dims.items()) or "no dimensions"


def _by_name(dims: Mapping[sp.Symbol, int]) -> dict[str, int]:
    return {s.name: v for s, v in dims.items()}


# --------------------------------------------------------------------------- verification


@dataclass(frozen=True, slots=True)
class Verification:
    """Whether a candidate derivative agrees with the entry-by-entry derivative at random instantiations."""

    verified: bool
    trials: int  # instantiations tried
    dims: tuple[dict[str, int], ...]  # the dimension values used, per trial, by dimension name
    max_error: float  # the largest |candidate - direct| seen (0.0 when exact)
    reason: str | None = None  # why not verified


def verify(
    f: MExpr,
    wrt: Var,
    candidate: MExpr,
    layout: str = "denominator",
    order: int = 1,
    trials: int = 3,
    seed: int = 0,
) -> Verification:
    """Check ``candidate`` as d f / d wrt at ``trials`` random instantiations (at least 2 must be usable).

    >>> from calccli.formula.matrix import add, dim, mul, num, transpose, var
    >>> n = dim("n")
    >>> A, x = var("A", n, n), var("x", n)
    >>> f = mul(transpose(x), A, x)
    >>> verify(f, x, mul(add(A, transpose(A)), x))
    Verification(verified=True, trials=3, dims=({'n': 2}, {'n': 3}, {'n': 3}), max_error=0.0, reason=None)
    >>> verify(f, x, mul(num(2), A, x)).reason
    'it differs from the entry-by-entry derivative at n=2: entry (1, 1) is 65/3, expected 22'
    """
    variables = _all_variables(f, candidate, wrt)
    symbols = _dimensions((f, candidate, wrt))
    positive = _needs_positive((f, candidate))
    rng = random.Random(seed)
    used: list[dict[str, int]] = []
    usable, largest, undefined = 0, 0.0, ""
    for trial in range(trials):
        dims = _sizes(symbols, trial, rng)
        used.append(_by_name(dims))
        for attempt in range(ATTEMPTS):
            values = _draw(variables, dims, rng, positive and attempt % 3 != 2)
            try:
                explicit(f, dims, values)
                got = explicit(candidate, dims, values)
                want = _direct_at(f, wrt, dims, values, layout, order)
            except MathError as e:
                undefined = e.message
                continue
            break
        else:
            continue
        usable += 1
        if got.shape != want.shape:
            reason = f"shape {_text(got.shape)}, expected {_text(want.shape)} at {_dims_text(dims)}"
            return Verification(False, trial + 1, tuple(used), float("inf"), reason)
        entry, error = _compare(got, want)
        largest = max(largest, error)
        if entry is not None:
            i, j = entry
            reason = (
                f"it differs from the entry-by-entry derivative at {_dims_text(dims)}: "
                f"entry ({i + 1}, {j + 1}) is {got[i, j]}, expected {want[i, j]}"
            )
            return Verification(False, trial + 1, tuple(used), largest, reason)
    if usable < 2:
        reason = f"could not be checked: {usable} of {trials} instantiations were defined ({undefined})"
        return Verification(False, trials, tuple(used), largest, reason)
    return Verification(True, trials, tuple(used), largest)


# --------------------------------------------------------------------------- --check


@dataclass(frozen=True, slots=True)
class Equivalence:
    """Whether two matrix expressions are equal: ``correct``, ``incorrect`` or ``undetermined``."""

    verdict: str
    reason: str | None
    dims: tuple[dict[str, int], ...]  # the dimension values used, per trial
    entry: tuple[int, int] | None = None  # the first differing entry (0-based), when incorrect by value
    got: sp.Expr | None = None  # the answer's value there
    expected: sp.Expr | None = None  # the reference's value there


def _shape_differs(a: MExpr, b: MExpr) -> bool:
    return any(sp.simplify(p - q) != 0 for p, q in zip(a.shape, b.shape, strict=True))


def equivalent(a: MExpr, b: MExpr, trials: int = 4, seed: int = 0) -> Equivalence:
    """Whether the answer ``a`` equals the reference ``b``, decided at random instantiations (3 usable at least).

    >>> from calccli.formula.matrix import add, dim, mul, num, transpose, var
    >>> n = dim("n")
    >>> A, x = var("A", n, n), var("x", n)
    >>> equivalent(add(mul(A, x), mul(transpose(A), x)), mul(add(A, transpose(A)), x)).verdict
    'correct'
    >>> equivalent(mul(num(2), A, x), mul(add(A, transpose(A)), x)).reason
    'they differ at n=2: entry (1, 1) is -128/3, expected -233/6'
    >>> equivalent(transpose(x), x).reason
    'shape 1×n, expected n×1'
    """
    if _shape_differs(a, b):
        (p, q), (r, s) = a.shape, b.shape
        return Equivalence("incorrect", f"shape {p}×{q}, expected {r}×{s}", ())
    variables = _all_variables(a, b)
    symbols = _dimensions((a, b))
    positive = _needs_positive((a, b))
    rng = random.Random(seed)
    used: list[dict[str, int]] = []
    usable, undefined = 0, ""
    for trial in range(trials):
        dims = _sizes(symbols, trial, rng)
        used.append(_by_name(dims))
        for attempt in range(ATTEMPTS):
            values = _draw(variables, dims, rng, positive and attempt % 3 != 2)
            try:
                got, want = explicit(a, dims, values), explicit(b, dims, values)
            except MathError as e:
                undefined = e.message
                continue
            break
        else:
            continue
        usable += 1
        entry, _ = _compare(got, want)
        if entry is not None:
            i, j = entry
            reason = (
                f"they differ at {_dims_text(dims)}: entry ({i + 1}, {j + 1}) is {got[i, j]}, expected {want[i, j]}"
            )
            return Equivalence("incorrect", reason, tuple(used), entry, got[i, j], want[i, j])
    if usable < 3:
        reason = f"could not be checked: {usable} of {trials} instantiations were defined ({undefined})"
        return Equivalence("undetermined", reason, tuple(used))
    return Equivalence("correct", None, tuple(used))


# --------------------------------------------------------------------------- --at


def _given(v: Var, value: sp.Matrix) -> str:
    """How an --at message describes a value: ``x has 3 entries``, ``A is 2×2``."""
    if value.rows == 1 or value.cols == 1:
        count = len(value)
        return f"{v.name} is a scalar" if count == 1 else f"{v.name} has {count} entries"
    return f"{v.name} is {_text(value.shape)}"


def _oriented(v: Var, value: sp.Matrix) -> sp.Matrix:
    """A list given for a vector, as the vector's orientation: a column for x, a row for a row vector."""
    if value.rows != 1 and value.cols != 1:
        return value
    if v.shape[1] == 1 and v.shape[0] != 1:
        return value.reshape(len(value), 1)
    if v.shape[0] == 1 and v.shape[1] != 1:
        return value.reshape(1, len(value))
    return value


def _read_dims(variables: Sequence[Var], values: Mapping[str, sp.Matrix]) -> dict[sp.Symbol, int]:
    """The dimensions the values fix, each consistent with every value that uses it."""
    dims: dict[sp.Symbol, int] = {}
    fixed_by: dict[sp.Symbol, tuple[Var, sp.Matrix]] = {}
    for v in sorted(variables, key=_rank, reverse=True):  # a matrix's value is the reference for a vector's
        if v.name not in values:
            continue
        value = _oriented(v, sp.Matrix(values[v.name]))
        for d, size in zip(v.shape, value.shape, strict=True):
            if isinstance(d, sp.Symbol) and d not in dims:
                dims[d], fixed_by[d] = size, (v, value)
                continue
            expected = _size(d, dims) if not isinstance(d, sp.Symbol) else dims[d]
            if expected != size:
                if isinstance(d, sp.Symbol):
                    w, other = fixed_by[d]
                    detail = _given(w, other) if w.name != v.name else f"its shape is {M.shape_text(v.shape)}"
                else:
                    detail = f"its shape is {M.shape_text(v.shape)}"
                raise ArgumentError("at", "{arg}: " + f"{_given(v, value)} but {detail}")
    return dims


def evaluate(e: MExpr, values: Mapping[str, sp.Matrix], variables: Sequence[Var] = ()) -> sp.Matrix:
    """``e`` at the given values, exactly; the sizes of the dimensions are read off the values.

    ``variables`` are further variables (the formula's) whose values fix dimensions that ``e`` uses
    without holding them, as ``I`` in d tr(X)/dX.  A list given for a vector may be a row or a column.

    >>> from calccli.formula.matrix import dim, mul, transpose, var
    >>> n = dim("n")
    >>> A, x = var("A", n, n), var("x", n)
    >>> evaluate(mul(transpose(x), A, x), {"A": sp.Matrix([[1, 2], [3, 4]]), "x": sp.Matrix([[1, 1]])})
    Matrix([[10]])
    >>> evaluate(mul(transpose(x), A, x), {"A": sp.Matrix([[1, 2], [3, 4]]), "x": sp.Matrix([1, 1, 1])})
    Traceback (most recent call last):
    ...
    calccli.errors.ArgumentError: at: x has 3 entries but A is 2×2
    """
    own = e.variables()
    missing = [v.name for v in own if v.name not in values]
    if missing:
        raise ArgumentError("at", "{arg}: " + f"no value for {', '.join(missing)}")
    known = {v.name: v for v in (*variables, *own)}
    dims = _read_dims(list(known.values()), values)
    unfixed = [str(d) for d in _dimensions((e,)) if d not in dims]
    if unfixed:
        raise ArgumentError("at", "{arg}: " + f"the values do not fix the size {', '.join(unfixed)}")
    given = {name: _oriented(v, sp.Matrix(values[name])) for name, v in known.items() if name in values}
    return explicit(e, dims, given)


# --------------------------------------------------------------------------- --components


@dataclass(frozen=True, slots=True)
class Components:
    """f and its derivative written out entry by entry for one size of every dimension."""

    size: int
    entries: tuple[sp.Symbol, ...]  # the entries of the variable differentiated by
    function: sp.Matrix  # f written out (1×1 for a scalar f)
    derivative: sp.Matrix  # the derivative entry by entry, in the layout


def _tidy(value: sp.Expr, by: Sequence[sp.Symbol]) -> sp.Expr:
    """A polynomial in ``by`` as a sum of its monomials, each coefficient expanded (``x1 x2 (A12 + A21)``);
    a rational function over one denominator; anything else as it is."""
    if value.is_polynomial(*by):
        poly = sp.Poly(sp.expand(value), *by)
        return sp.Add(*[sp.expand(c) * sp.Mul(*[w**k for w, k in zip(by, m, strict=True)]) for m, c in poly.terms()])
    if value.is_rational_function():
        return sp.factor_terms(sp.cancel(value))
    return value


def components(f: MExpr, wrt: Var, n: int, layout: str = "denominator", order: int = 1) -> Components:
    """With every dimension ``n``: f written out entry by entry and its derivative entry by entry.

    >>> from calccli.formula.matrix import dim, mul, transpose, var
    >>> m = dim("n")
    >>> A, x = var("A", m, m), var("x", m)
    >>> c = components(mul(transpose(x), A, x), x, 2)
    >>> c.function[0, 0]
    A11*x1**2 + A22*x2**2 + x1*x2*(A12 + A21)
    >>> c.derivative.T
    Matrix([[2*A11*x1 + x2*(A12 + A21), 2*A22*x2 + x1*(A12 + A21)]])
    """
    if not 1 <= n <= MAX_COMPONENTS:
        raise ArgumentError("components", "{arg} must be between 1 and " + str(MAX_COMPONENTS))
    dims = {d: n for d in _dimensions((f, wrt))}
    entries = entry_symbols(wrt, dims)
    by = list(entries)
    variables = {v.name: v for v in (*f.variables(), wrt)}
    written = explicit(f, dims, {name: entry_symbols(v, dims) for name, v in variables.items()})
    derivative = direct(f, wrt, dims, layout, order)
    return Components(
        n, tuple(by), written.applyfunc(lambda v: _tidy(v, by)), derivative.applyfunc(lambda v: _tidy(v, by))
    )


__all__ = [
    "Components",
    "Equivalence",
    "Verification",
    "components",
    "direct",
    "entry_symbols",
    "equivalent",
    "evaluate",
    "explicit",
    "verify",
]
