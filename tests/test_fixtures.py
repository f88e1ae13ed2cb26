"""One parametrized test runs every fixture case: valid cases give no issue at all, invalid
cases give exactly the codes their `expected.txt` names. Every catalogue code needs a case."""

import shutil
import subprocess
from pathlib import Path

import pytest

from forcewatch import codes
from forcewatch.validate import validate

from .conftest import FIXTURES, REPO

VALID = sorted(p for p in (FIXTURES / "valid").iterdir() if p.is_dir())
INVALID = sorted(p for p in (FIXTURES / "invalid").iterdir() if p.is_dir())


def expected_codes(case: Path) -> set[str]:
    return {line.strip() for line in (case / "expected.txt").read_text().splitlines() if line.strip()}


@pytest.mark.parametrize("case", VALID, ids=[p.name for p in VALID])
def test_valid_fixture(case, schema_set):
    report = validate([case], REPO, schema_set=schema_set)
    assert report.issues == [], [i.to_dict() for i in report.issues]
    assert report.records >= 1


def git_sandbox(tmp_path: Path) -> Path:
    """A copy of the repository's contract and records as a fresh git repository."""
    root = tmp_path / "repo"
    for name in ("schema", "validators", "datasets"):
        shutil.copytree(REPO / name, root / name)
    git = ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "base"], check=True)
    return root


def run_git_case(case: Path, tmp_path: Path, schema_set):
    """Apply `changes.txt` (`delete PATH` or `copy FILE PATH` lines) after a base commit,
    then validate what changed since the base."""
    root = git_sandbox(tmp_path)
    for line in (case / "changes.txt").read_text().splitlines():
        words = line.split()
        if not words or words[0].startswith("#"):
            continue
        if words[0] == "delete":
            (root / words[1]).unlink()
        elif words[0] == "copy":
            target = root / words[2]
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(case / words[1], target)
        else:
            raise ValueError(f"{case.name}/changes.txt: unknown operation {words[0]}")
    return validate(None, root, schema_set=schema_set, changed_since="HEAD")


@pytest.mark.parametrize("case", INVALID, ids=[p.name for p in INVALID])
def test_invalid_fixture(case, schema_set, tmp_path):
    if (case / "changes.txt").exists():
        report = run_git_case(case, tmp_path, schema_set)
    else:
        report = validate([case], REPO, schema_set=schema_set)
    found = {i.code for i in report.issues}
    assert found == expected_codes(case), [i.to_dict() for i in report.issues]
    for issue in report.issues:
        assert issue.message and issue.file and issue.severity in (codes.ERROR, codes.WARNING)
        assert issue.hint, f"{issue.code} has no fix hint"
        # Everything found inside a readable file points at a line.
        if issue.code not in ("file-unreadable", "file-too-large", "path-outside-repository", "link-loop",
                              "link-broken", "record-deleted"):
            assert issue.line and issue.column, issue.to_dict()


def test_every_code_has_an_invalid_fixture():
    covered = set().union(*(expected_codes(c) for c in INVALID))
    missing = sorted(set(codes.CATALOGUE) - covered)
    assert not missing, f"codes without an invalid fixture: {missing}"


def test_every_expected_code_exists():
    for case in INVALID:
        assert expected_codes(case), f"{case.name}: expected.txt is empty"
        assert expected_codes(case) <= set(codes.CATALOGUE), case.name


def test_every_code_is_documented():
    for code in codes.CATALOGUE.values():
        assert code.severity in (codes.ERROR, codes.WARNING)
        assert code.stage in ("load", "schema", "record", "dataset")
        assert len(code.title) > 5 and len(code.explanation) > 40 and len(code.fix) > 10, code.code
