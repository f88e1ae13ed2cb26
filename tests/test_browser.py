"""The built site in a real browser: Debian's Chromium driven by Playwright, served on localhost
and opened from file://. Every request that would leave the machine is blocked and counted.
Screenshots of the main pages at a laptop's and a phone's width go to build/screenshots/ for
review; the assertions are what a reader would notice: sideways scrolling on a phone, labels
too small to read, a map that does not show every located incident, a filter that does
nothing, a marker that leads nowhere, a search that never starts, console errors."""

import functools
import http.server
import shutil
import threading

import pytest

from forcewatch.site import vendor

from .conftest import REPO
from .test_docs import records, site  # noqa: F401 (the built site and the records it shows)

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SHOTS = REPO / "build" / "screenshots"
INCIDENT = "inc-2024-08-05-ain-al-asad-rockets"  # the seed event: its page must always exist
PAGES = {
    "home": "index.html",
    "map": "data/map.html",
    "timeline": "data/timeline.html",
    "incident": f"data/incidents/{INCIDENT}.html",
    "codebook": "reference/codebook.html",
    "posture": "data/force-posture.html",
}
WIDTHS = (1400, 390)
SMALLEST_LABEL_PX = 9

pytestmark = [
    pytest.mark.skipif(not CHROMIUM, reason="Debian's chromium is not installed (python3 tasks.py test installs it)"),
    pytest.mark.skipif(bool(vendor.missing(vendor.ALL_LIBRARIES, vendor.node_modules(REPO))),
                       reason="Leaflet/Vega are not installed (python3 tasks.py test installs them from npm)"),
]

# Text in SVG (the charts) and the map's own labels, with the size a reader sees.
SMALL_LABELS_JS = """(least) => {
  const found = [];
  for (const t of document.querySelectorAll('svg text')) {
    if (!t.textContent.trim() || !t.getClientRects().length) continue;
    const m = t.getScreenCTM();
    const px = parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
    if (px < least) found.push(t.textContent.trim() + ' ' + px.toFixed(1) + 'px');
  }
  for (const e of document.querySelectorAll('.fw-site-label, .fw-cluster-count, .fw-legend, .leaflet-popup-content')) {
    if (e.getClientRects().length && parseFloat(getComputedStyle(e).fontSize) < least)
      found.push(e.className + ' ' + getComputedStyle(e).fontSize);
  }
  return found;
}"""

# What the map shows now: each lone marker once, each cluster as its count.
SHOWN_JS = """() => {
  const lone = document.querySelectorAll('#fw-map .fw-marker[data-incident]').length;
  const clustered = Array.from(document.querySelectorAll('#fw-map .fw-cluster-count'))
    .reduce((n, e) => n + parseInt(e.textContent, 10), 0);
  return lone + clustered;
}"""


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
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--allow-file-access-from-files"])
        yield b
        b.close()


class Visit:
    """A page in a context that lets only file:// and this machine through, and keeps what
    went wrong: console errors, page errors, blocked requests."""

    def __init__(self, browser, width: int):
        self.context = browser.new_context(viewport={"width": width, "height": 900})
        self.errors, self.blocked = [], []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _route(self, route):
        url = route.request.url
        if url.startswith(("file://", "http://127.0.0.1:", "http://localhost:", "data:", "blob:", "about:")):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def open(self, url: str):
        response = self.page.goto(url, wait_until="load")
        # Charts and the map draw after load: wait until every chart box says it is drawn.
        self.page.wait_for_function(
            "() => Array.from(document.querySelectorAll('.fw-vega')).every(b => b.dataset.drawn)"
            " && (!document.getElementById('fw-map') || document.getElementById('fw-map').dataset.ready)",
            timeout=15000)
        return response

    def close(self):
        assert self.errors == [], self.errors
        assert self.blocked == [], f"requests that would leave the machine: {self.blocked}"
        self.context.close()


@pytest.fixture
def visit(browser):
    opened = []

    def make(width=1400):
        v = Visit(browser, width)
        opened.append(v)
        return v
    yield make
    for v in opened:
        v.close()


def located_incidents(records):  # noqa: F811
    from forcewatch.site.data import Data
    data = Data(records)
    return {rid: r for rid, r in data.active_incidents().items() if data.located(r)}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", list(PAGES))
def test_page_reads_at_this_width(visit, server, name, width):
    v = visit(width)
    response = v.open(server + PAGES[name])
    assert response and response.ok and v.page.title()
    SHOTS.mkdir(parents=True, exist_ok=True)
    v.page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=name != "codebook")
    if width <= 400:
        sideways = v.page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert sideways <= 0, f"{name} scrolls sideways by {sideways} px at {width} px"
        small = v.page.evaluate(SMALL_LABELS_JS, SMALLEST_LABEL_PX)
        assert small == [], f"labels under {SMALLEST_LABEL_PX} px on {name}: {small[:10]}"
    if name == "incident":
        assert v.page.locator("h1.fw-title").inner_text().startswith("Rocket attack on Ain al-Asad")
    if name == "codebook":  # field names are whole words, never broken across lines
        broken = v.page.evaluate("""() => Array.from(document.querySelectorAll('.fw-codebook td:first-child code'))
            .filter(c => c.getClientRects().length > 1).map(c => c.textContent)""")
        assert broken == []


def test_map_shows_every_located_incident_once(visit, server, records):  # noqa: F811
    v = visit()
    v.open(server + PAGES["map"])
    expected = len(located_incidents(records))
    assert v.page.evaluate(SHOWN_JS) == expected
    assert v.page.locator("#fw-map").get_attribute("data-shown") == str(expected)
    assert f"Showing {expected} of the {expected} incidents" in v.page.locator("#fw-map-count").inner_text()


def test_a_filter_changes_what_the_map_shows(visit, server, records):  # noqa: F811
    v = visit()
    v.open(server + PAGES["map"])
    located = located_incidents(records)
    options = v.page.eval_on_selector_all("select[name=type] option", "os => os.map(o => o.value)")
    chosen = next(o for o in options if o != "*" and sum(r["event_type"] == o for r in located.values()) < len(located))
    v.page.select_option("select[name=type]", chosen)
    wanted = sum(1 for r in located.values() if r["event_type"] == chosen)
    v.page.wait_for_function(f"() => document.getElementById('fw-map').dataset.shown === '{wanted}'")
    assert v.page.evaluate(SHOWN_JS) == wanted
    assert f"Showing {wanted} of the {len(located)}" in v.page.locator("#fw-map-count").inner_text()
    v.page.click("#fw-map-filters button[type=reset]")
    v.page.wait_for_function(f"() => document.getElementById('fw-map').dataset.shown === '{len(located)}'")


def test_a_marker_opens_its_incident(visit, server, records):  # noqa: F811
    v = visit()
    v.open(server + PAGES["map"])
    # A cluster of incidents at one place spreads out on click (spiderfied), with every
    # incident it holds; one marker's popup then leads to the incident's page.
    same_place = v.page.evaluate("""() => {
      const groups = fwMap.clusters._featureGroup.getLayers().filter(l => l.getAllChildMarkers);
      const one = groups.find(c => new Set(c.getAllChildMarkers().map(m => m.getLatLng().toString())).size === 1);
      if (!one) return 0;
      one.getElement().classList.add('fw-test-target');
      return one.getChildCount();
    }""")
    before = v.page.locator("#fw-map .fw-marker[data-incident]").count()
    if same_place:
        v.page.click(".fw-test-target")
        v.page.wait_for_function(f"() => document.querySelectorAll('#fw-map .fw-marker[data-incident]').length >= {before + same_place}")
    marker = v.page.locator("#fw-map .fw-marker[data-incident]").last
    rid = marker.get_attribute("data-incident")
    assert rid in located_incidents(records)
    marker.click()
    popup = v.page.locator(".leaflet-popup-content")
    popup.wait_for()
    from forcewatch.verification import verification
    assert verification(located_incidents(records)[rid]) in popup.inner_text()
    popup.locator("a.fw-popup-link").click()
    v.page.wait_for_url(f"**/data/incidents/{rid}.html")


def test_map_and_charts_work_from_disk(visit, site):  # noqa: F811
    for name in ("map", "timeline"):
        v = visit()
        v.open((site / PAGES[name]).as_uri())
    assert v.page.locator(".fw-vega svg").count() >= 1


def test_search_works_from_disk(visit, site):  # noqa: F811
    v = visit()
    v.open((site / "index.html").as_uri())
    v.page.click(".md-search__input")
    v.page.locator(".md-search__input").press_sequentially("Asad", delay=30)  # as a reader types
    v.page.wait_for_selector(".md-search-result__item", timeout=10000)
    assert v.page.locator(".md-search-result__item").count() > 0
    assert "matching document" in v.page.locator(".md-search-result__meta").inner_text()
