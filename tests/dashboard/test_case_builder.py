"""The Case builder page under AppTest on the example case (ingested, reviewed and resolved for real)."""

from __future__ import annotations

import csv
import hashlib
import io
import json

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from graph.resolution.run import run_resolution
from graph.store import open_store
from ingest.run import ingest_file, iter_files
from tests.conftest import EXAMPLE_CASE, ROOT, judge_example_case

APP = str(ROOT / "dashboard" / "app.py")


@pytest.fixture(scope="module")
def case_store(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('case')}/demo.db"
    with open_store(url) as store:
        for f in iter_files([EXAMPLE_CASE]):
            ingest_file(store, f)
        judge_example_case(store)
        run_resolution(store)
    return url


@pytest.fixture
def page(case_store, tmp_path, monkeypatch):
    monkeypatch.setenv("INFRINGER_GRAPH_STORE", case_store)
    monkeypatch.setenv("INFRINGER_GRAPH_AUDIT", str(tmp_path / "audit.jsonl"))
    monkeypatch.delenv("INFRINGER_GRAPH_AUTH_FILE", raising=False)
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.sidebar.radio(key="page").set_value("Case builder").run()
    assert not at.exception
    return at


def test_candidates_by_default_numbered_in_schedule_a_order(page):
    assert len(page.multiselect(key="cb_ops").value) == 4  # the commercial-scale candidates
    table = page.dataframe[0].value
    assert page.subheader[0].value == "Defendants (19)"
    assert list(table["No."]) == list(range(1, 20))
    assert list(table["Schedule A no."]) == sorted(table["Schedule A no."])
    assert table.iloc[0]["alias"] == "HuaXin Direct" and table.iloc[0]["storefront"] == "amazon:A1HX7Q2M9ZK3LP"
    assert set(table["operator"].str.split(" \\(").str[0]) == {"Bloomora", "Jiale Official", "BagsEuropa",
                                                                "GT Luxury"}


def test_single_storefronts_are_numbered_and_the_schedule_downloads_with_an_audit_line(page, tmp_path):
    page.multiselect(key="cb_ops").set_value([]).run()
    assert page.info[0].value.startswith("Choose operators or name storefronts")
    # typed in reverse: numbered by their Schedule A order all the same
    page.text_area(key="cb_storefronts").set_value("Storefront:ebay:sunnybloom_shop\namazon:A1HX7Q2M9ZK3LP").run()
    table = page.dataframe[0].value
    assert list(table["alias"]) == ["HuaXin Direct", "Sunny Bloom Shop"] and list(table["No."]) == [1, 2]
    assert page.caption[0].value.startswith("Chosen: 2 named storefronts.")
    page.button(key="cb_prepare_defendants").click().run()
    assert not page.exception
    name, data = page.session_state["cb_files"]["defendants"][1:3]
    assert any(c.value.startswith(f"{name}: 2 defendants") for c in page.caption)
    sheet = openpyxl.load_workbook(io.BytesIO(data))["Schedule A"]
    got = [r[:2] + r[4:5] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert got == [(1, "HuaXin Direct", "A1HX7Q2M9ZK3LP"), (2, "Sunny Bloom Shop", "sunnybloom_shop")]
    assert not (tmp_path / "audit.jsonl").exists()  # preparing is not downloading
    page.download_button(key="cb_download_defendants").click().run()
    (event,) = [json.loads(line) for line in (tmp_path / "audit.jsonl").read_text().splitlines()]
    assert event["action"] == "download" and event["report"] == "defendants" and event["file"] == name
    assert event["sha256"] == hashlib.sha256(data).hexdigest() and event["defendants"] == 2
    assert event["storefronts"] == ["amazon:A1HX7Q2M9ZK3LP", "ebay:sunnybloom_shop"]


def test_service_list_for_one_operator_and_a_changed_choice_drops_the_prepared_file(page):
    bloomora = next(o for o in page.multiselect(key="cb_ops").options if o.startswith("Bloomora"))
    page.multiselect(key="cb_ops").set_value([bloomora]).run()
    assert page.subheader[0].value == "Defendants (7)"
    page.radio(key="cb_fmt_service").set_value("csv").run()
    page.button(key="cb_prepare_service").click().run()
    assert not page.exception
    _, name, data, summary = page.session_state["cb_files"]["service"]
    assert name.endswith(".csv") and summary.endswith("of 7 defendants")
    service = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    # every defendant but No. 7 (FlowerDeal Store: the Schedule A gives it no e-mail, phone or address)
    assert {r["Defendant No."] for r in service} == {str(n) for n in range(1, 7)}
    # contacts as the Schedule A gives them (row 2: HuaXin Direct's two e-mails and its phone)
    huaxin = {r["Contact"] for r in service if r["Seller Alias"] == "HuaXin Direct"}
    assert {"huaxin.cs@gmail.com", "service@huaxin-direct.com", "+86 138 0013 8000"} <= huaxin
    assert len(page.download_button) == 1
    page.text_area(key="cb_storefronts").set_value("walmart:101998877").run()  # one more defendant
    assert page.subheader[0].value == "Defendants (8)"
    assert len(page.download_button) == 0  # the prepared list named 7: prepare again


def test_unknown_storefront_and_bad_date_are_one_line_errors(page):
    page.text_area(key="cb_storefronts").set_value("amazon:NOSUCHSHOP").run()
    assert page.error[0].value == ("Error: no storefront 'amazon:NOSUCHSHOP' (`infringer-graph search` finds "
                                   "storefront keys)")
    page.text_area(key="cb_storefronts").set_value("").run()
    page.text_input(key="cb_date").set_value("22/11/2026").run()
    assert page.error[0].value == "Error: --date '22/11/2026': expected a date as YYYY-MM-DD"
    assert not page.exception


def test_finder_lists_storefront_keys(page):
    page.text_input(key="cb_find").set_value("Sunny Bloom").run()
    assert page.dataframe[0].value.iloc[0]["key"] == "ebay:sunnybloom_shop"


def test_joinder_memo_of_the_candidates_downloads_as_html(page):
    page.radio(key="cb_fmt_joinder").set_value("html").run()
    page.button(key="cb_prepare_joinder").click().run()
    assert not page.exception
    _, name, data, summary = page.session_state["cb_files"]["joinder"]
    assert name.endswith(".html") and summary.endswith("among 19 defendants")
    html = data.decode("utf-8")
    # the shared phone of Schedule A rows 2 and 3 (HuaXin Direct, Sunny Bloom Shop) is one of the joined facts
    assert "+8613800138000" in html or "+86 138 0013 8000" in html
    assert "HuaXin Direct" in html and "Sunny Bloom Shop" in html
    assert page.download_button(key="cb_download_joinder").label == f"Download {name}"
