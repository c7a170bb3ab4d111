"""Store names and company names: alias phrases ("operating as", "d/b/a"), quoted names after "store" /
"shop" / "seller", capitalised names ending in Store/Shop/Outlet, company names with a legal suffix
(Co., Ltd., LLC, GmbH, 有限公司). Cue lists are data: ``patterns/names.jsonl``."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from functools import lru_cache

from graph.clean import clean

from nlp.identifiers import marketplace_in
from nlp.mention import Mention
from nlp.patterns import lowered, read_jsonl
from nlp.store_names import layout_stores, propagate

_QUOTED = (r"(?:\"(?P<q1>[^\"\n]{2,60}?)\"|“(?P<q2>[^”\n]{2,60}?)”|‘(?P<q3>[^’\n]{2,60}?)’|"
           r"'(?P<q4>[^'\n]{2,60}?)'(?!\w)|「(?P<q5>[^」\n]{2,60}?)」|『(?P<q6>[^』\n]{2,60}?)』|«\s?(?P<q7>[^»\n]{2,60}?)\s?»)")
_QGROUPS = ("q1", "q2", "q3", "q4", "q5", "q6", "q7")


def _q(m: re.Match) -> str:
    return next(g for g in _QGROUPS if m.group(g) is not None)
_QUOTED_RX = re.compile(_QUOTED)
_QUOTED_BEFORE = re.compile(_QUOTED + r"\s*(?:store|shop|storefront|seller account|amazon store|ebay store|"
                            r"\((?:[a-z]+\s+){0,2}(?:merchant|seller|store|shop)\s*(?:id|no\.?|number|#)|"
                            r"on\s+(?:amazon|ebay|walmart|temu|aliexpress|etsy|dhgate|wish|shein)\b)")
# a quoted name followed by its marketplace id ('"KitchenArc" (Merchant ID A2…)', '"x" (DHgate store no. 2…)')
# or by the marketplace it is on ('"NorthShield Outerwear" on Amazon') names a storefront
_LIST_SEP = re.compile(r"\s*(?:,|/|、|;|\band\b|\bor\b)\s*(?:(?:and|or)\s+)?")
_RUN = re.compile(r"(?:[A-Z0-9\u00c0-\u00d6\u00d8-\u00de][\w&'’.+-]*(?:[ ]{1,2}(?=[A-Z0-9&\u00c0-\u00d6\u00d8-\u00de])|"
                  r"(?=[\s,.;:)!?]|$))){1,6}")  # capitalised words (also 'Époque', 'Ölwerk')
_CJK_RUN = re.compile(r"[\u4e00-\u9fff][\u4e00-\u9fff0-9A-Za-z]{1,19}(?=[\s,，。；;)）]|$)")
_VISIT = re.compile(r"\bVisit the ((?:[A-Z0-9][\w&'’.+-]*[ \t]+){1,5}?[A-Z0-9][\w&'’.+-]*)[ \t]+Store\b")
_SUFFIX_MORE = re.compile(r"[ \t](?:[\u4e00-\u9fff]{1,4}[行店铺舖]|EU|UK|USA|US|Italia|Deutschland|España|France|Europe|"
                          r"Official|Canada|Australia|AU|NZ|HK|Japan|Asia)"
                          r"(?![\w])")
_SPEAKER = re.compile(r"(?:seller|merchant|vendor|account|卖家|商家)\s*[:：]\s*")
_HANDLE_CUE = re.compile(r"(?:seller|vendor|user)\s*$")
_HANDLE = re.compile(r"(?=[^\s]*[_\d])[a-z0-9][a-z0-9_.-]{2,40}")  # lower case, no spaces, a digit or '_'
_NONSPACE = re.compile(r"\S+")
_NUMBERING = re.compile(r"\d+[.)]?")
_TOKEN = re.compile(r"[A-Z0-9(\u00c0-\u00d6\u00d8-\u00de][\w&'’.()+-]*|&|of|de|la|du|der|und|y")
_CONNECT = {"&", "of", "de", "la", "du", "der", "und", "y"}
_ENDS_NAME = re.compile(r"(?:Ltd|Inc|LLC|Limited|GmbH|Corp|Co)\.?,?")
_CJK = re.compile(r"[\u4e00-\u9fff（）()A-Za-z0-9]")
_CJK_STOP = set("的是由为與与和在：:，,、。；;「」“”\"'（(的被向从给将把及")


# '我们抖音小店叫“…”': a platform's kind of shop (抖音小店, 微店) or a shop word followed by its name is no name
_SHOP_TYPE = re.compile(r"(?:我们|我們|我哋|我的|他们|他們)?(?:的)?(?:抖音|快手|淘宝|淘寶|拼多多|微|网|網)?小?店")
_NAME_FOLLOWS = re.compile(r"\s*(?:叫|名叫|名字叫|名为|名為|是)?\s*[“\"「『]")
# a web page's title line: 'About Us | Name', 'Contact | Name', 'Name | Contact Us', '关于我们 | 名字'
_NAV = (r"(?i:About(?:[ \t]+Us)?|Contact(?:[ \t]+Us)?|Track(?:[ \t]+(?:Your|My))?[ \t]+Orders?|Shipping(?:[ \t]+Policy)?|"
        r"Returns?(?:[ \t]+Policy)?|FAQs?|Help|Home|Impressum|Mentions[ \t]+légales|Chi[ \t]+siamo|Contatti|"
        r"Kontakt|Sobre[ \t]+nosotros|Contacto|关于我们|關於我們|联系我们|聯絡我們|联系方式)")
_NAV_RX = re.compile(_NAV)
_TITLE_NAME = r"[A-Z0-9\u4e00-\u9fff][\w&'’.+\- \t\u4e00-\u9fff]{1,48}[\w\u4e00-\u9fff]"
_PAGE_TITLE = re.compile(rf"(?m)^[ \t]*(?:{_NAV}[ \t]*[|｜][ \t]*(?P<n1>{_TITLE_NAME})|(?P<n2>{_TITLE_NAME})[ \t]*[|｜][ \t]*"
                         rf"{_NAV})[ \t]*$")


# a shop introduced in a European-language imprint or about page: 'La boutique en ligne X', 'il negozio online X',
# 'la tienda online X', 'unser Online-Shop X'; and 'X – ein Angebot der' (German imprints), 'X Y è un marchio di'
# (two words or more: a one-word mark before it is usually a product brand)
_INTRO_WORDS = ("boutique", "negozio", "tienda", "online", "marchio", "angebot")  # one of them in every match
_INTRO = re.compile(r"(?:(?:la|notre|our)\s+boutique(?:\s+en\s+ligne)?|(?:il\s+(?:nostro\s+)?|our\s+)negozio(?:\s+online)?|"
                    r"(?:la|nuestra)\s+tienda(?:\s+online|\s+en\s+l[ií]nea)?|(?:der|unser)\s+online-?shop|"
                    r"our\s+online\s+(?:store|shop))\s+")  # run on lower-cased text
_BRAND_OF = re.compile(r"[ \t]+(?P<it>è\s+un\s+marchio\s+d[ie])\b|[ \t]+[–—-]\s+ein\s+angebot\s+(?:der|von)\b")
_LEGAL_WORDS = {"co", "company", "companies", "corp", "corporation", "corporations", "inc", "ltd", "limited", "llc",
                "the", "and", "individuals", "partnerships"}
_LIABILITY = re.compile(r"\s+(?:LIABILITY|[Ll]iability\s+[Pp]artnerships?\b|[Ll]iability\s+[Cc]ompanies)")
_WORD = re.compile(r"\w")
_COLUMN_GAP = re.compile(r"(?:   |\t)[ \t]*$")
_WORD_QUOTE = re.compile(r"[\w']")


def _after_non_word(regex: re.Pattern[str], text: str, before: re.Pattern[str]) -> Iterator[re.Match[str]]:
    """Exactly the matches of ``(?<!before)regex`` with ``finditer``: a match whose previous character is
    ``before`` is dropped and the search goes on from the next character."""
    pos = 0
    while True:
        m = regex.search(text, pos)
        if m is None:
            return
        if m.start() and before.match(text, m.start() - 1):
            pos = m.start() + 1
            continue
        yield m
        pos = m.end() if m.end() > m.start() else m.start() + 1


@lru_cache(maxsize=None)
def _cues() -> dict[str, re.Pattern[str] | frozenset[str]]:
    rows = {r["kind"]: r["pattern"] for r in read_jsonl("names.jsonl")}
    return {
        "alias": re.compile(rf"(?:{rows['alias_cue'].lower()})(?![a-z])\s*[:：]?\s*"),
        "store": re.compile(rf"(?:{rows['store_cue'].lower()})(?![a-z])\s*[:：,]?\s*"),
        # Chinese store cues (店铺, 卖家, 抖音小店, 门店, 店叫): their own regex, run on non-ASCII text only (CJK
        # first letters make the English cue regex slower on every text)
        "store_zh": re.compile(rf"(?:{rows['store_cue_zh']})(?![a-z])\s*[:：,]?\s*"),
        # suffix / legal: the look-behind is checked by _after_non_word (a pattern that begins with one is tried
        # at every position; without it the regex engine skips to the alternatives' first letters)
        "suffix": re.compile(rf"(?:{rows['store_suffix']})(?![\w])"),
        "suffix_zh": re.compile(rf"(?:{rows['store_suffix_zh']})"),
        "legal": re.compile(rf"(?:{rows['legal_suffix']})(?![\w])"),
        "legal_zh": re.compile(rf"(?:{rows['legal_suffix_zh']})"),
        "stop": frozenset(rows["name_stop"].split("|")),
    }


def _walk_back(text: str, end: int, limit: int = 7, stop: frozenset[str] | None = None) -> int | None:
    """Start of the run of capitalised tokens ending at ``end`` (one line, no stop words in front). A bracket
    closed inside the run is part of the name ('Airwallex (Hong Kong) Limited')."""
    line_start = text.rfind("\n", 0, end) + 1
    line_start = max(line_start, end - 300)  # a name is short: never rescan a huge line
    tokens = [(m.start(), m.end(), m.group(0)) for m in _NONSPACE.finditer(text, line_start, end)]
    start = None
    count = 0
    closed = False
    after = end
    for s, e, tok in reversed(tokens):
        gap = after - e
        if count and gap > 1 and (gap > 2 or "\t" in text[e:after]):
            break  # a column gap of a fixed-width table (3+ spaces or a tab): the cell ends here
        after = s
        bare = tok.rstrip(",")
        if tok.endswith(",") and count:
            break
        if bare.endswith(")") and "(" not in bare:
            closed = True
        elif (closed and ")" not in bare or bare.endswith(")")) and bare.startswith("(") and _TOKEN.fullmatch(bare) \
                and count < limit:  # '(Hong Kong)', '(HK)' inside a company name
            closed = False
            start = s
            count += 1
            continue
        if bare[:1] in "\"“‘'「«*_`(（" and _TOKEN.fullmatch(bare.lstrip("*_`\"“‘'「«(（") or "-") and count < limit:
            start = s + len(bare) - len(bare.lstrip("*_`\"“‘'「«(（"))  # after an opening quote / bracket
            break
        if not _TOKEN.fullmatch(bare) or count >= limit or _ENDS_NAME.fullmatch(tok):
            break
        start = s
        count += 1
    stop = _cues()["stop"] if stop is None else stop
    while start is not None:
        word = _NONSPACE.match(text, start, end)
        w = word.group(0).rstrip(",") if word else ""
        if w in stop or w.isupper() and w.title() in stop or w.lower() in _CONNECT or w.startswith("(") \
                or _NUMBERING.fullmatch(w):
            nxt = _NONSPACE.search(text, start + len(word.group(0)), end) if word else None
            start = nxt.start() if nxt else None
        else:
            break
    return start


def _companies(text: str) -> list[Mention]:
    out = []
    cues = _cues()
    for m in _after_non_word(cues["legal"], text, _WORD):
        before = text[:m.start()].rstrip(" ,")
        start = _walk_back(text, len(before), stop=_company_stop())  # 'Walmart Inc.', 'Amazon Payments, Inc.'
        if start is None or start >= m.start():
            continue
        name = text[start:m.end()]
        if name.endswith(".") and m.end() < len(text) and not re.match(r"(?:Co|Ltd|Inc|Corp|L\.L\.C|Pty|S\.A|"
                                                                    r"B\.V|S\.L|e\.K|o\.o|S\.r\.l|S\.p\.A|Bhd|Kft|Zrt|Ltda|s\.r\.o|K\.K|N\.V|S\.A\.U)\.$",
                                                                    name[-6:].split()[-1] if name.split() else ""):
            name = name[:-1]
        if len(re.sub(r"\W", "", name[:start - start + len(name) - len(m.group(0))])) < 2:
            continue
        words = set(re.findall(r"[^\W\d_]+", name[:len(name) - len(m.group(0))].lower()))
        if not words - _LEGAL_WORDS or _LIABILITY.match(text, m.end()):
            continue  # 'CO LTD' alone, 'CORPORATIONS, LIMITED LIABILITY COMPANIES' (a caption): no company
        out.append(_company(start, start + len(name), name))
    for m in cues["legal_zh"].finditer(text):
        start = m.start()
        while start > 0 and m.start() - start < 30 and _CJK.match(text[start - 1]) and text[start - 1] not in _CJK_STOP:
            start -= 1
        if m.start() - start >= 2:
            out.append(_company(start, m.end(), text[start:m.end()]))
    return out


@lru_cache(maxsize=1)
def _company_stop() -> frozenset[str]:
    """Stop words before a company name: a marketplace's name may begin one (the platforms' own companies)."""
    return _cues()["stop"] - _MARKETPLACE_WORDS


_MARKETPLACE_WORDS = frozenset({"Amazon", "eBay", "Walmart", "Temu", "AliExpress", "Etsy", "DHgate", "Shein", "Wish",
                                "Google", "Apple"})


def _company(start: int, end: int, name: str) -> Mention:
    c = clean("seller", name)
    return Mention(start, end, "COMPANY", name, value=name, key=c.key if c.ok else None,
                   node="Seller" if c.ok else None)


def _store(start: int, end: int, text: str, rule: str, score: float = 1.0) -> Mention:
    c = clean("name", text)
    return Mention(start, end, "STORE_NAME", text, value=text, key=c.key if c.ok else None,
                   node="Storefront" if c.ok else None, score=score, props={"rule": rule})


def _handle(m: Mention, text: str) -> Mention:
    """A quoted seller handle as the SELLER_ID it is (keyed on the marketplace the passage names)."""
    market = marketplace_in(text)
    c = clean("storefront", m.text, {"marketplace": market}) if market else clean("storefront", m.text)
    return Mention(m.start, m.end, "SELLER_ID", m.text, value=m.text, key=c.key if c.ok else None,
                   node="Storefront" if c.ok else None, props={"rule": "quoted_handle"})


def _after_cue(text: str, pos: int, quoted_only: bool, rule: str) -> list[Mention]:
    out = []
    while True:
        q = _QUOTED_RX.match(text, pos)
        if q:
            g = _q(q)
            name = q.group(g).strip()
            s = q.start(g) + (len(q.group(g)) - len(q.group(g).lstrip()))
            if name and not name.lower().startswith(("http", "www")) and "@" not in name:
                out.append(_store(s, s + len(name), name, rule))
            sep = _LIST_SEP.match(text, q.end())
            if not sep or not _QUOTED_RX.match(text, sep.end()):
                break
            pos = sep.end()
            continue
        if quoted_only:
            break
        cjk = _CJK_RUN.match(text, pos)
        if cjk:
            out.append(_store(cjk.start(), cjk.end(), cjk.group(0), rule, 0.9))
            break
        run = _RUN.match(text, pos)
        if run and run.group(0).strip():
            name = run.group(0).strip().rstrip(".,")
            if name.split()[0] not in _cues()["stop"] and not _cues()["legal"].search(name):
                out.append(_store(run.start(), run.start() + len(name), name, rule, 0.9))
        break
    return out


def _stores(text: str) -> list[Mention]:
    cues = _cues()
    out = []
    low = lowered(text)  # cue words are matched on lower-cased text (same offsets)
    for m in cues["alias"].finditer(low):
        if _COLUMN_GAP.search(m.group(0)):
            continue  # 'Seller Alias      Marketplace': a table header, the next column is no name
        if not (m.start() and low[m.start() - 1].isascii() and low[m.start() - 1].isalpha()):
            out.extend(_after_cue(text, m.end(), False, "alias"))
    zh = () if text.isascii() else cues["store_zh"].finditer(low)
    for m in itertools.chain(cues["store"].finditer(low), zh):
        if not (m.start() and low[m.start() - 1].isascii() and low[m.start() - 1].isalpha()):
            keyed = m.group(0).rstrip()[-1:] in ":：" and not _SPEAKER.fullmatch(m.group(0))
            # 'Seller display name: Nordic Pine Living', '店铺：阿福…' (not 'Seller:' / '卖家:', a handle or a speaker)
            found = _after_cue(text, m.end(), not keyed, "keyed" if keyed else "quoted")
            if _HANDLE_CUE.match(m.group(0)):  # 'DHgate seller "luxtime_factory"': a seller handle
                found = [_handle(x, text) if _HANDLE.fullmatch(x.text) else x for x in found]
            out.extend(found)
    if any(w in low for w in _INTRO_WORDS):
        for m in _INTRO.finditer(low):  # 'la boutique en ligne Maridel Paris Soldes (www…)'
            if not (m.start() and low[m.start() - 1].isalpha()):
                out.extend(_after_cue(text, m.end(), False, "intro"))
        for m in _BRAND_OF.finditer(low):  # 'Aurelle Moda Italia è un marchio di …': the name before the phrase
            start = _walk_back(text, m.start())
            words = len(text[start:m.start()].split()) if start is not None else 0
            if start is not None and start < m.start() and words <= 5 and (words >= 2 or not m.group("it")):
                name = text[start:m.start()].rstrip(" ,–—-")
                if name and not _cues()["legal"].search(name):
                    out.append(_store(start, start + len(name), name, "brand_of", 0.85))
    for m in _VISIT.finditer(text) if "Visit the" in text else ():  # Amazon's link 'Visit the Acme Store'
        out.append(_store(m.start(1), m.end(1), m.group(1), "visit"))
    for m in _QUOTED_BEFORE.finditer(low):  # case-insensitive: lower-cased text, the name from the text
        g = _q(m)
        name = text[m.start(g):m.end(g)].strip()
        out.append(_store(m.start(g), m.start(g) + len(name), name, "quoted_before"))
    for m in _after_non_word(cues["suffix"], text, _WORD_QUOTE):
        start = _walk_back(text, m.start())
        if start is None or start >= m.start():
            continue
        end = m.end()
        more = _SUFFIX_MORE.match(text, end)  # 'HK Watch Hub 錶行', 'Borse Maridel Outlet Italia'
        end = more.end() if more else end
        name = text[start:end]
        if len(name.split()) < 2:
            continue
        if m.group(0).isupper() and not _caps_heading(text, start, name):
            continue
        out.append(_store(start, end, name, "suffix", 0.8))
    for m in cues["suffix_zh"].finditer(text):
        start = m.start()
        while start > 0 and m.start() - start < 12 and _CJK.match(text[start - 1]) and text[start - 1] not in _CJK_STOP:
            start -= 1
        if m.start() - start >= 2 and not _SHOP_TYPE.fullmatch(text, start, m.end()) \
                and not _NAME_FOLLOWS.match(text, m.end()):
            out.append(_store(start, m.end(), text[start:m.end()], "suffix_zh", 0.8))
    for m in _PAGE_TITLE.finditer(text) if " | " in text or "｜" in text else ():
        name = m.group("n1") or m.group("n2")
        s = m.start("n1") if m.group("n1") else m.start("n2")
        if _NAV_RX.fullmatch(name):
            continue  # '关于我们 | 联系我们': two navigation words
        out.append(_store(s, s + len(name), name, "page_title", 0.85))
    return out


def _caps_heading(text: str, start: int, name: str) -> bool:
    """An all-capitals store name ('NORDIC PINE OUTLET') only as a heading: at the start of its line, at most
    four words, none of them a stop word (capitals are also how court captions and notices shout)."""
    words = name.split()
    return not text[text.rfind("\n", 0, start) + 1:start].strip() and len(words) <= 4 \
        and not any(w.title() in _cues()["stop"] for w in words)


def extract_names(text: str) -> list[Mention]:
    """Company and store-name mentions; a name found by several rules is reported once."""
    companies = _companies(text)
    stores = [s for s in _stores(text) + layout_stores(text)
              if not any(c.start <= s.start and s.end <= c.end for c in companies)]
    chosen: list[Mention] = []
    for m in sorted(companies + stores, key=lambda m: (-m.score, -(m.end - m.start))):
        if all(m.end <= k.start or k.end <= m.start for k in chosen):
            chosen.append(m)
    return propagate(sorted(chosen, key=lambda m: m.start), text)
