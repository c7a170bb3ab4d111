"""Shared by the RDAP and WHOIS parsers: dates, privacy/redaction detection, registrant contacts -> Values.

A registrant contact arrives as labelled parts (name, organisation, e-mail, phone, street, city, ...).
:func:`registrant_values` turns them into Values under these rules:

* the organisation is the Seller (field ``registrant``); a person name next to it is kept as the
  unmapped value ``registrant name``; without an organisation the person name is the Seller;
* a redaction placeholder ("REDACTED FOR PRIVACY", "Data Protected") or a privacy-proxy name
  ("Withheld for Privacy ehf", "Domains By Proxy, LLC") goes to field ``registrant`` when the seller
  cleaner recognises it (it is rejected with reason "redacted" and kept as unparsed), else it is kept
  as the unmapped value ``registrant (redacted)`` / ``registrant (privacy service)``: never a Seller;
* when the contact is a privacy service, its e-mail, phone, fax, address and country are the
  service's, shared by thousands of domains: kept as unmapped ``registrant ... (privacy service)``
  values, never as identifiers or a country hint. So are e-mails of privacy-service domains,
  ``abuse@`` mailboxes and the registrar's abuse contact used as a placeholder;
* the address parts become one line (``registrant_address``) only when a real street is given
  (a province alone would make every registrant of Guangdong one Address node).

Also here: :func:`iso_date` (registration and expiry dates in ISO 8601) and the WHOIS label vocabulary
(:data:`WHOIS_ROLES`: which "Label:" means which field or registrant part, in English and Chinese).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from graph.clean.names import is_redacted
from graph.records import Value

MAX_VALUE = 10_000

# --- dates ---------------------------------------------------------------------------------------

_MONTHS = {m: i for i, m in enumerate(
    "jan feb mar apr may jun jul aug sep oct nov dec".split(), start=1)}
_TIME = r"(?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?"
_ZONE = r"\s*\(?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?\s*\)?"
_ISO = re.compile(rf"(\d{{4}})[-/.](\d{{1,2}})[-/.](\d{{1,2}})\.?{_TIME}{_ZONE}", re.I)
_DMY_NAME = re.compile(rf"(\d{{1,2}})[-\s]([a-z]{{3,9}})\.?[-\s,]+(\d{{4}}){_TIME}{_ZONE}", re.I)
_MDY_NAME = re.compile(rf"([a-z]{{3,9}})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}}){_TIME}{_ZONE}", re.I)
_CTIME = re.compile(r"(?:[a-z]{3},?\s+)?([a-z]{3})\s+(\d{1,2})\s+(\d{1,2}):(\d{2}):(\d{2})\s+"
                    r"(?:(UTC|GMT|Z)\s+)?(\d{4})", re.I)
_HAN = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
                  r"(?:\s*(\d{1,2})[:时時](\d{2})(?:[:分](\d{2})秒?)?)?")
_DOTTED = re.compile(rf"(\d{{1,2}})([./])(\d{{1,2}})\2(\d{{4}}){_TIME}{_ZONE}")


def _iso(y, mo, d, h=None, mi=None, s=None, zone=None) -> str | None:
    try:
        if h is None:
            return datetime(int(y), int(mo), int(d)).date().isoformat()
        moment = datetime(int(y), int(mo), int(d), int(h), int(mi), int(s or 0))
    except (TypeError, ValueError, OverflowError):
        return None
    zone = (zone or "").upper()
    if not zone:
        return moment.isoformat()
    if zone not in ("Z", "UTC", "GMT"):
        sign = -1 if zone[0] == "-" else 1
        digits = zone[1:].replace(":", "")
        moment -= sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return moment.replace(tzinfo=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _month(name: str) -> int | None:
    return _MONTHS.get(name[:3].lower())


def iso_date(raw: str) -> str | None:
    """A registration/expiry date in ISO 8601, or None.

    Date only when the source gives only a date; with a time of day, UTC (``...Z``) when the source gives
    a zone, else the local time as written (CNNIC writes Beijing time without a zone).
    """
    text = " ".join(raw.split())[:80]
    if m := _ISO.fullmatch(text):
        return _iso(*m.groups())
    if m := _HAN.fullmatch(text):
        return _iso(*m.groups())
    if m := _DMY_NAME.fullmatch(text):
        month = _month(m.group(2))
        return _iso(m.group(3), month, m.group(1), *m.groups()[3:]) if month else None
    if m := _MDY_NAME.fullmatch(text):
        month = _month(m.group(1))
        return _iso(m.group(3), month, m.group(2), *m.groups()[3:]) if month else None
    if m := _CTIME.fullmatch(text):
        month = _month(m.group(1))
        return _iso(m.group(7), month, m.group(2), m.group(3), m.group(4), m.group(5), m.group(6) or None) \
            if month else None
    if m := _DOTTED.fullmatch(text):
        a, sep, b, y = int(m.group(1)), m.group(2), int(m.group(3)), m.group(4)
        if sep == "." or a > 12:  # 18.01.2024 (day first in Europe); 25/12/2024
            return _iso(y, b, a, *m.groups()[4:])
        if b > 12:  # 12/25/2024
            return _iso(y, a, b, *m.groups()[4:])
        return None  # 04/05/2024: ambiguous
    return None


# --- privacy and redaction -----------------------------------------------------------------------

def fold(text: str) -> str:
    return " ".join(re.sub(r"[\W_]+", " ", unicodedata.normalize("NFKC", text).casefold()).split())


# privacy/proxy services: the whole contact is theirs (matched on folded text)
_PROXY = re.compile(
    r"withheld for privacy|domains? ?by ?proxy|contact ?privacy|privacy ?service|super ?privacy"
    r"|whois ?guard|privacy ?guardian|perfect ?privacy|privacy ?protect|whois ?privacy|identity ?protect"
    r"|\bid ?protect|proxy ?protection|private ?registration|registration ?private|domain protection serv"
    r"|private by design|\banonymi[sz]e|whois ?proxy|whois ?agent|privacy ?link|c o dynadot"
    r"|dynadot privacy|on behalf of .* owner|\bproxy\b|1337 services|隐私|隱私|信息保护")
# field-level placeholders: this one value is hidden, the others may be real
_PLACEHOLDER = re.compile(
    r"redacted|data protected|not disclosed|non ?public|statutory masking|\bgdpr\b|withheld"
    r"|rdds service|registrar of record|contact domain holder|contact the domain holder"
    r"|whoisform|whois form|contactdomainowner"
    r"|^(?:n a|na|none|null|nil|hidden|private|masked|not shown|not available|undisclosed|protected"
    r"|unknown|privacy|\*+)$|仅限|隐藏|保密|不公开")
# e-mail domains of privacy services (their addresses are per domain or per customer, never the owner's)
_PRIVACY_MAIL_DOMAIN = re.compile(
    r"(?:^|\.)(?:withheldforprivacy\.com|domainsbyproxy\.com|contactprivacy\.com|whoisprivacyprotect\.com"
    r"|privacyguardian\.org|whoisguard\.com|privacyprotect\.org|anonymize\.com|perfectprivacy\.com"
    r"|domainprivacygroup\.com|identity-protect\.org|whoisproxy\.com|privacy-link\.com"
    r"|super-privacy\.com|superprivacyservice\.com|proxy\.dreamhost\.com|njalla\.no)$"
    r"|privacy|proxy|whoisguard|withheld|redacted", re.I)
_ABUSE_LOCAL = re.compile(r"^(?:domain)?abuse(?:[-_.+]|$)|^no-?reply$", re.I)


def is_proxy(text: str) -> bool:
    """A privacy/proxy service standing in for the registrant ('Withheld for Privacy ehf')."""
    return bool(_PROXY.search(fold(text)))


def is_placeholder(text: str) -> bool:
    """A value that hides the real one ('REDACTED FOR PRIVACY', 'Please query the RDDS service ...')."""
    folded = fold(text)
    return not folded or bool(_PLACEHOLDER.search(folded)) or is_redacted(text)


def _private(text: str) -> bool:
    return is_placeholder(text) or is_proxy(text)


def is_privacy_email(email: str, abuse: set[str] = frozenset()) -> bool:
    """An address of a privacy service, an abuse mailbox or the registrar's abuse contact."""
    address = email.strip().strip("<>").lower().removeprefix("mailto:")
    local, _, domain = address.rpartition("@")
    return (address in abuse or bool(_ABUSE_LOCAL.search(local))
            or bool(_PRIVACY_MAIL_DOMAIN.search(domain)))


def digits(text: str) -> str:
    return re.sub(r"\D", "", text.partition("ext")[0])


# --- contacts ------------------------------------------------------------------------------------

@dataclass
class Part:
    """One value of a contact: ``kind`` is name, org, generic (name or organisation), email, phone,
    phone_ext, fax, fax_ext, street, city, state, postcode, country (as written) or cc (a code)."""

    kind: str
    raw: str
    locator: str
    label: str


@dataclass
class Contact:
    """The registrant's labelled values as found (one ``add`` per value)."""

    parts: list[Part] = field(default_factory=list)
    proxy: bool = False  # the source itself says the contact is a proxy (RDAP role "proxy")

    def add(self, kind: str, raw: object, locator: str, label: str) -> None:
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            raw = str(raw)
        if isinstance(raw, str) and raw.strip():
            self.parts.append(Part(kind, raw.strip()[:MAX_VALUE], locator, label))

    def of(self, *kinds: str) -> list[Part]:
        return [p for p in self.parts if p.kind in kinds]


def _span(parts: list[Part]) -> str:
    """'line 12' / 'lines 12-16' for WHOIS parts; the first locator otherwise."""
    lines = [int(m.group(1)) for p in parts if (m := re.fullmatch(r"line (\d+)", p.locator))]
    if len(lines) == len(parts) and lines and min(lines) != max(lines):
        return f"lines {min(lines)}-{max(lines)}"
    return parts[0].locator


def _phone_with_ext(phone: Part, exts: list[Part]) -> str:
    ext = next((e.raw for e in exts if not is_placeholder(e.raw) and any(c.isdigit() for c in e.raw)), "")
    return f"{phone.raw} ext. {ext}" if ext and "ext" not in phone.raw.lower() else phone.raw


def registrant_values(contact: Contact, abuse_emails: set[str] = frozenset(),
                      abuse_phones: set[str] = frozenset()) -> tuple[list[Value], bool]:
    """Values for a registrant contact, and whether it is a privacy service (see the module doc)."""
    names = contact.of("name", "org", "generic")
    real_orgs = [p for p in contact.of("org") if not _private(p.raw)]
    proxy = contact.proxy or (not real_orgs and any(is_proxy(p.raw) for p in names))
    out: list[Value] = []

    def keep(part: Part, column: str | None = None, raw: str | None = None) -> None:
        out.append(Value(None, raw if raw is not None else part.raw, part.locator, column or part.label))

    def hidden(part: Part) -> None:
        if is_redacted(part.raw):
            out.append(Value("registrant", part.raw, part.locator, part.label))
        else:
            keep(part, "registrant (privacy service)" if is_proxy(part.raw) or proxy else "registrant (redacted)")

    seller_names = {fold(p.raw) for p in real_orgs}
    for part in names:
        if proxy or _private(part.raw):
            hidden(part)
        elif part.kind == "name" and real_orgs:
            if fold(part.raw) not in seller_names:
                keep(part, "registrant name")
        else:
            out.append(Value("registrant", part.raw, part.locator, part.label))
            seller_names.add(fold(part.raw))

    suffix = " (privacy service)"
    for part in contact.of("country", "cc"):
        if proxy:
            keep(part, "registrant country" + suffix)
        elif is_placeholder(part.raw) and part.raw.strip().upper() != "NA":  # NA: Namibia, not n/a
            keep(part)
        else:
            out.append(Value("country", part.raw, part.locator, part.label))

    for part in contact.of("email"):
        if proxy or ("@" in part.raw and is_privacy_email(part.raw, abuse_emails)):
            keep(part, "registrant email" + suffix)
        elif "@" not in part.raw or is_placeholder(part.raw):
            keep(part)  # a web form, "REDACTED FOR PRIVACY", "Please query the RDDS service ..."
        else:
            out.append(Value("registrant_email", part.raw, part.locator, part.label))

    for kind, exts, field_name in (("phone", "phone_ext", "registrant_phone"), ("fax", "fax_ext", None)):
        ext_parts = contact.of(exts)
        for part in contact.of(kind):
            raw = _phone_with_ext(part, ext_parts)
            if proxy or (digits(raw) and digits(raw) in abuse_phones):
                keep(part, f"registrant {kind}{suffix}", raw)
            elif field_name is None or is_placeholder(raw) or not any(c.isdigit() for c in raw):
                keep(part, None, raw)
            else:
                out.append(Value(field_name, raw, part.locator, part.label))
        for part in ext_parts:
            if is_placeholder(part.raw) or not contact.of(kind):
                keep(part)

    _address(contact, proxy, out)
    return out, proxy


def _address(contact: Contact, proxy: bool, out: list[Value]) -> None:
    parts = contact.of("street", "city", "state", "postcode", "country")
    real = [p for p in parts if not is_placeholder(p.raw)]
    for part in parts:
        if part not in real and part.kind != "country":
            out.append(Value(None, part.raw, part.locator, part.label))
    if not real:
        return
    line = ", ".join(dict.fromkeys(re.sub(r"\s*[;|\n]+\s*", ", ", p.raw) for p in real))
    streets = [p for p in real if p.kind == "street"]
    if proxy:
        out.append(Value(None, line, _span(real), "registrant address (privacy service)"))
    elif streets:
        out.append(Value("registrant_address", line, _span(real), "registrant address"))
    else:  # no street: too coarse to be an Address node; the parts stay as they were labelled
        out.extend(Value(None, p.raw, p.locator, p.label) for p in real if p.kind != "country")


# --- WHOIS labels --------------------------------------------------------------------------------
# folded label -> role: a field of the domain, a registrant part ("reg:<part>"), the registrar's abuse
# contact (placeholders to recognise), "skip" (legal boilerplate) or "known" (kept as written; counted
# when recognising WHOIS text).
WHOIS_ROLES: dict[str, str] = {}
for _role, _labels in {
    "domain": "domain name|domain|域名|ldh name|domain name ace",
    "domain_unicode": "domain name unicode|idn|internationalized domain name|domain name idn",
    "registrar": "registrar|sponsoring registrar|registrar name|registrar organization|注册商|所属注册商"
                 "|注册服务机构",
    "created": "creation date|created|created on|created date|create date|registration time|registration date"
               "|registered on|registered|domain registration date|record created|domain create date|注册时间"
               "|注册日期|创建时间|创建日期|registered date",
    "expires": "registry expiry date|registrar registration expiration date|expiration date|expiration time"
               "|expiry date|expires|expires on|expire date|expiry|paid till|valid until|domain expiration date"
               "|registry expiration date|renewal date|过期时间|到期时间|到期日期|过期日期",
    "ns": "name server|name servers|nameserver|nameservers|nserver|dns|dns servers|域名服务器|dns服务器",
    "reg:generic": "registrant|注册人|所有者|注册者|域名持有人|holder|owner|域名所有者",
    "reg:name": "registrant name|registrant contact name|注册人姓名|所有者姓名",
    "reg:org": "registrant organization|registrant organisation|registrant org|registrant company"
               "|registrant organization name|注册人单位|注册单位|所有者单位|注册人组织",
    "reg:email": "registrant email|registrant e mail|registrant contact email|registrant email address"
                 "|注册人邮箱|联系人邮箱|注册者邮箱|联系邮箱|所有者邮箱|注册人联系邮箱",
    "reg:phone": "registrant phone|registrant phone number|registrant telephone|registrant tel"
                 "|registrant contact phone|registrant voice|注册人电话|联系电话|所有者电话",
    "reg:phone_ext": "registrant phone ext|registrant phone extension|registrant ext",
    "reg:fax": "registrant fax|registrant fax number|registrant facsimile",
    "reg:fax_ext": "registrant fax ext|registrant fax extension",
    "reg:street": "registrant street|registrant address|registrant street address|registrant postal address"
                  "|registrant s address|注册人地址|所有者地址",
    "reg:city": "registrant city|注册人城市",
    "reg:state": "registrant state province|registrant state|registrant province|注册人省份",
    "reg:postcode": "registrant postal code|registrant postcode|registrant zip|registrant zip code",
    "reg:country": "registrant country|registrant country code|registrant country economy|注册人国家",
    "abuse_email": "registrar abuse contact email|registrar abuse email|abuse email|abuse contact email",
    "abuse_phone": "registrar abuse contact phone|registrar abuse phone|abuse phone",
    "skip": "url of the icann whois inaccuracy complaint form|url of the icann whois data problem reporting system"
            "|notice|note|terms of use|disclaimer|legal notice|for more information on whois status codes please visit",
    "known": "domain status|status|dnssec|registry domain id|registrar iana id|registrar whois server|registrar url"
             "|updated date|changed|last updated|roid|registry registrant id|域名状态|reseller"
             "|registrar abuse contact"
             "|admin email|tech email|admin name|tech name|registry admin id|registry tech id|domain id",
}.items():
    for _label in _labels.split("|"):
        WHOIS_ROLES[_label] = _role
FIELD_OF_ROLE = {"domain": "domain_name", "registrar": "registrar", "created": "created", "expires": "expires",
                  "ns": "nameserver", "reg:generic": "registrant", "reg:name": "registrant", "reg:org": "registrant",
                  "reg:email": "registrant_email", "reg:phone": "registrant_phone", "reg:phone_ext": "registrant_phone",
                  "reg:country": "country",
                  "reg:street": "registrant_address", "reg:city": "registrant_address",
                  "reg:state": "registrant_address", "reg:postcode": "registrant_address"}
WEAK_LABELS = {"domain", "status", "changed", "holder", "owner", "dns", "registrant", "created", "expires",
               "registered",
         "registrar", "expiry", "note", "notice", "disclaimer"}


def label_key(label: str) -> str:
    """'Registrant  Street2:' -> 'registrant street'."""
    return re.sub(r"(?<=[a-z])\d$", "", fold(label))


def whois_role(label: str) -> str | None:
    return WHOIS_ROLES.get(label_key(label))
