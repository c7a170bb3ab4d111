"""Resolution at scale: a synthetic graph of N storefronts written straight into an embedded store, then
``resolve`` timed by phase, and an incremental run after 1k new storefronts arrive.

    python -m benchmarks.resolution_scale --storefronts 1000000 --keep /tmp/scale   # builds once, then reuses

The graph is written as facts (no document parsing: ingest speed is measured elsewhere). Operators have a
power-law number of storefronts (mean ~5), one to three payment accounts, e-mails, a phone and an address
each; every storefront lists a random subset of its operator's identifiers (so operators are often linked
only through chains), and 2 % of storefronts also list one of a few freight-forwarder hub addresses.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import resource
import time
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.progress import Progress

from graph.records import EdgeStatement, Facts, NodeRef, NodeStatement
from graph.store import open_store
from graph.store.base import SourceInfo, utcnow
from infringer_graph.tables import make_table

MARKETS = ("amazon", "ebay", "walmart", "aliexpress", "temu", "dhgate")
WORDS = ("Sunny", "Home", "Bloom", "Kick", "Zone", "Luxe", "Outlet", "Golden", "Time", "Cozy", "Nest", "Trendy",
         "Mega", "Deals", "Vintage", "Star", "Dragon", "Gear", "Phoenix", "Apparel", "Best", "Price", "Mall")
BATCH = 20_000


def _size(rng: random.Random) -> int:
    return min(300, int(rng.paretovariate(1.3)) + rng.randint(0, 2))


@dataclass(frozen=True)
class Shape:
    """How often storefronts list a forwarder's warehouse (hubs: too widely shared to link anything) or an
    agency's mailbox (shared by storefronts of many operators: bridges, found by the resolver)."""

    hub_rate: float = 0.02
    forwarders: int = 20
    agency_rate: float = 0.0
    agencies: int = 10


def _operator_facts(rng: random.Random, op: int, first: int, size: int, loc: str, facts: Facts,
                    shape: Shape) -> None:
    pays = [NodeRef("PaymentAccount", f"paypal:op{op}.{j}@example.com") for j in range(1 + (size > 8) + (size > 40))]
    mails = [NodeRef("Email", f"op{op}.{j}@example.net") for j in range(1 + (size > 15))]
    phone = NodeRef("Phone", f"+8613{op:09d}")
    addr = NodeRef("Address", f"cn|shenzhen|op{op}")
    for ref in (*pays, *mails, phone, addr):
        facts.nodes.append(NodeStatement(ref, "key", ref.key, loc))
    base = " ".join(rng.sample(WORDS, 2))
    for s in range(first, first + size):
        market = MARKETS[s % len(MARKETS)]
        ref = NodeRef("Storefront", f"{market}:s{s:08d}")
        name = base if rng.random() < 0.5 else " ".join(rng.sample(WORDS, 2))
        facts.nodes += [NodeStatement(ref, "key", ref.key, loc), NodeStatement(ref, "name", name, loc)]
        links = [("PAID_TO", rng.choice(pays)), ("USES_EMAIL", rng.choice(mails)), ("USES_PHONE", phone),
                 ("SHIPS_FROM", addr)]
        chosen = [l for l in links if rng.random() < 0.45] or [links[0]]
        if rng.random() < shape.hub_rate:
            hub = NodeRef("Address", f"cn|yiwu|forwarder-{rng.randrange(shape.forwarders)}")
            facts.nodes.append(NodeStatement(hub, "key", hub.key, loc))
            chosen.append(("SHIPS_FROM", hub))
        if rng.random() < shape.agency_rate:
            agency = NodeRef("Email", f"cs{rng.randrange(shape.agencies)}@agency-desk.example")
            facts.nodes.append(NodeStatement(agency, "key", agency.key, loc))
            chosen.append(("USES_EMAIL", agency))
        facts.edges += [EdgeStatement(t, ref, dst, loc) for t, dst in chosen]


def build(url: str, storefronts: int, seed: int, first: int = 0, label: str = "synthetic graph",
          shape: Shape = Shape()) -> int:
    """Write ``storefronts`` storefronts (numbered from ``first``) as one Source; returns the operator count."""
    rng = random.Random(seed)
    state = {"made": 0, "op": first}

    def gen():
        facts = Facts()
        with Progress(transient=True, disable=storefronts < 50_000) as bar:
            task = bar.add_task(f"writing {label}", total=storefronts)
            while state["made"] < storefronts:
                size = min(_size(rng), storefronts - state["made"])
                op = state["op"]
                _operator_facts(rng, op, first + state["made"], size, f"operator {op}", facts, shape)
                facts.records += size
                state["made"] += size
                state["op"] += 1
                if facts.records >= BATCH:
                    bar.advance(task, facts.records)
                    yield facts
                    facts = Facts()
            yield facts

    digest = hashlib.sha256(f"{label}:{storefronts}:{seed}:{first}".encode()).hexdigest()
    info = SourceInfo(sha256=digest, path=f"({label}, {storefronts} storefronts, seed {seed})",
                      media_type="application/x-synthetic", size=0, parser="synthetic", ingested_at=utcnow())
    with open_store(url) as store:
        store.write_source(info, gen())
    return state["op"] - first


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
