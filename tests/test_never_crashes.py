"""No contributor input produces a traceback: arbitrary values in every field of a valid
record go through the whole pipeline (load, schema, semantic and dataset checks)."""

import json
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forcewatch.validate import validate

from .conftest import FIXTURES, REPO

BASE = (FIXTURES / "valid" / "figures-with-preferred" /
        "inc-2024-01-01-fixture-figures-with-preferred.yaml")

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12) | st.sampled_from(["incident", "actor", "site", "1.0.0", "2024-01-01", "src", "rocket"]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3),
    max_leaves=8,
)


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    root = tmp_path_factory.mktemp("repo")
    shutil.copytree(REPO / "schema", root / "schema")
    shutil.copytree(REPO / "datasets", root / "datasets")
    return root


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, prefix + (i,))


def _set(record, path, value):
    if not path:
        return value
    target = record
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return record


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_value_anywhere_gives_issues_not_tracebacks(sandbox, data, schema_set):
    from forcewatch.yamlsafe import load_bytes
    record = load_bytes(BASE.read_bytes()).data
    paths = list(_paths(record))
    path = data.draw(st.sampled_from(paths))
    record = _set(record, path, data.draw(json_values))
    target = sandbox / "case" / "record.yaml"
    target.parent.mkdir(exist_ok=True)
    target.write_text(json.dumps(record), encoding="utf-8")  # JSON is YAML
    report = validate([target], sandbox, schema_set=schema_set)
    for issue in report.issues:
        assert issue.code and issue.message


@pytest.mark.parametrize("field", ["record_type", "id", "status", "schema_version", "when", "place",
                                   "actors", "sources", "merged_into", "casualties"])
@pytest.mark.parametrize("value", [[], {}, ["a"], {"a": 1}, None, 3, True, "x"])
def test_odd_types_in_key_fields(sandbox, schema_set, field, value):
    from forcewatch.yamlsafe import load_bytes
    record = load_bytes(BASE.read_bytes()).data
    record[field] = value
    target = sandbox / "case2" / "record.yaml"
    target.parent.mkdir(exist_ok=True)
    target.write_text(json.dumps(record), encoding="utf-8")
    report = validate([target], sandbox, schema_set=schema_set)
    assert report.issues
