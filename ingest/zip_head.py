"""The first bytes of a zip-based document (XLSX, DOCX) read for format detection, before the whole file
is at hand: the local entries found whole or in part, their data inflated as far as those bytes go.

Not a parser: nothing here is registered.
"""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Iterator

ZIP_MAGIC = b"PK\x03\x04"
MAX_INFLATED = 1 << 20  # bytes of one entry inflated at the most


def head_entries(head: bytes, wanted: re.Pattern[bytes]) -> Iterator[tuple[bytes, bytes]]:
    """(name, data) of each local entry in ``head`` whose name matches ``wanted``: stored data as it is,
    deflated data inflated up to ``MAX_INFLATED`` bytes (as much as the head holds); b"" when corrupt or
    compressed another way."""
    pos = head.find(ZIP_MAGIC)
    while 0 <= pos and pos + 30 <= len(head):
        flags, method = struct.unpack_from("<HH", head, pos + 6)
        size = struct.unpack_from("<I", head, pos + 18)[0]
        name_len, extra_len = struct.unpack_from("<HH", head, pos + 26)
        name = head[pos + 30:pos + 30 + name_len]
        start = pos + 30 + name_len + extra_len
        known = size and not flags & 8  # else the size follows the data (a data descriptor)
        end = start + size if known else len(head)
        if wanted.match(name):
            data = head[start:end]
            try:
                data = zlib.decompressobj(-15).decompress(data, MAX_INFLATED) if method == 8 else \
                    data if method == 0 else b""
            except zlib.error:
                data = b""
            yield name, data
        pos = head.find(ZIP_MAGIC, max(end if known else start, pos + 4))
