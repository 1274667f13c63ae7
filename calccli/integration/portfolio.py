"""The portfolio: integration methods raced in forked children, the best verified answer taken.

No single SymPy integrator is good enough: ``manualintegrate`` is fast but gives up often,
``integrate`` hangs on some integrands and gives a few wrong answers, the Risch algorithm
covers only elementary transcendental functions, ``heurisch`` and the Meijer G method are
slow.  :func:`find` runs several methods (and rewrites of the integrand that suit them) in
forked children, two at a time, fast ones first, each under its own time limit, and takes
the first answer whose derivative provably or numerically equals the integrand.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import sympy as sp

from calccli.calculus.common import tidy
from calccli.integration.methods import METHODS, Method
from calccli.integration.verify import is_answer, verify
from calccli.process import race
from calccli.process.budget import Budget, DeadlineExceeded, soft_deadline


def search_seconds(budget: Budget) -> float:
    """The seconds an integration may search for within the computation's ``budget``.

    Four fifths of the time limit, less 0.4 s for rendering and exit and the time already
    spent, and at least half a second.

    >>> round(search_seconds(Budget(10.0, started=time.monotonic() - 1.0)), 1)
    6.6
    """
    return max(0.5, 0.8 * budget.seconds - 0.4 - budget.elapsed())


def _real_form(F: sp.Expr, x: sp.Symbol) -> sp.Expr:
    """Re F, written without I where SymPy can: for a real integrand it is an antiderivative too.

    atan2(c, u) with c free of x differs from −atan(u/c) by a constant, and is replaced by it.
    """
    re_part, _ = sp.expand_complex(F).as_real_imag()
    y, u = sp.Wild("y", exclude=[x]), sp.Wild("u")
    re_part = re_part.replace(sp.atan2(y, u), -sp.atan(u / y))
    return sp.expand_log(re_part, force=False)


def _ops(e: sp.Expr) -> int:
    return int(sp.count_ops(e))


def polish(F: sp.Expr, f: sp.Expr, x: sp.Symbol, seconds: float = 2.0, budget: Budget | None = None) -> sp.Expr:
    """A more readable verified form of the verified ``F``: real if f is, then simplified (cheaply).

    Every rewrite is kept only if it still verifies; out of time, the best so far is kept.
    The simplification also stays within the computation's ``budget`` (None: no cap).
    """
    start = time.monotonic()

    def left() -> float:
        return seconds - (time.monotonic() - start)

    try:
        if F.has(sp.I) and not f.has(sp.I):
            with soft_deadline(max(0.05, left())):
                R = _real_form(F, x)
            if (
                is_answer(R)
                and not R.has(sp.I, sp.re, sp.im, sp.arg, sp.atan2)
                and left() > 0
                and verify(R, f, x, seconds=left())
            ):
                F = R
        if left() > 0.1:
            with soft_deadline(max(0.05, left())):
                T = tidy(F, budget)
            if (
                T != F
                and is_answer(T)
                and (T.has(sp.I) <= F.has(sp.I))
                and _ops(T) <= _ops(F)
                and left() > 0
                and verify(T, f, x, seconds=left())
            ):
                F = T
    except (
        DeadlineExceeded,
        RecursionError,
        ValueError,
        TypeError,
        NotImplementedError,
        ArithmeticError,
        AttributeError,
    ):
        pass
    return F


def attempt(
    method: Method,
    f: sp.Expr,
    x: sp.Symbol,
    polish_seconds: float = 2.0,
    budget: Budget | None = None,
) -> tuple[sp.Expr | None, str]:
    """Run one method, check its answer and polish it: (verified antiderivative or None, outcome)."""
    try:
        F = method(f, x)
        if isinstance(F, sp.Expr) and F.has(sp.RootSum):
            F = F.doit()  # explicit roots where SymPy finds them; a RootSum is hard to read and check
    except Exception as e:  # noqa: BLE001 - a method that breaks simply failed
        return None, f"error ({type(e).__name__})"
    if F is None or not isinstance(F, sp.Expr) or not is_answer(F) or F.has(sp.RootSum):
        return None, "unevaluated"
    if not verify(F, f, x):
        return None, "failed check"
    return polish(F, f, x, polish_seconds, budget), "verified"


def _cases_in(F: sp.Expr, x: sp.Symbol) -> bool:
    """Whether F is given by cases on x (∫|x| as a Piecewise where x·|x|/2 would do).

    Cases on a parameter (n ≠ −1 in ∫xⁿ) are the answer, not a worse form of it.

    >>> x, n = sp.symbols("x n", real=True)
    >>> _cases_in(sp.Piecewise((-x**2 / 2, x <= 0), (x**2 / 2, True)), x), _cases_in(sp.integrate(x**n, x), x)
    (True, False)
    """
    return any(cond.has(x) for pw in F.atoms(sp.Piecewise) for _, cond in pw.args)


@dataclass(frozen=True)
class Found:
    """The outcome of :func:`find`: an antiderivative (verified) or None, and what was tried.

    ``tried`` lists (method, outcome) in the order the attempts ended; outcomes are
    "verified", "unevaluated", "failed check" (an answer that is wrong or could not be
    confirmed), "timed out", "error (...)" or "crashed".
    """

    antiderivative: sp.Expr | None
    method: str | None
    verified: bool
    tried: tuple[tuple[str, str], ...]


# (method, its own time limit in seconds), in the order they are started, two at a time.
# Measured on the Rubi dev set: integrate answers most, and fast (median 0.13 s when it
# does); manualintegrate and the cheap special-purpose methods follow; heurisch and the
# Meijer G method are slow and rarely the only one to succeed.
PLAN: tuple[tuple[str, float], ...] = (
    ("integrate", 6.0),
    ("manualintegrate", 3.0),
    ("special functions by parts", 4.0),
    ("sign factor", 3.0),
    ("LambertW substitution", 3.0),
    ("Euler substitution", 4.0),
    ("tan substitution", 4.0),
    ("rational", 4.0),
    ("risch (exp form)", 3.0),
    ("exp substitution", 3.0),
    ("radical substitution", 4.0),
    ("tan half-angle", 4.0),
    ("by parts", 4.0),
    ("radical substitution, by parts", 4.0),
    ("substitution", 8.0),
    ("log times rational", 4.0),
    ("completed square", 3.0),
    ("heurisch", 5.0),
    ("manualintegrate (expanded)", 3.0),
    ("meijerg", 4.0),
    ("manualintegrate (exp form)", 3.0),
    ("manualintegrate (partial fractions)", 3.0),
)
# The first PREFERRED methods of the plan (SymPy's own) give the most readable answers.
PREFERRED = 2
# After a first answer that has I in it for a real integrand, or one that came before the
# preferred methods ended: how long to wait for a real or more readable one.
REAL_FORM_GRACE = 2.0
# Time kept back from the search for forking and collecting results.
OVERHEAD = 0.15


def find(
    f: sp.Expr,
    x: sp.Symbol,
    seconds: float = 20.0,
    parallel: int = 2,
    budget: Budget | None = None,
) -> Found:
    """An antiderivative of ``f`` with respect to ``x``, found and verified within ``seconds``.

    Other free symbols of ``f`` are constants; ``budget`` is the computation's, which caps the
    simplification of answers (None: no cap).  The methods of :data:`PLAN` run in forked
    children, ``parallel`` at a time; the first verified answer wins, unless it holds I for
    a real integrand or came before SymPy's own integrators ended: then a real or shorter
    answer arriving soon after is taken instead.  Returns
    ``Found(None, None, False, tried)`` when no method produced a verified answer in time.

    >>> x = sp.Symbol("x", real=True)
    >>> find(x * sp.exp(x), x, seconds=10).antiderivative
    (x - 1)*exp(x)
    """
    start = time.monotonic()
    if not f.has(x):
        return Found(f * x, "constant", True, (("constant", "verified"),))
    tried: list[tuple[str, str]] = []
    tasks = [(name, (lambda m=METHODS[name]: attempt(m, f, x, budget=budget)), limit) for name, limit in PLAN]
    # (holds I though f is real, or cases in x that f lacks; size, answer, method): the smallest is the best.
    answers: list[tuple[bool, int, sp.Expr, str]] = []
    real_wanted = not f.has(sp.I)
    one_form_wanted = not f.has(sp.Piecewise)
    preferred = {name for name, _ in PLAN[:PREFERRED]}
    with race.race(tasks, seconds - OVERHEAD - (time.monotonic() - start), parallel) as results:
        for done in results:
            if done.status != race.OK or done.result is None:
                tried.append((done.name, done.status if done.status != race.ERROR else f"error ({done.detail})"))
            else:
                F, outcome = done.result
                tried.append((done.name, outcome))
                if F is not None:
                    unwanted = (real_wanted and F.has(sp.I)) or (one_form_wanted and _cases_in(F, x))
                    answers.append((unwanted, _ops(F), F, done.name))
            if not answers:
                continue
            complex_form, _, _, name = min(answers, key=lambda a: a[:2])
            pending = preferred - {method for method, _ in tried}
            if not complex_form and (name in preferred or not pending):
                break
            if len(answers) == 1:  # the first answer: wait only a little longer for a better one
                results.shorten(REAL_FORM_GRACE)
    if not answers:
        return Found(None, None, False, tuple(tried))
    _, _, F, name = min(answers, key=lambda a: a[:2])
    return Found(F, name, True, tuple(tried))


__all__ = ["PLAN", "Found", "attempt", "find", "polish", "search_seconds"]
