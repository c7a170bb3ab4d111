"""Seller tables as CSV/TSV: one storefront per row, free-form headers mapped to fields."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from typing import BinaryIO

from graph.records import Record, Value

from ingest.base import SNIFF_BYTES, ParseContext, Parser, register
from ingest.columns import map_header, synonym_table, normalise_header
from ingest.errors import ParseError
from ingest.text import guess_encoding, looks_binary, text_stream

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
MAX_CELL = 100_000


def _dialect(sample: str, name: str) -> type[csv.Dialect] | csv.Dialect:
    if name.lower().endswith(".tsv"):
        return csv.excel_tab
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        return csv.excel


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
        head = stream.peek(SNIFF_BYTES)[:SNIFF_BYTES] if hasattr(stream, "peek") else b""
        if looks_binary(head):
            raise ParseError(ctx.path, "byte 0", "binary data, not a text table")
        encoding = guess_encoding(head)
        ctx.notes.append(f"encoding {encoding}")
        text = text_stream(stream, encoding)
        sample = head.decode(encoding if encoding != "utf-8-sig" else "utf-8", errors="replace")
        reader = csv.reader(text, dialect=_dialect(sample[:8192], ctx.path))
        try:
            header = next(reader, None)
        except csv.Error as exc:
            raise ParseError(ctx.path, "row 1", f"malformed header ({exc})") from None
        if not header or not any(h.strip() for h in header):
            raise ParseError(ctx.path, "row 1", "no header row")
        header = [h.strip().lstrip("\ufeff") or f"column {i + 1}" for i, h in enumerate(header)]
        fields = [map_header(h, ctx.overrides) for h in header]
        ctx.columns.update({h: f or "(kept as property)" for h, f in zip(header, fields)})
        if not any(fields):
            raise ParseError(ctx.path, "row 1", "no column is a known seller field "
                             f"(headers: {', '.join(header[:8])}); use --map \"Column=field\"")
        row_no = 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise ParseError(ctx.path, f"row {reader.line_num}", f"malformed CSV ({exc})") from None
            row_no += 1
            values = []
            for i, cell in enumerate(cells):
                cell = cell.strip()
                if not cell:
                    continue
                column = header[i] if i < len(header) else f"column {i + 1}"
                field = fields[i] if i < len(fields) else None
                if len(cell) > MAX_CELL:
                    field, cell = None, cell[:MAX_CELL]
                    ctx.notes.append(f"row {row_no}: cell {column!r} cut to {MAX_CELL} characters")
                values.append(Value(field, cell, f"row {row_no}, column {column!r}", column))
            if values:
                yield Record("Storefront", f"row {row_no}", tuple(values))
