"""A typed request: one command line, as the pipeline receives it.

Built by a command function from its own options; the shared ones (format, limits, the
homework companion) are filled in by the ``@command`` decorator.  Standard library only:
it is built before anything heavy is imported, and pickled to a pre-forked child.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from calccli import limits
from calccli.render import Format


@dataclass(frozen=True, slots=True)
class Request:
    """What to compute, on which formula, and how to answer.

    ``options`` holds the command's own options, keyed and valued exactly as the JSON
    output's ``input`` object echoes them (``{"wrt": ["x", "y"], "at": "1,2"}``).

    >>> Request("grad", "x^2*y", {"wrt": None, "at": "1,2"}, check="[4, 1]").echo("x^2*y")
    {'formula': 'x^2*y', 'wrt': None, 'at': '1,2', 'check': '[4, 1]'}
    """

    command: str
    formula: str  # the FORMULA argument; '-' reads one formula per line from stdin
    options: Mapping[str, Any] = field(default_factory=dict)
    check: str | None = None
    tol: float | None = None
    steps: bool = False
    fmt: Format = Format.AUTO
    no_color: bool = False
    timeout: float = limits.DEFAULT_TIMEOUT
    memory_mb: int = limits.DEFAULT_MEMORY_MB

    def option(self, name: str) -> Any:
        return self.options[name]

    def given(self, name: str) -> Any:
        """An option that is in the request only when given (--points), or None."""
        return self.options.get(name)

    def echo(self, text: str) -> dict[str, object]:
        """The JSON ``input`` object for ``text`` (one formula of the request)."""
        shown: dict[str, object] = {"formula": text, **self.options}
        if self.check is not None:
            shown["check"] = self.check
        if self.tol is not None:
            shown["tol"] = self.tol
        if self.steps:
            shown["steps"] = True
        return shown
