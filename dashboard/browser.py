"""Drive the real dashboard in headless Chromium (Debian's ``chromium``), for the end-to-end test and the README
screenshots: start the server, open a page, wait for Streamlit to finish, and record what the page did — console
errors, alert dialogs and every URL it asked for (requests off this machine are recorded and refused).

Needs ``playwright`` (the ``test`` extra); it drives the system Chromium and never downloads a browser.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

# Chromium as root, headless, and quiet: no sandbox, no GPU, nothing phoned home; any host name other than the
# loopback one fails to resolve, so even a request the recorder misses cannot leave the machine.
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions",
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1"]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
LOCAL_SCHEMES = {"data", "blob", "about"}
VIEWPORT = {"width": 1400, "height": 1000}


def find_chromium() -> str | None:
    """The system Chromium (``CHROMIUM`` overrides), or None."""
    explicit = os.environ.get("CHROMIUM")
    if explicit:
        return explicit if Path(explicit).exists() else None
    return next((p for p in map(shutil.which, ("chromium", "chromium-browser")) if p), None)


def is_local(url: str) -> bool:
    parsed = urlparse(url)
    return parsed.scheme in LOCAL_SCHEMES or (parsed.scheme in {"http", "https", "ws", "wss"}
                                              and parsed.hostname in LOCAL_HOSTS | {"::1"})


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(store: str, port: int | None = None, timeout: float = 90.0):
    """Run ``infringer-graph --store STORE dashboard --port PORT`` and yield its base URL once healthy."""
    port = port or free_port()
    env = {k: v for k, v in os.environ.items() if k != "INFRINGER_GRAPH_STORE"}
    cmd = [sys.executable, "-m", "infringer_graph", "--store", store, "dashboard", "--port", str(port)]
    log = tempfile.TemporaryFile(mode="w+")  # not a pipe: a chatty server must never block on a full one
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                log.seek(0)
                raise RuntimeError(f"dashboard exited with {proc.returncode}: {log.read()}")
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                    if r.read() == b"ok":
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"dashboard not healthy on {base} after {timeout:.0f} s")
            time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@dataclass
class Record:
    """What the pages of one browser context did."""
    urls: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    @property
    def off_machine(self) -> list[str]:
        return sorted({u for u in self.urls if not is_local(u)})


class Browser:
    """One headless Chromium and one context whose every request, console error and dialog is recorded."""

    def __init__(self, executable: str, viewport: dict | None = None, share: Browser | None = None):
        """A new Chromium, or with ``share`` a new context (own record) in that one's Chromium."""
        from playwright.sync_api import sync_playwright

        self._owner = share is None
        self._pw = sync_playwright().start() if share is None else share._pw
        self._browser = (self._pw.chromium.launch(executable_path=executable, headless=True, args=BROWSER_ARGS)
                         if share is None else share._browser)
        self.version = self._browser.version
        self.context = self._browser.new_context(viewport=viewport or VIEWPORT)
        self.record = Record()
        self.context.route("**/*", self._route)

    def _route(self, route) -> None:
        url = route.request.url
        self.record.urls.append(url)
        route.continue_() if is_local(url) else route.abort()

    def new_page(self):
        page = self.context.new_page()
        rec = self.record
        page.on("console", lambda m: m.type == "error" and rec.console_errors.append(f"{m.text} ({m.location})"))
        page.on("pageerror", lambda e: rec.console_errors.append(f"uncaught: {e}"))
        page.on("websocket", lambda ws: rec.urls.append(ws.url))
        page.on("dialog", lambda d: (rec.dialogs.append(f"{d.type}: {d.message}"), d.dismiss()))
        return page

    def close(self) -> None:
        self.context.close()
        if self._owner:
            self._browser.close()
            self._pw.stop()


def wait_rendered(page, timeout: float = 60.0) -> None:
    """Wait until the Streamlit script has run to the end and the page has stopped changing."""
    app = '[data-testid="stApp"][data-test-script-state="notRunning"]'
    page.wait_for_selector(app, timeout=timeout * 1000)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stSkeleton\"]')", timeout=timeout * 1000)
    page.wait_for_timeout(500)  # one more frame of React updates after the script's last message
    page.wait_for_selector(app, timeout=timeout * 1000)


def open_page(page, base: str, query: str = "") -> None:
    page.goto(f"{base}/{query}")
    wait_rendered(page)


def fill_input(page, label: str, value: str) -> None:
    """Type into the text input labelled ``label`` and submit it (Enter), then wait for the rerun."""
    box = page.get_by_label(label, exact=True)
    box.fill(value)
    box.press("Enter")
    page.wait_for_timeout(300)
    wait_rendered(page)


def network_frame(page, timeout: float = 30.0):
    """The pyvis iframe's frame, once its vis.js network has drawn its canvas."""
    handle = page.wait_for_selector('iframe[srcdoc*="vis-network"]', timeout=timeout * 1000)
    frame = handle.content_frame()
    frame.wait_for_selector("#mynetwork canvas", timeout=timeout * 1000)
    return frame


def canvas_size(frame) -> tuple[int, int]:
    box = frame.eval_on_selector("#mynetwork canvas", "c => [c.width, c.height]")
    return int(box[0]), int(box[1])


def hover_node(page, frame, label: str) -> str:
    """Stop the physics, move the mouse onto the node labelled ``label`` and return the vis.js tooltip's text."""
    frame.frame_element().scroll_into_view_if_needed()
    frame.evaluate("() => network.fit()")
    page.wait_for_timeout(300)
    point = frame.evaluate("""label => {
        network.stopSimulation();
        const id = nodes.getIds().find(i => nodes.get(i).label === label);
        if (id === undefined) return null;
        const p = network.canvasToDOM(network.getPositions([id])[id]);
        const r = document.getElementById('mynetwork').getBoundingClientRect();
        return [p.x + r.left, p.y + r.top];
    }""", label)
    if point is None:
        raise AssertionError(f"no node labelled {label!r} in the network")
    iframe = frame.frame_element().bounding_box()
    page.mouse.move(iframe["x"] + point[0] - 20, iframe["y"] + point[1] - 20)
    page.mouse.move(iframe["x"] + point[0], iframe["y"] + point[1], steps=5)
    tooltip = frame.wait_for_selector("div.vis-tooltip", state="visible", timeout=10_000)
    return tooltip.inner_text()


def screenshot(page, path: Path) -> None:
    """The whole page: the viewport grows to the height of Streamlit's scrolling main area first."""
    height = page.evaluate("() => { const m = document.querySelector('[data-testid=\"stMain\"]');"
                           " return m ? m.scrollHeight : document.body.scrollHeight; }")
    width = page.viewport_size["width"]
    page.set_viewport_size({"width": width, "height": max(VIEWPORT["height"], min(int(height) + 40, 6000))})
    page.wait_for_timeout(400)
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size({"width": width, "height": VIEWPORT["height"]})
