"""Unicode folding for matching, with a map back to the original offsets.

Matching runs on a folded copy of the text: NFKC (full-width ``ｓｈｏｐ＠ｅｘａｍｐｌｅ．ｃｏｍ`` becomes ASCII),
zero-width and other format characters removed, control characters turned into spaces. Every offset the
pipeline reports refers to the ORIGINAL text: ``Folded.span`` maps a folded span back.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_REMOVED = {"Cf", "Cs", "Co", "Cn"}

# Latin look-alikes from other scripts (Cyrillic, Greek) for brand matching; digits and symbols that stand
# for letters in deliberate misspellings (R0LEX, N1KE, Adid@s) are handled by ``skeleton``.
_HOMOGLYPHS = str.maketrans({
    "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c", "т": "t",
    "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "ɡ": "g", "ӏ": "l", "А": "A", "В": "B",
    "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T", "Х": "X", "І": "I",
    "Ј": "J", "Ѕ": "S", "α": "a", "β": "b", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
    "τ": "t", "υ": "u", "χ": "x", "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K",
    "Μ": "M", "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X", "ı": "i",
})
_LEET = str.maketrans({"0": "o", "1": "i", "l": "i", "|": "i", "!": "i", "3": "e", "4": "a", "@": "a",
                       "5": "s", "$": "s", "7": "t", "8": "b", "9": "g"})


@dataclass(frozen=True, slots=True)
class Folded:
    """``text``: the folded text; ``offsets[i]``: original offset of folded character ``i`` (one extra entry
    for the end). ``None`` offsets mean the text did not change."""

    original: str
    text: str
    offsets: tuple[int, ...] | None = None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original (start, end) of the folded span [start, end)."""
        if self.offsets is None:
            return start, end
        o = self.offsets
        s = o[start]
        e = o[end - 1] + 1 if end > start else s
        return s, e


def _fold_char(ch: str) -> str:
    cat = unicodedata.category(ch)
    if cat in _REMOVED:
        return ""
    if cat == "Zs" or cat == "Zl" or cat == "Zp":
        return " " if ch != "\u2028" else "\n"
    folded = unicodedata.normalize("NFKC", ch)
    return folded


def fold(text: str) -> Folded:
    """The folded text and its offset map (cheap for ASCII text: no copy)."""
    text = text if isinstance(text, str) else str(text)
    if text.isascii() and not _CONTROL.search(text):
        return Folded(text, text)
    pieces: list[str] = []
    offsets: list[int] = []
    pos = 0
    for m in _NON_ASCII.finditer(text):
        if m.start() > pos:
            chunk = _CONTROL.sub(" ", text[pos:m.start()])
            pieces.append(chunk)
            offsets.extend(range(pos, m.start()))
        for i in range(m.start(), m.end()):
            out = _fold_char(text[i])
            if out:
                pieces.append(out)
                offsets.extend([i] * len(out))
        pos = m.end()
    if pos < len(text):
        pieces.append(_CONTROL.sub(" ", text[pos:]))
        offsets.extend(range(pos, len(text)))
    offsets.append(len(text))
    return Folded(text, "".join(pieces), tuple(offsets))


@lru_cache(maxsize=65536)
def skeleton(word: str) -> str:
    """Look-alike folding for brand matching: 'R0LEX' -> 'roiex', 'Nlke' -> 'nike', 'Ｎｉｋｅ' -> 'nike'."""
    if word.isascii():  # NFKC / NFKD and the homoglyph table change nothing in ASCII
        return "".join(c for c in word.lower().translate(_LEET) if c.isalnum())
    text = unicodedata.normalize("NFKC", word).translate(_HOMOGLYPHS)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = text.lower().translate(_LEET)
    return "".join(c for c in text if c.isalnum())
