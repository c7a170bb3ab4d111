"""Ingest runs: walk paths, hash, detect, parse, extract facts, write one Source per file."""

from __future__ import annotations

import ctypes
import gc
import hashlib
import io
import multiprocessing
import os
import signal
import sys
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from graph.facts import extract_facts
from graph.model import get_model
from graph.records import Facts, NodeRef, Record, Unparsed, Value
from graph.store import GraphStore, SourceInfo
from graph.store.base import utcnow

from ingest.base import SNIFF_BYTES, Embedded, FreeText, ParseContext, Unreadable, detect
from ingest.deferred import Rows, SentRows, Then, weight
from ingest.errors import IngestError
from ingest.free_text import free_text_cells
from ingest.watchlist import case_watchlist

BATCH = 2000
QUARANTINE_MAX_BYTES = 50 * 2**20  # rejected documents up to this size are kept whole in the quarantine
MAX_DEPTH = 3  # containers within containers (zip in zip in zip) before a document is refused
# processes that clean values while the main process parses and writes (0: all in this process)
WORKERS = int(os.environ.get("INFRINGER_GRAPH_WORKERS", os.cpu_count() or 2))
# while a document is written, the garbage collector looks at new objects every GC_YOUNG allocations (700 by
# default): an ingest makes millions of small objects that live until their batch is written, and collecting
# that often took about a sixth of the CPU time of cleaning (cycles are still collected, less often)
GC_YOUNG = 20_000


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
    children: list["FileResult"] = field(default_factory=list)
    quarantine_id: int | None = None


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
    """A read-only file wrapper that reports bytes read (for progress bars). It seeks when the file does
    (a zip on disk is then read in place, not copied to a temporary file first)."""

    def __init__(self, fh, on_read: Callable[[int], None] | None):
        self._fh, self._on_read = fh, on_read

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = self._fh.readinto(buffer)
        if n and self._on_read:
            self._on_read(n)
        return n or 0

    def seekable(self) -> bool:
        return self._fh.seekable()

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return self._fh.seek(offset, whence)

    def tell(self) -> int:
        return self._fh.tell()


def _extract_in_worker(items: list, watchlist: tuple[str, ...] = (), prepare: Callable | None = None) -> tuple:
    """A chunk's facts (plain, or made ready for the store by its ``prepare``), and what making Records of its
    ``Rows`` reported, one entry per Rows."""
    made, effects = [], []
    for i in items:
        if type(i) is tuple:
            made.append(_record_of(i))
        elif type(i) is SentRows:
            records, reported = i.make()
            made.extend(records)
            effects.append(reported)
        else:
            made.append(i)
    facts = _extract_chunk(made, watchlist)
    return (prepare(facts) if prepare else facts.plain()), effects


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Objects that exist already are left out of garbage collections (``gc.freeze``: the modules, the
    model, the cleaners' tables; cleaning workers forked meanwhile inherit that), and new ones are looked
    at less often (``GC_YOUNG``). Both undone after."""
    old = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(max(old[0], GC_YOUNG), *old[1:])
    try:
        yield
    finally:
        gc.set_threshold(*old)
        gc.unfreeze()


def _die_with_parent(parent: int) -> None:
    """Pool initializer: a cleaning worker ends when the ingest that started it does, even one killed with
    SIGKILL (it would otherwise wait for work for ever, holding its memory). Linux only (prctl). What the
    worker inherited is left out of its garbage collections (see ``_fewer_collections``)."""
    gc.freeze()
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            return
    if os.getppid() != parent:  # the ingest ended before the worker got here
        os._exit(1)


def _plain(items: list) -> list:
    """Records as plain tuples for the trip to a worker: pickling NamedTuples cost more than parsing the rows.
    Rows go as a copy of their table that reports to itself; ``Then`` stays in this process."""
    return [(r.subject, r.locator, tuple(map(tuple, r.values)), r.hints) if type(r) is Record
            else r.sent() if type(r) is Rows else r for r in items if type(r) is not Then]


def _after(chunk: list) -> list:
    """What is left to do in this process once a chunk's facts come back from a worker: the tables of its Rows
    (to add what making their Records reported) and its Then items, in document order."""
    return [i.table if type(i) is Rows else i for i in chunk if type(i) is Rows or type(i) is Then]


def _returned(after: list, future) -> Facts:
    facts, effects = future.result()
    reported = iter(effects)
    for item in after:
        if type(item) is Then:
            item.run()
        else:
            item.absorb(next(reported))
    return facts


def _record_of(item: tuple) -> Record:
    subject, locator, values, hints = item
    return Record(subject, locator, tuple(map(Value._make, values)), hints)


def _extract_chunk(items: list[Record | Unreadable | Rows | Then], watchlist: tuple[str, ...] = ()) -> Facts:
    """Facts of parsed items; free text goes through nlp/ (``watchlist``: the case's brands to look for).
    Rows are made into Records here, Then items run here (in this process: the parser's tables see it all)."""
    if any(type(i) is Rows or type(i) is Then for i in items):
        made: list = []
        for item in items:
            if type(item) is Rows:
                made.extend(item.make())
            elif type(item) is Then:
                item.run()  # the Rows before it are made by now
            else:
                made.append(item)
        items = made
    model = get_model()
    facts = Facts()
    cells: list[tuple[NodeRef, str, str]] = []  # unmapped cells holding prose, for nlp/
    for item in items:
        if isinstance(item, Unreadable):
            facts.unparsed.append(Unparsed("(unreadable)", item.raw[:10_000], item.reason, item.locator))
        elif isinstance(item, FreeText):
            from nlp.facts import text_facts  # spaCy is loaded only when a document has free text

            facts.extend(text_facts(item.text, item.locator, watchlist))
        else:
            found = extract_facts(item, model)
            cells.extend(free_text_cells(item, found, model))
            facts.extend(found)
    if cells:
        from nlp.facts import cell_facts

        facts.extend(cell_facts(cells, watchlist, model))
    return facts


def _chunks(items: Iterator[Record | Embedded | Unreadable | Rows | Then], size: int,
            embedded: list[Embedded]) -> Iterator[list[Record | Unreadable | Rows | Then]]:
    """Items in chunks of ``size`` Records (a Rows item counts as the Records it makes); Embedded documents
    are set aside in ``embedded``. A full chunk is given out when the next Record comes, so that a Then
    item at the end of a document goes with the chunk before it."""
    chunk: list = []
    filled = 0
    for item in items:
        if isinstance(item, Embedded):
            embedded.append(item)
            continue
        n = weight(item)
        if n and filled >= size:
            yield chunk
            chunk, filled = [], 0
        chunk.append(item)
        filled += n
    if chunk:
        yield chunk


def _batches(chunks: Iterator[list[Record | Unreadable]], watchlist: tuple[str, ...] = (),
             prepare: Callable | None = None) -> Iterator:
    """Facts in batches, in document order. Past the first batch, cleaning runs in worker processes
    while this process parses and writes (a bounded pipeline: memory stays constant); a worker hands its
    batch to the store's ``prepare`` (``GraphStore.batch_preparer``), taking that work off the writer."""
    first = next(chunks, None)
    if first is None:
        return
    second = next(chunks, None)
    if second is None or WORKERS < 1:
        yield _extract_chunk(first, watchlist)
        if second is not None:
            yield _extract_chunk(second, watchlist)
            yield from (_extract_chunk(c, watchlist) for c in chunks)
        return
    ctx = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=WORKERS, mp_context=ctx, initializer=_die_with_parent,
                             initargs=(os.getpid(),)) as pool:
        pending = deque((_after(c), pool.submit(_extract_in_worker, _plain(c), watchlist, prepare)) for c in (first, second))
        for chunk in chunks:
            pending.append((_after(chunk), pool.submit(_extract_in_worker, _plain(chunk), watchlist, prepare)))
            while len(pending) > 2 * WORKERS + 1:
                yield _returned(*pending.popleft())
        while pending:
            yield _returned(*pending.popleft())


def ingest_file(store: GraphStore, path: Path, overrides: dict[str, str] | None = None,
                on_read: Callable[[int], None] | None = None, watchlist: tuple[str, ...] | None = None) -> FileResult:
    """Ingest one file as one Source (atomic), then what it embeds. Problems reject the file, never the run.
    ``watchlist``: the brands looked for in free text (``ingest.watchlist.read_watchlist``); by default the one
    kept in the store (``case_watchlist``)."""
    if watchlist is None:
        watchlist = case_watchlist(store)
    shown = str(path)
    try:
        sha = sha256_of(path)
        size = path.stat().st_size
    except OSError as exc:
        return FileResult(shown, "rejected", reason=f"cannot read: {exc.strerror}")
    return _ingest(store, _Doc(path.name, shown, sha, size, lambda: path.open("rb")), overrides or {}, on_read, 0,
                   watchlist=watchlist)


@dataclass
class _Doc:
    name: str
    shown: str
    sha256: str
    size: int
    open: Callable[[], BinaryIO]


def _ingest(store: GraphStore, doc: _Doc, overrides: dict[str, str], on_read, depth: int,
            inherited: dict[str, str | None] | None = None, refresh: bool = False,
            watchlist: tuple[str, ...] = ()) -> FileResult:
    def done_reading() -> None:
        if on_read:
            on_read(doc.size)

    def reject(reason: str, parser: str = "", ctx: ParseContext | None = None) -> FileResult:
        """Quarantine the document with the reason (its bytes too, when they fit) and report it."""
        data = None
        if doc.size <= QUARANTINE_MAX_BYTES:
            try:
                with doc.open() as fh:
                    data = fh.read(QUARANTINE_MAX_BYTES + 1)
            except OSError:
                data = None
        qid = store.quarantine(doc.shown, doc.sha256, doc.size, reason, data)
        if ctx:
            ctx.spool.close()  # what it embedded so far is not ingested
        return FileResult(doc.shown, "rejected", parser=parser, sha256=doc.sha256, reason=reason,
                          columns=ctx.columns if ctx else {}, notes=ctx.notes if ctx else [], quarantine_id=qid)

    known = store.has_source(doc.sha256)
    if known and not refresh:
        done_reading()
        return FileResult(doc.shown, "unchanged", sha256=doc.sha256, reason="already ingested (same bytes)")
    if depth > MAX_DEPTH:
        done_reading()
        return reject(f"nested more than {MAX_DEPTH} containers deep")
    try:
        with doc.open() as fh:
            head = fh.read(SNIFF_BYTES)
        parser_cls = detect(doc.name, head)
    except OSError as exc:
        done_reading()
        return reject(f"cannot read: {exc.strerror}")
    except IngestError as exc:
        done_reading()
        return reject(str(exc).removeprefix(f"{doc.name}: "))
    ctx = ParseContext(path=doc.shown, overrides=dict(overrides), media_type=parser_cls.media_type, depth=depth,
                       captured_at=(inherited or {}).get("captured_at"), defer_rows=BATCH)
    if inherited and inherited.get("locator"):
        ctx.notes.append(f"inside its container at {inherited['locator']}")
    source = SourceInfo(sha256=doc.sha256, path=doc.shown, media_type=parser_cls.media_type, size=doc.size,
                        parser=parser_cls.name, ingested_at=utcnow())
    embedded: list[Embedded] = []
    try:
        with doc.open() as raw:
            stream = io.BufferedReader(_Counting(raw, on_read), buffer_size=SNIFF_BYTES)
            items = parser_cls().parse(stream, ctx)
            with _fewer_collections():
                stats = store.write_source(source, _batches(_chunks(items, BATCH, embedded), watchlist,
                                                                     store.batch_preparer()),
                                           late=lambda: {"captured_at": ctx.captured_at},
                                           replaces=doc.sha256 if known else None)
    except IngestError as exc:
        return reject(str(exc).removeprefix(f"{doc.shown}: "), parser_cls.name, ctx)
    except (UnicodeError, ValueError, OSError, EOFError, RecursionError, MemoryError) as exc:
        return reject(f"cannot parse ({type(exc).__name__}: {str(exc)[:200]})", parser_cls.name, ctx)
    except Exception as exc:  # noqa: BLE001 - a parser bug must not stop the run or lose the document
        return reject(f"parser {parser_cls.name} failed ({type(exc).__name__}: {str(exc)[:200]}); "
                      "the document is kept in quarantine", parser_cls.name, ctx)
    for entry in store.quarantined():
        if entry.path == doc.shown:  # an earlier, broken version of this document: fixed now
            store.release(entry.id)
    result = FileResult(doc.shown, "ingested", parser=parser_cls.name, sha256=doc.sha256, records=stats.records,
                        nodes_new=stats.nodes_new, edges_new=stats.edges_new, statements=stats.statements,
                        unparsed=stats.unparsed, columns=ctx.columns, notes=ctx.notes)
    for child in embedded:  # each read back from the container's spool when its turn comes
        shown = f"{doc.shown}!{child.name}"
        result.children.append(_ingest(store, _Doc(child.name, shown, child.stored.sha256, child.stored.size,
                                                   child.open), overrides, None, depth + 1,
                                       {"captured_at": ctx.captured_at, "locator": child.locator}, refresh,
                                       watchlist))
    ctx.spool.close()
    return result


def reparse_source(store: GraphStore, source: SourceInfo, overrides: dict[str, str] | None = None,
                   watchlist: tuple[str, ...] = ()) -> FileResult:
    """Derive a Source's facts again with the current parsers (after an upgrade, or with new column
    overrides): its old facts are swapped for the new ones in one transaction; documents it embeds are
    re-derived too. If the document no longer parses, the old facts stay and it goes to the quarantine."""
    if "!" in source.path:
        raise IngestError(f"{source.path}: inside a container; reparse the container instead")
    path = Path(source.path)
    if not path.is_file():
        raise IngestError(f"{source.path}: no longer on disk; its facts stay as they are")
    if sha256_of(path) != source.sha256:
        raise IngestError(f"{source.path}: the file changed since it was ingested; ingest it again instead")
    doc = _Doc(path.name, source.path, source.sha256, path.stat().st_size, lambda: path.open("rb"))
    return _ingest(store, doc, overrides or {}, None, 0, refresh=True, watchlist=watchlist)


def retry_quarantined(store: GraphStore, entry_id: int, overrides: dict[str, str] | None = None) -> FileResult:
    """Ingest a quarantined document again: from its path when that file exists (fixed by the user),
    else from the bytes kept in quarantine."""
    entries = store.quarantined(entry_id, with_data=True)
    if not entries:
        raise IngestError(f"no quarantined document with id {entry_id}")
    entry = entries[0]
    path = Path(entry.path)
    if path.is_file():
        result = ingest_file(store, path, overrides)  # with the case's watchlist
    elif entry.data is not None:
        name = entry.path.rsplit("!", 1)[-1].rsplit("/", 1)[-1]
        result = _ingest(store, _Doc(name, entry.path, entry.sha256, len(entry.data),
                                     lambda: io.BytesIO(entry.data)), overrides or {}, None, 0,
                         watchlist=case_watchlist(store))
    else:
        raise IngestError(f"{entry.path}: the file is gone and its bytes were too large to keep; ingest it again")
    if result.status != "rejected":
        store.release(entry.id)
    return result


def flatten(results: Iterable[FileResult]) -> Iterator[FileResult]:
    """Each result followed by the results of what it embedded."""
    for r in results:
        yield r
        yield from flatten(r.children)
