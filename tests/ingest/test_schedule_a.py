"""Schedule A exhibits and orders: PDF, plain text, HTML and DOCX; captions, tables, glossary lists, bad files."""

from __future__ import annotations

import io
import random
import zipfile

import pytest

from graph.records import NodeRef, Record
from ingest.base import ParseContext, Unreadable, detect
from ingest.errors import ParseError
from ingest.run import ingest_file
from ingest.schedule_a import ScheduleAHTML, ScheduleAText
from ingest.schedule_a_docx import ScheduleADOCX
from ingest.schedule_a_pdf import ScheduleAPDF
from ingest.schedule_a_text import read_schedule_a
from ingest.schedule_a import _text_lines
from tests.conftest import FIXTURES

HERE = FIXTURES / "ingest" / "schedule_a"

# (defendant no, alias, marketplace cell as field/value, seller id) as printed in exhibit.pdf
PDF_ROWS = [
    ("1", "Sunny Bloom Shop", ("url", "https://www.amazon.com/sp?seller=A3F7KQ2M9XL4TB"), "A3F7KQ2M9XL4TB"),
    ("2", "Bloomora", ("marketplace", "Amazon"), "A1QZ8WX5R2N6PD"),
    ("3", "HX Home Deals", ("url", "https://www.walmart.com/seller/101458732"), "101458732"),
    ("4", "Shenzhen Lumina Trading Co., Ltd. d/b/a LuminaHome Official Flagship Store", ("marketplace", "AliExpress"),
     "1102345678"),
    ("5", "KitchenJoy-US", ("url", "https://www.ebay.com/usr/kitchenjoy_us"), "kitchenjoy_us"),
    ("6", "DaisyLane Outlet", ("marketplace", "Temu"), "634418290112"),
    ("7", "Moonlit Garden Decor", ("url", "https://www.amazon.com/sp?seller=A2M4T8RX1QW0ZK"), "A2M4T8RX1QW0ZK"),
    ("8", "Yiwu Starlight Household Products Co., Ltd.", ("url", "https://www.dhgate.com/store/21345678"), "21345678"),
    ("9", "GreenNest Living", ("marketplace", "Walmart"), "101772094"),
    ("10", "Cozy Corner Crafts", ("url", "https://www.etsy.com/shop/CozyCornerCraftsCo"), "CozyCornerCraftsCo"),
    ("11", "Aurora Petals Boutique", ("marketplace", "Amazon"), "A9KD3LQ7ZP2VXM"),
    ("12", "Hangzhou Bright Sky Import & Export Trading Company Limited",
     ("url", "https://www.aliexpress.com/store/1103987654"), "1103987654"),
    ("13", "LuckyLeaf Mart", ("marketplace", "Temu"), "634419907731"),
    ("14", "Pearl River Home Essentials Superstore Online", ("url", "https://www.amazon.com/sp?seller=AZ7XQ4W1M8B3CN"),
     "AZ7XQ4W1M8B3CN"),
    ("15", "FlowerField Direct", ("marketplace", "eBay"), "flowerfield_direct"),
    ("16", "Velvet Rose Emporium", ("url", "https://www.walmart.com/seller/101990275"), "101990275"),
    ("17", "Bamboo Breeze Store", ("marketplace", "AliExpress"), "1104120033"),
    ("18", "Crystal Dew Gifts", ("marketplace", "Amazon"), "A4PL0XK7W2Q9EJ"),
    ("19", "Golden Meadow Supplies", ("url", "https://www.temu.com/golden-meadow-m-634420551876.html"), "634420551876"),
    ("20", "Silver Lining Homewares Wholesale Distribution Center", ("marketplace", "DHgate"), "21398877"),
    ("21", "TinyTulip Co", ("url", "https://www.etsy.com/shop/TinyTulipCo"), "TinyTulipCo"),
    ("22", "Orchid Oasis", ("marketplace", "Walmart"), "101335508"),
    ("23", "Maple & Moss", ("url", "https://www.amazon.com/sp?seller=A6VB2NQ8T5YH1R"), "A6VB2NQ8T5YH1R"),
    ("24", "Lotus Lantern Home", ("marketplace", "eBay"), "lotuslantern-home"),
    ("25", "Zhejiang Blossom Time Arts and Crafts Manufacturing Co., Ltd.", ("marketplace", "AliExpress"), "1105667788"),
    ("26", "Evergreen Bloom Outlet", ("marketplace", "Temu"), "634421100245"),
]
GLOSSARY = ["Sunny Bloom Shop", "Bloomora", "HX Home Deals", "Shenzhen Lumina Trading Co., Ltd.", "KitchenJoy-US",
            "DaisyLane Outlet", "Moonlit Garden Decor", "Yiwu Starlight Household Products Co., Ltd.",
            "GreenNest Living", "Cozy Corner Crafts", "Aurora Petals Boutique",
            "Hangzhou Bright Sky Import & Export Trading Company Limited"]


def _parse(cls, name: str | None = None, data: bytes | None = None, path: str | None = None):
    ctx = ParseContext(path=path or name or "doc")
    raw = data if data is not None else (HERE / name).read_bytes()
    items = list(cls().parse(io.BufferedReader(io.BytesIO(raw)), ctx))
    return items, ctx


def _storefronts(items):
    return [r for r in items if isinstance(r, Record) and r.subject == "Storefront"]


def _fields(record):
    out: dict[str, str] = {}
    for v in record.values:
        out.setdefault(v.field or f"({v.column})", v.raw)
    return out


def _row(record):
    f = _fields(record)
    market = ("url", f["url"]) if "url" in f else ("marketplace", f.get("marketplace"))
    return f.get("defendant_no"), f.get("name"), market, f.get("seller_id")


def _named_in(store, key):
    return {edge.props.get("defendant_no", ""): node.key
            for edge, node in store.neighbours(NodeRef("Case", key), ["NAMED_IN"])}


# --- PDF ----------------------------------------------------------------------------------------------

def test_pdf_exhibit_table_broken_across_lines_and_pages_with_repeated_headers():
    items, ctx = _parse(ScheduleAPDF, "exhibit.pdf")
    case, *rest = [r for r in items if isinstance(r, Record)]
    assert (case.subject, case.locator) == ("Case", "page 1, line 7")
    assert _fields(case) == {"case": "1:24-cv-01234",
                             "court": "UNITED STATES DISTRICT COURT FOR THE NORTHERN DISTRICT OF ILLINOIS",
                             "plaintiff": "ACME BRANDS LLC"}
    rows = _storefronts(items)
    assert [_row(r) for r in rows] == PDF_ROWS  # wrapped URLs and ids joined, footnote marker and footnote left out
    by_no = {_fields(r)["defendant_no"]: r for r in rows}
    assert by_no["1"].locator == "page 1, line 18"
    assert by_no["14"].locator == "page 1, line 41"  # its alias goes on at the top of page 2, under the header
    assert [v.locator for v in by_no["14"].values if v.field == "name"] == ["page 1, line 41"]
    assert by_no["15"].locator == "page 2, line 6"
    assert all(_fields(r)["case"] == "1:24-cv-01234" for r in rows)
    assert not any(isinstance(r, Unreadable) for r in items)
    assert ctx.columns == {"Def. No.": "defendant_no", "Defendant (Seller Alias)": "name",
                           "Online Marketplace": "url", "Seller ID": "seller_id"}
    assert "26 defendants in case 1:24-cv-01234" in ctx.notes


def test_pdf_exhibit_end_to_end_case_and_named_in_edges(sqlite_store):
    result = ingest_file(sqlite_store, HERE / "exhibit.pdf")
    assert (result.status, result.parser, result.records, result.unparsed) == ("ingested", "schedule-a-pdf", 27, 0)
    case = sqlite_store.get_node(NodeRef("Case", "ilnd:24-cv-01234"))
    assert case.name == "1:24-cv-01234"
    assert case.props["plaintiff"] == ["ACME BRANDS LLC"] and case.props["court_name"] == ["N.D. Ill."]
    named = _named_in(sqlite_store, "ilnd:24-cv-01234")
    assert len(named) == 26
    assert named["1"] == "amazon:A3F7KQ2M9XL4TB"
    assert named["3"] == "walmart:101458732"
    assert named["5"] == "ebay:kitchenjoy_us"
    assert named["12"] == "aliexpress:1103987654"
    assert named["14"] == "amazon:AZ7XQ4W1M8B3CN"
    assert named["19"] == "temu:634420551876"
    assert named["21"] == "etsy:tinytulipco"
    shop = sqlite_store.get_node(NodeRef("Storefront", "amazon:AZ7XQ4W1M8B3CN"))
    assert shop.props["name"] == ["Pearl River Home Essentials Superstore Online"]
    [(edge, _)] = [(e, n) for e, n in sqlite_store.neighbours(shop.ref, ["NAMED_IN"])]
    assert [ev.locator for ev in sqlite_store.provenance(shop.ref, edge)] == ["page 1, line 41"]


@pytest.mark.parametrize("name,message", [
    ("scanned.pdf", "scanned.pdf: page 1: no text layer (a scanned document? OCR it first)"),
    ("truncated.pdf", "truncated.pdf: end of file: truncated PDF (no %%EOF marker: the file was cut short)"),
    ("encrypted.pdf", "encrypted.pdf: encrypted PDF: it needs a password (save an unencrypted copy first)"),
])
def test_unreadable_pdfs_fail_with_a_clear_reason(name, message):
    with pytest.raises(ParseError) as exc:
        _parse(ScheduleAPDF, name)
    assert str(exc.value) == message


def test_garbage_pdfs_are_rejected_not_crashed(sqlite_store, tmp_path):
    with pytest.raises(ParseError, match=r"^x\.pdf: not a readable PDF \(PdfReadError: startxref not found\)$"):
        _parse(ScheduleAPDF, data=b"%PDF-1.7\n" + bytes(range(256)) * 8 + b"\n%%EOF\n", path="x.pdf")
    with pytest.raises(ParseError, match=r"^x\.pdf: byte 0: not a PDF \(no %PDF header\)$"):
        _parse(ScheduleAPDF, data=b"<html>not a pdf</html>", path="x.pdf")
    bad = tmp_path / "exhibit.pdf"
    bad.write_bytes((HERE / "truncated.pdf").read_bytes())
    before = sqlite_store.counts()
    result = ingest_file(sqlite_store, bad)
    assert (result.status, result.parser) == ("rejected", "schedule-a-pdf")
    assert result.reason == "end of file: truncated PDF (no %%EOF marker: the file was cut short)"
    assert sqlite_store.counts() == before


def test_damaged_documents_never_crash_the_parser():
    rng = random.Random(20240304)
    pdf = (HERE / "exhibit.pdf").read_bytes()
    docx = (HERE / "exhibit.docx").read_bytes()
    html = (HERE / "exhibit.html").read_bytes()
    cases = []
    for _ in range(8):
        for cls, data in ((ScheduleAPDF, pdf), (ScheduleADOCX, docx), (ScheduleAHTML, html)):
            b = bytearray(data)
            for _ in range(20):
                b[rng.randrange(len(b))] = rng.randrange(256)
            cases.append((cls, bytes(b)))
    cases += [(ScheduleAHTML, b"<table><tr><td colspan=99999999>1<td><table><tr><td>x</table>" * 50),
              (ScheduleAText, b"SCHEDULE A\n" + b"(" * 5000), (ScheduleAText, b"Schedule A (" + b"a, " * 20000)]
    for cls, data in cases:
        try:
            items, _ = _parse(cls, data=data, path="damaged")
        except ParseError:
            continue
        assert all(isinstance(i, (Record, Unreadable)) for i in items)


# --- plain text ---------------------------------------------------------------------------------------

def test_tro_order_glossary_list_across_a_page_break(sqlite_store):
    items, ctx = _parse(ScheduleAText, "tro_order.txt")
    case = items[0]
    assert (case.subject, case.locator) == ("Case", "line 9")
    assert _fields(case) == {"case": "1:24-cv-01234",
                             "court": "UNITED STATES DISTRICT COURT FOR THE NORTHERN DISTRICT OF ILLINOIS",
                             "plaintiff": "ACME BRANDS LLC"}
    rows = _storefronts(items)
    # the numbered paragraphs of the order ("1. Defendants, their officers ...") are not defendants
    assert [_fields(r)["name"] for r in rows] == GLOSSARY
    assert [r.locator for r in rows][:4] == ["line 28", "line 28", "line 28", "line 29"]
    assert rows[-1].locator == "line 35"  # after the form feed, page number and court stamp
    assert all("defendant_no" not in _fields(r) for r in rows)
    assert "12 defendants listed in the text at line 28" in ctx.notes

    result = ingest_file(sqlite_store, HERE / "tro_order.txt")
    assert (result.status, result.parser, result.records) == ("ingested", "schedule-a-text", 13)
    named = sqlite_store.neighbours(NodeRef("Case", "ilnd:24-cv-01234"), ["NAMED_IN"])
    assert sorted(n.props["name"][0] for _, n in named) == sorted(GLOSSARY)
    assert all(e.props == {} for e, _ in named)


ALIGNED = """\
Case: 1:24-cv-04321 Document #: 7-1 Filed: 05/02/24 Page 1 of 2 PageID #:99

                                 SCHEDULE A

Def. No.   Defendant (Seller Alias)        Online Marketplace                      Seller ID
1          Sunny Bloom Shop                https://www.amazon.com/sp?seller=       A3F7KQ2M9XL4TB
                                           A3F7KQ2M9XL4TB
2          Shenzhen Lumina Trading Co.,    AliExpress                              1102345678
           Ltd.
3          HX Home Deals                   Walmart                                 101458732

                                      1
\fCase: 1:24-cv-04321 Document #: 7-1 Filed: 05/02/24 Page 2 of 2 PageID #:100
Def. No.   Defendant (Seller Alias)        Online Marketplace                      Seller ID
4          DaisyLane Outlet                Temu                                    634418290112
5¹         Bloomora                        Amazon                                  A1QZ8WX5R2N6PD
"""
PIPES = """\
SCHEDULE A
| No. | Seller Alias | Store URL |
|-----|--------------|-----------|
| 1 | Glowly Store | https://www.amazon.com/sp?seller=A2GLOWLY7Q3K5M |
| 2 | Leafy Lights | https://www.etsy.com/shop/LeafyLights |
|   | & Co | |
"""
LOOSE = """\
Case No. 24-cv-7788

SCHEDULE A

1. Sunny Bloom Shop A3F7KQ2M9XL4TB
2. Bloomora  Amazon  A1QZ8WX5R2N6PD
3. HX Home Deals https://www.walmart.com/seller/101458732
"""


@pytest.mark.parametrize("text,expected", [
    (ALIGNED, [("1", "Sunny Bloom Shop", ("url", "https://www.amazon.com/sp?seller=A3F7KQ2M9XL4TB"), "A3F7KQ2M9XL4TB"),
               ("2", "Shenzhen Lumina Trading Co., Ltd.", ("marketplace", "AliExpress"), "1102345678"),
               ("3", "HX Home Deals", ("marketplace", "Walmart"), "101458732"),
               ("4", "DaisyLane Outlet", ("marketplace", "Temu"), "634418290112"),
               ("5", "Bloomora", ("marketplace", "Amazon"), "A1QZ8WX5R2N6PD")]),
    (PIPES, [("1", "Glowly Store", ("url", "https://www.amazon.com/sp?seller=A2GLOWLY7Q3K5M"), None),
             ("2", "Leafy Lights & Co", ("url", "https://www.etsy.com/shop/LeafyLights"), None)]),
    (LOOSE, [("1", "Sunny Bloom Shop", ("marketplace", None), "A3F7KQ2M9XL4TB"),
             ("2", "Bloomora", ("marketplace", "Amazon"), "A1QZ8WX5R2N6PD"),
             ("3", "HX Home Deals", ("url", "https://www.walmart.com/seller/101458732"), None)]),
], ids=["aligned-columns", "pipe-table", "numbered-lines"])
def test_text_tables_in_the_layouts_seen_in_practice(text, expected):
    items, _ = _parse(ScheduleAText, data=text.encode(), path="schedule_a.txt")
    assert [_row(r) for r in _storefronts(items)] == expected


def test_docket_from_the_court_stamp_when_there_is_no_caption():
    doc = read_schedule_a(_text_lines(ALIGNED))
    assert (doc.docket.value, doc.docket.locator) == ("1:24-cv-04321", "line 1")
    assert doc.court is None and doc.plaintiff is None
    assert [d.locator for d in doc.defendants] == ["line 6", "line 8", "line 10", "line 15", "line 16"]


# --- HTML and DOCX ------------------------------------------------------------------------------------

def test_html_exhibit_ignores_scripts_and_styles(sqlite_store):
    items, ctx = _parse(ScheduleAHTML, "exhibit.html")
    assert _fields(items[0]) == {"case": "24-cv-5678",
                                 "court": "UNITED STATES DISTRICT COURT FOR THE SOUTHERN DISTRICT OF NEW YORK",
                                 "plaintiff": "LUMEN & LEAF INC."}
    rows = _storefronts(items)
    assert [_row(r) for r in rows] == [
        ("1", "Glowly Store", ("url", "https://www.amazon.com/sp?seller=A2GLOWLY7Q3K5M"), "A2GLOWLY7Q3K5M"),
        ("2", "Leafy Lights & Co", ("marketplace", "Amazon"), "A7LEAFY3W9P2XR"),
        ("3", "BrightHaus", ("url", "https://www.walmart.com/seller/101884215"), "101884215"),
        ("4", "Shenzhen Jiayi Lighting Technology Co., Ltd.", ("marketplace", "AliExpress"), "1103987001"),
        ("5", "明亮灯饰旗舰店", ("url", "https://www.temu.com/ming-liang-m-634423390017.html"), "634423390017"),
        ("6", "LampLuxe Outlet", ("url", "https://www.ebay.com/usr/lampluxe_outlet"), None),
    ]
    assert [r.locator for r in rows] == [f"table 1, row {n}" for n in (2, 3, 4, 5, 7, 8)]
    assert "Injected" not in repr(items)

    result = ingest_file(sqlite_store, HERE / "exhibit.html")
    assert (result.status, result.parser, result.unparsed) == ("ingested", "schedule-a-html", 0)
    assert _named_in(sqlite_store, "nysd:24-cv-05678") == {
        "1": "amazon:A2GLOWLY7Q3K5M", "2": "amazon:A7LEAFY3W9P2XR", "3": "walmart:101884215",
        "4": "aliexpress:1103987001", "5": "temu:634423390017", "6": "ebay:lampluxe_outlet"}


def test_docx_exhibit_table_continued_after_a_page_break(sqlite_store):
    items, ctx = _parse(ScheduleADOCX, "exhibit.docx")
    assert (items[0].locator, _fields(items[0])) == ("paragraph 5", {
        "case": "2:24-cv-00456", "court": "UNITED STATES DISTRICT COURT FOR THE WESTERN DISTRICT OF PENNSYLVANIA",
        "plaintiff": "NORTHPEAK OUTDOOR GEAR CO."})
    rows = _storefronts(items)
    assert [_row(r) for r in rows] == [
        ("1", "NorthTrail Supply", ("url", "https://www.amazon.com/sp?seller=A8TRAIL2K4M6QZ"), "A8TRAIL2K4M6QZ"),
        ("2", "Summit Peak Store", ("marketplace", "Walmart"), "101620048"),
        ("3", "Guangzhou Alpine Outdoor Equipment Co., Ltd.", ("marketplace", "AliExpress"), "1106012345"),
        ("4", "TrailBlaze-Gear", ("url", "https://www.ebay.com/usr/trailblaze-gear"), "trailblaze-gear"),
        ("5", "山野户外旗舰店", ("marketplace", "Temu"), "634422278810"),
        ("6", "RidgeLine Outfitters", ("marketplace", "Amazon"), "A5RIDGE9Q1W3EX"),
        ("7", "Alpenglow Direct", ("url", "https://www.dhgate.com/store/21455120"), "21455120"),
    ]  # the deleted (tracked-change) row is not a defendant
    assert [r.locator for r in rows][-2:] == ["table 2, row 1", "table 2, row 2"]
    assert ctx.columns["Doe No."] == "defendant_no"

    result = ingest_file(sqlite_store, HERE / "exhibit.docx")
    assert (result.status, result.parser, result.records, result.unparsed) == ("ingested", "schedule-a-docx", 8, 0)
    named = _named_in(sqlite_store, "pawd:24-cv-00456")
    assert named["5"] == "temu:634422278810" and named["7"] == "dhgate:21455120" and len(named) == 7


@pytest.mark.parametrize("data,message", [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "x.docx: a legacy .doc or a password-protected Word file; "
                                                       "save it as an unprotected .docx first"),
    (b"PK\x03\x04 not really a zip", "x.docx: not a readable DOCX (BadZipFile: File is not a zip file)"),
    ("zip:a.txt", "x.docx: not a Word document (no word/document.xml)"),
    ("zip:<!DOCTYPE d [<!ENTITY e \"e\">]><d>&e;</d>", "x.docx: word/document.xml: declares a DTD or entities; refused"),
])
def test_bad_docx_files_fail_with_a_clear_reason(data, message):
    if isinstance(data, str):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            body = data.removeprefix("zip:")
            zf.writestr("a.txt" if body == "a.txt" else "word/document.xml", body)
        data = buf.getvalue()
    with pytest.raises(ParseError) as exc:
        _parse(ScheduleADOCX, data=data, path="x.docx")
    assert str(exc.value) == message


# --- detection ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("name,cls", [
    ("exhibit.pdf", ScheduleAPDF), ("scanned.pdf", ScheduleAPDF), ("truncated.pdf", ScheduleAPDF),
    ("tro_order.txt", ScheduleAText), ("exhibit.html", ScheduleAHTML), ("exhibit.docx", ScheduleADOCX),
])
def test_detection_picks_the_schedule_a_parsers(name, cls):
    head = (HERE / name).read_bytes()[:65536]
    assert detect(name, head) is cls
    if cls is not ScheduleAPDF:
        assert cls.sniff(name, head) >= 70


@pytest.mark.parametrize("cls,name,data", [
    (ScheduleAText, "notes.txt", "Called the seller on 3 March; she said the stock ships from Yiwu. Follow up.\n"),
    (ScheduleAText, "email.txt", "Re: the defendant's store is back online under a new name, see link.\n"),
    (ScheduleAHTML, "shop.html", "<!doctype html><html><head><title>Sunny Bloom Shop</title><script>var a='Schedule A "
                                 "Defendant';</script></head><body><h1>Sunny Bloom Shop</h1><p>Seller ID "
                                 "A3F7KQ2M9XL4TB</p><p>Schedule a delivery</p></body></html>"),
    (ScheduleAHTML, "page", "<html><body>Seller alias: Bloomora. Ships from Shenzhen.</body></html>"),
])
def test_ordinary_notes_and_storefront_pages_are_left_to_other_parsers(cls, name, data):
    assert cls.sniff(name, data.encode()) < 50

