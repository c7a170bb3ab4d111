"""Interop exports of the whole graph: FollowTheMoney entities (JSON lines, for Aleph / OpenSanctions users),
GraphML (Gephi, yEd), and CSV files for ``neo4j-admin database import full``.

Edges are read node by node through the store contract (``iter_nodes`` + ``neighbours``), so every backend
exports the same way; fine for case-sized graphs (a few hundred thousand edges).
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from graph.model import get_model
from graph.store.base import Edge, GraphStore, Node

INTEROP_FORMATS = ("ftm", "graphml", "neo4j-csv")
MULTI_SEP = " | "
# FollowTheMoney schemata for our node types; identifiers become properties of the entities that use them.
FTM_SCHEMA = {"Storefront": "LegalEntity", "Seller": "Company", "Operator": "Organization",
              "PaymentAccount": "BankAccount", "Address": "Address", "Domain": None, "Email": None, "Phone": None,
              "Infrastructure": None, "Listing": None, "Brand": None, "Case": None}
FTM_PROPERTY = {"Email": "email", "Phone": "phone", "Domain": "website", "Address": "address"}


def iter_edges(store: GraphStore) -> Iterator[Edge]:
    """Every edge once (from its source node), in a stable order."""
    for node in store.iter_nodes():
        out = [e for e, _ in store.neighbours(node.ref, limit=1_000_000) if e.src == node.ref]
        yield from sorted(out, key=lambda e: (e.type, e.dst.type, e.dst.key))


def ftm_id(node_type: str, key: str) -> str:
    return "ig-" + hashlib.sha1(f"{node_type}:{key}".encode()).hexdigest()[:20]


def _ftm_entity(node: Node) -> dict | None:
    schema = FTM_SCHEMA.get(node.type)
    if schema is None:
        return None
    p = node.props
    props: dict[str, list[str]] = {"name": p.get("name") or [node.name or node.key]}
    if node.type == "Storefront":
        props.update(website=p.get("url", []), sourceUrl=p.get("url", []), notes=[f"marketplace: {m}" for m in
                     p.get("marketplace", [])[:1]], idNumber=p.get("platform_id", []))
        props["alias"] = p.get("name", [])[1:]
    elif node.type == "Seller":
        props.update(country=[c.lower() for c in p.get("country", [])], legalForm=p.get("legal_form", []))
    elif node.type == "PaymentAccount":
        acc = p.get("account") or [node.key]
        props = {"accountNumber": acc, "bankName": p.get("bank", []) or p.get("provider", []),
                 "country": [c.lower() for c in p.get("country", [])]}
        if p.get("provider") == ["iban"]:
            props["iban"] = [node.key.split(":", 1)[-1]]
    elif node.type == "Address":
        props = {"full": p.get("value") or [node.key], "city": p.get("city", []), "postalCode": p.get("postcode", []),
                 "country": [c.lower() for c in p.get("country", [])]}
    return {"id": ftm_id(node.type, node.key), "schema": schema,
            "properties": {k: sorted(set(v)) for k, v in props.items() if v}}


def export_ftm(store: GraphStore, path: Path) -> int:
    """Entities for storefronts, sellers, operators, accounts and addresses; e-mails, phones and domains as
    properties of the entities using them; every other edge as an UnknownLink with its type as the role."""
    entities: dict[str, dict] = {}
    for node in store.iter_nodes():
        ent = _ftm_entity(node)
        if ent:
            entities[ent["id"]] = ent
    links = []
    for e in iter_edges(store):
        src = ftm_id(*e.src)
        if src in entities and e.dst.type in FTM_PROPERTY and FTM_SCHEMA[e.dst.type] is None:
            entities[src]["properties"].setdefault(FTM_PROPERTY[e.dst.type], [])
            entities[src]["properties"][FTM_PROPERTY[e.dst.type]] = sorted(
                set(entities[src]["properties"][FTM_PROPERTY[e.dst.type]]) | {e.dst.key})
            continue
        dst = ftm_id(*e.dst)
        if src in entities and dst in entities:
            if e.dst.type == "Address":
                entities[src]["properties"].setdefault("addressEntity", []).append(dst)
            lid = "ig-" + hashlib.sha1(f"{e.type}:{src}:{dst}".encode()).hexdigest()[:20]
            links.append({"id": lid, "schema": "UnknownLink",
                          "properties": {"subject": [src], "object": [dst], "role": [e.type.lower().replace("_", " ")]}})
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        for ent in sorted(entities.values(), key=lambda x: x["id"]) + sorted(links, key=lambda x: x["id"]):
            fh.write(json.dumps(ent, ensure_ascii=False, sort_keys=True) + "\n")
    return len(entities) + len(links)


def export_graphml(store: GraphStore, path: Path) -> int:
    import networkx as nx

    g = nx.MultiDiGraph()
    for node in store.iter_nodes():
        attrs = {"type": node.type, "key": node.key, "label": node.name or node.key}
        attrs.update({p: MULTI_SEP.join(v) for p, v in sorted(node.props.items()) if p not in attrs})
        g.add_node(f"{node.type}:{node.key}", **attrs)
    for e in iter_edges(store):
        g.add_edge(f"{e.src.type}:{e.src.key}", f"{e.dst.type}:{e.dst.key}", type=e.type, **dict(sorted(e.props.items())))
    for _, data in g.nodes(data=True):  # GraphML keys need one type per attribute: strings throughout
        for k in list(data):
            data[k] = str(data[k])
    path.parent.mkdir(parents=True, exist_ok=True)
    nx.write_graphml(g, str(path), encoding="utf-8", prettyprint=True)
    return g.number_of_nodes() + g.number_of_edges()


def _header(prop: str) -> str:
    """neo4j-admin reads 'name:type' in headers: a property named 'extra:Notes' becomes 'extra_Notes'."""
    return prop.replace(":", "_")


def export_neo4j_csv(store: GraphStore, directory: Path) -> int:
    """One nodes file per type (``:ID`` is ``Type:key``, ``:LABEL`` the type, properties as strings with
    several values joined by ' | ') and one relationships file per type, plus ``import.sh`` with the command."""
    model = get_model()
    directory.mkdir(parents=True, exist_ok=True)
    by_type: dict[str, list[Node]] = defaultdict(list)
    for node in store.iter_nodes():
        by_type[node.type].append(node)
    files, n = [], 0
    for t, nodes in sorted(by_type.items()):
        props = sorted({p for node in nodes for p in node.props} - {"key", "name"})
        name = f"nodes_{t}.csv"
        with (directory / name).open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow([":ID", "key", "name", *(_header(p) for p in props), ":LABEL"])
            for node in sorted(nodes, key=lambda x: x.key):
                w.writerow([f"{t}:{node.key}", node.key, node.name or "",
                            *(MULTI_SEP.join(node.props.get(p, [])) for p in props), t])
                n += 1
        files.append(("--nodes", name))
    edges: dict[str, list[Edge]] = defaultdict(list)
    for e in iter_edges(store):
        edges[e.type].append(e)
    for t, es in sorted(edges.items()):
        props = sorted(set(model.edges[t].properties) | {p for e in es for p in e.props}) if t in model.edges else \
            sorted({p for e in es for p in e.props})
        name = f"relationships_{t}.csv"
        with (directory / name).open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow([":START_ID", ":END_ID", ":TYPE", *(_header(p) for p in props)])
            for e in es:
                w.writerow([f"{e.src.type}:{e.src.key}", f"{e.dst.type}:{e.dst.key}", t, *(e.props.get(p, "") for p in props)])
                n += 1
        files.append(("--relationships", name))
    args = " ".join(f"{flag}={name}" for flag, name in files)
    (directory / "import.sh").write_text(
        "#!/bin/sh\n# Run from this directory on a stopped Neo4j (creates database 'infringer')\n"
        f"neo4j-admin database import full infringer {args}\n", encoding="utf-8")
    return n


def export_interop(store: GraphStore, fmt: str, path: Path) -> int:
    if fmt == "ftm":
        return export_ftm(store, path)
    if fmt == "graphml":
        return export_graphml(store, path)
    return export_neo4j_csv(store, path)
