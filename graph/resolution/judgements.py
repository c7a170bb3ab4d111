"""Reviewers' judgements: "these two storefronts are the same operator / different / unsure".

Each judgement is a Source of its own (parser ``judgement``): it states a ``JUDGED`` edge between the two
storefronts (verdict, who, when, comment on the edge) and the two storefronts' keys, so a judged storefront
is never dropped while the judgement stands, re-ingests and re-runs leave it in place, and undoing it is
retracting that Source. The judgement itself is kept, as JSON, in the Source's path, which every backend
lists cheaply. The latest judgement of a pair is the one in force.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from graph.errors import GraphError
from graph.records import EdgeStatement, Facts, NodeRef, NodeStatement
from graph.store.base import GraphStore, SourceInfo, utcnow

JUDGEMENT_PARSER = "judgement"
MEDIA_TYPE = "application/x-infringer-graph-judgement"
VERDICTS = ("same", "different", "unsure")
_PREFIX = "judgement:"


@dataclass(frozen=True)
class Judgement:
    id: str  # the Source's sha256
    a: NodeRef
    b: NodeRef
    verdict: str
    who: str
    at: str
    comment: str = ""

    @property
    def pair(self) -> tuple[NodeRef, NodeRef]:
        return self.a, self.b

    @property
    def short_id(self) -> str:
        return self.id[:12]


def record_judgement(store: GraphStore, a: NodeRef, b: NodeRef, verdict: str, who: str,
                     comment: str = "", at: str | None = None) -> Judgement:
    """Store a judgement on two storefronts (both must exist)."""
    if verdict not in VERDICTS:
        raise GraphError(f"unknown verdict {verdict!r} (use one of: {', '.join(VERDICTS)})")
    if not who.strip():
        raise GraphError("a judgement needs the reviewer's name (--who)")
    for ref in (a, b):
        if ref.type != "Storefront" or store.get_node(ref) is None:
            raise GraphError(f"no storefront {ref.key!r} in the store")
    if a == b:
        raise GraphError("a storefront cannot be judged against itself")
    a, b = sorted((a, b), key=lambda r: r.key)
    at = at or utcnow()
    payload = {"a": a.key, "b": b.key, "verdict": verdict, "who": who.strip(), "at": at, "comment": comment.strip()}
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True)
    sha = hashlib.sha256(text.encode()).hexdigest()
    locator = f"judgement by {payload['who']} at {at}"
    props = tuple((k, payload[k]) for k in ("verdict", "who", "at", "comment") if payload[k])
    facts = Facts(nodes=[NodeStatement(a, "key", a.key, locator), NodeStatement(b, "key", b.key, locator)],
                  edges=[EdgeStatement("JUDGED", a, b, locator, props)], records=1)
    store.write_source(SourceInfo(sha256=sha, path=_PREFIX + text, media_type=MEDIA_TYPE, size=len(text),
                                  parser=JUDGEMENT_PARSER, ingested_at=at), [facts])
    return Judgement(sha, a, b, verdict, payload["who"], at, payload["comment"])


def list_judgements(store: GraphStore) -> list[Judgement]:
    """Every judgement in force or not, oldest first."""
    out = []
    for src in store.sources():
        if src.parser != JUDGEMENT_PARSER or not src.path.startswith(_PREFIX):
            continue
        try:
            d = json.loads(src.path[len(_PREFIX):])
            out.append(Judgement(src.sha256, NodeRef("Storefront", d["a"]), NodeRef("Storefront", d["b"]),
                                 d["verdict"], d["who"], d["at"], d.get("comment", "")))
        except (ValueError, KeyError, TypeError):
            continue  # not written by record_judgement: not a judgement we can apply
    return sorted(out, key=lambda j: (j.at, j.id))


def judgements_in_force(judgements: list[Judgement]) -> dict[tuple[NodeRef, NodeRef], Judgement]:
    """The latest judgement of each pair."""
    return {j.pair: j for j in judgements}


def undo_judgement(store: GraphStore, id_prefix: str) -> Judgement:
    """Withdraw a judgement by (a prefix of) its id."""
    prefix = id_prefix.strip().lower()
    if len(prefix) < 6:
        raise GraphError("give at least 6 characters of the judgement id")
    found = [j for j in list_judgements(store) if j.id.startswith(prefix)]
    if not found:
        raise GraphError(f"no judgement with id {id_prefix!r}")
    if len(found) > 1:
        raise GraphError(f"judgement id {id_prefix!r} is ambiguous; give more characters")
    store.retract_source(found[0].id)
    return found[0]
