"""Decoding text documents as found in practice: BOMs, UTF-16, GB18030/GBK, Latin-1."""

from __future__ import annotations

import codecs
import io
from typing import BinaryIO

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def guess_encoding(head: bytes) -> str:
    """Encoding of a document from its first bytes (BOM, then strict UTF-8, GB18030, else cp1252)."""
    for bom, enc in _BOMS:
        if head.startswith(bom):
            return enc
    if len(head) >= 4 and head[1::2].count(0) > len(head) // 4 and head[0::2].count(0) == 0:
        return "utf-16-le"
    sample = head
    for enc in ("utf-8", "gb18030"):
        for cut in range(4):  # the sample may end inside a multi-byte character
            try:
                sample[:len(sample) - cut].decode(enc)
                return enc
            except UnicodeDecodeError:
                continue
    return "cp1252"


def looks_binary(head: bytes) -> bool:
    """True for data that is not text in any encoding we read (NUL bytes outside UTF-16)."""
    if not head:
        return False
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or guess_encoding(head) == "utf-16-le":
        return False
    controls = sum(1 for b in head[:4096] if b < 9 or 13 < b < 32)
    return b"\x00" in head[:4096] or controls > len(head[:4096]) // 20


def text_stream(stream: BinaryIO, encoding: str) -> io.TextIOWrapper:
    # undecodable bytes become U+FFFD and are reported by the parser rather than stopping the file
    return io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline="")
