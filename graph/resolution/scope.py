"""The part of the graph an incremental run must look at, read around some storefronts.

``Around`` reads, on demand and in batches, what a storefront reaches (as ``pivots.collect_pivots`` does
over the whole graph: an identifier directly, or through one node of its own) and who reaches a pivot (all
storefronts of the graph, so a pivot's rarity is the same as in a full run). ``widen`` grows a set of
changed storefronts until what is outside it cannot change: see its docstring for the rules.
"""

from __future__ import annotations

from collections import defaultdict

from graph.records import NodeRef
from graph.resolution.config import Config
from graph.resolution.pivots import PIVOT_TYPES, THROUGH, Pivots, pivot_kind
from graph.store.base import GraphStore

STOREFRONT = "Storefront"


class Around:
    def __init__(self, store: GraphStore):
        self.store = store
        self.reach: dict[NodeRef, dict[NodeRef, NodeRef | None]] = {}  # storefront -> {pivot: via}
        self.members: dict[NodeRef, set[NodeRef]] = {}  # pivot -> every storefront that reaches it
        self._onward: dict[NodeRef, list[NodeRef]] = {}  # a storefront's own node -> pivots it leads to

    def read_reach(self, storefronts) -> None:
        todo = [s for s in storefronts if s not in self.reach]
        if not todo:
            return
        mine = set(todo)
        out: dict[NodeRef, list[NodeRef]] = defaultdict(list)
        for src, _, dst in self.store.edges_touching(todo, [*PIVOT_TYPES, *THROUGH]):
            if src in mine and dst.type != STOREFRONT:
                out[src].append(dst)
        through = {d for ds in out.values() for d in ds if d.type in THROUGH and d not in self._onward}
        onward: dict[NodeRef, list[NodeRef]] = defaultdict(list)
        for src, _, dst in self.store.edges_touching(through, PIVOT_TYPES) if through else ():
            if src in through and src.type != dst.type and pivot_kind(dst) is not None:
                onward[src].append(dst)
        self._onward.update({t: sorted(onward.get(t, ())) for t in through})
        for s in todo:  # the same choices as collect_pivots: direct first, then via the first node by (type, key)
            nexts = sorted(set(out.get(s, ())))
            got: dict[NodeRef, NodeRef | None] = {d: None for d in nexts if pivot_kind(d) is not None}
            for d in nexts:
                if d.type in THROUGH:
                    for p in self._onward[d]:
                        got.setdefault(p, d)
            self.reach[s] = got

    def read_members(self, pivots) -> None:
        todo = [p for p in pivots if p not in self.members]
        if not todo:
            return
        mine = set(todo)
        direct: dict[NodeRef, set[NodeRef]] = defaultdict(set)
        via: dict[NodeRef, set[NodeRef]] = defaultdict(set)  # own node -> pivots
        for src, _, dst in self.store.edges_touching(todo, [STOREFRONT, *THROUGH]):
            if dst in mine and src.type != dst.type:
                if src.type == STOREFRONT:
                    direct[dst].add(src)
                else:
                    via[src].add(dst)
        owners: dict[NodeRef, set[NodeRef]] = defaultdict(set)
        for src, _, dst in self.store.edges_touching(via, [STOREFRONT]) if via else ():
            if dst in via and src.type == STOREFRONT:
                owners[dst].add(src)
        for p in todo:
            self.members[p] = set(direct.get(p, ()))
        for t, ps in via.items():
            for p in ps:
                self.members[p] |= owners.get(t, set())


def previous_operators(store: GraphStore, storefronts) -> dict[NodeRef, NodeRef]:
    """storefront -> the operator the last run put it in (for those of ``storefronts`` in one)."""
    return {dst: src for src, etype, dst in store.edges_touching(storefronts, ["Operator"])
            if etype == "CONTROLS" and dst.type == STOREFRONT}


def widen(around: Around, seeds: set[NodeRef], cfg: Config, members_of_operator, limit: int) -> set[NodeRef] | None:
    """The storefronts whose links or operators may differ from the last run's, given that ``seeds`` (and only
    they) reach other pivots than before. Everything outside the result keeps its links and operator.

    - every storefront sharing a non-hub pivot with a seed (that pivot's rarity, so its weight, changed);
    - every storefront of a pivot big enough to be a bridge or a star (``bridge.min_shared``: who else shares
      it decides how it counts; a hub never counts, so hubs add nobody);
    - every member of the last run's operator of any storefront taken in (its operator is recomputed whole).
    Repeated until nothing is added; None when more than ``limit`` storefronts would be looked at (a full run
    is cheaper then)."""
    scope = set(seeds)
    frontier = set(seeds)
    while frontier:
        around.read_reach(frontier)
        pivots = {p for s in frontier for p in around.reach[s]}
        around.read_members(pivots)
        add: set[NodeRef] = set()
        for p in pivots:
            kind = cfg.kinds[pivot_kind(p)]
            members = around.members[p]
            n = len(members)
            changed = len(members & seeds)  # at most this many joined since the last run
            if (changed and n - changed <= kind.hub) or cfg.bridge_min_shared <= n <= kind.hub:
                add |= members
        add |= members_of_operator(frontier | add)
        frontier = add - scope
        scope |= frontier
        if len(scope) > limit:
            return None
    return scope


def scoped_pivots(around: Around, scope: set[NodeRef], names: dict[NodeRef, str | None]) -> Pivots:
    """``Pivots`` of the storefronts in ``scope``: members restricted to them, sizes counted over the graph."""
    around.read_reach(scope)
    sfs = sorted(scope, key=lambda r: r.key)
    pivots = sorted({p for s in sfs for p in around.reach[s]})
    around.read_members(pivots)
    vias = sorted({v for s in sfs for v in around.reach[s].values() if v is not None} - set(pivots))
    refs = [*sfs, *pivots, *vias]
    index = {r: i for i, r in enumerate(refs)}
    reach = {index[s]: {index[p]: (index[v] if v is not None else None) for p, v in around.reach[s].items()}
             for s in sfs if around.reach[s]}
    members: dict[int, list[int]] = defaultdict(list)
    for s, got in reach.items():
        for p in got:
            members[p].append(s)
    return Pivots(refs, [names.get(r) for r in refs], list(range(len(sfs))),
                  {index[p]: pivot_kind(p) for p in pivots}, reach, {p: sorted(m) for p, m in members.items()},
                  {index[p]: len(around.members[p]) for p in pivots})
