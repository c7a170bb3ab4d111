"""Names: store display names, legal names of sellers, and brands (trademarks).

Key formats:

* name:   casefolded text, every run of punctuation/symbols/whitespace -> one space
  (letters of every script, digits and CJK kept).
* seller: ``"<NORMALISED UPPER NAME>|<CC or XX>"``; punctuation -> space (``&`` kept),
  spaces next to CJK removed, the trailing legal form normalised (``Co., Ltd.`` ->
  ``CO LTD``, ``L.L.C.`` -> ``LLC``, ``S.A.R.L.`` -> ``SARL``; 有限公司 kept in script).
* brand:  NFKC, ™ ® © ℠ removed, casefolded, whitespace collapsed (punctuation kept).
"""

from __future__ import annotations

import re
import unicodedata
from itertools import product

from graph.clean.text import fold_text
from graph.clean import Cleaned, Hint, accept, reject
from graph.clean.country import country_code

_MAX_IN, _MAX_LEN = 1000, 300
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_REDACTED = re.compile(  # matched on casefolded text with punctuation turned into spaces
    r"redacted|data protected|privacy service|privacy protect|privacy ehf|withheld for privacy"
    r"|whois ?privacy|contact privacy|domains ?by ?proxy|whois ?guard|private registration"
    r"|registration private|privacy ?guardian|perfect privacy|identity protect|id protect"
    r"|gdpr|not disclosed|non public|statutory masking|proxy protection|whois agent"
    r"|c o dynadot|privacy link|隐私|隱私|信息保护"
    r"|query the rdds service|select contact domain holder|domain protection services|anonymize"
    r"|private by design|on behalf of .{0,60}owner|1337 services|^hidden$")
# the same test, faster: without its one anchored spelling the pattern starts with a literal in every
# branch, which lets the regex engine skip ahead; "^hidden$" on text with no newline is equality
_REDACTED_UNANCHORED = re.compile(_REDACTED.pattern.removesuffix("|^hidden$"))
_NOT_WORD = re.compile(r"[\W_]+")
_NOT_NAME = re.compile(r"[^\w&]|_")
_MARKS = re.compile(r"[™®©℠]")
_KEYED = re.compile(r"(.*\S)\|([A-Z]{2})")
_PLACEHOLDER = {"n a", "na", "none", "null", "nil", "unknown", "not applicable",
                "not available", "test", "tbd", "private", "privacy"}
# legal forms: canonical form <- word patterns ("|" separates a word's spellings)
_FORMS_SPEC = """
CO LTD = CO|COMPANY LTD|LIMITED;  LTD = LTD|LIMITED;  CO = CO|COMPANY
PTY LTD = PTY|PROPRIETARY LTD|LIMITED;  PTE LTD = PTE|PRIVATE LTD|LIMITED
LLC = LLC;  LLC = L L C;  LLC = LIMITED LIABILITY CO|COMPANY;  INC = INC|INCORPORATED
CORP = CORP|CORPORATION;  PLC = PLC;  LLP = LLP;  LP = LP;  GMBH = GMBH
GMBH & CO KG = GMBH &|UND CO KG;  UG = UG;  UG = UG HAFTUNGSBESCHRANKT|HAFTUNGSBESCHRÄNKT
AG = AG;  KG = KG;  SL = SL;  SL = S L;  SARL = SARL;  SARL = S A R L;  SAS = SAS
SAS = S A S;  SA = SA;  SA = S A;  SRL = SRL;  SRL = S R L;  SPA = SPA;  SPA = S P A
BV = BV;  BV = B V;  NV = NV;  NV = N V;  SP Z O O = SP Z O O;  OY = OY;  AB = AB
KFT = KFT;  SRO = SRO;  SRO = S R O
"""
_FORMS: dict[tuple[str, ...], str] = {}
for _rule in _FORMS_SPEC.replace("\n", ";").split(";"):
    if _rule.strip():
        _canon, _pattern = (p.strip() for p in _rule.split("="))
        for _combo in product(*(w.split("|") for w in _pattern.split())):
            _FORMS[_combo] = _canon
_MAX_FORM = max(len(k) for k in _FORMS)
_CJK_SPACE = re.compile(rf"(?<=[{_CJK}]) | (?=[{_CJK}])")
_HAN_FORMS = ("股份有限公司", "有限责任公司", "有限責任公司", "有限公司")


def _prep(raw: str) -> str:
    return " ".join(fold_text(raw, _MAX_IN).split())


def _fix(fn, text: str) -> str:
    for _ in range(5):
        new = fn(text)
        if new == text:
            break
        text = new
    return text


def _loose(text: str) -> str:
    return unicodedata.normalize("NFKC", text.casefold())


def is_redacted(text: str) -> bool:
    """True for WHOIS privacy/redaction values ('REDACTED FOR PRIVACY', 'Domains By Proxy')."""
    if not isinstance(text, str):
        return False
    folded = " ".join(_NOT_WORD.sub(" ", _loose(_prep(text))).split())
    return folded == "hidden" or _REDACTED_UNANCHORED.search(folded) is not None


def _has_alnum(text: str) -> bool:
    return any(c.isalnum() for c in text)


def clean_name(raw: str, hint: Hint | None = None) -> Cleaned:
    """A store display name or alias: 'Best★Shop  Official' -> 'best shop official'."""
    display = _prep(raw)
    if not display:
        return reject("empty")
    if len(display) > _MAX_LEN:
        return reject("too long for a name")
    key = _fix(lambda t: " ".join(_NOT_WORD.sub(" ", _loose(t)).split()), display)
    if not key:
        return reject("no letters or digits")
    return accept(key, display, display=display)


def _upper_once(text: str) -> str:
    s = unicodedata.normalize("NFKC", text.upper()).replace("&", " & ")
    s = " ".join(_NOT_NAME.sub(" ", s).split())
    return _CJK_SPACE.sub("", s) if not s.isascii() else s  # (no CJK in ASCII text)


def _split_form(name: str) -> tuple[str, str]:
    """(base name, legal form) of an upper-case normalised name."""
    for form in _HAN_FORMS:
        if name.endswith(form):
            return name[: -len(form)].strip(" &"), form
    words = name.split()
    for n in range(min(_MAX_FORM, len(words)), 0, -1):
        canon = _FORMS.get(tuple(words[-n:]))
        if canon:
            return " ".join(words[:-n]).strip(" &"), canon
    return name, ""


def _join(base: str, form: str) -> str:
    return _upper_once(f"{base} {form}".strip())


def clean_seller(raw: str, hint: Hint | None = None) -> Cleaned:
    """'Shenzhen Huaxin Trading Co., Ltd.' + CN -> 'SHENZHEN HUAXIN TRADING CO LTD|CN'."""
    text = _prep(raw)
    if not text:
        return reject("empty")
    keyed = _KEYED.fullmatch(text)
    if keyed and (keyed.group(2) == "XX" or country_code(keyed.group(2)) == keyed.group(2)):
        text, cc = keyed.group(1), keyed.group(2)
    else:
        cc = country_code((hint or {}).get("country")) or "XX"
    if len(text) > _MAX_LEN:
        return reject("too long for a name")
    name = _fix(_upper_once, text)
    if is_redacted(text) or is_redacted(name):
        return reject("redacted")
    if _loose(name) in _PLACEHOLDER:
        return reject("placeholder")
    if not _has_alnum(name):
        return reject("no letters or digits")
    name = _fix(lambda t: _join(*_split_form(t)), name)
    base, form = _split_form(name)
    if not _has_alnum(base):
        return reject("only a legal form")
    return accept(f"{name}|{cc}", text, country=cc if cc != "XX" else "",
                  legal_form=form, base_name=base)


def clean_brand(raw: str, hint: Hint | None = None) -> Cleaned:
    """A trademark: 'Acme™  Gear®' -> 'acme gear'."""
    text = _MARKS.sub(" ", raw[:_MAX_IN])
    text = _fix(lambda t: " ".join(_MARKS.sub(" ", _loose(t)).split()), _prep(text))
    if not text:
        return reject("empty")
    if len(text) > 200:
        return reject("too long for a brand")
    if not _has_alnum(text):
        return reject("no letters or digits")
    return accept(text)
