"""Store names from layouts more than from cue words: an e-mail's sender line whose display name is the sender's
address spelled out (``From: Glowfield Home Store <glowfield.home@…>``), a team signature (``Equipo X``,
``L'équipe X``, ``Das Team von X``), a web page title with a dash (``Legal Notice – X``, ``X — Contact``), German
imprints (``X – ein Shop der …``); and every later occurrence of a name already found (a store is named the same
way throughout a passage; a shorter match inside a longer known name gives way to it)."""

from __future__ import annotations

import re

from graph.clean import clean

from nlp.mention import Mention

_NAME = r"[A-Z0-9\u00c0-\u00de\u4e00-\u9fff][\w&'’.+\-\u4e00-\u9fff]*(?:[ ]{1,2}[\w&'’.+\-\u00c0-\u017f\u4e00-\u9fff]+){0,5}"
# 'From: Name <address>' in English, Spanish, French, German, Italian, Dutch, Chinese headers
_SENDER = re.compile(rf"(?m)^[ \t]*(?:From|De|Von|Da|Van|发件人|寄件者|發件人)[ \t]*[:：][ \t]*\"?(?P<name>{_NAME})\"?[ \t]*"
                     r"<(?P<addr>[^<>@\s]+@[^<>\s]+)>")
_STORE_WORD = re.compile(r"(?i:\b(?:store|shop|outlet|boutique|mall|direct|deals|official|supply|supplies|mart|market|"
                         r"depot|warehouse|wholesale|hub|factory|beauty|home|tienda|negozio|laden|winkel)\b)")
_TEAM = re.compile(rf"(?m)^[ \t]*(?:Equipo(?:[ \t]+de)?|El[ \t]+equipo[ \t]+de|L['’]équipe(?:[ \t]+de)?|Il[ \t]+team(?:[ \t]+di)?|"
                   rf"Das[ \t]+Team(?:[ \t]+von)?|Het[ \t]+team[ \t]+van|Team)[ \t]+(?P<name>{_NAME})[ \t]*$")
_NAV = (r"(?:Mentions[ \t]+légales|Legal[ \t]+Notice|Imprint|Impressum|Aviso[ \t]+legal|Note[ \t]+legali|"
        r"Shipping[ \t]*(?:&|and)[ \t]*(?:Tracking|Returns|Delivery)|Terms(?:[ \t]+(?:of|&)[ \t]+(?:Service|Sale|Use|"
        r"Conditions))?|Privacy(?:[ \t]+Policy)?|Datenschutz|CGV|Livraison|Contact(?:[ \t]+Us)?|About(?:[ \t]+Us)?|"
        r"Returns?(?:[ \t]+Policy)?|FAQs?|Kontakt|Contatti|Contacto|Chi[ \t]+siamo|Qui[ \t]+sommes-nous)")
_TITLE = re.compile(rf"(?m)^[ \t]*(?:{_NAV}[ \t]+[–—-][ \t]+(?P<n1>{_NAME})|(?P<n2>{_NAME})[ \t]+[–—-][ \t]+{_NAV})[ \t]*$")
_SHOP_OF = re.compile(r"[ \t]+[–—-][ \t]+(?:ein(?:e)?[ \t]+(?:Shop|Onlineshop|Online-Shop|Marke|Webshop)[ \t]+(?:der|des|von))\b")
_NOT_NAME = re.compile(r"(?i:^(?:the|our|your|this|customer|support|sales|info|service|team)\b)")
# a department or a platform's own desk, not a shop ('Temu Legal Support', 'Amazon Seller Notices')
_DESK = re.compile(r"\b(?:Legal|Support|Compliance|Department|Help[ ]?[Dd]esk|Service|Notices?|Disclosures?|Team|Abuse)\b")


def _tidy(name: str) -> str:
    """The name without trailing spaces and a sentence's final period (an abbreviation keeps its own: 'Co.')."""
    name = name.rstrip(" ")
    last = name.split()[-1] if name.split() else ""
    return name if re.fullmatch(r"[A-Z][a-z]{0,2}\.", last) else name.rstrip(" .")


def _store(start: int, name: str, rule: str, score: float) -> Mention:
    c = clean("name", name)
    return Mention(start, start + len(name), "STORE_NAME", name, value=name, key=c.key if c.ok else None,
                   node="Storefront" if c.ok else None, score=score, props={"rule": rule})


def _compact(text: str) -> str:
    return re.sub(r"[\W_]", "", text.lower())


def layout_stores(text: str) -> list[Mention]:
    """Store names that a sender line, a signature, a page title or an imprint's layout gives."""
    out = []
    if "<" in text and "@" in text:
        for m in _SENDER.finditer(text):
            name, words = _tidy(m.group("name")), m.group("name").split()
            addr = _compact(m.group("addr"))
            # the address spells the name out ('Zapatillas Outlet Madrid' <ventas@zapatillas-outlet-madrid.es>,
            # 'Glow Source Beauty' <glowsource.sales@…>): the sender is the shop, not a person
            spelled = len(words) >= 2 and _compact("".join(words[:2])) in addr
            if spelled and (len(words) >= 3 or _STORE_WORD.search(name)) and not _NOT_NAME.match(name) \
                    and not _DESK.search(name):
                out.append(_store(m.start("name"), name, "sender", 0.85))
    low = text.lower()
    for m in _TEAM.finditer(text) if "team" in low or "equipo" in low or "équipe" in low else ():
        name = _tidy(m.group("name"))
        if len(name.split()) >= 2 and not _NOT_NAME.match(name) and not _DESK.search(name):
            out.append(_store(m.start("name"), name, "team", 0.8))
    if "–" in text or "—" in text or " - " in text:
        for m in _TITLE.finditer(text):
            g = "n1" if m.group("n1") else "n2"
            name = _tidy(m.group(g))
            if not _NOT_NAME.match(name) and not re.fullmatch(_NAV, name) and not _DESK.search(name):
                out.append(_store(m.start(g), name, "page_title", 0.85))
    for m in _SHOP_OF.finditer(text) if " ein" in text else ():
        line = text.rfind("\n", 0, m.start()) + 1
        seg = text[line:m.start()]
        name = seg.strip()
        if 1 <= len(name.split()) <= 5 and re.fullmatch(_NAME, name):
            out.append(_store(line + len(seg) - len(seg.lstrip()), name, "shop_of", 0.85))
    return out


def _occurrences(text: str, name: str) -> list[int]:
    """Starts of ``name`` in ``text`` as a whole name (not inside a longer word, handle, e-mail or domain)."""
    out, pos, n = [], text.find(name), len(text)
    while pos >= 0:
        end = pos + len(name)
        before = text[pos - 1] if pos else " "
        after = text[end] if end < n else " "
        if not (before.isalnum() or before in "_@./-" or after.isalnum() or after in "_@-"
                or after == "." and end + 1 < n and text[end + 1].isalnum()):
            out.append(pos)
        pos = text.find(name, pos + 1)
    return out


def propagate(names: list[Mention], text: str) -> list[Mention]:
    """Every occurrence of a store name already found is that store too; a shorter name found inside a longer
    known one (``Zapatillas Outlet`` of ``Zapatillas Outlet Madrid``) gives way to the longer one."""
    known = sorted({m.text for m in names if m.label == "STORE_NAME" and len(m.text) >= 4}, key=len, reverse=True)
    if not known:
        return names
    out = list(names)
    for name in known:
        for s in _occurrences(text, name):
            e = s + len(name)
            clash = [k for k in out if k.start < e and s < k.end]
            if any(not (s <= k.start and k.end <= e and (k.end - k.start) < e - s and k.label == "STORE_NAME")
                   for k in clash):
                continue  # overlaps something that is not a shorter store name inside it
            out = [k for k in out if k not in clash]
            out.append(_store(s, name, "same_name", 0.8))
    return sorted(out, key=lambda m: m.start)
