"""Seller tables as XLSX, JSON and JSON Lines: header rows under titles, typed cells, flattening, bad files."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook

from graph.records import NodeRef, Record
from ingest.base import ParseContext, Unreadable, detect
from ingest.columns import map_header, parse_overrides
from ingest.errors import ParseError
from ingest.json_table import SellerTableJSON, SellerTableJSONL
from ingest.run import ingest_file
from ingest.seller_table import SellerTableCSV
from ingest.spreadsheet import SellerTableXLSX
from ingest.typed import date_text, format_currency, money_text, number_text
from tests.conftest import FIXTURES

TABLES = FIXTURES / "ingest" / "tables"
SHEET = "sheet 'Schedule A'"
lost_digits = ("a number of more than 15 digits: Excel keeps 15, so this identifier has lost its last digits "
               "(format the column as text)")


def _parse(parser, name: str, data: bytes | None = None, overrides=None):
    ctx = ParseContext(path=name, overrides=overrides or {})
    data = (TABLES / name).read_bytes() if data is None else data
    return list(parser().parse(io.BufferedReader(io.BytesIO(data)), ctx)), ctx


def _fields(record: Record) -> dict[str, str]:
    out: dict[str, str] = {}
    for v in record.values:
        key = v.field or f"({v.column})"
        out[key] = f"{out[key]} | {v.raw}" if key in out else v.raw
    return out


def _workbook(*rows, title="Sheet") -> bytes:
    wb = Workbook()
    wb.active.title = title
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- XLSX -------------------------------------------------------------------------------------------

def test_xlsx_header_row_under_title_rows_typed_cells_and_every_table_sheet():
    items, ctx = _parse(SellerTableXLSX, "schedule_a.xlsx")
    records = [i for i in items if isinstance(i, Record)]
    assert [r.locator for r in records] == [f"{SHEET}, row 6", f"{SHEET}, row 7", f"{SHEET}, row 9",
                                            f"{SHEET}, row 10", "sheet 'Added 2026-10', row 2",
                                            "sheet 'Added 2026-10', row 3"]
    case = "Case No. 1:26-cv-04417 (N.D. Ill.)"
    assert _fields(records[0]) == {
        "defendant_no": "1", "name": "Harbor Wizard Pro", "marketplace": "Amazon", "seller_id": "A2HLB7Q9ZK3MPX",
        "paypal": "hwpro.pay@outlook.com", "email": "hwpro.cs@gmail.com",
        "phone": "8613800138000",             # a number cell: no '.0', no exponent
        "(Date Captured)": "2026-09-14",      # a date cell: ISO 8601
        "(Listings Found)": "3",              # a formula: the value Excel cached, never the formula
        "case": case}                         # named in a title row: holds for every row
    paypal = next(v for v in records[0].values if v.field == "paypal")
    assert paypal.locator == f"{SHEET}, row 6, column 'PayPal'" and paypal.column == "PayPal"
    assert records[0].values[-1].locator == f"{SHEET}, row 6 (case named in row 3)"
    third = _fields(records[2])
    assert third["seller_id"] == "1103458876" and third["(Date Captured)"] == "2026-09-15T16:45:00"
    assert "(Listings Found)" not in third  # #N/A
    assert _fields(records[3])["(Date Captured)"] == "2026-09-15"  # text "09/15/2026" in a date column
    [lost] = [i for i in items if isinstance(i, Unreadable)]
    assert lost.locator == f"{SHEET}, row 9, column 'Bank Account'" and lost.raw == "6.222020200112233e+18"
    assert lost.reason.startswith("a number of more than 15 digits: Excel keeps 15")
    assert _fields(records[4]) == {"name": "Cozy Galley Deals", "url": "https://www.ebay.com/usr/cozygalley_deals",
                                   "email": "cozygalley@outlook.com"}
    assert ctx.columns["Seller ID"] == "seller_id" and ctx.columns["Date Captured"] == "(kept as property)"
    assert ctx.notes == [
        f"{SHEET}: 3 title row(s) above the header (row 5): 'SCHEDULE A / Harbor Lane Brands LLC v. The "
        "Partnerships and Unincorporated Associations Identified on Schedule A / Case No. 1:26-cv-04417 (N.D. Ill.)'",
        f"{SHEET}: case {case!r} (case named in row 3) applies to every row",
        f"{SHEET}: 1 repeated header row(s) skipped",
        f"{SHEET}: 1 error cell(s) (#N/A, #REF!...) read as empty",
        "sheet 'Notes': no header row of known fields in its first 20 rows: skipped",
    ]


def test_xlsx_end_to_end_nodes_edges_and_provenance(sqlite_store):
    result = ingest_file(sqlite_store, TABLES / "schedule_a.xlsx")
    # unparsed: the rounded bank account, and the phone stored as a number (Excel dropped its '+')
    assert (result.status, result.parser, result.records, result.unparsed) == ("ingested", "seller-table-xlsx", 6, 2)
    store = sqlite_store
    wizard = store.get_node(NodeRef("Storefront", "amazon:A2HLB7Q9ZK3MPX"))
    assert wizard.name == "Harbor Wizard Pro" and wizard.props["extra:Date Captured"] == ["2026-09-14"]
    named = [(e, n) for e, n in store.neighbours(wizard.ref) if e.type == "NAMED_IN"]
    assert [(n.ref.key, e.props) for e, n in named] == [("ilnd:26-cv-04417", {"defendant_no": "1"})]
    paypal = NodeRef("PaymentAccount", "paypal:hwpro.pay@outlook.com")
    payers = sorted(n.ref.key for e, n in store.neighbours(paypal) if e.type == "PAID_TO")
    assert payers == ["amazon:A2HLB7Q9ZK3MPX", "amazon:A3BNH55TQW8ZRY"]
    assert {e.locator for e in store.provenance(paypal)} == {f"{SHEET}, row 6, column 'PayPal'",
                                                            f"{SHEET}, row 7, column 'PayPal'"}
    assert store.get_node(NodeRef("Storefront", "aliexpress:1103458876")).name == "港湾厨房旗舰店"
    assert store.get_node(NodeRef("Storefront", "etsy:galleyandco")) is not None
    kept = {u["locator"]: u["reason"] for u in store.unparsed()}
    assert kept == {f"{SHEET}, row 6, column 'Phone'": "no country for a local number",
                    f"{SHEET}, row 9, column 'Bank Account'": lost_digits}
    assert ingest_file(store, TABLES / "schedule_a.xlsx").status == "unchanged"


def test_xlsx_overrides_and_ignored_columns():
    overrides = parse_overrides(["Listings Found=ignore", "Date Captured=keep", "Platform=marketplace"])
    items, ctx = _parse(SellerTableXLSX, "schedule_a.xlsx", overrides=overrides)
    first = _fields(next(i for i in items if isinstance(i, Record)))
    assert "(Listings Found)" not in first and first["(Date Captured)"] == "2026-09-14"
    assert ctx.columns["Listings Found"] == "(ignored)"


def test_xlsx_streams_rows_and_a_damaged_sheet_fails_at_its_row():
    good = _workbook(["Seller Name", "Store URL"],
                     *([f"Shop {i}", f"https://www.etsy.com/shop/Shop{i}"] for i in range(60)), title="Big")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            dst.writestr(info, data[:len(data) * 3 // 4] if info.filename == "xl/worksheets/sheet1.xml" else data)
    ctx = ParseContext(path="cut.xlsx")
    rows = SellerTableXLSX().parse(io.BufferedReader(io.BytesIO(out.getvalue())), ctx)
    first = next(rows)  # records come out while the rest of the sheet is still unread
    assert first.locator == "sheet 'Big', row 2"
    with pytest.raises(ParseError) as exc:
        list(rows)
    assert str(exc.value).startswith("cut.xlsx: sheet 'Big', row 46: unreadable worksheet (malformed XML: "
                                     "no element found")


def _zip(**members: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, text in members.items():
            z.writestr(name, text)
    return out.getvalue()


@pytest.mark.parametrize("name,data,message", [
    ("garbage.xlsx", bytes(range(256)) * 40, "garbage.xlsx: byte 0: not an XLSX workbook (not a zip archive)"),
    ("cut.xlsx", None, "cut.xlsx: damaged workbook, cannot be opened (File is not a zip file)"),
    ("encrypted.xlsx", b"", "encrypted.xlsx: password-protected workbook: remove the password"),
    ("legacy.xls", b"", "legacy.xls: legacy Excel 97-2003 workbook (.xls), not read: save it as .xlsx"),
    ("legacy_encrypted.xls", b"", "legacy_encrypted.xls: password-protected workbook (legacy .xls): remove"),
    ("photos.xlsx", _zip(**{"readme.txt": "x"}), "photos.xlsx: a zip archive, not an XLSX workbook"),
    ("bad.xlsx", _zip(**{"[Content_Types].xml": "<Types/>"}), "bad.xlsx: not a readable XLSX workbook (OSError: File contains no valid workbook part)"),
    ("words.xlsx", _workbook(["Artikel", "Menge"], ["Schal", "3"]),
     "words.xlsx: no sheet has a header row of known seller fields in its first 20 rows (sheets: 'Sheet')"),
])
def test_hostile_and_unreadable_workbooks_fail_with_a_reason(name, data, message):
    if data is None:
        good = (TABLES / "schedule_a.xlsx").read_bytes()
        data = good[:len(good) // 2]
    elif data == b"":
        data = (TABLES / name).read_bytes()
    with pytest.raises(ParseError) as exc:
        _parse(SellerTableXLSX, name, data)
    assert str(exc.value).startswith(message)


def test_a_rejected_workbook_leaves_the_store_unchanged(sqlite_store):
    ingest_file(sqlite_store, TABLES / "schedule_a.xlsx")
    before = (sqlite_store.counts(), len(sqlite_store.sources()))
    result = ingest_file(sqlite_store, TABLES / "encrypted.xlsx")
    assert result.status == "rejected" and result.parser == "seller-table-xlsx"
    assert result.reason.startswith("password-protected workbook")
    assert (sqlite_store.counts(), len(sqlite_store.sources())) == before


def test_huge_cells_formulas_without_cache_and_odd_cells_never_crash():
    data = _workbook(["Seller Name", "Store URL", "Notes", "Rating", "Fee", "Active"],
                     ["A" * 40_000, "https://www.etsy.com/shop/Bigname", "=1+1", 0.1 + 0.2, 0.075, True],
                     ["<script>alert(1)</script>", "javascript:alert(1)", None, float("1e300"), -0.0, False])
    items, _ = _parse(SellerTableXLSX, "odd.xlsx", data)
    first, second = (_fields(r) for r in items if isinstance(r, Record))
    assert [(i.locator, i.raw) for i in items if isinstance(i, Unreadable)] == [
        ("sheet 'Sheet', row 3, column 'Rating'", "1e+300")]
    assert len(first["name"]) <= 40_000 and "(Notes)" not in first  # a formula never computed: empty
    assert (first["(Rating)"], first["(Fee)"], first["(Active)"]) == ("0.3", "0.075", "TRUE")
    assert second["(Active)"] == "FALSE" and second["(Fee)"] == "0" and second["name"] == "<script>alert(1)</script>"


# --- JSON and JSON Lines ----------------------------------------------------------------------------

def test_json_wrapper_object_flattening_and_context():
    items, ctx = _parse(SellerTableJSON, "sellers.json")
    first = items[0]
    where = "key 'sellers', record 1"
    assert first.locator == where and first.hints == (("marketplace", "amazon"),)
    assert _fields(first) == {
        "name": "Harbor Wizard Pro", "seller_id": "A2HLB7Q9ZK3MPX",
        "email": "hwpro.cs@gmail.com | hw.pro.cs@gmail.com",             # a list: several values
        "phone": "+86 138 0013 8000",                                      # contact.phone: a dotted key
        "payment": "PayPal, hwpro.pay@outlook.com | Payoneer, 48213377",  # account objects: one value each
        "address": "Rm 1201, 12/F, Tower A, Hengda Plaza, Shenzhen, China",
        "(firstSeen)": "2025-09-14T00:00:00Z",                             # epoch milliseconds in a date key
        "(listingCount)": "12", "(rating)": "4.70", "(verified)": "true",
        "case": "Case No. 1:26-cv-04417 (N.D. Ill.)"}
    emails = [v.locator for v in first.values if v.field == "email"]
    assert emails == [f"{where}, key 'contact.email[0]'", f"{where}, key 'contact.email[1]'"]
    assert _fields(items[1])["paypal"] == "hwpro.pay@outlook.com" and _fields(items[1])["payoneer"] == "48213377"
    assert items[2] == Unreadable("key 'sellers', record 3", '"Galley Finds (no details)"',
                                  "expected an object, found str")
    assert _fields(items[3])["(ratings.history.2025.q1.count)"] == "3"
    assert ctx.columns["sellerName"] == "name" and ctx.columns["payment.paypal"] == "paypal"
    assert ("keys beside the records (read as context, stated in no record): "
            "'exported_from: SellerWatch 4.2; platform: Amazon'") in ctx.notes


def test_json_end_to_end(sqlite_store):
    result = ingest_file(sqlite_store, TABLES / "sellers.json")
    assert (result.status, result.parser, result.records, result.unparsed) == ("ingested", "seller-table-json", 3, 1)
    wizard = NodeRef("Storefront", "amazon:A2HLB7Q9ZK3MPX")
    links = {(e.type, n.ref.key) for e, n in sqlite_store.neighbours(wizard)}
    assert {("PAID_TO", "paypal:hwpro.pay@outlook.com"), ("PAID_TO", "payoneer:48213377"),
            ("USES_EMAIL", "hw.pro.cs@gmail.com"), ("NAMED_IN", "ilnd:26-cv-04417")} <= links
    bright = NodeRef("Storefront", "amazon:A3BNH55TQW8ZRY")
    assert ("PAID_TO", "payoneer:48213377") in {(e.type, n.ref.key) for e, n in sqlite_store.neighbours(bright)}


def test_jsonl_a_malformed_line_is_kept_and_the_file_goes_on(sqlite_store):
    items, ctx = _parse(SellerTableJSONL, "sellers.jsonl")
    assert [i.locator for i in items] == ["line 1", "line 2", "line 3", "line 5", "line 6", "line 7", "line 8"]
    assert items[3].reason == "expected an object, found list"
    bad = items[5]
    assert isinstance(bad, Unreadable) and bad.raw.startswith('{"seller_name": "Harbor-Lane Outlet"')
    assert bad.reason.startswith("malformed JSON at column 116")
    assert _fields(items[4])["(captured)"] == "2026-09-14"
    assert _fields(items[6])["balance"] == "1020.00 USD"  # {"amount": "1,020.00", "currency": "USD"}
    result = ingest_file(sqlite_store, TABLES / "sellers.jsonl")
    assert (result.status, result.records, result.unparsed) == ("ingested", 5, 2)
    deals = sqlite_store.get_node(NodeRef("Storefront", "etsy:wizarddeals"))
    assert deals.props["balance"] == ["1020.00 USD"]
    assert {u["locator"] for u in sqlite_store.unparsed()} == {"line 5", "line 7"}


@pytest.mark.parametrize("parser,name,data,message", [
    (SellerTableJSON, "malformed.json", None, "malformed.json: line 3, column 37: malformed JSON (Expecting ',' delimiter)"),
    (SellerTableJSON, "keys.json", b'[{"colour": "red", "size": 3}]',
     "keys.json: record 1: no key is a known seller field (keys: colour, size)"),
    (SellerTableJSON, "scalar.json", b'"just a string"', "scalar.json: line 1: expected an array of objects, found str"),
    (SellerTableJSON, "names.json", b'["Harbor Wizard Pro", "Brightnest Home"]',
     "names.json: record 1: expected an array of objects, found an array of str"),
    (SellerTableJSON, "deep.json", b"[" * 100_000 + b"]" * 100_000, "deep.json: JSON nested too deeply"),
    (SellerTableJSONL, "table.jsonl", b"Seller Name,Store URL\nA,https://www.etsy.com/shop/A\n",
     "table.jsonl: line 1: not JSON Lines: none of the first 2 non-empty lines is a JSON object (malformed JSON"),
    (SellerTableJSONL, "binary.jsonl", b"\x00\x01\x02" * 100, "binary.jsonl: byte 0: binary data, not JSON Lines"),
])
def test_bad_json_fails_with_file_and_place(parser, name, data, message):
    with pytest.raises(ParseError) as exc:
        _parse(parser, name, data)
    assert str(exc.value).startswith(message)


# --- detection, header mapping, typed values ----------------------------------------------------------

@pytest.mark.parametrize("name,expected", [
    ("schedule_a.xlsx", SellerTableXLSX), ("sellers.json", SellerTableJSON), ("sellers.jsonl", SellerTableJSONL),
    ("encrypted.xlsx", SellerTableXLSX), ("legacy.xls", SellerTableXLSX),
])
def test_detection_of_table_formats(name, expected):
    assert detect(name, (TABLES / name).read_bytes()[:65536]) is expected


def test_detection_of_json_lines_named_json_and_of_csv():
    lines = b'{"seller_name": "A", "store_url": "https://www.etsy.com/shop/A"}\n{"seller_name": "B"}\n'
    assert detect("export.json", lines) is SellerTableJSONL
    assert detect("sellers.csv", b"Seller Name,Store URL\n") is SellerTableCSV


@pytest.mark.parametrize("header,field", [
    ("Bank Name", None), ("Contact Name", None), ("Brand Name", "brand"), ("PayPal Account ID", "paypal"),
    ("Payoneer Customer ID", "payoneer"), ("Restrained Amount", "balance"), ("Amount Frozen", "balance"),
    ("Seller's Name", "name"), ("Holder Name", "legal_name"),
])
def test_header_mapping_for_tables_and_disclosures(header, field):
    assert map_header(header, {}) == field


@pytest.mark.parametrize("raw,currency,expected", [
    ("USD 12,480.55", None, "12480.55 USD"), ("12.480,55 €", None, "12480.55 EUR"), ("¥3,200", None, "3200 CNY"),
    ("$1,234.50", None, "1234.50 USD"), ("1 234,56", "eur", "1234.56 EUR"), ("(1,200.00)", "USD", "-1200.00 USD"),
    ("RMB 5,000", None, "5000 CNY"), ("12480.55", None, "12480.55"), ("3,20", None, "3.20"),
    ("1.2.3", None, None), ("pending review", "USD", None), ("usd 1e5", None, None),
])
def test_money_is_typed_with_its_currency(raw, currency, expected):
    assert money_text(raw, currency) == expected


@pytest.mark.parametrize("raw,expected", [
    ("2024-03-14", "2024-03-14"), ("2024-03-14 08:15:00", "2024-03-14T08:15:00"), ("2024/3/14", "2024-03-14"),
    ("2024年3月14日", "2024-03-14"), ("14.03.2024", "2024-03-14"), ("03/14/2024", "2024-03-14"),
    ("14/03/2024", "2024-03-14"), ("03/04/2024", None), ("Mar 14, 2024", "2024-03-14"),
    ("14-Mar-2024", "2024-03-14"), ("3/14/24 8:15 PM", "2024-03-14T20:15:00"),
    ("2024-03-14 08:15:00 +0800", "2024-03-14T08:15:00+08:00"), ("2024-02-30", None), ("soon", None),
])
def test_dates_are_typed_only_when_unambiguous(raw, expected):
    assert date_text(raw) == expected


def test_numbers_and_number_formats():
    assert [number_text(x) for x in (12480.55, 48213377.0, 0.1 + 0.2, 1e-7, -0.0)] == \
        ["12480.55", "48213377", "0.3", "0.0000001", "0"]
    assert [format_currency(f) for f in ('"$"#,##0.00', "[$€-407]#,##0.00", "[$¥-411]#,##0", "[$¥-804]#,##0",
                                         "#,##0.00", "General")] == ["USD", "EUR", "JPY", "CNY", None, None]
