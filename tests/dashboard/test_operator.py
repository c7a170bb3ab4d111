"""The Operator page on the example case: members, identifiers, why-linked evidence, scale, jurisdictions,
timeline, reports (downloads audited), and a hostile storefront name kept as text in the network view."""

from __future__ import annotations

import json
import re

import pytest

from graph.records import NodeRef
from graph.store import open_store

from dashboard import profile
from dashboard.network import render_network
from dashboard.views.operator import _record_download
from tests.conftest import EXAMPLE_CASE
from tests.dashboard.conftest import HOSTILE_NAME, frame, go, start

HUAXIN = ["amazon:A1HX7Q2M9ZK3LP", "ebay:sunnybloom_shop", "aliexpress:1102345678", "walmart:101234567",
          "temu:634418212233", "web:huaxin-direct.com", "dhgate:21345678"]


def _operator_of(url: str, storefront: str) -> str:
    with open_store(url) as store:
        return next(n.key for _, n in store.neighbours(NodeRef("Storefront", storefront), ["CONTROLS"]))


@pytest.fixture
def huaxin(demo_store, monkeypatch, tmp_path):
    """The Operator page of the HuaXin operator, opened by its link (?page=Operator&id=...)."""
    op = _operator_of(demo_store, "amazon:A1HX7Q2M9ZK3LP")
    at = start(demo_store, monkeypatch, tmp_path)
    at.query_params["page"] = "Operator"
    at.query_params["id"] = op
    at.session_state["page"] = "Operator"
    at.run()
    assert not at.exception, at.exception
    return at, op


def test_members_aliases_and_identifiers(huaxin):
    at, op = huaxin
    assert at.subheader[0].value == "Bloomora"
    assert at.selectbox(key="op_id").value == op
    members = frame(at, "storefront", "aliases")
    assert list(members["storefront"]) == HUAXIN  # Schedule A order
    assert list(members["defendant"]) == [1, 2, 3, 4, 5, 6, 7]
    assert members.iloc[0]["open"] == "?page=Entity&type=Storefront&key=amazon%3AA1HX7Q2M9ZK3LP"
    assert at.text[0].value == ("Aliases: Bloomora · Blossom Outlet · FlowerDeal Store · HX Home Deals · "
                                "HuaXin Direct · Huaxin Direct Online · Sunny Bloom Shop")
    ids = frame(at, "type", "value", "storefronts")
    shared = {(r.type, r.key): r.storefronts for r in ids.itertuples()}
    assert shared[("PaymentAccount", "paypal:huaxin.pay@outlook.com")] == 3
    assert shared[("Email", "service@huaxin-direct.com")] == 3
    assert shared[("Seller", "SHENZHEN HUAXIN TRADING CO LTD|CN")] == 1
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Storefronts"] == "7" and metrics["Commercial-scale candidate"] == "yes"


def test_why_linked_shows_each_signal_with_the_document_place_and_text(huaxin):
    at, _ = huaxin
    links = frame(at, "linked to", "band")
    assert len(links) == 6 and set(links["band"]) == {"accepted"}  # the tree that proves 7 members
    first = links.iloc[0]
    assert (first["storefront"], first["linked to"], first["signals"]) == (
        "amazon:A1HX7Q2M9ZK3LP", "ebay:sunnybloom_shop", "payment 0.95, phone 0.85")
    why = frame(at, "signal", "where", "excerpt")
    rows = set(zip(why["signal"], why["storefront"], why["where"], why["excerpt"]))
    assert ("payment", "ebay:sunnybloom_shop", "row 3, column 'PayPal'", "paypal:huaxin.pay@outlook.com") in rows
    assert ("phone", "amazon:A1HX7Q2M9ZK3LP", "row 2, column 'Customer Service Phone'", "+86 138 0013 8000") in rows
    assert set(why["document"]) == {str(EXAMPLE_CASE / "schedule_a_sellers.csv")}
    # another link: the e-mail that ties the Walmart shop in
    pick = list(links["linked to"]).index("walmart:101234567")
    at.selectbox(key="op_why").set_value(pick).run()
    why = frame(at, "signal", "where", "excerpt")
    assert set(zip(why["storefront"], why["where"])) == {("amazon:A1HX7Q2M9ZK3LP", "row 2, column 'E-mail'"),
                                                         ("walmart:101234567", "row 5, column 'E-mail'")}


def test_scale_jurisdictions_and_timeline(huaxin):
    at, _ = huaxin
    factors = frame(at, "factor", "points")
    assert dict(zip(factors["factor"], factors["value"]))["storefronts controlled"] == "7"
    assert factors["points"].sum() == pytest.approx(32.5)
    footprint = frame(at, "country", "basis")
    assert {("CN", "address"), ("CN", "phone"), ("CN", "seller"), ("US", "payment provider")} <= set(
        zip(footprint["country"], footprint["basis"]))
    timeline = frame(at, "date", "event", "source")
    events = list(timeline["event"])
    assert events.count("document") == 1 and "operator formed" in events
    doc = timeline[timeline["event"] == "document"].iloc[0]
    assert doc["source"] == str(EXAMPLE_CASE / "schedule_a_sellers.csv") and doc["storefronts"] == 7


def test_a_report_is_prepared_for_this_operator_and_its_download_is_audited(huaxin, tmp_path):
    at, op = huaxin
    at.selectbox(key="op_report_kind").set_value("restraint").run()
    at.button(key="op_report_prepare").click().run()
    assert not at.exception
    assert any(re.search(r"restraint-op-\w+-[\d-]+\.xlsx: \d+ accounts of 7 defendants", c.value) for c in at.caption)
    button = at.get("download_button")[0]
    assert button.label.startswith(f"Download restraint-{op}-")
    # AppTest cannot click a download; the button's callback is what the browser's click runs
    _record_download("restraint-x.xlsx", op, "restraint", "xlsx")
    [event] = [json.loads(line) for line in (tmp_path / "audit.jsonl").read_text().splitlines()]
    assert (event["action"], event["file"], event["operators"]) == ("download", "restraint-x.xlsx", [op])
    assert event["user"]


def test_an_unknown_operator_in_the_link_says_so(demo_store, monkeypatch, tmp_path):
    at = start(demo_store, monkeypatch, tmp_path)
    at.query_params["page"] = "Operator"
    at.query_params["id"] = "op-0000000000"
    at.session_state["page"] = "Operator"
    at.run()
    assert not at.exception
    assert at.error[0].value.startswith("no operator 'op-0000000000'")


def test_the_hostile_name_stays_text_in_tables_and_the_network(relisted_store, monkeypatch, tmp_path):
    op = _operator_of(relisted_store, "ebay:bloom_relist_88")
    at = start(relisted_store, monkeypatch, tmp_path)
    alerts = frame(at, "joined", "storefront")  # Overview: the relisting
    assert list(alerts["storefront"]) == ["ebay:bloom_relist_88"]
    assert alerts.iloc[0]["name"] == HOSTILE_NAME and alerts.iloc[0]["operator"] == op
    at.query_params["id"] = op
    go(at, "Operator")
    assert HOSTILE_NAME in set(frame(at, "storefront", "aliases")["name"])
    html = at.get("iframe")[0].proto.srcdoc
    assert "<img src=x" not in html  # the name never becomes markup...
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in html  # ...it is data (JSON-escaped) drawn as text
    assert 'class="ig-legend"' in html and "Payment account" in html  # the legend, from the schema
    assert not re.search(r"<(script|link)[^>]+(src|href)=\"https?://", html)  # no CDN: nothing leaves the machine
    assert "tooltip_link" not in html and "popup.innerHTML" not in html  # vis shows string titles as text


def test_network_labels_edges_with_the_link_kind(demo_store):
    with open_store(demo_store) as store:
        page = profile.load_page(store, _operator_of(demo_store, "amazon:A1HX7Q2M9ZK3LP"))
        sub = profile.operator_subgraph(page)
    html = render_network(sub)
    edges = json.loads(re.search(r"edges = new vis\.DataSet\((\[.*?\])\);", html).group(1))
    labels = {e["label"] for e in edges}
    assert {"controls", "paid to", "phone", "e-mail", "linked 0.99"} <= labels
    nodes = json.loads(re.search(r"nodes = new vis\.DataSet\((\[.*?\])\);", html).group(1))
    shapes = {n["shape"] for n in nodes}
    assert {"diamond", "dot", "square", "triangle"} <= shapes  # operator, storefront, account, e-mail
    assert len([n for n in nodes if n["color"] == "#4e79a7"]) == 7  # the seven storefronts


def test_a_name_with_href_does_not_switch_pyvis_to_its_html_popup():
    from graph.store.base import Node, Subgraph

    shop = Node("Storefront", "ebay:lure_shop", '<a href="javascript:alert(1)">Claim your prize</a>', {})
    html = render_network(Subgraph([shop], [], 1))
    assert "popup.innerHTML" not in html  # pyvis would use it for any title containing "href"
    assert "\\u003ca href=" in html and "<a href=" not in html


def test_recent_alerts_read_from_operator_nodes_agree_with_list_alerts(relisted_store):
    from graph.resolution.views import list_alerts

    with open_store(relisted_store) as store:
        fast, full = profile.recent_alerts(store), list_alerts(store)
    assert [(a.storefront.key, a.since) for a in fast] == [("ebay:bloom_relist_88", "2026-11-03T10:00:00+00:00")]
    assert [(a.operator.key, a.storefront.key, a.since, [(n.key, p) for n, p in a.links]) for a in fast] == [
        (a.operator.key, a.storefront.key, a.since, [(n.key, p) for n, p in a.links]) for a in full]
    assert fast[0].links[0][0].key == "aliexpress:1102345678"  # the shared PayPal account tied it to Bloomora
