"""The real dashboard server in headless Chromium, on the example case plus one hostile storefront.

One server and one browser for the module. Every page is opened, screenshotted and checked for its visible text;
pages with a network check the pyvis canvas; every test ends by checking that the browser logged no console error,
fired no dialog and asked for nothing off this machine. Add a page to PAGES to cover it; ``{operator}`` in a query
is the id of the operator behind the hostile storefront.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from dashboard.browser import (Browser, canvas_size, fill_input, find_chromium, hover_node, network_frame, open_page,
                               screenshot, serve)
from graph.records import NodeRef
from graph.resolution.run import run_resolution
from graph.store import open_store
from ingest.run import ingest_file, iter_files
from tests.conftest import EXAMPLE_CASE, judge_example_case

CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (apt-get install chromium; "
                                                          ".ci/run installs it)")

HOSTILE_CSV = Path(__file__).with_name("fixtures") / "hostile_storefront.csv"
HOSTILE = "<img src=x onerror=alert(1)>"  # the alias in HOSTILE_CSV, linked to Cozy Nest Home by its e-mail


@dataclass
class PageCase:
    """A page to open: its URL query, inputs to fill (label -> value), text that must be visible, a network?"""
    name: str
    query: str
    fill: dict = field(default_factory=dict)
    texts: tuple = ()
    network: bool = False


PAGES = [
    PageCase("overview", "?page=Overview", texts=("Overview", "Storefront\n\n37", "Operator\n\n5", "Nodes by type",
                                                   "Last ingested documents", "Quarantine is empty.")),
    PageCase("search", "?page=Search", fill={"Alias, URL, seller id, e-mail, phone, account, domain or address":
                                             "huaxin.pay@outlook.com"}, texts=("Search",)),
    PageCase("entity", "?page=Entity", fill={"Key": "amazon:A1HX7Q2M9ZK3LP"},
             texts=("HuaXin Direct", "nodes within 2 hops", "Evidence"), network=True),
    PageCase("analytics", "?page=Analytics", texts=("Path between two entities", "Jurisdiction footprint")),
    PageCase("reports", "?page=Reports", texts=("Operators by commercial scale", "Download a report")),
    PageCase("operator", "?page=Operator&id={operator}",
             texts=("Members", "Identifiers", "Why linked", "Scale profile", "Jurisdictions", "Timeline"),
             network=True),
    PageCase("explorer", "?page=Explorer&ref=Storefront:amazon:A1HX7Q2M9ZK3LP",
             texts=("Neighbourhood", "Shortest path between two entities", "showing"), network=True),
    PageCase("review", "?page=Review%20queue", texts=("Review queue",)),
    PageCase("case-builder", "?page=Case%20builder", texts=("Case builder",)),
    PageCase("ingest", "?page=Ingest", texts=("Ingest", "Quarantine")),
]


@pytest.fixture(scope="module")
def store_url(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('browser')}/demo.db"
    with open_store(url) as store:
        for f in iter_files([EXAMPLE_CASE, HOSTILE_CSV]):
            ingest_file(store, f)
        judge_example_case(store)
        run_resolution(store)
    return url


@pytest.fixture(scope="module")
def hostile_operator(store_url) -> str:
    with open_store(store_url, create=False) as store:
        hostile = NodeRef("Storefront", "etsy:cozynestdecor")
        ops = [n.key for _, n in store.neighbours(hostile, edge_types=["CONTROLS"])]
    assert len(ops) == 1, "the hostile storefront should be linked to Cozy Nest Home's operator by its e-mail"
    return ops[0]


@pytest.fixture(scope="module")
def server(store_url):
    with serve(store_url) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    b = Browser(CHROMIUM)
    yield b
    b.close()


@pytest.fixture
def page(browser):
    p = browser.new_page()
    yield p
    p.close()


def assert_clean(browser) -> None:
    rec = browser.record
    assert rec.off_machine == [], f"requests left the machine: {rec.off_machine}"
    assert rec.console_errors == [], f"console errors: {rec.console_errors}"
    assert rec.dialogs == [], f"dialogs fired: {rec.dialogs}"
    assert any(u.startswith("ws://127.0.0.1:") and u.endswith("/_stcore/stream") for u in rec.urls)


@pytest.mark.parametrize("case", PAGES, ids=[c.name for c in PAGES])
def test_page_renders_its_text_and_network_offline(case, browser, server, page, tmp_path, hostile_operator):
    open_page(page, server, case.query.format(operator=hostile_operator))
    for label, value in case.fill.items():
        fill_input(page, label, value)
    text = page.inner_text('[data-testid="stMain"]')
    for expected in case.texts:
        assert expected in text
    assert "Traceback" not in text and not page.query_selector('[data-testid="stException"]')
    if case.network:
        width, height = canvas_size(network_frame(page))
        assert width > 300 and height > 300
    shot = tmp_path / f"{case.name}.png"
    screenshot(page, shot)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
    assert_clean(browser)


def test_hostile_alias_renders_as_text_in_the_page_and_the_network_tooltip(browser, server, page):
    open_page(page, server, "?page=Entity")
    fill_input(page, "Key", "etsy:cozynestdecor")
    heading = page.locator('[data-testid="stMain"] h3').first
    assert heading.inner_text() == HOSTILE
    frame = network_frame(page)
    tooltip = hover_node(page, frame, HOSTILE)
    assert tooltip.startswith(f"Storefront: {HOSTILE}\nkey: etsy:cozynestdecor")
    for doc in (page, frame):
        assert doc.query_selector("img[onerror]") is None
        assert doc.query_selector('img[src="x"]') is None
    labels = frame.evaluate("() => nodes.get().map(n => n.label)")
    assert HOSTILE in labels and "Cozy Nest Home" in labels
    assert_clean(browser)


def test_the_recorder_catches_a_request_off_the_machine(browser):
    """The offline check can fail: a page that asks for a remote image is recorded (and refused)."""
    probe = Browser(CHROMIUM, share=browser)
    try:
        p = probe.new_page()
        p.set_content('<img src="https://cdn.example.net/pixel.png"><script>console.error("boom")</script>')
        p.wait_for_timeout(300)
        assert probe.record.off_machine == ["https://cdn.example.net/pixel.png"]
        assert any("boom" in e for e in probe.record.console_errors)
    finally:
        probe.close()
