"""The Case builder page: pick operators and/or single storefronts, number the defendants, preview the schedule and
download the filings (the same ``select_defendants`` and ``report_bytes`` as ``infringer-graph report``).

Every download is written to the audit log with the file's sha256 and the defendants it names.
"""

from __future__ import annotations

import hashlib

import streamlit as st

from graph.analytics.network import load_operators
from graph.analytics.scale import rank_operators
from graph.errors import GraphError
from graph.reports.build import REPORT_FORMATS, report_bytes
from graph.reports.selection import Selection, select_defendants
from graph.store import store_url

from dashboard.access import audit
from dashboard.state import generation

KINDS = {"defendants": "Defendant schedule (Schedule A)", "restraint": "Asset-restraint list",
         "service": "Service list", "joinder": "Joinder evidence memo"}
MIME = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "html": "text/html", "pdf": "application/pdf"}
FILES_KEY = "cb_files"  # kind -> (fingerprint, file name, bytes, summary)
FOUND_SHOWN = 20


def _storefront_keys(text: str) -> list[str]:
    keys = []
    for line in (text or "").replace(",", "\n").splitlines():
        key = line.strip().removeprefix("Storefront:")
        if key and key not in keys:
            keys.append(key)
    return keys


def _finder(store) -> None:
    with st.expander("Find storefront keys"):
        q = st.text_input("Alias, URL, seller id, e-mail, …", key="cb_find")
        if q.strip():
            hits = store.search(q.strip(), limit=FOUND_SHOWN, types=["Storefront"])
            if hits:
                st.dataframe([{"key": h.key, "name": h.name, "matched": h.matched} for h in hits], hide_index=True)
            else:
                st.caption("No storefront matches.")


def _preview(selection: Selection) -> None:
    st.subheader(f"Defendants ({len(selection.defendants)})")
    st.caption(f"Chosen: {selection.basis}. Report date {selection.date}.")
    st.dataframe([{"No.": d.number, "alias": d.alias, "platform": d.platform, "storefront": d.key,
                   "platform id": d.platform_id, "URL": d.url,
                   "operator": f"{d.operator.name} ({d.operator.key})" if d.operator else "",
                   "Schedule A no.": d.source_number} for d in selection.defendants], hide_index=True)


def _audit_download(kind: str, name: str, data: bytes, selection: Selection) -> None:
    audit("download", report=kind, file=name, bytes=len(data), sha256=hashlib.sha256(data).hexdigest(),
          defendants=len(selection.defendants), basis=selection.basis,
          storefronts=[d.key for d in selection.defendants][:500])


def _downloads(store, selection: Selection, grouped: bool) -> None:
    st.subheader("Filings")
    fingerprint = (tuple((d.number, d.key) for d in selection.defendants), selection.date, grouped)
    files = st.session_state.setdefault(FILES_KEY, {})
    for kind, label in KINDS.items():
        cols = st.columns([3, 2, 1])
        cols[0].markdown(f"**{label}**")
        fmt = cols[1].radio("Format", REPORT_FORMATS[kind], horizontal=True, key=f"cb_fmt_{kind}",
                            label_visibility="collapsed")
        if cols[2].button("Prepare", key=f"cb_prepare_{kind}"):
            try:
                data, summary = report_bytes(store, kind, selection, fmt, group_by_operator=grouped)
            except GraphError as exc:
                st.error(f"Error: {exc}")
                continue
            files[kind] = ((fingerprint, fmt), f"{kind}-{selection.date}.{fmt}", data, summary)
        prepared = files.get(kind)
        if prepared and prepared[0] == (fingerprint, fmt):
            _, name, data, summary = prepared
            st.caption(f"{name}: {summary}, {len(data) / 1024:,.1f} KiB")
            st.download_button(f"Download {name}", data, file_name=name, mime=MIME[fmt], key=f"cb_download_{kind}",
                               on_click=_audit_download, args=(kind, name, data, selection))


@st.cache_data(show_spinner="ranking operators", max_entries=4)
def _operator_choices(_store, fingerprint: tuple) -> list[tuple[str, str, bool]]:
    """(label, operator key, commercial-scale candidate) in scale order; cached until the store changes."""
    return [(f"{p.name} ({p.operator}): {p.storefronts} storefronts, score {p.score:g}"
             f"{', candidate' if p.candidate else ''}", p.operator, p.candidate)
            for p in rank_operators(_store, load_operators(_store))]


def render(store) -> None:
    st.header("Case builder")
    choices = _operator_choices(store, (store_url(), generation(store)))
    labels = {label: key for label, key, _ in choices}
    default = [label for label, _, candidate in choices if candidate]
    chosen = st.multiselect("Operators (default: the commercial-scale candidates); every storefront they control "
                            "is a defendant", list(labels), default=default, key="cb_ops")
    keys_text = st.text_area("Single storefronts, one key per line (e.g. amazon:A1HX7Q2M9ZK3LP)",
                             key="cb_storefronts")
    _finder(store)
    c1, c2 = st.columns(2)
    grouped = c1.checkbox("Group defendants by operator", key="cb_grouped")
    date = c2.text_input("Date stated in the filings (YYYY-MM-DD; default: the latest Source)", key="cb_date")
    storefronts = _storefront_keys(keys_text)
    if not chosen and not storefronts:
        st.info("Choose operators or name storefronts to number the defendants.")
        return
    try:
        selection = select_defendants(store, [labels[c] for c in chosen], storefronts,
                                      group_by_operator=grouped, date=date.strip() or None)
    except GraphError as exc:
        st.error(f"Error: {exc}")
        return
    _preview(selection)
    _downloads(store, selection, grouped)
