"""The Review queue's data and actions: candidate links in the review band (as ``infringer-graph review``
lists them), the two storefronts side by side, and judgements that re-resolve (as ``review same|different|
unsure`` and ``review undo`` do)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from graph.errors import GraphError
from graph.records import NodeRef
from graph.resolution.judgements import Judgement, list_judgements, record_judgement, undo_judgement
from graph.resolution.queue import Candidate, Queue, require_same_settings, review_queue
from graph.resolution.run import run_resolution
from graph.store.base import GraphStore

from dashboard.profile import why_rows


ENV_CONFIG = "INFRINGER_GRAPH_RESOLVE_CONFIG"


def config_path() -> Path | None:
    """The resolution settings the dashboard resolves with: the file ``INFRINGER_GRAPH_RESOLVE_CONFIG`` names
    (the same file a team passes to ``infringer-graph resolve --config``), else the defaults."""
    value = os.environ.get(ENV_CONFIG, "").strip()
    return Path(value) if value else None


def list_candidates(store: GraphStore, limit: int = 200) -> Queue:
    """The review band of the graph as it is now (highest score first), as the last resolution run stored it;
    resolved first when documents or judgements came in since."""
    return review_queue(store, config_path(), limit)


def side_by_side(store: GraphStore, cand: Candidate) -> list[dict]:
    """One row per property of either storefront: its values on each side (and whether they agree)."""
    nodes = [store.get_node(cand.a), store.get_node(cand.b)]
    props = sorted({p for n in nodes if n for p in n.props})
    rows = []
    for p in props:
        left, right = ([" | ".join(n.props.get(p, [])) if n else "" for n in nodes])
        rows.append({"property": p, cand.a.key: left, cand.b.key: right,
                     "same": "yes" if left and left.casefold() == right.casefold() else ""})
    return rows


def evidence_rows(store: GraphStore, cand: Candidate) -> list[dict]:
    """Each signal with the documents behind it (from the stored link, when the last run wrote one)."""
    try:
        return why_rows(store, cand.a, cand.b)[1]
    except GraphError:
        return [{"signal": s.get("kind", ""), "weight": s.get("weight"), "pivot": s.get("pivot", ""),
                 "shared by": s.get("shared_by", ""), "storefront": "", "edge": "", "document": "",
                 "sha256": "", "where": "", "excerpt": "(run `infringer-graph resolve` to store the evidence)"}
                for s in cand.signals]


@dataclass(frozen=True)
class Outcome:
    judgement: Judgement
    operators: int
    together: str | None  # the operator both storefronts now belong to, or None when apart
    withdrawn: bool = False

    @property
    def text(self) -> str:
        j = self.judgement
        where = f"now one operator ({self.together})" if self.together else "now apart"
        what = "Withdrew judgement" if self.withdrawn else "Judgement"
        return (f"{what} {j.short_id}: {j.a.key} / {j.b.key} {j.verdict} (by {j.who}). Re-resolved: "
                f"{self.operators} operators; the two are {where}.")


def _outcome(store: GraphStore, j: Judgement, withdrawn: bool = False) -> Outcome:
    result = run_resolution(store, config_path(), incremental=True)  # the two storefronts are in its scope
    where = {m: o.id for o in result.operators for m in o.members}
    together = where.get(j.a) if where.get(j.a) is not None and where.get(j.a) == where.get(j.b) else None
    return Outcome(j, store.count_nodes("Operator"), together, withdrawn)


def _same_settings(store: GraphStore) -> None:
    require_same_settings(store, config_path(), f"set {ENV_CONFIG} to that run's file before judging (or resolve "
                                                "again with these settings first)")


def judge(store: GraphStore, a: NodeRef, b: NodeRef, verdict: str, who: str, comment: str = "") -> Outcome:
    """Record the judgement, re-resolve, and say where the two storefronts ended up (refused, recording
    nothing, when the last run was made with other settings than the dashboard's)."""
    _same_settings(store)
    return _outcome(store, record_judgement(store, a, b, verdict, who, comment))


def withdraw(store: GraphStore, judgement_id: str) -> Outcome:
    """Undo a judgement (by id), re-resolve, and say where its two storefronts ended up."""
    _same_settings(store)
    return _outcome(store, undo_judgement(store, judgement_id), withdrawn=True)


def judgement_rows(store: GraphStore) -> list[dict]:
    return [{"id": j.short_id, "at": j.at, "who": j.who, "verdict": j.verdict, "storefront": j.a.key,
             "other storefront": j.b.key, "comment": j.comment} for j in reversed(list_judgements(store))]
