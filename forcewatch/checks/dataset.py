"""Dataset checks: fed every record of the dataset, they report what no single record shows."""

from __future__ import annotations

import re

import datetime as dt
import math
import os
from dataclasses import dataclass
from typing import Any, Callable

from ..schemas import suggest

FOLDERS = {"incident": "incidents", "actor": "actors", "force_posture": "force_posture", "site": "sites", "tally": "tallies"}
@dataclass
class Entry:
    """One loaded record file as the dataset checks see it."""
    file: str  # path shown to the user (relative to the repository root)
    path: str  # the file's path on disk
    data: Any  # the record (a dict), possibly schema-invalid; None if it could not be loaded
    record_type: str | None
    schema_ok: bool
    position: Callable
    line: bytes | None = None  # the whole record as its line of records.jsonl (`validate(..., keep_lines=True)`)


_PROJECTED = ("id", "record_type", "status", "merged_into", "event_type", "force", "country", "site", "weapons")


def project(record: dict) -> dict:
    """The part of a record the dataset checks read (a few hundred bytes instead of a whole
    record): what the per-file stage keeps and caches for them."""
    out = {k: record[k] for k in _PROJECTED if k in record}
    for key, sub in (("actors", "actor"), ("links", "incident"), ("relations", "actor")):
        items = record.get(key)
        if isinstance(items, list):
            out[key] = [{sub: item.get(sub)} if isinstance(item, dict) else item for item in items]
    if record.get("record_type") == "site":  # names, for `SitesReferenced`
        out.update({k: record[k] for k in ("name", "aliases", "site_kind") if k in record})
    elif record.get("record_type") == "tally":  # references, for `ReferencesResolve`
        counter = record.get("counter")
        if isinstance(counter, dict) and "actor" in counter:
            out["counter"] = {"actor": counter["actor"]}
        parts = record.get("breakdown")
        if isinstance(parts, list):
            out["breakdown"] = [{"site": p.get("site")} if isinstance(p, dict) and "site" in p else {} for p in parts]
    place = record.get("place")
    if isinstance(place, dict):
        out["place"] = {k: place[k] for k in ("name", "country", "site", "coordinates") if k in place}
    elif "place" in record:
        out["place"] = place
    for key, sub in (("when", "start"), ("personnel", "best"), ("as_of", "date")):
        value = record.get(key)
        if isinstance(value, dict):
            out[key] = {sub: value[sub]} if sub in value else {}
        elif key in record:
            out[key] = value
    return out


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
        name = os.path.basename(entry.path)
        if rid is not None and os.path.splitext(name)[0] != rid:
            yield (entry, "filename-mismatch", ("id",),
                   f"the file is named `{name}` but the record's id is `{rid}`",
                   f"rename the file to `{rid}.yaml` (or fix the id)")

    def finish(self):
        return ()


class RightFolder:
    """Records under a `datasets/` folder live in the folder of their type (incidents by year)."""

    def feed(self, entry: Entry):
        rid, record_type = _record_id(entry), entry.record_type
        if rid is None or record_type not in FOLDERS:
            return
        parts = tuple(str(entry.path).split(os.sep))
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
    elif record_type == "tally":
        counter = record.get("counter")
        if isinstance(counter, dict) and "actor" in counter:
            yield ("counter", "actor"), counter["actor"], "actor"
        for i, part in enumerate(_list(record.get("breakdown"))):
            if isinstance(part, dict) and "site" in part:
                yield ("breakdown", i, "site"), part["site"], "site"
    elif record_type == "force_posture":
        yield ("force",), record.get("force"), "actor"
        if "site" in record:
            yield ("site",), record["site"], "site"


class ReferencesResolve:
    def __init__(self):
        self.index: dict[str, tuple[str, str]] = {}  # id -> (record type, status)
        self.pending: list[tuple[Entry, tuple, str, str]] = []
        self.deleted: dict[str, str] = {}  # id -> path of a file the change deleted
        self.renamed: set[str] = set()  # ids that changed files had before the change
        self.preloaded: dict = {}
        self.preloaded_names: list = []
        self.preloaded_excluded: set = set()

    def preload(self, ids: dict, names: list, excluded: set):
        """Ids of records not fed to this check (PR mode: the unchanged rest of the dataset):
        id -> (record type, status, file number in `names`); files in `excluded` do not count."""
        self.preloaded, self.preloaded_names, self.preloaded_excluded = ids, names, excluded

    def _lookup(self, ref):
        found = self.index.get(ref)
        if found is None and self.preloaded:
            hit = self.preloaded.get(ref)
            if hit is not None and self.preloaded_names[hit[2]] not in self.preloaded_excluded:
                found = (hit[0], hit[1])
        return found

    def _ids_of_type(self, record_type):
        ids = [rid for rid, (t, _) in self.index.items() if t == record_type]
        if self.preloaded:
            ids += [rid for rid, (t, _, n) in self.preloaded.items()
                    if t == record_type and rid not in self.index and self.preloaded_names[n] not in self.preloaded_excluded]
        return ids

    def watch(self, deleted: dict[str, str], old_ids: set[str]):
        """PR mode: references to these ids are reported in every file, changed or not."""
        self.deleted, self.renamed = deleted, old_ids

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
        by_type: dict[str, list[str]] = {}  # filled only when a suggestion is needed
        for entry, path, ref, expected in self.pending:
            found = self._lookup(ref)
            if found is None and ref in self.deleted:
                yield (entry, "deleted-record-referenced", path,
                       f"`{ref}` is referenced here, but its file {self.deleted[ref]} was deleted",
                       "restore the record and retract or merge it instead of deleting it", True)
                continue
            if found is None or found[0] != expected:
                own = _record_id(entry)
                if expected not in by_type:
                    by_type[expected] = self._ids_of_type(expected)
                guess = suggest(ref, [i for i in by_type[expected] if i != own])
                kind = expected.replace("_", " ")
                article = "an" if kind[0] in "aeiou" else "a"
                msg = f"no {kind} record has the id `{ref}`"
                if found is not None:
                    msg += f" (`{ref}` is a {found[0].replace('_', ' ')})"
                yield (entry, "unresolved-reference", path, msg,
                       f"did you mean `{guess}`?" if guess else f"add {article} {kind} record `{ref}` or fix the id",
                       ref in self.renamed)
            elif found[1] in ("retracted", "merged") and path != ("merged_into",):
                yield (entry, "reference-to-inactive", path, f"`{ref}` is {found[1]}",
                       "point the reference at the surviving record, or remove it")


def _km(a, b) -> float:
    """Great-circle distance between two coordinate dicts, in km."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a["lat"], a["lon"], b["lat"], b["lon"]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


def _date(value):
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _coords(value) -> bool:
    return isinstance(value, dict) and all(isinstance(value.get(k), (int, float)) and not isinstance(value.get(k), bool)
                                           and abs(value[k]) <= lim for k, lim in (("lat", 90), ("lon", 180)))


def _incident_shape(record) -> bool:
    """Context records are not schema-checked in partial runs: check what these checks read."""
    place = record.get("place")
    when = record.get("when")
    return (record.get("status") == "active" and isinstance(record.get("event_type"), str)
            and isinstance(record.get("id"), str) and isinstance(when, dict) and _date(when.get("start")) is not None and isinstance(place, dict)
            and isinstance(place.get("name"), str) and isinstance(place.get("country"), str)
            and ("coordinates" not in place or _coords(place["coordinates"])))


def _weapons(record) -> frozenset:
    weapons = record.get("weapons")
    if not isinstance(weapons, list):
        return frozenset()
    return frozenset(w for w in weapons if isinstance(w, str)) - {"unknown"}


def _linked(a: dict, b: dict) -> bool:
    """Records that link to each other (same wave, retaliation, ...) are known to be two events."""
    def targets(record):
        links = record.get("links")
        return {l.get("incident") for l in links if isinstance(l, dict)} if isinstance(links, list) else set()
    return b.get("id") in targets(a) or a.get("id") in targets(b)


class LikelyDuplicates:
    """Active incidents of the same type, on the same or adjacent days, at the same place,
    unless one links to the other (a contributor who links them has told them apart)."""

    def __init__(self, distance_km: float, day_window: int):
        self.distance_km, self.day_window = distance_km, day_window
        # Each incident as (entry, record, its known weapons), by day in the order fed (the
        # order issues come in), and bucketed by day, type and country: only records of one
        # type in one country can match, so a large dataset's comparisons stay few.
        self.by_day: dict[dt.date, list[tuple[Entry, dict, frozenset]]] = {}
        self.buckets: dict[tuple, list[tuple[Entry, dict, frozenset]]] = {}

    def feed(self, entry: Entry):
        record = entry.data
        if entry.record_type != "incident" or not _incident_shape(record):
            return ()
        day = _date(record["when"]["start"])
        member = (entry, record, _weapons(record))
        self.by_day.setdefault(day, []).append(member)
        self.buckets.setdefault((day, record["event_type"], record["place"]["country"]), []).append(member)
        return ()

    @staticmethod
    def _same_means(wa: frozenset, wb: frozenset) -> bool:
        """Reports that name different weapons (both known) are of different events."""
        return not wa or not wb or not wa.isdisjoint(wb)

    def _same_place(self, a: dict, b: dict) -> bool:
        pa, pb = a["place"], b["place"]
        if pa["country"] != pb["country"]:
            return False
        if pa.get("site") and pa.get("site") == pb.get("site"):
            return True
        if "coordinates" in pa and "coordinates" in pb:
            return _km(pa["coordinates"], pb["coordinates"]) <= self.distance_km
        return pa["name"].strip().lower() == pb["name"].strip().lower()

    def finish(self):
        window = [dt.timedelta(days=offset) for offset in range(-self.day_window, self.day_window + 1)]
        for day in sorted(self.by_day):
            for entry, record, weapons in self.by_day[day]:
                kind, country = record["event_type"], record["place"]["country"]
                for offset in window:
                    for other_entry, other, other_weapons in self.buckets.get((day + offset, kind, country), ()):
                        if other is record or other["id"] == record["id"]:
                            continue
                        if (self._same_means(weapons, other_weapons) and self._same_place(record, other)
                                and not _linked(record, other)):
                            article = "an" if kind[:1] in "aeiou" else "a"
                            yield (entry, "likely-duplicate", ("id",),
                                   f"`{other['id']}` ({other_entry.file}) is also {article} {kind} at "
                                   f"{other['place']['name']} on {other['when']['start']}",
                                   "merge the two if they are the same event; otherwise tell them apart in the summaries "
                                   "and link them with the source that reports both")


class PostureJumps:
    """Consecutive figures of one force in one country that differ implausibly."""

    def __init__(self, ratio: float, days: int):
        self.ratio, self.days = ratio, days
        self.series: dict[tuple, list[tuple[dt.date, int, Entry, dict]]] = {}

    def feed(self, entry: Entry):
        record = entry.data
        if entry.record_type != "force_posture" or record.get("status") != "active":
            return ()
        personnel, as_of = record.get("personnel"), record.get("as_of")
        best = personnel.get("best") if isinstance(personnel, dict) else None
        day = _date(as_of.get("date")) if isinstance(as_of, dict) else None
        if isinstance(best, int) and not isinstance(best, bool) and best > 0 and day \
                and isinstance(record.get("force"), str) and isinstance(record.get("country"), str):
            key = (record["force"], record["country"], str(record.get("site")))
            self.series.setdefault(key, []).append((day, best, entry, record))
        return ()

    def finish(self):
        for points in self.series.values():
            # A record that broke its schema may have no id (the schema reports that): sort as "".
            points.sort(key=lambda p: (p[0], str(p[3].get("id", ""))))
            for (d0, v0, _, r0), (d1, v1, e1, r1) in zip(points, points[1:]):
                if (d1 - d0).days <= self.days and max(v0, v1) / min(v0, v1) > self.ratio:
                    yield (e1, "posture-jump", ("personnel", "best"),
                           f"{v1} on {d1} after {v0} on {d0} (`{r0.get('id')}`): a change of more than {self.ratio}x "
                           f"within {self.days} days", "check both figures against their sources")


def _plain_name(text: str) -> str:
    """A place name folded for comparison: case, accents, hyphens and punctuation ignored."""
    import unicodedata
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return " ".join(re.sub(r"[\W_]+", " ", folded).split())


class SitesReferenced:
    """An incident whose place name is a site's name or alias should reference that site, so
    that it shares the site's sourced coordinates (and is counted at it)."""

    # Inside a longer place name only the name of a base or facility counts, and only a name
    # of this length or more: "near Mayadin and Albu Kamal" names towns for context, and
    # "Omar" alone is too common.
    MIN_INSIDE = 8
    SETTLEMENTS = ("town", "city", "neighbourhood", "area")

    def __init__(self):
        # folded name -> (site id, country, name as written, may match inside a longer name)
        self.names: dict[str, list[tuple[str, str, str, bool]]] = {}
        self.incidents: list[tuple[Entry, dict]] = []

    def feed(self, entry: Entry):
        record = entry.data
        if not isinstance(record, dict) or record.get("status", "active") != "active":
            return ()
        if entry.record_type == "site" and isinstance(record.get("name"), str):
            inside = record.get("site_kind") not in self.SETTLEMENTS
            for name in [record["name"], *(a for a in _list(record.get("aliases")) if isinstance(a, str))]:
                folded = _plain_name(name)
                if folded:
                    self.names.setdefault(folded, []).append(
                        (record.get("id"), record.get("country"), name, inside and len(folded) >= self.MIN_INSIDE))
        elif entry.record_type == "incident" and _incident_shape(record) and not record["place"].get("site"):
            self.incidents.append((entry, record))
        return ()

    def _match(self, place: dict):
        """The site whose name the place name is, else the one whose longest name it contains."""
        folded = _plain_name(place["name"])
        padded = f" {folded} "
        best = None
        for name, sites in self.names.items():
            for site_id, country, written, inside in sites:
                if country != place["country"]:
                    continue
                if name == folded:
                    return site_id, written
                if inside and f" {name} " in padded and (best is None or len(name) > best[0]):
                    best = (len(name), site_id, written)
        return best[1:] if best else None

    def finish(self):
        for entry, record in self.incidents:
            found = self._match(record["place"])
            if found:
                site_id, written = found
                yield (entry, "site-not-referenced", ("place", "name"),
                       f"the place `{record['place']['name']}` names the site `{site_id}` ({written}), "
                       "but `place.site` is not set",
                       f"add `site: {site_id}` under `place` (the incident then shares the site's sourced "
                       "coordinates), or name the place more precisely if it is another one")


def dataset_checks(thresholds: dict | None = None):
    """A fresh instance of every dataset check, in a plain list."""
    t = {**DEFAULT_THRESHOLDS, **(thresholds or {})}
    return [UniqueIds(), FileNameMatchesId(), RightFolder(), ReferencesResolve(),
            LikelyDuplicates(t["duplicate_distance_km"], t["duplicate_day_window"]),
            PostureJumps(t["posture_jump_ratio"], t["posture_jump_days"]), SitesReferenced()]


DEFAULT_THRESHOLDS = {
    "duplicate_distance_km": 25.0,
    "duplicate_day_window": 1,
    "posture_jump_ratio": 2.0,
    "posture_jump_days": 365,
}


# --- PR mode: which unchanged records can take part in a check with the changed ones ----------

def _series_key(record: dict):
    return f"{record.get('force')}|{record.get('country')}|{record.get('site')}"


class DatasetIndex:
    """What the dataset checks need to know about every record, to pick the few unchanged
    records that a change can interact with: ids, incidents by day, posture series, and who
    refers to whom. Files are numbers into `names` (smaller and faster to load). Fed record
    by record, like a dataset check, so that it is built while the records are read."""

    def __init__(self):
        self.names, self.ids, self.dupes, self.days, self.series, self.refs = [], {}, {}, {}, {}, {}

    def feed(self, entry: Entry) -> None:
        record = entry.data
        if not isinstance(record, dict):
            return
        n = len(self.names)
        self.names.append(entry.file)
        rid = _record_id(entry)
        status = record.get("status")
        if rid is not None and entry.record_type:
            if rid in self.ids:
                self.dupes.setdefault(rid, [self.ids[rid][2]]).append(n)
            else:
                self.ids[rid] = (entry.record_type, status if isinstance(status, str) else "active", n)
        if entry.record_type == "incident" and _incident_shape(record):
            self.days.setdefault(record["when"]["start"], []).append(n)
        if entry.record_type == "force_posture":
            self.series.setdefault(_series_key(record), []).append(n)
        if entry.record_type:
            for _, ref, _ in references(record, entry.record_type):
                if isinstance(ref, str):
                    self.refs.setdefault(ref, []).append(n)

    def finish(self) -> dict:
        return {"names": "\n".join(self.names), "ids": self.ids, "dupes": self.dupes, "days": self.days,
                "series": self.series, "refs": self.refs}


def index_names(index: dict) -> list[str]:
    """The index's file names (stored joined: one string loads much faster than 100,000)."""
    names = index.get("_names")
    if names is None:
        names = index["_names"] = index["names"].split("\n") if index["names"] else []
    return names


def involved(index: dict, targets: list[Entry], watched: set[str], day_window: int, excluded: set[str]) -> set[str]:
    """Unchanged files whose records the dataset checks must see beside the changed ones."""
    names = index_names(index)
    wanted: set[int] = set()
    for entry in targets:
        rid = _record_id(entry)
        hit = index["ids"].get(rid) if rid else None
        if hit is not None:  # records of the same id: duplicate-id
            wanted.add(hit[2])
            wanted.update(index["dupes"].get(rid, ()))
        record = entry.data
        if not isinstance(record, dict):
            continue
        if entry.record_type == "incident" and _incident_shape(record):
            day = _date(record["when"]["start"])
            for offset in range(-day_window, day_window + 1):
                wanted.update(index["days"].get((day + dt.timedelta(days=offset)).isoformat(), ()))
        if entry.record_type == "force_posture":
            wanted.update(index["series"].get(_series_key(record), ()))
    for rid in watched:
        wanted.update(index["refs"].get(rid, ()))
    return {names[n] for n in wanted} - excluded
