"""The checks a release must pass before it is put in place; any failure and nothing is written.

- **The table check** (`tablecheck`): every row of every CSV table against the package's own
  table schema (header, types, required values, vocabularies, primary and foreign keys),
  column by column with Arrow.
- **Frictionless**: the descriptor, and its own reading of the rows. It reads every row, foreign
  keys included, of a release of up to `FRICTIONLESS_FULL_ROWS` rows, or of any release with
  `full_frictionless` (the release workflow asks for it). A larger release gets the first
  `FRICTIONLESS_SAMPLE_ROWS` rows of each table, without the foreign-key lookups: frictionless
  checks keys by re-reading the referenced table for each child, which is most of its cost.
  The table check has already read every row and checked every key.
- **Great Expectations**: the suites in `validators/expectations/`.

On a large release, `ReleaseChecks` also holds the build's worker processes (fresh ones,
`spawn`, so that they do not carry the build's records):
- a pool, one per core, that builds the tables' slices (`submit`) and leaves once they are
  built (`slices_built`), so that its memory is not held during the checks;
- two workers, started once the slices are built, that import Great Expectations (seconds
  of CPU) and frictionless while this process joins the tables, and then run the suites and
  frictionless's reading of the rows while this process runs the table check.
With `full_frictionless`, the pool stays and frictionless reads the resources on every core.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from .tables import TABLES

FRICTIONLESS_FULL_ROWS = 50_000
FRICTIONLESS_SAMPLE_ROWS = 10_000
BACKGROUND_RECORDS = 2_000  # below this many records, starting workers costs more than it saves
REPORTED_TABLE_PROBLEMS = 50


def frictionless_problems(package_path: Path, resource: str | None = None, sample_rows: int | None = None) -> list[str]:
    """Frictionless's verdict on the package (metadata, then the rows of `resource`, or of all
    resources), as lines; empty when valid. With `sample_rows`, only the first rows of each
    resource, without the foreign-key lookups."""
    import frictionless

    package_path = Path(package_path)
    if sample_rows:
        descriptor = json.loads(package_path.read_text(encoding="utf-8"))
        for item in descriptor["resources"]:
            item["schema"].pop("foreignKeys", None)
        report = frictionless.Package(descriptor, basepath=str(package_path.parent)).validate(limit_rows=sample_rows)
    elif resource:
        report = frictionless.Package(str(package_path)).validate(name=resource)
    else:
        report = frictionless.validate(str(package_path))
    if report.valid:
        return []
    # Named by table, as the table check's problems are (a package task carries no name).
    lines = [f"frictionless: {Path(task.place).stem} row {getattr(error, 'row_number', None)} field "
             f"{getattr(error, 'field_name', None)}: {error.type}: {error.note}"
             for task in report.tasks for error in task.errors]
    lines += [f"frictionless: {error.type}: {error.note}" for error in report.errors]
    return lines[:50]


def table_problems(package_path: Path) -> list[str]:
    from .tablecheck import check_package
    found = check_package(package_path)
    lines = [f"table check: {p}" for p in found[:REPORTED_TABLE_PROBLEMS]]
    if len(found) > REPORTED_TABLE_PROBLEMS:
        lines.append(f"table check: ... and {len(found) - REPORTED_TABLE_PROBLEMS} more")
    return lines


def run_expectations(root: Path, release: Path) -> dict:
    from .expectations import load_suites, run_suites
    suites = load_suites(root / "validators" / "expectations", {t.name for t in TABLES})
    if not suites:
        return {"success": True, "suites": []}
    import pyarrow.parquet as pq
    wanted: dict = {}  # table -> the columns its suites read (None: all of them)
    for suite in suites:
        columns, so_far = suite.columns(), wanted.get(suite.table, set())
        wanted[suite.table] = None if columns is None or so_far is None else so_far | set(columns)
    # Only the columns the suites read: loading the rest would cost most of the run at scale.
    frames = {}
    for table, columns in wanted.items():
        path = release / f"{table}.parquet"
        if columns is not None:  # the names a row condition uses that are not columns are not read
            columns = sorted(columns & set(pq.read_schema(path).names)) or None
        frames[table] = _frame(pq.read_table(path, columns=columns))
    return run_suites(suites, frames)


def _frame(table):
    """The table as the pandas DataFrame Great Expectations reads, with each list cell a
    tuple (same values, length and nullness). Great Expectations fingerprints every batch by
    hashing its frame, and a frame with an unhashable cell (pandas gives a list as an array)
    is pickled whole instead: 1.3 s of a 1.6 s run at 100,000 records."""
    import pyarrow as pa
    frame = table.to_pandas()
    for field in table.schema:
        if pa.types.is_list(field.type) or pa.types.is_large_list(field.type):
            frame[field.name] = [None if cell is None else tuple(cell) for cell in table.column(field.name).to_pylist()]
    return frame


def _warm(modules: tuple[str, ...]) -> None:
    """Import in a worker, while the main process is still writing the tables."""
    import importlib
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    for name in modules:
        importlib.import_module(name)
    _leave_quickly()


def _leave_quickly() -> None:
    """When the worker is let go, it leaves at once instead of tearing down every module it
    imported, which the build waits for: 0.4 s for Great Expectations and pandas. (A spawned
    worker ends with a normal interpreter exit; its results are all sent by then.)"""
    import atexit
    import sys

    def leave():
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)
    atexit.register(leave)  # run first: atexit runs the last registered first


def spawn_context():
    """Fresh worker processes: a fork would carry the build's records along."""
    import multiprocessing
    return multiprocessing.get_context("spawn")


class _Deferred:
    """A call run in this process when its result is first asked for, so that work queued
    without workers is done in turn, not all at once."""

    def __init__(self, function, args):
        self.function, self.args = function, args

    def result(self):
        if self.function is not None:
            self.value, self.function, self.args = self.function(*self.args), None, None
        return self.value


class ReleaseChecks:
    """The workers start with the first `submit()` (or `start()`); `run()` once the release
    folder holds its tables; `close()` (or use as a context manager)."""

    def __init__(self, root: Path, *, background: bool, full_frictionless: bool = False, workers: int | None = None):
        self.root = root
        self.background = background and (workers or os.cpu_count() or 1) >= 2
        self.full_frictionless = full_frictionless
        self.workers = workers or os.cpu_count() or 1
        self._expectations_pool = self._frictionless_pool = self._pool = None
        self._slices_done = False

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def start(self) -> None:
        """The pool that builds the slices (and, with `full_frictionless`, runs frictionless)."""
        if not self.background or self._pool or self._slices_done:
            return  # started already, or (after `slices_built`) needs no more workers
        from concurrent.futures import ProcessPoolExecutor
        self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=spawn_context())
        modules = ("pyarrow.json", "pyarrow.compute", "forcewatch.release.parts")
        if self.full_frictionless:
            modules += ("frictionless",)
        for _ in range(self.workers):
            self._pool.submit(_warm, modules)

    def _start_checkers(self) -> None:
        """The Great Expectations worker and (unless the pool stays for frictionless) the
        frictionless one. They start once the slices are built, so that their imports (seconds of CPU for
        Great Expectations) run beside this process's joining of the tables, which uses one
        core, instead of slowing the slices, which use them all. Each has a pool of its own,
        so that each check runs where its library is already imported."""
        if not self.background or self._expectations_pool:
            return
        from concurrent.futures import ProcessPoolExecutor
        self._expectations_pool = ProcessPoolExecutor(max_workers=1, mp_context=spawn_context())
        self._expectations_pool.submit(_warm, ("great_expectations", "pandas", "pyarrow.parquet",
                                               "forcewatch.release.expectations"))
        if self._pool is None:
            self._frictionless_pool = ProcessPoolExecutor(max_workers=1, mp_context=spawn_context())
            self._frictionless_pool.submit(_warm, ("frictionless",))

    def close(self) -> None:
        for pool in (self._expectations_pool, self._frictionless_pool, self._pool):
            if pool:
                pool.shutdown(wait=True, cancel_futures=True)
        self._expectations_pool = self._frictionless_pool = self._pool = None

    def submit(self, function, *args):
        """Run `function(*args)` in the workers that will check the release, which are idle
        while it is written; without workers, here, when its result is first asked for.
        Returns an object with `.result()`."""
        if self.background:
            self.start()
            return self._pool.submit(function, *args)
        return _Deferred(function, args)

    def frictionless_scope(self, sizes: dict[str, int]) -> int | None:
        """None: frictionless reads every row; otherwise the rows it reads per table."""
        if self.full_frictionless or sum(sizes.values()) <= FRICTIONLESS_FULL_ROWS:
            return None
        return FRICTIONLESS_SAMPLE_ROWS

    def slices_built(self) -> None:
        """The tables' slices are built: let their workers go, unless frictionless will read
        every row of a large release on them (`full_frictionless`)."""
        self._slices_done = True
        if self._pool and not self.full_frictionless:
            self._pool.shutdown(wait=True)
            self._pool = None
        self._start_checkers()

    def run(self, release: Path, sizes: dict[str, int]) -> tuple[list[str], dict]:
        """(problems, expectations report) of the release in `release`."""
        package = release / "datapackage.json"
        sample = self.frictionless_scope(sizes)
        if not self.background:  # everything here, in turn
            problems = table_problems(package) + frictionless_problems(package, sample_rows=sample)
            return problems, run_expectations(self.root, release)
        self._start_checkers()
        expectations = self._expectations_pool.submit(run_expectations, self.root, release)
        if self._pool is None:  # the slices' workers have left: frictionless has a worker of its own
            frictionless = self._frictionless_pool.submit(frictionless_problems, package, None, sample)
            problems = table_problems(package)
            return problems + frictionless.result(), expectations.result()
        table = self._pool.submit(table_problems, package)
        if sample:
            parts = [self._pool.submit(frictionless_problems, package, None, sample)]
        else:  # every row: one resource per task, biggest first, on every core
            biggest_first = sorted(sizes, key=lambda name: (-sizes[name], name))
            futures = {name: self._pool.submit(frictionless_problems, package, name)
                       for name in biggest_first}
            parts = [futures[name] for name in sizes]  # reported in the package's order
        problems = table.result() + [line for part in parts for line in part.result()]
        return problems, expectations.result()
