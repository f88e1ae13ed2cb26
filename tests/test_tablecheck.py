"""The table check (Arrow, every row) and frictionless agree on a corpus of broken releases.

The build relies on the table check to read every row of a large release, so it must find
what frictionless finds: the same error type on the same row of the same table. Each case
below breaks one thing in a copy of the real release."""

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from forcewatch.release.tablecheck import UnsupportedDescriptor, check_package


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def _write(path: Path, rows) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode("utf-8"))


def set_cell(table, row, column, value):
    """Row 2 is the first data row, as in frictionless."""
    def edit(release: Path):
        rows = _rows(release / f"{table}.csv")
        rows[row - 1][rows[0].index(column)] = value
        _write(release / f"{table}.csv", rows)
    return edit


def append_bytes(table, data: bytes):
    def edit(release: Path):
        with (release / f"{table}.csv").open("ab") as handle:
            handle.write(data)
    return edit


def repeat_row(table, row):
    def edit(release: Path):
        rows = _rows(release / f"{table}.csv")
        _write(release / f"{table}.csv", rows + [rows[row - 1]])
    return edit


def rename_column(table, column, new):
    def edit(release: Path):
        rows = _rows(release / f"{table}.csv")
        rows[0][rows[0].index(column)] = new
        _write(release / f"{table}.csv", rows)
    return edit


def replace_bytes(table, old: bytes, new: bytes):
    def edit(release: Path):
        path = release / f"{table}.csv"
        path.write_bytes(path.read_bytes().replace(old, new, 1))
    return edit


# (case, edit, table, row (None: the file or header), frictionless error type)
CASES = [
    ("not-in-vocabulary", set_cell("incidents", 2, "status", "bogus"), "incidents", 2, "constraint-error"),
    ("required-missing", set_cell("incidents", 3, "event_type", ""), "incidents", 3, "constraint-error"),
    ("not-an-integer", set_cell("incident_actors", 3, "seq", "one"), "incident_actors", 3, "type-error"),
    ("integer-with-decimals", set_cell("incident_casualties", 2, "seq", "1.5"), "incident_casualties", 2, "type-error"),
    ("not-a-number", set_cell("incidents", 2, "latitude", "north"), "incidents", 2, "type-error"),
    ("not-a-boolean", set_cell("incident_sources", 2, "published_inferred", "maybe"), "incident_sources", 2, "type-error"),
    ("not-a-date", set_cell("incidents", 4, "date_start", "5 Jan 2024"), "incidents", 4, "type-error"),
    ("not-a-calendar-day", set_cell("force_posture", 2, "as_of", "2023-02-30"), "force_posture", 2, "type-error"),
    ("repeated-primary-key", repeat_row("incident_actors", 2), "incident_actors", None, "primary-key"),
    ("repeated-one-column-key", repeat_row("actors", 3), "actors", None, "primary-key"),
    ("unknown-foreign-key", set_cell("incident_actors", 2, "actor_id", "no-such-actor"), "incident_actors", 2, "foreign-key"),
    ("self-reference-unknown", set_cell("actors", 2, "merged_into", "no-such-actor"), "actors", 2, "foreign-key"),
    ("renamed-column", rename_column("force_posture", "as_of", "asof"), "force_posture", None, "incorrect-label"),
    ("extra-cell", append_bytes("actors", b"a,b,c,d,e,f,g,h,i,j,k,l,m\r\n"), "actors", None, "extra-cell"),
    ("missing-cell", append_bytes("actors", b"a,b,c\r\n"), "actors", None, "missing-cell"),
    ("blank-row", append_bytes("actors", b"\r\n"), "actors", None, "blank-row"),
    ("not-utf8", replace_bytes("actors", b"a", b"\xff"), "actors", None, "encoding-error"),
    # The harm summary and the actors' roll-ups are checked like every table.
    ("harm-rule-not-in-vocabulary", set_cell("incident_harm", 2, "rule", "guess"), "incident_harm", 2, "constraint-error"),
    ("harm-count-not-an-integer", set_cell("incidents", 2, "us_injured_best", "several"), "incidents", 2, "type-error"),
    ("harm-qualifier-not-in-vocabulary", set_cell("incidents", 3, "total_killed_qualifier", "lots"), "incidents", 3,
     "constraint-error"),
    ("harm-repeated-key", repeat_row("incident_harm", 2), "incident_harm", None, "primary-key"),
    ("harm-unknown-incident", set_cell("incident_harm", 2, "incident_id", "inc-2099-01-01-nothing"), "incident_harm", 2,
     "foreign-key"),
    ("membership-unknown-group", set_cell("actor_memberships", 2, "group_actor_id", "no-such-actor"), "actor_memberships",
     2, "foreign-key"),
]


def _frictionless(package: Path) -> set:
    import frictionless
    report = frictionless.validate(str(package))
    found = set()
    for task in report.tasks:
        table = Path(task.place).stem
        for error in task.errors:
            found.add((table, getattr(error, "row_number", None), error.type))
    return found


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_table_check_finds_what_frictionless_finds(release, tmp_path, case):
    name, edit, table, row, error_type = case
    broken = tmp_path / name
    shutil.copytree(release, broken)
    edit(broken)
    theirs = _frictionless(broken / "datapackage.json")
    ours = {(p.resource, p.row, p.type) for p in check_package(broken / "datapackage.json")}
    assert ours, f"the table check passed a release with {name}"
    assert {t for _, _, t in ours} == {error_type}
    assert {(r, t) for r, _, t in ours} == {(table, error_type)}
    if row is not None:
        assert ours == {(table, row, error_type)}
    # Every problem we report, frictionless reports too, on the same row.
    rows_of = {(r, t): {n for rr, n, tt in theirs if (rr, tt) == (r, t)} for r, _, t in ours}
    for resource, number, kind in ours:
        assert (resource, kind) in rows_of and (number is None or number in rows_of[(resource, kind)]), theirs


def test_the_real_release_passes_both(release):
    assert check_package(release / "datapackage.json") == []
    assert _frictionless(release / "datapackage.json") == set()


@pytest.mark.parametrize("change", [
    lambda d: d["resources"][0]["schema"]["fields"][0].setdefault("constraints", {}).update(pattern="^x"),
    lambda d: d["resources"][0]["schema"]["fields"][0].update(type="datetime"),
    lambda d: d["resources"][0].update(dialect={"delimiter": ";"}),
    lambda d: d["resources"][0]["schema"].update(missingValues=["", "NA"]),
    lambda d: d["resources"][0]["schema"].update(uniqueKeys=[["id"]]),
], ids=["pattern", "datetime", "dialect", "missing-values", "unknown-schema-key"])
def test_a_descriptor_feature_it_does_not_check_is_refused_not_skipped(release, tmp_path, change):
    broken = tmp_path / "release"
    shutil.copytree(release, broken)
    descriptor = json.loads((broken / "datapackage.json").read_text())
    change(descriptor)
    (broken / "datapackage.json").write_text(json.dumps(descriptor))
    with pytest.raises(UnsupportedDescriptor):
        check_package(broken / "datapackage.json")
