"""Resolution at scale: a synthetic graph of N storefronts written straight into an embedded store, then
``resolve`` timed by phase, and an incremental run after 1k new storefronts arrive (half of them relisting
under a known operator's payment account or phone).

    python -m benchmarks.resolution_scale --storefronts 1000000 --keep /tmp/scale   # builds once, then reuses
    (a run writes its result into the kept store: copy the built store aside to time a first run again)

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


def relist(url: str, n: int, seed: int, operators: int, first: int) -> None:
    """``n`` new storefronts as one Source: half relist under a known operator's payment account or phone
    (the whack-a-mole case), half are new sellers with identifiers of their own."""
    rng = random.Random(seed)
    facts, loc = Facts(records=n), "new storefronts"
    for i in range(n):
        ref = NodeRef("Storefront", f"{MARKETS[i % len(MARKETS)]}:s{first + i:08d}")
        op = rng.randrange(operators) if rng.random() < 0.5 else first + i
        dst = (NodeRef("PaymentAccount", f"paypal:op{op}.0@example.com") if rng.random() < 0.7
               else NodeRef("Phone", f"+8613{op:09d}"))
        facts.nodes += [NodeStatement(ref, "key", ref.key, loc), NodeStatement(ref, "name", "New Shop", loc),
                        NodeStatement(dst, "key", dst.key, loc)]
        facts.edges.append(EdgeStatement("PAID_TO" if dst.type == "PaymentAccount" else "USES_PHONE", ref, dst, loc))
    info = SourceInfo(sha256=hashlib.sha256(f"relist:{n}:{seed}:{first}".encode()).hexdigest(),
                      path=f"(new storefronts, {n}, seed {seed})", media_type="application/x-synthetic", size=0,
                      parser="synthetic", ingested_at=utcnow())
    with open_store(url) as store:
        store.write_source(info, [facts])


def _incremental(url: str) -> list[tuple[str, float, str]]:
    from graph.resolution.config import load_config
    from graph.resolution.run import resolve, write_result

    clock = time.perf_counter
    with open_store(url) as store:
        t = clock()
        result = resolve(store, load_config(), incremental=True)
        took = clock() - t
        sc = result.scope
        what = (f"{sc.sources} new source, {sc.seeds:,} seeds, {sc.storefronts:,} storefronts recomputed, "
                f"{len(result.operators):,} operators" if sc else "NOT incremental: a full run")
        t = clock()
        write_result(store, result)
        return [("find the scope, resolve it", took, what), ("revise the resolution Source", clock() - t,
                                                             f"{len(result.about):,} nodes")]


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _phases(url: str, console: Console) -> list[tuple[str, float, str]]:
    """Resolve and write, timing each phase (the same calls as ``graph.resolution.run.run_resolution``)."""
    from graph.resolution.clusters import assign_ids
    from graph.resolution.config import load_config
    from graph.resolution.forest import group_table
    from graph.resolution.judgements import judgements_in_force, list_judgements
    from graph.resolution.pivots import collect_pivots
    from graph.resolution.run import Result, read_previous, review_queue, write_result
    from graph.resolution.vectors import score_table

    rows, clock = [], time.perf_counter
    with open_store(url) as store:
        cfg, now = load_config(), utcnow()
        t = clock()
        pv = collect_pivots(store)
        rows.append(("read the graph, collect pivots", clock() - t, f"{len(pv.storefronts):,} storefronts, "
                                                                     f"{len(pv.members):,} pivots"))
        t = clock()
        table = score_table(pv, cfg)
        rows.append(("score candidate links (sparse)", clock() - t,
                     f"{len(table):,} links, {table.count('accepted'):,} accepted, {len(table.hubs)} hubs"))
        t = clock()
        judged = judgements_in_force(list_judgements(store))
        table.apply_judgements(judged)
        groups = group_table(table, judged)
        rows.append(("group, spanning trees", clock() - t, f"{len(groups.members):,} operators"))
        t = clock()
        operators = assign_ids(groups.members, groups.trees, groups.best, read_previous(store), now, table=table)
        review = review_queue(table, groups.label)
        rows.append(("stable ids, review queue", clock() - t, f"{len(review):,} links to review"))
        t = clock()
        write_result(store, Result(operators, table, table.hubs, groups.splits, review, cfg,
                                   len(pv.storefronts), now))
        rows.append(("explain and write operators, CONTROLS, LINKED", clock() - t,
                     "one transaction, replaces the last run"))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--storefronts", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--new", type=int, default=1000, help="storefronts added before the second run")
    ap.add_argument("--keep", type=Path, help="folder for the store (reused when it is there)")
    ap.add_argument("--build-only", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--resolve-only", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--incremental-only", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    console = Console()
    import subprocess
    import sys
    import tempfile

    folder = args.keep or Path(tempfile.mkdtemp(prefix="ig-scale-"))
    folder.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{folder / f'scale-{args.storefronts}-{args.seed}.db'}"
    if args.build_only:
        build(url, args.storefronts, args.seed)
        return
    if args.resolve_only or args.incremental_only:
        rows = _phases(url, console) if args.resolve_only else _incremental(url)
        print(repr([(n, round(s, 3), d) for n, s, d in rows] + [("peak RSS MiB", peak_rss_mib(), "")]))
        return
    me = [sys.executable, "-m", "benchmarks.resolution_scale", "--storefronts", str(args.storefronts),
          "--seed", str(args.seed), "--keep", str(folder)]
    db = Path(url.removeprefix("sqlite:///"))
    if not db.exists():
        t = time.perf_counter()
        subprocess.run([*me, "--build-only"], check=True)
        console.print(f"built {args.storefronts:,} storefronts in {time.perf_counter() - t:.0f} s: {db}")

    import ast

    def run(title: str, how: str = "--resolve-only") -> None:
        out = subprocess.run([*me, how], check=True, capture_output=True, text=True).stdout
        rows = ast.literal_eval(out.strip().splitlines()[-1])
        rss = rows.pop()[1]
        total = sum(s for _, s, _ in rows)
        table = [(n, f"{s:.1f}", d) for n, s, d in rows] + [("total", f"{total:.1f}", f"peak RSS {rss:,.0f} MiB")]
        console.print(make_table(title, ("phase", "seconds", "what"), table, numeric=("seconds",)))

    run(f"resolve: {args.storefronts:,} storefronts (first run)")
    if args.new:
        relist(url, args.new, args.seed + 1, args.storefronts // 5, first=args.storefronts + 10_000_000)
        run(f"resolve incrementally after {args.new:,} new storefronts (half relisting)", "--incremental-only")


if __name__ == "__main__":
    main()
