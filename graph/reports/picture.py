"""A static picture of an operator's network as SVG, drawn offline (networkx layout, SVG written by hand).

Labels come from counterfeiters' pages: every text is XML-escaped. The layout uses a fixed seed, so the same
network gives the same picture.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

import networkx as nx

from graph.analytics.network import OperatorView
from graph.model import get_model
from graph.reports.document import SVG_FONT

WIDTH, HEIGHT, PAD, LABEL_ROOM = 760, 500, 40, 170  # labels extend right of their node
MAX_LABEL = 28


def _label(text: str) -> str:
    return escape(text if len(text) <= MAX_LABEL else text[:MAX_LABEL - 1] + "…", {'"': "&quot;"})


def network_graph(view: OperatorView) -> nx.Graph:
    g = nx.Graph()
    op = ("Operator", view.key)
    g.add_node(op, type="Operator", label=view.name)
    for m in view.members:
        sf = ("Storefront", m.node.key)
        g.add_node(sf, type="Storefront", label=m.node.name or m.node.key)
        g.add_edge(op, sf)
        for lk in m.links:
            n = (lk.node.type, lk.node.key)
            g.add_node(n, type=lk.node.type, label=lk.node.name or lk.node.key)
            g.add_edge(("Storefront", m.node.key) if lk.via is None else (lk.via.type, lk.via.key), n)
    return g


def render_network_svg(view: OperatorView, max_nodes: int = 120) -> str:
    g = network_graph(view)
    if g.number_of_nodes() > max_nodes:  # keep the operator, storefronts and the identifiers most shared
        keep = sorted(g.nodes, key=lambda n: (n[0] not in ("Operator", "Storefront"), -g.degree(n), n))[:max_nodes]
        g = g.subgraph(keep).copy()
    ordered = nx.Graph()
    ordered.add_nodes_from(sorted(g.nodes(data=True)))
    ordered.add_edges_from(sorted(tuple(sorted(e)) for e in g.edges))
    pos = nx.spring_layout(ordered, seed=42, k=1.2 / max(ordered.number_of_nodes(), 1) ** 0.5, iterations=200)
    xs = [p[0] for p in pos.values()] or [0]
    ys = [p[1] for p in pos.values()] or [0]
    span_x, span_y = (max(xs) - min(xs)) or 1, (max(ys) - min(ys)) or 1

    def at(n):
        x, y = pos[n]
        return (PAD + (x - min(xs)) / span_x * (WIDTH - 2 * PAD - LABEL_ROOM),
                PAD + (y - min(ys)) / span_y * (HEIGHT - 2 * PAD - 20))
    colours = {name: nt.display.get("color", "#888") for name, nt in get_model().nodes.items()}
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
           f'viewBox="0 0 {WIDTH} {HEIGHT}" {SVG_FONT} font-size="9">',
           f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>']
    for a, b in ordered.edges:
        (x1, y1), (x2, y2) = at(a), at(b)
        out.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#999999" stroke-width="1"/>')
    for n, data in ordered.nodes(data=True):
        x, y = at(n)
        r = 9 if data["type"] == "Operator" else 6 if data["type"] == "Storefront" else 4.5
        out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r}" fill="{colours.get(data["type"], "#888888")}" '
                   f'stroke="#333333" stroke-width="0.5"/>')
        out.append(f'<text x="{x + r + 2:.1f}" y="{y + 3:.1f}" fill="#222222">{_label(str(data["label"]))}</text>')
    legend_y = HEIGHT - 12
    types = sorted({d["type"] for _, d in ordered.nodes(data=True)})
    x = 10
    for t in types:
        out.append(f'<circle cx="{x}" cy="{legend_y}" r="4" fill="{colours.get(t, "#888888")}"/>')
        out.append(f'<text x="{x + 7}" y="{legend_y + 3}" fill="#222222">{escape(t)}</text>')
        x += 24 + 6 * len(t)
    out.append("</svg>")
    return "\n".join(out)
