"""The graph model, loaded once from the YAML files under ``graph/schema``.

Everything that depends on the set of node and edge types (store DDL and
constraints, Cypher, export columns, NLP labels, dashboard colours, the schema
docs) reads this model instead of repeating the names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field as dc_field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

import yaml

from graph.clean import cleaner_names
from graph.errors import SchemaError

SCHEMA_DIR = Path(__file__).with_name("schema")
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


def _frozen(mapping: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping or {}))


@dataclass(frozen=True)
class Property:
    """``search``: "text" (substring / fuzzy search over names), "prefix" (identifier values, matched
    exactly or by prefix), or None (not searchable)."""

    name: str
    description: str
    search: str | None = None


@dataclass(frozen=True)
class NodeType:
    name: str
    label: str
    description: str
    key: str
    cleaner: str | None
    name_property: str
    properties: Mapping[str, Property]
    display: Mapping[str, str]
    nlp_label: str | None
    identifier: bool
    key_fields: tuple[str, ...] = ()

    @property
    def search_properties(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.properties.values() if p.search)

    @property
    def text_properties(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.properties.values() if p.search == "text")

    @property
    def export_columns(self) -> tuple[str, ...]:
        return ("type", "key", "name", *self.properties)


@dataclass(frozen=True)
class EdgeType:
    name: str
    description: str
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    properties: Mapping[str, Property]
    display: Mapping[str, str]


@dataclass(frozen=True)
class Field:
    name: str
    role: str
    synonyms: tuple[str, ...]
    split: str
    property: str | None = None
    node: str | None = None
    edge: str | None = None
    cleaner: str | None = None
    hint: Mapping[str, str] = dc_field(default_factory=lambda: MappingProxyType({}))
    edge_properties: Mapping[str, str] = dc_field(default_factory=lambda: MappingProxyType({}))
    of: str | None = None
    edge_by_subject: Mapping[str, str] = dc_field(default_factory=lambda: MappingProxyType({}))

    def edge_for(self, subject: str) -> str | None:
        """The edge this link field makes from a subject of type ``subject``."""
        return self.edge_by_subject.get(subject, self.edge)


@dataclass(frozen=True)
class Model:
    nodes: Mapping[str, NodeType]
    edges: Mapping[str, EdgeType]
    fields: Mapping[str, Field]

    def node(self, name: str) -> NodeType:
        try:
            return self.nodes[name]
        except KeyError:
            raise SchemaError(f"unknown node type {name!r}") from None

    def edge(self, name: str) -> EdgeType:
        try:
            return self.edges[name]
        except KeyError:
            raise SchemaError(f"unknown edge type {name!r}") from None

    def field(self, name: str) -> Field:
        try:
            return self.fields[name]
        except KeyError:
            raise SchemaError(f"unknown field {name!r}") from None

    @property
    def property_names(self) -> tuple[str, ...]:
        names = {p for n in self.nodes.values() for p in n.properties}
        names |= {p for e in self.edges.values() for p in e.properties}
        return tuple(sorted(names))


def _properties(raw: Mapping[str, Any] | None, where: str) -> Mapping[str, Property]:
    props = {}
    for name, spec in (raw or {}).items():
        if not _NAME.match(name):
            raise SchemaError(f"{where}: bad property name {name!r}")
        spec = spec or {}
        search = spec.get("search")
        if search not in (None, "text", "prefix"):
            raise SchemaError(f"{where}: {name}: search must be text or prefix, not {search!r}")
        props[name] = Property(name, spec.get("description", ""), search)
    return MappingProxyType(props)


def _load_yaml(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise SchemaError(f"{path.name}: not valid YAML ({exc})") from None
    if not isinstance(data, dict):
        raise SchemaError(f"{path.name}: expected a mapping")
    return data


def _node_type(path: Path) -> NodeType:
    d = _load_yaml(path)
    name = d.get("type", "")
    if not _NAME.match(str(name)):
        raise SchemaError(f"{path.name}: bad type name {name!r}")
    for required in ("description", "key", "display", "name_property"):
        if required not in d:
            raise SchemaError(f"{path.name}: missing {required!r}")
    if "nlp_label" not in d or "cleaner" not in d or "identifier" not in d:
        raise SchemaError(f"{path.name}: nlp_label, cleaner and identifier must be declared (null is allowed)")
    props = _properties(d.get("properties"), path.name)
    if d["name_property"] not in props:
        raise SchemaError(f"{path.name}: name_property {d['name_property']!r} is not a property")
    display = d["display"]
    if not {"color", "shape", "icon"} <= set(display):
        raise SchemaError(f"{path.name}: display needs color, shape and icon")
    cleaner = d["cleaner"]
    if cleaner is not None and cleaner not in cleaner_names():
        raise SchemaError(f"{path.name}: unknown cleaner {cleaner!r}")
    return NodeType(name=name, label=d.get("label", name), description=" ".join(d["description"].split()),
                    key=d["key"], cleaner=cleaner, name_property=d["name_property"], properties=props,
                    display=_frozen(display), nlp_label=d["nlp_label"], identifier=bool(d["identifier"]),
                    key_fields=tuple(d.get("key_fields") or ()))


def _edge_type(path: Path, nodes: Mapping[str, NodeType]) -> EdgeType:
    d = _load_yaml(path)
    name = d.get("type", "")
    if not re.match(r"^[A-Z][A-Z0-9_]*$", str(name)):
        raise SchemaError(f"{path.name}: bad edge type name {name!r}")
    ends = {}
    for end in ("from", "to"):
        types = tuple(d.get(end) or ())
        unknown = [t for t in types if t not in nodes]
        if not types or unknown:
            raise SchemaError(f"{path.name}: {end} names unknown node types {unknown or '(none)'}")
        ends[end] = types
    display = d.get("display") or {}
    if not {"color", "label"} <= set(display):
        raise SchemaError(f"{path.name}: display needs color and label")
    return EdgeType(name=name, description=" ".join(str(d.get("description", "")).split()),
                    sources=ends["from"], targets=ends["to"],
                    properties=_properties(d.get("properties"), path.name), display=_frozen(display))


def _fields(path: Path, nodes: Mapping[str, NodeType], edges: Mapping[str, EdgeType]) -> Mapping[str, Field]:
    d = _load_yaml(path)
    default_split = d.get("default_split", r"\s*(?:;|\||\r?\n)\s*")
    fields = {}
    for name, spec in (d.get("fields") or {}).items():
        role = spec.get("role")
        if role not in {"subject", "link", "hint", "edge_property"}:
            raise SchemaError(f"fields.yaml: {name}: bad role {role!r}")
        node, edge = spec.get("node"), spec.get("edge")
        if role == "link":
            if node not in nodes or edge not in edges:
                raise SchemaError(f"fields.yaml: {name}: unknown node {node!r} or edge {edge!r}")
            for e in (edge, *(spec.get("edge_by_subject") or {}).values()):
                if e not in edges:
                    raise SchemaError(f"fields.yaml: {name}: unknown edge {e!r}")
                if node not in edges[e].targets:
                    raise SchemaError(f"fields.yaml: {name}: {e} cannot point to {node}")
        synonyms = spec.get("synonyms") or ()
        if not all(isinstance(x, str) for x in synonyms):
            raise SchemaError(f"fields.yaml: {name}: synonyms must be strings (quote yes/no/on/off)")
        cleaner = spec.get("cleaner") or (nodes[node].cleaner if node else None)
        try:
            re.compile(spec.get("split", default_split))
        except re.error as exc:
            raise SchemaError(f"fields.yaml: {name}: bad split pattern ({exc})") from None
        fields[name] = Field(
            name=name, role=role, synonyms=tuple(synonyms),
            split=spec.get("split", default_split), property=spec.get("property"), node=node, edge=edge,
            cleaner=cleaner, hint=_frozen(spec.get("hint")), edge_properties=_frozen(spec.get("edge_properties")),
            of=spec.get("of"), edge_by_subject=_frozen(spec.get("edge_by_subject")))
    for f in fields.values():
        if f.role == "edge_property" and (f.of not in fields or fields[f.of].role != "link"):
            raise SchemaError(f"fields.yaml: {f.name}: 'of' must name a link field")
    return MappingProxyType(fields)


def load_model(schema_dir: Path = SCHEMA_DIR) -> Model:
    """Read and cross-check the schema; raises SchemaError naming the file at fault."""
    nodes: dict[str, NodeType] = {}
    for path in sorted((schema_dir / "nodes").glob("*.yaml")):
        nt = _node_type(path)
        if nt.name in nodes:
            raise SchemaError(f"{path.name}: node type {nt.name} declared twice")
        nodes[nt.name] = nt
    edges: dict[str, EdgeType] = {}
    for path in sorted((schema_dir / "edges").glob("*.yaml")):
        et = _edge_type(path, nodes)
        if et.name in edges:
            raise SchemaError(f"{path.name}: edge type {et.name} declared twice")
        edges[et.name] = et
    fields = _fields(schema_dir / "fields.yaml", nodes, edges)
    for nt in nodes.values():
        unknown = [f for f in nt.key_fields if f not in fields]
        if unknown:
            raise SchemaError(f"{nt.name.lower()}.yaml: key_fields names unknown fields {unknown}")
    return Model(nodes=MappingProxyType(nodes), edges=MappingProxyType(edges), fields=fields)


@lru_cache(maxsize=1)
def get_model() -> Model:
    """The model of this installation (loaded once)."""
    return load_model()
