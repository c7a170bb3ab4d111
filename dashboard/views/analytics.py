"""The Analytics page: paths with evidence, jurisdictions of an operator, communities of operators and the
infrastructure they share (the same functions as the CLI's ``path``, ``jurisdictions`` and ``communities``)."""

from __future__ import annotations

import streamlit as st

from graph.analytics.communities import find_communities
from graph.analytics.jurisdiction import operator_footprint
from graph.analytics.network import load_operator
from graph.analytics.paths import find_path, parse_ref
from graph.errors import GraphError
from graph.reports.selection import cite_all


def render(store) -> None:
    st.header("Analytics")
    st.subheader("Path between two entities")
    a = st.text_input("From (TYPE:KEY)", key="path_a", placeholder="Storefront:ebay:sunnybloom_shop")
    b = st.text_input("To (TYPE:KEY)", key="path_b", placeholder="Storefront:temu:634418212233")
    if a and b:
        try:
            hops = find_path(store, parse_ref(a), parse_ref(b))
        except GraphError as exc:
            st.error(str(exc))
            hops = []
        if hops is None:
            st.warning("No path within 6 hops.")
        elif hops:
            st.dataframe([{"from": str(h.edge.src), "edge": h.edge.type, "to": str(h.edge.dst),
                           "evidence": cite_all(h.evidence, limit=2)} for h in hops], hide_index=True)
    operators = sorted(n.key for n in store.iter_nodes("Operator"))
    if operators:
        st.subheader("Jurisdiction footprint")
        op = st.selectbox("Operator", operators, key="juris_op")
        rows = [{"country": f.country, "basis": f.basis, "value": f.value, "storefront": f.storefront,
                 "evidence": cite_all(f.evidence, limit=1)}
                for f in operator_footprint(store, load_operator(store, op)).facts]
        if rows:
            st.dataframe(rows, hide_index=True)
        else:
            st.info("No country stated in the evidence.")
    st.subheader("Communities sharing suppliers, forwarders or infrastructure")
    communities, shared = find_communities(store)
    if communities:
        st.dataframe([{"community": c.number, "members": ", ".join(str(u) for u in c.units),
                       "shared": ", ".join(str(s) for s in c.shared)} for c in communities], hide_index=True)
        st.dataframe([{"node": str(s.ref), "name": s.name, "operators": s.units, "storefronts": s.storefronts,
                       "betweenness": s.betweenness} for s in shared[:50]], hide_index=True)
    else:
        st.info("No two operators share a node.")
