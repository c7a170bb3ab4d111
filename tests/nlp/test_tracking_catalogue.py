"""Tracking numbers by carrier: the carrier catalogue (cue words in EN/ZH/JA/DE/FR/IT/ES/NL), the shapes found
without a cue, check digits, placeholder numbers. Each rule has a passage written for this test and a look-alike
that must not match."""

from __future__ import annotations

import pytest

from nlp.pipeline import extract, load_pipeline
from nlp.tracking import check_digits, placeholder, s10_ok, tracking_ok, ups_ok


def _tracking(text: str) -> set[tuple[str, str]]:
    ex = extract(text, (), nlp=load_pipeline(False))
    return {(text[m.start:m.end], m.value) for m in ex.mentions if m.label == "TRACKING"}


def test_s10_check_digit():
    # the UPU S10 example number: 47312482 -> weights 8 6 4 2 3 5 9 7 -> check digit 8
    assert s10_ok("RR473124829GB")
    assert not s10_ok("RR473124827GB")


def test_ups_check_digit():
    assert ups_ok("1Z999AA10123456784")       # UPS's published sample number
    assert not ups_ok("1Z999AA10123456785")
    assert check_digits("1Z999AA10123456785") == {"check": "fails"}
    assert check_digits("RR473124829GB") == {"check": "ok"}
    assert check_digits("773016482290") == {}


def test_placeholders():
    assert placeholder("9400000000000000000000")
    assert placeholder("YT0000000000000000")
    assert placeholder("5555555555")
    assert not placeholder("9400109205568840211937")
    assert not tracking_ok("4PX0000000000000CN", True)
    assert not tracking_ok("RR473124827GB", False) and tracking_ok("RR473124827GB", True)


@pytest.mark.parametrize("text,span,value", [
    # Chinese express companies before a bare number
    ("小陈: 货今天走申通 772034918650331，注意查收", "772034918650331", "772034918650331"),
    ("老板: 发极兔 JT5402187739016 了", "JT5402187739016", "JT5402187739016"),
    ("阿玲: 已经发圓通，單號 YT8839201745662", "YT8839201745662", "YT8839201745662"),
    # Taiwan / Japan carriers
    ("Amy: 新竹物流 6203 1174 9085 明天到", "6203 1174 9085", "620311749085"),
    ("佐川急便 4021 7733 1908 でお送りしました。", "4021 7733 1908", "402177331908"),
    ("追跡番号: 3380-1120-4471", "3380-1120-4471", "338011204471"),  # Yamato / Japan Post print 4-4-4
    # European carriers and tracking words
    ("Versand mit DPD, Paketnummer 01375029846613.", "01375029846613", "01375029846613"),
    ("Colis expédié par Colissimo, numéro de suivi 6A21907734561.", "6A21907734561", "6A21907734561"),
    ("Spedito con Poste Italiane, numero di tracciamento RB502931874IT.", "RB502931874IT", "RB502931874IT"),
    ("Enviado por Correos, código de seguimiento PQ4B7C0411209850128001X.", "PQ4B7C0411209850128001X",
     "PQ4B7C0411209850128001X"),
    ("Verzonden met PostNL, track & trace 3SKAB0019283746.", "3SKAB0019283746", "3SKAB0019283746"),
    ("Parcel went by Evri, parcel number H01ZVA0081734526.", "H01ZVA0081734526", "H01ZVA0081734526"),
    # Royal Mail prints S10 numbers with spaces
    ("Sent Royal Mail Special Delivery LK 3027 1849 6GB.", "LK 3027 1849 6GB", "LK302718496GB"),
    ("Royal Mail Tracked 24 QA 481 226 075 GB arrived on Monday.", "QA 481 226 075 GB", "QA481226075GB"),
    # shapes strong enough without a cue: Cainiao LP, J&T JT, DHL Paket JJD, DHL eCommerce GM
    ("The labels read LP00291847736512 and JJD000390012345678912.", "LP00291847736512", "LP00291847736512"),
    ("Second parcel: GM2951130384720019 (Dutch sort centre).", "GM2951130384720019", "GM2951130384720019"),
    # an S10 number with a valid check digit needs no cue
    ("Label photo shows RR473124829GB on the box.", "RR473124829GB", "RR473124829GB"),
])
def test_carrier_formats(text, span, value):
    assert (span, value) in _tracking(text)


@pytest.mark.parametrize("text", [
    # placeholder numbers shown as a format hint
    "Your tracking number will look like this:\n  Royal Mail  AB000000000GB\n  DPD  00000000000000",
    "Tracking numbers look like YT0000000000000000 for YunExpress parcels.",
    "USPS tracking: 9400 0000 0000 0000 0000 00 (example)",
    # an S10-shaped code failing its check digit with no carrier or tracking word
    "Part number RR473124827GB on the invoice.",
    # a long order number after a carrier-like word that is no cue
    "Order 77203491865033 from the Best Buy store.",
    # a postcode after 邮政编码 (postal code), not a parcel
    "邮政编码 518000，电话 0755-8800 1234",
    # a Chinese bank whose name starts with 邮政 is no carrier
    "中国邮政储蓄银行 6217 9950 0012 3456 789",
])
def test_not_tracking(text):
    assert not _tracking(text)
