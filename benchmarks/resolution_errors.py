"""Why a resolver's worst mistakes happened: the identifiers across the boundary it got wrong.

A false merge (a predicted cluster mixing true operators) is explained by the pivots that storefronts of two
or more of its true operators reach: a hub (a warehouse address, an agency mailbox) or a reused fake address;
none means the merge came from names (decoys) or through a storefront the truth does not know (one keyed by
its name only, from a note or an exhibit). A miss (a true operator split over predicted clusters)
is explained by the pivots that reach two or more of its parts: evidence the resolver weighed too low (its
operator's own account, shared widely); none means nothing in evidence joins the parts directly (a chain
through other storefronts, or nothing: beyond the ceiling). Name servers are left out (every web shop of a
DNS host shares them).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from graph.evaluate import Evaluation, Mistake
from graph.resolution.pivots import Pivots

HUB_SIZE = 25                  # "hub-sized": a pivot held by more storefronts than this
IGNORED_KINDS = {"nameserver"}  # a DNS host's name servers are shared by every web shop it hosts: no evidence
CAUSES = ("no shared identifier", f"identifier of > {HUB_SIZE}", f"identifier of <= {HUB_SIZE}")


def _pivots(pv: Pivots, index: Mapping[str, int], key: str) -> list[int]:
    return [p for p in pv.reach.get(index.get(key, -1), {}) if pv.kinds[p] not in IGNORED_KINDS]


def _across(pv: Pivots, index: Mapping[str, int], mistake: Mistake, limit: int = 2) -> str:
    """The pivots reaching two or more sides of a mistake, most widely shared first."""
    sides: dict[int, set[str]] = defaultdict(set)
    for key, side in mistake.members:
        for p in _pivots(pv, index, key):
            sides[p].add(side)
    shared = sorted(((len(pv.members[p]), pv.kinds[p]) for p, s in sides.items() if len(s) > 1), reverse=True)
    if not shared:
        return "none among the truth's storefronts (a name, or a storefront the truth does not know)"
    text = ", ".join(f"{kind} of {n}" for n, kind in shared[:limit])
    return text + (f" (+{len(shared) - limit})" if len(shared) > limit else "")


def mistake_rows(name: str, pv: Pivots, result: Evaluation, worst: int = 3) -> list[tuple[str, ...]]:
    """Table rows: the worst false merges and misses of one resolver, with the evidence across them."""
    index = {pv.refs[s].key: s for s in pv.storefronts}
    rows = []
    for label, mistakes, what in (("false merge", result.false_merges, "operators"),
                                  ("miss", result.misses, "clusters")):
        for m in mistakes[:worst]:
            rows.append((name, label, f"{m.size} storefronts, {m.spread} {what}", _across(pv, index, m)))
    return rows


def boundary_causes(pv: Pivots, group_of: Mapping[str, str], side_of: Mapping[str, str],
                    hub_size: int = HUB_SIZE) -> dict[str, int]:
    """Storefronts on the wrong side of a boundary, by the widest identifier joining them across it.

    Storefronts are grouped by ``group_of`` and split within a group by ``side_of``; those outside their
    group's largest side count, each under the widest pivot it shares with that side: more than
    ``hub_size`` storefronts, fewer, or none. With groups = predicted clusters and sides = true operators,
    these are the wrongly merged storefronts; swapped, the missed ones.
    """
    index = {pv.refs[s].key: s for s in pv.storefronts}
    groups: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for key, group in group_of.items():
        groups[group][side_of[key]].append(key)
    causes = dict.fromkeys(CAUSES, 0)
    for sides in groups.values():
        if len(sides) < 2:
            continue
        major = max(sides.values(), key=len)
        major_pivots = {p for k in major for p in _pivots(pv, index, k)}
        for keys in sides.values():
            if keys is major:
                continue
            for k in keys:
                common = [len(pv.members[p]) for p in _pivots(pv, index, k) if p in major_pivots]
                causes[CAUSES[0] if not common else CAUSES[1] if max(common) > hub_size else CAUSES[2]] += 1
    return causes


def cause_rows(name: str, pv: Pivots, truth: Mapping[str, str], predicted: Mapping[str, str]) -> list[tuple]:
    """Table rows: wrongly merged and missed storefronts of one resolver, by cause."""
    pred = {k: predicted.get(k, f"(singleton) {k}") for k in truth}
    merged, missed = boundary_causes(pv, pred, truth), boundary_causes(pv, truth, pred)
    return [(name, "wrongly merged", *(f"{merged[c]:,}" for c in CAUSES)),
            (name, "missed", *(f"{missed[c]:,}" for c in CAUSES))]
