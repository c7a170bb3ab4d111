"""The Reports page: operators by commercial scale, and the court reports as downloads (the same functions as
``infringer-graph report``)."""

from __future__ import annotations

import streamlit as st

from graph.analytics.network import load_operators
from graph.analytics.scale import rank_operators
from graph.errors import GraphError
from graph.reports.build import REPORT_FORMATS, REPORTS, report_bytes
from graph.reports.selection import select_defendants

from dashboard.access import audit

MIME = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "html": "text/html", "pdf": "application/pdf"}
LABELS = {"defendants": "Defendant schedule (Schedule A)", "restraint": "Asset-restraint list",
          "service": "Service list", "joinder": "Joinder evidence memo", "dossier": "Operator dossier"}


def render(store) -> None:
    st.header("Reports")
    profiles = rank_operators(store, load_operators(store))
    if not profiles:
        st.info("No operators yet: run `infringer-graph resolve`.")
        return
    st.subheader("Operators by commercial scale")
    st.caption("A documented score (graph/analytics/scale.yaml): factors for a person to weigh, not a legal "
               "conclusion.")
    st.dataframe([{"operator": p.operator, "name": p.name, "storefronts": p.storefronts,
                   "marketplaces": len(p.marketplaces), "score": p.score, "candidate": p.candidate,
                   "why": p.reason} for p in profiles], hide_index=True)
    st.subheader("Download a report")
    labels = {f"{p.name} ({p.operator})": p.operator for p in profiles}
    default = [label for label, op in labels.items() if any(p.operator == op and p.candidate for p in profiles)]
    chosen = st.multiselect("Operators (default: the commercial-scale candidates)", list(labels), default=default,
                            key="report_ops")
    kind = st.selectbox("Report", REPORTS, format_func=LABELS.get, key="report_kind")
    fmt = st.radio("Format", REPORT_FORMATS[kind], horizontal=True, key="report_fmt")
    grouped = st.checkbox("Group defendants by operator", key="report_grouped") if kind == "defendants" else False
    if not chosen:
        st.warning("Choose at least one operator.")
        return
    if st.button("Prepare", key="report_prepare"):
        try:
            selection = select_defendants(store, [labels[c] for c in chosen], group_by_operator=grouped)
            data, summary = report_bytes(store, kind, selection, fmt, group_by_operator=grouped)
        except GraphError as exc:
            st.error(str(exc))
            return
        name = f"{kind}-{selection.date}.{fmt}"
        st.caption(f"{name}: {summary}, {len(data) / 1024:,.1f} KiB")
        st.download_button(f"Download {name}", data, file_name=name, mime=MIME[fmt], key="report_download",
                           on_click=audit, args=("download",),
                           kwargs={"file": name, "report": kind, "format": fmt,
                                   "operators": [o.key for o in selection.operators]})
