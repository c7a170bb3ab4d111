"""The defendant schedule (Schedule A): Defendant No., seller alias, store URL, platform, seller/merchant id."""

from __future__ import annotations

from pathlib import Path

from graph.reports.output import Sheet, format_of, write_tables
from graph.reports.selection import Selection

COLUMNS = ("Defendant No.", "Seller Alias", "Store URL", "Platform", "Seller / Merchant ID")
GROUP_COLUMNS = ("Operator", "Operator Name")
FORMATS = ("csv", "xlsx")


def defendant_rows(selection: Selection, group_by_operator: bool = False) -> Sheet:
    columns = COLUMNS + (GROUP_COLUMNS + ("Schedule A No. in evidence",) if group_by_operator else ())
    rows = []
    for d in selection.defendants:
        row = [d.number, d.alias, d.url, d.platform, d.platform_id]
        if group_by_operator:
            row += [d.operator.key if d.operator else "", d.operator.name if d.operator else "", d.source_number]
        rows.append(row)
    return ("Schedule A", columns, rows)


def write_defendants(selection: Selection, path: Path, fmt: str | None = None,
                     group_by_operator: bool = False) -> int:
    fmt = format_of(path, FORMATS, fmt)
    write_tables(path, fmt, [defendant_rows(selection, group_by_operator)], selection.date)
    return len(selection.defendants)
