"""Backend-independent parts of search: identifier recognition and FTS query quoting."""

from __future__ import annotations

from graph.clean import clean
from graph.model import get_model
from collections.abc import Iterable

from graph.records import NodeRef
from graph.store.base import SearchHit

# cleaners tried on a search box query, in order: each may turn "+86 138 0013 8000" into its node key
_EMAIL_PROVIDERS = ("paypal", "payoneer")
_IDENTIFIER_TYPES = ("Email", "Phone", "PaymentAccount", "Storefront", "Domain", "Infrastructure", "Listing")


def identifier_refs(query: str) -> list[NodeRef]:
    """Nodes the query could name exactly, if it is an identifier in any usual format."""
    model = get_model()
    refs = []
    for type_name in _IDENTIFIER_TYPES:
        node_type = model.nodes.get(type_name)
        if node_type is None or node_type.cleaner is None:
            continue
        cleaned = clean(node_type.cleaner, query)
        if cleaned.ok:
            refs.append(NodeRef(type_name, cleaned.key))
        if type_name == "Email" and cleaned.ok:
            # an address is also how PayPal and Payoneer accounts are named
            for provider in _EMAIL_PROVIDERS:
                account = clean("payment", cleaned.key, {"provider": provider})
                if account.ok:
                    refs.append(NodeRef("PaymentAccount", account.key))
    return refs


def fts_phrase(query: str) -> str:
    """The query as one FTS5 phrase (no operators from user text; a NUL would end FTS5's string early)."""
    return '"' + query.replace("\x00", "").replace('"', '""') + '"'


def like_prefix(query: str) -> str:
    """A LIKE pattern for values starting with the query (``\\`` escapes the wildcards)."""
    return query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def rank_hits(hits: Iterable[SearchHit], types: Iterable[str] | None, limit: int) -> list[SearchHit]:
    """Exact identifier matches first, then the rest in the order found; only the wanted types."""
    wanted = set(types or [])
    ordered = sorted(hits, key=lambda h: not h.exact)
    return [h for h in ordered if not wanted or h.type in wanted][:limit]


def similar_terms(query: str, most: int = 24) -> list[str]:
    """The distinct trigrams of the query's words (case-folded), for a typo-tolerant candidate search: a name
    with one letter wrong still shares most of them."""
    grams: dict[str, None] = {}
    for word in query.casefold().split():
        for i in range(len(word) - 2):
            gram = word[i:i + 3]
            if gram.isprintable():  # a NUL would end the FTS query string early
                grams.setdefault(gram, None)
    return list(grams)[:most]
