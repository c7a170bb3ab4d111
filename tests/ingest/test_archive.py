"""Zip archives: members as Sources of their own, nested zips, and the archives that must be refused."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import struct
import tracemalloc
import zipfile

import pytest

from graph.records import NodeRef
from ingest import archive
from ingest.archive import ZipArchive
from ingest.base import Embedded, ParseContext, Unreadable, detect
from ingest.errors import IngestError, ParseError
from ingest.run import MAX_DEPTH, flatten, ingest_file
from tests.conftest import FIXTURES
from tests.fixtures.ingest.archives.make_fixtures import AMAZON, zip_bomb

ARCHIVES = FIXTURES / "ingest" / "archives"


def _parse(data: bytes, path: str = "case.zip"):
    ctx = ParseContext(path=path)
    stream = io.BufferedReader(_Unseekable(data))  # like run.py's stream: no seek
    return list(ZipArchive().parse(stream, ctx)), ctx


class _Unseekable(io.RawIOBase):
    def __init__(self, data: bytes):
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        return self._data.readinto(buffer)


def _zip(*members: tuple[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in members:
            zf.writestr(name, data)
    return buf.getvalue()


def _summary(items):
    return [(i.name, i.locator) if isinstance(i, Embedded) else (i.locator, i.reason) for i in items]


def test_members_of_a_zip_are_embedded_and_junk_is_skipped():
    items, ctx = _parse((ARCHIVES / "seller_tables.zip").read_bytes())
    assert _summary(items) == [
        ("schedule_a/sellers_amazon.csv", "member schedule_a/sellers_amazon.csv"),
        ("schedule_a/sellers_temu.tsv", "member schedule_a/sellers_temu.tsv"),
        ("more/evidence.zip", "member more/evidence.zip"),
    ]
    assert items[0].read().decode("utf-8") == AMAZON
    assert ctx.notes == ["7 members: 3 embedded, 0 refused, 4 skipped (folders, __MACOSX, .DS_Store)"]
    nested, _ = _parse(items[2].read(), "case.zip!more/evidence.zip")
    # a GBK name without the UTF-8 flag (Windows in China) is read as GBK, not as CP437 mojibake
    assert _summary(nested) == [("卖家/店铺列表.csv", "member 卖家/店铺列表.csv"),
                                ("relisting_note.md", "member relisting_note.md")]


def test_zip_ingested_end_to_end_with_nested_zips(sqlite_store, tmp_path):
    path = tmp_path / "case.zip"
    shutil.copy(ARCHIVES / "seller_tables.zip", path)
    results = list(flatten([ingest_file(sqlite_store, path)]))
    assert [(r.path.removeprefix(str(path)), r.status, r.parser, r.records) for r in results] == [
        ("", "ingested", "zip-archive", 0),
        ("!schedule_a/sellers_amazon.csv", "ingested", "seller-table-csv", 2),
        ("!schedule_a/sellers_temu.tsv", "ingested", "seller-table-csv", 1),
        ("!more/evidence.zip", "ingested", "zip-archive", 0),
        ("!more/evidence.zip!卖家/店铺列表.csv", "ingested", "seller-table-csv", 1),
        ("!more/evidence.zip!relisting_note.md", "ingested", "markdown-note", 0),
    ]
    assert len(sqlite_store.sources()) == 6
    for key in ("amazon:A1GLOWHAUS2Q7", "amazon:A2GLOWHOUSE9K", "temu:634400112233", "aliexpress:1109900112"):
        assert sqlite_store.get_node(NodeRef("Storefront", key)) is not None, key
    # the Temu store and the AliExpress store in the nested zip share their mailbox (the relisting note in the
    # nested zip names it as well: found there by the NLP stage)
    shared = NodeRef("Email", "glowhaus.mall@gmail.com")
    assert {e.path.removeprefix(str(path)) for e in sqlite_store.provenance(shared)} == {
        "!schedule_a/sellers_temu.tsv", "!more/evidence.zip!卖家/店铺列表.csv", "!more/evidence.zip!relisting_note.md"}
    assert ingest_file(sqlite_store, path).status == "unchanged"


def test_unsafe_members_are_refused_and_the_rest_is_read(sqlite_store, tmp_path):
    items, ctx = _parse((ARCHIVES / "unsafe_members.zip").read_bytes())
    assert _summary(items) == [
        ("sellers.csv", "member sellers.csv"),
        ("member ../../etc/passwd", "unsafe member name"),
        ("member /var/tmp/sellers.csv", "unsafe member name"),
        ("member C:/Users/Public/sellers.csv", "unsafe member name"),
        ("member exhibits\\..\\..\\startup.csv", "unsafe member name"),
        ("member shortcut.csv", "symbolic link member (not followed)"),
        ("member payouts_locked.csv", "encrypted member"),
    ]
    assert items[1].raw == "../../etc/passwd"  # the name is kept as text, never used as a path
    assert ctx.notes == ["7 members: 1 embedded, 6 refused, 0 skipped (folders, __MACOSX, .DS_Store)"]

    path = tmp_path / "from_seller.zip"
    shutil.copy(ARCHIVES / "unsafe_members.zip", path)
    result = ingest_file(sqlite_store, path)
    assert (result.status, result.unparsed) == ("ingested", 6)
    assert [(c.path.removeprefix(str(path)), c.status) for c in result.children] == [("!sellers.csv", "ingested")]
    unparsed = sqlite_store.unparsed(result.sha256)
    assert [(u["locator"], u["field"], u["raw"], u["reason"]) for u in unparsed][:2] == [
        ("member ../../etc/passwd", "(unreadable)", "../../etc/passwd", "unsafe member name"),
        ("member /var/tmp/sellers.csv", "(unreadable)", "/var/tmp/sellers.csv", "unsafe member name")]
    assert not (tmp_path / "etc").exists() and not (tmp_path.parent / "etc").exists()


def test_zip_bomb_member_is_refused_without_being_decompressed(sqlite_store, tmp_path, monkeypatch):
    path = zip_bomb(tmp_path / "sellers_export.zip")
    assert path.stat().st_size < 200_000
    info = zipfile.ZipFile(path).getinfo("sellers_full_export.csv")
    ratio = info.file_size // info.compress_size
    assert ratio > 500
    opened = []
    real_open = zipfile.ZipFile.open
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda self, member, *a, **k: opened.append(
        getattr(member, "filename", member)) or real_open(self, member, *a, **k))
    items, _ = _parse(path.read_bytes(), "sellers_export.zip")
    assert _summary(items) == [
        ("readme.txt", "member readme.txt"),
        ("member sellers_full_export.csv", f"compression ratio {ratio:,}:1 (over 100:1) for 52,428,800 bytes: "
                                           "refused as a zip bomb"),
    ]
    assert opened == ["readme.txt"]

    ingest_file(sqlite_store, ARCHIVES.parent / "seller_table.csv")
    before = sqlite_store.counts()
    result = ingest_file(sqlite_store, path)
    assert (result.status, result.unparsed) == ("ingested", 1)
    assert [(c.path.removeprefix(str(path)), c.status, c.parser) for c in result.children] == [
        ("!readme.txt", "ingested", "text-note")]
    assert sqlite_store.counts() == before  # the archive and its readme state no facts
    [bomb] = sqlite_store.unparsed(result.sha256)
    assert bomb["reason"].endswith("refused as a zip bomb")


def test_whole_archive_limits_refuse_the_archive_and_leave_the_store_unchanged(sqlite_store, tmp_path, monkeypatch):
    path = tmp_path / "case.zip"
    shutil.copy(ARCHIVES / "seller_tables.zip", path)
    monkeypatch.setattr(archive, "MAX_MEMBERS", 5)
    result = ingest_file(sqlite_store, path)
    assert (result.status, result.reason) == ("rejected", "central directory: 7 members, over the limit of 5")
    monkeypatch.setattr(archive, "MAX_MEMBERS", 10_000)
    monkeypatch.setattr(archive, "MAX_TOTAL_BYTES", 1000)
    result = ingest_file(sqlite_store, path)
    assert (result.status, result.reason) == (
        "rejected", "central directory: 1,089 bytes uncompressed, over the limit of 1,000 bytes (zip bomb?)")
    assert sqlite_store.sources() == [] and sqlite_store.counts() == ({}, {})


def test_an_archive_too_large_to_hold_its_limit_is_refused_while_copying(monkeypatch):
    monkeypatch.setattr(archive, "MAX_TOTAL_BYTES", 100)
    monkeypatch.setattr(archive, "SPOOL_IN_MEMORY", 100)
    with pytest.raises(ParseError) as exc:
        _parse((ARCHIVES / "seller_tables.zip").read_bytes())
    assert str(exc.value) == "case.zip: byte 1,663: archive larger than the limit of 200 bytes"


def test_member_over_the_size_limit_is_refused_not_read(monkeypatch):
    monkeypatch.setattr(archive, "MAX_MEMBER_BYTES", 200)
    items, _ = _parse((ARCHIVES / "seller_tables.zip").read_bytes())
    assert _summary(items)[0] == ("member schedule_a/sellers_amazon.csv",
                                  "280 bytes uncompressed, over the limit of 200 bytes for one member")
    assert [i.name for i in items if isinstance(i, Embedded)] == ["schedule_a/sellers_temu.tsv"]


def test_members_sharing_their_data_are_refused_as_a_zip_bomb():
    data = bytearray(_zip(("a.csv", AMAZON.encode()), ("b.csv", AMAZON.encode())))
    central = data.rindex(b"PK\x01\x02")  # b.csv's central entry: point it at a.csv's data
    data[central + 42:central + 46] = struct.pack("<I", 0)
    with pytest.raises(ParseError) as exc:
        _parse(bytes(data))
    assert str(exc.value) == "case.zip: member b.csv: overlaps the data of member a.csv (zip bomb)"


@pytest.mark.parametrize("data,message", [
    ((ARCHIVES / "truncated.zip").read_bytes(),
     "case.zip: end of file (byte 997): truncated zip archive: no central directory at the end"),
    (b"Rar!\x1a\x07\x01\x00" + bytes(40), "case.zip: byte 0: a RAR archive, not a zip archive (not supported)"),
    (b"this is not an archive at all", "case.zip: byte 0: not a zip archive"),
    (b"", "case.zip: byte 0: not a zip archive"),
])
def test_broken_or_foreign_archives_fail_with_the_place(data, message):
    with pytest.raises(ParseError) as exc:
        _parse(data)
    assert str(exc.value) == message


def test_truncated_zip_is_rejected_and_the_store_stays_as_it_was(sqlite_store):
    ingest_file(sqlite_store, ARCHIVES / "seller_tables.zip")
    before = (sqlite_store.counts(), len(sqlite_store.sources()))
    result = ingest_file(sqlite_store, ARCHIVES / "truncated.zip")
    assert (result.status, result.reason) == (
        "rejected", "end of file (byte 997): truncated zip archive: no central directory at the end")
    assert (sqlite_store.counts(), len(sqlite_store.sources())) == before


def test_corrupt_member_is_unreadable_and_the_others_are_read():
    data = bytearray(_zip(("a.csv", AMAZON.encode()), ("b.csv", b"Seller Name\nB\n")))
    start = 30 + len("a.csv")
    data[start + 10] ^= 0xFF  # damage a.csv's compressed data
    items, _ = _parse(bytes(data))
    assert isinstance(items[0], Unreadable) and items[0].locator == "member a.csv"
    assert items[0].reason.startswith("corrupt member (")
    assert _summary(items)[1] == ("b.csv", "member b.csv")


def test_cut_archives_never_crash():
    data = (ARCHIVES / "seller_tables.zip").read_bytes()
    for cut in range(0, len(data), 97):
        damaged = data[:cut] + bytes(len(data) - cut)  # the end zeroed: offsets point at nothing
        for candidate in (data[:cut], damaged, data[cut:]):
            try:
                _parse(candidate)
            except ParseError:
                pass


def test_zips_nested_deeper_than_the_limit_are_refused(sqlite_store, tmp_path):
    data = _zip(("sellers.csv", AMAZON.encode()))
    for level in range(MAX_DEPTH + 1):
        data = _zip((f"level{level}.zip", data))
    path = tmp_path / "deep.zip"
    path.write_bytes(data)
    results = list(flatten([ingest_file(sqlite_store, path)]))
    assert [r.status for r in results] == ["ingested"] * (MAX_DEPTH + 1) + ["rejected"]
    assert results[-1].reason == f"nested more than {MAX_DEPTH} containers deep"


def test_detection_of_zip_archives():
    head = (ARCHIVES / "seller_tables.zip").read_bytes()[:4096]
    assert detect("case.zip", head) is ZipArchive
    assert detect("evidence", head) is ZipArchive  # a zip without its extension
    assert ZipArchive.sniff("sellers.xlsx", head) == 0  # zip-based documents are not archives to open
    assert ZipArchive.sniff("report.bin", b"PK\x03\x04\x14\x00\x06\x00\x08\x00[Content_Types].xml") == 0
    assert ZipArchive.sniff("not-really.zip", b"hello") == 1  # claimed, then refused with the reason
    with pytest.raises(IngestError, match="unknown format"):
        detect("photo.heic", b"\x00\x00\x00\x18ftypheic")


# --- members stream through the container's spool ---------------------------------------------------------

def _field_note(index: int, size: int) -> bytes:
    """``size`` bytes of a plain-text visit note, different for each index (a note is read in 1 MiB chunks)."""
    line = f"Visit {index}: shelves of unbranded serum boxes, relabelled on site, cartons marked for Ningbo.\n"
    return (line.encode("ascii") * (size // len(line) + 1))[:size]


def test_members_wait_on_disk_so_memory_holds_a_chunk_not_the_whole_archive(sqlite_store, tmp_path):
    members = [(f"visits/note_{i}.md", _field_note(i, 2 * 2**20)) for i in range(8)]
    total = sum(len(data) for _, data in members)
    path = tmp_path / "field_notes.zip"
    path.write_bytes(_zip(*members, compression=zipfile.ZIP_STORED))  # the archive is as large as its members
    tracemalloc.start()
    try:
        result = ingest_file(sqlite_store, path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [(c.path.removeprefix(str(path)), c.status, c.parser) for c in result.children] == [
        (f"!visits/note_{i}.md", "ingested", "markdown-note") for i in range(8)]
    assert [s.sha256 for s in sqlite_store.sources()][1:] == [hashlib.sha256(d).hexdigest() for _, d in members]
    # holding the members until the archive was written took more than the sum of them (2.25x measured)
    assert peak < 0.4 * total, f"peak {peak / 2**20:.1f} MiB for {total / 2**20:.0f} MiB of members"


def test_a_member_that_fails_its_check_after_being_copied_leaves_nothing_in_the_spool():
    data = bytearray(_zip(("a.csv", AMAZON.encode()), ("b.csv", b"Seller Name\nB\n"), compression=zipfile.ZIP_STORED))
    data[30 + len("a.csv") + 5] ^= 0x20  # stored data: read whole, then the CRC check fails
    items, ctx = _parse(bytes(data))
    assert (items[0].locator, items[0].reason) == ("member a.csv", "corrupt member (BadZipFile: Bad CRC-32 for file "
                                                                   "'a.csv')")
    assert items[1].read() == b"Seller Name\nB\n"
    assert ctx.spool.size == len(b"Seller Name\nB\n")  # b.csv took the refused member's place


def test_a_bad_member_is_quarantined_with_its_bytes_and_the_next_is_ingested(sqlite_store, tmp_path):
    garbage = (FIXTURES / "ingest" / "garbage.csv").read_bytes()
    path = tmp_path / "case.zip"
    path.write_bytes(_zip(("exports/sellers.csv", garbage), ("exports/more.csv", AMAZON.encode())))
    open_files = len(os.listdir("/proc/self/fd"))
    result = ingest_file(sqlite_store, path)
    assert len(os.listdir("/proc/self/fd")) == open_files  # every spool closed (deleted) once its children are in
    assert [(c.path.removeprefix(str(path)), c.status, c.reason) for c in result.children] == [
        ("!exports/sellers.csv", "rejected", "byte 0: binary data, not a text table"),
        ("!exports/more.csv", "ingested", "")]
    [kept] = sqlite_store.quarantined(with_data=True)
    assert (kept.path, kept.data, kept.sha256) == (f"{path}!exports/sellers.csv", garbage,
                                                    hashlib.sha256(garbage).hexdigest())
