"""Schedule A exhibits and orders as DOCX, read with the standard library (zipfile + ElementTree, no
DTDs): paragraphs and table rows as ``Line``s, located "paragraph 12" and "table 1, row 7".
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from typing import BinaryIO
from xml.etree import ElementTree

from graph.records import Record

from ingest.base import ParseContext, Parser, Unreadable, register
from ingest.errors import ParseError
from ingest.schedule_a import _finish, _read_all, _why, score_text
from ingest.schedule_a_text import Cell, Line, split_cells
from ingest.zip_head import head_entries

MAX_XML = 100 * 2**20         # largest word/document.xml (uncompressed)


_DOCUMENT = re.compile(rb"word/document\.xml$")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docx_xml(data: bytes, ctx: ParseContext) -> ElementTree.Element:
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ParseError(ctx.path, "", "a legacy .doc or a password-protected Word file; save it as an "
                                       "unprotected .docx first")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            info = zf.getinfo("word/document.xml")
            if info.file_size > MAX_XML:
                raise ParseError(ctx.path, "word/document.xml", f"larger than {MAX_XML // 2**20} MiB uncompressed")
            with zf.open(info) as fh:
                xml = fh.read(MAX_XML + 1)
    except KeyError:
        raise ParseError(ctx.path, "", "not a Word document (no word/document.xml)") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, zlib.error,
            EOFError) as exc:
        raise ParseError(ctx.path, "", f"not a readable DOCX ({_why(exc)})") from None
    if len(xml) > MAX_XML:
        raise ParseError(ctx.path, "word/document.xml", f"larger than {MAX_XML // 2**20} MiB uncompressed")
    if b"<!DOCTYPE" in xml[:4096] or b"<!ENTITY" in xml:
        raise ParseError(ctx.path, "word/document.xml", "declares a DTD or entities; refused")
    try:
        return ElementTree.fromstring(xml)
    except ElementTree.ParseError as exc:
        raise ParseError(ctx.path, "word/document.xml", f"malformed XML ({exc})") from None


def _run_text(el: ElementTree.Element) -> str:
    out = []
    for node in el.iter():
        if node.tag == _W + "t" and node.text:
            out.append(node.text)
        elif node.tag == _W + "tab":
            out.append("\t")
        elif node.tag in (_W + "br", _W + "cr"):
            out.append(" ")
    return "".join(out)


def _docx_lines(root: ElementTree.Element) -> list[Line]:
    lines: list[Line] = []
    counts = {"paragraph": 0, "table": 0}

    def walk(el):
        for child in el:
            if child.tag == _W + "p":
                counts["paragraph"] += 1
                cells, indexed = split_cells(_run_text(child))
                lines.append(Line(cells, f"paragraph {counts['paragraph']}", indexed=indexed))
            elif child.tag == _W + "tbl":
                counts["table"] += 1
                table = counts["table"]
                for r, tr in enumerate(child.findall(_W + "tr"), 1):
                    cells, col = [], 0
                    for tc in tr.findall(_W + "tc"):
                        span = tc.find(f"{_W}tcPr/{_W}gridSpan")
                        paras = [" ".join(_run_text(p).split()) for p in tc.iter(_W + "p")]
                        text = "\n".join(p for p in paras if p)
                        if text:
                            cells.append(Cell(float(col), text))
                        try:
                            col += max(1, min(50, int(span.get(_W + "val", "1")))) if span is not None else 1
                        except ValueError:
                            col += 1
                    lines.append(Line(tuple(cells), f"table {table}, row {r}", table=table, indexed=True))
            elif child.tag in (_W + "body", _W + "sdt", _W + "sdtContent", _W + "customXml"):
                walk(child)

    walk(root)
    return lines


def _docx_head_text(head: bytes) -> str | None:
    """The start of word/document.xml from the first bytes of a DOCX (deflate streams decode partially)."""
    for _, xml in head_entries(head, _DOCUMENT):
        return re.sub(r"<[^>]*>", " ", xml.decode("utf-8", errors="replace")) if xml else None
    return None


@register
class ScheduleADOCX(Parser):
    name = "schedule-a-docx"
    media_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    extensions = (".docx",)
    fixture = "ingest/schedule_a/exhibit.docx"

    @classmethod
    def sniff(cls, name: str, head: bytes) -> int:
        is_docx = head.startswith(b"PK\x03\x04") and b"word/" in head
        if not (is_docx or name.lower().endswith(cls.extensions)):
            return 0
        text = _docx_head_text(head) if is_docx else None
        if text is None:
            return 30 if name.lower().endswith(cls.extensions) else 0  # cannot see: try, with a clear error
        return score_text(text)

    def parse(self, stream: BinaryIO, ctx: ParseContext) -> Iterator[Record | Unreadable]:
        root = _docx_xml(_read_all(stream, ctx), ctx)
        yield from _finish(_docx_lines(root), ctx)
