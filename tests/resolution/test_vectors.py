"""The sparse-matrix resolver against the pair-at-a-time oracle (tests/resolution/reference.py) on a generated
graph with hubs (forwarders' warehouses), bridges (agency mailboxes) and stars (pivots shared by more than
``pair_limit`` storefronts), and scipy's spanning forest against Kruskal's tree."""

from __future__ import annotations

import pytest

from benchmarks.resolution_scale import Shape, build
from graph.resolution.clusters import strongest_tree
from graph.resolution.config import load_config
from graph.resolution.forest import group_table
from graph.resolution.pivots import collect_pivots
from graph.resolution.vectors import score_table
from graph.store import open_store
from tests.resolution.reference import score_links


@pytest.fixture(scope="module")
def graph(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('vec')}/g.db"
    build(url, 3000, seed=5, shape=Shape(hub_rate=0.08, forwarders=6, agency_rate=0.05, agencies=2))
    with open_store(url) as store:
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


def test_spanning_forest_is_kruskals_tree(graph):
    table = score_table(graph, load_config())
    groups = group_table(table, {})
    accepted = [l for l in table.links() if l.band == "accepted"]
    where = {m: i for i, g in enumerate(groups.members) for m in g}
    for i, tree in enumerate(groups.trees):
        inside = [l for l in accepted if where.get(l.a) == i]
        assert tree == strongest_tree(inside)
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
