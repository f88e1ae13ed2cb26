"""`forcewatch stats`: coverage month by month, and what the records do not know."""

import json
import subprocess
import sys

import yaml

from forcewatch.stats import coverage

from .conftest import REPO


def test_stats_cli_json_matches_the_records():
    proc = subprocess.run([sys.executable, "-m", "forcewatch", "stats", "--format", "json",
                           "--since", "2023-10-17", "--until", "2024-08-31"], cwd=REPO, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    stats = json.loads(proc.stdout)
    records = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in (REPO / "datasets" / "incidents").rglob("*.yaml")]
    incidents = [r for r in records if r["status"] == "active" and "2023-10-17" <= r["when"]["start"] <= "2024-08-31"]
    assert stats["incidents"] == len(incidents)
    assert sum(stats["by_month"].values()) == stats["incidents"]
    assert stats["by_month"]["2024-07"] >= 5
    # Every month of the period is listed, the quiet ones with zero, so a pause shows.
    assert list(stats["by_month"])[0] == "2023-10" and list(stats["by_month"])[-1] == "2024-08"
    assert len(stats["by_month"]) == 11
    assert all(sum(kinds.values()) == stats["by_month"][m] for m, kinds in stats["by_month_and_type"].items())
    assert 0 <= stats["two_or_more_sources"]["share"] <= 1
    assert set(stats["unknown"]) >= {"coordinates", "casualty figures", "responsibility"}


def test_coverage_counts_unknowns_and_filters_inactive():
    base = {"record_type": "incident", "status": "active", "when": {"start": "2024-01-01", "precision": "day"},
            "place": {"country": "IQ"}, "event_type": "attack", "weapons": ["unknown"], "outcome": "unknown",
            "actors": [{"actor": "x", "role": "target"}], "sources": [{}]}
    retracted = {**base, "status": "retracted"}
    stats = coverage([base, retracted])
    assert stats["incidents"] == 1
    assert stats["unknown"]["weapon"] == 1 and stats["unknown"]["who is responsible"] == 1
    assert stats["two_or_more_sources"] == {"count": 0, "share": 0.0}


def test_stats_text_output():
    proc = subprocess.run([sys.executable, "-m", "forcewatch", "stats"], cwd=REPO, capture_output=True, text=True)
    assert proc.returncode == 0 and "by month (attacks, strikes, other):" in proc.stdout and "most often unknown:" in proc.stdout


def test_stats_are_the_same_whatever_the_hash_seed():
    import os
    outputs = set()
    for seed in ("1", "2", "3"):
        proc = subprocess.run([sys.executable, "-m", "forcewatch", "stats", "--format", "json"], cwd=REPO,
                              capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": seed})
        assert proc.returncode == 0, proc.stderr
        outputs.add(proc.stdout)
    assert len(outputs) == 1


def test_stats_refuses_a_bad_date_with_a_clear_error():
    proc = subprocess.run([sys.executable, "-m", "forcewatch", "stats", "--since", "2024-13-40"], cwd=REPO,
                          capture_output=True, text=True)
    assert proc.returncode == 2 and "--since 2024-13-40: not a date" in proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
