"""Dashboard responsiveness: the functions the Operator and Search pages call, on a large resolved store.

    python -m benchmarks.dashboard --storefronts 300000 [--db /tmp/dash-bench.db]

The store (benchmarks/dashboard_store.py) is written straight as statements: storefronts in operators of five
plus one operator of 200, each with its PayPal account, phone, address and e-mail, Operator nodes, CONTROLS
and accepted LINKED edges as resolution writes them. An existing ``--db`` of the right size is reused (building
300,000 storefronts takes ~5 minutes on a shared 2-core machine).

Measured uncached (what a first visit costs; the pages cache these per store generation):
- Operator page of the 200-storefront operator: load_page (operator, member links, LINKED edges, scale
  profile), the member / identifier / link / scale / jurisdiction / timeline rows, the network as pyvis HTML,
  and the evidence of one link; target under 2 s.
- the same for a 5-storefront operator;
- Search: dashboard.finder.find for an e-mail, a phone written differently, a storefront key, a name
  substring and a misspelt name (fuzzy); target under 300 ms each;
- generation(store), paid on every page view (it keys the caches);
- once, the first search of a process (the cleaners load phone metadata and the suffix list);
- once each, the Overview's counts, scale ranking and relisting alerts (cached per generation).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

from rich.console import Console
from rich.progress import Progress

from benchmarks.dashboard_store import build_store, operator_key, storefront_key
from dashboard import profile
from dashboard.finder import find
from dashboard.network import render_network
from dashboard.state import generation
from graph.store import open_store
from infringer_graph.tables import make_table

OPERATOR_TARGET_S = 2.0
SEARCH_TARGET_S = 0.3
REPEAT = 3


def operator_page(store, key: str) -> tuple[int, int]:
    """Everything the Operator page computes for one operator; returns (members, HTML bytes)."""
    page = profile.load_page(store, key)
    profile.member_rows(page), profile.aliases(page), profile.identifier_rows(page), profile.link_rows(page)
    profile.profile_rows(page.profile), profile.footprint_rows(store, page), profile.timeline_rows(store, page)
    html = render_network(profile.operator_subgraph(page), focus=[page.node.ref])
    if page.links:
        profile.why_rows(store, page.links[0].src, page.links[0].dst)
    return len(page.view.members), len(html)


def timed(fn, *args) -> tuple[list[float], object]:
    times, out = [], None
    for _ in range(REPEAT):
        t = time.perf_counter()
        out = fn(*args)
        times.append(time.perf_counter() - t)
    return times, out


def ensure_store(path: Path, storefronts: int, console: Console):
    url = f"sqlite:///{path}"
    if path.exists():
        store = open_store(url, create=False)
        have = store.counts()[0].get("Storefront", 0)
        if have == storefronts:
            console.print(f"reusing {path} ({have:,} storefronts)")
            return store, None
        store.close()
        raise SystemExit(f"Error: {path} holds {have:,} storefronts, not {storefronts:,} (remove it or pass --db)")
    store = open_store(url)
    t = time.perf_counter()
    with Progress(console=console) as bar:
        task = bar.add_task("writing storefronts", total=storefronts)
        build_store(store, storefronts, progress=lambda n: bar.advance(task, n))
    return store, time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--storefronts", type=int, default=300_000)
    ap.add_argument("--db", type=Path, default=Path("/tmp/infringer-graph-dash-bench.db"))
    args = ap.parse_args()
    console = Console()
    load = os.getloadavg()[0]
    store, built = ensure_store(args.db, args.storefronts, console)
    nodes, edges = store.counts()
    rows = []

    def add(what: str, times: list[float], target: float | None, note: str = "") -> None:
        first, best = times[0], min(times)
        verdict = "" if target is None else ("met" if max(times) < target else "NOT met")
        rows.append((what, f"{first * 1000:,.0f}", f"{best * 1000:,.0f}",
                     "" if target is None else f"{target * 1000:,.0f}", verdict, note))

    t = time.perf_counter()
    find(store, "warm-up@example.com")  # loads the cleaners' data (phone metadata, suffix list) once per process
    add("first search of the process (cleaners load their data)", [time.perf_counter() - t], None)
    times, gen = timed(generation, store)
    add("generation(store) (every page view)", times, None)
    times, ops = timed(profile.list_operators, store)
    add("list_operators (the page's operator list, cached)", times, None, f"{len(ops):,} operators")
    times, (members, size) = timed(operator_page, store, operator_key(0))
    add("Operator page, 200-storefront operator (data + pyvis HTML + one why-linked)", times, OPERATOR_TARGET_S,
        f"{members} members, HTML {size / 1024:,.0f} KiB")
    times, (members, size) = timed(operator_page, store, operator_key(1234))
    add("Operator page, 5-storefront operator", times, OPERATOR_TARGET_S, f"{members} members")
    for label, fn in (("Overview: counts by type (cached per generation)", store.counts),
                      ("Overview: top operators by scale (the 50 largest ranked)", lambda: profile.top_by_scale(store)),
                      ("Overview: recent relisting alerts", lambda: profile.recent_alerts(store))):
        t = time.perf_counter()
        fn()
        add(label, [time.perf_counter() - t], None, "once")
    queries = [("e-mail", "shop123456.cs@gmail.com"), ("phone, written differently", "+86 138 0000 4321"),
               ("storefront key", storefront_key(4242)), ("name substring", "Zorvex"),
               ("misspelt name (fuzzy)", "Sunny Zorvexx Dealz")]
    search_times = []
    for label, q in queries:
        times, found = timed(find, store, q)
        search_times += times
        kinds = sorted({f.how for f in found})
        add(f"Search: {label} ({q!r})", times, SEARCH_TARGET_S, f"{len(found)} results ({', '.join(kinds) or '-'})")
    store.close()
    title = (f"Dashboard functions on {nodes.get('Storefront', 0):,} storefronts ({sum(nodes.values()):,} nodes, "
             f"{sum(edges.values()):,} edges); first call and best of {REPEAT}, ms; load {load:.1f} at the start")
    console.print(make_table(title, ("function", "first", "best", "target", "target met", "notes"), rows,
                             numeric=("first", "best", "target")))
    console.print(f"search median {statistics.median(search_times) * 1000:,.0f} ms over {len(search_times)} calls"
                  + (f"; store built in {built:,.0f} s" if built else ""))


if __name__ == "__main__":
    main()
