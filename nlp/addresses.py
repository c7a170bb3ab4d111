"""Postal addresses in prose: US (checked with ``usaddress``), CN/HK (English and Chinese forms) and EU.

An address is found from its end (US state + ZIP, a Chinese six-digit postcode or "China"/"Hong Kong", an
EU postcode + city, a UK postcode, optionally followed by the country) back to its first element (house
number, room, flat, unit, building, street word), within one paragraph and after the last label or verb
("Address:", "located at", "ships from"). A company name on the line before the street is not included.
"""

from __future__ import annotations

import re

import usaddress

from graph.clean import clean

from nlp.mention import Mention

_US_STATES = set("AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM "
                 "NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR".split())
_COUNTRY_TAIL = (r"(?:,?[ \t]*\n?[ \t]*(?:USA|U\.S\.A\.?|United States(?: of America)?|US|P\.?\s?R\.?\s?China|"
                 r"People'?s Republic of China|PRC|China|CN|Hong Kong(?: SAR)?|Germany|Deutschland|France|Italy|"
                 r"Italia|Spain|España|(?:[Tt]he )?Netherlands|Nederland|Austria|Österreich|Belgium|Belgique|België|"
                 r"Poland|Polska|United Kingdom|UK|GB|Great Britain|Ireland|Portugal|Switzerland|Schweiz|Suisse|Svizzera|"
                 r"Luxembourg|Denmark|Danmark|Sweden|Sverige|Norway|Norge|Finland|Suomi|Lithuania|Lietuva|Latvia|"
                 r"Estonia|Czech Republic|Czechia|Slovakia|Slovenia|Hungary|Romania|Bulgaria|Croatia|Greece|"
                 r"Turkey|Türkiye|Canada|Australia|Japan|Taiwan|Singapore|Malaysia|Korea|New Zealand|"
                 r"United Arab Emirates|UAE))?")
_ENDS = re.compile(
    r"(?P<us>\b(?P<state>[A-Z]{2}),?(?:[ \t]+|[ \t]*\n[ \t]*)\d{5}(?:-\d{4})?\b)" + _COUNTRY_TAIL
    + r"|(?P<cn>\b\d{6}\b)" + _COUNTRY_TAIL
    + r"|(?P<uk>\b[A-Z]{1,2}\d[A-Z\d]?[ \t]\d[A-Z]{2}\b)" + _COUNTRY_TAIL
    + r"|(?P<eu>\b(?:[A-Z]{1,2}-)?(?:\d{4}[ \t]?[A-Z]{2}(?!\w)|\d{4}-\d{3}|\d{4,5}|\d\d-\d{3})[ \t]+[A-ZÄÖÜÉŁŚŻ][\w\u00c0-\u017f-]+(?:[ \t][A-Z][\w-]+)?"
    + r"(?:[ \t]\([A-Z]{2}\))?)" + _COUNTRY_TAIL
    + r"|(?P<country>\b(?:P\.?\s?R\.?\s?China|China|PRC|Hong Kong(?: SAR)?)\b)")
_START = re.compile(
    r"(?:Room|Rm\.?|Flat|Unit|Suite|Ste\.?|Apt\.?|Building|Bldg\.?|Block|Blk\.?|Floor|Level|No\.[ \t]?\d|"
    r"Shop(?=[ \t]*(?:No\.?[ \t]*)?[A-Z]?\d)|"
    r"\d{1,3}/F|P\.?[ \t]?O\.?[ \t]+Box|\d{1,6}[A-Za-z]?(?:-\d{1,4}){0,2},?[ \t]+[A-Z0-9]|"
    r"[A-ZÄÖÜÅØÆ][a-zäöüßåøæ]+(?:straße|strasse|str\.|weg|platz|gasse|allee|ring|damm|laan|straat|gracht|plein|kade|"
    r"dijk|singel|markt|gatan|gata|vägen|vej|gade|veien|gate|katu|tie)[ \t]+\d|"
    r"[A-ZĀ-Ž][a-zā-ž\u0101-\u017f]+[ \t]+(?:g\.|pr\.|al\.|iela|tn\.?|mnt\.?|gatvė|prospektas)[ \t]+\d|"
    r"[A-ZÄÖÜ][\wäöüß-]+[ \t]+(?:Allee|Straße|Strasse|Weg|Platz|Ring|Damm|Gasse|Ufer|Chaussee)[ \t]+\d|"
    r"\d{1,5}[a-z]?,?[ \t]+(?:rue|avenue|boulevard|bd|place|chemin|allée|impasse|quai|via|viale|corso|piazza|"
    r"calle|avenida|plaza|carrer)\b|"
    r"(?:Via|Viale|Rue|Calle|Avenida|Avda\.|Plaza|Piazza|Corso|Boulevard|Carrer|Ulica|ul\.|Avenue|Chaussée|Quai|"
    r"Chemin|Allée|Impasse|Rua|Largo|Travessa|Strada|Paseo|Ronda|Carretera|Rambla|Traverse)[ \t])")
_BOUNDARY = re.compile(r"\n[ \t]*\n|[:：;]|[.!?](?=[ \t]+[A-Z][a-z]+[ \t][a-z])|\(|\)|\"|“|”|"
                       r"\b(?:at|to|from|is|was|in|via|by|[Aa]ddress|[Ll]ocated|[Ss]hips?|[Rr]eturned|[Ww]arehouse|"
                       r"and|At|From|In|situ[ée]e?s?|sise?|sede|ubicad[ao]|domiciliad[ao]|Sitz)\b|[€$£¥]")
_CN = re.compile(
    r"(?:(?:(?:广东|浙江|福建|江苏|山东|河北|河南|湖南|湖北|江西|安徽|四川|辽宁|山西|吉林|黑龙江|海南|贵州|云南|陕西|"
    r"甘肃|青海|台湾)省|(?:广西|内蒙古|宁夏|新疆|西藏)(?:壮族|回族|维吾尔)?自治区)(?:[\u4e00-\u9fff]{2,3}?市)?|"
    r"(?:广东|浙江|福建|江苏|山东|河北|河南|湖南|湖北|江西|安徽|四川|辽宁|广西)?"
    r"(?:深圳|广州|东莞|义乌|金华|杭州|宁波|厦门|泉州|莆田|佛山|中山|惠州|苏州|上海|北京|天津|重庆|汕头|温州|台州|"
    r"青岛|长沙|武汉|成都|南京|无锡|珠海|江门|揭阳|晋江|石狮|香港|九龍|九龙|新界)市?|"
    r"(?:台北|臺北|新北|桃園|桃园|台中|臺中|台南|臺南|高雄|基隆|新竹|嘉義|嘉义)[市縣县])"
    r"[\u4e00-\u9fff0-9A-Za-z\-－]{2,40}?(?:\d+(?:-\d+)?|[一二三四五六七八九十]+)[号室楼层栋座號樓層棟档檔]"
    r"(?:[\u4e00-\u9fff0-9A-Za-z\-－]{0,20}?\d+[室号楼层栋座號樓層棟档檔铺舖])*(?:[A-Za-z]?\d+[室档檔铺舖]?|[A-Za-z][室座])?")
# Japanese addresses written in Japanese: [〒postcode] prefecture, city / ward, chome-ban-go, [building floor / room]
_JP_PREFS = ("北海道|東京都|京都府|大阪府|(?:青森|岩手|宮城|秋田|山形|福島|茨城|栃木|群馬|埼玉|千葉|神奈川|新潟|富山|石川|福井|"
             "山梨|長野|岐阜|静岡|愛知|三重|滋賀|兵庫|奈良|和歌山|鳥取|島根|岡山|広島|山口|徳島|香川|愛媛|高知|福岡|佐賀|長崎|"
             "熊本|大分|宮崎|鹿児島|沖縄)県")
_JP = re.compile(r"(?:〒[ \t]?\d{3}-\d{4}[ \t]*)?(?:" + _JP_PREFS + r")(?=[^\d\s]{0,8}?[市区町村郡])[\u3040-\u30ff\u4e00-\u9fff]{1,20}?\d+"
                 r"(?:(?:丁目|番地?|号|-|の)\d+){0,3}(?:号|番地?)?"
                 r"(?:[ \t]?[\u3040-\u30ff\u4e00-\u9fffA-Za-z]{1,20}?\d+(?:階|F|号室))?")
_MAX_BACK = 220
_STREET_WORD = re.compile(r"[^\W\d_]{2,}")
_COPYRIGHT = re.compile(r"©|\([cC]\)|[Cc]opyright")
_CN_PLACE = re.compile(r"China|PRC|Shenzhen|Guangzhou|Guangdong|Dongguan|Yiwu|Zhejiang|Fujian|Xiamen|Shanghai|"
                       r"Beijing|Hangzhou|Ningbo|Putian|Jiangsu|Quanzhou|Foshan|Jinhua|District|Province", re.I)


def _us_ok(candidate: str) -> bool:
    try:
        tags, kind = usaddress.tag(candidate.replace("\n", ", "))
    except usaddress.RepeatedLabelError:
        return False
    return kind == "Street Address" and "AddressNumber" in tags and "ZipCode" in tags


def _start_of(text: str, para_start: int, end: int) -> int | None:
    lo = max(para_start, end - _MAX_BACK)
    cut = lo
    for b in _BOUNDARY.finditer(text, lo, end):
        cut = b.end()
    s = _START.search(text, cut, end)
    if s is None:
        return None
    return s.start()


# every match of _ENDS contains one of these (a 4-6 digit postcode, a UK postcode, China / PRC / Hong Kong) and
# starts at most a few characters before it: _ENDS runs only in windows around them (a big alternation tried
# at every position of a long text is slow)
_ANCHORS = re.compile(r"\d{4,6}\b|\b[A-Z]{1,2}\d[A-Z\d]?[ \t]\d[A-Z]{2}\b|China|PRC|Hong Kong")
_PL_POSTCODE = re.compile(r"\d\d-\d{3}\b")  # Polish '05-800'
# ends of rarer forms, looked for only when their key word is in the text
_ENDS_MORE = re.compile(r"(?P<sg>\bSingapore[ \t]+\d{6}\b)"
                        r"|(?P<au>\b(?:ACT|NSW|NT|QLD|SA|TAS|VIC|WA)[ \t]+\d{4}\b)(?:,?[ \t]*Australia)?"
                        r"|(?P<ca>\b(?:AB|BC|MB|NB|NL|NS|NT|NU|ON|PE|QC|SK|YT)[ \t]+[A-Z]\d[A-Z][ \t]?\d[A-Z]\d\b)"
                        r"(?:,?[ \t]*Canada)?"
                        r"|(?P<jp>\b\d{3}-\d{4},?[ \t]*(?:Japan|日本))")
_CA_JP = (" AB ", " BC ", " MB ", " NB ", " NL ", " NS ", " NT ", " NU ", " ON ", " PE ", " QC ", " SK ", " YT ", "Japan",
          "日本")  # a Canadian province code or Japan: only then are their ends looked for
_AU_STATES = ("ACT ", "NSW ", "NT ", "QLD ", "SA ", "TAS ", "VIC ", "WA ")
_BEFORE, _AFTER = 24, 96
_HINTS = {"us": "US", "sg": "SG", "au": "AU", "ca": "CA", "jp": "JP"}
_LABEL_AFTER = re.compile(r"[ \t]*[:：]")


def _end_matches(text: str) -> list[re.Match[str]]:
    windows: list[list[int]] = []
    anchors = list(_ANCHORS.finditer(text))
    if "Pol" in text:  # Poland / Polska / Polen: Polish postcodes ('05-800') anchor an end too
        anchors = sorted(anchors + list(_PL_POSTCODE.finditer(text)), key=lambda a: a.start())
    for a in anchors:
        s, e = max(0, a.start() - _BEFORE), min(len(text), a.end() + _AFTER)
        if windows and s <= windows[-1][1]:
            windows[-1][1] = e
        else:
            windows.append([s, e])
    out: list[re.Match[str]] = []
    for s, e in windows:
        out.extend(m for m in _ENDS.finditer(text, s, e) if not out or m.start() >= out[-1].end())
    if "Singapore" in text or any(st in text for st in _AU_STATES) or any(k in text for k in _CA_JP):
        more = sorted(out + list(_ENDS_MORE.finditer(text)), key=lambda m: (m.start(), -m.end()))
        out = []
        for m in more:
            if not out or m.start() >= out[-1].end():
                out.append(m)
    return out


def extract_addresses(text: str) -> list[Mention]:
    out: list[Mention] = []
    taken_end = -1
    for m in _end_matches(text):
        if m.start() < taken_end:
            continue
        kind = next(k for k in ("us", "cn", "uk", "eu", "sg", "au", "ca", "jp", "country")
                    if k in m.re.groupindex and m.group(k))
        if kind == "eu" and _LABEL_AFTER.match(text, m.end("eu")):
            continue  # '… 2290  WeChat: …': a word followed by a colon is a label, not a city
        if kind == "eu" and _COPYRIGHT.search(text, max(0, m.start() - 12), m.start()):
            continue  # '© 2025 Quillon Store': a year, not a postcode
        if kind == "us" and m.group("state") not in _US_STATES:
            continue
        end = m.end()
        para = text.rfind("\n\n", 0, m.start())
        start = _start_of(text, para + 2 if para >= 0 else 0, m.start(kind))
        if start is None or start >= m.start() or start and text[start - 1] in "+＋":
            continue  # an address never starts inside an international phone number
        span = text[start:end]
        lines = span.count("\n")
        if lines > 4 and (lines > 8 or max(len(x.strip()) for x in span.split("\n")) > 40):
            continue  # more than five lines only in the one-element-per-line form (short lines)
        if len(span) < 12 or not re.search(r"[A-Za-z]{3}", span):
            continue
        if kind in ("eu", "uk", "us") and not _STREET_WORD.search(text, start, m.start(kind)):
            continue  # '02 1234 5678 Milano': digits before a postcode and a city are a phone number, not a street
        if kind == "us" and not _us_ok(span):
            continue
        if kind == "country" and not re.search(r"\d", span):
            continue
        if kind == "cn" and not m.group(0)[len(m.group("cn")):].strip(" ,") and not _CN_PLACE.search(span):
            continue  # a bare six-digit number is a postcode only in a Chinese address
        hint = {"country": _HINTS[kind]} if kind in _HINTS else {}
        c = clean("address", span, hint)
        mention = Mention(start, end, "ADDRESS", span, value=" ".join(span.split()),
                          key=c.key if c.ok else None, node="Address" if c.ok else None, props={"form": kind})
        out.append(mention)
        taken_end = end
    for m in _JP.finditer(text) if ("都" in text or "道" in text or "府" in text or "県" in text) else ():
        c = clean("address", m.group(0), {"country": "JP"})
        out.append(Mention(m.start(), m.end(), "ADDRESS", m.group(0), value=m.group(0), key=c.key if c.ok else None,
                           node="Address" if c.ok else None, props={"form": "ja"}))
    for m in (() if text.isascii() else _CN.finditer(text)):  # Chinese place names: never in ASCII text
        c = clean("address", m.group(0), {"country": "CN"})
        out.append(Mention(m.start(), m.end(), "ADDRESS", m.group(0), value=m.group(0), key=c.key if c.ok else None,
                           node="Address" if c.ok else None, props={"form": "zh"}))
    return out
