"""Shared helpers of the domain-record parser tests (RDAP and WHOIS)."""

from __future__ import annotations

import io
import json

from ingest.base import ParseContext
from ingest.rdap import RDAPDomain
from ingest.whois_text import WhoisText
from tests.conftest import FIXTURES

DOMAINS = FIXTURES / "ingest" / "domains"


def parse_domain_record(parser, name: str, data: bytes | None = None):
    ctx = ParseContext(path=name)
    raw = data if data is not None else (DOMAINS / name).read_bytes()
    items = list(parser().parse(io.BufferedReader(io.BytesIO(raw)), ctx))
    return items, ctx


def whois(text: str):
    items, _ = parse_domain_record(WhoisText, "lookup.txt", text.encode())
    return items


def rdap(obj) -> list:
    items, _ = parse_domain_record(RDAPDomain, "lookup.json", json.dumps(obj).encode())
    return items


def mapped_of(record) -> list[tuple[str, str, str]]:
    return [(v.field, v.raw, v.locator) for v in record.values if v.field]


def kept_of(record) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for v in record.values:
        if v.field is None:
            out.setdefault(v.column, []).append(v.raw)
    return out
