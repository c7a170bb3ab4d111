"""Which storefronts a report is about (the defendants), in a stable order, and how evidence is cited."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from graph.analytics.network import (Member, OperatorView, first, load_operators, load_storefront, member_number,
                                     member_order)
from graph.analytics.scale import ScaleConfig, rank_operators
from graph.errors import GraphError
from graph.store.base import Evidence, GraphStore

MARKETPLACE_NAMES = {"amazon": "Amazon", "ebay": "eBay", "aliexpress": "AliExpress", "walmart": "Walmart",
                     "temu": "Temu", "dhgate": "DHgate", "etsy": "Etsy", "wish": "Wish", "shopify": "Shopify",
                     "shein": "SHEIN", "alibaba": "Alibaba", "lazada": "Lazada", "shopee": "Shopee"}
SHA_SHOWN = 16  # characters of a sha256 shown in a citation (the Sources table gives all 64)


@dataclass(frozen=True)
class Defendant:
    number: int  # Defendant No. in this report (1..N)
    member: Member
    operator: OperatorView | None

    @property
    def alias(self) -> str:
        return self.member.node.name or self.member.node.key

    @property
    def aliases(self) -> list[str]:
        return self.member.node.props.get("name") or [self.alias]

    @property
    def key(self) -> str:
        return self.member.node.key

    @property
    def platform(self) -> str:
        values = self.member.node.props.get("marketplace", [])
        written = [v for v in values if v != values[0]] if values else []
        slug = values[0] if values else ""
        return "web shop" if slug == "web" else (written or [MARKETPLACE_NAMES.get(slug, slug)])[0]

    @property
    def url(self) -> str:
        return first(self.member.node, "url")

    @property
    def platform_id(self) -> str:
        return first(self.member.node, "platform_id")

    @property
    def source_number(self) -> int | str:
        no = member_number(self.member)
        return "" if no is None else no


@dataclass(frozen=True)
class Selection:
    defendants: list[Defendant]
    operators: list[OperatorView]
    date: str
    basis: str  # how the defendants were chosen, said in the report


def report_date(store: GraphStore, given: str | None = None) -> str:
    """The date a report states: given, or the latest capture/ingest time of the Sources (not the clock)."""
    if given:
        try:
            return datetime.strptime(given, "%Y-%m-%d").date().isoformat()
        except ValueError:
            raise GraphError(f"--date {given!r}: expected a date as YYYY-MM-DD") from None
    times = [s.captured_at or s.ingested_at for s in store.sources() if s.captured_at or s.ingested_at]
    return max(times)[:10] if times else "undated"


def select_defendants(store: GraphStore, operators: Sequence[str] = (), storefronts: Sequence[str] = (),
                      all_operators: bool = False, group_by_operator: bool = False,
                      config: ScaleConfig | None = None, date: str | None = None) -> Selection:
    """Defendants from named operators and storefronts; by default every commercial-scale candidate's storefronts.

    Order: by the Schedule A number the evidence gives (then key); grouped by operator (in scale order) when
    asked. Defendant numbers are then 1..N in that order."""
    views = load_operators(store, operators if operators else None)
    if operators or all_operators:
        chosen = views
        basis = "operators " + ", ".join(v.key for v in views) if operators else "all operators"
    elif storefronts:
        chosen, basis = [], ""
    else:
        profiles = rank_operators(store, views, config)
        keep = {p.operator for p in profiles if p.candidate}
        order = {p.operator: i for i, p in enumerate(profiles)}
        chosen = sorted((v for v in views if v.key in keep), key=lambda v: order[v.key])
        basis = "every commercial-scale candidate operator"
        if not chosen:
            raise GraphError("no commercial-scale candidate operators (run `infringer-graph resolve`, or choose "
                             "with --operator / --storefront / --all-operators)")
    pairs: list[tuple[Member, OperatorView | None]] = [(m, v) for v in chosen for m in v.members]
    seen = {m.node.key for m, _ in pairs}
    owner = {m.node.key: v for v in views for m in v.members}
    for key in (k.removeprefix("Storefront:") for k in storefronts):
        if key not in seen:
            seen.add(key)
            pairs.append((load_storefront(store, key), owner.get(key)))
    if storefronts:
        named = len({k.removeprefix("Storefront:") for k in storefronts})
        basis = (basis + " and " if basis else "") + f"{named} named storefront{'s' if named != 1 else ''}"
    if not pairs:
        raise GraphError("the chosen operators control no storefronts")
    rank = {v.key: i for i, v in enumerate(chosen)}
    if group_by_operator:
        pairs.sort(key=lambda p: (rank.get(p[1].key, len(rank)) if p[1] else len(rank) + 1,
                                  p[1].key if p[1] else "", member_order(p[0])))
    else:
        pairs.sort(key=lambda p: member_order(p[0]))
    defendants = [Defendant(i, m, v) for i, (m, v) in enumerate(pairs, 1)]
    return Selection(defendants, chosen, report_date(store, date), basis)


def cite(ev: Evidence) -> str:
    return f"{ev.path} [sha256 {ev.sha256[:SHA_SHOWN]}] {ev.locator}"


def cite_all(evidence: Iterable[Evidence], limit: int = 5) -> str:
    items = sorted({cite(e) for e in evidence})
    more = f"; and {len(items) - limit} more" if len(items) > limit else ""
    return "; ".join(items[:limit]) + more


def sources_table_rows(store: GraphStore, shas: Iterable[str]) -> list[tuple[str, ...]]:
    wanted = set(shas)
    return [(s.path, s.sha256, s.media_type, s.parser, s.captured_at or "", s.ingested_at)
            for s in store.sources() if s.sha256 in wanted]
