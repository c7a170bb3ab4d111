"""What the issue's 60 s at 1M storefronts would cost with a compact result: a probe of a persistence the product
does not have yet. The run is written into three plain tables keyed by run (operators; members: storefront ->
operator; links: the accepted trees and the review queue, with or without their explanation JSON) instead of
Operator nodes and CONTROLS / LINKED edges with one assertion each. Timed per step, so the note can say which
design meets the target and what the explanation costs.

    python -m benchmarks.resolution_compact /tmp/scale/scale-1000000-1.db
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from rich.console import Console

from graph.resolution.config import load_config
from graph.resolution.run import Result, collections_paused, resolve
from graph.resolution.signals import signals_json
from graph.store import open_store
from infringer_graph.tables import make_table

from benchmarks.resolution_once import _cpu, _load

TABLES = (
    "CREATE TABLE run_operator(run INTEGER, id TEXT, name TEXT, created TEXT, size INTEGER, PRIMARY KEY(run, id))"
    " WITHOUT ROWID",
    "CREATE TABLE run_member(run INTEGER, storefront INTEGER, operator TEXT, confidence REAL, since TEXT,"
    " PRIMARY KEY(run, storefront)) WITHOUT ROWID",
    "CREATE TABLE run_link(run INTEGER, x INTEGER, y INTEGER, band INTEGER, score REAL, signals TEXT,"
    " PRIMARY KEY(run, x, y)) WITHOUT ROWID",
)


def _written_links(result: Result) -> np.ndarray:
    """The rows of the link table a run writes (each operator's tree, the review queue), in storefront order."""
    table = result.table
    rows = np.concatenate([np.asarray(op.tree, dtype=np.int64) for op in result.operators] + [result.review_ids])
    return rows[np.lexsort((table.y[rows], table.x[rows]))]


def write_compact(con: sqlite3.Connection, result: Result, run: int, explained: bool) -> list[tuple[str, float, float]]:
    """Write ``result`` as run ``run`` of the compact tables; (step, wall s, CPU s) per step."""
    steps: list[tuple[str, float, float]] = []

    def timed(name: str, work: Callable[[], object]) -> object:
        t, c = time.perf_counter(), _cpu()
        out = work()
        steps.append((name, time.perf_counter() - t, _cpu() - c))
        return out

    table = result.table
    pos = {ref: i for i, ref in enumerate(table.pv.refs)}
    ops = result.operators
    timed(f"operators ({len(ops):,}) and members", lambda: (
        con.executemany("INSERT INTO run_operator VALUES (?,?,?,?,?)",
                        ((run, o.id, o.id, o.created, len(o.members)) for o in ops)),
        con.executemany("INSERT INTO run_member VALUES (?,?,?,?,?)",
                        sorted((run, pos[m], o.id, o.confidence[m], o.since[m]) for o in ops for m in o.members))))
    rows = _written_links(result)
    x, y = table.x[rows].tolist(), table.y[rows].tolist()
    signals: list[str | None] = [None] * len(rows)
    if explained:
        signals = timed("explanations (signals JSON)", lambda: [
            s for start in range(0, len(rows), 20_000) for s in signals_json(table, rows[start:start + 20_000])])
    timed(f"links ({len(rows):,}){' with their explanations' if explained else ''}", lambda: con.executemany(
        "INSERT INTO run_link VALUES (?,?,?,?,?,?)",
        zip([run] * len(rows), x, y, table.band[rows].tolist(), table.score[rows].tolist(), signals)))
    timed("commit", con.commit)
    return steps


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("store", type=Path, help="an embedded store file with no resolution in it yet")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ig-compact-"))
    try:
        copy = work / "store.db"
        shutil.copyfile(args.store, copy)
        loads = [_load()]
        with open_store(f"sqlite:///{copy}") as store, collections_paused():
            t, c = time.perf_counter(), _cpu()
            result = resolve(store, load_config())
            rows = [("resolve (as benchmarks.resolution_once)", time.perf_counter() - t, _cpu() - c)]
        con = sqlite3.connect(copy)
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=NORMAL")
        for sql in TABLES:
            con.execute(sql)
        with collections_paused():
            rows += write_compact(con, result, 1, explained=True)
            rows += [(f"{name} [run 2: no explanations]", w, c)
                     for name, w, c in write_compact(con, result, 2, explained=False)]
        con.close()
        loads.append(_load())
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        Console().print(make_table(
            f"{result.storefronts:,} storefronts; compact result written twice (with, without explanations); "
            f"peak RSS {rss:,.0f} MiB; load {loads[0]} -> {loads[1]}", ("step", "wall s", "CPU s"),
            [(n, f"{w:.1f}", f"{c:.1f}") for n, w, c in rows], numeric=("wall s", "CPU s")))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
