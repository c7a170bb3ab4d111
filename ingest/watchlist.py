"""A case's brand watchlist: the protected marks whose mentions (and deliberate misspellings) the NLP stage
looks for in notes, e-mails and page text.

The file is plain UTF-8 text, one mark per line (``Nike``, ``Air Jordan``, ``Rolex``); blank lines and lines
starting with ``#`` are ignored; trademark symbols are allowed (``Acme™``). ``read_watchlist`` refuses a file
that is missing, binary, not UTF-8 or lists no mark, naming the file and the line. ``record_watchlist``
keeps it in the case's store; ``case_watchlist`` gives it back to later runs.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from graph.clean import clean
from graph.records import Facts, NodeRef, NodeStatement
from graph.store.base import GraphStore, SourceInfo, utcnow

from ingest.errors import IngestError

MAX_MARKS = 2_000
MAX_LEN = 100  # characters of one mark


def read_watchlist(path: str | Path) -> tuple[str, ...]:
    """The marks of a watchlist file, in file order, without duplicates (compared after cleaning)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise IngestError(f"{path}: no such brand watchlist file") from None
    except IsADirectoryError:
        raise IngestError(f"{path}: a folder, not a brand watchlist file") from None
    except OSError as exc:
        raise IngestError(f"{path}: cannot read the brand watchlist ({exc.strerror})") from None
    if b"\x00" in data[:4096]:
        raise IngestError(f"{path}: binary data, not a brand watchlist (one mark per line)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise IngestError(f"{path}: line {line}: not UTF-8 text") from None
    marks: list[str] = []
    seen: set[str] = set()
    for n, line in enumerate(text.splitlines(), 1):
        mark = " ".join(line.split())
        if not mark or mark.startswith("#"):
            continue
        if len(mark) > MAX_LEN:
            raise IngestError(f"{path}: line {n}: longer than {MAX_LEN} characters; one mark per line")
        cleaned = clean("brand", mark)
        if not cleaned.ok:
            raise IngestError(f"{path}: line {n}: not a mark ({cleaned.reason})")
        if cleaned.key not in seen:
            seen.add(cleaned.key)
            marks.append(mark)
    if not marks:
        raise IngestError(f"{path}: no marks in the brand watchlist (one per line; '#' starts a comment)")
    if len(marks) > MAX_MARKS:
        raise IngestError(f"{path}: {len(marks):,} marks; at most {MAX_MARKS:,} are supported")
    return tuple(marks)


WATCHLIST_PARSER = "watchlist"
_PREFIX = "watchlist:"


def record_watchlist(store: GraphStore, path: str | Path, marks: tuple[str, ...]) -> SourceInfo:
    """Keep the case's watchlist in the store, as a Source of its own (the file's path and marks, a Brand node
    per mark), so later ingests and re-parses look for the same marks without being given the file again.
    The same list again records nothing; the most recently recorded list is the one in force."""
    text = json.dumps({"file": str(path), "marks": list(marks)}, ensure_ascii=False)
    sha = hashlib.sha256(("watchlist\n" + "\n".join(marks)).encode()).hexdigest()
    info = SourceInfo(sha256=sha, path=_PREFIX + text, media_type="text/plain", size=len(text),
                      parser=WATCHLIST_PARSER, ingested_at=utcnow())
    if store.has_source(sha):
        return info
    facts = Facts(records=len(marks))
    for n, mark in enumerate(marks, 1):
        c = clean("brand", mark)
        ref = NodeRef("Brand", c.key if c.ok else mark.casefold())
        where = f"{Path(path).name}, mark {n}"
        facts.nodes += [NodeStatement(ref, "key", ref.key, where), NodeStatement(ref, "name", mark, where)]
    store.write_source(info, [facts])
    return info


def case_watchlist(store: GraphStore) -> tuple[str, ...]:
    """The marks of the watchlist recorded last (none: no watchlist)."""
    lists = [s for s in store.sources() if s.parser == WATCHLIST_PARSER and s.path.startswith(_PREFIX)]
    for src in sorted(lists, key=lambda s: s.ingested_at, reverse=True):
        try:
            return tuple(str(m) for m in json.loads(src.path[len(_PREFIX):])["marks"])
        except (ValueError, KeyError, TypeError):
            continue
    return ()
