"""One link explained: the signals between two storefronts and their noisy-or score.

Candidates come only from shared pivots (never all pairs; ``vectors`` finds and scores them all at once,
and turns the links that are written or shown into ``Link`` objects here). Each link's score is the noisy-or
of its signals; every signal names its kind, the pivot, its weight, how many storefronts share the pivot and the
path each storefront reaches it by. Name similarity is a weak signal that can only add to a link other
evidence proposed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from rapidfuzz.fuzz import ratio

from graph.clean.text import fold_text
from graph.records import NodeRef
from graph.resolution.config import Config
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


def round_scores(x):
    """Scores to 4 places, the same way for one pair (a product) and for millions (a sum of logs): the
    float noise of either is dropped first, so a score that lands on a half (0.99985) rounds alike."""
    return np.round(np.round(x, 10), 4)


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


def score_pair(pv: Pivots, cfg: Config, x: int, y: int, bridges: dict[int, int] | None = None) -> Link:
    if pv.refs[x].key > pv.refs[y].key:  # a signal's paths are (a's, b's), in the order the link names them
        x, y = y, x
    rx, ry = pv.reach[x], pv.reach[y]
    refs = pv.refs
    signals = []
    for p in sorted(rx.keys() & ry.keys(), key=lambda i: refs[i]):
        kind = cfg.kinds[pv.kinds[p]]
        n = pv.size(p)
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
    score = float(round_scores(noisy_or(s.weight for s in signals)))
    a, b = sorted((refs[x], refs[y]), key=lambda r: r.key)
    return Link(a, b, score, cfg.band(score), tuple(signals))
