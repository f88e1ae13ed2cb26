"""The harm summary and the actors' roll-ups in the release: the tables hold what the rule
(`forcewatch.harm`, `forcewatch.memberships`) says of every record, the descriptor describes
them, and the Great Expectations suites catch a summary that breaks its invariants."""

import json
import shutil

import pyarrow as pa
import pyarrow.parquet as pq

from forcewatch import harm
from forcewatch.memberships import memberships
from forcewatch.release.verify import run_expectations

from .conftest import REPO


def _records(release, record_type):
    with open(release / "records.jsonl", encoding="utf-8") as handle:
        return [r for r in map(json.loads, handle) if r["record_type"] == record_type]


def test_incident_harm_is_the_rule_applied_to_every_record(release):
    table = pq.read_table(release / "incident_harm.parquet").to_pylist()
    got = sorted((r["incident_id"], r["party"], r["harm"], r["low"], r["best"], r["high"], r["qualifier"], r["rule"],
                  tuple(r["source_keys"])) for r in table)
    expected = sorted((rec["id"], r["party"], r["harm"], r["low"], r["best"], r["high"], r["qualifier"], r["rule"],
                       tuple(r["sources"])) for rec in _records(release, "incident")
                      for r in harm.summary_rows(rec.get("casualties")))
    assert got == expected and got


def test_incidents_carry_the_us_and_total_summary(release):
    rows = {r["id"]: r for r in pq.read_table(release / "incidents.parquet").to_pylist()}
    aug5, tower22 = rows["inc-2024-08-05-ain-al-asad-rockets"], rows["inc-2024-01-28-tower-22-drone-attack"]
    assert (aug5["us_injured_low"], aug5["us_injured_best"], aug5["us_injured_high"]) == (5, 5, 5)
    assert aug5["us_killed_best"] is None and aug5["us_killed_qualifier"] is None  # nothing reported: unknown
    assert tower22["us_killed_best"] == 3 and tower22["total_killed_best"] == 3
    assert (tower22["us_injured_low"], tower22["us_injured_best"], tower22["us_injured_qualifier"]) == (24, None, "dozens")
    # No figure is NULL, never 0.
    records = {r["id"]: r for r in _records(release, "incident")}
    for rid, row in rows.items():
        if not records[rid].get("casualties"):
            assert all(row[f"{p}_{h}_{f}"] is None for p in ("us", "total") for h in harm.HARMS
                       for f in harm.FIGURE_FIELDS), rid


def test_the_descriptor_describes_the_new_tables(release):
    package = json.loads((release / "datapackage.json").read_text())
    resources = {r["name"]: r for r in package["resources"]}
    fields = {f["name"]: f for f in resources["incident_harm"]["schema"]["fields"]}
    assert fields["rule"]["constraints"]["enum"] == list(harm.RULES)
    assert set(harm.summary_groups(harm.default_parts())) <= set(fields["party"]["constraints"]["enum"])
    assert resources["incident_harm"]["schema"]["primaryKey"] == ["incident_id", "party", "harm"]
    assert {"fields": ["incident_id"], "reference": {"resource": "incidents", "fields": ["id"]}} in \
        resources["incident_harm"]["schema"]["foreignKeys"]
    incident_fields = {f["name"]: f for f in resources["incidents"]["schema"]["fields"]}
    for prefix in ("us", "total"):
        for h in harm.HARMS:
            assert incident_fields[f"{prefix}_{h}_best"]["type"] == "integer"
            assert "several" in incident_fields[f"{prefix}_{h}_qualifier"]["constraints"]["enum"]
    keys = resources["actor_memberships"]["schema"]["foreignKeys"]
    assert {"fields": ["group_actor_id"], "reference": {"resource": "actors", "fields": ["id"]}} in keys


def test_actor_memberships_roll_every_actor_up(release):
    rows = pq.read_table(release / "actor_memberships.parquet").to_pylist()
    expected = memberships(_records(release, "actor"))
    assert sorted((r["actor_id"], r["group_actor_id"], r["depth"], tuple(r["via_actor_ids"])) for r in rows) == \
        sorted((a, m["group"], m["depth"], tuple(m["via"])) for a, found in expected.items() for m in found)
    groups = {(r["actor_id"], r["group_actor_id"]) for r in rows}
    assert ("us-special-operations-forces", "united-states") in groups and ("kataib-hezbollah", "islamic-resistance-in-iraq") in groups
    assert all((a["id"], a["id"]) in groups for a in _records(release, "actor"))


def test_the_suites_catch_a_broken_summary(release, tmp_path):
    broken = tmp_path / "release"
    shutil.copytree(release, broken)
    assert run_expectations(REPO, broken)["success"]
    table = pq.read_table(broken / "incident_harm.parquet")
    rows = table.to_pylist()
    several = next(i for i, r in enumerate(rows) if r["qualifier"] == "several")
    rows[several]["best"] = 3  # a number "several" does not give
    counted = next(r for r in rows if r["best"])
    counted["high"] = counted["best"] - 1  # an upper bound below the best figure
    pq.write_table(pa.Table.from_pylist(rows, schema=table.schema), broken / "incident_harm.parquet")
    report = run_expectations(REPO, broken)
    suite = next(s for s in report["suites"] if s["table"] == "incident_harm")
    failed = {(e["expectation"], e["kwargs"].get("column"), e["kwargs"].get("column_A")) for e in suite["expectations"]
              if not e["success"]}
    assert ("expect_column_values_to_be_null", "best", None) in failed
    assert ("expect_column_pair_values_a_to_be_greater_than_b", None, "high") in failed
