"""Schedule A exhibits and orders as PDF (text layer), plain text, HTML and DOCX.

Thin adapters: each turns its format into ``Line``s of ``Cell``s with locators ("page 3, line 14",
"line 40", "paragraph 12", "table 1, row 7"); ``ingest.schedule_a_text`` does the rest. Nothing here
fetches or executes anything: scripts and styles in HTML are skipped, DOCX is read with the standard
library (zipfile + ElementTree, no DTDs), PDFs with pypdf.
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
import zipfile
import zlib
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import BinaryIO
from xml.etree import ElementTree

from graph.records import Record

from ingest.base import ParseContext, Parser, Unreadable, register
from ingest.errors import ParseError
from ingest.schedule_a_text import Cell, Line, read_schedule_a, schedule_a_records, split_cells
from ingest.text import guess_encoding, looks_binary

MAX_BYTES = 200 * 2**20       # largest document read
MAX_XML = 100 * 2**20         # largest word/document.xml (uncompressed)
MAX_PAGES = 5000

_SCHEDULE = re.compile(r"(?i:schedule)\s*[\"“”'‘’]?\s*A\b")
_DOCKET_WORDS = re.compile(r"(?i:\b(?:case|civil\s+action|docket)\s*(?:no\.?|number|#|:)\s*"
                           r"(?:\d{1,2}:)?\d{2}[-\s]?(?:cv|civ|c)[-\s]?\d{1,6})")


def score_text(text: str) -> int:
    """How clearly some text is a Schedule A exhibit or an order naming defendants (0-100)."""
    sched = _SCHEDULE.search(text)
    defendant = re.search(r"\bdefendants?\b", text, re.I)
    table = re.search(r"seller\s+alias|\bseller\s+id\b|\bdef\.?\s*no\b|\bdoe\s+no\b|merchant\s+id", text, re.I)
    docket = _DOCKET_WORDS.search(text) or re.search(r"Case:?\s+\d:\d{2}-cv-\d+\s+Document", text)
    court = re.search(r"district\s+court", text, re.I)
    if sched and (defendant or table or docket):
        return 85
    if court and docket and defendant:
        return 75
    if sched:
        return 45
    if table and defendant:
        return 45
    return 0


def _read_all(stream: BinaryIO, ctx: ParseContext) -> bytes:
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ParseError(ctx.path, "", f"larger than {MAX_BYTES // 2**20} MiB; split it first")
    return data


def _finish(lines: list[Line], ctx: ParseContext, extra: list[Unreadable] = ()) -> Iterator[Record | Unreadable]:
    doc = read_schedule_a(lines, ctx.overrides)
    ctx.columns.update(doc.columns)
    ctx.notes.extend(doc.notes)
    if not doc.defendants and doc.docket is None:
        raise ParseError(ctx.path, "", "no Schedule A defendants or case caption found")
    ctx.notes.append(f"{len(doc.defendants)} defendants"
                     + (f" in case {doc.docket.value}" if doc.docket else " (no docket number found)"))
    yield from schedule_a_records(doc)
    yield from extra


# --- PDF ----------------------------------------------------------------------------------------------

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


def _why(exc: Exception) -> str:
    text = " ".join(str(exc).split())[:160]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


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


# --- plain text ---------------------------------------------------------------------------------------

_PAGE_NUMBER = re.compile(r"\s*(?:[-–—]\s*)?(?:page\s+)?\d{1,4}(?:\s+of\s+\d{1,4})?(?:\s*[-–—])?\s*", re.I)


def _text_lines(text: str) -> list[Line]:
    raws = re.split(r"\r\n|\n|\r", text)  # not str.splitlines(): form feeds are page breaks, not lines
    if raws and raws[-1] == "":
        raws.pop()
    breaks = [k for k, raw in enumerate(raws) if "\f" in raw]
    lines, page = [], 1
    for n, raw in enumerate(raws, 1):
        if "\f" in raw:
            page += raw.count("\f")
            raw = raw.replace("\f", "")
        cells, indexed = split_cells(raw)
        # a page number next to a page break (form feed)
        noise = bool(_PAGE_NUMBER.fullmatch(raw)) and any(-3 <= n - 1 - k <= 2 for k in breaks)
        lines.append(Line(cells, f"line {n}", page=page, indexed=indexed, noise=noise))
    return lines


@register
class ScheduleAText(Parser):
    name = "schedule-a-text"
    media_type = "text/plain"
    extensions = (".txt", ".text", ".md")
    fixture = "ingest/schedule_a/tro_order.txt"

    @classmethod
    def sniff(cls, name: str, head: bytes) -> int:
        lower = name.lower()
        if looks_binary(head) or not (lower.endswith(cls.extensions) or "." not in lower.rsplit("/", 1)[-1]):
            return 0
        text = head.decode(guess_encoding(head), errors="replace")
        if re.match(r"\s*<(?:!doctype\s+html|html)", text, re.I):
            return 0
        return score_text(text)

    def parse(self, stream: BinaryIO, ctx: ParseContext) -> Iterator[Record | Unreadable]:
        data = _read_all(stream, ctx)
        if looks_binary(data[:65536]):
            raise ParseError(ctx.path, "byte 0", "binary data, not text")
        encoding = guess_encoding(data[:65536])
        ctx.notes.append(f"encoding {encoding}")
        yield from _finish(_text_lines(data.decode(encoding, errors="replace")), ctx)


# --- HTML ---------------------------------------------------------------------------------------------

_BLOCKS = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
           "header", "footer", "blockquote", "pre", "table", "tr", "dt", "dd", "hr", "title", "center", "body"}
_SKIP = {"script", "style", "template", "noscript", "iframe", "object", "svg", "head"}


class _HTMLLines(HTMLParser):
    """Paragraphs and table rows of an HTML page as Lines; script, style and the like are skipped."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines: list[Line] = []
        self.skip = 0
        self.text: list[str] = []
        self.pre = 0
        self.paragraphs = 0
        self.tables = 0
        self.stack: list[dict] = []   # open tables: {"id", "rows", "cells", "cell", "col"}

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP:
            self.skip += 1
            return
        if self.skip:
            return
        table = self.stack[-1] if self.stack else None
        if tag == "table":
            self._flush()
            self.tables += 1
            self.stack.append({"id": self.tables, "rows": 0, "cells": None, "cell": None, "col": 0})
        elif table and tag == "tr":
            self._end_row(table)
            table["cells"], table["col"] = [], 0
        elif table and tag in ("td", "th"):
            self._end_cell(table)
            if table["cells"] is None:
                table["cells"], table["col"] = [], 0
            span = dict(attrs).get("colspan") or "1"
            table["cell"] = [table["col"], []]
            table["col"] += min(int(span), 50) if span.isdigit() and int(span) > 0 else 1
        elif tag in _BLOCKS:
            if table and table["cell"] is not None:
                table["cell"][1].append(" ")
            else:
                self._flush()
            if tag == "pre":
                self.pre += 1

    def handle_endtag(self, tag):
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
            return
        if self.skip:
            return
        table = self.stack[-1] if self.stack else None
        if tag == "table" and table:
            self._end_row(table)
            self.stack.pop()
        elif table and tag in ("td", "th"):
            self._end_cell(table)
        elif table and tag == "tr":
            self._end_row(table)
        elif tag in _BLOCKS and not (table and table["cell"] is not None):
            self._flush()
            if tag == "pre":
                self.pre = max(0, self.pre - 1)

    def handle_data(self, data):
        if self.skip:
            return
        table = self.stack[-1] if self.stack else None
        if table and table["cell"] is not None:
            table["cell"][1].append(data)
        else:
            self.text.append(data)

    def _end_cell(self, table):
        if table["cell"] is not None:
            col, parts = table["cell"]
            table["cells"].append(Cell(float(col), " ".join("".join(parts).split())))
            table["cell"] = None

    def _end_row(self, table):
        self._end_cell(table)
        if table["cells"] is not None:
            table["rows"] += 1
            cells = tuple(c for c in table["cells"] if c.text)
            self.lines.append(Line(cells, f"table {table['id']}, row {table['rows']}", table=table["id"],
                                   indexed=True))
            table["cells"] = None

    def _flush(self):
        text, self.text = "".join(self.text), []
        chunks = text.splitlines() if self.pre else [" ".join(text.split())]
        for chunk in chunks:
            if not chunk.strip():
                continue
            self.paragraphs += 1
            cells, indexed = split_cells(chunk) if self.pre else ((Cell(0.0, chunk.strip()),), False)
            self.lines.append(Line(cells, f"paragraph {self.paragraphs}", indexed=indexed))

    def close(self):
        super().close()
        while self.stack:
            self._end_row(self.stack.pop())
        self._flush()


def _html_text(head: str) -> str:
    head = re.sub(r"<(script|style|template)\b.*?(?:</\1\s*>|$)", " ", head, flags=re.I | re.S)
    return re.sub(r"<[^>]*>", " ", head)


@register
class ScheduleAHTML(Parser):
    name = "schedule-a-html"
    media_type = "text/html"
    extensions = (".html", ".htm", ".xhtml")
    fixture = "ingest/schedule_a/exhibit.html"

    @classmethod
    def sniff(cls, name: str, head: bytes) -> int:
        if looks_binary(head):
            return 0
        text = head.decode(guess_encoding(head), errors="replace")
        htmlish = name.lower().endswith(cls.extensions) or re.match(r"\s*(?:<\?xml[^>]*>\s*)?<(?:!doctype\s+html|html)",
                                                                    text, re.I)
        return score_text(_html_text(text)) if htmlish else 0

    def parse(self, stream: BinaryIO, ctx: ParseContext) -> Iterator[Record | Unreadable]:
        data = _read_all(stream, ctx)
        m = re.search(rb"<meta[^>]+charset\s*=\s*[\"']?([A-Za-z0-9_-]+)", data[:4096], re.I)
        encoding = m.group(1).decode() if m else guess_encoding(data[:65536])
        try:
            text = data.decode(encoding, errors="replace")
        except LookupError:
            encoding = guess_encoding(data[:65536])
            text = data.decode(encoding, errors="replace")
        ctx.notes.append(f"encoding {encoding}")
        reader = _HTMLLines()
        reader.feed(text)
        reader.close()
        yield from _finish(reader.lines, ctx)


# --- DOCX ---------------------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docx_xml(data: bytes, ctx: ParseContext) -> ElementTree.Element:
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ParseError(ctx.path, "", "a legacy .doc or a password-protected Word file; save it as an "
                                       "unprotected .docx first")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            info = zf.getinfo("word/document.xml")
            if info.file_size > MAX_XML:
                raise ParseError(ctx.path, "word/document.xml", f"larger than {MAX_XML // 2**20} MiB uncompressed")
            with zf.open(info) as fh:
                xml = fh.read(MAX_XML + 1)
    except KeyError:
        raise ParseError(ctx.path, "", "not a Word document (no word/document.xml)") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, zlib.error,
            EOFError) as exc:
        raise ParseError(ctx.path, "", f"not a readable DOCX ({_why(exc)})") from None
    if len(xml) > MAX_XML:
        raise ParseError(ctx.path, "word/document.xml", f"larger than {MAX_XML // 2**20} MiB uncompressed")
    if b"<!DOCTYPE" in xml[:4096] or b"<!ENTITY" in xml:
        raise ParseError(ctx.path, "word/document.xml", "declares a DTD or entities; refused")
    try:
        return ElementTree.fromstring(xml)
    except ElementTree.ParseError as exc:
        raise ParseError(ctx.path, "word/document.xml", f"malformed XML ({exc})") from None


def _run_text(el: ElementTree.Element) -> str:
    out = []
    for node in el.iter():
        if node.tag == _W + "t" and node.text:
            out.append(node.text)
        elif node.tag == _W + "tab":
            out.append("\t")
        elif node.tag in (_W + "br", _W + "cr"):
            out.append(" ")
    return "".join(out)


def _docx_lines(root: ElementTree.Element) -> list[Line]:
    lines: list[Line] = []
    counts = {"paragraph": 0, "table": 0}

    def walk(el):
        for child in el:
            if child.tag == _W + "p":
                counts["paragraph"] += 1
                cells, indexed = split_cells(_run_text(child))
                lines.append(Line(cells, f"paragraph {counts['paragraph']}", indexed=indexed))
            elif child.tag == _W + "tbl":
                counts["table"] += 1
                table = counts["table"]
                for r, tr in enumerate(child.findall(_W + "tr"), 1):
                    cells, col = [], 0
                    for tc in tr.findall(_W + "tc"):
                        span = tc.find(f"{_W}tcPr/{_W}gridSpan")
                        paras = [" ".join(_run_text(p).split()) for p in tc.iter(_W + "p")]
                        text = "\n".join(p for p in paras if p)
                        if text:
                            cells.append(Cell(float(col), text))
                        try:
                            col += max(1, min(50, int(span.get(_W + "val", "1")))) if span is not None else 1
                        except ValueError:
                            col += 1
                    lines.append(Line(tuple(cells), f"table {table}, row {r}", table=table, indexed=True))
            elif child.tag in (_W + "body", _W + "sdt", _W + "sdtContent", _W + "customXml"):
                walk(child)

    walk(root)
    return lines


def _docx_head_text(head: bytes) -> str | None:
    """The start of word/document.xml from the first bytes of a DOCX (deflate streams decode partially)."""
    at = head.find(b"word/document.xml")
    start = head.rfind(b"PK\x03\x04", 0, at)
    if at < 0 or start < 0 or len(head) < start + 30:
        return None
    method = int.from_bytes(head[start + 8:start + 10], "little")
    name_len = int.from_bytes(head[start + 26:start + 28], "little")
    extra_len = int.from_bytes(head[start + 28:start + 30], "little")
    body = head[start + 30 + name_len + extra_len:]
    try:
        xml = zlib.decompressobj(-15).decompress(body, 1 << 20) if method == 8 else body if method == 0 else b""
    except zlib.error:
        return None
    return re.sub(r"<[^>]*>", " ", xml.decode("utf-8", errors="replace")) if xml else None


@register
class ScheduleADOCX(Parser):
    name = "schedule-a-docx"
    media_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    extensions = (".docx",)
    fixture = "ingest/schedule_a/exhibit.docx"

    @classmethod
    def sniff(cls, name: str, head: bytes) -> int:
        is_docx = head.startswith(b"PK\x03\x04") and b"word/" in head
        if not (is_docx or name.lower().endswith(cls.extensions)):
            return 0
        text = _docx_head_text(head) if is_docx else None
        if text is None:
            return 30 if name.lower().endswith(cls.extensions) else 0  # cannot see: try, with a clear error
        return score_text(text)

    def parse(self, stream: BinaryIO, ctx: ParseContext) -> Iterator[Record | Unreadable]:
        root = _docx_xml(_read_all(stream, ctx), ctx)
        yield from _finish(_docx_lines(root), ctx)
