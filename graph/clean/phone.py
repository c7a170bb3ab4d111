"""Phone numbers: raw text in, E.164 out (via ``phonenumbers``' bundled metadata).

The country of a local number comes from ``hint["country"]`` (ISO-2 code or a
country name). Without it only international numbers parse: ``+86 ...``,
``0086 ...``, ``(+86)138-...``. ``tel:`` links, extensions and full-width digits
are understood. The extension is a prop, not part of the key.
"""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType
from phonenumbers.phonemetadata import PhoneMetadata
from phonenumbers.phonenumberutil import national_significant_number

from graph.clean import Cleaned, Hint, accept, reject
from graph.clean.country import country_code
from graph.clean.domain import tidy
from graph.clean.phone_format import AVAILABLE as _TABLES, format_international, number_type_of
from graph.clean.phone_parse import parse_plus

# phonenumbers compiles its metadata patterns on every call unless told to keep them (9.x; a bounded set)
if hasattr(phonenumbers, "enable_pattern_cache"):
    phonenumbers.enable_pattern_cache()

_LABEL = re.compile(
    r"^\s*(?:telephone|tel|phone|ph|mobile|mob|cell|fax|whats\s*app|wechat|contact"
    r"|callto|sms)\b\s*(?:no\b\.?|number|#)?\s*[.:：/]*\s*", re.I)
_TEL_EXT = re.compile(r";\s*ext\s*=\s*", re.I)
_NOTE = re.compile(r"\([^()]*[^\W\d_][^()]*\)")  # "(WhatsApp)", "(office)"
_LIST = re.compile(r"\s*(?:/|,|;|\bor\b|、|，|\|)\s*", re.I)
_NON_DIGIT = re.compile(r"\D")
_IDD_00 = re.compile(r"^\(?\s*00\s*")
# digits with the usual punctuation and nothing else: no label, note, extension or second number to remove
_PLAIN = re.compile(r"[0-9+() .-]+")
_KINDS = {v: k.lower() for k, v in vars(PhoneNumberType).items()
          if k.isupper() and k != "UNKNOWN"}
_ERRORS = {
    NumberParseException.NOT_A_NUMBER: "not a phone number",
    NumberParseException.TOO_SHORT_AFTER_IDD: "too short",
    NumberParseException.TOO_SHORT_NSN: "too short",
    NumberParseException.TOO_LONG: "too long",
}


def _region(hint: Hint | None) -> str | None:
    if not hint:
        return None
    value = hint.get("country")
    return country_code(value) if isinstance(value, str) else None


def _strip_labels(text: str) -> str:
    for _ in range(3):  # "Tel/WhatsApp: ..." has more than one label
        stripped = _LABEL.sub("", text, count=1)
        if stripped == text:
            break
        text = stripped
    # RFC 3966: keep ";ext=", drop other parameters (";phone-context=...")
    return _TEL_EXT.sub(" ext. ", text).split(";", 1)[0].strip()


def _parse(text: str, region: str | None):
    fast = parse_plus(text, region)  # the same PhoneNumber, for "+CC digits" text
    if fast is not None:
        return fast, None
    try:
        return phonenumbers.parse(text, region), None
    except NumberParseException as exc:
        if exc.error_type == NumberParseException.INVALID_COUNTRY_CODE:
            if region is None and "+" not in text:
                return None, "no country for a local number"
            return None, "unknown country calling code"
        return None, _ERRORS.get(exc.error_type, "not a phone number")


def clean_phone(raw: str, hint: Hint | None = None) -> Cleaned:
    """'+86 138-0013-8000' -> '+8613800138000'; '(0755) 8888 1234' + {'country': 'CN'} -> '+8675588881234'."""
    text, why = tidy(raw, limit=500)
    if why:
        return reject(why)
    if not _PLAIN.fullmatch(text):  # most numbers in a table are plain: they skip the text clean-up
        text = _NOTE.sub(" ", _strip_labels(text)).strip()
        if sum(len(_NON_DIGIT.sub("", part)) >= 7 for part in _LIST.split(text)) > 1:
            return reject("more than one phone number")
    if not any(ch.isdigit() for ch in text):
        return reject("not a phone number")
    region = _region(hint)
    attempts = [text]
    if _IDD_00.match(text):  # 00 is the international prefix almost everywhere
        attempts.append(_IDD_00.sub("+", text, count=1))
    number, kind, why, country, nsn = None, PhoneNumberType.UNKNOWN, None, None, ""
    for attempt in attempts:
        parsed, err = _parse(attempt, region)
        # a number is valid exactly when it has a type (phonenumbers' own is_valid_number test)
        if parsed is not None:
            kind, country, nsn = _number_type(parsed)
        else:
            kind = PhoneNumberType.UNKNOWN
        if kind != PhoneNumberType.UNKNOWN:
            number = parsed
            break
        if why is None:
            why = err or _invalid(parsed, region)
    if number is None:
        return reject(why or "not a phone number")
    # format_number(number, E164) without its detour (a valid number has a national number)
    key = f"+{number.country_code}{nsn}" if number.national_number else \
        phonenumbers.format_number(number, PhoneNumberFormat.E164)
    return accept(key, format_international(number, nsn),
                  country=country if country and country.isalpha() and country != "ZZ" else "",
                  kind=_KINDS.get(kind, ""), extension=number.extension or "")


def _number_type(number) -> tuple[int, str | None, str]:
    """(``phonenumbers.number_type(number)``, ``region_code_for_number(number)``, national significant
    number), each worked out once: ``number_type`` finds the region itself and throws it away."""
    region = phonenumbers.region_code_for_number(number)
    if not _TABLES:  # pragma: no cover - another phonenumbers release
        return phonenumbers.number_type(number), region, national_significant_number(number)
    metadata = PhoneMetadata.metadata_for_region_or_calling_code(number.country_code, region)
    if metadata is None:
        return PhoneNumberType.UNKNOWN, region, ""
    nsn = national_significant_number(number)
    return number_type_of(nsn, metadata), region, nsn


def _invalid(number, region: str | None) -> str:
    where = phonenumbers.region_code_for_number(number) if number is not None else None
    if not where or not where.isalpha() or where == "ZZ":
        where = f"+{number.country_code}" if number is not None else region
    return f"not a valid phone number for {where}" if where else "not a valid phone number"
