"""Relations between storefronts and their identifiers, and the graph facts they become."""

from __future__ import annotations

from nlp.facts import extraction_facts
from nlp.pipeline import extract, load_pipeline

TEXT = ("1. \"Golden Kick Store\" - PayPal: goldenkick.pay@outlook.com, WhatsApp +86 139 2233 4455\n"
        "2. \"Cozy Nest Mall\" - e-mail cozynest@163.com\n"
        "The same sender also used kick.service@outlook.com.")


def test_each_list_item_links_its_own_store():
    ex = extract(TEXT, nlp=load_pipeline(False))
    rels = {(ex.mentions[r.head].text, r.type, ex.mentions[r.tail].text, r.confidence) for r in ex.relations}
    assert ("Golden Kick Store", "PAID_TO", "goldenkick.pay@outlook.com", "high") in rels
    assert ("Cozy Nest Mall", "USES", "cozynest@163.com", "high") in rels
    assert not any(h == "Cozy Nest Mall" and "goldenkick" in t for h, _, t, _ in rels)


def test_a_carried_over_attachment_is_low_confidence():
    ex = extract(TEXT, nlp=load_pipeline(False))
    rel = next(r for r in ex.relations if ex.mentions[r.tail].text == "kick.service@outlook.com")
    assert ex.mentions[rel.head].text == "Cozy Nest Mall" and rel.confidence == "low"


def test_facts_carry_character_spans_and_confidence():
    ex = extract(TEXT, nlp=load_pipeline(False))
    facts = extraction_facts(ex)
    paid = [e for e in facts.edges if e.type == "PAID_TO"]
    assert [(e.src.key, e.dst.key, e.locator, dict(e.props)["confidence"]) for e in paid] == [
        ("unknown:name:golden kick store", "paypal:goldenkick.pay@outlook.com", "chars 0-87", "high")]
    email = [n for n in facts.nodes if n.node.type == "Email" and n.node.key == "cozynest@163.com"]
    assert email[0].locator == "chars 117-133"
    low = [e for e in facts.edges if dict(e.props)["confidence"] == "low"]
    assert [(e.type, e.dst.key) for e in low] == [("USES_EMAIL", "kick.service@outlook.com")]


def test_hostile_text_degrades_without_raising():
    junk = "\x00\ufffd" * 5000 + "A" * 300_000 + "\n" + "http://" * 2000 + " x@y.com"
    ex = extract(junk, nlp=load_pipeline(False))
    assert [m.text for m in ex.mentions if m.label == "EMAIL"] == ["x@y.com"]
