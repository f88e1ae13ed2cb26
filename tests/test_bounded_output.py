"""However many mistakes a file holds, the report stays bounded: the first issues of each code
per file and per run are shown, the rest are counted ("N more ... left out") in every output
format, and suggestions stop once their budget of comparisons is spent."""

import json
import shutil

import pytest

from forcewatch.render import render_github, render_text
from forcewatch.report import SHOWN_PER_FILE, SHOWN_PER_RUN, Report, make_issue
from forcewatch.schemas import suggest, suggestion_budget
from forcewatch.validate import validate

from .conftest import REPO

RECORD = "datasets/incidents/2024/inc-2024-08-05-ain-al-asad-rockets.yaml"


@pytest.fixture
def flooded(tmp_path):
    """The dataset with one record carrying 5,000 unknown keys (the size limit raised)."""
    root = tmp_path / "repo"
    for name in ("schema", "validators", "datasets"):
        shutil.copytree(REPO / name, root / name)
    checks = root / "validators" / "checks.yaml"
    checks.write_text(checks.read_text().replace("max_file_bytes: 262144", "max_file_bytes: 10000000"))
    path = root / RECORD
    path.write_text(path.read_text() + "".join(f"titel_{i:05d}: x\n" for i in range(5000)))
    return root


def test_a_file_of_unknown_keys_gives_a_bounded_report(flooded, schema_set):
    report = validate(None, flooded, schema_set=schema_set, use_cache=False)
    shown = [i for i in report.issues if i.code == "unknown-field"]
    assert len(shown) == SHOWN_PER_FILE
    assert [i.line for i in shown] == sorted(i.line for i in shown)  # the first ones in the file
    assert report.left_out == {(RECORD, "unknown-field"): 5000 - SHOWN_PER_FILE}
    data = report.to_dict()
    assert data["summary"]["left_out"] == 5000 - SHOWN_PER_FILE
    assert data["left_out"] == [{"file": RECORD, "code": "unknown-field", "count": 5000 - SHOWN_PER_FILE}]
    assert Report.from_dict(json.loads(json.dumps(data))).to_dict() == data
    text = render_text(report)
    assert f"{RECORD}: {5000 - SHOWN_PER_FILE} more [unknown-field] issues left out" in text
    assert len(text.splitlines()) < 3 * SHOWN_PER_FILE
    assert f"and {5000 - SHOWN_PER_FILE} more issues left out" in text.splitlines()[-2]
    github = render_github(report)
    assert f"::notice file={RECORD.replace(':', '%3A')},title=unknown-field::{5000 - SHOWN_PER_FILE} more" in github


def test_the_memo_keeps_what_was_left_out(flooded, schema_set):
    first = validate(None, flooded, schema_set=schema_set).to_dict()
    again = validate(None, flooded, schema_set=schema_set).to_dict()
    assert again == first and again["left_out"]


def test_a_run_shows_a_bounded_number_of_each_code():
    report = Report(files=3)
    for n in range(SHOWN_PER_RUN + 7):
        report.issues.append(make_issue("unknown-term", f"f{n % 3}.yaml", "x", line=n + 1, column=1))
    report.issues.append(make_issue("missing-field", "f0.yaml", "y", line=1, column=1))
    report.bound()
    assert sum(i.code == "unknown-term" for i in report.issues) == SHOWN_PER_RUN
    assert sum(report.left_out.values()) == 7
    assert any(i.code == "missing-field" for i in report.issues)
    assert not report.valid


def test_suggestions_stop_when_their_budget_is_spent():
    choices = [f"field_{n}" for n in range(10)]
    with suggestion_budget(25):
        assert suggest("field_1x", choices) is not None  # 10 comparisons
        assert suggest("field_2x", choices) is not None  # 20
        assert suggest("field_3x", choices) is None  # would be 30
    assert suggest("field_3x", choices) is not None  # outside the block: unbounded again
    assert suggest("x" * 1000, ["x" * 999]) is None  # no word is that long
