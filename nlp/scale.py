"""Scale cues: units sold, review counts, prices and revenue figures ("1,200+ sold", "4,531 reviews",
"$35,000 in sales", "US $12.99", "销量 3000+")."""

from __future__ import annotations

import re

from nlp.mention import Mention
from nlp.patterns import lowered

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_MULT = r"(?:\s?(?:k|K|thousand|million|m|M|万|萬|千)(?![A-Za-z]))?"
_NUM_EU = r"\d{1,3}(?:\.\d{3})+,\d{2}(?!\d)|\d+,\d{2}(?!\d)"  # euro amounts: '1.249,00 €', '€ 24,90'
_MONEY = (rf"(?P<cur>US\s?\$|USD\s?|NT\$|CA\$|AU\$|NZ\$|S\$|MX\$|R\$|HK\$|C\$|A\$|\$|€|EUR\s?|£|GBP\s?|¥|￥|RMB\s?|CNY\s?)\s?(?P<n>{_NUM}){_MULT}"
          rf"|(?P<n2>{_NUM}){_MULT}\s?(?P<cur2>USD|EUR|GBP|RMB|CNY|元|美元|欧元|€)")
_ANCHORED = "anchored"  # a rule whose matches begin with a key word: tried only there
_BEFORE = "before"  # a rule whose matches end with a key word: windows reach no further than it
_UNITS_ZH = ("销量", "已售", "月销", "已拼", "售出", "已卖出", "已賣出", "成交")
# (kind, regex, key words one of which every match contains: the rule runs only in windows around them, Chinese-only)
_RULES = [
    ("revenue", re.compile(rf"(?:{_MONEY})\s+(?:in|of|worth of)\s+(?:gross\s+|total\s+|net\s+|annual\s+|monthly\s+)?"
                           r"(?:sales|revenue|GMV|turnover|proceeds)", re.I),
     ("sales", "revenue", "gmv", "turnover", "proceeds"), False),
    ("units_sold", re.compile(rf"(?P<n>{_NUM}){_MULT}\+?\s*(?:units?\s+|pcs\.?\s+|pieces\s+|pairs\s+|items?\s+)?"
                              r"(?:sold|orders|purchases|bought(?:\s+in\s+(?:the\s+)?past\s+month)?)(?![\w])|(?:销量|已售出?|已卖出|已賣出|月销|已拼|成交)\s*[:：]?\s*"
                              rf"(?P<n3>{_NUM}){_MULT}\+?(?:\s*(?:件|笔|单|(?:双|雙|個|个|只|套|条|條|台|瓶|盒|包|份|副|把|支)(?![\u4e00-\u9fff])))?|(?P<n4>{_NUM})\+?\s*件?(?:已售|售出)"
                              rf"|sold\s+(?:over|more than|about|approximately|nearly)?\s*(?P<n5>{_NUM}){_MULT}\+?"
                              r"\s*(?:units|pieces|pairs|items)"
                              rf"|(?P<n9>{_NUM}){_MULT}\+?\s*(?:units?|pcs\.?|pieces|pairs|items)\s+(?:shipped|dispatched)(?![\w])",
                              re.I),
     ("sold", "orders", "purchases", "bought", "shipped", "dispatched") + _UNITS_ZH, False),
    ("units_sold", re.compile(rf"(?P<n>{_NUM}){_MULT}\+?\s*sales(?![\w])", re.I), ("sales",), _BEFORE),  # 'N sales'
    # 'sold more than 8,000 times', 'has sold over 2,600 counterfeit scarves': the figure is the number (and 'times');
    # matched only AT the key words (ANCHORED: every match begins with one)
    ("units_sold", re.compile(r"(?:sold|purchased|ordered|bought)\s+(?:at\s+least\s+|over\s+|more\s+than\s+|"
                              rf"about\s+|approximately\s+|nearly\s+|around\s+|some\s+)?(?P<n>{_NUM})(?![\d.,]?\d){_MULT}\+?"
                              r"(?P<times>\s+times\b)?(?!\s*(?:%|(?:percent|per\s?cent|days?|hours?|weeks?|months?|years?)\b))",
                              re.I), ("sold", "purchased", "ordered", "bought"), _ANCHORED),
    ("reviews", re.compile(rf"(?P<n>{_NUM}){_MULT}\+?\s*(?:customer\s+|product\s+|seller\s+|global\s+)?"
                           r"(?:reviews|ratings|feedback(?:\s+ratings)?|条评价|人评价|人評價|條評價|則評價|评价|评论|評價)", re.I),
     ("review", "rating", "feedback", "评价", "评论", "評價"), False),
    ("reviews", re.compile(rf"(?:累计评价|评价数?|评论数?|好评|好評)\s*[:：]?\s*(?P<n8>{_NUM}){_MULT}\+?"),
     ("评价", "评论", "好评", "好評"),
     True),  # True: Chinese text only
    ("price", re.compile(rf"(?P<cur3>€|EUR\s?)\s?(?P<n6>{_NUM_EU})|(?P<n7>{_NUM_EU})\s?(?P<cur4>€|EUR)"),
     ("€", "eur"), False),
    ("price", re.compile(_MONEY), ("$", "€", "£", "¥", "￥", "usd", "eur", "gbp", "rmb", "cny", "元", "美元", "欧元"), False),
]
_REVENUE_CUE = re.compile(r"(?:revenue|sales of|gross sales|GMV|turnover|generated|earned|grossed|sold goods worth|"
                          r"销售额|营业额|流水)[^.\n]{0,30}$", re.I)
_NOT_OFFER = re.compile(r"(?:list\s+price|was|rrp|uvp|msrp)\s*[:：]?\s*$")
_MONEY_RX = re.compile(_MONEY, re.I)
# money that is not a sales figure of the store (eval README: bonds, shipping fees, statutory damages, frozen or held
# amounts, invoice balances, refunds, test payments): the word shortly before it on the same line
_NOT_SALES = re.compile(r"\b(?:bond|shipping|postage|delivery\s+fee|fee|refund(?:ed)?|balance|on\s+hold|frozen|"
                        r"damages|invoice|test\s+payment|security\s+deposit)\b[^\n.;]{0,24}$")
_NOT_SALES_WORDS = ("bond", "shipping", "postage", "fee", "refund", "balance", "on hold", "frozen", "damages",
                    "invoice", "test payment", "deposit")
_NOT_SALES_AFTER = re.compile(r"\s*(?:delivery|shipping|postage|p&p|handling|(?:\w+\s)?fee)\b|\s+-\s?\d{1,2}\s?%")
_LIST_AFTER = re.compile(r"\s+list\b(?!\s+price)")  # "$19.99 list" (a list price), not "$42.99  List Price: …"
_CURRENCY_BEFORE = re.compile(r"(?:[$€£¥]|usd|eur|gbp|rmb)\s?$")  # on lower-cased text
_NUMBER_SEPARATORS = " .,\u00a0\u202f"
_NUMBER_GROUPS = ("n", "n2", "n3", "n4", "n5", "n6", "n7", "n8", "n9")
_MULT_RX = re.compile(r"\d\s?(k|K|thousand|million|m|M|万|萬|千)(?![a-z])")
_MULTS = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "万": 1e4, "萬": 1e4, "千": 1e3}


def _number(match: re.Match, groups: dict[str, str | None]) -> str:
    raw = next((groups[g] for g in _NUMBER_GROUPS if groups.get(g)), "")
    if raw and (groups.get("n6") or groups.get("n7")):
        raw = raw.replace(".", "").replace(",", ".")  # decimal comma
    value = float(raw.replace(",", "")) if raw else 0.0
    tail = match.string[match.start():match.end()]
    mult = _MULT_RX.search(tail)
    if mult:
        value *= _MULTS[mult.group(1).lower()]
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _currency(groups: dict[str, str | None]) -> str:
    cur = next((groups[g] for g in ("cur3", "cur4", "cur", "cur2") if groups.get(g)), "")
    cur = cur.strip().upper()
    return {"US$": "USD", "$": "USD", "€": "EUR", "£": "GBP", "¥": "CNY", "￥": "CNY", "RMB": "CNY", "元": "CNY",
            "美元": "USD", "欧元": "EUR", "HK$": "HKD", "C$": "CAD", "A$": "AUD", "NT$": "TWD", "CA$": "CAD",
            "AU$": "AUD", "NZ$": "NZD", "S$": "SGD", "MX$": "MXN", "R$": "BRL"}.get(cur.replace(" ", ""), cur)


# the case-insensitive rules, compiled for lower-cased text (much faster than re.I)
_FAST = [re.compile(regex.pattern.lower().replace("(?p<", "(?P<")) if regex.flags & re.I else None
         for _, regex, _, _ in _RULES]  # per rule (several rules may share a kind)


_WINDOW = 60


def _keys(low: str, words: tuple[str, ...]) -> list[tuple[int, int]]:
    """(start, end) of the key words in ``low`` as ``re.finditer("|".join(words))`` gives them: leftmost
    first, the earlier word of the list at one position, no overlaps."""
    found = []
    for rank, w in enumerate(words):
        pos = low.find(w)
        while pos >= 0:
            found.append((pos, rank, pos + len(w)))
            pos = low.find(w, pos + 1)
    found.sort()
    out: list[tuple[int, int]] = []
    for start, _, end in found:
        if not out or start >= out[-1][1]:
            out.append((start, end))
    return out


def _windows(low: str, words: tuple[str, ...], after: int = _WINDOW) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for ks, ke in _keys(low, words):
        s, e = max(0, ks - _WINDOW), min(len(low), ke + after)
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def extract_scale(text: str) -> list[Mention]:
    out: list[Mention] = []
    low = lowered(text)
    ascii_only = text.isascii()
    not_sales = None  # does the text hold a word of _NOT_SALES (looked up at the first price)
    windows: dict[tuple[str, ...], list[tuple[int, int]]] = {}
    for (kind, regex, keys, mode), fast in zip(_RULES, _FAST):
        if mode is True and ascii_only:
            continue  # a rule for Chinese text
        target, rx = (low, fast) if fast is not None else (text, regex)
        if mode == _ANCHORED:
            found = [m for ks, _ in _keys(low, keys) if not (ks and low[ks - 1].isalnum())
                     for m in (rx.match(target, ks),) if m]
        else:
            if keys not in windows:
                windows[keys] = _windows(low, keys, 8 if mode == _BEFORE else _WINDOW)
            found = (m for ws, we in windows[keys] for m in rx.finditer(target, ws, we))
        for m in found:
            if any(m.start() < o.end and o.start < m.end() for o in out):
                continue
            start = m.start()
            if start and text[start].isdigit() and (text[start - 1].isdigit() or start > 1 and text[start - 1] in
                                                    _NUMBER_SEPARATORS and text[start - 2].isdigit()):
                continue  # '000 €' of '1 000 €', '90' of '64,90': the tail of a longer number
            if mode == _ANCHORED or kind == "units_sold" and m.groupdict().get("n5"):
                start = m.start("n" if mode == _ANCHORED else "n5")  # 'sold over 2,600 …': the figure is the number
                if any(start < o.end and o.start < m.end() for o in out):
                    continue
            if kind == "units_sold" and _CURRENCY_BEFORE.search(low, max(0, start - 4), start):
                continue  # '$3,074 sales' is money, not a count
            if kind == "price" and _NOT_OFFER.search(low, max(0, m.start() - 16), m.start()):
                continue  # a struck-through list / 'was' price is not what the store sells at
            if kind == "price" and not_sales is None:
                not_sales = any(w in low for w in _NOT_SALES_WORDS)
            if kind == "price" and (not_sales and _NOT_SALES.search(low, max(0, m.start() - 36), m.start())
                                    or low.startswith(" list", m.end()) and _LIST_AFTER.match(low, m.end())):
                continue  # a bond, shipping fee, refund, balance, amount on hold, damages: not the store's figure
            if kind == "price" and _NOT_SALES_AFTER.match(low, m.end()):
                continue  # '+ £2.99 delivery' (a fee), 'US $41.90  -58%' (the price before the discount)
            if kind == "price" and _REVENUE_CUE.search(text, max(0, m.start() - 60), m.start()):
                kind_here = "revenue"
            else:
                kind_here = kind
            props = {"scale_kind": kind_here}
            groups = m.groupdict()
            if kind in ("revenue", "price"):
                props["currency"] = _currency(groups)
            end = m.end()
            if kind == "revenue":  # '$160,000 in revenue': the figure is the amount
                end = _MONEY_RX.match(text, m.start()).end()
            out.append(Mention(start, end, "SCALE", text[start:end], value=_number(m, groups), props=props))
    return sorted(out, key=lambda m: m.start)
