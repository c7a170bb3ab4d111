"""The Explorer page: the k-hop neighbourhood of any entity (node-type filters, a node cap: "showing 200 of
3,412 nodes"), and the shortest path between two entities with the documents behind each hop."""

from __future__ import annotations

import streamlit as st

from graph.analytics.paths import find_path, neighbourhood, parse_ref
from graph.errors import GraphError
from graph.model import get_model
from graph.reports.selection import cite_all
from graph.store.base import Subgraph

from dashboard.network import render_network
from dashboard.state import cache_key, page_link, take_param

REF_HELP = "TYPE:KEY, e.g. Storefront:amazon:A1HX7Q2M9ZK3LP or Email:service@huaxin-direct.com"


@st.cache_data(show_spinner=False, max_entries=32)
def _neighbourhood(_store, key: tuple, ref: str, hops: int, types: tuple[str, ...], cap: int):
    sub = neighbourhood(_store, parse_ref(ref), hops=hops, node_types=types or None, limit=cap)
    return sub, render_network(sub, focus=[parse_ref(ref)])


@st.cache_data(show_spinner=False, max_entries=32)
def _path(_store, key: tuple, a: str, b: str, max_hops: int):
    hops = find_path(_store, parse_ref(a), parse_ref(b), max_hops=max_hops)
    if not hops:
        return hops, None
    nodes = {}
    for h in hops:
        for ref in (h.edge.src, h.edge.dst):
            if ref not in nodes:
                nodes[ref] = _store.get_node(ref)
    sub = Subgraph([n for n in nodes.values() if n is not None], [h.edge for h in hops], len(nodes))
    return hops, render_network(sub, height="420px", focus=[parse_ref(a), parse_ref(b)])


def render(store) -> None:
    st.header("Explorer")
    key = cache_key(store)
    _around(store, key)
    _between(store, key)


def _around(store, key: tuple) -> None:
    st.subheader("Neighbourhood")
    take_param("ref", "ex_ref")
    ref = st.text_input("Entity", key="ex_ref", placeholder=REF_HELP, help=REF_HELP).strip()
    cols = st.columns([1, 3, 1])
    hops = cols[0].slider("Hops", 1, 4, 2, key="ex_hops")
    types = cols[1].multiselect("Only these types (the entity itself is always shown)", list(get_model().nodes),
                                key="ex_types")
    cap = int(cols[2].number_input("Node cap", min_value=5, max_value=2000, value=200, step=50, key="ex_cap"))
    if not ref:
        return
    try:
        sub, page = _neighbourhood(store, key, ref, hops, tuple(sorted(types)), cap)
    except GraphError as exc:
        st.error(str(exc))
        return
    more = " (raise the cap or filter by type to see the rest)" if sub.truncated else ""
    st.caption(f"showing {len(sub.nodes):,} of {sub.total_nodes:,} nodes within {hops} hops{more}")
    st.iframe(page, height=620)
    st.dataframe([{"type": n.type, "name": n.name or "", "key": n.key,
                   "explore": page_link("Explorer", ref=f"{n.type}:{n.key}")} for n in sub.nodes],
                 hide_index=True, key="ex_nodes",
                 column_config={"explore": st.column_config.LinkColumn("explore", display_text="explore")})


def _between(store, key: tuple) -> None:
    st.subheader("Shortest path between two entities")
    cols = st.columns([2, 2, 1])
    a = cols[0].text_input("From", key="ex_from", placeholder=REF_HELP).strip()
    b = cols[1].text_input("To", key="ex_to", placeholder=REF_HELP).strip()
    max_hops = cols[2].slider("Max hops", 1, 8, 6, key="ex_max")
    if not (a and b):
        return
    try:
        hops, page = _path(store, key, a, b, max_hops)
    except GraphError as exc:
        st.error(str(exc))
        return
    if hops is None:
        st.warning(f"No path within {max_hops} hops.")
        return
    if not hops:
        st.info("Both are the same entity.")
        return
    st.caption(f"{len(hops)} hops")
    st.dataframe([{"from": str(h.edge.src), "edge": h.edge.type, "to": str(h.edge.dst),
                   "evidence": cite_all(h.evidence, limit=3)} for h in hops], hide_index=True, key="ex_path")
    st.iframe(page, height=460)
