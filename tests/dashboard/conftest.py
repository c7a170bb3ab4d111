"""Stores for the dashboard tests: the example case ingested, judged and resolved for real (shared, read-only),
and fresh copies for the tests that write (judgements, ingests)."""

from __future__ import annotations

import sqlite3

import pytest
from streamlit.testing.v1 import AppTest

from graph.resolution.run import run_resolution
from graph.store import open_store
from ingest.run import ingest_file, iter_files
from tests.conftest import EXAMPLE_CASE, FIXTURES, ROOT, judge_example_case

APP = str(ROOT / "dashboard" / "app.py")
RELISTED = FIXTURES / "dashboard" / "relisted_sellers.csv"
HOSTILE_NAME = "<img src=x onerror=alert(1)>"


def _example(path, judged: bool = True, config=None, now: str | None = None) -> str:
    url = f"sqlite:///{path}"
    with open_store(url) as store:
        for f in iter_files([EXAMPLE_CASE]):
            ingest_file(store, f)
        if judged:
            judge_example_case(store)
        run_resolution(store, config, now)
    return url


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):
    return _example(tmp_path_factory.mktemp("dash") / "demo.db")


@pytest.fixture(scope="module")
def relisted_store(tmp_path_factory):
    """The example case, then a later document: a storefront with a hostile name that uses the PayPal account
    of the largest operator (a relisting), and an unrelated one; resolved again."""
    url = _example(tmp_path_factory.mktemp("relist") / "relisted.db", now="2026-11-01T10:00:00+00:00")
    with open_store(url) as store:
        ingest_file(store, RELISTED)
        run_resolution(store, now="2026-11-03T10:00:00+00:00")
    return url


@pytest.fixture
def fresh_store(demo_store, tmp_path):
    """A private copy of the judged example case (for tests that ingest or judge)."""
    src = sqlite3.connect(demo_store.removeprefix("sqlite:///"))
    dst = sqlite3.connect(tmp_path / "copy.db")
    with dst:
        src.backup(dst)  # SQLite's online backup: the WAL's pages included
    src.close()
    dst.close()
    return f"sqlite:///{tmp_path / 'copy.db'}"


@pytest.fixture
def medium_config(tmp_path):
    """A team that wants a second identifier before it links on a phone: phone-only links go to review."""
    path = tmp_path / "medium.yaml"
    path.write_text("kinds:\n  phone: {weight: 0.7}\n", encoding="utf-8")
    return path


@pytest.fixture
def review_store(tmp_path, medium_config, monkeypatch):
    """The example case without judgements, resolved with the medium config (three phone-only links to review);
    the dashboard resolves with the same file."""
    monkeypatch.setenv("INFRINGER_GRAPH_RESOLVE_CONFIG", str(medium_config))
    return _example(tmp_path / "review.db", judged=False, config=medium_config)


def start(url: str, monkeypatch, tmp_path) -> AppTest:
    monkeypatch.setenv("INFRINGER_GRAPH_STORE", url)
    monkeypatch.setenv("INFRINGER_GRAPH_AUDIT", str(tmp_path / "audit.jsonl"))
    return AppTest.from_file(APP, default_timeout=90).run()


def go(at: AppTest, page: str) -> AppTest:
    at.sidebar.radio(key="page").set_value(page).run()
    assert not at.exception, at.exception
    return at


def frame(at: AppTest, *columns: str, index: int = 0):
    """The ``index``-th dataframe on the page that has all these columns (as a pandas DataFrame)."""
    found = [d.value for d in at.dataframe if set(columns) <= set(d.value.columns)]
    assert len(found) > index, f"no dataframe with columns {columns}"
    return found[index]
