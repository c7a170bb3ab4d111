"""Postal addresses, normalised without libpostal.

Key: ``"<CC or XX>|<NORMALISED ADDRESS>"``: NFKC, upper case, punctuation dropped (``-``
and ``/`` kept only between digits), whitespace collapsed, spaces next to CJK characters
removed, English abbreviations standardised (STREET->ST, ROOM->RM, ...), floors written
``FL 12`` (``12/F``, ``12F``, ``12th Floor``), German ``...STRASSE``/``STR.`` -> ``...STR``.
The country is the hint's, else one detected for sure: a trailing country name or code
(never a two-letter US state code), a leading 中国, a US state + ZIP at the end, a Chinese
province or big seller city, or HK district words. A trailing country is removed from the
address text because it is in the key prefix.

Props: ``country``, ``postcode`` (per-country patterns), ``city`` (best effort, mostly from
the comma structure of the raw text), ``premises`` = ``"<CC>|<postcode>|<address without
room/unit/floor and postcode>"`` so that two rooms of one building share it.
"""

from __future__ import annotations

import re
from functools import lru_cache
import unicodedata

from graph.clean.text import fold_text
from graph.clean import Cleaned, Hint, accept, reject
from graph.clean.country import country_code

_MAX_IN, _MAX_LEN, _MIN_ALNUM = 2000, 400, 8
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_US = dict(p.split(" ", 1) for p in (
    "AL ALABAMA|AK ALASKA|AZ ARIZONA|AR ARKANSAS|CA CALIFORNIA|CO COLORADO|CT CONNECTICUT|"
    "DE DELAWARE|DC DISTRICT OF COLUMBIA|FL FLORIDA|GA GEORGIA|HI HAWAII|ID IDAHO|"
    "IL ILLINOIS|IN INDIANA|IA IOWA|KS KANSAS|KY KENTUCKY|LA LOUISIANA|ME MAINE|MD MARYLAND|"
    "MA MASSACHUSETTS|MI MICHIGAN|MN MINNESOTA|MS MISSISSIPPI|MO MISSOURI|MT MONTANA|"
    "NE NEBRASKA|NV NEVADA|NH NEW HAMPSHIRE|NJ NEW JERSEY|NM NEW MEXICO|NY NEW YORK|"
    "NC NORTH CAROLINA|ND NORTH DAKOTA|OH OHIO|OK OKLAHOMA|OR OREGON|PA PENNSYLVANIA|"
    "RI RHODE ISLAND|SC SOUTH CAROLINA|SD SOUTH DAKOTA|TN TENNESSEE|TX TEXAS|UT UTAH|"
    "VT VERMONT|VA VIRGINIA|WA WASHINGTON|WV WEST VIRGINIA|WI WISCONSIN|WY WYOMING|"
    "PR PUERTO RICO").split("|"))
_US_WORDS = set(_US) | set(_US.values())
_NOT_COUNTRY = _US_WORDS | {"JORDAN", "CHAD", "IND", "CAN", "AND", "PER", "COL", "BEL", "MAR"}
_TAIL3 = {"USA", "PRC", "UAE", "CHN", "HKG", "GBR", "DEU", "FRA", "ESP", "ITA", "JPN", "KOR"}
_US_ALT = "|".join(sorted(_US_WORDS, key=len, reverse=True))
_US_END = re.compile(rf"(?:^|[\s,])({_US_ALT})[\s,]+([0-9]{{5}})(?:-[0-9]{{4}})?$")
_US_STATE = re.compile(rf"\b({_US_ALT})\b")
_US_CODE = {name: code for code, name in _US.items()}
_US_NAME_ZIP = re.compile(r"\b(%s)\W+(?=[0-9]{5}\b)" % "|".join(sorted(_US_CODE, key=len)[::-1]))
_CN = re.compile(
    r"\b(?:GUANGDONG|ZHEJIANG|FUJIAN|JIANGSU|SHANDONG|HENAN|HEBEI|HUBEI|HUNAN|ANHUI|JIANGXI|"
    r"SICHUAN|YUNNAN|GUIZHOU|SHAANXI|SHANXI|GANSU|QINGHAI|LIAONING|HEILONGJIANG|HAINAN|"
    r"GUANGXI|NINGXIA|XINJIANG|BEIJING|SHANGHAI|TIANJIN|CHONGQING|SHENZHEN|GUANGZHOU|"
    r"DONGGUAN|YIWU|FOSHAN|HANGZHOU|NINGBO|XIAMEN|QUANZHOU|SHANTOU)\b|广东|浙江|福建|江苏|山东|"
    r"河南|河北|湖北|湖南|安徽|江西|四川|云南|贵州|陕西|山西|甘肃|青海|辽宁|吉林|黑龙江|海南|广西|"
    r"宁夏|新疆|内蒙古|北京|上海|天津|重庆|深圳|广州|东莞|义乌|佛山|杭州|宁波|厦门")
_CN_CITY = re.compile(r"\b(SHENZHEN|GUANGZHOU|DONGGUAN|YIWU|FOSHAN|HANGZHOU|NINGBO|XIAMEN|"
                      r"QUANZHOU|SHANTOU|BEIJING|SHANGHAI|TIANJIN|CHONGQING)\b")
_CN_CITY_HAN = re.compile(r"(?:^|省|自治区)([\u4e00-\u9fff]{2,4}?市)")
_HK = re.compile(r"\b(?:KOWLOON|NEW TERRITORIES|TSIM SHA TSUI|MONG KOK|KWUN TONG)\b|九龍|九龙|香港")
_LEADING = re.compile(r"^(?:中华人民共和国|中華人民共和國|中国|中國)(?=.)")
_ABBR = {
    "STREET": "ST", "ROAD": "RD", "AVENUE": "AVE", "BOULEVARD": "BLVD", "DRIVE": "DR",
    "LANE": "LN", "COURT": "CT", "PLACE": "PL", "SQUARE": "SQ", "HIGHWAY": "HWY",
    "PARKWAY": "PKWY", "CENTER": "CTR", "CENTRE": "CTR", "BUILDING": "BLDG", "BLD": "BLDG",
    "ROOM": "RM", "FLOOR": "FL", "FLR": "FL", "SUITE": "STE", "DISTRICT": "DIST",
    "INDUSTRIAL": "IND", "NUMBER": "NO", "APARTMENT": "APT", "PROVINCE": "PROV",
    "BLOCK": "BLK", "NORTH": "N", "SOUTH": "S", "EAST": "E", "WEST": "W",
}
_UNIT = re.compile(r"\b(?:RM|STE|APT|UNIT|FLAT|SHOP|OFFICE|FL)\s+[A-Z0-9-]+\b"
                   rf"|[0-9A-Z-]+(?:室|房)|[0-9]+[楼層层樓](?=[{_CJK}0-9]|$)")
_UNIT_ASCII = re.compile(r"\b(?:RM|STE|APT|UNIT|FLAT|SHOP|OFFICE|FL)\s+[A-Z0-9-]+\b")  # _UNIT on ASCII text
_POSTCODE = {
    "US": r"\b([0-9]{5})(?:-[0-9]{4})?\b", "CN": r"(?<![0-9])[0-9]{6}(?![0-9])",
    "IN": r"(?<![0-9])[0-9]{6}(?![0-9])", "SG": r"(?<![0-9])[0-9]{6}(?![0-9])",
    "RU": r"(?<![0-9])[0-9]{6}(?![0-9])", "JP": r"\b[0-9]{3}-[0-9]{4}\b",
    "GB": r"\b[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}\b",
    "CA": r"\b[A-Z][0-9][A-Z] [0-9][A-Z][0-9]\b",
    "NL": r"\b[0-9]{4} [A-Z]{2}\b", "PL": r"\b[0-9]{2}-[0-9]{3}\b",
}
for _cc in "DE FR ES IT FI MX MY TH TR UA KR ID EE HR".split():
    _POSTCODE[_cc] = r"(?<![0-9/-])[0-9]{5}(?![0-9/-])"
for _cc in "AT CH BE DK NO AU NZ HU ZA PH LU SI BG".split():
    _POSTCODE[_cc] = r"(?<![0-9/-])[0-9]{4}(?![0-9/-])"
_POSTCODE_RE = {cc: re.compile(pattern) for cc, pattern in _POSTCODE.items()}


def _prep(raw: str) -> str:
    return fold_text(raw, _MAX_IN, keep_newlines=True)


_KEYED = re.compile(r"([A-Z]{2})\|(.*)", flags=re.S)
_LETTER = re.compile(r"[^\W\d_]")
_WORD = re.compile(r"\w")
_SEGMENT_SEP = re.compile(r"[,;\n|]+")


_STEPS = [(re.compile(pattern), repl) for pattern, repl in (
    (r"STRASSE\b", "STR"),
    (r"\bG\s*/\s*F\b", " FL G "),
    (r"\b([0-9]{1,3})(?:/ ?F|F)\b", r" FL \1 "),
    (r"\b([0-9]{1,3})(?:ST|ND|RD|TH)?\s+(?:FLOOR|FLR|FL)\b(?!\s*[0-9])", r" FL \1 "),
)]
_UNIT_HASH = re.compile(r"\b(APT|APARTMENT|STE|SUITE|RM|ROOM|UNIT|FLAT|NO)\b\W*#\s*")
_HASH = re.compile(r"#\s*(?=[A-Z0-9])")
_DASH = re.compile(r"(?<![0-9])[-/]|[-/](?![0-9])")
_PUNCT = re.compile(r"[^\w/-]|_")
_PUNCT_NOT_SPACE = re.compile(r"[^\w /-]|_")
_CJK_SPACE = re.compile(rf"(?<=[{_CJK}]) | (?=[{_CJK}])")


# a literal every match of a pattern contains: the pattern is not run on text without it (same result,
# most addresses have no "STRASSE", "G/", "#" or US state name before a ZIP code)
_NEEDS = ("STRASSE", "G", "F", "FL")
_ZIP_AHEAD = re.compile(r"\W[0-9]{5}\b")  # what _US_NAME_ZIP needs after a state name


def _normalise_once(text: str) -> str:
    s = text.upper()
    if not s.isascii():
        s = unicodedata.normalize("NFKC", s)
    for (pattern, repl), needed in zip(_STEPS, _NEEDS):
        if needed in s and (needed != "G" or "/" in s):  # G/F
            s = pattern.sub(repl, s)
    if _ZIP_AHEAD.search(s):
        s = _US_NAME_ZIP.sub(lambda m: _US_CODE[m.group(1)] + " ", s)
    if "#" in s:
        s = _UNIT_HASH.sub(r"\1 ", s)
        s = _HASH.sub(" UNIT ", s)
    if "-" in s or "/" in s:
        s = _DASH.sub(" ", s)
    if _PUNCT_NOT_SPACE.search(s):  # an ASCII space would be replaced by itself
        s = _PUNCT.sub(" ", s)
    s = " ".join([_ABBR.get(w, w) for w in s.split()])
    if not s.isascii():
        s = _CJK_SPACE.sub("", s)
    return s


@lru_cache(maxsize=65536)
def normalise(text: str) -> str:
    """Address text in key form (idempotent: iterated to a fixed point)."""
    for _ in range(100):
        new = _normalise_once(text)
        if new == text:
            break
        text = new
    return text


def _country_of(words: str) -> str | None:
    """Country for a trailing piece of text; never for US state names or codes."""
    w = words.strip(" .()[]")
    if not w or w in _NOT_COUNTRY or (len(w) == 2 and not w.isalpha()):
        return None
    return country_code(w)


def _trailing_country(segs: list[str]) -> tuple[str | None, list[str]]:
    """Country at the end of the address and the segments without it."""
    last = segs[-1]
    cc = _country_of(last)
    if cc:
        return cc, segs[:-1]
    words = last.split()
    for n in (3, 2, 1):
        if len(words) <= n:
            continue
        tail = " ".join(words[-n:])
        if tail.strip(" .") in _US_WORDS:
            return None, segs
        bare = tail.strip(" .")
        if len(bare) > 3 or bare in _TAIL3 or bare in ("UK", "HK"):
            cc = _country_of(tail)
            if cc:
                return cc, segs[:-1] + [" ".join(words[:-n])]
    return None, segs


def _detect(text: str, hinted: str | None) -> tuple[str | None, str, list[str]]:
    """(country, text without a trailing country, raw segments) for a raw address."""
    upper = text.upper()
    lead = _LEADING.match(upper)
    if lead:
        upper = upper[lead.end():]
    segs = [s.strip() for s in _SEGMENT_SEP.split(upper) if s.strip(" .()[]-")]
    if not segs:
        return hinted, upper, segs
    found, rest = _trailing_country(segs)
    if found:  # a country written at the end of the address wins over the context's hint
        segs = [s for s in rest if s.strip()]
    cc = found or hinted or ("CN" if lead else None)
    if cc is None:
        body = normalise(", ".join(segs))
        if _US_END.search(body) or _US_END.search(", ".join(segs)):
            cc = "US"
        elif _CN.search(upper) and not _HK.search(upper):
            cc = "CN"
        elif _HK.search(upper):
            cc = "HK"
    return cc, ", ".join(segs), segs


def _postcode(body: str, cc: str) -> str:
    pat = _POSTCODE_RE.get(cc)
    if not pat:
        return ""
    found = list(pat.finditer(body))
    if not found:
        return ""
    m = found[-1]
    return m.group(1) if m.groups() else m.group(0)


def _city(segs: list[str], body: str, cc: str, postcode: str) -> str:
    for i, seg in enumerate(segs):
        norm = normalise(seg)
        if postcode and postcode in norm:
            left = norm.replace(postcode, " ")
            if cc == "US":
                left = _US_STATE.sub(" ", left)
            left = " ".join(left.split())
            if _LETTER.search(left) and len(left.split()) <= 3:
                return left
            if i > 0 and len(normalise(segs[i - 1]).split()) <= 3:
                return normalise(segs[i - 1])
            break
    m = _CN_CITY.search(body) or _CN_CITY_HAN.search(body) if cc == "CN" else None
    return m.group(1) if m else ""


def clean_address(raw: str, hint: Hint | None = None) -> Cleaned:
    """'Rm 1201, 12/F, Tower A, ..., Shenzhen 518048, China' -> 'CN|RM 1201 FL 12 TOWER A ...'."""
    text = _prep(raw)
    if not text:
        return reject("empty")
    keyed = _KEYED.fullmatch(text)
    if keyed and (keyed.group(1) == "XX" or country_code(keyed.group(1)) == keyed.group(1)):
        cc, segs = keyed.group(1), []
        body = normalise(keyed.group(2))
    else:
        cc, rest, segs = _detect(text, country_code((hint or {}).get("country")))
        body = normalise(rest)
        cc = cc or "XX"
    if len(body) > _MAX_LEN:
        return reject("too long")
    if not _LETTER.search(body):
        return reject("no letters")
    if sum(map(str.isalnum, body)) < _MIN_ALNUM:
        return reject("too short to be an address")
    postcode = _postcode(body, cc)
    rest = (_UNIT_ASCII if body.isascii() else _UNIT).sub(" ", body)
    if postcode:
        pc = re.escape(postcode)
        rest = re.sub(rf"(?<![0-9A-Z]){pc}(?:-[0-9]{{4}})?(?![0-9A-Z])", " ", rest)
    rest = " ".join(rest.split())
    premises = f"{cc}|{postcode}|{rest}" if _WORD.search(rest) else ""
    return accept(f"{cc}|{body}", country=cc if cc != "XX" else "", postcode=postcode,
                  premises=premises, city=_city(segs, body, cc, postcode))
