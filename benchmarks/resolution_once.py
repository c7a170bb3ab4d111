"""One full resolution of a store kept by ``benchmarks.resolution_scale --keep DIR``, timed on a fresh copy of it
(wall and CPU seconds of the two halves: computing the result, writing it), with the peak RSS and the load.

    python -m benchmarks.resolution_scale --storefronts 1000000 --keep /tmp/scale --build-only   # once
    python -m benchmarks.resolution_once /tmp/scale/scale-1000000-1.db
"""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import time
from pathlib import Path

from rich.console import Console

from graph.resolution.config import load_config
from graph.resolution.run import resolve, write_result
from graph.store import open_store
from infringer_graph.tables import make_table


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _load() -> str:
    return open("/proc/loadavg").read().split()[0]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("store", type=Path, help="an embedded store file with no resolution in it yet")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ig-once-"))
    try:
        copy = work / "store.db"
        shutil.copyfile(args.store, copy)
        rows = []
        with open_store(f"sqlite:///{copy}") as store:
            loads = [_load()]
            t, c = time.perf_counter(), _cpu()
            result = resolve(store, load_config())
            rows.append(("resolve (pivots, scores, groups, ids, review queue)", time.perf_counter() - t, _cpu() - c))
            t, c = time.perf_counter(), _cpu()
            write_result(store, result)
            rows.append(("explain and write Operators, CONTROLS, LINKED", time.perf_counter() - t, _cpu() - c))
            loads.append(_load())
        rows.append(("total", sum(r[1] for r in rows), sum(r[2] for r in rows)))
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        Console().print(make_table(
            f"{result.storefronts:,} storefronts, {len(result.operators):,} operators; peak RSS {rss:,.0f} MiB; "
            f"load {loads[0]} -> {loads[1]}", ("phase", "wall s", "CPU s"),
            [(n, f"{w:.1f}", f"{c:.1f}") for n, w, c in rows], numeric=("wall s", "CPU s")))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
