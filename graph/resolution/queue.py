"""The review queue as the last resolution run stored it: review-band LINKED edges, highest score first.

Listing the queue reads a page of those edges (one query) instead of resolving the whole graph again, which
takes a minute at a million storefronts. When Sources were added, judged or withdrawn since that run, or the
settings changed, the stored queue would be out of date: :func:`review_queue` then resolves first
(incrementally where it can) and says so.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from graph.errors import GraphError
from graph.records import NodeRef
from graph.resolution.config import load_config
from graph.resolution.incremental import RESOLUTION_PARSER, config_digest, plan, run_settings
from graph.store.base import GraphStore


@dataclass(frozen=True)
class Candidate:
    a: NodeRef
    b: NodeRef
    a_name: str
    b_name: str
    score: float
    signals: tuple[dict, ...]  # as the run stored them: kind, weight, pivot "Type:key", shared_by, hub, via

    @property
    def label(self) -> str:
        return f"{self.a_name or self.a.key} ~ {self.b_name or self.b.key} ({self.score:.2f})"


@dataclass(frozen=True)
class Queue:
    candidates: list[Candidate]  # the first page
    total: int  # links in the queue
    refreshed: str = ""  # what was resolved first, or why the stored run is not redone ('' when up to date)


def stored_queue(store: GraphStore, limit: int = 50) -> tuple[int, list[Candidate]]:
    """(links in the queue, the first ``limit``) as the last run stored them; (0, []) before any run."""
    runs = [s.sha256 for s in store.sources() if s.parser == RESOLUTION_PARSER]
    if not runs:
        return 0, []
    total, edges = store.source_edges(runs[-1], "LINKED", "band", "review", "score", limit)
    names = store.node_names({r for e in edges for r in (e.src, e.dst)})
    out = []
    for e in edges:
        try:
            signals = tuple(json.loads(e.props.get("signals") or "[]"))
        except ValueError:
            signals = ()
        out.append(Candidate(e.src, e.dst, names.get(e.src) or "", names.get(e.dst) or "",
                             float(e.props.get("score") or 0), signals))
    return total, out


@dataclass(frozen=True)
class Staleness:
    why: str = ""  # '' when the stored run describes the graph as it is now
    settings: bool = False  # the stored run used other settings: not redone without being asked


def staleness(store: GraphStore, config_path: Path | None = None) -> Staleness:
    """Whether the stored run describes the graph as it is now, resolved with these settings."""
    runs = [s for s in store.sources() if s.parser == RESOLUTION_PARSER]
    if not runs:
        return Staleness("no resolution run yet")
    cfg = load_config(config_path)
    used = run_settings(runs[-1])
    if used is not None and used != config_digest(cfg):
        return Staleness(f"the last run used other settings than {Path(cfg.path).name}", settings=True)
    planned = plan(store, cfg)
    if planned is None:
        return Staleness("documents were added, withdrawn or re-read since the last run")
    n = len(planned[1])
    return Staleness(f"{n} document{'s' if n != 1 else ''} or judgement{'s' if n != 1 else ''} since the last run"
                     if n else "")


def require_same_settings(store: GraphStore, config_path: Path | None, how: str) -> None:
    """Refuse (a GraphError ending 'nothing was recorded') when the last run was made with other settings: a
    judgement re-resolves, and must not silently redo that run with these. ``how`` says how to proceed."""
    stale = staleness(store, config_path)
    if stale.settings:
        raise GraphError(f"{stale.why}: {how}; nothing was recorded")


def review_queue(store: GraphStore, config_path: Path | None = None, limit: int = 50) -> Queue:
    """The queue of the graph as it is now: the stored one, after resolving (and writing) first when documents
    or judgements came in since the last run (incrementally where it can). A run made with other settings is
    not redone here: the queue says so, and ``resolve --config`` redoes it."""
    from graph.resolution.run import run_resolution

    stale = staleness(store, config_path)
    note = ""
    if stale.settings:
        note = f"{stale.why}: this is its queue (`infringer-graph resolve --config FILE` updates it)"
    elif stale.why:
        result = run_resolution(store, config_path, incremental=True)
        scope = result.scope
        how = f"{scope.storefronts} storefronts recomputed" if scope is not None else "the whole graph"
        note = f"resolved first ({stale.why}): {how}"
    total, page = stored_queue(store, limit)
    return Queue(page, total, note)


def signal_text(signals: tuple[dict, ...], limit: int = 3) -> str:
    """'payment paypal:x@y.com (0.90); phone +86… ×3 (0.45, hub) …' for a table cell."""
    parts = []
    for s in signals[:limit]:
        pivot = str(s.get("pivot") or s.get("label") or "")
        what = pivot.split(":", 1)[1] if ":" in pivot and s.get("pivot") else pivot
        shared = f" ×{s['shared_by']}" if int(s.get("shared_by") or 0) > 2 else ""
        weight = float(s.get("weight") or 0)
        parts.append(f"{s.get('kind', '')} {what}{shared} ({weight:.2f}{', hub' if s.get('hub') else ''})")
    return "; ".join(parts) + (" …" if len(signals) > limit else "")
