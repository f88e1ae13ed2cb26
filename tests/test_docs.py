"""The documentation site: built with --strict, generated from the source of truth, and safe
against hostile record text. Docs are tested like code: every CLI command is documented."""

import datetime as dt
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from forcewatch import codes
from forcewatch.cli import build_parser
from forcewatch.coordinates import located as located_at
from forcewatch.coordinates import site_coordinates
from forcewatch.coverage import compare
from forcewatch.release.tables import TABLES
from forcewatch.site import vendor
from forcewatch.site.charts import caveat
from forcewatch.site.data import Data
from forcewatch.site.mappage import map_page
from forcewatch.site.talliespage import tallies_page
from forcewatch.site.timeline import phases, timeline_page, week_of
from forcewatch.verification import verification

from .conftest import REPO

SITE_INPUTS = ("mkdocs.yml", "docs", "schema", "datasets", "validators", "CHANGELOG.md", "CONTRIBUTING.md", "CITATION.cff")


def build_site(root: Path, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(root / "mkdocs.yml"),
                           "-d", str(out)], capture_output=True, text=True, cwd=root)


@pytest.fixture(scope="session")
def records() -> list[dict]:
    """The repository's valid records, as the site reads them."""
    from forcewatch.site.pages import load_records
    return load_records(REPO)[0]


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    proc = build_site(REPO, out)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out


def test_strict_build_and_pages(site):
    for page in ("index.html", "quickstart.html", "methodology.html", "cite.html", "contributing.html",
                 "changelog.html", "tallies.html", "reference/codebook.html", "reference/issue-codes.html",
                 "reference/release-tables.html", "data/index.html", "data/timeline.html", "data/map.html",
                 "data/force-posture.html", "data/actors.html", "data/incidents/index.html",
                 "assets/region-outlines.js", "assets/forcewatch-map.js", "assets/forcewatch-charts.js"):
        assert (site / page).is_file(), page
    incidents = list((REPO / "datasets" / "incidents").rglob("*.yaml"))
    assert len(list((site / "data" / "incidents").glob("inc-*.html"))) == len(incidents)


def test_codebook_has_every_field_and_term(site, schema_set):
    page = (site / "reference" / "codebook.html").read_text()
    for record_type in ("incident", "actor", "force_posture", "site"):
        for name in schema_set.record_schema(record_type)["properties"]:
            assert f"<code>{name}</code>" in page, (record_type, name)

    def terms(node):
        if isinstance(node, dict):
            yield from node.get("x-terms", {}).items()
            for v in node.values():
                yield from terms(v)
        elif isinstance(node, list):
            for v in node:
                yield from terms(v)
    for schema in schema_set.by_id.values():
        for term, _ in terms(schema):
            assert f"<code>{term}</code>" in page, term
    assert "<code>casualties[].party</code>" in page and "<code>when.precision</code>" in page


def test_issue_codes_and_release_tables_are_generated(site):
    page = (site / "reference" / "issue-codes.html").read_text()
    for code in codes.CATALOGUE.values():
        assert f'id="{code.code}"' in page
    tables = (site / "reference" / "release-tables.html").read_text()
    for table in TABLES:
        for column in table.columns:
            assert f"<code>{column.name}</code>" in tables


def test_incident_page_shows_conflicting_figures_actors_links_and_sources(site):
    page = (site / "data/incidents/inc-2024-08-05-ain-al-asad-rockets.html").read_text()
    assert "at least 5" in page and "preferred" in page
    assert "Iran-aligned Iraqi militias (unspecified)" in page
    assert 'href="inc-2024-07-25-ain-al-asad-rockets.html"' in page
    assert 'href="https://www.spokesman.com/stories/2024/aug/05/us-says-several-troops-hurt-in-iraq-attack/"' in page
    assert "unclaimed" in page


def script_json(html: str, element_id: str):
    match = re.search(rf'<script type="application/json" id="{element_id}">(.*?)</script>', html, re.S)
    assert match, element_id
    return json.loads(match.group(1))


def test_map_has_a_point_per_located_incident(site, records):
    """The map's data: one point per active incident that `coordinates.located` places, with
    its verification level and harm summary from their modules; the others listed below."""
    page = (site / "data" / "map.html").read_text()
    data = Data(records)
    active = data.active_incidents()
    located = {rid for rid, r in active.items() if located_at(r, site_coordinates(list(data.sites.values())))}
    assert located, "no incident has coordinates"
    if vendor.missing(vendor.MAP_LIBRARIES, vendor.node_modules(REPO)):
        pytest.skip("Leaflet is not installed (python3 tasks.py docs installs it)")
    payload = script_json(page, "fw-map-data")
    points = {p["id"]: p for p in payload["incidents"]}
    assert set(points) == located and payload["active"] == len(active)
    for rid, point in points.items():
        assert point["verification"] == verification(active[rid])
        assert point["harm"] == data.harm_text(active[rid])
        assert (site / "data" / point["href"]).is_file()
    not_on_map = re.findall(r'<li><a href="incidents/(inc-[a-z0-9-]+)\.html">', page.split('id="not-on-the-map"')[-1])
    assert set(not_on_map) == set(active) - located
    for site_point in payload["sites"]:
        assert site_point["id"] in data.site_coordinates
    for lib in vendor.MAP_LIBRARIES:
        for file in lib.files:
            assert (site / vendor.site_path(lib, file)).is_file(), file
    assert "fw-map" in page and "leaflet.js" in page


def test_map_and_charts_say_what_is_missing_without_the_libraries(records):
    data = Data(records)
    page = map_page(data, ["leaflet", "leaflet.markercluster"])
    assert "cannot be drawn" in page and "python3 tasks.py docs" in page
    assert "<script src=" not in page and 'id="fw-map"' not in page
    assert "On the map" in page  # the table of located incidents is still there
    page = timeline_page(data, ["vega"])
    assert "cannot be drawn" in page and "vega.min.js" not in page and 'id="weeks-table"' in page


def test_timeline_blocks_are_the_incidents_of_one_week(site, records):
    page = (site / "data" / "timeline.html").read_text()
    data = Data(records)
    active = data.active_incidents()
    one_week = {rid for rid, r in active.items()  # a range of seven days at most, counted where it starts
                if (dt.date.fromisoformat(r["when"]["end"]) - dt.date.fromisoformat(r["when"]["start"])).days < 7}
    spec = script_json(page, "fw-weekly-spec")
    units = [u for layer in spec["layer"] for u in layer.get("data", {}).get("values", []) if "y0" in u]
    assert {u["id"] for u in units} == one_week and len(units) == len(one_week)
    for unit in units:
        record = active[unit["id"]]
        assert unit["week"] == week_of(record["when"]["start"]).isoformat()
        assert unit["verification"] == verification(record)
    stacks = {}
    for unit in units:  # blocks of one week stack without gaps or overlaps
        stacks.setdefault(unit["week"], []).append((unit["y0"], unit["y1"]))
    for blocks in stacks.values():
        assert sorted(blocks) == [(i, i + 1) for i in range(len(blocks))]
    unplaced = re.findall(r'<li><a href="incidents/(inc-[a-z0-9-]+)\.html">',
                          page.split('id="not-in-a-week"')[-1]) if 'id="not-in-a-week"' in page else []
    assert set(unplaced) == set(active) - one_week
    table = page.split('id="weeks-table"')[1]
    totals = [int(n) for n in re.findall(r"<td>(\d+)</td><td>(?:<a |</td>)", table)]
    assert sum(totals) == len(one_week)


def test_phases_start_on_their_incidents(records):
    data = Data(records)
    found = phases(data)
    spec = json.loads((REPO / "forcewatch/site/phases.json").read_text())["phases"]
    assert [p["incident"] for p in found] == [p["starts_with"] for p in spec if p["starts_with"] in data.active_incidents()]
    for phase in found:
        assert phase["start"] == data.incidents[phase["incident"]]["when"]["start"]


def fixture_tally() -> dict:
    from forcewatch.yamlsafe import load_text
    path = REPO / "tests/fixtures/valid/tally/tally-fixture-dod-attacks-2023-11-21.yaml"
    return load_text(path.read_text()).data


def test_tallies_page_is_generated_from_the_tally_records(records):
    """A table per measure, each tally with its sources and the dataset's count from
    `coverage.compare`; the repository's own tallies and a fixture one."""
    tally = fixture_tally()
    data = Data(records + [tally])
    page = tallies_page(data, [])
    rows = compare(records + [tally])["tallies"]
    assert rows and any(r["id"] == tally["id"] for r in rows)
    for row in rows:
        assert f"<td>{row['as_of']}</td><td>{row['from']}</td>" in page
        share = f"{row['dataset']:,}" + (f" ({row['ratio']:.0%})" if row["ratio"] is not None else "")
        assert share in page
    assert 'href="https://example.org/a"' in page and 'id="attacks"' in page
    assert 'href="methodology.html#how-complete-the-dataset-is"' in page
    assert "fw-tallies-attacks" in page
    assert "the dataset holds" in caveat(compare(records + [tally]), "")


def test_tallies_page_links_the_methodology(site):
    page = (site / "tallies.html").read_text()
    assert 'href="methodology.html#how-complete-the-dataset-is"' in page
    methodology = (site / "methodology.html").read_text()
    assert 'id="how-complete-the-dataset-is"' in methodology and 'href="tallies.html"' in methodology


def test_home_page_has_a_schema_org_dataset(site, records, schema_set):
    page = (site / "index.html").read_text()
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert match
    doc = json.loads(match.group(1))
    active = [r for r in records if r["record_type"] == "incident" and r["status"] == "active"]
    assert doc["@context"] == "https://schema.org/" and doc["@type"] == "Dataset"
    assert doc["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert doc["version"] == schema_set.version and len(doc["description"]) >= 50
    assert doc["temporalCoverage"] == f"{min(r['when']['start'] for r in active)}/{max(r['when']['end'] for r in active)}"
    assert doc["creator"] == [{"@type": "Organization", "name": "forcewatch contributors"}]
    names = {d["name"] for d in doc["distribution"]}
    for table in TABLES:
        assert f"{table.name}.csv" in names and f"{table.name}.parquet" in names
    assert {"records.jsonl", "datapackage.json", "incidents.geojson"} <= names
    assert doc["spatialCoverage"]["@type"] == "Place" and "box" in doc["spatialCoverage"]["geo"]
    assert "release" in doc["citation"]


def test_overview_counts_coordinates_as_the_map_does(site, records):
    page = (site / "data" / "index.html").read_text()
    data = Data(records)
    active = data.active_incidents()
    without = sum(1 for r in active.values() if data.located(r) is None)
    assert f"<td>coordinates</td><td>{without} of {len(active)}</td>" in page


def test_hostile_record_text_is_inert(tmp_path):
    root = tmp_path / "repo"
    root.mkdir()
    for name in SITE_INPUTS:
        src = REPO / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, root / name)
    shutil.copytree(REPO / "forcewatch", root / "forcewatch")
    path = root / "datasets/incidents/2024/inc-2024-08-05-ain-al-asad-rockets.yaml"
    text = path.read_text()
    text = text.replace("title: Rocket attack on Ain al-Asad Air Base injures U.S. personnel",
                        "title: '<img src=x onerror=alert(1)> [click](javascript:alert(2)) </script><b>x</b>'")
    text = text.replace("summary: >-\n", "summary: >-\n  <script>alert(3)</script> <a href=\"javascript:alert(4)\">x</a>\n", 1)
    path.write_text(text)
    out = tmp_path / "site"
    proc = build_site(root, out)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for page in [out / "data/incidents/inc-2024-08-05-ain-al-asad-rockets.html", out / "data/map.html",
                 out / "data/incidents/index.html", out / "data/index.html", out / "data/timeline.html"]:
        html = page.read_text()
        assert "<script>alert(3)" not in html and "<img src=x" not in html, page
        assert "</script><b>x</b>" not in html, page  # no record text closes a script block
        inert = html.replace("onerror=alert(1)&gt;", "").replace("onerror=alert(1)\\u003e", "")  # escaped text, JSON
        assert 'href="javascript:' not in html and "onerror=alert" not in inert, page
    html = (out / "data/incidents/inc-2024-08-05-ain-al-asad-rockets.html").read_text()
    assert "&lt;script&gt;alert(3)&lt;/script&gt;" in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_unsafe_urls_are_not_links():
    from forcewatch.site.pages import link_source, safe_url
    assert safe_url("javascript:alert(1)") is None and safe_url("data:text/html,x") is None
    assert safe_url("https://example.org/a") == "https://example.org/a"
    assert "<a " not in link_source({"publisher": "<b>x</b>", "url": "javascript:alert(1)"})
    assert "&lt;b&gt;" in link_source({"publisher": "<b>x</b>", "url": "javascript:alert(1)"})


def test_every_cli_command_is_documented_and_has_help():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    docs = "\n".join(p.read_text() for p in [REPO / "README.md", REPO / "CONTRIBUTING.md", *(REPO / "docs").rglob("*.md")])
    for name, command in sub.choices.items():
        assert f"forcewatch {name}" in docs, f"`forcewatch {name}` is not documented"
        assert command.description and len(command.description) > 30, name
        for action in command._actions:
            if action.option_strings and action.dest != "help":
                assert action.help, (name, action.option_strings)


def test_citation_file_and_zenodo_metadata_agree():
    from forcewatch.yamlsafe import load_text
    data = load_text((REPO / "CITATION.cff").read_text()).data
    assert data["cff-version"] == "1.2.0" and data["license"] == "CC-BY-4.0" and data["type"] == "dataset"
    zenodo = json.loads((REPO / ".zenodo.json").read_text())
    assert zenodo["title"] == data["title"] and zenodo["upload_type"] == "dataset"
    assert zenodo["license"].lower() == data["license"].lower() and zenodo["description"] == data["abstract"]
    assert [c["name"] for c in zenodo["creators"]] == [a["name"] for a in data["authors"]]
    assert zenodo["keywords"] == data["keywords"] and zenodo["access_right"] == "open"


def test_vendored_files_come_from_node_modules_without_source_maps(tmp_path):
    modules = tmp_path / "node_modules"
    lib = vendor.LEAFLET
    for file in (*lib.files, lib.licence):
        (modules / lib.name / file).parent.mkdir(parents=True, exist_ok=True)
        (modules / lib.name / file).write_bytes(b"/* x */\n//# sourceMappingURL=leaflet.js.map\n")
    assert vendor.missing([lib, vendor.VEGA], modules) == ["vega"]
    assert vendor.missing([lib], None) == ["leaflet"]
    files = vendor.assets([lib, vendor.VEGA], modules)
    assert set(files) == {vendor.site_path(lib, f) for f in lib.files} | {"assets/vendor/leaflet/LICENSE"}
    assert b"sourceMappingURL" not in files["assets/vendor/leaflet/leaflet.js"]
    assert files["assets/vendor/leaflet/images/layers.png"].endswith(b"leaflet.js.map\n")  # binary files untouched
