"""Step-by-step derivatives and integrals, the way they are taught.

``derivative_steps`` walks the expression tree itself (sum, constant multiple,
product, quotient, power, chain rule with named intermediate variables, table
derivatives).  Every step it emits is checked against ``sp.diff`` before it is
shown; a node whose steps would not check out is explained as "by SymPy's
differentiation" instead, so a wrong step is never displayed.

``integral_steps`` explains the rule tree of SymPy's step-based integrator
(``sympy.integrals.manualintegrate``).  It never invents steps: if that tree
has no complete path (a ``DontKnowRule``), or its antiderivative does not
differentiate back to the integrand, there are no steps (``None``) and the
caller says the answer came from a method without steps.
"""

from __future__ import annotations

import cmath
import dataclasses
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

import sympy as sp
from sympy.integrals import manualintegrate as mi

from calccli.calculus.common import DeadlineExceeded, as_expr, differentiate, soft_deadline, tidy
from calccli.errors import MathError

__all__ = ["Step", "derivative_steps", "integral_steps"]


@dataclass(frozen=True, slots=True)
class Step:
    """One line of an explanation.

    ``result`` is the derivative (or antiderivative) of ``expr``; steps of a rule's
    sub-problems follow it at ``depth + 1``.
    """

    depth: int
    rule: str
    expr: sp.Expr
    result: sp.Expr
    detail: str


# At most this many steps are shown; deeper levels are dropped first (each kept
# step's result is complete on its own, so nothing shown becomes wrong).
MAX_STEPS = 60
# At most this many nodes are explained rule by rule; further nodes get one step each,
# so a huge formula costs time proportional to its size, not to its size times its depth.
_MAX_NODES = 200
# Seconds the final check of an antiderivative may spend in ``simplify`` when the
# numeric check is inconclusive.
_CHECK_SECONDS = 3.0

SYMPY_RULE = "SymPy"
COLLAPSED_RULE = "by the rules above"

# ---------------------------------------------------------------------------
# Checking that two expressions are equal (cheap: structure, then numbers)
# ---------------------------------------------------------------------------

_POINTS = (0.5123, 1.3719, 2.2461, -0.7331, 3.1913)


def _numbers_agree(a: sp.Expr, b: sp.Expr) -> bool | None:
    """True / False when real sample points decide whether ``a == b``, None when none could.

    Values may be complex (log of a negative number): the derivative formulas hold
    for SymPy's principal branches too, so equal expressions agree there as well.
    """
    symbols = sorted((as_expr(a).free_symbols | as_expr(b).free_symbols), key=str)
    agreed = 0
    for i, p in enumerate(_POINTS):
        point = {s: sp.Float(p + 0.2371 * k * (i + 1)) for k, s in enumerate(symbols)}
        try:
            va = complex(sp.N(a.xreplace(point), 15))
            vb = complex(sp.N(b.xreplace(point), 15))
        except (TypeError, ValueError, ZeroDivisionError, OverflowError, AttributeError):
            continue
        if not (cmath.isfinite(va) and cmath.isfinite(vb)):
            continue
        if abs(va - vb) > 1e-8 * (1 + abs(va) + abs(vb)):
            return False
        agreed += 1
        if agreed == 3:
            return True
    return True if agreed >= 2 else None


def _equal(a: sp.Expr, b: sp.Expr) -> bool:
    """Cheap equality: structural, or at sample points; undecided counts as unequal."""
    if a == b or a - b == 0:
        return True
    return _numbers_agree(a, b) is True


def _true_derivative(e: sp.Expr, x: sp.Symbol) -> sp.Expr:
    """``d/dx e`` as calccli computes it (step functions settled), else plain ``sp.diff``."""
    try:
        return differentiate(e, x)
    except MathError:
        return sp.diff(e, x)


def _fresh_names(pool: Iterable[str], avoid: set[str]) -> Iterator[str]:
    """Names from ``pool``, then ``<first>1``, ``<first>2``, ..., skipping ``avoid``."""
    pool = list(pool)
    for name in pool:
        if name not in avoid:
            yield name
    i = 1
    while True:
        name = f"{pool[0]}{i}"
        if name not in avoid:
            yield name
        i += 1


def _d(e: sp.Expr, x: sp.Symbol) -> str:
    """``d/dx e``, with a sum in parentheses."""
    return f"d/d{x} ({e})" if e.is_Add else f"d/d{x} {e}"


def _integral(e: sp.Expr, dvar: str) -> str:
    """``∫ e dx``, with a sum in parentheses."""
    return f"∫ ({e}) {dvar}" if e.is_Add else f"∫ {e} {dvar}"


def _times(factor: sp.Expr, differential: str) -> str:
    """``factor*du/dx`` with the factor parenthesised when reading it otherwise is unclear."""
    if factor == 1:
        return differential
    if factor == -1:
        return f"-{differential}"
    text = str(factor)
    if factor.is_Add or "/" in text:
        text = f"({text})"
    return f"{text}*{differential}"


# ---------------------------------------------------------------------------
# Derivatives
# ---------------------------------------------------------------------------

_TABLE_RULES: tuple[tuple[tuple[type, ...], str], ...] = (
    ((sp.sin, sp.cos, sp.tan, sp.cot, sp.sec, sp.csc), "trig rule"),
    ((sp.sinh, sp.cosh, sp.tanh, sp.coth, sp.sech, sp.csch), "hyperbolic rule"),
    ((sp.asin, sp.acos, sp.atan, sp.acot, sp.asec, sp.acsc), "inverse trig rule"),
    ((sp.asinh, sp.acosh, sp.atanh, sp.acoth, sp.asech, sp.acsch), "inverse hyperbolic rule"),
    ((sp.exp,), "exponential rule"),
    ((sp.log,), "logarithm rule"),
    ((sp.Abs,), "absolute value rule"),
)


def _table_rule(e: sp.Expr) -> str | None:
    """The name of the table rule for a one-argument function SymPy and students both know."""
    if not isinstance(e, sp.Function) or len(e.args) != 1:
        return None
    for classes, name in _TABLE_RULES:
        if isinstance(e, classes):
            return name
    return None


@dataclass(frozen=True, slots=True)
class _Link:
    """One layer ``outer(inner)`` of a composition, with ``outer`` applied to a named variable."""

    node: sp.Expr  # the layer in terms of x
    inner: sp.Expr
    outer: Callable[[sp.Expr], sp.Expr]
    rule: str


class _WrongStep(Exception):
    """A step did not check out against ``sp.diff``: explain this node by SymPy instead."""


class _Differentiator:
    """Builds the steps of d/dx f; one instance per call of ``derivative_steps``."""

    def __init__(self, f: sp.Expr, x: sp.Symbol) -> None:
        self.x = x
        self.nodes = 0
        self._names: list[str] = []
        self._gen = iter(_fresh_names(("u", "v", "w"), {s.name for s in f.free_symbols} | {x.name}))

    def name(self, i: int) -> sp.Symbol:
        """The i-th intermediate variable (u, v, w, u1, ...): real, like calccli's variables."""
        while len(self._names) <= i:
            self._names.append(next(self._gen))
        return sp.Symbol(self._names[i], real=True)

    # -- one node ---------------------------------------------------------

    def node(self, e: sp.Expr, depth: int, first_name: int) -> tuple[sp.Expr, list[Step]]:
        """(d/dx e, its steps).  ``first_name`` is the first name this subtree may introduce,
        so a chain nested inside another never reuses its ancestors' u, v, w."""
        x = self.x
        if not e.has(x):
            return sp.S.Zero, [Step(depth, "constant rule", e, sp.S.Zero, f"{_d(e, x)} = 0: it does not depend on {x}")]
        if e == x:
            return sp.S.One, [Step(depth, "power rule", e, sp.S.One, f"{_d(x, x)} = 1")]
        truth = _true_derivative(e, x)
        self.nodes += 1
        if self.nodes > _MAX_NODES:
            return truth, [Step(depth, COLLAPSED_RULE, e, truth, f"{_d(e, x)} = {truth}")]
        try:
            built = self._build(e, depth, first_name)
            if built is not None and not _equal(built[0], truth):
                raise _WrongStep
        except _WrongStep:
            built = None
        if built is None:
            return truth, [Step(depth, SYMPY_RULE, e, truth, f"by SymPy's differentiation: {_d(e, x)} = {truth}")]
        return built

    def _build(self, e: sp.Expr, depth: int, first_name: int) -> tuple[sp.Expr, list[Step]] | None:
        x = self.x
        if e.is_Add:
            return self._sum(e, depth, first_name)
        if e.is_Mul:
            return self._mul(e, depth, first_name)
        if e.is_Pow:
            base, n = e.as_base_exp()
            if base.has(x) and n.has(x):
                # f**g with x in both: no power or exponential rule applies as it stands.
                rewritten = sp.exp(n * sp.log(base))
                d, sub = self.node(rewritten, depth + 1, first_name)
                step = Step(depth, "rewrite", e, d, f"{e} = {rewritten} (since a**b = exp(b*log(a)))")
                return d, [step, *sub]
            if base == x:
                d = n * x ** (n - 1)
                return d, [Step(depth, "power rule", e, d, f"{_d(x, x)}**n = n*{x}**(n - 1): {_d(e, x)} = {d}")]
            if n == x:
                d = e * sp.log(base)
                return d, [Step(depth, "exponential rule", e, d, f"d/d{x} a**{x} = a**{x}*log(a): {_d(e, x)} = {d}")]
            return self._chain(e, depth, first_name)
        rule = _table_rule(e)
        if rule is None:
            return None
        if e.args[0] == x:
            d = sp.diff(e, x)
            return d, [Step(depth, rule, e, d, f"{_d(e, x)} = {d}")]
        return self._chain(e, depth, first_name)

    # -- the rules --------------------------------------------------------

    def _sum(self, e: sp.Expr, depth: int, first_name: int) -> tuple[sp.Expr, list[Step]]:
        terms = e.as_ordered_terms()
        parts = [self.node(t, depth + 1, first_name) for t in terms]
        d = sp.Add(*(p[0] for p in parts))
        detail = f"(f + g)' = f' + g': differentiate the {len(terms)} terms separately and add"
        return d, [Step(depth, "sum rule", e, d, detail), *(s for p in parts for s in p[1])]

    def _mul(self, e: sp.Expr, depth: int, first_name: int) -> tuple[sp.Expr, list[Step]] | None:
        x = self.x
        c, rest = e.as_independent(x, as_Add=False)
        if c != 1:
            d_rest, sub = self.node(rest, depth + 1, first_name)
            d = c * d_rest
            return d, [Step(depth, "constant multiple rule", e, d, f"(c*f)' = c*f' with c = {c}, f = {rest}"), *sub]
        factors = e.as_ordered_factors()
        above = [f for f in factors if not (f.is_Pow and f.exp.is_number and f.exp.is_negative)]
        below = [f.base ** -f.exp for f in factors if f.is_Pow and f.exp.is_number and f.exp.is_negative]
        if below and above:
            u, v = sp.Mul(*above), sp.Mul(*below)
            du, sub_u = self.node(u, depth + 1, first_name)
            dv, sub_v = self.node(v, depth + 1, first_name)
            d = (du * v - u * dv) / v**2
            detail = f"u = {u}, v = {v}: (u/v)' = (u'*v - u*v')/v**2"
            return d, [Step(depth, "quotient rule", e, d, detail), *sub_u, *sub_v]
        if len(factors) < 2:
            return None
        u, v = factors[0], sp.Mul(*factors[1:])
        du, sub_u = self.node(u, depth + 1, first_name)
        dv, sub_v = self.node(v, depth + 1, first_name)
        d = du * v + u * dv
        detail = f"u = {u}, v = {v}: (u*v)' = u'*v + u*v'"
        return d, [Step(depth, "product rule", e, d, detail), *sub_u, *sub_v]

    def _link(self, e: sp.Expr) -> _Link | None:
        """``e`` as outer(inner) with inner not just x, if it is such a composition."""
        x = self.x
        if e.is_Pow:
            base, n = e.as_base_exp()
            if base.has(x) and not n.has(x) and base != x:
                return _Link(e, base, lambda a, n=n: a**n, "power rule")
            if n.has(x) and not base.has(x) and n != x:
                return _Link(e, n, lambda a, b=base: b**a, "exponential rule")
            return None
        rule = _table_rule(e)
        if rule is not None and e.args[0] != x:
            return _Link(e, e.args[0], e.func, rule)
        return None

    def _chain(self, e: sp.Expr, depth: int, first_name: int) -> tuple[sp.Expr, list[Step]] | None:
        """The chain rule over the whole composition at once, innermost layer named u."""
        x = self.x
        links: list[_Link] = []
        cur = e
        while (link := self._link(cur)) is not None:
            links.append(link)
            cur = link.inner
        if not links:
            return None
        # names: the innermost expression (cur) gets the first, each layer but the outermost the next
        names = [self.name(first_name + i) for i in range(len(links))]
        d_prev, sub = self.node(cur, depth + 1, first_name + len(links))
        lets = [f"{names[0]} = {cur}"]
        link_steps: list[Step] = []
        for i, link in enumerate(reversed(links)):
            var = names[i]
            outer = link.outer(var)
            factor = sp.diff(outer, var)
            if factor.has(sp.Derivative, sp.Subs):
                return None
            d = factor.xreplace({var: link.inner}) * d_prev
            said = f"{_d(outer, x)} = {_times(factor, f'd{var}/d{x}')}"
            if link is links[0]:
                detail = f"let {', '.join(lets)}; by the {link.rule} {said}"
                return d, [Step(depth, "chain rule", e, d, detail), *sub, *link_steps]
            if not _equal(d, _true_derivative(link.node, x)):
                raise _WrongStep
            new = names[i + 1]
            lets.append(f"{new} = {outer}")
            link_steps.append(Step(depth + 1, link.rule, link.node, d, f"{new} = {outer}: {said}"))
            d_prev = d
        raise AssertionError("unreachable: the outermost link returns")


def _limit(steps: Sequence[Step], budget: int) -> list[Step]:
    """The steps down to the deepest level that fits ``budget`` (the top level always fits)."""
    if len(steps) <= budget:
        return list(steps)
    depth = max(s.depth for s in steps)
    while depth > 0 and sum(s.depth <= depth for s in steps) > budget:
        depth -= 1
    return [s for s in steps if s.depth <= depth]


def derivative_steps(f: sp.Expr, x: sp.Symbol) -> tuple[Step, ...]:
    """The steps of d/dx f, each checked, ending with a "simplify" step at depth 0.

    >>> x = sp.Symbol("x", real=True)
    >>> [s.rule for s in derivative_steps(x * sp.exp(x), x)]
    ['product rule', 'power rule', 'exponential rule', 'simplify']
    """
    f = as_expr(f)
    raw, steps = _Differentiator(f, x).node(f, 0, 0)
    final = tidy(_true_derivative(f, x))
    if raw == final:
        detail = f"{_d(f, x)} = {final}"
    else:
        detail = f"collect and simplify: {raw} = {final}"
    return (*_limit(steps, MAX_STEPS - 1), Step(0, "simplify", f, final, detail))


# ---------------------------------------------------------------------------
# Integrals
# ---------------------------------------------------------------------------


class _NoSteps(Exception):
    """The integrator's tree has no complete explanation."""


def _resolve(rule: object) -> object:
    """A copy of the tree with each AlternativeRule replaced by its first complete alternative,
    so that every node's ``.eval`` method gives the antiderivative the shown path computes."""
    if isinstance(rule, mi.DontKnowRule):
        raise _NoSteps
    if isinstance(rule, mi.AlternativeRule):
        for alternative in rule.alternatives:
            if not alternative.contains_dont_know():
                return _resolve(alternative)
        raise _NoSteps
    if not isinstance(rule, mi.Rule):
        return rule
    changes: dict[str, object] = {}
    for field in dataclasses.fields(rule):
        value = getattr(rule, field.name)
        if isinstance(value, mi.Rule):
            changes[field.name] = _resolve(value)
        elif isinstance(value, list | tuple):  # AddRule.substeps, CyclicPartsRule.parts_rules, PiecewiseRule.subfunctions
            changes[field.name] = [_resolve_item(v) for v in value]
    return dataclasses.replace(rule, **changes) if changes else rule


def _resolve_item(item: object) -> object:
    """An element of a rule's list field: a rule, or a (rule, condition) pair of a PiecewiseRule."""
    if isinstance(item, tuple):
        return tuple(_resolve(v) for v in item)
    return _resolve(item)


_TABLE_INTEGRALS: tuple[tuple[type, str], ...] = (
    (mi.TrigRule, "trig rule"),
    (mi.HyperbolicRule, "hyperbolic rule"),
    (mi.ExpRule, "exponential rule"),
    (mi.ReciprocalRule, "reciprocal rule"),
    (mi.ArctanRule, "arctan rule"),
    (mi.ArcsinRule, "arcsin rule"),
    (mi.ArcsinhRule, "arcsinh rule"),
)


class _Explainer:
    """Turns a resolved manualintegrate tree into Steps, naming its dummy variables."""

    def __init__(self, f: sp.Expr, x: sp.Symbol) -> None:
        self.avoid = {s.name for s in f.free_symbols} | {x.name}

    def _fresh(self, pool: tuple[str, ...], taken: set[str]) -> sp.Symbol:
        return sp.Symbol(next(iter(_fresh_names(pool, self.avoid | taken))))

    def walk(self, rule: mi.Rule, depth: int, names: dict[sp.Symbol, sp.Symbol]) -> list[Step]:
        """Steps for ``rule`` and its sub-integrals; ``names`` renames the dummies of enclosing substitutions."""

        def show(e: sp.Expr) -> sp.Expr:
            return as_expr(e).xreplace(names)

        var = show(rule.variable)
        integrand = rule.integrand
        if isinstance(rule, mi.URule) and integrand.has(rule.u_var):
            # quadratic_denom_rule records the integrand after substitution; undo it: f(u(x))*u'(x)
            integrand = integrand.xreplace({rule.u_var: rule.u_func}) * sp.diff(rule.u_func, rule.variable)
        expr, result = show(integrand), show(rule.eval())
        dvar = f"d{var}"

        def step(name: str, detail: str) -> Step:
            return Step(depth, name, expr, result, detail)

        def sub(r: mi.Rule, more: dict[sp.Symbol, sp.Symbol] | None = None) -> list[Step]:
            return self.walk(r, depth + 1, {**names, **(more or {})})

        taken = {s.name for s in names.values()}
        if isinstance(rule, mi.ConstantRule):
            return [step("constant rule", f"{_integral(expr, dvar)} = {result}")]
        if isinstance(rule, mi.ConstantTimesRule):
            c = show(rule.constant)
            detail = f"pull out the constant {c}: {_integral(expr, dvar)} = {_times(c, _integral(show(rule.other), dvar))}"
            return [step("constant multiple rule", detail), *sub(rule.substep)]
        if isinstance(rule, mi.PowerRule | mi.NestedPowRule):
            detail = f"∫ {var}**n {dvar} = {var}**(n + 1)/(n + 1) for n != -1: {_integral(expr, dvar)} = {result}"
            return [step("power rule", detail)]
        if isinstance(rule, mi.AddRule):
            detail = f"integrate the {len(rule.substeps)} terms separately: ∫ (f + g) {dvar} = ∫ f {dvar} + ∫ g {dvar}"
            return [step("sum rule", detail), *(s for r in rule.substeps for s in sub(r))]
        if isinstance(rule, mi.URule):
            u = self._fresh(("u", "w", "t"), taken)
            func = show(rule.u_func)
            du = sp.diff(func, var)
            inner = _generic_case(rule.substep).integrand.xreplace({**names, rule.u_var: u})
            detail = f"{u} = {func}, d{u} = {du} {dvar}, so {_integral(expr, dvar)} = {_integral(inner, f'd{u}')}"
            return [step("substitution", detail), *sub(rule.substep, {rule.u_var: u})]
        if isinstance(rule, mi.PartsRule):
            u, dv, v = show(rule.u), show(rule.dv), show(rule.v_step.eval())
            assert rule.second_step is not None
            du = sp.diff(u, var)
            # the textbook letters u and v, unless a substitution already named the variable u
            clash = {s.name for s in (expr.free_symbols | {var})}
            p, q = next((p, q) for p, q in (("u", "v"), ("p", "q"), ("f", "g"), ("u1", "v1")) if not {p, q} & clash)
            detail = (f"{p} = {u}, d{q} = {dv} {dvar}, so d{p} = {du} {dvar} and {q} = {v}; "
                      f"∫ {p} d{q} = {p}*{q} - ∫ {q} d{p} = {u * v} - {_integral(show(rule.second_step.integrand), dvar)}")
            return [step("integration by parts", detail), *sub(rule.v_step), *sub(rule.second_step)]
        if isinstance(rule, mi.CyclicPartsRule):
            parts = "; then ".join(f"u = {show(p.u)}, dv = {show(p.dv)} {dvar}" for p in rule.parts_rules)
            detail = (f"by parts {len(rule.parts_rules)} times ({parts}): the integral I comes back as "
                      f"{show(rule.coefficient)}*I, so solve for I = {result}")
            return [step("integration by parts", detail), *(s for p in rule.parts_rules for s in sub(p.v_step))]
        if isinstance(rule, mi.CompleteSquareRule):
            return [step("complete the square", f"{expr} = {show(rule.rewritten)}"), *sub(rule.substep)]
        if isinstance(rule, mi.RewriteRule):
            rewritten = show(rule.rewritten)
            if _is_partial_fractions(rule):
                detail = f"decompose into partial fractions: {expr} = {rewritten}"
                return [step("partial fractions", detail), *sub(rule.substep)]
            return [step("rewrite", f"rewrite {expr} as {rewritten}"), *sub(rule.substep)]
        if isinstance(rule, mi.TrigSubstitutionRule):
            theta = self._fresh(("theta", "phi"), taken)
            more = {rule.theta: theta}
            func = as_expr(rule.func).xreplace({**names, **more})
            rewritten = as_expr(rule.rewritten).xreplace({**names, **more})
            detail = f"{var} = {func}, so {_integral(expr, dvar)} = {_integral(rewritten, f'd{theta}')}; then back to {var}"
            return [step("trig substitution", detail), *sub(rule.substep, more)]
        if isinstance(rule, mi.PiecewiseRule):
            cases = "; ".join(
                f"{'otherwise' if c == sp.true else f'if {show(c)}'}: {_integral(show(r.integrand), f'd{show(r.variable)}')}"
                for r, c in rule.subfunctions
            )
            return [step("cases", f"case by case: {cases}"), *(s for r, _ in rule.subfunctions for s in sub(r))]
        if isinstance(rule, mi.HeavisideRule):
            detail = f"∫ Heaviside({show(rule.harg)})*g {dvar} = Heaviside({show(rule.harg)})*(G - G({show(rule.ibnd)}))"
            return [step("Heaviside rule", detail), *sub(rule.substep)]
        for cls, name in _TABLE_INTEGRALS:
            if isinstance(rule, cls):
                return [step(name, f"{_integral(expr, dvar)} = {result}")]
        if isinstance(rule, mi.AtomicRule):
            return [step("table", f"{_integral(expr, dvar)} = {result}")]
        raise _NoSteps  # a composite rule this module does not know how to explain


def _generic_case(rule: mi.Rule) -> mi.Rule:
    """The general case of a substitution's sub-integral: SymPy wraps it in a PiecewiseRule when
    the constant it pulled out (1/y in ∫ exp(x*y) dx) could be zero."""
    if isinstance(rule, mi.PiecewiseRule):
        for sub, cond in rule.subfunctions:
            if cond == sp.true:
                return sub
    return rule


def _is_partial_fractions(rule: mi.RewriteRule) -> bool:
    """Whether a RewriteRule is SymPy's partial-fractions rewrite (``apart``), not cancel or expand.

    The tree holds apart's result in a form of its own (a common factor pulled out), so the
    comparison is of expanded forms: a sum of at least two terms with x in a denominator.
    """
    integrand, x = rule.integrand, rule.variable
    if not integrand.is_rational_function(x):
        return False
    try:
        terms = sp.Add.make_args(sp.expand(rule.rewritten))
        return (len(terms) > 1 and any(sp.denom(t).has(x) for t in terms)
                and sp.expand(rule.rewritten - integrand.apart(x)) == 0)
    except (sp.PolynomialError, NotImplementedError):
        return False


def _generic_first(result: sp.Expr) -> sp.Expr:
    """Like ``manualintegrate``: a two-case Piecewise (special, True) reads better generic case first."""
    if isinstance(result, sp.Piecewise) and len(result.args) == 2:
        (special, cond), (generic, otherwise) = result.args
        if isinstance(cond, sp.Eq) and otherwise == sp.true:
            return sp.Piecewise((generic, sp.Ne(*cond.args)), (special, True))
    return result


def _differentiates_back(antiderivative: sp.Expr, f: sp.Expr, x: sp.Symbol) -> bool:
    """d/dx antiderivative == f: at sample points, else by a time-bounded simplify."""
    d = sp.diff(antiderivative, x)
    verdict = _numbers_agree(d, f)
    if verdict is not None:
        return verdict
    try:
        with soft_deadline(_CHECK_SECONDS):
            return sp.simplify(d - f) == 0
    except (DeadlineExceeded, RecursionError, ValueError, TypeError, NotImplementedError):
        return False


def integral_steps(f: sp.Expr, x: sp.Symbol) -> tuple[Step, ...] | None:
    """The steps of ∫ f dx from SymPy's step-based integrator, ending with a "result" step;
    None when it has no complete step tree or its answer does not differentiate back to f.

    A caller's ``soft_deadline`` (``DeadlineExceeded``) propagates; any other failure means no steps.

    >>> x = sp.Symbol("x", real=True)
    >>> [s.rule for s in integral_steps(x * sp.cos(x), x)]
    ['integration by parts', 'trig rule', 'trig rule', 'result']
    """
    f = as_expr(f)
    try:
        try:
            tree = mi.integral_steps(f, x)
        finally:
            # manualintegrate() clears these after each call; a raise mid-way would leave stale entries
            mi._parts_u_cache.clear()
            mi._integral_cache.clear()
        root = _resolve(tree)
        assert isinstance(root, mi.Rule)
        steps = _Explainer(f, x).walk(root, 0, {})
        antiderivative = _generic_first(root.eval())
        if antiderivative.has(sp.Integral):
            return None
        antiderivative = tidy(antiderivative)
        if not _differentiates_back(antiderivative, f, x):
            return None
    except DeadlineExceeded:
        raise
    except Exception:  # _NoSteps, or anything the integrator raises: then there are no steps
        return None
    last = Step(0, "result", f, antiderivative, f"{_integral(f, f'd{x}')} = {antiderivative} + C (its derivative is {f})")
    return (*_limit(steps, MAX_STEPS - 1), last)
