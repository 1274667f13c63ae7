"""``calccli integrate``: antiderivatives, definite, improper and multiple integrals, coordinates.

Expected values are exact textbook results; numeric-only answers are compared with an
independent mpmath quadrature written here.  Antiderivatives are checked the only way
that does not depend on the constant: by differentiating them back.
"""

from __future__ import annotations

import math

import mpmath
import pytest
import sympy as sp

pytestmark = pytest.mark.slow  # searches and solvers: seconds per test

x, y, a = sp.symbols("x y a", real=True)
_LOCALS = {"x": x, "y": y, "a": a}


def S(text: str) -> sp.Expr:
    """An expression of calccli's JSON output (or of a test), read back by calccli's own reader."""
    from calccli.formula import grammar

    return grammar.formula(text.replace("**", "^")).expr


def ok(calc, *args: str) -> dict:
    run = calc("integrate", *args, "--json")
    assert run.exit_code == 0, run.stderr
    return run.json()


def differentiates_back(antiderivative: str, integrand: sp.Expr) -> bool:
    d = sp.diff(S(antiderivative), x) - integrand
    if sp.simplify(d) == 0:
        return True
    points = [sp.Rational(n, 10) for n in (-27, -6, 35, 14, 33)]
    return all(abs(complex(d.subs(x, p).evalf(30))) < 1e-20 for p in points)


@pytest.mark.parametrize(
    "formula, integrand",
    [
        ("x e^x", x * sp.exp(x)),
        ("x cos(x)", x * sp.cos(x)),
        ("1/(x^3+1)", 1 / (x**3 + 1)),
        ("x^2 ln(x)", x**2 * sp.log(x)),
        ("e^x sin(x)", sp.exp(x) * sp.sin(x)),
        ("1/(x^2+4x+13)", 1 / (x**2 + 4 * x + 13)),
        ("sqrt(1-x^2)", sp.sqrt(1 - x**2)),
        ("exp(-x^2)", sp.exp(-(x**2))),
    ],
)
def test_antiderivatives_differentiate_back_and_say_so(calc, formula, integrand):
    r = ok(calc, formula)
    assert r["schema"] == "calccli.antiderivative/1"
    res = r["result"]
    assert res["verified"] is True and res["variable"] == "x" and res["constant"] == "C"
    assert differentiates_back(res["antiderivative"], integrand)


def test_x_e_x_is_x_minus_one_times_e_x(calc):
    F = S(ok(calc, "x e^x")["result"]["antiderivative"])
    assert sp.simplify(F - (x - 1) * sp.exp(x)).is_constant()


def test_other_letters_are_constants_with_wrt(calc):
    F = ok(calc, "x y", "--wrt", "y")["result"]["antiderivative"]
    assert sp.expand(S(F) - x * y**2 / 2) == 0


def test_human_formats_show_the_constant(calc):
    out = calc("integrate", "x e^x", "-f", "text")
    assert out.exit_code == 0 and out.stdout.rstrip().endswith("+ C")
    tex = calc("integrate", "x e^x", "-f", "latex").stdout
    assert "+ C" in tex and r"\int" in tex


def test_no_elementary_antiderivative_is_an_error_not_a_guess(calc):
    r = calc("integrate", "x^x")
    assert r.exit_code == 1 and "antiderivative" in r.stderr and r.stdout == ""


# ---------------------------------------------------------------- definite and improper


def definite(calc, *args: str) -> dict:
    r = ok(calc, *args)
    assert r["schema"] == "calccli.integral/1"
    return r["result"]


@pytest.mark.parametrize(
    "formula, lo, hi, expected",
    [
        ("sin(x)/x", "0", "oo", sp.pi / 2),
        ("exp(-x^2)", "-oo", "oo", sp.sqrt(sp.pi)),
        ("1/x^2", "1", "oo", 1),
        ("ln(x)", "0", "1", -1),
        ("1/sqrt(1-x^2)", "-1", "1", sp.pi),
        ("1/(2+cos(x))", "0", "2pi", 2 * sp.pi / sp.sqrt(3)),
        ("x^2", "3", "0", -9),
        # corners and jumps: quadrature and the fundamental theorem split at them
        ("abs(x)", "-1", "2", sp.Rational(5, 2)),
        ("x abs(x-1)", "0", "3", sp.Rational(29, 6)),
        ("abs(sin(x))", "0", "3pi", 6),
        ("max(x, x^2)", "0", "2", sp.Rational(17, 6)),
        ("sign(x) x^2", "-1", "2", sp.Rational(7, 3)),
        ("1/(x ln(x)^2)", "e", "oo", 1),  # a slow tail: checked in u = log x
    ],
)
def test_definite_and_improper_single_integrals(calc, formula, lo, hi, expected):
    res = definite(calc, formula, "--from", lo, "--to", hi)
    assert sp.simplify(S(res["value"]) - expected) == 0
    assert res["verified"] is True and res["converges"] is True
    assert math.isclose(res["numeric"], float(expected), rel_tol=1e-9)
    assert res["error_estimate"] is not None and res["error_estimate"] < 1e-6


def test_numeric_fallback_is_labelled_numeric(calc):
    res = definite(calc, "exp(-x^2) cos(x^3)", "--from", "0", "--to", "1", "--timeout", "6")
    reference = mpmath.quad(lambda t: mpmath.exp(-(t**2)) * mpmath.cos(t**3), [0, 1])
    assert res["value"] is None and res["method"] == "numeric quadrature" and res["verified"] is False
    assert math.isclose(res["numeric"], float(reference), rel_tol=1e-12)


def test_a_divergent_integral_says_so(calc):
    res = definite(calc, "1/x", "--from", "0", "--to", "1")
    assert res["converges"] is False and res["value"] == "oo" and res["numeric"] is None


def test_divergent_through_a_pole_reports_the_principal_value(calc):
    res = definite(calc, "1/x", "--from", "-1", "--to", "1")
    assert res["converges"] is False and res["principal_value"] == "0" and res["value"] is None


def test_parameters_stay_symbolic_and_are_checked_at_a_sample(calc):
    run = calc("integrate", "a x", "--wrt", "x", "--from", "0", "--to", "1", "--json")
    res = run.json()["result"]
    assert S(res["value"]) == a / 2 and res["verified"] is True and res["numeric"] is None


# ---------------------------------------------------------------- multiple integrals


def test_unit_square(calc):
    res = definite(calc, "x + y", "--bound", "x=0..1", "--bound", "y=0..1")
    assert res["value"] == "1" and res["verified"] is True


def test_variable_inner_bounds(calc):
    res = definite(calc, "x y", "--bound", "y=0..x", "--bound", "x=0..1")
    assert S(res["value"]) == sp.Rational(1, 8)


def test_a_disk_in_cartesian_bounds_is_verified(calc):
    res = definite(calc, "x^2 + y^2", "--bound", "y=-sqrt(1-x^2)..sqrt(1-x^2)", "--bound", "x=-1..1")
    assert S(res["value"]) == sp.pi / 2 and res["verified"] is True


def test_gaussian_over_a_disk_in_cartesian_bounds_is_done_in_polar(calc):
    res = definite(calc, "exp(-(x^2+y^2))", "--bound", "y=-sqrt(4-x^2)..sqrt(4-x^2)", "--bound", "x=-2..2")
    assert sp.simplify(S(res["value"]) - sp.pi * (1 - sp.exp(-4))) == 0
    assert res["verified"] is True and "polar" in res["method"]
    assert math.isclose(res["numeric"], math.pi * (1 - math.exp(-4)), rel_tol=1e-6)


@pytest.mark.parametrize(
    "inner, outer, expected",
    [
        ("y=0..sqrt(1-x^2)", "x=-1..1", sp.Rational(2, 3)),  # upper half-disk: ∫∫ y dA = 2/3
        ("y=0..sqrt(1-x^2)", "x=0..1", sp.Rational(1, 3)),  # quarter disk
        ("y=-sqrt(1-x^2)..0", "x=-1..1", -sp.Rational(2, 3)),  # lower half-disk
    ],
)
def test_parts_of_disks_get_the_right_angles(calc, inner, outer, expected):
    res = definite(calc, "y", "--bound", inner, "--bound", outer)
    assert S(res["value"]) == expected and res["verified"] is True


def test_whole_plane(calc):
    res = definite(calc, "exp(-(x^2+y^2))", "--bound", "x=-oo..oo", "--bound", "y=-oo..oo")
    assert S(res["value"]) == sp.pi and res["verified"] is True


def test_polar_coordinates_add_the_jacobian(calc):
    res = definite(calc, "x^2 + y^2", "--coords", "polar", "--bound", "r=0..2", "--bound", "theta=0..2pi")
    assert S(res["value"]) == 8 * sp.pi
    assert res["jacobian"] == "r" and res["transformed_integrand"] == "r**3" and res["coords"] == "polar"


def test_spherical_volume_of_the_unit_ball(calc):
    res = definite(
        calc, "1", "--coords", "spherical", "--bound", "rho=0..1", "--bound", "phi=0..pi", "--bound", "theta=0..2pi"
    )
    assert S(res["value"]) == 4 * sp.pi / 3 and res["verified"] is True
    assert res["jacobian"] == "rho**2*sin(phi)"


def test_cylindrical_volume_of_a_cone(calc):
    res = definite(
        calc, "1", "--coords", "cylindrical", "--bound", "z=r..1", "--bound", "r=0..1", "--bound", "theta=0..2pi"
    )
    assert S(res["value"]) == sp.pi / 3


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "args, message",
    [
        (["x", "--from", "0"], "both --from and --to"),
        (["x", "--from", "0", "--to", "1", "--bound", "x=0..1"], "either --from/--to or --bound"),
        (["x y", "--bound", "x=0..y", "--bound", "y=0..x"], "innermost first"),
        (["x y", "--bound", "x=0..1", "--bound", "x=0..2"], "two ranges"),
        (["1", "--coords", "polar", "--bound", "r=0..1"], "theta"),
        (["x y"], "--wrt"),
        (["x", "--bound", "x=0to1"], "name=low..high"),
        (["x", "--wrt", "x,y"], "one variable"),
    ],
)
def test_usage_errors_are_one_line_exit_2(calc, args, message):
    r = calc("integrate", *args)
    assert r.exit_code == 2 and message in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_syntax_error_in_a_bound_points_at_it(calc):
    r = calc("integrate", "x", "--bound", "x=0..(1")
    assert r.exit_code == 2 and "^" in r.stderr


@pytest.mark.parametrize(
    "formula, expected",
    [
        ("1/x", "log(Abs(x))"),
        ("tan(x)", "-log(Abs(cos(x)))"),
        ("x^2 ln(x)", "x**3*log(x)/3 - x**3/9"),  # the integrand's own log keeps its domain
    ],
)
def test_logs_of_possibly_negative_quantities_get_absolute_values(calc, formula, expected):
    F = S(ok(calc, formula)["result"]["antiderivative"])
    assert sp.simplify(F - S(expected)).is_constant()
    assert F.has(sp.Abs) == ("Abs" in expected)


@pytest.mark.parametrize(
    "formula, lo, hi, value",
    [
        ("1/x^2", "-1", "1", "oo"),  # a quadrature routine returns a huge finite number here
        ("1/sqrt(x)", "0", "oo", "oo"),
        ("sin(x)", "0", "oo", None),  # oscillates: no limit (quadosc would give 1)
        ("tan(x)", "0", "pi/4", None),  # converges: a control
        ("tan(x)", "0", "pi", None),  # +oo on the left of pi/2, -oo on the right: no single infinity
        ("tan(x)", "0", "pi/2", "oo"),
    ],
)
def test_divergence_is_proved_from_the_antiderivative(calc, formula, lo, hi, value):
    res = definite(calc, formula, "--from", lo, "--to", hi)
    if hi == "pi/4":
        assert res["converges"] is True and sp.simplify(S(res["value"]) - sp.log(2) / 2) == 0
        return
    assert res["converges"] is False and res["value"] == value and res["numeric"] is None
    if formula != "tan(x)":
        assert res["principal_value"] is None


def test_an_unsettled_limit_is_no_proof_of_divergence(calc):
    # SymPy's limit of atan(x/a)/a at oo is atan(zoo/a)/a for a real parameter a: not a divergence
    res = definite(calc, "1/(x^2+a^2)", "--wrt", "x", "--from", "0", "--to", "oo")
    assert res["converges"] is not False


def test_with_parameters_convergence_is_not_claimed(calc):
    res = definite(calc, "1/(x-a)", "--wrt", "x", "--from", "0", "--to", "1")
    assert res["converges"] is None  # it diverges for 0 <= a <= 1


def test_a_garbage_quadrature_never_shows_as_the_value(calc):
    # tanh-sinh on sin(x^2) over 0..oo returns about -3.8e23
    res = definite(calc, "sin(x^2)", "--from", "0", "--to", "oo")
    assert res["numeric"] is None or math.isclose(res["numeric"], math.sqrt(math.pi / 8), rel_tol=1e-9)
    if res["value"] is not None:
        assert sp.simplify(S(res["value"]) - sp.sqrt(sp.pi / 8)) == 0


@pytest.mark.parametrize(
    "args, message",
    [
        (["--coords", "spherical", "--bound", "rho=0..1", "--bound", "phi=0..2pi", "--bound", "theta=0..2pi"], "phi"),
        (["--coords", "polar", "--bound", "r=-1..1", "--bound", "theta=0..pi"], "negative"),
        (["--coords", "polar", "--bound", "r=0..1", "--bound", "theta=0..4pi"], "one turn"),
    ],
)
def test_coordinate_ranges_where_the_jacobian_holds(calc, args, message):
    r = calc("integrate", "1", *args)
    assert r.exit_code == 2 and message in r.stderr


# ----------------------------------------------------------------- issue 11: what the output says


def test_the_float_beside_an_exact_value_is_its_own_and_the_quadrature_is_the_check(calc):
    res = definite(calc, "x + y", "--bound", "x=0..1", "--bound", "y=0..1")
    assert S(res["value"]) == 1 and res["numeric"] == 1.0
    assert abs(res["quadrature"] - 1) <= 10 * res["error_estimate"]
    table = calc("integrate", "x + y", "--bound", "x=0..1", "--bound", "y=0..1", "--format", "table")
    assert "check: quadrature" in table.stdout


def test_a_parameter_whose_sign_matters_gets_both_cases(calc):
    res = definite(calc, "sqrt(a^2 - x^2)", "--wrt", "x", "--from", "-a", "--to", "a")
    value = S(res["value"])
    for v in (sp.Rational(3, 2), sp.Rational(-5, 2)):
        exact = float(sp.N(value.subs(a, v)))
        quad = mpmath.quad(lambda t, v=float(v): mpmath.sqrt(v**2 - t**2), [-float(v), float(v)])
        assert exact == pytest.approx(float(mpmath.re(quad)), rel=1e-9)
    assert res["assumptions"] == []


def test_an_improper_integral_with_a_parameter_is_never_silent(calc):
    run = calc("integrate", "1/(x^2 + a^2)", "--wrt", "x", "--from", "-oo", "--to", "oo", "--json")
    assert run.exit_code == 0
    out = run.json()
    assert out["result"]["value"] is not None or out["notes"]
    if out["result"]["value"] is not None:
        assert sp.simplify(S(out["result"]["value"]) - sp.pi / sp.Abs(a)) == 0


@pytest.mark.parametrize("fmt", ["text", "table", "latex", "json"])
def test_a_recognised_constant_is_labelled_not_proved_in_every_format(calc, fmt):
    r = calc("integrate", "ln(sin(x))", "--from", "0", "--to", "pi/2", "--format", fmt)
    assert r.exit_code == 0
    assert "recognised, not proved" in (r.stdout + r.stderr)


def test_a_floor_integral_is_exact(calc):
    res = definite(calc, "floor(x)", "--from", "0", "--to", "3.5")
    assert S(res["value"]) == sp.Rational(9, 2) and res["verified"] is True


@pytest.mark.parametrize(
    "coords, bounds, shown",
    [
        ("polar", ["r=0..1", "θ=0..2π"], "∫∫ f(r cos θ, r sin θ) r dr dθ"),
        ("cylindrical", ["z=0..1", "r=0..1", "theta=0..2pi"], "∫∫∫ f(r cos θ, r sin θ, z) r dz dr dθ"),
        ("spherical", ["rho=0..1", "phi=0..pi", "theta=0..2pi"], "∫∫∫ f ρ² sin φ dρ dφ dθ"),
    ],
)
def test_the_title_of_a_changed_integral_keeps_the_jacobian(calc, coords, bounds, shown):
    args = [a for b in bounds for a in ("--bound", b)]
    r = calc("integrate", "1", "--coords", coords, *args, "--format", "table")
    assert r.exit_code == 0 and shown in r.stdout


@pytest.mark.parametrize("formula, expected", [("|x|", x * sp.Abs(x) / 2), ("|x - 1|", (x - 1) * sp.Abs(x - 1) / 2)])
def test_the_antiderivative_of_an_absolute_value_is_not_a_piecewise(calc, formula, expected):
    F = ok(calc, formula)["result"]["antiderivative"]
    assert "Piecewise" not in F and " if " not in F
    assert sp.simplify(S(F) - expected).is_constant()


def test_an_antiderivative_by_cases_prints_the_cases(calc):
    r = calc("integrate", "x^n", "--wrt", "x", "--format", "text")
    assert r.exit_code == 0 and "n != -1" in r.stdout and ") + C" in r.stdout
