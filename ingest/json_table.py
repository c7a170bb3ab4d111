"""Seller tables as JSON (an array of objects, or an object wrapping arrays of them) and JSON Lines.

Object keys are headers ('sellerName' and 'contact.email' are read as 'seller Name' and 'contact email').
Nested values are flattened: a list gives several values of its key; a nested object gives dotted keys,
except an address, payment account or phone written as an object, which is one value ('PayPal, a@b.com').
A malformed line of a JSON Lines file is kept as an Unreadable part and the file goes on; a malformed JSON
document is refused with the line and column.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterator
from typing import BinaryIO

from graph.model import get_model
from graph.records import Record

from ingest.base import SNIFF_BYTES, ParseContext, Parser, Unreadable, register
from ingest.errors import ParseError
from ingest.columns import map_header
from ingest.tables import HEADER_SCAN, MAX_CELL, Column, Table, recognised
from ingest.text import guess_encoding, looks_binary, open_text
from ingest.typed import epoch_text

MAX_JSON_BYTES = 256 << 20  # a JSON document is read whole; past this, JSON Lines is the format to use
MAX_LINE = 10 << 20         # characters of one JSON Lines line
MAX_DEPTH = 8               # nesting flattened; deeper values are kept as JSON text
_KEY = re.compile(rb'"([^"\\\r\n]{1,80})"\s*:')
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_SHARED = frozenset({"case", "court"})  # wrapper keys that hold for every record (the case they come from)
_COMBINED = {"Address": ", ", "PaymentAccount": ", ", "Phone": " "}  # link targets written as one object


def _as_header(key: str) -> str:
    return _CAMEL.sub(" ", key)


def _known_keys(head: bytes) -> int:
    keys = {m.group(1).decode("utf-8", "replace") for m in _KEY.finditer(head[:SNIFF_BYTES])}
    return sum(1 for k in keys if recognised(k, {}) or recognised(_as_header(k), {}))


def _scalar(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else str(value)


class _Flattener:
    """The (column, text) pairs of one JSON object; columns are made once per key path."""

    def __init__(self, table: Table):
        self.table = table
        self.columns: dict[tuple[str, bool], Column] = {}
        self.model = get_model()

    def column(self, path: str, report: bool = True) -> Column:
        col = self.columns.get((path, report))
        if col is None:
            as_header = path.replace(".", " ")
            if not recognised(as_header, self.table.ctx.overrides):
                as_header = _as_header(as_header)  # 'sellerName' -> 'seller Name', 'firstSeen' -> 'first Seen'
            col = self.columns[path, report] = self.table.column(path, f"key {path!r}", as_header, report)
        return col

    def joiner(self, path: str, value: dict) -> str | None:
        """The separator when an object under ``path`` is one value (an address, an account), else None."""
        field = self.column(path, report=False).field
        target = self.model.fields[field].node if field in self.model.fields else None
        if target not in _COMBINED:
            return None
        for key in value:  # {"paypal": ..., "payoneer": ...}: several accounts, not one
            other = self.column(f"{path}.{key}", report=False).field
            if other and other != field and self.model.fields[other].role == "link":
                return None
        return _COMBINED[target]

    def pairs(self, obj, path: str = "", shown: str = "", depth: int = 0) -> Iterator[tuple[Column, str]]:
        if isinstance(obj, dict):
            if depth > MAX_DEPTH:
                yield self._labelled(path, shown), json.dumps(obj, ensure_ascii=False)[:MAX_CELL]
                return
            if path and (sep := self.joiner(path, obj)):
                text = sep.join(_leaves(obj))
                if text:
                    yield self._labelled(path, shown), text
                return
            for key, value in obj.items():
                key = str(key)
                yield from self.pairs(value, f"{path}.{key}" if path else key,
                                      f"{shown}.{key}" if shown else key, depth + 1)
        elif isinstance(obj, list):
            if depth > MAX_DEPTH:
                yield self._labelled(path, shown), json.dumps(obj, ensure_ascii=False)[:MAX_CELL]
                return
            for i, item in enumerate(obj):
                yield from self.pairs(item, path, f"{shown}[{i}]", depth + 1)
        else:
            text = _scalar(obj)
            if text is None:
                return
            col = self._labelled(path, shown)
            if col.dates and isinstance(obj, int) and not isinstance(obj, bool):
                text = epoch_text(obj) or text
            yield col, text

    def _labelled(self, path: str, shown: str) -> Column:
        col = self.column(path or "value")
        return col if shown == path else dataclasses.replace(col, label=f"key {shown!r}")


def _leaves(obj, depth: int = 0) -> Iterator[str]:
    """The scalar texts inside a value, in order."""
    if depth > MAX_DEPTH:
        return
    if isinstance(obj, dict):
        for value in obj.values():
            yield from _leaves(value, depth + 1)
    elif isinstance(obj, list):
        for value in obj:
            yield from _leaves(value, depth + 1)
    elif (text := _scalar(obj)) and text.strip():
        yield text.strip()


def _loads(text: str):
    return json.loads(text, parse_float=str, parse_constant=str)


def _check_keys(objects: list, flat: "_Flattener", ctx: ParseContext, where: str) -> None:
    """ParseError when none of the first objects has a key that is a known field."""
    dicts = [o for o in objects[:HEADER_SCAN] if isinstance(o, dict)]
    if not dicts or any(col.field or col.companion for o in dicts for col, _ in flat.pairs(o)):
        return
    keys = sorted({str(k) for o in dicts for k in o})
    raise ParseError(ctx.path, where, "no key is a known seller field "
                     f"(keys: {', '.join(keys[:8])}); use --map \"key=field\"")


@register
class SellerTableJSON(Parser):
    name = "seller-table-json"
    media_type = "application/json"
    extensions = (".json",)
    fixture = "ingest/tables/sellers.json"

    @classmethod
    def sniff(cls, name: str, head: bytes) -> int:
        if not name.lower().endswith(cls.extensions):
            return 0
        start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
        if start not in (b"[", b"{"):
            return 1  # claimed, then rejected with a reason
        return 70 if _known_keys(head) >= 2 else 40

    def parse(self, stream: BinaryIO, ctx: ParseContext) -> Iterator[Record | Unreadable]:
        data = stream.read(MAX_JSON_BYTES + 1)
        if len(data) > MAX_JSON_BYTES:
            raise ParseError(ctx.path, "", f"a JSON document over {MAX_JSON_BYTES >> 20} MB is not read whole: "
                             "export it as JSON Lines (one object per line)")
        if looks_binary(data[:SNIFF_BYTES]):
            raise ParseError(ctx.path, "byte 0", "binary data, not JSON")
        encoding = guess_encoding(data[:SNIFF_BYTES])
        try:
            doc = _loads(data.decode(encoding if encoding != "cp1252" else "utf-8"))
        except UnicodeDecodeError as exc:
            raise ParseError(ctx.path, f"byte {exc.start}", "not UTF-8 text") from None
        except json.JSONDecodeError as exc:
            raise ParseError(ctx.path, f"line {exc.lineno}, column {exc.colno}", f"malformed JSON ({exc.msg})") from None
        except RecursionError:
            raise ParseError(ctx.path, "", "JSON nested too deeply") from None
        del data
        file_name = ctx.path.rsplit("/", 1)[-1]
        shared: list[tuple[str, str, str]] = []
        if isinstance(doc, list):
            if doc and not any(isinstance(x, dict) for x in doc[:HEADER_SCAN]):
                raise ParseError(ctx.path, "record 1", f"expected an array of objects, found an array of "
                                 f"{type(doc[0]).__name__}")
            arrays, context = [("", doc)], [file_name]
        elif isinstance(doc, dict):
            arrays = [(str(k), v) for k, v in doc.items()
                      if isinstance(v, list) and any(isinstance(x, dict) for x in v[:HEADER_SCAN])]
            scalars = {str(k): str(v) for k, v in doc.items() if isinstance(v, (str, int)) and not isinstance(v, bool)}
            shared = [(field, v, f"key {k!r}") for k, v in scalars.items()
                      if (field := map_header(_as_header(k), ctx.overrides)) in _SHARED]
            rest = [f"{k}: {v}" for k, v in scalars.items() if not any(s[2] == f"key {k!r}" for s in shared)]
            if rest:
                ctx.notes.append(f"keys beside the records (read as context, stated in no record): {'; '.join(rest)[:300]!r}")
            context = [*scalars.values(), file_name]
            if not arrays:
                arrays = [("", [doc])]  # one seller as one object
        else:
            raise ParseError(ctx.path, "line 1", f"expected an array of objects, found {type(doc).__name__}")
        for key, items in arrays:
            prefix = f"key {key!r}, " if key else ""
            table = Table(ctx, [key, *context], name=f"key {key!r}" if key else "", shared=shared)
            flat = _Flattener(table)
            _check_keys(items, flat, ctx, f"{prefix}record 1")
            for i, item in enumerate(items, 1):
                where = f"{prefix}record {i}"
                if not isinstance(item, dict):
                    yield Unreadable(where, json.dumps(item, ensure_ascii=False)[:10_000],
                                     f"expected an object, found {type(item).__name__}")
                    continue
                yield from table.record(flat.pairs(item), where)
            table.finish()


@register
class SellerTableJSONL(Parser):
    name = "seller-table-jsonl"
    media_type = "application/x-ndjson"
    extensions = (".jsonl", ".ndjson")
    fixture = "ingest/tables/sellers.jsonl"

    @classmethod
    def sniff(cls, name: str, head: bytes) -> int:
        lower = name.lower()
        lines = [ln for ln in head.lstrip(b"\xef\xbb\xbf").splitlines() if ln.strip()][:2]
        if lower.endswith(cls.extensions):
            return 80 if lines and lines[0].lstrip().startswith(b"{") else 1
        if lower.endswith(".json") and len(lines) == 2 and lines[1].lstrip().startswith(b"{"):
            try:  # a .json file of one object per line
                return 78 if isinstance(_loads(lines[0].decode("utf-8", "replace")), dict) else 0
            except (ValueError, RecursionError):
                return 0
        return 0

    def parse(self, stream: BinaryIO, ctx: ParseContext) -> Iterator[Record | Unreadable]:
        text, _, _ = open_text(stream, ctx.path, "JSON Lines")
        table = Table(ctx, [ctx.path.rsplit("/", 1)[-1]])
        flat = _Flattener(table)
        first: list[Unreadable | tuple[str, dict]] | None = []  # the first lines, until the file is judged
        for line_no, line, cut in _lines(text):
            if not line.strip():
                continue
            entry = _entry(line_no, line, cut)
            if first is None:
                yield from self._emit(entry, table, flat)
                continue
            first.append(entry)
            if len(first) >= HEADER_SCAN:
                yield from self._judged(first, table, flat, ctx)
                first = None
        if first:
            yield from self._judged(first, table, flat, ctx)
        table.finish()

    def _judged(self, first, table: Table, flat: _Flattener, ctx: ParseContext):
        """The first lines, once they show the file is JSON Lines of seller objects."""
        objects = [e[1] for e in first if not isinstance(e, Unreadable)]
        if not objects:
            raise ParseError(ctx.path, first[0].locator, f"not JSON Lines: none of the first {len(first)} "
                             f"non-empty lines is a JSON object ({first[0].reason})")
        _check_keys(objects, flat, ctx, next(e[0] for e in first if not isinstance(e, Unreadable)))
        for entry in first:
            yield from self._emit(entry, table, flat)

    @staticmethod
    def _emit(entry, table: Table, flat: _Flattener):
        if isinstance(entry, Unreadable):
            yield entry
        else:
            yield from table.record(flat.pairs(entry[1]), entry[0])


def _entry(line_no: int, line: str, cut: bool) -> Unreadable | tuple[str, dict]:
    where = f"line {line_no}"
    raw = line.rstrip("\r\n")[:10_000]
    if cut:
        return Unreadable(where, raw, f"line longer than {MAX_LINE:,} characters")
    try:
        item = _loads(line)
    except json.JSONDecodeError as exc:
        return Unreadable(where, raw, f"malformed JSON at column {exc.colno} ({exc.msg})")
    except RecursionError:
        return Unreadable(where, raw, "JSON nested too deeply")
    if not isinstance(item, dict):
        return Unreadable(where, raw, f"expected an object, found {type(item).__name__}")
    return where, item


def _lines(text) -> Iterator[tuple[int, str, bool]]:
    """(line number, line, cut) with bounded memory per line."""
    line_no = 0
    while True:
        line = text.readline(MAX_LINE)
        if not line:
            return
        line_no += 1
        cut = len(line) >= MAX_LINE and not line.endswith("\n")
        if cut:
            while True:  # skip the rest of an overlong line
                rest = text.readline(MAX_LINE)
                if not rest or rest.endswith("\n"):
                    break
        yield line_no, line, cut
