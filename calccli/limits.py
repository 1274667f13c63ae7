"""Input and resource limits, in one place; README.md ("Limits") documents them."""

from __future__ import annotations

MAX_FORMULA_CHARS = 262_144  # characters in one formula (256 Ki)
MAX_DEPTH = 100  # nesting of parentheses, bars, calls and powers
MAX_NUMBER_DIGITS = 10_000  # digits of an exact number a formula may build (2^33219 is about the largest)
MAX_LITERAL_DIGITS = MAX_NUMBER_DIGITS  # digits in one number literal: what calccli prints pastes back
MAX_LITERAL_EXPONENT = 1_000  # |n| in a literal such as 1e-n
MAX_FACTORIAL_ARG = 1_000  # n in n!, gamma(n), binomial(n, k) when n is a literal integer
MAX_VARIABLES = 100  # distinct variables in one formula
MAX_ORDER = 50  # --order of a derivative
MAX_STEPS = 1_000_000  # --max-steps of descend and newton
MAX_STDIN_BYTES = 16 * 1024 * 1024  # formulas read from standard input
MAX_OUTPUT_BYTES = 64 * 1024 * 1024  # what one computation may print

DEFAULT_TIMEOUT = 20.0  # seconds of wall time per computation
MAX_TIMEOUT = 3_600.0
DEFAULT_MEMORY_MB = 2_048  # address-space cap of the computing process
MIN_MEMORY_MB = 256
