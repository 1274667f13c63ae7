"""Bytecode for the calccli being measured, as ``pip install .`` leaves it.

An editable install (the development venv) compiles calccli's modules on first import and
caches the bytecode, unless ``PYTHONDONTWRITEBYTECODE`` is set (as on this project's
machines): then every run compiles every module again, about 0.1 s that no installed
calccli pays.  The benchmarks compile the package once before they measure.
"""

from __future__ import annotations

import compileall
import importlib.util
from pathlib import Path


def ensure_bytecode() -> str:
    """Compile the calccli package the benchmark will run; a line saying where."""
    spec = importlib.util.find_spec("calccli")
    if spec is None or spec.origin is None:
        return "calccli: not importable from this Python"
    package = Path(spec.origin).parent
    compileall.compile_dir(package, quiet=1)
    return f"bytecode compiled for {package}"
