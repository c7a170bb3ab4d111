"""Where a container keeps the documents it embeds until they are ingested: one anonymous temporary file.

A zip member or an e-mail attachment is written here (in chunks, hashed on the way) as its container is
parsed, and the container's list of children holds ``Spooled`` references - offset, size, sha256 - not
bytes. Each child is read back through a window on the file when its turn comes, so memory is bounded by
the document being parsed, not by everything its container holds; the cost is disk space, up to the
container's own limits (``ingest.archive.MAX_TOTAL_BYTES``).

Not a parser: nothing here is registered. The file is created on the first write, deleted by the
operating system as soon as it is closed (it has no name), and closed by the ingest run once every
child has been ingested.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import BinaryIO

READ_BUFFER = 1 << 16


class Spool:
    """Documents embedded in one container, appended one after the other to one temporary file."""

    def __init__(self) -> None:
        self._file: BinaryIO | None = None
        self._end = 0        # bytes of finished entries; an abandoned entry is overwritten by the next
        self._open = False   # an entry is being written
        self.closed = False

    def entry(self) -> SpoolEntry:
        """A new entry at the end of the spool: ``write`` it, then ``finish`` it (else it is dropped)."""
        if self.closed:
            raise ValueError("spool closed")
        if self._open:
            raise ValueError("an entry of this spool is still being written")
        if self._file is None:
            self._file = tempfile.TemporaryFile(buffering=0)
        self._open = True
        return SpoolEntry(self, self._end)

    def add(self, blocks: bytes | Iterable[bytes]) -> Spooled:
        """Spool a document held in memory (or given in blocks) as one entry."""
        entry = self.entry()
        try:
            for block in [blocks] if isinstance(blocks, (bytes, bytearray, memoryview)) else blocks:
                entry.write(block)
        except BaseException:
            entry.drop()
            raise
        return entry.finish()

    def close(self) -> None:
        """Delete the file: its entries cannot be read any more."""
        self.closed = True
        if self._file is not None:
            self._file.close()
            self._file = None

    @property
    def size(self) -> int:
        """Bytes held on disk by finished entries."""
        return self._end

    def _write_at(self, offset: int, data: bytes | memoryview) -> None:
        view = memoryview(data)
        while view:
            written = os.pwrite(self._file.fileno(), view, offset)
            view, offset = view[written:], offset + written

    def _read_at(self, offset: int, size: int) -> bytes:
        if self._file is None:
            raise ValueError("spool closed: its documents were ingested already")
        return os.pread(self._file.fileno(), size, offset)


class SpoolEntry:
    """One document being written to a spool; its size and sha256 are counted as it is written."""

    def __init__(self, spool: Spool, offset: int):
        self._spool, self.offset, self.size = spool, offset, 0
        self._digest = hashlib.sha256()
        self._done = False

    def write(self, block: bytes | bytearray | memoryview) -> None:
        if self._done:
            raise ValueError("entry finished")
        self._spool._write_at(self.offset + self.size, block)
        self._digest.update(block)
        self.size += len(block)

    def finish(self) -> Spooled:
        """Keep the entry; returns where it is."""
        if self._done:
            raise ValueError("entry finished")
        self._done, self._spool._open = True, False
        self._spool._end = self.offset + self.size
        return Spooled(self._spool, self.offset, self.size, self._digest.hexdigest())

    def drop(self) -> None:
        """Give the entry up (a refused member): the next entry takes its place."""
        if not self._done:
            self._done, self._spool._open = True, False


@dataclass(frozen=True, slots=True)
class Spooled:
    """Where one embedded document's bytes wait in a spool."""

    spool: Spool
    offset: int
    size: int
    sha256: str

    def open(self) -> BinaryIO:
        """A fresh read-only, seekable stream over the document (several may be open at once)."""
        return io.BufferedReader(_Window(self), buffer_size=READ_BUFFER)

    def read(self) -> bytes:
        """The whole document in memory (for tests and small documents)."""
        return self.spool._read_at(self.offset, self.size)


class _Window(io.RawIOBase):
    """The bytes of one spooled document, read with pread: no shared file position between windows."""

    def __init__(self, spooled: Spooled):
        self._spooled, self._pos = spooled, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        s = self._spooled
        want = min(len(buffer), s.size - self._pos)
        if want <= 0:
            return 0
        data = s.spool._read_at(s.offset + self._pos, want)
        buffer[:len(data)] = data
        self._pos += len(data)
        return len(data)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._spooled.size}[whence]
        if base + offset < 0:
            raise ValueError("negative seek position")
        self._pos = base + offset
        return self._pos

    def tell(self) -> int:
        return self._pos
