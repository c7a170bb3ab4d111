"""Which identifiers belong to which storefront / seller: relations inside sentences, list items and rows.

A passage is cut into segments (lines; long lines into sentences). In a segment, each tail (identifier,
brand, scale figure, address, company) attaches to the storefront or seller named in it - the nearest one
before it, else the first after it. The attachment is "high" confidence when the segment names a single
storefront/seller or an explicit verb links them ("uses", "paid to", "registered by", "operated by"),
"low" when several candidates compete or when the storefront is only carried over from an earlier
segment of the same paragraph. Low-confidence relations are kept and marked, never asserted as high.
"""

from __future__ import annotations

import re

from nlp.mention import Mention, Relation
from nlp.patterns import lowered

_SEGMENT = re.compile(r"[^\n]+")
_SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s+(?=[A-Z\"“\u4e00-\u9fff])")
_ABBREV = re.compile(r"(?:\b(?:Co|Ltd|Inc|No|St|Rd|Ave|Mr|Ms|Dr|Corp|e\.g|i\.e|U\.S|Fl|Rm|Ste|Bldg|approx|vs)\.)$")
_EXPLICIT = re.compile(r"\b(?:uses?|used|using|paid|pays|payments?|registered|operated|operates|run by|owned|"
                       r"belongs?|linked|lists?|listed|contact|ships?|shipped|sells?|sold|receives?|deposited|"
                       r"account holder|holder)\b|使用|收款|注册|经营|发货")  # on the lower-cased text
_TAIL_TYPE = {"EMAIL": "USES", "PHONE": "USES", "MESSENGER": "USES", "URL": "USES", "DOMAIN": "USES",
              "TAG_ID": "USES", "IP": "USES", "TRACKING": "USES", "PAYMENT": "PAID_TO", "ADDRESS": "SHIPS_FROM",
              "BRAND": "SELLS", "SCALE": "SCALE_OF", "COMPANY": "OPERATED_BY", "PERSON": "OPERATED_BY"}
_STORE = ("STORE_NAME", "STORE_URL", "SELLER_ID")
# marketplaces, payment and web platforms: their own domains and companies are where a store lives or gets
# paid, never what it "uses" or who operates it ("on Amazon.com", "PayPal, Inc. shall restrain ...")
_PLATFORM_HOST = re.compile(r"(?:^|\.)(?:amazon|ebay|aliexpress|alibaba|walmart|temu|dhgate|etsy|shein|wish|google|"
                            r"facebook|instagram|tiktok|paypal|apple|microsoft|youtube|twitter|x|whatsapp|wechat|"
                            r"telegram|payoneer|stripe|alipay|shopify|myshopify|vinted|pinduoduo|taobao|tmall|jd)\.",
                            re.I)
_PLATFORM_CO = re.compile(r"(?:PayPal|Amazon|eBay|Alibaba|AliExpress|Walmart|Temu|Whaleco|Stripe|Payoneer|PingPong|"
                          r"LianLian|DHgate|Etsy|Shopify|Google|Meta Platforms|Facebook|TikTok|Apple|Microsoft|Wish|"
                          r"Shein|Vinted)\b", re.I)
_HEADER_TO = re.compile(r"[ \t>]*(?:To|Cc|Bcc|An|收件人|抄送)[ \t]*[:：]", re.I)
_HEADER_FROM = re.compile(r"[ \t>]*(?:From|Von|发件人)[ \t]*[:：]", re.I)
_NEGATION = re.compile(r"\b(?:not|never|no longer|unrelated|unaffiliated|nor)\b|n't\b|并非|不是|并不|无关")
_DENIED_AFTER = re.compile(r"[\s,)]*(?:which\s+|that\s+)?(?:(?:is|are|was|were|does|do|did)\s+not\b|(?:is|are|was|were|does|do|did)n't\b|"
                           r"(?:does|do)\s+not\s+belong|并非|不是|不属于)")
_DENIED_ANY = re.compile(r"不属于")
_SHIPPING = re.compile(r"return|ship|sender|warehouse|dispatch|despatch|send (?:it|them|back)|发货|退货|仓库|寄", re.I)


def segments(text: str) -> list[tuple[int, int]]:
    """Lines, and sentences of long lines (a list item or table row is one line)."""
    out = []
    for line in _SEGMENT.finditer(text):
        s, e = line.span()
        if e - s < 200:
            out.append((s, e))
            continue
        pos = s
        for b in _SENTENCE_END.finditer(text, s, e):
            if _ABBREV.search(text, max(s, b.start() - 6), b.start()):
                continue
            out.append((pos, b.start()))
            pos = b.end()
        out.append((pos, e))
    return out


def _paragraph_breaks(text: str) -> list[int]:
    return [m.start() for m in re.finditer(r"\n[ \t]*\n", text)]


def _platform(m: Mention) -> bool:
    """A marketplace / platform domain or company: never a tail or owner of a seller's relation."""
    if m.label in ("URL", "DOMAIN"):
        host = (m.key or m.value or m.text).lower()
        return bool(_PLATFORM_HOST.search(host + ".") or _PLATFORM_HOST.search(host))
    if m.label == "COMPANY":
        return bool(_PLATFORM_CO.match(m.text))
    return False


def extract_relations(text: str, mentions: list[Mention]) -> list[Relation]:
    """Relations between ``mentions`` (sorted by start); indexes refer to that list.

    Beyond the segment rules: identifiers in a segment that names no storefront go to the storefront carried
    from earlier in the paragraph (before a company named there: the company is its operator), tails
    before the first storefront of a paragraph go to it once it is named (a listing block that names its
    store last), an e-mail's sender (a store on the From: line) carries into the body, identifiers on
    To:/Cc: lines belong to no store, and platform domains / companies (amazon.com, PayPal, Inc.) are never
    tails or owners. All of these are "low" confidence."""
    rels: list[Relation] = []
    low = lowered(text)
    breaks = _paragraph_breaks(text)
    carried: int | None = None
    sender: int | None = None
    pending: list[int] = []
    last_para = 0
    idx = sorted(range(len(mentions)), key=lambda i: mentions[i].start)
    seen_pairs: set[tuple[int, int, str]] = set()

    def add(head: int, t: int, rtype: str, seg: tuple[int, int], conf: str) -> None:
        if head != t and (head, t, rtype) not in seen_pairs:
            seen_pairs.add((head, t, rtype))
            rels.append(Relation(head, t, rtype, seg, conf))

    for s, e in segments(text):
        para = sum(1 for b in breaks if b < s)
        if para != last_para:
            carried, last_para, pending = sender, para, []
        inside = [i for i in idx if s <= mentions[i].start < e and not _platform(mentions[i])]
        if _HEADER_TO.match(text, s):
            continue  # the recipients of a message are not the sender's
        heads = [i for i in inside if mentions[i].label in _STORE]
        companies = [i for i in inside if mentions[i].label in ("COMPANY", "PERSON")]
        explicit = bool(_EXPLICIT.search(low, s, e))
        # two names of one store: "X (d/b/a Y)", "X, formerly Y"
        for a, b in zip(heads, heads[1:]):
            if mentions[a].label == mentions[b].label == "STORE_NAME" and \
                    re.search(r"d/b/a|a/k/a|aka|also known as|operating as|formerly|renamed|alias|trading as",
                              text[mentions[a].end:mentions[b].start], re.I):
                rels.append(Relation(a, b, "ALIAS_OF", (s, e), "high"))
        names = [h for h in heads if mentions[h].label == "STORE_NAME"]
        ids = [h for h in heads if mentions[h].label != "STORE_NAME" and mentions[h].node == "Storefront"]
        if len(names) == 1 and len({mentions[h].key for h in ids}) == 1:  # "KW Outlet Store | Amazon (A3KW…)"
            rels.append(Relation(names[0], ids[0], "SAME_AS", (s, e), "high"))
        if len(names) == 1:  # the store's own id and URL: the name USES them
            for h in heads:
                if h != names[0]:
                    rels.append(Relation(names[0], h, "USES", (s, e), "high"))
        if heads and pending:  # tails of this paragraph named before its first storefront
            first = (names or heads)[0]
            for t, rtype in pending:
                add(first, t, rtype, (s, e), "low")
            pending = []
        store_carried = carried is not None and mentions[carried].label in _STORE
        owners = heads + [c for c in companies if not heads or mentions[c].label == "COMPANY"]
        owners.sort(key=lambda i: mentions[i].start)
        for t in inside:
            label = mentions[t].label
            rtype = _TAIL_TYPE.get(label)
            if rtype is None or t in heads:
                continue
            if label == "BRAND" and any(mentions[o].start <= mentions[t].start < mentions[o].end for o in owners):
                continue  # a mark inside the store's / company's own name is not "sells"
            if label == "ADDRESS" and not _SHIPPING.search(text, max(s, mentions[t].start - 50), mentions[t].start):
                rtype = "USES"  # contact, office, registered and imprint addresses
            if label in ("COMPANY", "PERSON"):
                if not heads:
                    if store_carried:
                        verb = re.search(r"operated|run by|owned|registered|belongs|account holder|经营|运营",
                                         text[s:mentions[t].start], re.I)
                        add(carried, t, rtype, (s, e), "high" if verb else "low")
                    continue
                pool = heads
            elif not heads and store_carried:
                pool = []  # the storefront of the paragraph, not the company named in this sentence
            else:
                pool = [o for o in owners if o != t]
            if pool:
                names = [h for h in pool if mentions[h].label in ("STORE_NAME", "COMPANY")]
                pool = names or pool  # a name and its id / URL in one segment are one storefront
                before = [h for h in pool if mentions[h].start < mentions[t].start]
                head = before[-1] if before else pool[0]
                distinct = {mentions[h].key or mentions[h].text for h in pool}
                conf = "high" if len(distinct) == 1 or explicit and len(distinct) == 1 else "low"
                if len(distinct) == 1 and not explicit and label in ("BRAND", "SCALE"):
                    conf = "high"
            elif carried is not None:
                head, conf = carried, "low"
            else:
                pending.append((t, rtype))
                continue
            add(head, t, rtype, (s, e), conf)
        if heads:
            named = [h for h in heads if mentions[h].label == "STORE_NAME"]
            carried = (named or heads)[-1]
            if _HEADER_FROM.match(text, s):
                sender = carried
        elif companies and not store_carried:
            carried = companies[-1]
    if not _NEGATION.search(low) and not _DENIED_ANY.search(low):
        return rels
    return [_negated(low, mentions, r) for r in rels]


def _negated(low: str, mentions: list[Mention], r: Relation) -> Relation:
    """Low confidence for a link the passage denies: a negation between head and tail ('… is NOT affiliated
    with …', 'not operated by', '并非') or right after the tail ('… is not the seller's')."""
    if r.confidence == "low":
        return r
    a, b = sorted((mentions[r.head], mentions[r.tail]), key=lambda m: m.start)
    tail = mentions[r.tail]
    if _NEGATION.search(low, a.end, b.start) or _DENIED_AFTER.match(low, tail.end, min(len(low), tail.end + 30)):
        return Relation(r.head, r.tail, r.type, r.evidence, "low")
    return r
