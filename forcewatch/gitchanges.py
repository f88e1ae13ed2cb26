"""Which record files changed since a git revision: for PR mode (`--changed-since REF`)."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from .yamlsafe import load_bytes

RECORD_SUFFIXES = (".yaml", ".yml")


class GitError(Exception):
    """git is missing, the folder is not a repository, or the revision is unknown."""


@dataclass
class Changes:
    changed: list[Path] = field(default_factory=list)  # existing record files added or modified
    deleted: dict[str, str] = field(default_factory=dict)  # repo-relative path -> id it had at REF
    old_ids: set[str] = field(default_factory=set)  # ids that changed files had at REF


def _git(root: Path, *args: str) -> bytes:
    try:
        proc = subprocess.run(["git", "-C", str(root), *args], capture_output=True, timeout=60)
    except FileNotFoundError:
        raise GitError("git is not installed") from None
    if proc.returncode != 0:
        raise GitError(proc.stderr.decode("utf-8", "replace").strip() or f"git {' '.join(args)} failed")
    return proc.stdout


def _old_id(root: Path, ref: str, path: str) -> str | None:
    try:
        loaded = load_bytes(_git(root, "show", f"{ref}:{path}"))
    except GitError:
        return None
    data = loaded.data
    return data.get("id") if isinstance(data, dict) and isinstance(data.get("id"), str) else None


def changes_since(root: Path, ref: str, folder: str = "datasets") -> Changes:
    """Record files under `folder` added, modified or deleted between `ref` and the working tree
    (committed, staged, unstaged and untracked changes alike)."""
    try:
        _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except GitError:  # diff would fail too, with a less helpful message
        raise GitError(f"`{ref}` is not a commit of the repository at {root} "
                       "(in CI, fetch the base branch first, e.g. `git fetch origin main`)") from None
    out = Changes()
    # The two listings are independent: run them side by side (each reads git's index).
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(2) as pool:
        diff = pool.submit(_git, root, "diff", "--name-status", "--no-renames", "-z", ref, "--", folder)
        others = pool.submit(_git, root, "ls-files", "--others", "--exclude-standard", "-z", "--", folder)
        listing, untracked = diff.result().split(b"\0"), others.result().split(b"\0")
    pairs = [(listing[i].decode(), listing[i + 1].decode("utf-8", "surrogateescape"))
             for i in range(0, len(listing) - 1, 2)]
    pairs += [("A", p.decode("utf-8", "surrogateescape")) for p in untracked if p]
    for status, path in pairs:
        if not path.endswith(RECORD_SUFFIXES):
            continue
        if status.startswith("D"):
            rid = _old_id(root, ref, path)
            out.deleted[path] = rid or ""
        else:
            out.changed.append(root / path)
            if status.startswith("M"):
                rid = _old_id(root, ref, path)
                if rid:
                    out.old_ids.add(rid)
    out.changed.sort()
    return out


def tree_of(root: Path, ref: str, folder: str = "datasets") -> str | None:
    """The git tree hash of `folder` at `ref`, or None."""
    try:
        return _git(root, "rev-parse", f"{ref}:{folder}").decode().strip() or None
    except GitError:
        return None


def clean_tree(root: Path, folder: str = "datasets") -> str | None:
    """The tree hash of `folder` at HEAD when the working tree of `folder` matches it exactly
    (nothing modified, added or deleted), else None."""
    try:
        if _git(root, "status", "--porcelain", "--untracked-files=all", "--", folder).strip():
            return None
    except GitError:
        return None
    return tree_of(root, "HEAD", folder)
