"""The resolver on small hand-built cases, ingested from real CSV files into a real SQLite store.
Expected clusters are written by hand from the tables below."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from graph.errors import GraphError
from graph.records import NodeRef
from graph.resolution.config import ConfigError, load_config
from graph.resolution.judgements import list_judgements, record_judgement, undo_judgement
from graph.resolution.run import resolve, run_resolution
from graph.resolution.scoring import name_ratio
from graph.resolution.views import explain_link, list_alerts, operator_rows
from ingest.run import ingest_file

HEADER = ["Seller Alias", "Store URL", "PayPal", "E-mail", "Phone", "Return Address", "Country"]


def sf(key: str) -> NodeRef:
    return NodeRef("Storefront", key)


def write_table(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        w.writerows(rows)
    return path


def load(store, tmp_path: Path, name: str, rows: list[list[str]]):
    result = ingest_file(store, write_table(tmp_path / name, rows))
    assert result.status == "ingested", result.reason
    return result


def clusters(result) -> set[frozenset[str]]:
    return {frozenset(m.key for m in op.members) for op in result.operators}


def ebay(user: str) -> str:
    return f"https://www.ebay.com/usr/{user}"


# Two operators and a bystander. Operator 1 is a chain: a~b share a PayPal account, b~c an e-mail, c~d a phone
# and an address (two medium signals). Operator 2 shares one Payoneer-less PayPal. "lone" shares only the
# marketplace support address every storefront lists (a hub when the limit is low).
CHAIN = [
    ["Sunny Bloom", ebay("sunny_a"), "pay.one@outlook.com", "support@shopdesk.example", "", "", "CN"],
    ["Bloom Sunny", ebay("sunny_b"), "Pay.One@outlook.com", "bloom.cs@163.com", "", "", "CN"],
    ["Bloomy", ebay("sunny_c"), "", "BLOOM.CS@163.com; support@shopdesk.example", "+86 138 0013 8000",
     "Rm 1201, 12/F, Tower A, Kerry Plaza, Shenzhen 518048, China", "CN"],
    ["Flowery", ebay("sunny_d"), "", "support@shopdesk.example", "0086 138 0013 8000",
     "Rm 1201, 12/F, Tower A, Kerry Plaza, Shenzhen 518048, China", "CN"],
    ["Kick Zone", ebay("kick_1"), "kick.pay@gmail.com", "support@shopdesk.example", "", "", "CN"],
    ["Kick Zone Outlet", ebay("kick_2"), "kick.pay@gmail.com", "", "", "", "CN"],
    ["Lone Trader", ebay("lone"), "", "support@shopdesk.example", "", "", "CN"],
]
OP1 = frozenset({"ebay:sunny_a", "ebay:sunny_b", "ebay:sunny_c", "ebay:sunny_d"})
OP2 = frozenset({"ebay:kick_1", "ebay:kick_2"})


def test_chains_of_different_identifiers_make_one_operator_and_hubs_link_nothing(sqlite_store, tmp_path):
    load(sqlite_store, tmp_path, "case.csv", CHAIN)
    (tmp_path / "strict.yaml").write_text("kinds:\n  email: {typical: 2, hub: 4}\n", encoding="utf-8")
    result = resolve(sqlite_store, load_config(tmp_path / "strict.yaml"))
    assert clusters(result) == {OP1, OP2}
    assert result.hubs == [(NodeRef("Email", "support@shopdesk.example"), 5)]
    # the hub still counts, a little, where other evidence proposed the link
    link = next(l for l in result.links if l.pair == (sf("ebay:sunny_c"), sf("ebay:sunny_d")))
    assert [(s.kind, s.hub) for s in link.signals] == [("address", False), ("phone", False), ("email", True)]
    assert link.band == "accepted"


def test_without_hub_limits_the_support_address_merges_everyone(sqlite_store, tmp_path):
    load(sqlite_store, tmp_path, "case.csv", CHAIN)
    result = resolve(sqlite_store)  # default email hub limit (150) is far above 5: the address looks rare
    assert clusters(result) == {OP1 | OP2 | {"ebay:lone"}}


def test_a_medium_signal_goes_to_review_and_similar_names_alone_link_nothing(sqlite_store, tmp_path):
    rows = [
        ["Golden Time Watches", ebay("golden_1"), "", "", "+852 2345 6789", "", "HK"],
        ["GT Luxury", ebay("golden_2"), "", "", "+852 2345 6789", "", "HK"],
        ["Sunny Home Store", ebay("decoy_1"), "", "", "", "", "CN"],
        ["Sunny Home Store", ebay("decoy_2"), "", "", "", "", "CN"],
    ]
    load(sqlite_store, tmp_path, "case.csv", rows)
    assert clusters(resolve(sqlite_store)) == {frozenset({"ebay:golden_1", "ebay:golden_2"})}  # phone: 0.85
    medium = tmp_path / "medium.yaml"  # a team that wants a second identifier before it links on a phone
    medium.write_text("kinds:\n  phone: {weight: 0.7}\n", encoding="utf-8")
    result = resolve(sqlite_store, load_config(medium))
    assert result.operators == []
    assert [(l.a.key, l.b.key, l.score, l.band) for l in result.review] == [
        ("ebay:golden_1", "ebay:golden_2", 0.7, "review")]
    assert all("decoy" not in l.a.key for l in result.links)  # identical names, nothing shared: no candidate


def test_a_mailbox_shared_across_operators_that_other_evidence_keeps_apart_is_a_hub(sqlite_store, tmp_path):
    # eight operators of two storefronts each (each pair shares its own PayPal account), all sixteen listing
    # one agency's mailbox: by its count (16) the mailbox could be one operator's, but it joins 8 groups
    rows = [[f"Shop {i}", ebay(f"agency_{i}"), f"owner{i // 2}.pay@outlook.com", "cs@agency-mail.example", "", "",
             "CN"] for i in range(16)]
    load(sqlite_store, tmp_path, "case.csv", rows)
    result = resolve(sqlite_store)
    assert clusters(result) == {frozenset({f"ebay:agency_{2 * k}", f"ebay:agency_{2 * k + 1}"}) for k in range(8)}
    assert result.hubs == [(NodeRef("Email", "cs@agency-mail.example"), 16)]
    link = result.operators[0].links[0]
    [mailbox] = [s for s in link.signals if s.kind == "email"]
    assert (mailbox.hub, mailbox.weight, mailbox.label) == (
        True, 0.05, "same e-mail address (joins 8 groups that other evidence keeps apart)")


def test_similar_names_add_a_little_to_a_link_that_has_other_evidence(sqlite_store, tmp_path):
    rows = [["Dragon Gear", ebay("dragon_1"), "", "", "+86 139 5799 0001", "", "CN"],
            ["Dragon Gears", ebay("dragon_2"), "", "", "+86 139 5799 0001", "", "CN"]]
    load(sqlite_store, tmp_path, "case.csv", rows)
    [link] = resolve(sqlite_store).links
    assert [s.kind for s in link.signals] == ["phone", "name"]
    assert link.score == pytest.approx(1 - 0.15 * 0.8)  # phone 0.85 and name 0.2, noisy-or
    assert name_ratio("Dragon Gear", "dragon gears!") > 0.9 > name_ratio("Dragon Gear", "Phoenix Apparel")


def test_links_explain_each_signal_with_the_documents_behind_both_sides(sqlite_store, tmp_path):
    load(sqlite_store, tmp_path, "case.csv", CHAIN)
    run_resolution(sqlite_store)
    props, signals = explain_link(sqlite_store, sf("ebay:sunny_a"), sf("ebay:sunny_b"))
    assert props["band"] == "accepted" and float(props["score"]) >= 0.95
    payment = next(s for s in signals if s.signal["kind"] == "payment")
    assert payment.signal["pivot"] == "PaymentAccount:paypal:pay.one@outlook.com"
    (hop_a,), (hop_b,) = payment.sides
    assert [(e.path.endswith("case.csv"), e.locator) for e in hop_a.evidence] == [(True, "row 2, column 'PayPal'")]
    assert [e.locator for e in hop_b.evidence] == ["row 3, column 'PayPal'"]


def test_judgements_override_scores_split_along_the_weakest_link_and_can_be_undone(sqlite_store, tmp_path):
    load(sqlite_store, tmp_path, "case.csv", CHAIN[:4])
    run_resolution(sqlite_store)
    # a and d are joined through b and c; the weakest link on the way is c~d (phone + address, 0.865)
    j = record_judgement(sqlite_store, sf("ebay:sunny_a"), sf("ebay:sunny_d"), "different", "A. Reviewer",
                         "test buy from d shipped from another province")
    result = run_resolution(sqlite_store)
    assert clusters(result) == {frozenset({"ebay:sunny_a", "ebay:sunny_b", "ebay:sunny_c"})}
    [split] = result.splits
    assert [(l.a.key, l.b.key) for l in split.removed] == [("ebay:sunny_c", "ebay:sunny_d")]
    assert split.judgement.who == "A. Reviewer"
    undo_judgement(sqlite_store, j.id[:8])
    assert clusters(run_resolution(sqlite_store)) == {OP1}
    assert list_judgements(sqlite_store) == []


def test_a_same_judgement_links_a_review_pair_and_survives_reingest_and_reruns(sqlite_store, tmp_path):
    rows = [["Golden Time Watches", ebay("golden_1"), "", "", "+852 2345 6789", "", "HK"],
            ["GT Luxury", ebay("golden_2"), "", "", "+852 2345 6789", "", "HK"]]
    first = load(sqlite_store, tmp_path, "case.csv", rows)
    record_judgement(sqlite_store, sf("ebay:golden_2"), sf("ebay:golden_1"), "same", "B. Analyst")
    assert clusters(run_resolution(sqlite_store)) == {frozenset({"ebay:golden_1", "ebay:golden_2"})}
    sqlite_store.retract_source(first.sha256)  # the document is withdrawn and ingested again, edited
    load(sqlite_store, tmp_path, "case-v2.csv", rows + [["Other", ebay("other"), "", "", "", "", "HK"]])
    result = run_resolution(sqlite_store)
    assert clusters(result) == {frozenset({"ebay:golden_1", "ebay:golden_2"})}
    assert result.review == []  # judged: no longer in the queue
    with pytest.raises(GraphError, match="unknown verdict 'maybe'"):
        record_judgement(sqlite_store, sf("ebay:golden_1"), sf("ebay:golden_2"), "maybe", "B. Analyst")
    with pytest.raises(GraphError, match="no storefront 'ebay:nobody'"):
        record_judgement(sqlite_store, sf("ebay:golden_1"), sf("ebay:nobody"), "same", "B. Analyst")


def test_operator_ids_are_stable_when_members_come_and_go(sqlite_store, tmp_path):
    load(sqlite_store, tmp_path, "case.csv", CHAIN[:6])
    strict = tmp_path / "strict.yaml"
    strict.write_text("kinds:\n  email: {typical: 2, hub: 3}\n", encoding="utf-8")
    first = run_resolution(sqlite_store, strict, now="2026-01-01T00:00:00+00:00")
    ids = {frozenset(m.key for m in o.members): o.id for o in first.operators}
    # a relisted storefront pays into operator 2's account; one of operator 1's storefronts is withdrawn
    load(sqlite_store, tmp_path, "new.csv", [["Kick Zone 2", ebay("kick_3"), "KICK.PAY@gmail.com", "", "", "", "CN"]])
    rows = [r for r in CHAIN[:6] if "sunny_a" not in r[1]]
    sqlite_store.retract_source(next(s.sha256 for s in sqlite_store.sources() if s.path.endswith("case.csv")))
    load(sqlite_store, tmp_path, "case-v2.csv", rows)
    second = run_resolution(sqlite_store, strict, now="2026-02-01T00:00:00+00:00")
    again = {frozenset(m.key for m in o.members): o for o in second.operators}
    op2 = again[OP2 | {"ebay:kick_3"}]
    assert op2.id == ids[OP2] and op2.created == "2026-01-01T00:00:00+00:00"
    assert again[OP1 - {"ebay:sunny_a"}].id == ids[OP1]
    assert [(o.id, m.key) for o, m in second.new_members()] == [(ids[OP2], "ebay:kick_3")]
    [alert] = list_alerts(sqlite_store)
    assert (alert.operator.key, alert.storefront.key, alert.since) == (ids[OP2], "ebay:kick_3",
                                                                      "2026-02-01T00:00:00+00:00")
    # the evidence: its link (in the operator's strongest tree) to a member of the known operator
    assert [(n.key in OP2, json.loads(p["signals"])[0]["pivot"]) for n, p in alert.links] == [
        (True, "PaymentAccount:paypal:kick.pay@gmail.com")]


def test_export_has_one_row_per_storefront_singletons_included(sqlite_store, tmp_path):
    load(sqlite_store, tmp_path, "case.csv", CHAIN)
    (tmp_path / "strict.yaml").write_text("kinds:\n  email: {typical: 2, hub: 4}\n", encoding="utf-8")
    run_resolution(sqlite_store, tmp_path / "strict.yaml")
    rows = operator_rows(sqlite_store)
    assert len(rows) == 7 and len({r["storefront_key"] for r in rows}) == 7
    by_key = {r["storefront_key"]: r for r in rows}
    assert by_key["ebay:sunny_a"]["operator_id"] == by_key["ebay:sunny_d"]["operator_id"]
    assert by_key["ebay:lone"]["operator_id"].startswith("op-")
    assert by_key["ebay:lone"]["operator_id"] not in {by_key[k]["operator_id"] for k in OP1 | OP2}
    assert (by_key["ebay:kick_1"]["marketplace"], by_key["ebay:kick_1"]["platform_id"],
            by_key["ebay:kick_1"]["url"], by_key["ebay:kick_1"]["name"]) == (
        "ebay", "kick_1", "https://www.ebay.com/usr/kick_1", "Kick Zone")


@pytest.mark.parametrize("text,message", [
    ("bands: {accept: 0.4, review: 0.6}\n", "bands.review: expected a number from 0 to 0.4, got 0.6"),
    ("kinds:\n  fax: {weight: 0.2}\n", "kinds.fax: unknown kind"),
    ("hub_wieght: 0.1\n", "unknown setting 'hub_wieght'"),
    ("kinds: [\n", "line 2: not valid YAML"),
    ("kinds:\n  phone: {typical: 50, hub: 10}\n", "kinds.phone: typical and hub must be whole numbers"),
])
def test_bad_config_files_are_refused_with_the_place(tmp_path, text, message):
    path = tmp_path / "resolution.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert str(err.value).startswith(str(path)) and message in str(err.value)
