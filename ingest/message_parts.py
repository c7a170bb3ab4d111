"""The MIME structure of an e-mail message: its leaf parts, which of them are the body (one rendering of
each multipart/alternative, plain text preferred), their text (HTML converted, nothing executed or
fetched), and the attachments as embedded documents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email import policy
from email.message import Message
from html import unescape

from ingest.base import Embedded, ParseContext, Unreadable
from ingest.message_headers import _decode_words, _unfold
from ingest.parts import clean_text, decode_bytes, extension_for, safe_name, unique_name
from ingest.spool import Spool

MAX_PARTS = 1000                       # MIME parts read; the rest are reported as one Unreadable part
MAX_MIME_DEPTH = 30                    # multiparts within multiparts

_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)


@dataclass(frozen=True, slots=True)
class _Leaf:
    """A part that is not a multipart, described once (its headers parsed defensively)."""

    part: Message
    ctype: str
    disposition: str
    filename: str
    alternative: int | None  # id of its nearest multipart/alternative

    @property
    def inline_text(self) -> bool:
        if self.disposition == "attachment" or self.filename:
            return False
        return self.ctype in ("text/plain", "text/html") or self.ctype.startswith("multipart/")


def _safely(call, default):
    try:
        return call()
    except Exception:  # noqa: BLE001 - the header parser has failed on hostile input before
        return default


def _content_type(part: Message) -> str:
    ctype = _safely(part.get_content_type, "text/plain")
    return clean_text(ctype) if isinstance(ctype, str) else "text/plain"


def _leaves(msg: Message) -> tuple[list[_Leaf], Unreadable | None]:
    """The leaf parts of a message, and an Unreadable part when there were too many or too deep."""
    leaves: list[_Leaf] = []
    if _walk(msg, 0, None, leaves):
        return leaves[:MAX_PARTS], Unreadable("MIME structure", "", f"more than {MAX_PARTS} parts or multiparts "
                                              f"nested more than {MAX_MIME_DEPTH} deep: the rest is not read")
    return leaves, None


def _walk(part: Message, depth: int, alternative: int | None, out: list[_Leaf]) -> bool:
    """Leaf parts in order; True when cut short by ``MAX_MIME_DEPTH`` or ``MAX_PARTS``."""
    if depth > MAX_MIME_DEPTH or len(out) > MAX_PARTS:
        return True
    ctype = _content_type(part)
    payload = _safely(part.get_payload, None)
    if not ctype.startswith("message/") and isinstance(payload, list):
        inner = id(part) if ctype == "multipart/alternative" else alternative
        cut = False
        for sub in payload:
            if isinstance(sub, Message):
                cut = _walk(sub, depth + 1, inner, out) or cut
        return cut
    disposition = _safely(part.get_content_disposition, None) or ""
    filename = str(_safely(part.get_filename, None) or "")
    if "=?" in filename:  # encoded words in a file name (Outlook, Foxmail): not standard, but common
        filename = _decode_words(_unfold(filename)) or filename
    out.append(_Leaf(part, ctype, clean_text(str(disposition)), clean_text(str(filename)), alternative))
    return False


def _split_body(leaves: list[_Leaf]) -> tuple[list[_Leaf], list[_Leaf]]:
    """The body (plain text preferred, then HTML) and further inline text; and the attachments.

    Of each multipart/alternative only one rendering is text of the message (plain text preferred)."""
    inline = [leaf for leaf in leaves if leaf.inline_text]
    body = next((leaf for leaf in inline if leaf.ctype != "text/html"), None) or next(iter(inline), None)
    texts: list[_Leaf] = []
    groups: set[int] = set()
    for leaf in ([body] if body else []) + inline:
        if any(leaf is t for t in texts) or leaf.alternative in groups:
            continue
        if leaf.alternative is not None:
            groups.add(leaf.alternative)
            leaf = next((x for x in inline if x.alternative == leaf.alternative and x.ctype != "text/html"), leaf)
        texts.append(leaf)
    attachments = [leaf for leaf in leaves if not any(leaf is t for t in texts)
                   and not (leaf.inline_text and leaf.alternative in groups)]
    return texts, attachments


def _part_bytes(leaf: _Leaf) -> bytes:
    part = leaf.part
    payload = part.get_payload()
    if isinstance(payload, list):  # an attached message (message/rfc822, message/delivery-status, ...)
        return b"\r\n".join(p.as_bytes(policy=policy.compat32) for p in payload if isinstance(p, Message))
    data = part.get_payload(decode=True)
    if data is None:
        data = payload.encode("utf-8", "surrogateescape") if isinstance(payload, str) else b""
    return data


def _part_text(leaf: _Leaf, ctx: ParseContext, where: str) -> str:
    try:
        data = _part_bytes(leaf)
    except Exception as exc:  # noqa: BLE001
        ctx.notes.append(f"{where}: not decoded ({type(exc).__name__})")
        return ""
    charset = _safely(leaf.part.get_content_charset, None)
    html = leaf.ctype == "text/html"
    if html and not charset:
        meta = _META_CHARSET.search(data[:4096])
        charset = meta.group(1).decode("ascii", "replace") if meta else None
    text, codec, wrong = decode_bytes(data, charset)
    if wrong:
        ctx.notes.append(f"{where}: labelled {charset!r} but read as {codec}")
    return html_to_text(text) if html else text.replace("\r\n", "\n")


def _attachment(leaf: _Leaf, n: int, taken: set[str], spool: Spool) -> Embedded | Unreadable:
    """The attachment decoded and put in the spool (its bytes are not kept in memory until it is ingested)."""
    ext = extension_for(leaf.ctype)
    name = safe_name(leaf.filename, f"attachment-{n}{ext}")
    if "." not in name and ext != ".bin":
        name += ext
    name = unique_name(name, taken)
    locator = f"attachment {n} ({name})"
    try:
        data = _part_bytes(leaf)
    except Exception as exc:  # noqa: BLE001
        return Unreadable(locator, "", f"attachment not decoded ({type(exc).__name__}: {str(exc)[:120]})")
    return Embedded(name, spool.add(data), locator)


# --- HTML to text (nothing executed, nothing fetched) ---------------------------------------------------
# A linear scan over tags rather than html.parser: the standard parser is quadratic on some hostile markup
# (unclosed tags and comments) in the Python versions we support.

_BLOCKS = {"p", "div", "br", "tr", "li", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
           "blockquote", "pre", "section", "article", "header", "footer", "dd", "dt", "dl", "address", "form",
           "body", "center", "main", "nav", "aside", "figure", "figcaption", "caption"}
_LINES = {"tr", "li", "dt", "dd", "br", "hr"}  # a line break before, none after: rows and items stay on one line
_SKIP = {"script", "style", "template", "svg", "math", "title", "xml", "object", "iframe", "head", "textarea"}
_TAG = re.compile(r"<(/?)([A-Za-z][\w:-]{0,30})((?:[^<>\"']|\"[^\"]{0,2000}\"|'[^']{0,2000}'){0,200})(/?)>")
_HREF = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
_SPACE = re.compile(r"[ \t\r\n\f\v]+")


def html_to_text(html: str) -> str:
    """Readable text of an HTML document: block elements on lines, cells tab-separated, link targets kept
    next to their text; scripts, styles and comments left out. Linear in the length of ``html``."""
    out: list[str] = []
    links: list[tuple[str, int]] = []
    pos, skip, pre, end = 0, "", 0, len(html)
    while pos < end:
        lt = html.find("<", pos)
        if not skip:
            text = unescape(html[pos:end if lt < 0 else lt]).replace("\xa0", " ")
            out.append(text if pre else _SPACE.sub(" ", text))
        if lt < 0:
            break
        if html.startswith("<!", lt) or html.startswith("<?", lt):  # comments, doctype, processing instructions
            close = html.find("-->", lt + 4) + 3 if html.startswith("<!--", lt) else html.find(">", lt) + 1
            pos = end if close <= 2 else close
            continue
        match = _TAG.match(html, lt)
        if not match:
            if not skip:
                out.append("<")
            pos = lt + 1
            continue
        pos = match.end()
        closing, tag = match.group(1) == "/", match.group(2).lower()
        if skip:
            if (closing and tag == skip) or (skip == "head" and tag == "body"):
                skip = ""
            continue
        if tag in _SKIP:
            if not closing and not match.group(4):
                skip = tag
            continue
        if tag in ("td", "th"):
            out.append("\t")
        elif tag in _BLOCKS and not (closing and tag in _LINES):
            out.append("\n- " if tag == "li" and not closing else "\n")
        if tag == "pre":
            pre = max(0, pre - 1) if closing else pre + 1
        elif tag == "a" and not closing:
            href = _HREF.search(match.group(3))
            links.append(((next((g for g in href.groups() if g is not None), "") if href else "").strip(), len(out)))
        elif tag == "a" and links:
            href, start = links.pop()
            target = unescape(href)
            target = target[7:] if target.lower().startswith("mailto:") else target
            shown = "".join(out[start:start + 200])  # bounded: hostile pages nest thousands of links
            if href.lower().startswith(("http://", "https://", "mailto:")) and target and target not in shown:
                out.append(f" <{target}>")
    text = "".join(out)
    lines = [re.sub(r"[ \t]*\t[ \t]*", "\t", line).strip(" \t") for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
