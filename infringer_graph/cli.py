"""The ``infringer-graph`` command. User mistakes become one ``Error: …`` line and a non-zero exit."""

from __future__ import annotations

import sys

import click
from rich.console import Console

from graph.errors import GraphError
from graph.store import ENV_STORE, GraphStore, open_store
from ingest.errors import IngestError

console = Console()
if not console.is_terminal:  # piped or captured: wide enough that tables stay readable
    console = Console(width=160)
err_console = Console(stderr=True)

EXIT_ERROR = 1
EXIT_REJECTED = 3  # some files could not be ingested (the others were)


class Context:
    def __init__(self, store_url: str | None):
        self.store_url = store_url
        self._store: GraphStore | None = None

    def store(self, create: bool = True) -> GraphStore:
        if self._store is None:
            self._store = open_store(self.store_url, create=create)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()


class CLI(click.Group):
    """Turns the packages' root exceptions into one clear line and exit status 1."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (GraphError, IngestError) as exc:
            err_console.print(f"Error: {exc}", markup=False, highlight=False, soft_wrap=True)
            sys.exit(EXIT_ERROR)
        except OSError as exc:
            where = f" {exc.filename}" if exc.filename else ""
            err_console.print(f"Error:{where} {exc.strerror or exc}", markup=False, highlight=False)
            sys.exit(EXIT_ERROR)


@click.group(cls=CLI, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--store", "store_url", envvar=ENV_STORE, metavar="URL",
              help="Store URL: sqlite:///path/to/case.db (default ./data/infringer-graph.db) or neo4j://host:7687.")
@click.version_option(package_name="infringer-graph")
@click.pass_context
def main(ctx: click.Context, store_url: str | None) -> None:
    """Knowledge graph of counterfeit and IP-infringer networks."""
    ctx.obj = Context(store_url)
    ctx.call_on_close(ctx.obj.close)


from infringer_graph import commands, commands_eval, commands_report, commands_resolve  # noqa: E402,F401 - registers the subcommands
from infringer_graph import commands_users  # noqa: E402,F401 - users add|list|remove
