"""The Entity page: one node's properties, neighbourhood network and evidence."""

from __future__ import annotations

import streamlit as st

from graph.model import get_model
from graph.records import NodeRef

from dashboard.network import render_network
from dashboard.state import take_param


def render(store) -> None:
    model = get_model()
    st.header("Entity")
    types = list(model.nodes)
    take_param("type", "etype")
    take_param("key", "ekey")
    if st.session_state.get("etype") not in types:
        st.session_state.pop("etype", None)
    if "etype" not in st.session_state:  # a default, unless a link already chose the type
        st.session_state["etype"] = "Storefront"
    node_type = st.selectbox("Type", types, key="etype")
    key = st.text_input("Key", key="ekey")
    hops = st.slider("Hops", 1, 3, 2, key="hops")
    if not key:
        return
    node = store.get_node(NodeRef(node_type, key))
    if node is None:
        st.warning(f"No {node_type} with key {key!r}.")
        return
    st.subheader(node.name or node.key)
    st.dataframe([{"property": p, "values": " | ".join(v)} for p, v in node.props.items()], hide_index=True)
    sub = store.subgraph(node.ref, hops=hops, limit=200)
    st.caption(f"showing {len(sub.nodes)} of {sub.total_nodes} nodes within {hops} hops")
    st.iframe(render_network(sub), height=580)
    st.subheader("Evidence")
    st.dataframe([{"source": e.path, "sha256": e.sha256[:12], "where": e.locator, "property": e.prop,
                   "value": e.value} for e in store.provenance(node.ref)], hide_index=True)
