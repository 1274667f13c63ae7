"""Antiderivatives: real mathematics checked by differentiation, the verifier, and bounded attempts."""

from __future__ import annotations

import os
import time

import pytest
import sympy as sp

from calccli.integration.indefinite import indefinite
from calccli.integration.methods import METHODS
from calccli.integration.portfolio import Found, attempt, find, polish
from calccli.integration.verify import verify
from calccli.process import race as attempts
from calccli.process.budget import Budget

x = sp.Symbol("x", real=True)
a = sp.Symbol("a", real=True)


def derivative_matches(F: sp.Expr, f: sp.Expr) -> bool:
    """F' = f: symbolically, or (for forms simplify cannot close) at a few exact points."""
    d = sp.diff(F, x) - f
    if sp.simplify(d) == 0:
        return True
    return all(
        abs(complex(d.evalf(30, subs={x: p, a: sp.Rational(13, 10)}))) < 1e-20
        for p in (sp.Rational(-7, 3), sp.Rational(1, 3), 2)
    )


# Textbook integrals with their expected antiderivatives (up to a constant).
TEXTBOOK = [
    (x * sp.exp(x), (x - 1) * sp.exp(x)),
    (1 / (x**3 + 1), sp.log(x + 1) / 3 - sp.log(x**2 - x + 1) / 6 + sp.atan((2 * x - 1) / sp.sqrt(3)) / sp.sqrt(3)),
    (x * sp.cos(x), x * sp.sin(x) + sp.cos(x)),
    (sp.sec(x) ** 3, (sp.sec(x) * sp.tan(x) + sp.log(sp.sec(x) + sp.tan(x))) / 2),
    (sp.sqrt(1 - x**2), (x * sp.sqrt(1 - x**2) + sp.asin(x)) / 2),
    (x**2 * sp.log(x), x**3 * sp.log(x) / 3 - x**3 / 9),
    (sp.exp(x) * sp.sin(x), sp.exp(x) * (sp.sin(x) - sp.cos(x)) / 2),
    (1 / (x**2 + 4 * x + 13), sp.atan((x + 2) / 3) / 3),
    (sp.tan(x), -sp.log(sp.cos(x))),
    (sp.atan(x), x * sp.atan(x) - sp.log(1 + x**2) / 2),
    (1 / sp.sqrt(x**2 + 1), sp.asinh(x)),
    (sp.sin(x) ** 2 * sp.cos(x) ** 3, sp.sin(x) ** 3 / 3 - sp.sin(x) ** 5 / 5),
    (1 / (2 + sp.cos(x)), None),
    (1 / (x ** sp.Rational(2, 3) + 1), 3 * x ** sp.Rational(1, 3) - 3 * sp.atan(x ** sp.Rational(1, 3))),
    (sp.exp(a * x), None),  # a parameter: Piecewise in a
    (1 / (x**2 + a**2), sp.atan(x / a) / a),
]


@pytest.mark.parametrize("f, expected", TEXTBOOK, ids=[str(f) for f, _ in TEXTBOOK])
def test_textbook_integrals_are_found_and_right(f, expected):
    """Speed is measured in bench/ (make bench-integrate), not asserted here: a shared machine may be slow."""
    found = find(f, x, seconds=10)
    assert found.verified and found.antiderivative is not None, found.tried
    F = found.antiderivative
    assert not F.has(sp.Integral)
    assert derivative_matches(F, f)
    if expected is not None:  # the textbook answer, up to a (piecewise) constant
        assert derivative_matches(expected, f)
    if not f.has(sp.I):
        assert not F.has(sp.I), "a real integrand deserves a real form"


def test_sympy_wrong_answer_is_neither_returned_nor_verified():
    f = x**8 / (x**8 + 3 * x**4 + 1)
    assert sp.integrate(f, x) == x or True  # SymPy 1.14 answers x here, which is wrong
    assert not verify(x, f, x)
    found = find(f, x, seconds=15)
    assert found.antiderivative != x
    if found.verified:
        assert derivative_matches(found.antiderivative, f)


def test_find_returns_within_its_budget_on_a_hard_integrand():
    f = sp.sqrt(1 + sp.sqrt(x) + sp.sin(x) ** sp.Rational(1, 3)) / (1 + x**4) ** sp.Rational(1, 5)
    start = time.monotonic()
    found = find(f, x, seconds=2.0)
    assert time.monotonic() - start < 2.5
    assert isinstance(found, Found)
    if found.antiderivative is not None:
        assert found.verified


def test_constant_integrand():
    assert find(a + 1, x, seconds=1).antiderivative == (a + 1) * x


def test_indefinite_searches_within_the_computation_budget():
    result = indefinite(x * sp.exp(x), x, Budget(10.0, simplify_seconds=1.0))
    assert result.verified
    assert sp.simplify(result.antiderivative - (x - 1) * sp.exp(x)) == 0


def test_polish_simplifies_only_while_the_budget_allows():
    F, f = x * (sp.sin(x) ** 2 + sp.cos(x) ** 2), sp.S.One
    assert polish(F, f, x) == x
    assert polish(F, f, x, budget=Budget(10.0, simplify_seconds=0.0)) == F


def test_verify_accepts_right_and_rejects_wrong_answers():
    assert verify(x**3 / 3, x**2, x)
    assert verify(-sp.cos(x) + 7, sp.sin(x), x)
    assert not verify(x**3, x**2, x)
    assert not verify(sp.Integral(sp.exp(x**3), x), sp.exp(x**3), x)
    assert not verify(sp.nan * x, x, x)


def test_verify_rejects_an_answer_valid_only_for_positive_x():
    f = sp.sqrt(x**2)  # |x| for real x
    assert not verify(x**2 / 2, f, x)  # right only for x > 0
    assert verify(x * sp.Abs(x) / 2, f, x)
    g = sp.sqrt(x**2 + x**4)  # |x| sqrt(1 + x^2)
    assert not verify((1 + x**2) ** sp.Rational(3, 2) / 3, g, x)


def test_verify_with_complex_integrands_and_parameters():
    f = sp.exp(sp.I * sp.atan(x) / 3)
    F = find(f, x, seconds=10)
    if F.antiderivative is not None:
        assert verify(F.antiderivative, f, x)
    assert verify(sp.exp(a * x) / a, sp.exp(a * x), x)
    assert not verify(sp.exp(a * x), sp.exp(a * x), x)


def _runaway(pid_file: str) -> None:
    with open(pid_file, "w") as out:
        out.write(str(os.getpid()))
    while True:
        pass


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_bounded_kills_a_runaway_child(tmp_path):
    pid_file = str(tmp_path / "pid")
    start = time.monotonic()
    assert attempts.bounded(lambda: _runaway(pid_file), 0.5) is None
    assert time.monotonic() - start < 1.5
    assert _gone(int(open(pid_file).read()))


def test_bounded_reports_exceptions_and_crashes_as_none():
    assert attempts.bounded(lambda: sp.Integer(6) * 7, 5) == 42
    assert attempts.bounded(lambda: 1 / 0, 5) is None
    assert attempts.bounded(lambda: os._exit(3), 5) is None


def test_race_yields_as_results_arrive_and_kills_the_rest_on_close(tmp_path):
    pid_file = str(tmp_path / "pid")
    tasks = [
        ("slow", lambda: _runaway(pid_file), 30.0),
        ("fast", lambda: "done"),
        ("never started", lambda: "late"),
    ]
    start = time.monotonic()
    with attempts.race(tasks, 30, parallel=2) as r:
        first = next(iter(r))
        while not os.path.exists(pid_file) or not open(pid_file).read():
            time.sleep(0.01)  # the slow one is running
    assert (first.name, first.result, first.status) == ("fast", "done", attempts.OK)
    assert time.monotonic() - start < 2
    pid = int(open(pid_file).read())
    deadline = time.monotonic() + 2
    while not _gone(pid) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert _gone(pid)


def test_race_per_task_and_overall_limits():
    tasks = [("a", lambda: time.sleep(5), 0.3), ("b", lambda: time.sleep(5))]
    start = time.monotonic()
    with attempts.race(tasks, 0.8) as r:
        statuses = {f.name: f.status for f in r}
    assert statuses == {"a": attempts.TIMED_OUT, "b": attempts.TIMED_OUT}
    assert time.monotonic() - start < 1.5


W, Si, Ci = sp.LambertW(x), sp.Si, sp.Ci
half = sp.Rational(1, 2)


@pytest.mark.parametrize(
    "name, f, expected",
    [
        # Euler substitutions: √Q + √a·x, and √Q/(x − α) for Q with real roots
        ("Euler substitution", sp.sqrt(1 - x**2) / (1 - x) ** 3, (x + 1) ** 3 / (3 * (1 - x**2) ** sp.Rational(3, 2))),
        (
            "Euler substitution",
            (3 * x - 4 * x**2) ** -sp.Rational(3, 2),
            2 * (8 * x - 3) / (9 * sp.sqrt(3 * x - 4 * x**2)),
        ),
        ("Euler substitution", 1 / ((1 + x**2) * sp.sqrt(x**2 + 2)), sp.atan(x / sp.sqrt(x**2 + 2))),
        (
            "Euler substitution",
            (sp.sqrt(1 - x) + sp.sqrt(1 + x)) ** 2 / x,
            2 * sp.sqrt(1 - x**2) + 2 * sp.log(x) - 2 * sp.atanh(sp.sqrt(1 - x**2)),
        ),
        # t = tan x, with half-integer powers of tan written back as sin and cos
        (
            "tan substitution",
            sp.sin(x) ** sp.Rational(3, 2) / sp.cos(x) ** sp.Rational(7, 2),
            2 * sp.sin(x) ** sp.Rational(5, 2) / (5 * sp.cos(x) ** sp.Rational(5, 2)),
        ),
        ("tan substitution", 1 / sp.sqrt(sp.sec(x) ** 2 + 1), sp.atan(sp.tan(x) / sp.sqrt(sp.tan(x) ** 2 + 2))),
        ("tan substitution", (sp.sec(x) ** 2) ** sp.Rational(5, 2), None),
        # |g| = g·s with s = ±1 between the zeros of g
        ("sign factor", x * sp.Abs(sp.sin(x)), (sp.sin(x) - x * sp.cos(x)) * sp.Abs(sp.sin(x)) / sp.sin(x)),
        ("sign factor", (sp.csc(x) ** 2) ** sp.Rational(5, 2), None),
        # x = w·e^w
        ("LambertW substitution", x**2 / W, x**3 / (3 * W) + x**3 / (9 * W**2) - x**3 / (27 * W**3)),
        # special functions: a table, and by parts
        (
            "special functions by parts",
            x * sp.zeta(2, 2 * x + 1),
            x * sp.polygamma(0, 2 * x + 1) / 2 - sp.loggamma(2 * x + 1) / 4,
        ),
        (
            "special functions by parts",
            (x + 2) ** 2 * sp.expint(3, 2 * x + 2),
            -((x + 2) ** 2) * sp.expint(4, 2 * x + 2) / 2
            - (x + 2) * sp.expint(5, 2 * x + 2) / 2
            - sp.expint(6, 2 * x + 2) / 4,
        ),
        (
            "special functions by parts",
            sp.cos(5 * x) * Si(2 * x),
            sp.sin(5 * x) * Si(2 * x) / 5 - Ci(3 * x) / 10 + Ci(7 * x) / 10,
        ),
        ("special functions by parts", sp.cosh(5 * x) * sp.Shi(2 * x), None),
        ("special functions by parts", x**5 * sp.exp(-9 * x**2) * sp.erf(3 * x), None),
    ],
)
def test_special_purpose_methods(name, f, expected):
    """Each method's own answer differentiates back (checked here independently of ``verify``),
    and differs from the published antiderivative by a constant on an interval of validity."""
    F, outcome = attempts.bounded(lambda: attempt(METHODS[name], f, x), 20)
    assert outcome == "verified" and F is not None
    assert derivative_matches(F, f)
    if expected is not None:
        p, q = sp.Rational(3, 10), sp.Rational(7, 10)  # both in (0, 1), where every form above is real
        gap = (F - expected).subs(x, p) - (F - expected).subs(x, q)
        assert abs(complex(gap.evalf(30))) < 1e-20


@pytest.mark.parametrize(
    "f",
    [
        1 / (sp.sqrt(1 + sp.cos(x / 4) ** 2) * sp.cos(x / 4)),
        sp.sin(x / 4) ** 3 / sp.cos(x / 4) ** 2,
    ],
)
def test_tan_substitution_is_checked_where_cos_is_negative(f):
    """t = tan(x/4) takes cos(x/4) > 0, true at every point ``verify`` samples (|x| < 6):
    the answer must also hold at x = 10, where cos(10/4) < 0, or not be given."""
    F, outcome = attempts.bounded(lambda: attempt(METHODS["tan substitution"], f, x), 30) or (None, "timed out")
    if F is not None:
        d = (sp.diff(F, x) - f).subs(x, 10)
        assert abs(complex(d.evalf(30))) < 1e-20


@pytest.mark.parametrize(
    "name, f",
    [
        ("substitution", 1 / (x * sp.sqrt(1 - sp.log(x) ** 2))),  # t = log x, then asin
        ("substitution", sp.sin(3 * x + 7) / sp.sqrt(sp.sin(3 * x + 7) ** 2 + 3)),  # t = cos(3x + 7)
        ("log times rational", sp.log(x) / (1 - x**2)),  # dilogarithms
        ("log times rational", sp.atan(x + 1) / (2 * x + 2)),
    ],
)
def test_general_methods_answer_and_verify(name, f):
    F, outcome = attempts.bounded(lambda: attempt(METHODS[name], f, x), 20)
    assert outcome == "verified" and F is not None
    assert verify(F, f, x)
