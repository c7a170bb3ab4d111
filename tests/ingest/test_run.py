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


def test_reparse_swaps_a_sources_facts_for_freshly_derived_ones(sqlite_store, tmp_path):
    from graph.records import NodeRef
    from ingest.columns import parse_overrides
    from ingest.run import reparse_source

    table = tmp_path / "sellers.csv"
    table.write_bytes((FIXTURES / "ingest" / "seller_table.csv").read_bytes())
    ingest_file(sqlite_store, table)
    store_ref = NodeRef("Storefront", "amazon:A2KW8PRO3NXY5Z")
    assert sqlite_store.get_node(store_ref).props["extra:Date Captured"] == ["2026-09-14"]
    [source] = sqlite_store.sources()
    result = reparse_source(sqlite_store, source, parse_overrides(["Date Captured=created"]))
    assert result.status == "ingested" and result.records == 4
    props = sqlite_store.get_node(store_ref).props
    assert props["created"] == ["2026-09-14"] and "extra:Date Captured" not in props
    [again] = sqlite_store.sources()
    assert again.sha256 == source.sha256


def test_reparse_keeps_the_old_facts_when_the_document_no_longer_parses(sqlite_store, tmp_path):
    from ingest.run import reparse_source

    class Stricter(base.Parser):  # an "upgraded" parser that refuses the document
        name, media_type, extensions = "stricter-test", "text/csv", (".csv",)

        @classmethod
        def sniff(cls, name, head):
            return 99

        def parse(self, stream, ctx):
            from ingest.errors import ParseError

            raise ParseError(ctx.path, "row 1", "refused by the new parser")

    table = tmp_path / "sellers.csv"
    table.write_bytes((FIXTURES / "ingest" / "seller_table.csv").read_bytes())
    ingest_file(sqlite_store, table)
    before = sqlite_store.counts()
    [source] = sqlite_store.sources()
    base._PARSERS[Stricter.name] = Stricter
    try:
        result = reparse_source(sqlite_store, source)
    finally:
        del base._PARSERS[Stricter.name]
    assert (result.status, result.reason) == ("rejected", "row 1: refused by the new parser")
    assert sqlite_store.counts() == before and [s.parser for s in sqlite_store.sources()] == ["seller-table-csv"]
