"""DDL of the embedded store. Type constraints come from the model: the
``node_types``/``edge_types`` tables are filled from ``graph/schema`` and every
node and edge row references them (foreign keys), so a type the model does not
declare cannot be written."""

from __future__ import annotations

import json
import sqlite3

from graph.model import Model

SCHEMA_VERSION = 1
DDL_REVISION = 2  # changes to triggers and indexes that CREATE ... IF NOT EXISTS / DROP ... IF EXISTS apply in place

DDL = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS node_types (name TEXT PRIMARY KEY, label TEXT NOT NULL, spec TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS edge_types (name TEXT PRIMARY KEY, spec TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE,
    path TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    parser TEXT NOT NULL DEFAULT '',
    captured_at TEXT,
    ingested_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'ok',
    records INTEGER NOT NULL DEFAULT 0,
    error TEXT
);
CREATE TABLE IF NOT EXISTS nodes (
    id INTEGER PRIMARY KEY,
    type TEXT NOT NULL REFERENCES node_types(name),
    key TEXT NOT NULL,
    name TEXT,
    props TEXT NOT NULL DEFAULT '{}',
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    UNIQUE (type, key)
);
CREATE TABLE IF NOT EXISTS node_props (
    node_id INTEGER NOT NULL REFERENCES nodes(id),
    prop TEXT NOT NULL,
    value TEXT NOT NULL,
    source_id INTEGER NOT NULL REFERENCES sources(id),
    locator TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    PRIMARY KEY (node_id, prop, value, source_id, locator)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS node_props_source ON node_props(source_id);
CREATE TABLE IF NOT EXISTS edges (
    id INTEGER PRIMARY KEY,
    type TEXT NOT NULL REFERENCES edge_types(name),
    src INTEGER NOT NULL REFERENCES nodes(id),
    dst INTEGER NOT NULL REFERENCES nodes(id),
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    UNIQUE (src, type, dst)
);
CREATE INDEX IF NOT EXISTS edges_dst ON edges(dst, type);
CREATE TABLE IF NOT EXISTS edge_assertions (
    edge_id INTEGER NOT NULL REFERENCES edges(id),
    source_id INTEGER NOT NULL REFERENCES sources(id),
    locator TEXT NOT NULL,
    props TEXT NOT NULL DEFAULT '{}',
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    PRIMARY KEY (edge_id, source_id, locator)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS edge_assertions_source ON edge_assertions(source_id);
CREATE TABLE IF NOT EXISTS unparsed (
    id INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES sources(id),
    locator TEXT NOT NULL,
    field TEXT NOT NULL,
    raw TEXT NOT NULL,
    reason TEXT NOT NULL,
    subject_type TEXT,
    subject_key TEXT
);
CREATE INDEX IF NOT EXISTS unparsed_source ON unparsed(source_id);
CREATE TABLE IF NOT EXISTS quarantine (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    reason TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 1,
    data BLOB,
    UNIQUE (path, sha256)
);
-- every searchable value; names and addresses (fts = 1) also go to the trigram index for substring search,
-- identifier values are matched by prefix through the NOCASE index
CREATE TABLE IF NOT EXISTS search_terms (
    id INTEGER PRIMARY KEY,
    node_id INTEGER NOT NULL REFERENCES nodes(id),
    term TEXT NOT NULL COLLATE NOCASE,
    fts INTEGER NOT NULL DEFAULT 0,
    UNIQUE (node_id, term)
);
CREATE INDEX IF NOT EXISTS search_terms_term ON search_terms(term);
CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(
    term, content='search_terms', content_rowid='id', tokenize='trigram');
-- new terms reach the trigram index in bulk at the end of each write transaction (index_new_terms):
-- a trigger per row made the index a third of the write time
DROP TRIGGER IF EXISTS search_terms_ai;
CREATE TRIGGER IF NOT EXISTS search_terms_ad AFTER DELETE ON search_terms WHEN old.fts = 1 BEGIN
    INSERT INTO search_fts(search_fts, rowid, term) VALUES ('delete', old.id, old.term);
END;
"""


def _fingerprint(model: Model) -> str:
    import hashlib

    spec = [(n.name, n.label, n.key, dict(n.display), n.nlp_label) for n in model.nodes.values()]
    spec += [(e.name, e.sources, e.targets) for e in model.edges.values()]
    return hashlib.sha256(repr((SCHEMA_VERSION, DDL_REVISION, spec)).encode()).hexdigest()


def create_schema(conn: sqlite3.Connection, model: Model) -> None:
    """Create tables if missing and sync the type tables with the model.

    A store that is already in step with this model is not written to at all, so readers (the dashboard)
    can open it while an ingest holds the write lock."""
    fingerprint = _fingerprint(model)
    has_meta = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone()
    if has_meta and conn.execute("SELECT value FROM meta WHERE key = 'model'").fetchone() == (fingerprint,):
        return
    conn.executescript(DDL)
    with conn:
        conn.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
        conn.executemany(
            "INSERT INTO node_types(name, label, spec) VALUES (?, ?, ?) "
            "ON CONFLICT(name) DO UPDATE SET label = excluded.label, spec = excluded.spec",
            [(n.name, n.label, json.dumps({"key": n.key, "display": dict(n.display), "nlp_label": n.nlp_label}))
             for n in model.nodes.values()])
        conn.executemany(
            "INSERT INTO edge_types(name, spec) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET spec = excluded.spec",
            [(e.name, json.dumps({"from": e.sources, "to": e.targets})) for e in model.edges.values()])
        conn.execute("INSERT INTO meta(key, value) VALUES ('model', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                     (fingerprint,))
    version = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0]
    if int(version) != SCHEMA_VERSION:
        from graph.errors import StoreError

        raise StoreError(f"store schema version {version} is not {SCHEMA_VERSION}; re-ingest into a new store")


def last_term_id(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT coalesce(max(id), 0) FROM search_terms").fetchone()[0]


def index_new_terms(conn: sqlite3.Connection, since_id: int) -> None:
    """Put the name/address terms added after ``since_id`` into the trigram index (one statement)."""
    conn.execute("INSERT INTO search_fts(rowid, term) SELECT id, term FROM search_terms WHERE id > ? AND fts = 1",
                 (since_id,))
