"""The JavaScript libraries the site's map and charts run on, copied into the site from npm.

`python3 tasks.py docs` (and `test`) installs them with npm into `.venv/npm/` (the versions are
pinned there, in `SITE_NPM`); the build copies the files listed here into `assets/vendor/`, so
that a page loads nothing from the network, from `file://` as from a server. A build on a
machine without them still succeeds: the pages that need them say what is missing instead.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

VENDOR_DIR = "assets/vendor"


@dataclass(frozen=True)
class Library:
    name: str  # the npm package
    files: tuple[str, ...]  # paths inside the package, copied to VENDOR_DIR/<name>/<file name or path>
    licence: str  # the package's licence file, shipped beside it


LEAFLET = Library("leaflet", ("dist/leaflet.js", "dist/leaflet.css", "dist/images/layers.png",
                              "dist/images/layers-2x.png", "dist/images/marker-icon.png",
                              "dist/images/marker-icon-2x.png", "dist/images/marker-shadow.png"), "LICENSE")
MARKERCLUSTER = Library("leaflet.markercluster", ("dist/leaflet.markercluster.js", "dist/MarkerCluster.css"),
                        "MIT-LICENCE.txt")
VEGA = Library("vega", ("build/vega.min.js",), "LICENSE")
VEGA_LITE = Library("vega-lite", ("build/vega-lite.min.js",), "LICENSE")
VEGA_EMBED = Library("vega-embed", ("build/vega-embed.min.js",), "LICENSE")
# Material's search runs in a web worker, which a page opened from file:// cannot start; this
# shim (by Material's author) runs it in an iframe. mkdocs.yml lists it under `extra.polyfills`.
IFRAME_WORKER = Library("iframe-worker", ("shim/index.js",), "LICENSE")

MAP_LIBRARIES = (LEAFLET, MARKERCLUSTER)
CHART_LIBRARIES = (VEGA, VEGA_LITE, VEGA_EMBED)
SEARCH_LIBRARIES = (IFRAME_WORKER,)
ALL_LIBRARIES = (*MAP_LIBRARIES, *CHART_LIBRARIES, *SEARCH_LIBRARIES)
# Source maps are not shipped: a trailing reference to one would point at nothing.
SOURCE_MAP = re.compile(rb"\n?(//|/\*)# sourceMappingURL=[^\n]*\s*\Z")


def site_path(library: Library, file: str) -> str:
    """Where a library file goes in the site: `assets/vendor/leaflet/leaflet.js`,
    `assets/vendor/leaflet/images/layers.png` (leaflet.css finds its images beside it)."""
    inner = file.split("/", 1)[1] if file.startswith(("dist/", "build/")) else file
    return f"{VENDOR_DIR}/{library.name}/{inner}"


def node_modules(root: Path) -> Path | None:
    """Where npm installed the libraries: $FORCEWATCH_NPM (a node_modules folder), else the
    virtual environment's `npm/node_modules` (tasks.py installs there), else the repository's
    `.venv/npm/node_modules`."""
    if os.environ.get("FORCEWATCH_NPM"):
        return Path(os.environ["FORCEWATCH_NPM"])
    candidates = [Path(sys.prefix) / "npm" / "node_modules", root / ".venv" / "npm" / "node_modules"]
    return next((c for c in candidates if c.is_dir()), None)


def missing(libraries, modules: Path | None) -> list[str]:
    """The npm packages of `libraries` that are not installed (or lack a file the site needs)."""
    return [lib.name for lib in libraries
            if modules is None or not all((modules / lib.name / f).is_file() for f in (*lib.files, lib.licence))]


def assets(libraries, modules: Path | None) -> dict[str, bytes]:
    """site path -> content, for every installed library of `libraries` (with its licence)."""
    out: dict[str, bytes] = {}
    absent = set(missing(libraries, modules))
    for lib in libraries:
        if lib.name in absent:
            continue
        for file in lib.files:
            data = (modules / lib.name / file).read_bytes()
            if file.endswith((".js", ".css")):
                data = SOURCE_MAP.sub(b"\n", data)
            out[site_path(lib, file)] = data
        out[f"{VENDOR_DIR}/{lib.name}/{Path(lib.licence).name}"] = (modules / lib.name / lib.licence).read_bytes()
    return out
