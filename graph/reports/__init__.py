"""Court-ready reports from the graph: defendant schedule, asset-restraint list, service list, joinder memo,
operator dossier, and interop exports. Output is deterministic: the same store and options give the same bytes."""

from graph.reports.output import REPORT_FORMATS  # noqa: F401
