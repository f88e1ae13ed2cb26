"""`forcewatch new`: a template with the next free id that fails only on its blanks."""


import pytest

from forcewatch.cli import main
from forcewatch.template import new_record, slugify
from forcewatch.validate import validate
from forcewatch.yamlsafe import load_text

from .conftest import REPO


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


def test_date_fills_when_and_comments_wrap_between_words(sandbox, schema_set):
    path, blanks = new_record(sandbox, schema_set, "incident", date="2024-08-09", slug="dated")
    text = path.read_text()
    assert '  start: "2024-08-09"  # from --date' in text and '  end: "2024-08-09"  # from --date' in text
    assert "when.start" not in blanks and "when.end" not in blanks and "when.precision" in blanks
    comments = [line.strip().lstrip("#").strip() for line in text.splitlines() if line.strip().startswith("#")]
    assert not any(line.endswith("-") for line in comments), "a comment breaks a word at its hyphen"
    for term in ("crewed-aircraft-strike", "uncrewed-aircraft-strike", "one-way-attack-drone", "partly-intercepted",
                 "local-security-forces", "confirmed-by-state"):
        assert term in text, term  # every allowed term written whole
    for skeleton in ("# munitions:", "# casualties:", "# responsibility:", "#   - actor: islamic-resistance-in-iraq",
                     "  # site:"):
        assert skeleton in text, skeleton
    undated, _ = new_record(sandbox, schema_set, "incident", slug="undated")
    assert "  start:\n" in undated.read_text()


def test_commented_skeletons_validate_once_uncommented(sandbox, schema_set):
    path, _ = new_record(sandbox, schema_set, "incident", date="2024-08-09", slug="skeletons")
    text = path.read_text()
    block = text[text.index("# munitions:"):text.index("# More actors")].splitlines()
    skeleton = "\n".join(line[2:] for line in block if not line[2:].lstrip().startswith("#"))
    parts = load_text(skeleton).data
    assert set(parts) == {"munitions", "casualties", "responsibility"}, skeleton
    assert parts["casualties"][0]["party"] == "us-military" and parts["munitions"][0]["qualifier"] == "at-least"
