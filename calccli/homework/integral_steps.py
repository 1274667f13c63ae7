"""Step-by-step antiderivatives: SymPy's step-based integrator explained, never steps invented.

``integral_steps`` explains the rule tree of SymPy's step-based integrator
(``sympy.integrals.manualintegrate``).  It never invents steps: if that tree
has no complete path (a ``DontKnowRule``), or its antiderivative does not
differentiate back to the integrand (the
:data:`~calccli.homework.equivalence.WORKED_INTEGRAL` policy), there are no steps
(``None``) and the caller says the answer came from a method without steps.
"""

from __future__ import annotations

import dataclasses

import sympy as sp
from sympy.integrals import manualintegrate as mi

from calccli.calculus.common import as_expr, tidy
from calccli.homework import equivalence
from calccli.homework.steps import MAX_STEPS, Step, fresh_names, times, trim
from calccli.process.budget import Budget, DeadlineExceeded
from calccli.results import WorkedStep

__all__ = ["integral_steps", "iterated_steps"]


def _integral(e: sp.Expr, dvar: str) -> str:
    """``∫ e dx``, with a sum in parentheses."""
    return f"∫ ({e}) {dvar}" if e.is_Add else f"∫ {e} {dvar}"


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
        elif isinstance(
            value, list | tuple
        ):  # AddRule.substeps, CyclicPartsRule.parts_rules, PiecewiseRule.subfunctions
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
        return sp.Symbol(next(iter(fresh_names(pool, self.avoid | taken))))

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
            detail = (
                f"pull out the constant {c}: {_integral(expr, dvar)} = {times(c, _integral(show(rule.other), dvar))}"
            )
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
            detail = (
                f"{p} = {u}, d{q} = {dv} {dvar}, so d{p} = {du} {dvar} and {q} = {v}; "
                f"∫ {p} d{q} = {p}*{q} - ∫ {q} d{p} = {u * v} - {_integral(show(rule.second_step.integrand), dvar)}"
            )
            return [step("integration by parts", detail), *sub(rule.v_step), *sub(rule.second_step)]
        if isinstance(rule, mi.CyclicPartsRule):
            parts = "; then ".join(f"u = {show(p.u)}, dv = {show(p.dv)} {dvar}" for p in rule.parts_rules)
            detail = (
                f"by parts {len(rule.parts_rules)} times ({parts}): the integral I comes back as "
                f"{show(rule.coefficient)}*I, so solve for I = {result}"
            )
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
            detail = (
                f"{var} = {func}, so {_integral(expr, dvar)} = {_integral(rewritten, f'd{theta}')}; then back to {var}"
            )
            return [step("trig substitution", detail), *sub(rule.substep, more)]
        if isinstance(rule, mi.PiecewiseRule):
            cases = "; ".join(
                f"{'otherwise' if c == sp.true else f'if {show(c)}'}: {_integral(show(r.integrand), f'd{show(r.variable)}')}"
                for r, c in rule.subfunctions
            )
            return [step("cases", f"case by case: {cases}"), *(s for r, _ in rule.subfunctions for s in sub(r))]
        if isinstance(rule, mi.HeavisideRule):
            detail = (
                f"∫ Heaviside({show(rule.harg)})*g {dvar} = Heaviside({show(rule.harg)})*(G - G({show(rule.ibnd)}))"
            )
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
        return (
            len(terms) > 1
            and any(sp.denom(t).has(x) for t in terms)
            and sp.expand(rule.rewritten - integrand.apart(x)) == 0
        )
    except (sp.PolynomialError, NotImplementedError):
        return False


def _generic_first(result: sp.Expr) -> sp.Expr:
    """Like ``manualintegrate``: a two-case Piecewise (special, True) reads better generic case first."""
    if isinstance(result, sp.Piecewise) and len(result.args) == 2:
        (special, cond), (generic, otherwise) = result.args
        if isinstance(cond, sp.Eq) and otherwise == sp.true:
            return sp.Piecewise((generic, sp.Ne(*cond.args)), (special, True))
    return result


def _differentiates_back(antiderivative: sp.Expr, f: sp.Expr, x: sp.Symbol, budget: Budget | None) -> bool:
    """d/dx antiderivative == f: at sample points, else by a time-bounded simplify (WORKED_INTEGRAL)."""
    d = sp.diff(antiderivative, x)
    return equivalence.compare(d, f, (), equivalence.WORKED_INTEGRAL, budget).equal


def integral_steps(f: sp.Expr, x: sp.Symbol, budget: Budget | None = None) -> tuple[Step, ...] | None:
    """The steps of ∫ f dx from SymPy's step-based integrator, ending with a "result" step;
    None when it has no complete step tree or its answer does not differentiate back to f.

    A caller's ``soft_deadline`` (``DeadlineExceeded``) propagates; any other failure means no steps.
    ``budget`` is the computation's, for simplifying the antiderivative (None: no cap).

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
        antiderivative = tidy(antiderivative, budget)
        if not _differentiates_back(antiderivative, f, x, budget):
            return None
    except DeadlineExceeded:
        raise
    except Exception:  # _NoSteps, or anything the integrator raises: then there are no steps
        return None
    last = Step(
        0, "result", f, antiderivative, f"{_integral(f, f'd{x}')} = {antiderivative} + C (its derivative is {f})"
    )
    return (*trim(steps, MAX_STEPS - 1), last)


def _at(F: sp.Expr, x: sp.Symbol, at: sp.Expr, side: str) -> sp.Expr:
    """F at a limit of integration: substituted, or the one-sided limit at an infinite or singular end."""
    if at.is_finite is not False:
        v = F.subs(x, at)
        if not v.has(sp.oo, -sp.oo, sp.zoo, sp.nan):
            return v
    return sp.limit(F, x, at, side)


def iterated_steps(
    f: sp.Expr, bounds: tuple[tuple[sp.Symbol, sp.Expr, sp.Expr], ...], value: sp.Expr, budget: Budget | None = None
) -> tuple[WorkedStep, ...] | None:
    """A multiple integral as iterated integrals, innermost first: each stage's antiderivative (with the
    integrator's steps), its bounds substituted, and the value that becomes the next stage's integrand.

    None when a stage has no complete steps (then nothing is invented), when a limit is unsettled,
    or when the stages do not end at ``value``.

    >>> x, y = sp.symbols("x y", real=True)
    >>> steps = iterated_steps(x + y, ((x, sp.S(0), sp.S(1)), (y, sp.S(0), sp.S(1))), sp.S(1))
    >>> [(s.depth, s.rule) for s in steps if s.depth == 0]
    [(0, 'inner integral (in x)'), (0, 'outer integral (in y)')]
    >>> print(steps[-1].detail)
    F(1) - F(0) = 1 - 0 = 1
    """
    out: list[WorkedStep] = []
    g = as_expr(f)
    n = len(bounds)
    for i, (v, a, b) in enumerate(bounds):
        stage = "inner" if i == 0 else "outer" if i == n - 1 else "middle"
        others = sorted((w.name for w in g.free_symbols - {v}), key=str)
        held = f", holding {', '.join(others)} constant" if others else ""
        out.append(
            WorkedStep(
                0,
                f"{stage} integral (in {v.name})",
                None,
                None,
                f"{_integral(g, f'd{v}')} from {v} = {a} to {b}{held}",
                "words",
            )
        )
        found = integral_steps(g, v, budget)
        if found is None:
            return None
        out += [WorkedStep(s.depth + 1, s.rule, s.expr, s.result, s.detail, "int", v) for s in found]
        F = found[-1].result
        try:
            upper, lower = _at(F, v, b, "-"), _at(F, v, a, "+")
        except (NotImplementedError, ValueError, TypeError):
            return None
        if any(e.has(sp.oo, -sp.oo, sp.zoo, sp.nan, sp.Limit) for e in (upper, lower)):
            return None
        g = tidy(sp.expand(upper - lower), budget)
        low = f"({lower})" if lower.is_Add or lower.could_extract_minus_sign() else f"{lower}"
        out.append(
            WorkedStep(1, "substitute the bounds", None, None, f"F({b}) - F({a}) = {upper} - {low} = {g}", "words")
        )
    if not equivalence.compare(g, value, tuple(value.free_symbols), equivalence.WORKED_INTEGRAL, budget).equal:
        return None
    return tuple(out)
