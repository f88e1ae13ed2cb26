"""MkDocs hook: generate the reference and data pages while the site builds, so the site
cannot drift from the schema, the issue catalogue, the release specification or the data."""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.structure.files import File

from forcewatch.site.pages import generate_pages

log = logging.getLogger("mkdocs.plugins.forcewatch")


def on_files(files, config):
    root = Path(config["config_file_path"]).resolve().parent
    pages, problems = generate_pages(root)
    for problem in problems:
        # With `mkdocs build --strict` an invalid record fails the build.
        log.warning("forcewatch: invalid record left out of the site: %s", problem)
    for path, content in pages.items():
        existing = files.get_file_from_path(path)
        if existing is not None:
            files.remove(existing)
        files.append(File.generated(config, path, content=content))
    return files
