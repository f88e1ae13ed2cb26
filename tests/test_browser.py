"""The built site in a real browser: Debian's Chromium driven by Playwright, the site served on
localhost. Pages load without console errors, the map shows its points, and a screenshot of
each page is written to build/screenshots/ for review."""

import functools
import http.server
import shutil
import threading

import pytest

from .conftest import REPO
from .test_docs import site  # noqa: F401 (the built site fixture)

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SHOTS = REPO / "build" / "screenshots"
PAGES = {
    "home": "index.html",
    "codebook": "reference/codebook.html",
    "map": "data/map.html",
    "incident": "data/incidents/inc-2024-08-05-ain-al-asad-rockets.html",
}

pytestmark = pytest.mark.skipif(not CHROMIUM, reason="Debian's chromium is not installed (.ci/run installs it)")


@pytest.fixture(scope="module")
def server(site):  # noqa: F811
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        yield b
        b.close()


@pytest.mark.parametrize("name", list(PAGES))
def test_page_loads_without_console_errors(browser, server, name):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    failed = []
    page.on("requestfailed", lambda r: failed.append(r.url))
    response = page.goto(server + PAGES[name], wait_until="networkidle")
    assert response and response.ok
    assert page.title()
    if name == "map":
        points = page.locator("svg.fw-map a.fw-point circle")
        assert points.count() >= 4  # every incident with sourced coordinates
        box = points.first.bounding_box()
        assert box and box["width"] > 0
    if name == "incident":
        assert page.locator("h1.fw-title").inner_text().startswith("Rocket attack on Ain al-Asad")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=name != "codebook")
    assert errors == [], errors
    assert [u for u in failed if u.startswith(server)] == [], failed
    page.close()


def test_map_point_opens_its_incident(browser, server):
    page = browser.new_page()
    page.goto(server + PAGES["map"])
    page.locator('a.fw-point[data-incident="inc-2024-08-05-ain-al-asad-rockets"]').first.click()
    page.wait_for_load_state()
    assert page.url.endswith("data/incidents/inc-2024-08-05-ain-al-asad-rockets.html")
    page.close()
