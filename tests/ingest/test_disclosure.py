"""Disclosures from platforms and payment providers (CSV, XLSX): subjects, typed balances, cross-source links."""

from __future__ import annotations

import io
import zipfile

import pytest

from graph.records import NodeRef, Record
from ingest.base import ParseContext, detect
from ingest.disclosure import DisclosureCSV, DisclosureXLSX, head_strings
from ingest.seller_table import SellerTableCSV
from ingest.spreadsheet import SellerTableXLSX
from ingest.run import ingest_file
from ingest.tables import DISCLOSURE, SELLER_TABLE, Table
from tests.conftest import FIXTURES

TABLES = FIXTURES / "ingest" / "tables"
SHEET = "sheet 'Restrained Accounts'"
CASE_ROW = "Harbor Lane Brands LLC v. Schedule A Defendants, No. 1:26-cv-04417 (N.D. Ill.)"


def _parse(parser, name: str, data: bytes | None = None):
    ctx = ParseContext(path=name)
    data = (TABLES / name).read_bytes() if data is None else data
    return list(parser().parse(io.BufferedReader(io.BytesIO(data)), ctx)), ctx


def _fields(record: Record) -> dict[str, str]:
    out: dict[str, str] = {}
    for v in record.values:
        key = v.field or f"({v.column})"
        out[key] = f"{out[key]} | {v.raw}" if key in out else v.raw
    return out


def test_payment_provider_disclosure_rows_are_about_account_holders():
    records, ctx = _parse(DisclosureXLSX, "paypal_disclosure.xlsx")
    assert [(r.subject, r.locator) for r in records] == [("Seller", f"{SHEET}, row {n}") for n in (6, 7, 8)]
    assert _fields(records[0]) == {
        "defendant_no": "1", "legal_name": "Shenzhen Harbor Wizard Trading Co., Ltd.",
        "paypal": "7HWPQ4ZK2LMNB",                      # "Merchant ID" in PayPal's answer: a PayPal account
        "email": "hwpro.pay@outlook.com", "phone": "+86 138 0013 8000",
        "address": "Rm 1201, 12/F, Tower A, Hengda Plaza, Futian District, Shenzhen 518000", "country": "China",
        "ip": "203.0.113.7; 198.51.100.23",
        "balance": "12480.55 USD",                      # a number cell + the Currency column
        "(Account Opened)": "2023-05-17",
        "bank_account": "Bank of China 6222 0212 3456 7890",  # Bank Name + Bank Account Number
        "case": CASE_ROW}
    second, third = _fields(records[1]), _fields(records[2])
    assert (second["balance"], second["(Account Opened)"]) == ("3050.00 EUR", "2024-02-14")
    assert (third["balance"], third["(Account Opened)"]) == ("3200 CNY", "03/04/2024")  # ambiguous: as written
    assert "(Currency)" not in third  # '¥3,200' + 'CNY' say the same
    balance = next(v for v in records[0].values if v.field == "balance")
    assert balance.locator == f"{SHEET}, row 6, column 'Restrained Amount'"
    assert ctx.columns["Merchant ID"] == "paypal" and ctx.columns["Currency"] == "(completes balance)"
    assert ctx.columns["Bank Name"] == "(completes bank_account)"
    assert f"{SHEET}: payment paypal (from the title, sheet or file name)" in ctx.notes
    assert f"{SHEET}: column 'Account Opened': 1 date kept as written (not an unambiguous date, e.g. '03/04/2024')" \
        in ctx.notes


def test_platform_disclosure_rows_with_a_seller_id_are_storefronts_operated_by_the_holder():
    records, ctx = _parse(DisclosureCSV, "amazon_disclosure.csv")
    assert [(r.subject, r.locator) for r in records] == [
        ("Storefront", "row 5"), ("Storefront", "row 6"), ("Seller", "row 7"), ("Storefront", "row 8")]
    assert all(r.hints == (("marketplace", "amazon"),) for r in records)  # bare merchant ids are Amazon's
    first = _fields(records[0])
    assert first["company"] == "Shenzhen Harbor Wizard Trading Co., Ltd. | Shenzhen Harbor Wizard Trading Co., Ltd."
    assert (first["balance"], first["(Account Created Date)"]) == ("12480.55 USD", "2024-03-14")
    assert first["bank_account"] == "DE89370400440532013000"
    assert _fields(records[1])["balance"] == "12480.55 EUR"          # '12.480,55 €'
    assert _fields(records[2]) == {
        "company": "Hangzhou Cozy Galley Trading Co., Ltd.", "email": "cozygalley@outlook.com", "country": "CN",
        "ip": "198.51.100.23", "balance": "3200 CNY", "(Account Created Date)": "03/04/2024",
        "bank_account": "6214 8312 3456 7890",
        "case": "Harbor Lane Brands LLC v. The Partnerships and Unincorporated Associations Identified on "
                "Schedule A Case No. 1:26-cv-04417 (N.D. Ill.)"}
    last = _fields(records[3])
    assert (last["balance"], last["(Currency)"], last["company"]) == ("pending review", "USD", "Li Na")
    assert "column 'Restrained Amount': 1 amount kept as written (not an amount, e.g. 'pending review')" in ctx.notes
    assert "marketplace amazon (from the title, sheet or file name)" in ctx.notes


def test_disclosures_link_across_sources_in_the_store(sqlite_store):
    paypal = ingest_file(sqlite_store, TABLES / "paypal_disclosure.xlsx")
    amazon = ingest_file(sqlite_store, TABLES / "amazon_disclosure.csv")
    assert (paypal.status, paypal.parser, paypal.records, paypal.unparsed) == ("ingested", "disclosure-xlsx", 3, 0)
    assert (amazon.status, amazon.parser, amazon.records, amazon.unparsed) == ("ingested", "disclosure-csv", 4, 0)
    store = sqlite_store
    holder = NodeRef("Seller", "SHENZHEN HARBOR WIZARD TRADING CO LTD|CN")
    node = store.get_node(holder)
    assert node.name == "Shenzhen Harbor Wizard Trading Co., Ltd." and node.props["balance"] == ["12480.55 USD"]
    links = {(e.type, n.ref.key, tuple(sorted(e.props.items()))) for e, n in store.neighbours(holder)}
    assert {("HOLDS", "paypal:7HWPQ4ZK2LMNB", ()), ("HOLDS", "bank:bank-of-china:6222021234567890", ()),
            ("USES_INFRASTRUCTURE", "ip:198.51.100.23", ()), ("USES_EMAIL", "hwpro.pay@outlook.com", ()),
            ("NAMED_IN", "ilnd:26-cv-04417", (("defendant_no", "1"),)),
            ("OPERATED_BY", "amazon:A2HLB7Q9ZK3MPX", ())} <= links  # the Amazon store, from the other Source
    store_node = store.get_node(NodeRef("Storefront", "amazon:A2HLB7Q9ZK3MPX"))
    assert store_node.name == "Harbor Wizard Pro" and store_node.props["balance"] == ["12480.55 USD"]
    ip = NodeRef("Infrastructure", "ip:198.51.100.23")
    users = sorted(n.ref.key for e, n in store.neighbours(ip) if e.type == "USES_INFRASTRUCTURE")
    assert users == ["HANGZHOU COZY GALLEY TRADING CO LTD|CN", "SHENZHEN HARBOR WIZARD TRADING CO LTD|CN",
                     "YIWU BRIGHTNEST E COMMERCE CO LTD|CN", "amazon:A3BNH55TQW8ZRY"]
    wang = NodeRef("Seller", "WANG XIAOMING|CN")
    assert ("HOLDS", "bank:china-merchants-bank:6214831234567890") in {
        (e.type, n.ref.key) for e, n in store.neighbours(wang)}
    [evidence] = [e for e in store.provenance(NodeRef("PaymentAccount", "paypal:7HWPQ4ZK2LMNB"))]
    assert evidence.locator == f"{SHEET}, row 6, column 'Merchant ID'"


def _table(headers: list[str], context: list[str] = ()) -> tuple[Table, list]:
    table = Table(ParseContext(path="t.csv"), context)
    return table, table.set_header(headers)


@pytest.mark.parametrize("headers,context,row,kind,subject,fields", [
    (["Seller Name", "Store URL", "Account Holder Name"], [], ["Shop", "https://www.etsy.com/shop/Shop", "A Co"],
     DISCLOSURE, "Storefront", ["name", "url", "company"]),
    (["Seller Name", "Account Holder Name", "Restrained Amount"], [], ["Shop", "A Co", "10"],
     DISCLOSURE, "Seller", [None, "legal_name", "balance"]),  # the store alias is kept as a property
    (["Name", "Email", "Login IP"], ["PayPal response"], ["Li Na", "li@qq.com", "203.0.113.9"],
     DISCLOSURE, "Seller", ["legal_name", "email", "ip"]),
    (["Name", "Email", "Login IP"], ["Amazon response"], ["Shop", "li@qq.com", "203.0.113.9"],
     DISCLOSURE, "Storefront", ["name", "email", "ip"]),
    (["Seller Name", "Legal Name", "PayPal"], [], ["Shop", "A Co", "a@b.com"],
     SELLER_TABLE, "Storefront", ["name", "company", "paypal"]),
])
def test_subject_of_a_row_follows_its_columns(headers, context, row, kind, subject, fields):
    table, columns = _table(headers, context)
    [record] = table.record(zip(columns, row), "row 2")
    assert table.kind == kind and record.subject == subject
    assert [v.field for v in record.values] == fields


def test_a_payment_providers_generic_ids_are_its_accounts(tmp_path):
    path = tmp_path / "response.csv"
    path.write_text("Payoneer Inc. - accounts restrained pursuant to the TRO\n"
                    "Customer ID,Account Holder Name,Payment Account,Seller ID,Available Balance\n"
                    "48213377,Yiwu Brightnest E-commerce Co. Ltd.,71234567,A3BNH55TQW8ZRY,\"USD 3,050.00\"\n",
                    encoding="utf-8")
    records, ctx = _parse(DisclosureCSV, "response.csv", path.read_bytes())
    assert [(v.field, v.raw) for v in records[0].values] == [
        ("payoneer", "48213377"), ("company", "Yiwu Brightnest E-commerce Co. Ltd."), ("payoneer", "71234567"),
        ("seller_id", "A3BNH55TQW8ZRY"), ("balance", "3050.00 USD")]
    assert ctx.columns["Customer ID"] == "payoneer" and ctx.columns["Seller ID"] == "seller_id"


@pytest.mark.parametrize("name,expected", [
    ("amazon_disclosure.csv", DisclosureCSV), ("paypal_disclosure.xlsx", DisclosureXLSX),
    ("schedule_a.xlsx", SellerTableXLSX), ("../seller_table.csv", SellerTableCSV),
])
def test_disclosures_are_recognised_from_their_headers(name, expected):
    head = (TABLES / name).read_bytes()[:65536]
    assert detect(name.rsplit("/", 1)[-1], head) is expected
    assert DisclosureCSV.sniff(name, head) == (85 if expected is DisclosureCSV else 0)
    assert DisclosureXLSX.sniff(name, head) == (85 if expected is DisclosureXLSX else 0)


class _Unseekable(io.RawIOBase):
    """A write-only stream: zipfile then writes each entry's sizes after its data (a data descriptor)."""

    def __init__(self):
        self.data = bytearray()

    def writable(self):
        return True

    def write(self, b):
        self.data += b
        return len(b)


def test_a_disclosure_workbook_written_as_a_stream_is_recognised_from_its_first_bytes():
    with zipfile.ZipFile(TABLES / "paypal_disclosure.xlsx") as src:
        parts = [(info.filename, src.read(info)) for info in src.infolist()]
    sink = _Unseekable()
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts:
            out.writestr(name, data)
    head = bytes(sink.data[:65536])
    assert head[6] & 0x08  # the first entry's sizes follow its data: the head must be walked past it
    assert "Account Holder Name" in head_strings(head)
    assert detect("paypal_response.xlsx", head) is DisclosureXLSX
