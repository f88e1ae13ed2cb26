"""`forcewatch migrate`: upgrade records to a newer schema version.

Each MAJOR step is a plain Python module in `schema/migrations/` (`v1_to_v2.py`, ...) with a
`migrate(record, record_type)` function that changes a record in place. Files are read with
forcewatch's safe loader first (a file it refuses is reported and left alone), then
rewritten with ruamel.yaml's round-trip mode, which keeps comments and key order.
"""

from __future__ import annotations

import importlib.util
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from .yamlsafe import load_bytes

_STEP = re.compile(r"v(\d+)_to_v(\d+)\.py\Z")


class MigrationError(Exception):
    """A migration step is missing or broken (exit code 2)."""


@dataclass
class Step:
    from_major: int
    to_major: int
    path: Path
    migrate: object
    description: str


def find_migrations(schema_dir: Path) -> list[Step]:
    steps = []
    folder = schema_dir / "migrations"
    for path in sorted(folder.glob("v*_to_v*.py")) if folder.is_dir() else []:
        m = _STEP.match(path.name)
        if not m:
            continue
        a, b = int(m.group(1)), int(m.group(2))
        if b != a + 1:
            raise MigrationError(f"{path}: a step goes from one major version to the next (v{a}_to_v{a + 1}.py)")
        spec = importlib.util.spec_from_file_location(f"forcewatch_migration_v{a}_to_v{b}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        if not callable(getattr(module, "migrate", None)):
            raise MigrationError(f"{path}: defines no migrate(record, record_type) function")
        steps.append(Step(a, b, path, module.migrate, (module.__doc__ or "").strip()))
    return sorted(steps, key=lambda s: s.from_major)


def rename_key(record, old: str, new: str) -> None:
    """Rename a key in place, keeping its position (and comments) in a round-trip mapping."""
    if old not in record:
        return
    keys = list(record.keys())
    position = keys.index(old)
    value = record.pop(old)
    if hasattr(record, "insert"):
        record.insert(position, new, value)
    else:
        record[new] = value


@dataclass
class MigrateResult:
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, why)

    def to_dict(self):
        return {"changed": self.changed, "unchanged": self.unchanged,
                "skipped": [{"file": f, "reason": r} for f, r in self.skipped]}


def _parse_version(text) -> tuple[int, int, int] | None:
    m = re.fullmatch(r"(\d+)\.(\d+)\.(\d+)", str(text))
    return tuple(int(g) for g in m.groups()) if m else None


def migrate_files(files: list[Path], root: Path, to_version: str, *, dry_run: bool = False) -> MigrateResult:
    from ruamel.yaml import YAML

    target = _parse_version(to_version)
    if target is None:
        raise MigrationError(f"--to {to_version}: not a MAJOR.MINOR.PATCH version")
    steps = {s.from_major: s for s in find_migrations(root / "schema")}
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    result = MigrateResult()
    for path in files:
        shown = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
        raw = path.read_bytes()
        checked = load_bytes(raw)
        if checked.problems or not isinstance(checked.data, dict):
            result.skipped.append((shown, "cannot be loaded safely; fix it with `forcewatch validate` first"))
            continue
        current = _parse_version(checked.data.get("schema_version"))
        if current is None:
            result.skipped.append((shown, "has no valid schema_version"))
            continue
        if current >= target:
            result.unchanged.append(shown)
            continue
        record = yaml.load(raw)
        record_type = checked.data.get("record_type")
        for major in range(current[0], target[0]):
            if major not in steps:
                raise MigrationError(f"no migration from {major}.x to {major + 1}.x in schema/migrations/")
            steps[major].migrate(record, record_type)
        from ruamel.yaml.scalarstring import DoubleQuotedScalarString
        record["schema_version"] = DoubleQuotedScalarString(to_version)
        buffer = io.StringIO()
        yaml.dump(record, buffer)
        result.changed.append(shown)
        if not dry_run:
            path.write_text(buffer.getvalue(), encoding="utf-8")
    return result
