"""Who shares what: the identifier nodes (pivots) each storefront reaches, and how.

A storefront reaches a pivot directly (``PAID_TO``, ``USES_EMAIL``, ``SHIPS_FROM``, ...) or through one node
of its own: its web domain (the domain's registrant, name servers, analytics ids), its seller (the legal
entity's accounts and contacts), a payment account (the e-mail of a PayPal account) or a listing (the account
a listing is paid to). The path is kept: it is part of the explanation of a link.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from graph.records import NodeRef
from graph.resolution.arrays import isin_ints, unique_ints
from graph.store.base import GraphStore

KIND_OF_TYPE = {"PaymentAccount": "payment", "Email": "email", "Seller": "seller", "Domain": "domain",
                "Phone": "phone", "Address": "address"}
INFRA_KINDS = {"ip": "ip", "ns": "nameserver"}  # other Infrastructure (ga:, gtm:, fbpixel:, ...) is analytics
THROUGH = ("Domain", "Seller", "PaymentAccount", "Listing")  # a storefront's own nodes that lead to more pivots
PIVOT_TYPES = (*KIND_OF_TYPE, "Infrastructure")
KINDS = (*KIND_OF_TYPE.values(), *INFRA_KINDS.values(), "analytics")


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


def _kinds(refs: list[NodeRef], types: np.ndarray, names: list[str]) -> np.ndarray:
    """Pivot kind of every node as an index into KINDS (-1: not a pivot)."""
    code = {k: i for i, k in enumerate(KINDS)}
    by_type = np.array([code.get(KIND_OF_TYPE.get(t, ""), -1) for t in names], np.int16)
    out = by_type[types]
    infra = names.index("Infrastructure") if "Infrastructure" in names else -1
    for i in np.flatnonzero(types == infra).tolist():
        out[i] = code[pivot_kind(refs[i])]
    return out


def collect_pivots(store: GraphStore) -> Pivots:
    """Every storefront's pivots over the whole graph, with numpy over the store's arrays (the same result as
    following each storefront's edges; ``tests/resolution/reference.py`` keeps that version as the oracle)."""
    ap = store.array_projection(["Storefront", *sorted(set(PIVOT_TYPES) | set(THROUGH))])
    refs, n = ap.refs, len(ap.refs)
    names = sorted({r.type for r in refs})
    tcode = {t: i for i, t in enumerate(names)}
    types = np.fromiter((tcode[r.type] for r in refs), np.int16, count=n)
    kind = _kinds(refs, types, names) if n else np.zeros(0, np.int16)
    is_pivot = kind >= 0
    is_sf = types == tcode.get("Storefront", -1)
    is_through = np.isin(types, [tcode[t] for t in THROUGH if t in tcode])
    src, dst = ap.src, ap.dst
    keep = types[src] != types[dst]  # LINKED / JUDGED between storefronts are results, not evidence
    src, dst = src[keep], dst[keep]
    direct = unique_ints((src * n + dst)[is_sf[src] & is_pivot[dst]])
    # through one of the storefront's own nodes: (storefront, node) joined with (node, pivot)
    a = is_sf[src] & is_through[dst]
    b = is_through[src] & is_pivot[dst]
    a_s, a_t = src[a], dst[a]
    order = np.argsort(src[b], kind="stable")
    b_t, b_p = src[b][order], dst[b][order]
    lo, hi = np.searchsorted(b_t, a_t, "left"), np.searchsorted(b_t, a_t, "right")
    reps = hi - lo
    v_s, v_t = np.repeat(a_s, reps), np.repeat(a_t, reps)
    v_p = b_p[np.repeat(lo, reps) + (np.arange(int(reps.sum())) - np.repeat(np.cumsum(reps) - reps, reps))]
    v_code = v_s * n + v_p
    fresh = ~isin_ints(v_code, direct)
    v_code, v_t = v_code[fresh], v_t[fresh]
    # a pivot reached through two of a storefront's nodes: the first by (type, key)
    through = unique_ints(v_t)
    t_rank = np.zeros(n, np.int64)
    order_keys = np.array([f"{refs[i].type}\x00{refs[i].key}" for i in through.tolist()], dtype=object)
    t_rank[through] = np.argsort(np.argsort(order_keys, kind="stable"), kind="stable")
    pick = np.lexsort((t_rank[v_t], v_code))
    v_code, v_t = v_code[pick], v_t[pick]
    first = np.ones(len(v_code), bool)
    first[1:] = v_code[1:] != v_code[:-1]
    v_code, v_t = v_code[first], v_t[first]
    codes = np.concatenate([direct, v_code])
    vias = np.concatenate([np.full(len(direct), -1, np.int64), v_t])
    s_all, p_all = codes // n, codes % n
    by_s = np.lexsort((p_all, s_all))
    reach: dict[int, dict[int, int | None]] = {}
    s_list, p_list, v_list = s_all[by_s].tolist(), p_all[by_s].tolist(), vias[by_s].tolist()
    for s_, p_, v_ in zip(s_list, p_list, v_list):
        got = reach.get(s_)
        if got is None:
            got = reach[s_] = {}
        got[p_] = None if v_ < 0 else v_
    by_p = np.lexsort((s_all, p_all))
    p_sorted, s_sorted = p_all[by_p], s_all[by_p]
    bounds = [0, *(np.flatnonzero(np.diff(p_sorted)) + 1).tolist(), len(p_sorted)]
    p_list, s_list = p_sorted.tolist(), s_sorted.tolist()
    members = {p_list[a]: s_list[a:b] for a, b in zip(bounds, bounds[1:]) if b > a}
    kinds = {int(i): KINDS[k] for i, k in zip(np.flatnonzero(is_pivot).tolist(), kind[is_pivot].tolist())}
    return Pivots(refs, ap.names, np.flatnonzero(is_sf).tolist(), kinds, reach, members)
