"""Compare two releases record by record, from their `records.jsonl` files."""

from __future__ import annotations

import json
from pathlib import Path


def read_records(release: Path) -> dict[str, dict]:
    records = {}
    path = release / "records.jsonl"
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                record = json.loads(line)
                records[record["id"]] = record
    return records


def diff_records(old: dict[str, dict], new: dict[str, dict]) -> dict:
    """Ids added, removed, changed; and those newly retracted or merged."""
    added = sorted(set(new) - set(old))
    removed = sorted(set(old) - set(new))
    changed, retracted, merged = [], [], []
    for rid in sorted(set(old) & set(new)):
        if old[rid] != new[rid]:
            changed.append(rid)
            before, after = old[rid].get("status"), new[rid].get("status")
            if after == "retracted" and before != "retracted":
                retracted.append(rid)
            if after == "merged" and before != "merged":
                merged.append({"id": rid, "into": new[rid].get("merged_into")})
    for rid in added:  # a record can arrive already retracted or merged
        if new[rid].get("status") == "retracted":
            retracted.append(rid)
        elif new[rid].get("status") == "merged":
            merged.append({"id": rid, "into": new[rid].get("merged_into")})
    return {"added": added, "removed": removed, "changed": changed,
            "retracted": retracted, "merged": merged}


def diff_releases(old: Path, new: Path) -> dict:
    return diff_records(read_records(old), read_records(new))


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
