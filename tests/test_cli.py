"""The command line: exit codes, both output formats, explain, and usage/config errors."""

import json
import shutil
import subprocess
import sys

import pytest

from forcewatch import codes
from forcewatch.cli import main

from .conftest import FIXTURES, REPO


def run(*args, cwd=REPO):
    proc = subprocess.run([sys.executable, "-m", "forcewatch", *args], cwd=cwd,
                          capture_output=True, text=True)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def test_validate_real_dataset_exits_0():
    proc = run("validate")
    assert proc.returncode == 0, proc.stdout
    assert proc.stdout.startswith("valid:")


def test_invalid_records_exit_1_with_file_line_and_fix():
    proc = run("validate", str(FIXTURES / "invalid" / "unknown-term"))
    assert proc.returncode == 1
    assert "inc-2024-01-01-fixture-unknown-term.yaml:17:" in proc.stdout
    assert "[unknown-term]" in proc.stdout and "did you mean `rocket`?" in proc.stdout


def test_json_output_is_the_library_report(capsys):
    from forcewatch.validate import validate
    case = FIXTURES / "invalid" / "duplicate-id"
    code = main(["validate", "--format", "json", str(case)])
    out = json.loads(capsys.readouterr().out)
    assert code == 1
    assert out == json.loads(json.dumps(validate([case], REPO).to_dict()))
    assert out["report_format"] == 1 and out["valid"] is False
    assert set(out["summary"]) == {"files", "records", "errors", "warnings", "left_out"}
    assert out["left_out"] == [] and out["summary"]["left_out"] == 0
    for issue in out["issues"]:
        assert set(issue) == {"code", "severity", "file", "line", "column", "path", "message", "hint"}


def test_warnings_alone_keep_exit_0(capsys):
    code = main(["validate", str(FIXTURES / "invalid" / "conflicting-figures")])
    assert code == 0
    assert "warning [conflicting-figures]" in capsys.readouterr().out


def test_missing_path_is_a_usage_error():
    proc = run("validate", "no/such/file.yaml")
    assert proc.returncode == 2 and "no such file or folder" in proc.stderr


def test_bad_option_is_a_usage_error():
    proc = run("validate", "--format", "xml")
    assert proc.returncode == 2


@pytest.mark.parametrize("breakage", ["bad-json", "bad-ref", "bad-keyword", "no-version"])
def test_broken_schema_exits_2(tmp_path, breakage):
    repo = tmp_path / "repo"
    shutil.copytree(REPO / "schema", repo / "schema")
    shutil.copytree(REPO / "datasets", repo / "datasets")
    target = repo / "schema" / "incident.schema.json"
    text = target.read_text()
    if breakage == "bad-json":
        target.write_text(text[:-10])
    elif breakage == "bad-ref":
        target.write_text(text.replace("common#/$defs/place", "common#/$defs/nowhere", 1))
    elif breakage == "bad-keyword":
        target.write_text(text.replace('"minItems": 1', '"minItems": "one"', 1))
    else:
        (repo / "schema" / "VERSION").unlink()
    proc = run("validate", "--root", str(repo))
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "schema" in proc.stderr


@pytest.mark.parametrize("content,needle", [
    ("severity:\n  no-such-code: warning\n", "unknown issue code"),
    ("severity:\n  duplicate-id: loud\n", "must be error or warning"),
    ("limits:\n  max_file_bytes: 10\n", "max_file_bytes"),
    ("severity: [\n", "yaml-syntax"),
])
def test_broken_config_exits_2(tmp_path, content, needle):
    repo = tmp_path / "repo"
    shutil.copytree(REPO / "schema", repo / "schema")
    (repo / "validators").mkdir()
    (repo / "validators" / "checks.yaml").write_text(content)
    proc = run("validate", "--root", str(repo))
    assert proc.returncode == 2 and needle in proc.stderr


def test_severity_override_from_config(tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(REPO / "schema", repo / "schema")
    shutil.copytree(FIXTURES / "invalid" / "conflicting-figures", repo / "cases")
    (repo / "validators").mkdir()
    (repo / "validators" / "checks.yaml").write_text("severity:\n  conflicting-figures: error\n")
    proc = run("validate", "--root", str(repo), str(repo / "cases"))
    # The fixture's actor and site references do not resolve in this bare repository.
    assert proc.returncode == 1 and "error [conflicting-figures]" in proc.stdout


def test_explain_every_code():
    for code in codes.CATALOGUE:
        proc = run("explain", code)
        assert proc.returncode == 0 and code in proc.stdout and "How to fix" in proc.stdout


def test_explain_unknown_code_suggests():
    proc = run("explain", "unknown-trem")
    assert proc.returncode == 2 and "unknown-term" in proc.stderr


def test_explain_lists_codes():
    proc = run("explain")
    assert proc.returncode == 0 and all(c in proc.stdout for c in codes.CATALOGUE)


def test_help_and_version():
    assert run("--help").returncode == 0
    assert run("validate", "--help").returncode == 0
    assert run("--version").stdout.startswith("forcewatch ")
    assert run().returncode == 2  # no command: help, usage exit code


def test_validate_path_imports_no_heavy_library():
    code = ("import sys; from forcewatch.cli import main; main(['validate']); "
            "heavy = {'great_expectations', 'pyarrow', 'frictionless', 'pandas'} & set(sys.modules); "
            "print(sorted(heavy))")
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert proc.stdout.strip().endswith("[]"), proc.stdout + proc.stderr


def _git_repo(tmp_path):
    from .test_fixtures import git_sandbox
    return git_sandbox(tmp_path)


def test_changed_since_checks_only_changed_files_against_the_whole_dataset(tmp_path):
    root = _git_repo(tmp_path)
    hamas = root / "datasets/actors/hamas.yaml"
    hamas.write_text(hamas.read_text().replace("kind: non-state-armed-group", "kind: armed-group"))
    new = root / "datasets/incidents/2024/inc-2024-09-01-fixture-new.yaml"
    new.write_text((FIXTURES / "valid/minimal-incident/inc-2024-01-01-fixture-minimal-incident.yaml").read_text()
                   .replace("inc-2024-01-01-fixture-minimal-incident", "inc-2024-09-01-fixture-new")
                   .replace('"2024-01-01"', '"2024-09-01"').replace('"2024-01-02"', '"2024-09-02"')
                   .replace("us-armed-forces", "us-armd-forces"))
    proc = run("validate", "--root", str(root), "--changed-since", "HEAD", "--format", "json")
    report = json.loads(proc.stdout)
    assert proc.returncode == 1 and report["summary"]["files"] == 2
    found = {(i["file"], i["code"]) for i in report["issues"]}
    assert found == {("datasets/actors/hamas.yaml", "unknown-term"),
                     ("datasets/incidents/2024/inc-2024-09-01-fixture-new.yaml", "unresolved-reference")}
    hint = [i["hint"] for i in report["issues"] if i["code"] == "unresolved-reference"][0]
    assert "us-armed-forces" in hint


def test_changed_since_reports_references_to_a_renamed_id_in_unchanged_files(tmp_path):
    root = _git_repo(tmp_path)
    path = root / "datasets/actors/kataib-hezbollah.yaml"
    path.write_text(path.read_text().replace("id: kataib-hezbollah", "id: kataib-hizbollah"))
    proc = run("validate", "--root", str(root), "--changed-since", "HEAD", "--format", "json")
    issues = json.loads(proc.stdout)["issues"]
    files = {(i["file"], i["code"]) for i in issues}
    assert ("datasets/actors/kataib-hezbollah.yaml", "filename-mismatch") in files
    assert ("datasets/incidents/2024/inc-2024-07-30-jurf-al-sakhar-strike.yaml", "unresolved-reference") in files


def test_changed_since_with_nothing_changed_is_valid(tmp_path):
    root = _git_repo(tmp_path)
    proc = run("validate", "--root", str(root), "--changed-since", "HEAD")
    assert proc.returncode == 0 and "0 files" in proc.stdout


def test_changed_since_unknown_revision_is_a_usage_error(tmp_path):
    root = _git_repo(tmp_path)
    proc = run("validate", "--root", str(root), "--changed-since", "no-such-branch")
    assert proc.returncode == 2 and "is not a commit" in proc.stderr


def test_github_annotations():
    proc = run("validate", "--format", "github", str(FIXTURES / "invalid" / "unknown-term"),
               str(FIXTURES / "invalid" / "conflicting-figures"))
    lines = proc.stdout.splitlines()
    assert proc.returncode == 1
    error = [l for l in lines if l.startswith("::error ")][0]
    assert error.startswith("::error file=tests/fixtures/invalid/unknown-term/inc-2024-01-01-fixture-unknown-term.yaml,"
                            "line=17,col=11,title=unknown-term::")
    assert "did you mean `rocket`?" in error
    assert any(l.startswith("::warning ") and "title=conflicting-figures" in l for l in lines)


def test_github_annotation_escaping():
    from forcewatch.render import render_github
    from forcewatch.report import Issue, Report
    report = Report(files=1, issues=[Issue("yaml-syntax", "a,b:c.yaml", "50% bad\nline", severity="error", line=2)])
    first = render_github(report).splitlines()[0]
    assert first == "::error file=a%2Cb%3Ac.yaml,line=2,title=yaml-syntax::50%25 bad%0Aline"
