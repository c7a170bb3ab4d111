"""Lint Cypher statements offline with Neo4j's own linter (for pytest).

The Neo4j backend cannot run on the test machines, so the statements it would
send are checked by ``lintCypherQuery`` from the npm package
``@neo4j-cypher/language-support`` (pinned in ``tests/cypher_lint/package.json``),
run by ``tests/cypher_lint/lint.mjs`` under Node.js.  Install it with::

    npm ci --prefix tests/cypher_lint

Usage::

    from tests.cypherlint import linter_available, lint, errors   # or `from cypherlint import ...`

    if not linter_available():
        pytest.skip(LINTER_MISSING_REASON)
    results = lint([(query, params), ...])          # one node process for the batch
    for (query, _), diags in zip(statements, results):
        assert errors(diags) == [], (query, diags)

Every diagnostic is a dict ``{"severity": "error" | "warning", "message",
"line", "column", "end_line", "end_column", "offset", "end_offset",
"deprecated"}`` (line/column 1-based, offsets 0-based).  ``error`` means the
server would reject the statement (syntax error, undefined variable, type
mismatch, undeclared ``$parameter``, unknown function/procedure or YIELD
column, wrong argument count, more than one statement).  ``warning`` is advice:
deprecations, and -- only when a ``schema`` with labels/relationship types/
property keys is passed -- names that are not in that schema.

``schema`` (optional) is ``{"labels": [...], "relationshipTypes": [...],
"propertyKeys": [...]}``; label/relationship-type checks need both lists.
``cypher_version`` is ``"5"`` (Neo4j's default language) or ``"25"``;
``catalog`` is ``"core"`` (built-in Neo4j functions/procedures, the default),
``"all"`` (also APOC and GDS) or ``"none"`` (do not check names of
functions/procedures).  See ``tests/cypher_lint/lint.mjs`` for details.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any, Iterable

LINT_DIR = Path(__file__).resolve().parent / "cypher_lint"
LINT_SCRIPT = LINT_DIR / "lint.mjs"
PACKAGE_DIR = LINT_DIR / "node_modules" / "@neo4j-cypher" / "language-support"

LINTER_MISSING_REASON = (
    "Cypher linter not installed: needs `node` on PATH and "
    "`npm ci --prefix tests/cypher_lint` (installs @neo4j-cypher/language-support)"
)

ERROR = "error"
WARNING = "warning"

Diagnostic = dict[str, Any]


def linter_available() -> bool:
    """True when node is on PATH and tests/cypher_lint/node_modules is installed."""
    return (
        shutil.which("node") is not None
        and LINT_SCRIPT.is_file()
        and (PACKAGE_DIR / "package.json").is_file()
    )


def lint(
    statements: Iterable[tuple[str, dict[str, Any] | None]],
    schema: dict[str, list[str]] | None = None,
    *,
    cypher_version: str = "5",
    catalog: str = "core",
    timeout: float = 300.0,
) -> list[list[Diagnostic]]:
    """Lint a batch of ``(query, params)`` pairs in one node process.

    ``params`` holds example values for every ``$parameter`` the query uses
    (only the names matter; ``None`` is a fine value).  Returns one list of
    diagnostics per statement, in order.  Raises RuntimeError (with node's
    stderr) if the linter cannot run or fails.
    """
    payload_statements = []
    for query, params in statements:
        if not isinstance(query, str):
            raise TypeError(f"query must be str, not {type(query).__name__}: {query!r}")
        payload_statements.append({"query": query, "params": dict(params or {})})
    envelope: dict[str, Any] = {
        "statements": payload_statements,
        "cypherVersion": cypher_version,
        "catalog": catalog,
    }
    if schema is not None:
        envelope["schema"] = schema

    node = shutil.which("node")
    if node is None or not linter_available():
        raise RuntimeError(LINTER_MISSING_REASON)
    try:
        payload = json.dumps(envelope, default=_json_default)
    except TypeError as exc:  # pragma: no cover - defensive
        raise RuntimeError(f"parameters are not JSON-serialisable: {exc}") from exc

    try:
        proc = subprocess.run(
            [node, str(LINT_SCRIPT)],
            input=payload,
            capture_output=True,
            text=True,
            encoding="utf-8",
            cwd=LINT_DIR,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise RuntimeError(f"Cypher linter timed out after {timeout}s") from exc
    if proc.returncode != 0:
        raise RuntimeError(
            f"Cypher linter failed (exit {proc.returncode}):\n{proc.stderr.strip()}"
        )
    try:
        results = json.loads(proc.stdout)
    except json.JSONDecodeError as exc:
        raise RuntimeError(
            f"Cypher linter printed invalid JSON ({exc}):\n{proc.stdout[:2000]}\n{proc.stderr}"
        ) from exc
    if not isinstance(results, list) or len(results) != len(payload_statements):
        raise RuntimeError(
            f"Cypher linter returned {len(results) if isinstance(results, list) else type(results).__name__}"
            f" results for {len(payload_statements)} statements"
        )
    return results


def errors(diags: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Only the diagnostics that mean the server would reject the statement."""
    return [d for d in diags if d.get("severity") == ERROR]


def warnings(diags: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Only the advisory diagnostics (deprecations, names missing from a given schema)."""
    return [d for d in diags if d.get("severity") == WARNING]


def format_diagnostics(query: str, diags: Iterable[Diagnostic]) -> str:
    """Human-readable report for assertion messages."""
    lines = [query]
    for d in diags:
        lines.append(f"  {d['severity']} at {d['line']}:{d['column']}: {d['message']}")
    return "\n".join(lines)


def _json_default(value: Any) -> Any:
    # Parameter values are only examples (the linter checks presence, not type),
    # so anything the driver could send but JSON cannot encode becomes a string.
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    return str(value)
