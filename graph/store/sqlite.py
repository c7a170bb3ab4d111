"""The embedded store: one SQLite file (WAL), statements with provenance, FTS5 search."""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from itertools import repeat
from operator import itemgetter
from pathlib import Path

from graph.errors import SchemaError, StoreError
from graph.model import Model, get_model
from graph.records import Facts
from graph.store.base import GraphStore, Quarantined, RetractStats, SourceInfo, WriteStats, utcnow
from graph.store.sqlite_bulk import SQLiteBulk
from graph.store.sqlite_parts import WriteParts, prepare_batch
from graph.store.sqlite_read import SQLiteReads
from graph.store.sqlite_scope import SQLiteScoped
from graph.store.sqlite_schema import create_schema, index_new_terms, last_term_id

CACHE_KIB = 64 * 1024  # SQLite's page cache for reads
# ... and while a document is written: the indexes that take inserts in key order (nodes by type and key,
# search terms) outgrow 64 MiB at a few hundred thousand rows, and every miss is a read. A fixed size, so
# memory stays the same for any size of document; lower it on a small machine (pages past it spill to the WAL)
BULK_CACHE_KIB = int(os.environ.get("INFRINGER_GRAPH_WRITE_CACHE_MIB", "256")) * 1024
# a new node's name and derived props are written with it; a known one keeps its name unless a new one is
# stated, and its derived props are merged (RFC 7396, as before)
_NODE_UPSERT = ("INSERT INTO nodes(type, key, name, props, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(type, key) DO UPDATE SET last_seen = excluded.last_seen, "
                "name = coalesce(excluded.name, nodes.name), "
                "props = iif(excluded.props = '{}', nodes.props, json_patch(nodes.props, excluded.props)) "
                "RETURNING id")
_NODE_ROWS = 500  # nodes upserted by one statement (a statement per node cost more than the insert itself)


@lru_cache(maxsize=4)
def _node_upsert_many(rows: int) -> str:
    """``_NODE_UPSERT`` for ``rows`` nodes at once; the ids come back with their type and key."""
    sql = _NODE_UPSERT.replace("VALUES (?, ?, ?, ?, ?, ?)", "VALUES " + ", ".join(["(?, ?, ?, ?, ?, ?)"] * rows))
    return sql.replace("RETURNING id", "RETURNING id, type, key")


@lru_cache(maxsize=4)
def _node_lookup_many(rows: int) -> str:
    return ("SELECT n.id, n.type, n.key FROM (VALUES " + ", ".join(["(?, ?)"] * rows) + ") AS v "
            "CROSS JOIN nodes n ON n.type = v.column1 AND n.key = v.column2")


_PROP_UPSERT = ("INSERT INTO node_props(node_id, prop, value, source_id, locator, first_seen, last_seen) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET last_seen = excluded.last_seen")
_EDGE_UPSERT = ("INSERT INTO edges(type, src, dst, first_seen, last_seen) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(src, type, dst) DO UPDATE SET last_seen = excluded.last_seen")
# edges are upserted in one executemany, then their assertions find them by their unique key
_ASSERT_UPSERT = ("INSERT INTO edge_assertions(edge_id, source_id, locator, props, first_seen, last_seen) "
                  "VALUES ((SELECT id FROM edges WHERE src = ? AND type = ? AND dst = ?), ?, ?, ?, ?, ?) "
                  "ON CONFLICT DO UPDATE SET last_seen = excluded.last_seen, props = excluded.props")
_EDGE_ORDER = itemgetter(0, 1, 2)  # (src, type, dst): the order of the edges' unique index
_TERM_INSERT = "INSERT INTO search_terms(node_id, term, fts) VALUES (?, ?, ?) ON CONFLICT DO NOTHING"


class SQLiteStore(SQLiteBulk, SQLiteScoped, SQLiteReads, GraphStore):
    def __init__(self, path: Path, create: bool = True, model: Model | None = None):
        self.path = Path(path)
        self.url = f"sqlite:///{self.path}"
        self.model = model or get_model()
        if not self.path.exists():
            if not create:
                raise StoreError(f"no store at {self.path}")
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create {self.path.parent}: {exc.strerror}") from None
        self._lock = threading.RLock()
        self._known: dict[str, dict[str, int]] = {}  # node ids by type and key, during one write (sqlite_bulk)
        try:
            self._conn = sqlite3.connect(self.path, timeout=60, isolation_level=None, check_same_thread=False)
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA synchronous = NORMAL")
            self._conn.execute("PRAGMA foreign_keys = ON")
            self._conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
            create_schema(self._conn, self.model)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open store {self.path}: {exc}") from None
        self._search_props = {n.name: set(n.search_properties) for n in self.model.nodes.values()}
        self._text_props = {n.name: set(n.text_properties) for n in self.model.nodes.values()}
        self._name_props = {n.name: n.name_property for n in self.model.nodes.values()}

    # --- writes ---------------------------------------------------------------
    def has_source(self, sha256: str) -> bool:
        with self._lock:
            return self._conn.execute("SELECT 1 FROM sources WHERE sha256 = ?", (sha256,)).fetchone() is not None

    def write_source(self, source: SourceInfo, batches: Iterable[Facts],
                     late: Callable[[], Mapping[str, str | None]] | None = None,
                     replaces: str | None = None) -> WriteStats:
        now = utcnow()
        stats = WriteStats()
        with self._lock:
            conn = self._conn
            old = self._source_id(replaces) if replaces else None
            nodes_before = conn.execute("SELECT count(*) FROM nodes").fetchone()[0]
            edges_before = conn.execute("SELECT count(*) FROM edges").fetchone()[0]
            conn.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
            conn.execute("BEGIN IMMEDIATE")
            try:
                terms_before = self._retract(old)[1] if old is not None else last_term_id(conn)
                sid = conn.execute(
                    "INSERT INTO sources(sha256, path, media_type, size, parser, captured_at, ingested_at, status, error)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                    (source.sha256, source.path, source.media_type, source.size, source.parser,
                     source.captured_at, source.ingested_at or now, source.status, source.error)).fetchone()[0]
                records = 0
                for facts in batches:
                    self._write_facts(sid, facts, now, stats)
                    records += facts.records
                conn.execute("UPDATE sources SET records = ? WHERE id = ?", (records, sid))
                captured = (late() if late else {}).get("captured_at")
                if captured:
                    conn.execute("UPDATE sources SET captured_at = ? WHERE id = ?", (captured, sid))
                index_new_terms(conn, terms_before)
                stats.records = records
                stats.nodes_new = conn.execute("SELECT count(*) FROM nodes").fetchone()[0] - nodes_before
                stats.edges_new = conn.execute("SELECT count(*) FROM edges").fetchone()[0] - edges_before
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            finally:
                self._known = {}
                conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        return stats

    def batch_preparer(self) -> Callable[[Facts], WriteParts] | None:
        # a worker prepares with the model it has (the default one): only a store of that model takes its parts
        return prepare_batch if self.model is get_model() else None

    def _write_facts(self, sid: int, facts: Facts | WriteParts, now: str, stats: WriteStats) -> None:
        """Write a batch: Facts, or the parts a cleaning worker made of them (``prepare_batch``)."""
        conn = self._conn
        parts = facts if type(facts) is WriteParts else prepare_batch(facts, self.model)
        refs, stated = parts.refs, parts.stated
        node_types = self.model.nodes
        for ntype in dict.fromkeys(ref[0] for ref in refs):
            if ntype not in node_types:
                raise SchemaError(f"unknown node type {ntype!r}")
        names, derived = parts.names, parts.derived
        # every node the batch states something of, in order of first mention, upserted _NODE_ROWS at a time,
        # with its display name and derived props (not as two more writes of its row); a node it only draws an
        # edge to is looked up, and inserted only when it is not there (its row is not rewritten: what a Source
        # says of a node is in its statements)
        found: dict[tuple[str, str], int] = {}
        for start in range(stated, len(refs), _NODE_ROWS):
            chunk = refs[start:start + _NODE_ROWS]
            found.update(((ntype, key), nid) for nid, ntype, key in
                         conn.execute(_node_lookup_many(len(chunk)), [v for ref in chunk for v in ref[:2]]))
        upsert = [*range(stated), *(i for i in range(stated, len(refs)) if refs[i] not in found)]

        def row(i: int) -> tuple:
            ref = refs[i]
            if i < stated:
                return ref[0], ref[1], names[i], derived[i], now, now
            return ref[0], ref[1], None, "{}", now, now  # a node only drawn an edge to: inserted bare

        for start in range(0, len(upsert), _NODE_ROWS):
            chunk = upsert[start:start + _NODE_ROWS]
            params = [value for i in chunk for value in row(i)]
            found.update(((ntype, key), nid) for nid, ntype, key in
                         conn.execute(_node_upsert_many(len(chunk)), params))
        ids = [found.get(ref) for ref in refs]
        odd = None in ids
        if odd:  # a key that is not text comes back as text: not found by its reference
            for i, nid in enumerate(ids):
                if nid is None:
                    ids[i] = found[refs[i]] = conn.execute(_NODE_UPSERT, row(i)).fetchone()[0]

        place, prop, value, locator = parts.statements
        conn.executemany(_PROP_UPSERT, zip(map(ids.__getitem__, place), prop, value, repeat(sid), locator,
                                           repeat(now), repeat(now)))
        terms = zip(map(ids.__getitem__, parts.terms[0]), parts.terms[1], parts.terms[2])
        if odd:  # two references may name one node: its terms once
            self._add_terms(set(terms))
        else:
            conn.executemany(_TERM_INSERT, sorted(terms))

        for etype, stype, dtype in parts.edge_types:
            spec = self.model.edge(etype)
            if stype not in spec.sources or dtype not in spec.targets:
                raise SchemaError(f"{etype} cannot link {stype} to {dtype}")
        etypes, src, dst, locator, eprops = parts.edges
        src, dst = list(map(ids.__getitem__, src)), list(map(ids.__getitem__, dst))
        # in index order: new edges and their assertions land next to each other, not all over the B-trees
        # (assertions of one edge keep their order: the last props win)
        conn.executemany(_EDGE_UPSERT, ((etype, s, d, now, now) for s, etype, d in sorted(set(zip(src, etypes, dst)))))
        assertions = sorted(zip(src, etypes, dst, repeat(sid), locator, eprops, repeat(now), repeat(now)),
                            key=_EDGE_ORDER)
        conn.executemany(_ASSERT_UPSERT, assertions)

        conn.executemany(
            "INSERT INTO unparsed(source_id, locator, field, raw, reason, subject_type, subject_key) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(sid, u.locator, u.field, u.raw, u.reason, u.subject.type if u.subject else None,
              u.subject.key if u.subject else None) for u in parts.unparsed])
        stats.statements += len(place) + len(assertions)
        stats.unparsed += len(parts.unparsed)
        for block in parts.blocks:
            stats.statements += self._write_block(sid, block, now)

    def _add_terms(self, terms: set[tuple[int, str, int]]) -> None:
        """Search terms; a value that is both a name and an identifier is indexed as a name."""
        best: dict[tuple[int, str], int] = {}
        for nid, term, fts in terms:
            best[(nid, term)] = max(fts, best.get((nid, term), 0))
        self._conn.executemany(_TERM_INSERT, sorted((nid, term, fts) for (nid, term), fts in best.items()))

    def quarantine(self, path: str, sha256: str, size: int, reason: str, data: bytes | None = None) -> int:
        now = utcnow()
        with self._lock:
            return self._conn.execute(
                "INSERT INTO quarantine(path, sha256, size, reason, first_seen, last_seen, data) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(path, sha256) DO UPDATE SET reason = excluded.reason, "
                "last_seen = excluded.last_seen, attempts = attempts + 1, data = coalesce(excluded.data, data) "
                "RETURNING id", (path, sha256, size, reason, now, now, data)).fetchone()[0]

    def quarantined(self, entry_id: int | None = None, with_data: bool = False) -> list[Quarantined]:
        cols = "id, path, sha256, size, reason, first_seen, last_seen, attempts" + (", data" if with_data else "")
        sql = f"SELECT {cols} FROM quarantine" + (" WHERE id = ?" if entry_id is not None else "") + " ORDER BY id"
        with self._lock:
            rows = self._conn.execute(sql, () if entry_id is None else (entry_id,)).fetchall()
        return [Quarantined(*r) for r in rows]

    def release(self, entry_id: int) -> None:
        with self._lock:
            self._conn.execute("DELETE FROM quarantine WHERE id = ?", (entry_id,))

    def retract_source(self, sha256: str) -> RetractStats:
        with self._lock:
            conn = self._conn
            sid = self._source_id(sha256)
            conn.execute("BEGIN IMMEDIATE")
            try:
                stats, terms_before = self._retract(sid)
                index_new_terms(conn, terms_before)
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        return stats

    def _source_id(self, sha256: str) -> int:
        row = self._conn.execute("SELECT id FROM sources WHERE sha256 = ?", (sha256,)).fetchone()
        if row is None:
            raise StoreError(f"no source with sha256 {sha256}")
        return row[0]

    def _retract(self, sid: int) -> tuple[RetractStats, int]:
        """Remove a Source and what only it stated (inside the caller's transaction). Also returns the last
        search-term id after the deletions: terms added from then on are new to the trigram index."""
        conn = self._conn
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS touched(id INTEGER PRIMARY KEY)")
        conn.execute("DELETE FROM touched")
        conn.execute("INSERT OR IGNORE INTO touched SELECT DISTINCT node_id FROM node_props WHERE source_id = ?", (sid,))
        n_props = conn.execute("DELETE FROM node_props WHERE source_id = ?", (sid,)).rowcount
        n_asserts = conn.execute("DELETE FROM edge_assertions WHERE source_id = ?", (sid,)).rowcount
        n_edges = conn.execute("DELETE FROM edges WHERE NOT EXISTS "
                               "(SELECT 1 FROM edge_assertions a WHERE a.edge_id = edges.id)").rowcount
        conn.execute("DELETE FROM search_terms WHERE node_id IN (SELECT id FROM touched)")
        orphans = "SELECT t.id FROM touched t WHERE NOT EXISTS (SELECT 1 FROM node_props p WHERE p.node_id = t.id)"
        # edges of vanished nodes go too, with what other Sources said of them (a resolution's CONTROLS)
        conn.execute(f"DELETE FROM edge_assertions WHERE edge_id IN "
                     f"(SELECT id FROM edges WHERE src IN ({orphans}) OR dst IN ({orphans}))")
        conn.execute(f"DELETE FROM edges WHERE src IN ({orphans}) OR dst IN ({orphans})")
        n_nodes = conn.execute(f"DELETE FROM nodes WHERE id IN ({orphans})").rowcount
        terms_before = last_term_id(conn)  # ids of deleted terms may be given out again from here on
        self._refresh_touched()
        n_unparsed = conn.execute("DELETE FROM unparsed WHERE source_id = ?", (sid,)).rowcount
        conn.execute("DELETE FROM sources WHERE id = ?", (sid,))
        return (RetractStats(statements=n_props + n_asserts, edges=n_edges, nodes=n_nodes, unparsed=n_unparsed),
                terms_before)

    def _refresh_touched(self) -> None:
        """Re-derive search terms, names and seen times of the nodes in ``touched`` from what remains."""
        conn = self._conn
        rows = conn.execute("SELECT n.id, n.type, p.prop, p.value, p.first_seen, p.last_seen FROM touched t "
                            "JOIN nodes n ON n.id = t.id JOIN node_props p ON p.node_id = n.id "
                            "ORDER BY n.id, p.last_seen").fetchall()
        terms, names, seen = set(), {}, {}
        for nid, ntype, derived in conn.execute("SELECT n.id, n.type, n.props FROM touched t JOIN nodes n ON n.id = t.id"):
            terms.update((nid, v, int(p in self._text_props[ntype]))
                         for p, v in json.loads(derived).items() if p in self._search_props[ntype])
        for nid, ntype, prop, value, first, last in rows:
            if prop in self._search_props[ntype] or prop == "key":
                terms.add((nid, value, int(prop in self._text_props[ntype])))
            if prop == self._name_props[ntype]:
                names[nid] = value
            lo, hi = seen.get(nid, (first, last))
            seen[nid] = (min(lo, first), max(hi, last))
        self._add_terms(terms)
        conn.executemany("UPDATE nodes SET name = ? WHERE id = ?", [(v, k) for k, v in names.items()])
        conn.executemany("UPDATE nodes SET first_seen = ?, last_seen = ? WHERE id = ?",
                         [(lo, hi, k) for k, (lo, hi) in seen.items()])

    def close(self) -> None:
        with self._lock:
            self._conn.close()
