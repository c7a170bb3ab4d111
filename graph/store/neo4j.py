"""The Neo4j backend (official ``neo4j`` driver). All Cypher comes from ``graph.store.cypher``.

Model in the database: every entity is ``(:Entity:<Type> {uid, key, type, name, search_text})``;
each property value a Source states is an ``(:Source)-[:ASSERTS {prop, value, locator}]->(:Entity)``
relationship; each edge keeps its provenance as a list ``prov`` of ``"<sha256>|<locator>"``.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping

from graph.errors import SchemaError, StoreError
from graph.model import Model, get_model
from graph.records import Facts, NodeRef
from graph.store import cypher as q
from graph.store.base import (Edge, Evidence, GraphStore, Node, Projection, Quarantined, RetractStats, SearchHit,
                              SourceInfo, Subgraph, WriteStats, utcnow)
from graph.store.search import identifier_refs, rank_hits

PAGE = 500


def _ref(uid: str) -> NodeRef:
    t, _, k = uid.partition("|")
    return NodeRef(t, k)


class Neo4jStore(GraphStore):
    def __init__(self, url: str, user: str, password: str, model: Model | None = None,
                 database: str | None = None):
        import neo4j

        self.url = url
        self.model = model or get_model()
        self._db = database
        try:
            self._driver = neo4j.GraphDatabase.driver(url, auth=(user, password))
            self._driver.verify_connectivity()
            with self._session() as s:
                for stmt in q.q_constraints(self.model):
                    s.run(stmt).consume()
        except neo4j.exceptions.Neo4jError as exc:
            raise StoreError(f"cannot use Neo4j at {url}: {exc.message or exc}") from None
        except (neo4j.exceptions.DriverError, OSError, ValueError) as exc:
            raise StoreError(f"cannot reach Neo4j at {url}: {exc}") from None
        self._search_props = sorted({p for n in self.model.nodes.values() for p in n.search_properties})
        self._name_props = {n.name: n.name_property for n in self.model.nodes.values()}

    def _session(self):
        return self._driver.session(database=self._db) if self._db else self._driver.session()

    def _read(self, stmt: str, **params) -> list:
        with self._session() as s:
            return list(s.run(stmt, **params))

    # --- writes -----------------------------------------------------------------
    def has_source(self, sha256: str) -> bool:
        return bool(self._read(q.q_has_source(), sha256=sha256)[0]["found"])

    def write_source(self, source: SourceInfo, batches: Iterable[Facts],
                     late: Callable[[], Mapping[str, str | None]] | None = None,
                     replaces: str | None = None) -> WriteStats:
        if replaces and not self.has_source(replaces):
            raise StoreError(f"no source with sha256 {replaces}")
        now = utcnow()
        stats = WriteStats()
        before_nodes, before_edges = (sum(c.values()) for c in self.counts())
        props = {k: v for k, v in {"path": source.path, "media_type": source.media_type, "size": source.size,
                                   "parser": source.parser, "ingested_at": source.ingested_at or now,
                                   "captured_at": source.captured_at, "status": source.status}.items()
                 if v is not None}
        with self._session() as session, session.begin_transaction() as tx:
            if replaces:
                self._retract(tx, replaces)
            tx.run(q.q_merge_source(), sha256=source.sha256, props=props).consume()
            for facts in batches:
                self._write_facts(tx, source.sha256, facts, now, stats)
                stats.records += facts.records
            captured = (late() if late else {}).get("captured_at")
            tx.run(q.q_set_records(), sha256=source.sha256, records=stats.records, captured_at=captured).consume()
            tx.commit()
        after_nodes, after_edges = (sum(c.values()) for c in self.counts())
        stats.nodes_new, stats.edges_new = after_nodes - before_nodes, after_edges - before_edges
        return stats

    def _write_facts(self, tx, sha256: str, facts: Facts, now: str, stats: WriteStats) -> None:
        facts = facts.unblocked()  # no bulk path here: a block's edges go as statements
        by_type: dict[str, dict[str, dict]] = defaultdict(dict)
        for (ntype, nkey), *_ in facts.nodes:  # plain tuples (see SQLiteStore._write_facts)
            by_type[ntype][q.uid(ntype, nkey)] = {"uid": q.uid(ntype, nkey), "key": nkey}
        for _, src, dst, *_ in facts.edges:
            for ref in (NodeRef(*src), NodeRef(*dst)):
                by_type[ref.type].setdefault(q.uid(ref.type, ref.key), {"uid": q.uid(ref.type, ref.key), "key": ref.key})
        for ref, values in facts.derived.items():
            ref = NodeRef(*ref)
            row = by_type[ref.type].setdefault(q.uid(ref.type, ref.key), {"uid": q.uid(ref.type, ref.key), "key": ref.key})
            row["derived"] = json.dumps(values, ensure_ascii=False, sort_keys=True)
            row["derived_terms"] = " ".join(v for p, v in values.items() if p in self._search_props)
        for node_type, rows in by_type.items():
            tx.run(q.q_merge_nodes(node_type), rows=[{"derived": None, "derived_terms": None, **r} for r in rows.values()],
                   type=node_type, now=now).consume()
        rows = [{"uid": q.uid(*ref), "prop": prop, "value": value, "locator": locator}
                for ref, prop, value, locator in facts.nodes]
        tx.run(q.q_assert_props(), sha256=sha256, rows=rows, now=now).consume()
        edges: dict[str, list[dict]] = defaultdict(list)
        for etype, src, dst, locator, eprops in facts.edges:
            spec = self.model.edge(etype)
            if src[0] not in spec.sources or dst[0] not in spec.targets:
                raise SchemaError(f"{etype} cannot link {src[0]} to {dst[0]}")
            edges[etype].append({"src": q.uid(*src), "dst": q.uid(*dst), "props": dict(eprops), "locator": locator})
        for edge_type, erows in edges.items():
            tx.run(q.q_merge_edges(edge_type), rows=erows, sha256=sha256, now=now).consume()
        if facts.unparsed:
            tx.run(q.q_keep_unparsed(), sha256=sha256, rows=[
                {"locator": u.locator, "field": u.field, "raw": u.raw, "reason": u.reason,
                 "subject_type": u.subject.type if u.subject else None,
                 "subject_key": u.subject.key if u.subject else None} for u in facts.unparsed]).consume()
        uids = [u for rows_ in by_type.values() for u in rows_]
        tx.run(q.q_refresh_nodes(), uids=uids, search_props=self._search_props, name_props=self._name_props).consume()
        stats.statements += len(rows) + sum(len(v) for v in edges.values())
        stats.unparsed += len(facts.unparsed)

    def quarantine(self, path: str, sha256: str, size: int, reason: str, data: bytes | None = None) -> int:
        with self._session() as session, session.begin_transaction() as tx:
            new_id = tx.run(q.q_next_quarantine_id()).single()["id"]
            entry = tx.run(q.q_quarantine(), path=path, sha256=sha256, size=size, reason=reason, now=utcnow(),
                           data=data, new_id=new_id).single()["id"]
            tx.commit()
        return entry

    def quarantined(self, entry_id: int | None = None, with_data: bool = False) -> list[Quarantined]:
        rows = self._read(q.q_quarantined(), id=entry_id, with_data=with_data)
        return [Quarantined(r["x"]["id"], r["x"]["path"], r["x"]["sha256"], r["x"]["size"], r["x"]["reason"],
                            r["x"]["first_seen"], r["x"]["last_seen"], r["x"]["attempts"],
                            bytes(r["data"]) if r["data"] is not None else None) for r in rows]

    def release(self, entry_id: int) -> None:
        with self._session() as s:
            s.run(q.q_release(), id=entry_id).consume()

    def retract_source(self, sha256: str) -> RetractStats:
        if not self.has_source(sha256):
            raise StoreError(f"no source with sha256 {sha256}")
        with self._session() as session, session.begin_transaction() as tx:
            stats = self._retract(tx, sha256)
            tx.commit()
        return stats

    def _retract(self, tx, sha256: str) -> RetractStats:
        touched = [r["uid"] for r in tx.run(q.q_retract_touched(), sha256=sha256)]
        n_props = tx.run(q.q_retract_asserts(), sha256=sha256).single()["n"]
        edge_row = tx.run(q.q_retract_edges(), prefix=sha256 + "|").single()
        n_nodes = tx.run(q.q_retract_orphans(), uids=touched).single()["n"]
        n_unparsed = tx.run(q.q_retract_source(), sha256=sha256).single()["unparsed"]
        tx.run(q.q_refresh_nodes(), uids=touched, search_props=self._search_props,
               name_props=self._name_props).consume()
        asserts, dead = (edge_row["asserts"], edge_row["edges"]) if edge_row else (0, 0)
        return RetractStats(statements=n_props + asserts, edges=dead, nodes=n_nodes, unparsed=n_unparsed)

    def revise_source(self, source: SourceInfo, about: Iterable[NodeRef], batches: Iterable[Facts]) -> WriteStats:
        if not self.has_source(source.sha256):
            raise StoreError(f"no source with sha256 {source.sha256}")
        now = utcnow()
        stats = WriteStats()
        uids = sorted({q.uid(r.type, r.key) for r in about})
        with self._session() as session, session.begin_transaction() as tx:
            touched = [r["uid"] for r in tx.run(q.q_revise_touched(), sha256=source.sha256, uids=uids)]
            tx.run(q.q_revise_asserts(), sha256=source.sha256, uids=uids).consume()
            tx.run(q.q_revise_edges(), uids=uids, prefix=source.sha256 + "|").consume()
            tx.run(q.q_retract_orphans(), uids=touched).consume()
            tx.run(q.q_refresh_nodes(), uids=touched, search_props=self._search_props,
                   name_props=self._name_props).consume()
            for facts in batches:
                self._write_facts(tx, source.sha256, facts, now, stats)
                stats.records += facts.records
            tx.run(q.q_update_source(), sha256=source.sha256,
                   props={"path": source.path, "size": source.size, "ingested_at": source.ingested_at or now}).consume()
            tx.commit()
        return stats

    def source_nodes(self, sha256s: Iterable[str]) -> set[NodeRef]:
        shas = list(sha256s)
        if not shas:
            return set()
        return {_ref(r["uid"]) for r in self._read(q.q_source_nodes(), shas=shas, prefixes=[s + "|" for s in shas])}

    def node_names(self, refs: Iterable[NodeRef]) -> dict[NodeRef, str | None]:
        uids = sorted({q.uid(r.type, r.key) for r in refs})
        return {_ref(r["uid"]): r["name"] for i in range(0, len(uids), PAGE * 10)
                for r in self._read(q.q_node_names(), uids=uids[i:i + PAGE * 10])}

    def edges_touching(self, refs: Iterable[NodeRef],
                       other_types: Iterable[str] | None = None) -> list[tuple[NodeRef, str, NodeRef]]:
        uids = sorted({q.uid(r.type, r.key) for r in refs})
        types = sorted(set(other_types)) if other_types else None
        out = set()
        for i in range(0, len(uids), PAGE * 10):
            for r in self._read(q.q_edges_touching(), uids=uids[i:i + PAGE * 10], types=types):
                out.add((_ref(r["src"]), r["type"], _ref(r["dst"])))
        return sorted(out)

    def source_edges(self, sha256: str, edge_type: str, prop: str, value: str, rank_by: str,
                     limit: int) -> tuple[int, list[Edge]]:
        rows = self._read(q.q_source_edges(edge_type), prefix=sha256 + "|", prop=prop, value=value, rank=rank_by,
                          limit=limit)
        if not rows:
            return 0, []
        return rows[0]["total"], [Edge(edge_type, _ref(a), _ref(b), _edge_props(props)) for a, b, props in rows[0]["top"]]

    # --- reads ------------------------------------------------------------------
    def sources(self) -> list[SourceInfo]:
        out = []
        for r in self._read(q.q_sources()):
            s = r["source"]
            out.append(SourceInfo(sha256=s["sha256"], path=s.get("path", ""), media_type=s.get("media_type", ""),
                                  size=s.get("size", 0), parser=s.get("parser", ""),
                                  ingested_at=s.get("ingested_at", ""), captured_at=s.get("captured_at"),
                                  status=s.get("status", "ok"), records=s.get("records", 0), error=s.get("error")))
        return out

    def unparsed(self, sha256: str | None = None, limit: int = 1000) -> list[dict]:
        return [{"sha256": r["sha256"], "path": r["path"], **{k: r["u"].get(k) for k in
                ("locator", "field", "raw", "reason", "subject_type", "subject_key")}}
                for r in self._read(q.q_unparsed(), sha256=sha256, limit=limit)]

    def _nodes(self, uids: list[str]) -> dict[str, Node]:
        out = {}
        for i in range(0, len(uids), PAGE):
            for r in self._read(q.q_get_nodes(), uids=uids[i:i + PAGE]):
                props: dict[str, list[str]] = {p: [v] for p, v in json.loads(r["derived"] or "{}").items()}
                for prop, value in r["props"]:
                    if prop is not None and prop != "key" and value not in props.get(prop, []):
                        props.setdefault(prop, []).append(value)
                out[r["uid"]] = Node(r["type"], r["key"], r["name"], props, r["first_seen"] or "", r["last_seen"] or "")
        return out

    def get_node(self, ref: NodeRef) -> Node | None:
        return self._nodes([q.uid(ref.type, ref.key)]).get(q.uid(ref.type, ref.key))

    def neighbours(self, ref: NodeRef, edge_types: Iterable[str] | None = None,
                   limit: int = 500) -> list[tuple[Edge, Node]]:
        me = q.uid(ref.type, ref.key)
        rows = self._read(q.q_neighbours(), uid=me, types=list(edge_types) if edge_types else None, limit=limit)
        nodes = self._nodes(sorted({r["other"] for r in rows}))
        return [(Edge(r["type"], _ref(r["src"]), _ref(r["dst"]), _edge_props(r["props"])), nodes[r["other"]])
                for r in rows if r["other"] in nodes]

    def subgraph(self, ref: NodeRef, hops: int = 2, node_types: Iterable[str] | None = None,
                 limit: int = 200) -> Subgraph:
        rows = self._read(q.q_reach(hops), uid=q.uid(ref.type, ref.key))
        if not rows:
            return Subgraph([], [], 0)
        wanted = set(node_types or [])
        uids = [rows[0]["start"]] + [u for u, t, _ in rows[0]["reached"] if u and u != rows[0]["start"]
                                     and (not wanted or t in wanted)]
        chosen = uids[:limit]
        nodes = self._nodes(chosen)
        edges = [Edge(r["type"], _ref(r["src"]), _ref(r["dst"]), _edge_props(r["props"]))
                 for r in self._read(q.q_edges_among(), uids=chosen)]
        return Subgraph([nodes[u] for u in chosen if u in nodes], edges, len(uids))

    def shortest_path(self, a: NodeRef, b: NodeRef, max_hops: int = 6) -> list[Edge] | None:
        if a == b:
            return [] if self.get_node(a) else None
        rows = self._read(q.q_shortest_path(max_hops), a=q.uid(a.type, a.key), b=q.uid(b.type, b.key))
        if not rows:
            return None
        return [Edge(t, _ref(s), _ref(d), _edge_props(p)) for t, s, d, p in rows[0]["rels"]]

    def search(self, query: str, limit: int = 20, types: Iterable[str] | None = None) -> list[SearchHit]:
        query = " ".join(query.split())
        if not query:
            return []
        hits: dict[tuple[str, str], SearchHit] = {}
        uids = [q.uid(r.type, r.key) for r in identifier_refs(query)]
        for r in self._read(q.q_search_exact(), uids=uids):
            hits[(r["type"], r["key"])] = SearchHit(r["type"], r["key"], r["name"], r["key"], True)
        for r in self._read(q.q_search_key(), key=query, limit=limit):
            hits.setdefault((r["type"], r["key"]), SearchHit(r["type"], r["key"], r["name"], r["key"], True))
        for r in self._read(q.q_search_text(), q=q.lucene_phrase(query), limit=limit * 5):
            hits.setdefault((r["type"], r["key"]), SearchHit(r["type"], r["key"], r["name"], query, False))
        return rank_hits(hits.values(), types, limit)

    def provenance(self, ref: NodeRef, edge: Edge | None = None) -> list[Evidence]:
        if edge is None:
            rows = self._read(q.q_node_provenance(), uid=q.uid(ref.type, ref.key))
            return [Evidence(r["sha256"], r["path"], r["locator"], r["first_seen"], r["last_seen"], r["prop"],
                             r["value"]) for r in rows]
        rows = self._read(q.q_edge_provenance(edge.type), src=q.uid(edge.src.type, edge.src.key),
                          dst=q.uid(edge.dst.type, edge.dst.key))
        return [Evidence(r["sha256"], r["path"], r["locator"], r["first_seen"], r["last_seen"]) for r in rows]

    def projection(self, node_types: Iterable[str] | None = None,
                   edge_types: Iterable[str] | None = None) -> Projection:
        dense, node_ids, names = {}, {}, []
        for r in self._read(q.q_projection_nodes(), types=list(node_types) if node_types else None):
            dense[r["uid"]] = len(names)
            node_ids[NodeRef(r["type"], r["key"])] = len(names)
            names.append(r["name"])
        edges = [(dense[r["src"]], dense[r["dst"]], r["type"])
                 for r in self._read(q.q_projection_edges(), types=list(edge_types) if edge_types else None)
                 if r["src"] in dense and r["dst"] in dense]
        return Projection(node_ids, names, edges)

    def counts(self) -> tuple[dict[str, int], dict[str, int]]:
        return ({r["type"]: r["n"] for r in self._read(q.q_count_nodes())},
                {r["type"]: r["n"] for r in self._read(q.q_count_edges())})

    def count_nodes(self, node_type: str) -> int:
        return self._read(q.q_count_type(), type=node_type)[0]["n"]

    def iter_nodes(self, node_type: str | None = None) -> Iterator[Node]:
        after = ""
        while True:
            uids = [r["uid"] for r in self._read(q.q_page_nodes(), type=node_type, after=after, limit=PAGE)]
            if not uids:
                return
            nodes = self._nodes(uids)
            yield from (nodes[u] for u in uids if u in nodes)
            after = uids[-1]

    def close(self) -> None:
        self._driver.close()


def _edge_props(props: dict) -> dict[str, str]:
    return {k: v for k, v in props.items() if k not in {"prov", "first_seen", "last_seen"}}
