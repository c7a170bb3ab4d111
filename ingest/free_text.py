"""Free text in table cells: the columns no field claims are kept as ``extra:`` properties of the row's
subject, and those that hold prose ("Notes", "Investigator comment", "备注") also go through the NLP stage.

``free_text_cells`` picks the cells (prose, not a date, a number or a single token) and the subject each
belongs to; ``nlp.facts.cell_facts`` turns them into facts located ``row N, column 'X', chars S-E``.
"""

from __future__ import annotations

import re

from graph.facts import EXTRA_PREFIX
from graph.model import Model
from graph.records import Facts, NodeRef, Record

MIN_CHARS = 12          # shorter cells are labels or codes, not prose
MIN_WORDS = 3
MAX_CELL_CHARS = 20_000  # of one cell, searched by the NLP stage (the whole value is kept as a property)
_NOT_PROSE = re.compile(r"[\d\s.,:;/+()$€£¥%-]*")  # dates, amounts, phone-like numbers


def looks_like_prose(raw: str) -> bool:
    """A value worth reading: several words, not only digits and punctuation."""
    text = raw.strip()
    return (len(text) >= MIN_CHARS and len(text.split()) >= MIN_WORDS and not _NOT_PROSE.fullmatch(text))


def free_text_cells(record: Record, facts: Facts, model: Model) -> list[tuple[NodeRef, str, str]]:
    """(subject, text, locator) of the record's unmapped cells that hold prose. The subject is the node the
    cell was kept on (its ``extra:`` statement in ``facts``); a record whose subject did not clean has none."""
    prose = [v for v in record.values if (v.field is None or v.field not in model.fields) and looks_like_prose(v.raw)]
    if not prose:  # most rows: nothing to look up
        return []
    extras = {(s[1], s[2], s[3]): s[0] for s in facts.nodes if s[1].startswith(EXTRA_PREFIX)}
    out = []
    for v in prose:
        subject = extras.get((f"{EXTRA_PREFIX}{v.column or v.field or 'column'}", v.raw, v.locator))
        if subject is not None:
            out.append((NodeRef(*subject), v.raw[:MAX_CELL_CHARS], v.locator))
    return out
