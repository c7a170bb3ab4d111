"""URLs: raw links in, one canonical web address out.

Canonical form: ``https?://`` + lower-case ASCII (IDNA) host + explicit
non-default port + path (dot segments removed, percent-escapes normalised,
``/`` when empty) + query without tracking parameters, sorted by name.
User info (``user:pw@``) and the fragment are dropped. Missing schemes become
``https``; defanged links (``hxxps://shop[.]example[.]com``) are restored.
"""

from __future__ import annotations

import ipaddress
import re
import string
from functools import lru_cache
from urllib.parse import quote, unquote_plus

from graph.clean import Cleaned, Hint, accept, reject
from graph.clean.domain import (MAX_LEN, TLD_LABEL, ascii_host, defang, is_ip,
                                registrable_domain, tidy)

_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]{0,30}):", re.I)
_HTTP = re.compile(r"^(https?):/*", re.I)
_PCT = re.compile(r"%([0-9a-fA-F]{2})")
_UNRESERVED = frozenset(string.ascii_letters + string.digits + "-._~")
_PATH_SAFE = frozenset("/:@!$&'()*+,;=")
_QUERY_SAFE = frozenset("/:@!$'()*+,;?")
_DEFAULT_PORT = {"http": "80", "https": "443"}
_AUTHORITY_END = re.compile(r"[/?#\\]")
_SPACE = re.compile(r"\s")

# Query parameters that only track clicks, sessions, campaigns or A/B tests.
TRACKING_PARAMS = frozenset("""
gclid gclsrc dclid fbclid msclkid yclid twclid ttclid igshid wbraid gbraid mc_cid mc_eid
_ga _gl mkt_tok ref ref_ refsrc spm scm scm_id scm-url _randl_shipto _randl_currency
pvid algo_pvid algo_expid btsid ws_ab_test terminal_id afsmartredirect gatewayadapt sk
gps-id pdp_npi pdp_ext_f curpagelogUid _t mkevt mkcid mkrid campid toolid customid
amdata qid sr crid sprefix dib dib_tag th psc linkcode linkid ascsubtag creative
creativeasin content-id ie _encoding click_key click_sum organic_search_click frs sts
pro plkey athcpid athpgid athznid athieid athstid athguid athwpid athtvid athancid
athbdg athcgid athposb athena athasid athrk dspm share_token sessn_id srch_enter_source
top_gallery_url spec_gallery_id refer_source _bg_fs _p_rfs trkid tracking_id
""".lower().split())
TRACKING_PREFIXES = ("utm_", "pd_rd_", "pf_rd_", "_x_", "refer_page_", "aff_", "ga_",
                     "_trk", "mkt_", "_hs", "_oak_")


@lru_cache(maxsize=4096)
def is_tracking_param(name: str) -> bool:
    name = unquote_plus(name).strip().lower()
    return name in TRACKING_PARAMS or name.startswith(TRACKING_PREFIXES)


@lru_cache(maxsize=8)
def _as_is(safe: frozenset[str]) -> re.Pattern[str]:
    """Text that ``_requote`` leaves as it is: unreserved and ``safe`` characters, no escapes."""
    return re.compile("[" + re.escape("".join(sorted(_UNRESERVED | safe))) + "]*")


def _requote(part: str, safe: frozenset[str]) -> str:
    """Percent-escapes normalised: upper-case hex, unreserved decoded, rest encoded."""
    if _as_is(safe).fullmatch(part):  # most paths and queries: nothing to do
        return part
    out = []
    i, n = 0, len(part)
    while i < n:
        ch = part[i]
        if ch == "%" and _PCT.match(part, i):
            c = chr(int(part[i + 1:i + 3], 16))
            out.append(c if c in _UNRESERVED else "%" + part[i + 1:i + 3].upper())
            i += 3
            continue
        out.append(ch if ch in _UNRESERVED or ch in safe else quote(ch, safe=""))
        i += 1
    return "".join(out)


def _remove_dot_segments(path: str) -> str:
    if "." not in path:
        return path
    parts = path.split("/")
    out = [""]
    for i, seg in enumerate(parts[1:], start=1):
        last = i == len(parts) - 1
        if seg in (".", ".."):
            if seg == ".." and len(out) > 1:
                out.pop()
            if last:
                out.append("")
            continue
        out.append(seg)
    return "/".join(out) or "/"


def _query(query: str) -> str:
    pairs = []
    for part in query.split("&"):
        if not part:
            continue
        name, eq, value = part.partition("=")
        if is_tracking_param(name):
            continue
        name, value = _requote(name, _QUERY_SAFE), _requote(value, _QUERY_SAFE | {"="})
        pairs.append((name, f"{name}={value}" if eq else name))
    pairs.sort(key=lambda p: p[0])
    return "&".join(p for _, p in pairs)


def _host(authority: str) -> tuple[str | None, str | None, str | None]:
    """(host, port, reason) from ``user@host:port``."""
    hostport = authority.rpartition("@")[2]
    port = ""
    if hostport.startswith("["):
        host, _, rest = hostport[1:].partition("]")
        if rest and not rest.startswith(":"):
            return None, None, "invalid host"
        port = rest[1:]
        try:
            return f"[{ipaddress.IPv6Address(host).compressed}]", port, None
        except ValueError:
            return None, None, "invalid host"
    if ":" in hostport:
        hostport, _, port = hostport.rpartition(":")
    if is_ip(hostport):
        return str(ipaddress.ip_address(hostport)), port, None
    host = ascii_host(hostport)
    if host is None or not host:
        return None, None, "invalid host"
    if "." not in host or not TLD_LABEL.match(host.rsplit(".", 1)[1]):
        return None, None, "not a public host name"
    return host, port, None


def _strip(text: str) -> str:
    """Remove the quotes, brackets and punctuation that surround links in prose."""
    text = text.strip().lstrip("<\"'`([{").strip()
    text = text.rstrip(".,;:!?>\"'`")
    for open_, close in ("()", "[]", "{}"):
        while text.endswith(close) and text.count(close) > text.count(open_):
            text = text[:-1]
    return text.rstrip(".,;:!?")


def _canonical(text: str) -> tuple[str, str, str | None]:
    """(key, host, reason) for tidied text."""
    text = _strip(text)
    m = _HTTP.match(text)
    if m:
        scheme, rest = m.group(1).lower(), text[m.end():]
    elif text.startswith("//"):
        scheme, rest = "https", text[2:]
    else:
        m = _SCHEME.match(text)
        if m and "." not in m.group(1) and not text[m.end():m.end() + 1].isdigit():
            name = m.group(1).lower()
            return "", "", f"not a web url ({name}:)" if len(name) <= 12 else "not a web url"
        scheme, rest = "https", text
    cut = _AUTHORITY_END.search(rest)
    authority, rest = (rest[:cut.start()], rest[cut.start():]) if cut else (rest, "")
    if not authority or _SPACE.search(authority):
        return "", "", "not a url"
    host, port, why = _host(authority)
    if why:
        return "", "", why
    if port:
        if not port.isdigit() or not 0 < int(port) < 65536:
            return "", "", "invalid port"
        port = str(int(port))
    netloc = host if not port or port == _DEFAULT_PORT[scheme] else f"{host}:{port}"
    rest = rest.partition("#")[0].strip()
    path, _, query = rest.partition("?")
    path = _requote(path.replace("\\", "/"), _PATH_SAFE)
    path = _remove_dot_segments(path if path.startswith("/") else "/" + path)
    query = _query(query)
    return f"{scheme}://{netloc}{path}" + (f"?{query}" if query else ""), host, None


def _settle(key: str) -> tuple[str, str, str | None]:
    """Canonicalise again until nothing changes (defanging or stripping can reveal more to do)."""
    for _ in range(5):
        again, host, why = _canonical(defang(key))
        if why:
            return "", "", why
        if again == key:
            return key, host, None
        key = again
    return "", "", "not a stable url"


def clean_url(raw: str, hint: Hint | None = None) -> Cleaned:
    """'HTTPS://WWW.Example.com:443/a/../b?utm_source=x&b=2&a=1#top' -> 'https://www.example.com/b?a=1&b=2'."""
    text, why = tidy(raw)
    if why:
        return reject(why)
    key, host, why = _canonical(defang(text))
    if why:
        return reject(why)
    if key != text:  # a link already in canonical form is stable by construction (most are)
        key, host, why = _settle(key)
        if why:
            return reject(why)
    if len(key) > MAX_LEN:
        return reject("too long")
    domain = registrable_domain(host) if not is_ip(host) else None
    return accept(key, host=host, domain=domain or "")
