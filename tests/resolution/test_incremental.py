"""Incremental resolution gives exactly what a full run gives, writing only what changed.

A generated graph with hubs (forwarders' warehouses), bridges (agency mailboxes) and stars is resolved in
full; then new documents arrive (storefronts relisting under an operator's payment account, one joining two
operators, one listing only a hub, an existing storefront with a new e-mail, a "same" judgement), and the
incremental run is compared, statement by statement, with a full run over a copy of the same store."""

from __future__ import annotations

import hashlib
import shutil

import pytest

from benchmarks.resolution_scale import MARKETS, Shape, build
from graph.records import EdgeStatement, Facts, NodeRef, NodeStatement
from graph.resolution.config import load_config
from graph.resolution import incremental
from graph.resolution.incremental import plan
from graph.resolution.judgements import list_judgements, record_judgement, undo_judgement
from graph.resolution.run import run_resolution
from graph.store import open_store
from graph.store.base import SourceInfo

def _hours_ahead(h: int) -> str:  # the generated graph's Source is stamped with the real time: runs come after it
    from datetime import datetime, timedelta, timezone

    return (datetime.now(timezone.utc) + timedelta(hours=h)).isoformat(timespec="seconds")


T0, T1, T2 = _hours_ahead(1), _hours_ahead(2), _hours_ahead(3)


def sf(n: int, market: str = "ebay") -> NodeRef:
    return NodeRef("Storefront", f"{market}:s{n:08d}")


def add(store, tag: str, storefronts: dict[NodeRef, list[tuple[str, NodeRef]]], at: str) -> None:
    loc = f"{tag} row"
    facts = Facts(records=len(storefronts))
    for ref, links in storefronts.items():
        facts.nodes += [NodeStatement(ref, "key", ref.key, loc), NodeStatement(ref, "name", f"Shop {ref.key}", loc)]
        for etype, dst in links:
            facts.nodes.append(NodeStatement(dst, "key", dst.key, loc))
            facts.edges.append(EdgeStatement(etype, ref, dst, loc))
    store.write_source(SourceInfo(sha256=hashlib.sha256(tag.encode()).hexdigest(), path=f"{tag}.csv",
                                  media_type="text/csv", size=1, parser="test", ingested_at=at), [facts])


def dump(url: str):
    """Everything the resolution Source states: operators with their properties, CONTROLS and LINKED edges."""
    with open_store(url) as store:
        ops = {n.key: {k: v for k, v in n.props.items()} for n in store.iter_nodes("Operator")}
        edges = set()
        for node in store.iter_nodes("Storefront"):
            for e, _ in store.neighbours(node.ref, ["LINKED", "CONTROLS"], limit=100_000):
                edges.add((e.type, e.src, e.dst, tuple(sorted(e.props.items()))))
    return ops, edges


def existing(n: int) -> NodeRef:
    """Storefront n of the generated graph."""
    return sf(n, MARKETS[n % len(MARKETS)])


def paypal(op: int) -> NodeRef:
    return NodeRef("PaymentAccount", f"paypal:op{op}.0@example.com")


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """A resolved graph of 3,000 storefronts (built once; tests copy it)."""
    folder = tmp_path_factory.mktemp("inc")
    url = f"sqlite:///{folder}/base.db"
    build(url, 3000, seed=5, shape=Shape(hub_rate=0.08, forwarders=6, agency_rate=0.05, agencies=2))
    with open_store(url) as store:
        run_resolution(store, now=T0)
    return folder / "base.db"


def twins(base, tmp_path):
    """Two copies of the resolved store: one for the incremental run, one for the full run."""
    urls = []
    for name in ("inc.db", "full.db"):
        shutil.copy(base, tmp_path / name)
        urls.append(f"sqlite:///{tmp_path / name}")
    return urls


def news(store) -> None:
    add(store, "relisting", {
        sf(9_000_001): [("PAID_TO", paypal(3))],  # back under operator 3's PayPal account
        sf(9_000_002, "temu"): [("USES_EMAIL", NodeRef("Email", "op7.0@example.net")),
                                ("USES_PHONE", NodeRef("Phone", f"+8613{11:09d}"))],  # joins two operators
        sf(9_000_003): [("SHIPS_FROM", NodeRef("Address", "cn|yiwu|forwarder-1"))],  # a hub only: no link
        sf(9_000_004): [("USES_EMAIL", NodeRef("Email", "cs0@agency-desk.example")),  # a bridge and a real link
                        ("PAID_TO", paypal(20))],
        sf(9_000_005): [("PAID_TO", NodeRef("PaymentAccount", "paypal:brand-new@example.com"))],
    }, T1)
    # an existing storefront is seen with a new e-mail it shares with another operator's storefront
    add(store, "new e-mail", {existing(12): [("USES_EMAIL", NodeRef("Email", "shared@example.org"))],
                              existing(2500): [("USES_EMAIL", NodeRef("Email", "shared@example.org"))]}, T1)


def test_an_incremental_run_equals_a_full_run(base, tmp_path):
    # the two agency mailboxes bridge half the graph: an exact scope takes in every operator they touch
    inc_url, full_url = twins(base, tmp_path)
    for url in (inc_url, full_url):
        with open_store(url) as store:
            news(store)
    with open_store(inc_url) as store:
        result = run_resolution(store, now=T2, incremental=True)
    with open_store(full_url) as store:
        full = run_resolution(store, now=T2, incremental=False)
    assert result.scope is not None and full.scope is None
    assert result.scope.sources == 2 and result.scope.seeds >= 7  # and the owners of the accounts they name
    assert result.scope.storefronts < 3000 * 0.7  # it looked at part of the graph
    inc_ops, inc_edges = dump(inc_url)
    full_ops, full_edges = dump(full_url)
    assert inc_ops == full_ops
    assert inc_edges == full_edges
    # the relisted storefront joined operator 3's operator, which kept its id, and is an alert
    joined = {m.key for op, m in result.new_members()}
    assert sf(9_000_001).key in joined and sf(9_000_003).key not in joined
    assert joined == {m.key for op, m in full.new_members()}


def test_a_judgement_is_resolved_incrementally_and_an_undo_runs_in_full(base, tmp_path):
    inc_url, full_url = twins(base, tmp_path)
    for url in (inc_url, full_url):
        with open_store(url) as store:
            record_judgement(store, existing(1), existing(2900), "same", "analyst", at=T1)
    with open_store(inc_url) as store:
        result = run_resolution(store, now=T2, incremental=True)
        assert result.scope is not None and result.scope.seeds == 2
    with open_store(full_url) as store:
        run_resolution(store, now=T2)
    assert dump(inc_url) == dump(full_url)
    with open_store(inc_url) as store:
        [j] = list_judgements(store)
        undo_judgement(store, j.id)
        assert plan(store, load_config()) is None  # a Source the last run read is gone
        assert run_resolution(store, incremental=True).scope is None


def test_nothing_new_changes_nothing_and_a_new_config_runs_in_full(base, tmp_path):
    inc_url, _ = twins(base, tmp_path)
    before = dump(inc_url)
    with open_store(inc_url) as store:
        result = run_resolution(store, now=T2, incremental=True)
        assert result.scope is not None and result.scope.storefronts == 0 and result.operators == []
    assert dump(inc_url) == before
    other = tmp_path / "other.yaml"
    other.write_text("bands: {accept: 0.9}\n", encoding="utf-8")
    with open_store(inc_url) as store:
        assert plan(store, load_config(other)) is None
        assert plan(store, load_config()) is not None


def test_a_scope_past_the_limit_runs_in_full(base, tmp_path, monkeypatch):
    monkeypatch.setattr(incremental, "MAX_SCOPE", 50)
    inc_url, full_url = twins(base, tmp_path)
    for url in (inc_url, full_url):
        with open_store(url) as store:
            news(store)
    with open_store(inc_url) as store:
        assert run_resolution(store, now=T2, incremental=True).scope is None
    with open_store(full_url) as store:
        run_resolution(store, now=T2)
    assert dump(inc_url) == dump(full_url)
