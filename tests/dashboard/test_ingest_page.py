"""The Ingest page under AppTest: real uploads (AppTest's file_uploader sends real bytes), a real SQLite store,
the audit log on disk."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.uploads import clean_name, spool_uploads
from graph.store import open_store
from tests.conftest import FIXTURES, ROOT, run_cli

APP = str(ROOT / "dashboard" / "app.py")
SELLERS = FIXTURES / "ingest" / "seller_table.csv"
NOT_A_ZIP = FIXTURES / "hostile" / "xlsx_not_a_zip.xlsx"
TRAVERSAL = FIXTURES / "hostile" / "zip_path_traversal.zip"


@pytest.fixture
def url(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path}/case.db"
    open_store(url).close()
    monkeypatch.setenv("INFRINGER_GRAPH_STORE", url)
    monkeypatch.delenv("INFRINGER_GRAPH_AUTH_FILE", raising=False)
    monkeypatch.delenv("INFRINGER_GRAPH_AUDIT", raising=False)
    monkeypatch.delenv("INFRINGER_GRAPH_UPLOADS", raising=False)
    return url


def _audit(tmp_path: Path) -> list[dict]:
    path = tmp_path / "case.db.audit.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def _page(files: list[tuple[str, bytes]]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.sidebar.radio(key="page").set_value("Ingest").run()
    assert at.button(key="ingest_go").disabled  # nothing to ingest yet
    at.file_uploader(key="ingest_files").set_value([(n, b, "application/octet-stream") for n, b in files]).run()
    at.button(key="ingest_go").click().run()
    assert not at.exception
    return at


def _bomb() -> bytes:
    """A zip whose one member inflates 40 MiB of zeros from a few KiB (ratio far over 100:1), beside a real table."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("zeros.csv", b"\0" * (40 * 2**20))
        z.writestr("sellers.csv", SELLERS.read_bytes())
    return buf.getvalue()


def test_upload_is_ingested_kept_as_received_cited_and_audited(url, tmp_path):
    from dashboard.state import generation

    with open_store(url) as store:
        before = generation(store)
    data = SELLERS.read_bytes()
    at = _page([("Lieferanten Küche.csv", data)])
    summary = at.dataframe[0].value
    assert list(summary["status"]) == ["ingested"] and list(summary["records"]) == [4]  # the fixture's 4 rows
    assert "1 files: 1 ingested, 0 unchanged, 0 rejected; 4 records" in [c.value[:55] for c in at.caption]
    assert any(c.value.endswith("columns kept as properties: Date Captured") for c in at.caption)
    with open_store(url) as store:
        (source,) = store.sources()
        assert generation(store) != before  # the pages' caches end with the data they came from
        assert store.search("Kitchen Wizard Pro", types=["Storefront"])
    stored = Path(source.path)
    # cited as <store>.uploads/<UTC time>_<user>/<name as sent>, the bytes kept there unchanged
    assert stored.parent.parent == tmp_path / "case.db.uploads" and stored.name == "Lieferanten Küche.csv"
    assert stored.parent.name[:4].isdigit() and stored.parent.name.endswith("@local")
    assert stored.read_bytes() == data and source.sha256 == hashlib.sha256(data).hexdigest()
    (event,) = _audit(tmp_path)
    assert event["action"] == "upload" and event["file"] == "Lieferanten Küche.csv"
    assert event["stored"] == source.path and event["status"] == "ingested" and event["records"] == 4
    assert event["user"].endswith("@local")


def test_hostile_uploads_give_the_clis_errors_and_leave_the_store_consistent(url, tmp_path):
    at = _page([("../../../etc/cron.d/workbook.xlsx", NOT_A_ZIP.read_bytes()), ("bomb.zip", _bomb()),
                ("traversal.zip", TRAVERSAL.read_bytes())])
    summary = at.dataframe[0].value
    rows = dict(zip(summary["file"].map(lambda p: p.split(".uploads/", 1)[1].split("/", 1)[1]), summary["status"]))
    assert rows == {"workbook.xlsx": "rejected", "bomb.zip": "ingested", "bomb.zip!sellers.csv": "ingested",
                    "traversal.zip": "ingested"}
    # the same one-line error the CLI prints for the same bytes
    cli = run_cli("ingest", str(NOT_A_ZIP), store=f"sqlite:///{tmp_path}/cli.db")
    assert cli.returncode == 3
    cli_reason = cli.stderr.strip().split(": ", 2)[2]
    assert cli_reason == "byte 0: not an XLSX workbook (not a zip archive)"
    (error,) = [e.value for e in at.error]
    assert error.startswith("Error: ") and error.endswith("/workbook.xlsx: " + cli_reason)
    refused = " ".join(str(v) for df in at.dataframe[1:] for v in df.value.get("reason", []))
    assert "refused as a zip bomb" in refused and "unsafe member name" in refused
    with open_store(url) as store:
        paths = sorted(Path(s.path).name for s in store.sources())
        assert paths == ["bomb.zip", "bomb.zip!sellers.csv", "traversal.zip"]
        (entry,) = store.quarantined()
        assert entry.path.endswith("/workbook.xlsx") and entry.reason == cli_reason
    # nothing was written outside the upload's folder, whatever the names said
    written = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert [p for p in written if not str(p).startswith(("case.db", "cli.db"))] == []
    assert {e["file"] for e in _audit(tmp_path)} == {"../../../etc/cron.d/workbook.xlsx", "bomb.zip", "traversal.zip"}
    assert at.dataframe[-1].value.iloc[0]["reason"] == cli_reason  # the quarantine table


def test_quarantined_upload_is_retried_with_a_column_mapping(url, tmp_path):
    table = "Artikel,Verkäuferseite\nSchal,https://www.etsy.com/shop/SchalParadies\n".encode()
    at = _page([("lieferanten.csv", table)])
    assert "no column is a known seller field" in at.error[0].value
    at.text_input(key="quarantine_maps").set_value("Verkäuferseite=url").run()
    at.button(key="quarantine_retry").click().run()
    assert not at.exception
    assert at.subheader[0].value == "Retry of quarantined document 1"
    assert "1 files: 1 ingested, 0 unchanged, 0 rejected; 1 records" in [c.value[:55] for c in at.caption]
    assert at.info[0].value == "Quarantine is empty."
    with open_store(url) as store:
        assert store.search("etsy:schalparadies")[0].exact
    retry = _audit(tmp_path)[-1]
    assert retry["action"] == "quarantine_retry" and retry["status"] == "ingested" and retry["id"] == 1


def test_bad_column_mapping_is_one_error_line_and_nothing_is_stored(url, tmp_path):
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.sidebar.radio(key="page").set_value("Ingest").run()
    at.file_uploader(key="ingest_files").set_value(("s.csv", SELLERS.read_bytes(), "text/csv")).run()
    at.text_area(key="ingest_maps").set_value("Store Link=no_such_field").run()
    at.button(key="ingest_go").click().run()
    assert not at.exception
    assert at.error[0].value.startswith("Error: --map 'Store Link=no_such_field': unknown field 'no_such_field'")
    with open_store(url) as store:
        assert store.sources() == []
    assert _audit(tmp_path)[0]["action"] == "upload_refused"


@pytest.mark.parametrize(("sent", "kept"), [
    ("../../etc/passwd", "passwd"), ("C:\\Users\\x\\Schedule A.pdf", "Schedule A.pdf"), ("..", "upload"),
    (".hidden.csv", "hidden.csv"), ("a\x00b\nc.csv", "a_b_c.csv"), ("", "upload"),
    ("x" * 300 + ".xlsx", "x" * 145 + ".xlsx"),  # 150 characters, the suffix kept
])
def test_upload_names_become_safe_base_names(sent, kept):
    assert clean_name(sent) == kept


def test_two_files_of_one_name_in_one_upload_are_both_kept(tmp_path):
    saved = spool_uploads([("a/sellers.csv", b"1"), ("b/sellers.csv", b"2")], "Investigator K", tmp_path)
    assert [p.name for _, p in saved] == ["sellers.csv", "sellers (2).csv"]
    assert [p.read_bytes() for _, p in saved] == [b"1", b"2"]
    assert saved[0][1].parent.name.endswith("_Investigator_K")
