"""Why a resolver's worst mistakes happened: the identifiers across the boundary it got wrong.

A false merge (a predicted cluster mixing true operators) is explained by the pivots that storefronts of two
or more of its true operators reach: a hub (a warehouse address, an agency mailbox) or a reused fake address;
none means the merge came from names (decoys) or through a storefront the truth does not know (one keyed by
its name only, from a note or an exhibit). A miss (a true operator split over predicted clusters)
is explained by the pivots that reach two or more of its parts: evidence the resolver weighed too low (its
operator's own account, shared widely); none means nothing in evidence joins the parts (beyond the ceiling).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from graph.evaluate import Evaluation, Mistake
from graph.resolution.pivots import Pivots


def _across(pv: Pivots, index: Mapping[str, int], mistake: Mistake, limit: int = 2) -> str:
    """The pivots reaching two or more sides of a mistake, most widely shared first."""
    sides: dict[int, set[str]] = defaultdict(set)
    for key, side in mistake.members:
        for p in pv.reach.get(index.get(key, -1), {}):
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


def merge_causes(pv: Pivots, truth: Mapping[str, str], predicted: Mapping[str, str],
                 hub_size: int = 25) -> dict[str, int]:
    """Wrongly merged storefronts (those not in their cluster's majority operator) by the widest evidence
    joining them to the majority: a pivot of more than ``hub_size`` storefronts, a smaller one, or none."""
    index = {pv.refs[s].key: s for s in pv.storefronts}
    groups: dict[str, list[str]] = defaultdict(list)
    for key in truth:
        if key in predicted:
            groups[predicted[key]].append(key)
    causes = {"hub-sized identifier": 0, "rarer identifier": 0, "no shared identifier": 0}
    for keys in groups.values():
        ops: dict[str, list[str]] = defaultdict(list)
        for k in keys:
            ops[truth[k]].append(k)
        if len(ops) < 2:
            continue
        major = max(ops.values(), key=len)
        major_pivots = {p for k in major for p in pv.reach.get(index.get(k, -1), {})}
        for op_keys in ops.values():
            if op_keys is major:
                continue
            for k in op_keys:
                common = [len(pv.members[p]) for p in pv.reach.get(index.get(k, -1), {}) if p in major_pivots]
                cause = ("no shared identifier" if not common else
                         "hub-sized identifier" if max(common) > hub_size else "rarer identifier")
                causes[cause] += 1
    return causes
