"""A batch made ready for the embedded store by a cleaning worker (``prepare_batch``) writes exactly what the
Facts it was made from write."""

from __future__ import annotations

import pickle
import sqlite3

import pytest

from graph.errors import SchemaError
from graph.records import Facts, NodeRef
from graph.store import open_store
from graph.store.base import SourceInfo
from graph.store.sqlite_parts import prepare_batch

SHOP = NodeRef("Storefront", "amazon:A1LAKEVIEW0001")
MAIL = NodeRef("Email", "lakeview.cs@outlook.com")
PHONE = NodeRef("Phone", "+8613912345678")
ADDRESS = NodeRef("Address", "CN|RM 301 FL 5 BLK 2 SHENZHEN 518131")


def _facts() -> Facts:
    facts = Facts(records=2)
    facts.nodes += [
        (SHOP, "name", "Lakeview Trading", "row 2, column 'Seller Alias'"),
        (SHOP, "url", "https://www.amazon.com/sp?seller=A1LAKEVIEW0001", "row 2, column 'Store URL'"),
        (MAIL, "value", "lakeview.cs@outlook.com", "row 2, column 'E-mail'"),
        (SHOP, "name", "Lakeview Trading Co", "row 3, column 'Seller Alias'"),
        (SHOP, "name", "Lakeview Trading", "row 4, column 'Seller Alias'"),  # the last name stated: the display name
    ]
    facts.derive(SHOP, {"platform_id": "A1LAKEVIEW0001", "marketplace": "amazon"})
    facts.derive(MAIL, {"match_key": "lakeviewcs@outlook.com", "domain": "outlook.com"})
    facts.edges += [
        ("USES_EMAIL", SHOP, MAIL, "row 2, column 'E-mail'", ()),
        ("USES_PHONE", SHOP, PHONE, "row 2, column 'Phone'", ()),  # the phone is only drawn an edge to
        ("SHIPS_FROM", SHOP, ADDRESS, "row 2, column 'Return Address'", (("role", "return"),)),
        ("USES_EMAIL", SHOP, MAIL, "row 3, column 'E-mail'", ()),  # the same edge, a second assertion
    ]
    return facts


def _rows(db) -> dict[str, list[tuple]]:
    with sqlite3.connect(db) as conn:
        return {
            "nodes": conn.execute("SELECT type, key, name, props FROM nodes ORDER BY id").fetchall(),
            "props": conn.execute("SELECT n.key, p.prop, p.value, p.locator FROM node_props p "
                                  "JOIN nodes n ON n.id = p.node_id ORDER BY 1, 2, 3, 4").fetchall(),
            "terms": sorted(conn.execute("SELECT n.key, t.term, t.fts FROM search_terms t "
                                         "JOIN nodes n ON n.id = t.node_id")),
            "edges": conn.execute("SELECT e.type, b.key, x.locator, x.props FROM edge_assertions x "
                                  "JOIN edges e ON e.id = x.edge_id JOIN nodes b ON b.id = e.dst ORDER BY 1, 2, 3"
                                  ).fetchall(),
        }


def _source(name: str) -> SourceInfo:
    return SourceInfo(sha256=name * 64, path=f"{name}.csv", media_type="text/csv", size=1, parser="test")


@pytest.mark.parametrize("form", ["facts", "prepared in a worker"])
def test_a_batch_writes_each_node_once_with_its_last_name_terms_and_edges(tmp_path, form):
    batch = _facts() if form == "facts" else pickle.loads(pickle.dumps(prepare_batch(_facts())))
    with open_store(f"sqlite:///{tmp_path}/case.db") as store:
        stats = store.write_source(_source("a"), [batch])
    assert (stats.records, stats.statements, stats.nodes_new, stats.edges_new) == (2, 9, 4, 3)
    rows = _rows(tmp_path / "case.db")
    assert rows["nodes"] == [
        ("Storefront", SHOP.key, "Lakeview Trading", '{"marketplace":"amazon","platform_id":"A1LAKEVIEW0001"}'),
        ("Email", MAIL.key, "lakeview.cs@outlook.com", '{"domain":"outlook.com","match_key":"lakeviewcs@outlook.com"}'),
        ("Phone", PHONE.key, None, "{}"),
        ("Address", ADDRESS.key, None, "{}"),
    ]
    assert rows["terms"] == [  # names go to the trigram index (fts 1), identifiers not; edge-only nodes have none
        ("amazon:A1LAKEVIEW0001", "A1LAKEVIEW0001", 0),
        ("amazon:A1LAKEVIEW0001", "Lakeview Trading", 1),
        ("amazon:A1LAKEVIEW0001", "Lakeview Trading Co", 1),
        ("amazon:A1LAKEVIEW0001", "https://www.amazon.com/sp?seller=A1LAKEVIEW0001", 0),
        ("lakeview.cs@outlook.com", "lakeview.cs@outlook.com", 0),
        ("lakeview.cs@outlook.com", "lakeviewcs@outlook.com", 0),
    ]
    assert len(rows["props"]) == 5
    assert rows["edges"] == [
        ("SHIPS_FROM", ADDRESS.key, "row 2, column 'Return Address'", '{"role": "return"}'),
        ("USES_EMAIL", MAIL.key, "row 2, column 'E-mail'", "{}"),
        ("USES_EMAIL", MAIL.key, "row 3, column 'E-mail'", "{}"),
        ("USES_PHONE", PHONE.key, "row 2, column 'Phone'", "{}"),
    ]


def test_a_node_known_from_another_source_keeps_its_name_when_only_drawn_an_edge_to(tmp_path):
    first = Facts(records=1, nodes=[(PHONE, "value", "+86 139 1234 5678", "row 2, column 'Phone'")])
    first.derive(PHONE, {"country": "CN"})
    second = Facts(records=1, nodes=[(SHOP, "name", "Lakeview Trading", "row 9, column 'Alias'")],
                   edges=[("USES_PHONE", SHOP, PHONE, "row 9, column 'Phone'", ())])
    with open_store(f"sqlite:///{tmp_path}/case.db") as store:
        store.write_source(_source("a"), [prepare_batch(first)])
        stats = store.write_source(_source("b"), [prepare_batch(second)])
    assert (stats.nodes_new, stats.edges_new) == (1, 1)
    rows = _rows(tmp_path / "case.db")
    assert rows["nodes"] == [("Phone", PHONE.key, "+86 139 1234 5678", '{"country":"CN"}'),
                             ("Storefront", SHOP.key, "Lakeview Trading", "{}")]
    assert ("+8613912345678", "+86 139 1234 5678", 0) in rows["terms"]


def test_a_key_that_is_not_text_is_found_again_as_text(tmp_path):
    """SQLite stores the key 1001 as the text '1001': the upsert's answer does not match the reference."""
    facts = Facts(records=1, nodes=[(("Storefront", 1001), "name", "Shop 1001", "row 2, column 'Alias'"),
                                    (("Storefront", "1001"), "url", "https://shop1001.example", "row 2, column 'URL'")])
    with open_store(f"sqlite:///{tmp_path}/case.db") as store:
        stats = store.write_source(_source("a"), [prepare_batch(facts)])
    rows = _rows(tmp_path / "case.db")
    assert stats.nodes_new == 1
    assert rows["nodes"] == [("Storefront", "1001", "Shop 1001", "{}")]
    assert rows["terms"] == [("1001", "Shop 1001", 1), ("1001", "https://shop1001.example", 0)]


def test_an_unknown_node_type_is_refused_before_anything_of_the_batch_is_written(tmp_path):
    facts = _facts()
    facts.nodes.append((("Warehouse", "shenzhen-7"), "name", "Bay 7", "row 5, column 'Depot'"))
    with open_store(f"sqlite:///{tmp_path}/case.db") as store:
        with pytest.raises(SchemaError, match="unknown node type 'Warehouse'"):
            store.write_source(_source("a"), [prepare_batch(facts)])
        assert store.counts() == ({}, {})
