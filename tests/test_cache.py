"""The result cache and parallel checking change speed, never results: the same report with
and without the cache, serial or parallel, full or PR mode; a corrupt cache is rebuilt."""

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import forcewatch.validate as fv
from forcewatch.validate import validate

from .conftest import FIXTURES, REPO

sys.path.insert(0, str(REPO / "benchmarks"))
from synthetic import make_repo  # noqa: E402


def as_dicts(report):
    return report.to_dict()


@pytest.fixture
def synthetic(tmp_path):
    root = make_repo(tmp_path / "repo", 300, seed=7)
    # Some broken files too, so that cached issues are exercised.
    incidents = sorted((root / "datasets" / "incidents").rglob("*.yaml"))
    incidents[0].write_text(incidents[0].read_text().replace("outcome: ", "outcom: "))
    incidents[1].write_text(incidents[1].read_text().replace("us-armed-forces", "us-armd-forces"))
    incidents[2].write_bytes(b"\xff\xfe not utf-8")
    (root / "datasets" / "incidents" / "2010" / "broken.yaml").write_text("id: [unclosed\n")
    return root


def test_fixture_corpus_same_with_and_without_cache(schema_set, tmp_path):
    for case in sorted((FIXTURES / "invalid").iterdir()) + sorted((FIXTURES / "valid").iterdir()):
        if (case / "changes.txt").exists():
            continue
        fresh = validate([case], REPO, schema_set=schema_set, use_cache=False)
        first = validate([case], REPO, schema_set=schema_set)
        again = validate([case], REPO, schema_set=schema_set)
        assert as_dicts(first) == as_dicts(fresh) == as_dicts(again), case.name


def test_generated_data_same_cold_warm_and_after_edits(synthetic):
    fresh = validate(None, synthetic, use_cache=False)
    assert not fresh.valid and fresh.records >= 300
    cold = validate(None, synthetic)
    warm = validate(None, synthetic)  # answered by the memo
    assert as_dicts(cold) == as_dicts(fresh) == as_dicts(warm)
    some = sorted((synthetic / "datasets" / "incidents").rglob("*.yaml"))[10]
    some.touch()  # new mtime, same content: the content hash keeps the cached result
    assert as_dicts(validate(None, synthetic)) == as_dicts(fresh)
    some.write_text(some.read_text().replace("weapons: [", "weapons: [rocket, "))  # a real change
    edited_fresh = validate(None, synthetic, use_cache=False)
    assert as_dicts(validate(None, synthetic)) == as_dicts(edited_fresh)
    some.unlink()
    assert as_dicts(validate(None, synthetic)) == as_dicts(validate(None, synthetic, use_cache=False))


def test_records_for_build_same_from_files_cache_and_memo(synthetic):
    """`build` takes its records from the cache (and the report from the memo) when nothing
    changed: the records must be exactly those the files give."""
    def records(report):
        return {e.file: e.data for e in report.entries}

    fresh = validate(None, synthetic, use_cache=False, keep_records=True)
    cold = validate(None, synthetic, keep_records=True)
    memo = validate(None, synthetic, keep_records=True)
    assert len(records(fresh)) > 300
    assert records(cold) == records(fresh) == records(memo)
    assert as_dicts(cold) == as_dicts(fresh) == as_dicts(memo)
    some = sorted((synthetic / "datasets" / "incidents").rglob("*.yaml"))[20]
    some.write_text(some.read_text().replace("weapons: [", "weapons: [rocket, "))
    assert records(validate(None, synthetic, keep_records=True)) == \
        records(validate(None, synthetic, use_cache=False, keep_records=True))


def test_corrupt_cache_is_rebuilt_not_trusted(synthetic):
    expected = as_dicts(validate(None, synthetic, use_cache=False))
    validate(None, synthetic)
    cache = synthetic / ".forcewatch-cache"
    files = [p for p in cache.rglob("*.bin")]
    assert files
    for i, path in enumerate(files):
        raw = path.read_bytes()
        path.write_bytes([b"", b"garbage", raw[: len(raw) // 2], raw[:-1] + b"x"][i % 4])
    assert as_dicts(validate(None, synthetic)) == expected
    assert as_dicts(validate(None, synthetic)) == expected  # and the rebuilt cache is good


def test_each_shard_written_once_complete_and_without_deleted_files(synthetic):
    """Shards are written while the run goes on, as soon as their last file is in: each must
    hold every file of its folder, and none that was deleted."""
    from forcewatch.cache import ResultCache, fingerprint
    validate(None, synthetic)
    folder = synthetic / "datasets" / "incidents" / "2010"
    gone = sorted(folder.glob("*.yaml"))[0]
    gone.unlink()
    validate(None, synthetic)
    cache = ResultCache(synthetic, fingerprint(synthetic))
    for shard_folder in {p.parent for p in (synthetic / "datasets").rglob("*.yaml")} | {folder}:
        shard = shard_folder.relative_to(synthetic).as_posix()
        stored = set(cache.shard(shard))
        assert stored == {p.relative_to(synthetic).as_posix() for p in shard_folder.glob("*.yaml")}, shard
    assert gone.relative_to(synthetic).as_posix() not in cache.shard(folder.relative_to(synthetic).as_posix())


def test_configuration_change_invalidates_the_cache(synthetic):
    validate(None, synthetic)
    config = synthetic / "validators" / "checks.yaml"
    config.write_text(config.read_text().replace("conflicting-figures: warning", "conflicting-figures: warning\n  unknown-term: warning"))
    report = validate(None, synthetic)
    assert report.to_dict() == validate(None, synthetic, use_cache=False).to_dict()


def test_parallel_equals_serial(synthetic, monkeypatch):
    serial = validate(None, synthetic, use_cache=False, workers=1)
    monkeypatch.setattr(fv, "PARALLEL_THRESHOLD", 10)
    parallel = validate(None, synthetic, use_cache=False, workers=2)
    assert as_dicts(parallel) == as_dicts(serial)


def _git(root, *args):
    subprocess.run(["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
                   check=True, capture_output=True)


@pytest.mark.parametrize("change", ["edit", "duplicate", "rename-actor", "delete-actor", "posture-jump"])
def test_pr_mode_with_index_equals_full_context(tmp_path, change):
    root = make_repo(tmp_path / "repo", 200, seed=3)
    shutil.copytree(REPO / "datasets" / "force_posture", root / "datasets" / "force_posture")
    shutil.copytree(REPO / "datasets" / "incidents" / "2024", root / "datasets" / "incidents" / "2024", dirs_exist_ok=True)
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "base")
    validate(None, root)  # a full run on a clean tree writes the index
    assert (root / ".forcewatch-cache" / "index.bin").exists()
    incidents = sorted((root / "datasets" / "incidents").rglob("inc-*-synthetic-*.yaml"))
    if change == "edit":
        incidents[5].write_text(incidents[5].read_text().replace("us-armed-forces", "us-armd-forces"))
    elif change == "duplicate":
        copy = incidents[7].read_text()
        rid = incidents[7].stem
        new_id = rid.replace("synthetic", "copy")
        (incidents[7].parent / f"{new_id}.yaml").write_text(copy.replace(rid, new_id))
    elif change == "rename-actor":
        path = root / "datasets/actors/kataib-hezbollah.yaml"
        path.write_text(path.read_text().replace("id: kataib-hezbollah", "id: kataib-hizbollah"))
    elif change == "delete-actor":
        (root / "datasets/actors/hamas.yaml").unlink()
    else:
        path = root / "datasets/force_posture/fp-us-armed-forces-iq-2024-08-10.yaml"
        path.write_text(path.read_text().replace("best: 2500", "best: 25000"))
    full = validate(None, root, changed_since="HEAD", use_cache=False)
    fast = validate(None, root, changed_since="HEAD")
    assert as_dicts(fast) == as_dicts(full)
    assert full.issues, "each change produces at least one issue"


def test_cli_no_cache_and_jobs(synthetic):
    proc = subprocess.run([sys.executable, "-m", "forcewatch", "validate", "--no-cache", "--jobs", "1",
                           "--format", "json", "--root", str(synthetic)], capture_output=True, text=True)
    assert proc.returncode == 1 and json.loads(proc.stdout)["summary"]["files"] >= 300
    assert not (synthetic / ".forcewatch-cache").exists()


def test_synthetic_benchmark_data_is_valid(tmp_path):
    """The benchmark measures valid records (warnings allowed: some synthetic incidents are
    close enough to look like duplicates)."""
    root = make_repo(tmp_path / "bench", 200, seed=11)
    report = validate(None, root, use_cache=False)
    copied = len(list((REPO / "datasets" / "actors").glob("*.yaml"))) + len(list((REPO / "datasets" / "sites").glob("*.yaml")))
    assert report.valid and report.records == 200 + copied


def test_a_plain_run_keeps_no_records(synthetic):
    """Only callers that ask for records (or their lines) get them: a plain run lets each
    record go once the dataset checks are done with it, instead of handing the caller a
    dataset's worth of objects (memory, and a long pass of the collector afterwards)."""
    for use_cache in (False, True, True):  # fresh, cold cache, memo
        assert validate(None, synthetic, use_cache=use_cache).entries == []
    lines = validate(None, synthetic, keep_lines=True).entries
    records = validate(None, synthetic, keep_records=True).entries
    assert len(lines) == len(records) > 300
    assert all(isinstance(e.line, bytes) for e in lines if e.data is not None)


def _counted(monkeypatch, name):
    """Calls of `forcewatch.validate.<name>` from now on (the runs here check files serially)."""
    calls = []
    inner = getattr(fv, name)

    def counted(*args, **kwargs):
        calls.append(args)
        return inner(*args, **kwargs)
    monkeypatch.setattr(fv, name, counted)
    return calls


def test_a_new_day_keeps_every_result_that_still_holds(synthetic, monkeypatch):
    """The cache is not keyed by the day (a cold run every morning, at 100k records 18 s):
    a result is reused on a later day unless it reported a date in the future, or compared
    a date that is after the new today. Each day's report equals a run without the cache."""
    def run_on(day, **kwargs):
        monkeypatch.setenv("FORCEWATCH_TODAY", day.isoformat())
        return validate(None, synthetic, **kwargs)
    first = run_on(dt.date(2100, 1, 1))
    results = {e.file: fv.file_result(Path(e.path), e.file, fv.load_config(synthetic), fv.load_schema_set(synthetic / "schema"))
               for e in run_on(dt.date(2100, 1, 1), keep_lines=True).entries}
    latest = max(r["latest"] for r in results.values())
    newest = sorted(f for f, r in results.items() if r["latest"] == latest)
    assert latest and newest and not any(i.code == "date-in-future" for i in first.issues)
    some = sorted((synthetic / "datasets" / "incidents").rglob("*.yaml"))[10]

    computed = _counted(monkeypatch, "file_result")
    some.write_text(some.read_text().replace("weapons: [", "weapons: [rocket, "))  # so that the memo cannot answer
    a_new_day = run_on(dt.date(2100, 6, 1))
    assert [args[1] for args in computed] == [some.relative_to(synthetic).as_posix()]  # that file alone
    assert as_dicts(a_new_day) == as_dicts(run_on(dt.date(2100, 6, 1), use_cache=False))
    computed.clear()

    # The day before the latest date: the records that hold it are checked again, and only they.
    day_before = dt.date.fromisoformat(latest) - dt.timedelta(days=1)
    earlier = run_on(day_before)
    assert sorted(args[1] for args in computed) == newest
    assert as_dicts(earlier) == as_dicts(run_on(day_before, use_cache=False))
    assert {i.file for i in earlier.issues if i.code == "date-in-future"} == set(newest)
    computed.clear()

    # The next day their results, which name the day, are not reused.
    later = run_on(dt.date.fromisoformat(latest))
    assert sorted(args[1] for args in computed) == newest
    assert as_dicts(later) == as_dicts(run_on(dt.date.fromisoformat(latest), use_cache=False))
    assert not any(i.code == "date-in-future" for i in later.issues)


def test_the_memo_stands_after_a_touch_not_after_an_edit(synthetic, monkeypatch):
    """A checkout or a stash gives files a new time, not new content: the last report still
    stands, and is answered without running the dataset checks. An edit that keeps the size
    is seen by the content hash."""
    fresh = as_dicts(validate(None, synthetic, use_cache=False))
    validate(None, synthetic)
    some = sorted((synthetic / "datasets" / "incidents").rglob("*.yaml"))[10]
    os.utime(some, ns=(some.stat().st_atime_ns, some.stat().st_mtime_ns + 5 * 10**9))

    checks, hashed = _counted(monkeypatch, "dataset_checks"), _counted(monkeypatch, "_sha_of")
    assert as_dicts(validate(None, synthetic)) == fresh
    assert checks == [] and len(hashed) == 1  # the memo stands; only the touched file was read
    hashed.clear()
    assert as_dicts(validate(None, synthetic)) == fresh
    assert checks == [] and hashed == []  # and the memo has learnt the file's new time

    text = some.read_text()
    edited = text.replace("weapons: [", "weapons: {", 1).replace("]", "}", 1)  # same size, a new verdict
    assert len(edited) == len(text) and edited != text
    some.write_text(edited)
    os.utime(some, ns=(some.stat().st_atime_ns, some.stat().st_mtime_ns + 10 * 10**9))
    report = as_dicts(validate(None, synthetic))
    assert len(checks) == 1 and report != fresh
    assert report == as_dicts(validate(None, synthetic, use_cache=False))
