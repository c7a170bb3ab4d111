"""The offline Cypher linter harness (tests/cypherlint.py + tests/cypher_lint/lint.mjs) works."""

from __future__ import annotations

import pytest

try:  # tests/ is a plain directory (rootdir-relative import) ...
    from cypherlint import LINTER_MISSING_REASON, errors, lint, linter_available, warnings
except ImportError:  # ... or a package, if someone adds tests/__init__.py
    from tests.cypherlint import (  # type: ignore[no-redef]
        LINTER_MISSING_REASON,
        errors,
        lint,
        linter_available,
        warnings,
    )

pytestmark = pytest.mark.skipif(not linter_available(), reason=LINTER_MISSING_REASON)

VALID = [
    ("CREATE CONSTRAINT x IF NOT EXISTS FOR (n:Storefront) REQUIRE n.key IS UNIQUE", {}),
    (
        "CREATE FULLTEXT INDEX entity_search IF NOT EXISTS FOR (n:Entity) ON EACH [n.search_text]",
        {},
    ),
    (
        "UNWIND $rows AS row MERGE (n:Storefront {key: row.key}) "
        "ON CREATE SET n.first_seen = row.seen SET n.last_seen = row.seen",
        {"rows": [{"key": "shop-1", "seen": "2024-01-01T00:00:00Z"}]},
    ),
    (
        "CALL db.index.fulltext.queryNodes('entity_search', $q) YIELD node, score RETURN node, score",
        {"q": "acme"},
    ),
    (
        "MATCH p = shortestPath((a:Entity {uid: $a})-[*..6]-(b:Entity {uid: $b})) RETURN p",
        {"a": "u1", "b": "u2"},
    ),
]


# Every lint() call starts node and loads the linter (~1-2 s), so the statements
# that use the default options are linted together, once for the module.
DEFAULT_BATCH = {
    "syntax_error": ("MATCH (n RETURN n", {}),
    "undefined_variable": ("MATCH (n) RETURN m", {}),
    "type_error": ("RETURN 1 AND 'x' AS b", {}),
    "param_declared": ("UNWIND $rows AS row MATCH (s:Storefront {key: row.key}) RETURN s", {"rows": []}),
    "param_undeclared": ("UNWIND $rows AS row MATCH (s:Storefront {key: row.key}) RETURN s", {}),
    "param_none_value": ("UNWIND $rows AS row MATCH (s:Storefront {key: row.key}) RETURN s", {"rows": None}),
    "two_statements": ("RETURN 1; RETURN 2", {}),
    "trailing_semicolon": ("RETURN 1;", {}),
    "misspelt_procedure": (
        "CALL db.index.fulltext.queryNode('entity_search', $q) YIELD node RETURN node",
        {"q": "x"},
    ),
    "bad_yield": (
        "CALL db.index.fulltext.queryNodes('entity_search', $q) YIELD nod RETURN nod",
        {"q": "x"},
    ),
    "deprecated_function": ("MATCH (n) RETURN id(n) AS i", {}),
    "cypher25_only": ("LET x = 1 RETURN x", {}),
    "cypher25_prefixed": ("CYPHER 25 LET x = 1 RETURN x", {}),
    "unknown_names_no_schema": ("MATCH (s:Storefrnt)-[:SELLS]->(l:Listing) RETURN s.nme", {}),
}


@pytest.fixture(scope="module")
def default_results():
    names = list(DEFAULT_BATCH)
    results = lint([DEFAULT_BATCH[n] for n in names] + VALID)
    assert len(results) == len(names) + len(VALID)
    return dict(zip(names, results[: len(names)])), results[len(names) :]


def _fmt(query, diags):
    return query + "".join(f"\n  {d['severity']} {d['line']}:{d['column']} {d['message']}" for d in diags)


def test_valid_statements_have_no_diagnostics(default_results):
    _, valid_results = default_results
    for (query, _), diags in zip(VALID, valid_results):
        assert diags == [], _fmt(query, diags)


def test_syntax_error_is_an_error(default_results):
    diags = default_results[0]["syntax_error"]
    errs = errors(diags)
    assert len(errs) == 1, diags
    assert "Invalid input 'RETURN'" in errs[0]["message"]
    assert (errs[0]["line"], errs[0]["column"]) == (1, 10)


def test_undefined_variable_is_an_error(default_results):
    diags = default_results[0]["undefined_variable"]
    errs = errors(diags)
    assert len(errs) == 1, diags
    assert errs[0]["message"] == "Variable `m` not defined"
    assert (errs[0]["line"], errs[0]["column"]) == (1, 18)


def test_type_error_is_an_error(default_results):
    diags = default_results[0]["type_error"]
    assert any("Type mismatch" in d["message"] for d in errors(diags)), diags


def test_declared_parameters_are_accepted_and_undeclared_ones_are_errors(default_results):
    r = default_results[0]
    assert r["param_declared"] == []
    assert [d["message"] for d in errors(r["param_undeclared"])] == ["Parameter $rows is not defined."]
    # Only the name matters, not the example value.
    assert r["param_none_value"] == []


def test_multiple_statements_are_an_error_but_trailing_semicolon_is_fine(default_results):
    r = default_results[0]
    assert any("2 statements" in d["message"] for d in errors(r["two_statements"])), r["two_statements"]
    assert r["trailing_semicolon"] == []


def test_procedure_catalogue_checks_names_and_yield_columns(default_results):
    r = default_results[0]
    assert any(
        "db.index.fulltext.queryNode is not present" in d["message"] for d in errors(r["misspelt_procedure"])
    ), r["misspelt_procedure"]
    assert any("Unknown procedure output: `nod`" in d["message"] for d in errors(r["bad_yield"])), r["bad_yield"]


def test_deprecations_are_warnings_not_errors(default_results):
    diags = default_results[0]["deprecated_function"]
    assert diags and errors(diags) == []
    assert any("deprecated" in d["message"] for d in warnings(diags)), diags


def test_default_is_cypher_5_and_cypher_25_can_be_chosen(default_results):
    r = default_results[0]
    # LET exists only in Cypher 25.
    assert any("Invalid input 'LET'" in d["message"] for d in errors(r["cypher25_only"])), r["cypher25_only"]
    assert r["cypher25_prefixed"] == []
    [v25] = lint([DEFAULT_BATCH["cypher25_only"]], cypher_version="25")
    assert v25 == []


def test_batch_keeps_order(default_results):
    names = list(DEFAULT_BATCH)
    r = default_results[0]
    assert errors(r[names[0]]) and errors(r[names[1]]) and r["param_declared"] == []


def test_schema_names_only_warn_when_a_schema_is_given(default_results):
    query, params = DEFAULT_BATCH["unknown_names_no_schema"]
    assert default_results[0]["unknown_names_no_schema"] == []
    schema = {"labels": ["Storefront", "Listing"], "relationshipTypes": ["SELLS"], "propertyKeys": ["name"]}
    [with_schema] = lint([(query, params)], schema=schema)
    assert errors(with_schema) == []
    messages = [d["message"] for d in warnings(with_schema)]
    assert any(m.startswith("Label Storefrnt is not present") for m in messages), messages
    assert any(m.startswith("nme is not present") for m in messages), messages


def test_bad_input_raises_runtime_error_with_stderr():
    with pytest.raises(RuntimeError, match="unknown cypherVersion"):
        lint([("RETURN 1", {})], cypher_version="4")
