"""A cheaper ``phonenumbers.parse`` for the commonest shape of phone number in seller data and notes.

``+`` then ASCII digits in groups separated by single spaces or hyphens (``+86 138 0013 8000``,
``+852-5123-4567``). For such text ``phonenumbers.parse`` does a lot of work that cannot change the
result (looking for a ``tel:`` prefix, a phone context, a second number, an extension, letters; turning
every character into a digit through the Unicode database): :func:`parse_plus` does the rest of its
steps in the same order with its own helpers (country calling code, national prefix, length checks,
leading zeros) and gives an equal ``PhoneNumber``. Anything else, and every case in which
``phonenumbers.parse`` would raise, returns ``None``: the caller then uses ``phonenumbers.parse``.

A property test checks ``parse_plus(text, region) == phonenumbers.parse(text, region)`` on generated
numbers of this shape; if a phonenumbers release renames the helpers, :data:`AVAILABLE` is false and
every number takes the full parser.
"""

from __future__ import annotations

import re

from phonenumbers import PhoneNumber
from phonenumbers import phonenumberutil as _util
from phonenumbers.phonemetadata import PhoneMetadata

_NEEDED = ("COUNTRY_CODE_TO_REGION_CODE", "region_code_for_country_code", "ValidationResult",
           "_maybe_strip_national_prefix_carrier_code", "_test_number_length",
           "_set_italian_leading_zeros_for_phone_number", "_MIN_LENGTH_FOR_NSN", "_MAX_LENGTH_FOR_NSN",
           "_MAX_INPUT_STRING_LENGTH", "_MAX_LENGTH_COUNTRY_CODE")
AVAILABLE = all(hasattr(_util, name) for name in _NEEDED)

# a first digit 0 has no country calling code: phonenumbers then retries without the plus (full parser)
_SHAPE = re.compile(r"\+[1-9][0-9]*(?:[ -][0-9]+)*")

if AVAILABLE:
    _CODES = _util.COUNTRY_CODE_TO_REGION_CODE
    _MIN_NSN, _MAX_NSN = _util._MIN_LENGTH_FOR_NSN, _util._MAX_LENGTH_FOR_NSN
    _MAX_INPUT, _MAX_CC = _util._MAX_INPUT_STRING_LENGTH, _util._MAX_LENGTH_COUNTRY_CODE
    _NOT_POSSIBLE = (_util.ValidationResult.TOO_SHORT, _util.ValidationResult.IS_POSSIBLE_LOCAL_ONLY,
                     _util.ValidationResult.INVALID_LENGTH)


def parse_plus(text: str, region: str | None) -> PhoneNumber | None:
    """``phonenumbers.parse(text, region)`` for ``+CC digits`` text, or ``None`` (use the full parser)."""
    if not AVAILABLE or len(text) > _MAX_INPUT or not _SHAPE.fullmatch(text):
        return None
    digits = text[1:].replace(" ", "").replace("-", "")
    if len(digits) <= _MIN_NSN:  # phonenumbers: "too short after IDD"
        return None
    for size in range(1, min(len(digits), _MAX_CC) + 1):
        code = int(digits[:size])
        if code in _CODES:
            national = digits[size:]
            break
    else:  # phonenumbers retries the digits without the plus
        return None
    metadata = PhoneMetadata.metadata_for_region(region.upper(), None) if region is not None else None
    number_region = _util.region_code_for_country_code(code)
    if number_region != region:
        metadata = PhoneMetadata.metadata_for_region_or_calling_code(code, number_region)
    if metadata is None or len(national) < _MIN_NSN:
        return None
    _, potential, _ = _util._maybe_strip_national_prefix_carrier_code(national, metadata)
    if _util._test_number_length(potential, metadata) not in _NOT_POSSIBLE:
        national = potential
    if not _MIN_NSN <= len(national) <= _MAX_NSN:
        return None
    number = PhoneNumber()
    number.country_code = code
    _util._set_italian_leading_zeros_for_phone_number(national, number)
    number.national_number = int(national)
    return number
