"""Mentions and relations -> graph statements (nodes, edges with the Source's character spans).

Every mention that cleans into a node key gives a statement located at ``chars S-E`` (original text
offsets); every relation gives an edge of the model's type located at its evidence sentence, with
``confidence`` (high / low) and ``via`` = ``nlp`` as edge properties. Scale figures become properties of the
storefront they describe. Nothing here raises for odd mentions: what cannot become a fact is skipped.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures.process import BrokenProcessPool

from graph.clean import clean
from graph.model import Model, get_model
from graph.records import EdgeStatement, Facts, NodeRef, NodeStatement

from nlp.labels import mention_node_types
from nlp.pipeline import Extraction, extract, extract_many

# (relation type, tail node type, head node type) -> edge type of the model
_EDGES = {
    ("USES", "Email"): "USES_EMAIL", ("USES", "Phone"): "USES_PHONE", ("USES", "Domain"): "USES_DOMAIN",
    ("USES", "Infrastructure"): "USES_INFRASTRUCTURE", ("PAID_TO", "PaymentAccount"): "PAID_TO",
    ("SHIPS_FROM", "Address"): "SHIPS_FROM", ("OPERATED_BY", "Seller"): "OPERATED_BY",
    ("SELLS", "Brand"): "INFRINGES", ("LISTS", "Listing"): "LISTS",
}
_SELLER_EDGES = {"PAID_TO": "HOLDS", "SHIPS_FROM": "LOCATED_AT"}
# a table cell's identifiers belong to the row's subject: (subject type, identifier node type) -> edge type
_CELL_EDGES = {"Email": "USES_EMAIL", "Phone": "USES_PHONE", "Domain": "USES_DOMAIN",
               "Infrastructure": "USES_INFRASTRUCTURE", "PaymentAccount": "PAID_TO", "Address": "SHIPS_FROM",
               "Brand": "INFRINGES", "Seller": "OPERATED_BY"}
_SELLER_CELL_EDGES = {"PaymentAccount": "HOLDS", "Address": "LOCATED_AT"}
LOW = (("confidence", "low"), ("via", "nlp"))
_SCALE_PROPS = {"units_sold": "units_sold", "reviews": "reviews", "revenue": "revenue", "price": "price"}


def _infra_props(m) -> list[tuple[str, str]]:
    """``kind`` (and ``app`` of a chat id) of an Infrastructure mention (declared in infrastructure.yaml)."""
    if m.label == "MESSENGER":
        return [("kind", "messenger"), ("app", m.props.get("app", ""))] if m.props.get("app") else [("kind", "messenger")]
    if m.label == "TRACKING":
        return [("kind", "tracking")]
    c = clean("infrastructure", m.key)
    return [("kind", c.props["kind"])] if c.ok and c.props.get("kind") else []


def chars(start: int, end: int, prefix: str = "") -> str:
    return f"{prefix}chars {start}-{end}"


def extraction_facts(ex: Extraction, prefix: str = "", model: Model | None = None) -> Facts:
    """Statements for one Extraction; ``prefix`` places it inside the document (e.g. ``"body, "``)."""
    model = model or get_model()
    types = mention_node_types(model)
    facts = Facts()
    refs: dict[int, NodeRef] = {}
    # a store name written next to its platform id / URL names that storefront (keyed by the id)
    same = {r.head: r.tail for r in ex.relations if r.type == "SAME_AS" and ex.mentions[r.tail].key}
    for i, m in enumerate(ex.mentions):
        node = m.node or types.get(m.label)
        if not node or not m.key or node not in model.nodes:
            continue
        if i in same:
            ref = NodeRef("Storefront", ex.mentions[same[i]].key)
        else:
            ref = NodeRef(node, f"unknown:name:{m.key}" if m.label == "STORE_NAME" else m.key)
        refs[i] = ref
        prop = model.node(node).name_property
        value = m.text if m.label in ("STORE_NAME", "COMPANY", "PERSON") else (m.value or m.key)
        if node == "Storefront" and m.label != "STORE_NAME":
            prop, value = ("url", m.value) if m.label == "STORE_URL" else ("platform_id", m.value)
        facts.nodes.append(NodeStatement(ref, prop, value, chars(m.start, m.end, prefix)))
        if node == "Infrastructure":
            for prop, val in _infra_props(m):
                facts.nodes.append(NodeStatement(ref, prop, val, chars(m.start, m.end, prefix)))
        if m.label == "BRAND" and m.score < 1.0:  # a misspelt / look-alike form and how close it is
            facts.nodes.append(NodeStatement(ref, "variant", m.text, chars(m.start, m.end, prefix)))
            facts.nodes.append(NodeStatement(ref, "variant_score", f"{m.score:.2f}", chars(m.start, m.end, prefix)))
    for r in ex.relations:
        head, tail = refs.get(r.head), refs.get(r.tail)
        m_tail = ex.mentions[r.tail]
        locator = chars(r.evidence[0], r.evidence[1], prefix)
        if head is None:
            continue
        if r.type == "SCALE_OF" and head.type == "Storefront":
            kind = m_tail.props.get("scale_kind", "")
            if kind in _SCALE_PROPS:
                facts.nodes.append(NodeStatement(head, _SCALE_PROPS[kind], m_tail.value, chars(m_tail.start,
                                                                                                 m_tail.end, prefix)))
            continue
        if tail is None or tail == head or r.type == "SAME_AS":
            continue
        if r.type == "ALIAS_OF" and head.type == tail.type == "Storefront":
            # two names of one store: the alias is a name of the head storefront
            facts.nodes.append(NodeStatement(head, "name", m_tail.text, chars(m_tail.start, m_tail.end, prefix)))
            continue
        etype = _EDGES.get((r.type, tail.type)) or _EDGES.get(("LISTS", tail.type))
        if head.type == "Seller":
            etype = _SELLER_EDGES.get(r.type, etype)
        if etype is None or etype not in model.edges:
            continue
        edge = model.edge(etype)
        src, dst = head, tail
        if head.type not in edge.sources and tail.type in edge.sources and head.type in edge.targets:
            src, dst = tail, head
        if src.type not in edge.sources or dst.type not in edge.targets:
            continue
        facts.edges.append(EdgeStatement(etype, src, dst, locator, (("confidence", r.confidence), ("via", "nlp"))))
    return facts


PARALLEL_TEXT = 1_000_000  # characters: a longer text is searched in several processes (on a multi-core machine)


def _processes(text: str) -> int:
    """Worker processes for one text: one per core for a text of PARALLEL_TEXT characters or more, when this
    is the main process (a worker of a process pool never starts processes of its own)."""
    if len(text) < PARALLEL_TEXT or multiprocessing.parent_process() is not None:
        return 1
    return max(1, min(os.cpu_count() or 1, 8))


def text_facts(text: str, prefix: str = "", watchlist: tuple[str, ...] = (), n_process: int | None = None) -> Facts:
    """Facts of one free text (a note, an e-mail body); never raises for odd text (fewer facts instead).
    ``n_process``: worker processes for the NLP stage (default: several for a long text, see ``_processes``;
    the facts are the same either way)."""
    try:
        n = _processes(text) if n_process is None else n_process
        if n > 1:
            try:
                return extraction_facts(next(extract_many([(text, watchlist)], n_process=n)), prefix)
            except BrokenProcessPool:  # a worker died (out of memory?): once more in this process
                pass
        return extraction_facts(extract(text, watchlist), prefix)
    except (ValueError, RecursionError, MemoryError):  # a pathological text must not lose the document
        return Facts()


def _without_named_stores(found: Facts) -> Facts:
    """A table row already names its storefront: a store named only by its name inside a cell ("relisted
    after the takedown of Sunny Bloom Shop") would become a second, name-keyed storefront next to the one
    the table keys by URL or id. Such mentions are left out of cell facts (identifiers are kept)."""
    named = {st.node for st in found.nodes
             if st.node.type == "Storefront" and st.node.key.startswith("unknown:name:")}
    if not named:
        return found
    out = Facts()
    out.nodes = [st for st in found.nodes if st.node not in named]
    out.edges = [e for e in found.edges if e.src not in named and e.dst not in named]
    out.unparsed = found.unparsed
    for ref, props in found.derived.items():
        if ref not in named:
            out.derive(ref, props)
    return out


def cell_facts(cells: list[tuple[NodeRef, str, str]], watchlist: tuple[str, ...] = (),
               model: Model | None = None) -> Facts:
    """Facts of free-text table cells, each given as (row subject, text, cell locator): the cell's own
    mentions and relations (located ``{cell locator}, chars S-E``), and an edge from the row's subject to
    each identifier found in the cell, marked ``confidence: low`` (the cell says the identifier is about
    the row, not how). Never raises for odd text (fewer facts instead)."""
    model = model or get_model()
    facts = Facts()
    try:
        for (subject, _, locator), ex in zip(cells, extract_many((text, watchlist) for _, text, _ in cells)):
            found = _without_named_stores(extraction_facts(ex, f"{locator}, ", model))
            facts.extend(found)
            linked: set[NodeRef] = set()
            for st in found.nodes:
                ref = st.node
                if ref == subject or ref in linked:
                    continue
                etype = (_SELLER_CELL_EDGES.get(ref.type) if subject.type == "Seller" else None) or \
                    _CELL_EDGES.get(ref.type)
                edge = model.edges.get(etype) if etype else None
                if edge is None or subject.type not in edge.sources or ref.type not in edge.targets:
                    continue
                linked.add(ref)
                facts.edges.append(EdgeStatement(etype, subject, ref, st.locator, LOW))
    except (ValueError, RecursionError, MemoryError):  # a pathological cell must not lose the document
        pass
    return facts
