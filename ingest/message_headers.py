"""The headers of an e-mail message as they are found: encoded words in the wrong charset, raw 8-bit bytes,
hostile address lists; addresses become ``Email`` records, ``Date:`` the Source's captured time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timezone
from email import policy
from email.header import decode_header
from email.message import Message
from email.utils import getaddresses, parsedate_to_datetime

from graph.records import Record, Value

from ingest.base import ParseContext, Unreadable
from ingest.parts import clean_text, codec_for, decode_bytes

ADDRESS_HEADERS = ("From", "Sender", "Reply-To", "To", "Cc", "Bcc")
MAX_ADDRESSES = 1000                   # addresses read from the headers of one message
MAX_HEADER_CHARS = 4000               # of a Subject decoded (the header parser is slow on long hostile headers)
MAX_ADDRESS_CHARS = 1000               # one address longer than this is read by pattern, not by the parser

_GROUP_START = re.compile(r'^\s*[^"<>@,:()]{0,200}:(?!:)')  # "Team:" of a group "Team: a@x.com, b@y.com;"
_ADDRESS = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}")
_LABELS = re.compile(r"=\?([^?*]+)(?:\*[^?]*)?\?[bBqQ]\?")


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
