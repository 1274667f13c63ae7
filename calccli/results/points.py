"""The result of ``--points FILE``: a derivative evaluated at many points, as one table of floats.

It is written as CSV (text, table) or NDJSON (``--json``), one row per point, by
:mod:`calccli.render.points`; no View, since a million rows are a file, not a screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar


@dataclass(frozen=True, slots=True)
class PointValues:
    """The derivative's entries (columns ``labels``) at every point (columns ``names``) of a file."""

    KIND: ClassVar[str] = "point"
    SCHEMA: ClassVar[int] = 1

    command: str  # diff, grad, jacobian or hessian
    names: tuple[str, ...]  # the variables, the input columns
    labels: tuple[str, ...]  # the output columns: df/dx, J[1,2], H[1,1], ...
    inputs: Any  # NumPy float64 array (points, variables)
    outputs: Any  # NumPy float64 array (points, labels)
    expressions: tuple[str, ...]  # each output column's formula, as calccli text
    nonfinite: tuple[int, ...]  # per output column: how many points gave NaN or an infinity
    notes: tuple[str, ...] = ()

    @property
    def exit_code(self) -> int:
        return 0

    def payload(self) -> dict[str, object]:
        """A summary (the rows themselves are NDJSON lines, not one JSON object)."""
        return {
            "command": self.command,
            "variables": list(self.names),
            "columns": list(self.labels),
            "expressions": list(self.expressions),
            "points": int(self.inputs.shape[0]),
            "nonfinite": list(self.nonfinite),
        }


__all__ = ["PointValues"]
