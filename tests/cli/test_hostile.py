"""Hostile and malformed input: nothing executes, no traceback, every case bounded."""

from __future__ import annotations

import pytest

from calccli.errors import ExitCode

HOSTILE = [
    # code injection attempts: parsed as maths or refused, never executed
    ("__import__('os').system('echo pwned')", ExitCode.USAGE),
    ("exec('1')", ExitCode.USAGE),
    ("eval(x)", ExitCode.USAGE),
    ("lambda x: x", ExitCode.USAGE),
    ("x.__class__", ExitCode.USAGE),
    ("Symbol('x')", ExitCode.USAGE),
    ("sympify('x')", ExitCode.USAGE),
    ("open('/etc/passwd')", ExitCode.USAGE),
    ("x; import os", ExitCode.USAGE),
    ("`x`", ExitCode.USAGE),
    ("x\x00y", ExitCode.USAGE),
    ("\x1b[31mred\x1b[0m", ExitCode.USAGE),
    ("[red]x[/red]", ExitCode.USAGE),
    ("\u202ex", ExitCode.USAGE),
    # resource bombs: refused at once by the input limits
    ("2^2^2^40", ExitCode.INPUT_LIMIT),
    ("9^9^9", ExitCode.INPUT_LIMIT),
    ("factorial(10^10)", ExitCode.INPUT_LIMIT),
    ("(10^10)!", ExitCode.INPUT_LIMIT),
    ("gamma(10^9)", ExitCode.INPUT_LIMIT),
    ("binomial(10^9, 10^8)", ExitCode.INPUT_LIMIT),
    ("sqrt(2)^(10^9)", ExitCode.INPUT_LIMIT),
    ("1e100000", ExitCode.INPUT_LIMIT),
    ("1" * 10_001, ExitCode.INPUT_LIMIT),
    ("(" * 10_000 + "x" + ")" * 10_000, ExitCode.INPUT_LIMIT),
    ("|" * 10_000, ExitCode.INPUT_LIMIT),
    (" " + "-" * 10_000 + "x", ExitCode.OK),
    ("sin(" * 5_000 + "x" + ")" * 5_000, ExitCode.INPUT_LIMIT),
    ("x^" * 5_000 + "x", ExitCode.INPUT_LIMIT),
    ("x+" * 300_000 + "x", ExitCode.INPUT_LIMIT),
    # malformed
    ("", ExitCode.USAGE),
    ("   ", ExitCode.USAGE),
    ("x^^2", ExitCode.USAGE),
    ("sin(", ExitCode.USAGE),
    (")(", ExitCode.USAGE),
    ("[x, y", ExitCode.USAGE),
    ("[]", ExitCode.USAGE),
    ("x = 1", ExitCode.USAGE),
    ("sin()", ExitCode.USAGE),
    ("log(x, 2, 3)", ExitCode.USAGE),
    ("CRootOf(x**3 - x - 1, 7)", ExitCode.USAGE),
]


@pytest.mark.parametrize("formula, expected", HOSTILE, ids=[repr(h[0])[:40] for h in HOSTILE])
def test_hostile_input_ends_cleanly_with_documented_code(calc, formula, expected):
    r = calc("grad", formula, "--timeout", "10")
    assert r.exit_code == expected, (r.stdout, r.stderr)
    assert "Traceback" not in r.stderr
    if expected:
        assert r.stdout == ""
        assert r.stderr.startswith("calccli: error: ")
        assert "\x1b" not in r.stderr and "\x00" not in r.stderr


def test_runaway_computation_is_killed_by_the_time_limit(calc):
    # 2^(10^100) is a huge integer: SymPy would compute it in C, out of signal.alarm's reach.
    r = calc("diff", "x^(10^100)", "--at", "x=2", "--timeout", "1")
    assert r.exit_code == ExitCode.RESOURCE
    assert r.stdout == ""
    assert r.stderr == "calccli: error: timed out after 1 s (raise the limit with --timeout)\n"


@pytest.mark.slow
def test_memory_bomb_is_stopped_by_the_memory_limit(calc):
    # (x+1)^k expanded at a point with a huge literal: big-integer growth until the cap.
    r = calc("diff", "x^(10^30)", "--at", "x=3", "--timeout", "60", "--max-memory", "300")
    assert r.exit_code == ExitCode.RESOURCE
    assert r.stdout == ""
    assert "Traceback" not in r.stderr


def test_syntax_error_echo_escapes_control_characters(calc):
    r = calc("grad", "x +\x1b[2J )")
    assert r.exit_code == ExitCode.USAGE
    lines = r.stderr.splitlines()
    assert lines[0] == "calccli: error: unexpected character U+001B at column 4"
    assert lines[1] == "  x +?[2J )"
    assert lines[2] == "     ^"


def test_stdin_with_invalid_utf8_is_a_usage_error(tmp_path):
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-m", "calccli", "grad", "-"], input=b"x^2\n\xff\n", capture_output=True, timeout=60
    )
    assert proc.returncode == ExitCode.USAGE
    assert proc.stdout == b""
    assert proc.stderr == b"calccli: error: standard input is not valid UTF-8 (byte 4)\n"


def test_broken_pipe_is_quiet():
    import subprocess
    import sys

    proc = subprocess.run(
        f"{sys.executable} -m calccli grad - < /dev/stdin | head -c 1",
        shell=True,
        input=b"\n".join([b"x^2 y"] * 50),
        capture_output=True,
        timeout=120,
    )
    assert proc.stderr == b""


def test_no_module_evaluates_text():
    """No eval/exec/parse_expr/sympify anywhere in calccli: SymPy objects come from our parser,
    and engine.common.as_expr (strict mode, text refused) converts numbers."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "calccli"
    for path in root.rglob("*.py"):
        source = path.read_text()
        assert not re.search(r"(?<![.\w`])(eval|exec|parse_expr)\(", source), path  # rule.eval() is a method
        assert "sympify(" not in source, path
