"""Ingest: detect each file's format and parse it into Records (bytes in, Records out), then write Sources."""
