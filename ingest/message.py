"""E-mail messages (RFC 5322 ``.eml``): addresses as Email records, the body and every attachment as
documents of their own.

- From / Sender / Reply-To / To / Cc / Bcc: one ``Email`` record per address, with the display name kept
  as a property (``display name (From)``).
- ``Date:`` becomes the Source's captured time (UTC, ISO 8601).
- Subject and text body are free text for the NLP stage: they are embedded as ``body.txt`` (the subject as
  its first line), which the notes parser stores as a Source of its own. HTML-only mail is converted to
  text (nothing is executed or fetched; link targets are kept next to their text).
- Every attachment (and every attached message) is embedded under its sanitised file name, so seller
  tables, Schedule A exhibits and archives sent by e-mail are ingested too.

Hostile or sloppy mail degrades instead of failing: undecodable headers are kept verbatim as Unreadable
parts, mislabelled charsets are read with the charset that fits (GB2312 labels read as GB18030, ...).

Headers are read by ``ingest.message_headers``, the MIME parts by ``ingest.message_parts``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from email import policy
from email.message import Message
from email.parser import BytesFeedParser
from typing import BinaryIO

from graph.records import Record

from ingest.base import Embedded, ParseContext, Parser, Unreadable, register
from ingest.errors import ParseError
from ingest.message_headers import _address_records, _header_text, _read_date
from ingest.message_parts import _attachment, _leaves, _part_text, _split_body
from ingest.text import looks_binary

MAX_MESSAGE_BYTES = 512 * 1024 * 1024  # a larger .eml is refused
BODY_NAME = "body.txt"
CHUNK = 1 << 20                        # bytes fed to the MIME parser at a time

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HEADER_LINE = re.compile(rb"^([!-9;-~]+)[ \t]*:")
_KNOWN_HEADERS = {b"from", b"to", b"cc", b"subject", b"date", b"message-id", b"received", b"return-path",
                  b"mime-version", b"delivered-to", b"reply-to", b"content-type", b"x-mailer", b"sender"}


@register
class MailMessage(Parser):
    name = "email-message"
    media_type = "message/rfc822"
    extensions = (".eml",)
    fixture = "ingest/messages/seller_cs_with_table.eml"

    @classmethod
    def sniff(cls, name: str, head: bytes) -> int:
        if name.lower().endswith(cls.extensions):
            return 90
        if looks_binary(head):
            return 0
        return 70 if _looks_like_headers(head) else 0

    def parse(self, stream: BinaryIO, ctx: ParseContext) -> Iterator[Record | Embedded | Unreadable]:
        head = _read_at_most(stream, CHUNK)
        if head.startswith(_OLE):
            raise ParseError(ctx.path, "byte 0", "an Outlook .msg file, not an RFC 5322 message (save it as .eml)")
        if looks_binary(head[:4096]):
            raise ParseError(ctx.path, "byte 0", "binary data, not an e-mail message")
        msg = _read_message(head, stream, ctx)
        if not msg.keys():
            raise ParseError(ctx.path, "line 1", "no message headers (not an e-mail message)")
        defects = sorted({type(d).__name__ for d in msg.defects})
        if defects:
            ctx.notes.append(f"message defects: {', '.join(defects)}")

        yield from _address_records(msg, ctx)
        _read_date(msg, ctx)
        subject = _header_text(msg, "Subject", ctx)
        if subject:
            ctx.notes.append(f"subject {subject[:200]!r}")

        leaves, cut = _leaves(msg)
        if cut:
            yield cut
        body_parts, attachments = _split_body(leaves)

        texts = []
        for i, part in enumerate(body_parts):
            text = _part_text(part, ctx, "body" if i == 0 else f"body part {i + 1}")
            if text.strip():
                texts.append(text.strip())
        if body_parts:
            kind = "text/html converted to text" if body_parts[0].ctype == "text/html" else body_parts[0].ctype
            ctx.notes.append(f"body from {kind}")
        if subject:
            texts.insert(0, f"Subject: {subject}")
        taken = {BODY_NAME}
        if texts:
            yield Embedded(BODY_NAME, ctx.spool.add(("\n\n".join(texts) + "\n").encode("utf-8")), "body")
        else:
            ctx.notes.append("no text body")

        for n, part in enumerate(attachments, start=1):
            yield _attachment(part, n, taken, ctx.spool)
        if attachments:
            ctx.notes.append(f"{len(attachments)} attachment{'s' if len(attachments) != 1 else ''}")


def _read_message(head: bytes, stream: BinaryIO, ctx: ParseContext) -> Message:
    """The MIME structure (compat32: 20x faster than the default policy), fed to the parser a chunk at a
    time: ``parsebytes`` on the whole message held it as bytes, as text and as a UCS-4 buffer at once."""
    parser = BytesFeedParser(policy=policy.compat32)
    size, block = 0, head
    while block:
        size += len(block)
        if size > MAX_MESSAGE_BYTES:
            raise ParseError(ctx.path, f"byte {MAX_MESSAGE_BYTES}",
                             f"message larger than the limit of {MAX_MESSAGE_BYTES:,} bytes")
        parser.feed(block)
        block = stream.read(CHUNK)
    return parser.close()


def _read_at_most(stream: BinaryIO, limit: int) -> bytes:
    chunks, size = [], 0
    while size < limit and (block := stream.read(min(1 << 20, limit - size))):
        chunks.append(block)
        size += len(block)
    return b"".join(chunks)


def _looks_like_headers(head: bytes) -> bool:
    """An RFC 5322 header block: header lines up to the first blank line, with From and a date or id."""
    lines = head[:8192].split(b"\n")
    if lines and lines[0].startswith(b"From "):  # mbox separator line
        lines = lines[1:]
    names = set()
    for line in lines[:200]:
        line = line.rstrip(b"\r")
        if not line:
            break
        if line[:1] in (b" ", b"\t"):
            continue
        match = _HEADER_LINE.match(line)
        if not match:
            return False
        names.add(match.group(1).lower())
    return b"from" in names and bool(names & {b"date", b"message-id", b"received", b"subject"}) and \
        len(names & _KNOWN_HEADERS) >= 3
