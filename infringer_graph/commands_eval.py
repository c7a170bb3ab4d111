"""Subcommands for measuring resolution: ``synth`` (a corpus with ground truth) and ``evaluate``."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import click

from graph.errors import GraphError
from graph.synth.world import Params

from infringer_graph.cli import console, err_console, main
from infringer_graph.commands import pass_ctx
from infringer_graph.tables import make_table

_D = Params()


@main.command()
@click.option("-o", "--output", "out_dir", type=click.Path(path_type=Path), required=True,
              help="Directory to write (documents/, truth.csv, corpus.json, README.txt); must be empty or new.")
@click.option("--operators", default=_D.operators, show_default=True, help="Operators (decoys come on top).")
@click.option("--seed", default=_D.seed, show_default=True, help="Same seed and options: byte-identical files.")
@click.option("--hub-rate", default=_D.hub_rate, show_default=True,
              help="Share of storefronts listing a hub (forwarder warehouse, agency mailbox or phone).")
@click.option("--decoy-rate", default=_D.decoy_rate, show_default=True,
              help="Unrelated sellers with near-copies of real shops' names, as a share of the storefronts.")
@click.option("--noise", default=_D.noise, show_default=True,
              help="Chance that a written identifier is formatted differently (case, phone format, gmail dots...).")
@click.option("--chain-rate", default=_D.chain_rate, show_default=True,
              help="Share of multi-storefront operators linked only through a chain of different identifiers.")
@click.option("--redaction-rate", default=_D.redaction_rate, show_default=True,
              help="Share of WHOIS/RDAP records with a privacy-redacted registrant.")
@click.option("--alias-rate", default=_D.alias_rate, show_default=True,
              help="Share of storefronts known under more than one name.")
@click.option("--fake-address-rate", default=_D.fake_address_rate, show_default=True,
              help="Share of operators giving a fake address that unrelated operators reuse.")
@click.option("--max-storefronts", default=_D.max_storefronts, show_default=True,
              help="Storefronts of the largest operator (sizes follow a power law).")
@click.option("--pdf", is_flag=True, help="Also write a Schedule A exhibit as PDF (needs fpdf2).")
def synth(out_dir: Path, **options) -> None:
    """Write a synthetic case corpus with ground truth (truth.csv) for measuring resolution."""
    from graph.synth import write_corpus

    params = Params(**options)
    params.check()
    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        raise GraphError(f"{out_dir}: exists and is not an empty directory (give a new one)")
    with err_console.status(f"writing the corpus of {params.operators:,} operators"):
        info = write_corpus(params, out_dir)
    c = info["counts"]
    rows = [("operators", c["operators"]), ("  linked only through chains", c["chain_operators"]),
            ("decoy sellers", c["decoys"]), ("storefronts", c["storefronts"]),
            ("largest operator", c["largest_operator"]), ("hub identifiers", c["hubs"]),
            ("storefronts listing a hub", c["storefronts_listing_a_hub"]),
            ("storefronts giving a reused fake address", c["storefronts_listing_a_fake_address"]),
            ("storefronts with aliases", c["storefronts_with_aliases"]),
            ("web shops (redacted WHOIS)", f"{c['web_shops']} ({c['web_shops_redacted']})"),
            ("documents", c["files"]), ("bytes", f"{c['bytes']:,}"),
            ("recall ceiling on shared identifiers (B-cubed / pairwise)",
             f"{info['recall_ceiling']['bcubed']:.3f} / {info['recall_ceiling']['pairwise']:.3f}")]
    console.print(make_table(f"Synthetic corpus in {out_dir}", ("", "count"), rows, numeric=("count",)))
    console.print(f"ingest {out_dir / 'documents'}; score with: evaluate --truth {out_dir / 'truth.csv'}",
                  markup=False, highlight=False)


@main.command()
@click.option("--truth", "truth_path", type=click.Path(path_type=Path), required=True,
              help="Ground truth CSV: storefront_key,operator_id,... (as written by synth).")
@click.option("--worst", default=5, show_default=True, help="False merges and misses to list.")
@click.option("--json", "as_json", is_flag=True, help="JSON for scripts.")
@pass_ctx
def evaluate(ctx, truth_path: Path, worst: int, as_json: bool) -> None:
    """Score the operators in the store against a ground truth (B-cubed and pairwise precision/recall)."""
    from graph.evaluate import evaluate as score, predicted_assignment, read_truth

    truth = read_truth(truth_path)
    result = score(truth, predicted_assignment(ctx.store(create=False)), worst=worst)
    if as_json:
        data = asdict(result)
        for name in ("bcubed", "pairwise"):
            data[name]["f1"] = getattr(result, name).f1
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    b, p = result.bcubed, result.pairwise
    console.print(make_table(f"Resolution against {truth_path}", ("measure", "precision", "recall", "F1"),
                             [("B-cubed", f"{b.precision:.4f}", f"{b.recall:.4f}", f"{b.f1:.4f}"),
                              ("pairwise", f"{p.precision:.4f}", f"{p.recall:.4f}", f"{p.f1:.4f}")],
                             numeric=("precision", "recall", "F1")))
    console.print(f"{result.items} storefronts: {result.true_clusters} true operators, "
                  f"{result.predicted_clusters} predicted clusters; {result.unplaced} storefronts not in the store "
                  f"(scored as singletons), {result.unknown} in the store but not in the truth",
                  markup=False, highlight=False)
    for title, mistakes, what in (("Worst false merges", result.false_merges, "true operators"),
                                  ("Worst misses", result.misses, "predicted clusters")):
        if mistakes:
            console.print(make_table(title, ("cluster", what, "storefronts", "members (storefront: other side)"),
                                     [(m.cluster, m.spread, m.size, _members(m.members)) for m in mistakes],
                                     numeric=(what, "storefronts")))
    if result.unplaced == result.items:
        err_console.print("Warning: none of the truth's storefronts is in the store (wrong store or truth file?)",
                          markup=False, highlight=False)


def _members(members: tuple[tuple[str, str], ...], shown: int = 6) -> str:
    text = ", ".join(f"{k}: {other}" for k, other in members[:shown])
    return text + (f" … (+{len(members) - shown})" if len(members) > shown else "")
