"""Streamlit entry point: ``streamlit run dashboard/app.py`` (or ``infringer-graph dashboard``)."""

from __future__ import annotations

import streamlit as st
import streamlit.components.v1 as components

from graph.errors import GraphError
from graph.model import get_model
from graph.records import NodeRef
from graph.store import open_store, store_url

from dashboard.analytics import analytics_page
from dashboard.network import render_network
from dashboard.reports import reports_page

st.set_page_config(page_title="infringer-graph", layout="wide")


@st.cache_resource
def _store(url: str):
    return open_store(url, create=False)


def main() -> None:
    url = store_url()
    try:
        store = _store(url)
    except GraphError as exc:
        st.error(f"Cannot open the store: {exc}")
        st.stop()
    model = get_model()
    st.sidebar.title("infringer-graph")
    st.sidebar.caption(url)
    page = st.sidebar.radio("Page", ["Overview", "Search", "Entity", "Analytics", "Reports"], key="page")
    if page == "Overview":
        overview(store, model)
    elif page == "Search":
        search(store)
    elif page == "Analytics":
        analytics_page(store)
    elif page == "Reports":
        reports_page(store)
    else:
        entity(store, model)


def overview(store, model) -> None:
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


def search(store) -> None:
    st.header("Search")
    query = st.text_input("Alias, URL, seller id, e-mail, phone, account, domain or address", key="q")
    if not query:
        return
    hits = store.search(query, limit=50)
    if not hits:
        st.warning("No match.")
        return
    st.dataframe([{"type": h.type, "key": h.key, "name": h.name, "matched": h.matched, "exact": h.exact}
                  for h in hits], hide_index=True)


def entity(store, model) -> None:
    st.header("Entity")
    types = list(model.nodes)
    node_type = st.selectbox("Type", types, index=types.index("Storefront"), key="etype")
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
    components.html(render_network(sub), height=580)
    st.subheader("Evidence")
    st.dataframe([{"source": e.path, "sha256": e.sha256[:12], "where": e.locator, "property": e.prop,
                   "value": e.value} for e in store.provenance(node.ref)], hide_index=True)


main()
