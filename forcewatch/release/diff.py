"""Compare two releases record by record, from their `records.jsonl` files.

A release holds every record, so a diff must not hold two releases' records in memory: each
record is reduced to a summary (a digest of its canonical JSON, its status and, if merged,
where to) as it is read, and the diff compares summaries.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path


def canonical_json(record: dict) -> str:
    """A record as one line of records.jsonl."""
    return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def summarize(record: dict, canonical: str | None = None) -> tuple:
    """`canonical`: the record's canonical JSON, when the caller has it already."""
    text = canonical if canonical is not None else canonical_json(record)
    return (hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest(), record.get("status"),
            record.get("merged_into"))


def _each_record(release: Path):
    with (release / "records.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def read_summaries(release: Path) -> dict[str, tuple]:
    """id -> summary for every record of a release."""
    return {record["id"]: summarize(record) for record in _each_record(release)}


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


def diff_records(old: dict[str, dict], new: dict[str, dict]) -> dict:
    return diff_summaries({k: summarize(v) for k, v in old.items()}, {k: summarize(v) for k, v in new.items()})


def diff_releases(old: Path, new: Path) -> dict:
    return diff_summaries(read_summaries(old), read_summaries(new))


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
