"""The Search page: one box for any alias, URL, seller id, e-mail, phone, account, domain or address (names
also match with typos); results grouped by type, each linked to the page that shows it."""

from __future__ import annotations

import streamlit as st

from graph.model import get_model

from dashboard.finder import find, group
from dashboard.state import cache_key, goto, page_link, take_param

HOW = {"exact": "exact identifier", "text": "contains the text", "fuzzy": "similar name"}


@st.cache_data(show_spinner=False, max_entries=64)
def _find(_store, key: tuple, query: str):
    return find(_store, query)


def render(store) -> None:
    st.header("Search")
    take_param("q", "q")
    query = st.text_input("Alias, URL, seller id, e-mail, phone, account, domain or address", key="q",
                          placeholder="e.g. Sunny Bloom Shop, huaxin.pay@outlook.com, +86 138 0013 8000")
    query = " ".join(query.split())
    if not query:
        return
    found = _find(store, cache_key(store), query)
    if not found:
        st.warning("No match.")
        return
    model = get_model()
    grouped = group(found)
    st.caption(f"{len(found)} results: " + ", ".join(f"{len(v)} {model.node(t).label}" for t, v in grouped.items()))
    for node_type, items in grouped.items():
        st.subheader(f"{model.node(node_type).label} ({len(items)})")
        st.dataframe([{"name": f.name, "key": f.key, "matched": f.matched, "match": HOW[f.how],
                       "similarity": f.score, "page": f.page, "open": page_link(f.page, **dict(f.params))}
                      for f in items], hide_index=True, key=f"search_{node_type}",
                     column_config={"open": st.column_config.LinkColumn("open", display_text="open")})
    labels = {i: f"{model.node(f.type).label}: {f.name or f.key} ({f.key})" for i, f in enumerate(found)}
    cols = st.columns([4, 1])
    pick = cols[0].selectbox("Go to", list(labels), format_func=labels.get, key="search_pick")
    if cols[1].button("Open", key="search_open"):
        chosen = found[pick]
        goto(chosen.page, **dict(chosen.params))
