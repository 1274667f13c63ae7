"""The homework companion's results: a verdict on the user's answer (``--check``) and worked steps (``--steps``)."""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from calccli.errors import ExitCode
from calccli.results.values import Point, Result, point_payload, text

_EXIT_CODES = {"correct": ExitCode.OK, "incorrect": ExitCode.INCORRECT}


def shown(e: object) -> str:
    """An answer (expression, vector or matrix) as calccli text.

    >>> shown((sp.Integer(1), sp.Matrix([[2, 3]])))
    '[1, [[2, 3]]]'
    """
    if isinstance(e, sp.MatrixBase):
        return "[" + ", ".join("[" + ", ".join(text(c) for c in row) + "]" for row in e.tolist()) + "]"
    if isinstance(e, (tuple, list)):
        return "[" + ", ".join(shown(c) for c in e) + "]"
    return text(e)


@dataclass(frozen=True, slots=True)
class Verdict:
    """The verdict on a user's answer (``--check``)."""

    verdict: str  # correct | incorrect | undetermined
    given: object  # the answer as parsed
    expected: object  # the right answer, in the same shape
    method: str  # how it was decided
    differs_at: Point | None = None
    given_value: sp.Expr | None = None
    expected_value: sp.Expr | None = None
    wrong: tuple[str, ...] = ()  # labels of wrong components
    reason: str = ""

    @property
    def exit_code(self) -> int:
        """0 for a correct answer, ``INCORRECT`` for a wrong one, ``UNDETERMINED`` otherwise."""
        return int(_EXIT_CODES.get(self.verdict, ExitCode.UNDETERMINED))

    def payload(self) -> dict[str, object]:
        """The JSON ``check`` object (docs/json.md)."""
        return {
            "verdict": self.verdict,
            "given": shown(self.given),
            "expected": shown(self.expected),
            "method": self.method,
            "differs_at": point_payload(self.differs_at),
            "given_at": None if self.given_value is None else text(self.given_value),
            "expected_at": None if self.expected_value is None else text(self.expected_value),
            "wrong_components": list(self.wrong),
            "reason": self.reason or None,
        }


@dataclass(frozen=True, slots=True)
class WorkedStep:
    """One step of a worked solution (``--steps``)."""

    depth: int
    rule: str
    expr: sp.Expr | None  # what the step differentiates or integrates (None: a step in words)
    result: sp.Expr | None
    detail: str
    operation: str = "d"  # "d" (derivative), "partial", "int" (antiderivative) or "words"
    wrt: sp.Symbol | None = None

    def payload(self) -> dict[str, object]:
        """One entry of the JSON ``steps`` list."""
        return {
            "depth": self.depth,
            "rule": self.rule,
            "expression": None if self.expr is None else text(self.expr),
            "result": None if self.result is None else text(self.result),
            "detail": self.detail,
        }


@dataclass(frozen=True, slots=True)
class Explained:
    """A result with the homework companion's additions: a verdict on the user's answer, worked steps."""

    result: Result
    check: Verdict | None = None
    steps: tuple[WorkedStep, ...] | None = None
    steps_note: str | None = None  # e.g. "the answer came from the Risch algorithm, which gives no steps"

    @property
    def KIND(self) -> str:  # noqa: N802 - mirrors the result classes' ClassVar
        """The wrapped result's kind: the companion adds keys, not a schema."""
        return self.result.KIND

    @property
    def SCHEMA(self) -> int:  # noqa: N802
        """The wrapped result's schema version."""
        return self.result.SCHEMA

    @property
    def exit_code(self) -> int:
        """The verdict's exit code, 0 without ``--check``."""
        return 0 if self.check is None else self.check.exit_code

    def payload(self) -> dict[str, object]:
        """The wrapped result's payload plus ``check`` and ``steps``."""
        out = dict(self.result.payload())
        if self.check is not None:
            out["check"] = self.check.payload()
        if self.steps is not None or self.steps_note is not None:
            out["steps"] = [s.payload() for s in self.steps or ()]
            out["steps_note"] = self.steps_note
        return out
