"""Reusable column mappings for recurring layouts: a YAML or JSON file of ``column: field``."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from ingest.columns import parse_overrides
from ingest.errors import IngestError


def load_mapping_file(path: Path) -> dict[str, str]:
    """``{"Store Link": "url", "Zahlungskonto": "payment"}`` (YAML or JSON) -> normalised overrides."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise IngestError(f"{path}: cannot read mapping file ({exc.strerror})") from None
    try:
        data = json.loads(text) if str(path).endswith(".json") else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        raise IngestError(f"{path}: not a valid mapping file ({str(exc).splitlines()[0]})") from None
    if isinstance(data, dict) and "columns" in data:
        data = data["columns"]
    if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        raise IngestError(f"{path}: expected a mapping of column header to field name")
    return parse_overrides([f"{k}={v}" for k, v in data.items()])
