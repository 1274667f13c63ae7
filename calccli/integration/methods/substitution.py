"""Substitutions that leave a general integral, handed to the elementary methods in turn.

u = u(x) taken from the integrand (derivative-divides), the shift of a completed square,
t = tan u, x = w·e^w for LambertW, and |g| = g·s with a locally constant sign s.
"""

from __future__ import annotations

import sympy as sp

from calccli.integration.methods.backends import manual
from calccli.integration.methods.inner import inner_integral
from calccli.integration.methods.rationalizing import TRIG
from calccli.integration.verify import is_answer, numeric_check, verify
from calccli.process.budget import soft_deadline


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
            if isinstance(
                e,
                (sp.sin, sp.cos, sp.sinh, sp.cosh, sp.tan, sp.tanh, sp.cot, sp.coth, sp.sec, sp.csc, sp.sech, sp.csch),
            ):
                add(e)
    # The cofunction of a trig argument: its derivative is the function itself.
    for e in list(f.atoms(sp.sin, sp.cos, sp.sinh, sp.cosh)):
        other = {sp.sin: sp.cos, sp.cos: sp.sin, sp.sinh: sp.cosh, sp.cosh: sp.sinh}[e.func](e.args[0])
        add(other)
    return seen[:12]


_INVERSES = {
    sp.sin: sp.asin,
    sp.cos: sp.acos,
    sp.tan: sp.atan,
    sp.cot: sp.acot,
    sp.sec: sp.asec,
    sp.csc: sp.acsc,
    sp.sinh: sp.asinh,
    sp.cosh: sp.acosh,
    sp.tanh: sp.atanh,
    sp.coth: sp.acoth,
    sp.sech: sp.asech,
    sp.csch: sp.acsch,
    sp.log: sp.exp,
    sp.exp: sp.log,
    sp.asin: sp.sin,
    sp.acos: sp.cos,
    sp.atan: sp.tan,
    sp.asinh: sp.sinh,
    sp.atanh: sp.tanh,
}


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


def substitution(f: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
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
            G = inner_integral(h, t)
            if G is None:
                continue
            F = G.subs(t, u)
            if verify(F, f, x, seconds=2.0):
                return F
    return None


def completed_square(f: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
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
            G = manual(form, t)
        except Exception:  # noqa: BLE001 - the other form may do
            continue
        if G is not None and is_answer(G):
            return G.subs(t, x + h)
    return None


def tan_substitution(f: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    """A function of sin u and cos u (u linear) that t = tan u, or t = cot u, makes algebraic in t.

    sin u = t·C and cos u = C with C = 1/√(1 + t²), dx = dt/(u'·(1 + t²)); C is taken
    positive, so the answer is checked, beyond ``verify``, at points in all four quadrants of u.
    Half-integer powers of t come back as sin^(k/2)/cos^(k/2), as in the integrand, so that
    complex values match too.
    """
    args = {e.args[0] for e in f.atoms(*TRIG)}
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
    quadrants = [
        sp.nsimplify(sp.N((sp.Rational(3, 10) + j * sp.pi / 2 - (u - du * x)) / du, 15), rational=True)
        for j in range(-4, 4)
    ]
    for top, bottom, sign in ((s, k, 1), (k, s, -1)):  # tan: sin = tC; cot: cos = tC
        h = g.subs(top, t * C).subs(bottom, C).subs(C, 1 / sp.sqrt(1 + t**2))
        if h.has(x):
            continue
        h = sp.powsimp(sign * h / (du * (1 + t**2)))
        if h.is_rational_function(t):
            h = sp.cancel(h)
        G = inner_integral(h, t)
        if G is None:
            continue
        split = G.replace(
            lambda e: e.is_Pow and e.base == t and not e.exp.is_Integer,
            lambda e, top=top, bottom=bottom: top**e.exp / bottom**e.exp,
        )
        for F in (split.subs(t, top / bottom), G.subs(t, top / bottom)):
            if verify(F, f, x, seconds=2.0) and numeric_check(sp.diff(F, x), f, x, quadrants) is not False:
                return F
    return None


def abs_factor(f: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    """|g(x)| = g·s and sign(g) = s with s = ±1 constant between the zeros of g: ∫ with s a constant.

    The answer writes s as |g|/g: an antiderivative on each interval where g has one sign.  A definite integral splits at the zeros of g (see ``integrate``).
    """
    atoms = [e for e in f.atoms(sp.Abs, sp.sign) if e.has(x)]
    if len({e.args[0] for e in atoms}) != 1:
        return None
    inner = atoms[0].args[0]
    s = sp.Dummy("s")
    h = f.xreplace({e: inner * s if isinstance(e, sp.Abs) else s for e in atoms})
    h = sp.expand(h).replace(lambda e: e.is_Pow and e.base == s and e.exp.is_Integer, lambda e: s ** (e.exp % 2))
    if h.has(sp.Abs, sp.sign):
        return None
    if inner.is_polynomial(x) and sp.degree(inner, x) == 1:  # in u = a x + b: ∫|u| = u|u|/2, not (x²/2 − x)·s
        a, b = sp.Poly(inner, x).all_coeffs()
        u = sp.Dummy("u", real=True)
        G = inner_integral(sp.expand(h.subs(x, (u - b) / a) / a), u)
        if G is not None:
            return sp.factor_terms(G.subs(s, sp.Abs(u) / u)).subs(u, inner)
    G = inner_integral(h, x)
    return None if G is None else G.subs(s, sp.Abs(inner) / inner)


def lambertw_substitution(f: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
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
    G = inner_integral(sp.expand(sp.powsimp(h)), w)
    return None if G is None else G.subs(w, W)
