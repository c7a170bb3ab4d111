"""Saved storefront pages: marketplace seller profiles and standalone web shops, as HTML or MHTML.

One page is one Storefront record: the page's own URL (from the saved-page comment, SingleFile
header, MHTML snapshot location, canonical link or og:url) keys it; its visible text gives the
labelled seller details (business name, address, phone, e-mail, registration numbers); its
markup gives contact and payment links, product links, other domains, and the analytics, tag
and pixel ids in its scripts (read as text, never run; nothing is fetched). Each value carries
a CSS path of the element it came from.

lxml (libxml2) parses: it is fast on megabyte pages, forgiving with broken markup, and never
touches the network; see ``ingest.html_text`` for what is done about pages it cannot nest.
``ingest.page_head`` reads what the page says about itself (URL, capture date, name).
"""

from __future__ import annotations

import email
import email.policy
import re
from collections.abc import Iterator
from typing import BinaryIO
from urllib.parse import urljoin

from graph.clean import clean
from graph.clean.country import country_code
from graph.clean.domain import registrable_domain
from graph.records import Record, Value

from ingest.base import ParseContext, Parser, Unreadable, register
from ingest.errors import ParseError
from ingest.html_text import CHARSET_SCAN, decode_html, parse_html, text_lines, tidy
from ingest.page_head import _SAVED_FROM, _captured_at, _head, _http, _marketplace, _name, _page_url, parse_date
from ingest.page_labels import (address_element_values, copyright_values, labelled_values, section_values,
                                text_emails)
from ingest.page_links import MARKETPLACES, PageContext, form_values, link_values, tag_values, url_value
from ingest.page_markup import badge_values, json_ld_values

__all__ = ["StorefrontPageHTML", "StorefrontPageMHTML", "page_records", "page_values", "parse_date"]

MAX_BYTES = 128 << 20
MAX_PER_FIELD = 100
_ADDRESSES = ("address", "return_address", "ship_from")
HTML_EXTENSIONS = (".html", ".htm", ".xhtml", ".shtml")
_STRONG = ("detailed seller information", "business seller information", "seller profile", "store info",
           "business license", "business licence", "store no.", "seller information", "impressum", "imprint",
           "店铺信息", "营业执照")
_SHOP = ("mailto:", "tel:", "googletagmanager", "gtag(", "fbq(", "ttq.load", "add to cart", "paypal.me",
         "og:site_name", "contact us", "legal notice", "application/ld+json")
_HTML_START = re.compile(r"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<!--\s*saved from url=")
_OTHER_DOCS = ("schedule a", "defendant", "case no", "civil action", "plaintiff")


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
