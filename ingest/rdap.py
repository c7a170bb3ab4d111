"""RDAP domain objects (RFC 9083 JSON; also search results and lists of them): one Domain record each.

Locators are JSON pointers (``/entities/0/vcardArray/1/3``); see ``ingest.domain_record``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import BinaryIO

from graph.clean.domain import to_unicode
from graph.records import Record, Value

from ingest.base import ParseContext, Parser, Unreadable, register
from ingest.domain_contact import MAX_VALUE, Contact, digits, is_placeholder, is_proxy, iso_date
from ingest.domain_record import _domain_record, _host
from ingest.errors import ParseError
from ingest.text import guess_encoding

MAX_RDAP_BYTES = 20 * 1024 * 1024
MAX_DEPTH = 8  # entities inside entities


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
