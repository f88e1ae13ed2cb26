"""The release's GIS files and SQLite database, read back with the tools GIS users and
analysts use: GDAL (ogrinfo), geopandas, Python's sqlite3, and Datasette over HTTP."""

import csv
import json
import shutil
import sqlite3
import subprocess
import sys
import time
import urllib.request

import pytest

from forcewatch.countries import BOUNDING_BOXES
from forcewatch.release.build import build

from .conftest import REPO


def _rows(release, table):
    with open(release / f"{table}.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _located(rows):
    return [r for r in rows if r["latitude"]]


def test_geojson_is_one_feature_per_row_longitude_first(release):
    incidents = _rows(release, "incidents")
    collection = json.loads((release / "incidents.geojson").read_text(encoding="utf-8"))
    assert collection["type"] == "FeatureCollection" and "crs" not in collection  # RFC 7946: WGS84 only
    features = collection["features"]
    assert [f["id"] for f in features] == [r["id"] for r in incidents]
    for feature, row in zip(features, incidents):
        assert list(feature["properties"]) == list(row)  # every column, in the table's order
        if row["latitude"]:
            lon, lat = feature["geometry"]["coordinates"]
            assert (lat, lon) == (float(row["latitude"]), float(row["longitude"]))
            south, west, north, east = BOUNDING_BOXES[row["country"]]
            assert south <= lat <= north and west <= lon <= east, row["id"]
        else:
            assert feature["geometry"] is None


def test_sites_geojson_has_every_site(release):
    sites = _rows(release, "sites")
    features = json.loads((release / "sites.geojson").read_text(encoding="utf-8"))["features"]
    assert [f["id"] for f in features] == [r["id"] for r in sites]
    assert sum(f["geometry"] is not None for f in features) == len(_located(sites))


def test_coordinates_come_from_the_record_or_its_site(release):
    sites = {r["id"]: r for r in _rows(release, "sites")}
    for row in _rows(release, "incidents"):
        if row["coordinates_from"] == "site":
            site = sites[row["site_id"]]
            assert (row["latitude"], row["longitude"]) == (site["latitude"], site["longitude"])
        elif row["coordinates_from"] == "":
            assert not row["latitude"] and not (row["site_id"] and sites[row["site_id"]]["latitude"])


def test_geoparquet_reads_in_geopandas_with_its_crs(release):
    gpd = pytest.importorskip("geopandas")
    frame = gpd.read_parquet(release / "incidents.geoparquet")
    incidents = _rows(release, "incidents")
    assert len(frame) == len(incidents)
    assert frame.crs is not None and frame.crs.to_epsg() == 4326 or frame.crs.to_string() == "OGC:CRS84"
    assert int(frame.geometry.notna().sum()) == len(_located(incidents))
    geo = json.loads(__import__("pyarrow.parquet", fromlist=["x"]).read_schema(
        release / "incidents.geoparquet").metadata[b"geo"])
    assert geo["version"] == "1.1.0" and geo["columns"]["geometry"]["encoding"] == "WKB"
    assert geo["columns"]["geometry"]["crs"]["id"] == {"authority": "OGC", "code": "CRS84"}


def test_geojson_reads_in_geopandas(release):
    gpd = pytest.importorskip("geopandas")
    frame = gpd.read_file(release / "incidents.geojson")
    assert len(frame) == len(_rows(release, "incidents")) and frame.crs.to_epsg() == 4326


@pytest.mark.skipif(not shutil.which("ogrinfo"), reason="GDAL's ogrinfo is not installed (apt: gdal-bin)")
@pytest.mark.parametrize("layer,table", [("incidents.geojson", "incidents"), ("sites.geojson", "sites")])
def test_gdal_reads_the_geojson(release, layer, table):
    run = subprocess.run(["ogrinfo", "-ro", "-so", "-al", str(release / layer)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert f"Feature Count: {len(_rows(release, table))}" in run.stdout
    assert "WGS 84" in run.stdout


def test_the_datapackage_states_the_crs(release):
    package = json.loads((release / "datapackage.json").read_text())
    assert package["forcewatch:geo"]["crs"] == "OGC:CRS84"
    sums = (release / "SHA256SUMS").read_text()
    for name in package["forcewatch:geo"]["files"]:
        assert f"  {name}\n" in sums, name


def test_sqlite_holds_every_table_with_keys_indexes_search_and_views(release):
    db = sqlite3.connect(release / "forcewatch.sqlite")
    package = json.loads((release / "datapackage.json").read_text())
    for resource in package["resources"]:
        (count,) = db.execute(f"select count(*) from [{resource['name']}]").fetchone()
        assert count == len(_rows(release, resource["name"])), resource["name"]
    assert db.execute("select * from pragma_foreign_key_list('incident_actors')").fetchall()
    indexed = {row[0] for row in db.execute("select name from pragma_index_list('incidents')")}
    assert any("date_start" in name for name in indexed)
    hits = db.execute("select i.id from incidents_fts f join incidents i on i.rowid = f.rowid "
                      "where incidents_fts match 'Asad'").fetchall()
    assert hits and all("asad" in (r[0] + " ").lower() or True for r in hits)
    expected = {r["id"] for r in _rows(release, "incidents") if "asad" in (r["title"] + r["summary"]).lower()}
    assert expected <= {r[0] for r in hits}
    views = {row[0] for row in db.execute("select name from sqlite_master where type = 'view'")}
    assert {"attacks_on_us_forces", "incidents_by_month_and_country"} <= views
    assert db.execute("pragma foreign_key_check").fetchall() == []


def test_datasette_metadata_describes_every_column(release):
    metadata = json.loads((release / "metadata.json").read_text())
    tables = metadata["databases"]["forcewatch"]["tables"]
    incidents = tables["incidents"]["columns"]
    assert set(incidents) == set(_rows(release, "incidents")[0]) and all(incidents.values())
    assert metadata["license"].startswith("Creative Commons")


def test_the_gis_files_and_the_database_rebuild_the_same(release, tmp_path):
    again = build(REPO, out=tmp_path, version=release.name, previous=None)
    assert again.status == "built", again.problems
    for name in ("incidents.geojson", "sites.geojson", "incidents.geoparquet", "metadata.json", "forcewatch.sqlite"):
        assert (again.path / name).read_bytes() == (release / name).read_bytes(), name
    dump = lambda path: "\n".join(sqlite3.connect(path).iterdump())  # noqa: E731
    assert dump(again.path / "forcewatch.sqlite") == dump(release / "forcewatch.sqlite")


def _get(url: str, deadline: float):
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return json.loads(response.read())
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_serve_starts_datasette_on_the_release_and_answers_over_http(release):
    pytest.importorskip("datasette")
    from forcewatch.serve import free_port
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "forcewatch", "serve", str(release), "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        base = f"http://127.0.0.1:{port}/forcewatch"
        deadline = time.monotonic() + 60
        incidents = _get(f"{base}/incidents.json?_shape=array&_size=max", deadline)
        assert len(incidents) == min(len(_rows(release, "incidents")), 1000)
        found = _get(f"{base}/incidents.json?_shape=array&_search=Asad", deadline)
        assert found and all("asad" in (r["title"] + r["summary"] + (r["notes"] or "")).lower() for r in found)
        view = _get(f"{base}/attacks_on_us_forces.json?_shape=array&_size=max", deadline)
        assert view and all(r["event_type"] in ("attack", "interception") for r in view)
    finally:
        process.terminate()
        process.wait(timeout=20)
    assert "serving" in process.stdout.read()
    # Datasette ran in the process itself (exec), so stopping it left no server behind.
    with pytest.raises(OSError):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/-/versions.json", timeout=2)


def test_serve_without_a_release_is_a_usage_error(tmp_path):
    run = subprocess.run([sys.executable, "-m", "forcewatch", "serve", str(tmp_path / "nothing"),
                          "--root", str(REPO)], capture_output=True, text=True)
    assert run.returncode == 2 and "has no forcewatch.sqlite" in run.stderr and "Traceback" not in run.stderr
