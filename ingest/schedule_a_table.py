"""Defendant tables of Schedule A exhibits: the header row (possibly wrapped over two lines), cells placed
in columns by their ``x``, rows wrapping over lines and pages, numbered rows without a header, and the
Defendant each row names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from graph.clean.marketplace import clean_marketplace_name
from graph.records import Value

from ingest.base import Unreadable
from ingest.columns import map_header
from ingest.schedule_a_lines import (_ID_TOKEN, _MARKERS, _NUMBER, _NUMBER_LEAD, _URL_IN, _URLISH, Defendant, Line,
                                     ScheduleA, _plausible_alias)

ID_FIELDS = {"url", "seller_id", "email", "website", "listing_url", "paypal"}


# --- tables -------------------------------------------------------------------------------------------

@dataclass
class _Column:
    header: str
    field: str | None
    left: float


@dataclass
class _Table:
    columns: list[_Column]
    indexed: bool
    number: int | None       # column of the defendant number
    source: int = 0          # HTML/DOCX table number it was found in
    size: float = 0.0        # font size of its rows (PDF)

    def fields(self) -> tuple:
        return tuple(c.field for c in self.columns)

    def column_at(self, x: float, tol: float) -> int:
        best = 0
        for i, col in enumerate(self.columns):
            if col.left <= x + tol:
                best = i
        return best

    def assign(self, line: Line) -> dict[int, list[str]]:
        out: dict[int, list[str]] = {}
        if (not self.indexed and len(line.cells) == len(self.columns)
                and all(self.column_at(c.x, 3 * _tol(line)) >= i for i, c in enumerate(line.cells))):
            for i, c in enumerate(line.cells):  # a complete row: one cell per column, whatever the alignment
                out.setdefault(i, []).append(c.text)
                self.columns[i].left = min(self.columns[i].left, c.x)
            return out
        for c in line.cells:
            out.setdefault(self.column_at(c.x, _tol(line)), []).append(c.text)
        return out


def _tol(line: Line) -> float:
    return 0.0 if line.indexed else (0.6 * line.size if line.size else 1.0)


def _header_field(text: str, overrides: dict[str, str]) -> str | None:
    if not re.search(r"\w", text):
        return "defendant_no" if text.strip() == "#" else None
    if re.fullmatch(r"\s*(?:(?:def(?:endant)?|doe)\.?\s*(?:no\.?|#|number)|no\.?|#|number)\s*", text, re.I):
        return "defendant_no"
    return map_header(text, overrides)


def _as_header(groups: list[tuple[float, str]], overrides: dict[str, str], indexed: bool) -> _Table | None:
    texts = [t for _, t in groups]
    if len(texts) < 2 or any(len(t) > 60 or _URLISH.match(t) or re.fullmatch(r"[\d.\s]+", t) for t in texts):
        return None
    fields = [_header_field(t, overrides) for t in texts]
    known = [f for f in fields if f]
    if len(set(known)) < 2 or not set(known) & {"name", "url", "seller_id"} or len(known) < 0.6 * len(texts):
        return None
    columns = [_Column(t, f, x) for (x, t), f in zip(groups, fields)]
    number = next((i for i, f in enumerate(fields) if f == "defendant_no"), None)
    return _Table(columns, indexed, number)


def _header_at(lines: list[Line], i: int, overrides: dict[str, str]) -> tuple[_Table, int] | None:
    """The table header starting at line ``i`` (one line, or two when its cells wrap) and its line count."""
    line = lines[i]
    if len(line.cells) < 2 and not (i + 1 < len(lines) and len(lines[i + 1].cells) >= 2):
        return None
    single = _as_header([(c.x, c.text) for c in line.cells], overrides, line.indexed)
    best: tuple[_Table, int] | None = (single, 1) if single else None
    if i + 1 < len(lines):
        nxt = lines[i + 1]
        close = nxt.cells and nxt.indexed == line.indexed and nxt.page == line.page and (
            line.y is None or nxt.y is None or 0 < nxt.y - line.y <= 2.2 * max(line.size, 1))
        if close and not _NUMBER.fullmatch(nxt.cells[0].text.strip()) and nxt.table == line.table:
            reach = 0.0 if line.indexed else (2.0 * line.size if line.size else 2.0)
            groups: list[list] = []
            for c in sorted((*line.cells, *nxt.cells), key=lambda c: c.x):
                if groups and abs(c.x - groups[-1][0]) <= reach:
                    groups[-1][1].append(c)
                else:
                    groups.append([c.x, [c]])
            order = {id(c): k for k, c in enumerate((*line.cells, *nxt.cells))}
            merged = [(x, " ".join(c.text for c in sorted(cs, key=lambda c: order[id(c)]))) for x, cs in groups]
            both = _as_header(merged, overrides, line.indexed)
            if both and (not single or sum(map(bool, both.fields())) > sum(map(bool, single.fields()))):
                best = (both, 2)
    if best:
        best[0].source = line.table
    return best


@dataclass
class _Row:
    number: str | None
    locator: str
    page: int
    y: float | None
    pieces: dict[int, list[tuple[str, str]]] = field(default_factory=dict)
    open: bool = True

    def add(self, cells: dict[int, list[str]], locator: str) -> None:
        for col, texts in cells.items():
            for text in texts:
                text = text.strip().rstrip(_MARKERS).strip()  # footnote markers: "Bloomora¹", "5*"
                if text:
                    self.pieces.setdefault(col, []).append((text, locator))


def _join(fname: str | None, texts: list[str]) -> str:
    out = ""
    for text in texts:
        if not out:
            out = text
            continue
        last = out.rsplit("\n", 1)[-1]
        if fname == "url" and re.match(r"(?:https?://|www\.)", text, re.I):
            sep = "\n"
        elif fname in ID_FIELDS and " " not in last and " " not in text:
            sep = "\n" if (_ID_TOKEN.match(last) and _ID_TOKEN.match(text) and len(text) >= 8) else ""
        else:
            sep = " "
        out += sep + text
    return out


def _typed(fname: str | None, text: str) -> str | None:
    """The field of a cell by its content: a marketplace name in an "Online Marketplace" (url) column,
    a store URL in a "Seller ID" column."""
    if fname in ("url", "marketplace", "seller_id"):
        if "/" not in text and len(text.split()) <= 3 and clean_marketplace_name(text) \
                and not _ID_TOKEN.match(text.upper()):
            return "marketplace"
        if _URLISH.match(text):
            return "url"
    return fname


_LOOSE = _Table([_Column("(number)", "defendant_no", 0.0), _Column("(row)", None, 1.0)], True, 0)


def _row_start(table: _Table, cells: dict[int, list[str]], line: Line) -> tuple[str, dict] | None:
    """(defendant number, cells) when the line starts a row."""
    if table.number is None:
        name_col = next((i for i, c in enumerate(table.columns) if c.field == "name"), 0)
        return ("", cells) if cells.get(name_col) else None
    texts = cells.get(table.number)
    if not texts:
        return None
    head = " ".join(texts).strip()
    m = _NUMBER.fullmatch(head)
    if m:
        return m.group(1), {k: v for k, v in cells.items() if k != table.number}
    m = _NUMBER_LEAD.fullmatch(head)  # "1 Sunny Bloom Shop" in one piece of text
    if m and _plausible_alias(m.group(2)) and table.number + 1 < len(table.columns):
        rest = {k: v for k, v in cells.items() if k != table.number}
        rest.setdefault(table.number + 1, []).insert(0, m.group(2))
        return m.group(1), rest
    return None


def _loose_row(line: Line) -> _Row | None:
    """A numbered row without a table header: "1. Sunny Bloom Shop  https://...  A2EXAMPLE1234"."""
    m = _NUMBER_LEAD.fullmatch("  ".join(c.text for c in line.cells).strip())  # keep the gaps between cells
    if not m:
        return None
    row = _Row(m.group(1), line.locator, line.page, line.y)
    row.pieces[1] = [(m.group(2), line.locator)]
    return row


def _split_loose(text: str) -> list[tuple[str, str]]:
    """(field, value) pairs in a row of free text: URLs, a trailing id, a marketplace cell, the alias."""
    out = [("url", u.rstrip(".,;)")) for u in _URL_IN.findall(text)]
    rest = _URL_IN.sub("  ", text)
    parts = [p.strip(" ,;|\t") for p in re.split(r"\s{2,}|\t|\|", rest) if p.strip(" ,;|\t")]
    name_parts = []
    for p in parts:
        if clean_marketplace_name(p) and len(p.split()) <= 2 and name_parts:
            out.append(("marketplace", p))
        elif _ID_TOKEN.match(p) and name_parts:
            out.append(("seller_id", p))
        else:
            name_parts.append(p)
    if len(name_parts) == 1:  # single spaces only: a trailing id token
        words = name_parts[0].split()
        if len(words) > 1 and _ID_TOKEN.match(words[-1]):
            out.append(("seller_id", words.pop()))
            name_parts = [" ".join(words)]
    if name_parts:
        out.insert(0, ("name", " ".join(name_parts)))
    return out


def _defendant(table: _Table, row: _Row, doc: ScheduleA) -> Defendant | None:
    values: list[Value] = []
    loose = table is _LOOSE
    for col, pieces in sorted(row.pieces.items()):
        column = table.columns[col]
        text = _join(column.field, [t for t, _ in pieces])
        locator = pieces[0][1]
        if loose or (column.field == "name" and _URL_IN.search(text)):
            values.extend(Value(f, v, locator, column.header) for f, v in _split_loose(text))
            continue
        if column.field not in ID_FIELDS:
            text = " ".join(text.split())  # a name wrapped inside its cell is one name
        fname = _typed(column.field, text)
        if fname == "defendant_no":
            fname = None
        values.append(Value(fname, text, locator, column.header))
    names = [v.raw for v in values if v.field == "name"]
    raw = " | ".join(v.raw for v in values)
    if not values or not any(v.field in ("name", "url", "seller_id") for v in values):
        doc.unreadable.append(Unreadable(row.locator, f"{row.number or ''} {raw}".strip(),
                                         "a defendant row without an alias, store URL or seller id"))
        return None
    if any(not _plausible_alias(n) for n in names):
        doc.unreadable.append(Unreadable(row.locator, f"{row.number or ''} {raw}".strip(),
                                         "not a defendant row (the alias reads like prose)"))
        return None
    if row.number:
        values.insert(0, Value("defendant_no", row.number, row.locator, "defendant no"))
    return Defendant(row.number or None, row.locator, values)
