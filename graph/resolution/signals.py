"""The explanation of many links at once: the ``signals`` JSON ``scoring.score_pair`` would give each link,
character for character, without a ``Link`` object per link (a full run writes about 1.3 per storefront).

A link's signals are the pivots both storefronts reach (sparse rows multiplied), each with its kind, weight,
sharing count and the path each side reaches it by, then a name signal when the names are close; the
strongest first. Everything but the path is the same for every link through a pivot, so each pivot's JSON
is made once. Judged links are explained one by one (``LinkTable.link``): there are few.
"""

from __future__ import annotations

import json

import numpy as np
from scipy import sparse

from graph.resolution.vectors import LinkTable, name_ratios

CHUNK = 1 << 18


def _dump(value) -> str:
    return json.dumps(value, ensure_ascii=False)


class _Fragments:
    """What every link through a pivot shares, made once per table: each pivot's JSON before and after its
    path, its weight, whether it is a hub; the storefront x pivot incidence; the paths' names."""

    def __init__(self, table: LinkTable):
        pv, cfg, bridges = table.pv, table.cfg, table.bridges
        refs, sf = pv.refs, pv.storefronts
        self.piv = piv = sorted(pv.members, key=lambda p: refs[p])  # (type, key) order, as score_pair sorts
        col = {p: c for c, p in enumerate(piv)}
        self.head, self.tail = [], []
        self.weight, self.is_hub = np.zeros(len(piv)), np.zeros(len(piv), bool)
        for c, p in enumerate(piv):
            kind = cfg.kinds[pv.kinds[p]]
            n = pv.size(p)
            w = 0.0 if p in bridges else kind.weight_for(n)
            hub = w == 0.0
            w = cfg.hub_weight if hub else w
            self.weight[c], self.is_hub[c] = w, hub
            ref = refs[p]
            self.head.append("{" + ('"hub": true, ' if hub else "") + f'"kind": {_dump(kind.name)}, '
                             f'"pivot": {_dump(f"{ref.type}:{ref.key}")}, "shared_by": {n}')
            self.tail.append(f', "weight": {round(w, 4)!r}}}')
        rows, cols = [], []
        for s_pos, s in enumerate(sf):
            got = pv.reach.get(s)
            if got:
                rows += [s_pos] * len(got)
                cols += [col[p] for p in got]
        self.incidence = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(sf), len(piv)))
        self.via = {v: f"{refs[v].type}:{refs[v].key}" for got in pv.reach.values() for v in got.values()
                    if v is not None}


def signals_json(table: LinkTable, ids: np.ndarray) -> list[str]:
    """``table.link(i).signals_json()`` for every i in ``ids``."""
    ids = np.asarray(ids, dtype=np.int64)
    out: list[str] = [""] * len(ids)
    judged = [k for k, i in enumerate(ids.tolist()) if i in table.judged or i >= table.candidates]
    for k in judged:
        out[k] = table.link(int(ids[k])).signals_json()
    plain = np.setdiff1d(np.arange(len(ids)), np.asarray(judged, dtype=np.int64), assume_unique=True)
    if len(plain) == 0:
        return out
    if getattr(table, "_fragments", None) is None:
        table._fragments = _Fragments(table)
    f: _Fragments = table._fragments
    pv, cfg, sf = table.pv, table.cfg, table.pv.storefronts
    piv, head, tail, weight, is_hub, via_str = f.piv, f.head, f.tail, f.weight.tolist(), f.is_hub, f.via
    name_tail = f', "weight": {round(cfg.name_weight, 4)!r}}}'
    for start in range(0, len(plain), CHUNK):
        ks = plain[start:start + CHUNK]
        x, y = table.x[ids[ks]], table.y[ids[ks]]
        shared = f.incidence[x].multiply(f.incidence[y]).tocsr()
        shared.sort_indices()
        ratios = name_ratios(pv, x, y).tolist()
        indptr, indices = shared.indptr.tolist(), shared.indices.tolist()
        for j, (k, xs, ys) in enumerate(zip(ks.tolist(), x.tolist(), y.tolist())):
            cs = indices[indptr[j]:indptr[j + 1]]
            rx, ry = pv.reach[sf[xs]], pv.reach[sf[ys]]
            parts = []
            for c in sorted(cs, key=lambda c: -weight[c]):
                p = piv[c]
                vx, vy = rx[p], ry[p]
                via = "" if vx is None and vy is None else \
                    f', "via": {_dump([via_str[vx] if vx is not None else "", via_str[vy] if vy is not None else ""])}'
                parts.append((weight[c], head[c] + via + tail[c]))
            if ratios[j] >= cfg.name_min_ratio and not all(is_hub[c] for c in cs):
                label = _dump(f"similar names ({ratios[j]:.2f})")
                parts.append((cfg.name_weight, f'{{"kind": "name", "label": {label}{name_tail}'))
                parts.sort(key=lambda t: -t[0])
            out[k] = "[" + ", ".join(t[1] for t in parts) + "]"
    return out
