"""A resolution run's result is written in bulk (edge blocks) exactly as it would be one statement at a time:
the whole store compared table by table, on a generated graph with hubs, bridges and stars, for a first run
and for a full re-run that replaces it."""

from __future__ import annotations

import shutil

import pytest

from benchmarks.resolution_scale import Shape, build
from graph.resolution import run
from graph.store import open_store
from tests.graph.test_sqlite_bulk import table_dump

FIRST, SECOND = "2030-01-01T00:00:00+00:00", "2030-01-02T00:00:00+00:00"


@pytest.fixture(scope="module")
def graph(tmp_path_factory):
    path = tmp_path_factory.mktemp("bulk") / "graph.db"
    build(f"sqlite:///{path}", 1500, seed=9, shape=Shape(hub_rate=0.08, forwarders=4, agency_rate=0.05, agencies=2))
    return path


def test_the_result_written_in_bulk_equals_the_result_written_statement_by_statement(graph, tmp_path, monkeypatch):
    written = {}
    facts = run._facts
    for how in ("blocks", "statements"):
        if how == "statements":
            monkeypatch.setattr(run, "_facts", lambda result, names: (f.unblocked() for f in facts(result, names)))
        path = tmp_path / f"{how}.db"
        shutil.copy(graph, path)
        with open_store(f"sqlite:///{path}") as store:
            first = run.run_resolution(store, now=FIRST)
            run.run_resolution(store, now=SECOND, incremental=False)
        written[how] = table_dump(path)
    assert len(first.operators) > 100 and len(first.review_ids) > 0  # the graph has something to write
    for table, rows in written["statements"].items():
        assert written["blocks"][table] == rows, table
    linked = [a for a in written["blocks"]["assertions"] if a[0] == "LINKED"]
    assert len(linked) >= sum(len(o.members) - 1 for o in first.operators)
