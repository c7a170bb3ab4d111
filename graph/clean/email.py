"""E-mail addresses: raw text in, the lower-cased address out.

Accepts ``mailto:`` links, ``Name <addr>``, full-width characters, zero-width
characters and the usual obfuscations (``name [at] shop [dot] com``,
``name(at)shop.com``, ``name@shop[.]com``). The key is the lower-cased address
with the domain in ASCII (punycode). Provider folding (Gmail ignores dots;
``+tag`` sub-addresses everywhere) is the ``match_key`` prop, never the key.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote

from graph.clean import Cleaned, Hint, accept, reject
from graph.clean.domain import TLD_LABEL, ascii_host, is_ip, tidy

_MAILTO = re.compile(r"^\s*mailto\s*:\s*", re.I)
_LABEL = re.compile(r"^\s*e-?mail(?:\s*address)?\s*[:：]\s*", re.I)
_OPEN, _CLOSE = r"[\[({<]", r"[\])}>]"
_AT = re.compile(rf"\s*{_OPEN}\s*(?:at|@)\s*{_CLOSE}\s*", re.I)
_DOT = re.compile(rf"\s*{_OPEN}\s*(?:dot|\.)\s*{_CLOSE}\s*", re.I)
_WORD_AT = re.compile(r"\s+at\s+", re.I)
_WORD_DOT = re.compile(r"\s+dot\s+", re.I)
_ANGLE = re.compile(r"<([^<>]*@[^<>]*)>")
_SEPARATORS = re.compile(r"[\s,;]+")
_PLAIN = re.compile(r"[A-Za-z0-9._%+-]*@[A-Za-z0-9._%+@-]*")
_PUNCT = "\"'`.,;:!?()[]{}<>*|/\\“”‘’«»「」『』【】〈〉《》"
# RFC 5322 dot-atom characters; non-ASCII letters allowed (SMTPUTF8).
_ATOM = re.compile(r"^[\w!#$%&'*+/=?^`{|}~-]+$")
_GMAIL = {"gmail.com", "googlemail.com"}


def _deobfuscate(text: str) -> str:
    text = _AT.sub("@", text)
    text = _DOT.sub(".", text)
    if "@" not in text and _WORD_AT.search(text):
        text = _WORD_DOT.sub(".", _WORD_AT.sub("@", text))
    return text


def _candidate(text: str) -> tuple[str, str | None]:
    """The one address-looking token in ``text``."""
    if _PLAIN.fullmatch(text):  # no label, mailto:, brackets, "at"/"dot" words or second address to undo
        return text.strip(_PUNCT), None
    text = _LABEL.sub("", text)
    if _MAILTO.match(text):
        text = unquote(_MAILTO.sub("", text).partition("?")[0])
    text = _deobfuscate(text)
    angled = _ANGLE.findall(text)
    if len(angled) == 1:
        text = angled[0]
    tokens = [t.strip(_PUNCT) for t in _SEPARATORS.split(text)]
    tokens = [t for t in tokens if "@" in t]
    if not tokens:
        return "", "not an e-mail address"
    if len(tokens) > 1:
        return "", "more than one e-mail address"
    return tokens[0], None


def _fold_local(local: str) -> str:
    for _ in range(3):  # lower() and NFKC can feed each other; settle the result
        folded = unicodedata.normalize("NFKC", local.lower())
        if folded == local:
            break
        local = folded
    return local


def clean_email(raw: str, hint: Hint | None = None) -> Cleaned:
    """'Sales Dept <Sales.Dept+promo@GMail.com>' -> 'sales.dept+promo@gmail.com'."""
    text, why = tidy(raw, limit=2000)
    if why:
        return reject(why)
    token, why = _candidate(text)
    if why:
        return reject(why)
    if token.count("@") > 1:
        return reject("two @")
    local, _, domain = token.partition("@")
    if not local:
        return reject("no local part")
    if not domain:
        return reject("no domain")
    local = _fold_local(local)
    if (len(local) > 64 or local.startswith(".") or local.endswith(".") or ".." in local
            or not all(_ATOM.match(a) for a in local.split("."))):
        return reject("invalid local part")
    if is_ip(domain.strip("[]")):  # address literal, user@[10.0.0.1]
        return reject("an IP address as domain")
    host = ascii_host(domain)
    if host is None:
        return reject("invalid domain")
    if "." not in host or not TLD_LABEL.match(host.rsplit(".", 1)[1]):
        return reject("domain without a valid top-level domain")
    key = f"{local}@{host}"
    if len(key) > 254:
        return reject("too long")
    return accept(key, match_key=_match_key(local, host), domain=host)


def _match_key(local: str, host: str) -> str:
    """Provider folding: drop ``+tag``; Gmail also ignores dots. '' when unchanged."""
    base = local.split("+", 1)[0] or local
    folded_host = host
    if host in _GMAIL:
        base = base.replace(".", "") or base
        folded_host = "gmail.com"
    folded = f"{base}@{folded_host}"
    return folded if folded != f"{local}@{host}" else ""
