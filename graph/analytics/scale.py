"""Commercial-scale profile of an operator: factors, a documented configurable score, a candidate flag.

The score (``scale.yaml`` beside this module documents it) presents factors with their explanation; it is not
a legal conclusion. Values that the evidence does not state are reported as unknown and score nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import yaml

from graph.analytics.network import OperatorView, first
from graph.errors import GraphError
from graph.store.base import GraphStore

DEFAULT_CONFIG = Path(__file__).with_name("scale.yaml")
_NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")


@dataclass(frozen=True)
class FactorRule:
    name: str
    weight: float
    cap: float
    label: str


@dataclass(frozen=True)
class ScaleConfig:
    factors: tuple[FactorRule, ...]
    min_score: float
    min_storefronts: int
    reappearance: re.Pattern
    obfuscation: re.Pattern


@dataclass(frozen=True)
class Factor:
    name: str
    label: str
    value: float | None  # None: not known from the evidence
    points: float
    weight: float
    cap: float
    detail: str

    @property
    def explanation(self) -> str:
        if self.value is None:
            return f"{self.label}: not known from the evidence (0 of {self.weight:g})"
        return (f"{self.label}: {self.value:g} (cap {self.cap:g}) -> {self.points:.1f} of {self.weight:g}"
                + (f"; {self.detail}" if self.detail else ""))


@dataclass(frozen=True)
class ScaleProfile:
    operator: str
    name: str
    storefronts: int
    marketplaces: tuple[str, ...]
    brands: tuple[str, ...]
    first_seen: str | None
    last_seen: str | None
    factors: tuple[Factor, ...]
    score: float
    candidate: bool
    reason: str

    def factor(self, name: str) -> Factor:
        return next(f for f in self.factors if f.name == name)


def load_config(path: Path | str | None = None) -> ScaleConfig:
    """The scale configuration (defaults from ``scale.yaml``; a file given overrides what it names)."""
    return _load(str(path) if path else None)


@lru_cache(maxsize=8)
def _load(path: str | None) -> ScaleConfig:
    base = yaml.safe_load(DEFAULT_CONFIG.read_text(encoding="utf-8"))
    if path:
        try:
            user = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise GraphError(f"{path}: not valid YAML ({str(exc).splitlines()[0]})") from None
        if not isinstance(user, dict):
            raise GraphError(f"{path}: expected a mapping with 'factors' and 'candidate'")
        for name, rule in (user.get("factors") or {}).items():
            if name not in base["factors"]:
                raise GraphError(f"{path}: unknown factor {name!r} (known: {', '.join(base['factors'])})")
            base["factors"][name].update(rule or {})
        base["candidate"].update(user.get("candidate") or {})
        for k in ("reappearance_pattern", "obfuscation_pattern"):
            base[k] = user.get(k, base[k])
    rules = []
    for name, rule in base["factors"].items():
        try:
            weight, cap = float(rule["weight"]), float(rule["cap"])
        except (KeyError, TypeError, ValueError):
            raise GraphError(f"{path or DEFAULT_CONFIG}: factor {name!r} needs numeric weight and cap") from None
        if cap <= 0 or weight < 0:
            raise GraphError(f"{path or DEFAULT_CONFIG}: factor {name!r}: cap must be > 0 and weight >= 0")
        rules.append(FactorRule(name, weight, cap, str(rule.get("label", name))))
    cand = base["candidate"]
    return ScaleConfig(tuple(rules), float(cand["min_score"]), int(cand["min_storefronts"]),
                       re.compile(base["reappearance_pattern"], re.I), re.compile(base["obfuscation_pattern"], re.I))


def parse_amount(text: str) -> float | None:
    """The number in '1,234 units', 'USD 5,300.50', '12.5k' is not guessed: plain numbers only."""
    m = _NUMBER.search(text or "")
    if not m:
        return None
    try:
        return float(m.group().replace(",", ""))
    except ValueError:
        return None


def _fold(prop: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", prop.removeprefix("extra:").casefold()).strip("_")


def _sum_prop(nodes, *props: str) -> float | None:
    """The sum over nodes of the latest value of any of ``props`` (also columns kept as ``extra:Units Sold``)."""
    values = [parse_amount(vals[-1]) for n in nodes for p, vals in n.props.items() if vals and _fold(p) in props]
    values = [v for v in values if v is not None]
    return sum(values) if values else None


def _revenue(view: OperatorView) -> tuple[float | None, str]:
    """Storefronts' own revenue or restrained balance; a Seller's balance only where none of its storefronts
    states one (a disclosure often gives the same money for the account and its holder). Currencies are
    added as numbers and listed in the detail."""
    names = {"revenue", "balance", "sales"}
    amounts: list[str] = []
    covered: set[str] = set()
    for m in view.members:
        own = [vals[-1] for p, vals in m.node.props.items() if vals and _fold(p) in names]
        if own:
            amounts += own
            covered |= {lk.node.key for lk in m.linked("Seller")}
    for m in view.members:
        for lk in m.linked("Seller"):
            if lk.node.key not in covered:
                covered.add(lk.node.key)
                amounts += [vals[-1] for p, vals in lk.node.props.items() if vals and _fold(p) in names]
    values = [v for v in (parse_amount(a) for a in amounts) if v is not None]
    return (sum(values) if values else None), " + ".join(amounts)


def _distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, stopping early past ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        if min(cur) > limit:
            return limit + 1
        prev = cur
    return prev[-1]


def lookalikes(texts: Iterable[str], marks: Iterable[str]) -> list[tuple[str, str]]:
    """(word, mark) where a word of a store name or domain is one edit (two for marks of 7+ letters) from a
    watched mark without being it: 'Nlke', 'Adidaas'."""
    words = {w for t in texts for w in re.findall(r"[a-z0-9]+", t.casefold()) if len(w) >= 4}
    found = set()
    for mark in {m.casefold().replace(" ", "") for m in marks if len(m) >= 4}:
        limit = 2 if len(mark) >= 7 else 1
        found |= {(w, mark) for w in words if w != mark and _distance(w, mark, limit) <= limit}
    return sorted(found)


def _dates(store: GraphStore, view: OperatorView, captured: dict[str, str]) -> list[str]:
    dates = []
    for m in view.members:
        for ev in store.provenance(m.ref):
            if captured.get(ev.sha256):
                dates.append(captured[ev.sha256][:10])
    return sorted(dates)


def _days(a: str, b: str) -> float | None:
    try:
        return float((datetime.fromisoformat(b[:10]) - datetime.fromisoformat(a[:10])).days)
    except ValueError:
        return None


def profile_operator(store: GraphStore, view: OperatorView, config: ScaleConfig | None = None,
                     captured: dict[str, str] | None = None, unparsed: list[dict] | None = None,
                     marks: list[str] | None = None) -> ScaleProfile:
    """The commercial-scale profile of one operator."""
    config = config or load_config()
    if captured is None:
        captured = {s.sha256: s.captured_at for s in store.sources() if s.captured_at}
    stores = [m.node for m in view.members]
    listings = {lk.node.key: lk.node for m in view.members for lk in m.linked("Listing")}
    brands = sorted({lk.node.name or lk.node.key for m in view.members for lk in m.linked("Brand")}
                    | {b.name or b.key for lst in listings.values() for _, b in
                       store.neighbours(lst.ref, edge_types=["INFRINGES"]) if b.type == "Brand"})
    marketplaces = sorted({first(n, "marketplace") or "unknown" for n in stores})
    dates = _dates(store, view, captured)
    notes = [(n, v) for n in stores for p, vals in n.props.items() if p.startswith("extra:") or p == "notes"
             for v in vals]
    reappear = sorted({n.name or n.key for n, v in notes if config.reappearance.search(v)})
    names = {(n.key, name) for n in stores for name in n.props.get("name", [])}
    if unparsed is None:
        unparsed = store.unparsed(limit=1_000_000)
    keys = {n.key for n in stores}
    evasion = [f"{u['raw']} ({u['locator']})" for u in unparsed
               if u.get("subject_key") in keys and config.obfuscation.search(u["raw"])]
    if marks is None:
        marks = [b.name or b.key for b in store.iter_nodes("Brand")]
    texts = [v for n in stores for v in n.props.get("name", []) + n.props.get("platform_id", [])]
    evasion += [f"{w!r} looks like the mark {m!r}" for w, m in lookalikes(texts, marks)]
    values = {
        "storefronts": (float(len(stores)), ""),
        "marketplaces": (float(len(marketplaces)), ", ".join(marketplaces)),
        "listings": (float(len(listings)) if listings else None, ""),
        "units_sold": (_sum_prop([*stores, *listings.values()], "units_sold", "sold", "sales_units", "orders"), ""),
        "reviews": (_sum_prop([*stores, *listings.values()], "reviews", "review_count", "ratings", "feedback"), ""),
        "revenue": _revenue(view),
        "brands": (float(len(brands)) if brands else None, ", ".join(brands)),
        "active_days": (_days(dates[0], dates[-1]) if dates else None,
                        f"{dates[0]} to {dates[-1]}" if dates else ""),
        "reappearances": (float(len(reappear)), ", ".join(reappear)),
        "alias_churn": (float(max(len(names) - len(stores), 0)), ""),
        "evasion": (float(len(evasion)), "; ".join(evasion[:5])),
    }
    factors = []
    for rule in config.factors:
        value, detail = values[rule.name]
        points = 0.0 if value is None else rule.weight * min(value / rule.cap, 1.0)
        factors.append(Factor(rule.name, rule.label, value, round(points, 2), rule.weight, rule.cap, detail))
    score = round(sum(f.points for f in factors), 1)
    reasons = []
    if score >= config.min_score:
        reasons.append(f"score {score:g} >= {config.min_score:g}")
    if len(stores) >= config.min_storefronts:
        reasons.append(f"{len(stores)} storefronts >= {config.min_storefronts}")
    return ScaleProfile(view.key, view.name, len(stores), tuple(marketplaces), tuple(brands),
                        dates[0] if dates else None, dates[-1] if dates else None, tuple(factors), score,
                        bool(reasons), "; ".join(reasons) or f"score {score:g} < {config.min_score:g}")


def rank_operators(store: GraphStore, views: Iterable[OperatorView],
                   config: ScaleConfig | None = None) -> list[ScaleProfile]:
    """Profiles, highest score first (ties: more storefronts, then operator id)."""
    config = config or load_config()
    captured = {s.sha256: s.captured_at for s in store.sources() if s.captured_at}
    unparsed = store.unparsed(limit=1_000_000)
    marks = [b.name or b.key for b in store.iter_nodes("Brand")]
    profiles = [profile_operator(store, v, config, captured, unparsed, marks) for v in views]
    return sorted(profiles, key=lambda p: (-p.score, -p.storefronts, p.operator))
