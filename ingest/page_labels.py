"""Labelled details in the visible text of a seller or shop page.

Pages state a seller's details as labels and values: "Business Name: …" on one line, a label
line followed by value lines ("Business Address:" then one line per address part), table rows
(``<th>Phone</th><td>…</td>``), definition lists (``<dt>``/``<dd>``). eBay's business seller
information and imprints list the company and its address unlabelled under a heading. All of it
is read from text and document structure, never from class names.

The label vocabulary is this module's own (page labels, not spreadsheet headers): a label that
means a known field becomes that field; one that names a registration detail (VAT number,
registration number, legal representative, ...) is kept as an extra property; anything else is
ordinary text.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from functools import lru_cache

from lxml import etree

from graph.clean import clean
from graph.clean.country import country_code
from graph.records import Value

from ingest.columns import normalise_header
from ingest.html_text import LABEL_TAGS, Line

_FIELD_LABELS = {
    "company": """business name|company name|company|legal name|legal business name|business legal name|
        registered business name|registered company name|seller business name|seller legal name|enterprise name|
        name of enterprise|corporate name|entity name|legal entity|operator|operated by|firmenname|firma|
        unternehmen|raison sociale|denomination sociale|ragione sociale|razon social|denominacion social|公司名称|
        企业名称|公司|商家名称|经营者名称""",
    "address": """business address|address|company address|registered address|registered office|
        registered office address|office address|contact address|customer services address|
        customer service address|seller address|head office|anschrift|adresse|geschaftsadresse|indirizzo|
        direccion|地址|公司地址|经营地址|注册地址|企业地址|住所""",
    "return_address": "return address|returns address|退货地址",
    "phone": """phone|phone number|telephone|telephone number|tel|tel no|mobile|mobile phone|contact phone|
        customer services phone|customer service phone|customer services phone number|customer service number|
        hotline|whatsapp|telefon|telefonnummer|telephone fixe|telefono|电话|联系电话|手机|客服电话""",
    "email": """email|e mail|email address|e mail address|contact email|customer services email|
        customer service email|customer services e mail|customer service e mail|support email|mail|courriel|
        correo electronico|邮箱|电子邮箱|电子邮件|客服邮箱""",
    "website": "website|web site|homepage|home page|official website|web|internet|site web|网站|官网",
    "seller_id": "store no|store number|store id|seller id|merchant id|shop id|店铺号|店铺id",
    "name": "store name|shop name|seller name|seller display name|storefront name|店铺名称",
    "country": "country|country region|location|国家地区|所在地",
    "paypal": "paypal|paypal account|paypal email",
}
_EXTRA_LABELS = """vat number|vat no|vat|vat id|vat registration number|vat reg no|ust idnr|ust id nr|
    ust id|
    umsatzsteuer identifikationsnummer|tax id|tax number|tax registration number|tin|ein|trade register number|
    trade registry number|commercial register|commercial register number|commercial registry|handelsregister|
    registergericht|registernummer|registration number|registration no|company registration number|
    company number|business registration number|business license number|business licence number|
    license number|licence number|unified social credit code|统一社会信用代码|registered capital|注册资本|
    legal representative|法定代表人|established|date of establishment|founded|成立日期|business scope|经营范围|
    registration authority|登记机关|business type|type of business|managing director|geschaftsfuhrer|
    vertreten durch|represented by|contact person|eori number|eori|open since|opened|store opening date|
    seller since|开店时间""".split("|")


@lru_cache(maxsize=4096)
def _norm(label: str) -> str:
    text = normalise_header(label[:200])
    return text.translate(_FOLD)


_FOLD = str.maketrans("äöüéèêáíóúñç", "aouoeeaiounc")  # "geschäftsführer" ~ "geschaftsfuhrer"

LABELS: dict[str, str | None] = {}
for _field, _names in _FIELD_LABELS.items():
    for _name in _names.split("|"):
        LABELS.setdefault(_norm(_name), _field)
for _name in _EXTRA_LABELS:
    LABELS.setdefault(_norm(_name), None)

SECTION_TITLES = {_norm(t) for t in """business seller information|business information|seller information|
    detailed seller information|seller details|seller info|store info|store information|contact details|
    contact information|impressum|imprint|legal notice|legal information|company information|company details|
    about the seller|卖家信息|公司信息|店铺信息""".split("|")}
_EBAY_SECTION = _norm("business seller information")

ADDRESS_FIELDS = frozenset({"address", "return_address"})
MAX_ADDRESS_LINES = 8
MAX_LABELLED = 200  # values made per field from labels (a page listing thousands is not a seller's details)
_COLON = re.compile(r"^\s*([^:：]{1,60}?)\s*[:：]\s*(.*)$", re.S)
_LABELISH = re.compile(r"^\s*[^:：]{1,40}[:：]")
EMAIL = re.compile(r"(?<![\w.%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*"
                   r"\.(?!png\b|jpe?g\b|gif\b|webp\b|svg\b|css\b|js\b)[A-Za-z]{2,24}(?![\w-])")
_AT = re.compile(r"\s*(?:\[\s*at\s*\]|\(\s*at\s*\)|\{\s*at\s*\}|\s+at\s+(?=\S+\s*(?:\[|\()\s*dot))\s*", re.I)
_DOT = re.compile(r"\s*(?:\[\s*dot\s*\]|\(\s*dot\s*\)|\{\s*dot\s*\})\s*", re.I)
_PHONE_SPLIT = re.compile(r"\s*(?:/|,|;|\bor\b|\boder\b)\s*(?=[+(0-9])")
_DIGIT = re.compile(r"\d")
_ADDRESS_WORDS = re.compile(r"\b(?:road|rd|street|st|avenue|ave|district|building|bldg|floor|room|rm|unit|block|"
                            r"tower|lane|way|strasse|straße|str|weg|platz|allee|rue|via|calle|province|city)\b"
                            r"|路|街|区|号|楼|室|栋|省|市", re.I)
_COPYRIGHT_MARK = re.compile(r"©|\(c\)|\bcopyright\b", re.I)
_COPYRIGHT = re.compile(r"\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*[,.]?\s*)?(?:by\s+)?"
                        r"(.{2,120}?)\s*(?:[.,|]\s*)?(?:all rights reserved.*|alle rechte vorbehalten.*|"
                        r"tous droits réservés.*|\d{4}\s*)?$", re.I)


def label_of(line: Line) -> tuple[str | None, str, str] | None:
    """(field or None for an extra, label as written, value on the same line or "") for a label line."""
    if line.label is None:
        line.label = _label_of(line) or ()
    return line.label or None


def _label_of(line: Line) -> tuple[str | None, str, str] | None:
    m = _COLON.match(line.text)
    if m:
        key = _norm(m.group(1))
        if key in LABELS:
            return LABELS[key], m.group(1).strip(), m.group(2).strip()
    if len(line.cells) >= 2:
        key = _norm(line.cells[0])
        if key in LABELS:
            return LABELS[key], line.cells[0].rstrip(":：").strip(), " ".join(line.cells[1:])
    if line.first_tag in LABEL_TAGS or line.owner.tag in ("dt", "th"):
        key = _norm(line.first)
        if key in LABELS and line.text.startswith(line.first):
            return LABELS[key], line.first.rstrip(":：").strip(), line.text[len(line.first):].strip()
    return None


def _stops(line: Line) -> bool:
    """A line that ends a run of value lines: another label, a heading, a term."""
    return (line.heading or line.owner.tag in ("dt", "th") or line.first_tag == "label"
            or label_of(line) is not None or bool(_LABELISH.match(line.text)) or _norm(line.text) in SECTION_TITLES)


def _within(el: etree._Element, scope: etree._Element) -> bool:
    return el is scope or any(a is scope for a in el.iterancestors())


def _value_lines(lines: list[Line], i: int, want: int, same_owner: bool) -> list[Line]:
    """Up to ``want`` lines after ``lines[i]`` that continue its value (same block, or same container)."""
    label = lines[i]
    scope = label.owner if same_owner else (label.owner.getparent() if label.owner.getparent() is not None
                                            else label.owner)
    found: list[Line] = []
    for j in range(i + 1, len(lines)):
        line = lines[j]
        if len(found) >= want or _stops(line):
            break
        if not (line.owner is label.owner if same_owner else _within(line.owner, scope)):
            break
        found.append(line)
    return found


def labelled_values(lines: list[Line]) -> Iterator[Value]:
    """Values from label lines (and the value lines that follow a label standing alone)."""
    made: dict[str | None, int] = {}
    for i, line in enumerate(lines):
        found = label_of(line)
        if found is None:
            continue
        field, label, inline = found
        if made.get(field, 0) >= MAX_LABELLED:
            continue
        many = MAX_ADDRESS_LINES if field in ADDRESS_FIELDS else 1
        if inline:
            more = _value_lines(lines, i, many - 1, same_owner=True) if field in ADDRESS_FIELDS else []
            parts, strict = [inline, *(x.text for x in more)], False
            tail = f", text {label!r} + {len(more)} more lines" if more else ""
        elif line.first_tag == "label":
            continue  # a form field's label: what follows is the next field, not a value
        else:
            more = _value_lines(lines, i, many, same_owner=False)
            # the lines after a label standing alone are its value only if they look like one
            parts, strict = [x.text for x in more], True
            tail = f", text {label!r} + {len(more)} line{'s' if len(more) > 1 else ''}"
        for value in field_values(field, label, parts, lambda line=line, tail=tail: line.locator() + tail, strict):
            made[field] = made.get(field, 0) + 1
            yield value


def checked(field: str | None, raw: str, strict: bool = False) -> list[tuple[str | None, str]]:
    """(field, value) pairs one labelled value makes. A value that does not look like its field stays
    as an extra (field None), or, when ``strict``, is not a value of the label at all."""
    if field == "email":
        text = _DOT.sub(".", _AT.sub("@", raw))
        emails = list(dict.fromkeys(m.group(0) for m in EMAIL.finditer(text)))
        if emails:
            return [("email", e) for e in emails]
    elif field == "phone":
        phones = [p.strip() for p in _PHONE_SPLIT.split(raw) if len(_DIGIT.findall(p)) >= 6]
        if phones:
            return [("phone", p) for p in phones]
    elif field == "country":
        if country_code(raw):
            return [(field, raw)]
    elif field in ADDRESS_FIELDS:
        raw = raw.replace(";", ",").replace("|", ",")
        if len(raw) >= 4:
            return [(field, raw)]
    elif field in ("company", "name"):
        if len(raw) <= 300 and re.search(r"\w", raw):
            return [(field, raw)]
    elif field == "website":
        if re.search(r"[\w-]+\.[a-z]{2,}", raw, re.I):
            return [(field, raw)]
    else:
        return [(field, raw)]
    return [] if strict else [(None, raw)]


def field_values(field: str | None, label: str, parts: list[str], locator: str | Callable[[], str],
                 strict: bool = False) -> Iterator[Value]:
    """The Values of one labelled value (its parts joined); the locator is worked out only if there are any."""
    raw = ", ".join(p.strip().strip(",;").strip() for p in parts if p.strip(" ,;"))
    found = checked(field, raw, strict) if raw else []
    if found:
        where = locator if isinstance(locator, str) else locator()
        yield from (Value(f, r, where, label) for f, r in found)


def looks_like_company(text: str) -> bool:
    return len(text) <= 200 and bool(clean("seller", text).props.get("legal_form"))


def section_values(lines: list[Line]) -> Iterator[Value]:
    """Unlabelled company and address lines under a seller-information or imprint heading."""
    for i, line in enumerate(lines):
        title = _norm(line.text)
        if title not in SECTION_TITLES:
            continue
        free: list[Line] = []
        for nxt in lines[i + 1:i + 14]:
            if _norm(nxt.text) in SECTION_TITLES or "§" in nxt.text:
                continue
            if _stops(nxt) or len(free) >= MAX_ADDRESS_LINES + 2 or len(nxt.text) > 200:
                break
            free.append(nxt)
        if not free or not (looks_like_company(free[0].text) or title == _EBAY_SECTION):
            continue
        yield Value("company", free[0].text, free[0].locator(), line.text)
        rest = free[1:]
        first_address = next((k for k, x in enumerate(rest)
                              if _DIGIT.search(x.text) or _ADDRESS_WORDS.search(x.text)), None)
        if first_address is None:
            continue
        for x in rest[:first_address]:
            yield Value(None, x.text, x.locator(), "contact name")
        parts = rest[first_address:]
        locator = parts[0].locator() + (f" + {len(parts) - 1} more lines" if len(parts) > 1 else "")
        yield from field_values("address", line.text, [x.text for x in parts], locator)


def address_element_values(root: etree._Element, lines: list[Line]) -> Iterator[Value]:
    """``<address>`` elements: a company line and the postal address (contact lines are read elsewhere)."""
    for el in itertools.islice(root.iter("address"), 10):
        mine = [x for x in lines if _within(x.owner, el) and label_of(x) is None and "@" not in x.text
                and not re.fullmatch(r"[\d\s()+./-]{6,}", x.text)]
        if not mine:
            continue
        if looks_like_company(mine[0].text):
            yield Value("company", mine[0].text, mine[0].locator(), "address element")
            mine = mine[1:]
        if mine and any(_DIGIT.search(x.text) for x in mine):
            locator = mine[0].locator() + (f" + {len(mine) - 1} more lines" if len(mine) > 1 else "")
            yield from field_values("address", "address", [x.text for x in mine[:MAX_ADDRESS_LINES]], locator)


def copyright_values(lines: list[Line]) -> Iterator[Value]:
    """The holder named in a copyright notice, when it is a company (has a legal form)."""
    for line in lines:
        if len(line.text) > 300 or not _COPYRIGHT_MARK.search(line.text):
            continue
        for notice in _COPYRIGHT_MARK.split(line.text)[1:]:
            m = _COPYRIGHT.match(notice)
            holder = m.group(1).strip(" .,") if m else ""
            if holder and looks_like_company(holder):
                yield Value("company", holder, line.locator(), "copyright")


def text_emails(lines: list[Line]) -> Iterator[Value]:
    """E-mail addresses anywhere in the visible text."""
    for line in lines:
        if "@" in line.text:
            for m in EMAIL.finditer(line.text):
                yield Value("email", m.group(0), line.locator(), "text")
