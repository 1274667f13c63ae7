"""``integrate --coords``: the coordinate variables may be spelled in Greek letters or in ASCII.

Issue 11 A4: ``--bound θ=0..2π`` with ``--coords polar`` was refused with "--wrt: 'θ' is given
twice" because the declared names mixed the raw bound name (θ) with the system's (theta).
The parse stage is checked for every spelling and every system (cheap), and the issue's
example end to end with its exact value.
"""

from __future__ import annotations

import itertools

import pytest
import sympy as sp

from calccli.cli import compute
from calccli.cli.request import Request

# Every spelling of each coordinate variable that a user may paste or type.
SPELLINGS = {
    "r": ("r",),
    "z": ("z",),
    "theta": ("theta", "θ", "ϑ"),
    "rho": ("rho", "ρ"),
    "phi": ("phi", "φ", "ϕ"),
}
RANGES = {"r": "0..2", "z": "0..1", "theta": "0..2π", "rho": "0..1", "phi": "0..π"}
SYSTEMS = {"polar": ("r", "theta"), "cylindrical": ("z", "r", "theta"), "spherical": ("rho", "phi", "theta")}


def _cases() -> list[tuple[str, tuple[str, ...]]]:
    out = []
    for system, names in SYSTEMS.items():
        for spelled in itertools.product(*(SPELLINGS[n] for n in names)):
            out.append((system, spelled))
    return out


def _request(system: str, spelled: tuple[str, ...]) -> Request:
    names = SYSTEMS[system]
    bounds = [f"{s}={RANGES[n]}" for s, n in zip(spelled, names, strict=True)]
    return Request("integrate", "1", {"wrt": None, "from": None, "to": None, "bounds": bounds, "coords": system})


@pytest.mark.parametrize("system, spelled", _cases())
def test_every_spelling_of_the_coordinate_names_parses_to_the_system_variables(system, spelled):
    call = compute.integral("x + 1", _request(system, spelled))
    ranges = call.args[1]
    assert [v.name for v, _, _ in ranges] == list(SYSTEMS[system])
    for _, lo, hi in ranges:  # and the limits are read as numbers (2π is 2*pi, not a symbol)
        assert not (lo.free_symbols | hi.free_symbols)
    assert call.keywords["system"].name == system


@pytest.mark.parametrize("spelling", ["θ", "ϑ", "theta"])
def test_a_greek_name_given_twice_is_still_refused(spelling):
    r = Request(
        "integrate",
        "1",
        {
            "wrt": None,
            "from": None,
            "to": None,
            "bounds": ["r=0..1", f"{spelling}=0..pi", "theta=0..1"],
            "coords": "polar",
        },
    )
    from calccli.errors import UsageError

    with pytest.raises(UsageError, match="theta has two ranges"):
        compute.integral("1", r)


@pytest.mark.slow
def test_the_issue_example_with_greek_bounds(calc):
    run = calc("integrate", "e^(-(x^2+y^2))", "--coords", "polar", "--bound", "r=0..2", "--bound", "θ=0..2π", "--json")
    assert run.exit_code == 0, run.stderr
    res = run.json()["result"]
    assert [b["variable"] for b in res["bounds"]] == ["r", "theta"]
    value = sp.sympify(res["value"])
    assert sp.simplify(value - sp.pi * (1 - sp.exp(-4))) == 0


def _definite_request(assume: list[str]) -> Request:
    return Request(
        "integrate",
        "sqrt(a^2 - x^2)",
        {"wrt": ["x"], "from": "-a", "to": "a", "bounds": None, "coords": None, "assume": assume},
    )


@pytest.mark.parametrize(
    "given, expected",
    [("a>0", "positive"), ("a < 0", "negative"), ("a>=0", "nonnegative"), ("a ≤ 0", "nonpositive")],
)
def test_assume_is_read_into_the_engines_assumptions(given, expected):
    call = compute.integral("sqrt(a^2 - x^2)", _definite_request([given]))
    ((p, what),) = call.keywords["assumptions"].items()
    assert p.name == "a" and what == expected


@pytest.mark.parametrize(
    "given, message", [(["x>0"], "not a parameter"), (["a>1"], "sign condition"), (["a>0", "a<0"], "twice")]
)
def test_a_bad_assume_is_a_usage_error(given, message):
    from calccli.errors import UsageError

    with pytest.raises(UsageError, match=message):
        compute.integral("sqrt(a^2 - x^2)", _definite_request(given))
