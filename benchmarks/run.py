#!/usr/bin/env python3
"""Benchmark forcewatch against the tools people use today, on synthetic data.

For each size N it generates N synthetic incidents (seeded; see synthetic.py) in a temporary
git repository and measures, each as a fresh process:

  cold      forcewatch validate, empty cache (best of two)
  warm      forcewatch validate again, nothing changed (best of three)
  pr        forcewatch validate --changed-since HEAD after editing one record (best of three)
  build     forcewatch build (validate, tables, CSV, Parquet, the table check, frictionless,
            Great Expectations), after the runs above have filled the cache; and again from
            an empty cache, as a release job on a clean clone runs it
  peak MB   the largest resident memory of the cold run and of the build, summed over the
            command and its worker processes at one moment (sampled in a run of its own:
            the sampling costs CPU, so the runs that are timed are not sampled)

and the baselines, on the same records:

  libyaml         yaml.load(CSafeLoader) of every file, on all cores (parse only; best of two)
  check-jsonschema  the YAML files against the incident schema (bundled into one file)
  frictionless    `frictionless validate` of the built release's datapackage.json
  pyarrow write   writing the release's tables (CSV and Parquet) with pyarrow alone, from
                  Arrow tables already in memory
  pyarrow rows    the same, from the tables' rows as Python objects (Table.from_pylist)

and where a warm build's time goes (validation, tables built and written, release checks).

Usage: python benchmarks/run.py [--sizes 1000,10000,100000] [--no-baselines] [--json FILE]
Nothing is written to the repository; results are printed (and saved to --json if given).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from synthetic import make_repo  # noqa: E402

PY = sys.executable
BIN = Path(PY).parent


TIMED = """
import json, os, resource, subprocess, sys, tempfile, time
def tree_rss_kb(pid):
    # The command and every process under it (the build's workers too), summed.
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as f:
                total += next(int(l.split()[1]) for l in f if l.startswith("VmRSS:"))
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo += [int(c) for c in f.read().split()]
        except (OSError, StopIteration, ValueError):
            pass
    return total
sample, cmd = sys.argv[1] == "1", sys.argv[2:]
err = tempfile.TemporaryFile()
t = time.perf_counter()
p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)
peak = 0
while sample:
    try:
        p.wait(timeout=0.05)
        break
    except subprocess.TimeoutExpired:
        peak = max(peak, tree_rss_kb(p.pid))
p.wait()
e = time.perf_counter() - t
err.seek(0)
sys.stderr.write(err.read().decode(errors="replace")[-2000:])
print(json.dumps([e, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, peak, p.returncode]))
"""


def timed(cmd: list[str], cwd: Path, env=None, tree: bool = False):
    """Wall time and peak memory (MB) of a command run in a fresh process, through a wrapper:
    the largest resident size of any one of its processes or, with `tree`, the largest sum
    over the command and all its worker processes at one moment (sampled every 50 ms). The
    sampling reads /proc in Python, which costs CPU that a command using every core would
    otherwise have: about 0.8 s of an 18 s cold run on two cores. So the times that are
    compared are taken without it, and the peaks in a run of their own."""
    proc = subprocess.run([PY, "-c", TIMED, "1" if tree else "0", *cmd], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, **(env or {})})
    elapsed, maxrss_kb, tree_kb, code = json.loads(proc.stdout.strip().splitlines()[-1])
    peak = max(tree_kb, maxrss_kb) if tree else maxrss_kb
    return elapsed, peak // 1024, subprocess.CompletedProcess(cmd, code, "", proc.stderr)


def libyaml_parse_all_cores(root: Path) -> float:
    code = ("import sys, yaml, multiprocessing as mp\n"
            "from pathlib import Path\n"
            "def load(p):\n"
            "    with open(p, 'rb') as f: yaml.load(f.read(), Loader=yaml.CSafeLoader)\n"
            "if __name__ == '__main__':\n"
            "    files = [str(p) for p in Path('datasets').rglob('*.yaml')]\n"
            "    with mp.Pool() as pool: pool.map(load, files, chunksize=256)\n")
    return timed([PY, "-c", code], root)[0]


def bundled_incident_schema(root: Path, out: Path) -> Path:
    """check-jsonschema cannot resolve our urn: references offline: inline them."""
    common = json.loads((root / "schema" / "common.schema.json").read_text())
    incident = json.loads((root / "schema" / "incident.schema.json").read_text())
    text = json.dumps(incident).replace("urn:forcewatch:schema:common#/$defs/", "#/$defs/")
    bundled = json.loads(text)
    bundled["$defs"] = common["$defs"]
    bundled.pop("$id", None)
    out.write_text(json.dumps(bundled))
    return out


def check_jsonschema(root: Path, schema: Path) -> float:
    if not (BIN / "check-jsonschema").exists():
        sys.exit("check-jsonschema is not installed: run `.venv/bin/pip install -e '.[bench]'` "
                 "(or pass --no-baselines)")
    files = [p.relative_to(root).as_posix() for p in (root / "datasets" / "incidents").rglob("*.yaml")]
    total = 0.0
    for i in range(0, len(files), 10000):  # the command line has a length limit
        elapsed, _, proc = timed([str(BIN / "check-jsonschema"), "--schemafile", str(schema), *files[i:i + 10000]], root)
        total += elapsed
    return total


PHASES = """
import json, sys, time
from pathlib import Path
import forcewatch.release.build as b
import forcewatch.release.verify as v
marks = {}
def marked(owner, name, label):
    inner = getattr(owner, name)
    def run(*args, **kwargs):
        marks[label + "_start"] = time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            marks[label + "_end"] = time.perf_counter()
    setattr(owner, name, run)
marked(b.Report, "from_dict", "validated")  # as soon as the validation's process answers
marked(v.ReleaseChecks, "run", "checks")
if __name__ == "__main__":
    t = time.perf_counter()
    result = b.build(Path("."), version=sys.argv[1])
    end = time.perf_counter()
    marks["validate_end"] = marks["validated_start"]
    print(json.dumps({"validate": marks["validate_end"] - t,
                      "tables_write": marks["checks_start"] - marks["validate_end"],
                      "release_checks": marks["checks_end"] - marks["checks_start"],
                      "total": end - t}))
"""


def build_phases(root: Path) -> dict:
    """Where a warm build's time goes: validation (from the cache) and records.jsonl written
    from the cached lines; the tables built (in slices, on every core) and written as CSV and
    Parquet; and the release checks (the table check, frictionless, Great Expectations)."""
    script = root.parent / "phases.py"
    script.write_text(PHASES)
    proc = subprocess.run([PY, str(script), "phases"], cwd=root, capture_output=True, text=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def pyarrow_write(release: Path, scratch: Path, from_rows: bool = False) -> float:
    """pyarrow alone writing the release's tables as CSV and Parquet: from Arrow tables
    already in memory, or (`from_rows`) from the same tables held as Python rows, as any
    Python pipeline has them before writing (Table.from_pylist included in the time)."""
    code = ("import sys, time, pyarrow as pa, pyarrow.parquet as pq, pyarrow.csv as pc\n"
            "from pathlib import Path\n"
            "src, dst, from_rows = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3] == '1'\n"
            "tables = {p.stem: pq.read_table(p) for p in src.glob('*.parquet')}\n"
            "rows = {name: (t.schema, t.to_pylist()) for name, t in tables.items()} if from_rows else None\n"
            "t = time.perf_counter()\n"
            "for name in sorted(tables):\n"
            "    table = pa.Table.from_pylist(rows[name][1], schema=rows[name][0]) if from_rows else tables[name]\n"
            "    pc.write_csv(table.drop_columns([c for c in table.column_names if str(table.schema.field(c).type).startswith('list')]), dst / f'{name}.csv')\n"
            "    pq.write_table(table, dst / f'{name}.parquet', compression='zstd')\n"
            "print(time.perf_counter() - t)\n")
    scratch.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run([PY, "-c", code, str(release), str(scratch), "1" if from_rows else "0"],
                          capture_output=True, text=True)
    return float(proc.stdout.strip())


def run_size(n: int, baselines: bool, work: Path) -> dict:
    root = make_repo(work / f"repo-{n}", n)
    env = {"GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "b@example.org",
           "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "b@example.org"}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "synthetic"]):
        subprocess.run(["git", *args], cwd=root, check=True, env={**os.environ, **env})
    # Files written in the same second as git's index are "racily clean": git re-hashes them
    # all on the next status. A real clone is settled; settle this one before measuring.
    time.sleep(1.1)
    subprocess.run(["git", "update-index", "--really-refresh", "-q"], cwd=root, env={**os.environ, **env})
    # Likewise, 100k files just written are still being flushed to disk, which would slow
    # whichever run comes first: flush them, as in a clone that has settled.
    os.sync()
    # "Cold" means an empty forcewatch cache, not an empty disk cache: read every file once,
    # so that the cold runs and the libyaml baseline (which runs later) both find the files in
    # memory and measure their own work, not the disk's.
    for path in (root / "datasets").rglob("*.yaml"):
        path.read_bytes()
    fw = [str(BIN / "forcewatch")]
    row: dict = {"records": n}
    # Cold runs are noisy on a shared machine: the best of two, each from an empty cache, and
    # the same for the libyaml baseline; then a third, for its peak memory (see `timed`).
    colds = []
    for sampled in (False, False, True):
        shutil.rmtree(root / ".forcewatch-cache", ignore_errors=True)
        elapsed, peak, proc = timed([*fw, "validate", "--format", "json"], root, tree=sampled)
        assert proc.returncode in (0, 1), proc.stderr
        colds.append((elapsed, peak))
    row["cold"] = min(e for e, _ in colds[:2])
    row["peak_mb"] = colds[2][1]
    # The cold run has just written a cache of hundreds of MB: let the disk take it first, so
    # that the next runs are not timed while the kernel flushes the previous run's writes.
    os.sync()
    # The short runs are the noisiest (a fraction of a second, on a shared machine): the
    # best of three, as timeit reports.
    row["warm"] = min(timed([*fw, "validate", "--format", "json"], root)[0] for _ in range(3))
    one = sorted((root / "datasets" / "incidents").rglob("*.yaml"))[n // 2]
    one.write_text(one.read_text().replace("outcome: ", "outcom: "))
    row["pr_one_changed"] = min(timed([*fw, "validate", "--changed-since", "HEAD", "--format", "json"], root)[0]
                                for _ in range(3))
    subprocess.run(["git", "checkout", "-q", "--", "datasets"], cwd=root, check=True)
    os.sync()
    row["build"], _, proc = timed([*fw, "build", "--version", "1.0.0"], root)
    assert proc.returncode == 0, proc.stderr
    _, row["build_peak_mb"], proc = timed([*fw, "build", "--version", "1.0.0"], root, tree=True)  # the same again
    assert proc.returncode == 0, proc.stderr
    release = root / "dist" / "1.0.0"
    row["pyarrow_write"] = pyarrow_write(release, work / f"pyarrow-{n}")
    row["pyarrow_from_rows"] = pyarrow_write(release, work / f"pyarrow-rows-{n}", from_rows=True)
    row["build_phases"] = build_phases(root)
    # A release job starts from a clean clone: no cache, so its build validates every file.
    shutil.rmtree(root / ".forcewatch-cache", ignore_errors=True)
    shutil.rmtree(root / "dist", ignore_errors=True)
    row["build_cold"], row["build_cold_peak_mb"], proc = timed([*fw, "build", "--version", "1.0.0"], root, tree=True)
    assert proc.returncode == 0, proc.stderr
    if baselines:
        row["libyaml_parse_all_cores"] = min(libyaml_parse_all_cores(root) for _ in range(2))
        row["frictionless_validate"] = timed([str(BIN / "frictionless"), "validate", str(release / "datapackage.json")], root)[0]
        schema = bundled_incident_schema(root, work / "bundled-incident.schema.json")
        row["check_jsonschema"] = check_jsonschema(root, schema)
    shutil.rmtree(root, ignore_errors=True)
    return row


def small_commands(repo: Path) -> dict:
    fw = [str(BIN / "forcewatch")]
    shutil.rmtree(repo / ".forcewatch-cache", ignore_errors=True)
    return {"real_dataset_validate_cold": timed([*fw, "validate", "--no-cache"], repo)[0],
            "help": min(timed([*fw, "--help"], repo)[0] for _ in range(3))}


def report(rows: list[dict], small: dict) -> str:
    lines = ["", "forcewatch benchmark (seconds; ratios are baseline / forcewatch, higher is better)", ""]
    header = f"{'records':>8} {'cold':>7} {'warm':>6} {'pr':>6} {'build':>7} {'peak MB':>8}  ratios"
    lines.append(header)
    for r in rows:
        ratios = []
        if "check_jsonschema" in r:
            ratios.append(f"check-jsonschema/cold {r['check_jsonschema'] / r['cold']:.1f}x")
        if "libyaml_parse_all_cores" in r:
            ratios.append(f"cold/libyaml-parse {r['cold'] / r['libyaml_parse_all_cores']:.2f}x (target <= 1.5)")
        if "frictionless_validate" in r:
            ratios.append(f"frictionless/warm {r['frictionless_validate'] / r['warm']:.1f}x")
        ratios.append(f"build/pyarrow-write {r['build'] / r['pyarrow_write']:.1f}x (target <= 3)")
        ratios.append(f"build/pyarrow-from-rows {r['build'] / r['pyarrow_from_rows']:.1f}x")
        ratios.append(f"tables written/pyarrow-write {r['build_phases']['tables_write'] / r['pyarrow_write']:.1f}x")
        ratios.append(f"tables written/pyarrow-from-rows {r['build_phases']['tables_write'] / r['pyarrow_from_rows']:.1f}x")
        lines.append(f"{r['records']:>8} {r['cold']:>7.2f} {r['warm']:>6.2f} {r['pr_one_changed']:>6.2f} "
                     f"{r['build']:>7.2f} {r['peak_mb']:>8}  " + "; ".join(ratios))
    lines.append("")
    lines.append("warm build, by phase (s): " + "; ".join(
        f"{r['records']}: validate {r['build_phases']['validate']:.2f}, tables written {r['build_phases']['tables_write']:.2f}, "
        f"release checks {r['build_phases']['release_checks']:.2f}, total {r['build_phases']['total']:.2f}" for r in rows))
    lines.append("build peak MB: " + ", ".join(f"{r['records']}: {r['build_peak_mb']}" for r in rows))
    lines.append("build from an empty cache, as a release job runs it (s, peak MB): " + ", ".join(
        f"{r['records']}: {r['build_cold']:.2f}, {r['build_cold_peak_mb']}" for r in rows))
    lines.append("per record (ms), to show how cost grows: " + ", ".join(
        f"{r['records']}: cold {1000 * r['cold'] / r['records']:.3f}, build {1000 * r['build'] / r['records']:.3f}"
        for r in rows))
    lines.append(f"real dataset, cold process: validate {small['real_dataset_validate_cold']:.2f} s; "
                 f"--help {small['help']:.2f} s")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated record counts (e.g. 1000,10000,100000)")
    parser.add_argument("--no-baselines", action="store_true", help="skip libyaml, check-jsonschema and frictionless")
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="forcewatch-bench-") as tmp:
        rows = []
        for n in [int(x) for x in args.sizes.split(",")]:
            print(f"running N={n} ...", file=sys.stderr, flush=True)
            rows.append(run_size(n, not args.no_baselines, Path(tmp)))
            print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
        small = small_commands(HERE.parent)
    print(report(rows, small))
    if args.json:
        Path(args.json).write_text(json.dumps({"rows": rows, "small": small}, indent=2))


if __name__ == "__main__":
    main()
