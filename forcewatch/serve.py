"""`forcewatch serve`: browse a release's SQLite database with Datasette, on this machine only.

Datasette is an optional extra (`pip install 'forcewatch[serve]'`, which the README's
commands install); it is started as a child process with the release's `metadata.json`, so
every table and column shows its description, and stops when you press Ctrl+C.
"""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
from pathlib import Path

from .release.sqlite import DATABASE, METADATA


class ServeError(Exception):
    """A release or Datasette that cannot be served (a usage error: exit code 2)."""


def find_release(root: Path, release: str | None) -> Path:
    """The release folder to serve: the one named (a folder, or a version in dist/), else
    dist/dev, else the most recently built folder in dist/."""
    dist = root / "dist"
    if release:
        folder = Path(release) if Path(release).is_dir() else dist / release
    elif (dist / "dev").is_dir():
        folder = dist / "dev"
    else:
        built = sorted((p for p in dist.iterdir() if (p / DATABASE).is_file()), key=lambda p: p.stat().st_mtime) \
            if dist.is_dir() else []
        if not built:
            raise ServeError(f"no release in {dist}: build one with `forcewatch build` (or `python3 tasks.py all`)")
        folder = built[-1]
    if not (folder / DATABASE).is_file():
        raise ServeError(f"{folder} has no {DATABASE}: build it with `forcewatch build` (this version of forcewatch)")
    return folder


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def datasette_command(folder: Path, port: int, host: str = "127.0.0.1") -> list[str]:
    if importlib.util.find_spec("datasette") is None:
        raise ServeError("Datasette is not installed: `pip install 'forcewatch[serve]'` "
                         "(python3 tasks.py all installs it)")
    return [sys.executable, "-m", "datasette", "serve", str(folder / DATABASE), "--metadata", str(folder / METADATA),
            "--host", host, "--port", str(port), "--setting", "sql_time_limit_ms", "3000",
            "--setting", "default_page_size", "50"]


def serve(folder: Path, port: int | None = None, host: str = "127.0.0.1") -> int:
    """Run Datasette on the release in `folder` until interrupted.

    Datasette replaces this process (exec), so a signal that stops `forcewatch serve` stops the
    server itself and leaves no server behind."""
    port = port or free_port(host)
    command = datasette_command(folder, port, host)
    print(f"serving {folder / DATABASE} at http://{host}:{port}/ (Ctrl+C stops it)", flush=True)
    if os.name == "nt":  # no exec there: wait for the child, and stop it on Ctrl+C
        process = subprocess.Popen(command)
        try:
            return process.wait()
        except KeyboardInterrupt:
            process.terminate()
            return process.wait(timeout=10)
    os.execv(command[0], command)
    return 0  # not reached
