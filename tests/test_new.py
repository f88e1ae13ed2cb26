"""`forcewatch new`: a template with the next free id that fails only on its blanks."""

import shutil

import pytest

from forcewatch.cli import main
from forcewatch.template import new_record, slugify
from forcewatch.validate import validate
from forcewatch.yamlsafe import load_text

from .conftest import REPO


@pytest.fixture
def sandbox(tmp_path):
    root = tmp_path / "repo"
    for name in ("schema", "datasets", "validators"):
        shutil.copytree(REPO / name, root / name)
    return root


@pytest.mark.parametrize("kind", ["incident", "actor", "force-posture", "site"])
def test_template_fails_only_on_its_blanks(sandbox, schema_set, kind):
    path, blanks = new_record(sandbox, schema_set, kind, date="2024-08-09", slug="fixture thing",
                              force="us-armed-forces", country="IQ")
    report = validate([path], sandbox, schema_set=schema_set)
    assert {i.code for i in report.issues} == {"blank-field"}
    assert len(report.issues) == len(blanks) > 3
    assert all(i.line for i in report.issues)


def test_next_free_id_and_no_overwrite(sandbox, schema_set):
    first, _ = new_record(sandbox, schema_set, "incident", date="2024-08-05", slug="ain al-asad rockets")
    assert first.name == "inc-2024-08-05-ain-al-asad-rockets-2.yaml"  # the real record holds the plain id
    second, _ = new_record(sandbox, schema_set, "incident", date="2024-08-05", slug="ain al-asad rockets")
    assert second.name == "inc-2024-08-05-ain-al-asad-rockets-3.yaml"
    assert first.parent == sandbox / "datasets" / "incidents" / "2024"
    actor, _ = new_record(sandbox, schema_set, "actor", slug="Kata'ib Hezbollah")
    assert actor.name == "kataib-hezbollah-2.yaml"


def test_slugify():
    assert slugify("Kata'ib Hezbollah") == "kataib-hezbollah"
    assert slugify("  Ain al-Asad: rockets!  ") == "ain-al-asad-rockets"
    assert slugify("كتائب") == "new"


def test_filled_template_validates(sandbox, schema_set):
    path, _ = new_record(sandbox, schema_set, "incident", date="2024-08-09", slug="filled")
    text = path.read_text()
    values = {
        "title:": "title: Drone attack on Rumalyn Landing Zone",
        "summary:": "summary: A one-way attack drone struck Rumalyn Landing Zone in Syria.",
        "  start:": '  start: "2024-08-09"', "  end:": '  end: "2024-08-09"', "  precision:": "  precision: day",
        "  name:": "  name: Fixture Landing Zone", "  country:": "  country: SY",
        "  geo_precision:": "  geo_precision: near-named-place", "event_type:": "event_type: attack",
        "weapons:": "weapons: [one-way-attack-drone]", "outcome:": "outcome: impact",
        "  - actor:": "  - actor: us-armed-forces", "    role:": "    role: target",
        "    sources:": "    sources: [jpost]", "  - key:": "  - key: jpost",
        "    publisher:": "    publisher: The Jerusalem Post", "    title:": "    title: US troops attacked in Syria",
        "    url:": "    url: https://www.jpost.com/breaking-news/article-814104",
        "    published:": '    published: "2024-08-10"',
        "    excerpt:": "    excerpt: U.S. troops at Rumalyn Landing Zone were attacked by a drone.",
    }
    lines = [values.get(line, line) for line in text.splitlines()]
    path.write_text("\n".join(lines) + "\n")
    assert load_text(path.read_text()).problems == []
    report = validate([path], sandbox, schema_set=schema_set)
    assert report.issues == [], [i.to_dict() for i in report.issues]


def test_cli_new(sandbox, capsys):
    assert main(["new", "site", "--slug", "Rumalyn Landing Zone", "--root", str(sandbox)]) == 0
    out = capsys.readouterr().out
    assert "wrote datasets/sites/site-rumalyn-landing-zone.yaml" in out and "  - name" in out
    assert main(["new", "incident", "--date", "2024-02-30", "--root", str(sandbox)]) == 2
