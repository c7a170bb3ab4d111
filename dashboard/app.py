"""Streamlit entry point: ``streamlit run dashboard/app.py`` (or ``infringer-graph dashboard``).

Pages live in ``dashboard/views/`` (one module each, ``render(store)``); this file only chooses one.
"""

from __future__ import annotations

import importlib

import streamlit as st

from graph.errors import GraphError
from graph.store import store_url

from dashboard.access import require_login
from dashboard.state import PAGE_KEY, current_store, take_goto

# page title -> module in dashboard/views; the order is the sidebar's
PAGES = {
    "Overview": "overview",
    "Search": "search",
    "Operator": "operator",
    "Entity": "entity",
    "Explorer": "explorer",
    "Review queue": "review",
    "Analytics": "analytics",
    "Reports": "reports",
    "Ingest": "ingest",
    "Case builder": "case_builder",
}

st.set_page_config(page_title="infringer-graph", layout="wide")


def main() -> None:
    require_login()  # with a password file configured, nothing below runs before a sign-in
    url = store_url()
    try:
        store = current_store()
    except GraphError as exc:
        st.error(f"Cannot open the store: {exc}")
        st.stop()
    st.sidebar.title("infringer-graph")
    st.sidebar.caption(url)
    take_goto()
    wanted = st.query_params.get(PAGE_KEY)
    if wanted in PAGES and PAGE_KEY not in st.session_state:
        st.session_state[PAGE_KEY] = wanted
    page = st.sidebar.radio("Page", list(PAGES), key=PAGE_KEY)
    module = importlib.import_module(f"dashboard.views.{PAGES[page]}")
    module.render(store)


main()
