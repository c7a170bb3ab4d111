"""The review queue read from the last run's stored LINKED edges (not by resolving the graph again), and
brought up to date first when documents or judgements came in since that run."""

from __future__ import annotations

import time

from graph.resolution.config import load_config
from graph.resolution.judgements import record_judgement
from graph.resolution.queue import review_queue, signal_text, staleness, stored_queue
from graph.resolution.run import resolve, run_resolution
from tests.conftest import run_cli
from tests.resolution.test_resolution import ebay, load, sf, write_table

# A team that wants a second identifier before it links on a phone or an e-mail: a shared phone (0.7) or
# mailbox (0.65) alone goes to review. Expected queue, by hand: golden_1 ~ golden_2 share a phone (0.70),
# tide_1 ~ tide_2 a mailbox (0.65); nova_1 ~ nova_2 share a PayPal account (0.95: accepted, not queued).
ROWS = [
    ["Golden Time Watches", ebay("golden_1"), "", "", "+852 2345 6789", "", "HK"],
    ["GT Luxury", ebay("golden_2"), "", "", "+852 2345 6789", "", "HK"],
    ["Tide Gear", ebay("tide_1"), "", "tidegear.cs@163.com", "", "", "CN"],
    ["Ocean Tide Sports", ebay("tide_2"), "", "TideGear.CS@163.com", "", "", "CN"],
    ["Nova Kicks", ebay("nova_1"), "nova.pay@outlook.com", "", "", "", "CN"],
    ["Nova Kicks Outlet", ebay("nova_2"), "Nova.Pay@outlook.com", "", "", "", "CN"],
]
SETTINGS = "kinds:\n  phone: {weight: 0.7}\n  email: {weight: 0.65}\n"


def _settings(tmp_path):
    path = tmp_path / "medium.yaml"
    path.write_text(SETTINGS, encoding="utf-8")
    return path


def _resolved_by_cli(tmp_path):
    """The case ingested and resolved with the medium settings through the command line: (store URL, settings)."""
    rows = tmp_path / "case.csv"
    write_table(rows, ROWS)
    url = f"sqlite:///{tmp_path}/case.db"
    cfg = _settings(tmp_path)
    assert run_cli("ingest", str(rows), store=url).returncode == 0
    assert run_cli("resolve", "--config", str(cfg), store=url).returncode == 0
    return url, cfg


def test_the_stored_queue_is_the_review_band_the_run_computed(sqlite_store, tmp_path):
    load(sqlite_store, tmp_path, "case.csv", ROWS)
    cfg = _settings(tmp_path)
    assert stored_queue(sqlite_store) == (0, [])  # no run yet
    assert staleness(sqlite_store, cfg).why == "no resolution run yet"
    computed = resolve(sqlite_store, load_config(cfg)).review
    run_resolution(sqlite_store, cfg)
    total, page = stored_queue(sqlite_store)
    assert total == 2
    assert [(c.a.key, c.b.key, c.score) for c in page] == [
        ("ebay:golden_1", "ebay:golden_2", 0.7), ("ebay:tide_1", "ebay:tide_2", 0.65)]
    assert [(l.a, l.b, l.score) for l in computed] == [(c.a, c.b, c.score) for c in page]
    assert [c.a_name for c in page] == ["Golden Time Watches", "Tide Gear"]
    assert page[0].signals[0]["pivot"] == "Phone:+85223456789" and page[0].signals[0]["kind"] == "phone"
    assert signal_text(page[0].signals) == "phone +85223456789 (0.70)"
    assert stored_queue(sqlite_store, limit=1)[0] == 2 and len(stored_queue(sqlite_store, limit=1)[1]) == 1


def test_the_queue_is_brought_up_to_date_after_an_ingest_and_a_judgement(sqlite_store, tmp_path):
    load(sqlite_store, tmp_path, "case.csv", ROWS)
    cfg = _settings(tmp_path)
    time.sleep(1.1)  # times are to the second: a document stamped in a run's second is also new to the next run
    run_resolution(sqlite_store, cfg)
    assert staleness(sqlite_store, cfg).why == ""
    assert review_queue(sqlite_store, cfg).refreshed == ""
    # a new table: a third storefront on the golden phone, and a new pair sharing a mailbox
    time.sleep(1.1)
    load(sqlite_store, tmp_path, "more.csv", [
        ["Golden Hour", ebay("golden_3"), "", "", "00852 2345 6789", "", "HK"],
        ["Reef Runner", ebay("reef_1"), "", "reef.help@qq.com", "", "", "CN"],
        ["Reef Runner Store", ebay("reef_2"), "", "reef.help@qq.com", "", "", "CN"]])
    assert staleness(sqlite_store, cfg).why == "1 document or judgement since the last run"
    queue = review_queue(sqlite_store, cfg)
    assert queue.refreshed.startswith("resolved first (1 document or judgement since the last run)")
    assert queue.total == 5
    assert [(c.a.key, c.b.key) for c in queue.candidates] == [
        ("ebay:golden_1", "ebay:golden_2"), ("ebay:golden_1", "ebay:golden_3"), ("ebay:golden_2", "ebay:golden_3"),
        ("ebay:reef_1", "ebay:reef_2"), ("ebay:tide_1", "ebay:tide_2")]
    record_judgement(sqlite_store, sf("ebay:tide_1"), sf("ebay:tide_2"), "same", "Analyst R", "same invoices")
    queue = review_queue(sqlite_store, cfg)
    assert queue.refreshed and ("ebay:tide_1", "ebay:tide_2") not in [(c.a.key, c.b.key) for c in queue.candidates]
    assert queue.total == 4


def test_the_review_command_lists_the_stored_queue(tmp_path):
    url, cfg = _resolved_by_cli(tmp_path)
    res = run_cli("review", "--limit", "1", "--config", str(cfg), store=url)
    assert res.returncode == 0, res.stderr
    assert "Review queue (2 links, the first 1)" in res.stdout
    assert "ebay:golden_1" in res.stdout and "phone +85223456789 (0.70)" in res.stdout
    assert "ebay:tide_1" not in res.stdout
    # without --config: the defaults are other settings; the stored run is shown, not redone with them
    res = run_cli("review", store=url)
    assert res.returncode == 0, res.stderr
    assert "the last run used other settings than defaults.yaml" in res.stdout.replace("\n", " ")
    assert "Review queue (2 links)" in res.stdout


def test_a_judgement_does_not_redo_a_run_made_with_other_settings(tmp_path):
    url, cfg = _resolved_by_cli(tmp_path)
    judge = ("review", "same", "ebay:golden_1", "ebay:golden_2", "--who", "Analyst R")
    res = run_cli(*judge, store=url)  # the defaults would link on the phone alone, and redo everything
    assert res.returncode == 1
    assert res.stderr.startswith("Error: the last run used other settings than defaults.yaml")
    assert "nothing was recorded" in res.stderr
    assert "ebay:golden_1" not in run_cli("review", "history", store=url).stdout
    res = run_cli(*judge, "--config", str(cfg), store=url)
    assert res.returncode == 0, res.stderr
    assert "the two are now one operator" in res.stdout
    assert "Review queue (1 links)" in run_cli("review", "--config", str(cfg), store=url).stdout
