"""Baseline resolution: storefronts that share a rare identifier belong to one operator.

This is the first, deliberately simple resolver: connected components over
shared identifier nodes (the schema's ``identifier: true`` types), with hubs —
identifiers shared by more than ``hub_limit`` storefronts (a marketplace's
support address, a forwarder's warehouse) — proposing no links. Scored,
explained and reviewable resolution replaces it in the Resolution issue; this
one is kept as the connected-components baseline it is measured against.

The result is written as a Source of its own (parser ``resolution``), so every
Operator and CONTROLS edge is traceable to the run and the shared identifiers
that produced it, and a re-run replaces the previous result.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from graph.model import get_model
from graph.records import EdgeStatement, Facts, NodeRef, NodeStatement
from graph.store.base import GraphStore, SourceInfo, utcnow

RESOLUTION_PARSER = "resolution"


@dataclass(frozen=True)
class Cluster:
    operator_id: str
    members: tuple[NodeRef, ...]
    pivots: tuple[NodeRef, ...]


def _find(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def resolve_clusters(store: GraphStore, hub_limit: int = 20) -> tuple[list[Cluster], list[NodeRef]]:
    """Clusters of two or more storefronts, and the hub identifiers that were ignored."""
    model = get_model()
    pivot_types = [n.name for n in model.nodes.values() if n.identifier]
    proj = store.projection(node_types=["Storefront", *pivot_types])
    refs = {i: ref for ref, i in proj.node_ids.items()}
    storefronts_of: dict[int, set[int]] = defaultdict(set)
    for s, d, _ in proj.edges:
        if refs[s].type == "Storefront" and refs[d].type != "Storefront":
            storefronts_of[d].add(s)
    parent = list(range(len(refs)))
    hubs, used = [], defaultdict(set)
    for pivot, fronts in storefronts_of.items():
        if len(fronts) > hub_limit:
            hubs.append(refs[pivot])
            continue
        if len(fronts) < 2:
            continue
        first, *rest = sorted(fronts)
        for other in rest:
            parent[_find(parent, other)] = _find(parent, first)
        used[first].add(pivot)
    groups: dict[int, list[int]] = defaultdict(list)
    for i, ref in refs.items():
        if ref.type == "Storefront":
            groups[_find(parent, i)].append(i)
    pivots_of: dict[int, set[int]] = defaultdict(set)
    for first, pivots in used.items():
        pivots_of[_find(parent, first)] |= pivots
    clusters = []
    for root, members in groups.items():
        if len(members) < 2:
            continue
        member_refs = tuple(sorted((refs[m] for m in members), key=lambda r: r.key))
        op = "op-" + hashlib.sha1(member_refs[0].key.encode()).hexdigest()[:10]
        clusters.append(Cluster(op, member_refs, tuple(sorted((refs[p] for p in pivots_of[root]), key=str))))
    clusters.sort(key=lambda c: (-len(c.members), c.operator_id))
    return clusters, sorted(hubs, key=str)


def _facts(clusters: Iterable[Cluster], names: dict[NodeRef, str | None]) -> Facts:
    facts = Facts()
    for c in clusters:
        op = NodeRef("Operator", c.operator_id)
        locator = f"cluster {c.operator_id}: shared " + ", ".join(str(p) for p in c.pivots[:20])
        best = next((names[m] for m in c.members if names.get(m)), c.operator_id)
        facts.nodes += [NodeStatement(op, "key", op.key, locator), NodeStatement(op, "name", best, locator)]
        for m in c.members:
            facts.edges.append(EdgeStatement("CONTROLS", op, m, locator, (("confidence", "1.0"),)))
        facts.records += 1
    return facts


def run_resolution(store: GraphStore, hub_limit: int = 20) -> tuple[list[Cluster], list[NodeRef]]:
    """Resolve, replace the previous resolution Source with this one, return the clusters and hubs."""
    clusters, hubs = resolve_clusters(store, hub_limit)
    write_clusters(store, clusters, f"(resolution, hub limit {hub_limit})")
    return clusters, hubs


def write_clusters(store: GraphStore, clusters: list[Cluster], label: str) -> None:
    """Replace the previous resolution Source with Operators CONTROLS-ing these clusters' members."""
    for s in store.sources():
        if s.parser == RESOLUTION_PARSER:
            store.retract_source(s.sha256)
    if not clusters:
        return
    proj = store.projection(node_types=["Storefront"])
    names = {ref: proj.names[i] for ref, i in proj.node_ids.items()}
    digest = hashlib.sha256(repr([(c.operator_id, c.members) for c in clusters]).encode()).hexdigest()
    info = SourceInfo(sha256=digest, path=label,
                      media_type="application/x-infringer-graph-resolution", size=0,
                      parser=RESOLUTION_PARSER, ingested_at=utcnow())
    store.write_source(info, [_facts(clusters, names)])
