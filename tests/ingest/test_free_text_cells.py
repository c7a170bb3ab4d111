"""Unmapped table columns that hold prose (investigator notes, compliance comments) go through the NLP stage:
identifiers found in a cell become facts located ``row N, column 'X', chars S-E`` and are linked to the
row's subject with ``confidence: low`` / ``via: nlp``; the cell is still kept as an ``extra:`` property."""

from __future__ import annotations

import csv

import pytest

from graph.records import NodeRef
from ingest.free_text import looks_like_prose
from ingest.run import ingest_file

from tests.conftest import FIXTURES

TABLES = FIXTURES / "ingest" / "tables"
LOW = {"confidence": "low", "via": "nlp"}


@pytest.mark.parametrize("raw,prose", [
    ("2026-10-03", False), ("no reply", False), ("+86 755 2661 8899", False), ("USD 4,210.00", False),
    ("pending review", False), ("asked to pay via PayPal refunds.bw@163.com", True),
    ("卖家要求通过微信 brightwave_cs 联系 售后", True),
])
def test_prose_is_told_from_codes_dates_and_numbers(raw, prose):
    assert looks_like_prose(raw) is prose


def _cell(path, row: int, column: str) -> str:
    """The text of a cell as the file holds it (row numbers as in locators: the header is row 1)."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    header = rows[0]
    return rows[row - 1][header.index(column)]


def _links(store, ref):
    return {(e.type, n.key): (e.props, [ev.locator for ev in store.provenance(ref, e)])
            for e, n in store.neighbours(ref)}


def test_notes_column_of_a_seller_table_links_its_identifiers_to_the_row(sqlite_store):
    path = TABLES / "sellers_with_notes.csv"
    result = ingest_file(sqlite_store, path, watchlist=("Nike",))
    assert (result.status, result.parser, result.records) == ("ingested", "seller-table-csv", 3)
    assert result.columns["Investigator Notes"] == "(kept as property)"
    note = _cell(path, 2, "Investigator Notes")
    bright = NodeRef("Storefront", "amazon:A3BRIGHTWAVE9Q")
    assert sqlite_store.get_node(bright).props["extra:Investigator Notes"] == [note]
    links = _links(sqlite_store, bright)
    s = note.index("refunds.bw@163.com")
    where = f"row 2, column 'Investigator Notes', chars {s}-{s + len('refunds.bw@163.com')}"
    assert links[("PAID_TO", "paypal:refunds.bw@163.com")] == (LOW, [where])
    assert links[("USES_EMAIL", "refunds.bw@163.com")] == (LOW, [where])
    assert links[("USES_INFRASTRUCTURE", "wechat:brightwave_cs")][0] == LOW
    assert links[("USES_INFRASTRUCTURE", "tracking:LX123456785CN")][0] == LOW
    assert links[("PAID_TO", "paypal:brightwave.pay@outlook.com")] == ({}, ["row 2, column 'PayPal Email'"])
    tide = _links(sqlite_store, NodeRef("Storefront", "amazon:A1TIDEWATER7K"))
    assert tide[("USES_PHONE", "+8675526618899")][0] == LOW
    assert tide[("INFRINGES", "nike")][0] == LOW  # 'Sells Nlke slides.' with the case's watchlist
    # 'no reply' is not prose: nothing but the table's own columns
    assert set(_links(sqlite_store, NodeRef("Storefront", "ebay:copperleaf-home"))) == \
        {("PAID_TO", "paypal:copperleaf.pay@outlook.com")}


def test_comments_column_of_a_disclosure_links_to_the_storefront_or_the_holder(sqlite_store):
    path = TABLES / "walmart_disclosure_comments.csv"
    result = ingest_file(sqlite_store, path)
    assert (result.status, result.parser, result.records) == ("ingested", "disclosure-csv", 2)
    store_links = _links(sqlite_store, NodeRef("Storefront", "walmart:101887766"))
    assert store_links[("PAID_TO", "payoneer:quayside.payout@outlook.com")][0] == LOW
    [(address, (props, [where]))] = [(k, v) for k, v in store_links.items() if k[0] == "SHIPS_FROM"]
    assert props == LOW and address[1].startswith("HK|")
    comment = _cell_after_title(path, "Quayside Bargains", "Compliance Comments")
    s = comment.index("Flat 7")
    assert where == f"row 5, column 'Compliance Comments', chars {s}-{comment.index('Hong Kong.') + 9}"
    # a row with no seller id is the account holder: a payment account in its comment is one it holds
    holder = _links(sqlite_store, NodeRef("Seller", "FUZHOU LANTERN CRAFTS CO LTD|CN"))
    assert holder[("HOLDS", "paypal:lanterncrafts.pay@outlook.com")][0] == LOW


def _cell_after_title(path, store_name: str, column: str) -> str:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    header = next(r for r in rows if "Store Name" in r)
    row = next(r for r in rows if store_name in r)
    return row[header.index(column)]


def test_a_store_named_in_a_cell_is_not_a_second_storefront(sqlite_store, tmp_path):
    path = tmp_path / "relisted.csv"
    path.write_text("Seller Alias,Store URL,Notes\n"
                    "Bloom Again,https://www.ebay.com/usr/bloom_again_21,"
                    "relisted two days after the takedown of Sunny Bloom Shop; pays to bloom.again@outlook.com\n",
                    encoding="utf-8")
    assert ingest_file(sqlite_store, path).status == "ingested"
    assert [n.key for n in sqlite_store.iter_nodes("Storefront")] == ["ebay:bloom_again_21"]
    links = _links(sqlite_store, NodeRef("Storefront", "ebay:bloom_again_21"))
    assert links[("USES_EMAIL", "bloom.again@outlook.com")][0] == LOW
