"""B-cubed and pairwise scores on hand-computed cases; the truth reader; the prediction read from a store."""

from __future__ import annotations

import pytest

from graph.errors import GraphError
from graph.evaluate import evaluate, predicted_assignment, read_truth
from graph.records import EdgeStatement, Facts, NodeRef, NodeStatement
from graph.store.base import SourceInfo


def _assign(clusters: dict[str, list[str]]) -> dict[str, str]:
    return {item: cluster for cluster, items in clusters.items() for item in items}


def test_textbook_example_of_bagga_and_baldwin():
    # Truth: {1..5}, {6,7}, {8,9,A,B,C}; response: {1..5}, {6,7,8,9,A,B,C} (Bagga & Baldwin 1998, fig. 2).
    truth = _assign({"T1": list("12345"), "T2": list("67"), "T3": list("89ABC")})
    pred = _assign({"P1": list("12345"), "P2": list("6789ABC")})
    result = evaluate(truth, pred)
    # B-cubed precision, per item |pred ∩ true| / |pred|:
    #   1..5: 5/5 = 1 each -> 5;  6,7: 2/7 each -> 4/7;  8..C: 5/7 each -> 25/7
    #   (5 + 29/7) / 12 = (64/7) / 12 = 16/21
    assert result.bcubed.precision == pytest.approx(16 / 21)
    # B-cubed recall, per item |pred ∩ true| / |true|: every item's true cluster is inside its predicted one -> 1
    assert result.bcubed.recall == pytest.approx(1.0)
    # F1 = 2 * (16/21) * 1 / (16/21 + 1) = (32/21) / (37/21) = 32/37
    assert result.bcubed.f1 == pytest.approx(32 / 37)
    # Pairwise: predicted pairs C(5,2) + C(7,2) = 10 + 21 = 31; true pairs 10 + 1 + 10 = 21, all predicted together.
    assert result.pairwise.precision == pytest.approx(21 / 31)
    assert result.pairwise.recall == pytest.approx(1.0)
    assert (result.items, result.true_clusters, result.predicted_clusters) == (12, 3, 2)
    assert [(m.cluster, m.spread, m.size) for m in result.false_merges] == [("P2", 2, 7)]
    assert result.misses == []


def test_missing_storefronts_are_singletons_and_unknown_ones_are_not_scored():
    truth = {"amazon:A1": "op-1", "ebay:shop_a": "op-1", "temu:63401": "op-1", "etsy:lonely": "op-2"}
    pred = {"amazon:A1": "P1", "ebay:shop_a": "P1", "walmart:999": "P1"}  # temu and etsy not placed
    result = evaluate(truth, pred)
    # Items (truth only): amazon, ebay in P1 (restricted to the truth: size 2); temu, etsy singletons.
    #   precision: 2/2, 2/2, 1/1, 1/1 -> 1
    #   recall:    2/3, 2/3, 1/3, 1/1 -> (2/3 + 2/3 + 1/3 + 1) / 4 = (8/3) / 4 = 2/3
    assert result.bcubed.precision == pytest.approx(1.0)
    assert result.bcubed.recall == pytest.approx(2 / 3)
    # Pairwise: predicted pairs 1 (amazon-ebay), true pairs C(3,2) = 3 -> precision 1/1, recall 1/3.
    assert result.pairwise.precision == pytest.approx(1.0)
    assert result.pairwise.recall == pytest.approx(1 / 3)
    assert (result.unplaced, result.unknown) == (2, 1)
    assert [(m.cluster, m.spread, m.size) for m in result.misses] == [("op-1", 2, 3)]
    assert result.misses[0].members == (("amazon:A1", "P1"), ("ebay:shop_a", "P1"),
                                        ("temu:63401", "(singleton) temu:63401"))


def test_all_singletons_against_a_truth_of_pairs():
    truth = _assign({"T1": ["a", "b"], "T2": ["c", "d"]})
    result = evaluate(truth, {})
    # Every item alone: precision 1 each; recall 1/2 each -> 1/2. No predicted pair: pairwise precision 1 (nothing
    # to get wrong), recall 0/2 = 0, so F1 0.
    assert (result.bcubed.precision, result.bcubed.recall) == (pytest.approx(1.0), pytest.approx(0.5))
    assert (result.pairwise.precision, result.pairwise.recall, result.pairwise.f1) == (1.0, 0.0, 0.0)


def test_worst_false_merges_come_first():
    truth = _assign({"A": ["a1", "a2"], "B": ["b1"], "C": ["c1"], "D": ["d1", "d2"]})
    pred = _assign({"big": ["a1", "b1", "c1"], "pair": ["a2", "d1"], "ok": ["d2"]})
    merges = evaluate(truth, pred, worst=5).false_merges
    assert [(m.cluster, m.spread) for m in merges] == [("big", 3), ("pair", 2)]
    assert evaluate(truth, pred, worst=1).false_merges[0].members == (("a1", "A"), ("b1", "B"), ("c1", "C"))


def test_empty_truth_is_an_error():
    with pytest.raises(GraphError, match="no storefronts"):
        evaluate({}, {"a": "x"})


@pytest.mark.parametrize("text, message", [
    ("key,operator\namazon:A1,op-1\n", "line 1: expected the header storefront_key,operator_id"),
    ("storefront_key,operator_id\namazon:A1,op-1\nebay:shop,\n", "line 3: a storefront key and an operator id"),
    ("storefront_key,operator_id\namazon:A1,op-1\n\namazon:A1,op-2\n", "line 4: amazon:A1 is given two operators"),
    ("storefront_key,operator_id\n", "no storefronts in the truth file"),
])
def test_bad_truth_files_name_the_file_and_line(tmp_path, text, message):
    path = tmp_path / "truth.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GraphError) as err:
        read_truth(path)
    assert str(err.value).startswith(f"{path}: ")
    assert message in str(err.value)


def test_truth_reader_keeps_extra_columns_out(tmp_path):
    path = tmp_path / "truth.csv"
    path.write_text("\ufeffstorefront_key,operator_id,marketplace,url,name\n"
                    "amazon:A2KW8PRO3NXY5Z,op-00001,amazon,https://www.amazon.com/sp?seller=A2KW8PRO3NXY5Z,KW Pro\n"
                    "web:kitchenwiz-shop.com,decoy-00001,web,https://www.kitchenwiz-shop.com/,\"Kitchen, Wiz\"\n",
                    encoding="utf-8")
    assert read_truth(path) == {"amazon:A2KW8PRO3NXY5Z": "op-00001", "web:kitchenwiz-shop.com": "decoy-00001"}


def test_prediction_is_read_from_operators_and_controls_edges(store):
    fronts = [NodeRef("Storefront", k) for k in ("amazon:A1HX7Q2M9ZK3LP", "ebay:sunnybloom_shop",
                                                  "aliexpress:1102345678", "temu:634418212233")]
    op = NodeRef("Operator", "op-7f3a")
    facts = Facts(records=1)
    facts.nodes += [NodeStatement(f, "name", f"shop {i}", "row 1") for i, f in enumerate(fronts)]
    facts.nodes += [NodeStatement(op, "key", op.key, "cluster op-7f3a")]
    facts.edges += [EdgeStatement("CONTROLS", op, f, "cluster op-7f3a", (("confidence", "1.0"),)) for f in fronts[:2]]
    store.write_source(SourceInfo(sha256="ab" * 32, path="(test)", media_type="text/plain", size=0,
                                  parser="resolution", ingested_at="2026-11-21T22:00:00+00:00"), [facts])
    assert predicted_assignment(store) == {
        "amazon:A1HX7Q2M9ZK3LP": "operator op-7f3a", "ebay:sunnybloom_shop": "operator op-7f3a",
        "aliexpress:1102345678": "aliexpress:1102345678", "temu:634418212233": "temu:634418212233"}
