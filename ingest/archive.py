"""Zip archives: every member is a document of its own (``case.zip!sellers/a.csv``); nested zips recurse.

Archives come from the other side of a dispute, so they are read defensively:

- whole-archive limits (ParseError): more than ``MAX_MEMBERS`` members, more than ``MAX_TOTAL_BYTES``
  uncompressed in all, members whose data overlap (a zip bomb trick), a truncated or corrupt archive;
- per-member refusals (Unreadable, the rest of the archive is still read): unsafe names (``../``, absolute
  paths, drive letters, backslashes), symbolic links, encrypted members, a member over
  ``MAX_MEMBER_BYTES``, a compression ratio over ``MAX_RATIO``:1 for a member over ``RATIO_MIN_BYTES``
  (a zip bomb), unsupported compression and corrupt data;
- skipped: directories, ``__MACOSX/`` resource forks and ``.DS_Store`` files.

Members are read one at a time, in bounded chunks, into the container's spool (``ingest.spool``: one
anonymous temporary file) where they wait to be ingested: memory holds one chunk, never a whole member.
Member names are only shown, never used as paths. The archive itself needs random access: a stream that
cannot seek is first copied into a spooled temporary buffer (memory up to ``SPOOL_IN_MEMORY``, then an
anonymous temporary file); a file on disk is read in place.
"""

from __future__ import annotations

import lzma
import re
import stat
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from typing import BinaryIO

from graph.records import Record

from ingest.base import Embedded, ParseContext, Parser, Unreadable, register
from ingest.errors import ParseError
from ingest.parts import safe_name, unique_name
from ingest.spool import Spool, SpoolEntry

MAX_TOTAL_BYTES = 2 * 1024**3     # uncompressed, all members together
MAX_MEMBERS = 10_000
MAX_MEMBER_BYTES = 512 * 1024**2  # uncompressed, one member
MAX_RATIO = 100                   # uncompressed : compressed, for members over RATIO_MIN_BYTES
RATIO_MIN_BYTES = 1024**2
SPOOL_IN_MEMORY = 64 * 1024**2
CHUNK = 1 << 20

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_OTHER_ARCHIVES = {b"Rar!\x1a\x07": "a RAR archive", b"7z\xbc\xaf\x27\x1c": "a 7-Zip archive",
                   b"\x1f\x8b": "a gzip file", b"BZh": "a bzip2 file", b"\xfd7zXZ\x00": "an xz file"}
# zip-based document formats: their own parsers read them, an archive reading would be useless
_DOCUMENT_EXTENSIONS = (".xlsx", ".xlsm", ".docx", ".docm", ".pptx", ".odt", ".ods", ".odp", ".epub", ".jar",
                        ".apk", ".xpi", ".kmz", ".whl", ".ipa", ".numbers", ".pages")
_DOCUMENT_MARKERS = (b"[Content_Types].xml", b"mimetypeapplication/", b"META-INF/")
_DRIVE = re.compile(r"^[A-Za-z]:")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@register
class ZipArchive(Parser):
    name = "zip-archive"
    media_type = "application/zip"
    extensions = (".zip",)
    fixture = "ingest/archives/seller_tables.zip"

    @classmethod
    def sniff(cls, name: str, head: bytes) -> int:
        lower = name.lower()
        is_zip = head.startswith(_ZIP_MAGIC)
        if lower.endswith(cls.extensions):
            return 95 if is_zip else 1  # not a zip inside: claimed, then rejected with a reason
        if not is_zip or lower.endswith(_DOCUMENT_EXTENSIONS) or any(m in head[:4096] for m in _DOCUMENT_MARKERS):
            return 0
        return 50

    def parse(self, stream: BinaryIO, ctx: ParseContext) -> Iterator[Record | Embedded | Unreadable]:
        with _seekable(stream, ctx) as (fh, size):
            fh.seek(0)
            head = fh.read(8)
            fh.seek(0)
            archive = _open(fh, size, head, ctx)
            with archive:
                yield from _members(archive, ctx)


class _seekable:
    """The stream itself when it can seek, else a spooled copy; yields (file, size)."""

    def __init__(self, stream: BinaryIO, ctx: ParseContext):
        self.stream, self.ctx, self.spool = stream, ctx, None

    def __enter__(self) -> tuple[BinaryIO, int]:
        stream = self.stream
        try:
            if stream.seekable():
                size = stream.seek(0, 2)
                stream.seek(0)
                return stream, size
        except (OSError, ValueError):
            pass
        self.spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)
        size, limit = 0, MAX_TOTAL_BYTES + SPOOL_IN_MEMORY  # compressed data is not larger than the members
        while block := stream.read(CHUNK):
            self.spool.write(block)
            size += len(block)
            if size > limit:
                self.spool.close()
                raise ParseError(self.ctx.path, f"byte {size:,}", f"archive larger than the limit of {limit:,} bytes")
        return self.spool, size  # type: ignore[return-value]

    def __exit__(self, *exc) -> None:
        if self.spool is not None:
            self.spool.close()


def _open(fh: BinaryIO, size: int, head: bytes, ctx: ParseContext) -> zipfile.ZipFile:
    for magic, what in _OTHER_ARCHIVES.items():
        if head.startswith(magic):
            raise ParseError(ctx.path, "byte 0", f"{what}, not a zip archive (not supported)")
    try:
        archive = zipfile.ZipFile(fh)
    except zipfile.BadZipFile as exc:
        if str(exc) == "File is not a zip file":
            if head.startswith(_ZIP_MAGIC):
                raise ParseError(ctx.path, f"end of file (byte {size:,})",
                                 "truncated zip archive: no central directory at the end") from None
            raise ParseError(ctx.path, "byte 0", "not a zip archive") from None
        raise ParseError(ctx.path, "central directory", f"corrupt zip archive ({exc})") from None
    except (OSError, EOFError, ValueError, struct.error, NotImplementedError, IndexError, KeyError,
            OverflowError) as exc:
        raise ParseError(ctx.path, "central directory", f"corrupt zip archive ({type(exc).__name__}: {exc})") from None
    try:
        _check_limits(archive, ctx)
    except BaseException:
        archive.close()
        raise
    return archive


def _check_limits(archive: zipfile.ZipFile, ctx: ParseContext) -> None:
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise ParseError(ctx.path, "central directory", f"{len(infos):,} members, over the limit of {MAX_MEMBERS:,}")
    total = sum(i.file_size for i in infos if not _is_dir(i))
    if total > MAX_TOTAL_BYTES:
        raise ParseError(ctx.path, "central directory", f"{total:,} bytes uncompressed, over the limit of "
                         f"{MAX_TOTAL_BYTES:,} bytes (zip bomb?)")
    spans = sorted((i.header_offset, n, i.header_offset + 30 + _raw_name_length(i) + i.compress_size, i)
                   for n, i in enumerate(infos) if i.compress_size or i.file_size)
    for (_, _, end, info), (start, _, _, following) in zip(spans, spans[1:]):
        if start < end:
            raise ParseError(ctx.path, f"member {_shown(following.filename)}",
                             f"overlaps the data of member {_shown(info.filename)} (zip bomb)")


def _is_dir(info: zipfile.ZipInfo) -> bool:
    return info.filename.endswith("/")  # ZipInfo.is_dir() fails on an empty name


def _raw_name_length(info: zipfile.ZipInfo) -> int:
    return len(info.orig_filename.encode("utf-8" if info.flag_bits & 0x800 else "cp437", "replace"))


def _members(archive: zipfile.ZipFile, ctx: ParseContext) -> Iterator[Embedded | Unreadable]:
    taken: set[str] = set()
    counts = {"embedded": 0, "skipped": 0, "refused": 0}
    for n, info in enumerate(archive.infolist(), start=1):
        name = _member_name(info)
        locator = f"member {_shown(name)}"
        base = name.rstrip("/").rpartition("/")[2]
        if _is_dir(info) or name.startswith("__MACOSX/") or base == ".DS_Store":
            counts["skipped"] += 1
            continue
        item = _refusal(info, name, locator) or _read(archive, info, name, locator, n, taken, ctx.spool)
        counts["refused" if isinstance(item, Unreadable) else "embedded"] += 1
        yield item
    ctx.notes.append(f"{sum(counts.values())} members: {counts['embedded']} embedded, {counts['refused']} refused, "
                     f"{counts['skipped']} skipped (folders, __MACOSX, .DS_Store)")


def _member_name(info: zipfile.ZipInfo) -> str:
    """The member's name: UTF-8 when flagged, else UTF-8 or GBK if the bytes read as such, else CP437."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    for encoding in ("utf-8", "gbk"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "utf-8" or all(ord(ch) < 0x80 or "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef"
                                      for ch in text):
            return text
    return info.filename


def _shown(name: str) -> str:
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", name)


def _unsafe(name: str) -> bool:
    parts = name.split("/")
    return (not name.strip() or name.startswith("/") or "\\" in name or bool(_DRIVE.match(name))
            or ".." in parts or "\x00" in name)


def _refusal(info: zipfile.ZipInfo, name: str, locator: str) -> Unreadable | None:
    if _unsafe(name):
        return Unreadable(locator, name, "unsafe member name")
    if stat.S_ISLNK(info.external_attr >> 16):
        return Unreadable(locator, name, "symbolic link member (not followed)")
    if info.flag_bits & 0x1:
        return Unreadable(locator, name, "encrypted member")
    if info.file_size > MAX_MEMBER_BYTES:
        return Unreadable(locator, name, f"{info.file_size:,} bytes uncompressed, over the limit of "
                          f"{MAX_MEMBER_BYTES:,} bytes for one member")
    if info.file_size > RATIO_MIN_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        ratio = info.file_size // max(info.compress_size, 1)
        return Unreadable(locator, name, f"compression ratio {ratio:,}:1 (over {MAX_RATIO}:1) for "
                          f"{info.file_size:,} bytes: refused as a zip bomb")
    return None


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, locator: str, n: int,
          taken: set[str], spool: Spool) -> Embedded | Unreadable:
    """The member copied into the spool one chunk at a time (never whole in memory), checked as it goes."""
    entry = spool.entry()
    try:
        problem = _copy(archive, info, entry)
    except BaseException:  # the spool failed (a full disk): not the member's fault, the archive is rejected
        entry.drop()
        raise
    if problem:
        entry.drop()
        return Unreadable(locator, name, problem)
    shown = unique_name(safe_name(name, f"member-{n}", keep_folders=True), taken)
    return Embedded(shown, entry.finish(), locator)


_CORRUPT = (NotImplementedError, zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, OSError, ValueError,
            RuntimeError, struct.error, IndexError, KeyError, OverflowError)


def _copy(archive: zipfile.ZipFile, info: zipfile.ZipInfo, entry: SpoolEntry) -> str | None:
    """Decompresses the member into ``entry``; what is wrong with the member, if anything. Errors of the
    spool itself are raised: they are not the member's."""
    limit = min(info.file_size, MAX_MEMBER_BYTES)
    try:
        member = archive.open(info)
    except _CORRUPT as exc:
        return _problem(exc)
    with member:
        while True:
            try:
                block = member.read(CHUNK)
            except _CORRUPT as exc:
                return _problem(exc)
            if not block:
                return None
            if entry.size + len(block) > limit:
                return "member holds more data than it declares (zip bomb?)"
            entry.write(block)


def _problem(exc: BaseException) -> str:
    if isinstance(exc, NotImplementedError):
        return f"unsupported compression ({exc})"
    return f"corrupt member ({type(exc).__name__}: {str(exc)[:160]})"
