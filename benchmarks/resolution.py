"""Resolution accuracy, time and memory on a synthetic corpus with ground truth.

    python -m benchmarks.resolution --operators 2000 [--seed 1] [--keep DIR]

Writes a corpus (``graph.synth``), ingests it into a fresh embedded store, then runs each resolver in
``RESOLVERS`` in a process of its own (so that its peak RSS is its own) and scores the Operators it wrote
with ``graph.evaluate``: B-cubed precision/recall/F1, pairwise precision/recall, time, peak RSS.

The Splink baseline (``benchmarks/splink_baseline.py``) needs the ``bench`` extra (``pip install -e ".[bench]"``);
without it, it is skipped. The worst mistakes of the scored resolver and of Splink follow the table, with the
identifiers across each (``benchmarks/resolution_errors.py``).

Add a resolver by appending ``(name, function)`` to ``RESOLVERS``; the function takes the GraphStore and
writes Operator -[CONTROLS]-> Storefront into it (replacing an earlier resolution's).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.progress import Progress

from graph.evaluate import evaluate, predicted_assignment, read_truth
from graph.store import GraphStore, open_store
from graph.synth import Params, write_corpus
from infringer_graph.tables import make_table


def _baseline(hub_limit: int) -> Callable[[GraphStore], None]:
    def run(store: GraphStore) -> None:
        from graph.resolve import run_resolution

        run_resolution(store, hub_limit=hub_limit)
    return run


def _scored(store: GraphStore) -> None:
    from graph.resolution.run import run_resolution

    run_resolution(store)


def _splink(store: GraphStore) -> None:
    from benchmarks.splink_baseline import resolve_store

    resolve_store(store)


SCORED, SPLINK = "scored resolver (`resolve`, defaults.yaml)", "Splink baseline (DuckDB, EM, p >= 0.02)"
RESOLVERS: list[tuple[str, Callable[[GraphStore], None]]] = [
    (SCORED, _scored),
    ("baseline: components, count hub limit 20", _baseline(20)),
    ("connected components, hubs not suppressed", _baseline(1_000_000)),
    (SPLINK, _splink),
]


def _clear(store: GraphStore) -> None:
    """Forget the previous resolver's Operators."""
    from graph.resolve import RESOLUTION_PARSER

    for s in store.sources():
        if s.parser == RESOLUTION_PARSER:
            store.retract_source(s.sha256)


def run_one(name: str, url: str) -> dict:
    """In a fresh process: run one resolver, report its wall time and the process's peak RSS."""
    fn = dict(RESOLVERS)[name]
    with open_store(url, create=False) as store:
        _clear(store)
        t0 = time.perf_counter()
        fn(store)
        seconds = time.perf_counter() - t0
    return {"seconds": seconds, "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _ingest(docs: Path, url: str, console: Console) -> tuple[float, int]:
    from ingest.run import flatten, ingest_file, iter_files

    files = list(iter_files([docs]))
    t0 = time.perf_counter()
    rejected = 0
    with open_store(url) as store, Progress(console=console, transient=True) as progress:
        task = progress.add_task("ingesting", total=len(files))
        for f in files:
            rejected += sum(r.status == "rejected" for r in flatten([ingest_file(store, f)]))
            progress.advance(task)
    return time.perf_counter() - t0, rejected


def _load() -> str:
    try:
        return open("/proc/loadavg").read().split()[0]
    except OSError:
        return "?"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--operators", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", type=Path, help="Write the corpus and store here (kept) instead of a temp dir.")
    ap.add_argument("--run-one", nargs=2, metavar=("RESOLVER", "STORE_URL"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.run_one:
        print(json.dumps(run_one(*args.run_one)))
        return
    console = Console() if Console().is_terminal else Console(width=160)
    with tempfile.TemporaryDirectory() as tmp:
        root = args.keep or Path(tmp)
        out, url = root / "corpus", f"sqlite:///{root.resolve()}/resolution.db"
        load = _load()
        t0 = time.perf_counter()
        info = write_corpus(Params(operators=args.operators, seed=args.seed), out)
        synth_s = time.perf_counter() - t0
        ingest_s, rejected = _ingest(out / "documents", url, console)
        with open_store(url, create=False) as store:
            nodes, edges = store.counts()
        c = info["counts"]
        console.print(make_table(f"Corpus: {args.operators:,} operators, seed {args.seed}", ("measure", "value"), [
            ("storefronts (operators + decoys)", f"{c['storefronts']:,} ({c['operators']:,} + {c['decoys']:,})"),
            ("largest operator", c["largest_operator"]), ("hubs (storefronts listing one)",
                                                          f"{c['hubs']} ({c['storefronts_listing_a_hub']:,})"),
            ("documents", f"{c['files']:,} ({c['bytes'] / 2**20:.1f} MiB)"),
            ("recall ceiling on shared identifiers (B³ / pairwise)",
             f"{info['recall_ceiling']['bcubed']:.3f} / {info['recall_ceiling']['pairwise']:.3f}"), ("synth time", f"{synth_s:.1f} s"),
            ("ingest time", f"{ingest_s:.1f} s ({rejected} rejected)"),
            ("graph", f"{sum(nodes.values()):,} nodes, {sum(edges.values()):,} edges"),
            ("machine load (1 min) at start", load)]))
        truth = read_truth(out / "truth.csv")
        rows, results, predictions = [], {}, {}
        for name, _ in RESOLVERS:
            if name == SPLINK and importlib.util.find_spec("splink") is None:
                console.print(f"[yellow]{name}: skipped, Splink is not installed (pip install -e '.[bench]')")
                continue
            done = subprocess.run([sys.executable, "-m", "benchmarks.resolution", "--run-one", name, url],
                                  capture_output=True, text=True, check=True)
            cost = json.loads(done.stdout.strip().splitlines()[-1])
            with open_store(url, create=False) as store:
                predictions[name] = predicted_assignment(store)
                r = results[name] = evaluate(truth, predictions[name])
            rows.append((name, f"{r.bcubed.precision:.3f}", f"{r.bcubed.recall:.3f}", f"{r.bcubed.f1:.3f}",
                         f"{r.pairwise.precision:.3f}", f"{r.pairwise.recall:.3f}", f"{r.predicted_clusters:,}",
                         f"{cost['seconds']:.2f}", f"{cost['rss_mib']:.0f}"))
        console.print(make_table(f"Resolution against the truth ({r.items:,} storefronts, {r.true_clusters:,} "
                                 "true operators)",
                                 ("resolver", "B³ P", "B³ R", "B³ F1", "pair P", "pair R", "clusters", "time s",
                                  "peak RSS MiB"), rows,
                                 numeric=("B³ P", "B³ R", "B³ F1", "pair P", "pair R", "clusters", "time s",
                                          "peak RSS MiB")))
        _print_mistakes(console, url, truth, results, predictions)


def _print_mistakes(console: Console, url: str, truth: dict[str, str], results: dict, predictions: dict) -> None:
    """The worst false merges and misses of the scored resolver and of Splink, and what caused the merges."""
    from benchmarks.resolution_errors import CAUSES, cause_rows, mistake_rows
    from graph.resolution.pivots import collect_pivots

    shown = [n for n in (SCORED, SPLINK) if n in results]
    with open_store(url, create=False) as store:
        pv = collect_pivots(store)
    rows = [row for n in shown for row in mistake_rows(n.split(" (")[0], pv, results[n])]
    console.print(make_table("Worst mistakes, and the identifiers across them (kind of N: shared by N storefronts)",
                             ("resolver", "mistake", "size", "identifiers across the boundary"), rows))
    console.print(make_table("Storefronts on the wrong side, by the widest identifier joining them across (to their "
                             "cluster's majority operator, or their operator's largest cluster)",
                             ("resolver", "storefronts", *CAUSES),
                             [row for n in shown for row in cause_rows(n.split(" (")[0], pv, truth, predictions[n])],
                             numeric=CAUSES))


if __name__ == "__main__":
    main()
