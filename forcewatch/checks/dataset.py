"""Dataset checks: fed every record of the dataset, they report what no single record shows."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from ..schemas import suggest

FOLDERS = {"incident": "incidents", "actor": "actors", "force_posture": "force_posture", "site": "sites"}
ID_PREFIX = {"inc-": "incident", "fp-": "force_posture", "site-": "site"}


def type_of_id(record_id: str) -> str:
    for prefix, record_type in ID_PREFIX.items():
        if record_id.startswith(prefix):
            return record_type
    return "actor"


@dataclass
class Entry:
    """One loaded record file as the dataset checks see it."""
    file: str  # path shown to the user (relative to the repository root)
    path: Path
    data: Any  # the record (a dict), possibly schema-invalid; None if it could not be loaded
    record_type: str | None
    schema_ok: bool
    position: Callable


def _record_id(entry: Entry):
    if isinstance(entry.data, dict) and isinstance(entry.data.get("id"), str):
        return entry.data["id"]
    return None


class UniqueIds:
    def __init__(self):
        self.seen: dict[str, list[Entry]] = {}

    def feed(self, entry: Entry):
        rid = _record_id(entry)
        if rid is not None:
            self.seen.setdefault(rid, []).append(entry)
        return ()

    def finish(self):
        for rid, entries in self.seen.items():
            if len(entries) > 1:
                for entry in entries:
                    others = ", ".join(e.file for e in entries if e is not entry)
                    yield (entry, "duplicate-id", ("id",), f"id `{rid}` is also used by {others}",
                           "ids are unique and never reused: give the newer record a new id")


class FileNameMatchesId:
    def feed(self, entry: Entry):
        rid = _record_id(entry)
        if rid is not None and entry.path.stem != rid:
            yield (entry, "filename-mismatch", ("id",),
                   f"the file is named `{entry.path.name}` but the record's id is `{rid}`",
                   f"rename the file to `{rid}.yaml` (or fix the id)")

    def finish(self):
        return ()


class RightFolder:
    """Records under a `datasets/` folder live in the folder of their type (incidents by year)."""

    def feed(self, entry: Entry):
        rid, record_type = _record_id(entry), entry.record_type
        if rid is None or record_type not in FOLDERS:
            return
        parts = entry.path.parts
        if "datasets" not in parts[:-1]:
            return
        base = len(parts) - 1 - parts[:-1][::-1].index("datasets") - 1
        actual = parts[base + 1:-1]
        expected = (FOLDERS[record_type],)
        if record_type == "incident" and rid[4:8].isdigit():
            expected += (rid[4:8],)
        if tuple(actual) != expected:
            where = "datasets/" + "/".join(expected) + "/"
            yield (entry, "wrong-folder", ("record_type",),
                   f"a {record_type} record with id `{rid}` belongs in `{where}`, not `datasets/{'/'.join(actual)}/`",
                   f"move the file to {where}")

    def finish(self):
        return ()


def _list(value) -> list:
    return value if isinstance(value, list) else []


def references(record: dict, record_type: str):
    """(path, referenced id, expected record type) for every reference a record makes."""
    if record.get("merged_into") is not None:
        yield ("merged_into",), record["merged_into"], record_type
    if record_type == "incident":
        for i, actor in enumerate(_list(record.get("actors"))):
            if isinstance(actor, dict):
                yield ("actors", i, "actor"), actor.get("actor"), "actor"
        for i, link in enumerate(_list(record.get("links"))):
            if isinstance(link, dict):
                yield ("links", i, "incident"), link.get("incident"), "incident"
        place = record.get("place")
        if isinstance(place, dict) and "site" in place:
            yield ("place", "site"), place["site"], "site"
    elif record_type == "actor":
        for i, rel in enumerate(_list(record.get("relations"))):
            if isinstance(rel, dict):
                yield ("relations", i, "actor"), rel.get("actor"), "actor"
    elif record_type == "force_posture":
        yield ("force",), record.get("force"), "actor"
        if "site" in record:
            yield ("site",), record["site"], "site"


class ReferencesResolve:
    def __init__(self):
        self.index: dict[str, tuple[str, str]] = {}  # id -> (record type, status)
        self.pending: list[tuple[Entry, tuple, str, str]] = []

    def feed(self, entry: Entry):
        rid = _record_id(entry)
        if rid is not None and entry.record_type:
            status = entry.data.get("status")
            self.index.setdefault(rid, (entry.record_type, status if isinstance(status, str) else "active"))
        if isinstance(entry.data, dict) and entry.record_type:
            for path, ref, expected in references(entry.data, entry.record_type):
                if isinstance(ref, str):
                    self.pending.append((entry, path, ref, expected))
        return ()

    def finish(self):
        by_type: dict[str, list[str]] = {}
        for rid, (record_type, _) in self.index.items():
            by_type.setdefault(record_type, []).append(rid)
        for entry, path, ref, expected in self.pending:
            found = self.index.get(ref)
            if found is None or found[0] != expected:
                own = _record_id(entry)
                guess = suggest(ref, [i for i in by_type.get(expected, []) if i != own])
                kind = expected.replace("_", " ")
                article = "an" if kind[0] in "aeiou" else "a"
                msg = f"no {kind} record has the id `{ref}`"
                if found is not None:
                    msg += f" (`{ref}` is a {found[0].replace('_', ' ')})"
                yield (entry, "unresolved-reference", path, msg,
                       f"did you mean `{guess}`?" if guess else f"add {article} {kind} record `{ref}` or fix the id")
            elif found[1] in ("retracted", "merged") and path != ("merged_into",):
                yield (entry, "reference-to-inactive", path, f"`{ref}` is {found[1]}",
                       "point the reference at the surviving record, or remove it")


def dataset_checks():
    """A fresh instance of every dataset check, in a plain list."""
    return [UniqueIds(), FileNameMatchesId(), RightFolder(), ReferencesResolve()]
