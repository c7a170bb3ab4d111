"""What the pages share: the open store, navigation between pages, and caches that end with the store's data.

Heavy queries are cached with ``st.cache_data`` keyed by :func:`generation`, a fingerprint of the store that
changes after every ingest, retract, judgement and resolution, so a cached answer never outlives the data it
came from.
"""

from __future__ import annotations

import hashlib

import streamlit as st

from graph.store import open_store, store_url

PAGE_KEY = "page"
GOTO_KEY = "_goto_page"


@st.cache_resource
def _open(url: str):
    return open_store(url, create=False)


def current_store():
    """The store the dashboard serves (``INFRINGER_GRAPH_STORE`` or the default), opened once per process."""
    return _open(store_url())


def generation(store) -> str:
    """A fingerprint of the store's contents. Every change goes through a Source (ingests and re-parses add
    one, retracts and undone judgements remove one, judgements add one, a resolution run replaces its own),
    so the list of Sources with their times is enough, and it is cheap: counting nodes and edges would
    scan tables of millions of rows on every page view. The quarantine too: a rejected upload changes only
    that."""
    digest = hashlib.sha256()
    for s in store.sources():
        digest.update(f"{s.sha256} {s.ingested_at}\n".encode())
    for q in store.quarantined():
        digest.update(f"q {q.id} {q.attempts}\n".encode())
    return digest.hexdigest()


def cache_key(store) -> tuple:
    """What a cached query depends on: which store, and what is in it (pass it to ``st.cache_data`` functions
    next to the store, which itself is passed as an unhashed ``_store``)."""
    return (store.url, generation(store))


def param(name: str) -> str | None:
    """A query parameter of the page's URL (``?page=Operator&id=op-…``)."""
    value = st.query_params.get(name)
    return value or None


def take_param(name: str, widget_key: str) -> None:
    """Put the URL's ``name`` parameter into a widget's state when it changed (a link was followed), before
    the widget is drawn; a user's later choice in the widget is kept until the URL changes again."""
    value = param(name)
    seen = f"_param_{widget_key}"
    if value is not None and st.session_state.get(seen) != value:
        st.session_state[widget_key] = value
        st.session_state[seen] = value


def goto(page: str, **params: str) -> None:
    """Switch to ``page`` with ``params`` (kept in the URL so a page can be bookmarked) and rerun."""
    st.session_state[GOTO_KEY] = page  # the page radio takes it before it is drawn (app.py: take_goto)
    st.query_params.clear()
    st.query_params[PAGE_KEY] = page
    for k, v in params.items():
        st.query_params[k] = v
    st.rerun()


def take_goto() -> None:
    """Apply a :func:`goto` of the previous run to the page radio (call before the radio is drawn)."""
    if GOTO_KEY in st.session_state:
        st.session_state[PAGE_KEY] = st.session_state.pop(GOTO_KEY)


def page_link(page: str, **params: str) -> str:
    """A relative URL that opens ``page`` with ``params`` (for LinkColumn cells in tables)."""
    from urllib.parse import urlencode

    return "?" + urlencode({PAGE_KEY: page, **params})
