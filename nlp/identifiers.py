"""Identifier mentions: shapes from ``patterns/identifiers.jsonl``, cue-led values (``PayPal: …``,
``WeChat: …``, ``Merchant ID …``, ``tracking no. …``) from ``patterns/cues.jsonl``, every value checked by the
graph's own cleaner (a value the graph would reject is not reported as an identifier)."""

from __future__ import annotations

import re

from graph.clean import clean
from graph.clean.marketplace import clean_listing, clean_marketplace_name, clean_storefront

from nlp.chats import labelled_numbers, social_handles, speaker_ids
from nlp.mention import Mention
from nlp.payees import (alternative_handles, chat_numbers, iban_value, payee_emails, payment_value, provider_before,
                        remitted_accounts)
from nlp.patterns import Cue, country_near, cue_before, find_countries, find_cues, identifier_patterns, lowered
from nlp.storefronts import storefront_key
from nlp.tracking import VALUE as TRACKING_VALUE
from nlp.tracking import check_digits, tracking_ok

_TRAIL = ".,;:!?'\"*>’”»"
_FILE_TLDS = {"pdf", "jpg", "jpeg", "png", "gif", "doc", "docx", "xls", "xlsx", "csv", "txt", "htm", "html", "eml",
              "msg", "zip", "rar", "mov", "mp4", "json", "xml", "ltd", "inc", "llc", "gmbh", "corp", "exe", "md", "py"}
_RESERVED_TLDS = {"example", "test", "invalid", "localhost"}
_FILLER = re.compile(r"(?:[\s:：#=\-–—(（\[,]|\b(?:is|are|was|id|no\.?|number|account|acct|username|user|handle|to|at|"
                     r"of|under|name|e-?mail|address|merchant|customer|payee|the|on|via|by|code|al|me|us)\b|收款|账号|账户|号码|號碼|"
                     r"識別碼|识别码|号)*",
                     re.I)
_VALUES = {
    "payment": re.compile(r"[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}(?:\s?(?:\[dot\]|\(dot\))\s?[\w.+-]+){0,3}"
                          r"\s?(?:@|\[at\]|\(at\))\s?[A-Za-z0-9-]+(?:(?:\.|\s?(?:\[dot\]|\(dot\)|\[\.\])\s?)"
                          r"[A-Za-z0-9-]+)+|[A-Za-z0-9._-]{2,64}@[A-Za-z]{2,20}(?![\w.@])|acct_[A-Za-z0-9]{8,32}"
                          r"|[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?|\+?\d(?:[\d -]{4,30}\d)(?![A-Za-z\d])"
                          r"|(?=[A-Za-z._-]*\d)[A-Za-z0-9][A-Za-z0-9._-]{3,40}[A-Za-z0-9]"),
    "messenger": re.compile(r"live:[.\w:-]{4,40}|\+?\(?\d[\d ().-]{5,20}\d|@?[A-Za-z][A-Za-z0-9_.-]{3,31}[A-Za-z0-9]"
                            r"|\d{5,12}"),
    "seller_id": re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{2,40}[A-Za-z0-9]|[\u4e00-\u9fff]{2,8}"),
    "tracking": TRACKING_VALUE,
    "pixel": re.compile(r"\d{15,16}(?!\w)|C[A-Z0-9]{19}(?![A-Za-z0-9])"),  # Meta: digits; TikTok: C + 19
}
_LEGAL_AFTER = re.compile(r",?[ \t]+(?:Co\.|Inc\b|Ltd\b|LLC\b|Limited\b|GmbH\b|Corp\b|S\.A\.|S\.r\.l\.|B\.V\.|Pte\b|"
                          r"Pty\b|有限公司)")
_TAG_VALUE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{1,40}[A-Za-z0-9]")
_STOP_IDS = {"account", "number", "details", "support", "contact", "please", "message", "the", "this", "that", "with",
             "from", "only", "also", "before", "after", "and", "for", "same", "their", "seller", "store", "which",
             "payments", "payment", "business", "transfer", "instead", "used", "listed", "linked", "registered"}
_PRIORITY = {"STORE_URL": 9, "URL": 9, "EMAIL": 8, "ADDRESS": 7, "PAYMENT": 6, "TAG_ID": 6, "IP": 6,
             "TRACKING": 5, "MESSENGER": 5, "PHONE": 4, "SELLER_ID": 4, "DOMAIN": 3}
DOUBLE = {frozenset({"EMAIL", "PAYMENT"}), frozenset({"PHONE", "MESSENGER"}), frozenset({"PHONE", "PAYMENT"}),
          frozenset({"EMAIL", "MESSENGER"})}
_CARD = re.compile(r"card|statement|charge|descriptor|acquir|刷卡|账单", re.I)
_NON_DIGIT = re.compile(r"\D")
_WWW = re.compile(r"www(?:\.|\[\.\])", re.I)
_PATH = re.compile(r"/.")
_DOTS = re.compile(r"\.|\[\.\]|\(\.\)|\[dot\]|\(dot\)")
_OBF_DOTS = re.compile(r"\[\.\]|\(\.\)|\[dot\]|\(dot\)")
_LABEL_REST = re.compile(r"[A-Za-z]+(?:[ \t]+[A-Za-z]+){0,2}[ \t]*(?:[:：](?![^\s])[ \t]*|：)")
# ('live:.cid.3e9…', a Skype id, has no space after its colon: not a label)
_PHONE_SLASH = re.compile(r"(?:tel|phone|mobile|cell)\.?/$", re.I)
_TITLE_NEXT = re.compile(r"[ \t]+[A-Z][a-z]")
_EXPLICIT_GAP = re.compile(r"[:：#=]|\bid\b|\bno\b", re.I)
_ID_CHAR = re.compile(r"[\d_@]")
_VERSION_BEFORE = re.compile(r"(?:\bapp|android|ios|version|ver\.?|build|firmware|chrome|safari|firefox|edge|"
                             r"client)[ \t]*$", re.I)
# a shop's own sub-domain on the Chinese platforms: <shop>.1688.com, <shop>.taobao.com, <shop>.tmall.com
_CN_SHOP_HOST = re.compile(r"(?!(?:www|m|s|detail|item|login|search|list|world|global|h5|work|air|mall)\.)"
                           r"([a-z0-9][a-z0-9-]{1,62})\.(1688|taobao|tmall)\.com$")
_MARKETS = re.compile(r"amazon|ebay|aliexpress|walmart|temu|dhgate|etsy|shein|wish|速卖通|亚马逊|敦煌|bol\.com|shopee|"
                      r"lazada|allegro|rakuten|mercado\s?libre|taobao|淘宝|tmall|天猫|拼多多|pinduoduo", re.I)


def marketplace_in(text: str) -> str:
    """The marketplace a passage names first ('amazon', 'ebay', …), else ''."""
    m = _MARKETS.search(text)
    word = m.group(0).lower() if m else ""
    return {"速卖通": "aliexpress", "亚马逊": "amazon", "敦煌": "dhgate", "淘宝": "taobao", "天猫": "tmall",
            "拼多多": "pinduoduo"}.get(word, word)


def _trim(text: str, start: int, end: int) -> int:
    """End of a URL without the punctuation that closes the sentence or an unbalanced bracket."""
    while end > start:
        ch = text[end - 1]
        if ch in _TRAIL:
            end -= 1
        elif ch in ")]}）" and text.count({")": "(", "]": "[", "}": "{", "）": "（"}[ch], start, end) < \
                text.count(ch, start, end):
            end -= 1
        else:
            break
    return end


def _hint_country(countries, pos: int) -> dict[str, str]:
    cc = country_near(countries, pos)
    return {"country": cc} if cc else {}


def _phone(text: str, m: Mention, countries, cued: bool) -> Mention | None:
    raw = m.text
    digits = _NON_DIGIT.sub("", raw)
    if not 7 <= len(digits) <= 15:
        return None
    tries = [_hint_country(countries, m.start)] if countries else []
    tries += [{}] if raw.startswith("+") else [{"country": "US"}, {"country": "CN"}]
    for hint in tries:
        c = clean("phone", raw, hint)
        if c.ok:
            m.value, m.key, m.node = c.key, c.key, "Phone"
            if raw.startswith("+") or hint.get("country") == (countries and _hint_country(countries, m.start)
                                                              .get("country")):
                return m
            if not countries:  # valid only with a guessed country: keep the digits as written, no node
                m.value, m.key, m.node = digits, None, None
                return m if cued or len(digits) >= 10 else None
    if cued:
        m.value = digits
        return m
    return None


_PHONE_ACCOUNTS = ("payme", "alipay", "wechatpay", "fps", "bizum")  # accounts that are a phone number
_EBAY_USER = re.compile(r"user|\bid\b", re.I)
_PROSE_WORDS = {"since", "who", "whose", "with", "was", "is", "has", "had", "named", "called", "profile", "page", "name",
                "names", "ids", "which", "that", "and", "or", "in", "on", "of", "for", "a", "an"}
_TAG_PROVIDERS = ("venmo", "cashapp", "revolut")
_PROVIDER_COUNTRY = {"bizum": "ES", "payme": "HK", "fps": "HK"}  # services of one country
_QUOTED_WORDS = re.compile(r"[ \t]+[\w&'’.-]+(?:[ \t]+[\w&'’.-]+)*[\"”’」]")
_LINE_LEAD = re.compile(r"(?:^|[\n|,;/(（]|\s\s)[ \t]*l", re.I)
_NEGATABLE = {"PHONE", "SELLER_ID", "TRACKING", "PAYMENT", "IP"}


def _candidates(text: str, cues: list[Cue], countries) -> list[Mention]:
    out: list[Mention] = []
    low = lowered(text)
    kinds = {c.kind for c in cues}
    negatives = "negative" in kinds
    for p in identifier_patterns():
        if p.gate and not any(g in low for g in p.gate) or p.cue and p.cue not in kinds:
            continue  # no match possible: the pattern is not run
        for rm in p.finditer(low if p.lower else text):
            start, end = rm.span()
            if p.label == "URL":
                end = _trim(text, start, end)
            if negatives and p.label in _NEGATABLE and p.id != "iban" and \
                    cue_before(cues, text, start, ("negative",), 22) is not None:
                continue
            if p.cue and cue_before(cues, text, start, (p.cue,), 30) is None:
                continue
            m = Mention(start, end, p.label, text[start:end], props={"rule": p.id})
            if p.near and not p.near.search(text, max(0, start - 80), start):
                continue
            if any(k.label == p.label and k.start <= start and end <= k.end for k in out):
                continue  # inside a longer one of its kind ('138 4111 4025' of '+86 138 4111 4025'): it loses
            kept = _validate(text, m, p.id, cues, countries)
            if kept is not None:
                out.append(kept)
    out.extend(_cued_values(text, cues, countries))
    return out


def _validate(text: str, m: Mention, rule: str, cues, countries) -> Mention | None:
    label = m.label
    if label == "EMAIL":
        c = clean("email", m.text)
        if not c.ok:
            return None
        m.value, m.key, m.node = c.key, c.key, "Email"
        if "@" not in m.text:
            m.props["obfuscated"] = "yes"
        return m
    if label == "URL":
        if rule == "bare_url" and (m.text.split("/", 1)[0].rsplit(".", 1)[-1].lower() in _FILE_TLDS
                                   or not clean("domain", m.text.split("/", 1)[0]).ok):
            return None  # 'main.py/…', 'notes.txt/…': a file name, not a host; a host must be a real domain
        c = clean("url", m.text)
        if not c.ok:
            return None  # the storefront and listing cleaners parse the URL the same way: they fail too
        if clean_marketplace_name(c.props.get("host") or ""):  # only a marketplace host has store / listing ids
            s = clean_storefront(m.text)
            if s.ok and not s.key.startswith("web:"):
                m.label, m.value, m.key, m.node = "STORE_URL", s.props.get("url", m.text), s.key, "Storefront"
                return m
            li = clean_listing(m.text)
            if li.ok and not li.key.startswith("web:"):
                m.label, m.value, m.key, m.node = "STORE_URL", m.text, li.key, "Listing"
                return m
        shop = _CN_SHOP_HOST.match(c.props.get("host") or "")
        if shop and not _PATH.search(c.key.partition("://")[2]):  # 'https://buyunxieye.1688.com/': a shop's home
            s = clean("storefront", shop.group(1), {"marketplace": shop.group(2)})
            if s.ok:
                m.label, m.value, m.key, m.node = "STORE_URL", m.text, s.key, "Storefront"
                return m
        other = storefront_key(c.props.get("host") or "", m.text)
        if other:  # a shop / item page of a marketplace the URL cleaner has no rule for ('shopee.tw/<shop>')
            m.label, m.value, (m.key, m.node) = "STORE_URL", m.text, other
            return m
        if _WWW.match(m.text) and not _PATH.search(m.text):
            m.label = "DOMAIN"  # a bare host name (www.…) with no scheme and no path is a domain
            return _validate(text, m, "domain", cues, countries)
        d = clean("domain", c.props.get("domain") or c.props.get("host") or "")
        m.value, m.key, m.node = c.key, (d.key if d.ok else None), ("Domain" if d.ok else None)
        return m
    if label == "DOMAIN":
        tld = _DOTS.split(m.text.lower())[-1]
        if tld in _FILE_TLDS:
            return None
        if m.text[:1].isupper() and m.text[1:].split(".")[0].islower() and "." in m.text and len(tld) > 3:
            return None
        if _LEGAL_AFTER.match(text, m.end):
            return None  # 'Alipay.com Co., Ltd.', 'Shop.com, Inc.': part of a company's name
        c = clean("domain", m.text)
        if not c.ok:
            host = _OBF_DOTS.sub(".", m.text.lower())
            if tld not in _RESERVED_TLDS or host.count(".") < 1:
                return None
            # documentation / test names (RFC 2606): not in the public-suffix list, but real in evidence files
            m.value, m.key, m.node = host, ".".join(host.split(".")[-2:]), "Domain"
            return m
        m.value, m.key, m.node = c.props.get("host", c.key), c.key, "Domain"
        return m
    if label == "PHONE":
        cued = cue_before(cues, text, m.start, ("phone", "messenger"), 30) is not None
        return _phone(text, m, countries, cued)
    if label == "PAYMENT":
        c = clean("payment", m.text)
        if rule == "iban":
            return iban_value(m)
        if not c.ok:
            return None
        m.value, m.key, m.node = c.props.get("account", c.key), c.key, "PaymentAccount"
        m.props["provider"] = c.props.get("provider", "")
        return m
    if label in ("TAG_ID", "IP"):
        if label == "IP" and _VERSION_BEFORE.search(text, max(0, m.start - 24), m.start):
            return None  # 'Android app 8.41.0.100', 'Chrome 120.0.6099.71': a version number
        c = clean("infrastructure", m.text)
        if not c.ok:
            return None
        m.value, m.key, m.node = m.text if label == "TAG_ID" else c.key.split(":", 1)[1], c.key, "Infrastructure"
        return m
    if label == "TRACKING":
        code = m.text.replace(" ", "")
        if not tracking_ok(code, cue_before(cues, text, m.start, ("tracking",), 30) is not None):
            return None
        m.value, m.key, m.node = code, f"tracking:{code}", "Infrastructure"
        m.props.update(check_digits(code))
        return m
    if label == "SELLER_ID":
        c = clean("storefront", m.text, {"marketplace": "amazon"})
        if not c.ok:
            return None
        m.value, m.key, m.node = m.text, c.key, "Storefront"
        return m
    return m


def _cued_values(text: str, cues: list[Cue], countries) -> list[Mention]:
    """Values right after a cue word: 'PayPal: x@y.com', 'WeChat ID sunny_88', 'Merchant ID A1B2…'."""
    out = []
    for cue in cues:
        if cue.kind not in _VALUES:
            continue
        f = _FILLER.match(text, cue.end)
        pos = f.end() if f else cue.end
        label = _LABEL_REST.match(text, pos)  # 'Seller ID on the invoice: A1…': the value follows the colon
        if label and pos - cue.end + label.end() - pos <= 40:
            pos = label.end()
        explicit = cue.explicit or cue.id == "user" or bool(_EXPLICIT_GAP.search(text, cue.end, pos))
        if pos - cue.end > 30:
            continue
        tagged = cue.id in _TAG_PROVIDERS and text[pos:pos + 1] in "@$" and text[pos + 1:pos + 2].isalnum()
        if tagged:
            pos += 1  # 'Venmo @lucy-kim22', 'Cash App $lucykim': the account is the name after the @ / $
            explicit = True
        quoted = text[pos:pos + 1] in "\"'“‘「"
        if quoted:
            pos += 1
            explicit = True
        vm = (_TAG_VALUE if tagged else _VALUES[cue.kind]).match(text, pos)
        if not vm:
            continue
        value = vm.group(0)
        end = pos + len(value)
        end = _trim(text, pos, end)
        value = text[pos:end]
        if not value or value.lower().lstrip("@") in _STOP_IDS:
            continue
        if cue.id == "ebay" and value.islower() and _EBAY_USER.search(text, cue.start, cue.end) and \
                value not in _PROSE_WORDS:
            explicit = True  # 'eBay user glacier-wear': eBay shows user ids in lower case
        if not explicit and not _ID_CHAR.search(value):
            continue
        if quoted and _QUOTED_WORDS.match(text, end):
            continue  # 'Seller: "Kitchen Peak Store"': a quoted name of several words, not an id
        if cue.id == "line" and cue.end - cue.start == 4 and not _LINE_LEAD.search(text, max(0, cue.start - 3), cue.start + 1):
            continue  # 'LINE: x' opens a line or follows a separator ('Product line: …' is prose)
        if cue.kind == "payment":
            m = payment_value(text, pos, end, value, cue)
            if m is not None and cue.id in _PHONE_ACCOUNTS and re.fullmatch(r"\+?[\d ()-]{7,20}",
                                                                                                  value):
                home = _PROVIDER_COUNTRY.get(cue.id)  # Bizum is Spanish, FPS / PayMe Hong Kong services
                ph = _phone(text, Mention(pos, end, "PHONE", value), [(pos, home)] if home else countries, True)
                if ph is not None and ph.key:
                    out.append(ph)
        elif cue.kind == "messenger":
            if not _ID_CHAR.search(value) and _TITLE_NEXT.match(text, end):
                continue  # '[Telegram: Dropship Deals EU]': a group or person name, not a handle
            more = alternative_handles(text, end, cue)
            out.extend(more)
            if more and _PHONE_SLASH.search(text, max(0, cue.start - 12), cue.start):
                continue  # 'Tel/WeChat: +86 … / amy_bags': the number is the Tel, the handle the WeChat
            if value.startswith("@"):  # a Telegram handle is the name after the @
                pos, value = pos + 1, value[1:]
            m = Mention(pos, end, "MESSENGER", value, props={"app": cue.id})
            m.value = value.lstrip("@") if not value[:1] in "+0123456789" else re.sub(r"[^\d+]", "", value)
            m.key, m.node = f"{cue.id}:{m.value.lower()}", "Infrastructure"
            if cue.id == "whatsapp" or (re.fullmatch(r"\+?[\d ().-]+", value) and cue.id != "qq"):
                ph = _phone(text, Mention(pos, end, "PHONE", value), countries, True)
                if ph is not None:
                    out.append(ph)
                    if ph.key:
                        m.value, m.key = ph.key, f"{cue.id}:{ph.key}"
        elif cue.kind == "seller_id":
            if cue.id == "marketplace":
                word = text[cue.start:cue.end].lower()
                market = next((k for k, w in (("aliexpress", "aliexpress"), ("dhgate", "dhgate"), ("walmart", "walmart"),
                                              ("temu", "temu"), ("aliexpress", "速卖通"), ("dhgate", "敦煌"))
                               if w in word), "")
                if not value.isdigit():
                    continue
            else:
                market = cue.id if cue.id in ("amazon", "ebay") else marketplace_in(text)
            if cue.id == "amazon" and _CARD.search(text, max(0, cue.start - 60), cue.start):
                c = clean("payment", value, {"provider": "mid"})  # a card-acquirer merchant id
                if c.ok:
                    out.append(Mention(pos, end, "PAYMENT", value, value=value, key=c.key, node="PaymentAccount",
                                       props={"provider": "mid", "cue": cue.id}))
                continue
            if cue.id == "amazon" and provider_before(text, cues, cue.start) == "paypal":
                c = clean("payment", value, {"provider": "paypal"})  # 'the PayPal account …: merchant ID X'
                if c.ok:
                    out.append(Mention(pos, end, "PAYMENT", value, value=c.props.get("account", value), key=c.key,
                                       node="PaymentAccount", props={"provider": "paypal", "cue": cue.id}))
                continue
            c = clean("storefront", value, {"marketplace": market}) if market else clean("storefront", value)
            if len(value) < 4 and not value.isdigit():
                continue
            m = Mention(pos, end, "SELLER_ID", value, value=value, key=c.key if c.ok else None,
                        node="Storefront" if c.ok else None)
        elif cue.kind == "tracking":
            code = value.replace(" ", "").replace("-", "")
            if not tracking_ok(code, True):
                continue
            m = Mention(pos, end, "TRACKING", value, value=code, key=f"tracking:{code}", node="Infrastructure",
                        props=check_digits(code))
        else:  # pixel
            tiktok = cue.id == "ttq" or "tiktok" in text[max(0, cue.start - 10):cue.end].lower()
            c = clean("infrastructure", value, {"kind": "tiktok pixel" if tiktok else "pixel"})
            if not c.ok:
                continue
            m = Mention(pos, end, "TAG_ID", value, value=value, key=c.key, node="Infrastructure")
        if m is not None:
            m.props["cue"] = cue.id
            out.append(m)
    return out


def resolve_overlaps(mentions: list[Mention]) -> list[Mention]:
    """Longest (then highest-priority) first; a span may carry two labels only for the DOUBLE pairs."""
    ranked = sorted(mentions, key=lambda m: (-(m.end - m.start), -_PRIORITY.get(m.label, 1), m.start))
    kept: list[Mention] = []
    for m in ranked:
        clash = False
        for k in kept:
            if m.start < k.end and k.start < m.end:
                same = (m.start, m.end) == (k.start, k.end)
                if same and m.label == k.label:
                    clash = True
                elif not (same and frozenset({m.label, k.label}) in DOUBLE):
                    clash = True
            if clash:
                break
        if not clash:
            kept.append(m)
    return sorted(kept, key=lambda m: (m.start, m.end, m.label))


def extract_identifiers(text: str) -> list[Mention]:
    cues = find_cues(text)
    countries = find_countries(text)
    found = _candidates(text, cues, countries)
    found += payee_emails(text, found, cues)
    found += chat_numbers(text, found, cues)
    found += labelled_numbers(text, found)
    found += remitted_accounts(text, found)
    found += social_handles(text, found)
    return found + speaker_ids(text, found, cues)
