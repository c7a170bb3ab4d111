"""What only the embedded store has: in-place DDL upgrades of an existing file."""

from __future__ import annotations

import sqlite3

from graph.store import open_store
from graph.store.sqlite_schema import DDL_REVISION

OLD_TRIGGER = """CREATE TRIGGER search_terms_ai AFTER INSERT ON search_terms WHEN new.fts = 1 BEGIN
    INSERT INTO search_fts(rowid, term) VALUES (new.id, new.term);
END"""


def test_a_store_written_by_the_previous_revision_is_upgraded_when_opened(tmp_path):
    path = tmp_path / "case.db"
    open_store(f"sqlite:///{path}").close()
    conn = sqlite3.connect(path)
    conn.execute(OLD_TRIGGER)  # revision 1 indexed names with a trigger per row
    conn.execute("UPDATE meta SET value = 'revision-1-fingerprint' WHERE key = 'model'")
    conn.commit()
    conn.close()
    assert DDL_REVISION >= 2
    with open_store(f"sqlite:///{path}") as store:
        triggers = {r[0] for r in store._conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        assert "search_terms_ai" not in triggers  # else every name would be indexed twice
        assert "search_terms_ad" in triggers
