"""Accepted links -> operators. Judgements override scores; "different" splits along the weakest links;
operator ids stay stable across runs."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Container, Sequence
from dataclasses import dataclass, field
from typing import Any

from graph.records import NodeRef
from graph.resolution.disjoint import DisjointSets
from graph.resolution.judgements import Judgement
from graph.resolution.scoring import Link, Signal

JUDGED_CAPACITY = 1000.0  # a "same" judgement is cut only when judgements contradict each other


@dataclass(frozen=True)
class Split:
    """A "different" judgement that separated two storefronts the links had joined."""

    judgement: Judgement
    removed: tuple[Link, ...]  # the weakest links between them, cut


@dataclass
class Operator:
    id: str
    members: list[NodeRef]
    created: str
    since: dict[NodeRef, str] = field(default_factory=dict)
    confidence: dict[NodeRef, float] = field(default_factory=dict)
    tree: Sequence[int] = ()  # the strongest accepted links that connect the members (rows of ``table``)
    table: Any = None  # the run's LinkTable

    @property
    def links(self) -> list[Link]:
        """The tree's links, explained (one at a time: for the few that are shown)."""
        return [self.table.link(int(i)) for i in self.tree]


@dataclass(frozen=True)
class Previous:
    """The last run's result: operator id -> members, and when each was created / joined."""

    members: dict[str, frozenset[NodeRef]]
    created: dict[str, str]
    since: dict[tuple[str, NodeRef], str]


def apply_judgements(links: list[Link], judged: dict[tuple[NodeRef, NodeRef], Judgement]) -> list[Link]:
    """Links with the verdicts in force applied: "same" accepts (score 1), "different" rejects."""
    out, seen = [], set()
    for link in links:
        j = judged.get(link.pair)
        seen.add(link.pair)
        if j is None or j.verdict == "unsure":
            out.append(link)
            continue
        sig = Signal("judgement", f"judged {j.verdict} by {j.who} at {j.at}", 1.0)
        out.append(Link(link.a, link.b, 1.0 if j.verdict == "same" else 0.0,
                        "accepted" if j.verdict == "same" else "rejected", (sig, *link.signals)))
    for pair, j in sorted(judged.items(), key=lambda kv: (kv[0][0].key, kv[0][1].key)):
        if pair not in seen and j.verdict == "same":
            out.append(Link(*pair, 1.0, "accepted", (Signal("judgement", f"judged same by {j.who} at {j.at}", 1.0),)))
    return out


def _components(nodes: set[NodeRef], links: list[Link]) -> list[set[NodeRef]]:
    sets = DisjointSets(nodes)
    for link in links:
        sets.union(link.a, link.b)
    return sets.groups()


def cluster(links: list[Link],
            judged: dict[tuple[NodeRef, NodeRef], Judgement]) -> tuple[list[set[NodeRef]], list[Split]]:
    """Groups of storefronts over accepted links, with every "different" judgement honoured."""
    accepted = [l for l in links if l.band == "accepted"]
    linked = {n for l in accepted for n in l.pair}
    groups = _components(linked, accepted)
    splits = []
    apart = [j for j in judged.values() if j.verdict == "different"]
    for _ in range(len(apart) + 1):
        where = {n: i for i, g in enumerate(groups) for n in g}
        todo = [j for j in apart if j.a in where and where.get(j.a) == where.get(j.b)]
        if not todo:
            break
        j = todo[0]
        group = groups[where[j.a]]
        inside = [l for l in accepted if l.a in group and l.b in group]
        cut = _weakest_cut(inside, j.a, j.b)
        splits.append(Split(j, tuple(sorted(cut, key=lambda l: (l.score, l.a.key, l.b.key)))))
        removed = {l.pair for l in cut}
        accepted = [l for l in accepted if l.pair not in removed]
        groups = [g for g in groups if g is not group] + _components(group, [l for l in inside if l.pair not in removed])
    return [g for g in groups if len(g) > 1], splits


def _weakest_cut(links: list[Link], a: NodeRef, b: NodeRef) -> list[Link]:
    """The links of least total score whose removal separates a from b (a minimum cut)."""
    import networkx as nx

    g = nx.Graph()
    for l in links:
        cap = JUDGED_CAPACITY if l.signals and l.signals[0].kind == "judgement" else l.score
        g.add_edge(l.a, l.b, capacity=cap, link=l)
    _, (side_a, _) = nx.minimum_cut(g, a, b)
    return [d["link"] for u, v, d in g.edges(data=True) if (u in side_a) != (v in side_a)]


def strongest_tree(links: list[Link]) -> list[Link]:
    """A maximum spanning forest: the fewest links that connect what ``links`` connect, strongest first.
    Between any two members its path is the chain whose weakest link is as strong as possible - the chain of
    proof the explanation shows."""
    sets = DisjointSets()
    return [l for l in sorted(links, key=lambda l: (-l.score, l.a.key, l.b.key)) if sets.union(l.a, l.b)]


def _new_id(members: list[NodeRef], taken: Container[str]) -> str:
    seed = min(m.key for m in members)
    for n in range(1000):
        op = "op-" + hashlib.sha1(f"{seed}#{n}".encode() if n else seed.encode()).hexdigest()[:10]
        if op not in taken:
            return op
    raise RuntimeError("no free operator id")  # pragma: no cover - 1000 collisions of 40 bits


def singleton_id(ref: NodeRef) -> str:
    """The id a storefront that belongs to no operator is exported under (the id it would found)."""
    return _new_id([ref], set())


class _Taken:
    """Ids in use: a set, and ids known elsewhere (an incremental run asks the store)."""

    def __init__(self, ids: set[str], elsewhere: Container[str]):
        self.ids, self.elsewhere = ids, elsewhere

    def __contains__(self, op: object) -> bool:
        return op in self.ids or op in self.elsewhere

    def add(self, op: str) -> None:
        self.ids.add(op)


def assign_ids(groups: list[list[NodeRef]], trees: list[Sequence[int]], best: dict[NodeRef, float],
               previous: Previous, now: str, taken_ids: Container[str] = frozenset(), table: Any = None
               ) -> list[Operator]:
    """Operators with stable ids: a group keeps the id of the previous operator whose core (more than half of
    its members) it contains; largest overlaps are matched first. Other groups get a new id, never one in
    ``previous`` or ``taken_ids`` (operators outside an incremental run's scope)."""
    owner = {m: op for op, ms in previous.members.items() for m in ms}
    overlaps = []
    for gi, g in enumerate(groups):
        counts: dict[str, int] = defaultdict(int)
        for m in g:
            if m in owner:
                counts[owner[m]] += 1
        for op, c in counts.items():
            if 2 * c > len(previous.members[op]):
                overlaps.append((-c, previous.created.get(op, ""), op, gi))
    ids: dict[int, str] = {}
    used: set[str] = set()
    for _, _, op, gi in sorted(overlaps):
        if gi not in ids and op not in used:
            ids[gi] = op
            used.add(op)
    taken = _Taken(used | set(previous.members), taken_ids)
    operators = []
    for gi, g in enumerate(groups):
        members = sorted(g, key=lambda r: r.key)
        op = ids.get(gi)
        if op is None:
            op = _new_id(members, taken)
            taken.add(op)
        created = previous.created.get(op, now) if gi in ids else now
        since = {m: previous.since.get((op, m), now) if gi in ids else now for m in members}
        operators.append(Operator(op, members, created, since, {m: best.get(m, 0.0) for m in members}, trees[gi],
                                  table))
    operators.sort(key=lambda o: (-len(o.members), o.id))
    return operators
