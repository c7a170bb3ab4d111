"""Incremental resolution: after new documents, recompute only the operators they can change.

The last run's Source records when it ran, a digest of its config and how many Sources it read. A new run
is incremental when that config is the one in use and no Source it read has gone since (a retraction or a
re-parse can take evidence away: that needs a full run). The storefronts the new Sources say something
about, directly or through one of their own nodes, are the seeds; ``scope.widen`` adds every storefront
whose links or operator they can change. Those are resolved exactly as a full run would resolve them (the
same scoring over the same pivot sizes), and the resolution Source is revised for them alone.
A "different" judgement inside the scope splits a group along its weakest links, which depends on the
whole group before the split: such runs are full.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass

from graph.records import NodeRef
from graph.resolution.clusters import Previous, assign_ids
from graph.resolution.config import Config
from graph.resolution.forest import group_table
from graph.resolution.judgements import judgements_in_force, list_judgements
from graph.resolution.pivots import THROUGH
from graph.resolution.scope import STOREFRONT, Around, previous_operators, scoped_pivots, widen
from graph.resolution.vectors import score_table
from graph.store.base import GraphStore, SourceInfo

RESOLUTION_PARSER = "resolution"
ALGORITHM = "2"  # bump when the resolver's choices change: a result of older code is not patched, it is redone
MAX_SCOPE = 200_000  # storefronts; past this a full run is about as cheap
_STATE = re.compile(r"^\(resolution at (?P<at>\S+), config .* #(?P<cfg>[0-9a-f]{12}), (?P<n>\d+) earlier sources\)$")


@dataclass(frozen=True)
class Scope:
    """What an incremental run looked at."""

    sources: int  # new Sources since the last run
    seeds: int  # storefronts they say something about
    storefronts: int  # storefronts recomputed (seeds and all they can affect)
    operators_before: int  # the last run's operators among them


def config_digest(cfg: Config) -> str:
    fields = {"kinds": {k: vars(v) for k, v in sorted(cfg.kinds.items())}, "algorithm": ALGORITHM,
              **{f: getattr(cfg, f) for f in ("hub_weight", "name_weight", "name_min_ratio", "accept", "review",
                                              "pair_limit", "bridge_min_shared", "bridge_groups")}}
    return hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()[:12]


def describe_run(at: str, cfg: Config, earlier_sources: int) -> str:
    """The resolution Source's path: readable, and what the next run needs to know."""
    from pathlib import Path

    return f"(resolution at {at}, config {Path(cfg.path).name} #{config_digest(cfg)}, {earlier_sources} earlier sources)"


def inputs_before(store_sources: list[SourceInfo], at: str) -> int:
    """Sources stamped up to ``at`` (times are to the second: one stamped in the same second as a run counts
    here and is also new to the next run, so a later change to it is never missed)."""
    return sum(1 for s in store_sources if s.parser != RESOLUTION_PARSER and s.ingested_at <= at)


def run_settings(run: SourceInfo) -> str | None:
    """The digest of the settings a stored run used (``config_digest``), None when its path does not say."""
    m = _STATE.match(run.path)
    return m["cfg"] if m else None


def plan(store: GraphStore, cfg: Config) -> tuple[SourceInfo, list[SourceInfo]] | None:
    """(the last run's Source, the Sources added since), or None when the next run must be full."""
    sources = store.sources()
    runs = [s for s in sources if s.parser == RESOLUTION_PARSER]
    if len(runs) != 1:
        return None
    m = _STATE.match(runs[0].path)
    if not m or m["cfg"] != config_digest(cfg) or inputs_before(sources, m["at"]) != int(m["n"]):
        return None
    return runs[0], [s for s in sources if s.parser != RESOLUTION_PARSER and s.ingested_at >= m["at"]]


def seeds_of(store: GraphStore, new: list[SourceInfo]) -> set[NodeRef]:
    """Storefronts the new Sources state something of, or of one of whose own nodes (its domain, seller,
    payment account, listing) they state something."""
    touched = store.source_nodes([s.sha256 for s in new])
    seeds = {r for r in touched if r.type == STOREFRONT}
    own = {r for r in touched if r.type in THROUGH}
    if own:
        seeds |= {s for s, _, d in store.edges_touching(own, [STOREFRONT]) if s.type == STOREFRONT and d in own}
    return seeds


class _Operators:
    """The last run's operators, read as the scope grows."""

    def __init__(self, store: GraphStore):
        self.store = store
        self.of: dict[NodeRef, NodeRef] = {}  # storefront -> operator
        self.members: dict[str, frozenset[NodeRef]] = {}
        self.created: dict[str, str] = {}
        self.since: dict[tuple[str, NodeRef], str] = {}
        self._asked: set[NodeRef] = set()

    def __call__(self, storefronts: set[NodeRef]) -> set[NodeRef]:
        todo = storefronts - self._asked
        self._asked |= todo
        for sf, op in previous_operators(self.store, todo).items():
            self.of[sf] = op
            if op.key not in self.members:
                node = self.store.get_node(op)
                try:
                    joined = json.loads(((node.props.get("members") if node else None) or ["{}"])[0])
                except ValueError:
                    joined = {}
                self.members[op.key] = frozenset(NodeRef(STOREFRONT, k) for k in joined) | {sf}
                self.created[op.key] = ((node.props.get("created") if node else None) or [""])[0]
                self.since.update({(op.key, NodeRef(STOREFRONT, k)): v for k, v in joined.items()})
        return {m for sf in storefronts if sf in self.of for m in self.members[self.of[sf].key]}

    def previous(self) -> Previous:
        return Previous(dict(self.members), dict(self.created), dict(self.since))


class _InStore:
    """Operator ids the store has (an operator outside the scope keeps its id: a new one must differ)."""

    def __init__(self, store: GraphStore):
        self.store = store

    def __contains__(self, op: object) -> bool:
        return bool(self.store.node_names([NodeRef("Operator", str(op))]))


def resolve_incremental(store: GraphStore, cfg: Config, now: str):
    """The result for the part of the graph new Sources can change, or None when a full run is needed."""
    from graph.resolution.run import Result, review_queue

    planned = plan(store, cfg)
    if planned is None:
        return None
    run_source, new = planned
    seeds = seeds_of(store, new)
    judged = judgements_in_force(list_judgements(store))
    around, ops = Around(store), _Operators(store)
    scope = widen(around, seeds, cfg, ops, MAX_SCOPE) if seeds else set()
    if scope is None or any(j.verdict == "different" and (j.a in scope or j.b in scope) for j in judged.values()):
        return None
    pv = scoped_pivots(around, scope, store.node_names(scope))
    table = score_table(pv, cfg)
    table.apply_judgements(judged)
    groups = group_table(table, judged)
    operators = assign_ids(groups.members, groups.trees, groups.best, ops.previous(), now, _InStore(store), table)
    review = review_queue(table, groups.label)
    about = frozenset({*scope, *(NodeRef("Operator", k) for k in ops.members),
                       *(NodeRef("Operator", o.id) for o in operators)})
    return Result(operators, table, table.hubs, groups.splits, review, cfg, len(pv.storefronts), now,
                  Scope(len(new), len(seeds), len(scope), len(ops.members)), about, run_source)
