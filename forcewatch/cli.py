"""The `forcewatch` command: a thin layer that wires the library's functions together.

Exit codes: 0 valid, 1 records invalid, 2 usage error or broken schema/configuration.
Heavy libraries (pyarrow, frictionless, great_expectations) are never imported here.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from . import __version__

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse exits 2 on usage errors, as we want; keep its text
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"forcewatch: error: {message}\n")


def _colour(stream) -> bool:
    return stream.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


class CommandError(Exception):
    """A command line that asks for something impossible (exit code 2)."""


def _usage_errors() -> tuple:
    """Errors that mean a wrong command line or a broken schema/configuration: exit code 2.
    Imported only when an error happened, so that quick commands stay quick."""
    from .gitchanges import GitError
    from .migrate import MigrationError
    from .schema_evolution import SchemaSourceError
    from .schemas import ConfigError
    from .validate import UsageError
    return (CommandError, ConfigError, UsageError, MigrationError, SchemaSourceError, GitError)


def _root(args) -> Path:
    from .validate import find_root
    return Path(args.root).resolve() if args.root else find_root()


def _print_json(data) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False))


def _interactive(args) -> bool:
    """Progress bars only for a person at a terminal: not in CI, pipes or `--format json`."""
    return args.format == "text" and sys.stderr.isatty() and not os.environ.get("CI")


def cmd_validate(args) -> int:
    from .render import render_github, render_text
    from .validate import validate
    if args.changed_since is not None and args.paths:
        raise CommandError("give either PATH arguments or --changed-since, not both")
    paths = [Path(p) for p in args.paths] or None
    report = validate(paths, _root(args), changed_since=args.changed_since, use_cache=not args.no_cache,
                      workers=args.jobs, progress=_interactive(args))
    if args.format == "json":
        _print_json(report.to_dict())
    elif args.format == "github":
        print(render_github(report))
    else:
        print(render_text(report, colour=_colour(sys.stdout)))
    return EXIT_OK if report.valid else EXIT_INVALID


def cmd_build(args) -> int:
    from .release.build import build
    previous = Path(args.previous) if args.previous else None
    if previous and not (previous / "records.jsonl").is_file():
        raise CommandError(f"{previous}: not a forcewatch release (no records.jsonl)")
    result = build(_root(args), out=Path(args.out) if args.out else None, version=args.version, previous=previous,
                   full_checks=args.full_checks, workers=args.jobs, progress=_interactive(args))
    if args.format == "json":
        _print_json(result.to_dict())
    elif result.status == "invalid":
        from .render import render_text
        print(render_text(result.report, colour=_colour(sys.stdout)))
        print("build refused: the records are invalid")
    elif result.status == "checks-failed":
        print("\n".join(result.problems))
        print("build failed: the release did not pass its checks; nothing was written")
    else:
        rows = sum(result.counts.values())
        print(f"built {result.path} ({len(result.counts)} tables, {rows} rows)"
              + (f"; compared with {result.previous.name}" if result.previous else "; first release"))
    return EXIT_OK if result.status == "built" else EXIT_INVALID


def cmd_diff(args) -> int:
    from .release.diff import diff_releases, render_diff
    for folder in (args.old, args.new):
        if not (Path(folder) / "records.jsonl").is_file():
            raise CommandError(f"{folder}: not a forcewatch release (no records.jsonl)")
    diff = diff_releases(Path(args.old), Path(args.new))
    if args.format == "json":
        _print_json(diff)
    else:
        print(render_diff(diff))
    return EXIT_OK


def cmd_new(args) -> int:
    from .schemas import load_schema_set
    from .template import new_record
    from .validate import display_path
    root = _root(args)
    schema_set = load_schema_set(root / "schema")
    try:
        path, blanks = new_record(root, schema_set, args.kind, date=args.date, slug=args.slug,
                                  force=args.force, country=args.country)
    except ValueError as exc:
        raise CommandError(f"--date: {exc}; write the date as YYYY-MM-DD") from None
    shown = display_path(path, root)
    print(f"wrote {shown}")
    print(f"fill in its {len(blanks)} blank fields (each has a comment saying what goes there):")
    for blank in blanks:
        print(f"  - {blank}")
    print(f"then check it with: forcewatch validate {shown}")
    return EXIT_OK


def cmd_draft(args) -> int:
    from .draft import draft_report, read_report, write_draft
    from .validate import display_path
    root = _root(args)
    text, problem = read_report(args.file)
    if problem:
        raise CommandError(problem.message)
    try:
        draft = draft_report(text, root, url=args.url, publisher=args.publisher, title=args.title,
                             published=args.published)
    except ValueError:
        raise CommandError(f"--published {args.published}: not a date; write it as YYYY-MM-DD") from None
    if args.format == "json":
        _print_json(draft.to_dict())
    elif not args.write:
        print(draft.text(), end="")
    if not draft.found_event:
        print("forcewatch draft: " + "; ".join(draft.missing), file=sys.stderr)
    if args.write:
        for written in write_draft(draft, root):
            shown = display_path(written.path, root)
            print(f"wrote {shown}; left blank ({len(written.blanks)}): " + (", ".join(written.blanks) or "nothing"),
                  file=sys.stderr if args.format == "json" else sys.stdout)
    return EXIT_OK if draft.found_event else EXIT_INVALID


def _render_changes(changes) -> list[str]:
    return [f"  {c.level:5} {c.path}: {c.reason}" for c in changes]


def cmd_schema_diff(args) -> int:
    from .schema_evolution import diff_schema_sets, read_schema_set, required_level
    root = _root(args)
    old, new = read_schema_set(args.old, root), read_schema_set(args.new, root)
    changes = diff_schema_sets(old, new)
    level = required_level(changes)
    if args.format == "json":
        _print_json({"old": {"source": old.label, "version": old.version},
                     "new": {"source": new.label, "version": new.version},
                     "required_bump": level, "changes": [c.to_dict() for c in changes]})
    else:
        print(f"schema {old.version} ({old.label}) -> {new.version} ({new.label}): "
              + (f"{level} change" if level else "no change"))
        print("\n".join(_render_changes(changes)))
    return EXIT_OK


def cmd_schema_check(args) -> int:
    from .schema_evolution import check_schema_change
    result = check_schema_change(_root(args), args.base)
    if args.format == "json":
        _print_json(result.to_dict())
    else:
        if not result.changes and not result.bump:
            print(f"schema unchanged since {args.base} ({result.new_version})")
        else:
            print(f"schema {result.old_version} -> {result.new_version}: the change needs a "
                  f"{result.needed or 'no'} bump; the version bump is {result.bump or 'none'}")
            print("\n".join(_render_changes(result.changes)))
        for problem in result.problems:
            print(f"error: {problem}")
        print("schema check: " + ("ok" if result.ok else "failed"))
    return EXIT_OK if result.ok else EXIT_INVALID


def cmd_migrate(args) -> int:
    from .migrate import migrate_files
    from .validate import RECORD_SUFFIXES, discover
    root = _root(args)
    files, _ = discover([Path(p) for p in args.paths] or [root / "datasets"], root)
    result = migrate_files([f for f in files if f.name.endswith(RECORD_SUFFIXES)], root, args.to,
                           dry_run=args.dry_run)
    if args.format == "json":
        _print_json(result.to_dict())
    else:
        verb = "would migrate" if args.dry_run else "migrated"
        for f in result.changed:
            print(f"{verb} {f}")
        for f, why in result.skipped:
            print(f"skipped {f}: {why}")
        print(f"{verb} {len(result.changed)} file(s) to {args.to}; {len(result.unchanged)} already there; "
              f"{len(result.skipped)} skipped")
    return EXIT_INVALID if result.skipped else EXIT_OK


def cmd_stats(args) -> int:
    import datetime as dt
    from .stats import coverage, render
    for option, value in (("--since", args.since), ("--until", args.until)):
        try:
            if value is not None:
                dt.date.fromisoformat(value)
        except ValueError:
            raise CommandError(f"{option} {value}: not a date; write it as YYYY-MM-DD, e.g. 2023-10-17") from None
    records, bad = _valid_records(args)
    stats = coverage(records, args.since, args.until)
    if args.format == "json":
        _print_json(stats)
    else:
        print(render(stats))
        if bad:
            print(f"({len(bad)} invalid file(s) left out: run `forcewatch validate`)")
    return EXIT_OK


def _valid_records(args) -> tuple[list[dict], set]:
    from .validate import validate
    report = validate(None, _root(args), keep_records=True)
    bad = {i.file for i in report.errors}
    return [e.data for e in report.entries if e.data is not None and e.file not in bad], bad


def cmd_coverage(args) -> int:
    from .coverage import compare, render_text
    records, bad = _valid_records(args)
    result = compare(records)
    if args.format == "json":
        _print_json(result)
    else:
        print(render_text(result), end="")
        if bad:
            print(f"({len(bad)} invalid file(s) left out: run `forcewatch validate`)")
    return EXIT_OK


def cmd_serve(args) -> int:
    from .serve import ServeError, find_release, serve
    try:
        given = args.release and Path(args.release).is_dir()
        folder = find_release(Path(args.release) if given else _root(args), args.release)
        return serve(folder, args.port, args.host)
    except ServeError as exc:
        raise CommandError(str(exc)) from None


def explain_text(code_name: str) -> str | None:
    from . import codes
    code = codes.CATALOGUE.get(code_name)
    if code is None:
        return None
    return (f"{code.code} ({code.severity}, {code.stage} stage): {code.title}\n\n"
            f"{code.explanation}\n\nHow to fix: {code.fix}")


def cmd_explain(args) -> int:
    from . import codes
    from .schemas import suggest
    if args.code is None:
        for code in codes.CATALOGUE.values():
            print(f"{code.code:28} {code.severity:8} {code.title}")
        return EXIT_OK
    text = explain_text(args.code)
    if text is None:
        guess = suggest(args.code, codes.CATALOGUE)
        print(f"forcewatch: unknown issue code `{args.code}`"
              + (f"; did you mean `{guess}`?" if guess else "; `forcewatch explain` lists them all"),
              file=sys.stderr)
        return EXIT_USAGE
    print(text)
    return EXIT_OK


def _add_format(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format")


def _add_root(p: argparse.ArgumentParser) -> None:
    p.add_argument("--root", metavar="DIR", help="repository root (default: found from the current folder)")


def _positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of processes; give a whole number, 1 or more")
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="forcewatch",
                     description="Check and publish the forcewatch dataset of attacks on and by "
                                 "foreign forces in Iraq, Syria and the region.")
    parser.add_argument("--version", action="version", version=f"forcewatch {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    v = sub.add_parser("validate", help="check record files against the schema and the dataset rules",
                       description="Check record files (all of datasets/ by default). Exit code 0 = "
                                   "valid, 1 = invalid records, 2 = usage or configuration error.")
    v.add_argument("paths", nargs="*", metavar="PATH", help="record files or folders (default: datasets/)")
    v.add_argument("--format", choices=("text", "json", "github"), default="text",
                   help="output format: human-readable text (default), the stable JSON report, or "
                        "GitHub Actions annotations (::error file=...,line=...::)")
    v.add_argument("--changed-since", metavar="REF",
                   help="check only the record files added or modified since git revision REF (and "
                        "report deleted ones), with the dataset checks run against the whole dataset")
    v.add_argument("--no-cache", action="store_true",
                   help="check every file afresh, without reading or writing .forcewatch-cache/")
    v.add_argument("--jobs", type=_positive_int, metavar="N", help="processes for large runs (default: one per core)")
    _add_root(v)
    v.set_defaults(func=cmd_validate)

    n = sub.add_parser("new", help="write a new record template with the next free id",
                       description="Write a record file with the next free id in the right folder, every "
                                   "required field present and blank, with a comment saying what goes "
                                   "there. It fails validation only on its blanks until they are filled in.")
    n.add_argument("kind", choices=("incident", "actor", "force-posture", "site", "tally"), help="the record type")
    n.add_argument("--date", help="incident start date or posture as-of date for the id, YYYY-MM-DD (default: today)")
    n.add_argument("--slug", help="a few words for the id, e.g. 'ain al-asad rockets' (actors: the name)")
    n.add_argument("--force", help="force-posture: the force's actor id, e.g. us-armed-forces")
    n.add_argument("--country", help="force-posture: ISO country code, e.g. IQ")
    _add_root(n)
    n.set_defaults(func=cmd_new)

    dr = sub.add_parser("draft", help="draft an incident record from the text of a news report",
                        description="Read the text of one news report (a file, or - for standard input) and print a "
                                    "draft incident record: every value it fills quotes the words it came from in a "
                                    "comment, and what the report does not say stays blank for you to fill. Force-"
                                    "posture figures the report states follow as draft posture records. Exit code 0 = "
                                    "drafted, 1 = no attack or strike found in the text, 2 = unreadable input.")
    dr.add_argument("file", nargs="?", default="-", metavar="FILE", help="the report's text, UTF-8 (default: - , standard input)")
    dr.add_argument("--url", help="the report's address")
    dr.add_argument("--publisher", help="who published the page, e.g. 'The National'")
    dr.add_argument("--title", help="the page's title as shown on it")
    dr.add_argument("--published", metavar="YYYY-MM-DD", help="the page's date; relative dates ('late Monday') are read from it")
    dr.add_argument("--write", action="store_true",
                    help="save the draft under datasets/ with the next free id (never overwriting) and list its blanks")
    _add_format(dr)
    _add_root(dr)
    dr.set_defaults(func=cmd_draft)

    b = sub.add_parser("build", help="validate, then build the release into dist/<version>/",
                       description="Validate the records and, if they are valid, build the release: "
                                   "CSV and Parquet tables, datapackage.json, records.jsonl, "
                                   "SHA256SUMS, release notes and check reports, in dist/<version>/. "
                                   "Exit code 0 = built, 1 = invalid records or failed checks, 2 = "
                                   "usage or configuration error.")
    b.add_argument("--version", default="dev", help="release version, the folder name (default: dev)")
    b.add_argument("--out", metavar="DIR", help="where releases go (default: dist/)")
    b.add_argument("--previous", metavar="DIR", help="release to compare with (default: the newest in --out)")
    b.add_argument("--full-checks", action="store_true",
                   help="have frictionless read every row of a large release too (by default it reads the "
                        "first 10,000 rows of each table above 50,000 rows in all; every row is always "
                        "checked against the table schema); the release workflow uses it")
    b.add_argument("--jobs", type=_positive_int, metavar="N",
                   help="processes for a large release (default: one per core); --jobs 1 builds in one "
                        "process, slower but in less memory")
    _add_format(b)
    _add_root(b)
    b.set_defaults(func=cmd_build)

    d = sub.add_parser("diff", help="compare two releases record by record",
                       description="List the record ids added, changed, retracted, merged and removed "
                                   "between two release folders.")
    d.add_argument("old", metavar="OLD", help="the older release folder")
    d.add_argument("new", metavar="NEW", help="the newer release folder")
    _add_format(d)
    d.set_defaults(func=cmd_diff)

    s = sub.add_parser("schema", help="compare schema versions and check a schema change's version bump",
                       description="Schema evolution: classify changes as MAJOR, MINOR or PATCH, and check "
                                   "that a change comes with the version bump and changelog entry it needs.")
    schema_sub = s.add_subparsers(dest="schema_command", metavar="SCHEMA_COMMAND", parser_class=_Parser)
    sd = schema_sub.add_parser("diff", help="classify every change between two schema versions",
                               description="Compare two schema sets (a folder, or a git revision whose schema/ "
                                           "is read) and classify every change as MAJOR, MINOR or PATCH with a reason.")
    sd.add_argument("old", metavar="OLD", help="a schema folder or a git revision")
    sd.add_argument("new", metavar="NEW", help="a schema folder or a git revision (e.g. schema)")
    _add_format(sd)
    _add_root(sd)
    sd.set_defaults(func=cmd_schema_diff)
    sc = schema_sub.add_parser("check", help="fail when a schema change lacks its version bump or changelog entry",
                               description="Compare schema/ with the schema at git revision BASE. Exit code 1 when "
                                           "the version bump is smaller than the largest change class, when the "
                                           "released version's files were edited in place, when CHANGELOG.md has "
                                           "no entry for the change, or when a MAJOR change has no migration.")
    sc.add_argument("--base", required=True, metavar="REF", help="the git revision to compare with (e.g. origin/main)")
    _add_format(sc)
    _add_root(sc)
    sc.set_defaults(func=cmd_schema_check)
    s.set_defaults(func=lambda args: (s.print_help(), EXIT_USAGE)[1])

    m = sub.add_parser("migrate", help="upgrade records to a newer schema version",
                       description="Upgrade record files (all of datasets/ by default) to schema VERSION, "
                                   "applying the migration steps in schema/migrations/ for each MAJOR version, "
                                   "keeping comments and key order. Running it again changes nothing.")
    m.add_argument("paths", nargs="*", metavar="PATH", help="record files or folders (default: datasets/)")
    m.add_argument("--to", required=True, metavar="VERSION", help="the schema version to migrate to, e.g. 2.0.0")
    m.add_argument("--dry-run", action="store_true", help="list what would change without writing")
    _add_format(m)
    _add_root(m)
    m.set_defaults(func=cmd_migrate)

    st = sub.add_parser("stats", help="summarise the dataset's coverage",
                        description="Count active incidents by month, country, type, weapon and actor named "
                                    "responsible; the share with two or more sources; and the fields most "
                                    "often unknown. Invalid records are left out.")
    st.add_argument("--since", metavar="YYYY-MM-DD", help="only incidents starting on or after this date")
    st.add_argument("--until", metavar="YYYY-MM-DD", help="only incidents starting on or before this date")
    _add_format(st)
    _add_root(st)
    st.set_defaults(func=cmd_stats)

    cv = sub.add_parser("coverage", help="compare the dataset with the official and monitor counts",
                        description="For each tally (a count an official, monitor or claimant gave), the "
                                    "dataset's own count of incidents in the same scope and period, and the "
                                    "ratio. The rule is in the methodology (How complete the dataset is). "
                                    "Invalid records are left out.")
    _add_format(cv)
    _add_root(cv)
    cv.set_defaults(func=cmd_coverage)

    sv = sub.add_parser("serve", help="browse a release in Datasette, on this machine",
                        description="Start Datasette on the release's forcewatch.sqlite (with its metadata.json) "
                                    "on localhost and print the address; Ctrl+C stops it. Needs the `serve` extra: "
                                    "pip install 'forcewatch[serve]'.")
    sv.add_argument("release", nargs="?", help="the release folder, or a version in dist/ (default: dist/dev)")
    sv.add_argument("--port", type=int, help="the port (default: a free one)")
    sv.add_argument("--host", default="127.0.0.1", help="the address to listen on (default: 127.0.0.1)")
    _add_root(sv)
    sv.set_defaults(func=cmd_serve)

    e = sub.add_parser("explain", help="explain an issue code and how to fix it",
                       description="Print what an issue code means and how to fix it; without a "
                                   "code, list every code.")
    e.add_argument("code", nargs="?", metavar="CODE", help="an issue code such as unknown-term")
    e.set_defaults(func=cmd_explain)
    return parser


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:
        if isinstance(exc, _usage_errors()):
            print(f"forcewatch: {exc}", file=sys.stderr)
            return EXIT_USAGE
        # Anything else is a bug in forcewatch, never the contributor's fault.
        if os.environ.get("FORCEWATCH_DEBUG"):
            raise
        print(f"forcewatch: internal error: {type(exc).__name__}: {exc}\n"
              "This is a bug in forcewatch, not in your records: please report it with the "
              "command you ran (set FORCEWATCH_DEBUG=1 to see the traceback).", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
