"""Schedule A exhibits and TRO orders, whatever the file format: lines of cells in, caption and defendants out.

The format adapters (``ingest/schedule_a.py``) turn a PDF text layer, plain text, HTML or DOCX into
``Line``s of ``Cell``s with locators. This module finds

* the case caption: court, docket number, plaintiff ("IN THE UNITED STATES DISTRICT COURT FOR THE
  NORTHERN DISTRICT OF ILLINOIS ... ACME BRANDS LLC, Plaintiff, v. ... Case No. 1:24-cv-01234"), with the
  ECF stamp on each page ("Case: 1:24-cv-01234 Document #: 12 ...") as a fallback for the docket;
* defendant tables: a header row ("Def. No. | Defendant (Seller Alias) | Online Marketplace | Seller ID",
  possibly wrapped over two lines), rows whose cells wrap over several lines and across pages, the header
  repeated on each page, page stamps, page numbers, titles and footnotes in between;
* numbered rows without a table header after a "SCHEDULE A" title ("1. Sunny Bloom Shop  A2EXAMPLE1234");
* glossary-style lists in orders: "... the Defendants identified in Schedule A (Sunny Bloom Shop, Bloomora,
  HX Home Deals)".

Cells are placed in columns by their ``x``: points from the left edge (PDF), a character column (aligned
plain text) or the cell index (``Line.indexed``: HTML/DOCX tables, tab- or pipe-separated text).

The pieces: ``schedule_a_lines`` (Lines, what kind each is, and what is found), ``schedule_a_table``
(defendant tables and rows), ``schedule_a_caption`` (caption and glossary lists); this module walks the
lines and makes the Records.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from graph.records import Record, Value

from ingest.base import Unreadable
from ingest.schedule_a_caption import _find_caption, _find_glossary
from ingest.schedule_a_lines import (_ECF, _PAGE_ONLY, Cell, Defendant, Found, Line, ScheduleA, _is_noise,
                                     _is_title, _schedule_title, split_cells)
from ingest.schedule_a_table import _LOOSE, _defendant, _header_at, _loose_row, _Row, _row_start, _Table

__all__ = ["Cell", "Defendant", "Found", "Line", "ScheduleA", "read_schedule_a", "schedule_a_records", "split_cells"]

MAX_LINES = 500_000
CAPTION_LINES = 150


def read_schedule_a(lines: Iterable[Line], overrides: dict[str, str] | None = None) -> ScheduleA:
    """Caption, defendants and unreadable rows of a Schedule A exhibit or order."""
    overrides = overrides or {}
    lines = [ln for _, ln in zip(range(MAX_LINES), lines)]
    doc = ScheduleA()
    prose: list[Line] = []      # lines outside tables: caption and glossary lists
    ecf: Found | None = None
    table: _Table | None = None
    row: _Row | None = None
    rows: list[tuple[_Table, _Row]] = []
    in_schedule = False
    first_header = len(lines)
    i = 0
    while i < len(lines):
        line = lines[i]
        text = line.text.strip()
        if not text:  # a blank line (plain text) ends a row
            if row and not line.y:
                row.open = False
            i += 1
            continue
        m = _ECF.match(text)
        if m and ecf is None:
            ecf = Found(" ".join(m.group("docket").split()), line.locator)
        if _is_noise(line, text):
            i += 1
            continue
        if table and line.size and table.size and line.size < 0.85 * table.size:
            i += 1  # small print under a table: footnotes
            continue
        header = _header_at(lines, i, overrides)
        if header:
            new, used = header
            first_header = min(first_header, i)
            if not (table and new.fields() == table.fields()):  # else the header repeated on a new page
                table, row = new, None
                doc.columns.update({c.header: c.field or "(kept as property)" for c in new.columns})
                doc.notes.append(f"defendant table at {line.locator}: "
                                 + ", ".join(f"{c.header} -> {c.field or 'kept'}" for c in new.columns))
            i += used
            continue
        if _PAGE_ONLY.match(text) and (table is None or not re.fullmatch(r"\d+", text)):
            i += 1  # a page number (in a table, a lone number is a row's number or a piece of a wrapped cell)
            continue
        if _is_title(text):
            in_schedule = in_schedule or _schedule_title(text)
            prose.append(line)
            i += 1
            continue
        i += 1
        if table and table.source and line.table != table.source:
            if not line.table:
                prose.append(line)  # text between two tables (HTML, DOCX)
                continue
            if table.indexed and len(line.cells) <= len(table.columns) and _row_start(table, table.assign(line), line):
                table.source = line.table  # the table goes on in the next HTML/DOCX table, without a header
            else:
                table, row = None, None
        if table is None:
            loose = _loose_row(line) if in_schedule else None
            if loose:
                rows.append((_LOOSE, loose))
            else:
                prose.append(line)
            continue
        cells = table.assign(line)
        started = _row_start(table, cells, line)
        if started:
            number, cells = started
            if row and row.open and number == row.number and row.page != line.page:
                row.add(cells, line.locator)  # "14 (cont'd)" at the top of the next page
            else:
                row = _Row(number, line.locator, line.page, line.y)
                row.add(cells, line.locator)
                rows.append((table, row))
                table.size = table.size or line.size
            continue
        if table.number is not None and cells.get(table.number):
            prose.append(line)  # text where the numbers are: a footnote or the order's text
            continue
        gap_ok = (row is not None and (row.page != line.page or line.y is None or row.y is None
                                       or line.y - row.y <= 2.6 * max(line.size, 1)))
        if row and row.open and gap_ok:
            row.add(cells, line.locator)
            row.page, row.y = line.page, line.y
        else:
            prose.append(line)
    for tbl, r in rows:
        d = _defendant(tbl, r, doc)
        if d:
            doc.defendants.append(d)
    _find_caption(doc, [ln for ln in lines[:first_header] if not _is_noise(ln, ln.text.strip())][:CAPTION_LINES])
    if doc.docket is None and ecf:
        doc.docket = ecf
        doc.notes.append(f"docket number from the court's page stamp at {ecf.locator}")
    _find_glossary(doc, prose)
    return doc


# --- records ------------------------------------------------------------------------------------------

def schedule_a_records(doc: ScheduleA) -> Iterator[Record | Unreadable]:
    """One Case record (when the docket number is known), one Storefront record per defendant."""
    court = doc.court.value if doc.court else ""
    hints = (("court", court),) if court else ()
    if doc.docket:
        values = [Value("case", doc.docket.value, doc.docket.locator, "case")]
        if doc.court:
            values.append(Value("court", court, doc.court.locator, "court"))
        if doc.plaintiff:
            values.append(Value("plaintiff", doc.plaintiff.value, doc.plaintiff.locator, "plaintiff"))
        yield Record("Case", doc.docket.locator, tuple(values), hints)
    for d in doc.defendants:
        values = list(d.values)
        if doc.docket:
            values.append(Value("case", doc.docket.value, d.locator, "case"))
            if court:
                values.append(Value("court", court, d.locator, "court"))
        yield Record("Storefront", d.locator, tuple(values), hints)
    yield from doc.unreadable
