"""Shared pivots -> scored, explained candidate links between storefronts.

Candidates come only from shared pivots (never all pairs). Each link's score is the noisy-or of its
signals; every signal names its kind, the pivot, its weight, how many storefronts share the pivot and the
path each storefront reaches it by. Name similarity is a weak signal that can only add to a link other
evidence proposed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.fuzz import ratio

from graph.clean.text import fold_text
from graph.records import NodeRef
from graph.resolution.config import Config
from graph.resolution.disjoint import DisjointSets
from graph.resolution.pivots import Pivots

_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Signal:
    kind: str  # a pivot kind, "name" or "judgement"
    label: str
    weight: float
    pivot: NodeRef | None = None
    shared_by: int = 0
    via: tuple[NodeRef | None, NodeRef | None] = (None, None)  # how each storefront reaches the pivot
    hub: bool = False

    def as_json(self) -> dict:
        out = {"kind": self.kind, "weight": round(self.weight, 4)}
        if self.pivot is not None:
            out |= {"pivot": f"{self.pivot.type}:{self.pivot.key}", "shared_by": self.shared_by}
        if any(self.via):
            out["via"] = [f"{v.type}:{v.key}" if v else "" for v in self.via]
        if self.hub:
            out["hub"] = True
        if self.kind in ("name", "judgement"):
            out["label"] = self.label
        return out


@dataclass(frozen=True)
class Link:
    a: NodeRef  # a.key < b.key
    b: NodeRef
    score: float
    band: str
    signals: tuple[Signal, ...]

    def signals_json(self) -> str:
        return json.dumps([s.as_json() for s in self.signals], ensure_ascii=False, sort_keys=True)

    @property
    def pair(self) -> tuple[NodeRef, NodeRef]:
        return self.a, self.b


def noisy_or(weights) -> float:
    miss = 1.0
    for w in weights:
        miss *= 1.0 - w
    return 1.0 - miss


@lru_cache(maxsize=65536)
def _tokens(name: str) -> str:
    return " ".join(sorted(set(_WORD.findall(fold_text(name, 300).casefold()))))


def name_ratio(a: str | None, b: str | None) -> float:
    """0..1 similarity of two display names, ignoring case, punctuation and word order."""
    if not a or not b:
        return 0.0
    ta, tb = _tokens(a), _tokens(b)
    if not ta or not tb:
        return 0.0
    return ratio(ta, tb) / 100.0


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
        else:  # a star through the first member: linking is transitive, scores still use every shared pivot
            anchor = members[0]
            pairs.update((anchor, y) for y in members[1:])
    return pairs, sorted(hubs, key=lambda h: -h[1])


def score_pair(pv: Pivots, cfg: Config, x: int, y: int, bridges: dict[int, int] | None = None) -> Link:
    rx, ry = pv.reach[x], pv.reach[y]
    refs = pv.refs
    signals = []
    for p in sorted(rx.keys() & ry.keys(), key=lambda i: refs[i]):
        kind = cfg.kinds[pv.kinds[p]]
        n = len(pv.members[p])
        weight = 0.0 if bridges and p in bridges else kind.weight_for(n)
        hub = weight == 0.0
        via = (refs[rx[p]] if rx[p] is not None else None, refs[ry[p]] if ry[p] is not None else None)
        label = f"{kind.label} (joins {bridges[p]} groups that other evidence keeps apart)" \
            if bridges and p in bridges else kind.label
        signals.append(Signal(kind.name, label, cfg.hub_weight if hub else weight, refs[p], n, via, hub))
    if any(not s.hub for s in signals):
        ratio = name_ratio(pv.names[x], pv.names[y])
        if ratio >= cfg.name_min_ratio:
            signals.append(Signal("name", f"similar names ({ratio:.2f})", cfg.name_weight))
    signals.sort(key=lambda s: -s.weight)
    score = round(noisy_or(s.weight for s in signals), 4)
    a, b = sorted((refs[x], refs[y]), key=lambda r: r.key)
    return Link(a, b, score, cfg.band(score), tuple(signals))


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
