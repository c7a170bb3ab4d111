"""Saved HTML as found in practice: its charset, a tree that survives hostile markup, CSS paths of
elements, and the visible text as lines (what a person reads, block by block).

The tree comes from lxml (libxml2's HTML parser: C speed, forgiving with broken markup, no
network, no scripts). libxml2 stops at 2,048 nested elements; a page nested deeper is flattened
first (tags past a depth limit are dropped, their text kept) and parsed again, so content after
the deep part is not lost.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

from lxml import etree


CHARSET_SCAN = 64 * 1024   # where a meta charset is looked for
FLAT_DEPTH = 512           # nesting kept when a page is too deep for libxml2
MAX_LINE = 10_000          # characters of one text line kept for reading
MAX_PATH = 24              # CSS path segments shown before the middle is elided

BLOCK = frozenset("""address article aside blockquote body caption center dd details dialog dir div dl dt
    fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html legend li main menu nav ol p
    pre section summary table tbody tfoot thead tr ul""".split())
CELL = frozenset({"td", "th"})
SKIP = frozenset({"script", "style", "noscript", "template", "svg", "math", "head", "iframe", "object",
                  "select", "option", "textarea", "datalist", "button"})
LABEL_TAGS = frozenset({"dt", "th", "label", "strong", "b", "h1", "h2", "h3", "h4", "h5", "h6", "legend",
                        "caption"})
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
VOID = frozenset("area base br col embed hr img input keygen link meta param source track wbr frame".split())

_WHATWG = {  # charset labels whose Python codec differs from what browsers use
    **dict.fromkeys(("iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "ascii", "us-ascii",
                     "windows-1252", "x-user-defined", "cp819", "iso_8859-1"), "cp1252"),
    **dict.fromkeys(("gb2312", "gbk", "x-gbk", "gb_2312-80", "chinese", "csgb2312", "gb18030"), "gb18030"),
    **dict.fromkeys(("shift_jis", "shift-jis", "sjis", "x-sjis", "ms_kanji", "windows-31j", "csshiftjis"), "cp932"),
    **dict.fromkeys(("euc-kr", "ks_c_5601-1987", "windows-949", "cseuckr"), "cp949"),
    **dict.fromkeys(("big5", "big5-hkscs", "cn-big5", "x-x-big5"), "big5hkscs"),
    **dict.fromkeys(("iso-8859-9", "latin5", "windows-1254"), "cp1254"),
    **dict.fromkeys(("tis-620", "iso-8859-11", "windows-874"), "cp874"),
    # a page read from bytes without a BOM is not UTF-16 whatever its meta says (HTML standard)
    **dict.fromkeys(("utf-16", "utf-16le", "utf-16be", "utf8", "unicode-1-1-utf-8"), "utf-8"),
}
_NOT_WEB = frozenset({"utf-7", "idna", "punycode", "unicode-escape", "raw-unicode-escape", "undefined",
                      "utf-32", "utf-32-le", "utf-32-be", "unicode_escape", "raw_unicode_escape"})
_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,512}?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]{1,40})"""
    rb"""|<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})""", re.I)
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_INVISIBLE = re.compile("[\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CELL_MARK = "\x1f"


def codec_for(label: str | None) -> str | None:
    """The Python codec that reads what a charset label means in a browser; None for unknown labels."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in _WHATWG:
        return _WHATWG[label]
    try:
        info = codecs.lookup(label)
    except LookupError:
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_WEB:
        return None
    return info.name


def decode_html(data: bytes, declared: str | None = None) -> tuple[str, str, list[str]]:
    """(text, encoding, notes): BOM, else the declared (MIME) charset, else a meta charset, else a guess.

    A legacy single-byte declaration on bytes that are valid UTF-8 with non-ASCII characters is
    taken for UTF-8 (a common mislabelling); undecodable bytes become U+FFFD and are counted.
    """
    notes: list[str] = []
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return _decode(data, enc, notes), enc, notes
    encoding = codec_for(declared)
    if encoding is None:
        m = _META_CHARSET.search(data[:CHARSET_SCAN])
        label = (m.group(1) or m.group(2)).decode("ascii") if m else None
        encoding = codec_for(label)
        if label and encoding is None:
            notes.append(f"unknown charset {label!r}")
    if encoding in ("cp1252", "ascii") and not data.isascii():
        try:
            data.decode("utf-8")
            notes.append(f"declared {encoding} but the bytes are UTF-8")
            encoding = "utf-8"
        except UnicodeDecodeError:
            pass
    if encoding is None:
        encoding = _guess(data)
    return _decode(data, encoding, notes), encoding, notes


_HIGH = re.compile(rb"[\x80-\xff]")
_HIGH_THEN_ASCII = re.compile(rb"[\x80-\xff][\x00-\x7f]")


def _guess(data: bytes) -> str:
    """An undeclared page's encoding: UTF-16 by its zero bytes, strict UTF-8, strict GB18030 unless it
    reads as Western text, else windows-1252 (what browsers fall back to)."""
    head = data[:4096]
    if len(head) >= 4 and head[1::2].count(0) > len(head) // 4 and head[0::2].count(0) == 0:
        return "utf-16-le"
    if len(head) >= 4 and head[0::2].count(0) > len(head) // 4 and head[1::2].count(0) == 0:
        return "utf-16-be"
    for encoding in ("utf-8", "gb18030"):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "utf-8" or not _western(data[:CHARSET_SCAN]):
            return encoding
    return "cp1252"


def _western(sample: bytes) -> bool:
    """Undeclared bytes that decode as GB18030 but read as Western text: in Chinese text nearly every byte
    over 0x7F is followed by another (a two-byte character), in Western text by an ASCII letter ("Müller")."""
    high = len(_HIGH.findall(sample))
    return high > 0 and len(_HIGH_THEN_ASCII.findall(sample)) * 2 > high


def _decode(data: bytes, encoding: str, notes: list[str]) -> str:
    text = data.decode(encoding, errors="replace")
    bad = text.count("\ufffd")
    if bad:
        notes.append(f"{bad} undecodable byte sequences as {encoding} replaced by U+FFFD")
    return text


def parse_html(text: str) -> tuple[etree._Element | None, list[str]]:
    """(root element, notes); None for a document without any markup or text.

    A tree nested deeper than FLAT_DEPTH (libxml2 >= 2.13 stops reading at 2,048 levels; older ones
    read on, and walking very deep trees is slow in lxml) is parsed again from a flattened copy.
    """
    notes: list[str] = []
    root, deep = _lxml(text.encode("utf-8", errors="replace"))
    if not deep and root is not None and text.count("<") > FLAT_DEPTH:
        deep = bool(_DEEPER(root))
    if deep:
        notes.append(f"nested more than {FLAT_DEPTH} elements deep: the tags past that depth dropped, text kept")
        for limit in (FLAT_DEPTH, FLAT_DEPTH // 8):  # the second when the parser nests differently than counted
            root, deep = _lxml(flatten(text, limit).encode("utf-8", errors="replace"))
            if not deep and (root is None or not _DEEPER(root)):
                break
    if root is not None:
        etree.strip_tags(root, etree.Comment, etree.ProcessingInstruction)
    return root, notes


_DEEPER = etree.XPath("boolean(/*" + "/*" * FLAT_DEPTH + ")")  # C-speed: one step per level


def _lxml(data: bytes) -> tuple[etree._Element | None, bool]:
    parser = etree.HTMLParser(encoding="utf-8", huge_tree=True, no_network=True, remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except (etree.LxmlError, ValueError):
        root = None
    deep = any(e.type_name == "ERR_RESOURCE_LIMIT" or "depth" in e.message for e in parser.error_log)
    return root, deep


_RAWTEXT = re.compile(r"</(script|style|textarea|title|xmp|noscript)\s*>", re.I)
_TOKEN = re.compile(r"<(?:(!--)|(/?)([A-Za-z][^\s/>]{0,64})[^>]{0,100000}>)")
_RAW = frozenset({"script", "style", "textarea", "title", "xmp", "noscript"})


def flatten(text: str, limit: int) -> str:
    """The document with start/end tags nested deeper than ``limit`` removed (text untouched).

    A linear scan over tags: comments and raw-text elements (script, style) are skipped whole,
    end tags close what they match, stray end tags are ignored like a browser does.
    """
    out: list[str] = []
    stack: list[str] = []
    open_names: dict[str, int] = {}
    dropped: dict[str, int] = {}
    pos = copied = 0
    search = _TOKEN.search
    while (m := search(text, pos)) is not None:
        if m.group(1):  # a comment
            end = text.find("-->", m.end())
            if end < 0:
                break
            pos = end + 3
            continue
        closing, name = m.group(2) == "/", m.group(3).lower()
        start, pos = m.start(), m.end()
        drop = False
        if closing:
            if dropped.get(name):
                dropped[name] -= 1
                drop = True
            elif open_names.get(name):
                while stack:
                    top = stack.pop()
                    open_names[top] -= 1
                    if top == name:
                        break
        elif name in VOID or text[pos - 2] == "/":
            pass
        elif len(stack) >= limit:
            dropped[name] = dropped.get(name, 0) + 1
            drop = True
        else:
            stack.append(name)
            open_names[name] = open_names.get(name, 0) + 1
        if drop:
            out.append(text[copied:start])
            copied = pos
        if not closing and name in _RAW:
            raw_end = _RAWTEXT.search(text, pos)
            if raw_end is None:
                break
            pos = raw_end.start()
    out.append(text[copied:])
    return "".join(out)


_ID = re.compile(r"[A-Za-z][\w-]{0,63}")


def css_path(el: etree._Element) -> str:
    """'html>body>div#seller-info>table>tr:nth-of-type(3)' (ids shown when they look like ids)."""
    xpath = el.getroottree().getpath(el)
    segments = xpath[1:].split("/")
    nodes = [el, *el.iterancestors()]
    if len(nodes) != len(segments):
        return xpath
    parts = []
    for seg, node in zip(segments, reversed(nodes)):
        name, bracket, index = seg.partition("[")
        ident = node.get("id")
        if ident and _ID.fullmatch(ident):
            name = f"{name}#{ident}"
        parts.append(f"{name}:nth-of-type({index[:-1]})" if bracket else name)
    if len(parts) > MAX_PATH:
        parts = parts[:3] + [f"…({len(parts) - MAX_PATH + 3} levels)…"] + parts[-(MAX_PATH - 3):]
    return ">".join(parts)


def tidy(text: str) -> str:
    """Whitespace collapsed, invisible and control characters removed."""
    if text.isascii():
        plain = " ".join(text.split())
        if plain.isprintable():
            return plain
    return " ".join(_INVISIBLE.sub("", text).split())


@dataclass(slots=True)
class Line:
    """One line of visible text: a block element's text up to the next block or ``<br>``."""

    text: str
    owner: etree._Element          # innermost block element holding the text
    n: int                          # line number inside the owner (after <br>s), 1-based
    first: str = ""                 # first text segment (the text of the first element in the line)
    first_tag: str = ""             # tag of the element holding that segment
    cells: list[str] = field(default_factory=list)  # table cells when the owner is a row
    label: object = None            # what a label reader found in the line (memo), None before it looked

    @property
    def heading(self) -> bool:
        return self.owner.tag in HEADINGS

    def locator(self) -> str:
        where = f"css {css_path(self.owner)}"
        return f"{where}, line {self.n}" if self.n > 1 else where


def text_lines(root: etree._Element) -> list[Line]:
    """The visible text of ``root`` as lines, in document order (scripts, styles, forms skipped)."""
    lines: list[Line] = []
    owners: list[etree._Element] = [root]
    counts: dict[int, int] = {}
    parts: list[str] = []
    first: tuple[str, str] | None = None  # first non-blank text segment of the line, and its element's tag
    cells = False

    def flush() -> None:
        nonlocal first, cells
        if parts:
            joined = "".join(parts)
            parts.clear()
            text = tidy(joined.replace(_CELL_MARK, " ") if cells else joined)[:MAX_LINE]
            if text:
                owner = owners[-1]
                n = counts[id(owner)] = counts.get(id(owner), 0) + 1
                row = [c for c in (tidy(c)[:MAX_LINE] for c in joined.split(_CELL_MARK)) if c] if cells else []
                lines.append(Line(text, owner, n, *(first or ("", "")), row))
        first, cells = None, False

    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            if tag in SKIP:
                walker.skip_subtree()
                continue
            if tag == "br":
                flush()
                continue
            if tag in BLOCK:
                flush()
                owners.append(el)
                counts.pop(id(el), None)
            elif tag in CELL and parts:
                parts.append(_CELL_MARK)
                cells = True
            text = el.text
            if text:
                parts.append(text)
                if first is None and not text.isspace():
                    first = (tidy(text)[:MAX_LINE], tag)
        else:
            if tag in BLOCK:
                flush()
                owners.pop()
            text = el.tail
            if text:
                parts.append(text)
                if first is None and not text.isspace():
                    parent = el.getparent()
                    first = (tidy(text)[:MAX_LINE], parent.tag if parent is not None else "")
    flush()
    return lines
