"""The schema teaches: every property is described with an example, every vocabulary term is
defined, examples pass and bad examples fail."""

import json

import pytest
from jsonschema import Draft202012Validator

from forcewatch.schemas import FORMATS, RECORD_TYPES, SCHEMA_FILES

from .conftest import REPO

SCHEMAS = {name: json.loads((REPO / "schema" / name).read_text()) for name in SCHEMA_FILES}


def walk_properties(node, where="$"):
    if isinstance(node, dict):
        for name, sub in node.get("properties", {}).items():
            yield f"{where}.{name}", sub
        for key, value in node.items():
            yield from walk_properties(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from walk_properties(value, f"{where}[{i}]")


def test_every_property_has_description_and_example(schema_set):
    missing = []
    for name, schema in SCHEMAS.items():
        for where, sub in walk_properties(schema):
            target = sub
            if "$ref" in sub and ("description" not in sub or "examples" not in sub):
                target = {**schema_set.resolve(sub["$ref"], schema["$id"]), **sub}
            if not target.get("description") or not target.get("examples"):
                missing.append(f"{name}{where}")
    assert not missing, missing


def test_every_vocabulary_term_is_defined():
    def enums(node):
        if isinstance(node, dict):
            if "enum" in node:
                yield node
            for value in node.values():
                yield from enums(value)
        elif isinstance(node, list):
            for value in node:
                yield from enums(value)
    for name, schema in SCHEMAS.items():
        for node in enums(schema):
            assert set(node.get("x-terms", {})) == set(node["enum"]), (name, node["enum"])
            assert all(len(d) > 10 for d in node["x-terms"].values())


def _validator(schema_set, record_type):
    return schema_set.validators[record_type]


def test_examples_are_valid_and_bad_examples_rejected(schema_set):
    common = SCHEMAS["common.schema.json"]
    for name, definition in common["$defs"].items():
        validator = Draft202012Validator({"$ref": f"urn:forcewatch:schema:common#/$defs/{name}"},
                                         registry=schema_set.registry, format_checker=FORMATS)
        for example in definition.get("examples", []):
            assert not list(validator.iter_errors(example)), (name, example)
        for bad in definition.get("x-bad-examples", []):
            assert list(validator.iter_errors(bad)), (name, bad)


@pytest.mark.parametrize("record_type", sorted(RECORD_TYPES))
def test_record_type_bad_examples_rejected(schema_set, record_type):
    schema = schema_set.record_schema(record_type)
    assert schema.get("x-bad-examples"), record_type
    for bad in schema["x-bad-examples"]:
        assert list(_validator(schema_set, record_type).iter_errors(bad)), bad


def test_schema_version_is_semver():
    version = (REPO / "schema" / "VERSION").read_text().strip()
    assert [int(p) for p in version.split(".")]


@pytest.mark.parametrize("value,ok", [
    ("https://example.org/a?b=c#d", True), ("http://example.org", True),
    ("javascript:alert(1)", False), ("www.example.org", False), ("https://", False),
    ("https://exa mple.org", False), ("ftp://example.org", False), ("https://example.org:99999", False),
])
def test_uri_format_is_really_checked(value, ok):
    assert FORMATS.conforms(value, "uri") is ok


def test_uri_fast_path_accepts_only_what_the_full_check_accepts():
    from hypothesis import given, settings, strategies as st
    from forcewatch.schemas import check_uri_fully, plain_url

    pieces = st.sampled_from(["http", "https", "://", ":", "/", "?", "#", "@", ".", "-", "a", "Z", "0",
                              "9", "example", "org", " ", "\t", "%20", "[", "]", "é", ":80", ":99999", ""])

    schemes = st.sampled_from(["http://", "https://", "HTTP://", "http:/", "ftp://", ""])

    @settings(max_examples=3000, deadline=None)
    @given(st.tuples(schemes, st.lists(pieces, max_size=12).map("".join)).map("".join))
    def agree(value):
        if plain_url(value):
            assert check_uri_fully(value), value

    agree()
    for url in ("https://www.shafaq.com/en/Iraq-News/x", "http://en.people.cn/n3/2023/1113/c90000-20096436.html"):
        assert plain_url(url) and check_uri_fully(url)


@pytest.mark.parametrize("value,ok", [
    ("2024-02-29", True), ("2023-02-29", False), ("2024-02-30", False), ("2024-13-01", False),
    ("2024-8-5", False), ("20240805", False),
])
def test_date_format_is_really_checked(value, ok):
    assert FORMATS.conforms(value, "date") is ok


def _all_records():
    from forcewatch.yamlsafe import load_bytes
    from .conftest import FIXTURES
    paths = list((REPO / "datasets").rglob("*.yaml")) + [p for p in FIXTURES.rglob("*.yaml") if p.is_file()]
    for path in paths:
        try:
            data = load_bytes(path.read_bytes()).data
        except OSError:
            continue
        if isinstance(data, dict) and data.get("record_type") in RECORD_TYPES:
            yield path, data


def test_fast_engine_agrees_with_jsonschema(schema_set):
    """jsonschema-rs is only a yes/no gate; it must agree with jsonschema on every record."""
    assert schema_set.fast, "jsonschema-rs is a dependency"
    checked = 0
    for path, record in _all_records():
        rt = record["record_type"]
        python_valid = not list(schema_set.validators[rt].iter_errors(record))
        assert schema_set.fast[rt].is_valid(record) == python_valid, path
        checked += 1
    assert checked > 80


def test_fast_engine_agrees_on_format_edge_cases(schema_set):
    base = next(r for p, r in _all_records() if p.name == "inc-2024-07-16-ain-al-asad-drones.yaml")
    import copy
    for url in ["https://exa_mple.org/x", "https://example.org:99999/", "javascript:alert(1)", "https://ok.example/a b"]:
        record = copy.deepcopy(base)
        record["sources"][0]["url"] = url
        assert schema_set.fast["incident"].is_valid(record) == (not list(schema_set.validators["incident"].iter_errors(record))), url
    for date in ["2024-02-30", "2023-02-29", "2024-02-29"]:
        record = copy.deepcopy(base)
        record["when"]["start"] = record["when"]["end"] = date
        assert schema_set.fast["incident"].is_valid(record) == (not list(schema_set.validators["incident"].iter_errors(record))), date
