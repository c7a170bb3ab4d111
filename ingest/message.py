"""E-mail messages (RFC 5322 ``.eml``): addresses as Email records, the body and every attachment as
documents of their own.

- From / Sender / Reply-To / To / Cc / Bcc: one ``Email`` record per address, with the display name kept
  as a property (``display name (From)``).
- ``Date:`` becomes the Source's captured time (UTC, ISO 8601).
- Subject and text body are free text for the NLP stage: they are embedded as ``body.txt`` (the subject as
  its first line), which the notes parser stores as a Source of its own. HTML-only mail is converted to
  text (nothing is executed or fetched; link targets are kept next to their text).
- Every attachment (and every attached message) is embedded under its sanitised file name, so seller
  tables, Schedule A exhibits and archives sent by e-mail are ingested too.

Hostile or sloppy mail degrades instead of failing: undecodable headers are kept verbatim as Unreadable
parts, mislabelled charsets are read with the charset that fits (GB2312 labels read as GB18030, ...).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timezone
from email import policy
from email.header import decode_header
from email.message import Message
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from html import unescape
from typing import BinaryIO

from graph.records import Record, Value

from ingest.base import Embedded, ParseContext, Parser, Unreadable, register
from ingest.errors import ParseError
from ingest.parts import clean_text, codec_for, decode_bytes, extension_for, safe_name, unique_name
from ingest.text import looks_binary

ADDRESS_HEADERS = ("From", "Sender", "Reply-To", "To", "Cc", "Bcc")
MAX_MESSAGE_BYTES = 512 * 1024 * 1024  # a larger .eml is refused
MAX_PARTS = 1000                       # MIME parts read; the rest are reported as one Unreadable part
MAX_MIME_DEPTH = 30                    # multiparts within multiparts
BODY_NAME = "body.txt"
MAX_ADDRESSES = 1000                   # addresses read from the headers of one message
MAX_HEADER_CHARS = 4000               # of a Subject decoded (the header parser is slow on long hostile headers)
MAX_ADDRESS_CHARS = 1000               # one address longer than this is read by pattern, not by the parser

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HEADER_LINE = re.compile(rb"^([!-9;-~]+)[ \t]*:")
_KNOWN_HEADERS = {b"from", b"to", b"cc", b"subject", b"date", b"message-id", b"received", b"return-path",
                  b"mime-version", b"delivered-to", b"reply-to", b"content-type", b"x-mailer", b"sender"}
_GROUP_START = re.compile(r'^\s*[^"<>@,:()]{0,200}:(?!:)')  # "Team:" of a group "Team: a@x.com, b@y.com;"
_ADDRESS = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}")
_LABELS = re.compile(r"=\?([^?*]+)(?:\*[^?]*)?\?[bBqQ]\?")
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)


@register
class MailMessage(Parser):
    name = "email-message"
    media_type = "message/rfc822"
    extensions = (".eml",)
    fixture = "ingest/messages/seller_cs_with_table.eml"

    @classmethod
    def sniff(cls, name: str, head: bytes) -> int:
        if name.lower().endswith(cls.extensions):
            return 90
        if looks_binary(head):
            return 0
        return 70 if _looks_like_headers(head) else 0

    def parse(self, stream: BinaryIO, ctx: ParseContext) -> Iterator[Record | Embedded | Unreadable]:
        data = _read_at_most(stream, MAX_MESSAGE_BYTES + 1)
        if len(data) > MAX_MESSAGE_BYTES:
            raise ParseError(ctx.path, f"byte {MAX_MESSAGE_BYTES}",
                             f"message larger than the limit of {MAX_MESSAGE_BYTES:,} bytes")
        if data.startswith(_OLE):
            raise ParseError(ctx.path, "byte 0", "an Outlook .msg file, not an RFC 5322 message (save it as .eml)")
        if looks_binary(data[:4096]):
            raise ParseError(ctx.path, "byte 0", "binary data, not an e-mail message")
        msg = BytesParser(policy=policy.compat32).parsebytes(data)  # MIME structure: 20x faster than default
        if not msg.keys():
            raise ParseError(ctx.path, "line 1", "no message headers (not an e-mail message)")
        defects = sorted({type(d).__name__ for d in msg.defects})
        if defects:
            ctx.notes.append(f"message defects: {', '.join(defects)}")

        yield from _address_records(msg, ctx)
        _read_date(msg, ctx)
        subject = _header_text(msg, "Subject", ctx)
        if subject:
            ctx.notes.append(f"subject {subject[:200]!r}")

        leaves: list[_Leaf] = []
        if _walk(msg, 0, None, leaves):
            yield Unreadable("MIME structure", "", f"more than {MAX_PARTS} parts or multiparts nested more than "
                             f"{MAX_MIME_DEPTH} deep: the rest is not read")
            leaves = leaves[:MAX_PARTS]
        body_parts, attachments = _split_body(leaves)

        texts = []
        for i, part in enumerate(body_parts):
            text = _part_text(part, ctx, "body" if i == 0 else f"body part {i + 1}")
            if text.strip():
                texts.append(text.strip())
        if body_parts:
            kind = "text/html converted to text" if body_parts[0].ctype == "text/html" else body_parts[0].ctype
            ctx.notes.append(f"body from {kind}")
        if subject:
            texts.insert(0, f"Subject: {subject}")
        taken = {BODY_NAME}
        if texts:
            yield Embedded(BODY_NAME, ("\n\n".join(texts) + "\n").encode("utf-8"), "body")
        else:
            ctx.notes.append("no text body")

        for n, part in enumerate(attachments, start=1):
            yield _attachment(part, n, taken)
        if attachments:
            ctx.notes.append(f"{len(attachments)} attachment{'s' if len(attachments) != 1 else ''}")


def _read_at_most(stream: BinaryIO, limit: int) -> bytes:
    chunks, size = [], 0
    while size < limit and (block := stream.read(min(1 << 20, limit - size))):
        chunks.append(block)
        size += len(block)
    return b"".join(chunks)


def _looks_like_headers(head: bytes) -> bool:
    """An RFC 5322 header block: header lines up to the first blank line, with From and a date or id."""
    lines = head[:8192].split(b"\n")
    if lines and lines[0].startswith(b"From "):  # mbox separator line
        lines = lines[1:]
    names = set()
    for line in lines[:200]:
        line = line.rstrip(b"\r")
        if not line:
            break
        if line[:1] in (b" ", b"\t"):
            continue
        match = _HEADER_LINE.match(line)
        if not match:
            return False
        names.add(match.group(1).lower())
    return b"from" in names and bool(names & {b"date", b"message-id", b"received", b"subject"}) and \
        len(names & _KNOWN_HEADERS) >= 3


# --- headers -------------------------------------------------------------------------------------------

def _raw_headers(msg: Message, name: str) -> list[str]:
    return [str(v) for k, v in msg.raw_items() if k.lower() == name.lower()]


def _fix_text(text: str, raw: str = "") -> str:
    """Header text without surrogate escapes: bytes mislabelled as GB2312 are re-read as GB18030, raw 8-bit
    bytes are decoded by guess."""
    if not any("\ud800" <= ch <= "\udfff" for ch in text):
        return text
    for label in dict.fromkeys(m.group(1) for m in _LABELS.finditer(raw)):
        codec = codec_for(label)  # a superset of the label's charset: encodes what the label decoded
        if not codec:
            continue
        try:
            return text.encode(codec, "surrogateescape").decode(codec)
        except UnicodeError:
            continue
    return clean_text(text)


def _unfold(raw: str) -> str:
    return re.sub(r"\r?\n(?=[ \t])", "", raw).strip("\r\n")


def _header_text(msg: Message, name: str, ctx: ParseContext) -> str:
    """The decoded text of a header (encoded words, 8-bit bytes, wrong charsets); '' when absent."""
    raws = _raw_headers(msg, name)
    if not raws:
        return ""
    raw = _unfold(raws[0])
    if len(raw) > MAX_HEADER_CHARS:
        raw = raw[:MAX_HEADER_CHARS]
        ctx.notes.append(f"{name} header cut to {MAX_HEADER_CHARS:,} characters")
    value = ""
    if "=?" in raw:
        try:
            value = str(policy.default.header_fetch_parse(name, raw))
        except Exception:  # noqa: BLE001 - the header parser has failed on hostile input before
            value = ""
        if (not value or "\ufffd" in value) and raw.isascii():
            value = _decode_words(raw) or value
    value = _fix_text(value, raw) if value else clean_text(raw)
    return re.sub(r"\s+", " ", value).strip()


def _decode_words(raw: str) -> str:
    """Encoded words decoded with the charset that fits (a GB2312 label read as GB18030, ...)."""
    try:
        pieces = decode_header(raw)
    except Exception:  # noqa: BLE001
        return ""
    out = []
    for piece, charset in pieces:
        if isinstance(piece, str):
            out.append(piece)
        else:
            out.append(decode_bytes(piece, charset)[0] if charset else piece.decode("ascii", "replace"))
    return "".join(out)


def _addresses(name: str, raw: str, limit: int) -> list[tuple[str, str, str]]:
    """(display name, address, the text it was read from) of one address header.

    The header is split at its top-level commas first and each short piece is read by the strict parser
    (which is quadratic on some hostile input); long or broken pieces by lenient fallbacks."""
    pairs = []
    for piece in _split_addresses(_unfold(raw)):
        piece = _GROUP_START.sub("", piece).strip().rstrip(";").strip()
        if not piece:
            continue
        found: list[tuple[str, str]] = []
        if len(piece) <= MAX_ADDRESS_CHARS:
            try:
                header = policy.default.header_fetch_parse(name, piece)
                found = [(a.display_name, a.addr_spec) for a in header.addresses]
            except Exception:  # noqa: BLE001 - the header parser has failed on hostile input before
                found = [(n, a) for n, a in getaddresses([piece]) if a or n]
        else:
            found = [("", a) for a in _ADDRESS.findall(piece)] or [(piece[:200], "")]
        pairs.extend((_fix_text(d, raw).strip(), _fix_text(a, raw).strip(), piece) for d, a in found)
        if len(pairs) >= limit:
            return pairs[:limit]
    return pairs


def _split_addresses(raw: str) -> Iterator[str]:
    """Pieces of an address list between top-level commas (not inside quotes, <...> or comments)."""
    start, quoted, escaped, angle, comment = 0, False, False, 0, 0
    for i, ch in enumerate(raw):
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif quoted:
            quoted = ch != '"'
        elif ch == '"':
            quoted = True
        elif ch == "(":
            comment += 1
        elif ch == ")":
            comment = max(0, comment - 1)
        elif ch == "<":
            angle += 1
        elif ch == ">":
            angle = max(0, angle - 1)
        elif ch == "," and not angle and not comment:
            yield raw[start:i]
            start = i + 1
    yield raw[start:]


def _address_records(msg: Message, ctx: ParseContext) -> Iterator[Record | Unreadable]:
    domains: dict[str, set[str]] = {}
    count = 0
    for name in ADDRESS_HEADERS:
        for raw in _raw_headers(msg, name):
            locator = f"header {name}"
            if count >= MAX_ADDRESSES:
                yield Unreadable(locator, clean_text(raw)[:10_000], f"addresses past the limit of {MAX_ADDRESSES} "
                                 "in one message: not read")
                continue
            room = MAX_ADDRESSES - count
            pairs = _addresses(name, raw, room + 1)
            if len(pairs) > room:
                yield Unreadable(locator, clean_text(raw)[:10_000], f"addresses past the limit of {MAX_ADDRESSES} "
                                 "in one message: not read")
                pairs = pairs[:room]
            count += len(pairs)
            if not any(a or d for d, a, _ in pairs):
                if raw.strip() and ":;" not in raw.replace(" ", ""):  # an empty group is no address
                    yield Unreadable(locator, clean_text(raw), "no e-mail address in the header")
                continue
            for display, address, piece in pairs:
                if "@" not in address:
                    shown = (display or address.strip('"'))[:200]
                    yield Unreadable(locator, clean_text(piece), f"not an e-mail address: {shown!r}")
                    continue
                values = [Value("email", address, locator)]
                if display and display.lower() != address.lower():
                    values.append(Value(None, display, locator, f"display name ({name})"))
                yield Record("Email", locator, tuple(values))
                domains.setdefault(name, set()).add(address.rpartition("@")[2].lower())
    sender = domains.get("From", set())
    other = domains.get("Reply-To", set()) - sender
    if sender and other:
        ctx.notes.append(f"Reply-To on another domain ({', '.join(sorted(other))}) than From "
                         f"({', '.join(sorted(sender))})")


def _read_date(msg: Message, ctx: ParseContext) -> None:
    raws = _raw_headers(msg, "Date")
    if not raws:
        return
    try:
        moment = parsedate_to_datetime(clean_text(raws[0]).strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        moment = None
    if moment is None:
        ctx.notes.append(f"Date header not understood: {clean_text(raws[0])[:80]!r}")
        return
    if moment.tzinfo is None:  # "-0000": the time is UTC, the zone unknown
        moment = moment.replace(tzinfo=timezone.utc)
    ctx.captured_at = moment.astimezone(timezone.utc).isoformat(timespec="seconds")


# --- MIME structure ------------------------------------------------------------------------------------

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


def _attachment(leaf: _Leaf, n: int, taken: set[str]) -> Embedded | Unreadable:
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
    return Embedded(name, data, locator)


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
