"""`forcewatch build`: the release as a pure function of the records.

validate -> tables -> CSV + Parquet + records.jsonl + datapackage.json -> frictionless check
-> Great Expectations suites -> release notes (diff against the previous release) ->
SHA256SUMS -> atomic rename into `dist/<version>/`. Nothing is half-written: the release is
built in a temporary folder next to its final place and renamed only when every check passed.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..report import Report
from ..schemas import SchemaSet, load_schema_set
from ..validate import Config, load_config, validate
from .datapackage import descriptor
from .diff import diff_releases, render_diff
from .tables import RECORD_TYPE_ORDER, TABLES, iter_tables_streaming
from .write import write_csv, write_parquet

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


def _frictionless_problems(package_path: Path, resource: str | None = None) -> list[str]:
    """Frictionless's verdict on the package (metadata, then every row of `resource`, or of
    all resources), as lines; empty when valid."""
    import frictionless

    report = frictionless.Package(str(package_path)).validate(name=resource) if resource else \
        frictionless.validate(str(package_path))
    if report.valid:
        return []
    rows = report.flatten(["taskName", "rowNumber", "fieldName", "type", "note"])
    return [f"frictionless: {t} row {r} field {f}: {ty}: {n}" for t, r, f, ty, n in rows[:50]]


PARALLEL_CHECK_ROWS = 20000  # below this many rows, worker start-up costs more than it saves


def _release_checks(root: Path, release: Path, sizes: dict[str, int], workers: int | None = None,
                    parallel_rows: int = PARALLEL_CHECK_ROWS):
    """Frictionless on every resource and the Great Expectations suites: (problems, expectations).

    Both read every row in pure Python, so on a large release they run side by side on all
    cores, one resource per task (frictionless cannot parallelise a package with foreign keys
    itself; each task still checks its resource's foreign keys against the whole package).
    Small releases run in this process: starting workers would cost more than it saves."""
    workers = workers or os.cpu_count() or 1
    if workers < 2 or sum(sizes.values()) < parallel_rows:
        return _frictionless_problems(release / "datapackage.json"), _run_expectations(root, release)
    from concurrent.futures import ProcessPoolExecutor
    package = release / "datapackage.json"
    biggest_first = sorted(sizes, key=lambda name: (-sizes[name], name))
    import multiprocessing
    # Fresh workers, not forks: a fork would carry this process's records into every worker.
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        expectations = pool.submit(_run_expectations, root, release)  # first: its import is the slowest
        parts = {name: pool.submit(_frictionless_problems, package, name) for name in biggest_first}
        problems = [line for name in sizes for line in parts[name].result()]  # in the package's order
        return problems, expectations.result()


def _release_notes(version, schema_set, counts, status_counts, diff, previous, report, expectations, previous_schema):
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
    lines += ["", "## Checks", "",
              f"- `forcewatch validate`: valid, {len(report.warnings)} warning(s); see `validation-report.json`.",
              "- Frictionless: `datapackage.json` validates.",
              f"- Great Expectations: {sum(len(s['expectations']) for s in expectations['suites'])} expectations "
              f"in {len(expectations['suites'])} suites, all met; see `expectations-report.json`.",
              "", "## Verify and load", "",
              "```sh", "sha256sum -c SHA256SUMS", "```", "",
              "```python", "import pandas as pd", "incidents = pd.read_parquet(\"incidents.parquet\")", "```", ""]
    return "\n".join(lines)


def build(root: Path, *, out: Path | None = None, version: str = "dev", previous: Path | None = None,
          config: Config | None = None, schema_set: SchemaSet | None = None) -> BuildResult:
    from ..validate import collector_paused
    with collector_paused():
        return _build(root, out=out, version=version, previous=previous, config=config, schema_set=schema_set)


def _build(root: Path, *, out: Path | None, version: str, previous: Path | None,
           config: Config | None, schema_set: SchemaSet | None) -> BuildResult:
    root = root.resolve()
    config = config or load_config(root)
    schema_set = schema_set or load_schema_set(root / "schema")
    report = validate(None, root, config=config, schema_set=schema_set, keep_blobs=True)
    if not report.valid:
        return BuildResult(report, "invalid")

    # Sorted by what the projection holds; each whole record is decoded once, when its turn
    # comes, and let go once flattened and written to records.jsonl.
    ordered = sorted((e for e in report.entries if e.blob is not None),
                     key=lambda e: (RECORD_TYPE_ORDER[e.record_type], e.data["id"]))
    report.entries = []
    counts: dict[str, int] = {}
    status_counts: dict = {}

    out = (out or root / "dist").resolve()
    out.mkdir(parents=True, exist_ok=True)
    final = out / version
    previous = previous or find_previous(out, version)
    tmp = Path(tempfile.mkdtemp(prefix=f".building-{version}-", dir=out))
    result = BuildResult(report, "built", counts=counts, previous=previous)
    try:
        meta = {"forcewatch:schema_version": schema_set.version, "forcewatch:release": version}
        with open(tmp / "records.jsonl", "w", encoding="utf-8", newline="\n") as jsonl:
            def records():
                # Each entry is let go as soon as its record is decoded.
                ordered.reverse()
                while ordered:
                    record = marshal.loads(ordered.pop().blob)
                    per = status_counts.setdefault(record["record_type"], {})
                    per[record["status"]] = per.get(record["status"], 0) + 1
                    jsonl.write(json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n")
                    yield record

            for data in iter_tables_streaming(records()):
                counts[data.table.name] = len(data.rows)
                write_csv(data, tmp / f"{data.table.name}.csv")
                write_parquet(data, tmp / f"{data.table.name}.parquet", meta)
                del data
        del ordered
        (tmp / "datapackage.json").write_bytes(_json_bytes(descriptor(schema_set, version, counts)))
        (tmp / "validation-report.json").write_bytes(_json_bytes(report.to_dict()))

        problems, expectations = _release_checks(root, tmp, counts)
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

        diff = diff_releases(previous, tmp) if previous else None
        previous_schema = None
        if previous and (previous / "datapackage.json").is_file():
            previous_schema = json.loads((previous / "datapackage.json").read_text()).get("forcewatch:schemaVersion")
        notes = _release_notes(version, schema_set, counts, status_counts, diff, previous, report,
                               expectations, previous_schema)
        (tmp / "RELEASE_NOTES.md").write_bytes(notes.encode("utf-8"))
        sums = "".join(f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.name}\n"
                       for p in sorted(tmp.iterdir()) if p.name != "SHA256SUMS")
        (tmp / "SHA256SUMS").write_bytes(sums.encode("ascii"))
        os.chmod(tmp, 0o755)
        _swap_into_place(tmp, final)
        result.path = final
        return result
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def _run_expectations(root: Path, release: Path) -> dict:
    from .expectations import load_suites, run_suites
    suites = load_suites(root / "validators" / "expectations", {t.name for t in TABLES})
    if not suites:
        return {"success": True, "suites": []}
    import pyarrow.parquet as pq
    frames = {s.table: pq.read_table(release / f"{s.table}.parquet").to_pandas() for s in suites}
    return run_suites(suites, frames)


def _swap_into_place(tmp: Path, final: Path) -> None:
    if final.exists():
        old = final.with_name(f".replaced-{final.name}-{os.getpid()}")
        os.replace(final, old)
        os.replace(tmp, final)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(tmp, final)
