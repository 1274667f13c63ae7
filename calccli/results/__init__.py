"""The answers calccli computes: frozen dataclasses holding SymPy objects, and their JSON payloads.

One module per family (:mod:`~calccli.results.differential`, :mod:`~calccli.results.taylor`,
:mod:`~calccli.results.critical`, :mod:`~calccli.results.integration`, :mod:`~calccli.results.homework`);
this package re-exports them, so engines write ``from calccli.results import Gradient``.  Strings are made only
in ``payload()`` (the JSON contract, docs/json.md); how a result looks on screen is spelled by its presenter in
:mod:`calccli.render.present`.
"""

from __future__ import annotations

from calccli.results.chain import Chain, ChainEdge, ChainNode, ChainPath, ChainStage, ChainTotal, Composition
from calccli.results.critical import CriticalPoint, CriticalPoints, Extremum, multiplier_names
from calccli.results.differential import (
    Derivative,
    DirectionalDerivative,
    Gradient,
    Hessian,
    Jacobian,
    Laplacian,
)
from calccli.results.expression import Evaluation, Simplification
from calccli.results.homework import Explained, Verdict, WorkedStep, shown
from calccli.results.integration import Antiderivative, Attempt, Bound, DefiniteIntegral
from calccli.results.matrix import MatrixCheck, MatrixComponents, MatrixDerivativeResult, sizes_text
from calccli.results.optimize import Comparison, Descent, Newton
from calccli.results.taylor import TaylorPolynomial
from calccli.results.values import Point, Result, Value, jfloat, point_payload, point_text, text

__all__ = [
    "Chain",
    "Comparison",
    "Descent",
    "Newton",
    "ChainEdge",
    "ChainNode",
    "ChainPath",
    "ChainStage",
    "ChainTotal",
    "Composition",
    "Antiderivative",
    "Attempt",
    "Bound",
    "CriticalPoint",
    "CriticalPoints",
    "DefiniteIntegral",
    "Derivative",
    "DirectionalDerivative",
    "Evaluation",
    "Explained",
    "Extremum",
    "Gradient",
    "Hessian",
    "Jacobian",
    "Laplacian",
    "MatrixCheck",
    "MatrixComponents",
    "MatrixDerivativeResult",
    "Point",
    "Result",
    "Simplification",
    "TaylorPolynomial",
    "Value",
    "Verdict",
    "WorkedStep",
    "jfloat",
    "multiplier_names",
    "point_payload",
    "point_text",
    "shown",
    "sizes_text",
    "text",
]
