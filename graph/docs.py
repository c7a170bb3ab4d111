"""The schema reference (docs/schema.md), generated from the model."""

from __future__ import annotations

from graph.model import Model, get_model


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_schema_docs(model: Model | None = None) -> str:
    model = model or get_model()
    out = ["# Graph model", "",
           "Generated from `graph/schema/` by `infringer-graph schema --markdown -o docs/schema.md`; do not edit.", "",
           "## Node types", ""]
    for nt in model.nodes.values():
        out += [f"### {nt.name}", "", nt.description, "",
                f"- key: {nt.key}",
                f"- cleaner: `{nt.cleaner}`" if nt.cleaner else "- cleaner: none (derived)",
                f"- NLP label: `{nt.nlp_label}`" if nt.nlp_label else "- NLP label: none",
                f"- pivot for resolution: {'yes' if nt.identifier else 'no'}",
                f"- display: {nt.display['icon']} {nt.display['shape']} `{nt.display['color']}`", "",
                "| property | search | description |", "|---|---|---|"]
        out += [f"| {p.name} | {p.search or ''} | {_cell(p.description)} |" for p in nt.properties.values()]
        out.append("")
    out += ["## Edge types", ""]
    for et in model.edges.values():
        out += [f"### {et.name}", "", et.description, "",
                f"- from: {', '.join(et.sources)}", f"- to: {', '.join(et.targets)}"]
        out += [f"- property `{p.name}`: {p.description}" for p in et.properties.values()]
        out.append("")
    out += ["## Input fields", "", "Column headers (after lower-casing and folding punctuation) that map to each field.", "",
            "| field | role | becomes | synonyms |", "|---|---|---|---|"]
    for f in model.fields.values():
        edges = " / ".join(dict.fromkeys(e for e in (f.edge, *f.edge_by_subject.values()) if e))
        becomes = f"{edges} → {f.node}" if f.role == "link" else (f.property or "cleaning hint")
        out.append(f"| {f.name} | {f.role} | {becomes} | {_cell(', '.join(f.synonyms))} |")
    return "\n".join(out) + "\n"
