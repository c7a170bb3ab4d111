"""Cleaners for payment accounts, addresses, names, infrastructure and court cases."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.clean import get_cleaner
from graph.clean.address import clean_address
from graph.clean.case import clean_case
from graph.clean.infra import clean_infrastructure
from graph.clean.names import clean_brand, clean_name, clean_seller, is_redacted
from graph.clean.payment import clean_payment

# ---------------------------------------------------------------- payment

PAYMENTS = [
    ("PayPal: Sales.HK@outlook.com", None, "paypal:sales.hk@outlook.com",
     {"provider": "paypal", "account": "sales.hk@outlook.com"}),
    ("paypal x@y.com", None, "paypal:x@y.com", {"provider": "paypal"}),
    ("PayPal merchant ID: 7MWXP2H8PQGVC", None, "paypal:7MWXP2H8PQGVC", {}),
    ("https://paypal.me/JohnShop88", None, "paypal:me/johnshop88", {}),
    ("Payoneer ID 12345678", None, "payoneer:12345678", {"account": "12345678"}),
    ("Payoneer: Wholesale.Lin@163.com", None, "payoneer:wholesale.lin@163.com", {}),
    ("acct_1NXyZ2AbCdEf3GhI", None, "stripe:acct_1NXyZ2AbCdEf3GhI", {"provider": "stripe"}),
    ("DE89 3704 0044 0532 0130 00", None, "iban:DE89370400440532013000",
     {"provider": "iban", "country": "DE", "bank": "37040044"}),
    ("GB82 WEST 1234 5698 7654 32", None, "iban:GB82WEST12345698765432",
     {"country": "GB", "bank": "WEST"}),
    ("IBAN: de89370400440532013000 (Berlin)", {"provider": "bank"},
     "iban:DE89370400440532013000", {}),
    ("Bank of China 6217 0000 1234 5678 901", None, "bank:bank-of-china:6217000012345678901",
     {"provider": "bank", "bank": "bank-of-china", "country": "CN",
      "account": "6217000012345678901"}),
    ("中国银行 6217 0000 1234 5678 901", None, "bank:bank-of-china:6217000012345678901", {}),
    ("bank: HSBC, account 123-456789-001", None, "bank:hsbc:123456789001", {"bank": "hsbc"}),
    ("6217000012345678901", {"provider": "bank"}, "bank:unknown:6217000012345678901", {}),
    ("MID 123456789012", None, "mid:123456789012", {"provider": "mid"}),
    ("Sales.HK@outlook.com", {"provider": "LianLian Pay"}, "lianlian:sales.hk@outlook.com", {}),
    ("支付宝: 138 0013 8000", None, "alipay:13800138000", {}),
    ("WorldFirst account WF8812345", None, "worldfirst:WF8812345", {}),
    ("shop88@qq.com", {"provider": "微信支付"}, "wechatpay:shop88@qq.com", {}),
    ("555-123-4567", {"provider": "Zelle"}, "zelle:5551234567", {"provider": "zelle"}),
]
PAYMENT_REJECTS = [
    ("DE89 3704 0044 0532 0130 01", None, "iban checksum fails"),
    ("IBAN DE89 3704 0044 0532 0130", None, "iban length wrong for country"),
    ("Sales.HK@outlook.com", None, "no provider for an e-mail"),
    ("PingPong account", None, "no account id"),
    ("wire transfer please", None, "unknown provider"),
    ("acct_1NXyZ2AbCdEf3GhI", {"provider": "paypal"}, "no account id"),
]


@pytest.mark.parametrize("raw,hint,key,props", PAYMENTS)
def test_payment_examples(raw, hint, key, props):
    got = clean_payment(raw, hint)
    assert got.key == key, got
    assert {k: got.props.get(k) for k in props} == props
    assert clean_payment(got.key, hint).key == key


@pytest.mark.parametrize("raw,hint,reason", PAYMENT_REJECTS)
def test_payment_rejects(raw, hint, reason):
    got = clean_payment(raw, hint)
    assert (got.key, got.reason) == (None, reason)


def test_iban_display_value_is_grouped():
    assert clean_payment("GB82WEST12345698765432").value == "GB82 WEST 1234 5698 7654 32"


# ---------------------------------------------------------------- address

KERRY = "CN|RM 1201 FL 12 TOWER A KERRY PLAZA FUTIAN DIST SHENZHEN 518048"
ADDRESSES = [
    ("Rm 1201, 12/F, Tower A, Kerry Plaza, Futian District, Shenzhen 518048, China", None,
     KERRY, {"country": "CN", "postcode": "518048", "city": "SHENZHEN",
             "premises": "CN|518048|TOWER A KERRY PLAZA FUTIAN DIST SHENZHEN"}),
    ("room 1201 12F Tower A Kerry Plaza, Futian Dist. Shenzhen 518048", {"country": "CN"},
     KERRY, {}),
    ("广东省深圳市龙岗区坂田街道五和大道118号和成世纪名城3栋1201室", None,
     "CN|广东省深圳市龙岗区坂田街道五和大道118号和成世纪名城3栋1201室",
     {"country": "CN", "city": "深圳市",
      "premises": "CN||广东省深圳市龙岗区坂田街道五和大道118号和成世纪名城3栋"}),
    ("Hauptstraße 5, 10115 Berlin, Germany", None, "DE|HAUPTSTR 5 10115 BERLIN",
     {"country": "DE", "postcode": "10115", "city": "BERLIN"}),
    ("Hauptstr. 5, 10115 Berlin", {"country": "DE"}, "DE|HAUPTSTR 5 10115 BERLIN", {}),
    ("Hauptstraße 5, 10115 Berlin", None, "XX|HAUPTSTR 5 10115 BERLIN", {"country": None}),
    ("1234 W Main St Ste 200, Dallas, TX 75201", None, "US|1234 W MAIN ST STE 200 DALLAS TX 75201",
     {"country": "US", "postcode": "75201", "city": "DALLAS",
      "premises": "US|75201|1234 W MAIN ST DALLAS TX"}),
    ("1234 West Main Street, Suite 200, Dallas, Texas 75201-4321, USA", None,
     "US|1234 W MAIN ST STE 200 DALLAS TX 75201-4321", {"postcode": "75201"}),
    ("123 Main St, Los Angeles, CA", None, "XX|123 MAIN ST LOS ANGELES CA", {}),
    ("Flat A, G/F, Wing Lok Building, 1-3 Wing Lok Street, Sheung Wan, Hong Kong", None,
     "HK|FLAT A FL G WING LOK BLDG 1-3 WING LOK ST SHEUNG WAN",
     {"premises": "HK||WING LOK BLDG 1-3 WING LOK ST SHEUNG WAN"}),
    ("Unit 5, 10 Downing Street, London SW1A 2AA, United Kingdom", None,
     "GB|UNIT 5 10 DOWNING ST LONDON SW1A 2AA", {"postcode": "SW1A 2AA"}),
]


@pytest.mark.parametrize("raw,hint,key,props", ADDRESSES)
def test_address_examples(raw, hint, key, props):
    got = clean_address(raw, hint)
    assert got.key == key, got
    assert {k: got.props.get(k) for k in props} == props
    assert clean_address(got.key, hint).key == key


def test_rooms_in_one_building_share_premises():
    a = clean_address("Rm 1201, 12/F, Tower A, Kerry Plaza, Futian District, "
                      "Shenzhen 518048, China")
    b = clean_address("Room 1205, 12F, Tower A, Kerry Plaza, Futian Dist., Shenzhen 518048, PRC")
    assert a.key != b.key
    assert a.props["premises"] == b.props["premises"]


@pytest.mark.parametrize("raw,reason", [
    ("abc 12", "too short to be an address"), ("1234 5678 90", "no letters"),
    ("Main St " * 60, "too long"), (" \u200b ", "empty"),
])
def test_address_rejects(raw, reason):
    assert clean_address(raw).reason == reason


# ---------------------------------------------------------------- names

SELLERS = [
    ("Shenzhen Huaxin Trading Co., Ltd.", {"country": "CN"}, "SHENZHEN HUAXIN TRADING CO LTD|CN",
     {"country": "CN", "legal_form": "CO LTD", "base_name": "SHENZHEN HUAXIN TRADING"}),
    ("SHENZHEN HUAXIN TRADING COMPANY LIMITED", {"country": "China"},
     "SHENZHEN HUAXIN TRADING CO LTD|CN", {}),
    ("Shenzhen Huaxin Trading Co.,Ltd", None, "SHENZHEN HUAXIN TRADING CO LTD|XX",
     {"country": None}),
    ("深圳市 华信贸易 有限公司", {"country": "CN"}, "深圳市华信贸易有限公司|CN",
     {"legal_form": "有限公司", "base_name": "深圳市华信贸易"}),
    ("浙江某某科技股份有限公司", {"country": "CN"}, "浙江某某科技股份有限公司|CN",
     {"legal_form": "股份有限公司"}),
    ("Acme Widgets L.L.C.", {"country": "US"}, "ACME WIDGETS LLC|US", {"legal_form": "LLC"}),
    ("Müller Handels GmbH & Co. KG", {"country": "DE"}, "MÜLLER HANDELS GMBH & CO KG|DE",
     {"legal_form": "GMBH & CO KG", "base_name": "MÜLLER HANDELS"}),
    ("Comercial Sol S.L.", {"country": "ES"}, "COMERCIAL SOL SL|ES", {"legal_form": "SL"}),
    ("Boutique Lumière S.A.R.L.", {"country": "FR"}, "BOUTIQUE LUMIÈRE SARL|FR",
     {"legal_form": "SARL"}),
]


@pytest.mark.parametrize("raw,hint,key,props", SELLERS)
def test_seller_examples(raw, hint, key, props):
    got = clean_seller(raw, hint)
    assert got.key == key, got
    assert {k: got.props.get(k) for k in props} == props
    assert clean_seller(got.key, hint).key == key


PRIVACY = ["REDACTED FOR PRIVACY", "Data Protected", "Privacy service provided by Withheld for "
           "Privacy ehf", "Domains By Proxy, LLC", "Whois Privacy Protection Service",
           "Contact Privacy Inc. Customer 0123456", "Super Privacy Service LTD c/o Dynadot",
           "GDPR Masked", "Not Disclosed", "隐私保护", "REDACTED"]


@pytest.mark.parametrize("raw", PRIVACY)
def test_redacted_values(raw):
    assert is_redacted(raw)
    assert clean_seller(raw, {"country": "US"}).reason == "redacted"


@pytest.mark.parametrize("raw,reason", [
    ("", "empty"), ("...", "no letters or digits"), ("Co., Ltd.", "only a legal form"),
    ("N/A", "placeholder"),
])
def test_seller_rejects(raw, reason):
    assert clean_seller(raw).reason == reason


def test_not_redacted():
    assert not is_redacted("Shenzhen Huaxin Trading Co., Ltd.")


def test_name_and_brand():
    got = clean_name("  Best★Shop\u200b   Official ")
    assert (got.key, got.props["display"]) == ("best shop official", "Best★Shop Official")
    assert clean_name("ＡＢＣ-Store!!").key == "abc store"
    assert clean_name("好店 Official").key == "好店 official"
    assert clean_name("★★★").reason == "no letters or digits"
    assert clean_brand("Acme™  Gear®").key == "acme gear"
    assert clean_brand("Dolce&Gabbana©").key == "dolce&gabbana"
    assert clean_brand("™").reason == "empty"


# ---------------------------------------------------------------- infrastructure

INFRA = [
    ("UA-12345678-1", None, "ga:UA-12345678", {"kind": "analytics", "tag": "UA-12345678-1"}),
    ("gtag('config', 'G-ABC123XYZ9')", None, "ga4:G-ABC123XYZ9", {"kind": "analytics"}),
    ("GTM-ABCD123", None, "gtm:GTM-ABCD123", {}),
    ("AW-123456789", {"kind": "analytics"}, "gads:AW-123456789", {}),
    ("203.0.113.7", None, "ip:203.0.113.7", {"kind": "ip", "version": "4", "private": "true"}),
    ("8.8.8.8", None, "ip:8.8.8.8", {"version": "4", "private": None}),
    ("2606:4700:0:0:0:0:6810:85E5", None, "ip:2606:4700::6810:85e5", {"version": "6"}),
    ("::ffff:8.8.4.4", None, "ip:8.8.4.4", {"version": "4"}),
    ("NS1.Example-DNS.com.", None, "ns:ns1.example-dns.com", {"kind": "nameserver"}),
    ("pdns1.registrar-servers.com", {"kind": "nameserver"}, "ns:pdns1.registrar-servers.com", {}),
    ("fbq('init', '1234567890123456');", None, "fbpixel:1234567890123456", {"kind": "pixel"}),
    ("123456789012345", {"kind": "pixel"}, "fbpixel:123456789012345", {}),
    ("TikTok pixel C4A1B2C3D4E5F6G7H8I9", {"kind": "pixel"}, "ttpixel:C4A1B2C3D4E5F6G7H8I9", {}),
]


@pytest.mark.parametrize("raw,hint,key,props", INFRA)
def test_infra_examples(raw, hint, key, props):
    got = clean_infrastructure(raw, hint)
    assert got.key == key, got
    assert {k: got.props.get(k) for k in props} == props
    assert clean_infrastructure(got.key, hint).key == key


@pytest.mark.parametrize("raw,hint,reason", [
    ("example.com", None, "unknown infrastructure value"),
    ("123456789012345", None, "unknown infrastructure value"),
    ("999.1.1.1", {"kind": "ip"}, "not an ip address"),
    ("not a host", {"kind": "nameserver"}, "not a name server"),
])
def test_infra_rejects(raw, hint, reason):
    assert clean_infrastructure(raw, hint).reason == reason


# ---------------------------------------------------------------- cases

CASES = [
    ("Case No. 1:24-cv-01234 (N.D. Ill.)", None, "ilnd:24-cv-01234",
     {"court": "ilnd", "docket": "24-cv-01234", "year": "2024", "office": "1"}),
    ("No. 24 C 1234", {"court": "Northern District of Illinois"}, "ilnd:24-cv-01234", {}),
    ("24-cv-1234", {"court": "ilnd"}, "ilnd:24-cv-01234", {"office": None}),
    ("1:24-cv-01234-JJT, S.D.N.Y.", None, "nysd:24-cv-01234", {"court_name": "S.D.N.Y."}),
    ("2:24-cv-00456 (W.D. Pa.)", None, "pawd:24-cv-00456", {}),
    ("Case 0:23-cv-60123-RAR (S.D. Fla.)", None, "flsd:23-cv-60123", {"year": "2023"}),
    ("Civil Action No. 24-cv-1234 (D.N.J.)", None, "njd:24-cv-01234", {}),
    ("24cv1234", None, "unknown:24-cv-01234", {"court": None}),
    ("Az. 33 O 1234/23", {"court": "Landgericht München I"}, "lmi:33 O 1234/23",
     {"court_name": "Landgericht München I"}),
    ("(2023)浙0192民初1234号", {"court": "杭州互联网法院"}, "杭州互联网法院:(2023)浙0192民初1234号", {}),
]


@pytest.mark.parametrize("raw,hint,key,props", CASES)
def test_case_examples(raw, hint, key, props):
    got = clean_case(raw, hint)
    assert got.key == key, got
    assert {k: got.props.get(k) for k in props} == props
    assert clean_case(got.key, hint).key == key


def test_case_rejects():
    assert clean_case("see the complaint").reason == "no docket number"
    assert clean_case("Az. 33 O 1234/23").reason == "no docket number"


# ---------------------------------------------------------------- properties

CLEANERS = {
    "payment": (clean_payment, [None, {"provider": "PayPal"}, {"provider": "bank"},
                                {"provider": "Zelle"}, {"provider": "iban"}]),
    "address": (clean_address, [None, {"country": "CN"}, {"country": "US"}]),
    "name": (clean_name, [None]),
    "seller": (clean_seller, [None, {"country": "CN"}]),
    "brand": (clean_brand, [None]),
    "infrastructure": (clean_infrastructure, [None, {"kind": "ip"}, {"kind": "nameserver"},
                                              {"kind": "pixel"}, {"kind": "tiktok pixel"}]),
    "case": (clean_case, [None, {"court": "ilnd"}, {"court": "Landgericht München I"}]),
}
# fragments of realistic values, so that generated text often reaches the deep code paths
WORDS = ("PayPal paypal: payoneer ID acct_1NXyZ2AbCdEf3GhI DE89 3704 0044 0532 0130 00 IBAN "
         "Bank of China 中国银行 bank: 6217 0000 1234 MID Sales.HK@outlook.com 支付宝 alipay: "
         "Rm 1201 12/F 12F 3RD FLOOR FL Tower A Street Road # Suite 200 G/F Hauptstraße "
         "Str. 10115 Berlin Shenzhen 518048 China CN| XX| US| TX 75201 Texas New Jersey "
         "Hong Kong 广东省深圳市 1201室 12楼 Co., Ltd. LLC GmbH & Co. KG S.A.R.L. 有限公司 "
         "|CN |XX REDACTED UA-12345678-1 G-ABC123XYZ9 GTM-ABCD123 ns1.example.com ip: "
         "8.8.8.8 ::1 fbq('init','1234567890123456') tiktok ttpixel: ga: Case No. 1:24-cv-01234 "
         "24 C 1234 N.D. Ill. S.D.N.Y. D. Del. ilnd: unknown: () , . - / : | 1 12 ß ™ İ ﬁ "
         "\u200b \x00 \ud800").split(" ")
MORE = {  # per-cleaner fragments, glued with and without spaces
    "address": "1 5F FL FLOOR 3RD 12TH # #5 APT STE 1-3 5/2 DE CA Georgia PRC USA Jordan 27601 ;",
    "seller": "Co. Company Limited L.L.C. und S A R L S.A. Pty Pte 股份 有限责任公司 Acme | N/A c/o",
    "payment": "HSBC account 123-456 01 GB82 WEST iban: x@y.com me/ paypal.me/x 7MWXP2H8PQGVC -",
    "case": "cv civ 24cv1234 D.N.J. Northern District of Illinois nysd: Az. 33 O 1234/23 d del",
}


def _text(name: str):
    words = st.sampled_from(WORDS + MORE.get(name, "").split(" "))
    soup = st.lists(words, max_size=12)
    return st.one_of(st.text(max_size=80), soup.map(" ".join), soup.map("".join),
                     st.tuples(soup.map(" ".join), st.text(max_size=10)).map("".join))


FAST = settings(max_examples=200, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("name", sorted(CLEANERS))
def test_registry_points_at_these_cleaners(name):
    assert get_cleaner(name) is CLEANERS[name][0]


@pytest.mark.parametrize("name", sorted(CLEANERS))
def test_properties(name):
    fn, hints = CLEANERS[name]

    @FAST
    @given(raw=_text(name), hint=st.sampled_from(hints))
    def check(raw, hint):
        got = fn(raw, hint)
        assert (got.key is None) == (got.reason is not None)
        if got.key is not None:
            again = fn(got.key, hint)
            assert again.key == got.key, (raw, got.key, again)
            assert all(isinstance(v, str) and v for v in got.props.values())

    check()


@pytest.mark.parametrize("name", sorted(CLEANERS))
def test_huge_input_does_not_raise(name):
    fn, hints = CLEANERS[name]
    for hint in hints:
        got = fn("Rm 1201 " * 200_000 + "\x00\ud800", hint)
        assert (got.key is None) == (got.reason is not None)


def test_a_country_written_in_the_address_wins_over_the_hint():
    from graph.clean.address import clean_address

    assert clean_address("1200 Harbor Blvd, Weehawken, NJ 07086, USA", {"country": "CN"}).key == \
        "US|1200 HARBOR BLVD WEEHAWKEN NJ 07086"


@pytest.mark.parametrize("raw,provider,key", [
    ("@marisbakes", "revolut", "revolut:marisbakes"),      # a Revolut tag without digits
    ("$LucyKnits", "cashapp", "cashapp:lucyknits"),
    ("lucy-knits", "venmo", "venmo:lucy-knits"),
    ("Meera.Crafts@okaxis", "upi", "upi:meera.crafts@okaxis"),  # a UPI address has no domain dot
])
def test_payment_tag_without_digits(raw, provider, key):
    assert clean_payment(raw, {"provider": provider}).key == key


def test_payment_tag_only_for_tag_providers():
    assert not clean_payment("marisbakes", {"provider": "payoneer"}).ok   # Payoneer ids are numbers or e-mails
    assert not clean_payment("@", {"provider": "revolut"}).ok
