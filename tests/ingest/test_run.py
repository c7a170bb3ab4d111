"""The ingest run around the parsers: embedded documents, parser failures."""

from __future__ import annotations

from pathlib import Path

from ingest import base
from ingest.run import flatten, ingest_file
from tests.conftest import FIXTURES


def test_attachments_inherit_the_capture_time_and_record_where_they_sat(sqlite_store):
    results = list(flatten([ingest_file(sqlite_store, FIXTURES / "ingest" / "messages" / "seller_cs_with_table.eml")]))
    mail, children = results[0], results[1:]
    captured = {Path(s.path).name: s.captured_at for s in sqlite_store.sources()}
    mail_time = captured["seller_cs_with_table.eml"]
    assert mail_time and children
    for child in children:
        assert captured[Path(child.path).name] == mail_time
        assert any(n.startswith("inside its container at ") for n in child.notes)


def test_a_parser_that_crashes_rejects_its_document_not_the_run(sqlite_store, tmp_path):
    class Exploding(base.Parser):
        name, media_type, extensions = "exploding-test", "x/test", (".boom",)

        @classmethod
        def sniff(cls, name, head):
            return 99 if name.endswith(".boom") else 0

        def parse(self, stream, ctx):
            raise KeyError("a bug")

    base._PARSERS[Exploding.name] = Exploding
    try:
        doc = tmp_path / "evidence.boom"
        doc.write_bytes(b"payload")
        result = ingest_file(sqlite_store, doc)
    finally:
        del base._PARSERS[Exploding.name]
    assert result.status == "rejected"
    assert result.reason.startswith("parser exploding-test failed (KeyError: 'a bug')")
    [kept] = sqlite_store.quarantined(with_data=True)
    assert kept.data == b"payload"
