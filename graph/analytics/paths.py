"""Paths and neighbourhoods between entities, with the evidence for every hop."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from graph.errors import GraphError
from graph.model import get_model
from graph.records import NodeRef
from graph.store.base import Edge, Evidence, GraphStore, Subgraph


@dataclass(frozen=True)
class Hop:
    edge: Edge
    evidence: tuple[Evidence, ...]


def parse_ref(text: str) -> NodeRef:
    """'Type:key' (e.g. 'Storefront:amazon:A1HX7Q2M9ZK3LP') into a NodeRef, the type checked against the model."""
    node_type, sep, key = text.partition(":")
    if not sep or not key:
        raise GraphError(f"{text!r}: expected TYPE:KEY, e.g. Storefront:amazon:A1HX7Q2M9ZK3LP")
    get_model().node(node_type)
    return NodeRef(node_type, key)


def find_path(store: GraphStore, a: NodeRef, b: NodeRef, max_hops: int = 6) -> list[Hop] | None:
    """The shortest path from ``a`` to ``b`` (either direction along edges), each hop with its Sources;
    None when there is none within ``max_hops``."""
    for ref in (a, b):
        if store.get_node(ref) is None:
            raise GraphError(f"no node {ref}")
    edges = store.shortest_path(a, b, max_hops=max_hops)
    if edges is None:
        return None
    return [Hop(e, tuple(store.provenance(e.src, e))) for e in edges]


def neighbourhood(store: GraphStore, ref: NodeRef, hops: int = 2, node_types: Iterable[str] | None = None,
                  limit: int = 200) -> Subgraph:
    """The k-hop neighbourhood of ``ref``, optionally only nodes of some types (the start is always kept)."""
    if store.get_node(ref) is None:
        raise GraphError(f"no node {ref}")
    types = list(node_types or [])
    for t in types:
        get_model().node(t)
    return store.subgraph(ref, hops=hops, node_types=types or None, limit=limit)
