"""Storefront and listing URLs of marketplaces the graph's URL cleaner has no rule for (Shopee, Lazada, Allegro,
Rakuten, Mercado Libre, Bol.com, Tokopedia, Kaufland, Ozon, Mercari, Pinduoduo, JD; Taobao / Tmall / 1688 / Alibaba /
TikTok Shop items): a host pattern and a path pattern per marketplace in ``patterns/storefronts.jsonl``; the shop's
or item's id (group ``id`` or ``num``) becomes the key through the graph's storefront / listing cleaner
(``shopee:<shop>``, ``taobao:<item>``). Both are STORE_URL mentions (the contract's "storefront or listing URL")."""

from __future__ import annotations

import re
from functools import lru_cache

from graph.clean import clean

from nlp.patterns import read_jsonl

_AFTER_HOST = re.compile(r"^[a-z]+(?:\[:\]|:)//[^/?#]+", re.I)


@lru_cache(maxsize=None)
def _rules() -> tuple[tuple[str, str, re.Pattern[str], re.Pattern[str]], ...]:
    return tuple((r["marketplace"], r.get("kind", "storefront"), re.compile(r["host"]), re.compile(r["path"]))
                 for r in read_jsonl("storefronts.jsonl"))


def storefront_key(host: str, url: str) -> tuple[str, str] | None:
    """(key, graph node type: Storefront or Listing) of ``url`` (host lower-cased by the URL cleaner) when a
    rule knows its marketplace's shop or item pages, else None (the marketplace's home, search, another site)."""
    host = host.lower()
    m = _AFTER_HOST.match(url)
    path = (url[m.end():] if m else "") or "/"
    for market, kind, host_re, path_re in _rules():
        if not host_re.search(host):
            continue
        p = path_re.match(path)
        if not p:
            continue
        value = p.groupdict().get("id") or p.groupdict().get("num")
        c = clean(kind, value, {"marketplace": market})
        if c.ok:
            return c.key, "Listing" if kind == "listing" else "Storefront"
    return None
