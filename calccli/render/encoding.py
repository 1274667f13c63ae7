"""Output an encoding cannot show: an ASCII spelling of each symbol calccli prints.

``PYTHONIOENCODING=ascii`` or a ``C`` locale leaves stdout unable to show ``∂`` or ``✓``; rather than fail,
calccli spells them in ASCII (``∂`` -> ``d``, ``✓`` -> ``ok``, box drawing -> ``-``, ``|``, ``+``).  Text that
the stream can encode is left exactly as it is.  Standard library only.
"""

from __future__ import annotations

import codecs
import unicodedata

_SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"

# Symbols calccli's own output uses, spelled for an ASCII reader.
_SYMBOLS = {
    "∂": "d",
    "∇": "nabla ",
    "✓": "ok",
    "✗": "X",
    "≈": "~",
    "·": "*",
    "×": "x",
    "∫": "int ",
    "√": "sqrt",
    "∞": "oo",
    "≤": "<=",
    "≥": ">=",
    "≠": "!=",
    "→": "->",
    "←": "<-",
    "…": "...",
    "−": "-",
    "–": "-",
    "—": "-",
    "‖": "||",
    "⋅": "*",
    "°": " deg",
    "±": "+-",
    "∈": "in",
    "‘": "'",
    "’": "'",
    "“": '"',
    "”": '"',
    "ᵀ": "'",
    "⊙": ".*",
    "∘": "o",
    "𝟙": "ones",
}


def _box(c: str) -> str | None:
    """Box drawing (U+2500..U+257F) as -, | and +."""
    if not "\u2500" <= c <= "\u257f":
        return None
    name = unicodedata.name(c, "")
    if " AND " in name or "DOWN" in name or "UP" in name or "ARC" in name:
        return "+"  # crossings, tees and corners
    return "|" if "VERTICAL" in name else "-"


def _greek(c: str) -> str | None:
    """A Greek letter by its name: θ -> theta, Δ -> Delta."""
    name = unicodedata.name(c, "")
    if not name.startswith("GREEK ") or " LETTER " not in name:
        return None
    word = name.rsplit(" ", 1)[-1].lower()
    if word == "lamda":
        word = "lambda"
    return word.capitalize() if "CAPITAL" in name else word


def ascii_spelling(text: str) -> str:
    """``text`` with every non-ASCII character spelled in ASCII.

    >>> ascii_spelling("∂²f/∂x∂y ≈ 2.5 ✓")
    'd^2f/dxdy ~ 2.5 ok'
    >>> ascii_spelling("θ ∈ [0, π]; ─┼─")
    'theta in [0, pi]; -+-'
    >>> ascii_spelling("xᵀ A x, X⁻¹, X⁻ᵀ, ‖x‖² ⊙ y")
    "x' A x, X^-1, X^-T, ||x||^2 .* y"
    """
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isascii():
            out.append(c)
        elif text[i : i + 2] == "⁻ᵀ":  # the inverse transpose, X⁻ᵀ
            out.append("^-T")
            i += 2
            continue
        elif c in _SUPERSCRIPT_DIGITS or (c == "⁻" and text[i + 1 : i + 2] in tuple(_SUPERSCRIPT_DIGITS)):
            j = i + 1
            while j < n and text[j] in _SUPERSCRIPT_DIGITS:
                j += 1
            sign = "-" if c == "⁻" else ""
            digits = "".join(str(_SUPERSCRIPT_DIGITS.index(d)) for d in text[i:j] if d != "⁻")
            out.append(f"^{sign}{digits}")
            i = j
            continue
        else:
            spelled = _SYMBOLS.get(c) or _box(c) or _greek(c)
            if spelled is None:
                decomposed = unicodedata.normalize("NFKD", c).encode("ascii", "ignore").decode()
                spelled = decomposed or "?"
            out.append(spelled)
        i += 1
    return "".join(out)


def can_encode(text: str, encoding: str) -> bool:
    """Can a stream in ``encoding`` show ``text`` as it is?

    >>> can_encode("∂f", "utf-8"), can_encode("∂f", "ascii"), can_encode("x", "no-such-codec")
    (True, False, True)
    """
    try:
        codecs.lookup(encoding)
    except LookupError:
        return True
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def fit(text: str, encoding: str) -> str:
    """``text`` as is when ``encoding`` can show it, else spelled in ASCII (and, if even that fails, '?').

    >>> fit("✓ correct", "ascii"), fit("✓ correct", "utf-8")
    ('ok correct', '✓ correct')
    """
    if can_encode(text, encoding):
        return text
    spelled = ascii_spelling(text)
    if can_encode(spelled, encoding):
        return spelled
    return spelled.encode(encoding, errors="replace").decode(encoding)
