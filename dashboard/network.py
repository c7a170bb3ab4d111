"""pyvis network views, rendered offline (inline JavaScript, no CDN) with tooltips shown as text."""

from __future__ import annotations

import re

from pyvis.network import Network

from graph.model import get_model
from graph.store.base import Subgraph


def render_network(sub: Subgraph, height: str = "560px") -> str:
    """Self-contained HTML of the subgraph; colours, shapes and edge labels come from the schema."""
    model = get_model()
    net = Network(height=height, width="100%", directed=True, cdn_resources="in_line", notebook=False)
    net.toggle_physics(True)
    ids = {}
    for i, node in enumerate(sub.nodes):
        spec = model.node(node.type)
        ids[node.ref] = i
        label = node.name or node.key
        title = _plain_title(f"{spec.label}: {label}\nkey: {node.key}")
        net.add_node(i, label=label[:40], title=title, color=spec.display["color"], shape=spec.display["shape"])
    for edge in sub.edges:
        if edge.src in ids and edge.dst in ids:
            spec = model.edge(edge.type)
            net.add_edge(ids[edge.src], ids[edge.dst], label=spec.display["label"], color=spec.display["color"],
                         title=_plain_title(edge.type))
    return _offline(net.generate_html(notebook=False))


def _plain_title(text: str) -> str:
    """A tooltip shown as text. vis-network 9 shows a string title with ``innerText`` (so it is not escaped here:
    escaping would show ``&lt;``), but pyvis switches to its own ``innerHTML`` popup when any node title contains
    "href"; a word joiner inside every "href" keeps pyvis on the text path and looks the same."""
    return re.sub("(?i)(hr)(ef)", "\\1\u2060\\2", text)


# pyvis's template loads Bootstrap from a CDN even with inline resources; the network does not need it
_CDN_TAG = re.compile(r"<(link|script)\b[^>]*https://cdn\.jsdelivr\.net[^>]*>(\s*</script>)?", re.S)


def _offline(page: str) -> str:
    return _CDN_TAG.sub("", page)
