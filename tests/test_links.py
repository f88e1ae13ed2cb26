"""Discovery survives every link: loops, links to nowhere and links outside are issues with
their own code, never an internal error, whether met in a folder or given as a path; and
only regular files are read (a pipe named like a record would be read for ever).

Folder loops are made here, in a temporary copy, never committed as fixtures: a tool that
walks the tree following links (pytest's collection does) would never finish. The committed
`link-loop` fixture is two files linked to each other, which such tools do not follow."""

import os
import shutil
import subprocess
import sys

import pytest

from forcewatch.validate import validate

from .conftest import REPO

RECORD = REPO / "datasets/incidents/2024/inc-2024-08-05-ain-al-asad-rockets.yaml"


@pytest.fixture
def sandbox(tmp_path):
    root = tmp_path / "repo"
    for name in ("schema", "validators", "datasets"):
        shutil.copytree(REPO / name, root / name, symlinks=True)
    return root


LINKS = {
    "dot": [("datasets/loop", ".")],
    "parent folder": [("datasets/incidents/x", "../incidents")],
    "two files": [("datasets/incidents/a.yaml", "b.yaml"), ("datasets/incidents/b.yaml", "a.yaml")],
    "two folders": [("datasets/d1", "d2"), ("datasets/d2", "d1")],
    "nowhere": [("datasets/incidents/gone.yaml", "nothing.yaml"), ("datasets/old", "moved")],
    "outside": [("datasets/incidents/etc.yaml", "/etc/hostname")],
}
EXPECTED = {"dot": {"link-loop"}, "parent folder": {"link-loop"}, "two files": {"link-loop"},
            "two folders": {"link-loop"}, "nowhere": {"link-broken"}, "outside": {"path-outside-repository"}}


def _make(root, links):
    for where, target in links:
        os.symlink(target, root / where)


@pytest.mark.parametrize("case", sorted(LINKS))
def test_links_in_the_dataset_are_issues(sandbox, schema_set, case):
    _make(sandbox, LINKS[case])
    report = validate(None, sandbox, schema_set=schema_set, use_cache=False)
    assert {i.code for i in report.issues} == EXPECTED[case], [i.to_dict() for i in report.issues]
    assert len(report.issues) == len(LINKS[case])
    assert report.records == len(list((REPO / "datasets").rglob("*.yaml")))  # the others are still read
    assert all(i.file in {w for w, _ in LINKS[case]} for i in report.issues)


@pytest.mark.parametrize("case", sorted(LINKS))
def test_links_given_as_paths_are_issues(sandbox, schema_set, case):
    _make(sandbox, LINKS[case])
    given = [sandbox / where for where, _ in LINKS[case]]
    report = validate(given, sandbox, schema_set=schema_set, use_cache=False)
    assert {i.code for i in report.issues} >= EXPECTED[case], [i.to_dict() for i in report.issues]
    assert not report.valid


@pytest.mark.parametrize("case", ["dot", "two files", "two folders"])
def test_the_command_reports_loops_without_an_internal_error(sandbox, case):
    _make(sandbox, LINKS[case])
    for extra in ([], [str(sandbox / LINKS[case][0][0])]):
        proc = subprocess.run([sys.executable, "-m", "forcewatch", "validate", "--no-cache", "--root", str(sandbox),
                               *extra], capture_output=True, text=True, timeout=120)
        assert proc.returncode == 1, proc.stdout + proc.stderr
        assert "internal error" not in proc.stderr and "[link-loop]" in proc.stdout


def test_a_link_to_a_record_inside_the_repository_is_followed(sandbox, schema_set):
    link = sandbox / "datasets/incidents/2024/alias.yaml"
    os.symlink(RECORD.name, link)
    report = validate([link], sandbox, schema_set=schema_set, use_cache=False)
    assert {i.code for i in report.issues} >= {"filename-mismatch"}  # read, and checked as a record
    assert "link-loop" not in {i.code for i in report.issues}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_pipe_named_like_a_record_is_not_read(sandbox, schema_set):
    pipe = sandbox / "datasets/incidents/2024/inc-2024-01-01-pipe.yaml"
    os.mkfifo(pipe)
    for given in (None, [pipe]):
        report = validate(given, sandbox, schema_set=schema_set, use_cache=False)
        assert [i.code for i in report.issues] == ["file-unreadable"], [i.to_dict() for i in report.issues]
