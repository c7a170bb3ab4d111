"""Storefronts and listings on marketplaces: URL or platform id in, ``<marketplace>:<id>`` out.

Storefront keys::

    amazon:<MERCHANT ID, upper>     seller= / me= / merchant= / smid= params, /shops/<id>
    ebay:<user, lower>              /usr/<user>, _ssn= / userid= params, /sch/<user>/m.html
    ebay:store:<store name, lower>  /str/<store>  (a store name is not always the user id)
    walmart:<digits>                /seller/<id>, selectedSellerId= / sellerId=
    aliexpress:<store no.>          /store/<n>, /store/<page>/<n>.html, storeId=
    temu:<mall id>                  mall_id=, ...-m-<digits>.html
    dhgate:<store no.>              /store/<n>, /store/top-selling/<n>.html
    etsy:<shop name, lower>         /shop/<Name>, <name>.etsy.com
    shein:<store code>              store_code=
    wish:<merchant id, lower>       /merchant/<id>
    alibaba:<subdomain>             <sub>.en.alibaba.com
    shopify:<subdomain>             <sub>.myshopify.com
    web:<registrable domain>        any other web shop
    <other slug>:<id as given>      bare ids with a hint naming another platform (tiktok, shopee...)

Listing keys: ``amazon:<ASIN>``, ``ebay|aliexpress|walmart|temu|dhgate|etsy|shein|alibaba:<digits>``,
``wish:<id>``, ``web:<canonical url>``. Keys fed back in give the same key.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qsl, unquote

from graph.clean import Cleaned, Hint, accept, reject
from graph.clean.domain import MAX_LEN, is_ip, registrable_domain, tidy
from graph.clean.url import clean_url

_NAMES = [  # (slug, pattern) - first match wins
    ("aliexpress", r"ali\s*express|速卖通"), ("alibaba", r"alibaba|阿里巴巴"),
    ("amazon", r"amazon|亚马逊"), ("ebay", r"e-?bay"), ("temu", r"temu"),
    ("dhgate", r"dh\s*gate|敦煌"), ("walmart", r"walmart"), ("etsy", r"etsy"),
    ("shein", r"shein"), ("wish", r"wish"), ("shopify", r"shopify|myshopify"),
    ("tiktok", r"tik\s*tok"), ("shopee", r"shopee"), ("lazada", r"lazada"),
    ("mercadolibre", r"mercado\s*lib[ri]e|mercado\s*livre"), ("rakuten", r"rakuten"),
    ("joom", r"joom"), ("ozon", r"ozon"), ("wildberries", r"wildberries"),
    ("allegro", r"allegro"), ("cdiscount", r"cdiscount"), ("mercari", r"mercari"),
    ("poshmark", r"poshmark"), ("bonanza", r"bonanza"), ("taobao", r"taobao|淘宝"),
    ("tmall", r"tmall|天猫"), ("1688", r"1688"), ("jd", r"jd\.com|京东"),
    ("facebook", r"facebook|fb\s*marketplace"), ("instagram", r"instagram"),
    ("bol", r"bol\.com"), ("tokopedia", r"tokopedia"), ("kaufland", r"kaufland"),
    ("pinduoduo", r"pinduoduo|拼多多|yangkeduo"),
    ("web", r"web\s*shop|website|web|online\s*shop|independent\s*(?:site|store)|独立站"),
]
_NAME_RES = [(slug, re.compile(rf"(?<![a-z0-9])(?:{pat})(?![a-z0-9])", re.I))
             for slug, pat in _NAMES]
SLUGS = frozenset(slug for slug, _ in _NAMES)
_SITES = {  # marketplace -> the public suffixes its sites live under
    "amazon": {"com", "ca", "com.mx", "com.br", "co.uk", "de", "fr", "it", "es", "nl", "se",
               "pl", "com.tr", "ae", "sa", "eg", "in", "co.jp", "com.au", "sg", "com.be",
               "cn", "ie", "co.za"},
    "ebay": {"com", "co.uk", "de", "fr", "it", "es", "ca", "com.au", "at", "ch", "be",
             "nl", "ie", "pl", "com.hk", "com.sg", "com.my", "ph", "in"},
    "aliexpress": {"com", "us", "ru"}, "walmart": {"com", "ca", "com.mx"},
    "temu": {"com"}, "dhgate": {"com"}, "etsy": {"com"}, "shein": {"com"},
    "wish": {"com"}, "alibaba": {"com"},
}
_SHORT = {"amzn.to", "amzn.eu", "amzn.asia", "a.co", "ebay.us", "etsy.me", "temu.to",
          "bit.ly", "tinyurl.com", "t.co", "goo.gl", "s.click.aliexpress.com",
          "a.aliexpress.com", "shope.ee", "vt.tiktok.com", "vm.tiktok.com"}
_SOCIAL = {"youtube.com", "twitter.com", "x.com", "t.me", "wa.me", "linktr.ee",
           "google.com", "pinterest.com", "vk.com", "weibo.com", "whatsapp.com"}

_P = re.compile
_SPACES = _P(r"\s+")
_SCHEME = _P(r"^[a-z][a-z0-9+.-]*:", re.I)
STORE_PARAMS = {
    "amazon": ("seller", "me", "merchant", "smid"), "ebay": ("_ssn", "userid"),
    "walmart": ("selectedsellerid", "sellerid"), "aliexpress": ("storeid", "storeno"),
    "temu": ("mall_id",), "shein": ("store_code",),
}
STORE_PATHS = {  # (pattern, id prefix)
    "amazon": [(_P(r"^/shops/([^/]+)"), "")],
    "ebay": [(_P(r"^/usr/([^/]+)"), ""), (_P(r"^/str/([^/]+)"), "store:"),
             (_P(r"^/sch/([^/]+)/m\.html$"), "")],
    "walmart": [(_P(r"/seller/(\d+)"), "")],
    "aliexpress": [(_P(r"^/store/(?:[^/]+/)*?(\d+)(?:_\d+)?(?:\.html)?(?:/|$)"), "")],
    "dhgate": [(_P(r"^/store/(?:[^/]+/)*?(\d+)(?:\.html)?(?:/|$)"), "")],
    "temu": [(_P(r"(?:^/|-)m-(\d+)\.html$"), "")],
    "etsy": [(_P(r"^/(?:[a-z]{2}(?:-[a-z]{2})?/)?shop/([^/]+)"), "")],
    "wish": [(_P(r"^/merchant/([^/]+)"), "")],
}
STORE_HOSTS = {
    "etsy": _P(r"^(?!(?:www|m|help|blog|community|api|openapi|img|i|ads|ir|investors"
               r"|careers|about|news|accounts)\.)([a-z0-9]+)\.etsy\.com$"),
    "alibaba": _P(r"^(?!www\.)([a-z0-9-]+)\.(?:m\.)?en\.alibaba\.com$"),
    "shopify": _P(r"^([a-z0-9-]+)\.myshopify\.com$"),
}
LISTING_PARAMS = {"temu": ("goods_id",)}
LISTING_PATHS = {
    "amazon": _P(r"/(?:dp|gp/product|gp/aw/d|exec/obidos/asin|o/asin)/([a-z0-9]{10})(?:/|$)",
                 re.I),
    "ebay": _P(r"^/itm/(?:[^/]+/)?(\d+)(?:/|$)"),
    "aliexpress": _P(r"^/(?:item|i)/(?:[^/]+/)?(\d+)\.html$"),
    "walmart": _P(r"^/ip/(?:[^/]+/)?(\d+)(?:/|$)"),
    "temu": _P(r"-g-(\d+)\.html$"),
    "dhgate": _P(r"^/product/[^/]+/(\d+)\.html$"),
    "etsy": _P(r"^/(?:[a-z]{2}(?:-[a-z]{2})?/)?listing/(\d+)(?:/|$)"),
    "shein": _P(r"-p-(\d+)(?:-cat-\d+)?\.html$"),
    "wish": _P(r"^/(?:product|c)/([a-z0-9]+)(?:/|$)", re.I),
    "alibaba": _P(r"^/product-detail/(?:[^/]*_)?(\d+)\.html$"),
}
_STORE_IDS = {
    "amazon": (str.upper, _P(r"^[A-Z0-9]{8,20}$")),
    "ebay": (str.lower, _P(r"^(?:store:[a-z0-9][a-z0-9._&'+-]{0,99}|[a-z0-9._*-]{1,64})$")),
    "walmart": (str.strip, _P(r"^\d{1,20}$")), "aliexpress": (str.strip, _P(r"^\d{1,20}$")),
    "temu": (str.strip, _P(r"^\d{1,20}$")), "dhgate": (str.strip, _P(r"^\d{1,20}$")),
    "etsy": (str.lower, _P(r"^[a-z0-9]{1,40}$")), "shein": (str.lower, _P(r"^[a-z0-9_-]{1,40}$")),
    "wish": (str.lower, _P(r"^[a-z0-9]{1,40}$")), "alibaba": (str.lower, _P(r"^[a-z0-9-]{1,63}$")),
    "shopify": (str.lower, _P(r"^[a-z0-9][a-z0-9-]{0,62}$")),
}
_LISTING_IDS = {
    "amazon": (str.upper, _P(r"^[A-Z0-9]{10}$")), "wish": (str.lower, _P(r"^[a-z0-9]{1,40}$")),
}
_DIGITS = (str.strip, _P(r"^\d{1,25}$"))
_GENERIC = (str.strip, _P(r"^[\w.@+-]{1,100}$"))
_KEYFORM = _P(r"^([a-z0-9]{2,15}):(.+)$", re.I | re.S)


def clean_marketplace_name(text: object) -> str | None:
    """'Amazon.com', 'amazon us', 'AliExpress' -> 'amazon', 'amazon', 'aliexpress'."""
    if not isinstance(text, str) or len(text) > 200:
        return None
    return _marketplace_slug(text)


@lru_cache(maxsize=1024)  # the platform column of a table repeats a handful of names
def _marketplace_slug(text: str) -> str | None:
    text, why = tidy(text, limit=200)
    if why:
        return None
    return next((slug for slug, pattern in _NAME_RES if pattern.search(text)), None)


@lru_cache(maxsize=8192)
def _site(host: str) -> str | None:
    """Marketplace slug for a host; 'short' for link shorteners, 'platform' for others."""
    if host.endswith(".myshopify.com"):
        return "shopify"
    rd = registrable_domain(host)
    if rd is None:
        return None
    if rd in _SHORT or host in _SHORT:
        return "short"
    label, _, suffix = rd.partition(".")
    if suffix in _SITES.get(label, ()):
        return label
    return "platform" if rd in _SOCIAL or (label in SLUGS and label != "web") else None


def _norm(table: dict, mp: str, raw_id: str, default=_GENERIC) -> str | None:
    fold, pattern = table.get(mp, default)
    value = fold(raw_id.strip())
    return value if pattern.match(value) else None


def _split(text: str) -> tuple[Cleaned, str, str, dict[str, str], str | None]:
    """(clean_url result, host, unquoted path, lower-case params, site)."""
    cu = clean_url(text)
    if not cu.ok:
        return cu, "", "", {}, None
    path, query = path_and_query(cu.key)
    params: dict[str, str] = {}
    for name, value in parse_qsl(query, keep_blank_values=False) if query else ():
        params.setdefault(name.lower(), value.strip())
    host = cu.props.get("host", "")
    return cu, host, unquote(path), params, (None if is_ip(host) else _site(host))


def path_and_query(url: str) -> tuple[str, str]:
    """Path and query of a canonical URL (``clean_url``'s key: scheme, host, a path that starts with ``/``,
    no fragment; ``/``, ``?`` and ``#`` are escaped where they would mean something else): what
    ``urlsplit`` gives, without its general parsing."""
    rest = url.partition("://")[2]
    path, _, query = rest[rest.index("/"):].partition("?")
    return path, query


def _store_id(mp: str, host: str, path: str, params: dict[str, str]) -> str | None:
    for name in STORE_PARAMS.get(mp, ()):
        if params.get(name):
            return params[name]
    for pattern, prefix in STORE_PATHS.get(mp, ()):
        m = pattern.search(path)
        if m:
            return prefix + _SPACES.sub("-", m.group(1).strip())
    m = STORE_HOSTS[mp].match(host) if mp in STORE_HOSTS else None
    return m.group(1) if m else None


def _listing_id(mp: str, path: str, params: dict[str, str]) -> str | None:
    for name in LISTING_PARAMS.get(mp, ()):
        if params.get(name):
            return params[name]
    m = LISTING_PATHS[mp].search(path) if mp in LISTING_PATHS else None
    return m.group(1) if m else None


def _store(mp: str, raw_id: str, url: str = "") -> Cleaned:
    if mp == "web":
        return _store_url(raw_id)
    pid = _norm(_STORE_IDS, mp, raw_id)
    if pid is None:
        return reject(f"not a valid {mp} seller id")
    return accept(f"{mp}:{pid}", marketplace=mp, platform_id=pid, url=url)


def _store_url(text: str) -> Cleaned:
    cu, host, path, params, mp = _split(text)
    if not cu.ok:
        return cu
    if is_ip(host):
        return reject("an IP address, not a shop")
    if mp == "short":
        return reject("a short link; resolve it first")
    if mp == "platform":
        return reject("no storefront id in this platform url")
    if mp is None:
        domain = registrable_domain(host)
        if domain is None:
            return reject("no registrable domain")
        return accept(f"web:{domain}", marketplace="web", platform_id=domain, url=cu.key)
    raw_id = _store_id(mp, host, path, params)
    if raw_id is None:
        if _listing_id(mp, path, params):
            return reject("a listing url, not a storefront")
        return reject(f"no seller id in {mp} url")
    return _store(mp, raw_id, cu.key)


def _listing(mp: str, raw_id: str) -> Cleaned:
    if mp == "web":
        return _listing_url(raw_id)
    default = _DIGITS if mp in LISTING_PATHS else _GENERIC
    lid = _norm(_LISTING_IDS, mp, raw_id, default)
    if lid is None:
        return reject(f"not a valid {mp} listing id")
    return accept(f"{mp}:{lid}", marketplace=mp, listing_id=lid)


def _listing_url(text: str) -> Cleaned:
    cu, host, path, params, mp = _split(text)
    if not cu.ok:
        return cu
    if mp == "short":
        return reject("a short link; resolve it first")
    if mp in (None, "platform", "shopify"):
        if path == "/" and "?" not in cu.key:
            return reject("a home page, not a listing")
        return accept(f"web:{cu.key}", marketplace="web", listing_id=cu.key, url=cu.key)
    raw_id = _listing_id(mp, path, params)
    if raw_id is None:
        if _store_id(mp, host, path, params):
            return reject("a storefront url, not a listing")
        return reject(f"no listing id in {mp} url")
    found = _listing(mp, raw_id)
    return accept(found.key, marketplace=mp, listing_id=found.props["listing_id"],
                  url=cu.key) if found.ok else found


def _dispatch(raw: str, hint: Hint | None, bare, from_url, what: str) -> Cleaned:
    text, why = tidy(raw, limit=MAX_LEN + 100)
    if why:
        return reject(why)
    m = _KEYFORM.match(text)
    if m and m.group(1).lower() in SLUGS:  # a key fed back in: "amazon:A2EXAMPLE1234"
        mp, rest = m.group(1).lower(), m.group(2).strip()
        return from_url(rest) if "://" in rest else bare(mp, rest)
    hinted = clean_marketplace_name(hint.get("marketplace")) if hint else None
    urlish = ("/" in text or text.lower().startswith("www.")
              or _SCHEME.match(text) is not None)
    if hinted and not urlish:
        host_site = _site(text.lower()) if "." in text else None
        if host_site not in _SITES and host_site != "shopify":
            return bare(hinted, text)
    if not (urlish or "." in text):
        return reject(f"no marketplace for a bare {what} id")
    return from_url(text)


def clean_storefront(raw: str, hint: Hint | None = None) -> Cleaned:
    """'https://www.amazon.com/sp?seller=A1B2C3D4E5F6G7' -> 'amazon:A1B2C3D4E5F6G7'."""
    return _dispatch(raw, hint, _store, _store_url, "seller")


def clean_listing(raw: str, hint: Hint | None = None) -> Cleaned:
    """'https://www.amazon.de/-/en/dp/B0ABCDEF12?th=1' -> 'amazon:B0ABCDEF12'."""
    return _dispatch(raw, hint, _listing, _listing_url, "listing")
