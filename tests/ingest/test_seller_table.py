"""Seller tables in CSV/TSV: headers, encodings, delimiters, bad files, idempotence."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from graph.records import NodeRef
from ingest.base import ParseContext, detect, parsers
from ingest.columns import map_header, parse_overrides
from ingest.errors import IngestError, ParseError
from ingest.run import ingest_file
from ingest.seller_table import SellerTableCSV
from tests.conftest import FIXTURES

INGEST = FIXTURES / "ingest"


def _parse(name: str, overrides=None):
    ctx = ParseContext(path=name, overrides=overrides or {})
    with (INGEST / name).open("rb") as fh:
        records = list(SellerTableCSV().parse(io.BufferedReader(fh), ctx))
    return records, ctx


def _fields(record):
    return {v.field or f"({v.column})": v.raw for v in record.values}


@pytest.mark.parametrize("header,field", [
    ("Defendant Seller Alias", "name"), ("Store Link", "url"), ("Seller Platform", "marketplace"),
    ("Merchant ID", "seller_id"), ("PayPal Email", "paypal"), ("Customer Service E-mail", "email"),
    ("Customer Service Number", "phone"), ("Ship From Address", "ship_from"), ("Doe No.", "defendant_no"),
    ("店铺名称", "name"), ("ＩＢＡＮ", "iban"), ("Date Captured", None), ("PayPal账户", "paypal"),
    ("Payoneer账号", "payoneer"), ("收款PayPal", "paypal"),
])
def test_free_form_headers_map_to_fields(header, field):
    assert map_header(header, {}) == field


def test_utf8_bom_table_with_multiline_cells_and_cjk(tmp_path):
    records, ctx = _parse("seller_table.csv")
    assert len(records) == 4
    first = _fields(records[0])
    assert first["name"] == "Kitchen Wizard Pro" and first["(Date Captured)"] == "2026-09-14"
    assert _fields(records[1])["email"] == "kwhome.cs@gmail.com\nkw.home.cs@gmail.com"
    assert _fields(records[2])["name"] == "厨房魔法师旗舰店"
    assert records[2].locator == "row 4"
    assert ctx.columns["Doe No."] == "defendant_no" and ctx.columns["Date Captured"] == "(kept as property)"
    assert "encoding utf-8-sig" in ctx.notes


@pytest.mark.parametrize("name,encoding,expected_name", [
    ("sellers_gb18030.csv", "gb18030", "好运来家居"),
    ("sellers_utf16.tsv", "utf-16", "Müller Taschen"),
    ("sellers_latin1_semicolon.csv", "cp1252", "Sac à Main Élégance"),
])
def test_encodings_and_delimiters_seen_in_practice(name, encoding, expected_name):
    records, ctx = _parse(name, parse_overrides(["Händlername=name", "Shop-URL=url", "Land=country"]))
    assert f"encoding {encoding}" in ctx.notes
    assert _fields(records[0])["name"] == expected_name
    assert len(records) == 2


def test_override_maps_an_unknown_column():
    records, _ = _parse("no_known_headers.csv", parse_overrides(["Artikel=name"]))
    assert _fields(records[0])["name"] == "Schal"
    with pytest.raises(IngestError, match="unknown field 'colour'"):
        parse_overrides(["Artikel=colour"])
    with pytest.raises(IngestError, match='expected "Column Name=field"'):
        parse_overrides(["Artikel"])


@pytest.mark.parametrize("name,message", [
    ("garbage.csv", "garbage.csv: byte 0: binary data, not a text table"),
    ("no_known_headers.csv", "no_known_headers.csv: row 1: no column is a known seller field (headers: Artikel, Menge, Preis)"),
    ("empty.csv", "empty.csv: row 1: no header row"),
])
def test_bad_tables_fail_with_file_and_place(name, message):
    with pytest.raises(ParseError) as exc:
        _parse(name)
    assert str(exc.value).startswith(message)


def test_detection_picks_the_csv_parser_and_refuses_unknown_formats():
    assert detect("sellers.csv", b"Seller Name,Store URL\n") is SellerTableCSV
    assert detect("sellers.txt", b"Seller Name\tStore URL\tEmail\n") is SellerTableCSV
    with pytest.raises(IngestError, match="photo.heic: unknown format"):
        detect("photo.heic", b"\x00\x00\x00\x18ftypheic")


def test_every_registered_parser_has_a_fixture_and_a_test():
    tests = "\n".join(p.read_text(encoding="utf-8") for p in Path(__file__).parent.glob("test_*.py"))
    for name, cls in parsers().items():
        assert cls.fixture and (FIXTURES / cls.fixture).is_file(), name
        assert cls.__name__ in tests, f"no test mentions {cls.__name__}"


def test_every_ingest_module_registers_a_parser_or_is_listed_as_a_helper():
    """A helper module left off ``_NOT_PARSERS`` is imported for nothing; a parser module put on it is lost."""
    import pkgutil

    import ingest
    from ingest.base import _NOT_PARSERS

    defining = {cls.__module__.removeprefix("ingest.") for cls in parsers().values()}
    modules = {info.name for info in pkgutil.iter_modules(ingest.__path__) if not info.name.startswith("_")}
    assert _NOT_PARSERS <= modules, sorted(_NOT_PARSERS - modules)
    assert sorted(modules - _NOT_PARSERS) == sorted(defining)


def test_ingesting_a_file_twice_changes_nothing_and_a_changed_file_adds_what_is_new(sqlite_store, tmp_path):
    path = tmp_path / "sellers.csv"
    path.write_bytes((INGEST / "seller_table.csv").read_bytes())
    first = ingest_file(sqlite_store, path)
    assert (first.status, first.records, first.unparsed) == ("ingested", 4, 1)  # "not-a-paypal"
    before = sqlite_store.counts()
    again = ingest_file(sqlite_store, path)
    assert again.status == "unchanged" and sqlite_store.counts() == before
    path.write_bytes(path.read_bytes() + "5,Wizard Deals,https://www.etsy.com/shop/WizardDeals,Etsy,,,,,,\r\n".encode())
    changed = ingest_file(sqlite_store, path)
    assert changed.status == "ingested" and changed.nodes_new == 1
    assert sqlite_store.get_node(NodeRef("Storefront", "etsy:wizarddeals")) is not None
    assert len(sqlite_store.sources()) == 2


def test_a_rejected_file_leaves_the_store_unchanged(sqlite_store):
    ingest_file(sqlite_store, INGEST / "seller_table.csv")
    before = (sqlite_store.counts(), len(sqlite_store.sources()))
    result = ingest_file(sqlite_store, INGEST / "garbage.csv")
    assert result.status == "rejected" and result.reason == "byte 0: binary data, not a text table"
    assert (sqlite_store.counts(), len(sqlite_store.sources())) == before


def test_a_large_table_is_read_as_it_is_parsed_not_whole_first(tmp_path):
    """The first record comes out after the first few KiB are read: a 1M-row table is never held in memory
    (it was: the rows after the header were collected into one list, and worker processes forked from it)."""
    path = tmp_path / "sellers.csv"
    lines = ["Seller Alias,Store URL,E-mail"]
    lines += [f"Harbor Lane Goods {i},https://www.ebay.com/usr/harborlane_{i},harborlane{i}.cs@example.com"
              for i in range(40_000)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    size = path.stat().st_size
    with path.open("rb") as fh:
        records = SellerTableCSV().parse(io.BufferedReader(fh), ParseContext(path=str(path)))
        first = next(records)
        read_so_far = fh.tell()
        rest = sum(1 for _ in records)
    assert _fields(first)["name"] == "Harbor Lane Goods 0"
    assert rest == 39_999
    assert read_so_far < size / 10, f"{read_so_far} of {size} bytes read before the first record"
