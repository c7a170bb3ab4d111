"""Web infrastructure shared between shops: IPs, name servers, analytics/tag and pixel ids.

Key formats:

* ``ip:<address, compressed>`` (IPv4-mapped IPv6 becomes IPv4; an IPv6 zone is dropped)
* ``ns:<host, lower, IDNA, no trailing dot>``
* ``ga:UA-12345678`` (Universal Analytics property; the full ``UA-12345678-1`` is in ``tag``)
* ``ga4:G-XXXXXXXXXX``, ``gtm:GTM-XXXXXXX``, ``gads:AW-123456789``
* ``fbpixel:<15-16 digits>``, ``ttpixel:<ID upper>``

``hint["kind"]`` may be ``ip``, ``nameserver``, ``analytics`` or ``pixel`` (free text such
as "name server" or "TikTok pixel" is understood); without it the kind is detected, and a
host is a name server only when its first label is ns/dns (``ns1.``, ``ns-12.``, ``dns2.``).
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from functools import lru_cache

from graph.clean import Cleaned, Hint, accept, reject

_MAX_IN = 2000
_IA = re.I | re.A
_PREFIX = re.compile(r"(ip|ns|ga|ga4|gtm|gads|fbpixel|ttpixel)\s*:\s*(?=\S)", _IA)
_PREFIX_KIND = {"ip": "ip", "ns": "nameserver", "ga": "analytics", "ga4": "analytics",
                "gtm": "analytics", "gads": "analytics", "fbpixel": "pixel", "ttpixel": "pixel"}
_B, _E = r"(?<![A-Z0-9-])", r"(?![A-Z0-9])"
_TAGS = [  # (prefix, pattern on upper text); group 1 = id in the key, group 0 = full tag
    ("ga", re.compile(_B + r"(UA-[0-9]{4,10})(?:-[0-9]{1,4})?" + _E)),
    ("ga4", re.compile(_B + r"(G-(?=[A-Z0-9]*[0-9])[A-Z0-9]{6,12})" + _E)),
    ("gtm", re.compile(_B + r"(GTM-[A-Z0-9]{4,9})" + _E)),
    ("gads", re.compile(_B + r"(AW-[0-9]{6,12})" + _E)),
]
_FBQ = re.compile(r"fbq\(\s*['\"]init['\"]\s*,\s*['\"]?([0-9]{15,16})\b", _IA)
_FB_ID = re.compile(r"(?<![0-9])([0-9]{15,16})(?![0-9])")
_TT_LOAD = re.compile(r"ttq\.load\(\s*['\"]([A-Za-z0-9]{16,24})['\"]", _IA)
_TT_ID = re.compile(r"(?<![A-Z0-9])(C[A-Z0-9]{15,23})(?![A-Z0-9])")
_NS_LABEL = re.compile(r"(?:ns|dns)(?:[0-9]+|-[a-z0-9-]*)?\.", _IA)
_HOST_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")


# what ipaddress.ip_address can parse is made of these (an IPv6 zone is cut off before)
_IP_CHARS = re.compile(r"[0-9A-Fa-f:.]+")


def _prep(raw: str) -> str:
    text = raw[:_MAX_IN]
    if text.isascii() and text.isprintable():  # nothing to drop, NFKC leaves ASCII as it is
        return " ".join(text.split())
    text = text.encode("utf-8", "ignore").decode("utf-8")
    text = "".join(" " if unicodedata.category(c) == "Cc" else c for c in text
                   if unicodedata.category(c) not in ("Cf", "Cs", "Co", "Cn"))
    return " ".join(unicodedata.normalize("NFKC", text).split())


def _kind_hint(hint: Hint | None) -> tuple[str | None, bool]:
    """(kind, tiktok?) from the hint."""
    raw = (hint or {}).get("kind")
    return _kind_of(raw if isinstance(raw, str) else "")


@lru_cache(maxsize=256)  # a handful of kinds ("ip", "pixel", column headers)
def _kind_of(raw: str) -> tuple[str | None, bool]:
    text = _prep(raw).lower()
    tiktok = "tiktok" in text
    for kind, words in (("nameserver", ("name server", "nameserver", "ns", "dns")),
                        ("pixel", ("pixel",)), ("analytics", ("analytics", "tag", "gtm", "ga")),
                        ("ip", ("ip",))):
        if any(re.search(rf"(?<![a-z]){w}(?![a-z])", text) for w in words):
            return kind, tiktok
    return None, tiktok


def _ip(text: str) -> Cleaned | None:
    token = text.strip("[]")
    token = token.split("%", 1)[0] if ":" in token else token
    if not _IP_CHARS.fullmatch(token):  # ip_address would raise ValueError (exceptions are slow)
        return None
    try:
        addr = ipaddress.ip_address(token)
    except ValueError:
        return None
    if addr.version == 6 and addr.ipv4_mapped:
        addr = addr.ipv4_mapped
    private = (addr.is_private or addr.is_reserved or addr.is_loopback or addr.is_link_local
               or addr.is_multicast or addr.is_unspecified)
    return accept(f"ip:{addr.compressed}", kind="ip", version=str(addr.version),
                  private="true" if private else "")


def _host(text: str) -> str | None:
    host = text.strip().rstrip(".").lower()
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii").lower()
        except (UnicodeError, ValueError, IndexError):
            return None
    labels = host.split(".")
    if len(host) > 253 or len(labels) < 2 or not all(_HOST_LABEL.fullmatch(x) for x in labels):
        return None
    tld = labels[-1]
    return host if (tld.isalpha() and len(tld) >= 2) or tld.startswith("xn--") else None


def _tag(text: str) -> Cleaned | None:
    upper = text.upper()
    found = [(m.start(), prefix, m) for prefix, pat in _TAGS for m in [pat.search(upper)] if m]
    if not found:
        return None
    _, prefix, m = min(found, key=lambda f: f[0])
    return accept(f"{prefix}:{m.group(1)}", kind="analytics", tag=m.group(0))


def _pixel(text: str, tiktok: bool, fb_ok: bool) -> Cleaned | None:
    m = _TT_LOAD.search(text)
    if m or tiktok or "tiktok" in text.lower():
        m = m or _TT_ID.search(text.upper())
        if m:
            return accept(f"ttpixel:{m.group(1).upper()}", kind="pixel", platform="tiktok")
        return None
    m = _FBQ.search(text) or (_FB_ID.search(text) if fb_ok else None)
    return accept(f"fbpixel:{m.group(1)}", kind="pixel", platform="meta") if m else None


def clean_infrastructure(raw: str, hint: Hint | None = None) -> Cleaned:
    """'UA-12345678-1' -> 'ga:UA-12345678'; '8.8.8.8' -> 'ip:8.8.8.8'; ..."""
    text = _prep(raw)
    if not text:
        return reject("empty")
    kind, tiktok = _kind_hint(hint)
    m = _PREFIX.match(text)
    if m:
        prefix = m.group(1).lower()
        if kind in (None, _PREFIX_KIND[prefix]):
            kind, tiktok, text = _PREFIX_KIND[prefix], prefix == "ttpixel", text[m.end():]
    if kind == "ip":
        return _ip(text) or reject("not an ip address")
    if kind == "nameserver":
        host = _host(text)
        return accept(f"ns:{host}", kind="nameserver") if host else reject("not a name server")
    if kind == "analytics":
        return _tag(text) or reject("no analytics id")
    if kind == "pixel":
        return _pixel(text, tiktok, fb_ok=True) or reject("no pixel id")
    found = _ip(text) or _tag(text) or _pixel(text, False, fb_ok=False)
    if found:
        return found
    if _NS_LABEL.match(text) and _host(text):
        return accept(f"ns:{_host(text)}", kind="nameserver")
    return reject("unknown infrastructure value")
