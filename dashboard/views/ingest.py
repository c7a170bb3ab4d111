"""The Ingest page: upload files or a zip, ingest them as ``infringer-graph ingest`` does, see the run's summary
and the quarantine (what was refused and why; retry).

Uploads are kept in a folder per upload (``dashboard/uploads.py``) whose path is the Source's path. Every
upload and retry is written to the audit log.
"""

from __future__ import annotations

import streamlit as st

from graph.errors import GraphError
from ingest.columns import parse_overrides
from ingest.errors import IngestError
from ingest.run import FileResult, flatten, retry_quarantined

from dashboard.access import audit, current_user
from dashboard.uploads import ingest_uploads, uploads_root

LAST_KEY = "ingest_last"  # the last run's results (rows), shown until the next one
UNPARSED_SHOWN = 200


def _rows(results: list[FileResult]) -> list[dict]:
    return [{"file": r.path, "status": r.status, "parser": r.parser, "records": r.records, "new nodes": r.nodes_new,
             "new edges": r.edges_new, "unparsed values": r.unparsed, "reason": r.reason, "sha256": r.sha256,
             "quarantine id": r.quarantine_id, "columns": dict(r.columns)} for r in results]


def _totals(rows: list[dict]) -> str:
    """The CLI's closing line, word for word."""
    done = [r for r in rows if r["status"] == "ingested"]
    return (f"{len(rows)} files: {len(done)} ingested, {sum(r['status'] == 'unchanged' for r in rows)} unchanged, "
            f"{sum(r['status'] == 'rejected' for r in rows)} rejected; {sum(r['records'] for r in done)} records, "
            f"{sum(r['new nodes'] for r in done)} new nodes, {sum(r['new edges'] for r in done)} new edges, "
            f"{sum(r['unparsed values'] for r in done)} values kept unparsed")


def _overrides(text: str) -> dict[str, str]:
    return parse_overrides([line for line in (text or "").splitlines() if line.strip()])


def _show_run(store, title: str, rows: list[dict]) -> None:
    st.subheader(title)
    st.dataframe([{k: v for k, v in r.items() if k not in ("columns", "sha256", "quarantine id")} for r in rows],
                 hide_index=True)
    st.caption(_totals(rows))
    for r in rows:
        if r["status"] == "rejected":
            st.error(f"Error: {r['file']}: {r['reason']}")
    for r in rows:
        if r["status"] != "ingested":
            continue
        kept = [c for c, f in r["columns"].items() if f.startswith("(")]
        if kept:
            st.caption(f"{r['file']}: columns kept as properties: {', '.join(kept)}")
        if r["columns"]:
            with st.expander(f"Columns of {r['file']}"):
                st.dataframe([{"column": c, "field": f} for c, f in r["columns"].items()], hide_index=True)
        if r["unparsed values"]:
            with st.expander(f"Values of {r['file']} kept unparsed ({r['unparsed values']})"):
                st.dataframe([{"where": u["locator"], "field": u["field"], "value": u["raw"], "reason": u["reason"]}
                              for u in store.unparsed(r["sha256"], limit=UNPARSED_SHOWN)], hide_index=True)


def _upload(store) -> None:
    st.caption(f"Each upload is kept as received in its own folder under {uploads_root()} (that path, with the "
               "time and your user name, is what the Sources cite). Zip archives are opened member by member.")
    files = st.file_uploader("Files or a zip", accept_multiple_files=True, key="ingest_files")
    with st.expander("Column mappings (optional)"):
        maps = st.text_area("One 'Column Name=field' per line, as `ingest --map`", key="ingest_maps")
    if not st.button("Ingest", key="ingest_go", disabled=not files, type="primary"):
        return
    user = current_user()
    try:
        overrides = _overrides(maps)
        progress = st.progress(0.0, text="storing the upload")

        def on_file(i: int, name: str) -> None:
            progress.progress(i / len(files), text=f"ingesting {name}")

        saved, results = ingest_uploads(store, [(f.name, f.getvalue()) for f in files], user, overrides,
                                        on_file=on_file)
        progress.empty()
    except (IngestError, GraphError) as exc:
        audit("upload_refused", files=[f.name for f in files], reason=str(exc))
        st.error(f"Error: {exc}")
        return
    except OSError as exc:
        st.error(f"Error: {exc.filename or ''} {exc.strerror or exc}".replace("  ", " "))
        return
    by_path = {r.path: r for r in results}
    for sent, path in saved:
        r = by_path.get(str(path))
        audit("upload", file=sent, stored=str(path), bytes=path.stat().st_size, sha256=r.sha256 if r else "",
              status=r.status if r else "", reason=r.reason if r else "",
              records=r.records if r else 0, overrides=overrides or None)
    st.session_state[LAST_KEY] = ("Upload", _rows(results))


def _quarantine(store) -> None:
    st.subheader("Quarantine")
    entries = store.quarantined()
    if not entries:
        st.info("Quarantine is empty.")
        return
    st.dataframe([{"id": e.id, "file": e.path, "reason": e.reason, "bytes": e.size, "attempts": e.attempts,
                   "last tried": e.last_seen} for e in entries], hide_index=True)
    ids = {f"{e.id}: {e.path.rsplit('/', 1)[-1]}": e.id for e in entries}
    picked = st.selectbox("Quarantined document", list(ids), key="quarantine_pick")
    entry = store.quarantined(ids[picked], with_data=True)[0]
    st.text(f"{entry.path}\nsha256 {entry.sha256}, {entry.size:,} bytes, first seen {entry.first_seen}\n"
            f"Why: {entry.reason}")
    if entry.data:
        with st.expander("First bytes"):
            st.code(entry.data[:400].decode("utf-8", errors="backslashreplace"), language=None)
    else:
        st.caption("Bytes not kept (too large): retry reads the file from its path.")
    maps = st.text_input("Column mappings for the retry ('Column=field', separated by ';')", key="quarantine_maps")
    if st.button("Retry", key="quarantine_retry"):
        try:
            overrides = parse_overrides([m for m in maps.split(";") if m.strip()])
            results = list(flatten([retry_quarantined(store, entry.id, overrides)]))
        except (IngestError, GraphError) as exc:
            st.error(f"Error: {exc}")
            return
        audit("quarantine_retry", id=entry.id, file=entry.path, sha256=entry.sha256, status=results[0].status,
              reason=results[0].reason, overrides=overrides or None)
        st.session_state[LAST_KEY] = (f"Retry of quarantined document {entry.id}", _rows(results))
        st.rerun()


def render(store) -> None:
    st.header("Ingest")
    _upload(store)
    last = st.session_state.get(LAST_KEY)
    if last:
        _show_run(store, *last)
    _quarantine(store)
