"""The embedded store's bulk path for edge blocks writes exactly what one EdgeStatement per row writes:
every table compared row by row (by keys, not ids) after the same Sources are written both ways."""

from __future__ import annotations

import hashlib
import sqlite3

import pytest

from graph.records import EdgeBlock, EdgeStatement, Facts, NodeRef, NodeStatement
from graph.store import SourceInfo, open_store
from graph.store import sqlite_bulk


def _source(tag: str) -> SourceInfo:
    return SourceInfo(sha256=hashlib.sha256(tag.encode()).hexdigest(), path=f"{tag}.csv", media_type="text/csv",
                      size=1, parser="test", ingested_at="2026-11-22T08:00:00+00:00")


def sf(n: int) -> NodeRef:
    return NodeRef("Storefront", f"ebay:shop{n:03d}")


def table_dump(path) -> dict[str, list]:
    """Every row that says something, with node and edge ids replaced by what they stand for."""
    conn = sqlite3.connect(path)
    node = "(SELECT type || ':' || key FROM nodes WHERE id = {})"
    out = {
        "nodes": conn.execute("SELECT type, key, name, props FROM nodes ORDER BY type, key").fetchall(),
        "props": conn.execute(f"SELECT {node.format('node_id')}, prop, value, s.sha256, locator FROM node_props "
                              "JOIN sources s ON s.id = source_id ORDER BY 1, 2, 3, 4, 5").fetchall(),
        "edges": conn.execute(f"SELECT type, {node.format('src')}, {node.format('dst')} FROM edges "
                              "ORDER BY 1, 2, 3").fetchall(),
        "assertions": conn.execute(
            f"SELECT e.type, {node.format('e.src')}, {node.format('e.dst')}, s.sha256, a.locator, a.props "
            "FROM edge_assertions a JOIN edges e ON e.id = a.edge_id JOIN sources s ON s.id = a.source_id "
            "ORDER BY 1, 2, 3, 4, 5").fetchall(),
        "terms": conn.execute(f"SELECT {node.format('node_id')}, term, fts FROM search_terms ORDER BY 1, 2").fetchall(),
    }
    conn.close()
    return out


def listing(n: int) -> Facts:
    """A seller table's worth of storefronts, some sharing a PayPal account."""
    facts = Facts(records=n)
    for i in range(n):
        facts.nodes += [NodeStatement(sf(i), "key", sf(i).key, f"row {i + 2}"),
                        NodeStatement(sf(i), "name", f"Shop {i}", f"row {i + 2}")]
        pay = NodeRef("PaymentAccount", f"paypal:pay{i // 3}@example.com")
        facts.nodes.append(NodeStatement(pay, "key", pay.key, f"row {i + 2}"))
        facts.edges.append(EdgeStatement("PAID_TO", sf(i), pay, f"row {i + 2}"))
    return facts


def run_facts() -> list[Facts]:
    """A resolution-like Source: operators, CONTROLS in a block, LINKED in a block; with an edge stated twice
    at two places, one stated twice at one place (the later properties win), one another Source stated too
    (LINKED 0 ~ 1 by the analyst's note), and an end no Source has stated yet."""
    ops = Facts()
    src, dst, locs, props = [], [], [], []
    for k in range(4):
        op = NodeRef("Operator", f"op-{k}")
        ops.nodes += [NodeStatement(op, "key", op.key, f"operator {op.key}"),
                      NodeStatement(op, "name", f"Operator {k}", f"operator {op.key}")]
        for i in range(k * 6, k * 6 + 6):
            src.append(op), dst.append(sf(i)), locs.append(f"operator {op.key}")
            props.append(f'{{"confidence": "0.{i:04d}", "since": "2026-11-2{k}"}}')
    src.append(NodeRef("Operator", "op-0")), dst.append(sf(1)), locs.append("operator op-0 (again)")
    props.append('{"confidence": "0.5000", "since": "2026-11-20"}')
    ops.blocks.append(EdgeBlock("CONTROLS", src, dst, locs, props))
    links = EdgeBlock("LINKED", [sf(0), sf(3), sf(0), sf(7), sf(3)], [sf(1), sf(4), sf(1), NodeRef("Storefront", "temu:new1"), sf(4)],
                      ["link a", "link b", "link a2", "link c", "link b"],
                      ['{"band": "accepted", "score": "0.9900"}', '{"band": "review", "score": "0.6000"}',
                       '{"band": "accepted", "score": "0.9900"}', '{"band": "review", "score": "0.5500"}',
                       '{"band": "review", "score": "0.6100", "signals": "[{\\"kind\\": \\"name\\"}]"}'])
    return [ops, Facts(blocks=[links])]


@pytest.mark.parametrize("whole_type", [20_000, 1])  # ends looked up by key, and read for a whole type at once
def test_a_block_writes_what_its_statements_write(tmp_path, monkeypatch, whole_type):
    monkeypatch.setattr(sqlite_bulk, "WHOLE_TYPE", whole_type)
    dumps = []
    for name, as_blocks in (("blocks.db", True), ("statements.db", False)):
        with open_store(f"sqlite:///{tmp_path / name}") as store:
            store.write_source(_source("sellers"), [listing(30)])
            note = Facts(edges=[EdgeStatement("LINKED", sf(0), sf(1), "note, line 3", (("band", "accepted"),))])
            store.write_source(_source("analyst note"), [note])
            batches = run_facts() if as_blocks else [f.unblocked() for f in run_facts()]
            stats = store.write_source(_source("resolution"), batches)
            assert stats.statements == 2 * 4 + 25 + 5
        dumps.append(table_dump(tmp_path / name))
    blocks, statements = dumps
    for table in statements:
        assert blocks[table] == statements[table], table
    assertions = statements["assertions"]
    # the edge two Sources state is one edge with both assertions; the one stated twice at one place, once
    assert [a[3:5] for a in assertions if a[:3] == ("LINKED", "Storefront:ebay:shop000", "Storefront:ebay:shop001")
            ] == sorted([(_source("analyst note").sha256, "note, line 3"), (_source("resolution").sha256, "link a"),
                         (_source("resolution").sha256, "link a2")])
    twice = [a for a in assertions if a[:3] == ("LINKED", "Storefront:ebay:shop003", "Storefront:ebay:shop004")]
    assert len(twice) == 1 and '"signals"' in twice[0][5]
    assert ("Storefront", "temu:new1", None, "{}") in statements["nodes"]


def test_revising_a_source_with_blocks_replaces_its_edges(tmp_path):
    with open_store(f"sqlite:///{tmp_path / 'r.db'}") as store:
        store.write_source(_source("sellers"), [listing(30)])
        store.write_source(_source("resolution"), run_facts())
        op = NodeRef("Operator", "op-0")
        about = {op, *(sf(i) for i in range(6))}
        fewer = EdgeBlock("CONTROLS", [op, op], [sf(0), sf(2)], ["operator op-0", "operator op-0"],
                          ['{"confidence": "0.9000", "since": "2026-11-22"}'] * 2)
        store.revise_source(_source("resolution"), about,
                            [Facts(nodes=[NodeStatement(op, "key", "op-0", "operator op-0")], blocks=[fewer])])
        assert sorted(n.ref for _, n in store.neighbours(op, ["CONTROLS"])) == [sf(0), sf(2)]
        assert len(store.neighbours(NodeRef("Operator", "op-1"), ["CONTROLS"])) == 6
