"""The real records: they validate clean, and the seed facts are in them."""

from forcewatch.validate import validate

from .conftest import REPO


def test_real_dataset_is_valid(schema_set):
    report = validate(None, REPO, schema_set=schema_set)
    assert report.issues == [], [i.to_dict() for i in report.issues]
    assert report.records == report.files >= 30


def _load(path):
    from forcewatch.yamlsafe import load_bytes
    loaded = load_bytes(path.read_bytes())
    assert not loaded.problems
    return loaded.data


def test_seed_incidents_are_present():
    ids = {p.stem for p in (REPO / "datasets" / "incidents").rglob("*.yaml")}
    for expected in [
        "inc-2024-08-05-ain-al-asad-rockets", "inc-2024-07-16-ain-al-asad-drones",
        "inc-2024-07-30-jurf-al-sakhar-strike", "inc-2024-07-21-syria-us-base-attack",
        "inc-2024-07-25-ain-al-asad-rockets", "inc-2024-07-30-beirut-strike-fuad-shukr",
        "inc-2024-07-31-haniyeh-killing-tehran", "inc-2024-04-13-iran-attack-on-israel",
        "inc-2024-04-01-damascus-consulate-strike",
    ]:
        assert expected in ids


def test_disagreeing_injury_figures_are_all_kept():
    record = _load(REPO / "datasets/incidents/2024/inc-2024-08-05-ain-al-asad-rockets.yaml")
    military = sorted(f.get("best", f.get("low")) for f in record["casualties"] if f["party"] == "us-military")
    assert military == [4, 5]
    assert any(f["party"] == "us-personnel" and f["low"] == 5 and f["qualifier"] == "at-least"
               for f in record["casualties"])
    assert record["responsibility"]["status"] == "unclaimed"


def test_late_july_rocket_counts_disagree_and_are_kept():
    record = _load(REPO / "datasets/incidents/2024/inc-2024-07-25-ain-al-asad-rockets.yaml")
    counts = {(m.get("best"), m["qualifier"]) for m in record["munitions"]}
    assert counts == {(4, "exact"), (None, "several"), (2, "exact")}
    assert record["outcome"] == "disputed"


def test_force_posture_figures():
    figures = {(r["country"], r["personnel"]["best"]) for r in
               (_load(p) for p in (REPO / "datasets" / "force_posture").glob("*.yaml"))}
    assert ("IQ", 2500) in figures and ("SY", 900) in figures


def test_every_source_url_is_unique_per_record_and_cited():
    """Each record's sources are used: a key nobody cites is a sign of a copy-paste slip."""
    for path in (REPO / "datasets").rglob("*.yaml"):
        record = _load(path)
        keys = [s["key"] for s in record["sources"]]
        assert len(keys) == len(set(keys)), path
