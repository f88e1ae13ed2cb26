"""The dataset's count beside each tally, and the verification level: both derived by one rule
each, tested on generated records that sit just inside and just outside every bound."""

import json
import subprocess
import sys

import pytest

from forcewatch.coverage import compare, describe
from forcewatch.memberships import ancestors, members_of
from forcewatch.verification import LEVELS, verification

from .conftest import REPO


def actor(aid, *relations):
    return {"record_type": "actor", "id": aid, "status": "active",
            "relations": [{"relation": rel, "actor": other, "sources": ["s"]} for rel, other in relations]}


ACTORS = [
    actor("united-states"),
    actor("us-armed-forces", ("part-of", "united-states"), ("member-of", "us-led-coalition")),
    actor("us-special-operations-forces", ("part-of", "us-armed-forces")),
    actor("us-led-coalition"),
    actor("kataib-hezbollah", ("member-of", "islamic-resistance-in-iraq"), ("backed-by", "iran")),
    actor("islamic-resistance-in-iraq"),
    actor("iran"),
]


def incident(iid, date, country="IQ", target="us-armed-forces", event_type="attack", status="active"):
    return {"record_type": "incident", "id": iid, "status": status, "event_type": event_type,
            "when": {"start": date, "end": date}, "place": {"country": country},
            "actors": [{"actor": target, "role": "target"}], "sources": []}


def tally(target_group="us", countries=("IQ", "SY"), best=10, breakdown=()):
    return {"record_type": "tally", "id": "tally-t-2023-11-21", "status": "active",
            "counter": {"name": "A spokesperson", "kind": "official"}, "measure": "attacks",
            "target_group": target_group, "countries": list(countries),
            "period": {"from": "2023-10-17", "as_of": "2023-11-21"},
            "count": {"best": best, "qualifier": "exact", "sources": ["s"]},
            "breakdown": list(breakdown)}


INCIDENTS = [
    incident("inc-first-day", "2023-10-17"),
    incident("inc-last-day", "2023-11-21", country="SY"),
    incident("inc-special-forces", "2023-11-01", target="us-special-operations-forces"),
    incident("inc-interception", "2023-11-02", event_type="interception"),
    incident("inc-coalition-only", "2023-11-03", target="us-led-coalition"),
    incident("inc-day-before", "2023-10-16"),
    incident("inc-day-after", "2023-11-22"),
    incident("inc-jordan", "2023-11-05", country="JO"),
    incident("inc-strike", "2023-11-06", event_type="strike", target="kataib-hezbollah"),
    incident("inc-retracted", "2023-11-07", status="retracted"),
]


def test_memberships_are_transitive_and_follow_only_belonging():
    up = ancestors(ACTORS)
    assert up["us-special-operations-forces"] == {"us-armed-forces", "united-states", "us-led-coalition"}
    assert up["kataib-hezbollah"] == {"islamic-resistance-in-iraq"}  # backed-by is not belonging
    assert members_of(["islamic-resistance-in-iraq"], ACTORS) == {"islamic-resistance-in-iraq", "kataib-hezbollah"}


def test_memberships_survive_a_cycle():
    looped = [actor("a", ("part-of", "b")), actor("b", ("part-of", "a"))]
    assert ancestors(looped) == {"a": {"b"}, "b": {"a"}}


def test_the_dataset_count_keeps_to_the_tallys_scope_and_period():
    row = compare(ACTORS + INCIDENTS + [tally()])["tallies"][0]
    assert row["incidents"] == ["inc-first-day", "inc-interception", "inc-last-day", "inc-special-forces"]
    assert (row["official"], row["dataset"], row["ratio"]) == (10, 4, 0.4)


def test_coalition_tallies_count_attacks_on_the_coalition_too():
    row = compare(ACTORS + INCIDENTS + [tally("us-and-coalition", countries=("IQ", "SY", "JO"))])["tallies"][0]
    assert "inc-coalition-only" in row["incidents"] and "inc-jordan" in row["incidents"]
    assert row["dataset"] == 6


def test_breakdown_by_country_and_the_line_people_read():
    parts = [{"country": "IQ", "best": 4, "qualifier": "exact", "sources": ["s"]},
             {"country": "SY", "low": 2, "qualifier": "at-least", "sources": ["s"]}]
    row = compare(ACTORS + INCIDENTS + [tally(breakdown=parts)])["tallies"][0]
    assert [(p["country"], p["official"], p["dataset"]) for p in row["by_country"]] == [("IQ", 4, 3), ("SY", 2, 1)]

    assert describe(row) == ("A spokesperson (official), as of 2023-11-21, attacks on U.S. forces in Iraq and Syria "
                             "since 2023-10-17: official 10, dataset 4 (40%)")


def test_a_part_at_a_site_counts_the_incidents_at_that_site():
    at_base = incident("inc-at-base", "2023-11-08")
    at_base["place"]["site"] = "site-base"
    parts = [{"country": "IQ", "site": "site-base", "best": 2, "qualifier": "exact", "sources": ["s"]}]
    row = compare(ACTORS + INCIDENTS + [at_base, tally(breakdown=parts)])["tallies"][0]
    assert [(p["site"], p["official"], p["dataset"]) for p in row["by_country"]] == [("site-base", 2, 1)]


def test_a_lower_bound_is_the_official_figure_when_there_is_no_best():
    t = tally()
    t["count"] = {"low": 8, "qualifier": "at-least", "sources": ["s"]}
    row = compare(ACTORS + INCIDENTS + [t])["tallies"][0]
    assert row["official"] == 8 and "official at least 8" in describe(row)


def source(key, publisher, originator=None, relays=None):
    s = {"key": key, "publisher": publisher}
    if originator:
        s["originator"] = originator
    if relays:
        s["relays"] = relays
    return s


@pytest.mark.parametrize("sources,outcome,level", [
    ([source("a", "Shafaq News", "Islamic Resistance in Iraq", ["claimant"])], "unknown", "claim-only"),
    ([source("a", "Shafaq News", relays=["claimant"]), source("b", "TASS", relays=["claimant"])], "unknown", "claim-only"),
    ([source("a", "Shafaq News", relays=["claimant"]), source("b", "Rudaw", relays=["host-officials"])], "impact",
     "single-source"),
    ([source("a", "Newsmax", "Associated Press"), source("b", "KVIA", "Associated Press")], "impact", "single-source"),
    ([source("a", "Newsmax", "Associated Press"), source("b", "CNN")], "impact", "multiple-sources"),
    ([source("a", "CNN", relays=["official-confirmation"])], "impact", "confirmed-officially"),
    ([source("a", "CNN", relays=["official-confirmation"]), source("b", "Rudaw", relays=["denial"])], "impact",
     "contested"),
    ([source("a", "CNN", relays=["official-confirmation"])], "disputed", "contested"),
])
def test_verification_levels(sources, outcome, level):
    assert verification({"record_type": "incident", "outcome": outcome, "sources": sources}) == level


def test_every_real_incident_has_a_level():
    from forcewatch.validate import validate
    report = validate(None, REPO, keep_records=True)
    incidents = [e.data for e in report.entries if e.data and e.data.get("record_type") == "incident"]
    assert incidents and {verification(r) for r in incidents} <= set(LEVELS)


def test_the_command_prints_the_librarys_result():
    run = subprocess.run([sys.executable, "-m", "forcewatch", "coverage", "--format", "json", "--root", str(REPO)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    from forcewatch.validate import validate
    report = validate(None, REPO, keep_records=True)
    assert json.loads(run.stdout) == compare([e.data for e in report.entries if e.data])


README_TALLIES = {  # tally id -> how the README states it
    "tally-dod-attacks-on-us-forces-2023-11-21": "{dataset} of about {official} by 21 November 2023 ({ratio:.0%})",
    "tally-dod-attacks-on-us-forces-2024-01-18": "{dataset} of {official} by 18 January\n2024 ({ratio:.0%})",
    "tally-dod-attacks-on-us-forces-2024-02-13": "{dataset} of {official} by 13 February 2024 ({ratio:.0%})",
}


def test_the_readme_states_the_current_coverage():
    from forcewatch.validate import validate
    report = validate(None, REPO, keep_records=True)
    rows = {r["id"]: r for r in compare([e.data for e in report.entries if e.data])["tallies"]}
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for tally_id, template in README_TALLIES.items():
        assert template.format(**rows[tally_id]) in readme, (tally_id, template.format(**rows[tally_id]))
