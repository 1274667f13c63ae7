"""cli/output.Streams with fake streams: which write failures matter, and what is said about them."""

from __future__ import annotations

import errno
import io

import pytest

from calccli.cli.output import Streams


class Failing(io.StringIO):
    def __init__(self, error: BaseException, after: int = 0, encoding: str = "utf-8") -> None:
        super().__init__()
        self.error, self.after, self._encoding = error, after, encoding

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._encoding

    def write(self, s: str) -> int:
        if self.after <= 0:
            raise self.error
        self.after -= 1
        return super().write(s)

    def fileno(self) -> int:
        raise OSError("no descriptor")  # _silence must cope


def test_a_reader_that_left_stops_stdout_quietly():
    out, err = Failing(BrokenPipeError(), after=1), io.StringIO()
    s = Streams(out, err)
    s.write("one\n")
    s.write("two\n")
    s.write("three\n")
    assert out.getvalue() == "one\n" and s.gone and s.failure is None
    s.report()
    assert err.getvalue() == ""


@pytest.mark.parametrize(
    "error, message",
    [
        (OSError(errno.ENOSPC, "No space left on device"), "No space left on device (standard output)"),
        (OSError(errno.EIO, "Input/output error"), "Input/output error (standard output)"),
        (ValueError("I/O operation on closed file."), "standard output is closed"),
    ],
)
def test_any_other_write_failure_is_an_output_error_with_one_line(error, message):
    err = io.StringIO()
    s = Streams(Failing(error), err)
    s.write("x\n")
    s.report()
    assert s.failure == message
    assert err.getvalue() == f"calccli: error: cannot write the output: {message}\n"


def test_a_missing_stdout_is_an_output_error():
    s = Streams(None, io.StringIO())
    s.write("x\n")
    assert s.failure == "standard output is closed"


@pytest.mark.parametrize("err", [None, Failing(BrokenPipeError()), Failing(OSError(errno.EBADF, "bad"))])
def test_a_broken_or_missing_stderr_changes_nothing(err):
    out = io.StringIO()
    s = Streams(out, err)
    s.note("calccli: note: n\n")
    s.write("x\n")
    s.note("calccli: note: again\n")
    assert out.getvalue() == "x\n" and s.failure is None and not s.gone


def test_an_ascii_stream_gets_an_ascii_spelling():
    out = Failing(RuntimeError(), after=10, encoding="ascii")
    s = Streams(out, io.StringIO())
    s.write("∂f/∂x\tcorrect ✓\n")
    assert out.getvalue() == "df/dx\tcorrect ok\n"
