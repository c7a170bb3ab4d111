"""``python -m benchmarks.nlp_eval.compare --old-ref REF [--rounds 16]``: CPU cost of this checkout's nlp/
against an older commit's, measured in ONE process, interleaved (on a shared machine, separate runs see
different contention; in one process both see the same).

The older ``nlp/`` is extracted with ``git archive REF nlp`` into a temporary folder and imported as
``nlp_old`` (its spaCy factory and tokenizer names prefixed ``old_`` so both register). Each round makes
32 KB of fresh synthetic notes (a new seed), runs both pipelines over them (alternating which goes first)
with the graph cleaners' memo cleared before each run, and adds up CPU seconds. Prints KB per CPU-second of
each and the ratio as a rich table.
"""

from __future__ import annotations

import argparse
import io
import re
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

from rich.console import Console

from infringer_graph.tables import make_table

ROOT = Path(__file__).resolve().parents[2]


def _old_package(ref: str, into: Path) -> None:
    data = subprocess.run(["git", "-C", str(ROOT), "archive", ref, "nlp"], capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(into, filter="data")
    pkg = into / "nlp_old"
    (into / "nlp").rename(pkg)
    for path in [*pkg.glob("*.py"), *pkg.glob("configs/*.cfg")]:
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"\bfrom nlp(\.| import)", r"from nlp_old\1", text)
        text = re.sub(r'(Language\.factory\(|registry\.tokenizers\(|add_pipe\()"ig_', r'\1"old_ig_', text)
        text = re.sub(r'= "ig_', '= "old_ig_', text)
        path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.nlp_eval.compare", description=__doc__)
    ap.add_argument("--old-ref", required=True, help="the commit whose nlp/ to compare against")
    ap.add_argument("--rounds", type=int, default=16, help="rounds of 32 KB (default 16)")
    args = ap.parse_args(argv)
    import graph.clean as graph_clean
    from nlp.pipeline import extract_many as new_many, load_pipeline as new_load

    from benchmarks.nlp_eval.__main__ import DEFAULT, synthetic_text
    from benchmarks.nlp_eval.score import read_gold

    with tempfile.TemporaryDirectory() as tmp:
        try:
            _old_package(args.old_ref, Path(tmp))
        except subprocess.CalledProcessError as exc:
            print(f"Error: git archive {args.old_ref}: {exc.stderr.decode(errors='replace').strip()}",
                  file=sys.stderr)
            return 1
        sys.path.insert(0, tmp)
        from nlp_old.pipeline import extract_many as old_many, load_pipeline as old_load

        pipes = {"old": (old_many, old_load(False)), "new": (new_many, new_load(False))}
        gold = [(p.text, p.watchlist) for p in read_gold(DEFAULT)]
        for many, nlp in pipes.values():
            list(many(gold, nlp=nlp))  # lazy loads
        cpu = {"old": 0.0, "new": 0.0}
        kb = 0.0
        for r in range(args.rounds):
            texts = synthetic_text(32, seed=100 + r)
            kb += sum(len(t.encode("utf-8")) for t in texts) / 1024
            for name in (("old", "new") if r % 2 == 0 else ("new", "old")):
                many, nlp = pipes[name]
                graph_clean._clean_cached.cache_clear()
                started = time.process_time()
                list(many(((t, ["Nike"]) for t in texts), nlp=nlp))
                cpu[name] += time.process_time() - started
    rows = [(f"{args.old_ref} (old)", f"{kb:,.0f}", f"{cpu['old']:.2f}", f"{kb / cpu['old']:,.0f}", "1.00"),
            ("this checkout (new)", f"{kb:,.0f}", f"{cpu['new']:.2f}", f"{kb / cpu['new']:,.0f}",
             f"{cpu['old'] / cpu['new']:.2f}")]
    Console().print(make_table("nlp/ CPU cost, one process, interleaved rounds of synthetic notes",
                               ["pipeline", "KB", "CPU seconds", "KB per CPU-second", "speed-up"], rows,
                               numeric=["KB", "CPU seconds", "KB per CPU-second", "speed-up"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
