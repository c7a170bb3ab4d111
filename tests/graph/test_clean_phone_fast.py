"""The phone cleaner's shortcuts give phonenumbers' own answers (fast path == library, on generated numbers)."""

from __future__ import annotations

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType
from phonenumbers.phonemetadata import PhoneMetadata
from phonenumbers.phonenumberutil import COUNTRY_CODE_TO_REGION_CODE, SUPPORTED_REGIONS

from graph.clean.phone import clean_phone
from graph.clean.phone_format import AVAILABLE as TABLES, format_international, number_type_of
from graph.clean.phone_parse import AVAILABLE as PLUS, parse_plus

REGIONS = sorted(SUPPORTED_REGIONS)
CODES = sorted(COUNTRY_CODE_TO_REGION_CODE)
TYPES = sorted(v for k, v in vars(PhoneNumberType).items() if k.isupper())


def _fields(number):
    return (number.country_code, number.national_number, number.extension, number.italian_leading_zero,
            number.number_of_leading_zeros, number.raw_input, number.country_code_source,
            number.preferred_domestic_carrier_code)


def _library_parse(text, region):
    try:
        return phonenumbers.parse(text, region)
    except NumberParseException as exc:
        return exc.error_type


def test_the_shortcuts_are_in_use():
    assert PLUS and TABLES  # else the property tests below compare the library with itself


# "+", a country calling code (or any digits), then digit groups split by single spaces or hyphens
GROUPS = st.lists(st.tuples(st.sampled_from(["", " ", "-"]), st.text("0123456789", min_size=1, max_size=5)),
                  max_size=5)
PLUS_TEXT = st.builds(lambda head, groups: "+" + head + "".join(sep + g for sep, g in groups),
                      st.one_of(st.sampled_from(CODES).map(str), st.text("0123456789", min_size=1, max_size=4)),
                      GROUPS)
PLAIN_REGION = st.one_of(st.none(), st.sampled_from(REGIONS), st.sampled_from(["ZZ", "AQ", "XK", "001"]))


@settings(max_examples=600, deadline=None)
@given(text=PLUS_TEXT, region=PLAIN_REGION)
def test_parse_plus_equals_phonenumbers_parse(text, region):
    fast = parse_plus(text, region)
    if fast is not None:  # None: the cleaner uses phonenumbers.parse itself
        slow = _library_parse(text, region)
        assert not isinstance(slow, int), (text, region, slow)
        assert _fields(fast) == _fields(slow)


def test_parse_plus_takes_the_common_shapes_and_leaves_the_rest():
    assert _fields(parse_plus("+86 138 0013 8000", "CN")) == _fields(phonenumbers.parse("+86 138 0013 8000", "CN"))
    assert parse_plus("+852-5123-4567", None) == phonenumbers.parse("+852-5123-4567", None)
    for text in ("0755 8888 1234", "+86 (755) 8888 1234", "+0 123 4567", "+86  138", "+12", "＋86 138 0013 8000",
                 "+86 138 0013 8000 ext. 5", "+" + "1" * 260):
        assert parse_plus(text, "CN") is None, text


def _example_numbers():
    """phonenumbers' example number of every region and type, and the same with one digit changed."""
    out = []
    for region in REGIONS:
        for kind in TYPES:
            example = phonenumbers.example_number_for_type(region, kind)
            if example is None:
                continue
            out.append(example)
            digits = str(example.national_number)
            changed = phonenumbers.PhoneNumber()
            changed.merge_from(example)
            changed.national_number = int(digits[:-1] + str((int(digits[-1]) + 3) % 10))
            changed.extension = "12" if kind == PhoneNumberType.MOBILE else None
            out.append(changed)
    return out


EXAMPLES = _example_numbers()


def test_number_type_and_international_format_equal_the_library_for_every_region():
    assert len(EXAMPLES) > 1000
    for number in EXAMPLES:
        region = phonenumbers.region_code_for_number(number)
        metadata = PhoneMetadata.metadata_for_region_or_calling_code(number.country_code, region)
        nsn = phonenumbers.national_significant_number(number)
        if metadata is not None:
            assert number_type_of(nsn, metadata) == phonenumbers.number_type(number), number
        assert format_international(number, nsn) == phonenumbers.format_number(
            number, PhoneNumberFormat.INTERNATIONAL), number


@settings(max_examples=300, deadline=None)
@given(code=st.sampled_from(CODES), digits=st.text("0123456789", min_size=2, max_size=15))
def test_number_type_and_format_on_generated_numbers(code, digits):
    number = phonenumbers.PhoneNumber(country_code=code, national_number=int(digits))
    region = phonenumbers.region_code_for_number(number)
    metadata = PhoneMetadata.metadata_for_region_or_calling_code(code, region)
    nsn = phonenumbers.national_significant_number(number)
    if metadata is not None:
        assert number_type_of(nsn, metadata) == phonenumbers.number_type(number)
    assert format_international(number, nsn) == phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)


@pytest.mark.parametrize("fmt", [PhoneNumberFormat.E164, PhoneNumberFormat.INTERNATIONAL])
def test_clean_phone_keys_are_the_library_e164_for_valid_examples(fmt):
    checked = 0
    for number in EXAMPLES:
        if not phonenumbers.is_valid_number(number) or number.extension:
            continue
        text = phonenumbers.format_number(number, fmt)
        cleaned = clean_phone(text)
        assert cleaned.key == phonenumbers.format_number(number, PhoneNumberFormat.E164), (text, cleaned.reason)
        assert cleaned.value == phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
        checked += 1
    assert checked > 1000
