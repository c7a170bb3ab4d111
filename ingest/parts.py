"""Helpers for container formats (e-mail, zip): safe display names and text from mislabelled bytes.

Not a parser: nothing here is registered. Names made here are only ever shown and used for format
detection (``container!name``); they are never used as file-system paths.
"""

from __future__ import annotations

import codecs
import mimetypes
import re
import unicodedata

from ingest.text import guess_encoding

MAX_NAME = 150  # characters kept of an embedded document's name (its extension is kept)

# charsets as labelled in the wild -> the codec that reads what senders really wrote (WHATWG-style supersets)
_CHARSET_ALIASES = {
    "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030", "euc-cn": "gb18030",
    "csgb2312": "gb18030", "hz-gb-2312": "hz", "ks_c_5601-1987": "cp949", "euc-kr": "cp949",
    "big5": "big5hkscs", "shift_jis": "cp932", "x-sjis": "cp932", "iso-8859-1": "cp1252", "latin1": "cp1252",
    "latin-1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252", "iso-8859-8-i": "iso-8859-8",
    "utf8": "utf-8", "unicode-1-1-utf-8": "utf-8", "x-unknown": "", "unknown-8bit": "", "default": "",
}
_EXTENSIONS = {  # independent of the machine's mime.types
    "text/csv": ".csv", "text/tab-separated-values": ".tsv", "text/plain": ".txt", "text/html": ".html",
    "text/markdown": ".md", "message/rfc822": ".eml", "application/zip": ".zip",
    "application/x-zip-compressed": ".zip", "application/pdf": ".pdf", "application/json": ".json",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.ms-excel": ".xls", "image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif",
}
_UNSAFE_CHARS = re.compile(r'[<>:"|?*!\\]')  # "!" separates container and member in a Source path


def codec_for(charset: str | None) -> str | None:
    """The Python codec to read text labelled ``charset`` with; None when the label is unknown or empty."""
    if not charset:
        return None
    label = charset.strip().strip('"').lower()
    label = _CHARSET_ALIASES.get(label, label)
    if not label:
        return None
    try:
        info = codecs.lookup(label)
    except (LookupError, UnicodeError, ValueError, TypeError):  # also labels made of junk bytes
        return None
    return info.name if getattr(info, "_is_text_encoding", True) else None


def decode_bytes(data: bytes, charset: str | None = None) -> tuple[str, str, bool]:
    """Text of ``data``: the labelled charset if it reads cleanly, else a guess; never raises.

    Returns (text, codec used, whether the label was wrong or missing)."""
    codec = codec_for(charset)
    if codec:
        try:
            return data.decode(codec), codec, False
        except UnicodeDecodeError:
            pass
    guess = guess_encoding(data[:65536])
    for enc in dict.fromkeys((guess, "utf-8", "gb18030")):
        try:
            return data.decode(enc), enc, bool(charset)
        except UnicodeDecodeError:
            continue
    return data.decode(codec or "cp1252", errors="replace"), codec or "cp1252", bool(charset)


def clean_text(text: str) -> str:
    """``text`` without lone surrogates (raw 8-bit bytes the e-mail package kept as surrogate escapes)."""
    if not any("\ud800" <= ch <= "\udfff" for ch in text):
        return text
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # surrogates that are not escaped bytes
        return text.encode("utf-8", "replace").decode("utf-8")
    return decode_bytes(raw)[0]


def extension_for(content_type: str) -> str:
    ext = _EXTENSIONS.get(content_type.lower())
    if ext is None:
        ext = mimetypes.guess_extension(content_type.lower(), strict=True) or ".bin"
    return ext


def safe_name(name: str | None, fallback: str, keep_folders: bool = False) -> str:
    """A display name for an embedded document: no control or format characters, no separators of
    containers, no leading dots; cut to ``MAX_NAME`` characters keeping the extension; else ``fallback``."""
    text = unicodedata.normalize("NFC", clean_text(name or ""))
    text = "".join(" " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch for ch in text
                   if unicodedata.category(ch) != "Cf")
    parts = text.replace("\\", "/").split("/")
    if not keep_folders:
        parts = parts[-1:]
    parts = [_UNSAFE_CHARS.sub("_", re.sub(r"\s+", " ", p)).strip(" .") for p in parts]
    text = "/".join(p for p in parts if p)
    if len(text) > MAX_NAME:
        stem, dot, ext = text.rpartition(".")
        ext = f".{ext}" if dot and 0 < len(ext) <= 10 else ""
        text = text[:MAX_NAME - len(ext)].rstrip(" .") + ext
    return text or fallback


def unique_name(name: str, taken: set[str]) -> str:
    """``name``, or ``name (2).ext``, ``name (3).ext``... so two parts never share a Source path."""
    candidate, n = name, 1
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem:
        stem, ext = name, ""
    else:
        ext = f".{ext}"
    while candidate.lower() in taken:
        n += 1
        candidate = f"{stem} ({n}){ext}"
    taken.add(candidate.lower())
    return candidate
