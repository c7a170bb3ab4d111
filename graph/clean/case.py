"""Court cases: court + docket number.

Key: ``"<court slug or unknown>:<docket>"``.

* Court slugs follow PACER court ids: ``<state postal code><n|s|e|w|c|m>d`` for districts
  named by direction (``ilnd`` N.D. Ill., ``nysd`` S.D.N.Y., ``pawd`` W.D. Pa., ``flsd``
  S.D. Fla.) and ``<state>d`` for single-district states (``njd`` D.N.J., ``ded`` D. Del.,
  ``dcd`` D.D.C.). The court comes from ``hint["court"]`` (slug, citation or full name),
  else from the text (citation such as "N.D. Ill." or "Northern District of Illinois").
  A court name that is not a US district gets a slug made of its word initials (CJK names:
  the name without spaces) and its text is kept in ``court_name``.
* US federal dockets (``1:24-cv-01234``, ``24-cv-1234``, ``No. 24 C 1234``, ``24cv1234``)
  become ``YY-type-NNNNN``: two-digit year, type ``cv``/``cr``/``mc``/``md``/``mj`` (``C``
  and ``civ`` -> ``cv``), case number zero-padded to 5 digits. The office/division prefix
  (``1:``) is NOT part of the key, because CM/ECF numbers are unique within a district and
  sources often omit it; it is kept in ``office`` and in the display value. Judge initials
  suffixes are dropped. ``year`` is four digits (YY < 70 -> 20YY, else 19YY).
* Other docket forms (EU, China, ...) are kept, upper-cased with whitespace collapsed and
  leading labels (Case No., Az., ...) dropped, only when a court is known.
"""

from __future__ import annotations

import re
import unicodedata

from graph.clean import Cleaned, Hint, accept, reject

_MAX_IN, _MAX_DOCKET = 1000, 120
_STATES = {}  # code -> (regex alternatives, display abbreviation)
for _row in """AL Alabama|Ala;AK Alaska;AZ Arizona|Ariz;AR Arkansas|Ark;CA California|Calif|Cal
CO Colorado|Colo;CT Connecticut|Conn;DE Delaware|Del;DC District of Columbia|Columbia|D.C
FL Florida|Fla;GA Georgia|Ga;HI Hawaii|Haw;ID Idaho;IL Illinois|Ill;IN Indiana|Ind;IA Iowa
KS Kansas|Kan;KY Kentucky|Ky;LA Louisiana|La;ME Maine|Me;MD Maryland|Md;MA Massachusetts|Mass
MI Michigan|Mich;MN Minnesota|Minn;MS Mississippi|Miss;MO Missouri|Mo;MT Montana|Mont
NE Nebraska|Neb;NV Nevada|Nev;NH New Hampshire|N.H;NJ New Jersey|N.J;NM New Mexico|N.M
NY New York|N.Y;NC North Carolina|N.C;ND North Dakota;OH Ohio;OK Oklahoma|Okla;OR Oregon|Or
PA Pennsylvania|Pa;RI Rhode Island|R.I;SC South Carolina|S.C;SD South Dakota;TN Tennessee|Tenn
TX Texas|Tex;UT Utah;VT Vermont|Vt;VA Virginia|Va;WA Washington|Wash;WV West Virginia|W. Va
WI Wisconsin|Wis;WY Wyoming|Wyo;PR Puerto Rico|P.R""".replace("\n", ";").split(";"):
    _code, _names = _row.split(" ", 1)
    _alts = _names.split("|")
    _STATES[_code] = (_alts, _alts[-1] + ("." if len(_alts) > 1 else ""))


def _alt(name: str) -> str:
    if "." in name:  # N.Y -> N\.?\s?Y\.?
        letters = [c for c in name if c.isalpha()]
        return r"\s?".join(re.escape(c) + r"\.?" for c in letters)
    return re.escape(name).replace(r"\ ", r"\s+") + r"\.?"


_ST = "|".join(f"(?P<{code}>{'|'.join(_alt(n) for n in sorted(alts, key=len, reverse=True))})"
               for code, (alts, _) in _STATES.items())
_COURT_PATTERNS = [re.compile(p, re.I | re.A) for p in (
    rf"\b(?P<dir>northern|southern|eastern|western|central|middle)\s+district\s+of\s+"
    rf"(?:{_ST})(?![a-z])",
    rf"\b(?P<dir>[nsewcm])\.?\s?d\.?\s?(?:{_ST})(?![a-z])",
    rf"\bdistrict\s+of\s+(?:{_ST})(?![a-z])",
    rf"\bd\.?\s?(?:{_ST})(?![a-z])",
)]
_SLUG = re.compile(r"([a-z]{2})([nsewcm]?)d")
_DOCKET = re.compile(
    r"(?<![0-9A-Za-z])(?:(?P<office>[0-9])\s?:\s?)?(?P<year>(?:19|20)?[0-9]{2})\s?-?\s?"
    r"(?P<type>civ|cv|cr|mc|md|mj|c)\s?-?\s?(?P<num>[0-9]{1,6})(?![0-9])", re.I | re.A)
_TYPES = {"c": "cv", "civ": "cv"}
_LABEL = re.compile(r"^(?:(?:CASE|NO|NUMBER|NUM|DOCKET|AZ|AKTENZEICHEN|REF|FILE|RG|CIVIL ACTION)"
                    r"(?![A-Z0-9])[\s.:#-]*)+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


def _prep(raw: str) -> str:
    text = raw[:_MAX_IN].encode("utf-8", "ignore").decode("utf-8")
    text = "".join(" " if unicodedata.category(c) == "Cc" else c for c in text
                   if unicodedata.category(c) not in ("Cf", "Cs", "Co", "Cn"))
    return " ".join(unicodedata.normalize("NFKC", text).split())


def _court_in(text: str) -> tuple[str, str] | None:
    """(slug, display name) of the first US district court cited in ``text``."""
    for pat in _COURT_PATTERNS:
        m = pat.search(text)
        if m:
            code = next(k for k in _STATES if m.group(k))
            d = (m.groupdict().get("dir") or "")[:1].upper()
            return f"{code.lower()}{d.lower()}d", _display(code, d)
    return None


def _display(code: str, direction: str) -> str:
    abbr = _STATES[code][1]
    sep = "" if re.match(r"[A-Z]\.", abbr) else " "
    return (f"{direction}.D." if direction else "D.") + sep + abbr


def _court_hint(hint: Hint | None) -> tuple[str, str, str] | None:
    """(slug, display name, court text to remove) from the hint, or None."""
    raw = (hint or {}).get("court")
    text = _prep(raw) if isinstance(raw, str) else ""
    if not text:
        return None
    m = _SLUG.fullmatch(text.lower())
    if m and m.group(1).upper() in _STATES:
        return text.lower(), _display(m.group(1).upper(), m.group(2).upper()), text
    found = _court_in(text)
    if found:
        return found[0], found[1], text
    if _CJK.search(text):
        slug = re.sub(r"[\s:|]+", "", text.lower())[:40]
    else:
        ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
        slug = "".join(w[0] for w in re.findall(r"[A-Za-z0-9]+", ascii_)).lower()
    return (slug, text, text) if slug else None


def _tidy(text: str, extra: str) -> str:
    """Text without court citations, empty brackets and leading labels, upper-cased."""
    for _ in range(6):
        new = text.upper()
        if extra:
            new = new.replace(extra.upper(), " ")
        for pat in _COURT_PATTERNS:
            new = pat.sub(" ", new)
        new = re.sub(r"\(\s*\)|\[\s*\]", " ", new)
        new = " ".join(new.split()).strip(" ,;:.-")
        new = _LABEL.sub("", new)
        if new == text:
            break
        text = new
    return text


def clean_case(raw: str, hint: Hint | None = None) -> Cleaned:
    """'Case No. 1:24-cv-01234 (N.D. Ill.)' -> 'ilnd:24-cv-01234'."""
    text = _prep(raw)
    if not text:
        return reject("empty")
    hinted = _court_hint(hint)
    court, name, extra = hinted or (None, "", "")
    m = re.match(r"([^\s:]+):(?=\S)", text)
    if m:
        prefix = m.group(1).lower()
        ok_slug = _SLUG.fullmatch(prefix) and prefix[:2].upper() in _STATES
        if (hinted and prefix == court) or (not hinted and (ok_slug or prefix == "unknown")):
            text = text[m.end():]
            if not hinted and prefix != "unknown":
                court, name = prefix, _court_hint({"court": prefix})[1]
    if court is None:
        found = _court_in(text)
        if found:
            court, name = found
    rest = _tidy(text, extra)
    d = _DOCKET.search(rest)
    if d:
        yy = int(d.group("year")) % 100
        kind = d.group("type").lower()
        kind = _TYPES.get(kind, kind)
        docket = f"{yy:02d}-{kind}-{int(d.group('num')):05d}"
        office = d.group("office") or ""
        return accept(f"{court or 'unknown'}:{docket}", f"{office}:{docket}" if office else docket,
                      court=court or "", court_name=name, docket=docket, office=office,
                      year=str(2000 + yy if yy < 70 else 1900 + yy))
    if court and re.search(r"[0-9]", rest) and len(rest) <= _MAX_DOCKET:
        return accept(f"{court}:{rest}", rest, court=court, court_name=name, docket=rest)
    return reject("no docket number")
