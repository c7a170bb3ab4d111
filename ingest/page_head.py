"""What a saved page says about itself: the URL it was saved from (saved-page comment, SingleFile header,
MHTML location, canonical link, og:url), when it was captured, its marketplace and the storefront's name
from its title, headings or site name.
"""

from __future__ import annotations

import email.utils
import itertools
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

from lxml import etree

from graph.clean.domain import registrable_domain
from graph.clean.marketplace import clean_marketplace_name

from ingest.html_text import css_path, tidy
from ingest.page_labels import SECTION_TITLES
from ingest.page_labels import _norm as norm_label
from ingest.page_links import MARKETPLACES, PageContext

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
