"""The dashboard under Streamlit's AppTest on the example case (ingested and resolved for real)."""

from __future__ import annotations

import pytest

from graph.records import NodeRef
from graph.store import open_store
from tests.conftest import EXAMPLE_CASE
from tests.dashboard.conftest import frame, start


@pytest.fixture
def app(demo_store, monkeypatch, tmp_path):
    return start(demo_store, monkeypatch, tmp_path)


def test_overview_shows_counts_top_operators_and_sources(app):
    assert not app.exception
    assert app.header[0].value == "Overview"
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Storefront"] == "36" and metrics["Operator"] == "5"
    counts = frame(app, "type", "count")
    assert dict(zip(counts["type"], counts["count"]))["PaymentAccount"] == 6
    top = frame(app, "operator", "score")
    assert list(top["storefronts"]) == [7, 5, 4, 3, 2]
    assert list(top["score"]) == [32.5, 24.5, 19.0, 16.5, 11.0]
    assert top.iloc[0]["name"] == "Bloomora" and top.iloc[0]["open"] == f"?page=Operator&id={top.iloc[0]['operator']}"
    sources = frame(app, "path", "records")
    assert list(sources["records"]) == [36]  # judgements and the resolution run are not documents
    assert list(sources["path"]) == [str(EXAMPLE_CASE / "schedule_a_sellers.csv")]
    captions = [c.value for c in app.caption]
    assert "Quarantine is empty." in captions
    assert any(c.startswith("No relisting alerts") for c in captions)


def test_search_finds_identifiers_exactly_and_groups_by_type(app):
    app.sidebar.radio(key="page").set_value("Search").run()
    app.text_input(key="q").set_value("huaxin.pay@outlook.com").run()
    assert [h.value for h in app.subheader] == ["Payment account (1)"]
    hits = frame(app, "key", "match")
    assert hits.iloc[0]["key"] == "paypal:huaxin.pay@outlook.com" and hits.iloc[0]["match"] == "exact identifier"
    assert hits.iloc[0]["open"] == "?page=Entity&type=PaymentAccount&key=paypal%3Ahuaxin.pay%40outlook.com"
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
