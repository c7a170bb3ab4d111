"""The parts of a Schedule A document outside its tables: the case caption (court, docket number,
plaintiff) and glossary-style lists of defendants in orders ("... identified in Schedule A (Sunny Bloom
Shop, Bloomora, HX Home Deals)").
"""

from __future__ import annotations

import re

from graph.records import Value

from ingest.base import Unreadable
from ingest.schedule_a_lines import _DOCKET, Defendant, Found, Line, ScheduleA, _plausible_alias


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
