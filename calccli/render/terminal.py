"""What the output stream is: a terminal or a pipe, how wide, whether colour is wanted.

An explicit object (not global state) so tests can fake a terminal.
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from typing import TextIO


@dataclass(frozen=True, slots=True)
class Terminal:
    is_tty: bool
    width: int
    color: bool
    encoding: str = "utf-8"  # what the stream can show; the table draws ASCII boxes when it is not Unicode

    @classmethod
    def detect(cls, stream: TextIO | None = None, no_color: bool = False) -> Terminal:
        stream = stream or sys.stdout
        try:
            tty = stream.isatty()
        except (AttributeError, ValueError):
            tty = False
        width = shutil.get_terminal_size((100, 24)).columns
        color = tty and not no_color and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"
        encoding = getattr(stream, "encoding", None) or "utf-8"
        return cls(tty, max(width, 40), color, encoding)

    @property
    def unicode(self) -> bool:
        """Can the stream show box drawing and symbols such as ∂ and ✓?"""
        from calccli.render.encoding import can_encode

        return can_encode("─∂✓≈", self.encoding)
