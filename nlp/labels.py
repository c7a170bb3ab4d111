"""The NLP label set, derived from the graph model (``nlp_label`` of each node type).

The pipeline emits finer labels than the graph has node types (the evaluation contract's labels, see
NLP_EVAL_FORMAT): a STORE_URL, a SELLER_ID and a STORE_NAME all name a Storefront; URL, DOMAIN name a
Domain; IP, TAG_ID, MESSENGER and TRACKING are kinds of Infrastructure. ``MENTION_LABELS`` says which
model ``nlp_label`` each one stands for; the node type is then looked up in the model, so a renamed or
removed node type breaks here (and in tests/graph/test_model.py), not silently downstream.
"""

from __future__ import annotations

from graph.model import Model, get_model

# mention label -> (model nlp_label, cleaner used for the value)
MENTION_LABELS: dict[str, tuple[str | None, str | None]] = {
    "EMAIL": ("EMAIL", "email"),
    "PHONE": ("PHONE", "phone"),
    "URL": ("DOMAIN", "url"),
    "DOMAIN": ("DOMAIN", "domain"),
    "STORE_URL": ("STORE", "storefront"),
    "SELLER_ID": ("STORE", "storefront"),
    "PAYMENT": ("PAYMENT", "payment"),
    "MESSENGER": ("INFRA", "infrastructure"),
    "TAG_ID": ("INFRA", "infrastructure"),
    "IP": ("INFRA", "infrastructure"),
    "ADDRESS": ("ADDRESS", "address"),
    "TRACKING": ("INFRA", "infrastructure"),
    "STORE_NAME": ("STORE", "name"),
    "COMPANY": ("ORG", "seller"),
    "PERSON": ("ORG", "seller"),
    "BRAND": ("BRAND", "brand"),
    "SCALE": (None, None),  # a property of the storefront it describes, not a node
}

IDENTIFIER_LABELS = ("EMAIL", "PHONE", "URL", "DOMAIN", "STORE_URL", "SELLER_ID", "PAYMENT", "MESSENGER",
                     "TAG_ID", "IP", "ADDRESS", "TRACKING")
NAME_LABELS = ("STORE_NAME", "COMPANY", "PERSON")
OTHER_LABELS = ("BRAND", "SCALE")
HEAD_LABELS = ("STORE_NAME", "STORE_URL", "SELLER_ID", "COMPANY", "PERSON")
RELATION_TYPES = ("USES", "PAID_TO", "OPERATED_BY", "ALIAS_OF", "REGISTERED_BY", "SHIPS_FROM", "SELLS", "SCALE_OF")


def entity_labels(model: Model | None = None) -> dict[str, str]:
    """NLP label -> node type, for every node type that free text can mention."""
    model = model or get_model()
    return {n.nlp_label: n.name for n in model.nodes.values() if n.nlp_label}


def mention_node_types(model: Model | None = None) -> dict[str, str | None]:
    """Mention label -> graph node type (None for SCALE). KeyError names a label the model lost."""
    model = model or get_model()
    by_label = entity_labels(model)
    out: dict[str, str | None] = {}
    for label, (nlp_label, _) in MENTION_LABELS.items():
        if nlp_label is not None and nlp_label not in by_label:
            raise KeyError(f"mention label {label}: no node type has nlp_label {nlp_label}")
        out[label] = by_label[nlp_label] if nlp_label else None
    return out


def cleaner_for(label: str) -> str | None:
    return MENTION_LABELS[label][1]
