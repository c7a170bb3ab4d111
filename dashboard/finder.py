"""The Search page's query: exact identifiers and substrings from ``store.search``, then names close to the
query (typos, word order) scored with rapidfuzz over the store's trigram candidates (``search_similar``:
an index lookup, never a scan of all nodes). Each result knows the page that shows it."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, utils

from graph.analytics.network import operator_of
from graph.model import get_model
from graph.records import NodeRef
from graph.store.base import GraphStore

# result groups, in this order (types not named here follow in the schema's order)
GROUP_ORDER = ("Operator", "Storefront", "Seller", "PaymentAccount", "Email", "Phone", "Address", "Domain",
               "Infrastructure", "Listing", "Brand", "Case")
FUZZY_MIN = 75.0  # rapidfuzz WRatio (0-100) a name must reach to count as a fuzzy match
CANDIDATES = 200


@dataclass(frozen=True)
class Found:
    type: str
    key: str
    name: str
    matched: str
    how: str  # exact (an identifier or key), text (the query occurs in a name/value), fuzzy (a name close to it)
    score: float  # similarity of the matched text to the query, 0-100
    page: str  # the dashboard page that shows it
    params: tuple[tuple[str, str], ...]

    @property
    def ref(self) -> NodeRef:
        return NodeRef(self.type, self.key)


def similarity(query: str, text: str) -> float:
    return round(fuzz.WRatio(query, text, processor=utils.default_process), 1)


def target(store: GraphStore, ref: NodeRef) -> tuple[str, tuple[tuple[str, str], ...]]:
    """The page for a node: its operator's page for an operator or a storefront that has one, else Entity."""
    if ref.type == "Operator":
        return "Operator", (("id", ref.key),)
    if ref.type == "Storefront":
        op = operator_of(store, ref)
        if op is not None:
            return "Operator", (("id", op.key), ("storefront", ref.key))
    return "Entity", (("type", ref.type), ("key", ref.key))


def find(store: GraphStore, query: str, limit: int = 50, fuzzy_min: float = FUZZY_MIN) -> list[Found]:
    """Exact matches first, then text matches, then fuzzy name matches by similarity; at most ``limit``."""
    query = " ".join("".join(ch if ch.isprintable() else " " for ch in query).split())
    if not query:
        return []
    seen: dict[tuple[str, str], tuple[str, str | None, str, float]] = {}
    for h in store.search(query, limit=limit):
        seen[(h.type, h.key)] = (h.matched, h.name, "exact" if h.exact else "text",
                                 similarity(query, h.matched))
    # fuzzy names only for a query that is not an identifier (an e-mail's near-misses are other people's)
    if len(seen) < limit and len(query) >= 3 and not any(v[2] == "exact" for v in seen.values()):
        scored = []
        for h in store.search_similar(query, limit=CANDIDATES):
            if (h.type, h.key) in seen:
                continue
            score = max(similarity(query, h.matched), similarity(query, h.name or ""))
            if score >= fuzzy_min:
                scored.append((score, h))
        scored.sort(key=lambda sh: (-sh[0], sh[1].type, sh[1].key))
        for score, h in scored[:limit - len(seen)]:
            seen[(h.type, h.key)] = (h.matched, h.name, "fuzzy", score)
    order = {"exact": 0, "text": 1, "fuzzy": 2}
    ranked = sorted(seen.items(), key=lambda kv: (order[kv[1][2]], -kv[1][3], kv[0]))
    out = []
    for (t, k), (matched, name, how, score) in ranked[:limit]:
        page, params = target(store, NodeRef(t, k))
        out.append(Found(t, k, name or "", matched, how, score, page, params))
    return out


def group(found: list[Found]) -> dict[str, list[Found]]:
    """Results by node type: operators and storefronts first, then sellers and identifiers."""
    types = list(GROUP_ORDER) + [t for t in get_model().nodes if t not in GROUP_ORDER]
    out: dict[str, list[Found]] = {}
    for f in sorted(found, key=lambda f: types.index(f.type) if f.type in types else len(types)):
        out.setdefault(f.type, []).append(f)
    return out
