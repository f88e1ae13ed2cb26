"""A file name (or a key) that needs escaping is escaped in every output format: one issue
stays one line, and no name can pass for two files or colour the terminal. And a
bidirectional control character in any text is an error, while Arabic script is welcome."""

import json
import shutil
import subprocess
import sys

import pytest

from forcewatch.checks.record import check_bidi_controls
from forcewatch.render import escaped, shown_file

from .conftest import FIXTURES, REPO

NAME = "datasets/incidents/2024/inc-2024-01-01-x.yaml\nfake.yaml"


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    root = tmp_path_factory.mktemp("esc") / "repo"
    for name in ("schema", "validators", "datasets"):
        shutil.copytree(REPO / name, root / name)
    text = (FIXTURES / "invalid/unknown-term/inc-2024-01-01-fixture-unknown-term.yaml").read_text()
    (root / NAME).write_text(text.replace("\nid:", "\n\"key\\nwith \\e[31m escapes\": 1\nid:", 1)
                             if "\nid:" in text else "\"key\\nwith \\e[31m escapes\": 1\n" + text)
    return root


def _run(root, *args):
    proc = subprocess.run([sys.executable, "-m", "forcewatch", "validate", "--no-cache", "--root", str(root), *args,
                           str(root / NAME)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    return proc.stdout


def test_text_format_quotes_and_escapes_the_name(sandbox):
    out = _run(sandbox)
    shown = '"datasets/incidents/2024/inc-2024-01-01-x.yaml\\nfake.yaml"'
    issue_lines = [line for line in out.splitlines() if "] " in line and not line.startswith("  ")]
    assert issue_lines and all(line.startswith(shown + ":") for line in issue_lines), out
    assert not any(line.startswith("fake.yaml") for line in out.splitlines())
    assert "\x1b" not in out and "\\x1b[31m" in out  # the key's terminal escape is shown, not run


def test_json_format_keeps_the_name_exactly(sandbox):
    data = json.loads(_run(sandbox, "--format", "json"))
    assert {i["file"] for i in data["issues"]} == {NAME}


def test_github_format_escapes_the_name(sandbox):
    lines = _run(sandbox, "--format", "github").splitlines()
    assert all(line.startswith(("::", "forcewatch:")) for line in lines), lines
    assert any("file=datasets/incidents/2024/inc-2024-01-01-x.yaml%0Afake.yaml" in line
               for line in lines)
    assert not any("\x1b" in line for line in lines)


def test_plain_names_are_shown_as_they_are():
    assert shown_file("datasets/actors/hamas.yaml") == "datasets/actors/hamas.yaml"
    assert shown_file("a\tb.yaml") == '"a\\tb.yaml"' and shown_file('a"\u202e.yaml') == '"a\\"\\u202e.yaml"'
    assert escaped("قاعدة عين الأسد") == "قاعدة عين الأسد"


@pytest.mark.parametrize("char", [chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]])
def test_every_bidirectional_control_is_found(char):
    record = {"title": "Rocket attack", "sources": [{"excerpt": f"two{char} rockets"}], "aliases": ["x"]}
    found = list(check_bidi_controls(record, "incident"))
    assert [(code, path) for code, path, _, _ in found] == [("bidi-control", ("sources", 0, "excerpt"))]
    assert f"U+{ord(char):04X}" in found[0][2]


def test_arabic_and_hebrew_script_and_direction_marks_are_welcome():
    record = {"title": "هجوم صاروخي على قاعدة عين الأسد", "names": ["כוחות", "al-Asad\u200f"]}
    assert list(check_bidi_controls(record, "actor")) == []
