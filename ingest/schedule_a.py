"""Schedule A exhibits and orders as plain text and HTML, and what the format adapters share.

Thin adapters: each turns its format into ``Line``s of ``Cell``s with locators ("line 40", "paragraph 12",
"table 1, row 7"); ``ingest.schedule_a_text`` does the rest. PDF and DOCX have modules of their own
(``schedule_a_pdf``, ``schedule_a_docx``). Nothing here fetches or executes anything: scripts and styles
in HTML are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import BinaryIO

from graph.records import Record

from ingest.base import ParseContext, Parser, Unreadable, register
from ingest.errors import ParseError
from ingest.schedule_a_text import Cell, Line, read_schedule_a, schedule_a_records, split_cells
from ingest.text import guess_encoding, looks_binary

MAX_BYTES = 200 * 2**20       # largest document read

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


def _why(exc: Exception) -> str:
    text = " ".join(str(exc).split())[:160]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


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
