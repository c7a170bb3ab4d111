"""Every Cypher statement the Neo4j backend sends, built by pure functions.

Values always travel as parameters. Labels and relationship types cannot be
parameters in Cypher, so they are taken only from the model (``label()``,
``rel_type()`` raise SchemaError for any other name) and back-quoted.
``catalogue()`` lists every statement with example parameters; a test feeds
them all to Neo4j's own linter.
"""

from __future__ import annotations

import re

from graph.errors import SchemaError
from graph.model import Model, get_model

MAX_HOPS = 6
_LUCENE_SPECIAL = re.compile(r'([+\-&|!(){}\[\]^"~*?:\\/])')


def label(name: str, model: Model | None = None) -> str:
    """A node label from the model, back-quoted; SchemaError for anything else."""
    model = model or get_model()
    if name not in model.nodes:
        raise SchemaError(f"unknown node type {name!r}")
    return f"`{name}`"


def rel_type(name: str, model: Model | None = None) -> str:
    model = model or get_model()
    if name not in model.edges:
        raise SchemaError(f"unknown edge type {name!r}")
    return f"`{name}`"


def _all_rel_types(model: Model | None = None) -> str:
    model = model or get_model()
    return "|".join(rel_type(e, model) for e in model.edges)


def _hops(hops: int) -> int:
    if not isinstance(hops, int) or isinstance(hops, bool) or not 1 <= hops <= MAX_HOPS:
        raise SchemaError(f"hops must be an integer from 1 to {MAX_HOPS}")
    return hops


def uid(node_type: str, key: str) -> str:
    """The one property that identifies an entity across labels."""
    return f"{node_type}|{key}"


def lucene_phrase(query: str) -> str:
    """User text as a Lucene phrase for the full-text index (no operators from users)."""
    return '"' + _LUCENE_SPECIAL.sub(r"\\\1", " ".join(query.split())) + '"'


# --- schema -------------------------------------------------------------------
def q_constraints(model: Model | None = None) -> list[str]:
    """Uniqueness constraints and indexes, derived from the node types."""
    model = model or get_model()
    out = ["CREATE CONSTRAINT entity_uid IF NOT EXISTS FOR (n:Entity) REQUIRE n.uid IS UNIQUE",
           "CREATE CONSTRAINT source_sha256 IF NOT EXISTS FOR (s:Source) REQUIRE s.sha256 IS UNIQUE",
           "CREATE INDEX entity_type IF NOT EXISTS FOR (n:Entity) ON (n.type)",
           "CREATE FULLTEXT INDEX entity_search IF NOT EXISTS FOR (n:Entity) ON EACH [n.search_text]"]
    for name in model.nodes:
        if name == "Source":
            continue
        out.append(f"CREATE CONSTRAINT {name.lower()}_key IF NOT EXISTS FOR (n:{label(name, model)}) "
                   f"REQUIRE n.key IS UNIQUE")
    return out


# --- writes -------------------------------------------------------------------
def q_merge_source() -> str:
    return ("MERGE (s:Source {sha256: $sha256}) "
            "ON CREATE SET s += $props")


def q_merge_nodes(node_type: str) -> str:
    return ("UNWIND $rows AS row "
            f"MERGE (n:Entity:{label(node_type)} {{uid: row.uid}}) "
            "ON CREATE SET n.key = row.key, n.type = $type, n.first_seen = $now, n.derived = '{}', n.derived_terms = '' "
            "SET n.last_seen = $now "
            "FOREACH (_ IN CASE WHEN row.derived IS NULL THEN [] ELSE [1] END | "
            "SET n.derived = row.derived, n.derived_terms = row.derived_terms)")


def q_assert_props() -> str:
    return ("MATCH (s:Source {sha256: $sha256}) "
            "UNWIND $rows AS row "
            "MATCH (n:Entity {uid: row.uid}) "
            "MERGE (s)-[a:ASSERTS {prop: row.prop, value: row.value, locator: row.locator}]->(n) "
            "ON CREATE SET a.first_seen = $now "
            "SET a.last_seen = $now")


def q_refresh_nodes() -> str:
    """Re-derive name, search text and seen times of entities from their remaining assertions."""
    return ("UNWIND $uids AS id "
            "MATCH (n:Entity {uid: id}) "
            "OPTIONAL MATCH (:Source)-[a:ASSERTS]->(n) "
            "WITH n, a ORDER BY a.last_seen "
            "WITH n, collect(a) AS asserts "
            "WITH n, asserts, [x IN asserts WHERE x.prop IN $search_props OR x.prop = 'key' | x.value] AS terms, "
            "[x IN asserts WHERE x.prop = $name_props[n.type] | x.value] AS names "
            "SET n.search_text = reduce(t = coalesce(n.derived_terms, ''), v IN terms | t + ' ' + v), "
            "n.name = CASE WHEN size(names) > 0 THEN names[size(names) - 1] ELSE n.name END, "
            "n.first_seen = reduce(lo = n.last_seen, x IN asserts | CASE WHEN x.first_seen < lo THEN x.first_seen ELSE lo END)")


def q_merge_edges(edge_type: str) -> str:
    return ("UNWIND $rows AS row "
            "MATCH (a:Entity {uid: row.src}) "
            "MATCH (b:Entity {uid: row.dst}) "
            f"MERGE (a)-[r:{rel_type(edge_type)}]->(b) "
            "ON CREATE SET r.first_seen = $now, r.prov = [] "
            "SET r.last_seen = $now, r += row.props "
            "WITH r, $sha256 + '|' + row.locator AS p "
            "SET r.prov = CASE WHEN p IN r.prov THEN r.prov ELSE r.prov + p END")


def q_keep_unparsed() -> str:
    return ("MATCH (s:Source {sha256: $sha256}) "
            "UNWIND $rows AS row "
            "CREATE (u:Unparsed) SET u = row "
            "CREATE (s)-[:KEPT]->(u)")


def q_set_records() -> str:
    return ("MATCH (s:Source {sha256: $sha256}) "
            "SET s.records = $records, s.captured_at = coalesce($captured_at, s.captured_at)")


def q_quarantine() -> str:
    return ("MERGE (x:Quarantined {path: $path, sha256: $sha256}) "
            "ON CREATE SET x.id = $new_id, x.first_seen = $now, x.attempts = 0 "
            "SET x.size = $size, x.reason = $reason, x.last_seen = $now, x.attempts = x.attempts + 1, "
            "x.data = coalesce($data, x.data) "
            "RETURN x.id AS id")


def q_quarantined() -> str:
    return ("MATCH (x:Quarantined) WHERE $id IS NULL OR x.id = $id "
            "RETURN x {.id, .path, .sha256, .size, .reason, .first_seen, .last_seen, .attempts} AS x, "
            "CASE WHEN $with_data THEN x.data ELSE null END AS data ORDER BY x.id")


def q_release() -> str:
    return "MATCH (x:Quarantined {id: $id}) DELETE x"


def q_next_quarantine_id() -> str:
    return "OPTIONAL MATCH (x:Quarantined) RETURN coalesce(max(x.id), 0) + 1 AS id"


# --- retraction ---------------------------------------------------------------
def q_retract_touched() -> str:
    return "MATCH (:Source {sha256: $sha256})-[:ASSERTS]->(n:Entity) RETURN DISTINCT n.uid AS uid"


def q_retract_asserts() -> str:
    return ("MATCH (:Source {sha256: $sha256})-[a:ASSERTS]->(:Entity) "
            "DELETE a RETURN count(*) AS n")


def q_retract_edges() -> str:
    """Drop this source from every edge's provenance; edges left with none go."""
    return ("MATCH (:Entity)-[r]->(:Entity) "
            "WHERE any(p IN r.prov WHERE p STARTS WITH $prefix) "
            "WITH r, [p IN r.prov WHERE NOT p STARTS WITH $prefix] AS kept, size(r.prov) AS before "
            "SET r.prov = kept "
            "WITH r, before - size(kept) AS removed, size(kept) = 0 AS dead "
            "WITH collect(CASE WHEN dead THEN r END) AS dead_rels, sum(removed) AS asserts "
            "FOREACH (x IN dead_rels | DELETE x) "
            "RETURN asserts, size(dead_rels) AS edges")


def q_retract_orphans() -> str:
    return ("UNWIND $uids AS id "
            "MATCH (n:Entity {uid: id}) "
            "WHERE NOT EXISTS { MATCH (:Source)-[:ASSERTS]->(n) } "
            "DETACH DELETE n RETURN count(*) AS n")


def q_retract_source() -> str:
    return ("MATCH (s:Source {sha256: $sha256}) "
            "OPTIONAL MATCH (s)-[:KEPT]->(u:Unparsed) "
            "WITH s, collect(u) AS kept "
            "FOREACH (u IN kept | DETACH DELETE u) "
            "DETACH DELETE s RETURN size(kept) AS unparsed")


def q_revise_touched() -> str:
    return ("MATCH (:Source {sha256: $sha256})-[:ASSERTS]->(n:Entity) WHERE n.uid IN $uids "
            "RETURN DISTINCT n.uid AS uid")


def q_revise_asserts() -> str:
    return ("MATCH (:Source {sha256: $sha256})-[a:ASSERTS]->(n:Entity) WHERE n.uid IN $uids "
            "DELETE a RETURN count(*) AS n")


def q_revise_edges() -> str:
    """Drop this source from the provenance of the edges among some entities; edges left with none go."""
    return ("UNWIND $uids AS id "
            "MATCH (:Entity {uid: id})-[r]->(b:Entity) "
            "WHERE b.uid IN $uids AND any(p IN r.prov WHERE p STARTS WITH $prefix) "
            "WITH r, [p IN r.prov WHERE NOT p STARTS WITH $prefix] AS kept "
            "SET r.prov = kept "
            "WITH collect(CASE WHEN size(kept) = 0 THEN r END) AS dead_rels "
            "FOREACH (x IN dead_rels | DELETE x) "
            "RETURN size(dead_rels) AS edges")


def q_update_source() -> str:
    return "MATCH (s:Source {sha256: $sha256}) SET s += $props"


def q_source_nodes() -> str:
    return ("MATCH (s:Source)-[:ASSERTS]->(n:Entity) WHERE s.sha256 IN $shas RETURN DISTINCT n.uid AS uid "
            "UNION "
            "MATCH (a:Entity)-[r]->(b:Entity) WHERE any(p IN r.prov WHERE any(x IN $prefixes WHERE p STARTS WITH x)) "
            "UNWIND [a.uid, b.uid] AS uid RETURN DISTINCT uid")


def q_node_names() -> str:
    return "UNWIND $uids AS id MATCH (n:Entity {uid: id}) RETURN n.uid AS uid, n.name AS name"


def q_source_edges(edge_type: str) -> str:
    return (f"MATCH (a:Entity)-[r:{rel_type(edge_type)}]->(b:Entity) "
            "WHERE any(p IN r.prov WHERE p STARTS WITH $prefix) AND r[$prop] = $value "
            "WITH a, b, r ORDER BY toFloat(r[$rank]) DESC, a.key, b.key "
            "WITH collect([a.uid, b.uid, properties(r)]) AS rows "
            "RETURN size(rows) AS total, rows[0..$limit] AS top")


def q_edges_touching() -> str:
    return ("UNWIND $uids AS id "
            "MATCH (:Entity {uid: id})-[r]-(m:Entity) "
            "WHERE $types IS NULL OR m.type IN $types "
            "RETURN DISTINCT startNode(r).uid AS src, type(r) AS type, endNode(r).uid AS dst")


# --- reads --------------------------------------------------------------------
def q_has_source() -> str:
    return "MATCH (s:Source {sha256: $sha256}) RETURN count(s) > 0 AS found"


def q_sources() -> str:
    return "MATCH (s:Source) RETURN s {.*} AS source ORDER BY s.ingested_at, s.sha256"


def q_unparsed() -> str:
    return ("MATCH (s:Source)-[:KEPT]->(u:Unparsed) "
            "WHERE $sha256 IS NULL OR s.sha256 = $sha256 "
            "RETURN s.sha256 AS sha256, s.path AS path, u {.*} AS u LIMIT $limit")


def q_get_nodes() -> str:
    return ("UNWIND $uids AS id "
            "MATCH (n:Entity {uid: id}) "
            "OPTIONAL MATCH (:Source)-[a:ASSERTS]->(n) "
            "WITH n, a ORDER BY a.first_seen, a.value "
            "RETURN n.uid AS uid, n.type AS type, n.key AS key, n.name AS name, n.first_seen AS first_seen, "
            "n.last_seen AS last_seen, n.derived AS derived, collect([a.prop, a.value]) AS props")


def q_neighbours() -> str:
    return ("MATCH (n:Entity {uid: $uid})-[r]-(m:Entity) "
            "WHERE $types IS NULL OR type(r) IN $types "
            "RETURN type(r) AS type, startNode(r).uid AS src, endNode(r).uid AS dst, m.uid AS other, "
            "properties(r) AS props LIMIT $limit")


def q_reach(hops: int) -> str:
    return ("MATCH (n:Entity {uid: $uid}) "
            f"OPTIONAL MATCH p = (n)-[:{_all_rel_types()}*1..{_hops(hops)}]-(m:Entity) "
            "WITH n, m, min(length(p)) AS depth ORDER BY depth, m.uid "
            "RETURN n.uid AS start, collect([m.uid, m.type, depth]) AS reached")


def q_edges_among() -> str:
    return ("MATCH (a:Entity)-[r]->(b:Entity) "
            "WHERE a.uid IN $uids AND b.uid IN $uids "
            "RETURN type(r) AS type, a.uid AS src, b.uid AS dst, properties(r) AS props")


def q_shortest_path(max_hops: int) -> str:
    return ("MATCH (a:Entity {uid: $a}) MATCH (b:Entity {uid: $b}) "
            f"MATCH p = shortestPath((a)-[:{_all_rel_types()}*..{_hops(max_hops)}]-(b)) "
            "RETURN [r IN relationships(p) | [type(r), startNode(r).uid, endNode(r).uid, properties(r)]] AS rels")


def q_search_exact() -> str:
    return ("UNWIND $uids AS id MATCH (n:Entity {uid: id}) "
            "RETURN n.type AS type, n.key AS key, n.name AS name")


def q_search_key() -> str:
    return "MATCH (n:Entity) WHERE n.key = $key RETURN n.type AS type, n.key AS key, n.name AS name LIMIT $limit"


def q_search_text() -> str:
    return ("CALL db.index.fulltext.queryNodes('entity_search', $q) YIELD node, score "
            "RETURN node.type AS type, node.key AS key, node.name AS name, node.search_text AS matched, score "
            "ORDER BY score DESC LIMIT $limit")


def q_node_provenance() -> str:
    return ("MATCH (s:Source)-[a:ASSERTS]->(n:Entity {uid: $uid}) "
            "RETURN s.sha256 AS sha256, s.path AS path, a.locator AS locator, a.first_seen AS first_seen, "
            "a.last_seen AS last_seen, a.prop AS prop, a.value AS value ORDER BY s.sha256, a.locator, a.prop")


def q_edge_provenance(edge_type: str) -> str:
    return (f"MATCH (:Entity {{uid: $src}})-[r:{rel_type(edge_type)}]->(:Entity {{uid: $dst}}) "
            "UNWIND r.prov AS p "
            "WITH r, split(p, '|')[0] AS sha, substring(p, 65) AS locator "
            "MATCH (s:Source {sha256: sha}) "
            "RETURN s.sha256 AS sha256, s.path AS path, locator, r.first_seen AS first_seen, r.last_seen AS last_seen")


def q_projection_nodes() -> str:
    return ("MATCH (n:Entity) WHERE $types IS NULL OR n.type IN $types "
            "RETURN n.uid AS uid, n.type AS type, n.key AS key, n.name AS name ORDER BY n.uid")


def q_projection_edges() -> str:
    return ("MATCH (a:Entity)-[r]->(b:Entity) WHERE $types IS NULL OR type(r) IN $types "
            "RETURN a.uid AS src, b.uid AS dst, type(r) AS type")


def q_count_type() -> str:
    return "MATCH (n:Entity) WHERE n.type = $type RETURN count(*) AS n"


def q_count_nodes() -> str:
    return "MATCH (n:Entity) RETURN n.type AS type, count(*) AS n ORDER BY type"


def q_count_edges() -> str:
    return "MATCH (:Entity)-[r]->(:Entity) RETURN type(r) AS type, count(*) AS n ORDER BY type"


def q_page_nodes() -> str:
    return ("MATCH (n:Entity) WHERE ($type IS NULL OR n.type = $type) AND n.uid > $after "
            "RETURN n.uid AS uid ORDER BY n.uid LIMIT $limit")


def catalogue(model: Model | None = None) -> list[tuple[str, str, dict]]:
    """(builder name, statement, example parameters) for every statement the backend can send."""
    model = model or get_model()
    now, sha = "2026-11-21T10:00:00+00:00", "a" * 64
    row = {"uid": "Email|a@b.com", "key": "a@b.com", "prop": "value", "value": "a@b.com", "locator": "row 2",
           "derived": '{"domain": "b.com"}', "derived_terms": ""}
    search_props = sorted({p for n in model.nodes.values() for p in n.search_properties})
    names = {n.name: n.name_property for n in model.nodes.values()}
    out: list[tuple[str, str, dict]] = [("q_constraints", q, {}) for q in q_constraints(model)]
    out += [("q_merge_source", q_merge_source(), {"sha256": sha, "props": {"path": "x.csv"}}),
            ("q_assert_props", q_assert_props(), {"sha256": sha, "rows": [row], "now": now}),
            ("q_refresh_nodes", q_refresh_nodes(), {"uids": ["Email|a@b.com"], "search_props": search_props,
                                                    "name_props": names}),
            ("q_keep_unparsed", q_keep_unparsed(), {"sha256": sha, "rows": [{"field": "email", "raw": "x"}]}),
            ("q_set_records", q_set_records(), {"sha256": sha, "records": 3, "captured_at": None})]
    out += [("q_merge_nodes", q_merge_nodes(t), {"rows": [row], "type": t, "now": now})
            for t in model.nodes if t != "Source"]
    out += [("q_merge_edges", q_merge_edges(e), {"rows": [{"src": "a", "dst": "b", "props": {}, "locator": "row 2"}],
                                                 "sha256": sha, "now": now}) for e in model.edges]
    out += [("q_edge_provenance", q_edge_provenance(e), {"src": "a", "dst": "b"}) for e in model.edges]
    out += [("q_source_edges", q_source_edges("LINKED"), {"prefix": sha + "|", "prop": "band", "value": "review",
                                                          "rank": "score", "limit": 50})]
    out += [("q_reach", q_reach(h), {"uid": "a"}) for h in range(1, MAX_HOPS + 1)]
    out += [("q_shortest_path", q_shortest_path(MAX_HOPS), {"a": "a", "b": "b"})]
    simple = {"q_retract_touched": {"sha256": sha}, "q_retract_asserts": {"sha256": sha},
              "q_retract_edges": {"prefix": sha + "|"}, "q_retract_orphans": {"uids": ["a"]},
              "q_retract_source": {"sha256": sha}, "q_has_source": {"sha256": sha}, "q_sources": {},
              "q_unparsed": {"sha256": sha, "limit": 10}, "q_get_nodes": {"uids": ["a"]},
              "q_neighbours": {"uid": "a", "types": ["PAID_TO"], "limit": 10},
              "q_edges_among": {"uids": ["a", "b"]}, "q_search_exact": {"uids": ["a"]},
              "q_search_key": {"key": "a", "limit": 10}, "q_search_text": {"q": '"a"', "limit": 10},
              "q_node_provenance": {"uid": "a"}, "q_projection_nodes": {"types": None},
              "q_projection_edges": {"types": None}, "q_count_nodes": {}, "q_count_edges": {},
              "q_count_type": {"type": "Operator"},
              "q_page_nodes": {"type": None, "after": "", "limit": 500},
              "q_quarantine": {"path": "a.csv", "sha256": sha, "size": 3, "reason": "r", "now": now, "data": None,
                               "new_id": 1},
              "q_quarantined": {"id": None, "with_data": False}, "q_release": {"id": 1},
              "q_next_quarantine_id": {},
              "q_revise_touched": {"sha256": sha, "uids": ["a"]}, "q_revise_asserts": {"sha256": sha, "uids": ["a"]},
              "q_revise_edges": {"uids": ["a", "b"], "prefix": sha + "|"},
              "q_update_source": {"sha256": sha, "props": {"path": "x"}},
              "q_source_nodes": {"shas": [sha], "prefixes": [sha + "|"]},
              "q_edges_touching": {"uids": ["a"], "types": ["Email"]}, "q_node_names": {"uids": ["a"]}}
    out += [(name, globals()[name](), params) for name, params in simple.items()]
    return out
