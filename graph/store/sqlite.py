"""The embedded store: one SQLite file (WAL), statements with provenance, FTS5 search."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from datetime import datetime, timezone
from pathlib import Path

from graph.errors import SchemaError, StoreError
from graph.model import Model, get_model
from graph.records import Facts, NodeRef
from graph.store.base import (Edge, Evidence, GraphStore, Node, Projection, RetractStats, SearchHit,
                              SourceInfo, Subgraph, WriteStats)
from graph.store.search import identifier_refs, fts_phrase
from graph.store.sqlite_schema import create_schema

_NODE_UPSERT = ("INSERT INTO nodes(type, key, first_seen, last_seen) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(type, key) DO UPDATE SET last_seen = excluded.last_seen RETURNING id")
_PROP_UPSERT = ("INSERT INTO node_props(node_id, prop, value, source_id, locator, first_seen, last_seen) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET last_seen = excluded.last_seen")
_EDGE_UPSERT = ("INSERT INTO edges(type, src, dst, first_seen, last_seen) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(src, type, dst) DO UPDATE SET last_seen = excluded.last_seen RETURNING id")
_ASSERT_UPSERT = ("INSERT INTO edge_assertions(edge_id, source_id, locator, props, first_seen, last_seen) "
                  "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET last_seen = excluded.last_seen, "
                  "props = excluded.props")
_CHUNK = 500


def utcnow() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _chunks(items: list, size: int = _CHUNK) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _marks(n: int) -> str:
    return ",".join("?" * n)


class SQLiteStore(GraphStore):
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
        try:
            self._conn = sqlite3.connect(self.path, timeout=60, isolation_level=None, check_same_thread=False)
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA synchronous = NORMAL")
            self._conn.execute("PRAGMA foreign_keys = ON")
            self._conn.execute("PRAGMA cache_size = -65536")
            create_schema(self._conn, self.model)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open store {self.path}: {exc}") from None
        self._search_props = {n.name: set(n.search_properties) for n in self.model.nodes.values()}
        self._name_props = {n.name: n.name_property for n in self.model.nodes.values()}

    # --- writes ---------------------------------------------------------------
    def has_source(self, sha256: str) -> bool:
        with self._lock:
            return self._conn.execute("SELECT 1 FROM sources WHERE sha256 = ?", (sha256,)).fetchone() is not None

    def write_source(self, source: SourceInfo, batches: Iterable[Facts]) -> WriteStats:
        now = utcnow()
        stats = WriteStats()
        with self._lock:
            conn = self._conn
            nodes_before = conn.execute("SELECT count(*) FROM nodes").fetchone()[0]
            edges_before = conn.execute("SELECT count(*) FROM edges").fetchone()[0]
            conn.execute("BEGIN IMMEDIATE")
            try:
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
                stats.records = records
                stats.nodes_new = conn.execute("SELECT count(*) FROM nodes").fetchone()[0] - nodes_before
                stats.edges_new = conn.execute("SELECT count(*) FROM edges").fetchone()[0] - edges_before
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        return stats

    def _write_facts(self, sid: int, facts: Facts, now: str, stats: WriteStats) -> None:
        conn = self._conn
        ids: dict[NodeRef, int] = {}

        def node_id(ref: NodeRef) -> int:
            nid = ids.get(ref)
            if nid is None:
                if ref.type not in self.model.nodes:
                    raise SchemaError(f"unknown node type {ref.type!r}")
                nid = conn.execute(_NODE_UPSERT, (ref.type, ref.key, now, now)).fetchone()[0]
                ids[ref] = nid
            return nid

        props, terms, names = [], set(), {}
        for st in facts.nodes:
            nid = node_id(st.node)
            props.append((nid, st.prop, st.value, sid, st.locator, now, now))
            if st.prop in self._search_props[st.node.type] or st.prop == "key":
                terms.add((nid, st.value))
            if st.prop == self._name_props[st.node.type]:
                names[nid] = st.value
        conn.executemany(_PROP_UPSERT, props)
        derived = []
        for ref, values in facts.derived.items():
            nid = node_id(ref)
            derived.append((json.dumps(values, ensure_ascii=False, sort_keys=True), nid))
            terms.update((nid, v) for p, v in values.items() if p in self._search_props[ref.type])
        conn.executemany("UPDATE nodes SET props = json_patch(props, ?) WHERE id = ?", derived)
        conn.executemany("INSERT OR IGNORE INTO search_terms(node_id, term) VALUES (?, ?)", sorted(terms))
        conn.executemany("UPDATE nodes SET name = ? WHERE id = ?", [(v, k) for k, v in names.items()])

        assertions = []
        for st in facts.edges:
            spec = self.model.edge(st.type)
            if st.src.type not in spec.sources or st.dst.type not in spec.targets:
                raise SchemaError(f"{st.type} cannot link {st.src.type} to {st.dst.type}")
            eid = conn.execute(_EDGE_UPSERT, (st.type, node_id(st.src), node_id(st.dst), now, now)).fetchone()[0]
            assertions.append((eid, sid, st.locator, json.dumps(dict(st.props), ensure_ascii=False), now, now))
        conn.executemany(_ASSERT_UPSERT, assertions)

        conn.executemany(
            "INSERT INTO unparsed(source_id, locator, field, raw, reason, subject_type, subject_key) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(sid, u.locator, u.field, u.raw, u.reason, u.subject.type if u.subject else None,
              u.subject.key if u.subject else None) for u in facts.unparsed])
        stats.statements += len(props) + len(assertions)
        stats.unparsed += len(facts.unparsed)

    def retract_source(self, sha256: str) -> RetractStats:
        with self._lock:
            conn = self._conn
            row = conn.execute("SELECT id FROM sources WHERE sha256 = ?", (sha256,)).fetchone()
            if row is None:
                raise StoreError(f"no source with sha256 {sha256}")
            sid = row[0]
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.execute("CREATE TEMP TABLE IF NOT EXISTS touched(id INTEGER PRIMARY KEY)")
                conn.execute("DELETE FROM touched")
                conn.execute("INSERT OR IGNORE INTO touched SELECT DISTINCT node_id FROM node_props WHERE source_id = ?",
                             (sid,))
                n_props = conn.execute("DELETE FROM node_props WHERE source_id = ?", (sid,)).rowcount
                n_asserts = conn.execute("DELETE FROM edge_assertions WHERE source_id = ?", (sid,)).rowcount
                n_edges = conn.execute("DELETE FROM edges WHERE NOT EXISTS "
                                       "(SELECT 1 FROM edge_assertions a WHERE a.edge_id = edges.id)").rowcount
                conn.execute("DELETE FROM search_terms WHERE node_id IN (SELECT id FROM touched)")
                orphans = "SELECT t.id FROM touched t WHERE NOT EXISTS (SELECT 1 FROM node_props p WHERE p.node_id = t.id)"
                conn.execute(f"DELETE FROM edges WHERE src IN ({orphans}) OR dst IN ({orphans})")
                n_nodes = conn.execute(f"DELETE FROM nodes WHERE id IN ({orphans})").rowcount
                self._refresh_touched()
                n_unparsed = conn.execute("DELETE FROM unparsed WHERE source_id = ?", (sid,)).rowcount
                conn.execute("DELETE FROM sources WHERE id = ?", (sid,))
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        return RetractStats(statements=n_props + n_asserts, edges=n_edges, nodes=n_nodes, unparsed=n_unparsed)

    def _refresh_touched(self) -> None:
        """Re-derive search terms, names and seen times of the nodes in ``touched`` from what remains."""
        conn = self._conn
        rows = conn.execute("SELECT n.id, n.type, p.prop, p.value, p.first_seen, p.last_seen FROM touched t "
                            "JOIN nodes n ON n.id = t.id JOIN node_props p ON p.node_id = n.id "
                            "ORDER BY n.id, p.last_seen").fetchall()
        terms, names, seen = set(), {}, {}
        for nid, ntype, derived in conn.execute("SELECT n.id, n.type, n.props FROM touched t JOIN nodes n ON n.id = t.id"):
            terms.update((nid, v) for p, v in json.loads(derived).items() if p in self._search_props[ntype])
        for nid, ntype, prop, value, first, last in rows:
            if prop in self._search_props[ntype] or prop == "key":
                terms.add((nid, value))
            if prop == self._name_props[ntype]:
                names[nid] = value
            lo, hi = seen.get(nid, (first, last))
            seen[nid] = (min(lo, first), max(hi, last))
        conn.executemany("INSERT OR IGNORE INTO search_terms(node_id, term) VALUES (?, ?)", sorted(terms))
        conn.executemany("UPDATE nodes SET name = ? WHERE id = ?", [(v, k) for k, v in names.items()])
        conn.executemany("UPDATE nodes SET first_seen = ?, last_seen = ? WHERE id = ?",
                         [(lo, hi, k) for k, (lo, hi) in seen.items()])

    # --- reads: sources -------------------------------------------------------
    def sources(self) -> list[SourceInfo]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT sha256, path, media_type, size, parser, ingested_at, captured_at, status, records, error "
                "FROM sources ORDER BY id").fetchall()
        return [SourceInfo(*r) for r in rows]

    def unparsed(self, sha256: str | None = None, limit: int = 1000) -> list[dict]:
        sql = ("SELECT s.sha256, s.path, u.locator, u.field, u.raw, u.reason, u.subject_type, u.subject_key "
               "FROM unparsed u JOIN sources s ON s.id = u.source_id")
        args: tuple = ()
        if sha256:
            sql += " WHERE s.sha256 = ?"
            args = (sha256,)
        with self._lock:
            rows = self._conn.execute(sql + " ORDER BY u.id LIMIT ?", (*args, limit)).fetchall()
        cols = ("sha256", "path", "locator", "field", "raw", "reason", "subject_type", "subject_key")
        return [dict(zip(cols, r)) for r in rows]

    # --- reads: graph -----------------------------------------------------------
    def _node_row(self, ref: NodeRef):
        return self._conn.execute("SELECT id, name, first_seen, last_seen FROM nodes WHERE type = ? AND key = ?",
                                  (ref.type, ref.key)).fetchone()

    def _nodes_by_id(self, ids: list[int]) -> dict[int, Node]:
        out: dict[int, Node] = {}
        for chunk in _chunks(ids):
            rows = self._conn.execute(f"SELECT id, type, key, name, first_seen, last_seen, props FROM nodes "
                                      f"WHERE id IN ({_marks(len(chunk))})", chunk).fetchall()
            props: dict[int, dict[str, list[str]]] = {}
            for nid, *_, derived in rows:
                if derived != "{}":
                    props[nid] = {p: [v] for p, v in json.loads(derived).items()}
            for nid, prop, value in self._conn.execute(
                    f"SELECT node_id, prop, value FROM node_props WHERE node_id IN ({_marks(len(chunk))}) "
                    f"GROUP BY node_id, prop, value ORDER BY node_id, min(first_seen), value", chunk):
                if prop != "key":
                    values = props.setdefault(nid, {}).setdefault(prop, [])
                    if value not in values:
                        values.append(value)
            for nid, t, k, name, first, last, _ in rows:
                out[nid] = Node(t, k, name, props.get(nid, {}), first, last)
        return out

    def _edge_props(self, edge_ids: list[int]) -> dict[int, dict[str, str]]:
        out: dict[int, dict[str, str]] = {}
        for chunk in _chunks(edge_ids):
            for eid, props in self._conn.execute(
                    f"SELECT edge_id, props FROM edge_assertions WHERE edge_id IN ({_marks(len(chunk))}) "
                    f"ORDER BY last_seen", chunk):
                if props and props != "{}":
                    out.setdefault(eid, {}).update(json.loads(props))
        return out

    def _edges(self, rows, nodes: dict[int, Node]) -> list[Edge]:
        props = self._edge_props([r[0] for r in rows])
        return [Edge(t, nodes[s].ref, nodes[d].ref, props.get(eid, {})) for eid, t, s, d in rows]

    def get_node(self, ref: NodeRef) -> Node | None:
        with self._lock:
            row = self._node_row(ref)
            return self._nodes_by_id([row[0]])[row[0]] if row else None

    def neighbours(self, ref: NodeRef, edge_types: Iterable[str] | None = None,
                   limit: int = 500) -> list[tuple[Edge, Node]]:
        with self._lock:
            row = self._node_row(ref)
            if row is None:
                return []
            nid = row[0]
            sql = ("SELECT id, type, src, dst FROM edges WHERE src = ?{t} UNION ALL "
                   "SELECT id, type, src, dst FROM edges WHERE dst = ?{t} LIMIT ?")
            types = list(edge_types or [])
            filt = f" AND type IN ({_marks(len(types))})" if types else ""
            rows = self._conn.execute(sql.format(t=filt), (nid, *types, nid, *types, limit)).fetchall()
            nodes = self._nodes_by_id(sorted({r[2] for r in rows} | {r[3] for r in rows}))
            edges = self._edges(rows, nodes)
        return [(e, nodes[r[3] if r[2] == nid else r[2]]) for e, r in zip(edges, rows)]

    def subgraph(self, ref: NodeRef, hops: int = 2, node_types: Iterable[str] | None = None,
                 limit: int = 200) -> Subgraph:
        with self._lock:
            row = self._node_row(ref)
            if row is None:
                return Subgraph([], [], 0)
            walk = self._conn.execute(
                "WITH RECURSIVE walk(id, depth) AS (SELECT ?, 0 UNION "
                "SELECT e.dst, w.depth + 1 FROM walk w JOIN edges e ON e.src = w.id WHERE w.depth < ? UNION "
                "SELECT e.src, w.depth + 1 FROM walk w JOIN edges e ON e.dst = w.id WHERE w.depth < ?) "
                "SELECT w.id, min(w.depth) AS d, n.type FROM walk w JOIN nodes n ON n.id = w.id "
                "GROUP BY w.id ORDER BY d, w.id", (row[0], hops, hops)).fetchall()
            wanted = set(node_types or [])
            ids = [nid for nid, d, t in walk if d == 0 or not wanted or t in wanted]
            chosen = ids[:limit]
            nodes = self._nodes_by_id(chosen)
            edge_rows = self._edges_among(chosen)
            return Subgraph([nodes[i] for i in chosen], self._edges(edge_rows, nodes), len(ids))

    def _edges_among(self, ids: list[int]) -> list[tuple]:
        self._conn.execute("CREATE TEMP TABLE IF NOT EXISTS chosen(id INTEGER PRIMARY KEY)")
        self._conn.execute("DELETE FROM chosen")
        self._conn.executemany("INSERT OR IGNORE INTO chosen VALUES (?)", [(i,) for i in ids])
        return self._conn.execute("SELECT e.id, e.type, e.src, e.dst FROM edges e "
                                  "JOIN chosen a ON a.id = e.src JOIN chosen b ON b.id = e.dst").fetchall()

    def shortest_path(self, a: NodeRef, b: NodeRef, max_hops: int = 6) -> list[Edge] | None:
        with self._lock:
            ra, rb = self._node_row(a), self._node_row(b)
            if ra is None or rb is None:
                return None
            start, goal = ra[0], rb[0]
            if start == goal:
                return []
            # bidirectional breadth-first search; parent maps hold (neighbour, edge row)
            parents = ({start: None}, {goal: None})
            frontiers = ([start], [goal])
            meet = None
            for _ in range(max_hops):
                side = 0 if len(frontiers[0]) <= len(frontiers[1]) else 1
                nxt = []
                for chunk in _chunks(frontiers[side]):
                    q, members = _marks(len(chunk)), set(chunk)
                    for eid, t, s, d in self._conn.execute(
                            f"SELECT id, type, src, dst FROM edges WHERE src IN ({q}) UNION ALL "
                            f"SELECT id, type, src, dst FROM edges WHERE dst IN ({q})", chunk + chunk):
                        for here, there in ((s, d), (d, s)):
                            if here in parents[side] and there not in parents[side] and here in members:
                                parents[side][there] = (here, (eid, t, s, d))
                                nxt.append(there)
                                if there in parents[1 - side]:
                                    meet = there
                                    break
                        if meet is not None:
                            break
                    if meet is not None:
                        break
                if meet is not None:
                    break
                frontiers = (nxt, frontiers[1]) if side == 0 else (frontiers[0], nxt)
                if not nxt:
                    return None
            if meet is None:
                return None
            rows = []
            for side in (0, 1):
                step, chain = meet, []
                while parents[side][step] is not None:
                    prev, edge_row = parents[side][step]
                    chain.append(edge_row)
                    step = prev
                rows.extend(reversed(chain) if side == 0 else chain)
            nodes = self._nodes_by_id(sorted({r[2] for r in rows} | {r[3] for r in rows}))
            return self._edges(rows, nodes)

    def search(self, query: str, limit: int = 20, types: Iterable[str] | None = None) -> list[SearchHit]:
        query = " ".join(query.split())
        if not query:
            return []
        wanted = set(types or [])
        hits: dict[tuple[str, str], SearchHit] = {}
        with self._lock:
            for ref in identifier_refs(query):
                row = self._node_row(ref)
                if row is not None:
                    hits[(ref.type, ref.key)] = SearchHit(ref.type, ref.key, row[1], ref.key, True)
            for t, k, name in self._conn.execute("SELECT type, key, name FROM nodes WHERE key = ?", (query,)):
                hits.setdefault((t, k), SearchHit(t, k, name, k, True))
            if len(query) >= 3:
                rows = self._conn.execute(
                    "SELECT n.type, n.key, n.name, t.term FROM search_fts f JOIN search_terms t ON t.id = f.rowid "
                    "JOIN nodes n ON n.id = t.node_id WHERE search_fts MATCH ? ORDER BY f.rank LIMIT ?",
                    (fts_phrase(query), limit * 5)).fetchall()
            else:
                rows = self._conn.execute(
                    "SELECT n.type, n.key, n.name, t.term FROM search_terms t JOIN nodes n ON n.id = t.node_id "
                    "WHERE t.term LIKE ? ESCAPE '\\' LIMIT ?",
                    (query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%", limit * 5)).fetchall()
            for t, k, name, term in rows:
                hits.setdefault((t, k), SearchHit(t, k, name, term, term.casefold() == query.casefold()))
        ordered = sorted(hits.values(), key=lambda h: (not h.exact,))
        return [h for h in ordered if not wanted or h.type in wanted][:limit]

    def provenance(self, ref: NodeRef, edge: Edge | None = None) -> list[Evidence]:
        with self._lock:
            row = self._node_row(ref)
            if row is None:
                return []
            if edge is None:
                rows = self._conn.execute(
                    "SELECT s.sha256, s.path, p.locator, p.first_seen, p.last_seen, p.prop, p.value FROM node_props p "
                    "JOIN sources s ON s.id = p.source_id WHERE p.node_id = ? ORDER BY s.id, p.locator, p.prop",
                    (row[0],)).fetchall()
                return [Evidence(*r) for r in rows]
            src, dst = self._node_row(edge.src), self._node_row(edge.dst)
            if src is None or dst is None:
                return []
            rows = self._conn.execute(
                "SELECT s.sha256, s.path, a.locator, a.first_seen, a.last_seen FROM edges e "
                "JOIN edge_assertions a ON a.edge_id = e.id JOIN sources s ON s.id = a.source_id "
                "WHERE e.src = ? AND e.type = ? AND e.dst = ? ORDER BY s.id, a.locator",
                (src[0], edge.type, dst[0])).fetchall()
            return [Evidence(*r) for r in rows]

    def projection(self, node_types: Iterable[str] | None = None,
                   edge_types: Iterable[str] | None = None) -> Projection:
        ntypes, etypes = list(node_types or []), list(edge_types or [])
        with self._lock:
            nsql = "SELECT id, type, key, name FROM nodes"
            if ntypes:
                nsql += f" WHERE type IN ({_marks(len(ntypes))})"
            dense: dict[int, int] = {}
            node_ids: dict[NodeRef, int] = {}
            names: list[str | None] = []
            for nid, t, k, name in self._conn.execute(nsql + " ORDER BY id", ntypes):
                dense[nid] = len(names)
                node_ids[NodeRef(t, k)] = len(names)
                names.append(name)
            esql = "SELECT src, dst, type FROM edges"
            if etypes:
                esql += f" WHERE type IN ({_marks(len(etypes))})"
            edges = [(dense[s], dense[d], t) for s, d, t in self._conn.execute(esql + " ORDER BY id", etypes)
                     if s in dense and d in dense]
        return Projection(node_ids, names, edges)

    def counts(self) -> tuple[dict[str, int], dict[str, int]]:
        with self._lock:
            nodes = dict(self._conn.execute("SELECT type, count(*) FROM nodes GROUP BY type ORDER BY type"))
            edges = dict(self._conn.execute("SELECT type, count(*) FROM edges GROUP BY type ORDER BY type"))
        return nodes, edges

    def iter_nodes(self, node_type: str | None = None) -> Iterator[Node]:
        last = 0
        while True:
            with self._lock:
                sql = "SELECT id FROM nodes WHERE id > ?" + (" AND type = ?" if node_type else "") + " ORDER BY id LIMIT ?"
                args = (last, node_type, _CHUNK) if node_type else (last, _CHUNK)
                ids = [r[0] for r in self._conn.execute(sql, args)]
                if not ids:
                    return
                nodes = self._nodes_by_id(ids)
            yield from (nodes[i] for i in ids)
            last = ids[-1]

    def close(self) -> None:
        with self._lock:
            self._conn.close()
