"""The documentation site: built with --strict, generated from the source of truth, and safe
against hostile record text. Docs are tested like code: every CLI command is documented."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from forcewatch import codes
from forcewatch.cli import build_parser
from forcewatch.release.tables import TABLES

from .conftest import REPO

SITE_INPUTS = ("mkdocs.yml", "docs", "schema", "datasets", "validators", "CHANGELOG.md", "CONTRIBUTING.md")


def build_site(root: Path, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(root / "mkdocs.yml"),
                           "-d", str(out)], capture_output=True, text=True, cwd=root)


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    proc = build_site(REPO, out)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out


def test_strict_build_and_pages(site):
    for page in ("index.html", "quickstart.html", "methodology.html", "cite.html", "contributing.html",
                 "changelog.html", "reference/codebook.html", "reference/issue-codes.html",
                 "reference/release-tables.html", "data/index.html", "data/map.html", "data/force-posture.html",
                 "data/actors.html", "data/incidents/index.html"):
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


def test_map_has_a_linked_point_per_located_incident(site):
    page = (site / "data" / "map.html").read_text()
    points = re.findall(r'<a href="incidents/(inc-[a-z0-9-]+)\.html" class="fw-point"', page)
    assert "inc-2024-08-05-ain-al-asad-rockets" in points and "inc-2024-04-01-damascus-consulate-strike" in points
    for rid in points:
        assert (site / "data" / "incidents" / f"{rid}.html").is_file()
    assert "fw-land" in page and "Iraq" in page


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
                        "title: '<img src=x onerror=alert(1)> [click](javascript:alert(2))'")
    text = text.replace("summary: >-\n", "summary: >-\n  <script>alert(3)</script> <a href=\"javascript:alert(4)\">x</a>\n", 1)
    path.write_text(text)
    out = tmp_path / "site"
    proc = build_site(root, out)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for page in [out / "data/incidents/inc-2024-08-05-ain-al-asad-rockets.html", out / "data/map.html",
                 out / "data/incidents/index.html", out / "data/index.html"]:
        html = page.read_text()
        assert "<script>alert(3)" not in html and "<img src=x" not in html, page
        assert 'href="javascript:' not in html and "onerror=alert" not in html.replace("onerror=alert(1)&gt;", ""), page
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


def test_citation_file():
    from forcewatch.yamlsafe import load_text
    data = load_text((REPO / "CITATION.cff").read_text()).data
    assert data["cff-version"] == "1.2.0" and data["license"] == "CC-BY-4.0" and data["type"] == "dataset"
