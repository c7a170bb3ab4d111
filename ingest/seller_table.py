"""Seller tables as CSV/TSV: one storefront (or account holder) per row, free-form headers mapped to fields.

Title rows above the header row are allowed (see ``ingest.tables``); how rows become Records is shared with
the XLSX and JSON readers.
"""

from __future__ import annotations

import csv
import itertools
import sys
from collections.abc import Iterator
from typing import BinaryIO

from graph.records import Record

from ingest.base import ParseContext, Parser, register
from ingest.columns import normalise_header, synonym_table
from ingest.errors import ParseError
from ingest.tables import HEADER_SCAN, MAX_COLUMNS, Table, case_in, find_header, header_kind
from ingest.text import guess_encoding, looks_binary, open_text

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


def _dialect(sample: str, name: str) -> type[csv.Dialect] | csv.Dialect:
    if name.lower().endswith(".tsv"):
        return csv.excel_tab
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        return csv.excel


def _head_text(head: bytes) -> str:
    encoding = guess_encoding(head)
    return head.decode(encoding if encoding != "utf-8-sig" else "utf-8", errors="replace").lstrip("\ufeff")


def sniff_header_kind(name: str, head: bytes) -> str | None:
    """The kind of table (ingest.tables) whose header row is in the first lines of a text table, else None."""
    text = _head_text(head)
    lines = text.splitlines()[:HEADER_SCAN * 2]
    try:
        rows = [r for r in csv.reader(lines, dialect=_dialect("\n".join(lines)[:8192], name)) if any(
            c.strip() for c in r)]
    except csv.Error:
        return None
    index = find_header(rows, {})
    return None if index is None else header_kind(rows[index])


@register
class SellerTableCSV(Parser):
    name = "seller-table-csv"
    media_type = "text/csv"
    extensions = (".csv", ".tsv")
    fixture = "ingest/seller_table.csv"

    @classmethod
    def sniff(cls, name: str, head: bytes) -> int:
        lower = name.lower()
        if looks_binary(head):
            return 1 if lower.endswith(cls.extensions) else 0  # claimed, then rejected with a reason
        if lower.endswith(cls.extensions):
            return 80
        if lower.endswith(".txt"):
            text = head.decode(guess_encoding(head), errors="replace")
            first = text.splitlines()[0] if text else ""
            cells = [normalise_header(c) for c in first.replace("\t", ",").split(",")]
            hits = sum(1 for c in cells if c in synonym_table())
            return 60 if hits >= 2 else 0
        return 0

    def parse(self, stream: BinaryIO, ctx: ParseContext) -> Iterator[Record]:
        text, encoding, head = open_text(stream, ctx.path, "a text table")
        ctx.notes.append(f"encoding {encoding}")
        sample = head.decode(encoding if encoding != "utf-8-sig" else "utf-8", errors="replace")
        rows = _rows(csv.reader(text, dialect=_dialect(sample[:8192], ctx.path)), ctx)

        scanned: list[tuple[int, list[str]]] = []  # the first non-empty rows, where the header row is
        for row_no, cells in rows:
            if any(c.strip() for c in cells):
                scanned.append((row_no, [c.strip().lstrip("\ufeff") for c in cells]))
                if len(scanned) >= HEADER_SCAN:
                    break
        if not scanned:
            raise ParseError(ctx.path, "row 1", "no header row")
        index = find_header([cells for _, cells in scanned], ctx.overrides)
        if index is None:
            row_no, cells = scanned[0]
            raise ParseError(ctx.path, f"row {row_no}", "no column is a known seller field "
                             f"(headers: {', '.join(c for c in cells[:8] if c)}); use --map \"Column=field\"")
        header_no, cells = scanned[index]
        header_cells = cells[:MAX_COLUMNS]
        header = [h or f"column {i + 1}" for i, h in enumerate(header_cells)]
        titles = [(f"row {n}", " ".join(c for c in row if c)) for n, row in scanned[:index]]
        if titles:
            ctx.notes.append(f"{len(titles)} title row(s) above the header (row {header_no}): "
                             f"{' / '.join(t for _, t in titles)[:300]!r}")
        table = Table(ctx, [*(t for _, t in titles), ctx.path.rsplit("/", 1)[-1]], shared=case_in(titles))
        columns = table.set_header(header)
        repeated = 0
        for row_no, cells in itertools.chain(scanned[index + 1:], rows):  # streamed: never the whole table
            if [c.strip() for c in cells[:MAX_COLUMNS]] == header_cells:
                repeated += 1  # the header repeated on every page of an exhibit
                continue
            pairs = []
            for i, cell in enumerate(cells[:MAX_COLUMNS]):
                if i >= len(columns):
                    columns.append(table.column(f"column {i + 1}", f"column 'column {i + 1}'"))
                pairs.append((columns[i], cell))
            yield from table.record(pairs, f"row {row_no}")
        if repeated:
            ctx.notes.append(f"{repeated} repeated header row(s) skipped")
        table.finish()


def _rows(reader, ctx: ParseContext) -> Iterator[tuple[int, list[str]]]:
    row_no = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if row_no == 0:
                raise ParseError(ctx.path, "row 1", f"malformed header ({exc})") from None
            raise ParseError(ctx.path, f"row {reader.line_num}", f"malformed CSV ({exc})") from None
        row_no += 1
        yield row_no, cells
