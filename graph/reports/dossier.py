"""The operator dossier: members and aliases, identifiers, a picture of the network, the scale profile, the
jurisdiction footprint, a timeline and the evidence list — one section per operator."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from graph.analytics.jurisdiction import operator_footprint
from graph.analytics.network import OperatorView, first, member_number
from graph.analytics.scale import ScaleConfig, profile_operator
from graph.reports.document import Document, Heading, Paragraph, Picture, Table
from graph.reports.output import format_of, write_document
from graph.reports.picture import render_network_svg
from graph.reports.selection import Selection, cite_all, sources_table_rows
from graph.store.base import GraphStore

FORMATS = ("html", "pdf")
IDENTIFIER_TYPES = ("PaymentAccount", "Email", "Phone", "Address", "Seller", "Domain", "Infrastructure")


def _members(view: OperatorView) -> Table:
    rows = []
    for m in view.members:
        no = member_number(m)
        rows.append(("" if no is None else str(no), " / ".join(m.node.props.get("name") or [m.node.key]),
                     first(m.node, "marketplace"), first(m.node, "platform_id"), first(m.node, "url"),
                     f"{m.confidence:g}"))
    return Table(("Sched. A No.", "Aliases", "Platform", "Seller ID", "URL", "Confidence"), rows, (2, 5, 2, 3, 6, 2))


def _identifiers(store: GraphStore, view: OperatorView) -> tuple[Table, set[str]]:
    users: dict[tuple[str, str], list] = defaultdict(list)
    for m in view.members:
        for lk in m.links:
            if lk.node.type in IDENTIFIER_TYPES:
                users[(lk.node.type, lk.node.name or lk.node.key)].append((m, lk))
    rows, shas = [], set()
    for (t, value), uses in sorted(users.items(), key=lambda kv: (IDENTIFIER_TYPES.index(kv[0][0]), kv[0][1])):
        ev = [e for _, lk in uses for e in store.provenance(lk.edge.src, lk.edge)]
        shas |= {e.sha256 for e in ev}
        stores = sorted({m.node.name or m.node.key for m, _ in uses})
        rows.append((t, value, str(len(stores)), ", ".join(stores), cite_all(ev, limit=3)))
    return Table(("Type", "Value", "Storefronts", "Used by", "Sources"), rows, (2, 5, 1, 5, 7)), shas


def _timeline(store: GraphStore, view: OperatorView) -> tuple[Table, set[str]]:
    sources = {s.sha256: s for s in store.sources()}
    events: dict[str, set[str]] = defaultdict(set)
    for m in view.members:
        for e in store.provenance(m.ref):
            events[e.sha256].add(m.node.name or m.node.key)
    for e in store.provenance(view.node.ref):
        events[e.sha256].add("(operator)")
    rows = []
    for sha, names in events.items():
        s = sources.get(sha)
        if s is None:
            continue
        when = (s.captured_at or s.ingested_at)[:19]
        what = "captured" if s.captured_at else "ingested"
        rows.append((when, what, s.path, s.parser, str(len(names - {"(operator)"})), ", ".join(sorted(names))[:300]))
    rows.sort()
    return Table(("When", "Event", "Document", "Parser", "Storefronts", "Named"), rows, (3, 2, 5, 2, 1, 6)), set(events)


def build_dossier(store: GraphStore, selection: Selection, config: ScaleConfig | None = None) -> Document:
    views = selection.operators or sorted({d.operator.key: d.operator for d in selection.defendants
                                           if d.operator}.values(), key=lambda v: v.key)
    doc = Document("Operator dossier", f"{len(views)} operators ({selection.basis})", selection.date)
    doc.add(Paragraph("Each section describes one operator as resolved from the evidence: the storefronts it "
                      "controls, the identifiers they use, a picture of the network, the commercial-scale factors "
                      "(factors for a person to weigh, not a legal conclusion), the countries involved, and the "
                      "documents behind every fact."))
    captured = {s.sha256: s.captured_at for s in store.sources() if s.captured_at}
    cited: set[str] = set()
    for n, view in enumerate(views, 1):
        profile = profile_operator(store, view, config, captured)
        doc.add(Heading(f"{n}. {view.name} ({view.key})"))
        doc.add(Paragraph(f"{len(view.members)} storefronts on {len(profile.marketplaces)} marketplaces "
                          f"({', '.join(profile.marketplaces)}). Scale score {profile.score:g}: "
                          + ("commercial-scale candidate (" + profile.reason + ")." if profile.candidate
                             else f"not flagged ({profile.reason}).")))
        doc.add(Heading("Members and aliases", 3), _members(view))
        table, shas = _identifiers(store, view)
        cited |= shas
        doc.add(Heading("Identifiers", 3), table)
        doc.add(Heading("Network", 3), Picture(render_network_svg(view), f"Network of {view.name}: the operator, "
                                               "its storefronts and what they link to."))
        doc.add(Heading("Commercial-scale profile", 3),
                Table(("Factor", "Value", "Points", "Of", "Explanation"),
                      [(f.label, "unknown" if f.value is None else f"{f.value:g}", f"{f.points:g}", f"{f.weight:g}",
                        f.explanation) for f in profile.factors], (4, 2, 1, 1, 8)))
        footprint = operator_footprint(store, view)
        rows = []
        for country, facts in footprint.countries().items():
            grouped: dict[tuple[str, str], list] = defaultdict(list)
            for f in facts:
                grouped[(f.basis, f.value)].append(f)
            for (basis, value), fs in sorted(grouped.items()):
                ev = [e for f in fs for e in f.evidence]
                cited |= {e.sha256 for e in ev}
                rows.append((country, basis, value, str(len({f.storefront for f in fs})), cite_all(ev, limit=2)))
        doc.add(Heading("Jurisdiction footprint", 3),
                Table(("Country", "Basis", "Value", "Storefronts", "Sources"), rows, (1, 2, 5, 1, 7)) if rows
                else Paragraph("No country stated in the evidence.", note=True))
        table, shas = _timeline(store, view)
        cited |= shas
        doc.add(Heading("Timeline", 3), table)
    doc.add(Heading("Evidence list"), Table(("File", "sha256", "Media type", "Parser", "Captured", "Ingested"),
                                            sources_table_rows(store, cited), (4, 7, 2, 2, 2, 2)))
    return doc


def write_dossier(store: GraphStore, selection: Selection, path: Path, fmt: str | None = None,
                  config: ScaleConfig | None = None) -> int:
    fmt = format_of(path, FORMATS, fmt)
    doc = build_dossier(store, selection, config)
    write_document(path, fmt, doc)
    return sum(isinstance(b, Picture) for b in doc.blocks)
