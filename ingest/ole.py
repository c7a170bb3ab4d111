"""OLE compound files (CFB) named like workbooks: say what they are instead of 'not a zip'.

An XLSX workbook saved with a password is not a zip: Office wraps the encrypted package in an OLE container
(streams ``EncryptionInfo`` and ``EncryptedPackage``). Legacy ``.xls`` workbooks are OLE files too (a
``Workbook`` stream of BIFF records; a FILEPASS record means it is encrypted). Only the directory is read,
with bounded work: hostile files cannot loop or allocate without limit.
"""

from __future__ import annotations

import struct

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_END = 0xFFFFFFFA          # sector numbers from here on are markers (end of chain, free, FAT, DIFAT)
_MAX_SECTORS = 4096        # sectors followed in one chain, FAT sectors read
PASSWORD = ("password-protected workbook: remove the password (in Excel: File > Info > Protect Workbook > "
            "Encrypt with Password, clear it) and save it again")


def _u32s(data: bytes) -> list[int]:
    return list(struct.unpack(f"<{len(data) // 4}I", data[: len(data) // 4 * 4]))


def stream_entries(fh) -> dict[str, tuple[int, int]]:
    """Stream names of a compound file -> (start sector, size); empty when it is not one."""
    fh.seek(0)
    header = fh.read(512)
    if len(header) < 512 or not header.startswith(OLE_MAGIC):
        return {}
    shift = struct.unpack_from("<H", header, 30)[0]
    if not 7 <= shift <= 16:
        return {}
    size = 1 << shift

    def sector(n: int) -> bytes:
        fh.seek((n + 1) * size)
        return fh.read(size)

    num_fat, dir_start = struct.unpack_from("<I", header, 44)[0], struct.unpack_from("<I", header, 48)[0]
    difat_next = struct.unpack_from("<I", header, 68)[0]
    fat_sectors = [s for s in _u32s(header[76:512]) if s < _END]
    seen: set[int] = set()
    while difat_next < _END and difat_next not in seen and len(fat_sectors) < min(num_fat, _MAX_SECTORS):
        seen.add(difat_next)
        entries = _u32s(sector(difat_next))
        fat_sectors += [s for s in entries[:-1] if s < _END]
        difat_next = entries[-1] if entries else _END
    fat: list[int] = []
    for s in fat_sectors[:_MAX_SECTORS]:
        fat += _u32s(sector(s))

    names: dict[str, tuple[int, int]] = {}
    current, visited = dir_start, set()
    while current < _END and current not in visited and len(visited) < _MAX_SECTORS:
        visited.add(current)
        data = sector(current)
        for off in range(0, len(data) - 127, 128):
            entry = data[off:off + 128]
            length = struct.unpack_from("<H", entry, 64)[0]
            if entry[66] == 2 and 2 <= length <= 64:  # a stream
                name = entry[:length - 2].decode("utf-16-le", errors="replace")
                names[name] = (struct.unpack_from("<I", entry, 116)[0], struct.unpack_from("<I", entry, 120)[0])
        current = fat[current] if current < len(fat) else _END
    return names


def _biff_encrypted(fh, start: int, stream_size: int, sector_size: int = 512) -> bool:
    """True when the first records of a BIFF Workbook stream include FILEPASS (0x002F)."""
    if stream_size < 4096:  # held in the mini stream: not worth following for a message
        return False
    fh.seek((start + 1) * sector_size)
    data = fh.read(sector_size)
    pos = 0
    while pos + 4 <= len(data):
        rtype, length = struct.unpack_from("<HH", data, pos)
        if rtype == 0x002F:
            return True
        if rtype == 0x000A:  # EOF of the globals
            return False
        pos += 4 + length
    return False


def describe_ole(fh) -> str:
    """What an OLE file named like a workbook is, as a problem for a ParseError."""
    try:
        names = stream_entries(fh)
        shift = struct.unpack_from("<H", (fh.seek(0), fh.read(32))[1], 30)[0]
    except (OSError, struct.error, ValueError, IndexError):
        names, shift = {}, 9
    finally:
        fh.seek(0)
    if "EncryptedPackage" in names or "EncryptionInfo" in names:
        return PASSWORD
    book = names.get("Workbook") or names.get("Book")
    if book:
        try:
            if _biff_encrypted(fh, *book, sector_size=1 << shift):
                return PASSWORD.replace("workbook:", "workbook (legacy .xls):", 1)
        except (OSError, struct.error, ValueError):
            pass
        finally:
            fh.seek(0)
        return "legacy Excel 97-2003 workbook (.xls), not read: save it as .xlsx"
    return "an OLE compound file (an old Office document?), not an XLSX workbook"
