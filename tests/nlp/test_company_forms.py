"""Legal forms of more countries (MY/SG Sdn. Bhd. / Pte. Ltd., LT UAB, SE AB, FI Oy, DK ApS / A/S, HU Kft., CZ s.r.o.,
EE OÜ, LV SIA, IT SpA, NL N.V., BR Ltda., JP K.K. / 株式会社, TW 有限會社). Passages are written for these tests; the
look-alikes (a Dutch postcode's letters, a Canadian province, a US state) must not make a company."""

from __future__ import annotations

import pytest

from nlp.pipeline import extract, load_pipeline


def _companies(text: str) -> set[str]:
    ex = extract(text, (), nlp=load_pipeline(False))
    return {text[m.start:m.end] for m in ex.mentions if m.label == "COMPANY"}


@pytest.mark.parametrize("text,name", [
    ("Invoices are issued by Harbour Lane Trading Sdn. Bhd. in Penang.", "Harbour Lane Trading Sdn. Bhd."),
    ("The payee is Northwind Gadgets Pte. Ltd. of Singapore.", "Northwind Gadgets Pte. Ltd."),
    ("bank transfer to Amber Coast Retail UAB (Kaunas)", "Amber Coast Retail UAB"),
    ("The site is not affiliated with Fjellrev Outdoor AB.", "Fjellrev Outdoor AB"),
    ("Operated by Kuusi Design Oy, Tampere.", "Kuusi Design Oy"),
    ("Sold through Nordlys Handel ApS and Vestkyst Import A/S.", "Vestkyst Import A/S"),
    ("Supplier: Duna Textil Kft. (Budapest)", "Duna Textil Kft."),
    ("Registered to Vltava Obchod s.r.o. in Prague.", "Vltava Obchod s.r.o."),
    ("Payments reach Tamme Kaubandus OÜ every week.", "Tamme Kaubandus OÜ"),
    ("Importer: Lagoa Azul Comércio Ltda.", "Lagoa Azul Comércio Ltda."),
    ("供应商：台北明光貿易有限會社", "台北明光貿易有限會社"),
])
def test_legal_form(text, name):
    assert name in _companies(text)


@pytest.mark.parametrize("text", [
    "Warehouse: Havenkade 41, 2584 AB Den Haag.",
    "Returns go to 410 Centre St SE, Calgary, AB T2G 2C2, Canada.",
    "The hotel is at 3570 S Las Vegas Blvd, Las Vegas, NV 89109.",
    "AB testing showed that Oy is a Finnish word.",
])
def test_no_company(text):
    assert not _companies(text)
