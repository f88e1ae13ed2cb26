"""A cache of per-file validation results, like ruff's or mypy's.

- Kept in `.forcewatch-cache/` (git-ignored) at the repository root.
- Keyed per file by its content (sha256); size and modification time are only a fast path
  to skip re-reading a file whose content hash is already known.
- Valid only for the same fingerprint: forcewatch's own source, the schema files and the
  validators configuration. Any change to those starts a fresh cache. Not keyed by the day:
  the one check whose verdict changes with the day (`date-in-future`) is answered from a
  result only while that result still holds (`validate.holds_today`).
- Stored with `marshal` (plain data only, no code runs when it is read) behind a header with
  a checksum; a cache that is unreadable, truncated or of the wrong shape is discarded and
  rebuilt, never trusted. Written to a temporary file and renamed, so a crash never leaves a
  half-written cache.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import tempfile
from pathlib import Path

CACHE_DIR = ".forcewatch-cache"
FORMAT = b"forcewatch-cache-v3\n"  # v2: records as their lines of records.jsonl; v3: not keyed by the day


def fingerprint(root: Path) -> str:
    """What the cached results depend on besides the file itself."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    for folder in (root / "schema", root / "validators"):
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file() and "__pycache__" not in path.parts:
                    digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _read(path: Path):
    """The stored object, or None if the file is missing or not a valid cache file."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    if not raw.startswith(FORMAT) or len(raw) < len(FORMAT) + 32:
        return None
    body = raw[len(FORMAT) + 32:]
    if hashlib.sha256(body).digest() != raw[len(FORMAT):len(FORMAT) + 32]:
        return None
    try:
        return marshal.loads(body)
    except (ValueError, EOFError, TypeError):
        return None


def _write(path: Path, obj) -> None:
    body = marshal.dumps(obj)
    path.parent.mkdir(parents=True, exist_ok=True)
    gitignore = path.parent / ".gitignore"
    if not gitignore.exists():
        gitignore.write_text("*\n")
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(FORMAT + hashlib.sha256(body).digest() + body)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


class ResultCache:
    """file (repository-relative) -> (size, mtime_ns, sha256 hex, result), stored in shards
    (one per folder), so that a run that needs a few files reads a few shards."""

    def __init__(self, root: Path, fp: str):
        self.dir = root / CACHE_DIR
        self.memo_path = self.dir / "report.bin"
        self.index_path = self.dir / "index.bin"
        self.fp = fp
        self.shards: dict[str, dict] = {}
        self.dirty: set[str] = set()

    @staticmethod
    def shard_of(file: str) -> str:
        return file.rpartition("/")[0]

    def _shard_path(self, shard: str) -> Path:
        return self.dir / "shards" / (hashlib.sha1(shard.encode()).hexdigest()[:16] + ".bin")

    def shard(self, shard: str) -> dict:
        if shard not in self.shards:
            data = _read(self._shard_path(shard))
            ok = (isinstance(data, dict) and data.get("fingerprint") == self.fp and data.get("shard") == shard
                  and isinstance(data.get("files"), dict))
            self.shards[shard] = data["files"] if ok else {}
        return self.shards[shard]

    def lookup(self, file: str, size: int, mtime_ns: int, read_sha) -> tuple:
        """(result or None, sha or None). `read_sha` computes the file's sha256 when it is
        needed to compare with a cached entry; a file never seen is not read here (the check
        that reads it computes the hash)."""
        entries = self.shard(self.shard_of(file))
        entry = entries.get(file)
        if isinstance(entry, tuple) and len(entry) == 4:
            c_size, c_mtime, c_sha, result = entry
            if c_size == size and c_mtime == mtime_ns and isinstance(result, dict):
                return result, c_sha
            sha = read_sha()
            if sha == c_sha and isinstance(result, dict):
                entries[file] = (size, mtime_ns, sha, result)
                self.dirty.add(self.shard_of(file))
                return result, sha
            return None, sha
        return None, None

    def store(self, file: str, size: int, mtime_ns: int, sha: str, result: dict) -> None:
        shard = self.shard_of(file)
        self.shard(shard)[file] = (size, mtime_ns, sha, result)
        self.dirty.add(shard)

    def forget_missing(self, present: set, shard: str) -> None:
        """After a full run, once the shard's last file is in: drop its files that no longer exist."""
        entries = self.shards.get(shard, {})
        for file in [f for f in entries if f not in present]:
            del entries[file]
            self.dirty.add(shard)

    def save(self, shards=None) -> None:
        """Write the changed shards (only those among `shards`, if given)."""
        for shard in sorted(self.dirty if shards is None else self.dirty.intersection(shards)):
            _write(self._shard_path(shard), {"fingerprint": self.fp, "shard": shard, "files": self.shards[shard]})
            self.dirty.discard(shard)

    def release(self, shard: str) -> None:
        """Let go of a saved shard's results (read again from disk if asked for)."""
        if shard not in self.dirty:
            self.shards.pop(shard, None)

    # A memo of the last whole report (with what tells whether it still stands, see
    # `validate`): when no file changed, the report is the same.
    def _keyed_get(self, path, key_name: str, key: str, payload_name: str):
        data = _read(path)
        if isinstance(data, dict) and data.get("fingerprint") == self.fp and data.get(key_name) == key:
            payload = data.get(payload_name)
            return payload if isinstance(payload, dict) else None
        return None

    def memo_get(self, signature: str):
        return self._keyed_get(self.memo_path, "signature", signature, "memo")

    def memo_put(self, signature: str, memo: dict) -> None:
        _write(self.memo_path, {"fingerprint": self.fp, "signature": signature, "memo": memo})

    # The dataset index for PR mode, valid for one git tree of datasets/.
    def index_get(self, tree: str):
        return self._keyed_get(self.index_path, "tree", tree, "index")

    def index_put(self, tree: str, index: dict) -> None:
        _write(self.index_path, {"fingerprint": self.fp, "tree": tree, "index": index})
