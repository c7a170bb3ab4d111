"""The sparse-matrix resolver against the pair-at-a-time oracle (tests/resolution/reference.py) on a generated
graph with hubs (forwarders' warehouses), bridges (agency mailboxes) and stars (pivots shared by more than
``pair_limit`` storefronts), and scipy's spanning forest against Kruskal's tree."""

from __future__ import annotations

import numpy as np
import pytest

from benchmarks.resolution_scale import MARKETS, Shape, build
from graph.records import EdgeStatement, Facts, NodeRef, NodeStatement
from graph.resolution.clusters import strongest_tree
from graph.resolution.config import load_config
from graph.resolution.forest import group_table
from graph.resolution.pivots import collect_pivots
from graph.resolution.vectors import BANDS, score_table
from graph.store import open_store
from graph.store.base import SourceInfo
from tests.resolution.reference import score_links


@pytest.fixture(scope="module")
def graph(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('vec')}/g.db"
    build(url, 3000, seed=5, shape=Shape(hub_rate=0.08, forwarders=6, agency_rate=0.05, agencies=2))
    with open_store(url) as store:
        # some storefronts reach an e-mail through their legal entity (a path the explanation names)
        facts, loc = Facts(records=60), "disclosure row"
        for i in range(60):
            shop = NodeRef("Storefront", f"{MARKETS[i % len(MARKETS)]}:s{i:08d}")
            seller, mail = NodeRef("Seller", f"seller-{i // 3}"), NodeRef("Email", f"desk{i // 6}@example.org")
            facts.nodes += [NodeStatement(r, "key", r.key, loc) for r in (shop, seller, mail)]
            facts.edges += [EdgeStatement("OPERATED_BY", shop, seller, loc), EdgeStatement("USES_EMAIL", seller, mail, loc)]
        store.write_source(SourceInfo(sha256="d" * 64, path="disclosure.xlsx", media_type="x", size=1), [facts])
        return collect_pivots(store)


def test_sparse_scoring_equals_pair_at_a_time(graph):
    cfg = load_config()
    table = score_table(graph, cfg)
    expected, hubs = score_links(graph, cfg)
    got = table.links()
    assert len(expected) > 1000
    assert {(l.a, l.b, l.score, l.band) for l in got} == {(l.a, l.b, l.score, l.band) for l in expected}
    assert {l.pair: l.signals for l in got} == {l.pair: l.signals for l in expected}
    assert table.hubs == hubs
    kinds = {h.type for h, _ in hubs}
    assert kinds == {"Address", "Email"}  # forwarders are hubs by count, agency mailboxes by bridging
    assert table.bridges and max(len(graph.members[p]) for p in table.bridges) > cfg.pair_limit  # a star
    assert table.count("accepted") + table.count("review") + table.count("rejected") == len(expected)
    # the table's own scores and bands (which group and order the links) are the explained links' too
    assert [(float(table.score[i]), BANDS[table.band[i]]) for i in range(len(table))] == [
        (l.score, l.band) for l in got]


def test_spanning_forest_is_kruskals_tree(graph):
    table = score_table(graph, load_config())
    groups = group_table(table, {})
    accepted = [l for l in table.links() if l.band == "accepted"]
    where = {m: i for i, g in enumerate(groups.members) for m in g}
    for i, tree in enumerate(groups.trees):
        inside = [l for l in accepted if where.get(l.a) == i]
        assert [table.link(j) for j in tree] == strongest_tree(inside)
        assert len(tree) == len(groups.members[i]) - 1


def test_an_operator_is_named_by_its_most_common_name_and_markup_loses_ties():
    from graph.records import NodeRef
    from graph.resolution.run import operator_name

    refs = [NodeRef("Storefront", f"ebay:s{i}") for i in range(5)]
    names = dict(zip(refs, ["<img src=x onerror=alert(1)>", "Sunny Home", "Sunny Home", "<b>x</b>", "Zeta"]))
    assert operator_name(refs, names, "op-1") == "Sunny Home"
    names[refs[2]] = "Zeta"  # one each of four names, Zeta twice
    assert operator_name(refs, names, "op-1") == "Zeta"
    names = {refs[0]: "<img src=x onerror=alert(1)>", refs[1]: "Yellow Deals"}
    assert operator_name(refs, names, "op-1") == "Yellow Deals"
    assert operator_name(refs, {}, "op-1") == "op-1"


def test_signals_of_many_links_at_once_are_those_of_each_link_explained(graph):
    from graph.resolution.judgements import Judgement
    from graph.resolution.signals import signals_json

    table = score_table(graph, load_config())
    a, b = table.ref(int(table.x[0])), table.ref(int(table.y[0]))
    far = table.ref(len(graph.storefronts) - 1)
    table.apply_judgements({(a, b): Judgement("j1", a, b, "different", "analyst", "2026-11-22T10:00:00+00:00"),
                            (a, far): Judgement("j2", a, far, "same", "analyst", "2026-11-22T10:00:00+00:00")})
    rows = np.arange(len(table))
    got = signals_json(table, rows)
    assert got == [table.link(int(i)).signals_json() for i in rows]
    assert any('"via"' in s for s in got) and any('"hub": true' in s for s in got) and any('"name"' in s for s in got)
    assert '"judgement"' in got[0] and '"judgement"' in got[-1]  # the judged pair, and the one only judged


def test_pivots_collected_with_arrays_are_those_found_edge_by_edge(tmp_path):
    from graph.resolution.pivots import collect_pivots
    from tests.resolution.reference import collect_pivots_one_by_one

    url = f"sqlite:///{tmp_path}/p.db"
    build(url, 600, seed=9, shape=Shape(hub_rate=0.1, forwarders=3, agency_rate=0.1, agencies=2))
    with open_store(url) as store:
        facts, loc = Facts(records=1), "whois"
        domain, seller = NodeRef("Domain", "shop-a.example"), NodeRef("Seller", "seller-x")
        tag, mail = NodeRef("Infrastructure", "ga:UA-1234567-1"), NodeRef("Email", "op3.0@example.net")
        shops = [NodeRef("Storefront", f"{MARKETS[i % len(MARKETS)]}:s{i:08d}") for i in (1, 2, 40)]
        facts.nodes += [NodeStatement(r, "key", r.key, loc) for r in (domain, seller, tag, mail, *shops)]
        facts.edges += [EdgeStatement("USES_DOMAIN", shops[0], domain, loc),
                        EdgeStatement("USES_INFRASTRUCTURE", domain, tag, loc),
                        EdgeStatement("REGISTERED_BY", domain, seller, loc),
                        EdgeStatement("OPERATED_BY", shops[1], seller, loc), EdgeStatement("USES_EMAIL", seller, mail, loc),
                        EdgeStatement("OPERATED_BY", shops[2], seller, loc), EdgeStatement("USES_EMAIL", domain, mail, loc)]
        store.write_source(SourceInfo(sha256="e" * 64, path="whois.txt", media_type="x", size=1), [facts])
        got, expected = collect_pivots(store), collect_pivots_one_by_one(store)
    assert got.refs == expected.refs and got.storefronts == expected.storefronts
    assert got.reach == expected.reach and got.members == expected.members
    assert {p: k for p, k in got.kinds.items()} == expected.kinds
    vias = [v for r in got.reach.values() for v in r.values() if v is not None]
    assert {got.refs[v].type for v in vias} == {"Domain", "Seller"}
