"""Seller tables as CSV/TSV: one storefront (or account holder) per row, free-form headers mapped to fields.

Title rows above the header row are allowed (see ``ingest.tables``); how rows become Records is shared with
the XLSX and JSON readers. In an ingest (``ParseContext.defer_rows``) this process only finds where rows end;
the cleaning workers parse the rows and make their Records (``ingest.deferred``).
"""

from __future__ import annotations

import csv
import itertools
import sys
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from graph.records import Record

from ingest.base import ParseContext, Parser, register
from ingest.columns import normalise_header, synonym_table
from ingest.deferred import Rows, Then
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

    def parse(self, stream: BinaryIO, ctx: ParseContext) -> Iterator[Record | Rows | Then]:
        text, encoding, head = open_text(stream, ctx.path, "a text table")
        ctx.notes.append(f"encoding {encoding}")
        sample = head.decode(encoding if encoding != "utf-8-sig" else "utf-8", errors="replace")
        # rows made into Records by the cleaning workers (ingest.deferred); not when a column is ignored
        # (whether a row makes a Record is then more than whether it has text)
        defer = ctx.defer_rows > 0 and "ignore" not in ctx.overrides.values()
        lines = _Kept(text) if defer else text
        reader = csv.reader(lines, dialect=_dialect(sample[:8192], ctx.path))
        rows = _rows(reader, ctx)

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
        table.set_header(header)

        def finish() -> None:
            if table.repeated:
                ctx.notes.append(f"{table.repeated} repeated header row(s) skipped")
            table.finish()

        if defer:
            yield from _chunked(table, header_cells, _format(reader.dialect), scanned[index + 1:], rows, lines,
                                ctx.defer_rows)
            yield Then(finish)
        else:
            # streamed: never the whole table
            yield from _records(table, header_cells, itertools.chain(scanned[index + 1:], rows))
            finish()


def _records(table: Table, header_cells: list[str], rows: Iterable[tuple[int, list[str]]]) -> Iterator[Record]:
    """The Records of data rows (row number, cells); repeated header rows are counted in ``table.repeated``."""
    columns = table.columns
    for row_no, cells in rows:
        if [c.strip() for c in cells[:MAX_COLUMNS]] == header_cells:
            table.repeated += 1  # the header repeated on every page of an exhibit
            continue
        pairs = []
        for i, cell in enumerate(cells[:MAX_COLUMNS]):
            if i >= len(columns):
                columns.append(table.column(f"column {i + 1}", f"column 'column {i + 1}'"))
            pairs.append((columns[i], cell))
        yield from table.record(pairs, f"row {row_no}")


def _csv_records(table: Table, header_cells: list[str], fmt: dict, pre: list[tuple[int, list[str]]], first: int,
                 lines: list[str]) -> Iterator[Record]:
    """The Records of a chunk of a table (``ingest.deferred.Rows``): rows already read (``pre``), then the
    lines of the rows numbered from ``first`` on, parsed again as the main process parsed them."""
    return _records(table, header_cells, itertools.chain(pre, zip(itertools.count(first), csv.reader(lines, **fmt))))


def _makes_record(cells: list[str], header_cells: list[str]) -> bool:
    """Whether a data row makes a Record (some text, not the header again), as ``_records`` decides when no
    column is ignored: cheap, for the main process to cut the table into chunks of so many Records."""
    if len(cells) > MAX_COLUMNS:
        cells = cells[:MAX_COLUMNS]
    if not any(map(str.strip, cells)):
        return False
    return not (len(cells) == len(header_cells) and cells[0].strip() == header_cells[0]
                and [c.strip() for c in cells] == header_cells)


def _chunked(table: Table, header_cells: list[str], fmt: dict, pre: list[tuple[int, list[str]]],
             rows: Iterator[tuple[int, list[str]]], kept: "_Kept", size: int) -> Iterator[Rows]:
    """The data rows as ``Rows`` of ``size`` Records each (the last one fewer), with the lines they were read
    from: the main process only finds where rows end (and reports a malformed one); workers make Records."""
    count = sum(_makes_record(cells, header_cells) for _, cells in pre)
    first = None
    kept.take()  # the lines of the rows read while looking for the header
    for row_no, cells in rows:
        if first is None:
            first = row_no
        if _makes_record(cells, header_cells):
            count += 1
            if count >= size:
                yield Rows(table, _csv_records, (header_cells, fmt, pre, first, kept.take()), count)
                pre, first, count = [], None, 0
    if pre or first is not None:
        yield Rows(table, _csv_records, (header_cells, fmt, pre, first or 0, kept.take()), count)


class _Kept:
    """The lines of a text stream as they are read, kept until taken (the lines of a chunk of rows)."""

    def __init__(self, lines: Iterable[str]):
        self._next = iter(lines).__next__
        self.lines: list[str] = []

    def __iter__(self) -> "_Kept":
        return self

    def __next__(self) -> str:
        line = self._next()
        self.lines.append(line)
        return line

    def take(self) -> list[str]:
        lines, self.lines = self.lines, []
        return lines


def _format(dialect: csv.Dialect) -> dict:
    """A reader's dialect as keyword arguments (a sniffed dialect is a class that cannot be pickled)."""
    return {k: getattr(dialect, k) for k in ("delimiter", "quotechar", "escapechar", "doublequote",
                                             "skipinitialspace", "lineterminator", "quoting", "strict")}


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
