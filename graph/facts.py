"""Records of raw values -> statements about nodes and edges (pure, no I/O).

The subject of a record (e.g. a Storefront row) gets a key from its own
fields; every ``link`` field value is cleaned into its own node and linked to
the subject by the edge the schema declares. Nothing is dropped: a value that
does not clean becomes an ``Unparsed`` with the reason, a column nobody
mapped becomes an ``extra:`` property of the subject.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from graph.clean import Cleaned, clean
from graph.clean.country import country_code
from graph.model import Field, Model, get_model
from graph.records import EdgeStatement, Facts, NodeRef, NodeStatement, Record, Unparsed, Value

EXTRA_PREFIX = "extra:"


@lru_cache(maxsize=256)
def _splitter(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


_SEPARATORS = frozenset(";|,\n\r\t ")


def split_values(raw: str, field: Field) -> list[str]:
    """The separate values in one cell, trimmed, without empties or repeats."""
    if _SEPARATORS.isdisjoint(raw):  # the common case: one value
        return [raw] if raw else []
    pattern = _splitter(field.split)
    if pattern.search(raw) is None:  # one value with spaces or commas in it (a name, an address)
        part = raw.strip().strip(",").strip()
        return [part] if part else []
    parts = pattern.split(raw)
    seen: dict[str, None] = {}
    for part in parts:
        part = part.strip().strip(",").strip()
        if part:
            seen.setdefault(part)
    return list(seen)


def _storefront_key(values: dict[str, list[Value]], hints: dict[str, str]) -> tuple[Cleaned, str, Value | None]:
    """Key of a storefront from its URL, else its platform id, else its name."""
    marketplace = hints.get("marketplace", "")
    reasons = []
    for v in values.get("url", []):
        c = clean("storefront", v.raw, hints)
        if c.ok:
            return c, "url", v
        reasons.append(f"url {v.raw[:60]!r}: {c.reason}")
    for v in values.get("seller_id", []):
        c = clean("storefront", v.raw, hints)
        if c.ok:
            return c, "id", v
        reasons.append(f"seller id {v.raw[:60]!r}: {c.reason}")
    for v in values.get("name", []):
        name = clean("name", v.raw)
        if name.ok:
            from graph.clean.marketplace import clean_marketplace_name
            slug = clean_marketplace_name(marketplace) if marketplace else None
            key = f"{slug or 'unknown'}:name:{name.key}"
            return Cleaned(key=key, value=v.raw, props={"marketplace": slug or ""}), "name", v
    reason = "; ".join(reasons) or "no URL, seller id or name"
    return Cleaned(key=None, reason=f"no key for the storefront ({reason})"), "", None


def _subject_key(record: Record, model: Model, values: dict[str, list[Value]],
                 hints: dict[str, str]) -> tuple[Cleaned, str, Value | None]:
    """Key of the record's subject from the first of its type's ``key_fields`` that cleans."""
    if record.subject == "Storefront":
        return _storefront_key(values, hints)
    node_type = model.node(record.subject)
    reasons = []
    for fname in node_type.key_fields:
        for v in values.get(fname, []):
            c = clean(node_type.cleaner, v.raw, hints) if node_type.cleaner else None
            if c is not None and c.ok:
                return c, fname, v
            if c is not None:
                reasons.append(f"{fname} {v.raw[:60]!r}: {c.reason}")
    detail = "; ".join(reasons) or f"none of {', '.join(node_type.key_fields) or 'its key fields'}"
    return Cleaned(key=None, reason=f"no key for the {record.subject} ({detail})"), "", None


def _mention(facts: Facts, ref: NodeRef, cleaned: Cleaned, name_prop: str, locator: str) -> None:
    """One statement for the mention (display value, else the key); cleaner props are derived."""
    if cleaned.value:
        facts.nodes.append(NodeStatement(ref, name_prop, cleaned.value, locator))
    else:
        facts.nodes.append(NodeStatement(ref, "key", ref.key, locator))
    if cleaned.props:
        facts.derive(ref, {p: v for p, v in cleaned.props.items() if v and p != name_prop})


def extract_facts(record: Record, model: Model | None = None) -> Facts:
    """All statements one record supports; never raises for bad values."""
    model = model or get_model()
    facts = Facts(records=1)
    values: dict[str, list[Value]] = {}
    extras: list[Value] = []
    fields = model.fields
    for v in record.values:
        fname = v.field
        if fname is None or fname not in fields:
            extras.append(v)
            continue
        parts = split_values(v.raw, fields[fname])
        if parts:
            found = values.get(fname)
            if found is None:
                found = values[fname] = []
            for part in parts:  # the Value itself when the cell holds one value
                found.append(v if part is v.raw else Value(fname, part, v.locator, v.column))

    hints = dict(record.hints)
    for v in values.get("country", []):
        code = country_code(v.raw)
        if code:
            hints.setdefault("country", code)
        else:
            facts.unparsed.append(Unparsed("country", v.raw, "unknown country", v.locator))
    for v in values.get("marketplace", []):
        hints.setdefault("marketplace", v.raw)
    for fname, vals in values.items():  # other context for cleaners, e.g. the court of a docket number
        if fname != "country" and model.fields[fname].role == "hint":
            hints.setdefault(fname, vals[0].raw)

    key, basis, key_value = _subject_key(record, model, values, hints)
    if not key.ok:
        for v in record.values:
            facts.unparsed.append(Unparsed(v.field or v.column or "?", v.raw, key.reason or "no key", v.locator))
        return facts
    subject = NodeRef(record.subject, key.key)
    locator = record.locator
    if record.subject == "Storefront":
        if not values.get("name"):  # otherwise the name statements below already place the storefront here
            facts.nodes.append(NodeStatement(subject, "key", key.key, locator))
        facts.derive(subject, {p: v for p, v in key.props.items() if v and p != "url"})
        facts.derive(subject, {"key_basis": basis})
    else:
        _mention(facts, subject, key, model.node(record.subject).name_property, key_value.locator)

    edge_props: dict[str, list[tuple[str, str]]] = {}
    for fname, vals in values.items():
        field = model.fields[fname]
        if field.role == "subject" and field.property:
            for v in vals:
                if field.property == "url" and basis == "url" and v is key_value:
                    continue
                facts.nodes.append(NodeStatement(subject, field.property, v.raw, v.locator))
        elif field.role == "edge_property" and field.of:
            if field.of in values:
                edge_props.setdefault(field.of, []).extend((field.property or fname, v.raw) for v in vals)
            else:
                facts.nodes.extend(NodeStatement(subject, field.property or fname, v.raw, v.locator) for v in vals)
    if key_value is not None and basis == "url" and "url" in key.props:
        facts.nodes.append(NodeStatement(subject, "url", key.props["url"], key_value.locator))
    if record.subject == "Storefront" and key.key.startswith("web:") and key_value is not None:
        # a standalone web shop runs on its own domain: the store URL itself proves the link
        domain = clean("domain", key.key.removeprefix("web:"))
        if domain.ok:
            ref = NodeRef("Domain", domain.key)
            _mention(facts, ref, domain, model.node("Domain").name_property, key_value.locator)
            facts.edges.append(EdgeStatement("USES_DOMAIN", subject, ref, key_value.locator))

    for fname, vals in values.items():
        field = model.fields[fname]
        if field.role != "link":
            continue
        target = model.node(field.node)
        if target.name == record.subject:  # e.g. the company of a Seller record: the subject itself
            facts.nodes.extend(NodeStatement(subject, target.name_property, v.raw, v.locator)
                               for v in vals if v is not key_value)
            continue
        edge = model.edge(field.edge_for(record.subject))
        if record.subject not in edge.sources:
            facts.unparsed.extend(Unparsed(fname, v.raw, f"{record.subject} cannot have {edge.name}", v.locator, subject)
                                  for v in vals)
            continue
        field_hints = {**hints, **field.hint} if field.hint else hints
        props = tuple(sorted(field.edge_properties.items())) if field.edge_properties else ()
        if fname in edge_props:
            props += tuple(edge_props[fname])
        for v in vals:
            c = clean(field.cleaner, v.raw, field_hints) if field.cleaner else Cleaned(None, reason="no cleaner")
            if not c.ok:
                facts.unparsed.append(Unparsed(fname, v.raw, c.reason or "does not clean", v.locator, subject))
                continue
            ref = NodeRef(target.name, c.key)
            _mention(facts, ref, c, target.name_property, v.locator)
            facts.edges.append(EdgeStatement(edge.name, subject, ref, v.locator, props))

    for v in extras:
        name = v.column or v.field or "column"
        facts.nodes.append(NodeStatement(subject, f"{EXTRA_PREFIX}{name}", v.raw, v.locator))
    return facts


def extract_all(records: Iterable[Record], model: Model | None = None) -> Facts:
    model = model or get_model()
    facts = Facts()
    for record in records:
        facts.extend(extract_facts(record, model))
    return facts
