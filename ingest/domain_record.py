"""Domain registration records: RDAP JSON (RFC 9083) and WHOIS text, one Domain record per domain.

Both formats give the domain, its registrar, registration and expiry dates, name servers and the
registrant contact; ``ingest.domain_contact`` decides which registrant values are identifiers and
which belong to a privacy service or hide the real value. Every other labelled value (status, DNSSEC,
abuse and technical contacts, remarks) is kept as an unmapped value named by its label.

Locators: ``line 12`` in WHOIS text, JSON pointers (``/entities/0/vcardArray/1/3``) in RDAP.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import BinaryIO

from graph.clean.domain import ascii_host, to_unicode
from graph.records import Record, Value

from ingest.base import SNIFF_BYTES, ParseContext, Parser, Unreadable, register
from ingest.domain_contact import (FIELD_OF_ROLE, MAX_VALUE, WEAK_LABELS, WHOIS_ROLES, Contact, digits, fold,
                                   is_placeholder, is_proxy, iso_date, label_key, registrant_values, whois_role)
from ingest.errors import ParseError
from ingest.text import guess_encoding, looks_binary, text_stream

MAX_RDAP_BYTES = 20 * 1024 * 1024
MAX_DEPTH = 8  # entities inside entities
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_CN_TLDS = ("cn", "xn--fiqs8s", "xn--fiqz9s", "中国", "中國")
_IP = re.compile(r"^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-f]*:[0-9a-f:.]+)$", re.I)


def _host(name: str) -> str:
    """A domain name as a host name: DNS names ignore case ('MINGYUE-WATCHES.COM.' -> 'mingyue-watches.com')."""
    return name.strip().rstrip(".").lower() if name.strip().rstrip(".") else name


def _domain_record(locator: str, domain_values: list[Value], contact: Contact, others: list[Value],
                   abuse_emails: set[str], abuse_phones: set[str]) -> Record:
    """The Record of one domain; a Chinese-script registrant of a .cn domain is taken to be in China."""
    registrant, proxy = registrant_values(contact, abuse_emails, abuse_phones)
    values = tuple(domain_values + registrant + others)
    hints: tuple[tuple[str, str], ...] = ()
    names = [v.raw for v in registrant if v.field == "registrant"]
    domain = next((v.raw for v in values if v.field == "domain_name"), "")
    if (not proxy and not any(v.field == "country" for v in values)
            and domain.rstrip(".").lower().rpartition(".")[2] in _CN_TLDS and any(_HAN.search(n) for n in names)):
        hints = (("country", "CN"),)
    return Record("Domain", locator, values, hints)


# --- RDAP ------------------------------------------------------------------------------------------

def _text(value: object) -> str:
    if isinstance(value, str):
        return value.strip()[:MAX_VALUE]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, list):
        return ", ".join(t for t in (_text(v) for v in value[:50]) if t)[:MAX_VALUE]
    return ""


def _list(value: object) -> list:
    return value if isinstance(value, list) else []


def _vcard(card: object, ptr: str) -> Iterator[tuple[str, dict, object, str]]:
    """(property name, parameters, value, pointer) of each jCard property."""
    if not (isinstance(card, list) and len(card) >= 2 and isinstance(card[1], list)):
        return
    for j, prop in enumerate(card[1][:1000]):
        if isinstance(prop, list) and len(prop) >= 4 and isinstance(prop[0], str):
            params = prop[1] if isinstance(prop[1], dict) else {}
            yield prop[0].lower(), params, prop[3] if len(prop) == 4 else prop[3:], f"{ptr}/1/{j}"


def _tel(value: object) -> str:
    text = _text(value)
    text = re.sub(r"^tel:", "", text, flags=re.I)
    return re.sub(r";\s*ext\s*=\s*", " ext. ", text, flags=re.I).split(";", 1)[0].strip()


def _types(params: dict) -> set[str]:
    kinds = params.get("type", [])
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return {k.lower() for k in kinds if isinstance(k, str)}


def _registrant_card(card: object, ptr: str, contact: Contact, others: list[Value]) -> None:
    props = list(_vcard(card, ptr))
    is_org = any(name == "kind" and _text(v).lower() == "org" for name, _, v, _ in props)
    has_org = any(name == "org" and _text(v) for name, _, v, _ in props)
    for name, params, value, loc in props:
        label = f"registrant {name}"
        if name == "fn":
            contact.add("org" if is_org else "name" if has_org else "generic", _text(value), loc, label)
        elif name == "org":
            contact.add("org", _text(value), loc, label)
        elif name == "email":
            contact.add("email", _text(value), loc, label)
        elif name == "tel":
            fax = "fax" in _types(params)
            contact.add("fax" if fax else "phone", _tel(value), loc, "registrant fax" if fax else label)
        elif name == "adr":
            parts = value if isinstance(value, list) else []
            if isinstance(params.get("cc"), str):
                contact.add("cc", params["cc"], loc, f"{label} cc")
            if any(_text(p) for p in parts):
                for kind, part in zip(("street", "street", "street", "city", "state", "postcode", "country"),
                                      parts[:7]):
                    contact.add(kind, _text(part), loc, label)
            elif isinstance(params.get("label"), str):
                contact.add("street", ", ".join(params["label"].split("\n")), loc, f"{label} label")
        elif name not in ("version", "kind") and _text(value):
            others.append(Value(None, _text(value), loc, label))


class _Rdap:
    """Walks one RDAP domain object."""

    def __init__(self, obj: dict, base: str, ctx: ParseContext):
        self.obj, self.base, self.ctx = obj, base, ctx
        self.domain: list[Value] = []
        self.others: list[Value] = []
        self.contact = Contact()
        self.abuse_emails: set[str] = set()
        self.abuse_phones: set[str] = set()

    def keep(self, raw: object, ptr: str, column: str) -> None:
        text = _text(raw)
        if text:
            self.others.append(Value(None, text, self.base + ptr, column))

    def record(self) -> Record:
        obj, b = self.obj, self.base
        ldh, uni = _text(obj.get("ldhName")), _text(obj.get("unicodeName"))
        if ldh or uni:
            self.domain.append(Value("domain_name", _host(ldh or uni), f"{b}/{'ldhName' if ldh else 'unicodeName'}",
                                     "ldhName" if ldh else "unicodeName"))
        if ldh and uni and to_unicode(ldh.lower().rstrip(".")) != uni.lower().rstrip("."):
            self.keep(uni, "/unicodeName", "unicodeName")  # not just the Unicode form of ldhName
        self.keep(obj.get("handle"), "/handle", "handle")
        self.keep(obj.get("port43"), "/port43", "whois server")
        for i, status in enumerate(_list(obj.get("status"))):
            self.keep(status, f"/status/{i}", "status")
        self._events(obj.get("events"), "/events", "")
        for i, ns in enumerate(_list(obj.get("nameservers"))):
            if not isinstance(ns, dict):
                continue
            name = _text(ns.get("ldhName")) or _text(ns.get("unicodeName"))
            if name:
                key = "ldhName" if _text(ns.get("ldhName")) else "unicodeName"
                self.domain.append(Value("nameserver", name, f"{b}/nameservers/{i}/{key}", "nameserver"))
            ips = ns.get("ipAddresses") if isinstance(ns.get("ipAddresses"), dict) else {}
            for version in ("v4", "v6"):
                for j, ip in enumerate(_list(ips.get(version))):
                    self.keep(ip, f"/nameservers/{i}/ipAddresses/{version}/{j}", "nameserver ip")
        dns = obj.get("secureDNS")
        if isinstance(dns, dict) and isinstance(dns.get("delegationSigned"), bool):
            self.keep("signed" if dns["delegationSigned"] else "unsigned", "/secureDNS/delegationSigned", "DNSSEC")
        self._remarks(obj.get("remarks"), "/remarks", "remark")
        for i, item in enumerate(_list(obj.get("redacted"))):  # RFC 9537
            if isinstance(item, dict):
                name = item.get("name") if isinstance(item.get("name"), dict) else {}
                what = _text(name.get("type")) or _text(name.get("description"))
                method = _text(item.get("method"))
                self.keep(f"{what} ({method})" if what and method else what, f"/redacted/{i}", "redacted")
        self._entities(obj.get("entities"), "/entities", "", 0)
        locator = b or "/"
        return _domain_record(locator, self.domain, self.contact, self.others, self.abuse_emails, self.abuse_phones)

    def _events(self, events: object, ptr: str, who: str) -> None:
        for i, event in enumerate(_list(events)):
            if not isinstance(event, dict):
                continue
            action, raw = _text(event.get("eventAction")).lower(), _text(event.get("eventDate"))
            if not raw:
                continue
            date, loc = iso_date(raw), f"{self.base}{ptr}/{i}/eventDate"
            fname = {"registration": "created", "expiration": "expires"}.get(action) if not who else None
            if fname and date and not any(v.field == fname for v in self.domain):
                self.domain.append(Value(fname, date, loc, f"event {action}"))
            else:
                self.others.append(Value(None, date or raw, loc, f"{who}event {action or '?'}"))
            if action == "last update of rdap database" and date and not who and self.ctx.captured_at is None:
                self.ctx.captured_at = date

    def _remarks(self, remarks: object, ptr: str, column: str) -> list[tuple[str, str]]:
        titles = []
        for i, remark in enumerate(_list(remarks)):
            if isinstance(remark, dict):
                title, text = _text(remark.get("title")), " ".join(_list_text(remark.get("description")))
                self.keep(f"{title}: {text}" if title and text else title or text, f"{ptr}/{i}", column)
                if title:
                    titles.append((title, f"{self.base}{ptr}/{i}/title"))
        return titles

    def _entities(self, entities: object, ptr: str, parent: str, depth: int) -> None:
        if depth > MAX_DEPTH:
            self.ctx.notes.append(f"{self.base}{ptr}: entities nested deeper than {MAX_DEPTH} levels not read")
            return
        for i, ent in enumerate(_list(entities)):
            if not isinstance(ent, dict):
                continue
            p = f"{ptr}/{i}"
            roles = [r.lower() for r in _list(ent.get("roles")) if isinstance(r, str)]
            role = " ".join(roles) or "entity"
            if "registrant" in roles:
                self._registrant(ent, p, "proxy" in roles)
            elif "registrar" in roles:
                self._registrar(ent, p)
            else:
                who = f"{parent} {role}".strip()
                abuse = "abuse" in roles
                for name, params, value, loc in _vcard(ent.get("vcardArray"), f"{self.base}{p}/vcardArray"):
                    text = _tel(value) if name == "tel" else _text(value)
                    if abuse and name == "email":
                        self.abuse_emails.add(text.lower())
                    if abuse and name == "tel":
                        self.abuse_phones.add(digits(text))
                    if name not in ("version", "kind") and text:
                        self.others.append(Value(None, text, loc, f"{who} {name}"))
                self._ids(ent, p, who)
                self._remarks(ent.get("remarks"), f"{p}/remarks", f"{who} remark")
                self._events(ent.get("events"), f"{p}/events", f"{who} ")
            self._entities(ent.get("entities"), f"{p}/entities", role if "registrar" in roles else parent, depth + 1)

    def _ids(self, ent: dict, p: str, who: str) -> None:
        self.keep(ent.get("handle"), f"{p}/handle", f"{who} handle")
        for j, pid in enumerate(_list(ent.get("publicIds"))):
            if isinstance(pid, dict):
                self.keep(pid.get("identifier"), f"{p}/publicIds/{j}/identifier",
                          f"{who} {_text(pid.get('type')) or 'id'}")

    def _registrar(self, ent: dict, p: str) -> None:
        names = {}
        for name, _, value, loc in _vcard(ent.get("vcardArray"), f"{self.base}{p}/vcardArray"):
            text = _tel(value) if name == "tel" else _text(value)
            if name in ("fn", "org") and text:
                names.setdefault(name, (text, loc))
            elif name not in ("version", "kind") and text:
                self.others.append(Value(None, text, loc, f"registrar {name}"))
        for name in ("fn", "org"):
            if name in names:
                text, loc = names.pop(name)
                self.domain.append(Value("registrar", text, loc, f"registrar {name}"))
                break
        for text, loc in names.values():
            self.others.append(Value(None, text, loc, "registrar org"))
        self._ids(ent, p, "registrar")
        self._remarks(ent.get("remarks"), f"{p}/remarks", "registrar remark")

    def _registrant(self, ent: dict, p: str, proxy: bool) -> None:
        self.contact.proxy = self.contact.proxy or proxy
        _registrant_card(ent.get("vcardArray"), f"{self.base}{p}/vcardArray", self.contact, self.others)
        self._ids(ent, p, "registrant")
        titles = self._remarks(ent.get("remarks"), f"{p}/remarks", "registrant remark")
        if not self.contact.of("name", "org", "generic"):  # fully removed: the remark says why
            for title, loc in titles:
                if is_placeholder(title) or is_proxy(title):
                    self.contact.add("generic", title, loc, "registrant remark title")
                    break


def _list_text(value: object) -> list[str]:
    return [t for t in (_text(v) for v in _list(value)) if t]


def _rdap_error(obj: dict) -> str:
    title = _text(obj.get("title"))
    detail = " ".join(_list_text(obj.get("description")))[:300]
    return f"RDAP error {_text(obj.get('errorCode'))}: {title or 'no title'}" + (f" ({detail})" if detail else "")


_RDAP_DOMAIN = re.compile(rb'"objectClassName"\s*:\s*"domain"|"domainSearchResults"\s*:')
_RDAP_HINT = re.compile(rb'"ldhName"\s*:|"rdapConformance"\s*:')


@register
class RDAPDomain(Parser):
    name = "rdap-domain"
    media_type = "application/rdap+json"
    extensions = (".json", ".rdap")
    fixture = "ingest/domains/rdap_domain.json"

    @classmethod
    def sniff(cls, name: str, head: bytes) -> int:
        lower = name.lower()
        if not (lower.endswith(cls.extensions) or lower.endswith(".txt") or "." not in lower.rpartition("/")[2]):
            return 0
        encoding = guess_encoding(head)
        if encoding.startswith("utf-16"):  # saved from PowerShell
            head = head.decode(encoding, errors="replace").encode("utf-8")
        start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
        if start not in (b"{", b"["):
            return 0
        if _RDAP_DOMAIN.search(head):
            return 95
        if b'"rdapConformance"' in head and b'"errorCode"' in head:
            return 90
        hits = len(set(m.group(0)[:5] for m in _RDAP_HINT.finditer(head)))
        return 85 if hits == 2 else 60 if hits else 0

    def parse(self, stream: BinaryIO, ctx: ParseContext) -> Iterator[Record | Unreadable]:
        data = stream.read(MAX_RDAP_BYTES + 1)
        if len(data) > MAX_RDAP_BYTES:
            raise ParseError(ctx.path, f"byte {MAX_RDAP_BYTES}", "larger than any RDAP response (20 MB)")
        try:
            doc = json.loads(data)
        except json.JSONDecodeError as exc:
            raise ParseError(ctx.path, f"line {exc.lineno}, column {exc.colno}",
                             f"malformed JSON ({exc.msg})") from None
        except UnicodeDecodeError as exc:
            raise ParseError(ctx.path, f"byte {exc.start}", "not UTF-8 text (RDAP is JSON in UTF-8)") from None
        except RecursionError:
            raise ParseError(ctx.path, "", "JSON nested too deeply") from None
        if isinstance(doc, dict) and "errorCode" in doc and "ldhName" not in doc:
            raise ParseError(ctx.path, "", _rdap_error(doc))
        if isinstance(doc, dict) and isinstance(doc.get("domainSearchResults"), list):
            items, base = doc["domainSearchResults"], "/domainSearchResults"
        elif isinstance(doc, list):
            items, base = doc, ""
        else:
            items, base = [doc], None
        if not items:
            raise ParseError(ctx.path, base or "", "no RDAP domain object (an empty answer)")
        for i, obj in enumerate(items):
            ptr = f"{base}/{i}" if base is not None else ""
            kind = obj.get("objectClassName") if isinstance(obj, dict) else None
            if isinstance(obj, dict) and (kind == "domain" or (kind is None and "ldhName" in obj)):
                yield _Rdap(obj, ptr, ctx).record()
                continue
            if isinstance(kind, str):
                problem = f"RDAP {kind!r} object, not a domain"
            elif isinstance(obj, dict) and "errorCode" in obj:
                problem = _rdap_error(obj)
            else:
                problem = "not an RDAP domain object"
            if base is None:
                raise ParseError(ctx.path, "/objectClassName" if isinstance(kind, str) else "", problem)
            yield Unreadable(ptr, json.dumps(obj, ensure_ascii=False)[:10_000], problem)


# --- WHOIS -----------------------------------------------------------------------------------------

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
        head = stream.peek(SNIFF_BYTES)[:SNIFF_BYTES] if hasattr(stream, "peek") else b""
        if looks_binary(head):
            raise ParseError(ctx.path, "byte 0", "binary data, not WHOIS text")
        encoding = guess_encoding(head)
        ctx.notes.append(f"encoding {encoding}")
        found = 0
        no_match = None
        for item in _whois_records(text_stream(stream, encoding), ctx):
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
