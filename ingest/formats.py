"""The built-in parsers (importing this module registers them)."""

from ingest import seller_table  # noqa: F401
