"""Seller-table rows made into Records by the cleaning workers: the main process only cuts the table into chunks."""

from __future__ import annotations

import io
import sqlite3

import pytest

from graph.store import open_store
from ingest import run
from ingest.base import ParseContext
from ingest.deferred import Rows, Then
from ingest.run import ingest_file
from ingest.seller_table import SellerTableCSV

HEADER = "Def. No.,Seller Alias,Store URL,PayPal,Customer Service Phone,Return Address,Date Opened,Notes"
ROWS = 4_500   # data rows: three batches of 2,000 Records and a bit
REPEAT = 1_000  # the header row is repeated before every 1,000th data row (4 times)


def _table(path):
    """A Schedule A table as exhibits come: a title row, a BOM, a header repeated on every page, blank rows,
    addresses on two lines (quoted), a few rows with two extra cells, one note too long to keep whole."""
    lines = ["Schedule A to the Complaint - Case No. 1:26-cv-05120,,,", "\ufeff" + HEADER]
    for i in range(1, ROWS + 1):
        if i % REPEAT == 0:
            lines.append(HEADER)
        if i % 450 == 0:
            lines.append(",,,,,,,")
        address = f'"Rm {i % 800 + 100}, 5/F, Block {i % 9}\nNo. {i} Minzhi Avenue, Shenzhen 518131, CN"'
        opened = "sometime in spring" if i % 3 == 0 else "2025-02-14"
        note = "x" * 100_010 if i == 3_333 else "mostly sports shoes"
        cells = [str(i), f"Lakeview Trading {i}", f"https://www.amazon.com/sp?seller=A{i:011d}Q",
                 f"lakeview.pay{i // 4}@outlook.com", f"+86 139 {i % 10000:04d} {(7 * i) % 10000:04d}", address,
                 opened, note]
        if i % 1_500 == 7:
            cells += ["carton label", "seen 2025"]
        lines.append(",".join(cells))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _statements(db) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        nodes = conn.execute("SELECT n.type, n.key, p.prop, p.value, p.locator FROM node_props p "
                             "JOIN nodes n ON n.id = p.node_id ORDER BY n.id, p.prop, p.value, p.locator").fetchall()
        edges = conn.execute("SELECT e.type, a.key, b.key, x.locator, x.props FROM edge_assertions x "
                             "JOIN edges e ON e.id = x.edge_id JOIN nodes a ON a.id = e.src JOIN nodes b ON b.id = e.dst "
                             "ORDER BY e.id, x.locator").fetchall()
        unparsed = conn.execute("SELECT locator, field, raw, reason FROM unparsed ORDER BY id").fetchall()
        # the workers hand the store prepared batches (names, derived props, terms); one process, Facts
        rows = conn.execute("SELECT type, key, name, props FROM nodes ORDER BY id").fetchall()
        terms = sorted(conn.execute("SELECT n.type, n.key, t.term, t.fts FROM search_terms t "
                                    "JOIN nodes n ON n.id = t.node_id"))
    return ([("node", *n) for n in nodes] + [("edge", *e) for e in edges] + [("unparsed", *u) for u in unparsed]
            + [("row", *r) for r in rows] + [("term", *t) for t in terms])


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    """The same table ingested with two cleaning workers and with none (the dashboard's way)."""
    tmp = tmp_path_factory.mktemp("deferred")
    table = _table(tmp / "schedule_a.csv")
    out = {}
    for workers in (2, 0):
        saved, run.WORKERS = run.WORKERS, workers
        try:
            with open_store(f"sqlite:///{tmp}/w{workers}.db") as store:
                result = ingest_file(store, table)
        finally:
            run.WORKERS = saved
        out[workers] = result, _statements(tmp / f"w{workers}.db")
    return out


def test_workers_make_the_same_records_as_one_process(both):
    (with_workers, statements), (alone, expected) = both[2], both[0]
    assert with_workers.status == alone.status == "ingested"
    assert with_workers.records == alone.records == ROWS
    assert statements == expected
    assert (with_workers.notes, with_workers.columns) == (alone.notes, alone.columns)


def test_rows_keep_their_numbers_past_multiline_cells_blank_rows_and_repeated_headers(both):
    result, statements = both[2]
    # data row i sits on table row i + 2 (title, header), plus the blank rows and repeated headers before it
    i = 4_444
    row = i + 2 + i // 450 + i // REPEAT
    located = {(s[3], s[4]): s[5] for s in statements if s[0] == "node" and s[1] == "Storefront"}
    assert located[("name", f"Lakeview Trading {i}")] == f"row {row}, column 'Seller Alias'"
    assert located[("name", "Lakeview Trading 1")] == "row 3, column 'Seller Alias'"
    assert f"{ROWS // REPEAT} repeated header row(s) skipped" in result.notes
    assert f"row {3_333 + 2 + 3_333 // 450 + 3_333 // REPEAT}: cell 'Notes' cut to 100000 characters" in result.notes
    assert ("column 'Date Opened': 1500 dates kept as written (not an unambiguous date, e.g. 'sometime in spring')"
            in result.notes)
    assert result.columns["column 9"] == result.columns["column 10"] == "(kept as property)"
    # the notes that count over the whole table come after what the rows reported, as in one process
    assert result.notes.index(f"{ROWS // REPEAT} repeated header row(s) skipped") == len(result.notes) - 2


def test_the_main_process_cuts_the_table_into_rows_of_a_batch_of_records(tmp_path):
    table = _table(tmp_path / "schedule_a.csv")
    with table.open("rb") as fh:
        items = list(SellerTableCSV().parse(io.BufferedReader(fh), ParseContext(path=str(table), defer_rows=1_000)))
    assert [type(i) for i in items] == [Rows] * 5 + [Then]
    assert [i.records for i in items[:-1]] == [1_000, 1_000, 1_000, 1_000, 500]
    with table.open("rb") as fh:  # asked for Records (defer_rows 0), a parser gives Records
        records = list(SellerTableCSV().parse(io.BufferedReader(fh), ParseContext(path=str(table))))
    made = [r for i in items[:-1] for r in i.make()]
    assert made == records and len(made) == ROWS


def test_a_malformed_row_past_the_first_batches_rejects_the_file_with_its_line(sqlite_store, tmp_path):
    lines = [HEADER] + [f"{i},Birch Hollow {i},https://www.ebay.com/usr/birchhollow{i},,,,," for i in range(1, 5_001)]
    lines[4_200] = "4200,Birch\rHollow,https://www.ebay.com/usr/birchhollow4200,,,,,"  # a bare carriage return
    path = tmp_path / "birch.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8", newline="")
    before = sqlite_store.counts()
    result = ingest_file(sqlite_store, path)
    assert result.status == "rejected"
    assert result.reason.startswith("row 4201: malformed CSV (new-line character seen in unquoted field")
    assert sqlite_store.counts() == before
