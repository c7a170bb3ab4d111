"""Reports on the example case: the files open (XLSX with openpyxl, PDF text with pypdf), hold the rows written
by hand from examples/demo-case/schedule_a_sellers.csv, cite Sources that exist, and are the same bytes twice."""

from __future__ import annotations

import csv
import io
from pathlib import Path
import json
import re

import networkx as nx
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from graph.errors import GraphError
from graph.reports.defendants import write_defendants
from graph.reports.dossier import write_dossier
from graph.reports.interop import export_interop
from graph.reports.joinder import build_joinder, write_joinder
from graph.reports.restraint import write_restraint
from graph.reports.selection import select_defendants
from graph.reports.service import write_service
from graph.store import open_store
from tests.graph.case_helpers import demo_store, ingest_text, operator_controlling, write_operators

SHA = re.compile(r"\[sha256 ([0-9a-f]{16})\]")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    store = demo_store(tmp_path_factory.mktemp("reports"))
    yield store
    store.close()


def _csv(path):
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def test_default_defendants_are_the_commercial_scale_candidates(demo, tmp_path):
    sel = select_defendants(demo)
    assert write_defendants(sel, tmp_path / "a.csv") == 19
    rows = _csv(tmp_path / "a.csv")
    assert rows[0] == ["Defendant No.", "Seller Alias", "Store URL", "Platform", "Seller / Merchant ID"]
    # the four candidate operators control CSV rows 1-19; CozyNest (20-21) and the lone storefronts are left out
    assert rows[1] == ["1", "HuaXin Direct", "https://www.amazon.com/sp?asin=B0C7K2M4QX&seller=A1HX7Q2M9ZK3LP",
                       "Amazon", "A1HX7Q2M9ZK3LP"]
    assert rows[6] == ["6", "Huaxin Direct Online", "https://huaxin-direct.com/pages/contact", "web shop",
                       "huaxin-direct.com"]
    assert rows[8] == ["8", "Jiale Sports", "", "Amazon", "A3JL5R8T2W6YQN"]
    assert rows[19] == ["19", "GT Luxury", "https://www.dhgate.com/store/20987654", "DHgate", "20987654"]
    assert len(rows) == 20


def test_defendant_schedule_xlsx_grouped_by_operator_from_chosen_storefronts(demo, tmp_path):
    golden = operator_controlling(demo, "amazon:A1GT3W8K5P2RZX")
    sel = select_defendants(demo, operators=[golden], storefronts=["etsy:vintagevibesco"], group_by_operator=True)
    write_defendants(sel, tmp_path / "a.xlsx", group_by_operator=True)
    name = sel.operators[0].name
    ws = load_workbook(tmp_path / "a.xlsx")["Schedule A"]
    rows = [[c if c is not None else "" for c in r] for r in ws.iter_rows(values_only=True)]
    assert rows == [
        ["Defendant No.", "Seller Alias", "Store URL", "Platform", "Seller / Merchant ID", "Operator", "Operator Name",
         "Schedule A No. in evidence"],
        [1, "Golden Time Watches", "", "Amazon", "A1GT3W8K5P2RZX", golden, name, 17],
        [2, "Prestige Timepieces", "https://www.ebay.com/usr/prestige.timepieces", "eBay", "prestige.timepieces",
         golden, name, 18],
        [3, "GT Luxury", "https://www.dhgate.com/store/20987654", "DHgate", "20987654", golden, name, 19],
        [4, "Vintage Vibes", "https://www.etsy.com/shop/VintageVibesCo", "Etsy", "vintagevibesco", "", "", 26]]


def test_restraint_list_has_one_sheet_per_institution_with_sources(demo, tmp_path):
    write_restraint(demo, select_defendants(demo), tmp_path / "r.xlsx")
    wb = load_workbook(tmp_path / "r.xlsx")
    assert wb.sheetnames[:7] == ["Summary", "Bank DE 37040044", "Bank GB HBUK", "Bank NL ABNA", "Payoneer", "PayPal",
                                 "Stripe"]
    assert "Amazon (platform)" in wb.sheetnames
    paypal = list(wb["PayPal"].iter_rows(values_only=True))
    assert [(r[0], r[1], r[3]) for r in paypal[1:]] == [(1, "HuaXin Direct", "paypal:huaxin.pay@outlook.com"),
                                                         (2, "Sunny Bloom Shop", "paypal:huaxin.pay@outlook.com"),
                                                         (3, "Bloomora", "paypal:huaxin.pay@outlook.com")]
    assert re.fullmatch(r".*examples/demo-case/schedule_a_sellers\.csv \[sha256 [0-9a-f]{16}\] row 2, column 'PayPal'",
                        paypal[1][9])
    de = list(wb["Bank DE 37040044"].iter_rows(values_only=True))
    assert [(r[0], r[3], r[6]) for r in de[1:]] == [(13, "DE89 3704 0044 0532 0130 00", "DE"),
                                                    (14, "DE89 3704 0044 0532 0130 00", "DE")]
    amazon = [r[0] for r in wb["Amazon (platform)"].iter_rows(min_row=2, values_only=True)]
    assert amazon == [1, 8, 9, 17]
    summary = {r[0]: r[1:] for r in wb["Summary"].iter_rows(min_row=2, values_only=True)}
    assert summary["Stripe"] == (2, 2)


def test_service_list_gives_each_email_with_its_source(demo, tmp_path):
    write_service(demo, select_defendants(demo), tmp_path / "s.csv")
    rows = _csv(tmp_path / "s.csv")
    emails = [(r[0], r[2]) for r in rows[1:] if r[3] == "e-mail"]
    assert emails == [("1", "huaxin.cs@gmail.com"), ("1", "service@huaxin-direct.com"), ("2", "sunnybloom.cs@gmail.com"),
                      ("3", "sunny.bloom.cs@gmail.com"), ("4", "service@huaxin-direct.com"),
                      ("6", "service@huaxin-direct.com"), ("8", "jiale.sports@163.com"), ("10", "jiale.sports@163.com"),
                      ("11", "jiale.sports@163.com"), ("13", "info@luxe-outlet-sale.de"),
                      ("15", "info@luxe-outlet-sale.de")]
    assert rows[1][6].endswith("row 2, column 'E-mail'")


def test_joinder_memo_separates_shared_facts_from_similarity(demo, tmp_path):
    huaxin = operator_controlling(demo, "amazon:A1HX7Q2M9ZK3LP")
    sel = select_defendants(demo, operators=[huaxin], storefronts=["amazon:A2SH4M6N8B1VCX", "ebay:sunny_home_shop"])
    doc, facts = build_joinder(demo, sel)
    shared = {(f.kind, f.value, f.defendants) for f in facts}
    assert shared == {
        ("shared payment account", "paypal:huaxin.pay@outlook.com", (1, 2, 3)),
        ("shared payment account", "stripe:acct_1NXyZ2AbCdEf3GhI", (6, 7)),
        ("shared e-mail address", "service@huaxin-direct.com", (1, 4, 6)),
        ("shared phone number", "+86 138 0013 8000", (1, 2, 5)),
        ("shared address", "CN|RM 1201 FL 12 TOWER A KERRY PLAZA FUTIAN DIST SHENZHEN 518048", (1, 5)),
        ("same e-mail mailbox (provider ignores dots/+tags)",
         "sunny.bloom.cs@gmail.com = sunnybloom.cs@gmail.com (one mailbox: sunnybloomcs@gmail.com)", (2, 3))}
    write_joinder(demo, sel, tmp_path / "j.html")
    html = (tmp_path / "j.html").read_text(encoding="utf-8")
    relied, similar = html.split("4. Similarities (not relied on)")
    # Sunny Home Store (8) and Sunny Home Shop (9) only look alike: they appear as a similarity, never as a fact
    assert "&#x27;Sunny Home Store&#x27; / &#x27;Sunny Home Shop&#x27;" in similar
    assert "8 (Sunny Home Store), 9 (Sunny Home Shop)" in similar
    assert "Sunny Home Store" not in relied.split("3. Shared facts")[1]


def test_joinder_pdf_text_and_every_citation_names_an_existing_source(demo, tmp_path):
    write_joinder(demo, select_defendants(demo), tmp_path / "j.pdf")
    text = "\n".join(p.extract_text() for p in PdfReader(tmp_path / "j.pdf").pages)
    assert "Joinder evidence memo" in text
    assert "paypal:huaxin.pay@outlook.com" in text
    assert "payoneer:48213377" in text
    cited = set(SHA.findall(text))
    sources = {s.sha256 for s in demo.sources()}
    assert cited and all(any(s.startswith(c) for s in sources) for c in cited)
    html_path = tmp_path / "j.html"
    write_joinder(demo, select_defendants(demo), html_path)
    html = html_path.read_text(encoding="utf-8")
    assert set(SHA.findall(html)) == cited
    for sha in cited:  # the Sources table gives each cited document's full sha256
        assert any(full in html for full in sources if full.startswith(sha))


def test_dossier_html_and_pdf(demo, tmp_path):
    jiale = operator_controlling(demo, "amazon:A3JL5R8T2W6YQN")
    sel = select_defendants(demo, operators=[jiale])
    assert write_dossier(demo, sel, tmp_path / "d.html") == 1
    html = (tmp_path / "d.html").read_text(encoding="utf-8")
    for expected in ("Members and aliases", "Kick Zone Outlet", "payoneer:48213377", "Commercial-scale profile",
                     "Jurisdiction footprint", "Timeline", "Evidence list", "<svg", "Yiwu Jiale E-commerce Co., Ltd."):
        assert expected in html
    write_dossier(demo, sel, tmp_path / "d.pdf")
    text = "\n".join(p.extract_text() for p in PdfReader(tmp_path / "d.pdf").pages)
    assert "Jiale" in text and "Jurisdiction footprint" in text and "+86 579 8555 1234" in text
    network = text.split("Network of")[0].rsplit("Network", 1)[1]  # the picture's labels, drawn in the PDF
    assert "Kick Zone Outlet" in network and "RunFast Gear" in network


def test_reports_are_deterministic(demo, tmp_path):
    sel = select_defendants(demo)
    for name, write in (("r.xlsx", lambda p: write_restraint(demo, sel, p)),
                        ("d.pdf", lambda p: write_dossier(demo, sel, p))):
        write(tmp_path / ("1" + name))
        write(tmp_path / ("2" + name))
        assert (tmp_path / ("1" + name)).read_bytes() == (tmp_path / ("2" + name)).read_bytes(), name


HOSTILE = """Seller Alias,Store URL,PayPal,E-mail
"<script>alert(1)</script> Shop",https://www.ebay.com/usr/evil_one,evil.pay@example.net,x@evil-shop.example.com
"=HYPERLINK(""http://evil.example"",""click"")",https://www.ebay.com/usr/evil_two,evil.pay@example.net,
"""


def test_hostile_names_are_escaped_and_neutralised(tmp_path):
    store = open_store(f"sqlite:///{tmp_path}/hostile.db")
    ingest_text(store, tmp_path / "hostile.csv", HOSTILE)
    write_operators(store, {"op-evil": ["ebay:evil_one", "ebay:evil_two"]})
    sel = select_defendants(store, operators=["op-evil"])
    write_joinder(store, sel, tmp_path / "j.html")
    write_dossier(store, sel, tmp_path / "d.html")
    for page in ("j.html", "d.html"):
        html = (tmp_path / page).read_text(encoding="utf-8")
        assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; Shop" in html
    write_defendants(sel, tmp_path / "a.xlsx")
    aliases = [r[1] for r in load_workbook(tmp_path / "a.xlsx")["Schedule A"].iter_rows(min_row=2, values_only=True)]
    assert aliases == ["<script>alert(1)</script> Shop", "'=HYPERLINK(\"http://evil.example\",\"click\")"]
    write_dossier(store, sel, tmp_path / "d.pdf")
    assert "alert(1)" in PdfReader(tmp_path / "d.pdf").pages[0].extract_text()
    store.close()


def test_report_selection_errors(demo, tmp_path):
    with pytest.raises(GraphError, match="no operator 'op-nobody'"):
        select_defendants(demo, operators=["op-nobody"])
    with pytest.raises(GraphError, match=r"--date '21/11/2026': expected a date as YYYY-MM-DD"):
        select_defendants(demo, date="21/11/2026")
    with pytest.raises(GraphError, match="no storefront 'ebay:nobody'"):
        select_defendants(demo, storefronts=["ebay:nobody"])
    with pytest.raises(GraphError, match=r"a.txt: cannot tell the format; use a file name ending in \.csv or \.xlsx"):
        write_defendants(select_defendants(demo), tmp_path / "a.txt")


def test_interop_exports(demo, tmp_path):
    export_interop(demo, "ftm", tmp_path / "e.jsonl")
    entities = [json.loads(line) for line in (tmp_path / "e.jsonl").read_text(encoding="utf-8").splitlines()]
    by_schema = {}
    for e in entities:
        by_schema.setdefault(e["schema"], []).append(e)
    assert len(by_schema["LegalEntity"]) == 36 and len(by_schema["Organization"]) == 5
    ibans = sorted(i for e in by_schema["BankAccount"] for i in e["properties"].get("iban", []))
    assert ibans == ["DE89370400440532013000", "GB71HBUK40127612345678", "NL91ABNA0417164300"]
    huaxin = next(e for e in by_schema["LegalEntity"] if e["properties"]["name"] == ["HuaXin Direct"])
    assert huaxin["properties"]["email"] == ["huaxin.cs@gmail.com", "service@huaxin-direct.com"]
    assert sum(e["properties"]["role"] == ["controls"] for e in by_schema["UnknownLink"]) == 21

    export_interop(demo, "graphml", tmp_path / "g.graphml")
    g = nx.read_graphml(tmp_path / "g.graphml")
    nodes, edges = demo.counts()
    assert g.number_of_nodes() == sum(nodes.values()) and g.number_of_edges() == sum(edges.values())
    assert g.nodes["Storefront:amazon:A1HX7Q2M9ZK3LP"]["label"] == "HuaXin Direct"

    export_interop(demo, "neo4j-csv", tmp_path / "neo")
    controls = _csv(tmp_path / "neo" / "relationships_CONTROLS.csv")
    assert controls[0] == [":START_ID", ":END_ID", ":TYPE", "confidence", "since"] and len(controls) == 22
    header = _csv(tmp_path / "neo" / "nodes_Storefront.csv")[0]
    assert header[0] == ":ID" and header[-1] == ":LABEL" and "extra_Notes" in header
    assert "--relationships=relationships_CONTROLS.csv" in (tmp_path / "neo" / "import.sh").read_text()


def test_pdf_rows_taller_than_a_page_continue_and_no_font_falls_back(tmp_path, monkeypatch):
    from graph.reports import pdf
    from graph.reports.document import Document, Table

    lines = "\n".join(f"citation line {i:03d}" for i in range(150))
    doc = Document("Long", "one row over several pages", "2026-03-01")
    doc.add(Table(("No.", "Citations"), [("1", lines), ("2", "店铺 Ünïcödé")]))
    reader = PdfReader(io.BytesIO(pdf.render_pdf(doc)))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert len(reader.pages) >= 3
    assert all(f"citation line {i:03d}" in text for i in range(150))
    if any(Path(p).is_file() for p in pdf.CJK_FONTS):  # fonts-droid-fallback (or another CJK font) installed
        assert "店铺 Ünïcödé" in text
    assert text.count("Citations") == len(reader.pages)  # the header is repeated on every page
    monkeypatch.setattr(pdf, "CJK_FONTS", ())
    text = PdfReader(io.BytesIO(pdf.render_pdf(doc))).pages[-1].extract_text()
    assert "[U+5E97][U+94FA] Ünïcödé" in text  # no font has the glyphs: the code points, never nothing
    monkeypatch.setattr(pdf, "FONT_DIRS", ())
    text = PdfReader(io.BytesIO(pdf.render_pdf(doc))).pages[-1].extract_text()
    assert "?? Ünïcödé" in text  # Helvetica: Latin-1 kept, the rest replaced


def test_joinder_follows_a_web_shop_to_its_registration_email(tmp_path):
    from ingest.run import ingest_file
    from tests.conftest import FIXTURES

    store = open_store(f"sqlite:///{tmp_path}/whois.db")
    ingest_text(store, tmp_path / "shops.csv", "Def. No.,Seller Alias,Store URL,E-mail\n"
                "1,Mingyue Replica,https://mingyue-replica.com/,\n"
                "2,MY Trade,https://www.ebay.com/usr/my_trade_88,mingyue.trade@163.com\n")
    # whois_godaddy.txt: mingyue-replica.com, Registrant Email: mingyue.trade@163.com
    assert ingest_file(store, FIXTURES / "ingest" / "domains" / "whois_godaddy.txt").status == "ingested"
    sel = select_defendants(store, storefronts=["web:mingyue-replica.com", "ebay:my_trade_88"])
    _, facts = build_joinder(store, sel)
    email = next(f for f in facts if f.value == "mingyue.trade@163.com")
    assert (email.kind, email.defendants) == ("shared registration e-mail address", (1, 2))
    cited = {(no, e.path.rsplit("/", 1)[-1], e.locator.split(",")[0]) for no, e in email.citations}
    # defendant 1 through its domain: the WHOIS record names the e-mail, the table row names the domain
    assert {c[:2] for c in cited} == {(1, "whois_godaddy.txt"), (1, "shops.csv"), (2, "shops.csv")}
    store.close()


def test_restraint_list_from_disclosures_names_holders_and_balances(tmp_path):
    from graph.analytics.network import load_operators
    from graph.analytics.scale import rank_operators
    from ingest.run import ingest_file
    from tests.conftest import FIXTURES

    store = open_store(f"sqlite:///{tmp_path}/disclosures.db")
    for name in ("paypal_disclosure.xlsx", "amazon_disclosure.csv"):
        assert ingest_file(store, FIXTURES / "ingest" / "tables" / name).status == "ingested"
    write_operators(store, {"op-harbor": ["amazon:A2HLB7Q9ZK3MPX", "amazon:A3BNH55TQW8ZRY"]})
    sel = select_defendants(store, operators=["op-harbor"])
    write_restraint(store, sel, tmp_path / "r.xlsx")
    wb = load_workbook(tmp_path / "r.xlsx")
    assert wb.sheetnames == ["Summary", "Bank CN bank-of-china", "Bank DE 37040044", "PayPal", "Amazon (platform)"]
    rows = lambda sheet: [(r[0], r[3], r[7] or "", r[8] or "") for r in wb[sheet].iter_rows(min_row=2, values_only=True)]
    # PayPal's disclosure: holder and merchant id per Doe; Amazon's: the bank account and restrained amounts
    assert rows("PayPal") == [(1, "paypal:7HWPQ4ZK2LMNB", "Shenzhen Harbor Wizard Trading Co., Ltd.", ""),
                              (2, "paypal:3BNHX9TQW8ZRY", "Yiwu Brightnest E-commerce Co., Ltd.", "")]
    assert rows("Bank CN bank-of-china") == [(1, "bank:bank-of-china:6222021234567890",
                                              "Shenzhen Harbor Wizard Trading Co., Ltd.", "")]
    assert rows("Bank DE 37040044") == [(1, "DE89 3704 0044 0532 0130 00", "", "")]
    assert rows("Amazon (platform)") == [(1, "A2HLB7Q9ZK3MPX", "", "12480.55 USD"),
                                         (2, "A3BNH55TQW8ZRY", "", "12480.55 EUR")]
    # revenue: the storefronts' restrained amounts (the holders' own figures are the same money, not added)
    (profile,) = rank_operators(store, load_operators(store))
    assert (profile.factor("revenue").value, profile.factor("revenue").points) == (24961.1, 2.5)
    assert profile.factor("revenue").detail == "12480.55 USD + 12480.55 EUR"
    store.close()
