"""The release's datapackage.json is valid under the Frictionless profiles as the published
packages ship them: `dplib-py` (the v1.0 and v2.0 Data Package profiles) and `datapackage`
(the v1 `tabular-data-package` profile). Both are test dependencies (the `dev` extra); the
profiles are read from their installed files, never fetched."""

import csv
import importlib.util
import json
from pathlib import Path

import pytest
from jsonschema.validators import validator_for


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)  # located, not imported
    assert spec is not None and spec.submodule_search_locations, f"{name} is a test dependency (the dev extra)"
    return Path(list(spec.submodule_search_locations)[0])


PROFILES = {
    "dplib v1.0 datapackage": ("dplib", "profiles/1.0/datapackage.json"),
    "dplib v2.0 datapackage": ("dplib", "profiles/2.0/datapackage.json"),
    "datapackage v1 tabular-data-package": ("datapackage", "profiles/tabular-data-package.json"),
}


def _errors(profile: dict, descriptor: dict) -> list[str]:
    validator = validator_for(profile)(profile)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(descriptor)]


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_the_release_descriptor_passes_the_profile(release, name):
    package, path = PROFILES[name]
    profile = json.loads((_package_dir(package) / path).read_text(encoding="utf-8"))
    descriptor = json.loads((release / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["resources"], "no resources to check"
    assert _errors(profile, descriptor) == []


def test_the_profiles_can_fail():
    """The check has teeth: a dialect without `doubleQuote` (as the descriptor had) fails v1."""
    package, path = PROFILES["datapackage v1 tabular-data-package"]
    profile = json.loads((_package_dir(package) / path).read_text(encoding="utf-8"))
    bad = {"profile": "tabular-data-package", "name": "x",
           "resources": [{"name": "t", "path": "t.csv", "profile": "tabular-data-resource",
                          "dialect": {"delimiter": ","}, "schema": {"fields": [{"name": "a"}]}}]}
    assert any("doubleQuote" in e for e in _errors(profile, bad))


def test_the_dialect_says_what_the_csv_files_do(release):
    descriptor = json.loads((release / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        dialect = resource["dialect"]
        raw = (release / resource["path"]).read_bytes()
        assert raw.endswith(dialect["lineTerminator"].encode()) or not raw
        with open(release / resource["path"], newline="", encoding="utf-8") as handle:
            header = next(csv.reader(handle, delimiter=dialect["delimiter"], quotechar=dialect["quoteChar"],
                                     doublequote=dialect["doubleQuote"]))
        assert header == [f["name"] for f in resource["schema"]["fields"]]
