"""What the Operator page shows, gathered through ``graph`` functions (no Streamlit here, so the benchmark and
tests call the same code the page does): members and aliases, identifiers, the operator's network, the links
that tie it together with the documents behind them, scale profile, jurisdictions and a timeline."""

from __future__ import annotations

import json
from dataclasses import dataclass

from graph.analytics.jurisdiction import operator_footprint
from graph.analytics.network import OperatorView, first, load_operator, load_operators, member_number
from graph.analytics.scale import ScaleProfile, profile_operator, rank_operators
from graph.errors import GraphError
from graph.records import NodeRef
from graph.resolution.views import Alert, evidence_rows, explain_link
from graph.reports.selection import cite_all
from graph.store.base import Edge, GraphStore, Node, Subgraph

IDENTIFIER_TYPES = ("PaymentAccount", "Email", "Phone", "Address", "Domain", "Infrastructure", "Seller")


@dataclass(frozen=True)
class OperatorPage:
    view: OperatorView
    links: list[Edge]  # LINKED edges among the members (accepted: the chain of proof; review: still open)
    profile: ScaleProfile

    @property
    def node(self) -> Node:
        return self.view.node


def list_operators(store: GraphStore) -> list[tuple[str, str, int]]:
    """(key, name, storefronts) of every operator, largest first."""
    out = []
    for key, name, size in store.property_values("Operator", "size"):
        out.append((key, name or key, int(size) if size.isdigit() else 0))
    out.sort(key=lambda t: (-t[2], t[0]))
    return out


def top_by_scale(store: GraphStore, candidates: int = 50) -> list[ScaleProfile]:
    """The scale ranking of the ``candidates`` largest operators (ranking every operator of a million-storefront
    store on each visit would take minutes; the largest are where the high scores are)."""
    keys = [k for k, _, _ in list_operators(store)[:candidates]]
    return rank_operators(store, load_operators(store, keys))


def recent_alerts(store: GraphStore, limit: int = 20) -> list[Alert]:
    """The newest relisting alerts, as ``graph.resolution.views.list_alerts`` finds them (storefronts that
    joined an operator after it was formed, with the accepted links that tied them in), read from each
    Operator's ``created`` and ``members`` ({storefront: since}) instead of one neighbour query per operator:
    list_alerts took 47 s on 60,000 operators."""
    created = {k: v for k, _, v in store.property_values("Operator", "created")}
    joined = []
    for op, _, members in store.property_values("Operator", "members"):
        try:
            since = json.loads(members or "{}")
        except ValueError:
            continue
        for sf, when in since.items():
            if when and created.get(op) and when > created[op]:
                joined.append((when, op, sf, since))
    joined.sort(key=lambda j: (j[0], j[1], j[2]), reverse=True)
    alerts = []
    for when, op, sf, since in joined[:limit]:
        op_node, sf_node = store.get_node(NodeRef("Operator", op)), store.get_node(NodeRef("Storefront", sf))
        if op_node is None or sf_node is None:
            continue
        links = [(other, e.props) for e, other in store.neighbours(sf_node.ref, ["LINKED"])
                 if other.key in since and other.type == "Storefront" and e.props.get("band") == "accepted"]
        links.sort(key=lambda x: -_score_of(x[1]))
        alerts.append(Alert(op_node, sf_node, when, links))
    return alerts


def _score_of(props: dict) -> float:
    try:
        return float(props.get("score", 0))
    except ValueError:
        return 0.0


def load_page(store: GraphStore, key: str) -> OperatorPage:
    """The operator with its members' links, the LINKED edges among them and its scale profile."""
    view = load_operator(store, key)
    members = {m.ref for m in view.members}
    links, seen = [], set()
    for m in view.members:
        for edge, other in store.neighbours(m.ref, ["LINKED"], limit=10_000):
            pair = (edge.src, edge.dst)
            if other.ref in members and pair not in seen:
                seen.add(pair)
                links.append(edge)
    links.sort(key=lambda e: (e.props.get("band") != "accepted", -_score(e), e.src.key, e.dst.key))
    return OperatorPage(view, links, profile_operator(store, view))


def _score(edge: Edge) -> float:
    try:
        return float(edge.props.get("score", 0))
    except ValueError:
        return 0.0


def member_rows(page: OperatorPage) -> list[dict]:
    rows = []
    for m in page.view.members:
        names = m.node.props.get("name", [])
        rows.append({"defendant": member_number(m), "storefront": m.node.key, "name": m.node.name or "",
                     "aliases": " | ".join(n for n in names if n != m.node.name),
                     "marketplace": first(m.node, "marketplace"), "url": first(m.node, "url"),
                     "confidence": round(m.confidence, 3)})
    return rows


def aliases(page: OperatorPage) -> list[str]:
    """Every display name any member has gone by, sorted."""
    return sorted({n for m in page.view.members for n in m.node.props.get("name", []) if n})


def identifier_rows(page: OperatorPage) -> list[dict]:
    """The identifiers the members use (directly, or through their Seller / Domain), most shared first."""
    shared: dict[NodeRef, tuple[Node, set[str], set[str]]] = {}
    for m in page.view.members:
        for lk in m.links:
            if lk.node.type not in IDENTIFIER_TYPES:
                continue
            node, users, kinds = shared.setdefault(lk.node.ref, (lk.node, set(), set()))
            users.add(m.node.key)
            kinds.add(lk.edge.type)
    rows = [{"type": n.type, "value": n.name or n.key, "key": n.key, "storefronts": len(users),
             "edge": ", ".join(sorted(kinds))} for n, users, kinds in shared.values()]
    rows.sort(key=lambda r: (-r["storefronts"], r["type"], r["key"]))
    return rows


def operator_subgraph(page: OperatorPage) -> Subgraph:
    """The Operator, its storefronts, their identifiers and the links among them, as one network."""
    nodes = {page.node.ref: page.node}
    edges: dict[tuple, Edge] = {}
    for m in page.view.members:
        nodes[m.ref] = m.node
        edges[("CONTROLS", page.node.ref, m.ref)] = Edge("CONTROLS", page.node.ref, m.ref,
                                                          {"confidence": f"{m.confidence:.4f}"})
        for lk in m.links:
            if lk.node.type in ("Operator", "Source"):
                continue
            nodes.setdefault(lk.node.ref, lk.node)
            if lk.via is not None:
                nodes.setdefault(lk.via.ref, lk.via)
            edges.setdefault((lk.edge.type, lk.edge.src, lk.edge.dst), lk.edge)
    for e in page.links:
        edges.setdefault((e.type, e.src, e.dst), e)
    return Subgraph(list(nodes.values()), list(edges.values()), len(nodes))


def link_rows(page: OperatorPage) -> list[dict]:
    names = {m.ref: m.node.name or m.node.key for m in page.view.members}
    rows = []
    for e in page.links:
        try:
            signals = json.loads(e.props.get("signals", "[]"))
        except ValueError:
            signals = []
        rows.append({"storefront": e.src.key, "name": names.get(e.src, ""), "linked to": e.dst.key,
                     "to name": names.get(e.dst, ""), "score": _score(e), "band": e.props.get("band", ""),
                     "signals": ", ".join(f"{s.get('kind')} {s.get('weight')}" for s in signals
                                          if isinstance(s, dict))})
    return rows


def excerpt(store: GraphStore, ref: NodeRef, sha256: str, locator: str) -> str:
    """What the document states about ``ref`` at ``locator`` (the value as written there), '' if nothing."""
    values = [f"{e.value}" for e in store.provenance(ref) if e.sha256 == sha256 and e.locator == locator
              and e.value and e.prop not in ("key",)]
    return " | ".join(dict.fromkeys(values))


def why_rows(store: GraphStore, a: NodeRef, b: NodeRef) -> tuple[dict, list[dict]]:
    """The link's score and band, and one row per document behind each signal (which side, which edge,
    the document, where in it, and what it says there)."""
    props, signals = explain_link(store, a, b)
    rows = []
    for r in evidence_rows(a, b, signals):
        ev, sig = r.evidence, r.signal
        if r.edge is None:
            rows.append({"signal": sig.get("kind", ""), "weight": sig.get("weight"), "pivot": r.pivot,
                         "shared by": "", "storefront": "", "edge": "", "document": "", "sha256": "", "where": "",
                         "excerpt": str(sig.get("detail", ""))})
            continue
        rows.append({"signal": sig.get("kind", ""), "weight": sig.get("weight"), "pivot": r.pivot,
                     "shared by": sig.get("shared_by", ""), "storefront": r.storefront.key,
                     "edge": f"{r.edge.type} → {r.edge.dst.key}",
                     "document": ev.path if ev else "(no document)",
                     "sha256": ev.sha256[:12] if ev else "", "where": ev.locator if ev else "",
                     "excerpt": excerpt(store, r.edge.dst, ev.sha256, ev.locator) if ev else ""})
    return props, rows


def profile_rows(profile: ScaleProfile) -> list[dict]:
    return [{"factor": f.label, "value": "unknown" if f.value is None else f"{f.value:g}", "points": f.points,
             "of": f.weight, "detail": f.detail} for f in profile.factors]


def footprint_rows(store: GraphStore, page: OperatorPage) -> list[dict]:
    return [{"country": f.country, "basis": f.basis, "value": f.value, "storefront": f.storefront,
             "evidence": cite_all(f.evidence, limit=1)} for f in operator_footprint(store, page.view).facts]


def timeline_rows(store: GraphStore, page: OperatorPage) -> list[dict]:
    """One row per document that states something about the members: when it was captured (else ingested),
    which storefronts it names, first and last seen; plus when storefronts joined the operator."""
    sources = {s.sha256: s for s in store.sources()}
    per_source: dict[str, tuple[set[str], list[str], list[str]]] = {}
    for m in page.view.members:
        for ev in store.provenance(m.ref):
            names, firsts, lasts = per_source.setdefault(ev.sha256, (set(), [], []))
            names.add(m.node.key)
            firsts.append(ev.first_seen)
            lasts.append(ev.last_seen)
    rows = []
    for sha, (names, firsts, lasts) in per_source.items():
        src = sources.get(sha)
        if src is None or src.parser == "resolution":
            continue
        when = src.captured_at or src.ingested_at
        what = "judgement" if src.parser == "judgement" else "document"
        rows.append({"date": when[:19], "event": what, "source": src.path[:200], "storefronts": len(names),
                     "first seen": min(firsts)[:19], "last seen": max(lasts)[:19]})
    created = first(page.node, "created")
    try:
        joined = json.loads(first(page.node, "members") or "{}")
    except ValueError:
        joined = {}
    if created:
        rows.append({"date": created[:19], "event": "operator formed", "source": "resolution",
                     "storefronts": sum(1 for v in joined.values() if v == created) or len(page.view.members),
                     "first seen": "", "last seen": ""})
    for key, since in sorted(joined.items()):
        if since and created and since > created:
            rows.append({"date": since[:19], "event": f"joined: {key}", "source": "resolution", "storefronts": 1,
                         "first seen": "", "last seen": ""})
    rows.sort(key=lambda r: (r["date"], r["event"]))
    return rows


def check_operator(store: GraphStore, key: str) -> Node:
    node = store.get_node(NodeRef("Operator", key))
    if node is None:
        raise GraphError(f"no operator {key!r} (run `infringer-graph resolve` first)")
    return node
