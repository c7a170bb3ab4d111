"""An ingest killed mid-run leaves the store consistent; readers see whole Sources or nothing (real processes)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchmarks.synthetic import write_seller_table
from graph.store import open_store
from tests.conftest import ROOT

ROWS = 15000


@pytest.fixture(scope="module")
def big_table(tmp_path_factory) -> Path:
    return write_seller_table(tmp_path_factory.mktemp("big") / "sellers.csv", ROWS)


def _start_ingest(db: Path, table: Path) -> subprocess.Popen:
    # a small write cache: pages of the open transaction spill to the WAL early, as they do for a 1M-row table
    env = {**os.environ, "INFRINGER_GRAPH_WRITE_CACHE_MIB": "4"}
    return subprocess.Popen([sys.executable, "-m", "infringer_graph", "--store", f"sqlite:///{db}", "ingest", str(table)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def _wait_for_wal(db: Path, proc: subprocess.Popen, min_bytes: int = 2**20) -> None:
    wal = Path(f"{db}-wal")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if wal.exists() and wal.stat().st_size > min_bytes:
            return
        time.sleep(0.01)
    pytest.fail("the ingest never got to writing")


def _children(pid: int) -> list[int]:
    """Processes started by any thread of ``pid``."""
    return [int(c) for task in Path(f"/proc/{pid}/task").iterdir() for c in (task / "children").read_text().split()]


def _alive(pid: int) -> bool:
    """Running, or a zombie not yet reaped by init (which counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_sigkill_mid_ingest_leaves_a_consistent_store_and_a_rerun_completes(tmp_path, big_table):
    db = tmp_path / "case.db"
    proc = _start_ingest(db, big_table)
    _wait_for_wal(db, proc)
    linux = sys.platform.startswith("linux")
    workers = _children(proc.pid) if linux else []
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    if linux:  # its cleaning workers go with it instead of waiting for work for ever
        assert workers, "the ingest cleans in worker processes"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
            time.sleep(0.05)
        assert not [pid for pid in workers if _alive(pid)]
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()
    with open_store(f"sqlite:///{db}") as store:
        assert store.sources() == [] and store.counts() == ({}, {})  # no half-written Source is visible
    rerun = _start_ingest(db, big_table)
    out, err = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, err
    with open_store(f"sqlite:///{db}") as store:
        [source] = store.sources()
        assert source.records == ROWS
        assert store.counts()[0]["Storefront"] == ROWS


def test_a_reader_during_an_ingest_sees_all_or_nothing_and_no_errors(tmp_path, big_table):
    db = tmp_path / "case.db"
    with open_store(f"sqlite:///{db}"):
        pass  # the store exists before the reader opens it
    proc = _start_ingest(db, big_table)
    seen: set[int] = set()
    with open_store(f"sqlite:///{db}", create=False) as reader:
        while proc.poll() is None:
            nodes, _ = reader.counts()
            seen.add(nodes.get("Storefront", 0))
            reader.search("sunny")
            assert len(reader.sources()) in (0, 1)
            time.sleep(0.02)
        nodes, _ = reader.counts()
        seen.add(nodes.get("Storefront", 0))
    assert proc.returncode == 0, proc.stderr.read()
    assert seen == {0, ROWS}  # never a partial count
