"""Writing report tables as CSV or XLSX, and documents as HTML or PDF, deterministically.

Cells that a spreadsheet would evaluate are neutralised (``graph.export.neutralise_cell``). XLSX files get
fixed document times and fixed zip entry times, so the same report is the same bytes.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from graph.errors import GraphError
from graph.export import neutralise_cell
from graph.reports.document import Document, render_html
from graph.reports.pdf import render_pdf

REPORT_FORMATS = ("csv", "xlsx", "html", "pdf")
Sheet = tuple[str, Sequence[str], Sequence[Sequence[object]]]  # (name, columns, rows)
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # characters XLSX (XML) cannot hold
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def format_of(path: Path, allowed: Sequence[str], given: str | None = None) -> str:
    fmt = (given or path.suffix.lstrip(".")).lower()
    if fmt not in allowed:
        raise GraphError(f"{path}: cannot tell the format; use a file name ending in "
                         f"{' or '.join('.' + a for a in allowed)} (or --format)")
    return fmt


def _cell(value: object) -> str:
    return neutralise_cell(_ILLEGAL.sub("\ufffd", "" if value is None else str(value)))


def sheet_title(name: str, used: set[str]) -> str:
    base = _SHEET_BAD.sub("-", name).strip("'") or "sheet"
    title, n = base[:31], 2
    while title.lower() in used:
        suffix = f" ({n})"
        title, n = base[:31 - len(suffix)] + suffix, n + 1
    used.add(title.lower())
    return title


def write_csv(path: Path, sheets: Sequence[Sheet]) -> None:
    """All sheets in one CSV (the sheets share their columns: the first sheet's columns are written)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(sheets[0][1])
    for _, _, rows in sheets:
        for row in rows:
            w.writerow([_cell(v) for v in row])
    path.write_text(buf.getvalue(), encoding="utf-8-sig", newline="")


def write_xlsx(path: Path, sheets: Sequence[Sheet], date: str) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for name, columns, rows in sheets:
        ws = wb.create_sheet(sheet_title(name, used))
        ws.append(list(columns))
        for c in ws[1]:
            c.font = Font(bold=True)
        for row in rows:
            ws.append([v if isinstance(v, (int, float)) and not isinstance(v, bool) else _cell(v) for v in row])
        for i, col in enumerate(columns, 1):
            width = max([len(str(col)), *(len(str(r[i - 1])) for r in rows[:500])] or [8])
            ws.column_dimensions[ws.cell(1, i).column_letter].width = min(max(width + 2, 8), 60)
        ws.freeze_panes = "A2"
    when = _fixed_time(date)
    wb.properties.created = when
    wb.properties.modified = when
    wb.properties.creator = "infringer-graph"
    buf = io.BytesIO()
    wb.save(buf)
    path.write_bytes(_fixed_zip(buf.getvalue(), when))


def _fixed_time(date: str) -> datetime:
    try:
        return datetime.fromisoformat(date[:19]).replace(tzinfo=None)
    except ValueError:
        return datetime(2000, 1, 1)


def _fixed_zip(data: bytes, when: datetime) -> bytes:
    """Rewrite the zip with the same entries and one fixed time (openpyxl stamps 'now' on entries and in
    docProps/core.xml)."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp, body)
            entry = zipfile.ZipInfo(info.filename, date_time=(max(when.year, 1980), when.month, when.day,
                                                              when.hour, when.minute, when.second))
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, body)
    return out.getvalue()


def write_tables(path: Path, fmt: str, sheets: Sequence[Sheet], date: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        write_csv(path, sheets)
    else:
        write_xlsx(path, sheets, date)


def write_document(path: Path, fmt: str, doc: Document) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "html":
        path.write_text(render_html(doc), encoding="utf-8")
    else:
        path.write_bytes(render_pdf(doc))
