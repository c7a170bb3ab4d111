"""Reading the resolution back from the store: who belongs to which operator, relisting alerts, and the
documents behind a link (for people, exports and reports; both backends)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from graph.errors import GraphError
from graph.records import NodeRef
from graph.resolution.clusters import singleton_id
from graph.store.base import Edge, Evidence, GraphStore, Node


@dataclass(frozen=True)
class Member:
    operator_id: str
    storefront: Node
    confidence: str
    since: str


def operator_members(store: GraphStore) -> dict[NodeRef, Member]:
    """Every storefront with its operator (singletons under the id they would found)."""
    out: dict[NodeRef, Member] = {}
    for op in store.iter_nodes("Operator"):
        for edge, node in store.neighbours(op.ref, ["CONTROLS"], limit=1_000_000):
            if node.type == "Storefront":
                out[node.ref] = Member(op.key, node, edge.props.get("confidence", ""), edge.props.get("since", ""))
    for node in store.iter_nodes("Storefront"):
        if node.ref not in out:
            out[node.ref] = Member(singleton_id(node.ref), node, "", "")
    return out


EXPORT_COLUMNS = ("operator_id", "storefront_key", "marketplace", "platform_id", "url", "name", "confidence", "since")


def operator_rows(store: GraphStore) -> list[dict[str, str]]:
    """One row per storefront (singletons included), ordered by operator size, operator id, storefront key."""
    members = operator_members(store)
    size: dict[str, int] = {}
    for m in members.values():
        size[m.operator_id] = size.get(m.operator_id, 0) + 1

    def first(node: Node, prop: str) -> str:
        return (node.props.get(prop) or [""])[0]

    rows = [{"operator_id": m.operator_id, "storefront_key": ref.key, "marketplace": first(m.storefront, "marketplace"),
             "platform_id": first(m.storefront, "platform_id"), "url": first(m.storefront, "url"),
             "name": m.storefront.name or "", "confidence": m.confidence, "since": m.since}
            for ref, m in members.items()]
    rows.sort(key=lambda r: (-size[r["operator_id"]], r["operator_id"], r["storefront_key"]))
    return rows


@dataclass(frozen=True)
class Alert:
    operator: Node
    storefront: Node
    since: str
    links: list[tuple[Node, dict]]  # (linked member, LINKED edge props) - the evidence that tied it in


def list_alerts(store: GraphStore, since: str | None = None) -> list[Alert]:
    """Storefronts that joined an operator after it was first formed: a known operator relisting."""
    alerts = []
    for op in store.iter_nodes("Operator"):
        created = (op.props.get("created") or [""])[0]
        neighbours = store.neighbours(op.ref, ["CONTROLS"], limit=1_000_000)
        members = {n.ref for _, n in neighbours}
        for edge, node in neighbours:
            joined = edge.props.get("since", "")
            if joined and joined > created and (since is None or joined >= since):
                links = [(other, e.props) for e, other in store.neighbours(node.ref, ["LINKED"])
                         if other.ref in members and e.props.get("band") == "accepted"]
                links.sort(key=lambda x: -float(x[1].get("score", 0)))
                alerts.append(Alert(op, node, joined, links))
    alerts.sort(key=lambda a: (a.since, a.operator.key, a.storefront.key), reverse=True)
    return alerts


def find_storefront(store: GraphStore, text: str) -> Node:
    """A storefront by key, store URL or marketplace id (as the cleaners read it)."""
    from graph.clean import clean

    node = store.get_node(NodeRef("Storefront", text.strip()))
    if node is None:
        cleaned = clean("storefront", text)
        node = store.get_node(NodeRef("Storefront", cleaned.key)) if cleaned.ok else None
    if node is None:
        raise GraphError(f"no storefront {text!r} in the store (give its key, e.g. amazon:A1B2C3, or its URL)")
    return node


@dataclass(frozen=True)
class Hop:
    edge: Edge
    evidence: list[Evidence]


@dataclass(frozen=True)
class SignalEvidence:
    signal: dict
    sides: tuple[list[Hop], list[Hop]]  # how each storefront reaches the pivot, with the documents


def _hops(store: GraphStore, start: NodeRef, via: NodeRef | None, pivot: NodeRef) -> list[Hop]:
    hops, here = [], start
    for target in ([via] if via else []) + [pivot]:
        for edge, node in store.neighbours(here, limit=100_000):
            if node.ref == target:
                hops.append(Hop(edge, store.provenance(here, edge)))
                break
        here = target
    return hops


def _ref(text: str) -> NodeRef | None:
    t, _, k = text.partition(":")
    return NodeRef(t, k) if k else None


def explain_link(store: GraphStore, a: NodeRef, b: NodeRef) -> tuple[dict, list[SignalEvidence]]:
    """The LINKED edge between two storefronts (score, band) and, for each signal, the documents behind it."""
    edge = next((e for e, n in store.neighbours(a, ["LINKED"], limit=100_000) if n.ref == b), None)
    if edge is None:
        raise GraphError(f"no link between {a.key} and {b.key} in the last resolution (run `resolve` first)")
    first, second = (edge.src, edge.dst)
    out = []
    for sig in json.loads(edge.props.get("signals", "[]")):
        pivot = _ref(sig.get("pivot", ""))
        if pivot is None:
            out.append(SignalEvidence(sig, ([], [])))
            continue
        via = [_ref(v) if v else None for v in sig.get("via", ["", ""])]
        out.append(SignalEvidence(sig, (_hops(store, first, via[0], pivot), _hops(store, second, via[1], pivot))))
    return dict(edge.props), out


@dataclass(frozen=True)
class EvidenceRow:
    """One document behind one signal of a link, on one side (or a signal with no document: a name, a
    judgement)."""

    signal: dict
    pivot: str  # the shared identifier, or the signal's label
    storefront: NodeRef | None = None
    edge: Edge | None = None
    evidence: Evidence | None = None


def evidence_rows(a: NodeRef, b: NodeRef, signals: list[SignalEvidence]) -> list[EvidenceRow]:
    """``explain_link``'s signals flattened: a row per document per hop per side."""
    rows = []
    for s in signals:
        what = s.signal.get("pivot") or s.signal.get("label", "")
        for side, hops in zip((a, b), s.sides):
            for hop in hops:
                rows += [EvidenceRow(s.signal, what, side, hop.edge, ev) for ev in hop.evidence or [None]]
        if not any(s.sides):
            rows.append(EvidenceRow(s.signal, what))
    return rows


def link_chain(store: GraphStore, a: NodeRef, b: NodeRef, max_hops: int = 8) -> list[tuple[NodeRef, NodeRef]]:
    """The shortest chain of accepted links from a to b (a direct link is a chain of one); [] if none."""
    previous: dict[NodeRef, NodeRef | None] = {a: None}
    frontier = [a]
    for _ in range(max_hops):
        nxt = []
        for here in frontier:
            for edge, node in store.neighbours(here, ["LINKED"], limit=100_000):
                if edge.props.get("band") != "accepted" or node.ref in previous:
                    continue
                previous[node.ref] = here
                if node.ref == b:
                    chain, at = [], b
                    while previous[at] is not None:
                        chain.append((previous[at], at))
                        at = previous[at]
                    return chain[::-1]
                nxt.append(node.ref)
        frontier = nxt
    return []
