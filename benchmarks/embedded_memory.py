"""Memory of ingesting containers: a zip of large members and an e-mail with large attachments.

    python -m benchmarks.embedded_memory --members 8 --member-mib 8

Each member is a plain-text note of ``--member-mib`` MiB (a note's parser reads it in 1 MiB chunks), stored
uncompressed so the zip is as large as its members. The peak is what Python allocated at once during
``ingest_file`` (tracemalloc; SQLite's own memory is not counted), once per container; the time is a
second run without tracemalloc. Before members were spooled, a container's children were all held in
memory until the container was written: the peak then grew with the sum of the members (and an e-mail
was parsed whole at once, at 7x its size).
"""

from __future__ import annotations

import argparse
import tempfile
import time
import tracemalloc
import zipfile
from email.message import EmailMessage
from pathlib import Path

from rich.console import Console

from graph.store import open_store
from infringer_graph.tables import make_table
from ingest.run import flatten, ingest_file

WORDS = ("north", "harbor", "lantern", "copper", "meadow", "signal", "orchard", "velvet", "granite", "willow",
         "ember", "summit", "tidal", "juniper", "cobalt", "prairie", "falcon", "saffron", "quartz", "birch")


def note_text(index: int, size: int) -> bytes:
    """``size`` bytes of plain prose-like text, different for each ``index``."""
    line = " ".join(WORDS[(index * 7 + k * k) % len(WORDS)] for k in range(14)) + "\n"
    head = f"Field note {index} from the warehouse visit\n\n".encode("ascii")
    body = (line.encode("ascii") * (size // len(line) + 1))[:size - len(head) - 1]
    return head + body + b"\n"


def write_zip(path: Path, members: int, size: int) -> int:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        for i in range(members):
            zf.writestr(f"notes/visit_{i:02d}.md", note_text(i, size))
    return members * size


def write_eml(path: Path, members: int, size: int) -> int:
    msg = EmailMessage()
    msg["From"] = "Field Team <field.team@harborlane.example>"
    msg["To"] = "counsel@harborlane.example"
    msg["Subject"] = "Warehouse visit notes"
    msg["Date"] = "Tue, 06 Oct 2026 09:14:00 +0000"
    msg.set_content("Notes from the visits are attached.\n")
    for i in range(members):
        msg.add_attachment(note_text(i, size), maintype="text", subtype="markdown", filename=f"visit_{i:02d}.md")
    path.write_bytes(msg.as_bytes())
    return members * size


def measure(folder: Path, path: Path) -> tuple[float, float, int, set[str]]:
    """(peak MiB traced, seconds untraced, documents, statuses) of ingesting ``path`` into fresh stores."""
    with open_store(f"sqlite:///{folder}/{path.name}-traced.db") as store:
        tracemalloc.start()
        results = list(flatten([ingest_file(store, path)]))
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    with open_store(f"sqlite:///{folder}/{path.name}-timed.db") as store:
        t0 = time.perf_counter()
        ingest_file(store, path)
        seconds = time.perf_counter() - t0
    return peak / 2**20, seconds, len(results), {r.status for r in results}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--members", type=int, default=8, help="members / attachments per container (default 8)")
    ap.add_argument("--member-mib", type=int, default=8, help="MiB of each member (default 8)")
    ap.add_argument("--only", choices=("zip", "e-mail"), help="measure one kind of container")
    args = ap.parse_args()
    size = args.member_mib * 2**20
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_zip(folder / "warm.zip", 1, 1024)
        with open_store(f"sqlite:///{folder}/warm.db") as store:  # imports, schema (not counted)
            ingest_file(store, folder / "warm.zip")
        for label, writer, name in (("zip (stored)", write_zip, "visits.zip"), ("e-mail", write_eml, "visits.eml")):
            if args.only and not label.startswith(args.only):
                continue
            path = folder / name
            total = writer(path, args.members, size)
            peak, seconds, documents, statuses = measure(folder, path)
            rows.append((label, documents, f"{total / 2**20:,.0f}", f"{path.stat().st_size / 2**20:,.0f}",
                         f"{peak:,.1f}", f"{peak / (total / 2**20):.2f}", f"{peak / args.member_mib:.2f}",
                         f"{seconds:.2f}", f"{path.stat().st_size / 2**20 / seconds:,.0f}",
                         ", ".join(sorted(statuses))))
    console = Console(width=max(Console().width, 120))
    console.print(make_table(f"Peak Python memory ingesting a container of {args.members} x {args.member_mib} MiB",
                             ("container", "documents", "members MiB", "file MiB", "peak MiB", "peak/sum",
                              "peak/member", "seconds", "MiB/s", "status"), rows,
                             numeric=("documents", "members MiB", "file MiB", "peak MiB", "peak/sum", "peak/member",
                                      "seconds", "MiB/s")))
    console.print("peak = tracemalloc peak during ingest_file (Python allocations; SQLite's are not traced); "
                  "seconds = the same ingest without tracemalloc.")


if __name__ == "__main__":
    main()
