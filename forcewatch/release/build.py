"""`forcewatch build`: the release as a pure function of the records.

validate and write records.jsonl (each record's line as the validation cache holds it; in a
process of its own on a machine with more than one core) -> tables (in slices read from
records.jsonl, see `parts`) -> CSV + Parquet + datapackage.json -> release checks (`verify`:
the table check, frictionless, Great Expectations) -> release notes (diff against the previous release) -> SHA256SUMS -> atomic rename into
`dist/<version>/`. Nothing is half-written: the release is built in a temporary folder next
to its final place and renamed only when every check passed.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..coordinates import site_coordinates
from ..report import Report
from ..schemas import SchemaSet, load_schema_set
from ..progress import progress_bar
from ..validate import Config, validate
from .datapackage import descriptor
from .diff import diff_against, read_summaries, render_diff
from .flatten import Context
from .geo import write_geo
from .sqlite import write_sqlite
from .parts import Part, build_part_at, read_ipc, slice_bounds
from .tables import RECORD_TYPE_ORDER, TABLES_OF
from .verify import BACKGROUND_RECORDS, ReleaseChecks, spawn_context
from .write import csv_header, write_parquet_table

_SEMVER = re.compile(r"v?(\d+)\.(\d+)\.(\d+)\Z")


@dataclass
class BuildResult:
    report: Report
    status: str  # built | invalid | checks-failed
    path: Path | None = None
    problems: list[str] = field(default_factory=list)
    counts: dict = field(default_factory=dict)
    previous: Path | None = None

    def to_dict(self) -> dict:
        return {"status": self.status, "path": str(self.path) if self.path else None,
                "previous": str(self.previous) if self.previous else None,
                "counts": self.counts, "problems": self.problems, "validation": self.report.to_dict()}


def _json_bytes(data) -> bytes:
    return (json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


def find_previous(out: Path, version: str) -> Path | None:
    """The newest release in `out` by semantic version, other than `version`."""
    candidates = []
    if out.is_dir():
        for child in out.iterdir():
            m = _SEMVER.match(child.name)
            if m and child.name != version and (child / "records.jsonl").is_file():
                candidates.append((tuple(int(g) for g in m.groups()), child))
    return max(candidates)[1] if candidates else None


def _coverage_section(coverage: dict | None) -> list[str]:
    """How complete the release is against every tally (`forcewatch coverage`)."""
    if not coverage or not coverage["tallies"]:
        return []
    from ..coverage import describe
    lines = ["", "## How complete it is", "",
             "Each official, monitor or claimant count (a tally record) beside the number of incidents this "
             "release holds for the same scope and period (`forcewatch coverage`; the rule is in the "
             "methodology). The dataset holds only attacks that a source describes one by one.", ""]
    lines += [f"- {describe(row)}" for row in coverage["tallies"]]
    return lines


def write_gis(folder: Path, version: str, schema_set: SchemaSet | None = None, root: Path | None = None) -> None:
    """For GIS users and for browsing: the GeoJSON and GeoParquet files and the SQLite database,
    made from the release's tables, so they hold exactly what those hold."""
    schema_set = schema_set or load_schema_set(root / "schema")
    write_geo(folder)
    write_sqlite(folder, version, schema_set)


def _start_gis(folder: Path, version: str, root: Path):
    from concurrent.futures import ProcessPoolExecutor
    pool = ProcessPoolExecutor(max_workers=1, mp_context=spawn_context())
    return pool, pool.submit(write_gis, folder, version, None, root)


def release_context(jsonl: Path, offsets: dict) -> Context:
    """What derived values need from other records: the sites' coordinates and the actors'
    memberships, read from the sites' and the actors' runs of records.jsonl (both are few)."""
    from ..memberships import memberships

    def records_of(record_type: str) -> list[dict]:
        starts = offsets.get(record_type) or []
        if len(starts) < 2:
            return []
        with open(jsonl, "rb") as handle:
            handle.seek(starts[0])
            return [json.loads(line) for line in handle.read(starts[-1] - starts[0]).splitlines()]
    return Context(sites=site_coordinates(records_of("site")), memberships=memberships(records_of("actor")))


def _release_coverage(jsonl: Path) -> dict:
    from ..coverage import compare
    wanted = (b'"record_type":"incident"', b'"record_type":"actor"', b'"record_type":"tally"')
    with open(jsonl, "rb") as handle:
        records = [json.loads(line) for line in handle if any(w in line for w in wanted)]
    return compare(records)


def _release_notes(version, schema_set, counts, status_counts, diff, previous, report, expectations,
                   previous_schema, frictionless_sample, coverage=None):
    lines = [f"# forcewatch {version}", ""]
    lines.append(f"Schema version: {schema_set.version}.")
    if previous_schema and previous_schema != schema_set.version:
        lines += ["", f"**The schema changed** since the previous release: {previous_schema} -> {schema_set.version}. "
                  "CHANGELOG.md says what changed; for a new MAJOR version, `schema/migrations/` holds the "
                  f"migration notes, and `forcewatch migrate --to {schema_set.version}` upgrades your own records."]
    lines += ["", "## Records", "", "| record type | active | retracted | merged |", "| --- | --- | --- | --- |"]
    for record_type in RECORD_TYPE_ORDER:
        c = status_counts.get(record_type, {})
        lines.append(f"| {record_type} | {c.get('active', 0)} | {c.get('retracted', 0)} | {c.get('merged', 0)} |")
    lines += ["", "## Tables", "", "| table | rows | files |", "| --- | --- | --- |"]
    for name, rows in counts.items():
        lines.append(f"| {name} | {rows} | `{name}.csv`, `{name}.parquet` |")
    lines += ["", "## Changes", ""]
    if previous is None:
        lines.append("First release: every record is new.")
    else:
        lines.append(f"Compared with release {previous.name}:")
        lines.append("")
        lines.append(render_diff(diff))
    lines += _coverage_section(coverage)
    lines += ["", "## Checks", "",
              f"- `forcewatch validate`: valid, {len(report.warnings)} warning(s); see `validation-report.json`.",
              "- Table check: every row of every table matches `datapackage.json` (types, required "
              "values, vocabularies, primary and foreign keys).",
              "- Frictionless: `datapackage.json` validates; frictionless read every row." if frictionless_sample is None
              else f"- Frictionless: `datapackage.json` validates; frictionless read the first {frictionless_sample:,} "
                   "rows of each table (the table check read them all; `forcewatch build --full-checks` has "
                   "frictionless read every row).",
              f"- Great Expectations: {sum(len(s['expectations']) for s in expectations['suites'])} expectations "
              f"in {len(expectations['suites'])} suites, all met; see `expectations-report.json`.",
              "", "## Verify and load", "",
              "```sh", "sha256sum -c SHA256SUMS", "```", "",
              "```python", "import pandas as pd", "incidents = pd.read_parquet(\"incidents.parquet\")", "```", ""]
    return "\n".join(lines)


def build(root: Path, *, out: Path | None = None, version: str = "dev", previous: Path | None = None,
          config: Config | None = None, schema_set: SchemaSet | None = None,
          full_checks: bool = False, workers: int | None = None, progress: bool = False) -> BuildResult:
    """Validate, then build the release into `out/version`. `full_checks`: frictionless reads
    every row whatever the size of the release (see `verify`). `workers`: processes for a
    large release (default: one per core; 1 builds it all in this process, in less memory).
    `progress`: progress bars for a long build (on an interactive terminal)."""
    from ..validate import collector_paused
    with collector_paused():
        return _build(root, out=out, version=version, previous=previous, config=config, schema_set=schema_set,
                      full_checks=full_checks, workers=workers, progress=progress)


def _build(root: Path, *, out: Path | None, version: str, previous: Path | None,
           config: Config | None, schema_set: SchemaSet | None, full_checks: bool,
           workers: int | None, progress: bool) -> BuildResult:
    root = root.resolve()
    # Validation runs in a process of its own, which writes records.jsonl and leaves: its
    # data (a dataset's worth of small objects) goes with it, instead of staying in this
    # process's heap, where it would be held through the rest of the build. Not with one
    # worker (`--jobs 1`: one process), nor for a configuration given in code (not on disk).
    apart = config is None and schema_set is None and (workers or os.cpu_count() or 1) >= 2
    schema_set = schema_set or load_schema_set(root / "schema")
    out = (out or root / "dist").resolve()
    new_out = not out.exists()
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".building-{version}-", dir=out))  # records.jsonl is written first
    try:
        if apart:
            from concurrent.futures import ProcessPoolExecutor
            with ProcessPoolExecutor(max_workers=1, mp_context=spawn_context()) as apart_process:  # it may start workers itself
                validated = apart_process.submit(write_records, root, tmp / "records.jsonl", None, None, workers,
                                                 progress).result()
        else:
            validated = write_records(root, tmp / "records.jsonl", config, schema_set, workers, progress)
        report = Report.from_dict(validated.report)
        if not report.valid:
            return BuildResult(report, "invalid")
        if validated.problems:
            return BuildResult(report, "checks-failed", problems=validated.problems)
        with ReleaseChecks(root, background=validated.records >= BACKGROUND_RECORDS, full_frictionless=full_checks,
                           workers=workers) as checks:
            return _write_release(root, out, tmp, version, previous, schema_set, report, validated, checks, progress)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
        if new_out and not any(out.iterdir()):
            out.rmdir()  # a build that wrote nothing leaves no empty folder behind


@dataclass
class Validated:
    report: dict  # the validation report, as `Report.to_dict()`
    offsets: dict = field(default_factory=dict)  # record type -> where each line starts in records.jsonl, then its end
    problems: list[str] = field(default_factory=list)  # why the records could not be written

    @property
    def records(self) -> int:
        return sum(len(starts) - 1 for starts in self.offsets.values())


def write_records(root: Path, jsonl: Path, config: Config | None, schema_set: SchemaSet | None,
                  workers: int | None, progress: bool) -> Validated:
    """Validate the records and, if they are valid, write records.jsonl to `jsonl`: each
    record's cached line, by record type, then by id."""
    from ..validate import collector_paused
    with collector_paused():  # also in a process of its own, where the build's pause does not reach
        report = validate(None, root, config=config, schema_set=schema_set, keep_lines=True, workers=workers,
                          progress=progress)
        if not report.valid:
            return Validated(report.to_dict())
        # Sorted by what the projection holds; the records themselves are their cached lines
        # of records.jsonl, never decoded here.
        ordered = sorted((e for e in report.entries if e.data is not None),
                         key=lambda e: (RECORD_TYPE_ORDER[e.record_type], e.data["id"]))
        report.entries = []
        unwritable = [e.file for e in ordered if e.line is None]
        if unwritable:  # the schema should never let such a record through; say so rather than crash
            return Validated(report.to_dict(), problems=[
                f"records.jsonl: {file} holds a value JSON cannot (a key that is not text, or a number that is "
                "not finite); fix the record or the schema that let it pass" for file in unwritable[:50]])
        offsets: dict[str, list[int]] = {record_type: [] for record_type in RECORD_TYPE_ORDER}
        ends = dict.fromkeys(RECORD_TYPE_ORDER, 0)
        position = 0
        with open(jsonl, "wb") as handle:
            for start in range(0, len(ordered), SLICE_RECORDS):
                chunk = ordered[start:start + SLICE_RECORDS]
                for entry in chunk:
                    offsets[entry.record_type].append(position)
                    position += len(entry.line) + 1
                    ends[entry.record_type] = position
                handle.write(b"".join(entry.line + b"\n" for entry in chunk))
        # Let the records go while the collector is still paused: when it resumes, its first
        # pass would otherwise walk every one of them, for nothing (about 0.3 s at 100k).
        del ordered, chunk
        for record_type, starts in offsets.items():  # then where the type's last line ends
            starts.append(ends[record_type] if starts else position)
        return Validated(report.to_dict(), offsets)


SLICE_RECORDS = 2_000  # the fewest records worth sending to a worker
SLICE_MAX_RECORDS = 5_000  # the most a worker holds at a time (memory)


def _append(handle, path: Path) -> None:
    with open(path, "rb") as source:
        shutil.copyfileobj(source, handle, 1 << 20)
    path.unlink()


def _write_table(table, parts: list[Part], folder: Path) -> int:
    """Join the slices of one table into its CSV and Parquet files; the number of rows."""
    import pyarrow as pa
    with open(folder / f"{table.name}.csv", "wb") as handle:
        handle.write(csv_header(table))
        for part in parts:
            _append(handle, part.tables[table.name][0])
    arrow_files = [part.tables.pop(table.name)[1] for part in parts]
    joined = pa.concat_tables([read_ipc(path) for path in arrow_files])
    write_parquet_table(joined, folder / f"{table.name}.parquet")
    rows = joined.num_rows
    del joined
    for path in arrow_files:
        path.unlink()
    pa.default_memory_pool().release_unused()  # hand the table's buffers back before the next
    return rows


def _write_release(root, out, tmp, version, previous, schema_set, report, validated, checks, progress) -> BuildResult:
    counts: dict[str, int] = {}
    status_counts: dict = {}
    final = out / version
    previous = previous or find_previous(out, version)
    summaries: dict[str, tuple] = {}
    result = BuildResult(report, "built", counts=counts, previous=previous)
    meta = {"forcewatch:schema_version": schema_set.version, "forcewatch:release": version}
    # The previous release is read (for the diff) while this one is written.
    previous_summaries = checks.submit(read_summaries, previous) if previous else None
    # In slices on every core (or here, without workers), each read from records.jsonl.
    workers = checks.workers if checks.background else 1
    jsonl = tmp / "records.jsonl"
    context = release_context(jsonl, validated.offsets)
    jobs = {record_type: [(checks.submit(build_part_at, record_type, jsonl, run[0], run[-1], meta, tmp, i, context),
                           len(run) - 1)
                          for i, run in enumerate(slice_bounds(starts, workers, SLICE_RECORDS, SLICE_MAX_RECORDS))]
            for record_type, starts in validated.offsets.items()}
    # Every slice first (they are files and small objects), so that the workers can go
    # before the tables are joined.
    parts_by_type: dict[str, list[Part]] = {record_type: [] for record_type in jobs}
    advance, stop = progress_bar(validated.records, progress, "building the release tables")
    try:
        for record_type, job in jobs.items():
            for slice_, size in job:
                parts_by_type[record_type].append(slice_.result())
                advance(size)
    finally:
        stop()
    del jobs
    previous_summaries = previous_summaries.result() if previous else None
    result.problems += [part.problem for parts in parts_by_type.values() for part in parts if part.problem]
    if result.problems:
        result.status = "checks-failed"
        return result
    checks.slices_built()
    for record_type, parts in parts_by_type.items():
        per = status_counts.setdefault(record_type, {})
        for part in parts:
            summaries.update(part.summaries)
            for status, n in part.status_counts.items():
                per[status] = per.get(status, 0) + n
        for table in TABLES_OF[record_type]:
            counts[table.name] = _write_table(table, parts, tmp)
    (tmp / "datapackage.json").write_bytes(_json_bytes(descriptor(schema_set, version, counts)))
    (tmp / "validation-report.json").write_bytes(_json_bytes(report.to_dict()))

    # The GIS files and the database are made from the written tables; in a large release, in a
    # process of their own while the checks run (they are kept only if the checks pass).
    gis = _start_gis(tmp, version, root) if checks.background else None
    try:
        problems, expectations = checks.run(tmp, counts)
        checks.close()  # the workers' memory is not needed for the rest
        if gis is None and not problems:
            write_gis(tmp, version, schema_set)
        elif gis is not None:
            gis[1].result()
    finally:
        if gis is not None:
            gis[0].shutdown(cancel_futures=True)
    result.problems += problems
    (tmp / "expectations-report.json").write_bytes(_json_bytes(expectations))
    for suite in expectations["suites"]:
        for e in suite["expectations"]:
            if not e["success"]:
                result.problems.append(f"great expectations: {suite['table']}: {e['expectation']} "
                                       f"{json.dumps(e['kwargs'], sort_keys=True)} failed: {e['result']}")
    if result.problems:
        result.status = "checks-failed"
        return result

    diff = diff_against(previous, *previous_summaries, summaries) if previous else None
    previous_schema = None
    if previous and (previous / "datapackage.json").is_file():
        previous_schema = json.loads((previous / "datapackage.json").read_text()).get("forcewatch:schemaVersion")
    # Only a release with tallies decodes its records for the comparison.
    coverage = _release_coverage(jsonl) if status_counts.get("tally", {}).get("active") else None
    notes = _release_notes(version, schema_set, counts, status_counts, diff, previous, report,
                           expectations, previous_schema, checks.frictionless_scope(counts), coverage)
    (tmp / "RELEASE_NOTES.md").write_bytes(notes.encode("utf-8"))
    sums = "".join(f"{_sha256(p)}  {p.name}\n"
                   for p in sorted(tmp.iterdir()) if p.name != "SHA256SUMS")
    (tmp / "SHA256SUMS").write_bytes(sums.encode("ascii"))
    os.chmod(tmp, 0o755)
    _swap_into_place(tmp, final)
    result.path = final
    return result


def _sha256(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _swap_into_place(tmp: Path, final: Path) -> None:
    if final.exists():
        old = final.with_name(f".replaced-{final.name}-{os.getpid()}")
        os.replace(final, old)
        os.replace(tmp, final)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(tmp, final)
