"""Subcommands of ``infringer-graph``."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

from graph.errors import GraphError
from graph.export import EXPORT_FORMATS, export_entities, export_operators
from graph.model import get_model
from ingest.columns import parse_overrides
from ingest.mapping import load_mapping_file
from ingest.run import FileResult, flatten, ingest_file, iter_files
from ingest.watchlist import WATCHLIST_PARSER, case_watchlist, read_watchlist, record_watchlist

from infringer_graph.cli import EXIT_REJECTED, Context, console, err_console, main
from infringer_graph.tables import make_table

pass_ctx = click.make_pass_decorator(Context)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--map", "maps", multiple=True, metavar="'COLUMN=field'",
              help="Map a column header to a field (repeatable); field 'keep' keeps it as a property.")
@click.option("--mapping", "mapping_file", type=click.Path(path_type=Path),
              help="A YAML/JSON file of column -> field mappings for a recurring layout.")
@click.option("--show-columns", is_flag=True, help="List which column went where for every file.")
@click.option("--brands", "brands_file", type=click.Path(path_type=Path), metavar="FILE",
              help="The case's brand watchlist (one mark per line): mentions and misspellings in free text "
                   "become Brand facts. It is kept in the store: later ingests and re-parses use it.")
@pass_ctx
def ingest(ctx: Context, paths: tuple[Path, ...], maps: tuple[str, ...], mapping_file: Path | None,
           show_columns: bool, brands_file: Path | None) -> None:
    """Ingest files and folders (recursively) into the store."""
    overrides = load_mapping_file(mapping_file) if mapping_file else {}
    overrides.update(parse_overrides(maps))
    watchlist = read_watchlist(brands_file) if brands_file else ()
    files = list(iter_files(paths))
    store = ctx.store()
    if watchlist:
        record_watchlist(store, brands_file, watchlist)
    watchlist = watchlist or case_watchlist(store)
    results: list[FileResult] = []
    total = sum(f.stat().st_size for f in files)
    with Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TimeRemainingColumn(),
                  console=err_console, transient=True, disable=not err_console.is_terminal) as progress:
        task = progress.add_task("ingesting", total=total)
        for f in files:
            progress.update(task, description=f"ingesting {f.name}")
            results.append(ingest_file(store, f, overrides, on_read=lambda n: progress.advance(task, n),
                                       watchlist=watchlist))
    results = list(flatten(results))
    _print_ingest_summary(results, show_columns)
    if any(r.status == "rejected" for r in results):
        sys.exit(EXIT_REJECTED)


def _print_ingest_summary(results: list[FileResult], show_columns: bool) -> None:
    rows = [(r.path, r.status, r.parser, r.records, r.nodes_new, r.edges_new, r.unparsed, r.reason)
            for r in results]
    console.print(make_table("Ingest summary", ("file", "status", "parser", "records", "new nodes", "new edges",
                                                "unparsed values", "reason"), rows,
                             numeric=("records", "new nodes", "new edges", "unparsed values")))
    done = [r for r in results if r.status == "ingested"]
    rejected = [r for r in results if r.status == "rejected"]
    console.print(f"{len(results)} files: {len(done)} ingested, "
                  f"{sum(r.status == 'unchanged' for r in results)} unchanged, {len(rejected)} rejected; "
                  f"{sum(r.records for r in done)} records, {sum(r.nodes_new for r in done)} new nodes, "
                  f"{sum(r.edges_new for r in done)} new edges, {sum(r.unparsed for r in done)} values kept unparsed",
                  highlight=False, markup=False)
    for r in rejected:
        err_console.print(f"Error: {r.path}: {r.reason}", markup=False, highlight=False, soft_wrap=True)
    for r in done:
        kept = [c for c, f in r.columns.items() if f.startswith("(")]
        if show_columns:
            console.print(make_table(f"Columns of {r.path}", ("column", "field"), r.columns.items()))
        elif kept:
            console.print(f"{r.path}: columns kept as properties: {', '.join(kept)}", markup=False, highlight=False)


@main.command()
@pass_ctx
def stats(ctx: Context) -> None:
    """Counts of nodes and edges by type."""
    store = ctx.store(create=False)
    nodes, edges = store.counts()
    sources = store.sources()
    nodes["Source"] = len(sources)
    model = get_model()
    console.print(make_table("Nodes", ("type", "count"), [(t, nodes.get(t, 0)) for t in model.nodes],
                             numeric=("count",)))
    console.print(make_table("Edges", ("type", "count"), [(t, edges.get(t, 0)) for t in model.edges],
                             numeric=("count",)))
    console.print(f"{len(sources)} sources, {sum(s.records for s in sources)} records", markup=False)


@main.command()
@click.argument("query")
@click.option("--type", "types", multiple=True, help="Only these node types (repeatable).")
@click.option("--limit", default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="JSON for scripts.")
@pass_ctx
def search(ctx: Context, query: str, types: tuple[str, ...], limit: int, as_json: bool) -> None:
    """Find entities by name, alias or identifier value (e-mail, phone, URL, account, ...)."""
    for t in types:
        get_model().node(t)
    hits = ctx.store(create=False).search(query, limit=limit, types=types or None)
    if as_json:
        click.echo(json.dumps([{"type": h.type, "key": h.key, "name": h.name, "matched": h.matched,
                                "exact": h.exact} for h in hits], ensure_ascii=False, indent=2))
        return
    if not hits:
        console.print(f"No match for {query!r}.", markup=False, highlight=False)
        return
    console.print(make_table(f"Results for {query!r}", ("type", "key", "name", "matched", "exact"),
                             [(h.type, h.key, h.name, h.matched, "yes" if h.exact else "") for h in hits]))


@main.command()
@click.argument("what", type=click.Choice(["entities", "operators", "ftm", "graphml", "neo4j-csv"]))
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="csv", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True, help="Output file ('-' for stdout).")
@click.option("--type", "node_type", help="Only one node type.")
@pass_ctx
def export(ctx: Context, what: str, fmt: str, output: Path, node_type: str | None) -> None:
    """Export the graph. entities: every node with its properties; operators: one row per storefront with
    its operator (singletons included); ftm: FollowTheMoney JSON lines; graphml: Gephi/yEd; neo4j-csv: a
    directory of CSVs for neo4j-admin import."""
    if what in ("ftm", "graphml", "neo4j-csv"):
        from infringer_graph.commands_report import export_interop_command
        return export_interop_command(ctx.store(create=False), what, output)
    if node_type:
        get_model().node(node_type)
    store = ctx.store(create=False)

    def write(fh) -> int:
        if what == "operators":
            return export_operators(store, fh, fmt)
        return export_entities(store, fh, fmt, node_type)

    if str(output) == "-":
        n = write(sys.stdout)
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        with output.open("w", encoding="utf-8", newline="") as fh:
            n = write(fh)
        err_console.print(f"wrote {n} {'storefronts' if what == 'operators' else 'entities'} to {output}",
                          markup=False, highlight=False)


@main.command()
@pass_ctx
def sources(ctx: Context) -> None:
    """List ingested Sources (documents) with their sha256."""
    rows = [(s.sha256[:12], s.path, s.parser, s.records, s.size, s.ingested_at) for s in ctx.store(create=False).sources()]
    console.print(make_table("Sources", ("sha256", "path", "parser", "records", "bytes", "ingested"), rows,
                             numeric=("records", "bytes")))


@main.command()
@click.argument("sha256")
@pass_ctx
def retract(ctx: Context, sha256: str) -> None:
    """Remove a Source and exactly the facts only it asserted (sha256 or a unique prefix)."""
    store = ctx.store(create=False)
    matches = [s for s in store.sources() if s.sha256.startswith(sha256.lower())] if len(sha256) >= 6 else []
    if len(matches) != 1:
        raise GraphError(f"{sha256!r} names {len(matches)} sources (give at least 6 characters of one sha256)")
    st = store.retract_source(matches[0].sha256)
    console.print(f"retracted {matches[0].path}: {st.statements} statements, {st.edges} edges, "
                  f"{st.nodes} nodes, {st.unparsed} unparsed values removed", markup=False, highlight=False)


@main.command()
@click.option("--port", default=8501, show_default=True)
@click.option("--address", default="127.0.0.1", show_default=True)
@click.option("--auth-file", "auth_file", envvar="INFRINGER_GRAPH_AUTH_FILE", type=click.Path(path_type=Path),
              help="Password file (`infringer-graph users add`): every page needs a sign-in. Required off loopback.")
@pass_ctx
def dashboard(ctx: Context, port: int, address: str, auth_file: Path | None) -> None:
    """Serve the Streamlit dashboard on the store."""
    import dashboard as dashboard_pkg
    from dashboard.users import ENV_AUTH_FILE, load_users

    if auth_file is None and address not in {"127.0.0.1", "localhost", "::1"}:
        raise GraphError(f"serving on {address} needs authentication: give --auth-file FILE (users are added "
                         "with `infringer-graph users add NAME --auth-file FILE`), or use --address 127.0.0.1")
    if auth_file is not None and not load_users(auth_file):
        raise GraphError(f"{auth_file}: no users yet (add one with `infringer-graph users add NAME --auth-file "
                         f"{auth_file}`)")

    app = Path(dashboard_pkg.__file__).with_name("app.py")
    env = dict(os.environ)
    if ctx.store_url:
        env["INFRINGER_GRAPH_STORE"] = ctx.store_url
    # uploads are cleaned in the server process: forking a worker pool from Streamlit's threads can deadlock
    env.setdefault("INFRINGER_GRAPH_WORKERS", "0")
    env.pop(ENV_AUTH_FILE, None)
    if auth_file is not None:
        env[ENV_AUTH_FILE] = str(auth_file.resolve())
    cmd = [sys.executable, "-m", "streamlit", "run", str(app), "--server.port", str(port),
           "--server.address", address, "--server.headless", "true", "--browser.gatherUsageStats", "false",
           "--global.developmentMode", "false", "--client.toolbarMode", "minimal"]
    console.print(f"Dashboard on http://{address}:{port} (Ctrl+C to stop)", markup=False, highlight=False)
    sys.stdout.flush()
    os.execve(sys.executable, cmd, env)  # streamlit replaces this process: signals reach it directly


@main.command()
@click.option("--markdown", "as_markdown", is_flag=True, help="The full reference as Markdown.")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write to a file.")
def schema(as_markdown: bool, output: Path | None) -> None:
    """Show the graph model (node and edge types, input fields)."""
    from graph.docs import render_schema_docs

    model = get_model()
    if as_markdown or output:
        text = render_schema_docs(model)
        if output:
            output.write_text(text, encoding="utf-8")
        else:
            click.echo(text, nl=False)
        return
    console.print(make_table("Node types", ("type", "key", "NLP label", "pivot"),
                             [(n.name, n.key, n.nlp_label or "", "yes" if n.identifier else "")
                              for n in model.nodes.values()]))
    console.print(make_table("Edge types", ("type", "from", "to"),
                             [(e.name, ", ".join(e.sources), ", ".join(e.targets)) for e in model.edges.values()]))


@main.group(invoke_without_command=True)
@click.pass_context
def quarantine(click_ctx: click.Context) -> None:
    """Documents that could not be ingested (list; show ID; retry ID|--all)."""
    if click_ctx.invoked_subcommand is None:
        click_ctx.invoke(quarantine_list)


@quarantine.command("list")
@pass_ctx
def quarantine_list(ctx: Context) -> None:
    """List quarantined documents."""
    entries = ctx.store(create=False).quarantined()
    if not entries:
        console.print("Quarantine is empty.", markup=False)
        return
    console.print(make_table("Quarantine", ("id", "path", "reason", "bytes", "attempts", "last tried"),
                             [(e.id, e.path, e.reason, e.size, e.attempts, e.last_seen) for e in entries],
                             numeric=("id", "bytes", "attempts")))


@quarantine.command("show")
@click.argument("entry_id", type=int)
@pass_ctx
def quarantine_show(ctx: Context, entry_id: int) -> None:
    """Show one quarantined document and the start of its bytes."""
    entries = ctx.store(create=False).quarantined(entry_id, with_data=True)
    if not entries:
        raise GraphError(f"no quarantined document with id {entry_id}")
    e = entries[0]
    rows = [("path", e.path), ("sha256", e.sha256), ("size", f"{e.size} bytes"), ("reason", e.reason),
            ("first seen", e.first_seen), ("last tried", e.last_seen), ("attempts", e.attempts),
            ("kept bytes", "yes" if e.data is not None else "no (too large: the original file is needed)")]
    console.print(make_table(f"Quarantined document {e.id}", ("", ""), rows))
    if e.data:
        console.print(make_table("First bytes", ("offset", "text"),
                                 [(0, e.data[:400].decode("utf-8", errors="backslashreplace"))]))


@quarantine.command("retry")
@click.argument("entry_id", type=int, required=False)
@click.option("--all", "retry_all", is_flag=True, help="Retry every quarantined document.")
@click.option("--map", "maps", multiple=True, metavar="'COLUMN=field'", help="Column overrides, as for ingest.")
@pass_ctx
def quarantine_retry(ctx: Context, entry_id: int | None, retry_all: bool, maps: tuple[str, ...]) -> None:
    """Ingest quarantined documents again (after fixing them, or after a parser upgrade)."""
    from ingest.run import retry_quarantined

    store = ctx.store(create=False)
    if retry_all == (entry_id is not None):
        raise GraphError("give one quarantine id or --all")
    ids = [e.id for e in store.quarantined()] if retry_all else [entry_id]
    overrides = parse_overrides(maps)
    results = list(flatten(retry_quarantined(store, i, overrides) for i in ids))
    _print_ingest_summary(results, show_columns=False)
    if any(r.status == "rejected" for r in results):
        sys.exit(EXIT_REJECTED)


@main.command()
@click.argument("sha256", required=False)
@click.option("--limit", default=200, show_default=True)
@pass_ctx
def unparsed(ctx: Context, sha256: str | None, limit: int) -> None:
    """Values kept verbatim because they did not clean, with the reason and the place."""
    rows = [(u["path"], u["locator"], u["field"], u["raw"], u["reason"])
            for u in ctx.store(create=False).unparsed(sha256, limit=limit)]
    console.print(make_table("Unparsed values", ("source", "where", "field", "value", "reason"), rows))


@main.command()
@click.argument("sha256", nargs=-1)
@click.option("--all", "every", is_flag=True, help="Every Source read from a file on disk.")
@click.option("--parser", "parser_name", help="Only Sources read by this parser.")
@click.option("--map", "maps", multiple=True, metavar="'COLUMN=field'", help="Column overrides, as for ingest.")
@click.option("--brands", "brands_file", type=click.Path(path_type=Path), metavar="FILE",
              help="The case's brand watchlist, as for ingest (default: the one kept in the store).")
@pass_ctx
def reparse(ctx: Context, sha256: tuple[str, ...], every: bool, parser_name: str | None, maps: tuple[str, ...],
            brands_file: Path | None) -> None:
    """Derive Sources' facts again with the current parsers (old facts swapped for new ones atomically)."""
    from graph.resolution.judgements import JUDGEMENT_PARSER
    from graph.resolution.run import RESOLUTION_PARSER
    from ingest.run import reparse_source

    store = ctx.store(create=False)
    derived = (RESOLUTION_PARSER, JUDGEMENT_PARSER, WATCHLIST_PARSER)  # not documents: nothing to parse again
    sources = [s for s in store.sources() if s.parser not in derived and "!" not in s.path]
    if sha256:
        sources = [s for s in sources if any(s.sha256.startswith(p.lower()) for p in sha256 if len(p) >= 6)]
    elif not every and not parser_name:
        raise GraphError("name Sources by sha256 (6+ characters), or use --all or --parser NAME")
    if parser_name:
        sources = [s for s in sources if s.parser == parser_name]
    if not sources:
        raise GraphError("no matching Source read from a file")
    overrides = parse_overrides(maps)
    watchlist = read_watchlist(brands_file) if brands_file else ()
    if watchlist:
        record_watchlist(store, brands_file, watchlist)
    watchlist = watchlist or case_watchlist(store)
    results = list(flatten(reparse_source(store, s, overrides, watchlist) for s in sources))
    _print_ingest_summary(results, show_columns=False)
    if any(r.status == "rejected" for r in results):
        sys.exit(EXIT_REJECTED)
