"""Analytics and report subcommands: operators by scale, jurisdictions, paths, neighbourhoods, communities,
and ``report defendants|restraint|service|joinder|dossier``."""

from __future__ import annotations

import json
from pathlib import Path

import click

from graph.errors import GraphError
from graph.reports.build import REPORTS
from infringer_graph.cli import Context, console, err_console, main
from infringer_graph.tables import make_table

pass_ctx = click.make_pass_decorator(Context)


def _say(text: str) -> None:
    err_console.print(text, markup=False, highlight=False, soft_wrap=True)


@main.command()
@click.option("--by", "order", type=click.Choice(["scale"]), default="scale", show_default=True)
@click.option("--config", "config_path", type=click.Path(path_type=Path, exists=True, dir_okay=False),
              help="A scale configuration (YAML; defaults: graph/analytics/scale.yaml).")
@click.option("--explain", "explain", metavar="OPERATOR", help="Every factor of one operator's score.")
@click.option("--json", "as_json", is_flag=True, help="JSON for scripts.")
@pass_ctx
def operators(ctx: Context, order: str, config_path: Path | None, explain: str | None, as_json: bool) -> None:
    """Operators ranked by commercial scale (factors, not a legal conclusion)."""
    from graph.analytics.network import load_operators
    from graph.analytics.scale import load_config, rank_operators

    store = ctx.store(create=False)
    config = load_config(config_path)
    profiles = rank_operators(store, load_operators(store, [explain] if explain else None), config)
    if as_json:
        click.echo(json.dumps([{"operator": p.operator, "name": p.name, "score": p.score, "candidate": p.candidate,
                                "reason": p.reason, "storefronts": p.storefronts, "marketplaces": list(p.marketplaces),
                                "factors": {f.name: {"value": f.value, "points": f.points, "explanation": f.explanation}
                                            for f in p.factors}} for p in profiles], ensure_ascii=False, indent=2))
        return
    if explain:
        p = profiles[0]
        console.print(make_table(f"Scale of {p.name} ({p.operator}): {p.score:g}"
                                 f"{', commercial-scale candidate' if p.candidate else ''}",
                                 ("factor", "value", "points", "of", "explanation"),
                                 [(f.label, "unknown" if f.value is None else f"{f.value:g}", f"{f.points:g}",
                                   f"{f.weight:g}", f.explanation) for f in p.factors], numeric=("points", "of")))
        console.print(p.reason, markup=False, highlight=False)
        return
    if not profiles:
        console.print("No operators yet: run `infringer-graph resolve` first.", markup=False, highlight=False)
        return
    rows = [(i, p.operator, p.name, p.storefronts, len(p.marketplaces), f"{p.score:g}", "yes" if p.candidate else "",
             "; ".join(f"{f.name} {f.points:g}" for f in p.factors if f.points)) for i, p in enumerate(profiles, 1)]
    console.print(make_table("Operators by commercial scale", ("#", "operator", "name", "storefronts", "marketplaces",
                                                               "score", "candidate", "points from"), rows,
                             numeric=("#", "storefronts", "marketplaces", "score")))
    console.print(f"{sum(p.candidate for p in profiles)} of {len(profiles)} operators are commercial-scale "
                  "candidates; `--explain OPERATOR` shows every factor.", markup=False, highlight=False)


@main.command()
@click.argument("operator_ids", nargs=-1)
@pass_ctx
def jurisdictions(ctx: Context, operator_ids: tuple[str, ...]) -> None:
    """Countries behind each operator (addresses, phones, banks, payment providers, ccTLDs), with evidence."""
    from graph.analytics.jurisdiction import operator_footprint
    from graph.analytics.network import load_operators
    from graph.reports.selection import cite_all

    store = ctx.store(create=False)
    for view in load_operators(store, operator_ids or None):
        rows = []
        for country, facts in operator_footprint(store, view).countries().items():
            seen = {}
            for f in facts:
                seen.setdefault((f.basis, f.value), []).append(f)
            for (basis, value), fs in sorted(seen.items()):
                rows.append((country, basis, value, len({f.storefront for f in fs}),
                             cite_all([e for f in fs for e in f.evidence], limit=1)))
        console.print(make_table(f"Jurisdictions of {view.name} ({view.key})",
                                 ("country", "basis", "value", "storefronts", "evidence"), rows,
                                 numeric=("storefronts",)))


@main.command()
@click.argument("a")
@click.argument("b")
@click.option("--max-hops", default=6, show_default=True)
@pass_ctx
def path(ctx: Context, a: str, b: str, max_hops: int) -> None:
    """Shortest path between two entities (TYPE:KEY, e.g. Storefront:ebay:sunnybloom_shop), evidence per hop."""
    from graph.analytics.paths import find_path, parse_ref
    from graph.reports.selection import cite_all

    hops = find_path(ctx.store(create=False), parse_ref(a), parse_ref(b), max_hops)
    if hops is None:
        console.print(f"No path within {max_hops} hops.", markup=False, highlight=False)
        return
    console.print(make_table(f"Path from {a} to {b} ({len(hops)} hops)", ("#", "from", "edge", "to", "evidence"),
                             [(i, str(h.edge.src), h.edge.type, str(h.edge.dst), cite_all(h.evidence, limit=2))
                              for i, h in enumerate(hops, 1)], numeric=("#",)))


@main.command()
@click.argument("ref")
@click.option("--hops", default=2, show_default=True)
@click.option("--type", "types", multiple=True, help="Only these node types (repeatable).")
@click.option("--limit", default=200, show_default=True)
@pass_ctx
def neighbourhood(ctx: Context, ref: str, hops: int, types: tuple[str, ...], limit: int) -> None:
    """Entities within k hops of TYPE:KEY, optionally of some types."""
    from graph.analytics.paths import neighbourhood as k_hop, parse_ref

    sub = k_hop(ctx.store(create=False), parse_ref(ref), hops, types, limit)
    console.print(make_table(f"{hops}-hop neighbourhood of {ref}", ("type", "key", "name"),
                             [(n.type, n.key, n.name) for n in sub.nodes]))
    console.print(f"{len(sub.nodes)} nodes, {len(sub.edges)} edges" + (f" (of {sub.total_nodes}: raise --limit)"
                                                                      if sub.truncated else ""),
                  markup=False, highlight=False)


@main.command()
@click.option("--top", default=20, show_default=True, help="Shared nodes listed.")
@pass_ctx
def communities(ctx: Context, top: int) -> None:
    """Communities of operators sharing suppliers, forwarders or infrastructure (Louvain); what they share."""
    from graph.analytics.communities import find_communities

    found, shared = find_communities(ctx.store(create=False))
    console.print(make_table("Communities", ("#", "members", "units", "shared"),
                             [(c.number, len(c.units), ", ".join(str(u) for u in c.units[:6]) +
                               (" …" if len(c.units) > 6 else ""), ", ".join(str(s) for s in c.shared[:4]) +
                               (" …" if len(c.shared) > 4 else "")) for c in found], numeric=("#", "members")))
    console.print(make_table("Shared across operators (most central first)",
                             ("node", "name", "operators", "storefronts", "betweenness"),
                             [(str(s.ref), s.name, s.units, s.storefronts, f"{s.betweenness:.4f}")
                              for s in shared[:top]], numeric=("operators", "storefronts", "betweenness")))


@main.command()
@click.argument("kind", type=click.Choice(REPORTS))
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="Output file; the format comes from its suffix (.csv .xlsx .html .pdf) unless --format.")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "html", "pdf"]))
@click.option("--operator", "operator_ids", multiple=True, metavar="ID", help="Operators to include (repeatable).")
@click.option("--storefront", "storefront_keys", multiple=True, metavar="KEY",
              help="Storefronts to include (repeatable), e.g. amazon:A1HX7Q2M9ZK3LP.")
@click.option("--all-operators", is_flag=True, help="Every operator, not only commercial-scale candidates.")
@click.option("--group-by-operator", is_flag=True, help="Defendants grouped by operator (with operator columns).")
@click.option("--date", "date", metavar="YYYY-MM-DD", help="Date stated in the report (default: latest Source).")
@click.option("--config", "config_path", type=click.Path(path_type=Path, exists=True, dir_okay=False),
              help="Scale configuration choosing the default candidates.")
@pass_ctx
def report(ctx: Context, kind: str, output: Path, fmt: str | None, operator_ids: tuple[str, ...],
           storefront_keys: tuple[str, ...], all_operators: bool, group_by_operator: bool, date: str | None,
           config_path: Path | None) -> None:
    """Court-ready reports: defendant schedule, asset-restraint list, service list, joinder memo, dossier.

    By default every commercial-scale candidate operator's storefronts are the defendants."""
    from graph.analytics.scale import load_config
    from graph.reports.build import write_report
    from graph.reports.selection import select_defendants

    store = ctx.store(create=False)
    config = load_config(config_path)
    selection = select_defendants(store, operator_ids, storefront_keys, all_operators, group_by_operator, config, date)
    what = write_report(store, kind, selection, output, fmt, config, group_by_operator)
    _say(f"wrote {kind} report to {output}: {what} ({selection.basis})")


def export_interop_command(store, what: str, output: Path) -> None:
    from graph.reports.interop import export_interop

    if str(output) == "-":
        raise GraphError(f"export {what} writes files: give -o PATH")
    n = export_interop(store, what, output)
    _say(f"wrote {n} {'rows' if what == 'neo4j-csv' else 'entities and links'} to {output}")
