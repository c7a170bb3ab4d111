"""Schedule A exhibits and orders as PDF: the text layer (pypdf) as ``Line``s of positioned ``Cell``s,
located "page 3, line 14". Encrypted PDFs open when they need no password; pypdf's warnings about a
damaged file become one note.
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
from collections.abc import Iterator
from typing import BinaryIO

from graph.records import Record

from ingest.base import ParseContext, Parser, Unreadable, register
from ingest.errors import ParseError
from ingest.schedule_a import _finish, _read_all, _why
from ingest.schedule_a_text import Cell, Line

MAX_PAGES = 5000


def _mul(m: list[float], n: list[float]) -> tuple[float, ...]:
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u)


def _widths(font) -> tuple[int, list[float]] | None:
    """(first char, widths in 1/1000 em) of a simple font, when the PDF says."""
    try:
        widths = font.get("/Widths") if font is not None else None
        if widths is None:
            return None
        return int(font.get("/FirstChar", 0)), [float(w) for w in widths.get_object()]
    except Exception:  # a malformed font dictionary only costs the word merging
        return None


class _Frag:
    __slots__ = ("x", "y", "size", "text", "end")

    def __init__(self, x: float, y: float, size: float, text: str, end: float | None):
        self.x, self.y, self.size, self.text, self.end = x, y, size, text, end


def _page_lines(page, number: int) -> list[Line]:
    box = page.mediabox
    left, top, height = float(box.left), float(box.top), float(box.height) or 792.0
    frags: list[_Frag] = []

    def visit(text, cm, tm, font, size):
        if not text or not text.strip():
            return
        a, b, c, d, e, f = _mul(tm, cm)
        eff = abs(size * (abs(a * d - b * c) ** 0.5)) or abs(size) or 10.0
        for k, piece in enumerate(text.split("\n")):
            piece = " ".join(piece.split())
            if not piece:
                continue
            w = _widths(font)
            end = None
            if w and k == 0:
                first, table = w
                em = sum(table[ord(ch) - first] if 0 <= ord(ch) - first < len(table) else 500 for ch in piece)
                end = e - left + em / 1000 * eff
            frags.append(_Frag(e - left, top - f + k * eff * 1.2, eff, piece, end))

    page.extract_text(visitor_text=visit)
    frags.sort(key=lambda fr: (fr.y, fr.x))
    groups: list[list[_Frag]] = []
    for fr in frags:
        if groups and abs(fr.y - groups[-1][0].y) <= 0.5 * max(fr.size, groups[-1][0].size):
            groups[-1].append(fr)
        else:
            groups.append([fr])
    lines = []
    for n, group in enumerate(groups, 1):
        big = max(fr.size for fr in group)
        # superscript footnote markers ("Bloomora¹") are not part of the text
        group = sorted((fr for fr in group if not (fr.size < 0.8 * big and re.fullmatch(r"[\d*†‡§,\s]{1,5}", fr.text))),
                       key=lambda fr: fr.x)
        cells: list[list] = []
        for fr in group:
            prev = cells[-1] if cells else None
            if prev and prev[2] is not None and fr.x - prev[2] < 0.6 * big:  # the same run of text, split by the PDF
                prev[1] += ("" if fr.x - prev[2] < 0.1 * big else " ") + fr.text
                prev[2] = fr.end
            else:
                cells.append([fr.x, fr.text, fr.end])
        if not cells:
            continue
        base = max(group, key=lambda fr: fr.size)
        margin = base.y < 0.06 * height or base.y > 0.93 * height
        lines.append(Line(tuple(Cell(round(x, 1), t) for x, t, _ in cells), f"page {number}, line {n}",
                          page=number, y=base.y, size=round(big, 1), noise=margin))
    return lines


def _pdf_reader(data: bytes, ctx: ParseContext):
    from pypdf import PdfReader  # imported here: only PDF ingest needs it

    if not data.lstrip()[:1024].startswith(b"%PDF") and b"%PDF-" not in data[:1024]:
        raise ParseError(ctx.path, "byte 0", "not a PDF (no %PDF header)")
    if b"%%EOF" not in data[-2048:]:
        raise ParseError(ctx.path, "end of file", "truncated PDF (no %%EOF marker: the file was cut short)")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        encrypted = reader.is_encrypted
    except Exception as exc:  # pypdf raises many kinds on hostile input
        raise ParseError(ctx.path, "", f"not a readable PDF ({_why(exc)})") from None
    if encrypted:
        try:
            opened = reader.decrypt("")
        except Exception as exc:
            raise ParseError(ctx.path, "", f"encrypted PDF that cannot be opened ({_why(exc)})") from None
        if not opened:
            raise ParseError(ctx.path, "", "encrypted PDF: it needs a password (save an unencrypted copy first)")
        ctx.notes.append("encrypted PDF opened without a password")
    return reader


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(" ".join(record.getMessage().split())[:160])


@contextlib.contextmanager
def _pypdf_warnings(ctx: ParseContext):
    """pypdf's warnings about a damaged file become one note instead of lines on stderr."""
    logger = logging.getLogger("pypdf")
    handler, propagate = _Collect(), logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate
        if handler.messages:
            ctx.notes.append(f"PDF reader: {len(handler.messages)} warnings about the file's structure "
                             f"(first: {handler.messages[0]})")


@register
class ScheduleAPDF(Parser):
    name = "schedule-a-pdf"
    media_type = "application/pdf"
    extensions = (".pdf",)
    fixture = "ingest/schedule_a/exhibit.pdf"

    @classmethod
    def sniff(cls, name: str, head: bytes) -> int:
        if b"%PDF-" in head[:1024]:
            return 60  # the only PDF reader so far; a more specific PDF parser may claim more
        return 5 if name.lower().endswith(".pdf") else 0  # claimed, then rejected with a reason

    def parse(self, stream: BinaryIO, ctx: ParseContext) -> Iterator[Record | Unreadable]:
        data = _read_all(stream, ctx)
        with _pypdf_warnings(ctx):
            lines, extra = self._lines(data, ctx)
        yield from _finish(lines, ctx, extra)

    def _lines(self, data: bytes, ctx: ParseContext) -> tuple[list[Line], list[Unreadable]]:
        reader = _pdf_reader(data, ctx)
        try:
            pages = list(reader.pages)
        except Exception as exc:
            raise ParseError(ctx.path, "", f"not a readable PDF ({_why(exc)})") from None
        if len(pages) > MAX_PAGES:
            raise ParseError(ctx.path, "", f"{len(pages)} pages; more than {MAX_PAGES}")
        lines: list[Line] = []
        extra: list[Unreadable] = []
        empty = []
        for number, page in enumerate(pages, 1):
            try:
                found = _page_lines(page, number)
            except Exception as exc:
                extra.append(Unreadable(f"page {number}", "", f"cannot read this page ({_why(exc)})"))
                continue
            if not found:
                empty.append(number)
            lines.extend(found)
        if not lines:
            if extra and not empty:
                raise ParseError(ctx.path, "page 1", f"no page could be read ({extra[0].reason})")
            raise ParseError(ctx.path, "page 1", "no text layer (a scanned document? OCR it first)")
        for number in empty:
            extra.append(Unreadable(f"page {number}", "", "no text layer (a scanned page? OCR it first)"))
        return lines, extra
