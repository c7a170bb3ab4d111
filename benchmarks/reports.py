"""Report rendering on a 300-defendant case: every report of `infringer-graph report` and the interop exports.

    python -m benchmarks.reports --defendants 300

The case is the synthetic seller table of benchmarks/synthetic.py (every 5 consecutive storefronts share a
PayPal account, so 300 defendants resolve into 60 operators), ingested and resolved into a fresh embedded
store; then every report is written for all 300 defendants (the dossier: all 60 operators, one network
picture each). Target: each 300-defendant report renders in under 30 s.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from rich.console import Console

from benchmarks.synthetic import write_seller_table
from graph.reports.defendants import write_defendants
from graph.reports.dossier import write_dossier
from graph.reports.interop import export_interop
from graph.reports.joinder import write_joinder
from graph.reports.restraint import write_restraint
from graph.reports.selection import select_defendants
from graph.reports.service import write_service
from graph.resolve import run_resolution
from graph.store import open_store
from infringer_graph.tables import make_table
from ingest.run import ingest_file

TARGET_S = 30.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--defendants", type=int, default=300)
    args = ap.parse_args()
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        table = write_seller_table(out / "sellers.csv", args.defendants)
        with open_store(f"sqlite:///{tmp}/bench.db") as store:
            t = time.perf_counter()
            ingest_file(store, table)
            clusters, _ = run_resolution(store)
            prepared = time.perf_counter() - t
            t = time.perf_counter()
            sel = select_defendants(store, all_operators=True)
            selected = time.perf_counter() - t
            n = len(sel.defendants)
            jobs = [("defendants (XLSX)", "a.xlsx", lambda p: write_defendants(sel, p, group_by_operator=True)),
                    ("defendants (CSV)", "a.csv", lambda p: write_defendants(sel, p)),
                    ("restraint (XLSX, a sheet per institution)", "r.xlsx", lambda p: write_restraint(store, sel, p)),
                    ("service (XLSX)", "s.xlsx", lambda p: write_service(store, sel, p)),
                    ("joinder memo (HTML)", "j.html", lambda p: write_joinder(store, sel, p)),
                    ("joinder memo (PDF)", "j.pdf", lambda p: write_joinder(store, sel, p)),
                    (f"dossier, {len(sel.operators)} operators (HTML)", "d.html", lambda p: write_dossier(store, sel, p)),
                    (f"dossier, {len(sel.operators)} operators (PDF)", "d.pdf", lambda p: write_dossier(store, sel, p)),
                    ("export ftm", "e.jsonl", lambda p: export_interop(store, "ftm", p)),
                    ("export graphml", "g.graphml", lambda p: export_interop(store, "graphml", p)),
                    ("export neo4j-csv", "neo", lambda p: export_interop(store, "neo4j-csv", p))]
            rows = [("ingest + resolve (not a report)", f"{prepared:.2f} s", f"{len(clusters)} operators", ""),
                    ("select defendants (load operators)", f"{selected:.2f} s", f"{n} defendants", "")]
            worst = 0.0
            for name, file_name, job in jobs:
                path = out / file_name
                t = time.perf_counter()
                job(path)
                took = time.perf_counter() - t
                size = sum(f.stat().st_size for f in path.iterdir()) if path.is_dir() else path.stat().st_size
                worst = max(worst, took) if not name.startswith("export") else worst
                rows.append((name, f"{took:.2f} s", f"{n / took:,.0f} defendants/s", f"{size / 1024:,.0f} KiB"))
            rows.append(("target: slowest report + selection", f"{worst + selected:.2f} s",
                         f"< {TARGET_S:.0f} s: " + (f"met ({TARGET_S / (worst + selected):.1f}x headroom)"
                                                    if worst + selected < TARGET_S else "MISSED"), ""))
    Console().print(make_table(f"Reports for {args.defendants} defendants (load {load:.1f} at start)",
                               ("measure", "time", "rate", "size"), rows))


if __name__ == "__main__":
    main()
