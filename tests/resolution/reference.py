"""The pair-at-a-time resolver scoring that ``graph/resolution/vectors.py`` replaced, kept as a test oracle:
the sparse-matrix version must give exactly the links, scores, bands, bridges and hubs this gives."""

from __future__ import annotations

from graph.records import NodeRef
from graph.resolution.config import Config
from graph.resolution.disjoint import DisjointSets
from graph.resolution.pivots import Pivots
from graph.resolution.scoring import Link, noisy_or, score_pair


def candidate_pairs(pv: Pivots, cfg: Config) -> tuple[set[tuple[int, int]], list[tuple[int, int]]]:
    """Pairs of storefronts proposed by a shared, non-hub pivot; and the hubs as (pivot, shared_by)."""
    pairs: set[tuple[int, int]] = set()
    hubs = []
    for p, members in pv.members.items():
        n = len(members)
        if n < 2:
            continue
        if n > cfg.kinds[pv.kinds[p]].hub:
            hubs.append((p, n))
            continue
        if n <= cfg.pair_limit:
            pairs.update((x, y) for i, x in enumerate(members) for y in members[i + 1:])
        else:  # a star through the first member by key: linking is transitive, scores still use every shared pivot
            anchor = min(members, key=lambda i: pv.refs[i].key)
            pairs.update((min(anchor, y), max(anchor, y)) for y in members if y != anchor)
    return pairs, sorted(hubs, key=lambda h: -h[1])


def find_bridges(pv: Pivots, cfg: Config, links: dict[tuple[int, int], Link]) -> dict[int, int]:
    """Pivots that act as hubs although they are not shared by very many storefronts: a freight agency's
    mailbox or phone joins storefronts that other evidence already groups into many separate operators.

    The groups are formed by accepted links on rare evidence alone (pivots shared by fewer than
    ``bridge.min_shared`` storefronts); a pivot shared by at least ``min_shared`` storefronts that reach at
    least ``bridge.groups`` such groups of two or more is treated as a hub. -> {pivot: groups}"""
    sets = DisjointSets()
    for (x, y), link in links.items():
        rare = noisy_or(s.weight for s in link.signals
                        if s.pivot is not None and not s.hub and s.shared_by < cfg.bridge_min_shared)
        if rare >= cfg.accept:
            sets.union(x, y)
    sizes = {}
    for group in sets.groups():
        root = sets.find(next(iter(group)))
        sizes[root] = len(group)
    find = sets.find
    bridges = {}
    for p, members in pv.members.items():
        if len(members) < cfg.bridge_min_shared or len(members) > cfg.kinds[pv.kinds[p]].hub:
            continue
        groups = len({find(i) for i in members if i in sets.parent and sizes[find(i)] >= 2})
        if groups >= cfg.bridge_groups:
            bridges[p] = groups
    return bridges


def score_links(pv: Pivots, cfg: Config) -> tuple[list[Link], list[tuple[NodeRef, int]]]:
    """Every candidate link with its score and band; the hubs that proposed nothing (too widely shared, or
    bridging operators that other evidence keeps apart)."""
    pairs, hubs = candidate_pairs(pv, cfg)
    links = {(x, y): score_pair(pv, cfg, x, y) for x, y in sorted(pairs)}
    bridges = find_bridges(pv, cfg, links)
    if bridges:
        for pair in list(links):
            if pv.reach[pair[0]].keys() & pv.reach[pair[1]].keys() & bridges.keys():
                links[pair] = score_pair(pv, cfg, *pair, bridges)
    kept = [l for l in links.values() if any(not s.hub for s in l.signals)]
    hubs += [(p, len(pv.members[p])) for p in bridges]
    return kept, [(pv.refs[p], n) for p, n in sorted(hubs, key=lambda h: -h[1])]


def collect_pivots_one_by_one(store) -> Pivots:
    """Every storefront's pivots by following its edges in Python (``pivots.collect_pivots`` does it with numpy)."""
    from collections import defaultdict

    from graph.resolution.pivots import PIVOT_TYPES, THROUGH, pivot_kind

    proj = store.projection(node_types=["Storefront", *sorted(set(PIVOT_TYPES) | set(THROUGH))])
    refs: list[NodeRef] = [None] * len(proj.names)  # type: ignore[list-item]
    for ref, i in proj.node_ids.items():
        refs[i] = ref
    types = [r.type for r in refs]
    out: dict[int, list[int]] = defaultdict(list)
    for s, d, _ in proj.edges:
        if types[s] != types[d]:
            out[s].append(d)
    for nexts in out.values():
        nexts.sort(key=lambda i: refs[i])
    kinds = {i: k for i, r in enumerate(refs) if (k := pivot_kind(r)) is not None}
    storefronts = [i for i, t in enumerate(types) if t == "Storefront"]
    reach: dict[int, dict[int, int | None]] = {}
    members: dict[int, set[int]] = defaultdict(set)
    for s in storefronts:
        got: dict[int, int | None] = {}
        for d in out.get(s, ()):
            if d in kinds:
                got[d] = None
        for d in out.get(s, ()):
            if types[d] in THROUGH:
                for p in out.get(d, ()):
                    if p in kinds and p not in got:
                        got[p] = d
        if got:
            reach[s] = got
            for p in got:
                members[p].add(s)
    return Pivots(refs, list(proj.names), storefronts, kinds, reach, {p: sorted(m) for p, m in members.items()})
