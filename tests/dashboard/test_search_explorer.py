"""Search (grouping, fuzzy names, links to the right page) and Explorer (node cap, type filter, paths)."""

from __future__ import annotations

import pytest

from graph.store import open_store

from dashboard.finder import find, group
from tests.dashboard.conftest import frame, go, start


@pytest.fixture
def app(demo_store, monkeypatch, tmp_path):
    return start(demo_store, monkeypatch, tmp_path)


def test_a_misspelt_name_finds_the_storefront_and_links_to_its_operator(app):
    go(app, "Search")
    app.text_input(key="q").set_value("Sunny Blom Shp").run()  # two letters missing
    assert not app.exception
    hits = frame(app, "key", "match")
    top = hits.iloc[0]
    assert (top["key"], top["name"], top["match"]) == ("ebay:sunnybloom_shop", "Sunny Bloom Shop", "similar name")
    assert top["page"] == "Operator" and top["open"].startswith("?page=Operator&id=op-")
    assert "ebay:sunny_home_shop" in set(hits["key"])  # a weaker near-name, below it
    assert list(hits["similarity"]) == sorted(hits["similarity"], reverse=True)
    app.button(key="search_open").click().run()  # the first result: its operator's page
    assert not app.exception
    assert app.header[0].value == "Operator"
    assert app.subheader[0].value == "Bloomora"
    assert app.selectbox(key="op_id").value == top["open"].split("id=")[1].split("&")[0]


def test_results_are_grouped_by_type_storefronts_first(demo_store):
    with open_store(demo_store) as store:
        grouped = group(find(store, "huaxin"))
    assert list(grouped) == ["Storefront", "Seller", "Email", "Domain"]  # no operator is named HuaXin
    assert {f.key for f in grouped["Storefront"]} == {"amazon:A1HX7Q2M9ZK3LP", "web:huaxin-direct.com"}
    assert all(f.how == "text" for fs in grouped.values() for f in fs)
    assert grouped["Seller"][0].page == "Entity"  # a seller has no operator page of its own


def test_a_phone_in_another_format_is_an_exact_hit_and_brings_no_fuzzy_noise(demo_store):
    with open_store(demo_store) as store:
        found = find(store, "0086-138-0013-8000")
    assert [(f.type, f.key, f.how) for f in found] == [("Phone", "+8613800138000", "exact")]


def test_explorer_caps_the_neighbourhood_and_says_how_many_it_left_out(app):
    go(app, "Explorer")
    app.text_input(key="ex_ref").set_value("Storefront:amazon:A1HX7Q2M9ZK3LP").run()
    assert [c.value for c in app.caption][0] == "showing 18 of 18 nodes within 2 hops"
    app.number_input(key="ex_cap").set_value(5).run()
    assert [c.value for c in app.caption][0] == ("showing 5 of 18 nodes within 2 hops (raise the cap or filter by "
                                                 "type to see the rest)")
    assert len(frame(app, "type", "explore")) == 5
    app.multiselect(key="ex_types").set_value(["PaymentAccount", "Phone"]).run()
    nodes = frame(app, "type", "explore")
    # the start is always kept; the Stripe account is two hops away (through the linked web shop)
    assert set(zip(nodes["type"], nodes["key"])) == {
        ("Storefront", "amazon:A1HX7Q2M9ZK3LP"), ("PaymentAccount", "paypal:huaxin.pay@outlook.com"),
        ("Phone", "+8613800138000"), ("PaymentAccount", "stripe:acct_1NXyZ2AbCdEf3GhI")}
    assert [c.value for c in app.caption][0] == "showing 4 of 4 nodes within 2 hops"
    html = app.get("iframe")[0].proto.srcdoc
    assert "cdn.jsdelivr" not in html and "vis-network" in html  # inline JavaScript, no CDN


def test_explorer_finds_the_shortest_path_with_its_evidence(app):
    go(app, "Explorer")
    app.text_input(key="ex_from").set_value("Storefront:ebay:sunnybloom_shop").run()
    app.text_input(key="ex_to").set_value("Storefront:temu:634418212233").run()
    assert not app.exception
    path = frame(app, "from", "edge", "to", "evidence")
    assert list(path["to"]) == ["Phone:+8613800138000", "Phone:+8613800138000"]
    assert "row 6, column 'Customer Service Phone'" in path.iloc[1]["evidence"]
    app.text_input(key="ex_to").set_value("Nothing:x").run()
    assert app.error[0].value == "unknown node type 'Nothing'"
    app.text_input(key="ex_to").set_value("Storefront:ebay:nobody_here").run()
    assert app.error[0].value == "no node Storefront:ebay:nobody_here"


def test_a_storefront_without_operator_opens_on_the_entity_page(app):
    go(app, "Search")
    app.text_input(key="q").set_value("Sunny Home Shop").run()
    hits = frame(app, "key", "match")
    assert hits.iloc[0]["key"] == "ebay:sunny_home_shop" and hits.iloc[0]["page"] == "Entity"
    app.button(key="search_open").click().run()
    assert not app.exception
    assert app.header[0].value == "Entity"
    assert app.subheader[0].value == "Sunny Home Shop"
    assert app.text_input(key="ekey").value == "ebay:sunny_home_shop"
