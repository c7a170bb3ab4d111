"""Resolution commands: resolve, review (queue and judgements), why, alerts."""

from __future__ import annotations

import json
from pathlib import Path

import click

from graph.resolution.config import load_config
from graph.resolution.judgements import VERDICTS, list_judgements, record_judgement, undo_judgement
from graph.resolution.queue import require_same_settings, review_queue, signal_text
from graph.resolution.run import Result, read_previous, resolve as resolve_graph, write_result
from graph.resolution.views import evidence_rows, explain_link, find_storefront, link_chain, list_alerts

from infringer_graph.cli import Context, console, main
from infringer_graph.tables import make_table

pass_ctx = click.make_pass_decorator(Context)


def _say(text: str) -> None:
    console.print(text, markup=False, highlight=False)


def _signals(signals, limit: int = 3) -> str:
    parts = []
    for s in signals[:limit]:
        what = s.pivot.key if s.pivot is not None else s.label
        shared = f" ×{s.shared_by}" if s.shared_by > 2 else ""
        parts.append(f"{s.kind} {what}{shared} ({s.weight:.2f}{', hub' if s.hub else ''})")
    return "; ".join(parts) + (" …" if len(signals) > limit else "")


def _run(ctx: Context, config: Path | None, hub_limit: int | None, full: bool = False) -> Result:
    cfg = load_config(config)
    if hub_limit is not None:  # one limit for every kind, e.g. to see what hubs would do unchecked
        from dataclasses import replace

        limit = max(hub_limit, 2)
        cfg = replace(cfg, kinds={k: replace(v, hub=limit, typical=min(v.typical, limit))
                                  for k, v in cfg.kinds.items()})
    store = ctx.store(create=False)
    result = resolve_graph(store, cfg, incremental=not full and hub_limit is None)
    write_result(store, result)
    return result


def _operators_now(ctx: Context) -> int:
    return ctx.store().count_nodes("Operator")


def _print_result(result: Result, names: dict, operators_now: int) -> None:
    if result.scope is not None and result.scope.storefronts == 0:
        _say(f"nothing new since the last run: its {operators_now} operators stand (--full recomputes everything)")
        return
    rows = []
    for op in result.operators:
        strongest = max(op.links, key=lambda l: l.score, default=None)
        rows.append((op.id, len(op.members), names.get(op.members[0], "") or "",
                     ", ".join(m.key for m in op.members[:3]) + (" …" if len(op.members) > 3 else ""),
                     _signals(strongest.signals, 2) if strongest else ""))
    console.print(make_table("Operators", ("operator", "storefronts", "a name", "members", "strongest link"), rows,
                             numeric=("storefronts",)))
    accepted = result.table.count("accepted")
    sc = result.scope
    if sc is not None:
        _say(f"incremental: {sc.sources} new sources since the last run name {sc.seeds} storefronts; "
             f"{sc.storefronts} storefronts recomputed (with the {sc.operators_before} operators they were in), "
             "the rest is as the last run left it (--full recomputes everything)")
    _say(f"{len(result.operators)} operators{' changed' if sc else ''} over {result.linked} storefronts "
         f"(of {result.storefronts}{' looked at' if sc else ''}); {accepted} links accepted, {len(result.review)} "
         f"to review, {len(result.hubs)} hub identifiers ignored")
    for ref, n in result.hubs[:10]:
        _say(f"  hub: {ref.type} {ref.key} shared by {n} storefronts (proposes no links)")
    for split in result.splits:
        j = split.judgement
        _say(f"  split: {j.a.key} / {j.b.key} judged different by {j.who}; cut "
             + ", ".join(f"{l.a.key}~{l.b.key} ({l.score:.2f})" for l in split.removed))
    joined = result.new_members()
    for op, m in joined[:10]:
        _say(f"  alert: {m.key} joined known operator {op.id}")
    if len(joined) > 10:
        _say(f"  … and {len(joined) - 10} more: infringer-graph alerts")


@main.command()
@click.option("--config", type=click.Path(path_type=Path, dir_okay=False),
              help="Weights and thresholds (YAML, any subset of graph/resolution/defaults.yaml).")
@click.option("--hub-limit", type=int, help="Override every kind's hub limit (a pivot shared by more storefronts "
              "proposes no links).")
@click.option("--json", "as_json", is_flag=True, help="All operators as JSON for scripts.")
@click.option("--full", is_flag=True, help="Recompute the whole graph (by default only what the Sources added "
              "since the last run can change is recomputed, when that is possible).")
@pass_ctx
def resolve(ctx: Context, config: Path | None, hub_limit: int | None, as_json: bool, full: bool) -> None:
    """Group storefronts into operators over scored links from shared identifiers."""
    result = _run(ctx, config, hub_limit, full)
    if as_json:
        ops = read_previous(ctx.store())  # every operator as written, also those an incremental run kept
        rows = sorted(((k, sorted(m.key for m in ms), ops.created[k]) for k, ms in ops.members.items()),
                      key=lambda r: (-len(r[1]), r[0]))
        click.echo(json.dumps([{"operator_id": k, "members": ms, "created": c} for k, ms, c in rows],
                              ensure_ascii=False, indent=1))
        return
    proj = ctx.store().projection(node_types=["Storefront"])
    _print_result(result, {ref: proj.names[i] for ref, i in proj.node_ids.items()}, _operators_now(ctx))


@main.group(invoke_without_command=True)
@click.option("--limit", default=50, show_default=True)
@click.option("--config", type=click.Path(path_type=Path, dir_okay=False),
              help="The resolution settings (as for resolve): the queue is brought up to date with them.")
@click.pass_context
def review(click_ctx: click.Context, limit: int, config: Path | None) -> None:
    """The review queue: candidate links between the accept and review thresholds, as the last resolution run
    stored them (brought up to date first when documents or judgements came in since)."""
    if click_ctx.invoked_subcommand is not None:
        return
    ctx: Context = click_ctx.obj
    queue = review_queue(ctx.store(create=False), config, limit=limit)
    if queue.refreshed:
        _say(queue.refreshed)
    rows = [(i, f"{c.score:.2f}", f"{c.a.key}\n{c.a_name}", f"{c.b.key}\n{c.b_name}", signal_text(c.signals))
            for i, c in enumerate(queue.candidates, 1)]
    shown = f", the first {len(rows)}" if len(rows) < queue.total else ""
    console.print(make_table(f"Review queue ({queue.total} links{shown})",
                             ("#", "score", "storefront", "storefront", "signals"), rows, numeric=("#", "score")))
    _say("Judge with: infringer-graph review same|different|unsure KEY_A KEY_B --who NAME [--comment TEXT]")


_SETTINGS = click.option("--config", type=click.Path(path_type=Path, dir_okay=False),
                         help="The resolution settings of the last run (the file given to resolve --config).")


def _same_settings(store, config: Path | None) -> None:
    require_same_settings(store, config, "give that run's file with --config (or run resolve --config FILE first "
                                         "to change the settings)")


def _judge(verdict: str):
    @click.argument("a")
    @click.argument("b")
    @click.option("--who", required=True, help="The reviewer.")
    @click.option("--comment", default="", help="Why.")
    @_SETTINGS
    @pass_ctx
    def command(ctx: Context, a: str, b: str, who: str, comment: str, config: Path | None) -> None:
        store = ctx.store(create=False)
        ra, rb = find_storefront(store, a).ref, find_storefront(store, b).ref
        _same_settings(store, config)
        j = record_judgement(store, ra, rb, verdict, who, comment)
        _say(f"judgement {j.short_id}: {j.a.key} / {j.b.key} {verdict} (by {j.who} at {j.at})")
        result = _run(ctx, config, None)
        where = {m: o.id for o in result.operators for m in o.members}
        together = where.get(j.a) is not None and where.get(j.a) == where.get(j.b)
        _say(f"re-resolved: {_operators_now(ctx)} operators; the two are now "
             f"{'one operator (' + where[j.a] + ')' if together else 'apart'}")

    command.__doc__ = f"Judge two storefronts {verdict} (then re-resolve)."
    return command


for _verdict in VERDICTS:
    review.command(_verdict)(_judge(_verdict))


@review.command("undo")
@click.argument("judgement_id")
@_SETTINGS
@pass_ctx
def review_undo(ctx: Context, judgement_id: str, config: Path | None) -> None:
    """Withdraw a judgement (by its id) and re-resolve."""
    _same_settings(ctx.store(create=False), config)
    j = undo_judgement(ctx.store(create=False), judgement_id)
    _say(f"withdrew judgement {j.short_id}: {j.a.key} / {j.b.key} {j.verdict} (by {j.who} at {j.at})")
    _run(ctx, config, None)
    _say(f"re-resolved: {_operators_now(ctx)} operators")


@review.command("history")
@pass_ctx
def review_history(ctx: Context) -> None:
    """Every judgement in force, oldest first."""
    rows = [(j.short_id, j.at, j.who, j.verdict, j.a.key, j.b.key, j.comment)
            for j in list_judgements(ctx.store(create=False))]
    console.print(make_table("Judgements", ("id", "at", "who", "verdict", "storefront", "storefront", "comment"), rows))


@main.command()
@click.argument("a")
@click.argument("b")
@click.option("--json", "as_json", is_flag=True, help="The chain, signals and evidence as JSON for scripts.")
@pass_ctx
def why(ctx: Context, a: str, b: str, as_json: bool) -> None:
    """Why two storefronts are linked: each signal, its weight, and the documents behind it."""
    store = ctx.store(create=False)
    ra, rb = find_storefront(store, a).ref, find_storefront(store, b).ref
    chain = link_chain(store, ra, rb) or [(ra, rb)]  # no accepted chain: explain the direct (review) link
    if as_json:
        click.echo(json.dumps([_link_json(store, x, y) for x, y in chain], ensure_ascii=False, indent=1))
        return
    if len(chain) > 1:
        _say(f"{ra.key} and {rb.key} are linked through a chain of {len(chain)} links:")
    for x, y in chain:
        _explain(store, x, y)


def _link_json(store, ra, rb) -> dict:
    props, signals = explain_link(store, ra, rb)
    out = {"a": ra.key, "b": rb.key, "score": float(props.get("score", 0)), "band": props.get("band"), "signals": []}
    for s in signals:
        evidence = [{"storefront": side.key, "edge": hop.edge.type, "to": hop.edge.dst.key, "path": ev.path,
                     "sha256": ev.sha256, "locator": ev.locator}
                    for side, hops in zip((ra, rb), s.sides) for hop in hops for ev in hop.evidence]
        out["signals"].append({**s.signal, "evidence": evidence})
    return out


def _explain(store, ra, rb) -> None:
    props, signals = explain_link(store, ra, rb)
    _say(f"{ra.key} ~ {rb.key}: score {props.get('score')} ({props.get('band')})")
    rows = []
    for r in evidence_rows(ra, rb, signals):
        ev, sig = r.evidence, r.signal
        rows.append((sig["kind"], r.pivot, f"{sig['weight']:.2f}", sig.get("shared_by", "") if r.edge else "",
                     r.storefront.key if r.storefront else "",
                     f"{r.edge.type} → {r.edge.dst.key}" if r.edge else "",
                     f"{ev.path} [{ev.sha256[:12]}] {ev.locator}" if ev else "(no document)" if r.edge else ""))
    console.print(make_table("Signals and evidence", ("signal", "pivot", "weight", "shared by", "storefront", "edge",
                                                      "document, sha256, place"), rows))


@main.command()
@click.option("--since", help="Only alerts from this time on (ISO 8601, e.g. 2026-11-01).")
@click.option("--json", "as_json", is_flag=True, help="JSON for scripts.")
@pass_ctx
def alerts(ctx: Context, since: str | None, as_json: bool) -> None:
    """Relisting alerts: storefronts that joined an operator known before (the whack-a-mole case)."""
    found = list_alerts(ctx.store(create=False), since)
    if as_json:
        click.echo(json.dumps([{"joined": a.since, "operator_id": a.operator.key, "storefront_key": a.storefront.key,
                                "name": a.storefront.name,
                                "links": [{"to": n.key, "score": float(p.get("score", 0)),
                                           "signals": json.loads(p.get("signals", "[]"))} for n, p in a.links]}
                               for a in found], ensure_ascii=False, indent=1))
        return
    rows = []
    for al in found:
        best = al.links[0] if al.links else None
        evidence = ""
        if best:
            sigs = json.loads(best[1].get("signals", "[]"))
            evidence = f"{best[0].key} ({best[1].get('score')}): " + "; ".join(
                f"{s['kind']} {s.get('pivot', s.get('label', ''))}" for s in sigs[:3])
        rows.append((al.since, al.operator.key, al.operator.name or "", al.storefront.key, al.storefront.name or "",
                     evidence))
    console.print(make_table("Relisting alerts", ("joined", "operator", "operator name", "storefront", "name",
                                                  "linked by"), rows))
    if not rows:
        _say("no storefront has joined a known operator")
