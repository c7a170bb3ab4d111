"""Text folding shared by the cleaners: valid Unicode, NFKC, no invisible or control characters."""

from __future__ import annotations

import unicodedata

_DROP = ("Cf", "Cs", "Co", "Cn")  # format (zero-width, bidi), surrogates, private use, unassigned


def fold_text(raw: str, limit: int, keep_newlines: bool = False) -> str:
    """``raw`` cut to ``limit`` characters, NFKC-folded (full-width forms), with invisible characters
    dropped and control characters turned into spaces, repeated until stable; trimmed."""
    text = raw[:limit].encode("utf-8", "ignore").decode("utf-8")
    if text.isascii() and text.isprintable():  # the common case: nothing to fold or drop
        return text.strip()
    for _ in range(3):
        new = "".join(" " if unicodedata.category(c) == "Cc" and not (keep_newlines and c == "\n") else c
                      for c in text if unicodedata.category(c) not in _DROP)
        new = unicodedata.normalize("NFKC", new)
        if new == text:
            break
        text = new
    return text.strip()
