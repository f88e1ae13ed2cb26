"""Schema evolution: the classifier's rules, the version-bump check, and a MAJOR change with
its migration exercised end to end."""

import copy
import json
import re
import shutil
import subprocess
import sys

import pytest

from forcewatch.schema_evolution import (MAJOR, MINOR, PATCH, SchemaSetFiles, bump_level, diff_schema_sets,
                                         read_schema_set, required_level)

from .conftest import FIXTURES, REPO
from .test_fixtures import git_sandbox

BASE = read_schema_set(str(REPO / "schema"), REPO)
MAJ, MIN, PAT = (int(x) for x in BASE.version.split("."))
NEXT_MINOR, NEXT_MAJOR = f"{MAJ}.{MIN + 1}.0", f"{MAJ + 1}.0.0"


def variant(mutate) -> SchemaSetFiles:
    schemas = copy.deepcopy(BASE.schemas)
    mutate(schemas)
    raw = {n: BASE.raw[n] if s == BASE.schemas[n] else json.dumps(s).encode() for n, s in schemas.items()}
    return SchemaSetFiles("variant", BASE.version, schemas, raw)


def inc(s):
    return s["incident.schema.json"]["properties"]


def common(s):
    return s["common.schema.json"]["$defs"]


RULES = [
    ("removed property", lambda s: inc(s).pop("notes"), MAJOR, "property removed"),
    ("renamed property", lambda s: inc(s).__setitem__("remarks", inc(s).pop("notes")), MAJOR, "property removed"),
    ("changed type", lambda s: inc(s)["title"].__setitem__("type", "integer"), MAJOR, "type changed"),
    ("narrowed type", lambda s: common(s)["coordinates"]["properties"]["lat"].__setitem__("type", "integer"),
     MAJOR, "type changed"),
    ("widened type", lambda s: common(s)["estimate"]["properties"]["best"].__setitem__("type", "number"),
     MINOR, "type widened"),
    ("removed enum value", lambda s: inc(s)["outcome"]["enum"].remove("disputed"), MAJOR, "enum value(s) removed"),
    ("added enum value", lambda s: inc(s)["outcome"]["enum"].append("jammed"), MINOR, "enum value(s) added"),
    ("tightened maximum", lambda s: common(s)["coordinates"]["properties"]["lat"].__setitem__("maximum", 45),
     MAJOR, "maximum tightened"),
    ("widened range", lambda s: inc(s)["title"].__setitem__("maxLength", 400), MINOR, "maxLength widened"),
    ("tightened length", lambda s: inc(s)["title"].__setitem__("minLength", 20), MAJOR, "minLength tightened"),
    ("added bound", lambda s: common(s)["estimate"]["properties"]["best"].__setitem__("maximum", 10**6),
     MAJOR, "maximum 1000000 added"),
    ("tightened pattern", lambda s: common(s)["source_key"].__setitem__("pattern", "^[a-z]+$"), MAJOR, "pattern changed"),
    ("removed pattern", lambda s: common(s)["country_code"].pop("pattern"), MINOR, "pattern removed"),
    ("newly required property", lambda s: s["incident.schema.json"]["required"].append("notes"), MAJOR,
     "property became required"),
    ("required property added", lambda s: (inc(s).__setitem__("region", {"type": "string"}),
                                           s["incident.schema.json"]["required"].append("region")), MAJOR,
     "required property added"),
    ("changed $ref target", lambda s: inc(s)["merged_into"].__setitem__("$ref", "urn:forcewatch:schema:common#/$defs/slug"),
     MAJOR, "$ref target changed"),
    ("added optional property", lambda s: inc(s).__setitem__("region", {"type": "string", "description": "x"}),
     MINOR, "optional property added"),
    ("no longer required", lambda s: s["incident.schema.json"]["required"].remove("outcome"), MINOR,
     "no longer required"),
    ("opened object", lambda s: s["incident.schema.json"].pop("additionalProperties"), MINOR,
     "additionalProperties opened"),
    ("closed object", lambda s: common(s)["estimate"].__setitem__("additionalProperties", False), MAJOR,
     "additionalProperties closed"),
    ("description", lambda s: inc(s)["title"].__setitem__("description", "A headline."), PATCH, "description changed"),
    ("examples", lambda s: inc(s)["title"].__setitem__("examples", ["Another"]), PATCH, "examples changed"),
    ("term definition", lambda s: inc(s)["outcome"]["x-terms"].__setitem__("impact", "Hit."), PATCH, "x-terms changed"),
    ("change in a shared definition", lambda s: common(s)["source"]["properties"]["publisher"].__setitem__("maxLength", 50),
     MAJOR, "maxLength tightened"),
]


@pytest.mark.parametrize("name,mutate,level,reason", RULES, ids=[r[0] for r in RULES])
def test_classifier_rule(name, mutate, level, reason):
    changes = diff_schema_sets(BASE, variant(mutate))
    assert required_level(changes) == level, [c.to_dict() for c in changes]
    assert any(reason in c.reason and c.level == level for c in changes), [c.to_dict() for c in changes]


def test_shared_definition_change_is_reported_where_records_use_it():
    changes = diff_schema_sets(BASE, variant(RULES[-1][1]))
    assert any(c.path == "incident.sources[].publisher" for c in changes)
    assert any(c.path == "actor.sources[].publisher" for c in changes)


def test_no_change():
    assert diff_schema_sets(BASE, variant(lambda s: None)) == []


def test_bump_level():
    assert bump_level("1.0.0", "2.0.0") == MAJOR and bump_level("1.0.0", "1.1.0") == MINOR
    assert bump_level("1.0.0", "1.0.1") == PATCH and bump_level("1.1.0", "1.1.0") is None
    assert bump_level("1.1.0", "1.0.9") == "DOWN"


# --- the check and the migration, in a git repository ------------------------------------

def cli(root, *args):
    proc = subprocess.run([sys.executable, "-m", "forcewatch", *args, "--root", str(root)],
                          capture_output=True, text=True)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def edit_schema(root, mutate, version=None):
    path = root / "schema" / "incident.schema.json"
    schema = json.loads(path.read_text())
    mutate(schema)
    path.write_text(json.dumps(schema, indent=2) + "\n")
    if version:
        (root / "schema" / "VERSION").write_text(version + "\n")


def add_changelog(root, line):
    path = root / "CHANGELOG.md"
    path.write_text(path.read_text().replace("## [Unreleased]\n", f"## [Unreleased]\n\n- {line}\n", 1))


@pytest.fixture
def repo(tmp_path):
    root = tmp_path / "repo"
    root.mkdir()
    shutil.copy(REPO / "CHANGELOG.md", root / "CHANGELOG.md")
    return git_sandbox(tmp_path) if False else _sandbox_with_changelog(tmp_path)


def _sandbox_with_changelog(tmp_path):
    root = tmp_path / "git"
    for name in ("schema", "validators", "datasets"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "CHANGELOG.md", root / "CHANGELOG.md")
    git = ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "base"], check=True)
    return root


ADD_OPTIONAL = lambda s: s["properties"].__setitem__("region", {"type": "string", "description": "Region."})  # noqa: E731


def test_minor_change_with_minor_bump_and_changelog_passes(repo):
    edit_schema(repo, ADD_OPTIONAL, NEXT_MINOR)
    add_changelog(repo, f"Schema {NEXT_MINOR}: optional `region` on incidents.")
    proc = cli(repo, "schema", "check", "--base", "HEAD", "--format", "json")
    result = json.loads(proc.stdout)
    assert proc.returncode == 0 and result["required_bump"] == MINOR and result["actual_bump"] == MINOR


def test_change_without_bump_is_an_edit_in_place(repo):
    edit_schema(repo, ADD_OPTIONAL)
    add_changelog(repo, "Schema: optional `region` on incidents.")
    proc = cli(repo, "schema", "check", "--base", "HEAD")
    assert proc.returncode == 1 and "edited in place" in proc.stdout and "needs a MINOR bump" in proc.stdout


def test_bump_smaller_than_the_change_fails_and_says_why(repo):
    edit_schema(repo, lambda s: s["properties"]["outcome"]["enum"].remove("disputed"), NEXT_MINOR)
    add_changelog(repo, f"Schema {NEXT_MINOR}: no more disputed outcomes.")
    proc = cli(repo, "schema", "check", "--base", "HEAD")
    assert proc.returncode == 1 and "needs a MAJOR bump" in proc.stdout
    assert "enum value(s) removed: disputed" in proc.stdout


def test_schema_change_without_changelog_entry_fails(repo):
    edit_schema(repo, ADD_OPTIONAL, NEXT_MINOR)
    proc = cli(repo, "schema", "check", "--base", "HEAD")
    assert proc.returncode == 1 and "CHANGELOG.md has no entry" in proc.stdout


def test_major_change_end_to_end_with_its_migration(repo):
    rename = lambda s: s["properties"].__setitem__("remarks", s["properties"].pop("notes"))  # noqa: E731
    edit_schema(repo, rename, NEXT_MAJOR)
    add_changelog(repo, f"Schema {NEXT_MAJOR}: incidents' `notes` renamed `remarks` (migration v1_to_v2).")
    proc = cli(repo, "schema", "check", "--base", "HEAD")
    assert proc.returncode == 1 and "needs a migration" in proc.stdout
    (repo / "schema" / "migrations").mkdir(exist_ok=True)
    shutil.copy(FIXTURES / "schema-evolution" / "v1_to_v2.py", repo / "schema" / "migrations" / "v1_to_v2.py")
    proc = cli(repo, "schema", "check", "--base", "HEAD")
    assert proc.returncode == 0, proc.stdout

    # Records on the old major version now fail, with an error that names the command.
    proc = cli(repo, "validate", "--format", "json")
    issues = json.loads(proc.stdout)["issues"]
    assert proc.returncode == 1
    assert {i["code"] for i in issues} == {"schema-version-unsupported"}
    assert "forcewatch migrate --to 2.0.0" in issues[0]["hint"]

    record = repo / "datasets/incidents/2024/inc-2024-08-05-ain-al-asad-rockets.yaml"
    record.write_text(record.read_text().replace("notes: >-\n", "# A comment the migration must keep.\nnotes: >-\n", 1))
    before = record.read_text()
    originals = {p: p.read_text() for p in (repo / "datasets").rglob("*.yaml")}
    total = len(list((repo / "datasets").rglob("*.yaml")))
    proc = cli(repo, "migrate", "--to", "2.0.0")
    assert proc.returncode == 0 and f"migrated {total} file(s)" in proc.stdout
    after = record.read_text()
    assert "# A comment the migration must keep.\nremarks: >-\n" in after and "\nnotes:" not in after
    assert after.index("\nlinks:") < after.index("\nremarks:") < after.index("\nsources:")
    assert 'schema_version: "2.0.0"' in after
    assert before.replace("notes: >-", "remarks: >-").replace('"1.0.0"', '"2.0.0"') == after

    for path, text in originals.items():  # nothing but the version and the renamed key changes
        expected = re.sub(r'schema_version: "1\.\d+\.\d+"', 'schema_version: "2.0.0"', text)
        if "record_type: incident" in text:
            expected = expected.replace("\nnotes:", "\nremarks:")
        assert path.read_text() == expected, path.name

    proc = cli(repo, "migrate", "--to", "2.0.0")  # idempotent
    assert "migrated 0 file(s)" in proc.stdout and f"{total} already there" in proc.stdout
    assert record.read_text() == after
    proc = cli(repo, "validate")
    assert proc.returncode == 0, proc.stdout


def test_diff_between_git_revision_and_folder(repo):
    edit_schema(repo, ADD_OPTIONAL, NEXT_MINOR)
    proc = cli(repo, "schema", "diff", "HEAD", str(repo / "schema"), "--format", "json")
    data = json.loads(proc.stdout)
    assert data["required_bump"] == MINOR and data["old"]["version"] == BASE.version
    assert data["new"]["version"] == NEXT_MINOR
    proc = cli(repo, "schema", "diff", "no-such-ref", "schema")
    assert proc.returncode == 2


def _without(name):
    schemas = {n: s for n, s in BASE.schemas.items() if n != name}
    return SchemaSetFiles("older", BASE.version, schemas, {n: BASE.raw[n] for n in schemas})


def test_a_new_record_type_is_minor_and_a_removed_one_major():
    older = _without("tally.schema.json")
    added = diff_schema_sets(older, BASE)
    assert [(c.level, c.path, c.reason) for c in added] == [(MINOR, "tally", "record type added")]
    removed = diff_schema_sets(BASE, older)
    assert [(c.level, c.path, c.reason) for c in removed] == [(MAJOR, "tally", "record type removed")]
