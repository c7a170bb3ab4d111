"""Candidates for fuzzy name search: names sharing trigrams with a misspelt query, found through the index."""

from __future__ import annotations

from graph.store.search import similar_terms
from tests.graph.test_store_contract import BLOOM, HUAXIN, OTHER, _load


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
