"""The model is the one source of truth: every declared type reaches every place derived from it."""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from graph.errors import SchemaError
from graph.export import entity_columns
from graph.model import SCHEMA_DIR, get_model, load_model
from graph.store import cypher
from nlp.labels import entity_labels

MODEL = get_model()


@pytest.mark.parametrize("name", sorted(MODEL.nodes))
def test_every_node_type_reaches_store_export_nlp_display_and_docs(name, sqlite_store):
    nt = MODEL.node(name)
    assert nt.display["color"].startswith("#") and nt.display["shape"] and nt.display["icon"]
    assert nt.description and nt.key
    if name != "Source":  # Source nodes live in the sources table / are keyed by sha256 in Neo4j
        assert any(f"(n:`{name}`) REQUIRE n.key IS UNIQUE" in q for q in cypher.q_constraints())
        assert f"MERGE (n:Entity:`{name}`" in cypher.q_merge_nodes(name)
    row = sqlite_store._conn.execute("SELECT label FROM node_types WHERE name = ?", (name,)).fetchone()
    assert row == (nt.label,)
    assert set(nt.properties) - {"name", "value"} <= set(entity_columns())
    if nt.nlp_label is not None:
        assert entity_labels()[nt.nlp_label] == name
    else:
        assert name in {"Operator", "Source"}  # derived or bookkeeping types are never mentioned in text
    assert f"### {name}" in (SCHEMA_DIR.parent.parent / "docs" / "schema.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(MODEL.edges))
def test_every_edge_type_reaches_store_cypher_display_and_docs(name, sqlite_store):
    et = MODEL.edge(name)
    assert et.display["color"].startswith("#") and et.display["label"]
    assert f"[r:`{name}`]" in cypher.q_merge_edges(name)
    assert sqlite_store._conn.execute("SELECT 1 FROM edge_types WHERE name = ?", (name,)).fetchone()
    assert f"### {name}" in (SCHEMA_DIR.parent.parent / "docs" / "schema.md").read_text(encoding="utf-8")


def test_edge_types_outside_the_model_cannot_be_stored(sqlite_store):
    conn = sqlite_store._conn
    conn.execute("INSERT INTO nodes(type, key, first_seen, last_seen) VALUES ('Email', 'a@b.com', 'x', 'x')")
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("INSERT INTO edges(type, src, dst, first_seen, last_seen) VALUES ('KNOWS', 1, 1, 'x', 'x')")
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("INSERT INTO nodes(type, key, first_seen, last_seen) VALUES ('Person', 'p', 'x', 'x')")


def test_model_is_immutable():
    with pytest.raises(TypeError):
        MODEL.nodes["Person"] = MODEL.nodes["Seller"]  # type: ignore[index]
    with pytest.raises(AttributeError):
        MODEL.node("Seller").key = "x"  # type: ignore[misc]


def test_each_column_synonym_means_one_field():
    from ingest.columns import normalise_header

    owner: dict[str, str] = {}
    for field in MODEL.fields.values():
        for syn in field.synonyms:
            norm = normalise_header(syn)
            assert owner.setdefault(norm, field.name) == field.name, f"{syn!r} is claimed by two fields"


def _broken_copy(tmp_path, path: str, old: str, new: str):
    root = tmp_path / "schema"
    shutil.copytree(SCHEMA_DIR, root)
    target = root / path
    target.write_text(target.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    return root


@pytest.mark.parametrize("path,old,new,message", [
    ("edges/paid_to.yaml", "to: [PaymentAccount]", "to: [Wallet]", r"paid_to.yaml: to names unknown node types \['Wallet'\]"),
    ("nodes/email.yaml", "cleaner: email", "cleaner: mail", "email.yaml: unknown cleaner 'mail'"),
    ("nodes/phone.yaml", "nlp_label: PHONE\n", "", "phone.yaml: nlp_label, cleaner and identifier must be declared"),
    ("fields.yaml", "edge: USES_PHONE", "edge: USES_EMAIL", "fields.yaml: phone: USES_EMAIL cannot point to Phone"),
    ("fields.yaml", '"no", "#"', 'no, "#"', "fields.yaml: defendant_no: synonyms must be strings"),
])
def test_an_inconsistent_schema_is_refused_naming_the_file(tmp_path, path, old, new, message):
    with pytest.raises(SchemaError, match=message):
        load_model(_broken_copy(tmp_path, path, old, new))


def test_schema_docs_are_generated_from_the_model():
    from graph.docs import render_schema_docs

    assert render_schema_docs() == (SCHEMA_DIR.parent.parent / "docs" / "schema.md").read_text(encoding="utf-8"), \
        "docs/schema.md is stale: run `infringer-graph schema --markdown -o docs/schema.md`"
