"""The validation pipeline: discover files -> load -> record checks -> dataset checks -> report.

Each stage is a plain function over data. Contributor input never raises: a file that cannot
be read or parsed becomes an issue and the run goes on with the others. Only a broken schema
or configuration (ConfigError) or a wrong command line (UsageError) stops the run.
"""

from __future__ import annotations

import errno
import gc
import hashlib
import os
import stat as _stat
from array import array
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from itertools import chain
from operator import itemgetter
from pathlib import Path

from . import codes
from .checks.dataset import DEFAULT_THRESHOLDS, DatasetIndex, Entry, dataset_checks
from .checks.record import RECORD_CHECKS, check_bidi_controls, latest_date, today
from .progress import progress_bar
from .recordline import record_line, record_of_line
from .report import SHOWN_PER_FILE, Issue, Report, json_path, make_issue
from .schemas import (RECORD_TYPES, ConfigError, SchemaSet, load_schema_set, schema_issues, suggest,
                      suggestion_budget)
from .yamlsafe import Loaded, LoadProblem, load_bytes, load_text

DEFAULT_MAX_FILE_BYTES = 256 * 1024
# Comparisons the suggestions ("did you mean ...?") may make for one file's own checks, and for
# the rest of a run (the dataset checks): see schemas.suggestion_budget. A suggestion among 30
# field names costs 30; among 100,000 ids, 100,000 (about 2 s).
SUGGESTIONS_PER_FILE = 20_000
SUGGESTIONS_PER_RUN = 500_000
RECORD_SUFFIXES = (".yaml", ".yml")


class UsageError(Exception):
    """The command line asks for something impossible (exit code 2)."""


@dataclass
class Config:
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    severities: dict = field(default_factory=dict)
    thresholds: dict = field(default_factory=lambda: dict(DEFAULT_THRESHOLDS))


def find_root(start: Path | None = None) -> Path:
    """The repository root: the nearest folder, from `start` upwards, with `schema/VERSION`."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "schema" / "VERSION").is_file():
            return folder
    raise ConfigError(f"no forcewatch repository found at or above {here} (no schema/VERSION): "
                      "run forcewatch from the repository root or pass --root")


def load_config(root: Path) -> Config:
    """Read `validators/checks.yaml`: severity overrides and loader limits."""
    path = root / "validators" / "checks.yaml"
    if not path.exists():
        return Config()
    shown = path.relative_to(root).as_posix()
    try:
        loaded = load_text(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{shown}: cannot read the configuration ({exc})") from None
    if loaded.problems:
        p = loaded.problems[0]
        raise ConfigError(f"{shown}:{p.line}:{p.column}: {p.code}: {p.message}")
    data = loaded.data or {}
    unknown = set(data) - {"limits", "severity", "thresholds"}
    if unknown:
        raise ConfigError(f"{shown}: unknown section(s) {', '.join(sorted(unknown))}; allowed: limits, severity, thresholds")
    config = Config()
    limits = data.get("limits") or {}
    if not isinstance(limits, dict) or set(limits) - {"max_file_bytes"}:
        raise ConfigError(f"{shown}: `limits` allows only `max_file_bytes`")
    if "max_file_bytes" in limits:
        value = limits["max_file_bytes"]
        if not isinstance(value, int) or isinstance(value, bool) or value < 1024:
            raise ConfigError(f"{shown}: limits.max_file_bytes must be a whole number >= 1024")
        config.max_file_bytes = value
    severity = data.get("severity") or {}
    if not isinstance(severity, dict):
        raise ConfigError(f"{shown}: `severity` must map issue codes to error or warning")
    for code, level in severity.items():
        if code not in codes.CATALOGUE:
            guess = suggest(code, codes.CATALOGUE)
            raise ConfigError(f"{shown}: severity: unknown issue code `{code}`"
                              + (f" (did you mean `{guess}`?)" if guess else ""))
        if level not in (codes.ERROR, codes.WARNING):
            raise ConfigError(f"{shown}: severity of `{code}` must be error or warning, not {level!r}")
        config.severities[code] = level
    thresholds = data.get("thresholds") or {}
    if not isinstance(thresholds, dict):
        raise ConfigError(f"{shown}: `thresholds` must map names to numbers")
    for name, value in thresholds.items():
        if name not in DEFAULT_THRESHOLDS:
            raise ConfigError(f"{shown}: thresholds: unknown `{name}`; known: {', '.join(DEFAULT_THRESHOLDS)}")
        kind = type(DEFAULT_THRESHOLDS[name])
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0 \
                or (kind is int and not isinstance(value, int)):
            raise ConfigError(f"{shown}: thresholds.{name} must be a positive {'whole ' if kind is int else ''}number")
        config.thresholds[name] = kind(value)
    return config


def display_path(path: Path, root: Path) -> str:
    try:
        return path.absolute().relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _inside(path: Path, root: Path) -> bool:
    return _inside_real(os.path.realpath(path), str(root))


def _inside_real(real: str, root: str) -> bool:
    """Whether a resolved path is the root or under it (realpath never raises, even on a
    link loop, where Path.resolve does)."""
    return real == root or real.startswith(root + os.sep)


def link_problem(path: str, root: str) -> tuple[str, str] | None:
    """(code, message) for a symbolic link that cannot be followed: one that leads outside the
    repository, one that leads to itself (a loop) and one that leads nowhere; None for a link
    that can be followed (or a path that is no link)."""
    name = os.path.basename(path)
    target = os.path.realpath(path)
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "link-loop", f"`{name}` is a symbolic link that leads back to itself (a link loop)"
        if not _inside_real(target, root):
            return "path-outside-repository", f"`{name}` is a link to {target}, outside the repository"
        return "link-broken", (f"`{name}` is a symbolic link to {os.readlink(path) if os.path.islink(path) else target}, "
                               "which does not exist")
    if not _inside_real(target, root):
        return "path-outside-repository", f"`{name}` is a link to {target}, outside the repository"
    return None


def _shown_real(real: str, root: str) -> str:
    """A resolved path as a message shows it: relative to the repository when inside it."""
    if real == root:
        return "the repository's root"
    return real[len(root) + 1:].replace(os.sep, "/") + "/" if _inside_real(real, root) else real


def _worth_reporting(name: str, is_dir: bool | None) -> bool:
    """A refused link is reported when it could hold records: a record file's name, a folder,
    or (for a link that leads nowhere, whose kind is unknown) a name with no suffix."""
    return name.endswith(RECORD_SUFFIXES) or bool(is_dir) or (is_dir is None and "." not in name)


def scan(folder: Path, root: Path) -> tuple[list[tuple[str, str, tuple]], list[tuple[Path, str, str]]]:
    """Record files under a folder inside the repository: (path, shown, (size, mtime_ns)),
    sorted; plus (path, code, message) for what is refused unread: links that lead outside,
    back to a folder they are in (a loop) or nowhere, and folders named like record files.
    Uses os.scandir (its stat comes with the listing) and resolves only symbolic links, so
    100,000 files are listed in a fraction of a second."""
    root_str = str(root)
    prefix = root_str + os.sep
    found, refused = [], []
    start = str(folder.absolute())
    # Each folder to list, with the real paths of the folders it is in: a link to one of
    # them would be listed for ever.
    stack = [(start, (os.path.realpath(start),))]
    while stack:
        current, chain = stack.pop()
        try:
            with os.scandir(current) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:
            continue
        for entry in reversed(entries):
            name = entry.name
            if name.startswith("."):
                continue
            real = None
            if entry.is_symlink():
                problem = link_problem(entry.path, root_str)
                if problem is not None:
                    code, message = problem
                    is_dir = None if code != "path-outside-repository" else os.path.isdir(entry.path)
                    if code == "link-loop" or _worth_reporting(name, is_dir):
                        refused.append((Path(entry.path), code, message))
                    continue
                real = os.path.realpath(entry.path)
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                real = real or os.path.join(chain[-1], name)
                if real in chain:
                    refused.append((Path(entry.path), "link-loop",
                                    f"`{name}` is a link to {_shown_real(real, root_str)}, a folder it is in "
                                    "(a link loop)"))
                elif name.endswith(RECORD_SUFFIXES):
                    refused.append((Path(entry.path), "file-unreadable",
                                    f"`{name}` is a folder, not a record file"))
                else:
                    stack.append((entry.path, chain + (real,)))
            elif name.endswith(RECORD_SUFFIXES):
                try:
                    st = entry.stat()
                    stat = (st.st_size, st.st_mtime_ns)
                except OSError:
                    stat = (-1, -1)
                shown = entry.path[len(prefix):].replace(os.sep, "/") if entry.path.startswith(prefix) else entry.path
                found.append((entry.path, shown, stat))
    found.sort(key=lambda f: f[1])
    return found, refused


def discover(paths: list[Path], root: Path) -> tuple[list[Path], list[tuple[Path, str, str]]]:
    """Record files under the given files and folders, sorted; plus (path, code, message)
    for paths refused before reading. A path that does not exist is a usage error."""
    files: list[Path] = []
    refused: list[tuple[Path, str, str]] = []
    root_str = str(root)
    for given in paths:
        if not os.path.lexists(given):
            raise UsageError(f"{given}: no such file or folder")
        problem = None
        if os.path.islink(given):
            problem = link_problem(str(given), root_str)
        elif not _inside(given, root):  # outside, or under a link that leads outside
            problem = ("path-outside-repository",
                       f"`{given}` resolves to {os.path.realpath(given)}, outside the repository {root}")
        if problem is not None:
            refused.append((given, *problem))
            continue
        if os.path.isdir(given):
            scanned, refused_here = scan(given, root)
            files.extend(Path(p) for p, _, _ in scanned)
            refused.extend(refused_here)
        else:
            files.append(given)
    seen, unique = set(), []
    for f in files:
        key = f.absolute()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique, refused


def read_record_file(path: Path, config: Config, digest: list | None = None) -> tuple[Loaded, str | None]:
    """Load one file; (loaded, None) or (empty, code) when it cannot be read. With `digest`
    (a list), the sha256 of the bytes read is appended to it."""
    try:
        st = path.stat()
        if not _stat.S_ISREG(st.st_mode):
            # A folder, a pipe or a device: a pipe would be read for ever.
            loaded = Loaded()
            loaded.problems.append(_problem("file-unreadable", "not a regular file (a folder, a pipe or a device)"))
            return loaded, "file-unreadable"
        size = st.st_size
        if size > config.max_file_bytes:
            loaded = Loaded()
            loaded.problems.append(_problem("file-too-large",
                                            f"the file has {size} bytes; the limit is {config.max_file_bytes}"))
            return loaded, "file-too-large"
        raw = path.read_bytes()
        if digest is not None:
            digest.append(hashlib.sha256(raw).hexdigest())
    except OSError as exc:
        loaded = Loaded()
        loaded.problems.append(_problem("file-unreadable", f"cannot read the file: {exc.strerror or exc}"))
        return loaded, "file-unreadable"
    return load_bytes(raw), None


def _problem(code, message):
    return LoadProblem(code, message, None, None)


def _version_issue(record: dict, schema_set: SchemaSet):
    declared = record.get("schema_version")
    if not isinstance(declared, str):
        return None  # the schema reports a missing or mistyped version
    try:
        have = tuple(int(p) for p in schema_set.version.split("."))
        want = tuple(int(p) for p in declared.split("."))
    except ValueError:
        return None  # the schema's pattern reports it
    if len(want) != 3:
        return None
    if want[0] < have[0]:
        return (f"the record targets schema {declared}, an older major version than {schema_set.version}",
                f"run `forcewatch migrate --to {schema_set.version}` on it")
    if want > have:
        return (f"the record targets schema {declared}, newer than this toolkit's {schema_set.version}",
                "update forcewatch, or set `schema_version` to " + schema_set.version)
    return None


def check_record(entry: Entry, schema_set: SchemaSet, whole_floats: bool = True, bidi_controls: bool = True):
    """Yield (code, path, message, hint) for one loaded record: schema first, then semantics.
    `whole_floats`: as `schema_issues` takes it; `bidi_controls`: False when the loader saw no
    bidirectional control character in the file (so none is looked for)."""
    record = entry.data
    if bidi_controls:
        yield from check_bidi_controls(record, entry.record_type)
    record_type = record.get("record_type")
    if not isinstance(record_type, str) or record_type not in RECORD_TYPES:
        guess = suggest(record_type, RECORD_TYPES) if isinstance(record_type, str) else None
        yield ("unknown-record-type", ("record_type",),
               "`record_type` is missing" if record_type is None else f"{record_type!r} is not a record type",
               f"did you mean `{guess}`?" if guess else "use one of: " + ", ".join(RECORD_TYPES))
        return
    version_problem = _version_issue(record, schema_set)
    if version_problem:
        # Checked against a schema it does not target, the record would show a cascade of
        # errors that migrating fixes: report the version alone.
        yield ("schema-version-unsupported", ("schema_version",), *version_problem)
        return
    findings = list(schema_issues(schema_set, record_type, record, whole_floats))
    yield from findings
    if findings:
        return  # semantic checks assume a schema-valid record
    entry.schema_ok = True
    for check in RECORD_CHECKS:
        yield from check(record, record_type)


_KEY_SEP = "\x1f"


def _position_lookup(positions: dict):
    """A position function over the positions a file result stored for the dataset checks."""
    def position(path):
        path = tuple(path)
        while True:
            found = positions.get(_KEY_SEP.join(map(str, path)))
            if found is not None:
                return tuple(found)
            if not path:
                return (1, 1)
            path = path[:-1]
    return position


def file_result(path: Path, shown: str, config: Config, schema_set: SchemaSet) -> dict:
    """Everything about one file that depends on that file alone: load, schema and record
    checks. Plain data (it is cached, and crosses process boundaries). `data` is the
    projection the dataset checks read; `line` is the whole record as its line of
    records.jsonl (`recordline`), so that the cache can hand `build` every record without
    parsing or encoding a file again, at a fraction of the memory of the records as Python
    objects."""
    from .checks.dataset import project, references
    digest: list = []
    loaded, _ = read_record_file(path, config, digest)
    data = loaded.data if isinstance(loaded.data, dict) else None
    record_type = data.get("record_type") if data else None
    if not isinstance(record_type, str) or record_type not in RECORD_TYPES:
        record_type = None
    issues = [(p.code, list(p.path), p.message, p.line, p.column, p.hint) for p in loaded.problems]
    schema_ok = False
    loaded_ok = data is not None and not loaded.problems
    if loaded_ok:
        entry = Entry(shown, path, data, record_type, False, loaded.position)
        with suggestion_budget(SUGGESTIONS_PER_FILE):
            for code, fpath, message, hint in check_record(entry, schema_set, loaded.whole_floats,
                                                            loaded.bidi_controls):
                line, column = loaded.position(fpath)
                issues.append((code, list(fpath), message, line, column, hint))
        schema_ok = entry.schema_ok
    issues, left_out = _bounded(issues)
    positions = {}
    if data is not None:
        wanted = [("id",), ("record_type",), ("merged_into",), ("personnel", "best"), ("place", "name")]
        if record_type:
            wanted += [p for p, _, _ in references(data, record_type)]
        for w in wanted:
            positions[_KEY_SEP.join(map(str, w))] = loaded.position(w)
    line = record_line(data) if data is not None else None
    if data is not None:
        data = project(data)
    return {"data": data, "line": line, "record_type": record_type, "schema_ok": schema_ok,
            "loaded_ok": loaded_ok, "issues": issues, "left_out": left_out, "positions": positions,
            "sha": digest[0] if digest else "", "latest": latest_date(loaded.data) if schema_ok else ""}


def _bounded(issues: list[tuple]) -> tuple[list[tuple], dict]:
    """The first SHOWN_PER_FILE issues of each code (by position), and how many of each code
    are left out."""
    counts: dict[str, int] = {}
    for issue in issues:
        counts[issue[0]] = counts.get(issue[0], 0) + 1
    if all(n <= SHOWN_PER_FILE for n in counts.values()):
        return issues, {}
    kept, shown = [], {}
    for issue in sorted(issues, key=lambda i: (i[3] or 0, i[4] or 0)):
        n = shown.get(issue[0], 0)
        if n < SHOWN_PER_FILE:
            shown[issue[0]] = n + 1
            kept.append(issue)
    return kept, {code: n - SHOWN_PER_FILE for code, n in counts.items() if n > SHOWN_PER_FILE}


def holds_today(result: dict, today_text: str) -> bool:
    """Whether a file result computed on another day is still true today. Only
    `date-in-future` changes with the day (its message names the day, too): a result that
    found no future date stays true while the latest date it compared is not after today."""
    latest = result.get("latest")
    if not isinstance(latest, str) or latest > today_text:
        return False
    issues = result["issues"]
    return not issues or all(issue[0] != "date-in-future" for issue in issues)


def _memo_report(cache, signature: str, everything: list[tuple], stats: dict, today_text: str) -> dict | None:
    """The last whole report, if it stands: the same files (`signature`), each with the same
    content, and still true today (see `holds_today`). A file whose size and modification
    time are those the memo saw is taken as unchanged, as git does; one touched since (a
    checkout, a stash) is read and its hash compared, and the memo then learns its new time."""
    memo = cache.memo_get(signature)
    if not (isinstance(memo, dict) and isinstance(memo.get("report"), dict) and isinstance(memo.get("latest"), str)
            and isinstance(memo.get("stats"), bytes) and isinstance(memo.get("shas"), bytes)):
        return None
    report = memo["report"]
    if memo["latest"] > today_text or any(i.get("code") == "date-in-future" for i in report.get("issues", ())):
        return None
    now = _packed_stats(everything, stats)
    if memo["stats"] == now.tobytes():
        return report
    if len(memo["stats"]) != len(now) * now.itemsize or len(memo["shas"]) != 32 * len(everything):
        return None
    seen = array("q")
    seen.frombytes(memo["stats"])
    for n, (path, _, _) in enumerate(everything):
        size, mtime = seen[2 * n], seen[2 * n + 1]
        if (size, mtime) == (now[2 * n], now[2 * n + 1]):
            continue
        if size != now[2 * n] or size < 0 or _sha_of(path) != memo["shas"][32 * n:32 * n + 32].hex():
            return None
    memo["stats"] = now.tobytes()
    try:
        cache.memo_put(signature, memo)
    except OSError:
        pass  # a read-only checkout: the touched files are read again next time
    return report


def _packed_stats(everything: list[tuple], stats: dict) -> array:
    """Each file's size and modification time, in order, packed (a dataset's worth of tuples
    would take most of a warm run's time and memory)."""
    return array("q", chain.from_iterable(map(stats.__getitem__, map(itemgetter(1), everything))))


def _sha_of(path) -> str:
    try:
        with open(path, "rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest()
    except OSError:
        return ""


def full_record(result: dict):
    """The whole record of a file result (None if the file held no mapping)."""
    line = result.get("line")
    return record_of_line(line) if line is not None else None


_WORKER = {}


def _worker_init(root: str):
    root_path = Path(root)
    _WORKER["config"] = load_config(root_path)
    _WORKER["schema_set"] = load_schema_set(root_path / "schema")
    # What is loaded now (modules, schemas) lives as long as the worker: kept out of the
    # collector's full passes, which would otherwise walk it again and again. A file's
    # check makes no reference cycles, so the collector has little else to do.
    gc.freeze()


def _worker_run(job):
    path, shown = job
    return file_result(Path(path), shown, _WORKER["config"], _WORKER["schema_set"])


PARALLEL_THRESHOLD = 2000  # below this many files to check, process start-up costs more than it saves


def _compute(jobs: list[tuple[Path, str]], root: Path, config, schema_set, workers: int | None, progress):
    """File results for (path, shown) jobs, yielded in order as they come; in parallel across
    cores when worth it."""
    workers = workers or os.cpu_count() or 1
    if workers > 1 and len(jobs) >= PARALLEL_THRESHOLD:
        from concurrent.futures import ProcessPoolExecutor
        with ProcessPoolExecutor(max_workers=workers, initializer=_worker_init, initargs=(str(root),)) as pool:
            for result in pool.map(_worker_run, [(str(p), s) for p, s in jobs], chunksize=256):
                progress(1)
                yield result
        return
    for path, shown in jobs:
        result = file_result(Path(path), shown, config, schema_set)
        progress(1)
        yield result


@contextmanager
def collector_paused():
    """Pause Python's cyclic garbage collector for a bulk run. A full collection walks every
    live object, and a large dataset keeps hundreds of thousands alive, so collections
    triggered while it loads can double the run time; reference counting still frees almost
    everything, and the collector resumes (if it was on) when the run ends."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def validate(paths: list[Path] | None, root: Path, **options) -> Report:
    """Validate record files (all of `datasets/` by default) and return the report; see
    `_validate` for the options."""
    with collector_paused(), suggestion_budget(SUGGESTIONS_PER_RUN):
        report = _validate(paths, root, **options)
    report.bound()
    return report


def _validate(paths: list[Path] | None, root: Path, *, config: Config | None = None,
              schema_set: SchemaSet | None = None, changed_since: str | None = None,
              use_cache: bool = True, workers: int | None = None, progress: bool = False,
              keep_records: bool = False, keep_lines: bool = False) -> Report:
    """Validate record files (all of `datasets/` by default) and return the report.

    References and ids are checked against the whole dataset even when only some files are
    given, but issues are reported for the given files only, and for other files where
    they refer to a record the change deleted or renamed.

    With `changed_since` (a git revision), the files are those added or modified since it;
    deleted record files are reported too. With `use_cache`, per-file results are kept in
    `.forcewatch-cache/` and reused while a file, the schema, the configuration and
    forcewatch itself are unchanged; the report is the same with or without it.

    With `keep_records`, `report.entries` holds the loaded records (for `build` and the site);
    otherwise an unchanged dataset may be answered from the memo of the last report, and
    `report.entries` is empty. With `keep_lines`, `report.entries` hold each record's
    projection in `data` and the whole record as its line of records.jsonl in `line`: for a
    large dataset, a fraction of the memory of every record as Python objects."""
    root = root.resolve()
    config = config or load_config(root)
    if schema_set is None:
        # A broken schema is a configuration error, cache or not.
        schema_set = load_schema_set(root / "schema", remember_check=use_cache)
    datasets = root / "datasets"
    changes = None
    if changed_since is not None:
        from .gitchanges import GitError, changes_since
        try:
            changes = changes_since(root, changed_since)
        except GitError as exc:
            raise UsageError(f"--changed-since {changed_since}: {exc}") from None
        paths = changes.changed
    stats: dict[str, tuple] = {}
    pr_index = None
    if changes is not None and use_cache and datasets.exists():
        from .cache import ResultCache, fingerprint
        from .gitchanges import tree_of
        tree = tree_of(root, changed_since)
        if tree:
            pr_index = ResultCache(root, fingerprint(root)).index_get(tree)
    if changes is None and not paths:
        scanned, refused = scan(datasets, root) if datasets.exists() else ([], [])
        targets = [p for p, _, _ in scanned]
        everything = [(p, shown, True) for p, shown, _ in scanned]
        stats = {shown: stat for _, shown, stat in scanned}
    else:
        targets, refused = discover(paths, root)
        everything = [(str(p), display_path(p, root), True) for p in targets]
        target_names = {shown for _, shown, _ in everything}
        if datasets.exists() and pr_index is None:
            scanned, _ = scan(datasets, root)
            everything += [(p, shown, False) for p, shown, _ in scanned if shown not in target_names]
            stats = {shown: stat for _, shown, stat in scanned}
    for path, shown, _ in everything:
        if shown not in stats:
            try:
                st = os.stat(path)
                stats[shown] = (st.st_size, st.st_mtime_ns)
            except OSError:
                stats[shown] = (-1, -1)

    cache = None
    signature = None
    memo = None
    today_text = today().isoformat()
    if use_cache:
        from .cache import ResultCache, fingerprint
        cache = ResultCache(root, fingerprint(root))
        if changes is None:
            sig = hashlib.sha256()  # which files, not what they hold: the memo keeps that
            sig.update(repr(sorted(str(p) for p in (paths or []))).encode())
            for path, shown, is_target in everything:
                sig.update(f"{shown}\0{is_target}\n".encode())
            sig.update(repr([(str(p), c) for p, c, _ in refused]).encode())
            signature = sig.hexdigest()
            memo = _memo_report(cache, signature, everything, stats, today_text)
            if memo is not None and not (keep_records or keep_lines):
                return Report.from_dict(memo)

    # Per-file stage: from the cache where the file is unchanged, computed otherwise.
    state = {"schema_set": schema_set}

    def results_in_order(items: list[tuple]):
        """(path, shown, is_target, result) for each item, in order, as soon as its result is
        known: from the cache where the file is unchanged, checked otherwise (and cached). The
        run consumes each result while the workers check the next ones."""
        cached: dict[str, dict] = {}
        todo: list[tuple[str, str]] = []
        shas: dict[str, str] = {}
        for path, shown, _ in items:
            if cache is not None and stats[shown][0] >= 0:
                result, sha = cache.lookup(shown, *stats[shown], partial(_sha_of, path))
                shas[shown] = sha
                if result is not None and holds_today(result, today_text):
                    cached[shown] = result
                    continue
            todo.append((path, shown))
        if todo and state["schema_set"] is None:
            state["schema_set"] = load_schema_set(root / "schema")
        advance, stop = progress_bar(len(todo), progress, "checking records")
        computed = _compute(todo, root, config, state["schema_set"], workers, advance)
        try:
            for path, shown, is_target in items:
                result = cached.pop(shown, None)
                if result is None:
                    result = next(computed)
                    sha = shas.get(shown) or result.get("sha")
                    if cache is not None and stats[shown][0] >= 0 and sha:
                        cache.store(shown, *stats[shown], sha, result)
                yield path, shown, is_target, result
        finally:
            stop()
            computed.close()  # its workers leave now, not whenever the collector finds them

    last_of_shard = {cache.shard_of(shown): n for n, (_, shown, _) in enumerate(everything)} if cache else {}

    def save_cache(shards=None):
        try:
            cache.save(shards)
        except OSError:
            pass  # a read-only checkout still validates; it just does not cache

    def done_with(shard, n):
        """After the file `n`: once it is the shard's last, write the shard if it changed (new
        modification times learnt, results added) and let go of its results."""
        if last_of_shard[shard] == n:
            save_cache([shard])
            cache.release(shard)  # its records' lines, unless the entries keep them

    if memo is not None:
        # Nothing changed since the memo: its report stands, and the records come from the
        # cache. No dataset check runs, so the entries need no positions.
        report = Report.from_dict(memo)
        for n, (path, shown, is_target, result) in enumerate(results_in_order(everything)):
            if is_target:
                report.entries.append(_full_entry(shown, path, result) if keep_records
                                      else _entry(shown, path, result, keep_lines, positions=False))
            done_with(cache.shard_of(shown), n)
        return report

    report = Report()
    sev = config.severities

    def add(entry_file, code, path, message, hint, position=None):
        line, column = position(path) if position else (None, None)
        report.issues.append(make_issue(code, entry_file, message, path=json_path(path),
                                        line=line, column=column, hint=hint or codes.get(code).fix,
                                        severities=sev))

    for path, code, message in refused:
        add(display_path(path, root), code, (), message, codes.get(code).fix)
    report.files = len(targets) + len(refused)
    if changes is not None:
        for path, old_id in sorted(changes.deleted.items()):
            add(path, "record-deleted", (), "the record file was deleted" + (f" (id `{old_id}`)" if old_id else ""),
                None)

    checks = dataset_checks(config.thresholds)
    if changes is not None:
        for check in checks:
            if hasattr(check, "watch"):
                check.watch({i: p for p, i in changes.deleted.items() if i}, changes.old_ids)
    target_files = {shown for _, shown, is_target in everything if is_target}

    def feed(entry):
        for check in checks:
            for found in check.feed(entry) or ():
                _add_dataset_issue(add, found, target_files)

    full_run = changes is None and not paths
    # In PR mode the checks first need the index's view of the unchanged records (below);
    # otherwise every record is fed to them, and to the index, as soon as it is read, and each
    # cache shard is written once its last file is in: all while the workers check the rest.
    feed_now = pr_index is None
    index = DatasetIndex() if cache is not None and full_run else None
    present = {shown for _, shown, _ in everything}
    entries: list[Entry] = []  # PR mode's, held until the index has said which others it needs
    memo_shas = []  # each file's content hash, in order: for the memo, to tell a touched file from a changed one
    latest = ""  # the latest date the report's verdicts compared with today
    for n, (path, shown, is_target, result) in enumerate(results_in_order(everything)):
        if signature is not None:
            memo_shas.append(bytes.fromhex(result["sha"]) if len(result["sha"]) == 64 else bytes(32))
            if result["latest"] > latest:
                latest = result["latest"]
        entry = _entry(shown, path, result, keep_lines)
        if not feed_now:
            entries.append(entry)
        if is_target:
            if keep_records or keep_lines:  # otherwise the entries go once the checks are done with them
                report.entries.append(_full_entry(shown, path, result) if keep_records else entry)
            for code, ipath, message, line, column, hint in result["issues"]:
                report.issues.append(make_issue(code, shown, message, path=json_path(ipath), line=line,
                                                column=column, hint=hint or codes.get(code).fix, severities=sev))
            for code, count in (result.get("left_out") or {}).items():
                report.leave_out(shown, code, count)
            if result["loaded_ok"]:
                report.records += 1
        if feed_now:
            feed(entry)
        if index is not None:
            index.feed(entry)
        if cache is not None:
            shard = cache.shard_of(shown)
            if full_run and last_of_shard[shard] == n:
                cache.forget_missing(present, shard)
            done_with(shard, n)

    if pr_index is not None:
        # PR mode with an index of the unchanged dataset: the dataset checks see the changed
        # records, the unchanged ones that can interact with them, and every id.
        from .checks.dataset import index_names, involved
        excluded = target_files | set(changes.deleted)
        watched = {i for i in changes.deleted.values() if i} | changes.old_ids
        extra = sorted(involved(pr_index, entries, watched, config.thresholds["duplicate_day_window"], excluded))
        extra = [(str(root / f), f, False) for f in extra if os.path.exists(root / f)]
        for path, shown, _ in extra:
            st = os.stat(path)
            stats[shown] = (st.st_size, st.st_mtime_ns)
        for path, shown, _, result in results_in_order(extra):
            entries.append(_entry(shown, path, result))
        for check in checks:
            if hasattr(check, "preload"):
                check.preload(pr_index["ids"], index_names(pr_index), excluded)
        for entry in entries:
            feed(entry)
    for check in checks:
        for found in check.finish() or ():
            _add_dataset_issue(add, found, target_files)

    if cache is not None:
        save_cache()  # shards changed after their turn (PR mode's context files)
        try:
            if signature is not None:
                cache.memo_put(signature, {"report": report.to_dict(), "latest": latest,
                                           "stats": _packed_stats(everything, stats).tobytes(),
                                           "shas": b"".join(memo_shas)})
            if full_run:
                from .gitchanges import clean_tree
                tree = clean_tree(root)
                if tree:
                    cache.index_put(tree, index.finish())
        except OSError:
            pass
    return report


def _entry(shown: str, path, result: dict, with_line: bool = False, positions: bool = True) -> Entry:
    """The entry of a file result: the projection the dataset checks read, where its values
    are in the file (unless `positions` is false: no dataset check will run), and
    (`with_line`) the whole record as its line of records.jsonl."""
    return Entry(shown, path, result["data"], result["record_type"], result["schema_ok"],
                 _position_lookup(result["positions"]) if positions else None,
                 line=result.get("line") if with_line else None)


def _full_entry(shown: str, path, result: dict) -> Entry:
    """The entry with the whole record decoded (`keep_records`)."""
    return Entry(shown, path, full_record(result), result["record_type"], result["schema_ok"],
                 _position_lookup(result["positions"]))


def _add_dataset_issue(add, found, target_files):
    entry, code, path, message, hint, *always = found
    if entry.file in target_files or any(always):
        add(entry.file, code, path, message, hint, entry.position)
