"""synth -> ingest -> resolve -> evaluate through the real command line, on a small synthetic corpus."""

from __future__ import annotations

import csv
import json

import pytest

from graph.store import open_store
from tests.conftest import run_cli

SYNTH = ("synth", "--operators", "30", "--seed", "12", "--hub-rate", "0.4", "--pdf")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("synth")
    out = root / "corpus"
    made = run_cli(*SYNTH, "-o", str(out))
    assert made.returncode == 0, made.stderr
    url = f"sqlite:///{root}/case.db"
    ingested = run_cli("ingest", str(out / "documents"), store=url)
    return out, url, made, ingested


def _evaluate(url: str, truth) -> dict:
    done = run_cli("evaluate", "--truth", str(truth), "--json", store=url)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_synth_writes_documents_truth_and_description(corpus, tmp_path):
    out, _, made, _ = corpus
    assert "Synthetic corpus in" in made.stdout and "storefronts listing a hub" in made.stdout
    info = json.loads((out / "corpus.json").read_text(encoding="utf-8"))
    assert info["parameters"]["hub_rate"] == 0.4 and info["parameters"]["pdf"] is True
    assert info["counts"]["hubs"] == 1 and info["counts"]["storefronts_listing_a_hub"] > 20
    assert "truth.csv" in (out / "README.txt").read_text(encoding="utf-8")
    assert list((out / "documents" / "schedule_a").glob("*.pdf"))
    again = tmp_path / "again"
    assert run_cli(*SYNTH, "-o", str(again)).returncode == 0
    files = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(again) for p in again.rglob("*") if p.is_file())
    assert all((out / f).read_bytes() == (again / f).read_bytes() for f in files)


def test_synth_refuses_a_directory_that_is_not_empty(corpus):
    out, *_ = corpus
    done = run_cli("synth", "--operators", "3", "-o", str(out))
    assert done.returncode == 1
    assert done.stderr.strip() == f"Error: {out}: exists and is not an empty directory (give a new one)"


def test_every_document_ingests_and_truth_covers_every_storefront(corpus):
    out, url, _, ingested = corpus
    assert ingested.returncode == 0, ingested.stderr
    assert " 0 rejected" in ingested.stdout
    assert run_cli("quarantine", store=url).stdout.strip() == "Quarantine is empty."
    with open_store(url, create=False) as store:
        keys = {n.key for n in store.iter_nodes("Storefront")}
        parsers = {s.parser for s in store.sources()}
    with (out / "truth.csv").open(encoding="utf-8") as fh:
        truth = {row["storefront_key"] for row in csv.DictReader(fh)}
    assert keys == truth
    assert {"seller-table-csv", "disclosure-csv", "schedule-a-text", "schedule-a-pdf", "storefront-page-html",
            "markdown-note"} <= parsers
    assert parsers & {"whois-text", "rdap-json"}


def test_evaluate_shows_hub_traps_in_the_baseline(corpus):
    out, url, *_ = corpus
    assert run_cli("resolve", store=url).returncode == 0
    default = _evaluate(url, out / "truth.csv")
    text = run_cli("evaluate", "--truth", str(out / "truth.csv"), store=url)
    assert text.returncode == 0 and "B-cubed" in text.stdout and "pairwise" in text.stdout
    # connected components over any shared identifier (the baseline with hubs not suppressed) falls in them
    from graph.resolve import run_resolution as run_baseline
    from graph.store import open_store

    with open_store(url, create=False) as store:
        run_baseline(store, hub_limit=1000)
    unsuppressed = _evaluate(url, out / "truth.csv")
    assert unsuppressed["bcubed"]["precision"] < default["bcubed"]["precision"]
    assert unsuppressed["bcubed"]["precision"] < 0.9
    assert unsuppressed["bcubed"]["recall"] >= default["bcubed"]["recall"]
    assert unsuppressed["false_merges"][0]["spread"] > 5  # the hub pulls many operators together
    assert unsuppressed["unplaced"] == 0 and unsuppressed["unknown"] == 0
    listed = run_cli("evaluate", "--truth", str(out / "truth.csv"), "--worst", "2", store=url)
    assert "Worst false merges" in listed.stdout


def test_a_bad_truth_file_is_one_error_line_naming_file_and_line(corpus, tmp_path):
    _, url, *_ = corpus
    bad = tmp_path / "truth.csv"
    bad.write_text("storefront_key,operator_id\namazon:A1HX7Q2M9ZK3LP\n", encoding="utf-8")
    done = run_cli("evaluate", "--truth", str(bad), store=url)
    assert done.returncode == 1
    assert done.stderr.strip() == f"Error: {bad}: line 2: a storefront key and an operator id are needed"
    missing = run_cli("evaluate", "--truth", str(tmp_path / "nope.csv"), store=url)
    assert missing.returncode == 1 and missing.stderr.startswith(f"Error: {tmp_path / 'nope.csv'}: ")
    assert "Traceback" not in done.stderr + missing.stderr


def test_the_store_links_every_phone_paypal_account_and_address_the_world_gives_a_storefront(corpus):
    from graph.clean import clean
    from graph.records import NodeRef
    from graph.synth import Params, build_world

    _, url, *_ = corpus
    world = build_world(Params(operators=30, seed=12, hub_rate=0.4, pdf=True))
    checked = 0
    with open_store(url, create=False) as store:
        for s in world.storefronts:
            linked = {n.key for _, n in store.neighbours(NodeRef("Storefront", s.key))}
            for ident in s.idents:
                if ident.kind == "phone":
                    assert ident.value in linked, (s.key, ident)
                elif ident.kind == "paypal":
                    assert f"paypal:{ident.value.lower()}" in linked, (s.key, ident)
                elif ident.kind == "address" and ident.role in ("operator", "chain"):  # one cell, several addresses
                    assert clean("address", ident.value, {"country": "CN"}).key in linked, (s.key, ident)
                else:
                    continue
                checked += 1
    assert checked > 50
