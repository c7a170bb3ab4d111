"""The service list: each defendant's e-mail addresses (and other electronic contacts) with the source of each."""

from __future__ import annotations

from pathlib import Path

from graph.reports.output import Sheet, format_of, write_tables
from graph.reports.selection import Selection, cite_all
from graph.store.base import GraphStore

COLUMNS = ("Defendant No.", "Seller Alias", "Contact", "Kind", "Role", "Via", "Sources")
FORMATS = ("csv", "xlsx")
KINDS = {"Email": "e-mail", "Phone": "phone (messaging)", "Domain": "website contact"}


def service_rows(store: GraphStore, selection: Selection) -> Sheet:
    rows = []
    for d in selection.defendants:
        for rank, node_type in enumerate(("Email", "Phone", "Domain")):
            for link in d.member.linked(node_type):
                if node_type != "Email" and link.via is not None:
                    continue
                ev = store.provenance(link.edge.src, link.edge)
                via = f"{link.via.type} {link.via.name or link.via.key}" if link.via is not None else ""
                rows.append((d.number, rank, d.alias, link.node.name or link.node.key, KINDS[node_type],
                             link.edge.props.get("role", ""), via, cite_all(ev)))
    rows.sort(key=lambda r: (r[0], r[1], r[3]))
    return ("Service list", COLUMNS, [(r[0], *r[2:]) for r in rows])


def write_service(store: GraphStore, selection: Selection, path: Path, fmt: str | None = None) -> int:
    fmt = format_of(path, FORMATS, fmt)
    sheet = service_rows(store, selection)
    without = [(d.number, d.alias, "", "none found in the evidence", "", "", "")
               for d in selection.defendants if not any(r[0] == d.number for r in sheet[2])]
    sheets = [sheet] + ([("Without contact", COLUMNS, without)] if without and fmt == "xlsx" else [])
    write_tables(path, fmt, sheets, selection.date)
    return len(sheet[2])
