"""Links and ids in a page's markup.

Contact links (``mailto:``, ``tel:``, WhatsApp), payment links and forms (PayPal.me, PayPal
buttons and SDK merchant ids, Stripe ``acct_`` ids), the shop's product links, its other domains,
its social and marketplace links, analytics/tag/pixel ids in scripts. Scripts are read as text for ids and
never run; nothing is fetched. JSON-LD organisation data and payment badges: ``ingest.page_markup``.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import parse_qsl, unquote, urljoin, urlsplit

from lxml import etree

from graph.clean import clean
from graph.clean.domain import registrable_domain
from graph.model import get_model
from graph.records import Value

from ingest.html_text import css_path, tidy
from ingest.page_labels import EMAIL

MAX_LISTINGS = 200     # product links kept per page
MAX_LINKS = 50         # social / other-storefront links kept per page
MAX_ANCHORS = 20_000   # links read per page
MAX_FOUND = 200        # values made per field from links and scripts
MAX_SCRIPT = 5 << 20   # characters of one script scanned for ids
MARKETPLACES = frozenset({"amazon", "ebay", "aliexpress", "temu", "dhgate", "walmart", "etsy", "shein", "wish",
                          "alibaba"})
SOCIAL = frozenset("""facebook.com fb.com instagram.com tiktok.com youtube.com youtu.be twitter.com x.com
    pinterest.com linkedin.com t.me telegram.me vk.com weibo.com snapchat.com threads.net reddit.com line.me
    wa.me whatsapp.com""".split())
NOT_OWN = SOCIAL | frozenset("""paypal.com paypal.me stripe.com klarna.com afterpay.com google.com goo.gl
    apple.com shopify.com trustpilot.com w3.org schema.org gstatic.com googleapis.com cloudflare.com jsdelivr.net
    bit.ly tinyurl.com""".split())
_URL_SPLITTERS = str.maketrans({",": "%2C", ";": "%3B", "|": "%7C", " ": "%20", "\t": "%09", "\n": "%0A"})
_PRODUCT_PATH = re.compile(r"/(?:products?|items?|goods|p)/[^/?#]+", re.I)
_LISTING_HINT = re.compile(r"/dp/|/gp/product/|/itm/|/item/|/i/|/ip/|-g-\d|/product/|/listing/|goods_id=", re.I)
_STORE_HINT = re.compile(r"[?&](?:seller|me|merchant|smid|_ssn|userid|selectedsellerid|sellerid|storeid|storeno"
                         r"|mall_id|store_code)=|/(?:shops|usr|str|store|seller|merchant|shop)/|-m-\d"
                         r"|/sch/[^/]+/m\.html", re.I)
_URL_ATTRS = frozenset({"src", "href", "action", "data-src"})
_STRIPE_ACCT = re.compile(r"(acct_[A-Za-z0-9]{8,40})(?![A-Za-z0-9])")
_TAGS = re.compile(r"(UA-\d{4,10}-\d{1,4}|GTM-[A-Z0-9]{4,9}|AW-\d{6,12}"
                   r"|G-(?=[A-Z0-9]*\d)[A-Z0-9]{8,12})(?![A-Za-z0-9_-])")
_GOOGLE_WORDS = ("gtag", "googletagmanager", "google-analytics", "google_analytics", "googleanalytics")
_FBQ = re.compile(r"fbq\(\s*['\"]init['\"]\s*,\s*['\"]?(\d{15,16})(?!\d)")
_FB_TR = re.compile(r"facebook\.com/tr/?\?(?:[^\"'\s]*&(?:amp;)?)?id=(\d{15,16})(?!\d)", re.I)
_TTQ = re.compile(r"ttq\.load\(\s*['\"]([A-Za-z0-9]{16,24})['\"]")
_TT_SDK = re.compile(r"analytics\.tiktok\.com/[^\"'\s]*[?&]sdkid=([A-Za-z0-9]{16,24})", re.I)


class Locator:
    """The CSS path of an element (plus an attribute), worked out only when a value is found there."""

    __slots__ = ("el", "suffix", "text")

    def __init__(self, el: etree._Element, suffix: str = ""):
        self.el, self.suffix, self.text = el, suffix, ""

    def __str__(self) -> str:
        if not self.text:
            self.text = f"css {css_path(self.el)}{self.suffix}"
        return self.text


@dataclass
class PageContext:
    base_url: str | None          # for relative links
    domain: str | None            # registrable domain of the page
    marketplace: str              # slug, or "web" for a standalone shop
    store_ids: Counter[str] = field(default_factory=Counter)  # platform ids of same-marketplace store links
    store_id_at: dict[str, Locator] = field(default_factory=dict)
    names: list[tuple[str, str]] = field(default_factory=list)  # (organisation name, locator) from JSON-LD
    notes: list[str] = field(default_factory=list)

    @cached_property
    def origin(self) -> str:
        parts, _ = _split(self.base_url or "")
        return f"{parts.scheme}://{parts.netloc}" if parts is not None and parts.scheme and parts.netloc else ""


def url_value(url: str) -> str:
    """A URL as one value (fields that take several values split on commas and spaces)."""
    return url.strip().translate(_URL_SPLITTERS)


def _split(url: str):
    try:
        parts = urlsplit(url)
        return parts, (parts.hostname or "").lower()
    except ValueError:
        return None, ""


def _pixel(kind: str, ident: str, where: Locator, once: "Once") -> Iterator[Value]:
    """A Meta or TikTok pixel id. analytics_id cleans with kind=analytics, which refuses pixels, so a pixel
    field is used when the schema has one, else the id is kept as an extra property."""
    name = "pixel_id" if "pixel_id" in get_model().fields else None
    yield from once(name, f"{kind}:{ident}", where, "facebook pixel" if kind == "fbpixel" else "tiktok pixel")


class Once:
    """Makes each value once (the first place it is found) and at most MAX_FOUND per field; the CSS path
    of the place is worked out only for values made."""

    def __init__(self) -> None:
        self.seen: set[tuple[str, str]] = set()
        self.counts: Counter[str] = Counter()

    def __call__(self, field: str | None, raw: str, where: Locator | str, column: str) -> Iterator[Value]:
        kind = field or f"extra:{column}"
        key = (kind, raw.casefold())
        if key in self.seen or self.counts[kind] >= MAX_FOUND:
            return
        self.seen.add(key)
        self.counts[kind] += 1
        yield Value(field, raw, str(where), column)


def _absolute(href: str, low: str, page: PageContext) -> str:
    if low.startswith(("http://", "https://")) or not page.base_url:
        return href
    if href.startswith("/") and not href.startswith("//") and page.origin:
        return page.origin + href  # the common case, without urljoin's cost
    return urljoin(page.base_url, href)


def link_values(root: etree._Element, page: PageContext) -> Iterator[Value]:
    once = Once()
    listings: dict[str, None] = {}
    linked: dict[str, None] = {}
    for el in itertools.islice(root.iter("a", "area", "link"), MAX_ANCHORS):
        href = (el.get("href") or "").strip()
        if not href or len(href) > 4096 or href.startswith(("#", "javascript:", "data:")):
            continue
        where = Locator(el, "@href")
        low = href.lower()
        if el.tag == "link":
            if "alternate" in (el.get("rel") or "").lower() and el.get("hreflang"):
                yield from _own_domain(href, page, where, "hreflang alternate", once)
            continue
        if low.startswith("mailto:"):
            for m in EMAIL.finditer(unquote(href[7:].split("?", 1)[0])):
                yield from once("email", m.group(0), where, "mailto link")
            continue
        if low.startswith(("tel:", "callto:")):
            number = unquote(href.split(":", 1)[1]).split(";", 1)[0].strip()
            if len(re.findall(r"\d", number)) >= 6:
                yield from once("phone", number, where, "tel link")
            continue
        url = _absolute(href, low, page)
        parts, host = _split(url)
        if parts is None or parts.scheme not in ("http", "https") or not host:
            continue
        domain = registrable_domain(host)
        yield from _payment_link(url, parts, host, where, once)
        if domain in ("wa.me", "whatsapp.com"):
            phone = parts.path.strip("/") if domain == "wa.me" else dict(parse_qsl(parts.query)).get("phone", "")
            if re.fullmatch(r"\+?\d{6,15}", phone):
                yield from once("phone", "+" + phone.lstrip("+"), where, "whatsapp link")
        if page.marketplace in MARKETPLACES:
            if _LISTING_HINT.search(url) and len(listings) < MAX_LISTINGS:
                c = clean("listing", url)
                if c.ok and c.props.get("marketplace") == page.marketplace and c.key not in listings:
                    listings[c.key] = None
                    yield from once("listing_url", url_value(url), where, "product link")
                    continue
            store = clean("storefront", url) if _STORE_HINT.search(url) else None
            if store is not None and store.ok and store.props.get("marketplace") == page.marketplace:
                pid = store.props.get("platform_id", "")
                page.store_ids[pid] += 1
                page.store_id_at.setdefault(pid, where)
                continue
            if domain and domain.split(".")[0] == page.marketplace:
                continue  # the marketplace's own navigation, help and product pages
        elif domain and domain == page.domain:
            if _PRODUCT_PATH.search(parts.path) and len(listings) < MAX_LISTINGS:
                plain = url.split("#", 1)[0]
                if plain.split("?", 1)[0] not in listings:
                    listings[plain.split("?", 1)[0]] = None
                    yield from once("listing_url", url_value(plain), where, "product link")
            continue
        if domain in ("wa.me", "whatsapp.com"):
            continue
        if domain in SOCIAL or (domain and domain.split(".")[0] in MARKETPLACES):
            if url not in linked and len(linked) < MAX_LINKS:
                linked[url] = None
                kind = "social link" if domain in SOCIAL else "marketplace link"
                yield from once(None, url, where, kind)
            continue
        text = tidy(el.xpath("string()"))[:300] if el.tag == "a" else ""
        if text and re.fullmatch(r"(?:https?://)?(?:www\.)?[\w.-]+\.[a-z]{2,}[^\s]*", text, re.I) \
                and registrable_domain(text) == domain:
            yield from _own_domain(url, page, where, "link to own site", once)
    if len(listings) >= MAX_LISTINGS:
        page.notes.append(f"product links: the first {MAX_LISTINGS} kept")


def _own_domain(url: str, page: PageContext, where: Locator, how: str, once: Once) -> Iterator[Value]:
    domain = registrable_domain(url)
    if domain and domain != page.domain and domain not in NOT_OWN and domain.split(".")[0] not in MARKETPLACES:
        yield from once("website", url_value(url), where, how)


def _payment_link(url: str, parts, host: str, where: Locator, once: Once) -> Iterator[Value]:
    if host.endswith("stripe.com") and "acct_" not in url and host.startswith(("buy.", "checkout.")):
        yield from once(None, url, where, "stripe payment link")
    if host in ("paypal.me", "www.paypal.me"):
        user = parts.path.strip("/").split("/", 1)[0]
        if user:
            yield from once("paypal", f"https://paypal.me/{user}", where, "paypal.me link")
    elif host.endswith("paypal.com"):
        path = parts.path.rstrip("/")
        m = re.match(r"^/paypalme/([^/]+)", path, re.I)
        if m:  # the long form of a PayPal.me link names the same account
            yield from once("paypal", f"https://paypal.me/{m.group(1)}", where, "paypal.me link")
        params = {k.lower(): v for k, v in parse_qsl(parts.query)}
        for key in ("business", "merchant-id", "merchant_id"):
            for value in filter(None, (v.strip() for v in params.get(key, "").split(","))):
                yield from once("paypal", value, where, f"paypal {key}")
        if params.get("hosted_button_id"):
            yield from once(None, url, where, "paypal button")


def form_values(root: etree._Element) -> Iterator[Value]:
    """PayPal buttons: a form posting to PayPal, or PayPal's checkout script, names the receiving account."""
    for form in itertools.islice(root.iter("form"), 200):
        action = (form.get("action") or "").lower()
        if "paypal.com" not in action:
            continue
        for inp in form.iter("input"):
            name = (inp.get("name") or "").lower()
            value = (inp.get("value") or "").strip()
            if name in ("business", "merchant_id", "receiver_email") and value:
                yield Value("paypal", value, f"css {css_path(inp)}@value", f"paypal form {name}")
    for script in itertools.islice(root.iter("script"), 5000):
        src = script.get("src") or ""
        if "paypal.com/sdk/js" in src:
            parts, _ = _split(src if "://" in src else "https:" + src)
            params = {k.lower(): v for k, v in parse_qsl(parts.query)} if parts is not None else {}
            for value in filter(None, (v.strip() for v in params.get("merchant-id", "").split(","))):
                yield Value("paypal", value, f"css {css_path(script)}@src", "paypal checkout script merchant-id")


def tag_values(root: etree._Element) -> Iterator[Value]:
    """Analytics/tag ids (UA-, G-, GTM-, AW-), Meta and TikTok pixels and Stripe accounts in scripts and URLs."""
    once = Once()
    for el in root.iter("script", "noscript"):
        text = (el.text or "")[:MAX_SCRIPT]
        if text:
            yield from _scan(text, Locator(el), el.tag, once)
    for el in root.iter():  # one pass over the attributes (an XPath union sorts millions of nodes)
        for name, value in el.items():
            if name in _URL_ATTRS and len(value) <= 4096 and not value.startswith("data:"):
                yield from _scan(value, Locator(el, f"@{name}"), "url", once)


def _ids_at(text: str, prefixes: tuple[str, ...], pattern: re.Pattern[str]) -> Iterator[str]:
    """Matches of ``pattern`` where one of the literal ``prefixes`` starts a word (found with str.find,
    which is many times faster than a regular expression with a look-behind on megabyte scripts)."""
    for prefix in prefixes:
        at = text.find(prefix)
        while at >= 0:
            if at == 0 or not (text[at - 1].isalnum() or text[at - 1] in "_-"):
                m = pattern.match(text, at)
                if m:
                    yield m.group(1)
            at = text.find(prefix, at + 1)


def _scan(text: str, where: Locator, how: str, once: Once) -> Iterator[Value]:
    google = None
    for ident in sorted(set(_ids_at(text, ("UA-", "GTM-", "AW-", "G-"), _TAGS)), key=text.find):
        if ident.startswith("G-"):
            if google is None:
                low = text.lower()
                google = any(word in low for word in _GOOGLE_WORDS)
            if not google:
                continue
        yield from once("analytics_id", ident, where, f"{how} tag id")
    if "acct_" in text and (how == "url" or "stripe" in text.lower()):
        for ident in _ids_at(text, ("acct_",), _STRIPE_ACCT):
            yield from once("stripe", ident, where, f"stripe {how if how == 'url' else 'script'}")
    if how != "url":
        if "fbq(" in text:
            for m in _FBQ.finditer(text):
                yield from _pixel("fbpixel", m.group(1), where, once)
        if "ttq.load(" in text:
            for m in _TTQ.finditer(text):
                yield from _pixel("ttpixel", m.group(1).upper(), where, once)
    if "facebook.com/tr" in text:
        for m in _FB_TR.finditer(text):
            yield from _pixel("fbpixel", m.group(1), where, once)
    if "analytics.tiktok.com" in text:
        for m in _TT_SDK.finditer(text):
            yield from _pixel("ttpixel", m.group(1).upper(), where, once)
