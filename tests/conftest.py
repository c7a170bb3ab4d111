"""Shared fixtures: real stores (an SQLite file per test; Neo4j when NEO4J_URI is set)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from graph.store import open_store

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).with_name("fixtures")
EXAMPLE_CASE = ROOT / "examples" / "demo-case"


def _neo4j_store():
    uri = os.environ.get("NEO4J_URI")
    if not uri:
        pytest.skip("Neo4j contract tests run when NEO4J_URI is set (docker compose up neo4j; see README)")
    store = open_store(uri)
    with store._session() as s:  # a test database: start empty
        s.run("MATCH (n) DETACH DELETE n").consume()
    return store


@pytest.fixture(params=["sqlite", "neo4j"])
def store(request, tmp_path):
    """Every GraphStore backend, empty."""
    s = open_store(f"sqlite:///{tmp_path}/case.db") if request.param == "sqlite" else _neo4j_store()
    yield s
    s.close()


@pytest.fixture
def sqlite_store(tmp_path):
    s = open_store(f"sqlite:///{tmp_path}/case.db")
    yield s
    s.close()


def run_cli(*args: str, store: str | None = None, cwd: Path | None = None, env: dict | None = None):
    """Run the real console entry point in a subprocess; returns CompletedProcess (text)."""
    full_env = {**os.environ, "COLUMNS": "200", **(env or {})}
    full_env.pop("INFRINGER_GRAPH_STORE", None)
    cmd = [sys.executable, "-m", "infringer_graph"]
    if store:
        cmd += ["--store", store]
    return subprocess.run(cmd + list(args), capture_output=True, text=True, cwd=cwd or ROOT, env=full_env,
                          timeout=300)


# The example case after review: an investigator confirmed the two links that rest on a phone number alone
# (tests of what comes after review start from here; the judgements are in force, not just the scores).
REVIEWED_SAME = (("walmart:101998877", "amazon:A3JL5R8T2W6YQN"), ("dhgate:20987654", "amazon:A1GT3W8K5P2RZX"))


def judge_example_case(store) -> None:
    from graph.records import NodeRef
    from graph.resolution.judgements import record_judgement

    for a, b in REVIEWED_SAME:
        record_judgement(store, NodeRef("Storefront", a), NodeRef("Storefront", b), "same", "Investigator K",
                         "test buys shipped by the same sender", at="2026-11-01T09:00:00+00:00")


def assert_serves_health(proc, port: int, timeout: float = 90) -> None:
    """Wait for the dashboard server ``proc`` to answer Streamlit's health check on ``port``."""
    import time
    import urllib.request

    deadline, body = time.monotonic() + timeout, ""
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            body = urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2).read().decode()
            break
        except OSError:
            time.sleep(0.5)
    assert body == "ok", proc.stdout.read() if proc.poll() is not None else "no answer"
