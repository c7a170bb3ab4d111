"""pyvis network views, rendered offline (inline JavaScript) with escaped tooltips."""

from __future__ import annotations

import html

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
        # titles are HTML in vis.js tooltips: escape everything that came from a document
        title = html.escape(f"{spec.label}: {label}\nkey: {node.key}")
        net.add_node(i, label=label[:40], title=title, color=spec.display["color"], shape=spec.display["shape"])
    for edge in sub.edges:
        if edge.src in ids and edge.dst in ids:
            spec = model.edge(edge.type)
            net.add_edge(ids[edge.src], ids[edge.dst], label=spec.display["label"], color=spec.display["color"],
                         title=html.escape(edge.type))
    return net.generate_html(notebook=False)
