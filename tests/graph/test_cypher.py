"""The Neo4j backend's Cypher: built only from the model, parameters only, and valid per Neo4j's own linter."""

from __future__ import annotations

import inspect
import os

import pytest

from graph.errors import SchemaError
from graph.store import cypher
from tests.cypherlint import LINTER_MISSING_REASON, errors, lint, linter_available, warnings

HOSTILE = ["Storefront`) DETACH DELETE n //", "Storefront:Admin", "storefront", "", "Source` {x:1}) RETURN 1 //"]


@pytest.mark.parametrize("name", HOSTILE)
def test_labels_and_relationship_types_come_only_from_the_model(name):
    with pytest.raises(SchemaError):
        cypher.label(name)
    with pytest.raises(SchemaError):
        cypher.q_merge_nodes(name)
    with pytest.raises(SchemaError):
        cypher.q_merge_edges(name + "_REL")
    with pytest.raises(SchemaError):
        cypher.rel_type("PAID_TO]->() DETACH DELETE n //")


@pytest.mark.parametrize("hops", [0, 7, -1, "2", True, 2.5])
def test_hop_counts_are_checked_before_they_reach_query_text(hops):
    with pytest.raises(SchemaError):
        cypher.q_reach(hops)


def test_user_text_is_quoted_for_the_fulltext_index():
    assert cypher.lucene_phrase('sunny" OR *:*') == '"sunny\\" OR \\*\\:\\*"'
    assert cypher.lucene_phrase("a  b\n c") == '"a b c"'


def test_catalogue_covers_every_statement_builder():
    builders = {n for n, f in inspect.getmembers(cypher, inspect.isfunction) if n.startswith("q_")}
    assert builders == {name for name, _, _ in cypher.catalogue()}


def test_no_statement_carries_a_value_from_its_parameters():
    for name, stmt, params in cypher.catalogue():
        for pname, value in params.items():
            if pname != "type" and isinstance(value, str) and len(value) > 3:  # $type is the label's own name
                assert value not in stmt, (name, value)


@pytest.fixture(scope="module")
def linted():
    if not linter_available():
        if os.environ.get("CI"):
            pytest.fail(LINTER_MISSING_REASON)
        pytest.skip(LINTER_MISSING_REASON)
    catalogue = cypher.catalogue()
    return list(zip(catalogue, lint([(stmt, params) for _, stmt, params in catalogue])))


def test_every_statement_passes_neo4js_linter(linted):
    problems = [(name, stmt, errors(diags)) for (name, stmt, _), diags in linted if errors(diags)]
    assert problems == []


def test_no_statement_uses_deprecated_cypher(linted):
    problems = [(name, [d["message"] for d in warnings(diags)]) for (name, _, _), diags in linted if warnings(diags)]
    assert problems == []


def test_the_linter_would_catch_a_broken_statement(linted):
    [diags] = lint([("MATCH (n:Entity {uid: $uid}) RETURN m", {"uid": "a"})])
    assert any("`m` not defined" in d["message"] for d in errors(diags))
