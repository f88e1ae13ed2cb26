"""`forcewatch build`: the release a downstream user downloads."""

import csv
import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest


from forcewatch.release.build import build
from forcewatch.release.tables import TABLES

from .conftest import REPO


def _sandbox(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    for name in ("schema", "datasets", "validators"):
        shutil.copytree(REPO / name, root / name)
    return root


def test_release_files(release):
    names = {p.name for p in release.iterdir()}
    for table in TABLES:
        assert f"{table.name}.csv" in names and f"{table.name}.parquet" in names
    assert {"datapackage.json", "records.jsonl", "SHA256SUMS", "RELEASE_NOTES.md",
            "validation-report.json", "expectations-report.json"} <= names
    assert not [n for n in names if n.startswith(".")]


def test_checksums_verify(release):
    lines = (release / "SHA256SUMS").read_text().splitlines()
    assert len(lines) == len(list(release.iterdir())) - 1
    for line in lines:
        digest, name = line.split("  ")
        assert hashlib.sha256((release / name).read_bytes()).hexdigest() == digest


def test_rebuild_is_byte_identical(release, tmp_path):
    again = build(REPO, out=tmp_path, version="1.0.0")
    assert again.status == "built"
    for path in sorted(release.iterdir()):
        assert path.read_bytes() == (again.path / path.name).read_bytes(), path.name


def test_frictionless_validates_the_package(release):
    import frictionless
    report = frictionless.validate(str(release / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_datapackage_describes_fields_keys_and_licence(release):
    package = json.loads((release / "datapackage.json").read_text())
    assert package["licenses"][0]["name"] == "CC-BY-4.0" and package["version"] == "1.0.0"
    assert package["forcewatch:schemaVersion"] == (REPO / "schema" / "VERSION").read_text().strip()
    resources = {r["name"]: r for r in package["resources"]}
    weapons = [f for f in resources["incidents"]["schema"]["fields"] if f["name"] == "weapons"][0]
    assert "Weapons or means used" in weapons["description"]
    role = [f for f in resources["incident_actors"]["schema"]["fields"] if f["name"] == "role"][0]
    assert "attributed" in role["constraints"]["enum"]
    fks = resources["incident_actors"]["schema"]["foreignKeys"]
    assert {"fields": ["actor_id"], "reference": {"resource": "actors", "fields": ["id"]}} in fks


def test_every_record_appears_exactly_once(release):
    records = [json.loads(line) for line in (release / "records.jsonl").read_text().splitlines()]
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids)) == len(list((REPO / "datasets").rglob("*.yaml")))
    import pyarrow.parquet as pq
    incidents = pq.read_table(release / "incidents.parquet").column("id").to_pylist()
    assert sorted(incidents) == sorted(r["id"] for r in records if r["record_type"] == "incident")


def test_round_trip_records_to_parquet(release):
    import pyarrow.parquet as pq
    records = {json.loads(l)["id"]: json.loads(l) for l in (release / "records.jsonl").read_text().splitlines()}
    for row in pq.read_table(release / "incidents.parquet").to_pylist():
        record = records[row["id"]]
        assert row["title"] == record["title"] and row["summary"] == record["summary"]
        assert row["date_start"].isoformat() == record["when"]["start"]
        assert row["weapons"] == record["weapons"]
        assert row["source_count"] == len(record["sources"])
    for row in pq.read_table(release / "incident_casualties.parquet").to_pylist():
        figure = records[row["incident_id"]]["casualties"][row["seq"]]
        assert (row["party"], row["harm"], row["best"], row["low"]) == \
               (figure["party"], figure["harm"], figure.get("best"), figure.get("low"))
        assert row["source_keys"] == figure["sources"]


def test_foreign_keys_hold(release):
    import pyarrow.parquet as pq
    for table in TABLES:
        data = pq.read_table(release / f"{table.name}.parquet").to_pylist()
        for cols, ref, ref_cols in table.foreign_keys:
            target = {tuple(r[c] for c in ref_cols) for r in pq.read_table(release / f"{ref}.parquet").to_pylist()}
            for row in data:
                key = tuple(row[c] for c in cols)
                assert None in key or key in target, (table.name, key)


def test_parquet_carries_no_library_version_and_the_schema_version(release):
    import pyarrow.parquet as pq
    meta = pq.read_metadata(release / "incidents.parquet")
    assert "arrow" not in meta.created_by and "version" not in meta.created_by
    assert meta.metadata[b"forcewatch:schema_version"] == (REPO / "schema" / "VERSION").read_text().strip().encode()


def test_loads_in_one_line(release):
    import duckdb
    import pandas as pd
    import polars as pl
    assert len(pd.read_csv(release / "incidents.csv")) == len(pd.read_parquet(release / "incidents.parquet")) >= 9
    assert pl.read_parquet(release / "incidents.parquet").height >= 9
    assert pl.read_csv(release / "incident_casualties.csv").height >= 1
    count = duckdb.sql(f"select count(*) from '{release / 'incidents.parquet'}'").fetchall()[0][0]
    assert count >= 9


def test_csv_is_rfc4180(release):
    raw = (release / "incidents.csv").read_bytes()
    assert raw.count(b"\r\n") >= 10 and b"\r\n" in raw.split(b"\n")[0] + b"\n"
    rows = list(csv.reader(raw.decode("utf-8").splitlines()))
    assert len({len(r) for r in rows}) == 1


def test_formula_like_text_is_neutralised_in_csv_only(tmp_path):
    root = _sandbox(tmp_path)
    path = root / "datasets/incidents/2024/inc-2024-08-05-ain-al-asad-rockets.yaml"
    path.write_text(path.read_text().replace(
        "title: Rocket attack on Ain al-Asad Air Base injures U.S. personnel",
        "title: '=HYPERLINK(\"http://evil.example\",\"click\")'"))
    result = build(root, version="1.0.0")
    assert result.status == "built", result.problems
    rows = {r["id"]: r for r in csv.DictReader((result.path / "incidents.csv").open(encoding="utf-8", newline=""))}
    assert rows["inc-2024-08-05-ain-al-asad-rockets"]["title"] == "'=HYPERLINK(\"http://evil.example\",\"click\")"
    import pyarrow.parquet as pq
    titles = {r["id"]: r["title"] for r in pq.read_table(result.path / "incidents.parquet").to_pylist()}
    assert titles["inc-2024-08-05-ain-al-asad-rockets"].startswith("=HYPERLINK")
    # Numbers in free text are left alone, and ids are not free text.
    from forcewatch.release.write import neutralise
    assert neutralise("-5") == "-5" and neutralise("+1 rocket") == "'+1 rocket" and neutralise("@x") == "'@x"


def test_release_checks_in_workers_equal_in_process(release, tmp_path):
    """Large releases run frictionless and Great Expectations in worker processes: the
    verdicts are the same as in one process, good release or broken, full or sampled."""
    from forcewatch.release.verify import ReleaseChecks
    counts = {t.name: 1 for t in TABLES}

    def verdicts(path):
        results = []
        # In this process; in workers, frictionless on every core; in workers once the
        # slices' pool has left, as in a build.
        for background, full, slices_built in ((False, False, False), (True, True, False), (True, False, True)):
            with ReleaseChecks(REPO, background=background, full_frictionless=full, workers=2) as checks:
                if slices_built:
                    checks.start()
                    checks.slices_built()
                results.append(checks.run(path, counts))
        return results

    good = verdicts(release)
    assert all(r == good[0] for r in good) and good[0][0] == []
    broken = tmp_path / "broken"
    shutil.copytree(release, broken)
    with (broken / "actors.csv").open("a", encoding="utf-8", newline="") as handle:
        handle.write("not-an-actor,x,y\r\n")
    bad = verdicts(broken)
    assert all(r == bad[0] for r in bad)
    assert any(p.startswith("table check: actors row") and "missing-cell" in p for p in bad[0][0])
    assert any(p.startswith("frictionless: ") for p in bad[0][0])


def test_large_release_frictionless_reads_a_sample_unless_asked_for_every_row():
    from forcewatch.release.verify import FRICTIONLESS_FULL_ROWS, FRICTIONLESS_SAMPLE_ROWS, ReleaseChecks
    small, large = {"incidents": FRICTIONLESS_FULL_ROWS}, {"incidents": FRICTIONLESS_FULL_ROWS + 1}
    assert ReleaseChecks(REPO, background=False).frictionless_scope(small) is None
    assert ReleaseChecks(REPO, background=False).frictionless_scope(large) == FRICTIONLESS_SAMPLE_ROWS
    assert ReleaseChecks(REPO, background=False, full_frictionless=True).frictionless_scope(large) is None


def test_failing_expectation_fails_the_build_and_writes_nothing(tmp_path):
    root = _sandbox(tmp_path)
    (root / "validators/expectations/impossible.yaml").write_text(
        "table: incidents\nexpectations:\n  - expectation: expect_table_row_count_to_be_between\n    max_value: 1\n")
    result = build(root, out=tmp_path / "dist", version="1.0.0")
    assert result.status == "checks-failed"
    assert any("expect_table_row_count_to_be_between" in p for p in result.problems)
    assert not (tmp_path / "dist").exists()  # nothing written, not even the folder


def test_invalid_records_refuse_the_build(tmp_path):
    root = _sandbox(tmp_path)
    (root / "datasets/actors/hamas.yaml").write_text("id: hamas\nrecord_type: actor\n")
    proc = subprocess.run([sys.executable, "-m", "forcewatch", "build", "--root", str(root)],
                          capture_output=True, text=True)
    assert proc.returncode == 1 and "missing-field" in proc.stdout and "build refused" in proc.stdout
    assert not (root / "dist").exists()


def test_release_notes_diff_against_the_previous_release(tmp_path):
    root = _sandbox(tmp_path)
    assert build(root, version="1.0.0").status == "built"
    path = root / "datasets/incidents/2024/inc-2024-07-21-syria-us-base-attack.yaml"
    path.write_text(path.read_text().replace("status: active", "status: retracted\nretraction_reason: \"Test: the attack was found to be a duplicate report.\""))
    (root / "datasets/actors/islamic-state.yaml").unlink()
    result = build(root, version="1.1.0")
    assert result.status == "built" and result.previous.name == "1.0.0"
    notes = (result.path / "RELEASE_NOTES.md").read_text()
    assert "Compared with release 1.0.0" in notes
    assert "- retracted: 1\n  - `inc-2024-07-21-syria-us-base-attack`" in notes
    assert "- removed: 1\n  - `islamic-state`" in notes
    proc = subprocess.run([sys.executable, "-m", "forcewatch", "diff", str(root / "dist/1.0.0"),
                           str(result.path), "--format", "json"], capture_output=True, text=True)
    diff = json.loads(proc.stdout)
    assert diff["retracted"] == ["inc-2024-07-21-syria-us-base-attack"] and diff["removed"] == ["islamic-state"]


def test_rebuild_over_an_existing_release_replaces_it_whole(tmp_path):
    root = _sandbox(tmp_path)
    first = build(root, version="1.0.0").path
    (first / "stray.txt").write_text("left over")
    second = build(root, version="1.0.0").path
    assert second == first and not (second / "stray.txt").exists()
    assert not [p for p in (root / "dist").iterdir() if p.name.startswith(".")]


def test_a_release_built_in_slices_on_workers_is_byte_identical(release, tmp_path, monkeypatch):
    import forcewatch.release.build as build_module
    import forcewatch.release.verify as verify_module
    monkeypatch.setattr(build_module, "SLICE_RECORDS", 7)  # several slices per record type
    monkeypatch.setattr(verify_module, "BACKGROUND_RECORDS", 0)
    monkeypatch.setattr(build_module, "BACKGROUND_RECORDS", 0)
    result = build(REPO, out=tmp_path, version="1.0.0")
    assert result.status == "built", result.problems
    names = sorted(p.name for p in release.iterdir())
    assert sorted(p.name for p in result.path.iterdir()) == names
    for name in names:
        assert (result.path / name).read_bytes() == (release / name).read_bytes(), name


@pytest.mark.parametrize("n", [0, 1, 5, 1999, 2000, 4000, 10001, 25000])
def test_slices_keep_every_item_in_order_within_bounds(n):
    from forcewatch.release.parts import slices
    items = list(range(n))
    runs = slices(items, workers=2, min_slice=2000, max_slice=10000)
    assert [i for run in runs for i in run] == items
    assert all(len(run) <= 10000 for run in runs)
    if n >= 4000:
        assert len(runs) >= 2  # every core gets work
    if n < 4000:
        assert len(runs) == 1


def test_frictionless_sample_reads_the_first_rows_without_key_lookups(release, tmp_path):
    from forcewatch.release.verify import frictionless_problems
    assert frictionless_problems(release / "datapackage.json", sample_rows=5) == []
    broken = tmp_path / "broken"
    shutil.copytree(release, broken)
    rows = (broken / "actors.csv").read_bytes().decode("utf-8").split("\r\n")
    rows[1] = rows[1].replace(",active,", ",bogus,", 1)  # within the sample
    (broken / "actors.csv").write_text("\r\n".join(rows), encoding="utf-8", newline="")
    problems = frictionless_problems(broken / "datapackage.json", sample_rows=5)
    assert any("row 2" in p and "constraint-error" in p for p in problems), problems
    # A foreign key to nowhere is not its business in a sample: the table check has it.
    links = (release / "incident_actors.csv").read_bytes().decode("utf-8").split("\r\n")
    shutil.copy(release / "actors.csv", broken / "actors.csv")
    first = links[1].split(",")
    first[2] = "no-such-actor"
    links[1] = ",".join(first)
    (broken / "incident_actors.csv").write_text("\r\n".join(links), encoding="utf-8", newline="")
    assert frictionless_problems(broken / "datapackage.json", sample_rows=5) == []
    from forcewatch.release.tablecheck import check_package
    assert [p.type for p in check_package(broken / "datapackage.json")] == ["foreign-key"]


def test_diff_is_exact_when_a_release_was_not_written_canonically(release, tmp_path):
    """Digests are of the lines as written; a line written another way (spaces, key order)
    is read again and compared as canonical JSON, so only real changes show."""
    from forcewatch.release.diff import diff_releases
    other = tmp_path / "other"
    other.mkdir()
    lines = (release / "records.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    records[0]["title"] = records[0]["title"] + " (corrected)"
    with (other / "records.jsonl").open("w", encoding="utf-8") as handle:
        for record in records:  # Python's default separators and unsorted keys: not canonical
            handle.write(json.dumps(dict(reversed(list(record.items())))) + "\n")
    diff = diff_releases(release, other)
    assert diff["changed"] == [records[0]["id"]]
    assert diff["added"] == diff["removed"] == diff["retracted"] == diff["merged"] == []
    assert diff_releases(other, release)["changed"] == [records[0]["id"]]


def test_a_record_json_cannot_hold_fails_the_build_naming_its_file(tmp_path, monkeypatch):
    """The schema keeps such values out (keys are text; numbers are finite); should one pass
    all the same, the build names the file instead of crashing or dropping the record."""
    import forcewatch.validate as validate_module
    from forcewatch.recordline import record_line
    assert record_line({"id": "x", 1: "a key that is not text"}) is None
    assert record_line({"id": "x", "latitude": float("inf")}) is None
    root = _sandbox(tmp_path)
    real = validate_module.record_line
    monkeypatch.setattr(validate_module, "record_line",
                        lambda data: None if data.get("id") == "islamic-state" else real(data))
    result = build(root, version="1.0.0", workers=1)
    assert result.status == "checks-failed"
    assert result.problems == ["records.jsonl: datasets/actors/islamic-state.yaml holds a value JSON cannot (a key "
                               "that is not text, or a number that is not finite); fix the record or the schema "
                               "that let it pass"]
    assert not (root / "dist" / "1.0.0").exists()


def test_a_large_build_validated_apart_equals_one_built_in_one_process(tmp_path):
    """Enough records that validation, in a process of its own, starts workers of its own
    (from an empty cache): the release is the one `--jobs 1` builds in one process."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    from synthetic import make_repo
    from forcewatch.validate import PARALLEL_THRESHOLD
    root = make_repo(tmp_path / "repo", PARALLEL_THRESHOLD + 100, seed=5)
    apart = build(root, out=tmp_path / "apart", version="1.0.0")
    assert apart.status == "built", apart.problems
    shutil.rmtree(root / ".forcewatch-cache")
    alone = build(root, out=tmp_path / "alone", version="1.0.0", workers=1)
    names = sorted(p.name for p in apart.path.iterdir())
    assert sorted(p.name for p in alone.path.iterdir()) == names
    for name in names:
        assert (apart.path / name).read_bytes() == (alone.path / name).read_bytes(), name


def test_great_expectations_gets_frames_it_can_hash(release):
    """Great Expectations fingerprints each batch by hashing its frame, and pickles the whole
    frame when a cell cannot be hashed (pandas gives a list cell as an array): most of the
    suites' time on a large release. List cells reach it as tuples, with the same values."""
    import pandas as pd
    import pyarrow.parquet as pq

    from forcewatch.release.verify import _frame
    table = pq.read_table(release / "incident_casualties.parquet")
    assert any(str(field.type).startswith("list") for field in table.schema)
    frame = _frame(table)
    pd.util.hash_pandas_object(frame, index=True)  # raises TypeError for an unhashable cell
    assert [list(cell) if cell is not None else None for cell in frame["source_keys"]] == \
        table.column("source_keys").to_pylist()
