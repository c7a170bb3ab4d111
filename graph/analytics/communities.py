"""Communities of operators that share suppliers, forwarders or infrastructure, and the centrality of what
they share.

Units are operators (a storefront no operator controls is a unit of its own). Two units are joined when
their storefronts link — directly, or through their Seller or Domain — to the same node that is not a
storefront, operator, brand, listing or case (an address, phone, payment account, name server, ...). The
join is weighted by how many such nodes they share, and communities are found with Louvain (networkx,
fixed seed: the same graph gives the same communities).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import networkx as nx

from graph.records import NodeRef
from graph.store.base import GraphStore

NOT_SHARED = {"Storefront", "Operator", "Brand", "Listing", "Case", "Source"}
THROUGH = {"Seller", "Domain"}


@dataclass(frozen=True)
class Community:
    number: int
    units: tuple[NodeRef, ...]  # Operator refs, or Storefront refs for storefronts no operator controls
    shared: tuple[NodeRef, ...]  # the nodes two or more of its units link to


@dataclass(frozen=True)
class SharedNode:
    ref: NodeRef
    name: str | None
    units: int  # operators (or lone storefronts) linking to it
    storefronts: int
    betweenness: float


def _unit_links(store: GraphStore) -> tuple[dict[NodeRef, set[NodeRef]], dict[NodeRef, set[NodeRef]],
                                           dict[NodeRef, str | None]]:
    """(shared node -> units, shared node -> storefronts, names)."""
    proj = store.projection()
    refs = {i: r for r, i in proj.node_ids.items()}
    names = {r: proj.names[i] for r, i in proj.node_ids.items()}
    adj: dict[int, set[int]] = defaultdict(set)
    unit_of: dict[int, NodeRef] = {}
    for s, d, t in proj.edges:
        if t == "CONTROLS":
            unit_of[d] = refs[s]
            continue
        adj[s].add(d)
        adj[d].add(s)
    units_of: dict[NodeRef, set[NodeRef]] = defaultdict(set)
    fronts_of: dict[NodeRef, set[NodeRef]] = defaultdict(set)
    for i, ref in refs.items():
        if ref.type != "Storefront":
            continue
        unit = unit_of.get(i, ref)
        reach = set()
        for j in adj[i]:
            reach.add(j)
            if refs[j].type in THROUGH:
                reach |= adj[j]
        for j in reach:
            if refs[j].type not in NOT_SHARED and j != i:
                units_of[refs[j]].add(unit)
                fronts_of[refs[j]].add(ref)
    return units_of, fronts_of, names


def find_communities(store: GraphStore, seed: int = 7) -> tuple[list[Community], list[SharedNode]]:
    """Communities of two or more units (largest first), and the nodes shared across units, most central first."""
    units_of, fronts_of, names = _unit_links(store)
    shared = {ref: units for ref, units in units_of.items() if len(units) >= 2}
    g = nx.Graph()
    bipartite = nx.Graph()
    for ref in sorted(shared, key=str):
        units = sorted(shared[ref], key=str)
        for u in units:
            bipartite.add_edge(("u", u), ("s", ref))
        for i, a in enumerate(units):
            for b in units[i + 1:]:
                w = g.get_edge_data(a, b, {}).get("weight", 0)
                g.add_edge(a, b, weight=w + 1)
    communities = []
    if g.number_of_nodes():
        groups = nx.community.louvain_communities(g, weight="weight", seed=seed)
        ordered = sorted((tuple(sorted(c, key=str)) for c in groups if len(c) >= 2), key=lambda c: (-len(c), str(c[0])))
        for n, units in enumerate(ordered, 1):
            members = set(units)
            common = tuple(sorted((r for r, us in shared.items() if len(us & members) >= 2), key=str))
            communities.append(Community(n, units, common))
    between = nx.betweenness_centrality(bipartite, normalized=True) if bipartite.number_of_nodes() else {}
    nodes = [SharedNode(ref, names.get(ref), len(units), len(fronts_of[ref]), round(between.get(("s", ref), 0.0), 4))
             for ref, units in shared.items()]
    nodes.sort(key=lambda n: (-n.betweenness, -n.units, -n.storefronts, str(n.ref)))
    return communities, nodes
