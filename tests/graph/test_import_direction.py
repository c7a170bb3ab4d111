"""Package dependencies point one way: graph imports none of ingest, nlp, dashboard or the CLI."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = {
    "graph": {"ingest", "nlp", "dashboard", "infringer_graph"},
    "nlp": {"ingest", "dashboard", "infringer_graph"},
    "ingest": {"dashboard", "infringer_graph"},
    "dashboard": {"infringer_graph"},
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_point_one_way(package):
    offenders = {str(p.relative_to(ROOT)): sorted(_imports(p) & FORBIDDEN[package])
                 for p in (ROOT / package).rglob("*.py")}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_dashboard_writes_no_sql_or_cypher():
    for p in (ROOT / "dashboard").rglob("*.py"):
        text = p.read_text(encoding="utf-8")
        assert "sqlite3" not in text and "MATCH (" not in text and "SELECT " not in text, p
