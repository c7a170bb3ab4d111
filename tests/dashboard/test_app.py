"""The dashboard under Streamlit's AppTest on the example case (ingested and resolved for real)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from graph.records import NodeRef
from graph.resolution.run import run_resolution
from graph.store import open_store
from ingest.run import ingest_file, iter_files
from tests.conftest import EXAMPLE_CASE, ROOT, judge_example_case

APP = str(ROOT / "dashboard" / "app.py")


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('dash')}/demo.db"
    with open_store(url) as store:
        for f in iter_files([EXAMPLE_CASE]):
            ingest_file(store, f)
        judge_example_case(store)
        run_resolution(store)
    return url


@pytest.fixture
def app(demo_store, monkeypatch):
    monkeypatch.setenv("INFRINGER_GRAPH_STORE", demo_store)
    at = AppTest.from_file(APP, default_timeout=60)
    return at.run()


def test_overview_shows_counts_operators_and_sources(app):
    assert not app.exception
    assert app.header[0].value == "Overview"
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Storefront"] == "36" and metrics["Operator"] == "5"
    operators = app.dataframe[1].value
    assert list(operators["storefronts"]) == [7, 5, 4, 3, 2]
    assert "HuaXin Direct" in operators.iloc[0]["aliases"]
    sources = app.dataframe[2].value
    assert list(sources["records"])[0] == 36


def test_search_finds_aliases_and_identifiers(app):
    app.sidebar.radio(key="page").set_value("Search").run()
    app.text_input(key="q").set_value("huaxin.pay@outlook.com").run()
    hits = app.dataframe[0].value
    assert hits.iloc[0]["key"] == "paypal:huaxin.pay@outlook.com" and bool(hits.iloc[0]["exact"])
    app.text_input(key="q").set_value("nothing like this").run()
    assert app.warning[0].value == "No match."


def test_entity_page_shows_properties_network_and_evidence(app):
    app.sidebar.radio(key="page").set_value("Entity").run()
    app.text_input(key="ekey").set_value("amazon:A1HX7Q2M9ZK3LP").run()
    assert not app.exception
    assert app.subheader[0].value == "HuaXin Direct"
    assert any("nodes within 2 hops" in c.value for c in app.caption)
    evidence = app.dataframe[-1].value
    assert set(evidence["source"]) == {str(EXAMPLE_CASE / "schedule_a_sellers.csv")}
    assert "row 2, column 'Seller Alias'" in set(evidence["where"])


def test_reports_page_ranks_operators_and_prepares_a_download(app):
    app.sidebar.radio(key="page").set_value("Reports").run()
    assert not app.exception
    ranked = app.dataframe[0].value
    assert list(ranked["storefronts"]) == [7, 5, 4, 3, 2]
    assert list(ranked["score"]) == [32.5, 24.5, 19.0, 16.5, 11.0]
    assert list(ranked["candidate"]) == [True, True, True, True, False]
    assert len(app.multiselect(key="report_ops").value) == 4  # the candidates, by default
    app.selectbox(key="report_kind").set_value("restraint").run()
    app.button(key="report_prepare").click().run()
    assert not app.exception
    assert any("29 accounts of 19 defendants" in c.value for c in app.caption)
    assert app.get("download_button")[0].label.startswith("Download restraint-")


def test_analytics_page_path_with_evidence_and_jurisdictions(app, demo_store):
    with open_store(demo_store) as store:
        golden = next(n.key for _, n in store.neighbours(NodeRef("Storefront", "amazon:A1GT3W8K5P2RZX"),
                                                          edge_types=["CONTROLS"]))
    app.sidebar.radio(key="page").set_value("Analytics").run()
    app.text_input(key="path_a").set_value("Storefront:ebay:sunnybloom_shop").run()
    app.text_input(key="path_b").set_value("Storefront:temu:634418212233").run()
    assert not app.exception
    path = app.dataframe[0].value
    assert list(path["to"]) == ["Phone:+8613800138000", "Phone:+8613800138000"]
    assert "row 3, column 'Customer Service Phone'" in path.iloc[0]["evidence"]
    app.selectbox(key="juris_op").set_value(golden).run()
    footprint = app.dataframe[1].value
    assert sorted(set(zip(footprint["country"], footprint["basis"]))) == [("GB", "bank"), ("HK", "phone"),
                                                                         ("HK", "seller")]
    assert app.info[-1].value == "No two operators share a node."
    app.text_input(key="path_b").set_value("Nothing:x").run()
    assert app.error[0].value == "unknown node type 'Nothing'"
