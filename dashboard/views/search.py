"""The Search page: one box for any alias or identifier."""

from __future__ import annotations

import streamlit as st


def render(store) -> None:
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
