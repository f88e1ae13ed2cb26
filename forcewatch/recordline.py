"""A record as its line of records.jsonl: canonical JSON (keys sorted, no spaces, UTF-8).

The per-file stage writes each record's line once, when it checks the file, and the cache
keeps it: a build then joins the cached lines into records.jsonl and hands them to Arrow's
JSON reader, instead of encoding every record again on every build.
"""

from __future__ import annotations

import json

# One encoder for every record: `json.dumps` with options builds a new one per call. NaN and
# infinity are refused: they are not JSON, and no reader of the release could load them.
_CANONICAL = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)


def canonical_json(record) -> str:
    """A record as one line of records.jsonl (text). Raises ValueError or TypeError for a
    value JSON cannot hold."""
    return _CANONICAL.encode(record)


def record_line(record) -> bytes | None:
    """The record's line of records.jsonl, or None if JSON cannot hold it (a key that is
    not text, a number that is not finite: such a record fails the schema anyway)."""
    try:
        return canonical_json(record).encode("utf-8")
    except (TypeError, ValueError, UnicodeEncodeError):
        return None


def record_of_line(line: bytes):
    return json.loads(line)
