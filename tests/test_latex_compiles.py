"""Every LaTeX output compiles: KaTeX, in strict mode, renders the LaTeX part of each golden case.

The golden files pin what ``-f latex`` prints for every case (and ``tests/golden`` checks they are
current), so rendering them renders calccli's actual LaTeX.  KaTeX runs under Node.js; it is
installed into build/katex by ``scripts/install-katex`` (run here when it is missing, and by
``.ci/run``), so a fresh clone needs only Node.js and npm.  A missing Node.js fails these tests: it
does not skip them.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
CHECK = ROOT / "scripts" / "katex-check.js"
_SECTION = re.compile(r"^=== (?P<fmt>[^\n]+) \(exit \d+\)\n(?P<body>.*?)(?=^--- stderr\n|^=== |\Z)", re.M | re.S)


def latex_parts(golden: str) -> list[str]:
    r"""The LaTeX documents of one golden file: each ``aligned`` environment its ``latex`` section holds.

    >>> latex_parts("$ calccli x\n\n=== latex (exit 0)\n\\begin{aligned}\na\n\\end{aligned}\n--- stderr\nn\n")
    ['\\begin{aligned}\na\n\\end{aligned}']
    """
    out: list[str] = []
    for m in _SECTION.finditer(golden):
        body = m.group("body")
        if m.group("fmt") != "latex" and r"\begin{aligned}" not in body:
            continue
        lines = [line for line in body.splitlines() if not line.startswith("%")]  # batch: % formula
        out += re.findall(r"\\begin\{aligned\}.*?\\end\{aligned\}", "\n".join(lines), re.S)
    return out


def _golden_files() -> list[Path]:
    return sorted(GOLDEN.glob("*/*.golden"))


@cache
def katex(documents: tuple[str, ...]) -> list[str | None]:
    """Render each document with KaTeX (strict); None for success, else KaTeX's message."""
    if shutil.which("node") is None or shutil.which("npm") is None:  # a fresh machine
        subprocess.run([str(ROOT / "scripts" / "install-system-tools")], timeout=900)
    if shutil.which("node") is None:
        pytest.fail("Node.js is needed to check that the LaTeX output compiles (install node >= 18 and npm)")
    subprocess.run([str(ROOT / "scripts" / "install-katex")], check=True, timeout=600)
    done = subprocess.run(
        ["node", str(CHECK)], input=json.dumps(documents), capture_output=True, text=True, check=True, timeout=600
    )
    return json.loads(done.stdout)


@cache
def _all() -> dict[str, str | None]:
    docs = tuple(dict.fromkeys(doc for p in _golden_files() for doc in latex_parts(p.read_text())))
    return dict(zip(docs, katex(docs), strict=True))


def test_katex_rejects_what_strict_mode_forbids():
    """The checker itself: it must fail math in \\text and Unicode in math, and pass good LaTeX."""
    got = katex((r"\frac{\partial f}{\partial x} = 2 x", r"\text{incorrect ✗}", r"\text{f_xx}", r"\frac{1}{"))
    assert got[0] is None
    assert all(e is not None for e in got[1:]), got


@pytest.mark.parametrize("path", _golden_files(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_golden_latex_output_compiles_in_strict_katex(path):
    results = _all()
    failures = [(doc, results[doc]) for doc in latex_parts(path.read_text()) if results[doc] is not None]
    assert not failures, "\n\n".join(f"{err}\n{doc}" for doc, err in failures)


def test_latex_output_is_found_in_the_golden_files():
    assert sum(len(latex_parts(p.read_text())) for p in _golden_files()) > 100


_ALPHABET = (
    "abcxyz XYZ019 +-*/=()[],.;:!?'\"<>|@`~\\{}_^&%$#"  # ASCII, LaTeX's special characters among them
    "∂∇·∫Δ✓✗×≈≤≥≠±∞→∈√∑²³…θπλΩαΑ€ü"  # symbols calccli prints, Greek, and characters it never planned for
)


def test_any_words_in_text_mode_compile():
    """Whatever a presenter puts into words, ``text_mode`` makes it something KaTeX's strict mode accepts."""
    import random

    from calccli.render.latex import text_mode

    rng = random.Random(11)
    samples = ["".join(rng.choice(_ALPHABET) for _ in range(rng.randint(1, 30))) for _ in range(400)]
    samples += ["x**2 + f_xx", "h^T H(p) h", "100% & #1 {a} $5 ~ \\", "correct ✓", "incorrect ✗"]
    docs = tuple(rf"\text{{{text_mode(s)}}}" for s in samples)
    failures = [(s, e) for s, e in zip(samples, katex(docs), strict=True) if e is not None]
    assert not failures, failures[:5]
