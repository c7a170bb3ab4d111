"""The GraphStore contract shared by the embedded (SQLite) and Neo4j backends."""

from __future__ import annotations

import abc
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from graph.records import Facts, NodeRef


def utcnow() -> str:
    """The time stamps of Sources and statements: UTC, ISO 8601, seconds."""
    from datetime import datetime, timezone

    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True, slots=True)
class SourceInfo:
    sha256: str
    path: str
    media_type: str
    size: int
    parser: str = ""
    ingested_at: str = ""
    captured_at: str | None = None
    status: str = "ok"
    records: int = 0
    error: str | None = None


@dataclass(frozen=True, slots=True)
class Evidence:
    """One place a Source states a fact (a property value or an edge)."""

    sha256: str
    path: str
    locator: str
    first_seen: str
    last_seen: str
    prop: str | None = None
    value: str | None = None


@dataclass(frozen=True, slots=True)
class Node:
    type: str
    key: str
    name: str | None
    props: dict[str, list[str]]
    first_seen: str = ""
    last_seen: str = ""

    @property
    def ref(self) -> NodeRef:
        return NodeRef(self.type, self.key)


@dataclass(frozen=True, slots=True)
class Edge:
    type: str
    src: NodeRef
    dst: NodeRef
    props: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Subgraph:
    nodes: list[Node]
    edges: list[Edge]
    total_nodes: int

    @property
    def truncated(self) -> bool:
        return self.total_nodes > len(self.nodes)


@dataclass(frozen=True, slots=True)
class SearchHit:
    type: str
    key: str
    name: str | None
    matched: str
    exact: bool


@dataclass(frozen=True, slots=True)
class Projection:
    """A compact whole-graph view for analytics: integer node ids and edge triples."""

    node_ids: dict[NodeRef, int]
    names: list[str | None]
    edges: list[tuple[int, int, str]]

    def to_networkx(self):
        import networkx as nx

        g = nx.MultiDiGraph()
        refs = {i: ref for ref, i in self.node_ids.items()}
        for i, ref in refs.items():
            g.add_node(i, type=ref.type, key=ref.key, name=self.names[i])
        for s, d, t in self.edges:
            g.add_edge(s, d, type=t)
        return g


@dataclass
class ArrayProjection:
    """The nodes of some types and the edges among them as arrays: ``refs[i]``/``names[i]`` of node i (in the
    store's order), edges ``src[j] -> dst[j]`` as positions (edge types are not kept)."""

    refs: list[NodeRef]
    names: list[str | None]
    src: "np.ndarray"
    dst: "np.ndarray"


@dataclass(slots=True)
class WriteStats:
    records: int = 0
    nodes_new: int = 0
    edges_new: int = 0
    statements: int = 0
    unparsed: int = 0


@dataclass(frozen=True, slots=True)
class Quarantined:
    """A document that could not be ingested, kept with the reason (and its bytes where they fit)."""

    id: int
    path: str
    sha256: str
    size: int
    reason: str
    first_seen: str
    last_seen: str
    attempts: int
    data: bytes | None = None


@dataclass(frozen=True, slots=True)
class RetractStats:
    statements: int
    edges: int
    nodes: int
    unparsed: int


class GraphStore(abc.ABC):
    """What every backend offers. Writes for one Source are atomic."""

    url: str

    # --- sources and writes -------------------------------------------------
    @abc.abstractmethod
    def has_source(self, sha256: str) -> bool: ...

    @abc.abstractmethod
    def write_source(self, source: SourceInfo, batches: Iterable[Facts],
                     late: Callable[[], Mapping[str, str | None]] | None = None,
                     replaces: str | None = None) -> WriteStats:
        """Record ``source`` and all its facts in one transaction (all or nothing).

        ``late`` is called after the last batch for Source fields only known once the document has been
        read (``captured_at``). ``replaces`` names a Source retracted in the same transaction (re-deriving
        a document's facts with a newer parser: readers see the old facts or the new ones, never neither)."""

    def batch_preparer(self) -> Callable[[Facts], object] | None:
        """A module-level function (so a cleaning worker process can be handed it) that turns a batch of
        Facts into what :meth:`write_source` takes most cheaply, or None: the batches are sent as Facts."""
        return None

    @abc.abstractmethod
    def retract_source(self, sha256: str) -> RetractStats:
        """Remove the Source and exactly the facts only it asserted."""

    @abc.abstractmethod
    def revise_source(self, source: SourceInfo, about: Iterable[NodeRef], batches: Iterable[Facts]) -> WriteStats:
        """Replace what an existing Source states about the nodes ``about`` (their property values, and the
        edges with both ends among them) with ``batches``, in one transaction; what it states about other
        nodes stays. Its path, size and ingested_at are updated from ``source``. Nodes left with no statement
        go, as in :meth:`retract_source`."""

    @abc.abstractmethod
    def source_nodes(self, sha256s: Iterable[str]) -> set[NodeRef]:
        """The nodes the given Sources state a property of or an edge to or from."""

    @abc.abstractmethod
    def node_names(self, refs: Iterable[NodeRef]) -> dict[NodeRef, str | None]:
        """The display name of each of ``refs`` that is in the store (absent ones are left out)."""

    @abc.abstractmethod
    def edges_touching(self, refs: Iterable[NodeRef],
                       other_types: Iterable[str] | None = None) -> list[tuple[NodeRef, str, NodeRef]]:
        """Every edge (src, type, dst) with an end in ``refs`` whose other end is of ``other_types`` (any when
        None); an edge between two of ``refs`` appears once."""

    @abc.abstractmethod
    def sources(self) -> list[SourceInfo]: ...

    @abc.abstractmethod
    def unparsed(self, sha256: str | None = None, limit: int = 1000) -> list[dict]: ...

    # --- quarantine: documents that could not be ingested ----------------------
    @abc.abstractmethod
    def quarantine(self, path: str, sha256: str, size: int, reason: str, data: bytes | None = None) -> int:
        """Keep a rejected document (again: the reason is updated and the attempt counted); returns its id."""

    @abc.abstractmethod
    def quarantined(self, entry_id: int | None = None, with_data: bool = False) -> list[Quarantined]: ...

    @abc.abstractmethod
    def release(self, entry_id: int) -> None:
        """Forget a quarantined document (it has been ingested after all)."""

    # --- reads --------------------------------------------------------------
    @abc.abstractmethod
    def get_node(self, ref: NodeRef) -> Node | None: ...

    @abc.abstractmethod
    def neighbours(self, ref: NodeRef, edge_types: Iterable[str] | None = None,
                   limit: int = 500) -> list[tuple[Edge, Node]]: ...

    @abc.abstractmethod
    def subgraph(self, ref: NodeRef, hops: int = 2, node_types: Iterable[str] | None = None,
                 limit: int = 200) -> Subgraph: ...

    @abc.abstractmethod
    def shortest_path(self, a: NodeRef, b: NodeRef, max_hops: int = 6) -> list[Edge] | None: ...

    @abc.abstractmethod
    def search(self, query: str, limit: int = 20, types: Iterable[str] | None = None) -> list[SearchHit]: ...

    def search_similar(self, query: str, limit: int = 200, types: Iterable[str] | None = None) -> list[SearchHit]:
        """Candidates for fuzzy name matching: nodes whose searchable text shares pieces of the query, the
        closest first (typos allowed; the caller scores them). Backends without such an index return what
        :meth:`search` finds."""
        return self.search(query, limit=limit, types=types)

    @abc.abstractmethod
    def provenance(self, ref: NodeRef, edge: Edge | None = None) -> list[Evidence]:
        """Evidence for a node's property values, or for one edge when ``edge`` is given."""

    @abc.abstractmethod
    def projection(self, node_types: Iterable[str] | None = None,
                   edge_types: Iterable[str] | None = None) -> Projection: ...

    def array_projection(self, node_types: Iterable[str]) -> ArrayProjection:
        """:meth:`projection` as arrays, for whole-graph computations (a backend may read it faster)."""
        import numpy as np

        proj = self.projection(node_types=node_types)
        refs: list[NodeRef] = [None] * len(proj.names)  # type: ignore[list-item]
        for ref, i in proj.node_ids.items():
            refs[i] = ref
        src = np.fromiter((s for s, _, _ in proj.edges), np.int64, count=len(proj.edges))
        dst = np.fromiter((d for _, d, _ in proj.edges), np.int64, count=len(proj.edges))
        return ArrayProjection(refs, list(proj.names), src, dst)

    def property_values(self, node_type: str, prop: str) -> list[tuple[str, str | None, str]]:
        """(key, name, first value of ``prop`` or '') of every node of a type: a light listing (e.g. operators
        with their size) that does not load every property of every node as :meth:`iter_nodes` does."""
        return [(n.key, n.name, (n.props.get(prop) or [""])[0]) for n in self.iter_nodes(node_type)]

    @abc.abstractmethod
    def source_edges(self, sha256: str, edge_type: str, prop: str, value: str, rank_by: str,
                     limit: int) -> tuple[int, list[Edge]]:
        """Edges of ``edge_type`` that the Source ``sha256`` states with ``prop`` = ``value``: how many there
        are, and the first ``limit`` of them, highest numeric ``rank_by`` first, then by their ends' keys (e.g.
        the review band of the last resolution run, without reading the whole run)."""

    @abc.abstractmethod
    def counts(self) -> tuple[dict[str, int], dict[str, int]]:
        """(nodes by type, edges by type)."""

    def count_nodes(self, node_type: str) -> int:
        """Nodes of one type (without counting every node and edge, as :meth:`counts` does)."""
        return self.counts()[0].get(node_type, 0)

    @abc.abstractmethod
    def iter_nodes(self, node_type: str | None = None) -> Iterator[Node]: ...

    @abc.abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> "GraphStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
