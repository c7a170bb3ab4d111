"""Country names and codes to ISO 3166-1 alpha-2 (pycountry's bundled data, offline)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import pycountry

from graph.clean import Cleaned, Hint, accept, reject

# Spellings seen in seller data that pycountry does not know by itself.
_ALIASES = {
    "USA": "US", "US": "US", "UNITED STATES OF AMERICA": "US", "AMERICA": "US",
    "UK": "GB", "GREAT BRITAIN": "GB", "ENGLAND": "GB", "SCOTLAND": "GB", "WALES": "GB",
    "PRC": "CN", "PR CHINA": "CN", "MAINLAND CHINA": "CN",
    "CHINA MAINLAND": "CN", "中国": "CN", "中华人民共和国": "CN", "中國": "CN",
    "HONG KONG": "HK", "HONG KONG SAR": "HK", "HK SAR": "HK", "香港": "HK",
    "TAIWAN": "TW", "台湾": "TW", "台灣": "TW", "MACAU": "MO", "MACAO": "MO", "澳门": "MO",
    "SOUTH KOREA": "KR", "KOREA": "KR", "RUSSIA": "RU", "VIETNAM": "VN", "VIET NAM": "VN",
    "TURKEY": "TR", "TURKIYE": "TR", "UAE": "AE", "HOLLAND": "NL",
    "THE NETHERLANDS": "NL", "CZECH REPUBLIC": "CZ", "IRAN": "IR", "LAOS": "LA",
    "DEUTSCHLAND": "DE", "ESPANA": "ES", "ESPAÑA": "ES", "ITALIA": "IT", "POLSKA": "PL",
    "NEDERLAND": "NL", "SCHWEIZ": "CH", "SUISSE": "CH", "ÖSTERREICH": "AT", "OSTERREICH": "AT",
}
_SPACES = re.compile(r"\s+")
_NOT_COUNTRIES = {"EU", "XX", "ZZ", "N/A", "NA", "NONE", "UNKNOWN"}


@lru_cache(maxsize=4096)
def _lookup(text: str) -> str | None:
    upper = text.upper()
    if upper in _NOT_COUNTRIES:
        return None
    for form in (upper, upper.replace(".", "").replace("  ", " ")):
        if form in _ALIASES:
            return _ALIASES[form]
    try:
        return pycountry.countries.lookup(text).alpha_2
    except LookupError:
        pass
    try:
        return pycountry.countries.lookup(upper).alpha_2
    except LookupError:
        return None


def clean_country(raw: str, hint: Hint | None = None) -> Cleaned:
    """'China', 'P.R.C.', 'cn', 'CHN', '中国' -> 'CN'."""
    text = unicodedata.normalize("NFKC", raw).strip().strip(".,;:()[]")
    text = _SPACES.sub(" ", text)
    if not text or len(text) > 60:
        return reject("not a country")
    code = _lookup(text)
    if code is None:
        return reject(f"unknown country {text[:40]!r}")
    return accept(code)


def country_code(raw: object) -> str | None:
    """ISO alpha-2 for ``raw`` or ``None``; never raises."""
    if not isinstance(raw, str) or not raw.strip():
        return None
    return _country_code(raw)


@lru_cache(maxsize=4096)
def _country_code(raw: str) -> str | None:  # every phone and address of a row asks for its country hint
    return clean_country(raw).key
