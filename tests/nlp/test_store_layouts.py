"""Store names from layouts: an e-mail sender whose address spells the name out, a team signature, a page title
with a dash, a German imprint's 'X – ein Shop der', capital-letter headings, Chinese shop words followed by
叫 / a Shopee 賣場, and every later mention of a name already found. Written for these tests; the look-alikes (a
person as sender, a platform's legal desk, a marketplace's own name, a shouted court caption) must not match."""

from __future__ import annotations

import pytest

from nlp.pipeline import extract, load_pipeline


def _stores(text: str) -> set[str]:
    ex = extract(text, (), nlp=load_pipeline(False))
    return {text[m.start:m.end] for m in ex.mentions if m.label == "STORE_NAME"}


@pytest.mark.parametrize("text,name", [
    ("From: Lindenhof Garden Outlet <orders@lindenhof-garden-outlet.example>\nTo: buyer@example.com\n\nHello",
     "Lindenhof Garden Outlet"),
    ("De: \"Bolsos Mar Azul Valencia\" <ventas@bolsosmarazul.example>\nPara: test@example.com",
     "Bolsos Mar Azul Valencia"),
    ("Thanks for your order.\nBest regards,\nTeam Copperleaf Kitchen", "Copperleaf Kitchen"),
    ("Gracias,\nEquipo Relojes Sol Poniente", "Relojes Sol Poniente"),
    ("Legal Notice – Harbourlight Candles\nThis site is run by …", "Harbourlight Candles"),
    ("Kirschblüte Mode – Impressum\nAngaben gemäß § 5 TMG", "Kirschblüte Mode"),
    ("Impressum\nLeuchtturm Lampen 24 – ein Shop der\nNordlicht Handel GmbH\nHafenweg 3", "Leuchtturm Lampen 24"),
    ("NORDIC PINE OUTLET — lamps from $20, free shipping", "NORDIC PINE OUTLET"),
    ("阿杰: 我们淘宝店叫“青木手作工坊”，欢迎来逛", "青木手作工坊"),
    ("Amy: 我們蝦皮賣場「月見選物」已經開了", "月見選物"),
])
def test_layout_store(text, name):
    assert name in _stores(text)


def test_later_mentions_of_a_found_name():
    text = ('The seller "Larkspur & Vine" ships from Ohio.\n'
            "Returns go back to Larkspur & Vine within 30 days; Larkspur & Vineyard Tours is unrelated.")
    ex = extract(text, (), nlp=load_pipeline(False))
    spans = sorted((m.start, text[m.start:m.end]) for m in ex.mentions if m.label == "STORE_NAME")
    assert [s for _, s in spans] == ["Larkspur & Vine", "Larkspur & Vine"]


def test_shorter_match_gives_way_to_the_longer_known_name():
    text = ("From: Zapatos Outlet Sevilla <hola@zapatos-outlet-sevilla.example>\n\nGracias,\nEquipo Zapatos Outlet Sevilla")
    found = _stores(text)
    assert "Zapatos Outlet Sevilla" in found and "Zapatos Outlet" not in found


@pytest.mark.parametrize("text", [
    "From: Daniel Okafor <daniel.okafor@mail.example>\nTo: shop@example.com",           # a person
    "From: \"Temu Seller Support Team\" <seller-support@temu.example>\nSubject: notice",  # a platform desk
    "Note: the TikTok Shop listing was removed on Monday.",                               # the marketplace itself
    "DEFENDANTS IDENTIFIED ON SCHEDULE A ONLINE STORE",                                   # a shouted caption
    "Shipping & Returns - Our Policy\nItems ship in 3 days.",                              # two navigation words
])
def test_no_layout_store(text):
    assert not _stores(text)
