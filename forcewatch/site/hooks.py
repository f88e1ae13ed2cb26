"""MkDocs hook: generate the reference and data pages (and the assets they need) while the site
builds, so the site cannot drift from the schema, the issue catalogue, the release
specification or the data. The generation is `pages.generate_pages`, a plain function: this
hook only adds what it returns to MkDocs' files."""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.structure.files import File

from forcewatch.site import vendor
from forcewatch.site.pages import generate_pages

log = logging.getLogger("mkdocs.plugins.forcewatch")


def on_config(config):
    """Without the iframe-worker shim (npm not run), leave it out rather than point at nothing:
    search then works when the site is served, not from file://."""
    root = Path(config["config_file_path"]).resolve().parent
    if vendor.missing(vendor.SEARCH_LIBRARIES, vendor.node_modules(root)):
        polyfills = config["extra"].get("polyfills") or []
        config["extra"]["polyfills"] = [p for p in polyfills if "iframe-worker" not in str(p)]
        log.info("forcewatch: iframe-worker is not installed (python3 tasks.py docs): search will need a server")
    return config


def on_files(files, config):
    root = Path(config["config_file_path"]).resolve().parent
    extra = config.get("extra") or {}
    pages, problems = generate_pages(root, site_url=config.get("site_url") or None,
                                     release_url=extra.get("release_url") or None)
    for problem in problems:
        # With `mkdocs build --strict` an invalid record fails the build.
        log.warning("forcewatch: invalid record left out of the site: %s", problem)
    for path, content in pages.items():
        existing = files.get_file_from_path(path)
        if existing is not None:
            files.remove(existing)
        files.append(File.generated(config, path, content=content))
    return files
