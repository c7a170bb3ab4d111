"""A whole case corpus on disk: the documents, ``truth.csv``, ``corpus.json`` and ``README.txt``.

``generate_corpus(params)`` is pure (a dict of relative path -> bytes: the same parameters and seed give
byte-identical files); ``write_corpus`` writes it to a directory.
"""

from __future__ import annotations

import csv
import io
import json
import random
from collections import Counter
from pathlib import Path

from graph.synth.documents import (case_caption, write_marketplace_page, write_note, write_rdap,
                                   write_schedule_a_text, write_shop_page, write_whois)
from graph.synth.tables import PLATFORM_LEGAL, write_disclosure, write_seller_table
from graph.evaluate import evaluate
from graph.synth.world import Ident, Params, World, build_world

DOCS = "documents"        # the folder to ingest (truth.csv, corpus.json and README.txt sit beside it)
TRUTH_COLUMNS = ("storefront_key", "operator_id", "marketplace", "url", "name")
SELLER_BATCH = 250        # rows per investigator's seller table
CASE_SIZE = 120           # defendants per Schedule A (about)
PAGE_RATE = 0.3           # marketplace storefronts with a saved profile page
DISCLOSED_EXTRA = 0.2     # marketplace storefronts disclosed though they show no company or login IP


def generate_corpus(params: Params) -> tuple[World, dict[str, bytes]]:
    """The world and its documents (relative path -> bytes)."""
    world = build_world(params)
    rng = random.Random(f"{params.seed}:documents")
    level = params.noise
    files: dict[str, bytes] = {}
    fronts = world.storefronts
    order = fronts[:]
    rng.shuffle(order)

    for b, start in enumerate(range(0, len(order), SELLER_BATCH), 1):
        ext, data = write_seller_table(rng, order[start:start + SELLER_BATCH], b, level)
        files[f"{DOCS}/sellers/seller_list_{b:03d}{ext}"] = data

    cases = max(1, round(len(fronts) / CASE_SIZE))
    named = rng.sample(fronts, k=round(0.7 * len(fronts)))
    for c in range(cases):
        chunk = named[c::cases]
        if chunk:
            files[f"{DOCS}/schedule_a/case_{c + 1:03d}_schedule_a.txt"] = write_schedule_a_text(rng, c + 1, chunk, level)
    if params.pdf and cases:
        from graph.synth.pdf import write_schedule_a_pdf

        chunk = named[0::cases][:60]
        files[f"{DOCS}/schedule_a/case_001_exhibit.pdf"] = write_schedule_a_pdf(rng, 1, chunk, level)

    disclosed: dict[str, list] = {m: [] for m in PLATFORM_LEGAL}
    for s in fronts:
        if s.marketplace == "web":
            continue
        if any(i.kind in ("ip", "company") for i in s.idents) or rng.random() < DISCLOSED_EXTRA:
            disclosed[s.marketplace].append(s)
    for n, (market, rows) in enumerate(disclosed.items(), 1):
        if rows:
            files[f"{DOCS}/disclosures/{market}_disclosure.csv"] = write_disclosure(rng, market, rows,
                                                                             case_caption((n - 1) % cases + 1), level)

    owner = {op.id: op for op in world.operators}
    for s in fronts:
        if s.marketplace == "web":
            files[f"{DOCS}/pages/{s.domain}_contact.html"] = write_shop_page(rng, s, level)
            op = owner[s.operator_id]
            phone = next((i.value for i in s.idents if i.kind == "phone" and i.role != "hub"), None)
            if rng.random() < 0.5:
                files[f"{DOCS}/whois/{s.domain}.txt"] = write_whois(rng, op, s, phone)
            else:
                files[f"{DOCS}/whois/{s.domain}.rdap.json"] = write_rdap(rng, op, s, phone)
        elif rng.random() < PAGE_RATE:
            files[f"{DOCS}/pages/{s.marketplace}_{s.platform_id.lower()}.html"] = write_marketplace_page(rng, s, level)

    multi = [op for op in world.operators if len(op.storefronts) > 1]
    for n in range(1, min(len(multi), max(1, params.operators // 20)) + 1):
        files[f"{DOCS}/notes/test_buy_{n:03d}.md"] = write_note(rng, n, rng.choice(multi), level)

    files["truth.csv"] = truth_csv(world)
    files["corpus.json"] = (json.dumps(describe(world, files), indent=2, sort_keys=True) + "\n").encode("utf-8")
    files["README.txt"] = readme(world, files).encode("utf-8")
    return world, files


def truth_csv(world: World) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(TRUTH_COLUMNS)
    for s in sorted(world.storefronts, key=lambda s: s.key):
        w.writerow([s.key, s.operator_id, s.marketplace, s.url, s.names[-1]])
    return buf.getvalue().encode("utf-8")


def linkable_assignment(world: World) -> dict[str, str]:
    """storefront key -> group: each operator's storefronts joined by the identifiers they share (hubs and
    fake addresses left out). Scored against the truth, its recall is the ceiling for a resolver that links
    only on exact shared identifiers (and normalises perfectly); the rest of an operator is not in evidence."""
    groups: dict[str, str] = {}
    for op in world.operators:
        parent = list(range(len(op.storefronts)))

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i
        first: dict[Ident, int] = {}
        for i, s in enumerate(op.storefronts):
            for ident in s.idents:
                if ident.role in ("hub", "fake"):
                    continue
                j = first.setdefault(ident, i)
                parent[find(i)] = find(j)
        for i, s in enumerate(op.storefronts):
            groups[s.key] = f"{op.id}/{find(i)}"
    return groups


def describe(world: World, files: dict[str, bytes]) -> dict:
    ops = world.operators
    fronts = world.storefronts
    sizes = Counter(len(op.storefronts) for op in ops if op.kind != "decoy")
    idents = [i for s in fronts for i in s.idents]
    ceiling = evaluate({s.key: s.operator_id for s in fronts}, linkable_assignment(world))
    return {
        "generator": "infringer-graph synth",
        "parameters": {k: v for k, v in vars(world.params).items()},
        "counts": {
            "operators": sum(op.kind != "decoy" for op in ops),
            "decoys": sum(op.kind == "decoy" for op in ops),
            "chain_operators": sum(op.kind == "chain" for op in ops),
            "storefronts": len(fronts),
            "storefronts_by_marketplace": dict(sorted(Counter(s.marketplace for s in fronts).items())),
            "largest_operator": max((len(op.storefronts) for op in ops), default=0),
            "operators_by_size": {str(k): v for k, v in sorted(sizes.items())},
            "hubs": len(world.hubs),
            "storefronts_listing_a_hub": sum(any(i.role == "hub" for i in s.idents) for s in fronts),
            "fake_addresses": len(world.fakes),
            "storefronts_listing_a_fake_address": sum(any(i.role == "fake" for i in s.idents) for s in fronts),
            "storefronts_with_aliases": sum(len(s.names) > 1 for s in fronts),
            "web_shops_redacted": sum(1 for op in ops for s in op.storefronts if s.domain and op.redacted),
            "web_shops": sum(1 for s in fronts if s.domain),
            "identifier_mentions": len(idents),
            "files": sum(p.startswith(DOCS + "/") for p in files),
            "files_by_folder": dict(sorted(Counter(p.split("/")[1] for p in files if p.count("/") > 1).items())),
            "bytes": sum(len(b) for p, b in files.items() if p.startswith(DOCS + "/")),
        },
        "recall_ceiling": {"bcubed": round(ceiling.bcubed.recall, 4), "pairwise": round(ceiling.pairwise.recall, 4),
                           "note": "recall of each operator's storefronts joined by shared identifiers "
                                   "(no hubs, no fake addresses): the most a resolver on exact shared "
                                   "identifiers can reach (WHOIS registrants, names and notes can add more)"},
    }


def readme(world: World, files: dict[str, bytes]) -> str:
    info = describe(world, files)
    c = info["counts"]
    params = "\n".join(f"  {k} = {v}" for k, v in info["parameters"].items())
    return f"""Synthetic case corpus written by `infringer-graph synth` (fictional: no real sellers, shops or people).

Ground truth: truth.csv ({', '.join(TRUTH_COLUMNS)}) - one row per storefront, its
graph key (the project's storefront cleaner on the URL) and the operator that runs it; decoys are
operators of their own. Score a resolution with:

  infringer-graph ingest DIR/documents && infringer-graph resolve && infringer-graph evaluate --truth DIR/truth.csv

Parameters:
{params}

{c['operators']} operators ({c['chain_operators']} linked only through chains of identifiers), {c['decoys']} decoy sellers,
{c['storefronts']} storefronts (largest operator: {c['largest_operator']}), {c['hubs']} hub identifiers listed by
{c['storefronts_listing_a_hub']} storefronts, {c['storefronts_listing_a_fake_address']} storefronts giving a reused fake address,
{c['web_shops_redacted']} of {c['web_shops']} web-shop domains with a redacted registrant.
Recall ceiling for linking on exact shared identifiers (hubs and fake addresses left out): B-cubed
{info['recall_ceiling']['bcubed']}, pairwise {info['recall_ceiling']['pairwise']} (the rest is not in evidence).

Folders under documents/: sellers/ (investigators' seller tables), schedule_a/ (court exhibits), disclosures/
(platforms' answers to restraining orders), pages/ (saved storefront pages), whois/ (WHOIS text and
RDAP JSON), notes/ (free-text test-buy notes). corpus.json has all counts.
"""


def write_corpus(params: Params, out_dir: Path) -> dict:
    """Write the corpus for ``params`` into ``out_dir``; returns corpus.json's content."""
    world, files = generate_corpus(params)
    for rel, data in files.items():
        path = out_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return describe(world, files)
