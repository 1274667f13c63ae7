"""Shared engine helpers: readable simplification and exact values at a point."""

from __future__ import annotations

import itertools
import math
import sys
import time
import types
from collections.abc import Iterable

import sympy as sp

from calccli.calculus import simplifying
from calccli.errors import MathError
from calccli.process.budget import Budget, DeadlineExceeded, soft_deadline
from calccli.results import Value, point_text, text


def _skip_physical_units() -> None:
    """``sp.simplify`` (and ``checksol``) import ``sympy.physics.units`` (about 70 ms)
    only to look for physical quantities, which a calccli expression never holds.
    A stand-in module whose classes nothing is an instance of keeps that import out
    of every computation.  SymPy 1.14 uses only ``Quantity`` and ``Unit`` from it
    outside ``sympy.physics``; ``tests/unit/test_engine_common.py`` checks that."""
    if "sympy.physics.units" not in sys.modules:
        stand_in = types.ModuleType("sympy.physics.units", "calccli stand-in: no physical units here")
        # Classes nothing is an instance of: what simplify(), checksol() and the
        # pretty printer look for in this module.
        stand_in.Quantity = type("Quantity", (), {})  # type: ignore[attr-defined]
        stand_in.Unit = type("Unit", (), {})  # type: ignore[attr-defined]
        sys.modules["sympy.physics.units"] = stand_in


_skip_physical_units()

# Bits of an argument's magnitude up to which mpmath may reduce it modulo pi: sin(exp(exp(exp(3))))
# would need pi to some 700 million bits, which takes minutes, and SymPy asks for it while merely
# *building* sin(3 + exp(exp(exp(3)))) (``sin.eval`` asks whether its argument is a multiple of pi).
MAX_TRIG_REDUCTION_BITS = 20_000


def _bound_trig_reduction() -> None:
    """Make mpmath refuse (ValueError) to reduce a huge argument modulo pi instead of computing for minutes.

    SymPy's assumption queries catch the ValueError (the answer is then "unknown"); the evaluations
    calccli asks for (:func:`approximate`) turn it into "no float".  Exact results are unaffected.
    """
    from mpmath.libmp import libelefun, libmpi

    original = libelefun.mod_pi2
    if getattr(original, "calccli_bounded", False):
        return

    def mod_pi2(man: int, exp: int, mag: int, wp: int) -> tuple[int, int, int]:
        if mag > MAX_TRIG_REDUCTION_BITS:
            raise ValueError("argument too large to reduce modulo pi at bounded precision")
        return original(man, exp, mag, wp)  # type: ignore[no-any-return]

    mod_pi2.calccli_bounded = True  # type: ignore[attr-defined]
    libelefun.mod_pi2 = mod_pi2
    libmpi.mod_pi2 = mod_pi2


_bound_trig_reduction()

# Working precision (bits) beyond which SymPy's evalf gives up: sin(x) of a huge x asks for the
# argument to (its magnitude + the digits wanted) bits, about 760 million for sin(exp(exp(exp(3)))).
MAX_EVALF_BITS = 100_000


def _bound_evalf_precision() -> None:
    """Make SymPy's evalf refuse (ValueError) working precisions above MAX_EVALF_BITS.

    Everything numeric in SymPy goes through ``sympy.core.evalf.evalf``, looked up as a module
    global; assumption queries catch the ValueError ("unknown"), :func:`approximate` returns None.
    """
    from sympy.core import evalf as evalf_module

    original = evalf_module.evalf
    if getattr(original, "calccli_bounded", False):
        return

    def evalf(x: sp.Expr, prec: int, options: dict[str, object]) -> object:
        if prec > MAX_EVALF_BITS:
            raise ValueError(f"a numerical evaluation would need more than {MAX_EVALF_BITS} bits of precision")
        return original(x, prec, options)

    evalf.calccli_bounded = True  # type: ignore[attr-defined]
    evalf_module.evalf = evalf  # type: ignore[assignment]


_bound_evalf_precision()

# Expressions with more operations than this are not handed to sp.simplify.
SIMPLIFY_MAX_OPS = 300


def _clean_real_roots(e: sp.Expr) -> sp.Expr:
    """Undo the noise of differentiating sign(u)*|u|^(1/n): sign(u)^2 -> 1, |u|^p*delta(u) -> 0."""
    if not e.has(sp.sign, sp.DiracDelta):
        return e
    u, p = sp.Wild("u"), sp.Wild("p", properties=[lambda k: k.is_positive])
    e = e.replace(sp.sign(u) ** 2, sp.S.One)
    e = e.replace(sp.DiracDelta(u) * sp.Abs(u) ** p, sp.S.Zero)
    return e.replace(
        lambda a: (
            a.is_Mul
            and a.has(sp.DiracDelta)
            and any(
                f.is_Pow
                and f.base.func is sp.Abs
                and f.exp.is_positive
                and any(d.args[0] == f.base.args[0] for d in a.atoms(sp.DiracDelta))
                for f in a.args
            )
        ),
        lambda a: sp.S.Zero,
    )


def as_expr(value: object) -> sp.Expr:
    """A SymPy object for a SymPy object or a Python number; text is refused, never evaluated.

    >>> as_expr(2) + 1
    3
    """
    if isinstance(value, (str, bytes)):
        raise TypeError("text must go through calccli.formula, never SymPy's evaluator")
    return sp.S(value, strict=True)  # strict: only registered conversions (numbers, SymPy objects)


def tidy(e: sp.Expr, budget: Budget | None = None, input_size: int | None = None) -> sp.Expr:
    """A readable equal form of ``e``.

    With ``input_size`` (the :func:`~calccli.calculus.simplifying.size` of the formula the result was
    computed from), the simplification policy of :mod:`calccli.calculus.simplifying`: cheap canonical
    steps, and ``simplify`` only for a result that is large relative to its input.  Without it,
    ``simplify`` whenever it is cheap and helps (for callers that have no input to compare with).
    ``budget`` is the computation's: simplification stops when its share is spent (None: no cap).

    >>> x = sp.Symbol("x", real=True)
    >>> tidy(sp.sin(x)**2 + sp.cos(x)**2)
    1
    >>> tidy(sp.sin(x)**2 + sp.cos(x)**2 + x, input_size=1)
    x + 1
    """
    e = _clean_real_roots(e)
    if not isinstance(e, sp.Expr) or e.is_Atom or e.is_polynomial():
        return e  # a polynomial is already as readable as simplify would make it
    allowance = (budget or Budget.unlimited()).simplify_allowance()
    if allowance <= 0.05:
        return e  # the computation has simplified enough; the rest stays as computed (still exact)
    if input_size is not None:
        s, spent = simplifying.readable(e, input_size, allowance)
        if budget is not None:
            budget.spent_simplifying(spent)
        return s
    start = time.monotonic()
    try:
        if sp.count_ops(e) > SIMPLIFY_MAX_OPS:
            return e
        with soft_deadline(allowance):
            s = sp.simplify(e)
    except (DeadlineExceeded, RecursionError, ValueError, TypeError, NotImplementedError):
        return e
    finally:
        if budget is not None:
            budget.spent_simplifying(time.monotonic() - start)
    if s.has(sp.Piecewise) and not e.has(sp.Piecewise):
        return e  # simplify's Piecewise((0, Eq(x, 0)), (1/x, True)) for 1/x: wrong at 0 and unreadable
    if s.has(sp.nan, sp.zoo) and not e.has(sp.nan, sp.zoo):
        return e
    return s if sp.count_ops(s) <= sp.count_ops(e) else e


def tidy_all(exprs: Iterable[sp.Expr], budget: Budget | None = None, input_size: int | None = None) -> list[sp.Expr]:
    """:func:`tidy` of each expression, each distinct one once (a Hessian repeats many entries).

    >>> x, y = sp.symbols("x y", real=True)
    >>> tidy_all([x * sp.cos(x) + sp.sin(x)] * 3 + [y], input_size=5)
    [x*cos(x) + sin(x), x*cos(x) + sin(x), x*cos(x) + sin(x), y]
    """
    seen: dict[sp.Expr, sp.Expr] = {}
    out = []
    for e in exprs:
        if e not in seen:
            seen[e] = tidy(e, budget, input_size)
        out.append(seen[e])
    return out


# Functions with a kink or jump where their argument hits a special value.
_KINKS = (sp.Abs, sp.sign, sp.Heaviside, sp.floor, sp.ceiling, sp.Max, sp.Min)


def require_smooth(expr: sp.Expr, at: dict[sp.Symbol, sp.Expr], consequence: str) -> None:
    """Refuse a point where f has a kink or jump (|x| at 0, floor at an integer, a piecewise seam).

    SymPy would happily report sign(0) = 0 as the derivative of |x| at 0.
    """
    at = {k: as_expr(v) for k, v in at.items()}
    for node in sp.preorder_traversal(expr):
        if isinstance(node, _KINKS):
            args = [a.xreplace(at) for a in node.args]
            if isinstance(node, (sp.Max, sp.Min)):
                bad = any(_is_zero(tidy(a - b)) for a, b in itertools.combinations(args, 2))
            elif isinstance(node, (sp.floor, sp.ceiling)):
                bad = bool(args[0].is_integer)
            else:
                bad = _is_zero(args[0])
            if bad:
                raise MathError(f"f is not smooth at the point ({node} has a kink or jump there), so {consequence}")
        elif isinstance(node, sp.Piecewise):
            for _, cond in node.args:
                for rel in cond.atoms(sp.core.relational.Relational) if isinstance(cond, sp.Basic) else ():
                    if _is_zero(sp.S(rel.lhs - rel.rhs).xreplace(at)):
                        raise MathError(
                            f"f is not smooth at the point (it is defined piecewise and {rel} is on a seam), "
                            f"so {consequence}"
                        )


def held_constant(exprs: tuple[sp.Expr, ...], variables: tuple[sp.Symbol, ...]) -> tuple[str, ...]:
    """A note when the variables named miss the formula's symbols: those are held constant.

    ``grad '(u+v)^2' --wrt w,x,y,z`` is four zeros, which is right only once it says so.

    >>> u, v, w = sp.symbols("u v w", real=True)
    >>> held_constant(((u + v) ** 2,), (w,))
    ('the formula does not contain w; u, v are held constant (not among the variables w)',)
    """
    free = set().union(*(e.free_symbols for e in exprs))
    absent = [v.name for v in variables if v not in free]
    others = sorted(s.name for s in free - set(variables))  # type: ignore[attr-defined]
    if not absent or not others:
        return ()
    vs = ", ".join(v.name for v in variables)
    verb = "is" if len(others) == 1 else "are"
    return (
        f"the formula does not contain {', '.join(absent)}; {', '.join(others)} {verb} held constant "
        f"(not among the variables {vs})",
    )


def _sign_times_abs(e: sp.Expr) -> sp.Expr:
    """sign(u)*|u|^p -> u*|u|^(p-1) (for real u): d/dx ln|x| = sign(x)/|x| reads 1/x.

    >>> x = sp.Symbol("x", real=True)
    >>> _sign_times_abs(sp.sign(x) / sp.Abs(x)), _sign_times_abs(3 * sp.sign(x) * sp.Abs(x))
    (1/x, 3*x)
    >>> _sign_times_abs(x**2 * sp.sign(x) + 2 * x * sp.Abs(x))
    3*x*Abs(x)
    """
    if not e.has(sp.sign):
        return e

    def fold(m: sp.Expr) -> sp.Expr:
        factors = list(m.args)
        for i, s in enumerate(factors):
            if not isinstance(s, sp.sign) or not s.args[0].is_extended_real:
                continue
            u = s.args[0]
            for j, a in enumerate(factors):
                base, power = a.as_base_exp()
                rest = [f for k, f in enumerate(factors) if k not in (i, j)]
                if isinstance(base, sp.Abs) and base.args[0] == u:
                    return fold(sp.Mul(*rest, u, sp.Abs(u) ** (power - 1)))  # type: ignore[no-any-return]
                if base == u and j != i:
                    return fold(sp.Mul(*rest, sp.Abs(u), u ** (power - 1)))  # type: ignore[no-any-return]
        return m

    return e.replace(lambda n: isinstance(n, sp.Mul) and n.has(sp.sign), fold)


def differentiate(e: sp.Expr, *wrt: sp.Symbol) -> sp.Expr:
    """``sp.diff`` with the step functions' derivatives settled: d/dx floor(u) = 0 between jumps."""
    d = sp.diff(e, *wrt)
    if d.has(sp.DiracDelta) and not e.has(sp.DiracDelta):
        # the derivative of sign(u), Heaviside(u), |u|' ... : 0 where u != 0; at u = 0 there is no
        # derivative, which require_smooth says at a point.  No distributions in a calculus answer.
        d = d.replace(lambda n: isinstance(n, sp.DiracDelta), lambda n: sp.S.Zero)
    d = _sign_times_abs(d)
    if d.has(sp.Derivative):
        d = d.replace(
            lambda n: isinstance(n, sp.Derivative) and isinstance(n.expr, (sp.floor, sp.ceiling)), lambda n: sp.S.Zero
        )
    if d.has(sp.Derivative):
        raise MathError("SymPy cannot differentiate this formula in closed form")
    return d


def numeric(e: sp.Expr) -> float:
    """A float for an exact real number (infinities allowed)."""
    if e is sp.oo:
        return math.inf
    if e is sp.S.NegativeInfinity:
        return -math.inf
    return float(sp.N(e, 17))


def approximate(e: sp.Expr, digits: int = 30, seconds: float = 2.0) -> sp.Expr | None:
    """``sp.N(e, digits)`` at bounded precision and time, or None when that is out of reach.

    A constant like sin(exp(exp(exp(3)))) has an exact value but no float in any reasonable time
    (its argument has some 230 million digits); it stays exact and its float is None.

    >>> approximate(sp.pi, 5)
    3.1416
    >>> approximate(sp.sin(sp.exp(sp.exp(sp.exp(3))))) is None
    True
    """
    try:
        with soft_deadline(seconds):
            v = sp.N(e, digits)
    except (DeadlineExceeded, ValueError, TypeError, ArithmeticError, RecursionError):
        return None
    return v if not v.has(sp.Float) or all(f._prec > 1 for f in v.atoms(sp.Float)) else None


def _finite(v: sp.Basic) -> bool:
    return not v.has(sp.zoo, sp.nan, sp.oo, sp.S.NegativeInfinity)


def _is_zero(v: sp.Expr) -> bool:
    """Is the exact number ``v`` zero?  Decided exactly where SymPy can, else to 40 digits."""
    if not isinstance(v, sp.Expr) or v.free_symbols:
        return False
    z = v.is_zero
    if z is not None:
        return bool(z)
    try:
        with soft_deadline(1.0):
            a = sp.N(v, 40)
    except (DeadlineExceeded, ValueError, TypeError, ArithmeticError, RecursionError):
        return False
    if not a.is_number or a.free_symbols:
        return False
    parts = [p for p in a.as_real_imag() if p != 0]
    # evalf reports an exact zero as a Float with no significant digits (cos(1)^2 + sin(1)^2 - 1)
    return all(p.is_Float and (p._prec <= 1 or abs(p) < 1e-35) for p in parts)


def _reason(node: sp.Basic, args: list[sp.Basic]) -> str:
    """Why ``node`` (its arguments ``args`` at the point) is undefined there, in words."""
    if isinstance(node, sp.Pow) and _is_zero(args[0]):
        if node.exp == -1:
            return f"the denominator {text(node.base)} is 0 there"
        return f"{text(node.base)} is 0 there and is raised to the negative power {text(node.exp)}"
    if isinstance(node, sp.log):
        return f"{text(node)} is the logarithm of 0 there"
    if isinstance(node, sp.DiracDelta):
        return f"{text(node)} is a distribution, infinite there, not a function value"
    if isinstance(node, sp.atan2):
        return f"{text(node)} is atan2(0, 0) there"
    return f"{text(node)} is undefined there"


class _Undefined(Exception):  # noqa: N818 - internal signal, never escapes this module
    pass


def _branch_at(pw: sp.Piecewise, point: dict[sp.Symbol, sp.Expr]) -> sp.Expr | None:
    """The branch of a Piecewise that applies at the point, None when that is not decided."""
    for e, c in pw.args:
        cv = c.xreplace(point) if isinstance(c, sp.Basic) else c
        if cv is sp.true:
            return e
        if cv is not sp.false:
            return None
    return None


def _evaluate(node: sp.Basic, point: dict[sp.Symbol, sp.Expr]) -> sp.Basic:
    """``node`` with every variable replaced at once, innermost first; raises _Undefined(reason)."""
    if not node.args:
        return point.get(node, node)  # type: ignore[call-overload, no-any-return]
    if isinstance(node, sp.Piecewise):
        branch = _branch_at(node, point)
        if branch is not None:
            return _evaluate(branch, point)
        return node.xreplace(point)
    args = [_evaluate(a, point) for a in node.args]
    try:
        v = node.func(*args)
    except (ZeroDivisionError, ValueError, TypeError) as e:
        raise _Undefined(f"{text(node)} is undefined there") from e
    if isinstance(v, sp.Expr) and not _finite(v) and all(not isinstance(a, sp.Expr) or _finite(a) for a in args):
        raise _Undefined(_reason(node, args))
    if isinstance(node, sp.DiracDelta) and _is_zero(args[0]):
        raise _Undefined(_reason(node, args))
    if isinstance(node, sp.Pow) and node.exp.is_negative and _is_zero(args[0]):
        raise _Undefined(_reason(node, args))  # 1/(cos(1)^2 + sin(1)^2 - 1): zero, though not visibly
    return v


def undefined_reason(expr: sp.Expr, point: dict[sp.Symbol, sp.Expr]) -> str | None:
    """Why ``expr`` is undefined at ``point``, or None: ALL variables are put in at once.

    SymPy's ``subs`` puts them in one after another and cancels on the way (an iterated limit), so
    x*y/(x^2 + y^2) at (0, 0) would come out 0.  Here a denominator that is 0 at the point, log(0),
    0 to a negative power, atan2(0, 0), tan(pi/2) ... each make the expression undefined there.

    >>> x, y = sp.symbols("x y", real=True)
    >>> undefined_reason(x * y / (x**2 + y**2), {x: 0, y: 0})
    'the denominator x**2 + y**2 is 0 there'
    >>> undefined_reason(sp.sin(x) / x, {x: 1}) is None
    True
    """
    try:
        _evaluate(expr, {k: as_expr(v) for k, v in point.items()})
    except _Undefined as e:
        return str(e)
    return None


def unreachable_floats(values: Iterable[Value | None]) -> tuple[str, ...]:
    """A note when a constant value has no float at bounded precision (its float is None).

    >>> unreachable_floats([Value(sp.cos(sp.exp(sp.exp(sp.exp(3)))), None)])
    ('cos(exp(exp(exp(3)))) has no float at bounded precision (its argument is too large); it is given exactly',)
    """
    missing = [v.exact for v in values if v is not None and v.numeric is None and not v.exact.free_symbols]
    if not missing:
        return ()
    if len(missing) == 1:
        return (
            f"{text(missing[0])} has no float at bounded precision (its argument is too large); it is given exactly",
        )
    return (
        f"{len(missing)} values have no float at bounded precision (their arguments are too large); they are given exactly",
    )


def limit_hint() -> str:
    """What to ask instead of a value at a point where the formula is undefined."""
    return "its limit there (calccli limit) or a piecewise definition asks the real question"


def require_defined(expr: sp.Expr, point: dict[sp.Symbol, sp.Expr], what: str = "f") -> None:
    """Refuse a point where ``expr`` is undefined (see :func:`undefined_reason`), saying why.

    >>> x, y = sp.symbols("x y", real=True)
    >>> require_defined(x * y / (x**2 + y**2), {x: 0, y: 0})
    Traceback (most recent call last):
    ...
    calccli.errors.MathError: f is undefined at (x, y) = (0, 0): the denominator x**2 + y**2 is 0 there; its limit there (calccli limit) or a piecewise definition asks the real question
    """
    reason = undefined_reason(expr, point)
    if reason is not None:
        raise MathError(f"{what} is undefined at {point_text(point)}: {reason}; {limit_hint()}")


def value_at(
    e: sp.Expr,
    point: dict[sp.Symbol, sp.Expr],
    what: str = "the result",
    budget: Budget | None = None,
    input_size: int | None = None,
) -> Value:
    """``e`` at ``point``: exact (simplified) and as a float; undefined or complex is an error.

    All variables are put in at once (:func:`require_defined`); the float is left out (None) when
    it is out of reach at bounded precision, and whenever parameters remain.  ``input_size``
    selects the simplification policy for the exact value (see :func:`tidy`).

    >>> x = sp.Symbol("x", real=True)
    >>> value_at(sp.sin(x), {x: sp.pi / 6}).exact
    1/2
    """
    point = {k: as_expr(v) for k, v in point.items()}
    require_defined(e, point, what)
    v = e.xreplace(point)
    if not isinstance(v, sp.Expr):
        raise MathError(f"{what} has no numerical value at {point_text(point)}")
    if v.free_symbols - set(point):
        return Value(tidy(v, budget, input_size), None)
    v = tidy(v, budget, input_size)
    if not _finite(v):
        raise MathError(f"{what} is undefined at {point_text(point)}; {limit_hint()}")
    real = v.is_extended_real
    approx = approximate(v)
    if approx is None:
        if real is False:
            raise MathError(f"{what} is not real at {point_text(point)}")
        return Value(v, None)
    if not _finite(approx):
        raise MathError(f"{what} is undefined at {point_text(point)}; {limit_hint()}")
    if not approx.is_real:
        re_, im_ = approx.as_real_imag()
        if real is not True and (not im_.is_number or abs(im_) > 1e-25 * max(1, abs(re_))):
            raise MathError(
                f"{what} is not real at {point_text(point)} (for example a log or square root of a negative number)"
            )
        v, approx = (v if real is True else sp.re(v)), re_
    close = approximate(v, 17)  # the float as numeric() gives it: 17 digits, then the nearest double
    if close is not None and not close.is_real:
        close = close.as_real_imag()[0]
    try:
        return Value(v, float(close if close is not None else approx))
    except TypeError as e:  # an unevaluated function value: no number
        raise MathError(f"{what} has no numerical value at {point_text(point)} ({text(v)})") from e
