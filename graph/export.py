"""Exports of the whole graph. Columns come from the model."""

from __future__ import annotations

import csv
import json
import re
from typing import TextIO

from graph.model import Model, get_model
from graph.store.base import GraphStore

EXPORT_FORMATS = ("csv", "jsonl")
MULTI_SEP = " | "
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PHONE = re.compile(r"^\+[0-9][0-9 ]*$")


def neutralise_cell(value: str) -> str:
    """Values from counterfeiters' documents may be spreadsheet formulas (``=HYPERLINK(...)``): a cell
    that a spreadsheet would evaluate gets a leading apostrophe (OWASP CSV injection). E.164 phone
    numbers are left as they are."""
    if value.startswith(_FORMULA_START) and not _PHONE.match(value):
        return "'" + value
    return value


def entity_columns(model: Model | None = None) -> tuple[str, ...]:
    """``type,key,name,value,first_seen,last_seen`` then every declared node property (sorted)."""
    model = model or get_model()
    props = sorted({p for n in model.nodes.values() for p in n.properties} - {"name", "value"})
    return ("type", "key", "name", "value", "first_seen", "last_seen", *props, "extra")


def export_entities(store: GraphStore, out: TextIO, fmt: str = "csv", node_type: str | None = None) -> int:
    """Write every node (or every node of one type); returns how many."""
    model = get_model()
    columns = entity_columns(model)
    writer = None
    if fmt == "csv":
        writer = csv.writer(out)
        writer.writerow(columns)
    n = 0
    for node in store.iter_nodes(node_type):
        nt = model.node(node.type)
        known = {p: vals for p, vals in node.props.items() if p in columns}
        extra = {p: vals for p, vals in node.props.items() if p not in columns and p != "key"}
        value = node.props.get(nt.name_property, [node.key])[-1] if nt.identifier else ""
        row = {"type": node.type, "key": node.key, "name": node.name or "", "value": value,
               "first_seen": node.first_seen, "last_seen": node.last_seen}
        if fmt == "csv":
            row.update({p: MULTI_SEP.join(v) for p, v in known.items() if p not in row})
            row["extra"] = json.dumps(extra, ensure_ascii=False) if extra else ""
            writer.writerow([neutralise_cell(str(row.get(c, ""))) for c in columns])
        else:
            row["properties"] = node.props
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
        n += 1
    return n


def export_operators(store: GraphStore, out: TextIO, fmt: str = "csv") -> int:
    """One row per storefront with its operator (singletons included); returns how many rows."""
    from graph.resolution.views import EXPORT_COLUMNS, operator_rows

    rows = operator_rows(store)
    if fmt == "csv":
        writer = csv.writer(out)
        writer.writerow(EXPORT_COLUMNS)
        writer.writerows([neutralise_cell(r[c]) for c in EXPORT_COLUMNS] for r in rows)
    else:
        out.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    return len(rows)
