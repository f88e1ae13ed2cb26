"""Compare two releases record by record, from their `records.jsonl` files.

A release holds every record, so a diff must not hold two releases' records in memory: each
record is reduced to a summary (a digest, its status and, if merged, where to) as it is
read, and the diff compares summaries.

The digest of a stored record is that of its line as written. forcewatch writes each line as
the record's canonical JSON, so an unchanged record has the same digest in both releases
without being written out again (which would cost more than reading). A line written any
other way (another tool, an older format) would differ without the record differing, so
the records whose digests differ are read again at their offsets and compared by their
canonical JSON (`settle`): the diff is exact either way.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..recordline import canonical_json


def line_summary(line: bytes, status, merged_into) -> tuple:
    """The summary of a record from its line in records.jsonl, as stored."""
    return (hashlib.blake2b(line, digest_size=16).digest(), status, merged_into)


def summary_of_line(line: bytes, record: dict) -> tuple:
    return line_summary(line, record.get("status"), record.get("merged_into"))


def summarize(record: dict) -> tuple:
    """The summary of a record as forcewatch would store it (its canonical JSON)."""
    return summary_of_line(canonical_json(record).encode("utf-8"), record)


def read_summaries(release: Path) -> tuple[dict[str, tuple], dict[str, int]]:
    """(id -> summary, id -> offset of its line) for every record of a release, digesting
    each line as written; the offsets are for `settle`."""
    summaries, offsets = {}, {}
    with (release / "records.jsonl").open("rb") as handle:
        position = 0
        for raw in handle:
            start, position = position, position + len(raw)
            line = raw.rstrip(b"\r\n")
            if not line.strip():
                continue
            record = json.loads(line)
            summaries[record["id"]] = summary_of_line(line, record)
            offsets[record["id"]] = start
    return summaries, offsets


def settle(summaries: dict[str, tuple], release: Path, offsets: dict[str, int], ids) -> None:
    """Replace the digests of `ids` with those of their records' canonical JSON."""
    with (release / "records.jsonl").open("rb") as handle:
        for rid in sorted(ids, key=offsets.__getitem__):
            handle.seek(offsets[rid])
            summaries[rid] = summarize(json.loads(handle.readline()))


def _differing(old: dict[str, tuple], new: dict[str, tuple]) -> list[str]:
    return [rid for rid in old.keys() & new.keys() if old[rid][0] != new[rid][0]]


def diff_summaries(old: dict[str, tuple], new: dict[str, tuple]) -> dict:
    """Ids added, removed, changed; and those newly retracted or merged."""
    added = sorted(set(new) - set(old))
    removed = sorted(set(old) - set(new))
    changed, retracted, merged = [], [], []
    for rid in sorted(set(old) & set(new)):
        if old[rid][0] != new[rid][0]:
            changed.append(rid)
            before, after = old[rid][1], new[rid][1]
            if after == "retracted" and before != "retracted":
                retracted.append(rid)
            if after == "merged" and before != "merged":
                merged.append({"id": rid, "into": new[rid][2]})
    for rid in added:  # a record can arrive already retracted or merged
        if new[rid][1] == "retracted":
            retracted.append(rid)
        elif new[rid][1] == "merged":
            merged.append({"id": rid, "into": new[rid][2]})
    return {"added": added, "removed": removed, "changed": changed,
            "retracted": retracted, "merged": merged}


def diff_releases(old: Path, new: Path) -> dict:
    (before, old_offsets), (after, new_offsets) = read_summaries(old), read_summaries(new)
    differing = _differing(before, after)
    settle(before, old, old_offsets, differing)
    settle(after, new, new_offsets, differing)
    return diff_summaries(before, after)


def diff_against(previous: Path, previous_summaries: dict, offsets: dict, new: dict[str, tuple]) -> dict:
    """The diff of a release being built (`new`: summaries of its canonical lines) against a
    previous release read with `read_summaries(previous)`."""
    settle(previous_summaries, previous, offsets, _differing(previous_summaries, new))
    return diff_summaries(previous_summaries, new)


def render_diff(diff: dict) -> str:
    lines = []
    for label in ("added", "changed", "retracted", "merged", "removed"):
        items = diff[label]
        lines.append(f"- {label}: {len(items)}")
        for item in items:
            if isinstance(item, dict):
                lines.append(f"  - `{item['id']}` into `{item['into']}`")
            else:
                lines.append(f"  - `{item}`")
    return "\n".join(lines)
