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
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from graph.clean.marketplace import clean_marketplace_name
from graph.records import Record, Value

from ingest.base import Unreadable
from ingest.columns import map_header

MAX_LINES = 500_000
MAX_ALIAS_WORDS, MAX_ALIAS_CHARS = 15, 150
CAPTION_LINES = 150
ID_FIELDS = {"url", "seller_id", "email", "website", "listing_url", "paypal"}


@dataclass(frozen=True, slots=True)
class Cell:
    x: float
    text: str


@dataclass(frozen=True, slots=True)
class Line:
    """One line of a document: its cells left to right, and where it is."""

    cells: tuple[Cell, ...]
    locator: str
    page: int = 0                 # page number where known (PDF, form feeds in text)
    y: float | None = None        # PDF: baseline, points from the top of the page
    size: float = 0.0             # PDF: font size of the line
    table: int = 0                # HTML/DOCX: number of the table this row belongs to (0: not a table row)
    indexed: bool = False         # x is a cell index, not a position
    noise: bool = False           # the adapter knows it is not content (page margin)

    @property
    def text(self) -> str:
        return " ".join(c.text for c in self.cells)


def split_cells(text: str) -> tuple[tuple[Cell, ...], bool]:
    """A line of plain text as (cells, indexed): tab- or pipe-separated cells (x = index), else runs of
    text separated by two or more spaces (x = character column)."""
    text = text.rstrip()
    if "\t" in text or "|" in text:
        body = text.strip(" ")
        parts = re.split(r"[\t|]", body)
        if body.startswith("|"):
            parts = parts[1:]
        if body.endswith("|") and parts:
            parts = parts[:-1]
        return tuple(Cell(float(i), p.strip()) for i, p in enumerate(parts) if p.strip()), True
    return tuple(Cell(float(m.start()), m.group()) for m in re.finditer(r"\S+(?: \S+)*", text)), False


# --- what lines are -----------------------------------------------------------------------------------

_DOCKET = r"(?:\d{1,2}:)?\d{2}[-\s]?(?:cv|civ|mc|md|c)[-\s]?\d{1,6}(?:-[A-Za-z]{1,6})*"
_ECF = re.compile(rf"^\s*Case:?\s+(?P<docket>{_DOCKET})\s+Document\b", re.I)
_PAGE_ONLY = re.compile(r"^\s*(?:[-–—]\s*)?(?:page\s+)?\d{1,4}(?:\s+of\s+\d{1,4})?(?:\s*[-–—])?\s*$", re.I)
_PAGE_WORDS = re.compile(r"^\s*(?:[-–—]\s*)?page\s+\d{1,4}(?:\s+of\s+\d{1,4})?\b.{0,40}$"
                         r"|\bpage\s+\d{1,4}\s+of\s+\d{1,4}\s*$", re.I)
_TITLE = re.compile(r"^\s*(?P<kind>schedule|exhibit|attachment|appendix)\s*[\"“”'‘’]?\s*(?P<id>[a-z0-9]{1,2})"
                    r"\s*[\"“”'‘’]?\s*(?:[-–—:(]\s*.{0,80})?$", re.I)
_CONTINUED = re.compile(r"^\s*[(\[]?\s*(?:continued|cont(?:'|’)?d\.?)\s*[)\]]?\s*$", re.I)
_RULE = re.compile(r"^[\s\-=_+|:.*~]{3,}$")
_MARKERS = "¹²³⁰⁴⁵⁶⁷⁸⁹*†‡"
_NUMBER = re.compile(r"(?:(?:doe|def(?:endant)?)\.?\s*(?:no\.?|#)?\s*)?#?(\d{1,4})\s*[.):]?[¹²³⁰⁴⁵⁶⁷⁸⁹*†‡]*"
                     r"(?:\s*[(\[]\s*(?P<cont>continued|cont(?:'|’)?d\.?)\s*[)\]])?", re.I)
_NUMBER_LEAD = re.compile(r"(\d{1,4})[.):]?\s+(?=\S)(.+)$")
_URLISH = re.compile(r"^(?:https?://|www\.)|^[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:[/?#]|$)", re.I)
_URL_IN = re.compile(r"(?:https?://|www\.)[^\s<>\"'|]+", re.I)
_ID_TOKEN = re.compile(r"^(?=[A-Z0-9]*\d)(?=[A-Z0-9]*[A-Z])[A-Z0-9]{8,20}$|^\d{6,20}$")


def _is_noise(line: Line, text: str) -> bool:
    return (line.noise or bool(_ECF.match(text)) or bool(_PAGE_WORDS.search(text))
            or bool(_CONTINUED.match(text)) or bool(_RULE.match(text)))


def _is_title(text: str) -> bool:
    return bool(_TITLE.match(text)) and len(text.split()) <= 12


def _schedule_title(text: str) -> bool:
    m = _TITLE.match(text)
    return bool(m) and m.group("kind").lower() == "schedule" and len(text.split()) <= 12


def _plausible_alias(text: str) -> bool:
    words = text.split()
    return 0 < len(words) <= MAX_ALIAS_WORDS and len(text) <= MAX_ALIAS_CHARS and not re.search(
        r"\b(?:shall|hereby|ordered|enjoined|restrained|pursuant|whereas)\b", text, re.I)


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


# --- the document -------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Found:
    value: str
    locator: str


@dataclass
class Defendant:
    number: str | None
    locator: str
    values: list[Value]

    def names(self) -> list[str]:
        return [v.raw for v in self.values if v.field == "name"]


@dataclass
class ScheduleA:
    court: Found | None = None
    docket: Found | None = None
    plaintiff: Found | None = None
    defendants: list[Defendant] = field(default_factory=list)
    unreadable: list[Unreadable] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


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


# --- caption ------------------------------------------------------------------------------------------

_COURT = re.compile(r"\b(?:(?:northern|southern|eastern|western|central|middle)\s+)?district\s+of\s+"
                    r"(?:(?:new|north|south|west|rhode|puerto)\s+[a-z]+|columbia|[a-z]+)", re.I)
_LABELLED_DOCKET = re.compile(rf"\b(?:case|civil\s+action|docket|cause|action)\s*(?:no\.?|number|#)?\s*[:.]?\s*"
                              rf"(?P<d>{_DOCKET})|\bno\.\s*(?P<n>{_DOCKET})", re.I)
_BARE_DOCKET = re.compile(r"(?<![\w:])(?P<d>\d:\d{2}-(?:cv|civ|mc)-\d{2,6}(?:-[A-Za-z]{1,6})*)", re.I)
_PLAINTIFF = re.compile(r"^(?P<before>.*?)[\s,]*\bplaintiffs?\s*[,.:;]?\s*$", re.I)
_VERSUS = re.compile(r"^\s*(?:v|vs|versus)\.?\s*$|^\s*against\s*$", re.I)
_CAPTION_SEP = re.compile(r"^[)§:]+$")


def _left(line: Line) -> str:
    """The parties' side of a caption line (cells before a ")" or "§" column)."""
    parts = []
    for c in line.cells:
        if _CAPTION_SEP.match(c.text.strip()) or (parts and re.match(r"(?:case|civil|judge|magistrate|no\.)",
                                                                      c.text.strip(), re.I)):
            break
        parts.append(c.text.strip().rstrip(")§ ").strip())
    return " ".join(p for p in parts if p)


def _find_caption(doc: ScheduleA, lines: list[Line]) -> None:
    texts = [ln.text.strip() for ln in lines]
    for k, text in enumerate(texts):
        if doc.court is None and re.search(r"district\s+court", text, re.I):
            joined = " ".join(texts[k:k + 3])
            start = re.search(r"(?:united\s+states\s+)?district\s+court", joined, re.I)
            court = _COURT.search(joined, start.start())
            if court:
                doc.court = Found(" ".join(joined[start.start():court.end()].split()), lines[k].locator)
        if doc.docket is None:
            m = _LABELLED_DOCKET.search(text)
            if m:
                doc.docket = Found(" ".join((m.group("d") or m.group("n")).split()), lines[k].locator)
    if doc.docket is None:
        for k, text in enumerate(texts):
            m = _BARE_DOCKET.search(text)
            if m:
                doc.docket = Found(m.group("d"), lines[k].locator)
                break
    for k, line in enumerate(lines):
        m = _PLAINTIFF.match(_left(line))
        if not m or not any(_VERSUS.match(_left(ln)) for ln in lines[k + 1:k + 4]):
            continue
        parts, where = [m.group("before")], line.locator
        if not m.group("before").strip():
            parts = []
            for prev in reversed(lines[max(0, k - 6):k]):
                left = _left(prev)
                if not left and prev.cells:
                    continue  # a line of the ")" column only
                if not left or re.search(r"\b(?:court|district|division)\b", left, re.I) or len(parts) >= 3:
                    break
                parts.insert(0, left)
                where = prev.locator
        name = " ".join(" ".join(parts).split()).strip(" ,;")
        name = re.split(r",\s+(?:an?|the)\s+[A-Za-z]", name)[0].strip(" ,;")
        if name and len(name) <= 200 and len(name.split()) <= 25:
            doc.plaintiff = Found(name, where)
        break


# --- glossary lists -----------------------------------------------------------------------------------

_SCHEDULE_REF = re.compile(r"schedule\s*[\"“”'‘’]?\s*a\b\s*[\"“”'‘’]?", re.I)
_DEFINITION = re.compile(r"\b(?:collectively|hereinafter|together|each\s+a|referred\s+to)\b", re.I)
_SUFFIX = re.compile(r"^(?:ltd|inc|llc|l\.l\.c|co|corp|limited|gmbh|s\.a|plc|pte)\.?$", re.I)
MAX_LIST_CHARS = 200_000


def _find_glossary(doc: ScheduleA, prose: list[Line]) -> None:
    text_parts, starts = [], []
    pos = 0
    for line in prose:
        starts.append((pos, line.locator))
        text_parts.append(line.text.strip())
        pos += len(text_parts[-1]) + 1
    text = " ".join(text_parts)
    known = {n.casefold() for d in doc.defendants for n in d.names()}

    def where(offset: int) -> str:
        lo, hi = 0, len(starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if starts[mid][0] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return starts[lo][1] if starts else ""

    pairs: dict[int, int] = {}  # "(" -> its ")", found once for the whole text
    stack: list[int] = []
    for k, ch in enumerate(text):
        if ch == "(":
            stack.append(k)
        elif ch == ")" and stack:
            pairs[stack.pop()] = k
    pos = 0
    while True:
        m = _SCHEDULE_REF.search(text, pos)
        if not m:
            return
        pos = m.end()
        opening = text.find("(", m.end(), m.end() + 150)
        if opening < 0 or re.search(r"\.\s+[A-Z]", text[m.end():opening]):
            continue
        close = pairs.get(opening, -1)
        if close < 0 or close - opening > MAX_LIST_CHARS:
            continue
        pos = close + 1
        content = text[opening + 1:close]
        if _DEFINITION.search(content[:60]):
            continue
        items = _split_list(content, opening + 1)
        if len(items) < 2 or sum(not _plausible_alias(a) for _, a, _ in items) > 0.3 * len(items):
            continue
        doc.notes.append(f"{len(items)} defendants listed in the text at {where(opening)}")
        for number, alias, offset in items:
            if not _plausible_alias(alias):
                doc.unreadable.append(Unreadable(where(offset), alias, "not an alias in the list of defendants"))
                continue
            if alias.casefold() in known:
                continue
            known.add(alias.casefold())
            loc = where(offset)
            values = [Value("name", alias, loc, "defendant")]
            if number:
                values.insert(0, Value("defendant_no", number, loc, "defendant no"))
            doc.defendants.append(Defendant(number, loc, values))


def _split_list(content: str, base: int) -> list[tuple[str | None, str, int]]:
    """'A, B, and C' or 'A; B; C' -> [(number, alias, offset)], corporate suffixes kept with their names."""
    sep = ";" if ";" in content else ","
    items: list[list] = []
    pos = 0
    for piece in content.split(sep):
        offset = base + pos + len(piece) - len(piece.lstrip())
        pos += len(piece) + 1
        item = re.sub(r"^(?:and|or|&)\s+", "", piece.strip(), flags=re.I).strip(" \"“”'‘’")
        item = re.sub(r"(?:\s*(?:…|\.\.\.|etc\.?))+$", "", item).strip(" \"“”'‘’")
        if not item:
            continue
        if _SUFFIX.match(item) and items:
            items[-1][1] += f"{sep} {item}"
            continue
        number = None
        m = re.match(r"(?:(?:no\.|defendant|doe)\s*)?(\d{1,4})[.):]\s+(.+)$", item, re.I)
        if m:
            number, item = m.group(1), m.group(2)
        items.append([number, item, offset])
    return [(n, a, o) for n, a, o in items]


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
