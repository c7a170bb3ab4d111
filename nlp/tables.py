"""Tables written as text (Markdown / pipe tables, tab-separated rows, Schedule A exhibits): a column header
says what its cells are ("Seller ID", "Seller Alias", "Payment account"), and in a headerless Schedule A row
"7 | Starry Night Décor | https://www.etsy.com/shop/… | …" the name before the store URL is the store's name
and a cell repeating the URL's platform id is its seller id."""

from __future__ import annotations

import re

from graph.clean import clean

from nlp.mention import Mention
from nlp.patterns import find_cues

_ROW = re.compile(r"^[^\n]*(?:\|[^\n]*){2,}$|^[^\n]*(?:\t[^\n]*){2,}$", re.M)
_SEP = re.compile(r"^[\s|:\-+]*$")
_HEADERS = [
    ("SELLER_ID", re.compile(r"seller\s*id|store\s*id|merchant\s*id|store\s*no|shop\s*id|seller\s*number|store\s*number|"
                             r"user\s*id|店铺\s*id|卖家\s*id|店铺编号", re.I)),
    ("STORE_NAME", re.compile(r"alias|store\s*name|seller\s*name|shop\s*name|storefront(?!\s*url)|^\s*store\s*$|"
                              r"^\s*seller\s*$|店铺名称|店铺名|卖家名称|^\s*店铺\s*$", re.I)),
    ("PAYMENT", re.compile(r"payment|paypal|payoneer|alipay|pingpong|lianlian|收款|支付", re.I)),
]
_NOT_NAME = re.compile(r"url|link|链接|网址", re.I)
_PAY_VALUE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+|acct_[A-Za-z0-9]{8,32}"
                        r"|[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?|\d[\d -]{4,30}\d")
_LEGAL_END = re.compile(r"\b(?:Co\.,?\s?Ltd\.?|Ltd\.?|Limited|LLC|L\.L\.C\.|Inc\.?|Corp\.?|GmbH|S\.r\.l\.|S\.L\.|SARL|SAS|"
                        r"Pty\.?\s?Ltd\.?)$|有限公司$")
_ID_VALUE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{2,40}")


def _cells(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of each cell's trimmed content in the row text[start:end]."""
    sep = "\t" if "\t" in text[start:end] and "|" not in text[start:end] else "|"
    out, pos = [], start
    for part in text[start:end].split(sep):
        s, e = pos, pos + len(part)
        while s < e and text[s] in " \t*`":
            s += 1
        while e > s and text[e - 1] in " \t*`":
            e -= 1
        out.append((s, e))
        pos += len(part) + 1
    if text[start:end].lstrip().startswith(sep):
        out = out[1:]
    if text[start:end].rstrip().endswith(sep):
        out = out[:-1]
    return out


def _blocks(text: str) -> list[list[tuple[int, int]]]:
    blocks, current, last_end = [], [], -2
    for m in _ROW.finditer(text):
        if _SEP.match(m.group(0)):
            last_end = m.end()
            continue
        if m.start() != last_end + 1 and current:
            blocks.append(current)
            current = []
        current.append(m.span())
        last_end = m.end()
    if current:
        blocks.append(current)
    return blocks


_FIXED_CELL = re.compile(r"\S+(?: \S+)*")  # words separated by single spaces: one cell of a fixed-width table
_LINE = re.compile(r"^.*$", re.M)


def _fixed_blocks(text: str) -> list[list[tuple[tuple[int, int], list[tuple[int, int]]]]]:
    """Fixed-width tables (columns padded with spaces, as PDF-to-text exhibits print them): a header line of
    three or more cells with no digit, then rows whose every cell starts where a header cell starts (±1
    character). A row's cells are placed in the header's columns (an empty cell leaves its column out)."""
    out = []
    lines = [m.span() for m in _LINE.finditer(text)]
    i = 0
    while i < len(lines):
        s, e = lines[i]
        head = [c.span() for c in _FIXED_CELL.finditer(text, s, e)]
        if len(head) < 3 or "  " not in text[s:e] or re.search(r"\d", text[s:e].replace("No.", "")):
            i += 1
            continue
        cols = [c[0] - s for c in head]
        block = [((s, e), head)]
        j = i + 1
        while j < len(lines):
            rs, re_ = lines[j]
            cells = [c.span() for c in _FIXED_CELL.finditer(text, rs, re_)]
            placed = [next((k for k, col in enumerate(cols) if abs(c[0] - rs - col) <= 1), None) for c in cells]
            if len(cells) < 2 or None in placed:
                break
            row: list[tuple[int, int]] = [(0, 0)] * len(cols)
            for k, c in zip(placed, cells):
                row[k] = c
            block.append(((rs, re_), row))
            j += 1
        if len(block) >= 3:
            out.append(block)
            i = j
        else:
            i += 1
    return out


def extract_table_mentions(text: str, found: list[Mention]) -> list[Mention]:
    """Mentions that only the table layout reveals (the rest of a table is found like any text)."""
    blocks = [[(row, _cells(text, *row)) for row in block] for block in _blocks(text)] \
        if "|" in text or "\t" in text else []
    if "   " in text:
        blocks += _fixed_blocks(text)
    if not blocks:
        return []
    out: list[Mention] = []
    store_urls = [m for m in found if m.label == "STORE_URL" and m.key and ":" in m.key]
    for block in blocks:
        header = block[0][1]
        kinds: dict[int, str] = {}
        if not re.search(r"\d", text[block[0][0][0]:block[0][0][1]].replace("No.", "")) and len(block) > 1:
            for i, (s, e) in enumerate(header):
                for label, regex in _HEADERS:
                    if regex.search(text[s:e]) and not (label == "STORE_NAME" and _NOT_NAME.search(text[s:e])):
                        kinds[i] = label
                        break
        rows = block[1:] if kinds else block
        for row, cells in rows:
            urls = [u for u in store_urls if row[0] <= u.start < row[1]]
            ids = {u.key.split(":", 1)[1].lower(): u for u in urls}
            for i, (s, e) in enumerate(cells):
                value = text[s:e]
                kind = kinds.get(i)
                if not value or "://" in value:
                    continue
                if kind is None and value.lower() in ids:
                    kind = "SELLER_ID"
                if kind is None and urls and i == 1 and cells and re.fullmatch(r"\d{1,4}", text[slice(*cells[0])]) \
                        and "@" not in value and not re.fullmatch(r"[\d\W]+", value):
                    kind = "STORE_NAME"
                if kind == "SELLER_ID" and _ID_VALUE.fullmatch(value):
                    market = ids[value.lower()].key.split(":")[0] if value.lower() in ids else ""
                    c = clean("storefront", value, {"marketplace": market}) if market else None
                    out.append(Mention(s, e, "SELLER_ID", value, value=value, key=c.key if c and c.ok else None,
                                       node="Storefront" if c and c.ok else None, props={"rule": "table"}))
                elif kind == "STORE_NAME" and len(value) <= 80 and _LEGAL_END.search(value):
                    n = clean("seller", value)  # a company (its legal form) in the alias column
                    out.append(Mention(s, e, "COMPANY", value, value=value, key=n.key if n.ok else None,
                                       node="Seller" if n.ok else None, props={"rule": "table"}))
                elif kind == "STORE_NAME" and len(value) <= 80:
                    n = clean("name", value)
                    out.append(Mention(s, e, "STORE_NAME", value, value=value, key=n.key if n.ok else None,
                                       node="Storefront" if n.ok else None, props={"rule": "table"}))
                elif kind == "PAYMENT":
                    pm = _PAY_VALUE.match(text, s, e)
                    if pm is None:
                        continue
                    cue = next((c for c in find_cues(text[s:e] + " " + text[slice(*header[i])] if i < len(header)
                                                     else text[s:e]) if c.kind == "payment"), None)
                    c = clean("payment", pm.group(0), {"provider": cue.id if cue else "unspecified"})
                    if c.ok:
                        out.append(Mention(pm.start(), pm.end(), "PAYMENT", pm.group(0),
                                           value=c.props.get("account", pm.group(0)), key=c.key,
                                           node="PaymentAccount", props={"rule": "table"}))
    return out
