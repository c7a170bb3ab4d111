"""Parser base class, registry and format detection.

A parser is a pure transform: a binary stream in, Records out. It never
touches the store. Adding a source format is one module in ``ingest/`` with
one ``@register``-ed Parser subclass, one fixture and one test.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO, ClassVar

from graph.records import Record

from ingest.errors import IngestError
from ingest.spool import Spool, Spooled

SNIFF_BYTES = 64 * 1024


@dataclass(frozen=True, slots=True)
class Embedded:
    """A document inside a document (an e-mail attachment, a zip member): ingested as a Source of its own.

    Its bytes wait in the container's spool (``ParseContext.spool``), not in memory."""

    name: str        # file name inside the container (used for format detection)
    stored: Spooled  # where its bytes are
    locator: str     # where it sits in the container, e.g. "attachment 2" or "member sellers/a.csv"

    def open(self) -> BinaryIO:
        return self.stored.open()

    def read(self) -> bytes:
        return self.stored.read()


@dataclass(frozen=True, slots=True)
class Unreadable:
    """A part of a document that could not be parsed (a malformed row, an unsafe zip member): kept verbatim
    (cut to 10,000 characters) with the reason, and reported as an unparsed value of the Source."""

    locator: str
    raw: str
    reason: str


@dataclass(frozen=True, slots=True)
class FreeText:
    """Prose of a document (a note, an e-mail body) for the NLP stage: its mentions and relations become facts
    located as ``{locator}chars S-E`` (offsets into ``text``)."""

    text: str
    locator: str = ""


@dataclass
class ParseContext:
    """What a parser is told about a document and what it reports back besides Records."""

    path: str
    overrides: dict[str, str] = field(default_factory=dict)  # column header -> field name
    columns: dict[str, str] = field(default_factory=dict)    # column header -> field name (or "(kept)")
    notes: list[str] = field(default_factory=list)
    media_type: str = "application/octet-stream"
    captured_at: str | None = None  # when the document was captured (e.g. a saved page's date), if it says
    depth: int = 0                  # how deep inside containers this document sits
    spool: Spool = field(default_factory=Spool)  # where the documents it embeds are kept until ingested
    # > 0: a table parser may yield its rows as ``ingest.deferred.Rows`` of about this many Records, made in a
    # cleaning worker, instead of Records (set by ``ingest.run``; 0 for anyone who wants Records)
    defer_rows: int = 0


class Parser:
    """Base class: subclasses set ``name``/``media_type``/``extensions`` and implement both methods."""

    name: ClassVar[str] = ""
    media_type: ClassVar[str] = "application/octet-stream"
    extensions: ClassVar[tuple[str, ...]] = ()
    fixture: ClassVar[str] = ""  # path of its example file under tests/fixtures (checked by a meta-test)

    @classmethod
    def sniff(cls, name: str, head: bytes) -> int:
        """How sure (0-100) this parser is that it reads a file named ``name`` starting with ``head``."""
        raise NotImplementedError

    def parse(self, stream: BinaryIO, ctx: ParseContext) -> Iterator[Record | Embedded | Unreadable | FreeText]:
        """Records about subjects, Embedded documents to ingest on their own, and Unreadable parts.

        Raise ``ParseError(ctx.path, place, problem)`` for a document that cannot be read.
        """
        raise NotImplementedError


_PARSERS: dict[str, type[Parser]] = {}


def register(cls: type[Parser]) -> type[Parser]:
    if not cls.name or cls.name in _PARSERS:
        raise ValueError(f"parser name {cls.name!r} missing or taken")
    _PARSERS[cls.name] = cls
    return cls


def parsers() -> dict[str, type[Parser]]:
    """Every registered parser. Each module of the ``ingest`` package that defines one registers it on import."""
    import pkgutil
    from importlib import import_module

    import ingest

    for info in pkgutil.iter_modules(ingest.__path__):
        if not info.name.startswith("_") and info.name not in _NOT_PARSERS:
            import_module(f"ingest.{info.name}")
    return dict(_PARSERS)


_NOT_PARSERS = {"base", "columns", "errors", "mapping", "run", "text", "tables", "typed", "ole",  # helper modules
                "domain_contact", "domain_record", "html_text", "message_headers", "message_parts", "page_head",
                "page_labels", "page_links", "page_markup", "parts", "schedule_a_caption", "schedule_a_lines",
                "schedule_a_table", "schedule_a_text", "spool", "zip_head", "free_text", "watchlist", "deferred"}


def detect(name: str, head: bytes) -> type[Parser]:
    """The parser that reads this file best; IngestError when none does."""
    scored = sorted(((cls.sniff(name, head), cls.name, cls) for cls in parsers().values()), reverse=True)
    if not scored or scored[0][0] <= 0:
        raise IngestError(f"{name}: unknown format (not one of: {', '.join(sorted(parsers()))})")
    return scored[0][2]
