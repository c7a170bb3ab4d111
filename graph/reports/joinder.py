"""The joinder evidence memo: the facts a set of defendants share, each with its document citations, kept
apart from mere similarities (same product, similar names, nearby addresses), which courts do not accept as
proof that defendants are related."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from graph.analytics.network import Link, first
from graph.records import NodeRef
from graph.reports.document import Document, Heading, Paragraph, Table
from graph.reports.output import format_of, write_document
from graph.reports.selection import Defendant, Selection, cite, sources_table_rows
from graph.store.base import Evidence, GraphStore

FORMATS = ("html", "pdf")
NOT_FACTS = {"Brand", "Listing", "Case"}  # sharing these is similarity (same product, same lawsuit)
KIND = {"PaymentAccount": "payment account", "Email": "e-mail address", "Phone": "phone number",
        "Address": "address", "Domain": "domain", "Infrastructure": "infrastructure", "Seller": "account holder / registrant"}
STRENGTH = {"PaymentAccount": 0, "Email": 1, "Seller": 2, "Address": 3, "Phone": 4, "Infrastructure": 5, "Domain": 6}
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class SharedFact:
    ref: NodeRef
    kind: str
    value: str
    defendants: tuple[int, ...]
    citations: tuple[tuple[int, Evidence], ...]  # (defendant no., evidence)


@dataclass(frozen=True)
class Similarity:
    kind: str
    defendants: tuple[int, ...]
    detail: str


def _evidence(store: GraphStore, member_ref: NodeRef, link: Link) -> list[Evidence]:
    ev = list(store.provenance(link.edge.src, link.edge))
    if link.via is not None:  # the storefront's own edge to the Seller/Domain is part of the proof
        for e, n in store.neighbours(member_ref, edge_types=None):
            if n.ref == link.via.ref:
                ev += store.provenance(e.src, e)
    return ev


def shared_facts(store: GraphStore, defendants: list[Defendant]) -> list[SharedFact]:
    holders: dict[NodeRef, dict[int, list[Link]]] = defaultdict(lambda: defaultdict(list))
    nodes = {}
    for d in defendants:
        for link in d.member.links:
            if link.node.type not in NOT_FACTS:
                holders[link.node.ref][d.number].append(link)
                nodes[link.node.ref] = link.node
    # the same mailbox written two ways (Gmail ignores dots): one fact, explained
    by_mailbox: dict[str, set[NodeRef]] = defaultdict(set)
    for ref, node in nodes.items():
        if ref.type == "Email" and first(node, "match_key"):
            by_mailbox[first(node, "match_key")].add(ref)
    facts = []
    ref_of = {d.number: d.member.ref for d in defendants}
    for ref, by_def in holders.items():
        if len(by_def) < 2:
            continue
        cites = tuple((no, e) for no in sorted(by_def) for lk in by_def[no] for e in _evidence(store, ref_of[no], lk))
        node = nodes[ref]
        kind = KIND.get(ref.type, ref.type)
        if ref.type == "Email" and any(lk.edge.props.get("role") == "registration" for lks in by_def.values() for lk in lks):
            kind = "registration e-mail address"
        facts.append(SharedFact(ref, "shared " + kind, node.name or node.key,
                                tuple(sorted(by_def)), tuple(sorted(set(cites), key=lambda c: (c[0], cite(c[1]))))))
    for key, refs in by_mailbox.items():
        users = {no: lk for r in refs for no, lks in holders[r].items() for lk in lks}
        if len(refs) >= 2 and len(users) >= 2:
            cites = tuple(sorted({(no, e) for r in refs for no, lks in holders[r].items() for lk in lks
                                  for e in _evidence(store, ref_of[no], lk)}, key=lambda c: (c[0], cite(c[1]))))
            value = " = ".join(sorted(nodes[r].name or r.key for r in refs)) + f" (one mailbox: {key})"
            facts.append(SharedFact(NodeRef("Email", key), "same e-mail mailbox (provider ignores dots/+tags)",
                                    value, tuple(sorted(users)), cites))
    facts.sort(key=lambda f: (STRENGTH.get(f.ref.type, 9), -len(f.defendants), f.value))
    return facts


def _words(name: str) -> set[str]:
    return set(_WORD.findall(name.casefold()))


def similarities(defendants: list[Defendant]) -> list[Similarity]:
    out = []
    for i, a in enumerate(defendants):
        for b in defendants[i + 1:]:
            wa, wb = _words(a.alias), _words(b.alias)
            if wa and wb and len(wa & wb) / len(wa | wb) >= 0.5:
                out.append(Similarity("similar names", (a.number, b.number), f"{a.alias!r} / {b.alias!r}"))
    by_premises: dict[str, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    by_brand: dict[str, set[int]] = defaultdict(set)
    for d in defendants:
        for lk in d.member.linked("Address"):
            if first(lk.node, "premises"):
                by_premises[first(lk.node, "premises")][d.number].add(lk.node.key)
        for lk in d.member.linked("Brand", "Listing"):
            by_brand[lk.node.name or lk.node.key].add(d.number)
    for premises, users in sorted(by_premises.items()):
        keys = {k for ks in users.values() for k in ks}
        if len(users) >= 2 and len(keys) >= 2:
            out.append(Similarity("addresses in the same building, not the same address", tuple(sorted(users)),
                                  premises))
    for brand, users in sorted(by_brand.items()):
        if len(users) >= 2:
            out.append(Similarity("same product or brand offered", tuple(sorted(users)), brand))
    return out


def _groups(defendants: list[Defendant], facts: list[SharedFact]) -> list[tuple[int, ...]]:
    parent = {d.number: d.number for d in defendants}

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x
    for f in facts:
        for other in f.defendants[1:]:
            parent[find(other)] = find(f.defendants[0])
    groups = defaultdict(list)
    for no in parent:
        groups[find(no)].append(no)
    return sorted((tuple(sorted(g)) for g in groups.values() if len(g) >= 2), key=lambda g: g[0])


def numbers(nos) -> str:
    return ", ".join(str(n) for n in nos)


def build_joinder(store: GraphStore, selection: Selection) -> tuple[Document, list[SharedFact]]:
    ds = selection.defendants
    facts = shared_facts(store, ds)
    sims = similarities(ds)
    groups = _groups(ds, facts)
    doc = Document("Joinder evidence memo", f"{len(ds)} defendants ({selection.basis})", selection.date)
    doc.add(Paragraph("This memo lists facts that two or more defendants share — the same payment account, "
                      "registration or contact e-mail, account holder, address, phone number or infrastructure — "
                      "each with the document, its sha256 and the place in it that states the fact. Similarities "
                      "(similar names, the same product, addresses in one building) are listed separately and "
                      "are not relied on: they are not evidence that defendants are related."))
    doc.add(Heading("1. Defendants"), Table(("No.", "Seller alias", "Platform", "Seller ID / URL", "Operator"),
            [(str(d.number), d.alias, d.platform, d.platform_id or d.url, d.operator.key if d.operator else "")
             for d in ds], (1, 4, 2, 5, 3)))
    doc.add(Heading("2. Groups linked by shared facts"))
    doc.add(Table(("Group", "Defendants", "Shared facts"),
                  [(str(i), numbers(g), str(sum(1 for f in facts if set(f.defendants) & set(g))))
                   for i, g in enumerate(groups, 1)], (1, 6, 2)) if groups else
            Paragraph("No two of these defendants share a fact in the evidence.", note=True))
    doc.add(Heading("3. Shared facts (relied on)"))
    rows = [(f.kind, f.value, numbers(f.defendants),
             "\n".join(f"Def. {no}: {cite(e)}" for no, e in f.citations)) for f in facts]
    doc.add(Table(("Fact", "Value", "Defendants", "Citations (file, sha256, locator)"), rows, (3, 4, 2, 9))
            if rows else Paragraph("None found.", note=True))
    doc.add(Heading("4. Similarities (not relied on)"),
            Paragraph("Listed for completeness only. Courts have rejected joinder resting on the same product, "
                      "similar names or similar wording; none of these is counted above.", note=True))
    doc.add(Table(("Similarity", "Defendants", "Detail"), [(s.kind, numbers(s.defendants), s.detail) for s in sims],
                  (3, 2, 6)) if sims else Paragraph("None found.", note=True))
    linked = {no for g in groups for no in g}
    alone = [d for d in ds if d.number not in linked]
    doc.add(Heading("5. Defendants without a shared fact"))
    doc.add(Paragraph(", ".join(f"{d.number} ({d.alias})" for d in alone) if alone else "None: every defendant "
                      "shares at least one fact with another.", note=bool(alone)))
    cited = {e.sha256 for f in facts for _, e in f.citations}
    doc.add(Heading("6. Sources cited"), Table(("File", "sha256", "Media type", "Parser", "Captured", "Ingested"),
                                               sources_table_rows(store, cited), (4, 7, 2, 2, 2, 2)))
    return doc, facts


def write_joinder(store: GraphStore, selection: Selection, path: Path, fmt: str | None = None) -> int:
    """Writes the memo; returns the number of shared facts."""
    fmt = format_of(path, FORMATS, fmt)
    doc, facts = build_joinder(store, selection)
    write_document(path, fmt, doc)
    return len(facts)
