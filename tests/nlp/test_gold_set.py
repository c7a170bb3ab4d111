"""The hand-annotated NLP gold set (benchmarks/nlp_eval/gold.jsonl) keeps the contract in NLP_EVAL_FORMAT.md.

The label and relation tables below are restated from the contract on purpose (not imported from the build tool),
so a slip in the tool cannot hide a slip in the data.
"""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from benchmarks.nlp_eval import build_gold
from tests.conftest import ROOT

GOLD_DIR = ROOT / "benchmarks" / "nlp_eval"
IDENTIFIERS = {"EMAIL", "PHONE", "URL", "DOMAIN", "STORE_URL", "SELLER_ID", "PAYMENT", "MESSENGER", "TAG_ID", "IP",
               "ADDRESS", "TRACKING"}
LABELS = IDENTIFIERS | {"STORE_NAME", "COMPANY", "PERSON", "BRAND", "SCALE"}
KINDS = {"note", "email", "declaration", "order", "complaint", "webpage", "chat", "listing"}
STOREISH = {"STORE_NAME", "STORE_URL", "SELLER_ID", "COMPANY"}
TAILS = {
    "USES": IDENTIFIERS - {"PAYMENT"},
    "PAID_TO": {"PAYMENT"},
    "OPERATED_BY": {"COMPANY", "PERSON"},
    "ALIAS_OF": STOREISH,
    "REGISTERED_BY": {"COMPANY", "PERSON", "EMAIL"},
    "SHIPS_FROM": {"ADDRESS"},
    "SELLS": {"BRAND"},
    "SCALE_OF": {"SCALE"},
}
# things that look like identifiers but are not (README: "Distractors")
DISTRACTORS = [
    r"\b\d:\d{2}-cv-\d{4,5}\b",                  # docket numbers
    r"\bB0[A-Z0-9]{8}\b",                        # ASINs
    r"\b\d{3}-\d{7}-\d{7}\b",                    # Amazon order numbers
    r"\b\d{4}-\d{2}-\d{2}\b|\b\d{2}/\d{2}/\d{2,4}\b",  # dates
    r"(?<![\d.])\d+\.\d+\.\d+(?:\.\d+)?(?![\d.])",      # version numbers
    r"\b(?:SKU|Model|MPN|UPC|GTIN|Style No\.|Lot|Dkt\. No\.|PageID|Document #|Item number|invoice)(?![A-Za-z])",
]


@pytest.fixture(scope="module")
def gold():
    lines = (GOLD_DIR / "gold.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def test_gold_jsonl_is_rebuilt_from_the_hand_written_source(tmp_path):
    out = tmp_path / "gold.jsonl"
    assert build_gold.main(["--src", str(GOLD_DIR / "gold_src.yaml"), "--out", str(out)]) == 0
    assert out.read_bytes() == (GOLD_DIR / "gold.jsonl").read_bytes(), \
        "gold.jsonl is stale: run python -m benchmarks.nlp_eval.build_gold"


def test_passages_are_well_formed(gold):
    assert len(gold) >= 60
    assert len({p["id"] for p in gold}) == len(gold)
    for p in gold:
        assert p["kind"] in KINDS, p["id"]
        assert p["lang"] in {"en", "zh", "mixed", "de", "fr", "es", "it"}, p["id"]
        assert isinstance(p["watchlist"], list) and p["text"].strip(), p["id"]


def test_every_span_matches_its_text_and_label(gold):
    for p in gold:
        for e in p["entities"]:
            where = f"{p['id']}: {e}"
            assert 0 <= e["start"] < e["end"] <= len(p["text"]), where
            assert p["text"][e["start"]:e["end"]] == e["text"], where
            assert e["label"] in LABELS, where
            assert e["text"] == e["text"].strip(), where
            if e["label"] == "BRAND":
                assert e["value"] in p["watchlist"], where
            if e["label"] == "SCALE":
                assert isinstance(e["value"], (int, float)), where
                assert e["scale_kind"] in {"units_sold", "reviews", "price", "revenue"}, where
            if e["label"] == "EMAIL":
                assert re.fullmatch(r"[^@\s\[\]()]+@[a-z0-9.-]+\.[a-z]{2,}", e["value"]), where
            if e["label"] in {"URL", "DOMAIN"}:
                assert "[.]" not in e["value"] and not e["value"].startswith("hxxp"), where
            if e["label"] == "PHONE":
                assert re.fullmatch(r"\+?\d{6,15}", e["value"]), where


def test_spans_do_not_collide(gold):
    for p in gold:
        spans = Counter((e["start"], e["end"], e["label"]) for e in p["entities"])
        assert max(spans.values(), default=1) == 1, p["id"]
        for a in p["entities"]:
            for b in p["entities"]:
                crossing = a["start"] < b["start"] < a["end"] < b["end"]
                assert not crossing, f"{p['id']}: {a['text']!r} crosses {b['text']!r}"


def test_relations_join_a_store_to_the_right_kind_of_thing(gold):
    for p in gold:
        ents = p["entities"]
        for r in p["relations"]:
            assert 0 <= r["head"] < len(ents) and 0 <= r["tail"] < len(ents), p["id"]
            head, tail = ents[r["head"]], ents[r["tail"]]
            heads = {"DOMAIN", "URL"} if r["type"] == "REGISTERED_BY" else STOREISH
            assert head["label"] in heads, f"{p['id']}: {r} head {head['label']}"
            assert tail["label"] in TAILS[r["type"]], f"{p['id']}: {r} tail {tail['label']}"


def test_the_set_covers_every_label_language_and_trap(gold):
    labels = Counter(e["label"] for p in gold for e in p["entities"])
    for label in IDENTIFIERS:
        assert labels[label] >= 8, label
    assert labels["STORE_NAME"] >= 25 and labels["COMPANY"] >= 25
    assert labels["BRAND"] >= 15 and labels["SCALE"] >= 15
    misspelt = [e for p in gold for e in p["entities"] if e["label"] == "BRAND" and e["text"] != e["value"]
                and e["text"].lower() != e["value"].lower()]
    assert len(misspelt) >= 10
    assert sum(p["lang"] in {"zh", "mixed"} for p in gold) >= 10
    obfuscated = [e for p in gold for e in p["entities"] if e["label"] in IDENTIFIERS and e["text"] != e["value"]
                  and re.search(r"\[\.\]|\[at\]|\(at\)|hxxp|[\uff01-\uff5e]|[\u200b\u200d]", e["text"])]
    assert len(obfuscated) >= 8


def check_distractor_passages(passages: list[dict], at_least: int) -> None:
    """At least ``at_least`` passages (ids with "-dx") hold three or more distractors, none annotated."""
    tricky = [p for p in passages if "-dx" in p["id"]]
    assert len(tricky) >= at_least
    for p in tricky:
        hits = [m.span() for rx in DISTRACTORS for m in re.finditer(rx, p["text"])]
        assert len(hits) >= 3, p["id"]
        for start, end in hits:
            for e in p["entities"]:
                if e["label"] in IDENTIFIERS:
                    assert end <= e["start"] or e["end"] <= start, f"{p['id']}: {e['text']!r} covers a distractor"


def check_traps(passages: list[dict], misspelt_brands: int, obfuscated_ids: int) -> None:
    """Enough deliberately misspelt brands and obfuscated identifiers (``[at]``, ``[.]``, ``hxxp``, ...)."""
    misspelt = [e for p in passages for e in p["entities"] if e["label"] == "BRAND"
                and e["text"].lower() != e["value"].lower()]
    assert len(misspelt) >= misspelt_brands
    obfuscated = [e for p in passages for e in p["entities"] if e["label"] in IDENTIFIERS
                  and re.search(r"\[\.\]|\[at\]|\(at\)| at |hxxp", e["text"])]
    assert len(obfuscated) >= obfuscated_ids


def test_distractor_rich_passages_leave_the_distractors_unannotated(gold):
    check_distractor_passages(gold, 5)


def test_no_identifier_anywhere_is_a_docket_asin_or_order_number(gold):
    for p in gold:
        for e in p["entities"]:
            if e["label"] in IDENTIFIERS:
                assert not any(re.fullmatch(rx, e["text"]) for rx in DISTRACTORS[:3]), f"{p['id']}: {e['text']!r}"


@pytest.mark.parametrize("entity, relation, message", [
    ('[EMAIL, "nobody@example.com"]', "", "bad-1: entity 0 'nobody@example.com' (EMAIL) not found"),
    ('[COLOUR, "Sunny Home Store"]', "", "bad-1: entity 0 'Sunny Home Store': unknown label 'COLOUR'"),
    ('[PAYMENT, "DE00 3704 0044 0532 0130 00", "DE00370400440532013000"]', "", "fails mod-97"),
    ('[STORE_NAME, "Sunny Home"]', "", "bad-1: entity 0 'Sunny Home' occurs 2 times"),
    ('[EMAIL, "Sunny@Example.com"]', "", "e-mail value must be one lower-case address"),
    ('[STORE_NAME, "Sunny Home Store"]', '[[0, PAID_TO, 0]]', "PAID_TO cannot go from"),
])
def test_the_build_tool_names_the_passage_of_a_mistake(tmp_path, capsys, entity, relation, message):
    src = tmp_path / "gold_src.yaml"
    src.write_text(
        "- id: bad-1\n  kind: note\n  lang: en\n  watchlist: []\n"
        "  text: 'Sunny Home Store (Sunny Home) pays to DE00 3704 0044 0532 0130 00; mail Sunny@Example.com'\n"
        f"  entities: [{entity}]\n" + (f"  relations: {relation}\n" if relation else ""), encoding="utf-8")
    assert build_gold.main(["--src", str(src), "--out", str(tmp_path / "out.jsonl")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Error: gold_src.yaml: passage bad-1") and message in err
    assert err.count("\n") == 1 and not (tmp_path / "out.jsonl").exists()
