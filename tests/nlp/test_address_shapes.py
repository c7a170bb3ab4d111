"""Address shapes across countries: country tails after the city (incl. 'the Netherlands'), French/Belgian,
Iberian, Nordic, Dutch and Baltic street forms, the one-element-per-line US form of marketplace seller pages,
Hong Kong rooms (`B室`) and Taiwanese cities. Passages are written for these tests; look-alikes must not match."""

from __future__ import annotations

import pytest

from nlp.pipeline import extract, load_pipeline


def _addresses(text: str) -> set[str]:
    ex = extract(text, (), nlp=load_pipeline(False))
    return {text[m.start:m.end] for m in ex.mentions if m.label == "ADDRESS"}


@pytest.mark.parametrize("text,span", [
    ("The importer, Duinzicht Handel B.V., sits at Havenkade 41, 2584 AB Den Haag, the Netherlands, since 2019.",
     "Havenkade 41, 2584 AB Den Haag, the Netherlands"),
    ("Siège social : Chaussée de Louvain 212, 1030 Schaerbeek, Belgique", "Chaussée de Louvain 212, 1030 Schaerbeek, Belgique"),
    ("Correspondence: Avenue Jean Médecin 18, 06000 Nice, France", "Avenue Jean Médecin 18, 06000 Nice, France"),
    ("Morada: Rua Augusta 144, 1100-053 Lisboa, Portugal", "Rua Augusta 144, 1100-053 Lisboa, Portugal"),
    ("Lager: Mannerheimintie 12, 00100 Helsinki, Finland", "Mannerheimintie 12, 00100 Helsinki, Finland"),
    ("Returns: Vesterbrogade 61, 1620 København, Denmark", "Vesterbrogade 61, 1620 København, Denmark"),
    ("office at Gedimino pr. 44-3, LT-01110 Vilnius, Lithuania", "Gedimino pr. 44-3, LT-01110 Vilnius, Lithuania"),
    ("Contact address: Brīvības iela 90, LV-1001 Rīga, Latvia", "Brīvības iela 90, LV-1001 Rīga, Latvia"),
    # a marketplace's seller page prints one element per line
    ("Business Address:\n  2210 N Clybourn Ave\n  Suite 4\n  Chicago\n  IL\n  60614\n  US\nPhone: 312-555-0144",
     "2210 N Clybourn Ave\n  Suite 4\n  Chicago\n  IL\n  60614\n  US"),
    # a shop line above the company and the street is not part of the address
    ("Impressum\nBrillenwelt Sale – ein Shop der\nOptikhandel Süd GmbH\nMaximilianstraße 8\n80539 München\nDeutschland",
     "Maximilianstraße 8\n80539 München\nDeutschland"),
    # Hong Kong: a lettered room after the floor
    ("退货地址：香港九龍長沙灣青山道485號九龍廣場12樓C室。", "香港九龍長沙灣青山道485號九龍廣場12樓C室"),
    # Taiwanese cities
    ("門市地址 高雄市苓雅區中正一路120號5樓 歡迎自取", "高雄市苓雅區中正一路120號5樓"),
])
def test_address_shape(text, span):
    assert span in _addresses(text)


@pytest.mark.parametrize("text", [
    "Shop 24 hours a day at 1500 stores in the Netherlands.",                 # 'Shop' + a number of hours
    "Place your order before 1600 Amsterdam time, the Netherlands team ships it.",
    "The invoice lists 12 items\nat 3 boxes\neach 1500\nunits\nin total\nfor the\nyear 2024\nUS",
    "Savings of 30 percent, 10115 Berlin visitors counted.",
])
def test_not_an_address(text):
    assert not _addresses(text)


@pytest.mark.parametrize("text,span", [
    ("会社所在地：〒150-0002 東京都渋谷区渋谷2丁目14番7号 渋谷ビル5階", "〒150-0002 東京都渋谷区渋谷2丁目14番7号 渋谷ビル5階"),
    ("返品先 大阪府大阪市中央区難波3-5-12 まで", "大阪府大阪市中央区難波3-5-12"),
    ("発送元：福岡県福岡市博多区博多駅前4丁目2番1号", "福岡県福岡市博多区博多駅前4丁目2番1号"),
])
def test_japanese_address(text, span):
    assert span in _addresses(text)


@pytest.mark.parametrize("text", ["東京都の天気は晴れ25度", "大阪府内で3店舗を展開"])
def test_japanese_look_alike(text):
    assert not _addresses(text)
