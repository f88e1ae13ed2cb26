"""One mistake gives one issue, at its path: a value of the wrong type is put in every field
of every record type (the fields come from the schema, the records from the dataset and the
valid fixtures), and the file must give exactly that one issue, never a false "unknown
field" beside it nor a "did you mean" that suggests the very name written."""

import copy
import json
import re
from pathlib import Path

import pytest

from forcewatch.schemas import RECORD_TYPES
from forcewatch.validate import Config, file_result, validate
from forcewatch.yamlsafe import load_bytes

from .conftest import FIXTURES, REPO

# The wrong values for each JSON type, as YAML writes them (in a flow context: the record
# is written as JSON, which is YAML). `1e400` is a number too large for a float (infinity).
WRONG = {
    "integer": ["five", "2.5", '"two"', "1e400", "yes", "true", "[1]"],
    "number": ['"two"', "true", "{\"a\": 1}"],
    "string": ["5", "true", "2.5", "[\"a\"]", "{\"a\": 1}"],
    "boolean": ["no", "yes", "1", '"true"'],
    "array": ['"x"', "5", "{\"a\": 1}"],
    "object": ['"x"', "5", "[1]"],
}
SENTINEL = "@@wrong-value@@"


def schema_fields(schema_set, record_type):
    """(path pattern, schema) for every field the record type's schema defines; None in a
    pattern stands for a list index."""
    found = []

    def walk(schema, base, path):
        schema, base = schema_set._deref(schema, base)
        if not isinstance(schema, dict) or len(path) > 12:
            return
        found.append((path, schema))
        for name, (sub, sub_base) in schema_set.property_items(schema, base).items():
            walk(sub, sub_base, path + (name,))
        if isinstance(schema.get("items"), dict):
            walk(schema["items"], base, path + (None,))
    walk(schema_set.record_schema(record_type), f"urn:forcewatch:schema:{record_type}", ())
    return [(path, schema) for path, schema in found if path]


def json_type(schema) -> str | None:
    kinds = schema.get("type")
    if isinstance(kinds, list):
        kinds = next((k for k in kinds if k != "null"), None)
    if kinds is None and "enum" in schema:
        return "string"
    return kinds


def base_records(schema_set) -> dict[str, list[dict]]:
    """The valid records of each type, from the dataset and the valid fixtures."""
    records: dict[str, list[dict]] = {}
    paths = sorted((REPO / "datasets").rglob("*.yaml")) + sorted((FIXTURES / "valid").rglob("*.yaml"))
    for path in paths:
        data = load_bytes(path.read_bytes()).data
        if isinstance(data, dict) and data.get("record_type") in RECORD_TYPES:
            records.setdefault(data["record_type"], []).append(data)
    return records


def _has(value, path) -> bool:
    for part in path:
        if part is None:
            if not isinstance(value, list) or not value:
                return False
            value = value[0]
        elif isinstance(value, dict) and part in value:
            value = value[part]
        else:
            return False
    return True


def place_wrong_value(schema_set, record_type, records, pattern):
    """A copy of a valid record with SENTINEL at `pattern` (index 0 for None), and the
    concrete path; a container no record has is built from its schema's example."""
    with_parent = [r for r in records if _has(r, pattern[:-1])]
    record = copy.deepcopy((with_parent or records)[0])
    target, path = record, []
    for depth, part in enumerate(pattern):
        last = depth == len(pattern) - 1
        key = 0 if part is None else part
        path.append(key)
        if last:
            if isinstance(target, list) and not target:
                target.append(SENTINEL)
            else:
                target[key] = SENTINEL
            break
        present = (isinstance(target, list) and target) or (isinstance(target, dict) and key in target)
        if not present:
            sub = schema_set.subschema(record_type, tuple(path)) or {}
            examples = sub.get("examples")
            if not examples:
                return None, None
            if isinstance(target, list):
                target.append(copy.deepcopy(examples[0]))
            else:
                target[key] = copy.deepcopy(examples[0])
        target = target[key]
    return record, tuple(path)


def cases(schema_set):
    out = []
    records = base_records(schema_set)
    for record_type in RECORD_TYPES:
        if record_type not in records:
            continue
        for pattern, schema in schema_fields(schema_set, record_type):
            kind = json_type(schema)
            for token in WRONG.get(kind, []):
                out.append((record_type, pattern, token))
    return out, records


@pytest.fixture(scope="module")
def generated(schema_set):
    return cases(schema_set)


def test_every_record_type_and_field_is_covered(generated, schema_set):
    all_cases, records = generated
    covered_types = {record_type for record_type, _, _ in all_cases}
    assert covered_types == {t for t in RECORD_TYPES if t in records}
    assert {"incident", "actor", "force_posture", "site"} <= covered_types
    for record_type in covered_types:
        patterns = {pattern for rt, pattern, _ in all_cases if rt == record_type}
        typed = {p for p, s in schema_fields(schema_set, record_type) if json_type(s) in WRONG}
        assert patterns == typed, record_type
    assert len(all_cases) > 500


def _write(tmp_path: Path, record: dict, token: str) -> Path:
    text = json.dumps(record, ensure_ascii=False, indent=1).replace(json.dumps(SENTINEL), token)
    path = tmp_path / "record.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_one_wrong_value_gives_one_issue_at_its_path(generated, schema_set, tmp_path):
    all_cases, records = generated
    config, failures, skipped = Config(), [], []
    for record_type, pattern, token in all_cases:
        record, path = place_wrong_value(schema_set, record_type, records[record_type], pattern)
        if record is None:
            skipped.append((record_type, pattern))
            continue
        result = file_result(_write(tmp_path, record, token), "record.yaml", config, schema_set)
        issues = result["issues"]
        problem = None
        if len(issues) != 1:
            problem = f"{len(issues)} issues"
        else:
            code, ipath, message, line, column, hint = issues[0]
            if tuple(ipath) != path:
                problem = f"issue at {ipath}"
            elif not line or not column:
                problem = "no position"
            else:
                same = re.search(r"did you mean `([^`]*)`", hint or "")
                if same and same.group(1) == str(path[-1]):
                    problem = f"suggests the same name: {hint}"
        if problem:
            failures.append((record_type, path, token, problem, [i[:3] for i in issues]))
    assert not skipped, f"fields with no record or example to hold them: {skipped}"
    assert not failures, "\n".join(map(str, failures[:40])) + f"\n({len(failures)} failures)"


@pytest.mark.parametrize("field, token", [
    ("id", "5"), ("id", "[\"a\"]"), ("record_type", "5"), ("status", "true"), ("schema_version", "1.2"),
    ("merged_into", "5"), ("sources", "\"x\""), ("casualties", "{\"a\": 1}"),
])
def test_one_wrong_value_gives_one_issue_in_the_whole_validator(field, token, schema_set, tmp_path):
    """The dataset checks add nothing to a record that broke its schema in a field they read."""
    import shutil
    root = tmp_path / "repo"
    for name in ("schema", "validators", "datasets"):
        shutil.copytree(REPO / name, root / name)
    source = REPO / "datasets/incidents/2024/inc-2024-08-05-ain-al-asad-rockets.yaml"
    record = load_bytes(source.read_bytes()).data
    record[field] = SENTINEL
    if field == "merged_into":
        record["status"] = "merged"
    target = root / source.relative_to(REPO)
    target.write_text(json.dumps(record, indent=1).replace(json.dumps(SENTINEL), token), encoding="utf-8")
    report = validate([target], root, schema_set=schema_set, use_cache=False)
    assert len(report.issues) == 1, [i.to_dict() for i in report.issues]
    assert report.issues[0].path == f"$.{field}"
