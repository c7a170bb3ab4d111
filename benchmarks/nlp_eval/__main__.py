"""``python -m benchmarks.nlp_eval [GOLD.jsonl]``: precision / recall / F1 per label of the free-text pipeline
(strict span + label match), the "identifiers" and "names" aggregates, relations, and the speed in KB/s
over the set, over the development sets' passages repeated (varied real-looking text) and over a larger
synthetic text (one template: the kindest case)."""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

from rich.console import Console

from infringer_graph.tables import make_table
from nlp.labels import IDENTIFIER_LABELS, NAME_LABELS, OTHER_LABELS, RELATION_TYPES
from nlp.pipeline import extract_many, load_pipeline, model_available

from benchmarks.nlp_eval.score import GROUPS, GoldError, read_gold, score_entities, score_relations, table_rows

DEFAULT = Path(__file__).with_name("gold.jsonl")
DEV_SETS = ("gold", "heldout", "blind2", "blind3", "blind4")   # development sets: their text may be run freely
_SHOPS = ["Sunny Home Store", "Lucky Star Outlet", "Blue Ocean Shop", "Golden Kick Store", "Cozy Nest Mall"]


def synthetic_text(kb: int, seed: int = 11) -> list[str]:
    """Investigator-note-like passages (about 1 KB each) adding up to ``kb`` kilobytes."""
    rng = random.Random(seed)
    out, size = [], 0
    while size < kb * 1024:
        shop = rng.choice(_SHOPS)
        n = rng.randint(100, 999)
        para = (f"Test buy {n}: the seller \"{shop}\" (Merchant ID A{rng.randint(10**11, 10**12 - 1)}XQ) sold us "
                f"{rng.randint(1, 9)} pairs of fake Nlke shoes for US ${rng.randint(10, 90)}.99; the listing shows "
                f"{rng.randint(100, 9000):,}+ sold and {rng.randint(10, 900)} reviews. Payment went to PayPal "
                f"shop{n}@outlook.com, customer service answered from +86 138 {rng.randint(1000, 9999)} "
                f"{rng.randint(1000, 9999)} and WeChat: kick_{n}. Parcel via China Post, order no. "
                f"112-{rng.randint(10**6, 10**7 - 1)}-{rng.randint(10**6, 10**7 - 1)}. The site "
                f"hxxps://kick{n}-outlet[.]com/contact carries GTM-K{n}AB and UA-{rng.randint(10**7, 10**8 - 1)}-1. "
                f"Returns go to Room {n}, 12/F, Tower B, 88 Nanshan Road, Shenzhen 518000, China. The account holder "
                f"is Shenzhen Kick{n} Trading Co., Ltd. and the store claims ${rng.randint(10, 99)},000 in sales.\n\n")
        out.append(para)
        size += len(para.encode("utf-8"))
    return out


def dev_text(kb: int, seed: int = 11) -> list[tuple[str, list[str]]]:
    """The development sets' passages (each with its watchlist), shuffled and repeated up to ``kb``
    kilobytes: the pipeline sees each passage's words again after the first round, as it does over a case's
    documents, but the layouts and languages are the varied ones investigators paste."""
    here = Path(__file__).parent
    base = [(p.text, list(p.watchlist)) for name in DEV_SETS for p in read_gold(here / f"{name}.jsonl")]
    rng, out, size = random.Random(seed), [], 0
    while size < kb * 1024:
        rng.shuffle(base)
        for item in base:
            out.append(item)
            size += len(item[0].encode("utf-8"))
            if size >= kb * 1024:
                break
    return out


def _predict(passages, nlp):
    list(extract_many([("warm-up: sales@example.com +1 415 555 0100 $12.99", ["Example"])], nlp=nlp))  # lazy loads
    started, cpu = time.perf_counter(), time.process_time()
    results = list(extract_many(((p.text, p.watchlist) for p in passages), nlp=nlp))
    return results, time.perf_counter() - started, time.process_time() - cpu


def _cpu() -> float:
    """CPU seconds of this process and its finished worker processes."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _rate(kb: float, seconds: float) -> str:
    return f"{kb / seconds:,.0f}" if seconds > 0 else "-"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.nlp_eval", description=__doc__)
    ap.add_argument("gold", nargs="?", default=str(DEFAULT), help="gold file (NLP_EVAL_FORMAT)")
    ap.add_argument("--synthetic-kb", type=int, default=2048, help="size of the synthetic text for the speed run")
    ap.add_argument("--dev-kb", type=int, default=2048,
                    help="size of the development-set passages, repeated, for the speed run (0: skip)")
    ap.add_argument("--errors", type=int, default=0, help="print this many false positives / negatives")
    ap.add_argument("--processes", type=int, default=2,
                    help="also time the speed texts with extract_many(n_process=N) (default 2)")
    ap.add_argument("--no-model", action="store_true", help="rule-based pipeline even when a model is installed")
    args = ap.parse_args(argv)
    console = Console()
    try:
        passages = read_gold(Path(args.gold))
    except GoldError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    nlp = load_pipeline(False if args.no_model else None)
    with_model = not args.no_model and model_available()
    results, seconds, cpu = _predict(passages, nlp)
    scored = set(IDENTIFIER_LABELS) | set(OTHER_LABELS) | {"STORE_NAME", "COMPANY"}
    if with_model:
        scored.add("PERSON")
    preds = [[(m.start, m.end, m.label) for m in r.mentions] for r in results]
    counts = score_entities(passages, preds, scored)
    rel_preds = []
    for r in results:
        rel_preds.append([(r.mentions[x.head].start, r.mentions[x.tail].end, x.type,
                           (r.mentions[x.head].start, r.mentions[x.head].end, r.mentions[x.head].label),
                           (r.mentions[x.tail].start, r.mentions[x.tail].end, r.mentions[x.tail].label))
                          for x in r.relations if x.type in RELATION_TYPES])
    rel_counts = score_relations(passages, rel_preds)
    labels = [*IDENTIFIER_LABELS, *NAME_LABELS, *OTHER_LABELS]
    groups = {"identifiers": GROUPS["identifiers"],
              "names": tuple(x for x in NAME_LABELS if x in scored)}
    rows = table_rows(counts, labels, groups)
    tp, fp, fn = (sum(c.values()) for c in (rel_counts.tp, rel_counts.fp, rel_counts.fn))
    from benchmarks.nlp_eval.score import prf
    p, r, f = prf(tp, fp, fn)
    rows.append(("relations", tp + fn, tp + fp, tp, f"{p:.3f}", f"{r:.3f}", f"{f:.3f}"))
    pipeline = "rule-based + en_core_web_sm" if with_model else "rule-based (no model)"
    console.print(make_table(f"{args.gold}: {len(passages)} passages, {pipeline}, strict span + label",
                             ["label", "gold", "predicted", "correct", "precision", "recall", "F1"], rows,
                             numeric=["gold", "predicted", "correct", "precision", "recall", "F1"]))
    if args.errors:
        shown = [e for e in counts.errors][: args.errors]
        console.print(make_table("errors (fp = predicted, not in gold; fn = missed)", ["passage", "kind", "label",
                                                                                      "text"], shown))
    set_kb = sum(len(p.text.encode("utf-8")) for p in passages) / 1024
    speed = [("gold set", f"{set_kb:,.1f}", f"{seconds:.2f}", _rate(set_kb, seconds), _rate(set_kb, cpu))]
    corpora = []
    if args.dev_kb > 0:
        corpora.append(("development-set passages", dev_text(args.dev_kb)))
    if args.synthetic_kb > 0:
        corpora.append(("synthetic notes", [(t, ["Nike"]) for t in synthetic_text(args.synthetic_kb)]))
    for what, items in corpora:
        kb = sum(len(t.encode("utf-8")) for t, _ in items) / 1024
        for n in sorted({1, max(1, args.processes)}):
            started, cpu_started = time.perf_counter(), _cpu()
            found = sum(len(x.mentions) for x in extract_many(iter(items), nlp=nlp, n_process=n))
            took, cpu = time.perf_counter() - started, _cpu() - cpu_started
            speed.append((f"{what}, {n} process{'es' if n > 1 else ''} ({found:,} mentions)",
                          f"{kb:,.1f}", f"{took:.2f}", _rate(kb, took), _rate(kb, cpu)))
    console.print(make_table("speed (nlp.pipe, batch 64; CPU-seconds include worker processes; "
                             "target >= 300 KB/s)",
                             ["text", "KB", "seconds", "KB/s", "KB per CPU-second"], speed,
                             numeric=["KB", "seconds", "KB/s", "KB per CPU-second"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
