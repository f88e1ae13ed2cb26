"""The pre-commit hook (.pre-commit-hooks.yaml), exercised for real: pre-commit installs this
repository as a hook into its own environment and runs it in a temporary git repository."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO
from .test_fixtures import git_sandbox

PRE_COMMIT = shutil.which("pre-commit") or str(Path(sys.executable).parent / "pre-commit")


@pytest.mark.skipif(not Path(PRE_COMMIT).exists() and not shutil.which("pre-commit"),
                    reason="pre-commit is not installed (it is in the dev extra)")
def test_hook_blocks_an_invalid_record_and_passes_a_fixed_one(tmp_path):
    data = git_sandbox(tmp_path)
    record = data / "datasets/actors/hamas.yaml"
    good = record.read_text()
    record.write_text(good.replace("kind: non-state-armed-group", "kind: armed-group"))
    git = ["git", "-C", str(data)]
    subprocess.run([*git, "add", "-A"], check=True)
    env = {**os.environ, "PRE_COMMIT_COLOR": "never"}

    def hook():
        return subprocess.run([PRE_COMMIT, "try-repo", str(REPO), "forcewatch-validate",
                               "--files", "datasets/actors/hamas.yaml"],
                              cwd=data, capture_output=True, text=True, env=env, timeout=900)

    failed = hook()
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "[unknown-term]" in failed.stdout and "hamas.yaml" in failed.stdout
    record.write_text(good)
    subprocess.run([*git, "add", "-A"], check=True)
    passed = hook()
    assert passed.returncode == 0, passed.stdout + passed.stderr
