"""One entry point for every report, used by the CLI and the dashboard alike."""

from __future__ import annotations

import tempfile
from pathlib import Path

from graph.analytics.scale import ScaleConfig
from graph.errors import GraphError
from graph.reports.selection import Selection
from graph.store.base import GraphStore

REPORTS = ("defendants", "restraint", "service", "joinder", "dossier")
REPORT_FORMATS = {"defendants": ("xlsx", "csv"), "restraint": ("xlsx", "csv"), "service": ("xlsx", "csv"),
                  "joinder": ("pdf", "html"), "dossier": ("pdf", "html")}


def write_report(store: GraphStore, kind: str, selection: Selection, path: Path, fmt: str | None = None,
                 config: ScaleConfig | None = None, group_by_operator: bool = False) -> str:
    """Write one report; returns what it holds, in words ('19 defendants')."""
    n = len(selection.defendants)
    if kind == "defendants":
        from graph.reports.defendants import write_defendants
        return f"{write_defendants(selection, path, fmt, group_by_operator)} defendants"
    if kind == "restraint":
        from graph.reports.restraint import write_restraint
        return f"{write_restraint(store, selection, path, fmt)} accounts of {n} defendants"
    if kind == "service":
        from graph.reports.service import write_service
        return f"{write_service(store, selection, path, fmt)} contacts of {n} defendants"
    if kind == "joinder":
        from graph.reports.joinder import write_joinder
        return f"{write_joinder(store, selection, path, fmt)} shared facts among {n} defendants"
    if kind == "dossier":
        from graph.reports.dossier import write_dossier
        return f"{write_dossier(store, selection, path, fmt, config)} operators"
    raise GraphError(f"unknown report {kind!r} (one of {', '.join(REPORTS)})")


def report_bytes(store: GraphStore, kind: str, selection: Selection, fmt: str,
                 config: ScaleConfig | None = None, group_by_operator: bool = False) -> tuple[bytes, str]:
    """The report as bytes (for a download) and what it holds."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{kind}.{fmt}"
        summary = write_report(store, kind, selection, path, fmt, config, group_by_operator)
        return path.read_bytes(), summary
