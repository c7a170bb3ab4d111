"""Investigators' notes as plain text or Markdown (and e-mail bodies): Sources of free text.

The parser reads the whole document to check it is text in an encoding we read, and hands the text (up to
``MAX_NLP_CHARS``) to the NLP stage (``nlp/``) as one ``FreeText``: identifiers, names and their relations
become facts located by character span (``chars S-E``). Its sniff score is low, so a specific parser (a
seller table, WHOIS output or Schedule A saved as .txt) wins whenever it recognises the content.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterator
from typing import BinaryIO

from graph.records import Record

from ingest.base import SNIFF_BYTES, FreeText, ParseContext, Parser, register
from ingest.errors import ParseError
from ingest.text import guess_encoding, looks_binary

SNIFF_SCORE = 10  # below every parser that recognises content
CHUNK = 1 << 20
MAX_NLP_CHARS = 20_000_000  # characters of a note searched by the NLP stage; the rest is only stored


class _Note(Parser):
    @classmethod
    def sniff(cls, name: str, head: bytes) -> int:
        if not name.lower().endswith(cls.extensions):
            return 0
        return 1 if looks_binary(head) else SNIFF_SCORE  # binary: claimed, then rejected with a reason

    def parse(self, stream: BinaryIO, ctx: ParseContext) -> Iterator[Record | FreeText]:
        kept: list[str] = []
        read_note(stream, ctx, kept)
        text = "".join(kept)
        if text.strip():
            yield FreeText(text)


def read_note(stream: BinaryIO, ctx: ParseContext, kept: list[str] | None = None) -> str:
    """Check that ``stream`` is text and note its encoding and size; ParseError for binary data. The decoded
    text (its first ``MAX_NLP_CHARS`` characters) is appended to ``kept`` when given."""
    if not hasattr(stream, "peek"):
        stream = io.BufferedReader(stream, buffer_size=SNIFF_BYTES)  # type: ignore[arg-type]
    head = stream.peek(SNIFF_BYTES)[:SNIFF_BYTES]
    if looks_binary(head):
        nul = head.find(b"\x00", 0, 4096)
        raise ParseError(ctx.path, f"byte {max(nul, 0)}", "binary data, not text")
    encoding = guess_encoding(head)
    ctx.notes.append(f"encoding {encoding}")
    wide = encoding.startswith("utf-16")
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    offset = chars = lines = replaced = 0
    last = ""
    while True:
        block = stream.read(CHUNK)
        nul = -1 if wide else block.find(b"\x00")
        if nul >= 0:
            raise ParseError(ctx.path, f"byte {offset + nul}", "binary data, not text")
        text = decoder.decode(block, final=not block)
        if kept is not None and chars < MAX_NLP_CHARS:
            kept.append(text[:MAX_NLP_CHARS - chars])
        chars += len(text)
        lines += text.count("\n")
        replaced += text.count("\ufffd")
        last = text[-1:] or last
        offset += len(block)
        if not block:
            break
    if last and last != "\n":
        lines += 1
    ctx.notes.append(f"{chars:,} characters on {lines:,} lines of free text (kept for the NLP stage)")
    if kept is not None and chars > MAX_NLP_CHARS:
        ctx.notes.append(f"only the first {MAX_NLP_CHARS:,} characters were searched for identifiers")
    if replaced:
        ctx.notes.append(f"{replaced:,} undecodable byte sequences read as U+FFFD")
    return encoding


@register
class PlainTextNote(_Note):
    name = "text-note"
    media_type = "text/plain"
    extensions = (".txt", ".text")
    fixture = "ingest/messages/test_buy_note.txt"


@register
class MarkdownNote(_Note):
    name = "markdown-note"
    media_type = "text/markdown"
    extensions = (".md", ".markdown")
    fixture = "ingest/messages/investigator_note.md"
