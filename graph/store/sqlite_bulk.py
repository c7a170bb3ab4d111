"""The embedded store's bulk path for edges handed over as columns (:class:`graph.records.EdgeBlock`).

A resolution run writes a CONTROLS edge per storefront and one or two LINKED edges per storefront (a million
storefronts: 2-3 million edges). One statement per edge that looks up both ends and then finds the edge again
for its assertion cost more than the inserts themselves. Here the ends' ids come from one read of the whole
type when a block names many nodes of it, the edges of a block are inserted in index order with ids given in
advance (so their assertions need no lookup), and only the edges that already existed are looked up.
The result is the same as writing one EdgeStatement per row (tested statement by statement).
"""

from __future__ import annotations

from itertools import repeat

import numpy as np

from graph.errors import SchemaError
from graph.records import EdgeBlock

# a block naming more nodes of one type than this (not yet known) reads every id of that type at once
WHOLE_TYPE = 20_000
_EDGE_INSERT = ("INSERT INTO edges(id, type, src, dst, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(src, type, dst) DO UPDATE SET last_seen = excluded.last_seen")
_ASSERT_INSERT = ("INSERT INTO edge_assertions(edge_id, source_id, locator, props, first_seen, last_seen) "
                  "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET last_seen = excluded.last_seen, "
                  "props = excluded.props")
_BARE_NODE = ("INSERT INTO nodes(type, key, name, props, first_seen, last_seen) VALUES (?, ?, NULL, '{}', ?, ?) "
              "ON CONFLICT(type, key) DO NOTHING RETURNING id")


class SQLiteBulk:
    """Mixin for SQLiteStore: ``_write_block`` inside a write transaction; ``_known`` caches node ids for
    the length of one transaction (the caller resets it)."""

    _known: dict[str, dict[str, int]]

    def _ends(self, refs: list, now: str) -> np.ndarray:
        """Node ids of ``refs`` (a node not in the store is inserted bare, as an edge-only mention is)."""
        conn, known = self._conn, self._known
        wanted: dict[str, list[str]] = {}
        for ntype, key in dict.fromkeys(refs):
            if key not in known.get(ntype, ()):
                wanted.setdefault(ntype, []).append(key)
        for ntype, keys in wanted.items():
            if ntype not in self.model.nodes:
                raise SchemaError(f"unknown node type {ntype!r}")
            ids = known.setdefault(ntype, {})
            if len(keys) > WHOLE_TYPE:
                ids.update(conn.execute("SELECT key, id FROM nodes WHERE type = ?", (ntype,)))
            else:
                for start in range(0, len(keys), 500):
                    chunk = keys[start:start + 500]
                    ids.update(conn.execute(f"SELECT key, id FROM nodes WHERE type = ? AND key IN "
                                            f"({', '.join('?' * len(chunk))})", (ntype, *chunk)))
            for key in keys:
                if key not in ids:
                    ids[key] = conn.execute(_BARE_NODE, (ntype, key, now, now)).fetchone()[0]
        return np.fromiter((known[t][k] for t, k in refs), np.int64, count=len(refs))

    def _write_block(self, sid: int, block: EdgeBlock, now: str) -> int:
        """Write a block's edges and their assertions; returns the number of statements."""
        n = len(block)
        if not n:
            return 0
        spec = self.model.edge(block.type)
        for types, allowed in (({r[0] for r in block.src}, spec.sources), ({r[0] for r in block.dst}, spec.targets)):
            for t in types:
                if t not in allowed:
                    src, dst = (t, spec.targets[0]) if allowed is spec.sources else (spec.sources[0], t)
                    raise SchemaError(f"{block.type} cannot link {src} to {dst}")
        conn = self._conn
        s, d = self._ends(block.src, now), self._ends(block.dst, now)
        order = np.lexsort((d, s))  # stable: rows stating one edge keep their order (the last props win)
        s, d = s[order], d[order]
        first = np.ones(n, bool)
        first[1:] = (s[1:] != s[:-1]) | (d[1:] != d[:-1])
        us, ud = s[first], d[first]
        base = conn.execute("SELECT coalesce(max(id), 0) FROM edges").fetchone()[0]
        ids = np.arange(base + 1, base + 1 + len(us), dtype=np.int64)
        conn.executemany(_EDGE_INSERT, zip(ids.tolist(), repeat(block.type), us.tolist(), ud.tolist(),
                                           repeat(now), repeat(now)))
        made = conn.execute("SELECT count(*) FROM edges WHERE id > ?", (base,)).fetchone()[0]
        if made < len(us):  # some edges were there already (stated by another Source): they keep their ids
            used = np.fromiter((r[0] for r in conn.execute("SELECT id FROM edges WHERE id > ?", (base,))), np.int64)
            for k in np.flatnonzero(~np.isin(ids, used)).tolist():
                ids[k] = conn.execute("SELECT id FROM edges WHERE src = ? AND type = ? AND dst = ?",
                                      (int(us[k]), block.type, int(ud[k]))).fetchone()[0]
        edge = ids[np.cumsum(first) - 1]
        rows = order.tolist()
        locators, props = block.locators, block.props
        conn.executemany(_ASSERT_INSERT, zip(edge.tolist(), repeat(sid), (locators[i] for i in rows),
                                             (props[i] for i in rows), repeat(now), repeat(now)))
        return n
