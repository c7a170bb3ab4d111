"""The Splink baseline of the resolution benchmark runs offline on a small synthetic case and is precise.

Splink comes with the ``bench`` extra, which ``make install`` (and so ``make test`` and CI) installs.
"""

from __future__ import annotations

import socket

import pytest

from benchmarks.splink_baseline import fold_name, resolve_store, storefront_records
from graph.evaluate import evaluate, predicted_assignment, read_truth
from graph.synth import Params, write_corpus
from ingest.run import ingest_file, iter_files


@pytest.fixture(scope="module")
def hub_free_case(tmp_path_factory):
    """150 operators of up to 8 storefronts and their decoys, no hubs and no reused fake addresses, ingested."""
    from graph.store import open_store

    root = tmp_path_factory.mktemp("splink")
    write_corpus(Params(operators=150, seed=11, hub_rate=0.0, fake_address_rate=0.0, max_storefronts=8), root / "corpus")
    store = open_store(f"sqlite:///{root}/case.db")
    for f in iter_files([root / "corpus" / "documents"]):
        ingest_file(store, f)
    yield store, read_truth(root / "corpus" / "truth.csv")
    store.close()


def test_records_hold_the_identifiers_a_storefront_reaches(hub_free_case):
    store, truth = hub_free_case
    records = {r["unique_id"]: r for r in storefront_records(store)}
    assert set(truth) <= set(records)
    with_payment = [r for r in records.values() if r["payment"]]
    assert with_payment, "the corpus pays to accounts; some record must hold one"
    for r in records.values():
        for band in ("payment_5", "email_5", "phone_25"):
            # a band holds only values of the full list (those shared by few storefronts)
            assert set(r[band] or ()) <= set(r[band.split("_")[0]] or ())
        assert r["marketplace"] == r["unique_id"].partition(":")[0]


def test_fold_name_ignores_case_and_punctuation():
    assert fold_name("Maple-Shop, Official!") == fold_name("maple shop official") == "maple shop official"
    assert fold_name("  ") is None and fold_name(None) is None


@pytest.mark.slow
def test_splink_baseline_runs_offline_and_links_precisely_without_hubs(hub_free_case, monkeypatch, tmp_path):
    store, truth = hub_free_case
    monkeypatch.setenv("HOME", str(tmp_path))  # where DuckDB would install extensions (~/.duckdb)

    def no_network(*args, **kwargs):
        raise AssertionError(f"the Splink baseline tried to open a connection: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    run = resolve_store(store)
    assert not (tmp_path / ".duckdb").exists(), "DuckDB installed an extension (a download)"
    assert set(truth) <= set(run.assignment)
    result = evaluate(truth, run.assignment)
    # without hubs, little is merged wrongly; what is comes through a storefront the truth does not know
    # (keyed by its name only) or a decoy's copied name
    assert result.bcubed.precision >= 0.95 and result.pairwise.precision >= 0.85
    assert result.pairwise.recall >= 0.8        # it links, not only keeps everything apart
    assert result.predicted_clusters < len(truth)
    # the clusters were written to the store as Operators, scored the same
    written = evaluate(truth, predicted_assignment(store))
    assert (written.bcubed, written.pairwise) == (result.bcubed, result.pairwise)
