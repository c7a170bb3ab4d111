"""A small document model (headings, paragraphs, tables, a picture) and its HTML rendering.

Everything in a report comes from counterfeiters' documents: every value is escaped in HTML (and drawn as
plain text in the PDF, ``graph.reports.pdf``).
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

SVG_FONT = 'font-family="DejaVu Sans, Arial, sans-serif"'  # what graph.reports.picture writes


@dataclass
class Heading:
    text: str
    level: int = 2


@dataclass
class Paragraph:
    text: str
    note: bool = False


@dataclass
class Table:
    columns: tuple[str, ...]
    rows: list[tuple[str, ...]]
    widths: tuple[float, ...] | None = None  # relative column widths in the PDF


@dataclass
class Picture:
    svg: str
    caption: str


@dataclass
class Document:
    title: str
    subtitle: str
    date: str  # taken from the data (or an option): the output does not depend on the clock
    blocks: list = field(default_factory=list)

    def add(self, *blocks) -> "Document":
        self.blocks.extend(blocks)
        return self


_CSS = ("body{font-family:'DejaVu Sans',Arial,sans-serif;font-size:10pt;margin:2em;color:#111}"
        "h1{font-size:16pt;margin-bottom:0}h2{font-size:13pt;margin-top:1.6em;border-bottom:1px solid #999}"
        "h3{font-size:11pt}table{border-collapse:collapse;margin:.5em 0;width:100%}"
        "th,td{border:1px solid #bbb;padding:3px 5px;vertical-align:top;text-align:left;word-break:break-word}"
        "td{white-space:pre-line}th{background:#eee}.sub{color:#555}.note{color:#444;font-style:italic}figure{margin:1em 0}")


def render_html(doc: Document) -> str:
    e = html.escape
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           f"<title>{e(doc.title)}</title><style>{_CSS}</style></head><body>",
           f"<h1>{e(doc.title)}</h1>", f'<p class="sub">{e(doc.subtitle)} — {e(doc.date)}</p>']
    for b in doc.blocks:
        if isinstance(b, Heading):
            out.append(f"<h{b.level}>{e(b.text)}</h{b.level}>")
        elif isinstance(b, Paragraph):
            out.append(f'<p class="note">{e(b.text)}</p>' if b.note else f"<p>{e(b.text)}</p>")
        elif isinstance(b, Table):
            out.append("<table><thead><tr>" + "".join(f"<th>{e(c)}</th>" for c in b.columns) + "</tr></thead><tbody>")
            out.extend("<tr>" + "".join(f"<td>{e(str(v))}</td>" for v in row) + "</tr>" for row in b.rows)
            out.append("</tbody></table>")
        elif isinstance(b, Picture):  # the SVG is built by graph.reports.picture with every text escaped
            out.append(f"<figure>{b.svg}<figcaption>{e(b.caption)}</figcaption></figure>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
