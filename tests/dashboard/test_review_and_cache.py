"""The Review queue's buttons (judgements, re-resolution, undo, audit log) and the generation-keyed caches
(a view changes after an ingest and a resolution run)."""

from __future__ import annotations

import json

from graph.records import NodeRef
from graph.resolution.judgements import list_judgements
from graph.resolution.run import run_resolution
from graph.store import open_store
from ingest.run import ingest_file
from tests.dashboard.conftest import RELISTED, frame, go, start

PHONE_ONLY = [("aliexpress:1109876543", "walmart:101998877"), ("amazon:A1GT3W8K5P2RZX", "dhgate:20987654"),
              ("amazon:A3JL5R8T2W6YQN", "walmart:101998877")]


def _operators(url: str, *storefronts: str) -> list[str | None]:
    with open_store(url) as store:
        return [next((n.key for _, n in store.neighbours(NodeRef("Storefront", k), ["CONTROLS"])), None)
                for k in storefronts]


def test_review_buttons_record_judgements_re_resolve_and_undo(review_store, monkeypatch, tmp_path):
    at = go(start(review_store, monkeypatch, tmp_path), "Review queue")
    queue = frame(at, "score", "other storefront")
    assert list(zip(queue["storefront"], queue["other storefront"])) == PHONE_ONLY
    assert list(queue["score"]) == [0.7, 0.7, 0.7] and set(queue["signals"]) == {"phone 0.7"}
    golden, gt_luxury = _operators(review_store, "amazon:A1GT3W8K5P2RZX", "dhgate:20987654")
    assert golden is not None and gt_luxury is None  # Golden Time's operator (bank account); GT Luxury alone

    at.selectbox(key="review_pick").set_value(1).run()  # Golden Time Watches ~ GT Luxury
    sides = frame(at, "property", "same")
    assert dict(zip(sides["property"], sides["amazon:A1GT3W8K5P2RZX"]))["name"] == "Golden Time Watches"
    assert dict(zip(sides["property"], sides["dhgate:20987654"]))["name"] == "GT Luxury"
    evidence = frame(at, "signal", "where", "excerpt")
    assert set(zip(evidence["storefront"], evidence["where"], evidence["excerpt"])) == {
        ("amazon:A1GT3W8K5P2RZX", "row 18, column 'Customer Service Phone'", "+852 2345 6789"),  # Def. No. 17
        ("dhgate:20987654", "row 20, column 'Customer Service Phone'", "+852 2345 6789")}
    at.text_input(key="review_comment").set_value("test buys shipped by the same sender").run()
    at.button(key="review_same").click().run()
    assert not at.exception
    [outcome] = [s.value for s in at.success]
    together = _operators(review_store, "amazon:A1GT3W8K5P2RZX", "dhgate:20987654")
    assert together == [golden, golden]  # GT Luxury joined it; the operator kept its id
    assert outcome.endswith(f"the two are now one operator ({together[0]}).")
    assert list(zip(frame(at, "score", "other storefront")["storefront"],
                    frame(at, "score", "other storefront")["other storefront"])) == [PHONE_ONLY[0], PHONE_ONLY[2]]
    history = frame(at, "verdict", "comment")
    assert list(zip(history["verdict"], history["storefront"], history["comment"])) == [
        ("same", "amazon:A1GT3W8K5P2RZX", "test buys shipped by the same sender")]

    at.button(key="review_different").click().run()  # the first remaining candidate: they stay apart
    assert [s.value for s in at.success][0].endswith("the two are now apart.")
    with open_store(review_store) as store:
        judged = [(j.a.key, j.b.key, j.verdict) for j in list_judgements(store)]
    assert sorted(judged) == [("aliexpress:1109876543", "walmart:101998877", "different"),
                              ("amazon:A1GT3W8K5P2RZX", "dhgate:20987654", "same")]

    history = frame(at, "verdict", "comment")
    latest = history[history["verdict"] == "different"].iloc[0]["id"]
    at.selectbox(key="review_undo_pick").set_value(latest).run()
    at.button(key="review_undo").click().run()
    assert [s.value for s in at.success][0].startswith(f"Withdrew judgement {latest}")
    assert list(frame(at, "verdict", "comment")["verdict"]) == ["same"]
    events = [json.loads(line) for line in (tmp_path / "audit.jsonl").read_text().splitlines()]
    assert [(e["action"], e.get("verdict")) for e in events] == [("judgement", "same"), ("judgement", "different"),
                                                                  ("undo_judgement", "different")]
    assert events[0]["comment"] == "test buys shipped by the same sender" and events[0]["outcome"] == together[0]
    assert all(e["user"] for e in events)


def test_an_empty_queue_says_so(demo_store, monkeypatch, tmp_path):
    at = go(start(demo_store, monkeypatch, tmp_path), "Review queue")
    assert at.info[0].value == "Nothing to review: no candidate link is in the review band."
    assert len(frame(at, "verdict", "comment")) == 2  # the example case's two judgements


def test_cached_views_change_after_an_ingest_and_a_resolution(fresh_store, monkeypatch, tmp_path):
    at = start(fresh_store, monkeypatch, tmp_path)
    assert {m.label: m.value for m in at.metric}["Storefront"] == "36"
    go(at, "Search")
    at.text_input(key="q").set_value("Nimbus Petal").run()
    assert at.warning[0].value == "No match."
    go(at, "Operator")
    assert len(frame(at, "storefront", "aliases")) == 7  # the largest operator, before
    with open_store(fresh_store) as store:  # meanwhile, another process ingests and resolves
        ingest_file(store, RELISTED)
        run_resolution(store)
    at.run()  # same session: the cached operator page is stale unless the caches know the store changed
    members = frame(at, "storefront", "aliases")
    assert len(members) == 8 and "ebay:bloom_relist_88" in set(members["storefront"])
    go(at, "Search")
    at.text_input(key="q").set_value("Nimbus Petal").run()
    assert frame(at, "key", "match").iloc[0]["key"] == "ebay:nimbus_petal_store"
    go(at, "Overview")
    assert {m.label: m.value for m in at.metric}["Storefront"] == "38"
    assert list(frame(at, "path", "records")["records"]) == [2, 36]  # newest first


def test_a_dashboard_without_the_runs_settings_shows_its_queue_but_records_no_judgement(review_store, monkeypatch,
                                                                                        tmp_path):
    monkeypatch.delenv("INFRINGER_GRAPH_RESOLVE_CONFIG")  # the run used the medium file; the dashboard the defaults
    at = go(start(review_store, monkeypatch, tmp_path), "Review queue")
    assert any(c.value.startswith("The last run used other settings than defaults.yaml: this is its queue")
               for c in at.caption)
    queue = frame(at, "score", "other storefront")
    assert list(zip(queue["storefront"], queue["other storefront"])) == PHONE_ONLY  # that run's queue
    at.button(key="review_same").click().run()
    assert not at.exception
    [error] = [e.value for e in at.error]
    assert "set INFRINGER_GRAPH_RESOLVE_CONFIG to that run's file" in error and "nothing was recorded" in error
    with open_store(review_store) as store:
        assert list_judgements(store) == []
