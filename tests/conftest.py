import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def schema_set():
    from forcewatch.schemas import load_schema_set
    return load_schema_set(REPO / "schema")


@pytest.fixture(scope="session")
def release(tmp_path_factory) -> Path:
    """The real dataset's release, built once per test session."""
    from forcewatch.release.build import build
    out = tmp_path_factory.mktemp("dist")
    result = build(REPO, out=out, version="1.0.0")
    assert result.status == "built", result.problems
    return result.path


@pytest.fixture
def sandbox(tmp_path) -> Path:
    """A copy of the repository's contract and records, to write into."""
    root = tmp_path / "repo"
    for name in ("schema", "datasets", "validators"):
        shutil.copytree(REPO / name, root / name)
    return root
