"""Reads of the embedded store: nodes with their properties, neighbourhoods, paths, search, provenance."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from graph.records import NodeRef
from graph.store.base import Edge, Evidence, Node, Projection, SearchHit, SourceInfo, Subgraph
from graph.store.search import fts_phrase, identifier_refs, like_prefix, rank_hits, similar_terms

CHUNK = 500
SIMILAR_POSTINGS = 20_000  # trigram postings a fuzzy-candidate query may rank (about 5 us each)


def chunks(items: list, size: int = CHUNK) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _json_path(prop: str) -> str:
    return '$."' + prop.replace('"', '') + '"'


def marks(n: int) -> str:
    return ",".join("?" * n)


class SQLiteReads:
    """Read methods of SQLiteStore (expects ``_conn`` and ``_lock``)."""

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
        for chunk in chunks(ids):
            rows = self._conn.execute(f"SELECT id, type, key, name, first_seen, last_seen, props FROM nodes "
                                      f"WHERE id IN ({marks(len(chunk))})", chunk).fetchall()
            props: dict[int, dict[str, list[str]]] = {}
            for nid, *_, derived in rows:
                if derived != "{}":
                    props[nid] = {p: [v] for p, v in json.loads(derived).items()}
            for nid, prop, value in self._conn.execute(
                    f"SELECT node_id, prop, value FROM node_props WHERE node_id IN ({marks(len(chunk))}) "
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
        for chunk in chunks(edge_ids):
            for eid, props in self._conn.execute(
                    f"SELECT edge_id, props FROM edge_assertions WHERE edge_id IN ({marks(len(chunk))}) "
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
            filt = f" AND type IN ({marks(len(types))})" if types else ""
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
                for chunk in chunks(frontiers[side]):
                    q, members = marks(len(chunk)), set(chunk)
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
        hits: dict[tuple[str, str], SearchHit] = {}
        with self._lock:
            for ref in identifier_refs(query):
                row = self._node_row(ref)
                if row is not None:
                    hits[(ref.type, ref.key)] = SearchHit(ref.type, ref.key, row[1], ref.key, True)
            types_all = list(self.model.nodes)  # "type IN (...)" lets the (type, key) index answer: no scan
            for t, k, name in self._conn.execute(
                    f"SELECT type, key, name FROM nodes WHERE type IN ({marks(len(types_all))}) AND key = ?",
                    (*types_all, query)):
                hits.setdefault((t, k), SearchHit(t, k, name, k, True))
            rows = self._conn.execute(
                "SELECT n.type, n.key, n.name, t.term FROM search_terms t JOIN nodes n ON n.id = t.node_id "
                "WHERE t.term LIKE ? ESCAPE '\\' LIMIT ?", (like_prefix(query), limit * 5)).fetchall()
            if len(query) >= 3:
                rows += self._conn.execute(
                    "SELECT n.type, n.key, n.name, t.term FROM search_fts f JOIN search_terms t ON t.id = f.rowid "
                    "JOIN nodes n ON n.id = t.node_id WHERE search_fts MATCH ? ORDER BY f.rank LIMIT ?",
                    (fts_phrase(query), limit * 5)).fetchall()
            for t, k, name, term in rows:
                hits.setdefault((t, k), SearchHit(t, k, name, term, term.casefold() == query.casefold()))
        return rank_hits(hits.values(), types, limit)

    def search_similar(self, query: str, limit: int = 200, types: Iterable[str] | None = None) -> list[SearchHit]:
        """Nodes whose names or addresses share the query's rarest trigrams, best bm25 rank first.

        The trigram index's vocabulary says how many names hold each trigram of the query; the rarest are used,
        as many as fit in a budget of postings (ranking reads every posting of every trigram used, so a query
        of common trigrams alone would read most of the index). The rarest trigram is always used."""
        grams = similar_terms(query)
        if not grams:
            return []
        wanted = list(types or [])
        with self._lock:
            self._conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_vocab "
                               "USING fts5vocab(main, search_fts, 'row')")
            counts = sorted((doc, term) for term, doc in self._conn.execute(
                f"SELECT term, doc FROM temp.search_vocab WHERE term IN ({marks(len(grams))})", grams) if doc)
            chosen, postings = [], 0
            for doc, term in counts:
                if chosen and postings + doc > SIMILAR_POSTINGS:
                    break
                chosen.append(term)
                postings += doc
            if not chosen:
                return []
            sql = ("SELECT n.type, n.key, n.name, t.term FROM search_fts f JOIN search_terms t ON t.id = f.rowid "
                   "JOIN nodes n ON n.id = t.node_id WHERE search_fts MATCH ?")
            if wanted:
                sql += f" AND n.type IN ({marks(len(wanted))})"
            rows = self._conn.execute(sql + " ORDER BY f.rank LIMIT ?",
                                      [" OR ".join(fts_phrase(g) for g in chosen), *wanted, limit * 3]).fetchall()
        hits: dict[tuple[str, str], SearchHit] = {}
        for t, k, name, term in rows:
            hits.setdefault((t, k), SearchHit(t, k, name, term, False))
        return list(hits.values())[:limit]

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
                nsql += f" WHERE type IN ({marks(len(ntypes))})"
            dense: dict[int, int] = {}
            node_ids: dict[NodeRef, int] = {}
            names: list[str | None] = []
            for nid, t, k, name in self._conn.execute(nsql + " ORDER BY id", ntypes):
                dense[nid] = len(names)
                node_ids[NodeRef(t, k)] = len(names)
                names.append(name)
            esql = "SELECT src, dst, type FROM edges"
            if etypes:
                esql += f" WHERE type IN ({marks(len(etypes))})"
            edges = [(dense[s], dense[d], t) for s, d, t in self._conn.execute(esql + " ORDER BY id", etypes)
                     if s in dense and d in dense]
        return Projection(node_ids, names, edges)

    def counts(self) -> tuple[dict[str, int], dict[str, int]]:
        with self._lock:
            nodes = dict(self._conn.execute("SELECT type, count(*) FROM nodes GROUP BY type ORDER BY type"))
            edges = dict(self._conn.execute("SELECT type, count(*) FROM edges GROUP BY type ORDER BY type"))
        return nodes, edges

    def count_nodes(self, node_type: str) -> int:
        with self._lock:
            return self._conn.execute("SELECT count(*) FROM nodes WHERE type = ?", (node_type,)).fetchone()[0]

    def property_values(self, node_type: str, prop: str) -> list[tuple[str, str | None, str]]:
        with self._lock:
            # a property derived from the key (in nodes.props) comes first, as in iter_nodes
            rows = self._conn.execute(
                "SELECT n.key, n.name, coalesce(json_extract(n.props, ?), (SELECT p.value FROM node_props p "
                "WHERE p.node_id = n.id AND p.prop = ? ORDER BY p.first_seen, p.value LIMIT 1)) "
                "FROM nodes n WHERE n.type = ? ORDER BY n.id",
                (_json_path(prop), prop, node_type)).fetchall()
        return [(k, name, value or "") for k, name, value in rows]

    def source_edges(self, sha256: str, edge_type: str, prop: str, value: str, rank_by: str,
                     limit: int) -> tuple[int, list[Edge]]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT e.type, ns.type, ns.key, nd.type, nd.key, a.props, count(*) OVER () "
                "FROM edge_assertions a JOIN edges e ON e.id = a.edge_id "
                "JOIN nodes ns ON ns.id = e.src JOIN nodes nd ON nd.id = e.dst "
                "WHERE a.source_id = (SELECT id FROM sources WHERE sha256 = ?) AND e.type = ? "
                "AND json_extract(a.props, ?) = ? "
                "ORDER BY CAST(json_extract(a.props, ?) AS REAL) DESC, ns.key, nd.key LIMIT ?",
                (sha256, edge_type, _json_path(prop), value, _json_path(rank_by), limit)).fetchall()
        edges = [Edge(t, NodeRef(st, sk), NodeRef(dt, dk), json.loads(props)) for t, st, sk, dt, dk, props, _ in rows]
        return (rows[0][-1] if rows else 0), edges

    def iter_nodes(self, node_type: str | None = None) -> Iterator[Node]:
        last = 0
        while True:
            with self._lock:
                sql = "SELECT id FROM nodes WHERE id > ?" + (" AND type = ?" if node_type else "") + " ORDER BY id LIMIT ?"
                args = (last, node_type, CHUNK) if node_type else (last, CHUNK)
                ids = [r[0] for r in self._conn.execute(sql, args)]
                if not ids:
                    return
                nodes = self._nodes_by_id(ids)
            yield from (nodes[i] for i in ids)
            last = ids[-1]
