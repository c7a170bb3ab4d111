"""Whole-graph link scoring with sparse matrices (scipy): the same links, scores and bands as scoring one
pair at a time (``scoring.score_pair``), at millions of storefronts.

Storefronts and pivots become rows and columns of an incidence matrix. Candidate pairs are the pattern of
``B_smallᵀ·B_small`` over pivots shared by at most ``pair_limit`` storefronts, plus a star through the first
storefront of each larger (non-hub) pivot. A pair's noisy-or score is ``1 - exp(Σ log(1 - w))`` over the
pivots both reach: the main pivots' sum is one sparse product sampled at the candidates, hubs (too widely
shared to multiply out) are counted per pair from the two storefronts' short hub lists. Only the links that
are written or explained are turned into ``Link`` objects (``LinkTable.link``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import chain

import numpy as np
from rapidfuzz.fuzz import ratio
from rapidfuzz.process import cpdist
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from graph.records import NodeRef
from graph.resolution.arrays import unique_ints
from graph.resolution.clusters import apply_judgements
from graph.resolution.config import Config
from graph.resolution.judgements import Judgement
from graph.resolution.pivots import Pivots
from graph.resolution.scoring import Link, _tokens, round_scores, score_pair

BANDS = ("rejected", "review", "accepted")
CHUNK = 1 << 20  # candidate pairs per block when gathering rows


@dataclass
class LinkTable:
    """Every candidate link that has evidence beyond hubs, and the judged ones: storefront positions
    (``x`` the smaller key, as ``Link.a``), rounded score and band (0 rejected, 1 review, 2 accepted)."""

    pv: Pivots
    cfg: Config
    x: np.ndarray
    y: np.ndarray
    score: np.ndarray
    band: np.ndarray
    bridges: dict[int, int] = field(default_factory=dict)  # pivot (pv index) -> groups it bridges
    hubs: list[tuple[NodeRef, int]] = field(default_factory=list)
    rank: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # storefront position -> key order
    judged: dict[int, Judgement] = field(default_factory=dict)  # link index -> the verdict in force
    candidates: int = 0  # links from 0 to here were scored; later ones exist only by a "same" judgement

    def __len__(self) -> int:
        return len(self.x)

    def ref(self, pos: int) -> NodeRef:
        return self.pv.refs[self.pv.storefronts[pos]]

    def link(self, i: int) -> Link:
        """The explained link ``i`` (its signals, each with the pivot, weight, sharing count and path)."""
        sf = self.pv.storefronts
        a, b = sf[int(self.x[i])], sf[int(self.y[i])]
        scored = [score_pair(self.pv, self.cfg, a, b, self.bridges or None)] if i < self.candidates else []
        j = self.judged.get(i)
        if j is None:
            return scored[0]
        return apply_judgements(scored, {(self.pv.refs[a], self.pv.refs[b]): j})[0]

    def links(self) -> list[Link]:
        """All of them explained (slow at scale: for tests and small cases)."""
        return [self.link(i) for i in range(len(self))]

    def position(self, ref: NodeRef) -> int | None:
        if not hasattr(self, "_pos"):
            self._pos = {self.pv.refs[s]: i for i, s in enumerate(self.pv.storefronts)}
        return self._pos.get(ref)

    def apply_judgements(self, judged: dict[tuple[NodeRef, NodeRef], Judgement]) -> None:
        """Verdicts in force override scores: "same" accepts (score 1, added if no evidence proposed the
        pair), "different" rejects; "unsure" changes nothing."""
        S = len(self.pv.storefronts)
        code = np.minimum(self.x, self.y) * S + np.maximum(self.x, self.y)
        where = {int(c): i for i, c in enumerate(code)} if judged else {}
        extra = []
        for (a, b), j in sorted(judged.items(), key=lambda kv: (kv[0][0].key, kv[0][1].key)):
            pa, pb = self.position(a), self.position(b)
            if pa is None or pb is None or j.verdict == "unsure":
                continue
            i = where.get(min(pa, pb) * S + max(pa, pb))
            if i is None:
                if j.verdict == "same":
                    extra.append((pa, pb, j))
                continue
            self.judged[i] = j
            self.score[i], self.band[i] = (1.0, 2) if j.verdict == "same" else (0.0, 0)
        if extra:
            n = len(self.x)
            self.x = np.concatenate([self.x, [e[0] for e in extra]]).astype(np.int64)
            self.y = np.concatenate([self.y, [e[1] for e in extra]]).astype(np.int64)
            self.score = np.concatenate([self.score, np.ones(len(extra))])
            self.band = np.concatenate([self.band, np.full(len(extra), 2, np.int8)])
            self.judged.update({n + k: e[2] for k, e in enumerate(extra)})

    def count(self, band: str) -> int:
        return int(np.count_nonzero(self.band == BANDS.index(band)))


def _weights(pv: Pivots, cfg: Config, piv: list[int], sizes: np.ndarray) -> np.ndarray:
    """weight_for(shared_by) of every pivot, vectorised per kind (0 for hubs)."""
    names = sorted(cfg.kinds)
    kind_of = {k: i for i, k in enumerate(names)}
    kidx = np.fromiter((kind_of[pv.kinds[p]] for p in piv), np.int32, count=len(piv))
    weight, typical, hub, floor = (np.array([getattr(cfg.kinds[k], a) for k in names], float)[kidx]
                                   for a in ("weight", "typical", "hub", "floor"))
    n = sizes.astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        fall = np.log(n / typical) / np.log(hub / typical)
    w = np.where(n <= typical, weight, weight * (1 - (1 - floor) * fall))
    w[n > hub] = 0.0
    return w


def _sample(m: sparse.csr_matrix, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """m[x[i], y[i]] for every i (0 where m has no entry)."""
    out = np.empty(len(x))
    for s in range(0, len(x), CHUNK):
        out[s:s + CHUNK] = np.asarray(m[x[s:s + CHUNK], y[s:s + CHUNK]]).ravel()
    return out


def _common(h: sparse.csr_matrix, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """How many columns rows x[i] and y[i] of the binary matrix h share."""
    out = np.zeros(len(x))
    if h.nnz == 0:
        return out
    for s in range(0, len(x), CHUNK):
        out[s:s + CHUNK] = np.asarray(h[x[s:s + CHUNK]].multiply(h[y[s:s + CHUNK]]).sum(axis=1)).ravel()
    return out


def name_ratios(pv: Pivots, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Name similarity 0..1 of each pair (as ``scoring.name_ratio``: word sets, case and punctuation folded)."""
    names = pv.names
    sf = pv.storefronts
    used = unique_ints(np.concatenate([x, y]))
    tok = np.full(len(sf), "", dtype=object)
    tok[used] = [_tokens(names[sf[i]]) if names[sf[i]] else "" for i in used]
    ta, tb = tok[x], tok[y]
    out = np.zeros(len(x))
    ok = (ta != "") & (tb != "")
    if ok.any():
        out[ok] = cpdist(list(ta[ok]), list(tb[ok]), scorer=ratio, workers=1) / 100.0
    return out


def score_table(pv: Pivots, cfg: Config) -> LinkTable:
    """All candidate links with scores and bands, the bridges and the hubs (see the module docstring)."""
    S = len(pv.storefronts)
    pos = np.full(len(pv.refs), -1, dtype=np.int64)
    pos[np.asarray(pv.storefronts, dtype=np.int64)] = np.arange(S)
    piv = list(pv.members)
    P = len(piv)
    local = np.fromiter((len(pv.members[p]) for p in piv), np.int64, count=P)  # members looked at
    sizes = np.fromiter((pv.size(p) for p in piv), np.int64, count=P)  # ... of all in the graph
    rows = pos[np.fromiter(chain.from_iterable(pv.members[p] for p in piv), np.int64, count=int(local.sum()))]
    cols = np.repeat(np.arange(P), local)
    # key order of the storefronts: every choice below that needs an order takes it, so a run over part
    # of the graph (incremental) picks what a run over all of it picks
    keys = [pv.refs[i].key for i in pv.storefronts]
    order = np.argsort(np.array(keys, dtype=object), kind="stable")
    rank = np.empty(S, np.int64)
    rank[order] = np.arange(S)
    w = _weights(pv, cfg, piv, sizes)
    hub = w == 0.0
    shared = sizes >= 2

    def incidence(mask: np.ndarray, data: np.ndarray | None = None) -> sparse.csr_matrix:
        keep = mask[cols]
        vals = np.ones(int(keep.sum())) if data is None else data[cols[keep]]
        return sparse.csr_matrix((vals, (rows[keep], cols[keep])), shape=(S, P))

    # candidates: all pairs within small pivots, a star within larger ones
    small = shared & ~hub & (sizes <= cfg.pair_limit)
    b_small = incidence(small)
    pairs = sparse.triu(b_small @ b_small.T, k=1).tocoo()
    xs, ys = [pairs.row.astype(np.int64)], [pairs.col.astype(np.int64)]
    star = np.flatnonzero(shared & ~hub & (sizes > cfg.pair_limit))
    for p in star:
        ms = pos[np.asarray(pv.members[piv[p]], dtype=np.int64)]
        hub_of_star = ms[np.argmin(rank[ms])]  # the first storefront in key order
        xs.append(np.full(len(ms) - 1, hub_of_star))
        ys.append(ms[ms != hub_of_star])
    x, y = np.concatenate(xs), np.concatenate(ys)
    x, y = np.minimum(x, y), np.maximum(x, y)
    code = unique_ints(x * S + y)
    x, y = code // S, code % S

    # bridges: pivots whose storefronts fall into many groups that rare evidence alone already forms
    logw = np.log1p(-np.minimum(w, 1.0 - 1e-12))
    rare = shared & ~hub & (sizes < cfg.bridge_min_shared)
    r_main = incidence(rare, logw)
    s_rare = _sample(r_main @ incidence(rare).T, x, y) if len(x) else np.zeros(0)
    bridges: dict[int, int] = {}
    together = np.round(-np.expm1(s_rare), 9) >= cfg.accept
    if together.any():
        g = sparse.coo_matrix((np.ones(int(together.sum())), (x[together], y[together])), shape=(S, S))
        _, label = connected_components(g, directed=False)
        grouped = np.zeros(S, bool)
        grouped[x[together]] = grouped[y[together]] = True
        cand = shared & ~hub & (sizes >= cfg.bridge_min_shared)
        keep = cand[cols] & grouped[rows]
        pairs_pl = unique_ints(cols[keep] * np.int64(S) + label[rows[keep]])
        groups = np.bincount(pairs_pl // S, minlength=P)
        for p in np.flatnonzero(groups >= cfg.bridge_groups):
            bridges[piv[p]] = int(groups[p])
    is_bridge = np.zeros(P, bool)
    is_bridge[[i for i, p in enumerate(piv) if p in bridges]] = True

    # scores: main pivots (sparse product sampled at the candidates) + hubs and bridges counted per pair
    main = shared & ~hub & ~is_bridge
    s_main = _sample(incidence(main, logw) @ incidence(main).T, x, y) if len(x) else np.zeros(0)
    keep = s_main < 0
    x, y, s_main = x[keep], y[keep], s_main[keep]
    weak = shared & (hub | is_bridge)
    s_hub = _common(incidence(weak), x, y) * np.log1p(-cfg.hub_weight)
    named = name_ratios(pv, x, y) >= cfg.name_min_ratio
    s = s_main + s_hub + named * np.log1p(-cfg.name_weight)
    score = round_scores(-np.expm1(s))
    band = np.where(score >= cfg.accept, 2, np.where(score >= cfg.review, 1, 0)).astype(np.int8)

    # a/b in key order, as Link has them
    swap = rank[x] > rank[y]
    x, y = np.where(swap, y, x), np.where(swap, x, y)
    hubs = [(piv[p], int(sizes[p])) for p in np.flatnonzero(shared & hub)]
    hubs += [(p, pv.size(p)) for p in bridges]
    hubs.sort(key=lambda h: -h[1])
    return LinkTable(pv, cfg, x, y, score, band, bridges, [(pv.refs[p], n) for p, n in hubs], rank,
                     candidates=len(x))
