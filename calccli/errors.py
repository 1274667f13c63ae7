"""The project's exceptions and the single place that maps them to exit codes.

Only the standard library is imported here: the CLI needs this module on every
path, including ``--help``.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes; documented in README.md ("Exit codes")."""

    OK = 0
    MATH = 1
    INCORRECT = (
        1  # --check: the answer is wrong (an alias of MATH); MATH: undefined at the point, unsupported, no result
    )
    USAGE = 2  # bad option, unparsable formula, unknown name, wrong point size
    RESOURCE = 3  # time limit or memory limit reached
    INPUT_LIMIT = 4  # formula too long or deep, number too large, too many variables
    UNDETERMINED = 5  # --check: calccli could not decide whether the answer is right
    INTERNAL = 70  # a bug in calccli (EX_SOFTWARE)
    OUTPUT = 74  # the output could not be written: a full disk, a closed stdout (EX_IOERR); never a broken pipe
    INTERRUPTED = 130  # Ctrl-C


class CalcError(Exception):
    """Base of every error calccli reports to the user as one line."""

    code: ExitCode = ExitCode.MATH
    kind: str = "math"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def details(self) -> dict[str, object]:
        """Extra machine-readable fields for JSON error objects."""
        return {}


class UsageError(CalcError):
    """The command line itself is wrong (an option value, a point, a direction)."""

    code = ExitCode.USAGE
    kind = "usage"


class ArgumentError(UsageError):
    """An engine argument is out of its domain (an order too high, a direction of the wrong length).

    The engine names its own parameter (``order``, ``direction``, ``variables``), never a
    command-line option: ``{arg}`` in the message is where the CLI puts the option the user
    typed, through :meth:`worded`.

    >>> e = ArgumentError("order", "{arg} must be between 1 and 10")
    >>> e.message, e.worded({"order": "--order"}).message
    ('order must be between 1 and 10', '--order must be between 1 and 10')
    """

    def __init__(self, argument: str, template: str) -> None:
        super().__init__(template.format(arg=argument))
        self.argument = argument
        self.template = template

    def worded(self, spelling: dict[str, str]) -> UsageError:
        """The same error with the argument spelled as the user knows it."""
        return UsageError(self.template.format(arg=spelling.get(self.argument, self.argument)))


class FormulaError(UsageError):
    """A formula cannot be parsed; carries the text and the 0-based position."""

    kind = "parse"

    def __init__(self, message: str, text: str = "", pos: int | None = None) -> None:
        super().__init__(message)
        self.text = text
        self.pos = pos

    def details(self) -> dict[str, object]:
        return {} if self.pos is None else {"column": self.pos + 1}


class InputLimitError(CalcError):
    """The input is larger than a documented limit (size, depth, digits, variables)."""

    code = ExitCode.INPUT_LIMIT
    kind = "input-limit"


class MathError(CalcError):
    """The mathematics has no answer here (undefined at the point, not applicable)."""

    code = ExitCode.MATH
    kind = "math"


class UndeterminedError(CalcError):
    """--check could not be decided, e.g. because calccli itself found no answer."""

    code = ExitCode.UNDETERMINED
    kind = "undetermined"


class ResourceError(CalcError):
    """The computation hit the time or memory limit."""

    code = ExitCode.RESOURCE
    kind = "resource"


class InternalError(CalcError):
    """An unexpected failure inside calccli: a bug to report."""

    code = ExitCode.INTERNAL
    kind = "internal"


_WINDOW = 60  # characters of a long formula shown around an error


def _printable(text: str) -> str:
    """One visible character per input character: control characters become '?'."""
    return "".join(c if c.isprintable() else "?" for c in text)


def describe(err: CalcError, prog: str = "calccli") -> str:
    """The stderr text for ``err``: one line, plus the formula and a caret for syntax errors.

    >>> print(describe(FormulaError("unexpected ')'", "x^2 + )", 6)), end="")
    calccli: error: unexpected ')' at column 7
      x^2 + )
            ^
    >>> print(describe(FormulaError("undefined name 'q'", "f = u^2\\nu = q + 1\\n", 12)), end="")
    calccli: error: undefined name 'q' at line 2, column 5
      u = q + 1
          ^
    """
    message = " ".join(err.message.split())
    if isinstance(err, FormulaError) and err.pos is not None and err.text:
        text = err.text.rstrip("\n")
        pos = min(max(err.pos, 0), len(text))
        where = f"column {pos + 1}"
        if "\n" in text:  # a program of several lines: show the line the error is on
            first = text.rfind("\n", 0, pos) + 1
            end = text.find("\n", pos)
            where = f"line {text.count(chr(10), 0, pos) + 1}, column {pos - first + 1}"
            text, pos = text[first : None if end < 0 else end], pos - first
        line = f"{prog}: error: {message} at {where}\n"
        start = max(0, pos - _WINDOW // 2)
        snippet = text[start : start + _WINDOW]
        prefix = "…" if start > 0 else ""
        suffix = "…" if start + _WINDOW < len(text) else ""
        shown = prefix + _printable(snippet.replace("\t", " ")) + suffix
        caret = " " * (len(prefix) + pos - start) + "^"
        return f"{line}  {shown}\n  {caret}\n"
    return f"{prog}: error: {message}\n"
