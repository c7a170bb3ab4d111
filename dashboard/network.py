"""pyvis network views, rendered offline (inline JavaScript, no CDN tags) with text-only tooltips.

Everything shown comes from documents written by counterfeiters, so nothing in a node is ever HTML:
- tooltips are plain strings; vis-network 9 puts string titles in with ``innerText`` (pyvis's own HTML popup,
  ``tooltip_link``, which pyvis turns on when a title contains "href", is forced off here), so
  ``<img src=x onerror=alert(1)>`` shows as those characters;
- the node and edge data are embedded with Jinja's ``tojson``, which writes ``<``, ``>`` and ``&`` as ``\\u003c``
  escapes, so no value can close the ``<script>`` it sits in;
- the legend is built here from the schema, every text in it escaped.
pyvis's template links Bootstrap (and tom-select) from CDNs whatever ``cdn_resources`` says: those tags are
removed, so the page makes no request off the machine.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from functools import lru_cache

from jinja2 import Environment, FileSystemLoader
from pyvis.network import Network

from graph.model import get_model
from graph.records import NodeRef
from graph.store.base import Edge, Subgraph

_REMOTE_TAG = re.compile(r"<(?:link|script)\b[^>]*\b(?:href|src)\s*=\s*[\"']https?://[^>]*>(?:\s*</script>)?",
                         re.IGNORECASE)
_LABEL_CHARS = 32


def strip_remote(page: str) -> str:
    """The page without ``<link href=http…>`` / ``<script src=http…>`` tags (pyvis's CDN references)."""
    return _REMOTE_TAG.sub("", page)


def node_label(name: str | None, key: str) -> str:
    text = " ".join((name or key).split())
    return text if len(text) <= _LABEL_CHARS else text[:_LABEL_CHARS - 1] + "…"


def edge_label(edge: Edge) -> str:
    """The link kind from the schema; a resolution link also shows its band and score."""
    label = get_model().edge(edge.type).display["label"]
    if edge.type == "LINKED":
        score = edge.props.get("score", "")
        band = edge.props.get("band", "")
        return f"{label} {score[:4]}" + (" (review)" if band == "review" else "")
    if edge.type == "NAMED_IN" and edge.props.get("defendant_no"):
        return f"{label} {edge.props['defendant_no']}"
    return label


def legend_html(node_types: Iterable[str], edge_types: Iterable[str] = ()) -> str:
    """A small legend (colour and shape name per node type, colour per edge type) in escaped HTML."""
    model = get_model()
    items = []
    for t in sorted(set(node_types)):
        spec = model.node(t)
        items.append(f'<span style="margin-right:12px;white-space:nowrap"><span style="display:inline-block;'
                     f'width:11px;height:11px;border-radius:2px;background:{html.escape(spec.display["color"])}">'
                     f'</span> {html.escape(spec.label)} <small>({html.escape(spec.display["shape"])})</small></span>')
    for t in sorted(set(edge_types)):
        spec = model.edge(t)
        items.append(f'<span style="margin-right:12px;white-space:nowrap"><span style="display:inline-block;'
                     f'width:16px;height:3px;vertical-align:middle;background:{html.escape(spec.display["color"])}">'
                     f'</span> {html.escape(spec.display["label"])}</span>')
    return ('<div class="ig-legend" style="font:12px sans-serif;padding:4px 8px;line-height:1.8">'
            + "".join(items) + "</div>")


@lru_cache(maxsize=4)
def _template(template_dir: str, name: str):
    """pyvis's page template, compiled once per process (pyvis compiles it, the inlined vis-network library
    included, on every call: most of the time of drawing a small network)."""
    return Environment(loader=FileSystemLoader(template_dir)).get_template(name)


def _generate_html(net: Network) -> str:
    """``Network.generate_html`` with a cached template and pyvis's HTML popup always off: pyvis turns that
    popup on (``popup.innerHTML = title``) whenever a title contains "href", which a name from a document can."""
    nodes, edges, heading, height, width, options = net.get_network_data()
    return _template(net.template_dir, net.path).render(
        height=height, width=width, nodes=nodes, edges=edges, heading=heading, options=options,
        physics_enabled=True, use_DOT=net.use_DOT, dot_lang=net.dot_lang, widget=net.widget, bgcolor=net.bgcolor,
        conf=net.conf, tooltip_link=False, neighborhood_highlight=net.neighborhood_highlight,
        select_menu=net.select_menu, filter_menu=net.filter_menu, notebook=False, cdn_resources=net.cdn_resources)


def render_network(sub: Subgraph, height: str = "560px", focus: Iterable[NodeRef] = ()) -> str:
    """Self-contained HTML of the subgraph (legend on top); colours, shapes and edge labels come from the
    schema; ``focus`` nodes are drawn larger."""
    model = get_model()
    net = Network(height=height, width="100%", directed=True, cdn_resources="in_line", notebook=False)
    net.toggle_physics(True)
    big = set(focus)
    ids: dict[NodeRef, int] = {}
    for i, node in enumerate(sub.nodes):
        spec = model.node(node.type)
        ids[node.ref] = i
        shown = " ".join((node.name or node.key).split())
        # plain text: vis-network shows string titles with innerText (see the module's docstring)
        title = f"{spec.label}: {shown}\nkey: {node.key}"
        net.add_node(i, label=node_label(node.name, node.key), title=title, color=spec.display["color"],
                     shape=spec.display["shape"], size=30 if node.ref in big else 16)
    kinds = set()
    for edge in sub.edges:
        if edge.src in ids and edge.dst in ids:
            spec = model.edge(edge.type)
            kinds.add(edge.type)
            net.add_edge(ids[edge.src], ids[edge.dst], label=edge_label(edge), color=spec.display["color"],
                         title=f"{edge.type}: {edge.src} → {edge.dst}", font={"size": 10, "align": "middle"})
    page = strip_remote(_generate_html(net))
    legend = legend_html({n.type for n in sub.nodes}, kinds)
    return page.replace("<body>", "<body>" + legend, 1)
