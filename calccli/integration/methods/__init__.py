"""The integration methods, one module per family, and :data:`METHODS`, the table of them by name.

The names are shown to the user (the method that found an answer, and what was tried), and
the table keeps the order in which the methods were written.  Which run, in which order and
for how long is the portfolio's :data:`calccli.integration.portfolio.PLAN`.
"""

from __future__ import annotations

from calccli.integration.methods.backends import (
    heurisch,
    manual,
    manual_apart,
    manual_exp,
    manual_expand,
    meijerg,
    plain,
    risch,
    risch_exp,
)
from calccli.integration.methods.base import Method
from calccli.integration.methods.logs import log_rational
from calccli.integration.methods.parts import by_parts
from calccli.integration.methods.rational import rational
from calccli.integration.methods.rationalizing import (
    euler_substitution,
    exp_substitution,
    radical_substitution,
    tan_half_angle,
)
from calccli.integration.methods.special import special_by_parts
from calccli.integration.methods.substitution import (
    abs_factor,
    completed_square,
    lambertw_substitution,
    substitution,
    tan_substitution,
)

METHODS: dict[str, Method] = {
    "manualintegrate": manual,
    "integrate": plain,
    "risch": risch,
    "risch (exp form)": risch_exp,
    "heurisch": heurisch,
    "meijerg": meijerg,
    "manualintegrate (exp form)": manual_exp,
    "manualintegrate (expanded)": manual_expand,
    "manualintegrate (partial fractions)": manual_apart,
    "rational": rational,
    "tan half-angle": tan_half_angle,
    "exp substitution": exp_substitution,
    "radical substitution": radical_substitution,
    "by parts": by_parts,
    "radical substitution, by parts": lambda f, x: radical_substitution(f, x, inner=by_parts),
    "substitution": substitution,
    "log times rational": log_rational,
    "completed square": completed_square,
    "special functions by parts": special_by_parts,
    "sign factor": abs_factor,
    "LambertW substitution": lambertw_substitution,
    "Euler substitution": euler_substitution,
    "tan substitution": tan_substitution,
}

__all__ = ["METHODS", "Method"]
