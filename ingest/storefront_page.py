"""Saved storefront pages: marketplace seller profiles and standalone web shops, as HTML or MHTML.

One page is one Storefront record: the page's own URL (from the saved-page comment, SingleFile
header, MHTML snapshot location, canonical link or og:url) keys it; its visible text gives the
labelled seller details (business name, address, phone, e-mail, registration numbers); its
markup gives contact and payment links, product links, other domains, and the analytics, tag
and pixel ids in its scripts (read as text, never run; nothing is fetched). Each value carries
a CSS path of the element it came from.

lxml (libxml2) parses: it is fast on megabyte pages, forgiving with broken markup, and never
touches the network; see ``ingest.html_text`` for what is done about pages it cannot nest.
"""

from __future__ import annotations

import email
import email.policy
import email.utils
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import BinaryIO
from urllib.parse import urljoin, urlsplit

from lxml import etree

from graph.clean import clean
from graph.clean.country import country_code
from graph.clean.domain import registrable_domain
from graph.clean.marketplace import clean_marketplace_name
from graph.records import Record, Value

from ingest.base import ParseContext, Parser, Unreadable, register
from ingest.errors import ParseError
from ingest.html_text import CHARSET_SCAN, css_path, decode_html, parse_html, text_lines, tidy
from ingest.page_labels import (SECTION_TITLES, address_element_values, copyright_values, labelled_values,
                                section_values, text_emails)
from ingest.page_labels import _norm as norm_label
from ingest.page_links import (MARKETPLACES, PageContext, badge_values, form_values, json_ld_values,
                               link_values, tag_values, url_value)

MAX_BYTES = 128 << 20
MAX_PER_FIELD = 100
_ADDRESSES = ("address", "return_address", "ship_from")
HTML_EXTENSIONS = (".html", ".htm", ".xhtml", ".shtml")
_SAVED_FROM = re.compile(r"<!--\s*saved from url=\((\d{1,5})\)(\S*?)(?:\s|-->)", re.I)
_SINGLEFILE = re.compile(r"Page saved with SingleFile\s+url:\s*(\S+)(?:\s+saved date:\s*([^\n]+?)\s*(?:\n|-->))?",
                         re.I)
_JS_DATE = re.compile(r"(?:\w{3},?\s+)?(\w{3})\s+(\d{1,2})\s+(\d{4})\s+(\d{1,2}):(\d{2}):(\d{2})\s*"
                      r"(?:GMT|UTC)?\s*([+-]\d{2}):?(\d{2})?")
_MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
_GENERIC_TITLES = SECTION_TITLES | {norm_label(t) for t in """seller profile|contact|contact us|about|about us|home|
    welcome|shop|store|all products|products|faq|help|customer service|kontakt|über uns|startseite|
    联系我们|关于我们|首页""".split("|")}
_TITLE_SPLIT = re.compile(r"\s+[|\-–—·•:]\s+|\s*[|–—·•]\s*|:\s+")
_STRONG = ("detailed seller information", "business seller information", "seller profile", "store info",
           "business license", "business licence", "store no.", "seller information", "impressum", "imprint",
           "店铺信息", "营业执照")
_SHOP = ("mailto:", "tel:", "googletagmanager", "gtag(", "fbq(", "ttq.load", "add to cart", "paypal.me",
         "og:site_name", "contact us", "legal notice", "application/ld+json")
_HTML_START = re.compile(r"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<!--\s*saved from url=")
_OTHER_DOCS = ("schedule a", "defendant", "case no", "civil action", "plaintiff")


def parse_date(text: str | None) -> str | None:
    """ISO 8601 (UTC) of an RFC 2822, JavaScript Date or ISO date; None when it is none of them."""
    if not text:
        return None
    text = tidy(str(text))[:200]
    m = _JS_DATE.match(text)
    try:
        if m and m.group(1).lower() in _MONTHS:  # JavaScript's Date.toString(), as SingleFile writes it
            sign = -1 if m.group(7).startswith("-") else 1
            offset = timedelta(hours=int(m.group(7)), minutes=sign * int(m.group(8) or 0))
            dt = datetime(int(m.group(3)), _MONTHS[m.group(1).lower()], int(m.group(2)), int(m.group(4)),
                          int(m.group(5)), int(m.group(6)), tzinfo=timezone(offset))
        elif re.match(r"\d{4}-\d{2}-\d{2}", text):
            dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
        else:
            dt = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(timezone.utc).isoformat(timespec="seconds")


def _http(url: str | None) -> str | None:
    url = tidy(url or "")
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme in ("http", "https") and parts.hostname else None


@dataclass
class _Head:
    """What the page's own markup says about it: meta tags, canonical link, base, title (first of each)."""

    metas: dict[str, etree._Element] = field(default_factory=dict)   # "name:x" / "property:og:x" -> <meta>
    links: dict[str, etree._Element] = field(default_factory=dict)   # rel -> <link>
    base: etree._Element | None = None
    title: etree._Element | None = None

    def meta(self, key: str) -> tuple[str, str]:
        el = self.metas.get(key)
        if el is None:
            return "", ""
        return tidy(el.get("content") or "")[:300], f"css {css_path(el)}@content"


def _head(root: etree._Element) -> _Head:
    head = _Head()
    for el in itertools.islice(root.iter("meta", "link", "base", "title"), 5000):
        if el.tag == "meta":
            for attr in ("name", "property"):
                if el.get(attr):
                    head.metas.setdefault(f"{attr}:{el.get(attr).strip().lower()}", el)
        elif el.tag == "link":
            for rel in (el.get("rel") or "").lower().split():
                head.links.setdefault(rel, el)
        elif el.tag == "base" and head.base is None and el.get("href"):
            head.base = el
        elif el.tag == "title" and head.title is None:
            head.title = el
    return head


def _page_url(text: str, head: _Head, known: tuple[str, str] | None) -> tuple[str | None, str]:
    """(URL of the captured page, where it was found)."""
    m = _SAVED_FROM.search(text)
    if m:
        url = _http(m.group(2))  # the whole token: the length in brackets is not always right in edited files
        if url:
            return url, "comment 'saved from url'"
    m = _SINGLEFILE.search(text)
    if m and _http(m.group(1)):
        return _http(m.group(1)), "comment 'Page saved with SingleFile'"
    if known and _http(known[0]):
        return _http(known[0]), known[1]
    for el, attr in ((head.metas.get("name:savepage-url"), "content"), (head.links.get("canonical"), "href"),
                     (head.metas.get("property:og:url"), "content")):
        url = _http(el.get(attr)) if el is not None else None
        if url:
            return url, f"css {css_path(el)}@{attr}"
    return None, ""


def _captured_at(text: str, head: _Head) -> str | None:
    m = _SINGLEFILE.search(text)
    if m and m.group(2):
        return parse_date(m.group(2))
    date, _ = head.meta("name:savepage-date")
    return parse_date(date)


def _marketplace(url: str | None, site_name: str, title: str) -> str:
    if url:
        domain = registrable_domain(url) or ""
        label = domain.split(".")[0]
        return label if label in MARKETPLACES else "web"
    for text in (site_name, title):
        slug = clean_marketplace_name(text) if text else None
        if slug in MARKETPLACES:
            return slug
    return "web"


def _title_name(title: str) -> str:
    for part in _TITLE_SPLIT.split(title):
        part = part.strip(" -|")
        if part and clean_marketplace_name(part) not in MARKETPLACES and norm_label(part) not in _GENERIC_TITLES:
            return part
    return ""


def _name(head: _Head, lines, marketplace: str, page: PageContext) -> tuple[str, str, str] | None:
    """(display name, locator, how) of the storefront."""
    title_el = head.title
    title = tidy(title_el.xpath("string()"))[:300] if title_el is not None else ""
    if marketplace != "web":
        for line in lines:
            if line.owner.tag == "h1" and norm_label(line.text) not in _GENERIC_TITLES and len(line.text) <= 200:
                return line.text, line.locator(), "heading"
    else:
        site, where = head.meta("property:og:site_name")
        if site:
            return site, where, "og:site_name"
        if page.names:
            return page.names[0][0], page.names[0][1], "JSON-LD name"
        app, where = head.meta("name:application-name")
        if app:
            return app, where, "application-name"
    name = _title_name(title)
    return (name, f"css {css_path(title_el)}", "title") if name else None


def page_values(data: bytes, ctx: ParseContext, charset: str | None = None,
                known_url: tuple[str, str] | None = None) -> Iterator[Value | Unreadable]:
    """Every value one saved page states about its storefront (not yet de-duplicated)."""
    text, encoding, notes = decode_html(data, charset)
    ctx.notes.append(f"encoding {encoding}")
    ctx.notes.extend(notes)
    root, notes = parse_html(text)
    ctx.notes.extend(notes)
    if root is None:
        raise ParseError(ctx.path, "byte 0", "no HTML markup or text")
    head = _head(root)
    url, url_at = _page_url(text[:CHARSET_SCAN], head, known_url)
    ctx.captured_at = ctx.captured_at or _captured_at(text[:CHARSET_SCAN], head)
    site_name, _ = head.meta("property:og:site_name")
    title = tidy(head.title.xpath("string()"))[:300] if head.title is not None else ""
    marketplace = _marketplace(url, site_name, title)
    base = url
    if head.base is not None:
        base = _http(urljoin(url or "", head.base.get("href"))) or base
    page = PageContext(base, registrable_domain(url) if url else None, marketplace)
    where = url_at or "document"
    if url:
        yield Value("url", url, url_at, "page URL")
        listing = clean("listing", url)
        if listing.ok and listing.props.get("marketplace") in MARKETPLACES:
            yield Value("listing_url", url_value(url), url_at, "page URL")
    yield Value("marketplace", marketplace, where, "marketplace")
    lines = text_lines(root)
    yield from labelled_values(lines)
    yield from section_values(lines)
    yield from address_element_values(root, lines)
    if marketplace == "web":  # on a marketplace the copyright is the marketplace's
        yield from copyright_values(lines)
    yield from text_emails(lines)
    yield from json_ld_values(root, page)
    yield from link_values(root, page)
    yield from form_values(root)
    yield from tag_values(root)
    yield from badge_values(root)
    ctx.notes.extend(page.notes)
    if page.store_ids and not (url and clean("storefront", url).ok):
        pid, _ = page.store_ids.most_common(1)[0]
        yield Value("seller_id", pid, str(page.store_id_at[pid]), "store link")
    named = _name(head, lines, marketplace, page)
    if named:
        yield Value("name", named[0], named[1], named[2])


def _dedupe(values: Iterator[Value | Unreadable], ctx: ParseContext) -> tuple[list[Value], list[Unreadable]]:
    """Each value once (the first place it is stated), at most MAX_PER_FIELD per field."""
    kept: dict[tuple[str, str], Value] = {}
    unreadable: list[Unreadable] = []
    per_field: dict[str, int] = {}
    marketplace = ""
    for v in values:
        if isinstance(v, Unreadable):
            unreadable.append(v)
            continue
        if v.field == "marketplace":
            marketplace = v.raw
        elif v.field == "email" and marketplace in MARKETPLACES \
                and (registrable_domain(v.raw) or "").split(".")[0] == marketplace:
            continue  # the marketplace's own address (help desk, notices), not the seller's
        if v.field == "name" and any(k[0] == "name" for k in kept):
            continue  # a labelled store name wins over headings and titles
        kind = v.field or f"extra:{v.column}"
        key = (kind, " ".join(v.raw.casefold().split()).rstrip(" .,;"))
        if key in kept:
            continue
        per_field[kind] = per_field.get(kind, 0) + 1
        limit = 200 if v.field == "listing_url" else MAX_PER_FIELD
        if per_field[kind] > limit:
            if per_field[kind] == limit + 1:
                ctx.notes.append(f"{kind}: more than {limit} values, the first {limit} kept")
            continue
        kept[key] = v
    return list(kept.values()), unreadable


def _address_country(v: Value) -> str | None:
    """The country an address names for sure (the address cleaner's own detection, without a hint)."""
    return clean("address", v.raw).props.get("country") or None


def _records(values: list[Value], locator: str) -> Iterator[Record]:
    """One record; addresses in another country than the page's go in records of their own, each with
    its country as the hint (a record's country hint applies to all its values)."""
    countries = [country_code(v.raw) for v in values if v.field == "country"]
    country = next((c for c in countries if c), None)
    if country is None:
        first = next((v for v in values if v.field == "address"), None)
        country = _address_country(first) if first else None
        if country:
            values = [*values, Value("country", country, first.locator, "address country")]
    moved: dict[str, list[Value]] = {}
    main = []
    for v in values:
        other = _address_country(v) if v.field in _ADDRESSES and country else None
        if other and other != country:
            moved.setdefault(other, []).append(v)
        else:
            main.append(v)
    yield Record("Storefront", locator, tuple(main))
    keys = [v for v in values if v.field in ("url", "seller_id", "marketplace")]
    if not any(v.field in ("url", "seller_id") for v in keys):
        keys += [v for v in values if v.field == "name"]
    for code, vals in moved.items():
        yield Record("Storefront", locator, (*keys, *vals, Value("country", code, vals[0].locator, "address country")))


def page_records(data: bytes, ctx: ParseContext, charset: str | None = None,
                 known_url: tuple[str, str] | None = None) -> Iterator[Record | Unreadable]:
    values, unreadable = _dedupe(page_values(data, ctx, charset, known_url), ctx)
    yield from unreadable
    if not any(v.field not in ("marketplace",) for v in values):
        raise ParseError(ctx.path, "", "no storefront details found (no page URL, name, seller id, contact, "
                                       "payment or analytics details)")
    for v in values:  # which label (or link, script, ...) gave which field, as tables report their columns
        ctx.columns.setdefault(v.column or v.field or "?", v.field or "(kept as property)")
    yield from _records(values, next((v.locator for v in values if v.field == "url"), "page"))


def _read(stream: BinaryIO, ctx: ParseContext, what: str) -> bytes:
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ParseError(ctx.path, "", f"larger than {MAX_BYTES >> 20} MiB; not read as {what}")
    if not data.strip():
        raise ParseError(ctx.path, "byte 0", "empty document")
    if _looks_binary(data[:4096]):
        raise ParseError(ctx.path, "byte 0", f"binary data, not {what}")
    return data


_CONTROLS = bytes(b for b in range(32) if b < 9 or 13 < b < 32)


def _looks_binary(head: bytes) -> bool:
    """Like ``ingest.text.looks_binary`` (NUL bytes, or over 5% control bytes, outside UTF-16), without a
    Python loop over the bytes."""
    head = head[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    if len(head) >= 4 and head[1::2].count(0) > len(head) // 4 and head[0::2].count(0) == 0:
        return False  # UTF-16-LE without a BOM
    if b"\x00" in head:
        return True
    return len(head) - len(head.translate(None, _CONTROLS)) > len(head) // 20


def _sniff_text(head: bytes) -> str:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", errors="replace").lower()
    return head.decode("latin-1").lower()


def _looks_mime(text: str) -> bool:
    start = text.lstrip()[:4096]
    return not start.startswith("<") and re.search(r"^content-type:\s*multipart/", start, re.M) is not None


@register
class StorefrontPageHTML(Parser):
    """A saved seller profile or web-shop page (HTML)."""

    name = "storefront-page-html"
    media_type = "text/html"
    extensions = HTML_EXTENSIONS
    fixture = "ingest/storefront/amazon_seller_profile.html"

    @classmethod
    def sniff(cls, name: str, head: bytes) -> int:
        has_ext = name.lower().endswith(cls.extensions)
        if _looks_binary(head):
            return 1 if has_ext else 0
        text = _sniff_text(head)
        if _looks_mime(text):
            return 0
        start = text.lstrip("\ufeff\xef\xbb\xbf \t\r\n")
        if not start.startswith("<") or not _HTML_START.search(start[:16384]):
            return 20 if has_ext else 0  # a page starts with markup; source code that quotes HTML does not
        score = 55 if has_ext else 50
        m = _SAVED_FROM.search(text) or re.search(
            r"<link[^>]{0,200}rel=[\"']?canonical[^>]{0,200}href=[\"']?([^\"'\s>]+)|"
            r"property=[\"']og:url[\"'][^>]{0,100}content=[\"']?([^\"'\s>]+)", text)
        url = next((g for g in (m.groups() if m else ()) if g and "/" in g), None)
        store = clean("storefront", url) if url else None
        if store is not None and store.ok and store.props.get("marketplace") in MARKETPLACES:
            score = 90
        elif any(s in text for s in _STRONG):
            score = 85
        elif any(s in text for s in _SHOP):
            score += 5
        if any(s in text for s in _OTHER_DOCS):
            score = min(score, 40)
        return score

    def parse(self, stream: BinaryIO, ctx: ParseContext) -> Iterator[Record | Unreadable]:
        yield from page_records(_read(stream, ctx, "an HTML page"), ctx)


@register
class StorefrontPageMHTML(Parser):
    """A saved page as one MHTML file (Chrome's "Save as single file", multipart/related)."""

    name = "storefront-page-mhtml"
    media_type = "multipart/related"
    extensions = (".mht", ".mhtml")
    fixture = "ingest/storefront/shop_capture.mhtml"

    @classmethod
    def sniff(cls, name: str, head: bytes) -> int:
        has_ext = name.lower().endswith(cls.extensions)
        headers = re.split(r"\r?\n\r?\n", _sniff_text(head).lstrip(), maxsplit=1)[0]
        top = re.search(r"^content-type:\s*([\w/.+-]+)", headers, re.M)
        if top is None or top.group(1) != "multipart/related":
            return 10 if has_ext else 0
        if has_ext or "snapshot-content-location:" in headers or "saved by blink" in headers:
            return 85
        if re.search(r"^(?:received|message-id|to):", headers, re.M):
            return 30  # an e-mail with inline images, not a saved page
        return 50

    def parse(self, stream: BinaryIO, ctx: ParseContext) -> Iterator[Record | Unreadable]:
        data = _read(stream, ctx, "an MHTML page")
        msg = email.message_from_bytes(data, policy=email.policy.compat32)
        parts = [p for p in msg.walk() if p.get_content_type() in ("text/html", "application/xhtml+xml")]
        if not parts:
            raise ParseError(ctx.path, "MHTML", "no text/html part")
        start = (msg.get_param("start") or "") if msg.is_multipart() else ""
        start = str(start).strip("<> ")
        root = next((p for p in parts if start and str(p.get("Content-ID", "")).strip("<> ") == start), parts[0])
        if len(parts) > 1:
            ctx.notes.append(f"MHTML: {len(parts) - 1} more HTML parts (frames) not read")
        try:
            payload = root.get_payload(decode=True) or b""
        except (ValueError, TypeError, LookupError) as exc:
            raise ParseError(ctx.path, "MHTML", f"cannot decode the HTML part ({exc})") from None
        if not isinstance(payload, bytes) or not payload.strip():
            raise ParseError(ctx.path, "MHTML", "the HTML part is empty")
        known = None
        for holder, header, where in ((msg, "Snapshot-Content-Location", "MHTML header Snapshot-Content-Location"),
                                      (root, "Content-Location", "MHTML part header Content-Location"),
                                      (msg, "Content-Location", "MHTML header Content-Location")):
            if _http(str(holder.get(header, ""))):
                known = (str(holder.get(header)), where)
                break
        ctx.captured_at = parse_date(str(msg.get("Date", ""))) if msg.get("Date") else None
        try:
            charset = root.get_content_charset()
        except (ValueError, LookupError):
            charset = None
        yield from page_records(payload, ctx, charset, known)
