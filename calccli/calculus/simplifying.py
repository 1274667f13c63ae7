"""The simplification policy: cheap canonical steps first, ``sympy.simplify`` only for a large result.

``sympy.simplify`` tries a dozen rewritings and keeps the shortest; on a typical derivative it costs
tens of milliseconds and changes nothing (it was 0.34 s of the 0.36 s of
``grad "log(1 + x^2 + 5y^2) + z^4 sin(x)"``).  The policy (:func:`readable`) asks what the
expression holds and applies only the steps that can shorten it:

* a rational part (a denominator with a variable): ``cancel`` and ``together``;
* an integer power of a trigonometric or hyperbolic function (``sin(x)^2``, ``1/sin(x)``): ``trigsimp``;
* a power with a symbolic or fractional exponent, or ``exp``: ``powsimp``;
* a sum whose terms share a factor (``2 x e^x + 2 e^x``): ``gcd_terms`` at the top level.

Each step's result is kept only when it is no longer (``count_ops``) than what it replaces, so every
step is an exact rewriting and the result never gets longer.  The full ``simplify`` runs only when
the result is still *large relative to its input* (more than ``RATIO`` times the input's size plus
``SLACK`` nodes: a quotient rule or chain rule that blew up), and then within a time budget
proportional to the result's size.  Everything runs under a soft deadline, so the worst case is the
expression as computed: exact, only less tidy.

>>> x = sp.Symbol("x", real=True)
>>> readable(6 * x**2 * sp.cos(x**3) / sp.sin(x**3), size(sp.log(sp.sin(x**3) ** 2)), 4.0)[0]
6*x**2/tan(x**3)
>>> readable(x * sp.cos(x) + sp.sin(x), size(x * sp.sin(x)), 4.0)[0]
x*cos(x) + sin(x)
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

import sympy as sp
from sympy.functions.elementary.hyperbolic import HyperbolicFunction
from sympy.functions.elementary.trigonometric import TrigonometricFunction

from calccli.process.budget import DeadlineExceeded, soft_deadline

# A result is large relative to its input when it has more than RATIO * size(input) + SLACK nodes.
RATIO = 2.0
SLACK = 12
# The full simplify gets MIN_SECONDS plus SECONDS_PER_NODE for each node of the result (within the
# computation's simplification allowance), and is not tried at all beyond MAX_NODES.
MIN_SECONDS = 0.1
SECONDS_PER_NODE = 0.01
MAX_NODES = 600
# The cheap steps are not tried on results beyond this many nodes (a 100-variable Hessian's diagonal
# has 600): they would cost more than they save, and such a result is a sum of plain terms anyway.
MAX_CHEAP_NODES = 2_000

_FAILURES = (RecursionError, ValueError, TypeError, NotImplementedError, AttributeError, sp.PolynomialError)
_TRIG = (TrigonometricFunction, HyperbolicFunction)


def size(e: sp.Basic) -> int:
    """The number of nodes of ``e``'s tree: the policy's cheap measure of how large an expression is.

    >>> size(sp.Symbol("x") + 1), size(sp.sin(sp.Symbol("x")) ** 2)
    (3, 4)
    """
    return sum(1 for _ in sp.preorder_traversal(e))


def _facts(e: sp.Expr) -> tuple[bool, bool, bool]:
    """(has denominators that may combine or cancel, has an integer power of a trig function, has a
    symbolic power).

    Denominators may combine or cancel when there are two or more (the quotient rule's
    u'/v - u v'/v², partial results over different denominators) or one holds another
    (1/(1 + y²/x²)); a single plain denominator, as in d/dx log(1 + u²) = 2 u u'/(1 + u²), is
    left alone: ``cancel`` would only multiply it out, at the cost of half a batch's time.

    >>> x, y = sp.symbols("x y")
    >>> _facts(2 * x / (1 + x**2))[0], _facts(1 / (1 + x**2) - 2 * x**2 / (1 + x**2) ** 2)[0]
    (False, True)
    >>> _facts(-y / (x**2 * (1 + y**2 / x**2)))[0]
    True
    """
    denominators = 0
    nested = trig_power = powers = False
    for node in sp.preorder_traversal(e):
        if isinstance(node, sp.exp):
            powers = True
        elif isinstance(node, sp.Pow):
            exp = node.exp
            if not exp.is_Integer:
                powers = True
            if exp.is_Rational and exp.is_negative and node.base.free_symbols:
                denominators += 1
                nested = nested or any(
                    isinstance(n, sp.Pow) and n.exp.is_negative for n in sp.preorder_traversal(node.base)
                )
            if exp.is_Integer and isinstance(node.base, _TRIG) and exp != 1:
                trig_power = True
    return denominators >= 2 or nested, trig_power, powers


def _shares_factor(e: sp.Expr) -> bool:
    """Do all terms of the sum ``e`` share a factor (a base, or a numeric factor other than 1)?

    >>> x, y = sp.symbols("x y")
    >>> _shares_factor(2 * x * sp.exp(x) + 2 * sp.exp(x)), _shares_factor(x * sp.cos(x) + sp.sin(x))
    (True, False)
    >>> _shares_factor(2 * x * y + 4 * sp.sin(x))
    True
    """
    if not isinstance(e, sp.Add):
        return False
    common: set[sp.Basic] | None = None
    numerators: list[int] = []
    for term in e.args:
        coeff, rest = term.as_coeff_Mul()
        numerators.append(int(coeff.p) if coeff.is_Rational else 1)
        bases = {f.as_base_exp()[0] for f in sp.Mul.make_args(rest) if not f.is_Number}
        common = bases if common is None else common & bases
        if not common and abs(numerators[0]) == 1:
            return False
    return bool(common) or math.gcd(*numerators) > 1


def _shorter(old: sp.Expr, new: sp.Basic, old_ops: int) -> tuple[sp.Expr, int]:
    """``new`` when it is an expression no longer than ``old`` and brings no nan, zoo or Piecewise."""
    if not isinstance(new, sp.Expr) or new == old:
        return old, old_ops
    if new.has(sp.nan, sp.zoo) and not old.has(sp.nan, sp.zoo):
        return old, old_ops
    if new.has(sp.Piecewise) and not old.has(sp.Piecewise):
        return old, old_ops  # Piecewise((0, Eq(x, 0)), (1/x, True)) for 1/x: wrong at 0 and unreadable
    ops = sp.count_ops(new)
    return (new, ops) if ops <= old_ops else (old, old_ops)


def cheap(e: sp.Expr) -> sp.Expr:
    """``e`` after the cheap canonical steps its contents call for (each kept only if no longer).

    >>> x, y = sp.symbols("x y", real=True)
    >>> cheap(-y / (x**2 * (1 + y**2 / x**2)))
    -y/(x**2 + y**2)
    >>> cheap(sp.sin(x) ** 2 + sp.cos(x) ** 2 + x)
    x + 1
    >>> cheap(2 * x * sp.exp(x**2) + 2 * x)
    2*x*(exp(x**2) + 1)
    """
    rational, trig_power, powers = _facts(e)
    steps: list[Callable[[sp.Expr], sp.Basic]] = []
    if rational:
        steps += [sp.cancel, sp.together]
    if trig_power:
        steps.append(sp.trigsimp)
    if powers:
        steps.append(sp.powsimp)
    if not steps and not _shares_factor(e):
        return e
    best, best_ops = e, sp.count_ops(e)
    for step in steps:
        try:
            best, best_ops = _shorter(best, step(best), best_ops)
        except DeadlineExceeded:
            raise
        except _FAILURES:
            continue  # this step cannot handle the expression; the others may
    if _shares_factor(best):  # gcd_terms: the top level only (factor_terms would rewrite inside sqrt(...))
        best, best_ops = _shorter(best, sp.gcd_terms(best, fraction=False), best_ops)
    return best


def readable(e: sp.Expr, input_size: int, allowance: float) -> tuple[sp.Expr, float]:
    """A readable form of ``e`` (a result computed from an input of ``input_size`` nodes), and the
    seconds spent on it; at most ``allowance`` seconds (the computation's simplification share).

    The form is exactly equal to ``e``: the cheap steps (:func:`cheap`), then ``simplify`` only when
    the result is large relative to its input.
    """
    start = time.monotonic()
    n = size(e)
    if n > MAX_CHEAP_NODES or allowance <= 0.05:
        return e, 0.0
    best = e
    try:
        with soft_deadline(allowance):
            best = cheap(e)
    except (DeadlineExceeded, *_FAILURES):
        return e, time.monotonic() - start
    n = size(best)
    if n <= RATIO * input_size + SLACK or n > MAX_NODES:
        return best, time.monotonic() - start
    seconds = min(allowance - (time.monotonic() - start), MIN_SECONDS + SECONDS_PER_NODE * n)
    if seconds <= 0.05:
        return best, time.monotonic() - start
    try:
        with soft_deadline(seconds):
            s = sp.simplify(best)
        best, _ = _shorter(best, s, sp.count_ops(best))
    except (DeadlineExceeded, *_FAILURES):
        pass  # the cheap form stands
    return best, time.monotonic() - start
