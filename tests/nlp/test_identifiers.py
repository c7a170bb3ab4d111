"""Identifier mentions from prose, with exact spans and the graph's normalised values."""

from __future__ import annotations

import pytest

from nlp.pipeline import extract, load_pipeline

NOTE = ("Test buy 14 Feb: the seller answered from WeChat: sunnyhome88 and Tel +86 138-0013-8000. "
        "Pay by PayPal: sunny.home@gmail.com or IBAN DE89 3704 0044 0532 0130 00 only. "
        "Their site hxxps://sunnyhome-outlet[.]com/contact also links shop[.]brightnest[.]net. "
        "Order No. 112-3456789-1234567 arrived via UPS 1Z999AA10123456784.")


@pytest.fixture(scope="module")
def found():
    ex = extract(NOTE, nlp=load_pipeline(False))
    return {(NOTE[m.start:m.end], m.label): m for m in ex.mentions}


@pytest.mark.parametrize("text,label,value", [
    ("sunnyhome88", "MESSENGER", "sunnyhome88"),
    ("+86 138-0013-8000", "PHONE", "+8613800138000"),
    ("sunny.home@gmail.com", "EMAIL", "sunny.home@gmail.com"),
    ("sunny.home@gmail.com", "PAYMENT", "sunny.home@gmail.com"),
    ("DE89 3704 0044 0532 0130 00", "PAYMENT", "DE89370400440532013000"),
    ("hxxps://sunnyhome-outlet[.]com/contact", "URL", "https://sunnyhome-outlet.com/contact"),
    ("shop[.]brightnest[.]net", "DOMAIN", "shop.brightnest.net"),
    ("1Z999AA10123456784", "TRACKING", "1Z999AA10123456784"),
])
def test_identifier_span_and_value(found, text, label, value):
    assert found[(text, label)].value == value


def test_order_number_is_not_a_phone(found):
    assert not any("3456789" in text for text, _ in found)


def test_store_url_and_ids_become_storefront_keys():
    text = "Listed at https://www.amazon.com/sp?seller=A3F9KX2M0QZ7PL, the same Merchant ID A3F9KX2M0QZ7PL."
    ex = extract(text, nlp=load_pipeline(False))
    got = {(m.label, m.key) for m in ex.mentions}
    assert ("STORE_URL", "amazon:A3F9KX2M0QZ7PL") in got
    assert ("SELLER_ID", "amazon:A3F9KX2M0QZ7PL") in got


def test_tag_ids_and_ips():
    text = "The shop loads UA-48213377-2 and GTM-KX7Q2PD; login IPs were 203.0.113.45 and 2001:db8:4::17."
    ex = extract(text, nlp=load_pipeline(False))
    assert [(m.label, m.text) for m in ex.mentions] == [
        ("TAG_ID", "UA-48213377-2"), ("TAG_ID", "GTM-KX7Q2PD"), ("IP", "203.0.113.45"), ("IP", "2001:db8:4::17")]


def test_us_and_chinese_addresses():
    text = ("Returns: Brightway Commerce LLC\n1234 Industrial Way, Suite 200\nOntario, CA 91761\nUSA\n\n"
            "发货地址：广东省深圳市龙岗区坂田街道五和大道118号3栋501室。")
    ex = extract(text, nlp=load_pipeline(False))
    addresses = [m.text for m in ex.mentions if m.label == "ADDRESS"]
    assert addresses == ["1234 Industrial Way, Suite 200\nOntario, CA 91761\nUSA", "广东省深圳市龙岗区坂田街道五和大道118号3栋501室"]


def test_eu_and_hong_kong_addresses():
    text = ("Impressum: Kastanienallee 27\n10435 Berlin, Deutschland\n"
            "Sede legale: Via dei Mercanti 8, 40126 Bologna (BO)\n"
            "Siège : 22 rue des Tanneurs, 69002 Lyon, France\n"
            "退货地址：九龍觀塘道388號創紀之城1期15樓1502室")
    ex = extract(text, nlp=load_pipeline(False))
    assert [m.text for m in ex.mentions if m.label == "ADDRESS"] == [
        "Kastanienallee 27\n10435 Berlin, Deutschland", "Via dei Mercanti 8, 40126 Bologna (BO)",
        "22 rue des Tanneurs, 69002 Lyon, France", "九龍觀塘道388號創紀之城1期15樓1502室"]


def test_a_bare_six_digit_number_is_not_a_postcode():
    ex = extract("Exhibit 14, Bates PLTF-000412 shows the listing.", nlp=load_pipeline(False))
    assert not [m for m in ex.mentions if m.label == "ADDRESS"]
