"""Store reads the dashboard leans on: fuzzy-name candidates (trigrams shared with a misspelt query, found through
the index) and a light listing of one property of every node of a type."""

from __future__ import annotations

from graph.store.search import similar_terms
from tests.graph.test_store_contract import BLOOM, HUAXIN, OTHER, SF_BLOOM, SF_HUAXIN, _load


def test_a_misspelt_name_still_finds_the_storefront_first(sqlite_store):
    _load(sqlite_store, "a", HUAXIN, BLOOM, OTHER)
    assert sqlite_store.search("Sunny Blom Shp") == []  # not a substring of anything
    hits = sqlite_store.search_similar("Sunny Blom Shp")
    assert hits[0].key == "ebay:sunnybloom_shop" and not hits[0].exact
    assert "etsy:vintagevibesco" not in {h.key for h in hits}  # shares no trigram
    assert [h.key for h in sqlite_store.search_similar("Vintaje Vibes", types=["Storefront"])] == [
        "etsy:vintagevibesco"]


def test_query_text_is_never_an_fts_expression(sqlite_store):
    _load(sqlite_store, "a", HUAXIN, BLOOM)
    for hostile in ('" OR *', "NEAR(a b)", "x\" AND \"y", "ab", "", "a\x00b c"):
        sqlite_store.search_similar(hostile)  # no FTS syntax error escapes
        sqlite_store.search(hostile)
    assert similar_terms("Ab Sunny") == ["sun", "unn", "nny"]  # words under three letters give no trigram


def test_property_values_lists_one_property_of_every_node_of_a_type(store):
    _load(store, "a", HUAXIN, BLOOM, OTHER)
    listed = sorted(store.property_values("Storefront", "platform_id"))
    assert listed == [("amazon:A1HX7Q2M9ZK3LP", "HuaXin Direct", "A1HX7Q2M9ZK3LP"),
                      ("ebay:sunnybloom_shop", "Sunny Bloom Shop", "sunnybloom_shop"),
                      ("etsy:vintagevibesco", "Vintage Vibes", "vintagevibesco")]  # as the key has it
    # the same as reading every node whole, which the light listing avoids
    assert listed == sorted((n.key, n.name, n.props["platform_id"][0]) for n in store.iter_nodes("Storefront"))
    assert {k: v for k, _, v in store.property_values("Storefront", "no_such_prop")} == {
        SF_HUAXIN.key: "", SF_BLOOM.key: "", "etsy:vintagevibesco": ""}
    assert store.property_values("Operator", "size") == []
