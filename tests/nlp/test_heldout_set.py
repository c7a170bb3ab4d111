"""The held-out NLP gold set (benchmarks/nlp_eval/heldout.jsonl) is up to date and keeps the same contract.

The contract checks are the ones in test_gold_set.py, applied to the held-out passages; the coverage floors differ
(40 passages, not 82), so they are restated here.
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


@pytest.fixture(scope="module")
def heldout():
    lines = (GOLD_DIR / "heldout.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def test_heldout_jsonl_is_rebuilt_from_the_hand_written_source(tmp_path):
    out = tmp_path / "heldout.jsonl"
    assert build_gold.main(["--src", str(GOLD_DIR / "heldout_src.yaml"), "--out", str(out)]) == 0
    assert out.read_bytes() == (GOLD_DIR / "heldout.jsonl").read_bytes(), \
        "heldout.jsonl is stale: run python -m benchmarks.nlp_eval.build_gold --src heldout_src.yaml --out heldout.jsonl"


def test_bare_file_names_mean_files_next_to_the_tool(capsys):
    assert build_gold.main(["--src", "heldout_src.yaml", "--out", "heldout.jsonl", "--check"]) == 0
    assert "NLP gold set: heldout_src.yaml" in capsys.readouterr().out


def test_a_stale_heldout_file_is_reported_with_the_command_that_rebuilds_it(tmp_path, capsys):
    stale = tmp_path / "heldout.jsonl"
    stale.write_text((GOLD_DIR / "heldout.jsonl").read_text(encoding="utf-8").replace("Solvane", "Solvan", 1),
                     encoding="utf-8")
    assert build_gold.main(["--src", "heldout_src.yaml", "--out", str(stale), "--check"]) == 1
    err = capsys.readouterr().err
    assert err == ("Error: heldout.jsonl is stale; run python -m benchmarks.nlp_eval.build_gold"
                   " --src heldout_src.yaml --out heldout.jsonl\n")


def test_heldout_passages_keep_the_contract(heldout):
    assert len(heldout) >= 40
    for check in (contract.test_every_span_matches_its_text_and_label, contract.test_spans_do_not_collide,
                  contract.test_relations_join_a_store_to_the_right_kind_of_thing,
                  contract.test_no_identifier_anywhere_is_a_docket_asin_or_order_number):
        check(heldout)
    for p in heldout:
        assert p["kind"] in contract.KINDS and p["lang"] in {"en", "zh", "mixed", "de", "fr", "es", "it"}, p["id"]


def test_heldout_ids_are_disjoint_from_the_first_set(heldout):
    first = [json.loads(line) for line in (GOLD_DIR / "gold.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {p["id"] for p in heldout}.isdisjoint(p["id"] for p in first)
    assert all(p["id"].startswith("ho-") for p in heldout)
    # written anew, not paraphrased: no identifier value of the first set comes back
    first_values = {e["value"] for p in first for e in p["entities"] if e["label"] in contract.IDENTIFIERS}
    reused = {e["value"] for p in heldout for e in p["entities"] if e["label"] in contract.IDENTIFIERS} & first_values
    assert not reused, reused


def test_heldout_covers_languages_traps_and_distractors(heldout):
    labels = Counter(e["label"] for p in heldout for e in p["entities"])
    for label in contract.IDENTIFIERS:
        assert labels[label] >= 4, label
    assert sum(p["lang"] in {"zh", "mixed"} for p in heldout) >= 8
    assert {p["lang"] for p in heldout} >= {"de", "fr", "es", "it"}
    contract.check_traps(heldout, misspelt_brands=10, obfuscated_ids=5)
    contract.check_distractor_passages(heldout, 3)
