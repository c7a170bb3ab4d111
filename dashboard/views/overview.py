"""The Overview page: counts by type, operators, sources."""

from __future__ import annotations

import streamlit as st

from graph.model import get_model


def render(store) -> None:
    model = get_model()
    st.header("Overview")
    nodes, edges = store.counts()
    cols = st.columns(4)
    for col, t in zip(cols, ("Storefront", "Operator", "PaymentAccount", "Email")):
        col.metric(model.node(t).label, nodes.get(t, 0))
    st.subheader("Nodes by type")
    st.dataframe([{"type": t, "count": nodes.get(t, 0)} for t in model.nodes], hide_index=True)
    st.subheader("Operators")
    rows = []
    for op in store.iter_nodes("Operator"):
        members = store.neighbours(op.ref, edge_types=["CONTROLS"])
        rows.append({"operator": op.key, "name": op.name, "storefronts": len(members),
                     "aliases": ", ".join(sorted({n.name or n.key for _, n in members}))[:200]})
    rows.sort(key=lambda r: -r["storefronts"])
    if rows:
        st.dataframe(rows, hide_index=True)
    else:
        st.info("No operators yet: run `infringer-graph resolve`.")
    st.subheader("Sources")
    st.dataframe([{"path": s.path, "parser": s.parser, "records": s.records, "sha256": s.sha256[:12],
                   "ingested": s.ingested_at} for s in store.sources()], hide_index=True)
