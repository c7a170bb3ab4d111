"""Who shares what: the identifier nodes (pivots) each storefront reaches, and how.

A storefront reaches a pivot directly (``PAID_TO``, ``USES_EMAIL``, ``SHIPS_FROM``, ...) or through one node
of its own: its web domain (the domain's registrant, name servers, analytics ids), its seller (the legal
entity's accounts and contacts), a payment account (the e-mail of a PayPal account) or a listing (the account
a listing is paid to). The path is kept: it is part of the explanation of a link.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from graph.records import NodeRef
from graph.store.base import GraphStore

KIND_OF_TYPE = {"PaymentAccount": "payment", "Email": "email", "Seller": "seller", "Domain": "domain",
                "Phone": "phone", "Address": "address"}
INFRA_KINDS = {"ip": "ip", "ns": "nameserver"}  # other Infrastructure (ga:, gtm:, fbpixel:, ...) is analytics
THROUGH = ("Domain", "Seller", "PaymentAccount", "Listing")  # a storefront's own nodes that lead to more pivots
PIVOT_TYPES = (*KIND_OF_TYPE, "Infrastructure")


def pivot_kind(ref: NodeRef) -> str | None:
    if ref.type == "Infrastructure":
        return INFRA_KINDS.get(ref.key.partition(":")[0], "analytics")
    return KIND_OF_TYPE.get(ref.type)


@dataclass
class Pivots:
    """Storefronts and pivots as dense integers (indexes into ``refs``)."""

    refs: list[NodeRef]
    names: list[str | None]
    storefronts: list[int]
    kinds: dict[int, str]  # pivot -> kind
    reach: dict[int, dict[int, int | None]] = field(default_factory=dict)  # storefront -> {pivot: via or None}
    members: dict[int, list[int]] = field(default_factory=dict)  # pivot -> storefronts (sorted)
    # pivot -> how many storefronts of the whole graph reach it, when ``members`` holds only some of them
    # (an incremental run looks at part of the graph; a pivot's weight depends on all who share it)
    sizes: dict[int, int] = field(default_factory=dict)

    def index(self) -> dict[NodeRef, int]:
        return {ref: i for i, ref in enumerate(self.refs)}

    def size(self, p: int) -> int:
        return self.sizes.get(p) or len(self.members[p])


def collect_pivots(store: GraphStore) -> Pivots:
    proj = store.projection(node_types=["Storefront", *sorted(set(PIVOT_TYPES) | set(THROUGH))])
    refs: list[NodeRef] = [None] * len(proj.names)  # type: ignore[list-item]
    for ref, i in proj.node_ids.items():
        refs[i] = ref
    types = [r.type for r in refs]
    out: dict[int, list[int]] = defaultdict(list)
    for s, d, _ in proj.edges:
        if types[s] != types[d]:  # LINKED / JUDGED between storefronts are results, not evidence
            out[s].append(d)
    for nexts in out.values():  # a pivot reached through two of a storefront's nodes: the first by (type, key)
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
    return Pivots(refs, list(proj.names), storefronts, kinds, reach,
                  {p: sorted(m) for p, m in members.items()})
