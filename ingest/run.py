"""Ingest runs: walk paths, hash, detect, parse, extract facts, write one Source per file."""

from __future__ import annotations

import hashlib
import io
import multiprocessing
import os
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from graph.facts import extract_facts
from graph.model import get_model
from graph.records import Facts, Record
from graph.store import GraphStore, SourceInfo
from graph.store.sqlite import utcnow

from ingest.base import SNIFF_BYTES, ParseContext, detect
from ingest.errors import IngestError

BATCH = 2000
# processes that clean values while the main process parses and writes (0: all in this process)
WORKERS = int(os.environ.get("INFRINGER_GRAPH_WORKERS", max(1, (os.cpu_count() or 2) - 1)))


@dataclass
class FileResult:
    path: str
    status: str  # ingested | unchanged | rejected
    parser: str = ""
    sha256: str = ""
    records: int = 0
    nodes_new: int = 0
    edges_new: int = 0
    statements: int = 0
    unparsed: int = 0
    reason: str = ""
    columns: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files named, and files under folders named (recursively, sorted, hidden ones skipped)."""
    for p in paths:
        path = Path(p)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith("."):
                        yield Path(root) / name
        elif path.is_file():
            yield path
        elif path.exists():
            raise IngestError(f"{path}: not a regular file")
        else:
            raise IngestError(f"{path}: no such file or directory")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class _Counting(io.RawIOBase):
    """A read-only file wrapper that reports bytes read (for progress bars)."""

    def __init__(self, fh, on_read: Callable[[int], None] | None):
        self._fh, self._on_read = fh, on_read

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = self._fh.readinto(buffer)
        if n and self._on_read:
            self._on_read(n)
        return n or 0


def _extract_chunk(records: list[Record]) -> Facts:
    model = get_model()
    facts = Facts()
    for record in records:
        facts.extend(extract_facts(record, model))
    return facts


def _chunks(records: Iterator[Record], size: int) -> Iterator[list[Record]]:
    chunk: list[Record] = []
    for record in records:
        chunk.append(record)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _batches(records: Iterator[Record], size: int = BATCH) -> Iterator[Facts]:
    """Facts in batches, in document order. Past the first batch, cleaning runs in worker processes
    while this process parses and writes (a bounded pipeline: memory stays constant)."""
    chunks = _chunks(records, size)
    first = next(chunks, None)
    if first is None:
        return
    second = next(chunks, None)
    if second is None or WORKERS < 1:
        yield _extract_chunk(first)
        if second is not None:
            yield _extract_chunk(second)
            yield from map(_extract_chunk, chunks)
        return
    ctx = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=WORKERS, mp_context=ctx) as pool:
        pending = deque([pool.submit(_extract_chunk, first), pool.submit(_extract_chunk, second)])
        for chunk in chunks:
            pending.append(pool.submit(_extract_chunk, chunk))
            while len(pending) > 2 * WORKERS + 1:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def ingest_file(store: GraphStore, path: Path, overrides: dict[str, str] | None = None,
                on_read: Callable[[int], None] | None = None) -> FileResult:
    """Ingest one file as one Source (atomic). Parse problems reject the file, never the run."""
    shown = str(path)
    try:
        sha = sha256_of(path)
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(SNIFF_BYTES)
    except OSError as exc:
        return FileResult(shown, "rejected", reason=f"cannot read: {exc.strerror}")
    if store.has_source(sha):
        if on_read:
            on_read(size)
        return FileResult(shown, "unchanged", sha256=sha, reason="already ingested (same bytes)")
    try:
        parser_cls = detect(path.name, head)
    except IngestError as exc:
        if on_read:
            on_read(size)
        return FileResult(shown, "rejected", sha256=sha, reason=str(exc).removeprefix(f"{path.name}: "))
    ctx = ParseContext(path=shown, overrides=dict(overrides or {}), media_type=parser_cls.media_type)
    source = SourceInfo(sha256=sha, path=shown, media_type=parser_cls.media_type, size=size,
                        parser=parser_cls.name, ingested_at=utcnow())
    try:
        with path.open("rb") as raw:
            stream = io.BufferedReader(_Counting(raw, on_read), buffer_size=SNIFF_BYTES)
            stats = store.write_source(source, _batches(parser_cls().parse(stream, ctx)))
    except IngestError as exc:
        return FileResult(shown, "rejected", parser=parser_cls.name, sha256=sha,
                          reason=str(exc).removeprefix(f"{shown}: "), columns=ctx.columns, notes=ctx.notes)
    except (UnicodeError, ValueError, OSError) as exc:
        return FileResult(shown, "rejected", parser=parser_cls.name, sha256=sha,
                          reason=f"cannot parse ({type(exc).__name__}: {exc})", columns=ctx.columns)
    return FileResult(shown, "ingested", parser=parser_cls.name, sha256=sha, records=stats.records,
                      nodes_new=stats.nodes_new, edges_new=stats.edges_new, statements=stats.statements,
                      unparsed=stats.unparsed, columns=ctx.columns, notes=ctx.notes)
