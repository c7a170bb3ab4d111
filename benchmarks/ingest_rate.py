"""Seller-table ingest rate into the embedded store: rows/s and peak memory.

    python -m benchmarks.ingest_rate --rows 100000
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from rich.console import Console

from benchmarks.synthetic import write_seller_table
from graph.store import open_store
from infringer_graph.tables import make_table
from ingest.run import ingest_file


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_seconds() -> tuple[float, float]:
    """CPU time of this process (parsing, writing) and of its (finished) cleaning workers."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, kids.ru_utime + kids.ru_stime


def _load() -> str:
    try:
        return open("/proc/loadavg").read().split()[0]
    except OSError:
        return "?"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        table = write_seller_table(Path(tmp) / "sellers.csv", args.rows, args.seed)
        size = table.stat().st_size
        rss_before = _rss_mib()
        with open_store(f"sqlite:///{tmp}/bench.db") as store:
            load_before = _load()
            (main0, kids0), t0 = _cpu_seconds(), time.perf_counter()
            result = ingest_file(store, table)
            elapsed = time.perf_counter() - t0
            main1, kids1 = _cpu_seconds()
            main, kids = main1 - main0, kids1 - kids0
            cpu = main + kids
            nodes, edges = store.counts()
            t1 = time.perf_counter()
            again = ingest_file(store, table)
            noop = time.perf_counter() - t1
        db_size = sum(p.stat().st_size for p in Path(tmp).glob("bench.db*"))
    rows = [
        ("rows", f"{args.rows:,}"), ("file size", f"{size / 2**20:.1f} MiB"), ("status", result.status),
        ("nodes / edges", f"{sum(nodes.values()):,} / {sum(edges.values()):,}"),
        ("statements", f"{result.statements:,}"), ("time", f"{elapsed:.1f} s"),
        ("rows/s", f"{args.rows / elapsed:,.0f}"), ("MiB/s", f"{size / 2**20 / elapsed:.2f}"),
        ("CPU time (all processes)", f"{cpu:.1f} s = {1000 * cpu / args.rows:.2f} ms per row"),
        ("  main process (parse, write)", f"{main:.1f} s = {1000 * main / args.rows:.2f} ms per row, "
                                          f"busy {100 * main / elapsed:.0f}% of the time"),
        ("  cleaning workers", f"{kids:.1f} s = {1000 * kids / args.rows:.2f} ms per row"),
        ("rows per CPU-second", f"{args.rows / cpu:,.0f}"),
        ("machine load (1 min) at start", load_before),
        ("peak RSS (main process)", f"{_rss_mib():.0f} MiB (before ingest {rss_before:.0f} MiB)"),
        ("peak RSS (largest worker)", f"{resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.0f} MiB"),
        ("store size", f"{db_size / 2**20:.0f} MiB ({db_size / size:.1f}x the CSV)"),
        ("re-ingest (same bytes)", f"{again.status} in {noop:.2f} s"),
    ]
    Console().print(make_table(f"Seller-table ingest, embedded store ({args.rows:,} rows)", ("measure", "value"), rows))


if __name__ == "__main__":
    main()
