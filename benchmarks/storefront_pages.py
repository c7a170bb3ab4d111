"""Saved storefront pages ingested into a fresh embedded store: pages/s per kind of page and overall.

    python -m benchmarks.storefront_pages --copies 40

Every fixture under tests/fixtures/ingest/storefront is written ``--copies`` times, each copy with
its own bytes (a trailing comment naming the copy, so each is a new Source), and all copies are
ingested one file at a time as ``infringer-graph ingest`` does (hash, detect, parse, clean, write).
"""

from __future__ import annotations

import argparse
import io
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from rich.console import Console

from graph.store import open_store
from infringer_graph.tables import make_table
from ingest.base import ParseContext
from ingest.run import ingest_file
from ingest.storefront_page import StorefrontPageHTML, StorefrontPageMHTML

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "ingest" / "storefront"
KINDS = (".html", ".mhtml")


def _copy(data: bytes, suffix: str, i: int) -> bytes:
    if suffix == ".mhtml":  # after the closing boundary: the epilogue, which MIME readers ignore
        return data + f"\r\nbenchmark copy {i}\r\n".encode("ascii")
    return data + f"\n<!-- benchmark copy {i} -->\n".encode("ascii")


def write_copies(folder: Path, copies: int) -> list[tuple[str, Path]]:
    files = []
    fixtures = sorted(p for p in FIXTURES.iterdir() if p.suffix in KINDS)
    for i in range(copies):
        for fixture in fixtures:  # interleaved, as a folder of captures would be
            path = folder / f"{fixture.stem}-{i:04d}{fixture.suffix}"
            path.write_bytes(_copy(fixture.read_bytes(), fixture.suffix, i))
            files.append((fixture.name, path))
    return files


def parse_seconds(path: Path) -> float:
    """Time to parse one page from memory (the parser alone: no hashing, detection, cleaning or store)."""
    cls = StorefrontPageMHTML if path.suffix == ".mhtml" else StorefrontPageHTML
    data = path.read_bytes()
    t0 = time.perf_counter()
    list(cls().parse(io.BufferedReader(io.BytesIO(data)), ParseContext(path=path.name)))
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--copies", type=int, default=40, help="copies of each fixture (default 40)")
    args = ap.parse_args()
    times: dict[str, list[float]] = defaultdict(list)
    parsing: dict[str, float] = defaultdict(float)
    sizes: dict[str, int] = defaultdict(int)
    statuses: dict[str, set[str]] = defaultdict(set)
    with tempfile.TemporaryDirectory() as tmp:
        files = write_copies(Path(tmp), args.copies)
        with open_store(f"sqlite:///{tmp}/bench.db") as store:
            ingest_file(store, files[0][1])  # warm-up: imports, schema, suffix list (not counted)
            store.retract_source(store.sources()[0].sha256)
            t_all = time.perf_counter()
            for name, path in files:
                t0 = time.perf_counter()
                result = ingest_file(store, path)
                times[name].append(time.perf_counter() - t0)
                sizes[name] += path.stat().st_size
                statuses[name].add(result.status)
            elapsed = time.perf_counter() - t_all
            nodes, edges = store.counts()
        for name, path in files:
            parsing[name] += parse_seconds(path)

    def row(label: str, names: list[str], size: str = "", status: str = "") -> tuple:
        n = sum(len(times[x]) for x in names)
        t, p = sum(sum(times[x]) for x in names), sum(parsing[x] for x in names)
        return (label, n, size, f"{t / n * 1000:.1f} ms", f"{n / t:,.1f}", f"{p / n * 1000:.1f} ms", f"{n / p:,.0f}",
                status)

    rows = [row(Path(name).stem, [name], f"{sizes[name] / len(times[name]) / 1024:,.0f} KiB",
                ", ".join(sorted(statuses[name]))) for name in sorted(times)]
    rows.append(row("all but the 2 MB hostile page", [n for n in times if not n.startswith("hostile")]))
    rows.append(row("all pages", list(times), f"{sum(sizes.values()) / 2**20:.1f} MiB"))
    console = Console(width=max(Console().width, 110))
    console.print(make_table(f"Storefront pages into a fresh embedded store ({args.copies} copies of each fixture)",
                             ("pages of", "pages", "size", "ingest/page", "ingested/s", "parse/page", "parsed/s",
                              "status"), rows,
                             numeric=("pages", "size", "ingest/page", "ingested/s", "parse/page", "parsed/s")))
    console.print(f"{len(files)} pages in {elapsed:.1f} s ({len(files) / elapsed:,.1f} pages/s end to end); "
                  f"store: {sum(nodes.values()):,} nodes, {sum(edges.values()):,} edges; target: 50 pages/s. "
                  "ingest = hash + detect + parse + clean + write one Source; parse = the parser alone.")


if __name__ == "__main__":
    main()
