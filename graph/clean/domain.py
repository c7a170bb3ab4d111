"""Domains: a host, URL or e-mail address in, its registrable domain (eTLD+1) out.

The public-suffix data is the snapshot bundled with ``tldextract``; it is never
fetched (``suffix_list_urls=()``, no disk cache). The PSL *private* section is
used too, so ``cool-kicks.myshopify.com`` and ``shop.blogspot.com`` are their own
registrable domains (two Shopify shops are not one owner); a host that *is* a
private suffix (``myshopify.com``) falls back to the public section.

Also home to the small text helpers the other identifier cleaners share:
:func:`tidy` (length cap, NFKC, invisible characters) and :func:`ascii_host`.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from functools import lru_cache

import idna

from graph.clean import Cleaned, Hint, accept, reject

MAX_LEN = 2000

_SURROGATE = re.compile(r"[\ud800-\udfff]")
_ASCII_LABEL = re.compile(r"^(?!-)[a-z0-9_-]{1,63}(?<!-)$")
TLD_LABEL = re.compile(r"^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$")
_DEFANG = [
    (re.compile(r"^(\s*)h(?:xx|\*\*)p(s?)(?=[\[(:])", re.I), r"\1http\2"),
    (re.compile(r"[\[({]\s*(?:\.|dot)\s*[\])}]", re.I), "."),
    (re.compile(r"[\[({]\s*(:|://|/)\s*[\])}]"), r"\1"),
]
_DOTS = str.maketrans({"\u3002": ".", "\uff61": ".", "\uff0e": "."})


def tidy(raw: str, limit: int = MAX_LEN) -> tuple[str, str | None]:
    """Normalise free text: ``(text, None)`` or ``("", reason)``.

    Caps the length, refuses lone surrogates, applies NFKC (full-width forms),
    drops format characters (zero-width spaces, BOM, soft hyphen, bidi marks)
    and turns control characters into spaces.
    """
    if not isinstance(raw, str):
        return "", "not text"
    if len(raw) > limit:
        return "", "too long"
    if raw.isascii() and raw.isprintable():  # the common case: nothing to fold or drop
        text = raw.strip()
        return (text, None) if text else ("", "empty")
    if _SURROGATE.search(raw):
        return "", "invalid unicode"
    text = unicodedata.normalize("NFKC", raw)
    if len(text) > limit:
        return "", "too long"
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if cat == "Cf":
            continue
        out.append(" " if cat == "Cc" or ch.isspace() else ch)
    text = "".join(out).strip()
    return (text, None) if text else ("", "empty")


def defang(text: str) -> str:
    """Undo threat-intel "defanging": ``hxxp://``, ``shop[.]example(.)com``."""
    if "[" not in text and "(" not in text and "{" not in text and "**" not in text and "xx" not in text.lower():
        return text  # nothing the patterns below could match
    for pattern, repl in _DEFANG:
        text = pattern.sub(repl, text)
    return text


@lru_cache(maxsize=8192)
def ascii_host(host: str) -> str | None:
    """Lower-case ASCII (punycode) form of a host name, or ``None`` if invalid.

    No IP handling and no public-suffix check: a syntactic normaliser.
    """
    host = host.translate(_DOTS).strip().rstrip(".").lower()
    if not host or len(host) > 253 or host.startswith("."):
        return None
    labels = []
    for label in host.split("."):
        if not label.isascii():
            label = _to_ascii(label)
            if label is None:
                return None
        if not _ASCII_LABEL.match(label):
            return None
        if label.startswith("xn--") and to_unicode(label) is None:
            return None
        labels.append(label)
    out = ".".join(labels)
    return out if len(out) <= 253 else None


def _to_ascii(label: str) -> str | None:
    try:
        return idna.encode(label, uts46=True).decode("ascii").lower()
    except (UnicodeError, ValueError):
        pass
    try:
        return label.encode("idna").decode("ascii").lower()
    except (UnicodeError, ValueError):
        return None


@lru_cache(maxsize=8192)
def to_unicode(host: str) -> str | None:
    """Unicode form of an ASCII host (``xn--`` labels decoded), or ``None``."""
    labels = []
    for label in host.split("."):
        if label.startswith("xn--"):
            try:
                label = idna.decode(label)
            except (UnicodeError, ValueError):
                try:
                    label = label.encode("ascii").decode("idna")
                except (UnicodeError, ValueError):
                    return None
        labels.append(label)
    return ".".join(labels)


_IP_CHARS = re.compile(r"^[0-9a-fA-F.:%\[\]]+$")


def is_ip(host: str) -> bool:
    """True for an IPv4 address or an IPv6 address (bracketed or not)."""
    if not _IP_CHARS.match(host) or ("." not in host and ":" not in host):
        return False  # fast path for host names
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


@lru_cache(maxsize=1)
def _extractor():
    import tldextract  # imported lazily: it loads the suffix list snapshot

    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None,
                                 fallback_to_snapshot=True,
                                 include_psl_private_domains=True)


_SCHEME_PREFIX = re.compile(r"^[a-z][a-z0-9+-]*:(?!\d)", re.I)
_PATH_START = re.compile(r"[/?#\\]")
# a lower-case ASCII host name (what ascii_host gives): tidy, defang and host_of leave it as it is
_HOST_NAME = re.compile(r"[a-z0-9_.-]{1,253}")


def host_of(text: str) -> str:
    """The host part of a URL, bare host or e-mail-ish string (not normalised)."""
    text = defang(text).strip().strip("\"'<>()[]{},;")
    if "://" in text:
        text = text.split("://", 1)[1]
    elif text.startswith("//"):
        text = text[2:]
    elif _SCHEME_PREFIX.match(text) and "@" not in text:
        text = text.split(":", 1)[1]  # mailto:, dns:, etc.
    text = _PATH_START.split(text, maxsplit=1)[0]
    text = text.rpartition("@")[2]  # userinfo, or the local part of an e-mail
    if text.startswith("["):
        return text.partition("]")[0] + "]"
    if text.count(":") == 1:
        name, _, port = text.partition(":")
        if port.isdigit() or not port:
            text = name
    if text.startswith("*."):
        text = text[2:]
    return text.strip()


def clean_domain(raw: str, hint: Hint | None = None) -> Cleaned:
    """'https://Shop.Example.co.uk:8443/x' -> 'example.co.uk'; 'пример.рф' -> 'xn--e1afmkfd.xn--p1ai'."""
    if isinstance(raw, str) and _HOST_NAME.fullmatch(raw):  # a bare lower-case host: nothing to tidy
        return _clean_host(raw)
    text, why = tidy(raw)
    if why:
        return reject(why)
    text = defang(text)
    if " " in text:
        return reject("not a domain")
    host = host_of(text)
    if not host:
        return reject("not a domain")
    return _clean_host(host)


@lru_cache(maxsize=65536)  # the URL cleaner asks for a host's domain, then often the domain itself is cleaned
def _clean_host(host: str) -> Cleaned:
    """The rest of :func:`clean_domain`, from the host part of its text."""
    if is_ip(host):
        return reject("an IP address, not a domain")
    ascii_ = ascii_host(host)
    if ascii_ is None:
        return reject("not a valid host name")
    if is_ip(ascii_):
        return reject("an IP address, not a domain")
    if ascii_ == "localhost" or ascii_.endswith(".localhost"):
        return reject("localhost, not a domain")
    ext = _extractor()(ascii_, include_psl_private_domains=True)
    if ext.is_private and not ext.domain:
        ext = _extractor()(ascii_, include_psl_private_domains=False)
    if not ext.suffix:
        return reject("no public suffix")
    if not ext.domain:
        return reject("a public suffix, not a domain")
    key = f"{ext.domain}.{ext.suffix}"
    uni = to_unicode(key)
    return accept(key, host=ascii_ if ascii_ != key else "", suffix=ext.suffix,
                  unicode=uni if uni and uni != key else "")


def registrable_domain(host: str) -> str | None:
    """Registrable domain of ``host`` (or URL / e-mail), or ``None``; never raises."""
    if not isinstance(host, str) or not host:
        return None
    return _registrable(host)


@lru_cache(maxsize=65536)
def _registrable(host: str) -> str | None:
    if _HOST_NAME.fullmatch(host):  # the URL cleaner's hosts: skip the text clean-up that would not change them
        return _clean_host(host).key
    return clean_domain(host).key
