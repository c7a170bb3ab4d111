"""Work a table parser leaves to the cleaning workers, so that the process that writes the store does not do it.

A seller table is read in the main process only as far as needed to cut it into chunks of rows (and to report
a malformed row with its line); a ``Rows`` item carries such a chunk, and the worker that cleans it also turns
its rows into Records (``build``). What making Records reports (notes, columns, values kept as written,
repeated header rows) is collected on a copy of the table in the worker and added to the parser's table when
the chunk's facts come back, in document order (``absorb``); a ``Then`` item runs what a parser does once
every row before it is made (the notes that count over the whole table). Parsers yield these only when
``ParseContext.defer_rows`` asks for them; without workers they are made in place, with the same results.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

from graph.records import Record


class Rows:
    """Rows of a table, read but not yet Records: ``build(table, *args)`` makes them (a module-level function,
    sent to a worker by reference). ``records``: how many Records they make (batches keep their size)."""

    __slots__ = ("table", "build", "args", "records")

    def __init__(self, table: Any, build: Callable[..., Iterator[Record]], args: tuple, records: int):
        self.table, self.build, self.args, self.records = table, build, args, records

    def make(self) -> Iterator[Record]:
        """The Records, made here (what they report goes straight to the parser's table)."""
        return self.build(self.table, *self.args)

    def sent(self) -> "SentRows":
        """What goes to a worker: a copy of the table that reports to itself, the function, its arguments."""
        return SentRows(self.table.detached(), self.build, self.args)


class SentRows(NamedTuple):
    table: Any
    build: Callable[..., Iterator[Record]]
    args: tuple

    def make(self) -> tuple[list[Record], Any]:
        """The Records (made in a worker) and what making them reported (``Table.effects``)."""
        records = list(self.build(self.table, *self.args))
        return records, self.table.effects()


class Then(NamedTuple):
    """What a parser does once every item before it is made: run in the main process, in document order."""

    run: Callable[[], None]


def weight(item: object) -> int:
    """How many Records an item stands for (chunks are cut by it)."""
    if type(item) is Rows:
        return item.records
    return 0 if type(item) is Then else 1
