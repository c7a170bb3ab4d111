"""A resolution run: pivots -> scored links -> judgements applied -> operators, written as one Source.

The result replaces the previous run's Source atomically (readers see the old operators or the new ones).
It holds the Operator nodes (name, created, size), CONTROLS edges (confidence, since) and the accepted and
review-band LINKED edges with their score and signals, so the dashboard and the reports read the
explanation from the graph; ``explain`` fetches the documents behind each signal.
"""

from __future__ import annotations

import gc
import hashlib
import json
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from graph.records import EdgeBlock, Facts, NodeRef, NodeStatement
from graph.resolution.clusters import Operator, Previous, Split, assign_ids
from graph.resolution.config import Config, load_config
from graph.resolution.forest import group_table
from graph.resolution.incremental import RESOLUTION_PARSER, Scope, describe_run, inputs_before, resolve_incremental
from graph.resolution.judgements import judgements_in_force, list_judgements
from graph.resolution.pivots import collect_pivots
from graph.resolution.scoring import Link
from graph.resolution.signals import signals_json
from graph.resolution.vectors import BANDS, LinkTable, score_table
from graph.store.base import GraphStore, SourceInfo, utcnow

MEDIA_TYPE = "application/x-infringer-graph-resolution"
_dump = json.JSONEncoder(ensure_ascii=False).encode  # a str as a JSON string, as the store writes it
BATCH = 5000


@dataclass
class Result:
    operators: list[Operator]
    table: LinkTable
    hubs: list[tuple[NodeRef, int]]
    splits: list[Split]
    review_ids: np.ndarray  # rows of ``table`` in the review queue, highest score first
    config: Config
    storefronts: int
    at: str
    scope: Scope | None = None  # an incremental run: what it looked at (None: the whole graph)
    about: frozenset[NodeRef] = frozenset()  # ... the nodes whose statements it replaces
    revises: SourceInfo | None = None  # ... in this Source (the last run's)

    @property
    def review(self) -> list[Link]:
        """The review queue, explained (slow at scale: the CLI and the dashboard show a page of it)."""
        return [self.table.link(int(i)) for i in self.review_ids]

    @property
    def links(self) -> list[Link]:
        """Every scored or judged link, explained (slow at scale; the table has them as arrays)."""
        return self.table.links()

    @property
    def linked(self) -> int:
        return sum(len(o.members) for o in self.operators)

    def new_members(self) -> list[tuple[Operator, NodeRef]]:
        """Storefronts that joined an operator known before this run (relisting after a takedown)."""
        return [(o, m) for o in self.operators if o.created < self.at for m in o.members if o.since[m] == self.at]


def read_previous(store: GraphStore) -> Previous:
    """The last run's operators from their nodes (their ``members`` survive storefronts being withdrawn)."""
    members, since = {}, {}
    created = {op: value for op, _, value in store.property_values("Operator", "created")}
    for op, _, value in store.property_values("Operator", "members"):
        try:
            joined = json.loads(value or "{}")
        except ValueError:
            joined = {}
        refs = {k: NodeRef("Storefront", k) for k in joined}
        members[op] = frozenset(refs.values())
        since.update({(op, refs[k]): v for k, v in joined.items()})
    return Previous(members, created, since)


@contextmanager
def collections_paused() -> Iterator[None]:
    """No garbage collection while a run builds its millions of small objects (refs, pivot maps, JSON
    texts; none of them in reference cycles): each full collection would walk all of them again, which
    cost more than the work itself at a million storefronts. Restored after."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def resolve(store: GraphStore, config: Config | None = None, now: str | None = None,
            incremental: bool = False) -> Result:
    """Compute operators from the graph as it is (nothing is written). With ``incremental``, only what
    Sources added since the last run can change, when that is possible (``Result.scope`` says so)."""
    with collections_paused():
        return _resolve(store, config, now, incremental)


def _resolve(store: GraphStore, config: Config | None, now: str | None, incremental: bool) -> Result:
    cfg = config or load_config()
    now = now or utcnow()
    if incremental:
        result = resolve_incremental(store, cfg, now)
        if result is not None:
            return result
    pv = collect_pivots(store)
    table = score_table(pv, cfg)
    judged = judgements_in_force(list_judgements(store))
    table.apply_judgements(judged)
    groups = group_table(table, judged)
    operators = assign_ids(groups.members, groups.trees, groups.best, read_previous(store), now, table=table)
    return Result(operators, table, table.hubs, groups.splits, review_queue(table, groups.label), cfg,
                  len(pv.storefronts), now)


def review_queue(table: LinkTable, label: np.ndarray) -> np.ndarray:
    """Review-band links between storefronts the accepted links keep apart: score descending, then keys."""
    queue = np.flatnonzero((table.band == 1) & ((label[table.x] < 0) | (label[table.x] != label[table.y])))
    return queue[np.lexsort((table.rank[table.y[queue]], table.rank[table.x[queue]], -table.score[queue]))]


def operator_name(members, names: dict[NodeRef, str | None], default: str) -> str:
    """The members' most common name; on a tie, one that reads as a name (starts with a letter or digit)
    before markup or punctuation, then the first in order."""
    counted = Counter(names[m] for m in members if names.get(m))
    return min(counted, key=lambda n: (-counted[n], not n[:1].isalnum(), n)) if counted else default


def _facts(result: Result, names: dict[NodeRef, str | None]):
    """The run's statements: each operator's properties, then its CONTROLS edges and the LINKED edges as
    blocks (columns the store can write in bulk; the same statements as one EdgeStatement each)."""
    batch, src, dst, locs, props = Facts(), [], [], [], []
    for op in result.operators:
        ref = NodeRef("Operator", op.id)
        loc = f"operator {op.id}"
        name = operator_name(op.members, names, op.id)
        batch.nodes += [NodeStatement(ref, "key", op.id, loc), NodeStatement(ref, "name", name, loc),
                        NodeStatement(ref, "created", op.created, loc),
                        NodeStatement(ref, "size", str(len(op.members)), loc),
                        NodeStatement(ref, "members", json.dumps({m.key: op.since[m] for m in op.members},
                                                                 ensure_ascii=False, sort_keys=True), loc)]
        for m in op.members:
            src.append(ref)
            dst.append(m)
            locs.append(loc)
            props.append(f'{{"confidence": "{op.confidence[m]:.4f}", "since": {_dump(op.since[m])}}}')
        batch.records += 1
        if batch.records >= BATCH:
            batch.blocks.append(EdgeBlock("CONTROLS", src, dst, locs, props))
            yield batch
            batch, src, dst, locs, props = Facts(), [], [], [], []
    batch.blocks.append(EdgeBlock("CONTROLS", src, dst, locs, props))
    yield batch
    # accepted links: the strongest tree of each operator (every member reachable over its best chain of proof);
    # review links: all of them (the queue); in the order of their storefronts (the store's index order)
    table = result.table
    rows = np.concatenate([np.asarray(op.tree, dtype=np.int64) for op in result.operators] + [result.review_ids])
    rows = rows[np.lexsort((table.y[rows], table.x[rows]))]
    bands = [f'{{"band": "{band}", "score": "' for band in BANDS]
    for start in range(0, len(rows), 4 * BATCH):
        chunk = rows[start:start + 4 * BATCH]
        x, y = table.x[chunk].tolist(), table.y[chunk].tolist()
        a, b = [table.ref(i) for i in x], [table.ref(i) for i in y]
        locs = [f"link {p.key} ~ {q.key}" for p, q in zip(a, b)]
        props = [f'{bands[band]}{score:.4f}", "signals": {_dump(signals)}}}' for band, score, signals in
                 zip(table.band[chunk].tolist(), table.score[chunk].tolist(), signals_json(table, chunk))]
        yield Facts(blocks=[EdgeBlock("LINKED", a, b, locs, props)])


def write_result(store: GraphStore, result: Result) -> None:
    """Replace the previous resolution Source with this result (one transaction); an incremental result
    revises that Source for the nodes it looked at."""
    with collections_paused():
        _write_result(store, result)


def _write_result(store: GraphStore, result: Result) -> None:
    sources = store.sources()
    path = describe_run(result.at, result.config, inputs_before(sources, result.at))
    pv = result.table.pv  # the storefronts' names, as read for the run
    names = {pv.refs[s]: pv.names[s] for s in pv.storefronts}
    if result.revises is not None:
        info = replace(result.revises, path=path, ingested_at=result.at)
        store.revise_source(info, result.about, _facts(result, names))
        return
    old = [s.sha256 for s in sources if s.parser == RESOLUTION_PARSER]
    for sha in old[1:]:
        store.retract_source(sha)
    digest = hashlib.sha256(repr((result.at, [(o.id, o.members) for o in result.operators])).encode()).hexdigest()
    info = SourceInfo(sha256=digest, path=path, media_type=MEDIA_TYPE, size=0, parser=RESOLUTION_PARSER,
                      ingested_at=result.at)
    store.write_source(info, _facts(result, names), replaces=old[0] if old else None)


def run_resolution(store: GraphStore, config_path: Path | None = None, now: str | None = None,
                   incremental: bool = False) -> Result:
    result = resolve(store, load_config(config_path), now, incremental)
    write_result(store, result)
    return result
