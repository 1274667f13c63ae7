"""Writing results: stdout and stderr that may be a closed pipe, a full disk, or unable to show a symbol.

* A reader that has gone (``calccli … | head -1``) is not an error: the rest of the output is
  dropped quietly and the exit status stays what the computation made it.
* Any other failure to write stdout (``> /dev/full``, a closed stdout) is an output error: one line
  on stderr where stderr is writable, and exit code 74 (``ExitCode.OUTPUT``), never mistaken for a
  ``--check`` verdict.
* stderr is for diagnostics: a closed or broken stderr never changes stdout or the exit status.
* Text an encoding cannot show (``PYTHONIOENCODING=ascii``) is spelled in ASCII
  (:mod:`calccli.render.encoding`).
"""

from __future__ import annotations

import errno
import os
from typing import Any

from calccli.render.encoding import fit


def encoding_of(stream: Any) -> str:
    """The encoding ``stream`` writes in (UTF-8 when it does not say)."""
    return getattr(stream, "encoding", None) or "utf-8"


def _silence(stream: Any) -> None:
    """Point ``stream``'s descriptor at /dev/null, so that the flush at exit cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


class Streams:
    """stdout and stderr of one run, with what went wrong writing them.

    ``gone`` is set when stdout's reader has left (a broken pipe); ``failure`` holds the message
    of any other failure to write stdout.  Either way later writes to stdout are dropped.
    """

    def __init__(self, out: Any, err: Any) -> None:
        self.out = out
        self.err = err
        self.gone = False
        self.failure: str | None = None
        self._err_dead = err is None

    @property
    def stopped(self) -> bool:
        return self.gone or self.failure is not None

    def write(self, text: str) -> None:
        """Write ``text`` to stdout and flush it."""
        if not text or self.stopped:
            return
        if self.out is None:
            self.failure = "standard output is closed"
            return
        try:
            self.out.write(fit(text, encoding_of(self.out)))
            self.out.flush()
        except BrokenPipeError:
            self.gone = True
            _silence(self.out)
        except (OSError, ValueError) as e:  # ValueError: a closed file object
            self.failure = _describe(e, "standard output")
            _silence(self.out)

    def note(self, text: str) -> None:
        """Write ``text`` to stderr; if stderr cannot be written, drop it."""
        if not text or self._err_dead:
            return
        try:
            self.err.write(fit(text, encoding_of(self.err)))
            self.err.flush()
        except (OSError, ValueError, AttributeError):
            self._err_dead = True
            _silence(self.err)

    def report(self) -> None:
        """The output failure, if there was one, as one line on stderr."""
        if self.failure is not None:
            self.note(f"calccli: error: cannot write the output: {self.failure}\n")


def _describe(e: BaseException, what: str) -> str:
    """``No space left on device (standard output)``."""
    if isinstance(e, OSError) and e.errno is not None:
        return f"{os.strerror(e.errno)} ({what})" if e.errno != errno.EPIPE else f"{what} was closed"
    return f"{what} is closed"
