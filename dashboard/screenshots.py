"""README screenshots of every dashboard page: ``python -m dashboard.screenshots [--store URL] [-o DIR]``.

Without ``--store`` it builds the example case the way ``make demo`` does (ingest ``examples/demo-case``, resolve)
in a temporary store, serves it, and writes one PNG per page to ``docs/screenshots/``. Pages listed here that the
dashboard does not have (yet) are skipped and reported. Needs Debian's ``chromium`` and ``playwright``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console

from dashboard.browser import Browser, fill_input, find_chromium, network_frame, open_page, screenshot, serve

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_CASE = ROOT / "examples" / "demo-case"


@dataclass
class Shot:
    """One page: the sidebar name, extra URL parameters ({operator} is the largest operator's id), inputs to fill
    (label -> value) and whether to wait for a pyvis network."""
    file: str
    page: str
    params: str = ""
    fill: dict = field(default_factory=dict)
    network: bool = False


SHOTS = [
    Shot("overview", "Overview"),
    Shot("search", "Search", fill={"Alias, URL, seller id, e-mail, phone, account, domain or address": "huaxin"}),
    Shot("operator", "Operator", params="&id={operator}", network=True),
    Shot("entity", "Entity", fill={"Key": "amazon:A1HX7Q2M9ZK3LP"}, network=True),
    Shot("explorer", "Explorer"),
    Shot("review", "Review queue"),
    Shot("analytics", "Analytics", fill={"From (TYPE:KEY)": "Storefront:ebay:sunnybloom_shop",
                                         "To (TYPE:KEY)": "Storefront:temu:634418212233"}),
    Shot("reports", "Reports"),
    Shot("case-builder", "Case builder"),
    Shot("ingest", "Ingest"),
]


def build_demo_store(folder: Path) -> str:
    url = f"sqlite:///{folder}/demo.db"
    for args in (["ingest", str(EXAMPLE_CASE.relative_to(ROOT))], ["resolve"]):  # sources named as in `make demo`
        subprocess.run([sys.executable, "-m", "infringer_graph", "--store", url, *args], check=True,
                       capture_output=True, text=True, cwd=ROOT)
    return url


def largest_operator(url: str) -> str:
    from graph.analytics.network import load_operators
    from graph.analytics.scale import rank_operators
    from graph.store import open_store

    with open_store(url, create=False) as store:
        profiles = rank_operators(store, load_operators(store))
    return profiles[0].operator if profiles else ""


def take(store: str, out: Path, console: Console) -> int:
    chromium = find_chromium()
    if chromium is None:
        console.print("Error: needs Debian's chromium (apt-get install chromium)", markup=False)
        return 1
    operator = largest_operator(store)
    with serve(store) as base:
        browser = Browser(chromium)
        try:
            page = browser.new_page()
            open_page(page, base, "?page=Overview")
            sidebar = page.inner_text('[data-testid="stSidebar"]').splitlines()
            for shot in SHOTS:
                if shot.page not in sidebar:
                    console.print(f"skipped {shot.page}: not in this dashboard", markup=False)
                    continue
                page.close()  # a fresh page (and Streamlit session) for each, so widgets start empty
                page = browser.new_page()
                open_page(page, base, f"?page={shot.page}" + shot.params.format(operator=operator))
                for label, value in shot.fill.items():
                    fill_input(page, label, value)
                if shot.network:
                    network_frame(page)
                    page.wait_for_timeout(2500)  # let the physics settle before the picture
                path = out / f"{shot.file}.png"
                screenshot(page, path)
                console.print(f"wrote {path}", markup=False)
        finally:
            browser.close()
    rec = browser.record
    for problem in rec.console_errors + rec.dialogs + [f"request off the machine: {u}" for u in rec.off_machine]:
        console.print(f"warning: {problem}", markup=False)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard.screenshots", description=__doc__.splitlines()[0])
    parser.add_argument("--store", help="store URL (default: the example case in a temporary store)")
    parser.add_argument("-o", "--output", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args(argv)
    console = Console()
    if args.store:
        return take(args.store, args.output, console)
    with tempfile.TemporaryDirectory() as tmp:
        with console.status("building the example case (ingest, resolve)"):
            store = build_demo_store(Path(tmp))
        return take(store, args.output, console)


if __name__ == "__main__":
    sys.exit(main())
