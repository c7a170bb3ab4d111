"""What parsers produce (Records of raw values) and what the store takes (statements).

The small immutable types are NamedTuples: millions of them are made per large ingest.

A parser turns bytes into Records: raw text values tagged with the canonical
field they belong to and where in the document they were found. ``graph.facts``
turns Records into statements about nodes and edges, each carrying its locator;
the store adds the Source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple


class Value(NamedTuple):
    """One raw value from a document.

    ``field`` is a canonical field name from ``graph/schema/fields.yaml``, or
    ``None`` for a column the parser could not map (kept as an extra property
    named ``column``).
    """

    field: str | None
    raw: str
    locator: str
    column: str | None = None


class Record(NamedTuple):
    """The values a document states about one subject (e.g. one storefront row)."""

    subject: str
    locator: str
    values: tuple[Value, ...]
    hints: tuple[tuple[str, str], ...] = ()


class NodeRef(NamedTuple):
    type: str
    key: str

    def __str__(self) -> str:
        return f"{self.type}:{self.key}"


class NodeStatement(NamedTuple):
    """``node`` has property ``prop`` = ``value``, as stated at ``locator``.

    Every mention of a node yields at least one statement (its display value,
    or ``key`` when it has none), so a node exists exactly as long as some
    Source still states something about it.
    """

    node: NodeRef
    prop: str
    value: str
    locator: str


class EdgeStatement(NamedTuple):
    type: str
    src: NodeRef
    dst: NodeRef
    locator: str
    props: tuple[tuple[str, str], ...] = ()


@dataclass(slots=True)
class EdgeBlock:
    """Many edges of one type as columns: row i says ``type`` from ``src[i]`` to ``dst[i]`` at ``locators[i]``
    with the properties in the JSON object text ``props[i]``. It means exactly what one EdgeStatement per row
    means; a writer of hundreds of thousands of edges (a resolution run) hands them over this way, and a store
    may write them in bulk (:meth:`statements` gives them one by one)."""

    type: str
    src: list[NodeRef]
    dst: list[NodeRef]
    locators: list[str]
    props: list[str]

    def __post_init__(self) -> None:
        if not len(self.src) == len(self.dst) == len(self.locators) == len(self.props):
            raise ValueError("an EdgeBlock's columns differ in length")

    def __len__(self) -> int:
        return len(self.src)

    def statements(self) -> list[EdgeStatement]:
        import json

        return [EdgeStatement(self.type, NodeRef(*s), NodeRef(*d), loc, tuple(json.loads(p).items()))
                for s, d, loc, p in zip(self.src, self.dst, self.locators, self.props)]


class Unparsed(NamedTuple):
    """A value that did not clean, kept verbatim with the reason."""

    field: str
    raw: str
    reason: str
    locator: str
    subject: NodeRef | None = None


@dataclass(slots=True)
class Facts:
    """Statements from some records.

    ``derived`` holds properties that are functions of a node's key (the
    marketplace of ``amazon:A1…``, the country of ``+86…``): they need no
    provenance of their own, the key's provenance covers them.
    """

    nodes: list[NodeStatement] = field(default_factory=list)
    edges: list[EdgeStatement] = field(default_factory=list)
    unparsed: list[Unparsed] = field(default_factory=list)
    derived: dict[NodeRef, dict[str, str]] = field(default_factory=dict)
    records: int = 0
    blocks: list[EdgeBlock] = field(default_factory=list)  # edges in bulk, besides ``edges``

    def derive(self, ref: NodeRef, props) -> None:
        if props:
            self.derived.setdefault(ref, {}).update(props)

    def extend(self, other: "Facts") -> None:
        self.nodes.extend(other.nodes)
        self.edges.extend(other.edges)
        self.unparsed.extend(other.unparsed)
        self.blocks.extend(other.blocks)
        for ref, props in other.derived.items():
            self.derive(ref, props)
        self.records += other.records

    def plain(self) -> "Facts":
        """The same facts with statements as plain tuples: about five times cheaper to send between
        processes than NamedTuples. Stores unpack statements positionally, so they take either form.
        A node's plain reference is one object for all its statements: pickle then sends it once."""
        refs: dict[tuple[str, str], tuple[str, str]] = {}
        for ref in self.derived:
            refs[ref] = tuple(ref)
        for s in self.nodes:
            if s[0] not in refs:
                refs[s[0]] = tuple(s[0])
        for e in self.edges:
            for ref in (e[1], e[2]):
                if ref not in refs:
                    refs[ref] = tuple(ref)
        return Facts(nodes=[(refs[s[0]], s[1], s[2], s[3]) for s in self.nodes],
                     edges=[(e[0], refs[e[1]], refs[e[2]], e[3], e[4]) for e in self.edges],
                     unparsed=self.unparsed, derived={refs[k]: v for k, v in self.derived.items()},
                     records=self.records, blocks=self.blocks)

    def unblocked(self) -> "Facts":
        """The same facts with the blocks' edges as statements (for a store without a bulk path)."""
        if not self.blocks:
            return self
        return Facts(nodes=self.nodes, edges=[*self.edges, *(e for b in self.blocks for e in b.statements())],
                     unparsed=self.unparsed, derived=self.derived, records=self.records)

    def __len__(self) -> int:
        return len(self.nodes) + len(self.edges) + len(self.unparsed) + sum(len(b) for b in self.blocks)
