"""What the pages share: the open store, navigation between pages, and caches that end with the store's data.

Heavy queries are cached with ``st.cache_data`` keyed by :func:`generation`, a fingerprint of the store that
changes after every ingest, retract and resolution, so a cached answer never outlives the data it came from.
"""

from __future__ import annotations

import streamlit as st

from graph.store import open_store, store_url

PAGE_KEY = "page"


@st.cache_resource
def _open(url: str):
    return open_store(url, create=False)


def current_store():
    """The store the dashboard serves (``INFRINGER_GRAPH_STORE`` or the default), opened once per process."""
    return _open(store_url())


def generation(store) -> tuple:
    """A fingerprint of the store's contents: node/edge counts and the newest Source (ingests, retracts and
    resolution runs all write Sources), and the quarantine (a rejected upload changes only that)."""
    nodes, edges = store.counts()
    sources = store.sources()
    newest = max((s.ingested_at or "" for s in sources), default="")
    quarantine = tuple((q.id, q.attempts) for q in store.quarantined())
    return (tuple(sorted(nodes.items())), tuple(sorted(edges.items())), len(sources), newest, quarantine)


def goto(page: str, **params: str) -> None:
    """Switch to ``page`` with ``params`` (kept in the URL so a page can be bookmarked) and rerun."""
    st.session_state[PAGE_KEY] = page
    st.query_params.clear()
    st.query_params[PAGE_KEY] = page
    for k, v in params.items():
        st.query_params[k] = v
    st.rerun()


def page_link(page: str, **params: str) -> str:
    """A relative URL that opens ``page`` with ``params`` (for LinkColumn cells in tables)."""
    from urllib.parse import urlencode

    return "?" + urlencode({PAGE_KEY: page, **params})
