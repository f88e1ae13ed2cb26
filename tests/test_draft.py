"""`forcewatch draft`: from a report's text to a draft whose every value quotes its words,
whose blanks are what the report does not say, and which validates once they are filled."""

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from forcewatch.cli import main
from forcewatch.draft import draft_report, read_report, write_draft
from forcewatch.draft.lexicon import load_lexicon
from forcewatch.validate import validate
from forcewatch.yamlsafe import load_text

from .conftest import REPO

CASES = yaml.safe_load((REPO / "benchmarks" / "draft_cases.yaml").read_text(encoding="utf-8"))["cases"]


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon(REPO)


def draft(text, lexicon, **options):
    return draft_report(text, REPO, lexicon=lexicon, **options)


FILL = {"title": "A drafted incident", "summary": "What happened, in the contributor's own words.",
        "name": "Somewhere in Iraq", "country": "IQ", "geo_precision": "country", "event_type": "attack",
        "weapons": ["unknown"], "outcome": "unknown", "actor": "us-armed-forces", "role": "target",
        "publisher": "A publisher", "url": "https://example.org/report", "excerpt": "What the report says.",
        "force": "us-armed-forces", "precision": "day"}


def fill_blanks(data, date):
    """What a contributor does: a value in every blank field."""
    def walk(node, path):
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in list(items):
            if value is None:
                name = key if isinstance(key, str) else path[-1]
                if name in ("start", "end", "published", "date"):
                    node[key] = date
                elif name == "title" and "sources" in path:
                    node[key] = "A page title"
                else:
                    node[key] = FILL[name]
            elif isinstance(value, (dict, list)):
                walk(value, path + [key])
    walk(data, [])
    return data


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_a_filled_draft_validates_clean(case, lexicon, sandbox, schema_set):
    result = draft_report(case["text"], sandbox, url=case.get("url"), publisher=case.get("publisher"),
                          published=case.get("published"), lexicon=lexicon)
    written = write_draft(result, sandbox)
    assert written[0].blanks == result.blanks and "summary" in result.blanks
    for item in written:
        loaded = load_text(item.path.read_text(encoding="utf-8"))
        assert loaded.problems == []
        date = (loaded.data.get("when") or {}).get("start") or case.get("published") or "2024-01-01"
        item.path.write_text(yaml.safe_dump(fill_blanks(loaded.data, date), sort_keys=False, allow_unicode=True),
                             encoding="utf-8")
    report = validate([w.path for w in written], sandbox, schema_set=schema_set, use_cache=False)
    # A report of an event the dataset holds is, rightly, a likely duplicate of it.
    assert [i.to_dict() for i in report.issues if i.code != "likely-duplicate"] == []


def test_unfilled_draft_fails_only_on_its_blanks(lexicon, sandbox, schema_set):
    case = CASES[1]
    result = draft_report(case["text"], sandbox, publisher=case["publisher"], url=case["url"],
                          published=case["published"], lexicon=lexicon)
    written = write_draft(result, sandbox)
    report = validate([written[0].path], sandbox, schema_set=schema_set, use_cache=False)
    assert {i.code for i in report.errors} == {"blank-field"}
    assert len(report.errors) == len(result.blanks)


def test_every_filled_value_quotes_its_words(lexicon):
    case = CASES[1]
    text = draft(case["text"], lexicon, published=case["published"]).yaml
    lines = text.splitlines()
    for key in ("start:", "precision:", "name:", "site:", "country:", "event_type:", "weapons:", "outcome:",
                "status:", "party:", "weapon:", "relays:"):
        line = next(i for i, l in enumerate(lines) if l.strip().lstrip("- ").startswith(key) and not l.startswith("status:"))
        assert '# "' in lines[line] or lines[line - 1].lstrip().startswith('# from "'), lines[line]
    assert '# "two Katyusha rockets"' in text and '"no group has claimed responsibility."' in text


def test_the_issue_examples(lexicon):
    text = ("At least two rockets struck the Ain al Asad base late Monday, injuring at least five people, including "
            "both U.S. troops and contractors, following a July 16 drone attack on the Ain al Asad base. "
            "No group has claimed responsibility. U.S. officials blamed Iran-backed militias. The United States "
            "has about 2,500 American troops in Iraq and 900 in Syria.")
    d = draft(text, lexicon, published="2024-08-06")
    ex = d.extraction
    assert (ex.when["start"].value, ex.when["end"].value, ex.when["precision"].value, ex.when["time_of_day"].value) \
        == ("2024-08-05", "2024-08-05", "day", "evening")
    assert ex.place["site"].value == "site-ain-al-asad-air-base" and ex.place["admin1"].value == "Anbar"
    assert [(m["weapon"], m.get("low"), m["qualifier"]) for m in ex.munitions] == [("rocket", 2, "at-least")]
    assert [(c["party"], c["harm"], c.get("low"), c["qualifier"]) for c in ex.casualties] == \
        [("us-personnel", "injured", 5, "at-least")]
    assert ex.responsibility.value == "unclaimed"
    attributed = [a for a in ex.actors if a["role"].value == "attributed"]
    assert attributed and attributed[0]["by"].value == "U.S. officials"
    assert [(l["incident"], l["relation"]) for l in ex.links] == [("inc-2024-07-16-ain-al-asad-drones", "follows")]
    assert [(p["country"], p["estimate"]) for p in ex.posture] == [
        ("IQ", {"best": 2500, "qualifier": "approximately"}), ("SY", {"best": 900, "qualifier": "approximately"})]
    assert len(d.postures) == 2 and d.postures[0]["id"].startswith("fp-us-armed-forces-iq-2024-08-06")


def test_barrage_has_no_count_and_several_troops(lexicon):
    ex = draft("A barrage of rockets hit a base housing U.S. forces in Syria on Thursday, wounding several "
               "American troops.", lexicon, published="2024-08-09").extraction
    assert [w.value for w in ex.weapons] == ["rocket"] and ex.munitions == []
    assert [(c["party"], c["qualifier"]) for c in ex.casualties] == [("us-military", "several")]


def test_claim_by_alias(lexicon):
    ex = draft("Two drones targeted Harir air base hosting U.S. forces on Sunday. The Islamic Resistance in Iraq "
               "claimed responsibility in a statement on Telegram.", lexicon, published="2024-01-29").extraction
    claimed = [a for a in ex.actors if a["role"].value == "claimed"]
    assert ex.responsibility.value == "claimed" and claimed[0]["actor"].value == "islamic-resistance-in-iraq"
    assert claimed[0]["channel"].value.startswith("Statement on Telegram")


@pytest.mark.parametrize("words, published, expected", [
    ("overnight", "2024-08-06", ("2024-08-05", "2024-08-06", "few-days", None)),
    ("last week", "2024-08-06", ("2024-07-29", "2024-08-04", "week", None)),
    ("late last month", "2024-08-06", ("2024-07-21", "2024-07-31", "month", None)),
    ("on Thursday", "2024-08-09", ("2024-08-08", "2024-08-08", "day", None)),
    # 10:30 p.m. U.S. Eastern (EDT) on Sunday is 05:30 on Monday in Iraq.
    ("at 10:30 p.m. ET on Sunday", "2024-08-06", ("2024-08-05", "2024-08-05", "day", "early-morning")),
    ("late Saturday ET", "2024-01-29", ("2024-01-28", "2024-01-28", "day", "early-morning")),
])
def test_relative_dates(words, published, expected, lexicon):
    ex = draft(f"Rockets were fired at a U.S. base in Iraq {words}, officials said.", lexicon, published=published).extraction
    got = tuple(ex.when[k].value if ex.when.get(k) else None for k in ("start", "end", "precision", "time_of_day"))
    assert got == expected
    assert ex.when["note"].value


def test_relative_date_without_publication_date_stays_blank(lexicon):
    d = draft("Rockets were fired at a U.S. base in Iraq late Monday.", lexicon)
    assert "when.start" in d.blanks and any("--published" in m for m in d.missing)


def test_bad_input(tmp_path, capsys):
    empty, bad = tmp_path / "empty.txt", tmp_path / "bad.txt"
    empty.write_bytes(b"  \n")
    bad.write_bytes(b"caf\xe9")
    assert read_report(empty)[1].code == "empty-file" and read_report(bad)[1].code == "not-utf8"
    assert main(["draft", str(empty), "--root", str(REPO)]) == 2
    assert "empty" in capsys.readouterr().err
    assert main(["draft", str(bad), "--root", str(REPO)]) == 2
    assert "not UTF-8" in capsys.readouterr().err
    other = tmp_path / "other.txt"
    other.write_text("The city council approved a new budget for parks on Tuesday.", encoding="utf-8")
    assert main(["draft", str(other), "--root", str(REPO)]) == 1
    captured = capsys.readouterr()
    assert "Not found in the report: the event" in captured.out and "no sentence tells of an attack" in captured.err
    assert main(["draft", str(other), "--published", "2024-13-01", "--root", str(REPO)]) == 2


def test_cli_write_never_overwrites_and_lists_blanks(sandbox, tmp_path, capsys):
    report = tmp_path / "report.txt"
    report.write_text(CASES[14]["text"], encoding="utf-8")  # Rumalyn, with two posture figures
    args = ["draft", str(report), "--published", "2024-08-12", "--publisher", "Mestios", "--write", "--root", str(sandbox)]
    assert main(args) == 0
    first = capsys.readouterr().out
    assert "wrote datasets/incidents/2024/inc-2024-08-09-" in first and "left blank" in first and "summary" in first
    assert first.count("wrote datasets/force_posture/fp-us-armed-forces-") == 2
    assert main(args) == 0
    second = capsys.readouterr().out
    assert set(second.split()) & set(first.split()) >= {"wrote"}
    written = [line.split()[1].rstrip(";") for line in (first + second).splitlines() if line.startswith("wrote")]
    assert len(written) == len(set(written)) == 6


def test_json_equals_the_library_result(capsys, lexicon, tmp_path):
    import json
    report = tmp_path / "r.txt"
    report.write_text(CASES[1]["text"], encoding="utf-8")
    assert main(["draft", str(report), "--published", "2024-08-05", "--format", "json", "--root", str(REPO)]) == 0
    got = json.loads(capsys.readouterr().out)
    assert got == draft(CASES[1]["text"], lexicon, published="2024-08-05").to_dict()


def test_quick_commands_do_not_import_the_draft():
    code = ("import sys; from forcewatch.cli import main; main(['explain', 'blank-field']); "
            "assert not any(m.startswith('forcewatch.draft') for m in sys.modules), 'draft imported'")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert proc.returncode == 0, proc.stderr


def test_lexicon_comes_from_the_records(sandbox):
    site = sandbox / "datasets" / "sites" / "site-fixture-landing-zone.yaml"
    site.write_text(
        'id: site-fixture-landing-zone\nrecord_type: site\nschema_version: "1.2.0"\nstatus: active\n'
        "name: Fixture Landing Zone\naliases: [Fixturezone]\nsite_kind: landing-zone\ncountry: SY\nadmin1: Hasakah\n"
        "sources: []\n", encoding="utf-8")
    ex = draft_report("A drone attacked U.S. troops at Fixturezone on Friday.", sandbox, published="2024-08-10").extraction
    assert ex.place["site"].value == "site-fixture-landing-zone" and ex.place["admin1"].value == "Hasakah"


def test_contributing_worked_example_runs(lexicon):
    """Docs tested like code: the guide's report, drafted, gives the lines the guide shows."""
    import re
    guide = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = guide[guide.index("## From an article to a pull request"):guide.index("## Add a record")]
    report = re.search(r"```text\n(.*?)```", section, re.S).group(1)
    command = re.search(r"```sh\n(forcewatch draft .*?)```", section, re.S).group(1).replace("\\\n", " ")
    shown = re.search(r"```yaml\n(.*?)```", section, re.S).group(1)
    options = dict(re.findall(r"--(publisher|published|url) (\S+)", command))
    out = draft(report, lexicon, **options).yaml
    for line in shown.splitlines():
        assert line in out.splitlines(), line
