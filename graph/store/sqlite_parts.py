"""A batch of Facts made ready for the embedded store's writer, in the process that cleaned it.

The writer (one process, the critical path of a large ingest) used to look a node id up for every
statement, JSON-encode every node's derived properties and work out the search terms of the batch. A
cleaning worker now does that part (:func:`prepare_batch`) and sends :class:`WriteParts`: the batch's nodes
once each (first mention first, with their display name and derived properties as the JSON text the store
keeps), statements, terms and edges as columns (lists) that name nodes by their place in that list, and the
distinct type combinations to check. The writer then only maps places to ids. Columns: pickle sends (and the
writer reads) a list of ints or of strings cheaper than one tuple per statement. The content written is the same as from
the Facts themselves (the writer prepares Facts it is given with this same function).
"""

from __future__ import annotations

import json
from itertools import chain
from typing import NamedTuple

from graph.model import Model, get_model
from graph.records import EdgeBlock, Facts, Unparsed

_json_sorted = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode
_json_plain = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps(..., ensure_ascii=False), one encoder for all


class WriteParts(NamedTuple):
    refs: list[tuple[str, str]]  # the stated nodes in order of first mention, then nodes only an edge names
    stated: int  # how many of ``refs`` are stated (the rest are looked up, and inserted bare when missing)
    names: list[str | None]  # per stated node: its display name (its last name statement), if any
    derived: list[str]  # per stated node: its derived props as sorted JSON text ("{}" for none)
    statements: tuple[list[int], list[str], list[str], list[str]]  # place in refs, prop, value, locator
    terms: tuple[list[int], list[str], list[int]]  # place, term, fts: once per (place, term), the highest fts
    edges: tuple[list[str], list[int], list[int], list[str], list[str]]  # type, src and dst places, locator, props
    edge_types: list[tuple[str, str, str]]  # distinct (edge type, src type, dst type), first seen first
    unparsed: list[Unparsed]
    records: int
    blocks: list[EdgeBlock]


class _Tables(NamedTuple):
    names: dict[str, str | None]
    search: dict[str, frozenset[str]]  # the type's search properties
    stated: dict[str, frozenset[str]]  # ... and "key": statements of these are search terms
    text: dict[str, frozenset[str]]
    types: frozenset[str]


_TABLES: dict[int, tuple[Model, _Tables]] = {}


def _tables(model: Model) -> _Tables:
    hit = _TABLES.get(id(model))
    if hit is None or hit[0] is not model:
        hit = _TABLES[id(model)] = (model, _Tables(
            {n.name: n.name_property for n in model.nodes.values()},
            {n.name: frozenset(n.search_properties) for n in model.nodes.values()},
            {n.name: frozenset(n.search_properties) | {"key"} for n in model.nodes.values()},
            {n.name: frozenset(n.text_properties) for n in model.nodes.values()},
            frozenset(model.nodes)))
    return hit[1]


def prepare_batch(facts: Facts, model: Model | None = None) -> WriteParts:
    """The parts of ``facts`` the embedded store writes (see the module text). Node types are not checked
    here: the writer checks them (and raises) before it writes anything of the batch."""
    tables = _tables(model or get_model())
    name_props, search_props, term_props, text_props = tables.names, tables.search, tables.stated, tables.text
    derived = facts.derived
    place: dict[tuple[str, str], int] = {}
    refs: list[tuple[str, str]] = []
    for ref in chain((s[0] for s in facts.nodes), derived):
        if ref not in place:
            place[ref] = len(refs)
            refs.append(ref)
    stated = len(refs)
    names: list[str | None] = [None] * stated
    s_place, s_prop, s_value, s_locator = [], [], [], []
    best: dict[tuple[int, str], int] = {}
    for ref, prop, value, locator in facts.nodes:
        i = place[ref]
        s_place.append(i)
        s_prop.append(prop)
        s_value.append(value)
        s_locator.append(locator)
        ntype = ref[0]
        if prop == name_props.get(ntype):  # an unknown type is refused by the writer
            names[i] = value
        search = term_props.get(ntype)
        if search is not None and prop in search:
            fts = int(prop in text_props[ntype])
            if best.get((i, value), -1) < fts:
                best[(i, value)] = fts
    json_of = []
    for i, ref in enumerate(refs):
        values = derived.get(ref)
        json_of.append(_json_sorted(values) if values else "{}")
        if values:
            search, text = search_props.get(ref[0]), text_props.get(ref[0])
            if search is None:
                continue
            for p, v in values.items():
                if p in search:
                    fts = int(p in text)
                    if best.get((i, v), -1) < fts:
                        best[(i, v)] = fts
    e_type, e_src, e_dst, e_locator, e_props = [], [], [], [], []
    edge_types, seen_types = [], set()
    for etype, src, dst, locator, eprops in facts.edges:
        for ref in (src, dst):
            if ref not in place:
                place[ref] = len(refs)
                refs.append(ref)
        combo = (etype, src[0], dst[0])
        if combo not in seen_types:
            seen_types.add(combo)
            edge_types.append(combo)
        e_type.append(etype)
        e_src.append(place[src])
        e_dst.append(place[dst])
        e_locator.append(locator)
        e_props.append(_json_plain(dict(eprops)) if eprops else "{}")
    terms = ([i for i, _ in best], [t for _, t in best], list(best.values()))
    return WriteParts(refs, stated, names, json_of, (s_place, s_prop, s_value, s_locator), terms,
                      (e_type, e_src, e_dst, e_locator, e_props), edge_types, facts.unparsed, facts.records,
                      facts.blocks)
