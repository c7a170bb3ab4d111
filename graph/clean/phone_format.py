"""``phonenumbers.number_type`` and ``format_number(..., INTERNATIONAL)`` with their patterns looked up once.

phonenumbers walks a region's number descriptions and formats through three layers of small functions
per number, fetching every pattern from its cache by string each time. Here the same patterns, in the
same order and with the same tests, are gathered once per region's metadata into a table; the answers
are the same (a property test compares both on generated numbers of every region). If a phonenumbers
release changes the private helpers used, :data:`AVAILABLE` is false and the library's functions are used.
"""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType
from phonenumbers import phonenumberutil as _util
from phonenumbers.phonemetadata import PhoneMetadata

AVAILABLE = all(hasattr(_util, name) for name in (
    "COUNTRY_CODE_TO_REGION_CODE", "region_code_for_country_code", "_maybe_append_formatted_extension",
    "national_significant_number"))

# the descriptions number_type() tries, in its order, before the fixed-line / mobile ones
_SPECIAL = (("premium_rate", PhoneNumberType.PREMIUM_RATE), ("toll_free", PhoneNumberType.TOLL_FREE),
            ("shared_cost", PhoneNumberType.SHARED_COST), ("voip", PhoneNumberType.VOIP),
            ("personal_number", PhoneNumberType.PERSONAL_NUMBER), ("pager", PhoneNumberType.PAGER),
            ("uan", PhoneNumberType.UAN), ("voicemail", PhoneNumberType.VOICEMAIL))
_types: dict[int, tuple] = {}  # id(metadata) -> (metadata, table): metadata objects live for the process
_formats: dict[int, tuple] = {}


def _matcher(desc):
    """``_is_number_matching_desc(nsn, desc)`` as (lengths or None, pattern), or None: never matches."""
    if desc is None or not desc.national_number_pattern:
        return None
    lengths = frozenset(desc.possible_length) if len(desc.possible_length) > 0 else None
    return lengths, re.compile(desc.national_number_pattern)


def _matches(matcher, nsn: str) -> bool:
    # phonenumbers: length in possible_length, then pattern.match and pattern.fullmatch; a string has
    # a full match only if it has a match at its start, so fullmatch alone gives the same answer
    if matcher is None:
        return False
    lengths, pattern = matcher
    return (lengths is None or len(nsn) in lengths) and pattern.fullmatch(nsn) is not None


def _type_table(metadata) -> tuple:
    entry = _types.get(id(metadata))
    if entry is None or entry[0] is not metadata:
        table = (_matcher(metadata.general_desc),
                 tuple((kind, m) for attr, kind in _SPECIAL if (m := _matcher(getattr(metadata, attr)))),
                 _matcher(metadata.fixed_line), _matcher(metadata.mobile),
                 bool(metadata.same_mobile_and_fixed_line_pattern))
        entry = _types[id(metadata)] = (metadata, table)
    return entry[1]


def number_type_of(nsn: str, metadata) -> int:
    """``phonenumbers``' ``_number_type_helper(nsn, metadata)``."""
    general, specials, fixed, mobile, same = _type_table(metadata)
    if not _matches(general, nsn):
        return PhoneNumberType.UNKNOWN
    for kind, matcher in specials:
        if _matches(matcher, nsn):
            return kind
    if _matches(fixed, nsn):
        if same or _matches(mobile, nsn):
            return PhoneNumberType.FIXED_LINE_OR_MOBILE
        return PhoneNumberType.FIXED_LINE
    if not same and _matches(mobile, nsn):
        return PhoneNumberType.MOBILE
    return PhoneNumberType.UNKNOWN


def _format_table(formats) -> tuple:
    entry = _formats.get(id(formats))
    if entry is None or entry[0] is not formats:
        table = tuple((fmt, re.compile(fmt.leading_digits_pattern[-1]) if len(fmt.leading_digits_pattern) else None,
                       re.compile(fmt.pattern)) for fmt in formats)
        entry = _formats[id(formats)] = (formats, table)
    return entry[1]


def format_international(number, nsn: str) -> str:
    """``phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)``; ``nsn`` is its national
    significant number."""
    code = number.country_code
    if not AVAILABLE or number.national_number == 0 or code not in _util.COUNTRY_CODE_TO_REGION_CODE:
        return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
    region = _util.region_code_for_country_code(code)
    metadata = PhoneMetadata.metadata_for_region_or_calling_code(code, region.upper())
    formats = metadata.intl_number_format if len(metadata.intl_number_format) else metadata.number_format
    formatted = nsn
    for fmt, leading, pattern in _format_table(formats):  # _choose_formatting_pattern_for_number
        if (leading is None or leading.match(nsn)) and pattern.fullmatch(nsn):
            formatted = pattern.sub(fmt.format, nsn)  # _format_nsn_using_pattern, INTERNATIONAL
            break
    formatted = _util._maybe_append_formatted_extension(number, metadata, PhoneNumberFormat.INTERNATIONAL,
                                                        formatted)
    return f"+{code} {formatted}"
