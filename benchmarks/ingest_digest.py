"""Digest of everything an ingest writes, to show that a change to the ingest path changes no result.

    python -m benchmarks.ingest_digest --messy /tmp/messy          # write multi-batch messy tables there first
    python -m benchmarks.ingest_digest /tmp/messy tests/fixtures/ingest tests/fixtures/hostile

Ingests the paths into a new store and prints, per table, the number of rows and a sha256 of them sorted
(statements with their node, prop, value, source path and locator; edge assertions; search terms; unparsed
values; nodes in id order, i.e. in order of first mention), and a sha256 of every file's result (status,
counts, reason, columns, notes). Run it before and after a change (``git stash``) and compare.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sqlite3
import tempfile
from pathlib import Path

from rich.console import Console

from graph.store import open_store
from infringer_graph.tables import make_table
from ingest.run import flatten, ingest_file, iter_files

QUERIES = {
    "nodes (in id order)": "SELECT id, type, key, name, props FROM nodes",
    "node statements": "SELECT n.type, n.key, p.prop, p.value, s.path, p.locator FROM node_props p "
                       "JOIN nodes n ON n.id = p.node_id JOIN sources s ON s.id = p.source_id",
    "edges": "SELECT e.id, e.type, a.type, a.key, b.type, b.key FROM edges e JOIN nodes a ON a.id = e.src "
             "JOIN nodes b ON b.id = e.dst",
    "edge statements": "SELECT e.type, a.key, b.key, s.path, x.locator, x.props FROM edge_assertions x "
                       "JOIN edges e ON e.id = x.edge_id JOIN nodes a ON a.id = e.src JOIN nodes b ON b.id = e.dst "
                       "JOIN sources s ON s.id = x.source_id",
    "search terms": "SELECT n.type, n.key, t.term, t.fts FROM search_terms t JOIN nodes n ON n.id = t.node_id",
    "unparsed values": "SELECT u.id, s.path, u.locator, u.field, u.raw, u.reason, u.subject_type, u.subject_key "
                       "FROM unparsed u JOIN sources s ON s.id = u.source_id",
    "sources": "SELECT sha256, path, media_type, size, parser, captured_at, status, records, error FROM sources",
    "quarantine": "SELECT path, sha256, size, reason FROM quarantine",
}


def _cell(text: str) -> str:
    return '"' + text.replace('"', '""') + '"' if any(ch in text for ch in ',"\n\r') else text


def write_messy_tables(folder: Path, rows: int = 6000, seed: int = 3) -> None:
    """A Schedule A table (title row, BOM, quoted multi-line cells, blank rows, repeated headers, extra cells,
    a cell over the size kept, a cp1252 line, values that do not clean) and a tab-separated disclosure with
    CRLF line ends, both over several batches; the Schedule A table again in UTF-16."""
    rng = random.Random(seed)
    header = "Def. No.,Seller Alias,Store URL,PayPal,E-mail,Customer Service Phone,Return Address,Created,Notes\n"
    out = ["Schedule A - Case No. 1:26-cv-04411 (Amazon defendants),,,\n", ",,,\n", "\ufeff" + header]
    for i in range(rows):
        out += [header] if i % 700 == 699 else []
        out += ["\n"] if i % 333 == 5 else []
        out += [",,,,,,,,\n"] if i % 401 == 7 else []
        cells = [str(i + 1), rng.choice(["Sunny Home", 'Luxe "Outlet"', "Kick, Zone", "Golden\nTime", "  Cozy Nest  "]),
                 rng.choice([f"https://www.amazon.com/sp?seller=A{i:012d}X", f"https://www.ebay.com/usr/s_{i}",
                             f"hxxps://www[.]temu[.]com/shop-m-{i}.html", "not a url", ""]),
                 rng.choice([f"op{i // 5}.pay@outlook.com", "paypal: bad@@x", "", f"P{i:08d}"]),
                 rng.choice([f"shop{i}@gmail.com", f"shop{i} [at] qq [dot] com", "n/a", ""]),
                 rng.choice([f"+86 138{i % 10000:04d} {i % 9999:04d}", "123", f"tel: (852) 5{i % 1000:03d}-{i % 10000:04d} ext 2", ""]),
                 rng.choice([f"Rm {i % 900}, 3/F, Block {i % 7},\nShenzhen 518000, CN", "",
                             f"No. {i} Yiwu Road, Yiwu, Zhejiang 322000, China"]),
                 rng.choice(["2024-03-05", "05/03/2024", "03/05/2024", "yesterday", "", "12 Jan 2025"]),
                 rng.choice(["", "sells fake Nike shoes, contact shop owner Li Wei",
                             "x" * (100_005 if i % 2500 == 11 else 3)])]
        cells += ["extra A", "extra B"] if i % 97 == 3 else []
        out.append(",".join(_cell(c) for c in cells) + "\n")
    data = "".join(out).encode("utf-8").replace(b"Sunny Home", "Caf\u00e9 Sunny".encode("cp1252"), 3)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "messy_sellers.csv").write_bytes(data)
    (folder / "messy_sellers_utf16.csv").write_bytes(
        data.decode("utf-8", errors="replace").replace("\n", "\r\n").encode("utf-16"))
    lines = ["PayPal restrained accounts response\r\n", "Account ID\tAccount Holder Name\tBalance\tCurrency\t"
             "Bank Name\tBank Account\tLast Login IP\tStore Name\r\n"]
    for i in range(rows * 3 // 4):
        lines += ["\t" * 7 + "\r\n"] if i % 900 == 450 else []
        lines.append("\t".join([f"ACC{i:07d}", rng.choice([f"Shenzhen Trading Co {i % 50}", "", "李伟"]),
                                rng.choice([f"{i * 3.7:.2f}", "1,234.50", "abc", ""]), rng.choice(["USD", "CNY", ""]),
                                rng.choice(["Bank of China", ""]), rng.choice([f"6222{i:012d}", ""]),
                                rng.choice([f"10.{i % 250}.{i % 200}.{i % 100}", "999.1.1.1", ""]),
                                rng.choice(["", f"Store {i}"])]) + "\r\n")
    (folder / "paypal_disclosure.tsv").write_bytes("".join(lines).encode("utf-8"))


def digest(paths: list[str]) -> list[tuple[str, str, str]]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        results = []
        with open_store(f"sqlite:///{tmp}/digest.db") as store:
            for path in iter_files(paths):
                for r in flatten([ingest_file(store, path)]):
                    results.append({k: v for k, v in vars(r).items() if k not in ("children", "quarantine_id")})
        conn = sqlite3.connect(f"{tmp}/digest.db")
        for name, sql in QUERIES.items():
            found = sorted(map(repr, conn.execute(sql)))
            rows.append((name, f"{len(found):,}", hashlib.sha256("\n".join(found).encode()).hexdigest()[:16]))
        conn.close()
    shown = json.dumps(results, sort_keys=True).encode()
    rows.append(("file results (notes, columns)", f"{len(results):,}", hashlib.sha256(shown).hexdigest()[:16]))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--messy", type=Path, help="write the messy tables into this folder (and stop)")
    args = ap.parse_args()
    if args.messy:
        write_messy_tables(args.messy)
        Console().print(f"messy tables written to {args.messy}")
        return
    Console().print(make_table(f"Ingest digest of {', '.join(args.paths)}", ("table", "rows", "sha256 (sorted)"),
                               digest(args.paths)))


if __name__ == "__main__":
    main()
