"""Organisation data in a page's JSON-LD blocks and the payment badges it shows (split from ``page_links``)."""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator

from lxml import etree

from graph.clean.domain import registrable_domain
from graph.records import Value

from ingest.base import Unreadable
from ingest.html_text import css_path, tidy
from ingest.page_labels import field_values
from ingest.page_links import MARKETPLACES, MAX_LINKS, NOT_OWN, SOCIAL, PageContext, url_value

MAX_JSON = 1 << 20     # characters of one JSON-LD block read
_BADGES = [(name, re.compile(pat, re.I)) for name, pat in (
    ("PayPal", r"pay\s?pal"), ("Visa", r"\bvisa\b"), ("Mastercard", r"master\s?card"), ("Maestro", r"\bmaestro\b"),
    ("American Express", r"american\s?express|\bamex\b"), ("Discover", r"\bdiscover\b"), ("JCB", r"\bjcb\b"),
    ("Diners Club", r"\bdiners\b"), ("UnionPay", r"union\s?pay"), ("Apple Pay", r"apple\s?pay"),
    ("Google Pay", r"google\s?pay|\bg\s?pay\b"), ("Shop Pay", r"shop\s?pay"), ("Klarna", r"\bklarna\b"),
    ("Afterpay", r"after\s?pay|clearpay"), ("Alipay", r"ali\s?pay"), ("WeChat Pay", r"we\s?chat\s?pay"),
    ("Stripe", r"\bstripe\b"), ("iDEAL", r"\bideal\b"), ("Bancontact", r"bancontact"), ("Sofort", r"\bsofort\b"),
    ("Giropay", r"giropay"), ("Amazon Pay", r"amazon\s?pay"), ("Venmo", r"\bvenmo\b"))]
_ANY_BADGE = re.compile("|".join(f"(?:{pattern.pattern})" for _, pattern in _BADGES), re.I)
_BADGE_NOISE = re.compile(r"\b(?:logo|icon|badge|payments?|methods?|cards?|accepted|we accept|pay with|pay by|"
                          r"image|svg|png|pi)\b|[-_:/.]+", re.I)
_ORG_TYPE = re.compile(r"organi[sz]ation|corporation|business|store|shop|company", re.I)
_NOT_SELF = frozenset({"brand", "manufacturer", "author", "creator", "provider", "itemReviewed", "review"})


def badge_values(root: etree._Element) -> Iterator[Value]:
    """Accepted payment methods shown as badges (image alt texts, icon titles, labels): one extra property."""
    found: dict[str, str] = {}
    body = root.find("body")
    for el in itertools.islice((body if body is not None else root).iter(), 200_000):
        tag = el.tag
        label = el.get("aria-label")
        if tag not in ("img", "title") and not label:
            continue
        src = (el.get("src") or "") if tag == "img" and not el.get("alt") else ""
        texts = (el.get("alt"), el.get("title"), label, el.text if tag == "title" else None,
                 src.rsplit("/", 1)[-1].rsplit(".", 1)[0] if src and not src.startswith("data:") else None)
        for text in texts:
            if not text or len(text) > 40:
                continue
            text = tidy(_BADGE_NOISE.sub(" ", text))
            if not _ANY_BADGE.fullmatch(text):
                continue
            for name, pattern in _BADGES:
                if name not in found and pattern.fullmatch(text):
                    found[name] = f"css {css_path(el)}"
    if found:
        yield Value(None, ", ".join(found), next(iter(found.values())), "payment methods")


def json_ld_values(root: etree._Element, page: PageContext) -> Iterator[Value | Unreadable]:
    """Organisation details in JSON-LD blocks (legalName, email, telephone, address, sameAs, vatID)."""
    for el in itertools.islice(root.iter("script"), 5000):
        kind = (el.get("type") or "").lower()
        if not kind.startswith("application/ld+json"):
            continue
        where = f"css {css_path(el)} JSON-LD"
        text = (el.text or "").strip()
        if not text:
            continue
        try:
            data = json.loads(text[:MAX_JSON])
        except (ValueError, RecursionError) as exc:
            yield Unreadable(where, text[:10_000], f"invalid JSON-LD ({str(exc)[:100]})")
            continue
        yield from _organisations(data, where, page)


def _organisations(data, where: str, page: PageContext) -> Iterator[Value]:
    stack = [(data, "$", None)]
    seen = 0
    while stack and seen < 5000:
        node, path, parent_key = stack.pop()
        seen += 1
        if isinstance(node, list):
            stack.extend((v, f"{path}[{i}]", parent_key) for i, v in reversed(list(enumerate(node[:500]))))
            continue
        if not isinstance(node, dict) or path.count(".") > 20:
            continue
        types = node.get("@type")
        types = " ".join(t for t in (types if isinstance(types, list) else [types]) if isinstance(t, str))
        if _ORG_TYPE.search(types) and parent_key not in _NOT_SELF:
            yield from _organisation(node, f"{where} {path}", page)
        for key, value in node.items():
            if isinstance(value, (dict, list)):
                stack.append((value, f"{path}.{key}", key))


def _organisation(org: dict, where: str, page: PageContext) -> Iterator[Value]:
    def text(value) -> str:
        return tidy(value)[:1000] if isinstance(value, str) else ""

    if text(org.get("name")):
        page.names.append((text(org["name"]), f"{where}.name"))
    if text(org.get("legalName")):
        yield Value("company", text(org["legalName"]), f"{where}.legalName", "JSON-LD legalName")
    points = org.get("contactPoint")
    points = points if isinstance(points, list) else [points]
    for i, holder in enumerate([org, *[p for p in points if isinstance(p, dict)]][:20]):
        at = where if i == 0 else f"{where}.contactPoint"
        email = text(holder.get("email")).removeprefix("mailto:")
        if email:
            yield from field_values("email", "JSON-LD email", [email], f"{at}.email")
        phone = text(holder.get("telephone")).removeprefix("tel:")
        if phone:
            yield from field_values("phone", "JSON-LD telephone", [phone], f"{at}.telephone")
    address = org.get("address")
    for i, addr in enumerate((address if isinstance(address, list) else [address])[:5]):
        at = f"{where}.address" + (f"[{i}]" if isinstance(address, list) else "")
        if isinstance(addr, str) and text(addr):
            yield from field_values("address", "JSON-LD address", [text(addr)], at)
        elif isinstance(addr, dict):
            country = addr.get("addressCountry")
            country = country.get("name") if isinstance(country, dict) else country
            parts = [text(addr.get(k)) for k in ("streetAddress", "addressLocality", "addressRegion", "postalCode")]
            parts.append(text(country))
            if any(parts[:-1]):
                yield from field_values("address", "JSON-LD address", [p for p in parts if p], at)
            if text(country):
                yield from field_values("country", "JSON-LD addressCountry", [text(country)], f"{at}.addressCountry")
    for key in ("vatID", "taxID"):
        if text(org.get(key)):
            yield Value(None, text(org[key]), f"{where}.{key}", key)
    links = org.get("sameAs")
    links = [org.get("url"), *(links if isinstance(links, list) else [links])]
    for i, link in enumerate(links[:MAX_LINKS]):
        link = text(link)
        domain = registrable_domain(link) if link.startswith(("http://", "https://")) else None
        if not domain or domain == page.domain:
            continue
        at = f"{where}.url" if i == 0 else f"{where}.sameAs"
        if domain in SOCIAL or domain.split(".")[0] in MARKETPLACES:
            yield Value(None, link, at, "social link" if domain in SOCIAL else "marketplace link")
        elif domain not in NOT_OWN:
            yield Value("website", url_value(link), at, "JSON-LD sameAs")
