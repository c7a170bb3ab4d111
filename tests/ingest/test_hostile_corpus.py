"""Every file of the hostile-input corpus gets its expected result, and the store stays consistent."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import yaml

from ingest.run import ingest_file
from tests.conftest import FIXTURES

EXPECTED = yaml.safe_load((FIXTURES / "hostile" / "expected.yaml").read_text(encoding="utf-8"))


def test_the_corpus_is_large_and_every_file_is_listed():
    assert len(EXPECTED) >= 40
    on_disk = {f"hostile/{p.name}" for p in (FIXTURES / "hostile").iterdir()
               if p.suffix not in {".py", ".yaml"}}
    assert on_disk <= set(EXPECTED)


@pytest.fixture(scope="module")
def shared_store(tmp_path_factory):
    from graph.store import open_store

    path = tmp_path_factory.mktemp("hostile") / "case.db"
    with open_store(f"sqlite:///{path}") as store:
        yield store, path


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_hostile_file(name, shared_store):
    store, path = shared_store
    want = EXPECTED[name]
    before = (store.counts(), len(store.sources()))
    result = ingest_file(store, FIXTURES / name)
    assert result.status == want["status"], result.reason
    if want["status"] == "rejected":
        assert result.reason.startswith(want["reason"]), result.reason
        assert (store.counts(), len(store.sources())) == before  # nothing half-written
        assert any(q.path == str(FIXTURES / name) for q in store.quarantined())
    else:
        assert (result.records, result.unparsed) == (want["records"], want["unparsed"])
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.close()


def test_containers_nested_too_deep_are_refused_below_the_limit(tmp_path):
    from graph.store import open_store
    from ingest.run import MAX_DEPTH, flatten

    with open_store(f"sqlite:///{tmp_path}/case.db") as store:
        results = list(flatten([ingest_file(store, FIXTURES / "hostile" / "zip_nested_too_deep.zip")]))
        assert [r.status for r in results] == ["ingested"] * (MAX_DEPTH + 1) + ["rejected"]
        assert results[-1].reason == f"nested more than {MAX_DEPTH} containers deep"
        assert store.counts()[0].get("Storefront", 0) == 0
