"""Operators as analytics see them: the Operator node, its storefronts, and what each storefront links to.

Read through the store contract only (``iter_nodes``, ``neighbours``, ``get_node``), so it works on both
backends. Links are the storefront's own edges plus one more hop through the Seller and Domain it links to
(a seller's accounts, a domain's registrant and name servers): the facts a report cites.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from graph.errors import GraphError
from graph.records import NodeRef
from graph.store.base import Edge, GraphStore, Node

SECOND_HOP = ("Seller", "Domain")  # a storefront's links through these count as its own


@dataclass(frozen=True, slots=True)
class Link:
    """``edge`` joins ``node`` to the storefront, directly or through ``via`` (a Seller or Domain)."""

    edge: Edge
    node: Node
    via: Node | None = None


@dataclass(slots=True)
class Member:
    node: Node
    links: list[Link] = field(default_factory=list)
    confidence: float = 1.0

    @property
    def ref(self) -> NodeRef:
        return self.node.ref

    def linked(self, *types: str) -> list[Link]:
        return [lk for lk in self.links if lk.node.type in types]


@dataclass(slots=True)
class OperatorView:
    node: Node
    members: list[Member]

    @property
    def key(self) -> str:
        return self.node.key

    @property
    def name(self) -> str:
        return self.node.name or self.node.key


def load_member(store: GraphStore, node: Node, confidence: float = 1.0) -> Member:
    """A storefront with its links (one extra hop through its Sellers and Domains)."""
    member = Member(node, confidence=confidence)
    seen: set[tuple[str, NodeRef, NodeRef]] = set()
    for edge, other in store.neighbours(node.ref):
        if edge.type == "CONTROLS" or other.type == "Storefront":
            continue
        seen.add((edge.type, edge.src, edge.dst))
        member.links.append(Link(edge, other))
        if other.type in SECOND_HOP:
            for edge2, far in store.neighbours(other.ref):
                ident = (edge2.type, edge2.src, edge2.dst)
                if far.type in ("Storefront", "Operator") or far.ref == node.ref or ident in seen:
                    continue
                seen.add(ident)
                member.links.append(Link(edge2, far, other))
    member.links.sort(key=lambda lk: (lk.node.type, lk.node.key, lk.edge.type, lk.via.key if lk.via else ""))
    return member


def load_operator(store: GraphStore, key: str) -> OperatorView:
    node = store.get_node(NodeRef("Operator", key))
    if node is None:
        raise GraphError(f"no operator {key!r} (run `infringer-graph resolve` first; "
                         "`infringer-graph operators` lists them)")
    members = []
    for edge, sf in store.neighbours(node.ref, edge_types=["CONTROLS"], limit=100_000):
        if sf.type == "Storefront":
            members.append(load_member(store, sf, _confidence(edge)))
    members.sort(key=member_order)
    return OperatorView(node, members)


def load_operators(store: GraphStore, keys: Iterable[str] | None = None) -> list[OperatorView]:
    """The named operators (all when ``keys`` is None), sorted by key."""
    wanted = sorted(set(keys)) if keys is not None else sorted(n.key for n in store.iter_nodes("Operator"))
    return [load_operator(store, k) for k in wanted]


def load_storefront(store: GraphStore, key: str) -> Member:
    """A storefront by key ('amazon:A1HX7Q2M9ZK3LP'; 'Storefront:amazon:…' is accepted too)."""
    key = key.removeprefix("Storefront:")
    node = store.get_node(NodeRef("Storefront", key))
    if node is None:
        raise GraphError(f"no storefront {key!r} (`infringer-graph search` finds storefront keys)")
    return load_member(store, node)


def operator_of(store: GraphStore, ref: NodeRef) -> Node | None:
    ops = [n for _, n in store.neighbours(ref, edge_types=["CONTROLS"]) if n.type == "Operator"]
    return min(ops, key=lambda n: n.key) if ops else None


def first(node: Node, prop: str) -> str:
    """The first value of a property ('' when absent)."""
    values = node.props.get(prop) or []
    return values[0] if values else ""


def defendant_number(node: Node) -> int | None:
    for v in node.props.get("defendant_no", []):
        if v.strip().isdigit():
            return int(v.strip())
    return None


def member_number(m: Member) -> int | None:
    """The Schedule A number of a storefront: its own property, else a NAMED_IN edge's (direct first)."""
    no = defendant_number(m.node)
    if no is not None:
        return no
    for link in sorted(m.linked("Case"), key=lambda lk: lk.via is not None):
        value = link.edge.props.get("defendant_no", "").strip()
        if link.edge.type == "NAMED_IN" and value.isdigit():
            return int(value)
    return None


def member_order(m: Member) -> tuple:
    no = member_number(m)
    return (no is None, no or 0, m.node.key)


def _confidence(edge: Edge) -> float:
    try:
        return float(edge.props.get("confidence", "1.0"))
    except ValueError:
        return 0.0
