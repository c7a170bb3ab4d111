"""Storefront URLs of marketplaces the graph's URL cleaner has no storefront rule for (Shopee, Lazada, Allegro,
Rakuten, Mercado Libre, Bol.com, Tokopedia, Kaufland, Ozon, Mercari, Pinduoduo, JD): a host pattern and a path
pattern per marketplace in ``patterns/storefronts.jsonl``; the shop's id (group ``id`` or ``num``) becomes the
storefront key through the graph's storefront cleaner (``shopee:<shop>``)."""

from __future__ import annotations

import re
from functools import lru_cache

from graph.clean import clean

from nlp.patterns import read_jsonl

_AFTER_HOST = re.compile(r"^[a-z]+(?:\[:\]|:)//[^/?#]+", re.I)


@lru_cache(maxsize=None)
def _rules() -> tuple[tuple[str, re.Pattern[str], re.Pattern[str]], ...]:
    return tuple((r["marketplace"], re.compile(r["host"]), re.compile(r["path"]))
                 for r in read_jsonl("storefronts.jsonl"))


def storefront_key(host: str, url: str) -> str | None:
    """The storefront key of ``url`` (host already lower-cased by the URL cleaner) when a rule knows its
    marketplace's shop pages, else None (a product page, the marketplace's home, another site)."""
    host = host.lower()
    for market, host_re, path_re in _rules():
        if not host_re.search(host):
            continue
        m = _AFTER_HOST.match(url)
        path = url[m.end():] if m else ""
        p = path_re.match(path or "/")
        if not p:
            return None
        shop = p.groupdict().get("id") or p.groupdict().get("num")
        c = clean("storefront", shop, {"marketplace": market})
        return c.key if c.ok else None
    return None
