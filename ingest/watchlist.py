"""A case's brand watchlist: the protected marks whose mentions (and deliberate misspellings) the NLP stage
looks for in notes, e-mails and page text.

The file is plain UTF-8 text, one mark per line (``Nike``, ``Air Jordan``, ``Rolex``); blank lines and lines
starting with ``#`` are ignored; trademark symbols are allowed (``Acme™``). ``read_watchlist`` refuses a file
that is missing, binary, not UTF-8 or lists no mark, naming the file and the line.
"""

from __future__ import annotations

from pathlib import Path

from graph.clean import clean

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
