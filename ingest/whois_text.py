"""WHOIS answers as text (saved from a terminal or a registrar's web form; bulk lookups of many domains):
one Domain record per domain. Locators are lines (``line 12``); see ``ingest.domain_record``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO

from graph.clean.domain import ascii_host
from graph.records import Record, Value

from ingest.base import ParseContext, Parser, register
from ingest.domain_contact import (FIELD_OF_ROLE, MAX_VALUE, WEAK_LABELS, WHOIS_ROLES, Contact, digits, fold,
                                   iso_date, label_key, whois_role)
from ingest.domain_record import _domain_record, _host
from ingest.errors import ParseError
from ingest.text import guess_encoding, looks_binary, open_text

_IP = re.compile(r"^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-f]*:[0-9a-f:.]+)$", re.I)


_OTHER_FORMATS = (".eml", ".msg", ".mbox", ".html", ".htm", ".mhtml", ".md", ".markdown", ".csv", ".tsv", ".json",
                  ".xml", ".pdf", ".zip", ".docx", ".xlsx", ".xls", ".doc", ".rtf", ".png", ".jpg", ".jpeg", ".gif")
_LINE = re.compile(r"^\s*([^\s:：%#>\[][^:：]{0,79}?)[\s.]*[:：](?!//)\s*(.*?)\s*$")
_LAST_UPDATE = re.compile(r"^\s*>>>\s*last update of (?:whois|rdds) database\s*:\s*(.*?)\s*<<<", re.I)
_NO_MATCH = re.compile(r"^\s*(?:no match for|not found|no data found|no entries found|domain not found"
                       r"|the queried object does not exist|no matching record|no found)\b", re.I)


def _note(ctx: ParseContext, text: str) -> None:
    if len(ctx.notes) < 50:
        ctx.notes.append(text)
    elif len(ctx.notes) == 50:
        ctx.notes.append("more notes left out")


def _labelled(line: str) -> tuple[str, str] | None:
    """(label, value) of a 'Label: value' line."""
    m = _LINE.match(line)
    if not m:
        return None
    label = m.group(1).strip()
    if not re.search(r"[^\W\d_]", label) or len(label.split()) > 8:
        return None
    return label, m.group(2)


@register
class WhoisText(Parser):
    name = "whois-text"
    media_type = "text/plain"
    extensions = (".whois",)
    fixture = "ingest/domains/whois_godaddy.txt"

    @classmethod
    def sniff(cls, name: str, head: bytes) -> int:
        if name.lower().endswith(_OTHER_FORMATS):  # a WHOIS answer quoted in a mail or a page is theirs
            return 0
        if looks_binary(head):
            return 1 if name.lower().endswith(cls.extensions) else 0  # claimed, then rejected with a reason
        text = head.decode(guess_encoding(head), errors="replace")
        labels: dict[str, str] = {}
        for line in text.splitlines()[:400]:
            found = _labelled(line)
            if found:
                labels.setdefault(label_key(found[0]), found[1])
        known = {k for k in labels if k in WHOIS_ROLES}
        domain = {k for k in known if WHOIS_ROLES[k] == "domain"}
        strong = known - WEAK_LABELS - domain
        if domain and len(strong) >= 3:
            return 90
        if domain and ("nserver" in known or labels.get("status", "").lower() in ("connect", "free", "redemption")):
            return 80  # DENIC and other RIPE-style registries: little more than the domain and its state
        if domain and len(known - domain) >= 3:
            return 60
        return 50 if len(strong) >= 5 else 0

    def parse(self, stream: BinaryIO, ctx: ParseContext) -> Iterator[Record]:
        lines, encoding, _ = open_text(stream, ctx.path, "WHOIS text")
        ctx.notes.append(f"encoding {encoding}")
        found = 0
        no_match = None
        for item in _whois_records(lines, ctx):
            if isinstance(item, str):
                no_match = no_match or item
                _note(ctx, item)
                continue
            found += 1
            yield item
        if not found:
            if no_match:
                raise ParseError(ctx.path, no_match.partition(": ")[0], f"no registration record (the answer says "
                                 f"{no_match.partition(': ')[2]!r})")
            raise ParseError(ctx.path, "line 1", 'no WHOIS record (no "Domain Name:" or similar line)')


class _Whois:
    """The labelled lines of one WHOIS record."""

    def __init__(self, start: int):
        self.start = self.end = start
        self.domain: str | None = None
        self.entries: list[tuple[int, str, str, str | None]] = []  # (line, label, value, role)

    def add(self, lineno: int, label: str, value: str, role: str | None) -> None:
        self.entries.append((lineno, label, value[:MAX_VALUE], role))
        self.end = lineno

    def record(self, ctx: ParseContext) -> Record:
        domain, others, contact = [], [], Contact()
        abuse_emails, abuse_phones = set(), set()
        firsts: set[str] = set()
        for lineno, label, value, role in self.entries:
            if role == "abuse_email":
                abuse_emails.add(value.strip().lower())
            elif role == "abuse_phone" and digits(value):
                abuse_phones.add(digits(value))
        for lineno, label, value, role in self.entries:
            loc = f"line {lineno}"
            if len(ctx.columns) < 200 and role != "skip":
                ctx.columns.setdefault(label, FIELD_OF_ROLE.get(role or "", "(kept as property)"))
            if role == "domain":
                if "domain" not in firsts:
                    firsts.add("domain")
                    domain.append(Value("domain_name", _host(value), loc, label))
                elif value.strip() != domain[0].raw:
                    others.append(Value(None, value, loc, label))  # e.g. its Unicode form
            elif role == "registrar":
                domain.append(Value("registrar", value, loc, label))
            elif role in ("created", "expires"):
                date = iso_date(value)
                if date and role not in firsts:
                    firsts.add(role)
                    domain.append(Value(role, date, loc, label))
                else:
                    others.append(Value(None, value, loc, label))
                    if not date:
                        _note(ctx, f"{loc}: {label} {value[:40]!r} is not a date I read; kept as written")
            elif role == "ns":
                for token in re.split(r"[\s,;]+", value):
                    token = token.strip().rstrip(".")
                    if token:
                        ip = _IP.match(token.strip("[]()"))
                        others.append(Value(None, token, loc, "nameserver ip")) if ip else \
                            domain.append(Value("nameserver", token, loc, label))
            elif role and role.startswith("reg:"):
                contact.add(role[4:], value, loc, label)
            elif role != "skip":
                others.append(Value(None, value, loc, label))
        locator = f"line {self.start}" if self.start == self.end else f"lines {self.start}-{self.end}"
        return _domain_record(locator, domain, contact, others, abuse_emails, abuse_phones)


def _whois_records(lines, ctx: ParseContext) -> Iterator[Record | str]:
    """Records of a WHOIS text, split where a new domain's "Domain Name:" line starts (bulk lookups);
    the answers of the registry and the registrar for the same domain stay one record. Yields the first
    "No match for ..." line (as "line N: text") where a record was not found."""
    current: _Whois | None = None
    pending: list | None = None  # [label, role, values so far] of a bare "Label:" whose values follow
    legal = False  # after ">>> Last update of WHOIS database <<<": legal text until the next record
    unlabelled = 0
    for lineno, line in enumerate(lines, start=1):
        line = line.rstrip("\r\n")
        if len(line) > MAX_VALUE:
            _note(ctx, f"line {lineno}: cut to {MAX_VALUE} characters")
            line = line[:MAX_VALUE]
        stripped = line.strip()
        if not stripped:
            pending = None
            continue
        if stripped[0] in "%#":
            continue
        if m := _LAST_UPDATE.match(line):
            if current is not None:
                current.add(lineno, "last update of whois database", m.group(1), None)
                if ctx.captured_at is None and iso_date(m.group(1)):
                    ctx.captured_at = iso_date(m.group(1))
            legal, pending = True, None
            continue
        if _NO_MATCH.match(line):
            yield f"line {lineno}: {stripped[:120]}"
            legal, pending = True, None
            continue
        found = _labelled(line)
        if found is None:
            if pending is not None and not legal:
                label, role, count = pending
                if count and role in ("reg:generic", "reg:name", "reg:org"):
                    role = "reg:street"  # "Registrant:" then the name, then its address, one part a line
                current = yield from _add(current, lineno, label, stripped, role, ctx)
                pending[2] += 1
            else:
                unlabelled += 1
            continue
        label, value = found
        role = whois_role(label)
        if legal and role != "domain":
            continue
        legal = False
        pending = None if value else [label, role, 0]  # the values of a bare "Label:" follow, one a line
        if value:
            current = yield from _add(current, lineno, label, value, role, ctx)
    if current is not None:
        yield current.record(ctx)
    if unlabelled:
        ctx.notes.append(f"{unlabelled} lines without a label (headers, legal text) not read")


def _add(current: _Whois | None, lineno: int, label: str, value: str, role: str | None,
         ctx: ParseContext) -> Iterator[Record]:
    """Adds one labelled value, starting a new record at a new domain; yields the finished record."""
    if role == "domain":
        name = ascii_host(value.strip()) or fold(value)
        if current is not None and current.domain is not None and current.domain != name:
            yield current.record(ctx)
            current = None
        if current is None:
            current = _Whois(lineno)
        current.domain = current.domain or name
    if current is None:
        current = _Whois(lineno)
    current.add(lineno, label, value, role)
    return current
