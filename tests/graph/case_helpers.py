"""Stores for the analytics and report tests: the example case (ingested and resolved), and small hand-made
cases whose operators are written directly (as a resolution Source), independent of the resolver."""

from __future__ import annotations

import hashlib
from pathlib import Path

from graph.records import EdgeStatement, Facts, NodeRef, NodeStatement
from graph.resolution.run import run_resolution
from graph.store import open_store
from graph.store.base import GraphStore, SourceInfo
from ingest.run import ingest_file
from tests.conftest import EXAMPLE_CASE, judge_example_case

DEMO_CSV = EXAMPLE_CASE / "schedule_a_sellers.csv"


def demo_store(directory: Path) -> GraphStore:
    store = open_store(f"sqlite:///{directory}/demo.db")
    assert ingest_file(store, DEMO_CSV).status == "ingested"
    judge_example_case(store)
    run_resolution(store)
    return store


def operator_controlling(store: GraphStore, storefront_key: str) -> str:
    """The operator id the resolver gave the storefront (tests name operators by a member, not by id)."""
    ops = [n.key for _, n in store.neighbours(NodeRef("Storefront", storefront_key), edge_types=["CONTROLS"])]
    assert len(ops) == 1, (storefront_key, ops)
    return ops[0]


def write_operators(store: GraphStore, operators: dict[str, list[str]], name: str = "hand-made operators") -> str:
    """Operator nodes and CONTROLS edges as the resolver writes them (a Source with parser 'resolution')."""
    facts = Facts()
    for op, members in operators.items():
        ref = NodeRef("Operator", op)
        facts.nodes += [NodeStatement(ref, "key", op, f"cluster {op}"), NodeStatement(ref, "name", op, f"cluster {op}")]
        for key in members:
            facts.edges.append(EdgeStatement("CONTROLS", ref, NodeRef("Storefront", key), f"cluster {op}",
                                             (("confidence", "1.0"),)))
        facts.records += 1
    sha = hashlib.sha256(repr(sorted(operators.items())).encode()).hexdigest()
    store.write_source(SourceInfo(sha, f"({name})", "application/x-infringer-graph-resolution", 0,
                                  parser="resolution", ingested_at="2026-03-01T12:00:00+00:00"), [facts])
    return sha


def ingest_text(store: GraphStore, path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    result = ingest_file(store, path)
    assert result.status == "ingested", result.reason
