"""The Operator page (``?page=Operator&id=op-…``): members and aliases, identifiers, the operator's network,
why its storefronts are linked (each signal with the documents and what they say), scale profile,
jurisdictions, timeline, and its reports as downloads (written to the audit log)."""

from __future__ import annotations

import streamlit as st

from graph.errors import GraphError
from graph.records import NodeRef
from graph.reports.build import REPORT_FORMATS, REPORTS, report_bytes
from graph.reports.selection import select_defendants

from dashboard import profile
from dashboard.access import audit
from dashboard.network import render_network
from dashboard.state import cache_key, page_link, param, take_param
from dashboard.views.reports import LABELS, MIME

CHOICES = 2000  # operators offered in the list (largest first); any other opens by its id in the URL


@st.cache_data(show_spinner=False, max_entries=4)
def _operators(_store, key: tuple) -> list[tuple[str, str, int]]:
    return profile.list_operators(_store)


@st.cache_data(show_spinner=False, max_entries=16)
def _page(_store, key: tuple, op: str):
    page = profile.load_page(_store, op)
    return (page, profile.member_rows(page), profile.aliases(page), profile.identifier_rows(page),
            profile.link_rows(page), profile.profile_rows(page.profile), profile.footprint_rows(_store, page),
            profile.timeline_rows(_store, page))


@st.cache_data(show_spinner=False, max_entries=16)
def _network(_store, key: tuple, op: str, focus: str | None) -> str:
    page = _page(_store, key, op)[0]
    refs = [page.node.ref] + ([NodeRef("Storefront", focus)] if focus else [])
    return render_network(profile.operator_subgraph(page), height="620px", focus=refs)


@st.cache_data(show_spinner=False, max_entries=64)
def _why(_store, key: tuple, a: str, b: str):
    return profile.why_rows(_store, NodeRef("Storefront", a), NodeRef("Storefront", b))


def _record_download(name: str, operator: str, kind: str, fmt: str) -> None:
    audit("download", file=name, report=kind, format=fmt, operators=[operator])


def render(store) -> None:
    st.header("Operator")
    key = cache_key(store)
    operators = _operators(store, key)
    if not operators:
        st.info("No operators yet: run `infringer-graph resolve`.")
        return
    take_param("id", "op_id")
    options = [k for k, _, _ in operators[:CHOICES]]
    labels = {k: f"{name} ({k}, {size} storefronts)" for k, name, size in operators[:CHOICES]}
    chosen = st.session_state.get("op_id")
    if chosen and chosen not in labels:
        options.insert(0, chosen)
    op = st.selectbox("Operator", options, format_func=lambda k: labels.get(k, k), key="op_id")
    if st.query_params.get("id") != op:  # another operator chosen: the URL follows (and loses its storefront)
        st.query_params.clear()
        st.query_params["page"] = "Operator"
        st.query_params["id"] = op
    try:
        page, members, aliases, identifiers, links, factors, footprint, timeline = _page(store, key, op)
    except GraphError as exc:
        st.error(str(exc))
        return
    focus = param("storefront")
    st.subheader(page.view.name)
    size = len(page.view.members)
    st.caption(f"{op} · {size} storefronts · {len(identifiers)} identifiers · formed "
               f"{profile.first(page.node, 'created')[:19] or 'unknown'}")
    cols = st.columns(4)
    cols[0].metric("Storefronts", size)
    cols[1].metric("Marketplaces", len(page.profile.marketplaces))
    cols[2].metric("Scale score", page.profile.score)
    cols[3].metric("Commercial-scale candidate", "yes" if page.profile.candidate else "no")

    st.markdown("#### Members")
    for row in members:
        row["open"] = page_link("Entity", type="Storefront", key=row["storefront"])
    st.dataframe(members, hide_index=True, key="op_members",
                 column_config={"open": st.column_config.LinkColumn("open", display_text="entity")})
    st.text("Aliases: " + " · ".join(aliases))  # plain text: names come from counterfeiters' pages

    st.markdown("#### Identifiers")
    st.dataframe(identifiers, hide_index=True, key="op_identifiers")

    st.markdown("#### Network")
    st.iframe(_network(store, key, op, focus), height=700)

    st.markdown("#### Why linked")
    if not links:
        st.info("A single storefront: nothing links it to another.")
    else:
        st.dataframe(links, hide_index=True, key="op_links")
        pairs = [(r["storefront"], r["linked to"]) for r in links]
        default = next((i for i, (a, b) in enumerate(pairs) if focus in (a, b)), 0)
        pick = st.selectbox("Explain the link", range(len(pairs)), index=default, key="op_why",
                            format_func=lambda i: f"{pairs[i][0]} ~ {pairs[i][1]} ({links[i]['score']:.2f})")
        try:
            props, rows = _why(store, key, *pairs[pick])
        except GraphError as exc:
            st.error(str(exc))
        else:
            st.caption(f"score {props.get('score')} ({props.get('band')}): each signal, how each storefront "
                       "reaches the shared identifier, the document and place that states it, and what it says")
            st.dataframe(rows, hide_index=True, key="op_why_rows")

    st.markdown("#### Scale profile")
    st.caption(f"score {page.profile.score:g}: {page.profile.reason}. A documented score "
               "(graph/analytics/scale.yaml): factors for a person to weigh, not a legal conclusion.")
    st.dataframe(factors, hide_index=True, key="op_scale")

    st.markdown("#### Jurisdictions")
    if footprint:
        st.dataframe(footprint, hide_index=True, key="op_juris")
    else:
        st.info("No country stated in the evidence.")

    st.markdown("#### Timeline")
    st.dataframe(timeline, hide_index=True, key="op_timeline")

    _reports(store, op)


def _reports(store, op: str) -> None:
    st.markdown("#### Reports")
    cols = st.columns(3)
    kind = cols[0].selectbox("Report", REPORTS, index=REPORTS.index("dossier"), format_func=LABELS.get,
                             key="op_report_kind")
    fmt = cols[1].radio("Format", REPORT_FORMATS[kind], horizontal=True, key="op_report_fmt")
    if cols[2].button("Prepare", key="op_report_prepare"):
        try:
            selection = select_defendants(store, [op])
            data, summary = report_bytes(store, kind, selection, fmt)
        except GraphError as exc:
            st.error(str(exc))
            return
        name = f"{kind}-{op}-{selection.date}.{fmt}"
        st.caption(f"{name}: {summary}, {len(data) / 1024:,.1f} KiB")
        st.download_button(f"Download {name}", data, file_name=name, mime=MIME[fmt], key="op_report_download",
                           on_click=_record_download, args=(name, op, kind, fmt))
