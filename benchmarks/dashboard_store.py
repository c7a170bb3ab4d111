"""A large resolved store for the dashboard benchmark, written straight as statements (no parsing or cleaning:
the 1M-row ingest benchmark measures that; this one needs the shape of a resolved case at size, fast).

Storefronts come in operators of five (one PayPal account, phone and return address each, a unique e-mail per
storefront), plus one operator of ``big`` storefronts; every operator has its Operator node, CONTROLS edges and
a chain of accepted LINKED edges with signals naming the shared PayPal account, as a resolution run writes them.
Names are two common words and an invented one ("Sunny Zorvex Deals"), so name searches hit many nodes.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Iterator

from graph.records import EdgeStatement, Facts, NodeRef, NodeStatement
from graph.store.base import SourceInfo

WORDS = ["Sunny", "Home", "Bloom", "Kick", "Zone", "Luxe", "Outlet", "Golden", "Time", "Cozy", "Nest", "Trendy",
         "Mega", "Deals", "Vintage", "Star", "Dragon", "Gear", "Phoenix", "Apparel", "Best", "Price", "Mall"]
SYLLABLES = ["zor", "vex", "lin", "qua", "mei", "tar", "bo", "ki", "ran", "dul", "fen", "gro", "hua", "jin", "ko",
             "lux", "mo", "nar", "pi", "sol", "tek", "ul", "vio", "wen", "xi", "ya", "zu"]
MARKETS = ("amazon", "ebay", "aliexpress", "walmart", "temu", "dhgate")
PER_OPERATOR = 5
BATCH = 2_000  # storefronts per Facts batch
PART = 100_000  # storefronts per Source


def operator_key(n: int) -> str:
    return f"op-bench{n:07d}"


def storefront_key(i: int) -> str:
    return f"{MARKETS[i % len(MARKETS)]}:B{i:09d}"


def _name(rng: random.Random) -> str:
    invented = "".join(rng.choices(SYLLABLES, k=rng.randint(2, 3))).capitalize()
    a, b = rng.sample(WORDS, 2)
    return f"{a} {invented} {b}"


def operator_of(i: int, big: int) -> int:
    """Storefronts 0..big-1 belong to operator 0; then operators of five."""
    return 0 if i < big else 1 + (i - big) // PER_OPERATOR


def _facts(start: int, stop: int, big: int, rng: random.Random, path: str) -> Iterator[Facts]:
    facts = Facts()
    for i in range(start, stop):
        op = operator_of(i, big)
        sf = NodeRef("Storefront", storefront_key(i))
        loc = f"row {i + 2}"
        market = MARKETS[i % len(MARKETS)]
        pay = NodeRef("PaymentAccount", f"paypal:op{op}.pay@outlook.com")
        phone = NodeRef("Phone", f"+86138{op:08d}")
        addr = NodeRef("Address", f"CN|RM {100 + op % 900} BLOCK {op} SHENZHEN 518000")
        email = NodeRef("Email", f"shop{i}.cs@gmail.com")
        facts.nodes += [NodeStatement(sf, "name", _name(rng), loc), NodeStatement(sf, "marketplace", market, loc),
                        NodeStatement(sf, "platform_id", sf.key.split(":", 1)[1], loc),
                        NodeStatement(pay, "account", pay.key, loc), NodeStatement(phone, "value", phone.key, loc),
                        NodeStatement(addr, "value", addr.key, loc), NodeStatement(email, "value", email.key, loc)]
        facts.edges += [EdgeStatement("PAID_TO", sf, pay, loc), EdgeStatement("USES_PHONE", sf, phone, loc),
                        EdgeStatement("SHIPS_FROM", sf, addr, loc), EdgeStatement("USES_EMAIL", sf, email, loc)]
        first = 0 if op == 0 else big + (op - 1) * PER_OPERATOR
        opref = NodeRef("Operator", operator_key(op))
        oploc = f"operator {opref.key}"
        if i == first:
            facts.nodes += [NodeStatement(opref, "name", _name(rng), oploc),
                            NodeStatement(opref, "created", "2026-10-01T00:00:00+00:00", oploc)]
        facts.edges.append(EdgeStatement("CONTROLS", opref, sf, oploc, (("confidence", "0.9900"),
                                                                        ("since", "2026-10-01T00:00:00+00:00"))))
        if i > first:
            signals = json.dumps([{"kind": "payment", "pivot": str(pay), "shared_by": 5, "weight": 0.95}])
            facts.edges.append(EdgeStatement("LINKED", NodeRef("Storefront", storefront_key(i - 1)), sf,
                                             f"link {i - 1} ~ {i}", (("band", "accepted"), ("score", "0.9500"),
                                                                     ("signals", signals))))
        facts.records += 1
        if facts.records >= BATCH:
            yield facts
            facts = Facts()
    yield facts


def write_sizes(store, storefronts: int, big: int = 200) -> None:
    """The operators' ``size`` (storefronts controlled), as a resolution run states it, in a Source of its own."""
    last = operator_of(storefronts - 1, big)
    facts = Facts()
    for op in range(last + 1):
        size = big if op == 0 else min(PER_OPERATOR, storefronts - big - (op - 1) * PER_OPERATOR)
        facts.nodes.append(NodeStatement(NodeRef("Operator", operator_key(op)), "size", str(size), f"operator {op}"))
    sha = hashlib.sha256(f"sizes:{storefronts}:{big}".encode()).hexdigest()
    store.write_source(SourceInfo(sha256=sha, path="synthetic/dashboard-bench-operators", media_type="text/csv",
                                  size=0, parser="bench"), [facts])


def build_store(store, storefronts: int, big: int = 200, seed: int = 11, progress=None) -> None:
    """Write ``storefronts`` storefronts (one Source per 100,000) into an empty ``store``, then operator sizes."""
    rng = random.Random(seed)
    for start in range(0, storefronts, PART):
        stop = min(storefronts, start + PART)
        path = f"synthetic/dashboard-bench-{start // PART:03d}.csv"
        sha = hashlib.sha256(f"{seed}:{start}:{stop}:{big}".encode()).hexdigest()
        store.write_source(SourceInfo(sha256=sha, path=path, media_type="text/csv", size=0, parser="bench"),
                           _facts(start, stop, big, rng, path))
        if progress:
            progress(stop - start)
    write_sizes(store, storefronts, big)
