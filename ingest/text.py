"""Decoding text documents as found in practice: BOMs, UTF-16, GB18030/GBK, cp1252, and files that mix them."""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterator
from typing import BinaryIO

from ingest.base import SNIFF_BYTES
from ingest.errors import ParseError

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def _mostly_utf8(sample: bytes) -> bool:
    """True when nearly every line of the sample is valid UTF-8 with some non-ASCII text in it."""
    lines = sample.split(b"\n")[:-1] or [sample]
    bad = 0
    for line in lines:
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            bad += 1
    return bad <= max(1, len(lines) // 10) and bad < len(lines)


def guess_encoding(head: bytes) -> str:
    """Encoding of a document from its first bytes: a BOM, UTF-16 by its zero bytes, strict UTF-8,
    mostly-UTF-8 (lines in another encoding are decoded one by one, see ``text_stream``), GB18030, else cp1252."""
    for bom, enc in _BOMS:
        if head.startswith(bom):
            return enc
    if len(head) >= 4 and head[1::2].count(0) > len(head) // 4 and head[0::2].count(0) == 0:
        return "utf-16-le"
    if len(head) >= 4 and head[0::2].count(0) > len(head) // 4 and head[1::2].count(0) == 0:
        return "utf-16-be"
    for cut in range(4):  # the sample may end inside a multi-byte character
        try:
            head[:len(head) - cut].decode("utf-8")
            return "utf-8"
        except UnicodeDecodeError:
            continue
    if _mostly_utf8(head):
        return "utf-8"
    for cut in range(4):
        try:
            head[:len(head) - cut].decode("gb18030")
            return "gb18030"
        except UnicodeDecodeError:
            continue
    return "cp1252"


_CONTROL_BYTES = bytes(b for b in range(32) if b < 9 or b > 13)


def looks_binary(head: bytes) -> bool:
    """True for data that is not text in any encoding we read (many NULs or control bytes outside UTF-16)."""
    if not head:
        return False
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or guess_encoding(head).startswith("utf-16"):
        return False
    sample = head[:4096]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return sample.count(0) > max(2, len(sample) // 100) or controls > max(2, len(sample) // 20)


class _LineDecoder(io.TextIOBase):
    """UTF-8 text, line by line; a line that is not UTF-8 is read as cp1252 (counted in ``fallback_lines``).
    NUL characters are dropped."""

    def __init__(self, stream: BinaryIO, encoding: str):
        self._lines = iter(stream)
        self._skip_bom = encoding == "utf-8-sig"
        self.fallback_lines = 0

    def readable(self) -> bool:
        return True

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        if self._skip_bom:
            line, self._skip_bom = line.removeprefix(codecs.BOM_UTF8), False
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            self.fallback_lines += 1
            text = line.decode("cp1252", errors="replace")
        return text.replace("\x00", "")

    def readline(self, size: int = -1) -> str:
        try:
            return next(self)
        except StopIteration:
            return ""


def text_stream(stream: BinaryIO, encoding: str) -> io.TextIOBase:
    """A text view of ``stream``. UTF-8 documents are decoded line by line so that a line in another
    encoding (files pasted together from several sources) is still read; other encodings replace
    undecodable bytes with U+FFFD."""
    if encoding in ("utf-8", "utf-8-sig"):
        return _LineDecoder(stream, encoding)
    return io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline="")


def open_text(stream: BinaryIO, path: str, what: str) -> tuple[io.TextIOBase, str, bytes]:
    """A text view of a document (``text_stream``), its encoding guessed from its first bytes, and those
    bytes (peeked, not consumed); ParseError "byte 0: binary data, not <what>" when they are not text."""
    head = stream.peek(SNIFF_BYTES)[:SNIFF_BYTES] if hasattr(stream, "peek") else b""
    if looks_binary(head):
        raise ParseError(path, "byte 0", f"binary data, not {what}")
    encoding = guess_encoding(head)
    return text_stream(stream, encoding), encoding, head
