"""``python -m benchmarks.clean_rate [--against REF] [--values 2000] [--repeats 5]``: microseconds per NEW
value of each identifier cleaner, on the value shapes of the 1M-row seller table (``benchmarks/synthetic.py``)
and of the free-text notes of ``benchmarks.nlp_eval`` (defanged links, addresses without a country hint).

Every value is distinct and the cleaners are called directly (not through the memo of ``graph.clean.clean``);
their inner caches of values (normalised address segments, hosts, registrable domains) are emptied before
each pass (loaded data such as the public-suffix list stays),
so a pass costs what a stream of values never seen before costs. With ``--against REF`` the ``graph/clean``
of an older commit (``git archive``, imported under another name) is measured in the same process, passes
alternating, and the minimum of ``--repeats`` passes of each is shown: on a shared machine only runs made at
the same time compare.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import io
import re
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from random import Random

from rich.console import Console

from infringer_graph.tables import make_table

ROOT = Path(__file__).resolve().parents[1]
_ALNUM = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"


def value_sets(n: int, seed: int = 3) -> list[tuple[str, str, list[tuple[str, dict[str, str]]]]]:
    """(cleaner, shape, [(raw, hint)]): ``n`` distinct values per shape."""
    rng = Random(seed)
    ids = rng.sample(range(100_000, 1_000_000), n)
    cn = {"country": "CN"}
    return [
        ("phone", "+86 138 …, CN (table)", [(f"+86 13{i % 5 + 5} {i // 100:04d} {i % 10000:04d}", cn)
                                                   for i in ids]),
        ("phone", "+852 5…, HK (table)", [(f"+852 5{i % 1000:03d} {i // 100 % 10000:04d}", {"country": "HK"})
                                                for i in ids]),
        ("phone", "(0755) … local, CN", [(f"(0755) {i // 100 % 10000:04d} {i % 10000:04d}", cn) for i in ids]),
        ("address", "Rm n, n/F, …, CN (table)", [
            (f"Rm {i % 900 + 100}, {i % 30 + 1}/F, Block {i % 7}, Shenzhen 518000, CN", cn) for i in ids]),
        ("address", "Room n, …, China (notes)", [
            (f"Room {i}, 12/F, Tower B, {i % 999 + 1} Nanshan Road, Shenzhen 518000, China", {}) for i in ids]),
        ("storefront", "amazon/ebay/aliexpress", [
            (u, {"marketplace": m}) for k, i in enumerate(ids) for m, u in [(
                ("Amazon", "https://www.amazon.com/sp?seller=A" + "".join(rng.choices(_ALNUM, k=13))),
                ("eBay", f"https://www.ebay.com/usr/seller_{i}"),
                ("AliExpress", f"https://www.aliexpress.com/store/{1100000000 + i}"))[k % 3]]]),
        ("url", "hxxps://…[.]com (notes)", [(f"hxxps://kick{i}-outlet[.]com/contact", {})
                                                             for i in ids]),
        ("payment", "PayPal e-mail", [(f"op{i}.pay@outlook.com", {"provider": "paypal", "country": "CN"})
                                             for i in ids]),
        ("email", "shopN.cs@gmail.com", [(f"shop{i}.cs@gmail.com", {}) for i in ids]),
        ("name", "store name", [(f"Sunny Kick Outlet {i}", {}) for i in ids]),
        ("seller", "… Trading Co., Ltd.", [(f"Shenzhen Kick{i} Trading Co., Ltd.", {})
                                                               for i in ids]),
        ("infrastructure", "GTM- / UA- ids", [(f"GTM-K{i}AB" if i % 2 else f"UA-{i}{i % 100:02d}-1", {})
                                                     for i in ids]),
    ]


def _load_ref(ref: str, into: Path) -> str:
    """``graph/clean`` of commit ``ref`` as the package ``clean_ref``; returns its name."""
    data = subprocess.run(["git", "-C", str(ROOT), "archive", ref, "graph/clean"], capture_output=True,
                          check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(into, filter="data")
    pkg = into / "clean_ref"
    (into / "graph" / "clean").rename(pkg)
    for path in pkg.glob("*.py"):
        path.write_text(re.sub(r"\bgraph\.clean\b", "clean_ref", path.read_text(encoding="utf-8")),
                        encoding="utf-8")
    sys.path.insert(0, str(into))
    return "clean_ref"


def _cache_clearer(package: str) -> Callable[[], None]:
    """Empties the caches of values (``lru_cache`` of 64 entries or more) defined in the package's modules;
    loaded data (the public-suffix list, compiled patterns) stays."""
    caches = []
    root = importlib.import_module(package)
    for path in Path(root.__file__).parent.glob("*.py"):
        module = importlib.import_module(f"{package}.{path.stem}") if path.stem != "__init__" else root
        caches += [v for v in vars(module).values()
                   if hasattr(v, "cache_clear") and getattr(v, "__module__", "") == module.__name__
                   and (v.cache_info().maxsize or 64) >= 64]
    return lambda: [c.cache_clear() for c in caches]


def _pass(fn, values, clear) -> float:
    clear()
    gc.collect()
    started = time.perf_counter()
    for raw, hint in values:
        fn(raw, hint)
    return (time.perf_counter() - started) / len(values) * 1e6


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.clean_rate", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--against", metavar="REF", help="also measure graph/clean of this commit (same process)")
    ap.add_argument("--values", type=int, default=2000, help="distinct values per shape (default 2000)")
    ap.add_argument("--repeats", type=int, default=5, help="passes of each; the fastest counts (default 5)")
    args = ap.parse_args(argv)
    packages = ["graph.clean"]
    with tempfile.TemporaryDirectory() as tmp:
        if args.against:
            try:
                packages.insert(0, _load_ref(args.against, Path(tmp)))
            except subprocess.CalledProcessError as exc:
                print(f"Error: git archive {args.against}: {exc.stderr.decode(errors='replace').strip()}",
                      file=sys.stderr)
                return 1
        clears = {p: _cache_clearer(p) for p in packages}
        rows = []
        for name, shape, values in value_sets(args.values):
            fns = {p: importlib.import_module(p).get_cleaner(name) for p in packages}
            for p, fn in fns.items():
                fn(*values[0])  # lazy loads (metadata of the region, suffix list)
            best = {p: float("inf") for p in packages}
            for r in range(args.repeats):
                for p in (packages if r % 2 == 0 else packages[::-1]):
                    best[p] = min(best[p], _pass(fns[p], values, clears[p]))
            now = best["graph.clean"]
            if args.against:
                then = best[packages[0]]
                rows.append((name, shape, f"{then:.1f}", f"{now:.1f}", f"{(now / then - 1) * 100:+.0f}%"))
            else:
                rows.append((name, shape, f"{now:.1f}"))
    columns = ["cleaner", "values", f"{args.against} us", "this checkout us", "change"] if args.against else \
        ["cleaner", "values", "us per new value"]
    Console().print(make_table(f"Cleaners: microseconds per new value ({args.values:,} per shape, fastest of "
                               f"{args.repeats} passes)", columns, rows, numeric=columns[2:]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
