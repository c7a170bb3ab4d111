"""The second blind NLP gold set (benchmarks/nlp_eval/blind2.jsonl) is up to date, keeps the contract and is new.

The contract checks are the ones in test_gold_set.py; the coverage floors of a 40-passage set are restated here, as in
test_heldout_set.py. "New" means: no passage id and no identifier value of gold.jsonl or heldout.jsonl comes back, and
its watchlist marks are not those of the earlier sets.
"""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from benchmarks.nlp_eval import build_gold
from tests.conftest import ROOT
from tests.nlp import test_gold_set as contract

GOLD_DIR = ROOT / "benchmarks" / "nlp_eval"


def _load(name: str) -> list[dict]:
    return [json.loads(line) for line in (GOLD_DIR / name).read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def blind2():
    return _load("blind2.jsonl")


@pytest.fixture(scope="module")
def earlier():
    return _load("gold.jsonl") + _load("heldout.jsonl")


def test_blind2_jsonl_is_rebuilt_from_the_hand_written_source(tmp_path):
    out = tmp_path / "blind2.jsonl"
    assert build_gold.main(["--src", str(GOLD_DIR / "blind2_src.yaml"), "--out", str(out)]) == 0
    assert out.read_bytes() == (GOLD_DIR / "blind2.jsonl").read_bytes(), \
        "blind2.jsonl is stale: run python -m benchmarks.nlp_eval.build_gold --src blind2_src.yaml --out blind2.jsonl"


def test_a_stale_blind2_file_is_reported_with_the_command_that_rebuilds_it(tmp_path, capsys):
    stale = tmp_path / "blind2.jsonl"
    stale.write_text((GOLD_DIR / "blind2.jsonl").read_text(encoding="utf-8").replace("Pelladra", "Peladra", 1),
                     encoding="utf-8")
    assert build_gold.main(["--src", "blind2_src.yaml", "--out", str(stale), "--check"]) == 1
    assert capsys.readouterr().err == ("Error: blind2.jsonl is stale; run python -m benchmarks.nlp_eval.build_gold"
                                       " --src blind2_src.yaml --out blind2.jsonl\n")


def test_blind2_passages_keep_the_contract(blind2):
    assert len(blind2) >= 40
    assert len({p["id"] for p in blind2}) == len(blind2)
    for check in (contract.test_every_span_matches_its_text_and_label, contract.test_spans_do_not_collide,
                  contract.test_relations_join_a_store_to_the_right_kind_of_thing,
                  contract.test_no_identifier_anywhere_is_a_docket_asin_or_order_number):
        check(blind2)
    for p in blind2:
        assert p["kind"] in contract.KINDS and p["lang"] in {"en", "zh", "mixed", "de", "fr", "es", "it"}, p["id"]


def test_blind2_is_new_material_not_a_paraphrase_of_the_earlier_sets(blind2, earlier):
    assert all(p["id"].startswith("b2-") for p in blind2)
    assert {p["id"] for p in blind2}.isdisjoint(p["id"] for p in earlier)
    earlier_values = {e["value"] for p in earlier for e in p["entities"] if e["label"] in contract.IDENTIFIERS}
    values = {e["value"] for p in blind2 for e in p["entities"] if e["label"] in contract.IDENTIFIERS}
    reused = values & earlier_values
    assert not reused, reused
    earlier_marks = {w.lower() for p in earlier for w in p["watchlist"]}
    marks = {w.lower() for p in blind2 for w in p["watchlist"]}
    assert len(marks) >= 7 and marks.isdisjoint(earlier_marks), marks & earlier_marks


def test_blind2_covers_languages_traps_and_distractors(blind2):
    labels = Counter(e["label"] for p in blind2 for e in p["entities"])
    for label in contract.IDENTIFIERS:
        assert labels[label] >= 4, label
    assert sum(p["lang"] in {"zh", "mixed"} for p in blind2) >= 10
    assert {p["lang"] for p in blind2} >= {"de", "fr", "es"}
    assert any(not p["entities"] for p in blind2), "a passage with no entity at all"
    contract.check_traps(blind2, misspelt_brands=10, obfuscated_ids=5)
    ibans = [e["value"] for p in blind2 for e in p["entities"] if e["label"] == "PAYMENT"
             and re.fullmatch(r"(?:DE|ES|FR|IT|NL|PL)\d{2}[A-Z0-9]{10,30}", e["value"])]
    assert len({v[:2] for v in ibans}) >= 4 and all(build_gold.iban_ok(v) for v in ibans), ibans
    assert any(e["value"].startswith("acct_") for p in blind2 for e in p["entities"] if e["label"] == "PAYMENT")
    contract.check_distractor_passages(blind2, 3)
