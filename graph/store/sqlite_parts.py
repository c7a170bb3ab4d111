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
_quote = json.encoder.encode_basestring  # how those encoders write a text (ensure_ascii=False)


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
    roles: dict[str, dict[str, tuple[bool, int]]]  # per type, per prop: (the name?, fts of its term or -1: none)
    search: dict[str, frozenset[str]]  # the type's search properties (derived props of these are terms)
    text: dict[str, frozenset[str]]  # ... of these, the names and addresses (fts 1)


_TABLES: dict[int, tuple[Model, _Tables]] = {}
_NO_ROLES: dict[str, tuple[bool, int]] = {}


def _tables(model: Model) -> _Tables:
    hit = _TABLES.get(id(model))
    if hit is None or hit[0] is not model:
        roles = {}
        for n in model.nodes.values():
            terms = {*n.search_properties, "key"}  # a statement of "key" is a term too
            roles[n.name] = {p: (p == n.name_property, int(p in n.text_properties) if p in terms else -1)
                             for p in {*terms, *([n.name_property] if n.name_property else [])}}
        hit = _TABLES[id(model)] = (model, _Tables(
            roles, {n.name: frozenset(n.search_properties) for n in model.nodes.values()},
            {n.name: frozenset(n.text_properties) for n in model.nodes.values()}))
    return hit[1]


def _sorted_json(values: dict) -> str:
    """``values`` as JSON with sorted keys and no spaces (as ``_json_sorted``), quicker for text keys and values."""
    try:
        return "{" + ",".join([_quote(k) + ":" + _quote(v) for k, v in sorted(values.items())]) + "}"
    except TypeError:  # a value (or key) that is not text
        return _json_sorted(values)


def prepare_batch(facts: Facts, model: Model | None = None) -> WriteParts:
    """The parts of ``facts`` the embedded store writes (see the module text). Node types are not checked
    here: the writer checks them (and raises) before it writes anything of the batch."""
    tables = _tables(model or get_model())
    roles, search_props, text_props = tables.roles, tables.search, tables.text
    derived, nodes, edges = facts.derived, facts.nodes, facts.edges
    place: dict[tuple[str, str], int] = {}
    for ref in chain((s[0] for s in nodes), derived):
        if ref not in place:
            place[ref] = len(place)
    stated = len(place)
    names: list[str | None] = [None] * stated
    s_place = [place[s[0]] for s in nodes]
    best: dict[tuple[int, str], int] = {}
    for (ref, prop, value, _), i in zip(nodes, s_place):
        role = roles.get(ref[0], _NO_ROLES).get(prop)  # an unknown type is refused by the writer
        if role is not None:
            if role[0]:
                names[i] = value
            fts = role[1]
            if fts >= 0 and best.get((i, value), -1) < fts:
                best[(i, value)] = fts
    json_of = []
    for i, ref in enumerate(place):
        values = derived.get(ref) if i < stated else None
        if not values:
            json_of.append("{}")
            continue
        json_of.append(_sorted_json(values))
        search = search_props.get(ref[0])
        if search is not None:
            for p, v in values.items():
                if p in search:
                    fts = int(p in text_props[ref[0]])
                    if best.get((i, v), -1) < fts:
                        best[(i, v)] = fts
    edge_types = list(dict.fromkeys([(e[0], e[1][0], e[2][0]) for e in edges]))
    for e in edges:
        if e[1] not in place:
            place[e[1]] = len(place)
        if e[2] not in place:
            place[e[2]] = len(place)
    statements = (s_place, [s[1] for s in nodes], [s[2] for s in nodes], [s[3] for s in nodes])
    columns = ([e[0] for e in edges], [place[e[1]] for e in edges], [place[e[2]] for e in edges],
               [e[3] for e in edges], [_json_plain(dict(e[4])) if e[4] else "{}" for e in edges])
    terms = ([i for i, _ in best], [t for _, t in best], list(best.values()))
    return WriteParts(list(place), stated, names, json_of, statements, terms, columns, edge_types,
                      facts.unparsed, facts.records, facts.blocks)
