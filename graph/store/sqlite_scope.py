"""Reads and writes of the embedded store for resolution: the graph as arrays, what some Sources said, the
edges around some nodes, and replacing what one Source states about some nodes (an incremental resolution
rewrites only what changed)."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import chain

import numpy as np

from graph.records import Facts, NodeRef
from graph.store.base import ArrayProjection, SourceInfo, WriteStats, utcnow
from graph.store.sqlite_read import marks
from graph.store.sqlite_schema import index_new_terms, last_term_id


class SQLiteScoped:
    """Mixin of SQLiteStore (expects ``_conn``, ``_lock``, ``_write_facts``, ``_refresh_touched``, ``_source_id``)."""

    def _load_refs(self, table: str, refs: Iterable[NodeRef]) -> None:
        """Node ids of ``refs`` (those in the store) into the temp table ``table``."""
        conn = self._conn
        conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {table}(id INTEGER PRIMARY KEY)")
        conn.execute(f"DELETE FROM {table}")
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS wanted(type TEXT, key TEXT)")
        conn.execute("DELETE FROM wanted")
        conn.executemany("INSERT INTO wanted VALUES (?, ?)", ((r.type, r.key) for r in refs))
        conn.execute(f"INSERT OR IGNORE INTO {table} SELECT n.id FROM wanted w JOIN nodes n "
                     "ON n.type = w.type AND n.key = w.key")

    def array_projection(self, node_types: Iterable[str]) -> ArrayProjection:
        types = sorted(set(node_types))
        with self._lock:
            # one pass over the table in id order (the types asked for are most of the graph: reading them
            # through the (type, key) index and sorting by id costs half as much again)
            wanted = set(types)
            rows = [r for r in self._conn.execute("SELECT id, type, key, name FROM nodes ORDER BY id") if r[1] in wanted]
            cur = self._conn.execute("SELECT src, dst FROM edges")
            flat = np.fromiter(chain.from_iterable(cur), np.int64)
        ids = np.fromiter((r[0] for r in rows), np.int64, count=len(rows))
        src, dst = flat[0::2], flat[1::2]
        if not len(ids):
            return ArrayProjection([], [], np.zeros(0, np.int64), np.zeros(0, np.int64))
        s_pos = np.minimum(np.searchsorted(ids, src), len(ids) - 1)
        d_pos = np.minimum(np.searchsorted(ids, dst), len(ids) - 1)
        keep = (ids[s_pos] == src) & (ids[d_pos] == dst)
        return ArrayProjection([NodeRef(t, k) for _, t, k, _ in rows], [r[3] for r in rows], s_pos[keep], d_pos[keep])

    def source_nodes(self, sha256s: Iterable[str]) -> set[NodeRef]:
        shas = list(sha256s)
        if not shas:
            return set()
        with self._lock:
            rows = self._conn.execute(
                f"WITH s AS (SELECT id FROM sources WHERE sha256 IN ({marks(len(shas))})), "
                "ids AS (SELECT node_id AS id FROM node_props WHERE source_id IN (SELECT id FROM s) "
                "UNION SELECT e.src FROM edge_assertions a JOIN edges e ON e.id = a.edge_id "
                "WHERE a.source_id IN (SELECT id FROM s) "
                "UNION SELECT e.dst FROM edge_assertions a JOIN edges e ON e.id = a.edge_id "
                "WHERE a.source_id IN (SELECT id FROM s)) "
                "SELECT n.type, n.key FROM ids JOIN nodes n ON n.id = ids.id", shas).fetchall()
        return {NodeRef(t, k) for t, k in rows}

    def node_names(self, refs: Iterable[NodeRef]) -> dict[NodeRef, str | None]:
        with self._lock:
            self._load_refs("named", refs)
            rows = self._conn.execute("SELECT n.type, n.key, n.name FROM named x JOIN nodes n ON n.id = x.id").fetchall()
        return {NodeRef(t, k): name for t, k, name in rows}

    def edges_touching(self, refs: Iterable[NodeRef],
                       other_types: Iterable[str] | None = None) -> list[tuple[NodeRef, str, NodeRef]]:
        types = sorted(set(other_types or ()))
        where = f" AND o.type IN ({marks(len(types))})" if types else ""
        with self._lock:
            self._load_refs("around", refs)
            # CROSS JOIN keeps SQLite's planner from starting at every node of the wanted types
            rows = self._conn.execute(
                "SELECT s.type, s.key, e.type, o.type, o.key FROM around a CROSS JOIN edges e ON e.src = a.id "
                f"CROSS JOIN nodes s ON s.id = e.src CROSS JOIN nodes o ON o.id = e.dst WHERE 1{where} "
                "UNION SELECT o.type, o.key, e.type, d.type, d.key FROM around a CROSS JOIN edges e ON e.dst = a.id "
                f"CROSS JOIN nodes d ON d.id = e.dst CROSS JOIN nodes o ON o.id = e.src WHERE 1{where}",
                types + types).fetchall()
        return [(NodeRef(st, sk), et, NodeRef(dt, dk)) for st, sk, et, dt, dk in rows]

    def revise_source(self, source: SourceInfo, about: Iterable[NodeRef], batches: Iterable[Facts]) -> WriteStats:
        now = utcnow()
        stats = WriteStats()
        with self._lock:
            conn = self._conn
            sid = self._source_id(source.sha256)
            conn.execute("BEGIN IMMEDIATE")
            try:
                self._load_refs("about", about)
                conn.execute("CREATE TEMP TABLE IF NOT EXISTS touched(id INTEGER PRIMARY KEY)")
                conn.execute("DELETE FROM touched")
                # every statement below starts from the given nodes (CROSS JOIN and +source_id fix the plan): the
                # Source's own index would walk all it ever stated
                conn.execute("INSERT INTO touched SELECT DISTINCT p.node_id FROM about a CROSS JOIN node_props p "
                             "ON p.node_id = a.id WHERE p.source_id = ?", (sid,))
                conn.execute("DELETE FROM node_props WHERE +source_id = ? AND node_id IN (SELECT id FROM about)", (sid,))
                conn.execute("CREATE TEMP TABLE IF NOT EXISTS among(id INTEGER PRIMARY KEY)")
                conn.execute("DELETE FROM among")
                conn.execute("INSERT INTO among SELECT e.id FROM about s CROSS JOIN edges e ON e.src = s.id "
                             "WHERE e.dst IN (SELECT id FROM about)")
                conn.execute("DELETE FROM edge_assertions WHERE +source_id = ? AND edge_id IN (SELECT id FROM among)",
                             (sid,))
                conn.execute("DELETE FROM edges WHERE id IN (SELECT id FROM among) AND NOT EXISTS "
                             "(SELECT 1 FROM edge_assertions a WHERE a.edge_id = edges.id)")
                conn.execute("DELETE FROM search_terms WHERE node_id IN (SELECT id FROM touched)")
                orphans = ("SELECT t.id FROM touched t WHERE NOT EXISTS "
                           "(SELECT 1 FROM node_props p WHERE p.node_id = t.id)")
                conn.execute(f"DELETE FROM edge_assertions WHERE edge_id IN "
                             f"(SELECT id FROM edges WHERE src IN ({orphans}) OR dst IN ({orphans}))")
                conn.execute(f"DELETE FROM edges WHERE src IN ({orphans}) OR dst IN ({orphans})")
                conn.execute(f"DELETE FROM nodes WHERE id IN ({orphans})")
                terms_before = last_term_id(conn)
                self._refresh_touched()
                records = 0
                for facts in batches:
                    self._write_facts(sid, facts, now, stats)
                    records += facts.records
                conn.execute("UPDATE sources SET path = ?, size = ?, ingested_at = ? WHERE id = ?",
                             (source.path, source.size, source.ingested_at or now, sid))
                index_new_terms(conn, terms_before)
                stats.records = records  # (no node and edge counts: counting a big store costs more than the work)
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            finally:
                self._known = {}
        return stats
