"""What the Schedule A reader reads and finds: ``Line``s of ``Cell``s in, with what kind of line each one is
(page stamp, page number, title, rule); a ``ScheduleA`` (caption and ``Defendant``s) out.

See ``ingest.schedule_a_text`` for how they are read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from graph.records import Value

from ingest.base import Unreadable

MAX_ALIAS_WORDS, MAX_ALIAS_CHARS = 15, 150


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
