"""The Overview page: counts by type, top operators by commercial scale, recent relisting alerts, the last
documents ingested (and the last resolution run) and the quarantine."""

from __future__ import annotations

import streamlit as st

from graph.model import get_model

from dashboard.profile import recent_alerts, top_by_scale
from dashboard.state import cache_key, page_link

RECENT = 20
DERIVED_PARSERS = ("judgement", "resolution")


@st.cache_data(show_spinner=False, max_entries=4)
def _counts(_store, key: tuple):
    return _store.counts()  # a scan of the node and edge tables: seconds at a million storefronts


@st.cache_data(show_spinner=False, max_entries=4)
def _top(_store, key: tuple):
    return [{"operator": p.operator, "name": p.name, "storefronts": p.storefronts,
             "marketplaces": len(p.marketplaces), "score": p.score, "candidate": p.candidate,
             "open": page_link("Operator", id=p.operator)} for p in top_by_scale(_store)]


@st.cache_data(show_spinner=False, max_entries=4)
def _alerts(_store, key: tuple):
    return [{"joined": a.since[:19], "storefront": a.storefront.key, "name": a.storefront.name or "",
             "operator": a.operator.key, "operator name": a.operator.name or "",
             "linked by": ", ".join(f"{n.key} ({p.get('score', '')})" for n, p in a.links[:3]),
             "open": page_link("Operator", id=a.operator.key, storefront=a.storefront.key)}
            for a in recent_alerts(_store, RECENT)]


def render(store) -> None:
    model = get_model()
    st.header("Overview")
    key = cache_key(store)
    nodes, edges = _counts(store, key)
    cols = st.columns(4)
    for col, t in zip(cols, ("Storefront", "Operator", "PaymentAccount", "Email")):
        col.metric(model.node(t).label, f"{nodes.get(t, 0):,}")
    left, right = st.columns(2)
    left.subheader("Nodes by type")
    left.dataframe([{"type": t, "count": nodes.get(t, 0)} for t in model.nodes], hide_index=True,
                   key="ov_nodes")
    right.subheader("Edges by type")
    right.dataframe([{"type": t, "count": edges.get(t, 0)} for t in model.edges], hide_index=True,
                    key="ov_edges")

    st.subheader("Top operators by commercial scale")
    top = _top(store, key)
    if top:
        st.caption("Among the 50 largest operators; a documented score (graph/analytics/scale.yaml), factors for "
                   "a person to weigh, not a legal conclusion.")
        st.dataframe(top, hide_index=True, key="ov_top",
                     column_config={"open": st.column_config.LinkColumn("open", display_text="operator page")})
    else:
        st.info("No operators yet: run `infringer-graph resolve`.")

    st.subheader("Recent relisting alerts")
    alerts = _alerts(store, key)
    if alerts:
        st.caption("Storefronts that joined an operator known before (a known operator relisting).")
        st.dataframe(alerts, hide_index=True, key="ov_alerts",
                     column_config={"open": st.column_config.LinkColumn("open", display_text="operator page")})
    else:
        st.caption("No relisting alerts: no storefront has joined an operator after it was formed.")

    # newest first; two in the same second: the later-recorded one first
    sources = [s for _, s in sorted(enumerate(store.sources()), key=lambda t: (t[1].ingested_at or "", t[0]),
                                    reverse=True)]
    runs = [s for s in sources if s.parser == "resolution"]
    st.subheader("Last ingested documents")
    if runs:
        st.caption(f"Last resolution run: {runs[0].ingested_at}")
    docs = [s for s in sources if s.parser not in DERIVED_PARSERS]
    st.dataframe([{"ingested": s.ingested_at, "path": s.path, "parser": s.parser, "records": s.records,
                   "status": s.status, "sha256": s.sha256[:12]} for s in docs[:RECENT]], hide_index=True,
                 key="ov_sources")
    if len(docs) > RECENT:
        st.caption(f"the {RECENT} most recent of {len(docs):,} documents")

    st.subheader("Quarantine")
    quarantined = store.quarantined()
    if quarantined:
        st.caption("Documents that could not be ingested (`infringer-graph quarantine show ID` / `retry`).")
        st.dataframe([{"id": q.id, "path": q.path, "reason": q.reason, "bytes": q.size, "attempts": q.attempts,
                       "last tried": q.last_seen} for q in quarantined], hide_index=True, key="ov_quarantine")
    else:
        st.caption("Quarantine is empty.")
