"""Images (screenshots of storefronts, test-buy photos, e-mail attachments): kept as Sources of their own.

They carry no records yet; the image is evidence that a fact can cite, and later stages (image hashes of
listings) read it from the Source.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from graph.records import Record

from ingest.base import ParseContext, Parser, register
from ingest.errors import ParseError

_MAGIC = ((b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"), (b"GIF87a", "image/gif"),
          (b"GIF89a", "image/gif"), (b"BM", "image/bmp"))


def _kind(head: bytes) -> str | None:
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return next((kind for magic, kind in _MAGIC if head.startswith(magic)), None)


@register
class ImageFile(Parser):
    name = "image"
    media_type = "image/*"
    extensions = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp")
    fixture = "ingest/images/storefront_screenshot.png"

    @classmethod
    def sniff(cls, name: str, head: bytes) -> int:
        return 90 if _kind(head) else 0

    def parse(self, stream: BinaryIO, ctx: ParseContext) -> Iterator[Record]:
        head = stream.read(16)
        kind = _kind(head)
        if kind is None:
            raise ParseError(ctx.path, "byte 0", "not an image")
        total = len(head) + sum(len(block) for block in iter(lambda: stream.read(1 << 20), b""))
        ctx.notes.append(f"{kind}, {total} bytes: kept as evidence, no records")
        return iter(())
