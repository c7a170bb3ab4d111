"""Files uploaded in the dashboard: kept on disk as received, then ingested exactly as ``infringer-graph ingest``.

Each upload (one press of *Ingest*) gets a folder of its own under the uploads folder —
``<store>.uploads/<UTC time>_<user>/<original file name>`` next to an SQLite store, or ``INFRINGER_GRAPH_UPLOADS``
— and that path is the Source's path: a filing can cite it (who uploaded, when, the name the file had) and the
bytes stay there for ``reparse`` and ``quarantine retry``, their sha256 in the Source. File names are reduced to
a safe base name (no folders, ``..``, control characters); the name as sent is kept in the audit log.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from pathlib import Path

from graph.store import store_url
from ingest.errors import IngestError
from ingest.run import FileResult, flatten, ingest_file

ENV_UPLOADS = "INFRINGER_GRAPH_UPLOADS"
MAX_NAME = 150  # characters of a stored file name (file systems refuse names over 255 bytes)
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]")


def uploads_root() -> Path:
    explicit = os.environ.get(ENV_UPLOADS)
    if explicit:
        return Path(explicit)
    scheme, sep, rest = store_url().partition("://")
    if not sep:
        return Path(scheme + ".uploads")
    if scheme == "sqlite":
        return Path((rest[1:] if rest.startswith("/") else rest) + ".uploads")
    return Path.cwd() / "infringer-graph-uploads"


def clean_name(name: str) -> str:
    """A safe file name for what a browser (or anyone) sent: the last path part, no control or reserved
    characters, no leading dots, at most ``MAX_NAME`` characters (the suffix kept); 'upload' if nothing is left."""
    base = re.split(r"[/\\]", unicodedata.normalize("NFC", name or ""))[-1]
    base = _UNSAFE.sub("_", base).strip().lstrip(".").strip()
    if len(base) > MAX_NAME:
        stem, dot, suffix = base.rpartition(".")
        suffix = suffix[:20] if dot and stem else ""
        base = base[:MAX_NAME - len(suffix) - 1].rstrip() + ("." + suffix if suffix else "")
    return base or "upload"


def _folder(root: Path, user: str, now: datetime) -> Path:
    stamp = now.astimezone(timezone.utc).strftime("%Y-%m-%dT%H-%M-%SZ")
    base = f"{stamp}_{clean_name(user).replace(' ', '_')}"
    for n in range(1, 1000):
        folder = root / (base if n == 1 else f"{base}_{n}")
        try:
            folder.mkdir(parents=True, exist_ok=False)
            return folder
        except FileExistsError:
            continue
    raise IngestError(f"{root}: cannot make a folder for this upload")


def spool_uploads(files: Sequence[tuple[str, bytes]], user: str, root: Path | None = None,
                  now: datetime | None = None) -> list[tuple[str, Path]]:
    """Write each (name as sent, bytes) into a new folder for this upload; returns (name as sent, path)."""
    folder = _folder(root or uploads_root(), user, now or datetime.now(timezone.utc))
    saved: list[tuple[str, Path]] = []
    for sent, data in files:
        name = clean_name(sent)
        path, n = folder / name, 1
        while path.exists():  # two files of one name in one upload
            n += 1
            stem, dot, suffix = name.rpartition(".")
            path = folder / (f"{stem} ({n}).{suffix}" if dot and stem else f"{name} ({n})")
        try:
            with path.open("xb") as fh:
                fh.write(data)
        except OSError as exc:
            raise IngestError(f"{path}: cannot store the upload ({exc.strerror})") from None
        saved.append((sent, path))
    return saved


def ingest_uploads(store, files: Sequence[tuple[str, bytes]], user: str, overrides: dict[str, str] | None = None,
                   root: Path | None = None, on_file: Callable[[int, str], None] | None = None
                   ) -> tuple[list[tuple[str, Path]], list[FileResult]]:
    """Keep the uploads on disk and ingest each (the same ``ingest_file`` as the CLI; a bad file is rejected
    into the quarantine, never stops the others). Returns where they were kept and every result, containers
    followed by what they held."""
    saved = spool_uploads(files, user, root)
    results = []
    for i, (_, path) in enumerate(saved):
        if on_file:
            on_file(i, path.name)
        results.append(ingest_file(store, path, overrides or {}))
    return saved, list(flatten(results))
