"""Phone numbers: cue words in Chinese (traditional), Japanese, Portuguese, Dutch, Norwegian, Spanish and Italian;
country hints for Japan, Taiwan, Korea, Singapore, Malaysia and more European places; digits before a postcode
and a city are a phone, not a street. Passages are written for these tests."""

from __future__ import annotations

import pytest

from nlp.pipeline import extract, load_pipeline


def _found(text: str) -> set[tuple[str, str, str | None]]:
    ex = extract(text, (), nlp=load_pipeline(False))
    return {(text[m.start:m.end], m.label, m.value) for m in ex.mentions}


@pytest.mark.parametrize("text,span,value", [
    ("門市電話 0933-120-447，地址在台北", "0933-120-447", "+886933120447"),
    ("お問い合わせ TEL 06-6543-2109（大阪本社）", "06-6543-2109", "+81665432109"),
    ("Telefone: 11 3456-7890 (São Paulo)", "11 3456-7890", "+551134567890"),
    ("Tel. 02 4417 8830 – sede di Milano", "02 4417 8830", "+390244178830"),
    ("Kontakt: 0664 2218830 (Wien)", "0664 2218830", "+436642218830"),
])
def test_phone_with_hint(text, span, value):
    assert (span, "PHONE", value) in _found(text)


def test_phone_before_a_city_is_no_address():
    found = _found("Tel. 02 4417 8830 Milano")
    assert ("02 4417 8830", "PHONE", "+390244178830") in found
    assert not any(label == "ADDRESS" for _, label, _ in found)
    assert any(label == "ADDRESS" for _, label, _ in _found("Sede: Via Torino 61, 20123 Milano"))
