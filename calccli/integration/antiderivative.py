"""Antiderivatives: a portfolio of integration methods under a time budget, every answer verified.

No single SymPy integrator is good enough: ``manualintegrate`` is fast but gives up often,
``integrate`` hangs on some integrands and gives a few wrong answers, the Risch algorithm
covers only elementary transcendental functions, ``heurisch`` and the Meijer G method are
slow.  :func:`find` runs several methods (and rewrites of the integrand that suit them) in
forked children, two at a time, fast ones first, each under its own time limit, and takes
the first answer whose derivative provably or numerically equals the integrand.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

import sympy as sp

from calccli.calculus.common import DeadlineExceeded, soft_deadline, tidy
from calccli.process import race as attempts

# ---------------------------------------------------------------------------------------------
# Verification
# ---------------------------------------------------------------------------------------------

# Relative agreement required between F' and f at a sample point, and the working precision.
RELATIVE_TOLERANCE = 1e-10
DIGITS = 30
# Sample points needed (all must agree) before a numerical check counts.
MIN_POINTS = 5
# Function classes whose presence means "not an answer".
_NOT_ANSWERS = (sp.Integral, sp.Derivative, sp.Subs, sp.Limit)


def _sample_points(count: int = 10, seed: int = 20240611) -> list[sp.Rational]:
    """Exact sample abscissas of both signs, of size 0.2 to 6 (so some |x| > 1), never integers.

    Fixed seed: a check must not pass on one run and fail on the next.
    """
    rng = random.Random(seed)
    points = []
    for i in range(count):
        magnitude = 0.2 * 30 ** rng.random()  # log-uniform on [0.2, 6]
        sign = -1 if i % 2 else 1
        points.append(sp.Rational(round(sign * magnitude * 1000) + (7 if i % 3 else 3), 1000))
    return points


def _value(e: sp.Expr, subs: dict[sp.Symbol, sp.Expr]) -> sp.Expr | None:
    """``e`` at ``subs`` as a finite (complex) number to DIGITS digits, or None."""
    try:
        v = e.evalf(DIGITS, subs=subs)
    except (ValueError, TypeError, ZeroDivisionError, ArithmeticError, NotImplementedError, RecursionError):
        return None
    if not isinstance(v, sp.Expr) or not v.is_number or v.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
        return None
    re_, im_ = v.as_real_imag()
    if not (re_.is_Float or re_.is_zero) or not (im_.is_Float or im_.is_zero):
        return None  # an unevaluated function: no numerical value here
    return v


def is_answer(F: sp.Expr) -> bool:
    """Whether ``F`` is a closed form at all: no unevaluated integral, no nan or zoo."""
    return isinstance(F, sp.Expr) and not F.has(*_NOT_ANSWERS) and not F.has(sp.nan, sp.zoo)


def _numeric_check(d: sp.Expr, f: sp.Expr, x: sp.Symbol, points: list[sp.Expr] | None = None) -> bool | None:
    """True if F' = f at MIN_POINTS or more sample points, False if they differ at one, None if unsure.

    Parameters (other free symbols) get fixed values of either sign at each point.
    A point where f is finite but F' is not is a failure: the answer is no antiderivative there
    (for example a Piecewise with no branch for that x).
    """
    params = sorted((f.free_symbols | d.free_symbols) - {x}, key=str)
    rng = random.Random(7)
    usable = 0
    for p in _sample_points() if points is None else points:
        subs = {x: p}
        for s in params:
            subs[s] = sp.Rational(rng.choice([-1, 1]) * rng.randint(600, 2900), 1000)
        fv = _value(f, subs)
        if fv is None:
            continue
        dv = _value(d, subs)
        if dv is None:
            return False
        scale = max(abs(fv), abs(dv))
        if scale < 1e-15:
            continue  # both (nearly) zero: says little either way
        if abs(dv - fv) > RELATIVE_TOLERANCE * scale:
            return False
        usable += 1
    return True if usable >= MIN_POINTS else None


def verify(F: sp.Expr, f: sp.Expr, x: sp.Symbol, seconds: float = 5.0) -> bool:
    """Whether ``F`` is an antiderivative of ``f`` with respect to ``x``.

    Checked numerically first: d/dx F must equal f to 1e-10 (relative, 30 digits) at every
    sample point where f is finite, positive and negative ones, some with |x| > 1, and at
    least 5 of them; one disagreement is a rejection.  An answer valid only for x > 0 thus
    fails at the negative points.  Only when too few points are usable does
    ``simplify(F' - f) == 0`` decide.  Too slow (over ``seconds``), unsure, or no closed
    form: False.
    """
    if not is_answer(F):
        return False
    try:
        with soft_deadline(seconds):
            d = sp.diff(F, x)
            if d.has(sp.Derivative):
                return False
            if d == f:
                return True
            numeric = _numeric_check(d, f, x)
            if numeric is not None:
                return numeric
            return bool(sp.simplify(d - f) == 0)
    except (DeadlineExceeded, RecursionError, ValueError, TypeError, NotImplementedError, ArithmeticError,
            AttributeError, IndexError, KeyError):
        return False


# ---------------------------------------------------------------------------------------------
# Methods: each (f, x) -> a candidate antiderivative or None.  They run in forked children.
# ---------------------------------------------------------------------------------------------

Method = Callable[[sp.Expr, sp.Symbol], "sp.Expr | None"]


def _manual(f: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    from sympy.integrals.manualintegrate import manualintegrate

    return manualintegrate(f, x)


def _plain(f: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    return sp.integrate(f, x)


def _risch(f: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    from sympy.integrals.risch import risch_integrate

    return risch_integrate(f, x)


def _risch_exp(f: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    """Risch on the integrand with trig and hyperbolic functions written as exponentials."""
    from sympy.integrals.risch import risch_integrate

    return risch_integrate(f.rewrite(sp.exp), x)


def _heurisch(f: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    from sympy.integrals.heurisch import heurisch

    return heurisch(f, x)


def _meijerg(f: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    from sympy.integrals.meijerint import meijerint_indefinite

    return meijerint_indefinite(f, x)


def _manual_exp(f: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    return _manual(f.rewrite(sp.exp), x)


def _manual_expand(f: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    g = sp.expand(f)
    return None if g == f else _manual(g, x)


def _manual_apart(f: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    return _manual(sp.apart(sp.together(f), x), x)


# --- rational functions -------------------------------------------------------------------------


def _log_terms(a: sp.Poly, d: sp.Poly, x: sp.Symbol) -> sp.Expr | None:
    """∫ a/d for squarefree d, deg a < deg d: Σ a(r)/d'(r) log(x − r) over the roots r of d, in real form.

    Each conjugate pair r = α ± iβ with residues c = p ± iq becomes the real
    p·log((x−α)² + β²) − 2q·atan((x−α)/β).  None if some factor has no roots in radicals.
    """
    total = sp.S.Zero
    dd = d.diff(x)
    for factor, _ in sp.factor_list(d.as_expr(), x)[1]:
        fp = sp.Poly(factor, x)
        if fp.degree() == 0:
            continue
        rs = sp.roots(fp, multiple=True)
        if len(rs) != fp.degree():
            return None
        for r in rs:
            c = sp.radsimp(a.as_expr().subs(x, r) / dd.as_expr().subs(x, r))
            r_re, r_im = (sp.radsimp(t) for t in sp.expand_complex(r).as_real_imag())
            if r_im == 0:
                total += c * sp.log(x - r_re)
                continue
            if not r_im.is_number or r_im.evalf(30) < 0:
                continue  # the partner with positive imaginary part carries the pair
            c_re, c_im = (sp.radsimp(t) for t in sp.expand_complex(c).as_real_imag())
            total += c_re * sp.log(sp.expand((x - r_re) ** 2 + r_im**2)) - 2 * c_im * sp.atan((x - r_re) / r_im)
    return total


def _rational(f: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    """A rational function: Hermite reduction, then logs and arctangents over the roots of the rest.

    Written out rather than left to ``ratint``, which drops the log part of some integrands
    (∫x⁸/(x⁸+3x⁴+1) dx = x) and otherwise answers with a RootSum.
    """
    if not f.is_rational_function(x):
        return None
    from sympy.integrals.rationaltools import ratint_ratpart

    p, q = sp.fraction(sp.cancel(sp.together(f)))
    P, Q = sp.Poly(p, x), sp.Poly(q, x)
    poly, rem = P.div(Q)
    result = poly.integrate().as_expr()
    if rem.is_zero:
        return result
    g, h = ratint_ratpart(rem, Q, x)
    result += g
    hn, hd = sp.fraction(sp.cancel(h))
    if hn == 0:
        return result
    logs = _log_terms(sp.Poly(hn, x), sp.Poly(hd, x), x)
    return None if logs is None else result + logs


def _rational_or_manual(g: sp.Expr, t: sp.Symbol) -> sp.Expr | None:
    """∫ g dt, by :func:`_rational` when g is rational in t, else by ``manualintegrate``."""
    if g.is_rational_function(t):
        G = _rational(g, t)
        if G is not None:
            return G
    G = _manual(g, t)
    return None if G is None or G.has(sp.Integral) else G


# --- integration by parts ----------------------------------------------------------------------

# Functions whose derivative is simpler than they are: the u of ∫u dv = uv − ∫v du.
_PARTS_U = (sp.log, sp.asin, sp.acos, sp.atan, sp.acot, sp.asec, sp.acsc,
            sp.asinh, sp.acosh, sp.atanh, sp.acoth, sp.asech, sp.acsch)


def _first_answer(methods: tuple[Method, ...], g: sp.Expr,
                  x: sp.Symbol) -> sp.Expr | None:
    """The first of ``methods`` to give an answer (no Integral left) for ∫ g dx, or None."""
    for method in methods:
        try:
            G = method(g, x)
        except Exception:  # noqa: BLE001 - the next method may do
            G = None
        if G is not None and is_answer(G):
            return G
    return None


def _simple_integral(g: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    """∫ g by the cheap methods (no Integral left), or None."""
    return _first_answer((_rational, _manual, _radical_substitution), g, x)


def _by_parts(f: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    """∫ P·u = (∫P)·u − ∫(∫P)·u' for u a log or inverse (hyperbolic) trig function of x.

    ``manualintegrate`` does this for some u only (not acosh, asech, ...), and not when
    ∫(∫P)·u' needs a substitution of its own.
    """
    factors = sp.Mul.make_args(f)
    for u in factors:
        if not isinstance(u, _PARTS_U) or not u.has(x):
            continue
        P = sp.Mul(*[g for g in factors if g is not u])
        V = _simple_integral(P, x)
        if V is None:
            continue
        rest = _simple_integral(sp.cancel(sp.powsimp(V * sp.diff(u, x))), x)
        if rest is None:
            rest = _simple_integral(sp.expand(V * sp.diff(u, x)), x)
        if rest is not None:
            return V * u - rest
    return None


# --- substitutions ------------------------------------------------------------------------------

_TRIG = (sp.sin, sp.cos, sp.tan, sp.cot, sp.sec, sp.csc)


def _tan_half_angle(f: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    """A rational function of sin(cx), cos(cx), ...: t = tan(cx/2) makes it rational in t."""
    args = {a.args[0] for a in f.atoms(*_TRIG)}
    if not args:
        return None
    g = sp.expand_trig(f) if any(a != x and (a / x).is_Integer for a in args) else f
    args = {a.args[0] for a in g.atoms(*_TRIG)}
    if len(args) != 1:
        return None
    u = args.pop()
    c = sp.cancel(u / x)
    if c.has(x) or c == 0:
        return None
    t = sp.Dummy("t", real=True)
    s, k = 2 * t / (1 + t**2), (1 - t**2) / (1 + t**2)
    g = g.subs({sp.sin(u): s, sp.cos(u): k, sp.tan(u): s / k, sp.cot(u): k / s, sp.sec(u): 1 / k, sp.csc(u): 1 / s})
    if g.has(x):
        return None
    G = _rational_or_manual(sp.cancel(g * 2 / (c * (1 + t**2))), t)
    return None if G is None else G.subs(t, sp.tan(u / 2))


def _exp_substitution(f: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    """A rational function of exp(cx) (hyperbolic functions included): u = exp(cx/n) makes it rational."""
    g = f.rewrite(sp.exp) if f.has(sp.sinh, sp.cosh, sp.tanh, sp.coth, sp.sech, sp.csch) else f
    g = sp.powsimp(sp.expand_power_exp(g))
    exps = [e for e in g.atoms(sp.exp) if e.has(x)] + [e for e in g.atoms(sp.Pow) if e.exp.has(x) and not e.base.has(x)]
    if not exps:
        return None
    coeffs = []
    for e in exps:
        expo = e.args[0] if isinstance(e, sp.exp) else e.exp * sp.log(e.base)
        c = sp.cancel(expo / x)
        if c.has(x):
            return None
        coeffs.append(c)
    base = coeffs[0]
    ratios = [sp.nsimplify(sp.cancel(c / base)) for c in coeffs]
    if not all(r.is_Rational for r in ratios):
        return None
    n = math.lcm(*[int(r.q) for r in ratios])
    u = sp.Dummy("u", positive=True)
    h = g.subs(x, n * sp.log(u) / base)
    h = sp.powsimp(sp.expand_log(h, force=True), force=True)
    if h.has(x):
        return None
    G = _rational_or_manual(sp.cancel(h * n / (base * u)), u)
    return None if G is None else G.subs(u, sp.exp(base * x / n))


def _radical_substitution(f: sp.Expr, x: sp.Symbol, inner: Method | None = None) -> sp.Expr | None:
    """Roots of one linear expression (a x + b)^(p/q): u = (a x + b)^(1/n) removes them."""
    pows = [e for e in f.atoms(sp.Pow) if e.has(x) and e.exp.is_Rational and not e.exp.is_Integer]
    bases = {e.base for e in pows}
    if len(bases) != 1:
        return None
    base = bases.pop()
    if not base.is_polynomial(x) or sp.degree(base, x) != 1:
        return None
    a, b = sp.Poly(base, x).all_coeffs()
    n = math.lcm(*[int(e.exp.q) for e in pows])
    u = sp.Dummy("u", positive=True)
    g = f.subs({e: u ** (e.exp * n) for e in pows})
    g = g.subs(x, (u**n - b) / a)
    if g.has(x):
        return None
    h = sp.cancel(g * n * u ** (n - 1) / a) if g.is_rational_function(u) else g * n * u ** (n - 1) / a
    G = _rational_or_manual(h, u) if inner is None else inner(h, u)
    return None if G is None else G.subs(u, base ** sp.Rational(1, n))


# --- general substitution u = u(x) --------------------------------------------------------------


def _substitution_candidates(f: sp.Expr, x: sp.Symbol) -> list[sp.Expr]:
    """Inner expressions u(x) worth substituting: function arguments, radicals and their bases, logs.

    Ordered roughly from the most to the least promising; x itself and linear
    polynomials of x (which substitution cannot simplify) are left out.
    """
    seen: list[sp.Expr] = []

    def add(u: sp.Expr) -> None:
        if u.has(x) and u != x and u not in seen and not (u.is_polynomial(x) and sp.degree(u, x) <= 1):
            seen.append(u)

    for e in sp.preorder_traversal(f):
        if isinstance(e, sp.Pow) and e.base.has(x) and e.exp.is_Rational and not e.exp.is_Integer:
            add(e.base ** sp.Rational(1, int(e.exp.q)))
            add(e.base)
        elif isinstance(e, sp.Function) and e.args and e.args[0].has(x):
            if isinstance(e, (sp.log, sp.exp)):
                add(e)
            add(e.args[0])
            if isinstance(e, (sp.sin, sp.cos, sp.sinh, sp.cosh, sp.tan, sp.tanh, sp.cot, sp.coth,
                              sp.sec, sp.csc, sp.sech, sp.csch)):
                add(e)
    # The cofunction of a trig argument: its derivative is the function itself.
    for e in list(f.atoms(sp.sin, sp.cos, sp.sinh, sp.cosh)):
        other = {sp.sin: sp.cos, sp.cos: sp.sin, sp.sinh: sp.cosh, sp.cosh: sp.sinh}[e.func](e.args[0])
        add(other)
    return seen[:12]


def _inner_integral(g: sp.Expr, t: sp.Symbol) -> sp.Expr | None:
    """∫ g dt after a substitution: the cheap methods, by parts, then ``integrate`` briefly."""
    G = _first_answer((_rational, _gaussian_moments, _manual, _radical_substitution, _euler_substitution,
                       _tan_half_angle, _exp_substitution, _by_parts, _log_rational), g, t)
    return G if G is not None else _briefly_integrate(g, t)


def _briefly_integrate(g: sp.Expr, t: sp.Symbol, seconds: float = 1.5) -> sp.Expr | None:
    """``integrate`` given ``seconds``: its answer, or None."""
    try:
        with soft_deadline(seconds):
            G = sp.integrate(g, t)
    except Exception:  # noqa: BLE001 - DeadlineExceeded included
        return None
    return G if is_answer(G) else None


_INVERSES = {sp.sin: sp.asin, sp.cos: sp.acos, sp.tan: sp.atan, sp.cot: sp.acot, sp.sec: sp.asec,
             sp.csc: sp.acsc, sp.sinh: sp.asinh, sp.cosh: sp.acosh, sp.tanh: sp.atanh, sp.coth: sp.acoth,
             sp.sech: sp.asech, sp.csch: sp.acsch, sp.log: sp.exp, sp.exp: sp.log,
             sp.asin: sp.sin, sp.acos: sp.cos, sp.atan: sp.tan, sp.asinh: sp.sinh, sp.atanh: sp.tanh}


def _invert(u: sp.Expr, x: sp.Symbol, t: sp.Expr) -> sp.Expr | None:
    """x as a function of t = u(x), by peeling u layer by layer (one branch), or None."""
    while u != x:
        if isinstance(u, sp.Add):
            dep = [a for a in u.args if a.has(x)]
            if len(dep) != 1:
                return None
            t, u = t - (u - dep[0]), dep[0]
        elif isinstance(u, sp.Mul):
            dep = [a for a in u.args if a.has(x)]
            if len(dep) != 1:
                return None
            t, u = t * dep[0] / u, dep[0]
        elif isinstance(u, sp.Pow) and not u.exp.has(x):
            t, u = t ** (1 / u.exp), u.base
        elif isinstance(u, sp.Pow) and not u.base.has(x):
            t, u = sp.log(t) / sp.log(u.base), u.exp
        elif type(u) in _INVERSES:
            t, u = _INVERSES[type(u)](t), u.args[0]
        else:
            return None
    return t


def _in_terms_of(g: sp.Expr, u: sp.Expr, x: sp.Symbol, t: sp.Symbol) -> list[sp.Expr]:
    """Ways of writing g(x) as h(t) with t = u(x): direct replacement, then x = u⁻¹(t)."""
    out = []
    for h in (g.subs(u, t), sp.cancel(sp.powsimp(g)).subs(u, t)):
        if not h.has(x):
            out.append(h)
    if out:
        return out
    sol = _invert(u, x, t)
    if sol is not None:
        sols = [sol]
    else:
        try:
            with soft_deadline(1.0):
                sols = sp.solve(sp.Eq(t, u), x)
        except Exception:  # noqa: BLE001 - DeadlineExceeded included
            return out
    for sol in sols[:2]:
        if sol.has(x) or not sol.has(t):
            continue
        h = g.subs(x, sol)
        if not h.has(x):
            out.append(h)
    return out


def _substitution(f: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    """∫ f dx = ∫ h(t) dt with t = u(x) and f = h(u(x))·u'(x) (derivative-divides), u from the integrand.

    h comes from replacing u(x) by t in f/u', or else from x = u⁻¹(t); the t-integral
    is done by the cheap methods.  A wrong branch of u⁻¹ gives an answer that fails
    the check, never a wrong result.
    """
    t = sp.Dummy("t", real=True)
    for u in _substitution_candidates(f, x):
        du = sp.diff(u, x)
        if du == 0:
            continue
        g = f / du
        for h in _in_terms_of(g, u, x, t):
            h = sp.powsimp(h)
            if h.is_rational_function(t):
                h = sp.cancel(h)
            G = _inner_integral(h, t)
            if G is None:
                continue
            F = G.subs(t, u)
            if verify(F, f, x, seconds=2.0):
                return F
    return None


def _completed_square(f: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    """A function of a quadratic a x² + b x + c: the shift x = t − b/(2a) leaves a t² + const
    (Gaussian, Fresnel and error-function integrals), then ``manualintegrate`` on the expanded
    integrand, or on its exponential form.
    """
    shifts = set()
    for e in f.atoms(sp.Function, sp.Pow):
        arg = e.exp if isinstance(e, sp.Pow) else e.args[0] if e.args else None
        if arg is None or not arg.has(x) or not arg.is_polynomial(x) or sp.degree(arg, x) != 2:
            continue
        a, b, _ = sp.Poly(arg, x).all_coeffs()
        if b != 0:
            shifts.add(b / (2 * a))
    if len(shifts) != 1:
        return None
    h = shifts.pop()
    t = sp.Dummy("t", real=True)
    g = f.subs(x, t - h)
    for form in (sp.expand(g), sp.expand(g.rewrite(sp.exp))):
        try:
            G = _manual(form, t)
        except Exception:  # noqa: BLE001 - the other form may do
            continue
        if G is not None and is_answer(G):
            return G.subs(t, x + h)
    return None


# --- Gaussian moments ---------------------------------------------------------------------------


def _gaussian_moments(f: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    """Σ c·xⁿ·e^(k x²) (numbers k ≠ 0, n ≥ 0): ∫xⁿe^(kx²) = xⁿ⁻¹e^(kx²)/(2k) − (n−1)/(2k)·∫xⁿ⁻²e^(kx²),
    down to e^(kx²)/(2k) or √π·erf(√−k·x)/(2√−k) (erfi for k > 0).

    ``manualintegrate`` leaves integrals of erf behind on these, and ``integrate`` takes seconds.
    """
    total = sp.S.Zero
    for term in sp.Add.make_args(sp.expand(sp.powsimp(f))):
        coeff, rest = term.as_independent(x, as_Add=False)
        exps = [e for e in sp.Mul.make_args(rest) if isinstance(e, sp.exp)]
        if len(exps) != 1:
            return None
        E = exps[0]
        k = sp.cancel(E.args[0] / x**2)
        power = sp.cancel(rest / E)
        if k.has(x) or not (k.is_number and k.is_real) or k == 0 or not power.is_polynomial(x):
            return None
        n = sp.degree(power, x)
        if power != x**n:
            return None
        moment = (sp.exp(k * x**2) / (2 * k) if n % 2 else
                  sp.sqrt(sp.pi) * sp.erf(sp.sqrt(-k) * x) / (2 * sp.sqrt(-k)) if k < 0 else
                  sp.sqrt(sp.pi) * sp.erfi(sp.sqrt(k) * x) / (2 * sp.sqrt(k)))
        for m in range(n % 2 + 2, n + 1, 2):  # I(m) = x^(m-1) e^(kx²)/(2k) − (m−1)/(2k) I(m−2)
            moment = x ** (m - 1) * sp.exp(k * x**2) / (2 * k) - (m - 1) * moment / (2 * k)
        total += coeff * moment
    return total


# --- Euler substitutions: one square root of a quadratic --------------------------------------


def _quadratic_radical(f: sp.Expr, x: sp.Symbol) -> tuple[sp.Expr, list[sp.Pow]] | None:
    """(Q, the powers Q^(k/2) in f) when every radical in f is a half-integer power of one quadratic Q."""
    pows = [e for e in f.atoms(sp.Pow) if e.has(x) and e.exp.is_Rational and not e.exp.is_Integer]
    bases = {sp.expand(e.base) for e in pows}
    if len(bases) != 1 or any(e.exp.q != 2 for e in pows):
        return None
    Q = bases.pop()
    if not Q.is_polynomial(x) or sp.degree(Q, x) != 2:
        return None
    return Q, pows


def _euler_substitution(f: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    """R(x, √Q) for a quadratic Q = a x² + b x + c: an Euler substitution makes it rational in t.

    t = √Q + √a·x when a > 0; t = √Q/(x − α) when Q has real roots α, β.  Each t is a
    function of x, and x a rational function of t, so F = G(t(x)) holds on every branch.
    Square roots of linear factors are first combined (√(1−x)·√(1+x) = √(1−x²) where real).
    """
    got = _quadratic_radical(f, x)
    if got is None:
        f = sp.powsimp(sp.expand(f), force=True)
        got = _quadratic_radical(f, x)
        if got is None:
            return None
    Q, pows = got
    a, b, c = sp.Poly(Q, x).all_coeffs()
    t = sp.Dummy("t", real=True)
    if a.is_positive:
        X = (t**2 - c) / (2 * sp.sqrt(a) * t + b)
        root, back = t - sp.sqrt(a) * X, sp.sqrt(Q) + sp.sqrt(a) * x
    else:
        real_roots = sorted((r for r in sp.roots(sp.Poly(Q, x), multiple=True) if r.is_real),
                            key=lambda r: (not r.is_Rational, sp.count_ops(r)))
        if len(real_roots) != 2 or real_roots[0] == real_roots[1]:
            return None
        alpha, beta = real_roots
        X = (a * beta - alpha * t**2) / (a - t**2)
        root, back = t * (X - alpha), sp.sqrt(Q) / (x - alpha)
    g = f.xreplace({e: root ** (2 * e.exp) for e in pows}).subs(x, X)
    h = sp.cancel(sp.together(g * sp.diff(X, t)))
    if h.has(x) or not h.is_rational_function(t):
        return None
    G = _rational(h, t)
    return None if G is None else G.subs(t, back)


# --- t = tan u (or cot u): even powers of sin and cos, and their radicals ----------------------


def _tan_substitution(f: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    """A function of sin u and cos u (u linear) that t = tan u, or t = cot u, makes algebraic in t.

    sin u = t·C and cos u = C with C = 1/√(1 + t²), dx = dt/(u'·(1 + t²)); C is taken
    positive, so the answer is checked, beyond ``verify``, at points in all four quadrants of u.
    Half-integer powers of t come back as sin^(k/2)/cos^(k/2), as in the integrand, so that
    complex values match too.
    """
    args = {e.args[0] for e in f.atoms(*_TRIG)}
    if len(args) != 1:
        return None
    u = args.pop()
    du = sp.diff(u, x)
    if du.has(x) or du == 0:
        return None
    s, k = sp.sin(u), sp.cos(u)
    g = f.subs({sp.tan(u): s / k, sp.cot(u): k / s, sp.sec(u): 1 / k, sp.csc(u): 1 / s})
    C = sp.Dummy("C", positive=True)
    t = sp.Dummy("t", real=True)
    # Where u is in each quadrant, twice over: the sample points of ``verify`` may all have
    # cos u > 0 when u varies slowly (u = x/4), and C < 0 is where this method can be wrong.
    quadrants = [sp.nsimplify(sp.N((sp.Rational(3, 10) + j * sp.pi / 2 - (u - du * x)) / du, 15), rational=True)
                 for j in range(-4, 4)]
    for top, bottom, sign in ((s, k, 1), (k, s, -1)):  # tan: sin = tC; cot: cos = tC
        h = g.subs(top, t * C).subs(bottom, C).subs(C, 1 / sp.sqrt(1 + t**2))
        if h.has(x):
            continue
        h = sp.powsimp(sign * h / (du * (1 + t**2)))
        if h.is_rational_function(t):
            h = sp.cancel(h)
        G = _inner_integral(h, t)
        if G is None:
            continue
        split = G.replace(lambda e: e.is_Pow and e.base == t and not e.exp.is_Integer,
                          lambda e, top=top, bottom=bottom: top**e.exp / bottom**e.exp)
        for F in (split.subs(t, top / bottom), G.subs(t, top / bottom)):
            if verify(F, f, x, seconds=2.0) and _numeric_check(sp.diff(F, x), f, x, quadrants) is not False:
                return F
    return None


# --- |g| and sign(g): locally constant factors --------------------------------------------------


def _abs_factor(f: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    """|g(x)| = g·s and sign(g) = s with s = ±1 constant between the zeros of g: ∫ with s a constant.

    The answer writes s as |g|/g: an antiderivative on each interval where g has one sign.  A definite integral splits at the zeros of g (see ``integrate``).
    """
    atoms = [e for e in f.atoms(sp.Abs, sp.sign) if e.has(x)]
    if len({e.args[0] for e in atoms}) != 1:
        return None
    inner = atoms[0].args[0]
    s = sp.Dummy("s")
    h = f.xreplace({e: inner * s if isinstance(e, sp.Abs) else s for e in atoms})
    h = sp.expand(h).replace(lambda e: e.is_Pow and e.base == s and e.exp.is_Integer,
                             lambda e: s ** (e.exp % 2))
    if h.has(sp.Abs, sp.sign):
        return None
    G = _inner_integral(h, x)
    return None if G is None else G.subs(s, sp.Abs(inner) / inner)


# --- LambertW: x = w e^w ------------------------------------------------------------------------


def _lambertw_substitution(f: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    """A function of W(a x + b): with a x + b = w·e^w, dx = (1 + w)·e^w dw / a, and W(a x + b) = w."""
    ws = {e for e in f.atoms(sp.LambertW) if e.has(x)}
    if len(ws) != 1:
        return None
    W = ws.pop()
    arg = W.args[0]
    if len(W.args) != 1 or not arg.is_polynomial(x) or sp.degree(arg, x) != 1:
        return None
    a, b = sp.Poly(arg, x).all_coeffs()
    w = sp.Dummy("w", real=True)
    h = f.subs(W, w).subs(x, (w * sp.exp(w) - b) / a) * (1 + w) * sp.exp(w) / a
    if h.has(x):
        return None
    G = _inner_integral(sp.expand(sp.powsimp(h)), w)
    return None if G is None else G.subs(w, W)


# --- special functions: a table and integration by parts ----------------------------------------

# Special functions whose derivative is elementary: the u of ∫u dv.
_SPECIAL = (sp.Si, sp.Ci, sp.Shi, sp.Chi, sp.Ei, sp.li, sp.erf, sp.erfc, sp.erfi, sp.fresnels, sp.fresnelc,
            sp.expint, sp.polygamma, sp.polylog, sp.loggamma, sp.LambertW)


def _tabled(S: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    """∫ S dx for a special function S of a linear argument that integrates to its neighbour, or None.

    ∫ψ⁽ⁿ⁾(u) = ψ⁽ⁿ⁻¹⁾(u), ∫ψ(u) = log Γ(u), ∫E_n(u) = −E_{n+1}(u) (divided by u').
    """
    if not S.args:
        return None
    u = S.args[-1]
    if not u.is_polynomial(x) or sp.degree(u, x) != 1:
        return None
    du = sp.diff(u, x)
    if isinstance(S, sp.polygamma) and S.args[0].is_Integer and S.args[0] >= 0:
        n = S.args[0]
        return (sp.polygamma(n - 1, u) if n >= 1 else sp.loggamma(u)) / du
    if isinstance(S, sp.expint) and not S.args[0].has(x):
        return -sp.expint(S.args[0] + 1, u) / du
    return None


def _polynomial_times_tabled(P: sp.Expr, S: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    """∫ P·S for a polynomial P and a tabled S: ∫P S = P·S₁ − ∫P'·S₁ until P' = 0."""
    S1 = _tabled(S, x)
    if S1 is None:
        return None
    dP = sp.diff(P, x)
    if dP == 0:
        return P * S1
    coeff, S1_alone = S1.as_independent(x, as_Add=False)
    rest = _polynomial_times_tabled(sp.expand(dP * coeff), S1_alone, x)
    return None if rest is None else P * S1 - rest


def _special_by_parts(f: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    """Terms g·S with one special function S: a table for polynomial g, else ∫ = S·∫g − ∫(∫g)·S'.

    Hurwitz ζ(s, u) of integer order s ≥ 2 is first written as (−1)ˢψ⁽ˢ⁻¹⁾(u)/(s−1)!.
    The remaining integral goes to the Gaussian moments, to ``manualintegrate`` with products
    of sines and cosines as sums, then in exponential form, then to ``integrate`` briefly.
    """
    from sympy.simplify.fu import TR8

    f = f.replace(lambda e: isinstance(e, sp.zeta) and len(e.args) == 2 and e.args[0].is_Integer
                  and e.args[0] >= 2 and e.args[1].has(x),
                  lambda e: (-1) ** e.args[0] * sp.polygamma(e.args[0] - 1, e.args[1]) / sp.factorial(e.args[0] - 1))
    if not f.has(*_SPECIAL):
        return None
    total = sp.S.Zero
    for term in sp.Add.make_args(sp.expand(f)):
        coeff, rest = term.as_independent(x, as_Add=False)
        specials = [e for e in sp.Mul.make_args(rest) if isinstance(e, _SPECIAL) and e.has(x)]
        if not specials:
            G = _inner_integral(term, x)
            if G is None:
                return None
            total += G
            continue
        if len(specials) != 1:
            return None
        S = specials[0]
        g = sp.cancel(rest / S)
        if g.is_polynomial(x):
            G = _polynomial_times_tabled(g, S, x)
            if G is not None:
                total += coeff * G
                continue
        V = _inner_integral(g, x)
        if V is None:
            return None
        remaining = sp.expand(sp.powsimp(V * sp.diff(S, x)))
        R = (_first_answer((_gaussian_moments,), remaining, x)
             or _first_answer((_manual,), sp.expand(TR8(remaining)), x)
             or _first_answer((_manual,), sp.expand(remaining.rewrite(sp.exp)), x)
             or _briefly_integrate(remaining, x, seconds=2.0))
        if R is None:
            return None
        total += coeff * (V * S - R)
    return total


# --- log times rational: dilogarithms ----------------------------------------------------------


def _linear_logs(P: sp.Expr, x: sp.Symbol) -> list[tuple[sp.Expr, sp.Expr, sp.Expr]] | None:
    """log P = Σ m·log(x − ρ) + const for a polynomial P: [(m, ρ, const share)], or None."""
    poly = sp.Poly(P, x)
    rs = sp.roots(poly)
    if sum(rs.values()) != poly.degree():
        return None
    return [(m, r, sp.S.Zero) for r, m in rs.items()]


def _log_rational(f: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    """∫ log(P(x))·R(x) for polynomial P and rational R, in dilogarithms (atan, atanh, ... as logs).

    R goes into partial fractions over its roots; for P linear,
    ∫ log P/(x − r) = log P·log(1 − P/P(r)) + Li₂(P/P(r)) exactly; a P of higher degree is
    split into logs of its linear factors (branches left to the check).  Other terms, and
    powers (x − r)⁻ᵏ with k > 1, go to the cheap methods.
    """
    total = sp.S.Zero
    if f.has(sp.atan, sp.acot, sp.atanh, sp.acoth):
        f = f.rewrite(sp.log)
    for term in sp.Add.make_args(sp.expand(f)):
        logs = [a for a in sp.Mul.make_args(term) if isinstance(a, sp.log) and a.has(x)]
        if len(logs) != 1 or not logs[0].args[0].is_polynomial(x):
            G = _simple_integral(term, x)
            if G is None:
                return None
            total += G
            continue
        L = logs[0]
        R = sp.cancel(term / L)
        if not R.has(x) or not R.is_rational_function(x) or R.has(sp.log):
            G = _simple_integral(term, x)
            if G is None:
                return None
            total += G
            continue
        P = L.args[0]
        if sp.degree(P, x) == 1:  # log(a x + b) as it is: no split, no branch trouble
            a, b = sp.Poly(P, x).all_coeffs()
            lin, lc = [(1, -b / a, sp.S.Zero)], a
            whole = True
        else:
            lin, lc, whole = _linear_logs(P, x), sp.Poly(P, x).LC(), False
        if lin is None:
            return None
        parts = sp.Add.make_args(sp.apart(R, x, full=True).doit())
        split = sp.log(lc) + sum(m * sp.log(x - rho) for m, rho, _ in lin)
        for part in parts:
            num, den = sp.fraction(sp.factor(part))
            dpoly = sp.Poly(den, x)
            if dpoly.degree() == 1 and not num.has(x):
                r = -dpoly.all_coeffs()[1] / dpoly.all_coeffs()[0]
                c = num / dpoly.LC()
                if whole:  # ∫ log(P)/(x − r) = log P·log(1 − y) + Li₂(y), y = P(x)/P(r)
                    Pr = sp.expand(P.subs(x, r))
                    if Pr == 0:
                        total += c * L**2 / 2
                    else:
                        y = P / Pr
                        total += c * (L * sp.log(1 - y) + sp.polylog(2, y))
                    continue
                total += c * sp.log(lc) * sp.log(x - r)
                for m, rho, _ in lin:
                    if sp.simplify(rho - r) == 0:
                        total += c * m * sp.log(x - r) ** 2 / 2
                    else:
                        y = (x - rho) / (r - rho)
                        total += c * m * (sp.log(x - rho) * sp.log(1 - y) + sp.polylog(2, y))
            else:
                G = _simple_integral(part * split, x)
                if G is None:
                    G = _simple_integral(sp.expand(part * split), x)
                if G is None:
                    return None
                total += G
    return total


METHODS: dict[str, Method] = {
    "manualintegrate": _manual,
    "integrate": _plain,
    "risch": _risch,
    "risch (exp form)": _risch_exp,
    "heurisch": _heurisch,
    "meijerg": _meijerg,
    "manualintegrate (exp form)": _manual_exp,
    "manualintegrate (expanded)": _manual_expand,
    "manualintegrate (partial fractions)": _manual_apart,
    "rational": _rational,
    "tan half-angle": _tan_half_angle,
    "exp substitution": _exp_substitution,
    "radical substitution": _radical_substitution,
    "by parts": _by_parts,
    "radical substitution, by parts": lambda f, x: _radical_substitution(f, x, inner=_by_parts),
    "substitution": _substitution,
    "log times rational": _log_rational,
    "completed square": _completed_square,
    "special functions by parts": _special_by_parts,
    "sign factor": _abs_factor,
    "LambertW substitution": _lambertw_substitution,
    "Euler substitution": _euler_substitution,
    "tan substitution": _tan_substitution,
}


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


def polish(F: sp.Expr, f: sp.Expr, x: sp.Symbol, seconds: float = 2.0) -> sp.Expr:
    """A more readable verified form of the verified ``F``: real if f is, then simplified (cheaply).

    Every rewrite is kept only if it still verifies; out of time, the best so far is kept.
    """
    start = time.monotonic()

    def left() -> float:
        return seconds - (time.monotonic() - start)

    try:
        if F.has(sp.I) and not f.has(sp.I):
            with soft_deadline(max(0.05, left())):
                R = _real_form(F, x)
            if (is_answer(R) and not R.has(sp.I, sp.re, sp.im, sp.arg, sp.atan2)
                    and left() > 0 and verify(R, f, x, seconds=left())):
                F = R
        if left() > 0.1:
            with soft_deadline(max(0.05, left())):
                T = tidy(F)
            if (T != F and is_answer(T) and (T.has(sp.I) <= F.has(sp.I)) and _ops(T) <= _ops(F)
                    and left() > 0 and verify(T, f, x, seconds=left())):
                F = T
    except (DeadlineExceeded, RecursionError, ValueError, TypeError, NotImplementedError, ArithmeticError,
            AttributeError):
        pass
    return F


def attempt(method: Method, f: sp.Expr, x: sp.Symbol, polish_seconds: float = 2.0) -> tuple[sp.Expr | None, str]:
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
    return polish(F, f, x, polish_seconds), "verified"


# ---------------------------------------------------------------------------------------------
# The portfolio
# ---------------------------------------------------------------------------------------------


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
# Time kept back from the budget for forking and collecting results.
OVERHEAD = 0.15


def find(f: sp.Expr, x: sp.Symbol, budget: float = 20.0, parallel: int = 2) -> Found:
    """An antiderivative of ``f`` with respect to ``x``, found and verified within ``budget`` seconds.

    Other free symbols of ``f`` are constants.  The methods of :data:`PLAN` run in forked
    children, ``parallel`` at a time; the first verified answer wins, unless it holds I for
    a real integrand or came before SymPy's own integrators ended: then a real or shorter
    answer arriving soon after is taken instead.  Returns
    ``Found(None, None, False, tried)`` when no method produced a verified answer in time.

    >>> x = sp.Symbol("x", real=True)
    >>> find(x * sp.exp(x), x, budget=10).antiderivative
    (x - 1)*exp(x)
    """
    start = time.monotonic()
    if not f.has(x):
        return Found(f * x, "constant", True, (("constant", "verified"),))
    tried: list[tuple[str, str]] = []
    tasks = [(name, (lambda m=METHODS[name]: attempt(m, f, x)), limit) for name, limit in PLAN]
    # (holds I though f is real, size, answer, method): the smallest tuple is the best answer.
    answers: list[tuple[bool, int, sp.Expr, str]] = []
    real_wanted = not f.has(sp.I)
    preferred = {name for name, _ in PLAN[:PREFERRED]}
    with attempts.race(tasks, budget - OVERHEAD - (time.monotonic() - start), parallel) as results:
        for done in results:
            if done.status != attempts.OK or done.result is None:
                tried.append((done.name, done.status if done.status != attempts.ERROR else f"error ({done.detail})"))
            else:
                F, outcome = done.result
                tried.append((done.name, outcome))
                if F is not None:
                    answers.append((real_wanted and F.has(sp.I), _ops(F), F, done.name))
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


__all__ = ["Found", "METHODS", "find", "verify"]
