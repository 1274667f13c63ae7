"""Matrix calculus: derivatives of scalar, vector and matrix expressions, in matrix notation.

The derivative of a scalar by a vector or a matrix is found by reverse mode over the tree (matrix
backpropagation): the root's adjoint is 1 and each operator passes adjoints to its arguments
(``N = A B``: ``Ā += N̄ Bᵀ``, ``B̄ += Aᵀ N̄``; ``N = det A``: ``Ā += N̄ det(A) A⁻ᵀ``; ...).  The Jacobian
of a vector by a vector, and the Hessian as the Jacobian of the gradient, is found by forward mode,
the tangent of a vector node being its Jacobian.  Anything by a scalar is the entrywise derivative,
by forward mode over differentials (``d X⁻¹ = -X⁻¹ dX X⁻¹``).  Results are simplified into the form
the texts print: like terms meet, common left and right factors come out of sums, inverses cancel.

Denominator layout is the default, as D2L uses: ∂(scalar)/∂x is n×1, ∂(scalar)/∂X has X's shape,
∂(k×1)/∂(n×1) is n×k.  Numerator layout gives the transposes.

>>> from calccli.formula.matrix import dim, mul, transpose, unicode, var
>>> n = dim("n")
>>> A, x = var("A", n, n), var("x", n)
>>> d = derivative(mul(transpose(x), A, x), x)
>>> unicode(d.expr), d.kind, d.expr.shape
('(A + Aᵀ) x', 'gradient', (n, 1))
>>> unicode(derivative(mul(transpose(x), A, x), x, order=2).expr)
'A + Aᵀ'
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Literal

import sympy as sp

from calccli.errors import ArgumentError, MathError
from calccli.formula import matrix as M
from calccli.formula.matrix import MExpr, Var

Layout = Literal["denominator", "numerator"]

PRODUCT = "product rule"
LINEAR = "d(A U B) = A dU B"
TRANSPOSE = "d Xᵀ = (dX)ᵀ"
TRACE = "d tr(X) = tr(dX)"
DET = "d det X = det X tr(X⁻¹ dX)"
INVERSE = "d X⁻¹ = -X⁻¹ dX X⁻¹"
ELEMENTWISE = "chain rule (element-wise)"
HADAMARD = "d(U ⊙ V) = dU ⊙ V + U ⊙ dV"
SUM = "d sum(X) = sum(dX)"
NORM = "d ‖X‖ = tr(Xᵀ dX) / ‖X‖"
POWER = "d sᵖ = p sᵖ⁻¹ ds"
MATRIX_POWER = "d Xᵏ = Σᵢ Xⁱ dX Xᵏ⁻¹⁻ⁱ"
DIAG = "d diag(x) = diag(dx)"

_TENSOR_ORDER = {3: "third-order", 4: "fourth-order", 5: "fifth-order", 6: "sixth-order"}


@dataclass(frozen=True, slots=True)
class Rule:
    """A differentiation rule and the subexpression it was first applied to."""

    name: str
    at: MExpr


@dataclass(frozen=True, slots=True)
class MatrixDerivative:
    """d f / d wrt in matrix notation, with the layout, the kind of derivative and the rules used."""

    f: MExpr
    wrt: Var
    layout: Layout
    order: int  # 1, or 2 for the Hessian
    expr: MExpr  # the derivative, simplified
    rules: tuple[Rule, ...]  # each rule once, in the order first used
    kind: str  # gradient | matrix gradient | jacobian | hessian | derivative

    @property
    def shape(self) -> M.Shape:
        return self.expr.shape


def _rank(e: MExpr) -> int:
    """0 for a scalar, 1 for a vector (column or row), 2 for a matrix."""
    r, c = e.shape
    return (r != 1) + (c != 1)


def _role(e: MExpr) -> str:
    return ("scalar", "vector", "matrix")[_rank(e)]


def _is_column(e: MExpr) -> bool:
    return e.shape[1] == 1 and e.shape[0] != 1


def _tensor_error(f: MExpr, wrt: Var, order: int, hint: str = "") -> MathError:
    rank = _rank(f) + order * _rank(wrt)
    if rank not in _TENSOR_ORDER:  # a row vector variable
        return MathError(f"differentiate by a column vector: {wrt.name} is {M.shape_text(wrt.shape)}")
    what = "second derivative" if order == 2 else "derivative"
    return MathError(
        f"the {what} of a {_role(f)} by a {_role(wrt)} {wrt.name} is a {_TENSOR_ORDER[rank]} tensor; "
        f"calccli shows derivatives that are scalars, vectors or matrices{hint}"
    )


def _kronecker_hint(f: MExpr, wrt: Var, layout: Layout) -> str:
    """For F = A X B (linear in X), the vec form of the derivative: Bᵀ ⊗ A (numerator layout)."""
    terms = f.terms if isinstance(f, M.Mul) else (f,)
    at = [i for i, t in enumerate(terms) if t.has(wrt)]
    if len(at) != 1 or terms[at[0]] != wrt:
        return ""
    i = at[0]
    left = M.mul(*terms[:i]) if i else M.identity(wrt.shape[0])
    right = M.mul(*terms[i + 1 :]) if i + 1 < len(terms) else M.identity(wrt.shape[1])
    a, b = (M.transpose(right), left) if layout == "numerator" else (right, M.transpose(left))
    kron = f"{_factor_text(a)} ⊗ {_factor_text(b)}"
    return f"; written with vec, d vec(F)/d vec({wrt.name}) = {kron} ({layout} layout)"


def _factor_text(e: MExpr) -> str:
    text = M.unicode(e)
    return f"({text})" if isinstance(e, M.Add) else text


def _elementwise_derivative(func: str, a: MExpr) -> MExpr:
    """f'(A) entry by entry, for f applied to A entry by entry (or to a scalar)."""
    one = M.ones(*a.shape)
    fa = M.apply(func, a)
    table = {
        "exp": lambda: fa,
        "log": lambda: M.hadamard_power(a, -1),
        "sin": lambda: M.apply("cos", a),
        "cos": lambda: M.neg(M.apply("sin", a)),
        "tan": lambda: M.add(one, M.hadamard_power(fa, 2)),
        "tanh": lambda: M.sub(one, M.hadamard_power(fa, 2)),
        "sinh": lambda: M.apply("cosh", a),
        "cosh": lambda: M.apply("sinh", a),
        "sqrt": lambda: M.mul(M.num(sp.Rational(1, 2)), M.hadamard_power(fa, -1)),
        "sigmoid": lambda: M.hadamard(fa, M.sub(one, fa)),
        "abs": lambda: M.hadamard(a, M.hadamard_power(fa, -1)),
    }
    return table[func]()


def _diagonal(a: MExpr) -> MExpr:
    """The diagonal of a square matrix as a vector: ``(A ⊙ I) 𝟙``, and ``u ⊙ v`` for ``A = u vᵀ``."""
    n = a.shape[0]
    if isinstance(a, M.Mul):
        matrices = [t for t in a.terms if not t.is_scalar]
        if len(matrices) == 2 and matrices[0].shape[1] == 1:
            scalars = [t for t in a.terms if t.is_scalar]
            return M.mul(*scalars, M.hadamard(matrices[0], M.transpose(matrices[1])))
    return M.mul(M.hadamard(a, M.identity(n)), M.ones(n, 1))


def _inner(a: MExpr, b: MExpr) -> MExpr:
    """⟨A, B⟩ = tr(Aᵀ B) = sum(A ⊙ B) for A and B of one shape, written as the texts do."""
    if a.is_scalar:
        return M.mul(a, b)
    if a.shape[1] == 1:
        return M.mul(M.transpose(a), b)
    if a.shape[0] == 1:
        return M.mul(b, M.transpose(a))
    return M.trace(M.mul(M.transpose(a), b))


class _Differentiator:
    """The three modes over one variable, sharing the record of rules used."""

    def __init__(self, wrt: Var) -> None:
        self.wrt = wrt
        self.rules: dict[str, MExpr] = {}
        self._depends: dict[int, tuple[MExpr, bool]] = {}

    def use(self, rule: str, at: MExpr) -> None:
        self.rules.setdefault(rule, at)

    def depends(self, e: MExpr) -> bool:
        hit = self._depends.get(id(e))
        if hit is None:
            hit = (e, e.has(self.wrt))  # the node is kept, so its id is not reused
            self._depends[id(e)] = hit
        return hit[1]

    # ------------------------------------------------------------------ reverse mode

    def gradient(self, f: MExpr) -> MExpr:
        """∂f/∂wrt of a scalar f, in the shape of wrt (denominator layout)."""
        parts: list[MExpr] = []
        self._back(f, M.num(1), parts)
        return M.add(*parts) if parts else M.zero(*self.wrt.shape)

    def _back(self, e: MExpr, bar: MExpr, out: list[MExpr]) -> None:
        """Push the adjoint ``bar`` of ``e`` down to the leaves that are wrt."""
        if not self.depends(e):
            return
        if isinstance(e, Var):
            out.append(bar)
        elif isinstance(e, M.Transpose):
            self.use(TRANSPOSE, e)
            self._back(e.arg, M.transpose(bar), out)
        elif isinstance(e, M.Add):
            for t in e.terms:
                self._back(t, bar, out)
        elif isinstance(e, M.Mul):
            self._back_product(e, bar, out)
        elif isinstance(e, M.Hadamard):
            self.use(HADAMARD, e)
            for i, t in enumerate(e.terms):
                self._back(t, M.hadamard(bar, *e.terms[:i], *e.terms[i + 1 :]), out)
        elif isinstance(e, M.Trace):
            self.use(TRACE, e)
            self._back(e.arg, M.mul(bar, M.identity(e.arg.shape[0])), out)
        elif isinstance(e, M.Det):
            self.use(DET, e)
            self._back(e.arg, M.mul(bar, e, M.transpose(M.inverse(e.arg))), out)
        elif isinstance(e, M.Inverse):
            self.use(INVERSE, e)
            inverse_t = M.transpose(e)
            self._back(e.arg, M.neg(M.mul(inverse_t, bar, inverse_t)), out)
        elif isinstance(e, M.Norm):
            self.use(NORM, e)
            self._back(e.arg, M.mul(bar, M.power(e, -1), e.arg), out)
        elif isinstance(e, M.SumEntries):
            self.use(SUM, e)
            self._back(e.arg, M.mul(bar, M.ones(*e.arg.shape)), out)
        elif isinstance(e, M.Diag):
            self.use(DIAG, e)
            self._back(e.arg, _diagonal(bar), out)
        elif isinstance(e, M.Apply):
            self.use(ELEMENTWISE, e)
            self._back(e.arg, M.hadamard(bar, _elementwise_derivative(e.func, e.arg)), out)
        elif isinstance(e, M.HadamardPower):
            self.use(ELEMENTWISE, e)
            p = e.exponent
            self._back(e.base, M.hadamard(bar, M.mul(M.num(p), M.hadamard_power(e.base, p - 1))), out)
        elif isinstance(e, M.Power) and e.base.is_scalar:
            self.use(POWER, e)
            p = e.exponent
            self._back(e.base, M.mul(bar, M.num(p), M.power(e.base, p - 1)), out)
        elif isinstance(e, M.Power):
            self.use(MATRIX_POWER, e)
            k, base_t = int(e.exponent), M.transpose(e.base)
            terms = [M.mul(M.power(base_t, i), bar, M.power(base_t, k - 1 - i)) for i in range(k)]
            self._back(e.base, M.add(*terms), out)
        else:  # pragma: no cover - every node type is handled above
            raise MathError(f"calccli cannot differentiate {M.unicode(e)}")

    def _back_product(self, e: M.Mul, bar: MExpr, out: list[MExpr]) -> None:
        terms = e.terms
        dependent = [i for i, t in enumerate(terms) if self.depends(t)]
        self.use(PRODUCT if len(dependent) > 1 else LINEAR, e)
        for i in dependent:
            t, others = terms[i], terms[:i] + terms[i + 1 :]
            if t.is_scalar:  # N = c R: c̄ = ⟨N̄, R⟩
                self._back(t, _inner(bar, M.mul(*others)), out)
                continue
            scalars = [u for u in others if u.is_scalar]
            left = M.mul(*[u for u in terms[:i] if not u.is_scalar])
            right = M.mul(*[u for u in terms[i + 1 :] if not u.is_scalar])
            self._back(t, M.mul(*scalars, M.transpose(left), bar, M.transpose(right)), out)

    # ------------------------------------------------------------------ forward mode, by a vector

    def jacobian(self, e: MExpr) -> MExpr:
        """The Jacobian of a column vector or scalar ``e`` by the column vector wrt (numerator layout)."""
        n = self.wrt.shape[0]
        if e.is_scalar:
            return M.transpose(self.gradient(e))
        if not self.depends(e):
            return M.zero(e.shape[0], n)
        if not _is_column(e):
            raise MathError(
                f"{_quoted(e)} is a matrix that depends on {self.wrt.name}: its derivative by the vector "
                f"{self.wrt.name} is a third-order tensor, and calccli shows derivatives up to matrices"
            )
        if isinstance(e, Var):
            return M.identity(n)
        if isinstance(e, M.Add):
            return M.add(*[self.jacobian(t) for t in e.terms])
        if isinstance(e, M.Mul):
            return self._jacobian_product(e)
        if isinstance(e, M.Hadamard):
            self.use(HADAMARD, e)
            parts = [
                M.mul(M.diag(M.hadamard(*e.terms[:i], *e.terms[i + 1 :])), self.jacobian(t))
                for i, t in enumerate(e.terms)
                if self.depends(t)
            ]
            return M.add(*parts)
        if isinstance(e, M.Apply):
            self.use(ELEMENTWISE, e)
            return M.mul(M.diag(_elementwise_derivative(e.func, e.arg)), self.jacobian(e.arg))
        if isinstance(e, M.HadamardPower):
            self.use(ELEMENTWISE, e)
            p = e.exponent
            return M.mul(M.num(p), M.diag(M.hadamard_power(e.base, p - 1)), self.jacobian(e.base))
        raise MathError(f"calccli cannot take the Jacobian of {_quoted(e)} by {self.wrt.name}")  # pragma: no cover

    def _jacobian_product(self, e: M.Mul) -> MExpr:
        """J of N = s L t R (a column), factor by factor: the product rule."""
        expanded = self._without_matrices_of_wrt(e)
        if expanded is not None:
            return self.jacobian(expanded)
        terms = e.terms
        dependent = [i for i, t in enumerate(terms) if self.depends(t)]
        self.use(PRODUCT if len(dependent) > 1 else LINEAR, e)
        parts: list[MExpr] = []
        for i in dependent:
            t, others = terms[i], terms[:i] + terms[i + 1 :]
            if t.is_scalar:  # d(c u) = u dc
                parts.append(M.mul(*others, self.jacobian(t)))
                continue
            scalars = [u for u in others if u.is_scalar]
            left = [u for u in terms[:i] if not u.is_scalar]
            right = M.mul(*[u for u in terms[i + 1 :] if not u.is_scalar])
            if _is_column(t):  # L dt R with R a scalar
                parts.append(M.mul(*scalars, right, *left, self.jacobian(t)))
            elif t.shape[0] == 1:  # L (du)ᵀ R = L Rᵀ du, for the row t = uᵀ
                self.use(TRANSPOSE, t)
                parts.append(M.mul(*scalars, *left, M.transpose(right), self.jacobian(M.transpose(t))))
            else:
                self.jacobian(t)  # raises: a matrix that depends on wrt
        return M.add(*parts)

    def _without_matrices_of_wrt(self, e: M.Mul) -> MExpr | None:
        """A column ``L M R`` with M a sum or a diag that depends on wrt, rewritten without M as a factor.

        ``(x xᵀ + A) y = x xᵀ y + A y`` and ``diag(u) v = u ⊙ v``: vector factors the Jacobian goes through.
        """
        for i, t in enumerate(e.terms):
            if t.is_scalar or t.shape[0] == 1 or t.shape[1] == 1 or not self.depends(t):
                continue
            before, after = e.terms[:i], e.terms[i + 1 :]
            if isinstance(t, M.Add):
                return M.add(*[M.mul(*before, u, *after) for u in t.terms])
            if isinstance(t, M.Diag):
                scalars = [u for u in after if u.is_scalar]
                right = M.mul(*[u for u in after if not u.is_scalar])
                return M.mul(*before, *scalars, M.hadamard(t.arg, right))
        return None

    # ------------------------------------------------------------------ forward mode, by a scalar

    def by_scalar(self, e: MExpr) -> MExpr:
        """d e / d wrt entry by entry, for a scalar wrt: the differential with d wrt = 1."""
        if not self.depends(e):
            return M.zero(*e.shape)
        if isinstance(e, Var):
            return M.num(1)
        if isinstance(e, M.Add):
            return M.add(*[self.by_scalar(t) for t in e.terms])
        if isinstance(e, (M.Mul, M.Hadamard)):
            dependent = [i for i, t in enumerate(e.terms) if self.depends(t)]
            if isinstance(e, M.Hadamard):
                self.use(HADAMARD, e)
            else:
                self.use(PRODUCT if len(dependent) > 1 else LINEAR, e)
            combine = M.mul if isinstance(e, M.Mul) else M.hadamard
            return M.add(*[combine(*e.terms[:i], self.by_scalar(e.terms[i]), *e.terms[i + 1 :]) for i in dependent])
        if isinstance(e, (M.Power, M.HadamardPower)):
            return self._by_scalar_power(e)
        return self._by_scalar_unary(e)

    def _by_scalar_unary(self, e: MExpr) -> MExpr:
        (a,) = e.args
        da = self.by_scalar(a)
        if M.is_zero(da):
            return M.zero(*e.shape)
        if isinstance(e, M.Transpose):
            self.use(TRANSPOSE, e)
            return M.transpose(da)
        if isinstance(e, M.Trace):
            self.use(TRACE, e)
            return M.trace(da)
        if isinstance(e, M.Det):
            self.use(DET, e)
            return M.mul(e, M.trace(M.mul(M.inverse(a), da)))
        if isinstance(e, M.Inverse):
            self.use(INVERSE, e)
            return M.neg(M.mul(e, da, e))
        if isinstance(e, M.Norm):
            self.use(NORM, e)
            return M.mul(M.power(e, -1), _inner(a, da))
        if isinstance(e, M.SumEntries):
            self.use(SUM, e)
            return M.sum_entries(da)
        if isinstance(e, M.Diag):
            self.use(DIAG, e)
            return M.diag(da)
        if isinstance(e, M.Apply):
            self.use(ELEMENTWISE, e)
            return M.hadamard(_elementwise_derivative(e.func, a), da)
        raise MathError(f"calccli cannot differentiate {_quoted(e)}")  # pragma: no cover

    def _by_scalar_power(self, e: M.Power | M.HadamardPower) -> MExpr:
        base, p = e.base, e.exponent
        db = self.by_scalar(base)
        if isinstance(e, M.HadamardPower):
            self.use(ELEMENTWISE, e)
            return M.hadamard(M.mul(M.num(p), M.hadamard_power(base, p - 1)), db)
        if base.is_scalar:
            self.use(POWER, e)
            return M.mul(M.num(p), M.power(base, p - 1), db)
        self.use(MATRIX_POWER, e)
        k = int(p)
        return M.add(*[M.mul(M.power(base, i), db, M.power(base, k - 1 - i)) for i in range(k)])


def _quoted(e: MExpr) -> str:
    text = M.unicode(e)
    return text if len(text) <= 40 else "a subexpression"


# ---------------------------------------------------------------------- simplification


def simplify(e: MExpr) -> MExpr:
    """The form the texts print: common left and right factors out of sums, inverses cancelled.

    >>> from calccli.formula.matrix import add, dim, mul, transpose, unicode, var
    >>> n = dim("n")
    >>> A, x = var("A", n, n), var("x", n)
    >>> unicode(simplify(add(mul(A, x), mul(transpose(A), x))))
    '(A + Aᵀ) x'
    """
    if not e.args:
        return e
    e = e.rebuild(tuple(simplify(a) for a in e.args))
    if isinstance(e, M.Mul):
        e = _cancel_inverses(e)
    if isinstance(e, M.Add):
        e = _factor(e)
    return e


def _cancel_inverses(e: M.Mul) -> MExpr:
    """``A A⁻¹`` and ``X⁻ᵀ Xᵀ`` next to each other in a product are the identity."""
    kept: list[MExpr] = []
    cancelled = False
    for t in e.terms:
        top = kept[-1] if kept else None
        if top is not None and not t.is_scalar and not top.is_scalar and top.shape[0] == top.shape[1]:
            if M.inverse(top) == t:
                kept.pop()
                cancelled = True
                continue
        kept.append(t)
    if not cancelled:
        return e
    if all(t.is_scalar for t in kept):
        kept.append(M.identity(e.shape[0]))
    return M.mul(*kept)


def _split(t: MExpr) -> tuple[sp.Expr, list[MExpr], list[MExpr]]:
    """A term as (numeric coefficient, scalar factors, matrix factors in order)."""
    if isinstance(t, M.Num):
        return t.value, [], []
    factors = list(t.terms) if isinstance(t, M.Mul) else [t]
    c = sp.Integer(1)
    if isinstance(factors[0], M.Num):
        c = factors.pop(0).value  # type: ignore[attr-defined]
    return c, [f for f in factors if f.is_scalar], [f for f in factors if not f.is_scalar]


def _content(coefficients: list[sp.Expr]) -> sp.Expr:
    """The common numeric factor, with the sign of the first term."""
    sign = -1 if coefficients[0].is_negative else 1
    if not all(c.is_Rational for c in coefficients):
        return sp.Integer(sign)
    return sign * functools.reduce(sp.gcd, coefficients)


def _factor(e: M.Add) -> MExpr:
    """Take the common left and right matrix factors and scalar factors out of a sum."""
    parts = [_split(t) for t in e.terms]
    first = parts[0][2]
    p = 0
    while all(len(m) > p and m[p] == first[p] for _, _, m in parts):
        p += 1
    s = 0
    while all(len(m) > p + s and m[-1 - s] == first[-1 - s] for _, _, m in parts):
        s += 1
    common = [f for f in parts[0][1] if all(f in scalars for _, scalars, _ in parts)]
    if not (p or s or common):
        return e
    content = _content([c for c, _, _ in parts])
    prefix, suffix = first[:p], first[len(first) - s :]
    seam = prefix[-1].shape[1] if prefix else suffix[0].shape[0] if suffix else None
    all_scalar = all(len(m) == p + s for _, _, m in parts)
    inner_terms = []
    for c, scalars, matrices in parts:
        rest_scalars = list(scalars)
        for f in common:
            rest_scalars.remove(f)
        middle = matrices[p : len(matrices) - s]
        if not middle and not all_scalar and seam is not None:
            middle = [M.identity(seam)]
        inner_terms.append(M.mul(M.num(c / content), *rest_scalars, *middle))
    inner = M.add(*inner_terms)
    if isinstance(inner, M.Add):
        inner = _factor(inner)
    return M.mul(M.num(content), *common, *prefix, inner, *suffix)


# ---------------------------------------------------------------------- the engine


def _resolve(f: MExpr, wrt: Var) -> Var:
    """wrt as the formula has it; its shape must agree with the formula's."""
    for v in f.variables():
        if v.name == wrt.name:
            if not (sp.simplify(v.rows - wrt.rows) == 0 and sp.simplify(v.cols - wrt.cols) == 0):
                raise ArgumentError(
                    "wrt",
                    "{arg} " + f"{wrt.name} is {M.shape_text(wrt.shape)}, but the formula has it "
                    f"{M.shape_text(v.shape)}",
                )
            return v
    return wrt


def derivative(f: MExpr, wrt: Var, layout: Layout = "denominator", order: int = 1) -> MatrixDerivative:
    """d f / d wrt in matrix notation: a gradient, matrix gradient, Jacobian, Hessian or entrywise derivative.

    >>> from calccli.formula.matrix import apply, det, dim, norm, mul, power, sub, unicode, var
    >>> m, n, p = dim("m"), dim("n"), dim("p")
    >>> X, U, V = var("X", m, p), var("U", m, n), var("V", n, p)
    >>> d = derivative(power(norm(sub(X, mul(U, V))), 2), V)
    >>> d.kind, d.shape, [r.name for r in d.rules]
    ('matrix gradient', (n, p), ['d sᵖ = p sᵖ⁻¹ ds', 'd ‖X‖ = tr(Xᵀ dX) / ‖X‖', 'd(A U B) = A dU B'])
    >>> Y = var("Y", n, n)
    >>> unicode(derivative(apply("log", det(Y)), Y).expr)
    'Y⁻ᵀ'
    >>> d = derivative(mul(U, V), var("a"))
    >>> unicode(d.expr), d.shape
    ('0', (m, p))
    """
    if order not in (1, 2):
        raise ArgumentError("order", "{arg} must be 1 or 2 (2 is the Hessian)")
    wrt = _resolve(f, wrt)
    d = _Differentiator(wrt)
    if wrt.is_scalar:
        expr, kind = d.by_scalar(f), "derivative"
        if order == 2:
            expr = d.by_scalar(simplify(expr))
    elif f.is_scalar and order == 1:
        gradient = d.gradient(f)
        expr = gradient if layout == "denominator" else M.transpose(gradient)
        kind = "gradient" if _rank(wrt) == 1 else "matrix gradient"
    elif f.is_scalar and _is_column(wrt):
        expr, kind = d.jacobian(d.gradient(f)), "hessian"  # unsimplified: factoring may leave a matrix of x
    elif _rank(f) == 1 and _is_column(wrt) and order == 1:
        jacobian = d.jacobian(f if _is_column(f) else M.transpose(f))
        expr = jacobian if layout == "numerator" else M.transpose(jacobian)
        kind = "jacobian"
    else:
        hint = _kronecker_hint(f, wrt, layout) if _rank(f) == 2 and _rank(wrt) == 2 and order == 1 else ""
        raise _tensor_error(f, wrt, order, hint)
    rules = tuple(Rule(name, at) for name, at in d.rules.items())
    return MatrixDerivative(f, wrt, layout, order, simplify(expr), rules, kind)


__all__ = ["Layout", "MatrixDerivative", "Rule", "derivative", "simplify"]
