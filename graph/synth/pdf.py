"""A Schedule A exhibit as a PDF with a text layer, drawn line by line as court filings are (fpdf2).

Page stamp on every page, caption, a defendant table whose header repeats on each page; the names are
ASCII (the core PDF fonts). The creation date is fixed so that a seed gives byte-identical files.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, timezone

from graph.synth.documents import PLAINTIFFS, docket
from graph.synth.tables import DISPLAY
from graph.synth.world import Storefront

COLUMNS = ((54.0, 40.0), (94.0, 190.0), (284.0, 190.0), (474.0, 84.0))  # (x, width) in points, US Letter
HEADER = ("Def. No.", "Defendant (Seller Alias)", "Online Marketplace", "Seller ID")
ROW_HEIGHT, TOP, BOTTOM = 14.0, 110.0, 730.0


def write_schedule_a_pdf(rng: random.Random, case_no: int, fronts: Sequence[Storefront], level: float) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="letter", unit="pt")
    pdf.set_creation_date(datetime(2026, 9, 14, tzinfo=timezone.utc))
    pdf.set_auto_page_break(False)
    rows = [(str(n), _fit(pdf, s.names[0], COLUMNS[1][1]), DISPLAY[s.marketplace], s.platform_id)
            for n, s in enumerate(fronts, 1)]
    page, y = 0, BOTTOM + 1
    for row in rows or [("", "", "", "")]:
        if y > BOTTOM:
            page += 1
            y = _new_page(pdf, case_no, page)
        for text, (x, _) in zip(row, COLUMNS):
            pdf.text(x + 2, y, text)
        y += ROW_HEIGHT
    return bytes(pdf.output())


def _new_page(pdf, case_no: int, page: int) -> float:
    """Stamp, page number, (caption on the first page), table header; the y of the first row."""
    pdf.add_page()
    pdf.set_font("Helvetica", size=8)
    pdf.text(54, 28, f"Case: {docket(case_no)} Document #: 12-1 Filed: 09/14/26 Page {page} PageID #:{455 + page}")
    pdf.set_font("Helvetica", size=9)
    pdf.text(300, 770, str(page))
    y = TOP
    if page == 1:
        pdf.set_font("Helvetica", "B", 11)
        for k, line in enumerate(("IN THE UNITED STATES DISTRICT COURT", "FOR THE NORTHERN DISTRICT OF ILLINOIS")):
            pdf.text(306 - pdf.get_string_width(line) / 2, 60 + 14 * k, line)
        pdf.set_font("Helvetica", size=10)
        pdf.text(54, 100, f"{PLAINTIFFS[case_no % len(PLAINTIFFS)]}, Plaintiff, v. THE PARTNERSHIPS AND "
                          "UNINCORPORATED ASSOCIATIONS")
        pdf.text(54, 114, f"IDENTIFIED ON SCHEDULE \"A\", Defendants.      Case No. {docket(case_no)}")
        pdf.set_font("Helvetica", "B", 12)
        pdf.text(270, 140, "SCHEDULE A")
        y = 165.0
    pdf.set_font("Helvetica", "B", 10)
    for text, (x, _) in zip(HEADER, COLUMNS):
        pdf.text(x + 2, y, text)
    pdf.line(54, y + 4, 558, y + 4)
    pdf.set_font("Helvetica", size=10)
    return y + ROW_HEIGHT + 4


def _fit(pdf, text: str, width: float) -> str:
    """The text cut to the column (an exhibit's long URL would run into the next column)."""
    pdf.set_font("Helvetica", size=10)
    while text and pdf.get_string_width(text) > width - 6:
        text = text[:-1]
    return text
