"""The GraphStore contract, run against every backend (Neo4j when NEO4J_URI is set)."""

from __future__ import annotations

import hashlib

import pytest

from graph.errors import SchemaError, StoreError
from graph.facts import extract_all
from graph.records import EdgeBlock, EdgeStatement, Facts, NodeRef, NodeStatement, Record, Value
from graph.store import SourceInfo


def _source(tag: str, path: str = "sellers.csv") -> SourceInfo:
    return SourceInfo(sha256=hashlib.sha256(tag.encode()).hexdigest(), path=path, media_type="text/csv", size=10,
                      parser="test")


def _row(n: int, **values: str) -> Record:
    return Record("Storefront", f"row {n}", tuple(Value(f, v, f"row {n}, column {f!r}", f) for f, v in values.items()))


HUAXIN = _row(2, name="HuaXin Direct", url="https://www.amazon.com/sp?seller=A1HX7Q2M9ZK3LP",
              paypal="Huaxin.Pay@Outlook.com", email="service@huaxin-direct.com", phone="+86 138 0013 8000")
BLOOM = _row(3, name="Sunny Bloom Shop", url="https://www.ebay.com/usr/sunnybloom_shop",
             paypal="huaxin.pay@outlook.com", phone="0086-138-0013-8000")
CHAIN = _row(4, name="Bloomora", url="https://www.aliexpress.com/store/1102345678", phone="+86 13800138000",
             email="cs@bloomora-shop.com")
OTHER = _row(5, name="Vintage Vibes", url="https://www.etsy.com/shop/VintageVibesCo")

SF_HUAXIN = NodeRef("Storefront", "amazon:A1HX7Q2M9ZK3LP")
SF_BLOOM = NodeRef("Storefront", "ebay:sunnybloom_shop")
SF_CHAIN = NodeRef("Storefront", "aliexpress:1102345678")
SF_OTHER = NodeRef("Storefront", "etsy:vintagevibesco")
PAYPAL = NodeRef("PaymentAccount", "paypal:huaxin.pay@outlook.com")
PHONE = NodeRef("Phone", "+8613800138000")


def _load(store, tag: str, *records: Record):
    return store.write_source(_source(tag), [extract_all(records)])


def test_written_facts_read_back_with_provenance(store):
    stats = _load(store, "a", HUAXIN, BLOOM)
    assert stats.records == 2 and stats.nodes_new == 5  # 2 storefronts, a PayPal account, an e-mail, a phone
    node = store.get_node(SF_HUAXIN)
    assert node.name == "HuaXin Direct"
    assert node.props["marketplace"] == ["amazon"]
    evidence = store.provenance(PAYPAL)
    assert {e.locator for e in evidence} == {"row 2, column 'paypal'", "row 3, column 'paypal'"}
    assert {e.path for e in evidence} == {"sellers.csv"}
    paid = [(e, n) for e, n in store.neighbours(PAYPAL) if e.type == "PAID_TO"]
    assert sorted(n.ref.key for _, n in paid) == ["amazon:A1HX7Q2M9ZK3LP", "ebay:sunnybloom_shop"]
    edge = next(e for e, n in paid if n.ref == SF_BLOOM)
    assert [e.locator for e in store.provenance(SF_BLOOM, edge)] == ["row 3, column 'paypal'"]


def test_source_is_recorded_once(store):
    _load(store, "a", HUAXIN)
    assert store.has_source(_source("a").sha256)
    assert not store.has_source(_source("b").sha256)
    [src] = store.sources()
    assert (src.path, src.records) == ("sellers.csv", 1)


def test_retract_removes_exactly_what_only_that_source_asserted(store):
    _load(store, "a", HUAXIN, BLOOM)
    _load(store, "b", BLOOM, CHAIN)
    st = store.retract_source(_source("b").sha256)
    assert st.nodes == 2  # the AliExpress store and its own e-mail; the phone is still asserted by "a"
    assert store.get_node(SF_CHAIN) is None
    assert store.get_node(NodeRef("Email", "cs@bloomora-shop.com")) is None
    assert store.get_node(SF_BLOOM) is not None  # stated by both sources
    assert {e.sha256 for e in store.provenance(SF_BLOOM)} == {_source("a").sha256}
    assert sorted(n.ref.key for _, n in store.neighbours(PHONE)) == ["amazon:A1HX7Q2M9ZK3LP", "ebay:sunnybloom_shop"]
    assert store.search("Bloomora") == []
    nodes, edges = store.counts()
    assert nodes == {"Email": 1, "PaymentAccount": 1, "Phone": 1, "Storefront": 2}
    assert edges == {"PAID_TO": 2, "USES_EMAIL": 1, "USES_PHONE": 2}
    with pytest.raises(StoreError, match="no source"):
        store.retract_source(_source("b").sha256)


def test_names_stay_findable_by_substring_after_a_retract_and_a_reparse(store):
    # "b" states the newest search terms; retracting it re-derives the terms of nodes "a" still states
    # (new rows that may reuse the deleted ids), and those must reach the substring index
    _load(store, "a", OTHER, BLOOM)
    _load(store, "b", BLOOM, CHAIN)
    store.retract_source(_source("b").sha256)
    assert [h.key for h in store.search("unny Bloom Sh")] == ["ebay:sunnybloom_shop"]
    assert store.search("loomora") == []
    store.write_source(_source("a"), [extract_all([BLOOM])], replaces=_source("a").sha256)
    assert [h.key for h in store.search("unny Bloom Sh")] == ["ebay:sunnybloom_shop"]
    assert store.search("intage Vib") == []  # no longer stated by anyone


def test_retracting_the_only_document_of_a_node_removes_edges_other_sources_drew_to_it(store):
    _load(store, "a", HUAXIN)
    _load(store, "b", BLOOM)
    op = NodeRef("Operator", "op-1")
    derived = Facts(nodes=[NodeStatement(op, "key", op.key, "operator op-1")],
                    edges=[EdgeStatement("CONTROLS", op, SF_HUAXIN, "operator op-1"),
                           EdgeStatement("CONTROLS", op, SF_BLOOM, "operator op-1")])
    store.write_source(_source("resolution"), [derived])
    store.retract_source(_source("a").sha256)
    assert store.get_node(SF_HUAXIN) is None
    assert [n.ref for _, n in store.neighbours(op)] == [SF_BLOOM]
    assert store.has_source(_source("resolution").sha256)


def test_write_is_atomic_per_source(store):
    def batches():
        yield extract_all([HUAXIN])
        raise RuntimeError("parser died half-way")

    with pytest.raises(RuntimeError):
        store.write_source(_source("a"), batches())
    assert store.counts() == ({}, {})
    assert store.sources() == []


def test_types_outside_the_model_are_refused(store):
    bad = Facts(nodes=[NodeStatement(NodeRef("Storefront`) DETACH DELETE n //", "x"), "key", "x", "row 1")])
    with pytest.raises(SchemaError):
        store.write_source(_source("a"), [bad])
    wrong_end = Facts(nodes=[NodeStatement(SF_OTHER, "key", SF_OTHER.key, "r"), NodeStatement(PHONE, "key", PHONE.key, "r")],
                      edges=[EdgeStatement("PAID_TO", SF_OTHER, PHONE, "r")])
    with pytest.raises(SchemaError, match="PAID_TO cannot link Storefront to Phone"):
        store.write_source(_source("b"), [wrong_end])
    assert store.counts() == ({}, {})


def test_search_by_name_alias_and_identifier_in_any_format(store):
    _load(store, "a", HUAXIN, BLOOM, OTHER)
    assert [h.key for h in store.search("vintage vib")] == ["etsy:vintagevibesco"]
    hit = store.search("+86 (138) 0013-8000")[0]  # another way of writing the number
    assert (hit.type, hit.key, hit.exact) == ("Phone", "+8613800138000", True)
    assert store.search("HUAXIN.PAY@OUTLOOK.COM")[0].key == "paypal:huaxin.pay@outlook.com"
    assert {h.type for h in store.search("huaxin", types=["Storefront"])} == {"Storefront"}
    assert store.search("no such seller anywhere") == []


def test_subgraph_caps_and_counts_and_shortest_path_follows_shared_identifiers(store):
    _load(store, "a", HUAXIN, BLOOM, CHAIN, OTHER)
    sub = store.subgraph(SF_HUAXIN, hops=2)
    keys = {n.key for n in sub.nodes}
    assert {"ebay:sunnybloom_shop", "aliexpress:1102345678"} <= keys and "etsy:vintagevibesco" not in keys
    capped = store.subgraph(SF_HUAXIN, hops=2, limit=3)
    assert len(capped.nodes) == 3 and capped.total_nodes == sub.total_nodes and capped.truncated
    assert capped.nodes[0].ref == SF_HUAXIN
    only = store.subgraph(SF_HUAXIN, hops=2, node_types=["Storefront"])
    assert {n.type for n in only.nodes} == {"Storefront"}
    path = store.shortest_path(SF_HUAXIN, SF_CHAIN)
    assert len(path) == 2 and {path[0].type, path[1].type} == {"USES_PHONE"}
    assert store.shortest_path(SF_HUAXIN, SF_OTHER) is None


def test_projection_is_the_whole_graph_in_integers(store):
    _load(store, "a", HUAXIN, BLOOM)
    proj = store.projection()
    assert len(proj.node_ids) == 5 and len(proj.edges) == 5
    g = proj.to_networkx()
    assert g.number_of_nodes() == 5
    only = store.projection(node_types=["Storefront", "PaymentAccount"], edge_types=["PAID_TO"])
    assert len(only.node_ids) == 3 and {t for _, _, t in only.edges} == {"PAID_TO"}


def test_unparsed_values_are_kept_with_reason(store):
    bad = _row(7, name="Glamour Bags", url="https://www.amazon.com/sp?seller=A1GB2C3D4E5F6G",
               iban="GB00 WEST 1234 5698 7654 32")
    _load(store, "a", bad)
    [u] = store.unparsed()
    assert (u["field"], u["raw"], u["subject_key"]) == ("iban", "GB00 WEST 1234 5698 7654 32", "amazon:A1GB2C3D4E5F6G")
    assert "checksum" in u["reason"]
    assert u["locator"] == "row 7, column 'iban'"


def test_iter_nodes_pages_through_everything(store):
    _load(store, "a", HUAXIN, BLOOM, CHAIN, OTHER)
    assert sorted(n.key for n in store.iter_nodes("Storefront")) == sorted(
        r.key for r in (SF_HUAXIN, SF_BLOOM, SF_CHAIN, SF_OTHER))
    assert sum(1 for _ in store.iter_nodes()) == sum(store.counts()[0].values())


def test_quarantine_keeps_rejected_documents_until_released(store):
    first = store.quarantine("case/a.xlsx", "c" * 64, 12, "password-protected workbook", b"PK\x03\x04...")
    again = store.quarantine("case/a.xlsx", "c" * 64, 12, "still password-protected")
    assert first == again
    [entry] = store.quarantined()
    assert (entry.path, entry.reason, entry.attempts, entry.data) == ("case/a.xlsx", "still password-protected", 2, None)
    assert store.quarantined(first, with_data=True)[0].data == b"PK\x03\x04..."
    store.release(first)
    assert store.quarantined() == []


def test_facts_sent_between_processes_as_plain_tuples_store_the_same(store):
    store.write_source(_source("a"), [extract_all([HUAXIN, BLOOM]).plain()])
    node = store.get_node(SF_HUAXIN)
    assert node.name == "HuaXin Direct" and node.props["marketplace"] == ["amazon"]
    assert sorted(n.ref.key for _, n in store.neighbours(PAYPAL)) == ["amazon:A1HX7Q2M9ZK3LP", "ebay:sunnybloom_shop"]


def test_a_later_mention_keeps_the_name_and_one_edge_stated_twice_keeps_both_places(store):
    _load(store, "a", HUAXIN)
    unnamed = _row(7, url="https://www.amazon.com/sp?seller=A1HX7Q2M9ZK3LP", email="returns@huaxin-direct.com")
    renamed = _row(9, name="HuaXin Outlet", url="https://www.amazon.com/sp?seller=A1HX7Q2M9ZK3LP")
    again = _row(8, url="https://www.ebay.com/usr/sunnybloom_shop", paypal="HUAXIN.PAY@outlook.com")
    _load(store, "b", unnamed, BLOOM, again)
    node = store.get_node(SF_HUAXIN)
    assert node.name == "HuaXin Direct" and node.props["marketplace"] == ["amazon"]
    assert store.get_node(PHONE).props["country"] == ["CN"]
    edge = next(e for e, n in store.neighbours(PAYPAL) if n.ref == SF_BLOOM)
    assert sorted(e.locator for e in store.provenance(SF_BLOOM, edge)) == ["row 3, column 'paypal'",
                                                                          "row 8, column 'paypal'"]
    _load(store, "c", renamed)
    assert store.get_node(SF_HUAXIN).name == "HuaXin Outlet"


def _operators(*groups: tuple[str, list[NodeRef]]) -> Facts:
    facts = Facts()
    for op_key, members in groups:
        op = NodeRef("Operator", op_key)
        facts.nodes += [NodeStatement(op, "key", op_key, f"operator {op_key}"),
                        NodeStatement(op, "name", f"name of {op_key}", f"operator {op_key}")]
        facts.edges += [EdgeStatement("CONTROLS", op, m, f"operator {op_key}") for m in members]
    return facts


def test_revising_a_source_replaces_only_what_it_said_about_the_given_nodes(store):
    _load(store, "a", HUAXIN, BLOOM, CHAIN, OTHER)
    res = _source("resolution")
    store.write_source(res, [_operators(("op-1", [SF_HUAXIN, SF_BLOOM]), ("op-2", [SF_CHAIN, SF_OTHER]))])
    op1, op2, op3 = (NodeRef("Operator", k) for k in ("op-1", "op-2", "op-3"))
    # op-2 splits: op-3 takes the Etsy shop; op-1 is not in the scope and must stay as it is
    revised = SourceInfo(sha256=res.sha256, path="(revised)", media_type="text/csv", size=7, parser="test")
    store.revise_source(revised, [op2, op3, SF_CHAIN, SF_OTHER],
                        [_operators(("op-2", [SF_CHAIN]), ("op-3", [SF_OTHER]))])
    assert sorted(n.ref.key for _, n in store.neighbours(op1)) == [SF_HUAXIN.key, SF_BLOOM.key]
    assert [n.ref for _, n in store.neighbours(op2)] == [SF_CHAIN]
    assert [n.ref for _, n in store.neighbours(op3)] == [SF_OTHER]
    assert store.get_node(op3).name == "name of op-3"
    [src] = [s for s in store.sources() if s.sha256 == res.sha256]
    assert (src.path, src.size) == ("(revised)", 7)
    # a node the revision no longer states goes, with its edges; the documents' own facts stay
    store.revise_source(revised, [op3, SF_OTHER], [])
    assert store.get_node(op3) is None
    assert store.get_node(SF_OTHER) is not None and store.neighbours(SF_OTHER) == []
    _, edges = store.counts()
    assert edges["CONTROLS"] == 3
    with pytest.raises(StoreError, match="no source"):
        store.revise_source(_source("nope"), [op1], [])


def test_nodes_of_sources_and_edges_around_nodes(store):
    _load(store, "a", HUAXIN)
    _load(store, "b", BLOOM, CHAIN)
    assert store.source_nodes([_source("a").sha256]) == {
        SF_HUAXIN, PAYPAL, PHONE, NodeRef("Email", "service@huaxin-direct.com")}
    assert store.source_nodes([]) == set()
    assert store.node_names([SF_HUAXIN, SF_BLOOM, NodeRef("Storefront", "ebay:not-there")]) == {
        SF_HUAXIN: "HuaXin Direct", SF_BLOOM: "Sunny Bloom Shop"}
    assert SF_CHAIN in store.source_nodes([_source("a").sha256, _source("b").sha256])
    around = store.edges_touching([PHONE])
    assert sorted((s.key, t, d) for s, t, d in around) == [
        (SF_CHAIN.key, "USES_PHONE", PHONE), (SF_HUAXIN.key, "USES_PHONE", PHONE), (SF_BLOOM.key, "USES_PHONE", PHONE)]
    only_payments = store.edges_touching([SF_BLOOM, SF_HUAXIN], other_types=["PaymentAccount"])
    assert sorted((s.key, t, d.key) for s, t, d in only_payments) == [
        (SF_HUAXIN.key, "PAID_TO", PAYPAL.key), (SF_BLOOM.key, "PAID_TO", PAYPAL.key)]


def test_edges_written_as_a_block_read_back_like_edges_stated_one_by_one(store):
    _load(store, "a", HUAXIN, BLOOM)
    op = NodeRef("Operator", "op-7")
    block = EdgeBlock("CONTROLS", [op, op, op], [SF_HUAXIN, SF_BLOOM, SF_HUAXIN],
                      ["operator op-7", "operator op-7", "operator op-7 (again)"],
                      ['{"confidence": "0.9120", "since": "2026-11-20T10:00:00+00:00"}',
                       '{"confidence": "0.8000", "since": "2026-11-21T10:00:00+00:00"}',
                       '{"confidence": "0.9120", "since": "2026-11-20T10:00:00+00:00"}'])
    facts = Facts(nodes=[NodeStatement(op, "key", "op-7", "operator op-7")], blocks=[block])
    stats = store.write_source(_source("run", "(resolution)"), [facts])
    assert stats.statements == 4
    controlled = {n.ref: e for e, n in store.neighbours(op, ["CONTROLS"])}
    assert set(controlled) == {SF_HUAXIN, SF_BLOOM}
    assert controlled[SF_BLOOM].props == {"confidence": "0.8000", "since": "2026-11-21T10:00:00+00:00"}
    assert sorted(e.locator for e in store.provenance(SF_HUAXIN, controlled[SF_HUAXIN])) == [
        "operator op-7", "operator op-7 (again)"]
    # a block can name a node nothing has stated yet (as an edge statement can), and the wrong types are refused
    unseen = NodeRef("Storefront", "temu:634418212345678")
    store.write_source(_source("run 2", "(resolution)"), [Facts(blocks=[EdgeBlock(
        "LINKED", [SF_HUAXIN], [unseen], ["link"], ['{"band": "review", "score": "0.5000"}'])])])
    assert [n.ref for _, n in store.neighbours(unseen, ["LINKED"])] == [SF_HUAXIN]
    with pytest.raises(SchemaError):
        store.write_source(_source("bad"), [Facts(blocks=[EdgeBlock("CONTROLS", [SF_HUAXIN], [op], ["x"], ["{}"])])])
    assert not store.has_source(_source("bad").sha256)


def test_a_sources_edges_with_a_property_are_counted_and_ranked(store):
    _load(store, "a", HUAXIN, BLOOM, CHAIN, OTHER)
    run = _source("run", "(resolution)")
    a = [SF_BLOOM, SF_BLOOM, SF_CHAIN, SF_HUAXIN, SF_BLOOM]
    b = [SF_HUAXIN, SF_OTHER, SF_OTHER, SF_OTHER, SF_CHAIN]
    props = ['{"band": "accepted", "score": "0.9900"}', '{"band": "review", "score": "0.6000"}',
             '{"band": "review", "score": "0.7500"}', '{"band": "review", "score": "0.6000"}',
             '{"band": "rejected", "score": "0.2000"}']
    store.write_source(run, [Facts(blocks=[EdgeBlock("LINKED", a, b, [f"link {i}" for i in range(5)], props)])])
    # another Source's review-band edge is not the run's
    store.write_source(_source("other run", "(resolution)"), [Facts(edges=[EdgeStatement(
        "LINKED", SF_CHAIN, SF_HUAXIN, "link x", {"band": "review", "score": "0.9000"})])])
    total, top = store.source_edges(run.sha256, "LINKED", "band", "review", "score", 2)
    assert total == 3
    # highest score first, a tie in the order of the ends' keys (amazon:... before ebay:..., whatever was written first)
    assert [(e.src, e.dst, e.props["score"]) for e in top] == [(SF_CHAIN, SF_OTHER, "0.7500"),
                                                              (SF_HUAXIN, SF_OTHER, "0.6000")]
    assert top[0].type == "LINKED" and top[0].props["band"] == "review"
    assert store.source_edges(run.sha256, "LINKED", "band", "review", "score", 10)[1][-1].src == SF_BLOOM
    assert store.source_edges(run.sha256, "LINKED", "band", "nothing", "score", 10) == (0, [])
    assert store.source_edges("f" * 64, "LINKED", "band", "review", "score", 10) == (0, [])
    assert (store.count_nodes("Storefront"), store.count_nodes("Operator"), store.count_nodes("Nothing")) == (4, 0, 0)
