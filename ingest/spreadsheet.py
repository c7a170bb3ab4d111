"""Seller tables and disclosures as Excel workbooks (XLSX/XLSM), read as a stream of rows.

openpyxl in read-only mode: rows are parsed as they are read, so memory stays flat for big sheets. Formulas
are never evaluated: the value Excel cached when it last saved the file is read (none: the cell is empty).
Every sheet whose header row is recognisable yields records; rows and columns are as Excel numbers them.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
import warnings
import zipfile
from collections.abc import Iterator
from typing import BinaryIO
from xml.etree.ElementTree import ParseError as XMLParseError

from graph.records import Record

from ingest.base import ParseContext, Parser, Unreadable, register
from ingest.errors import ParseError
from ingest.ole import OLE_MAGIC, describe_ole
from ingest.tables import HEADER_SCAN, MAX_CELL, MAX_COLUMNS, Table, case_in, find_header
from ingest.typed import format_currency, lossy_integer, moment_text, number_text
from ingest.zip_head import ZIP_MAGIC

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SPOOL_BYTES = 32 << 20               # a workbook is copied to memory up to this size, to a temporary file past it
MAX_PART_BYTES = 1 << 30             # an XML part that expands past this is refused (zip bomb)
MAX_SHARED_STRINGS = 256 << 20       # openpyxl holds the shared strings in memory
warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl(\..*)?$")


class _Error(str):
    """An error cell (#N/A): read as empty, counted in a note."""


class Lossy(str):
    """The text of a number that stands for an identifier Excel has rounded (more than 15 digits)."""


def cell_text(cell) -> str | None:
    """A cell's value as clean text: dates ISO 8601, numbers without float noise (with the currency of a
    currency number format), booleans TRUE/FALSE; None for empty and error cells (#N/A)."""
    value = cell.value
    if value is None:
        return None
    if isinstance(value, str):
        if getattr(cell, "data_type", "s") == "e":
            return _Error("")
        return value if len(value) <= MAX_CELL else value[:MAX_CELL + 1]
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return moment_text(value)
    if isinstance(value, dt.timedelta):
        return str(value)
    if isinstance(value, (int, float)):
        if lossy_integer(value):
            return Lossy(repr(value))
        fmt = getattr(cell, "number_format", None) or "General"
        if "%" in fmt.split(";")[0].replace("\\%", ""):
            return number_text(value * 100) + "%"
        text = number_text(value)
        currency = format_currency(fmt)
        return f"{text} {currency}" if currency else text
    return str(value)


def _spool(stream: BinaryIO) -> tempfile.SpooledTemporaryFile:
    fh = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
    shutil.copyfileobj(stream, fh, 1 << 20)
    fh.seek(0)
    return fh


def _check_archive(fh, ctx: ParseContext) -> None:
    """Refuse what is not a zip, and parts that would expand beyond reason, before openpyxl sees them."""
    magic = fh.read(8)
    fh.seek(0)
    if magic.startswith(OLE_MAGIC):
        raise ParseError(ctx.path, "", describe_ole(fh))
    if not magic.startswith(ZIP_MAGIC):
        raise ParseError(ctx.path, "byte 0", "not an XLSX workbook (not a zip archive)")
    try:
        with zipfile.ZipFile(fh) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise ParseError(ctx.path, "", f"damaged workbook, cannot be opened ({exc})") from None
    finally:
        fh.seek(0)
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names:
        raise ParseError(ctx.path, "", "a zip archive, not an XLSX workbook (no [Content_Types].xml)")
    for info in infos:
        limit = MAX_SHARED_STRINGS if info.filename.lower().endswith("sharedstrings.xml") else MAX_PART_BYTES
        if info.file_size > limit:
            raise ParseError(ctx.path, "", f"part {info.filename} expands to {info.file_size:,} bytes "
                             f"(more than {limit:,}): refused")


def open_workbook(fh, ctx: ParseContext):
    _check_archive(fh, ctx)
    import openpyxl

    try:
        return openpyxl.load_workbook(fh, read_only=True, data_only=True, keep_links=False, keep_vba=False)
    except ParseError:
        raise
    except Exception as exc:  # noqa: BLE001 - hostile workbooks fail in many ways inside openpyxl
        raise ParseError(ctx.path, "", f"not a readable XLSX workbook ({type(exc).__name__}: "
                         f"{str(exc)[:200]})") from None


def _trimmed(cells: list) -> tuple[str, ...]:
    texts = [(c or "").strip() for c in cells]
    while texts and not texts[-1]:
        texts.pop()
    return tuple(texts)


def _letter(i: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(i + 1)


@register
class SellerTableXLSX(Parser):
    name = "seller-table-xlsx"
    media_type = XLSX_TYPE
    extensions = (".xlsx", ".xlsm")
    fixture = "ingest/tables/schedule_a.xlsx"

    @classmethod
    def sniff(cls, name: str, head: bytes) -> int:
        lower = name.lower()
        if head.startswith(ZIP_MAGIC) and b"xl/" in head:
            return 80 if lower.endswith(cls.extensions) else 60
        if lower.endswith((*cls.extensions, ".xls")):
            return 5 if head.startswith(OLE_MAGIC) else 1  # claimed, then rejected with a reason
        return 0

    def parse(self, stream: BinaryIO, ctx: ParseContext) -> Iterator[Record | Unreadable]:
        with _spool(stream) as fh:
            wb = open_workbook(fh, ctx)
            try:
                sheets, found = [], 0
                for ws in wb.worksheets:
                    sheets.append(ws.title)
                    found += yield from self._sheet(ws, ctx)
            finally:
                wb.close()
        if not found:
            raise ParseError(ctx.path, "", "no sheet has a header row of known seller fields in its first "
                             f"{HEADER_SCAN} rows (sheets: {', '.join(map(repr, sheets[:10]))}); "
                             "use --map \"Column=field\"")

    def _sheet(self, ws, ctx: ParseContext):
        """Records of one sheet; returns 1 when the sheet had a header row, else 0."""
        sheet = f"sheet {ws.title!r}"
        row_no = 0
        try:
            if getattr(ws, "sheet_state", "visible") != "visible":
                ctx.notes.append(f"{sheet} is {ws.sheet_state} in Excel (read all the same)")
            ws.reset_dimensions()  # do not trust the stated size: read the rows that are there
            rows = ws.iter_rows()
            scanned: list[tuple[int, list]] = []
            for row in rows:
                row_no += 1
                cells = [cell_text(c) for c in row[:MAX_COLUMNS]]
                if any(c and c.strip() for c in cells):
                    scanned.append((row_no, cells))
                    if len(scanned) >= HEADER_SCAN:
                        break
            index = find_header([[c and c.strip() for c in cells] for _, cells in scanned], ctx.overrides)
            if index is None:
                ctx.notes.append(f"{sheet}: no header row of known fields in its first {HEADER_SCAN} rows: skipped"
                                 if scanned else f"{sheet}: empty")
                return 0
            header_no, header_cells = scanned[index]
            header_cells = [(c or "").strip() for c in header_cells]
            header = [h or f"column {_letter(i)}" for i, h in enumerate(header_cells)]
            titles = [(f"row {n}", " ".join(c.strip() for c in cells if c and c.strip())) for n, cells in scanned[:index]]
            if titles:
                ctx.notes.append(f"{sheet}: {len(titles)} title row(s) above the header (row {header_no}): "
                                 f"{' / '.join(t for _, t in titles)[:300]!r}")
            table = Table(ctx, [*(t for _, t in titles), ws.title, ctx.path.rsplit("/", 1)[-1]], name=sheet,
                          shared=case_in(titles))
            columns = table.set_header(header)
            repeated, errors, header_key = 0, 0, _trimmed(header_cells)
            pending = iter(scanned[index + 1:])
            while True:
                item = next(pending, None)
                if item is None:
                    row = next(rows, None)
                    if row is None:
                        break
                    row_no += 1
                    item = (row_no, [cell_text(c) for c in row[:MAX_COLUMNS]])
                number, cells = item
                errors += sum(1 for c in cells if isinstance(c, _Error))
                if not any(c and c.strip() for c in cells):
                    continue
                if _trimmed(cells) == header_key:
                    repeated += 1
                    continue
                where = f"{sheet}, row {number}"
                pairs = []
                for i, text in enumerate(cells):
                    if text is None:
                        continue
                    while i >= len(columns):
                        j = len(columns)
                        columns.append(table.column(f"column {_letter(j)}", f"column {_letter(j)}"))
                    if isinstance(text, Lossy):
                        yield Unreadable(f"{where}, {columns[i].label}", str(text),
                                         "a number of more than 15 digits: Excel keeps 15, so this identifier has "
                                         "lost its last digits (format the column as text)")
                        continue
                    pairs.append((columns[i], text))
                yield from table.record(pairs, where)
            if repeated:
                ctx.notes.append(f"{sheet}: {repeated} repeated header row(s) skipped")
            if errors:
                ctx.notes.append(f"{sheet}: {errors} error cell(s) (#N/A, #REF!...) read as empty")
            table.finish()
            return 1
        except ParseError:
            raise
        except Exception as exc:  # noqa: BLE001 - a damaged part of a hostile workbook
            what = "malformed XML" if isinstance(exc, XMLParseError) else type(exc).__name__
            raise ParseError(ctx.path, f"{sheet}, row {row_no + 1}",
                             f"unreadable worksheet ({what}: {str(exc)[:200]})") from None
