"""The NLP label set, derived from the graph model (``nlp_label`` of each node type)."""

from __future__ import annotations

from graph.model import Model, get_model


def entity_labels(model: Model | None = None) -> dict[str, str]:
    """NLP label -> node type, for every node type that free text can mention."""
    model = model or get_model()
    return {n.nlp_label: n.name for n in model.nodes.values() if n.nlp_label}
