"""calccli: a command-line calculus calculator.

This module stays import-light: ``calccli --help``, ``--version`` and TAB
completion load it, and they must not pay for SymPy, NumPy or Rich.
"""

__version__ = "0.1.0"
