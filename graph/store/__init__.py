"""Stores: one GraphStore contract, chosen by URL (``sqlite:///path`` or ``neo4j://``/``bolt://``)."""

from __future__ import annotations

import os
from pathlib import Path

from graph.errors import StoreError
from graph.store.base import (Edge, Evidence, GraphStore, Node, Projection, Quarantined, RetractStats, SearchHit,
                              SourceInfo, Subgraph, WriteStats)

DEFAULT_STORE = "sqlite:///data/infringer-graph.db"
ENV_STORE = "INFRINGER_GRAPH_STORE"

__all__ = ["DEFAULT_STORE", "ENV_STORE", "Edge", "Evidence", "GraphStore", "Node", "Projection", "Quarantined",
           "RetractStats", "SearchHit", "SourceInfo", "Subgraph", "WriteStats", "open_store", "store_url"]


def store_url(url: str | None = None) -> str:
    """The store URL: the argument, else $INFRINGER_GRAPH_STORE, else the default."""
    return url or os.environ.get(ENV_STORE) or DEFAULT_STORE


def open_store(url: str | None = None, *, create: bool = True) -> GraphStore:
    """Open the store named by ``url`` (see ``store_url``)."""
    url = store_url(url)
    scheme, sep, rest = url.partition("://")
    if not sep:  # a bare path is taken as an SQLite file
        scheme, rest = "sqlite", "/" + url
    if scheme == "sqlite":
        from graph.store.sqlite import SQLiteStore

        path = rest[1:] if rest.startswith("/") else rest  # sqlite:///rel.db, sqlite:////abs.db
        if not path:
            raise StoreError(f"no file in store URL {url!r} (use sqlite:///path/to/case.db)")
        return SQLiteStore(Path(path), create=create)
    if scheme in {"neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc"}:
        from graph.store.neo4j import Neo4jStore

        return Neo4jStore(url, os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD", ""))
    raise StoreError(f"unknown store URL scheme {scheme!r} in {url!r} (use sqlite:///… or neo4j://…)")
