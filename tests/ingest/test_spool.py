"""The spool a container keeps its embedded documents in until they are ingested."""

from __future__ import annotations

import hashlib
import io

import pytest

from ingest.spool import Spool

SELLERS = b"Seller Name,Store URL\nGlowHaus,https://www.amazon.com/sp?seller=A1GLOWHAUS2Q7\n"
NOTE = "Relisted as Glow House Beauty on 2026-10-03.\n".encode("utf-8")


def test_documents_are_kept_one_after_the_other_with_their_size_and_hash():
    spool = Spool()
    first = spool.add(SELLERS)
    second = spool.add([NOTE[:10], NOTE[10:]])  # given in blocks
    assert (first.offset, first.size, first.sha256) == (0, len(SELLERS), hashlib.sha256(SELLERS).hexdigest())
    assert (second.offset, second.size, second.sha256) == (len(SELLERS), len(NOTE), hashlib.sha256(NOTE).hexdigest())
    assert (first.read(), second.read(), spool.size) == (SELLERS, NOTE, len(SELLERS) + len(NOTE))
    spool.close()


def test_each_document_opens_as_its_own_seekable_stream():
    spool = Spool()
    first, second = spool.add(SELLERS), spool.add(NOTE)
    a, b = first.open(), second.open()
    assert a.read(11) == b"Seller Name" and b.read(8) == b"Relisted"  # no shared file position
    assert a.seek(-len(b"A1GLOWHAUS2Q7\n"), io.SEEK_END) == len(SELLERS) - 14
    assert a.read() == b"A1GLOWHAUS2Q7\n" and a.read() == b""  # never past its own end into the next
    a.seek(0)
    assert a.read() == SELLERS and b.read() == NOTE[8:]
    spool.close()


def test_a_dropped_entry_is_overwritten_by_the_next():
    spool = Spool()
    entry = spool.entry()
    entry.write(b"x" * 1000)
    with pytest.raises(ValueError, match="still being written"):
        spool.entry()
    entry.drop()
    kept = spool.add(NOTE)
    assert (kept.offset, kept.read(), spool.size) == (0, NOTE, len(NOTE))
    spool.close()


def test_a_closed_spool_refuses_reads_and_writes_with_a_reason():
    spool = Spool()
    kept = spool.add(NOTE)
    spool.close()
    with pytest.raises(ValueError, match="spool closed: its documents were ingested already"):
        kept.read()
    with pytest.raises(ValueError, match="spool closed"):
        kept.open().read()
    with pytest.raises(ValueError, match="spool closed"):
        spool.add(SELLERS)
