"""Schema evolution: classify a change of the schema set as MAJOR, MINOR or PATCH, in the
spirit of `buf breaking` and Confluent's compatibility modes, adapted to closed JSON Schema
objects: a change is MAJOR when a record valid before may be invalid after, MINOR when every
record valid before stays valid but new records may use more, PATCH when only documentation
(titles, descriptions, examples, term definitions) changed.
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from .harm import PARTS_KEYWORD
from .schemas import RECORD_TYPES, SCHEMA_FILES

MAJOR, MINOR, PATCH = "MAJOR", "MINOR", "PATCH"
RANK = {PATCH: 1, MINOR: 2, MAJOR: 3}
DOC_KEYS = {"title", "description", "examples", "x-terms", "x-bad-examples", "$comment", "$schema"}
LOWER_BOUNDS = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")
UPPER_BOUNDS = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties")


class SchemaSourceError(Exception):
    """A schema set could not be read (bad folder, unknown git revision, broken JSON)."""


@dataclass(frozen=True)
class Change:
    level: str
    path: str
    reason: str

    def to_dict(self):
        return {"level": self.level, "path": self.path, "reason": self.reason}


@dataclass
class SchemaSetFiles:
    label: str
    version: str
    schemas: dict  # file name -> parsed JSON
    raw: dict = field(default_factory=dict)  # file name -> bytes (to detect any edit)


def read_schema_set(source: str, root: Path) -> SchemaSetFiles:
    """A schema set from a folder, or from `REF` (the repository's `schema/` at a git revision)."""
    folder = Path(source)
    if folder.is_dir():
        def read(name):
            path = folder / name
            return path.read_bytes() if path.exists() else None
        label = str(folder)
    else:
        def read(name):
            proc = subprocess.run(["git", "-C", str(root), "show", f"{source}:schema/{name}"], capture_output=True)
            return proc.stdout if proc.returncode == 0 else None
        check = subprocess.run(["git", "-C", str(root), "rev-parse", "--verify", "--quiet", f"{source}^{{commit}}"],
                               capture_output=True)
        if check.returncode != 0:
            raise SchemaSourceError(f"`{source}` is neither a folder nor a git revision of {root}")
        label = source
    schemas, raw = {}, {}
    for name in SCHEMA_FILES:
        data = read(name)
        if data is None and name != "common.schema.json":
            continue  # a record type this version does not have (compared as added or removed)
        if data is None:
            raise SchemaSourceError(f"{label}: schema/{name} is missing")
        try:
            schemas[name] = json.loads(data)
        except json.JSONDecodeError as exc:
            raise SchemaSourceError(f"{label}: {name} is not valid JSON ({exc.msg}, line {exc.lineno})") from None
        raw[name] = data
    version = read("VERSION")
    if version is None:
        raise SchemaSourceError(f"{label}: schema/VERSION is missing")
    return SchemaSetFiles(label, version.decode().strip(), schemas, raw)


class _Resolver:
    def __init__(self, files: SchemaSetFiles):
        self.by_id = {s.get("$id"): s for s in files.schemas.values()}

    def resolve(self, ref: str, base: str):
        target, _, pointer = ref.partition("#")
        doc_id = target or base
        node = self.by_id.get(doc_id)
        for part in [p for p in pointer.split("/") if p]:
            node = node.get(part.replace("~1", "/").replace("~0", "~")) if isinstance(node, dict) else None
        return node, doc_id


def _types(schema) -> set | None:
    t = schema.get("type")
    if t is None:
        return None
    return set(t) if isinstance(t, list) else {t}


def _widens_type(old: set, new: set) -> bool:
    return old <= new or (old == {"integer"} and new == {"number"})


class _Comparer:
    def __init__(self, old: SchemaSetFiles, new: SchemaSetFiles):
        self.old, self.new = _Resolver(old), _Resolver(new)
        self.changes: list[Change] = []
        self.seen: set = set()

    def add(self, level, path, reason):
        self.changes.append(Change(level, path, reason))

    def compare(self, a, b, path, base_a, base_b, depth=0):
        if depth > 40 or not isinstance(a, dict) or not isinstance(b, dict):
            return
        key = (path, json.dumps(a, sort_keys=True), json.dumps(b, sort_keys=True))
        if key in self.seen:
            return
        self.seen.add(key)
        ref_a, ref_b = a.get("$ref"), b.get("$ref")
        if ref_a != ref_b:
            if ref_a and ref_b:
                self.add(MAJOR, path, f"$ref target changed from {ref_a} to {ref_b}")
                return
            self.add(MAJOR, path, f"$ref {'removed' if ref_a else 'added'} ({ref_a or ref_b})")
            return
        if ref_a:
            ra, base_ra = self.old.resolve(ref_a, base_a)
            rb, base_rb = self.new.resolve(ref_b, base_b)
            if ra is None or rb is None:
                self.add(MAJOR, path, f"$ref {ref_a} does not resolve in the {'old' if ra is None else 'new'} schema")
                return
            self.compare(ra, rb, path, base_ra, base_rb, depth + 1)
        for doc in sorted(DOC_KEYS - {"$schema"}):
            if a.get(doc) != b.get(doc):
                self.add(PATCH, path, f"{doc} changed")
        self._compare_types(a, b, path)
        self._compare_enum(a, b, path)
        self._compare_bounds(a, b, path)
        for keyword in ("pattern", "format"):
            if a.get(keyword) != b.get(keyword):
                if keyword not in b:
                    self.add(MINOR, path, f"{keyword} removed ({a[keyword]!r})")
                elif keyword not in a:
                    self.add(MAJOR, path, f"{keyword} added ({b[keyword]!r})")
                else:
                    self.add(MAJOR, path, f"{keyword} changed from {a[keyword]!r} to {b[keyword]!r}")
        if a.get("uniqueItems") != b.get("uniqueItems"):
            self.add(MAJOR if b.get("uniqueItems") else MINOR, path,
                     "uniqueItems " + ("added" if b.get("uniqueItems") else "removed"))
        self._compare_parts(a, b, path)
        self._compare_object(a, b, path, base_a, base_b, depth)
        if isinstance(a.get("items"), dict) and isinstance(b.get("items"), dict):
            self.compare(a["items"], b["items"], path + "[]", base_a, base_b, depth + 1)
        for combinator in ("allOf", "anyOf", "oneOf"):
            la, lb = a.get(combinator, []), b.get(combinator, [])
            if len(la) != len(lb):
                widen = combinator != "allOf" and len(lb) > len(la)
                self.add(MINOR if widen else MAJOR, path, f"{combinator} has {len(lb)} branches instead of {len(la)}")
            for i, (x, y) in enumerate(zip(la, lb)):
                self.compare(x, y, f"{path}/{combinator}[{i}]", base_a, base_b, depth + 1)
        handled = {"$ref", "type", "enum", "const", "pattern", "format", "uniqueItems", "properties", "required",
                   "additionalProperties", "unevaluatedProperties", "items", "allOf", "anyOf", "oneOf",
                   "dependentRequired", "$id", "$defs", PARTS_KEYWORD, *LOWER_BOUNDS, *UPPER_BOUNDS, *DOC_KEYS}
        for keyword in sorted((set(a) | set(b)) - handled):
            if a.get(keyword) != b.get(keyword):
                self.add(MAJOR, path, f"{keyword} changed (not classified: treated as breaking)")

    def _compare_parts(self, a, b, path):
        """The nesting of parties (`x-forcewatch-parts`) decides what the harm summary counts:
        a new whole, or a new part of a whole (a new term), is MINOR; a part removed from a
        whole or moved to another changes released summaries, MAJOR."""
        pa, pb = a.get(PARTS_KEYWORD) or {}, b.get(PARTS_KEYWORD) or {}
        if pa == pb:
            return
        old_owner = {part: whole for whole, parts in pa.items() for part in parts}
        new_owner = {part: whole for whole, parts in pb.items() for part in parts}
        moved = sorted(p for p, whole in old_owner.items() if new_owner.get(p) != whole)
        if moved:
            self.add(MAJOR, path, f"{PARTS_KEYWORD}: {', '.join(moved)} no longer part of the same whole")
        elif set(new_owner) - set(old_owner):
            self.add(MINOR, path, f"{PARTS_KEYWORD}: parts added ({', '.join(sorted(set(new_owner) - set(old_owner)))})")
        else:
            self.add(PATCH, path, f"{PARTS_KEYWORD}: parts reordered")

    def _compare_types(self, a, b, path):
        ta, tb = _types(a), _types(b)
        if ta != tb:
            if tb is None:
                self.add(MINOR, path, f"type constraint {sorted(ta)} removed")
            elif ta is None:
                self.add(MAJOR, path, f"type constraint {sorted(tb)} added")
            elif _widens_type(ta, tb):
                self.add(MINOR, path, f"type widened from {sorted(ta)} to {sorted(tb)}")
            else:
                self.add(MAJOR, path, f"type changed from {sorted(ta)} to {sorted(tb)}")
        if a.get("const") != b.get("const"):
            self.add(MAJOR if "const" in b else MINOR, path, "const " + ("changed" if "const" in b else "removed"))

    def _compare_enum(self, a, b, path):
        ea, eb = a.get("enum"), b.get("enum")
        if ea == eb:
            return
        if eb is None:
            self.add(MINOR, path, "enum removed (any value allowed)")
        elif ea is None:
            self.add(MAJOR, path, f"enum added ({len(eb)} values)")
        else:
            removed = [v for v in ea if v not in eb]
            added = [v for v in eb if v not in ea]
            if removed:
                self.add(MAJOR, path, f"enum value(s) removed: {', '.join(map(str, removed))}")
            if added:
                self.add(MINOR, path, f"enum value(s) added: {', '.join(map(str, added))}")
            if not removed and not added:
                self.add(PATCH, path, "enum values reordered")

    def _compare_bounds(self, a, b, path):
        for keyword in LOWER_BOUNDS + UPPER_BOUNDS:
            va, vb = a.get(keyword), b.get(keyword)
            if va == vb:
                continue
            lower = keyword in LOWER_BOUNDS
            if vb is None:
                self.add(MINOR, path, f"{keyword} {va} removed (widened)")
            elif va is None:
                self.add(MAJOR, path, f"{keyword} {vb} added (narrowed)")
            elif (vb > va) == lower:
                self.add(MAJOR, path, f"{keyword} tightened from {va} to {vb}")
            else:
                self.add(MINOR, path, f"{keyword} widened from {va} to {vb}")

    def _compare_object(self, a, b, path, base_a, base_b, depth):
        pa, pb = a.get("properties", {}), b.get("properties", {})
        ra, rb = set(a.get("required", [])), set(b.get("required", []))
        closed_b = b.get("additionalProperties") is False or b.get("unevaluatedProperties") is False
        for name in sorted(set(pa) - set(pb)):
            self.add(MAJOR, f"{path}.{name}", "property removed or renamed" + (" (records using it become invalid)" if closed_b else ""))
        for name in sorted(set(pb) - set(pa)):
            if name in rb:
                self.add(MAJOR, f"{path}.{name}", "required property added")
            else:
                self.add(MINOR, f"{path}.{name}", "optional property added")
        for name in sorted(rb - ra):
            if name in pa:
                self.add(MAJOR, f"{path}.{name}", "property became required")
        for name in sorted(ra - rb):
            self.add(MINOR, f"{path}.{name}", "property no longer required")
        for name in sorted(set(pa) & set(pb)):
            self.compare(pa[name], pb[name], f"{path}.{name}", base_a, base_b, depth + 1)
        for keyword in ("additionalProperties", "unevaluatedProperties"):
            va, vb = a.get(keyword, True), b.get(keyword, True)
            if va != vb:
                self.add(MAJOR if vb is False else MINOR, path,
                         f"{keyword} {'closed' if vb is False else 'opened'}")
        da, db = a.get("dependentRequired", {}), b.get("dependentRequired", {})
        if da != db:
            tighter = any(set(db.get(k, [])) - set(da.get(k, [])) for k in db)
            self.add(MAJOR if tighter else MINOR, path, "dependentRequired " + ("tightened" if tighter else "loosened"))


def diff_schema_sets(old: SchemaSetFiles, new: SchemaSetFiles) -> list[Change]:
    comparer = _Comparer(old, new)
    for record_type, name in RECORD_TYPES.items():
        if name not in old.schemas or name not in new.schemas:
            if name in new.schemas:
                comparer.add(MINOR, record_type, "record type added")
            elif name in old.schemas:
                comparer.add(MAJOR, record_type, "record type removed")
            continue
        a, b = old.schemas[name], new.schemas[name]
        comparer.compare(a, b, record_type, a.get("$id", ""), b.get("$id", ""))
    # Definitions no record type uses still document the contract: a change to them is PATCH
    # at most (a used one was classified above through the $ref that reaches it).
    for name in SCHEMA_FILES:
        if old.raw.get(name) != new.raw.get(name) and not any(c for c in comparer.changes):
            comparer.add(PATCH, name, "file changed (formatting or unused definitions)")
    unique, seen = [], set()
    for change in comparer.changes:
        if change not in seen:
            seen.add(change)
            unique.append(change)
    return sorted(unique, key=lambda c: (-RANK[c.level], c.path, c.reason))


def required_level(changes: list[Change]) -> str | None:
    return max((c.level for c in changes), key=lambda l: RANK[l], default=None)


def bump_level(old_version: str, new_version: str) -> str | None:
    """MAJOR/MINOR/PATCH for a version increase; None if equal; 'DOWN' if it decreased."""
    a = tuple(int(x) for x in old_version.split("."))
    b = tuple(int(x) for x in new_version.split("."))
    if a == b:
        return None
    if b < a:
        return "DOWN"
    if b[0] > a[0]:
        return MAJOR
    if b[1] > a[1]:
        return MINOR
    return PATCH


@dataclass
class CheckResult:
    ok: bool
    old_version: str
    new_version: str
    needed: str | None
    bump: str | None
    changes: list[Change]
    problems: list[str]

    def to_dict(self):
        return {"ok": self.ok, "old_version": self.old_version, "new_version": self.new_version,
                "required_bump": self.needed, "actual_bump": self.bump,
                "changes": [c.to_dict() for c in self.changes], "problems": self.problems}


def _changelog_mentions(root: Path, base: str, version: str) -> bool:
    """CHANGELOG.md changed since `base` and its Unreleased (or new version) section names the
    schema change."""
    proc = subprocess.run(["git", "-C", str(root), "diff", base, "--", "CHANGELOG.md"], capture_output=True, text=True)
    added = "\n".join(l[1:] for l in proc.stdout.splitlines() if l.startswith("+") and not l.startswith("+++"))
    return bool(re.search(rf"schema|{re.escape(version)}", added, re.I))


def check_schema_change(root: Path, base: str) -> CheckResult:
    old = read_schema_set(base, root)
    new = read_schema_set(str(root / "schema"), root)
    changes = diff_schema_sets(old, new)
    edited = any(old.raw.get(n) != new.raw.get(n) for n in SCHEMA_FILES)
    needed = required_level(changes) if edited else None
    bump = bump_level(old.version, new.version)
    problems = []
    if bump == "DOWN":
        problems.append(f"schema/VERSION went down from {old.version} to {new.version}")
    elif edited and bump is None:
        problems.append(f"the released schema {old.version} was edited in place: its files changed but "
                        f"schema/VERSION did not; this change needs a {needed} bump")
    elif needed and bump and RANK[bump] < RANK[needed]:
        problems.append(f"schema/VERSION went from {old.version} to {new.version} ({bump}), but the change "
                        f"needs a {needed} bump")
    if (edited or bump) and not _changelog_mentions(root, base, new.version):
        problems.append("CHANGELOG.md has no entry for the schema change (mention the schema or "
                        f"version {new.version} in the Unreleased section)")
    if needed == MAJOR and bump == MAJOR:
        from .migrate import find_migrations
        steps = find_migrations(root / "schema")
        if int(new.version.split(".")[0]) not in {step.to_major for step in steps}:
            problems.append(f"a MAJOR change needs a migration to {new.version.split('.')[0]}.x in "
                            "schema/migrations/ (see `forcewatch migrate`)")
    return CheckResult(not problems, old.version, new.version, needed, bump, changes, problems)
