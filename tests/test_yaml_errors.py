"""YAML mistakes in a real record are reported in plain words, at the line of the mistake,
with the likely cause and a fix: wrong indentation, a tab, a missing `-`, an unclosed quote,
a colon in an unquoted value, text after a closing quote. One mistake, one issue."""

import pytest

from forcewatch.yamlsafe import load_text

from .conftest import REPO

RECORD = (REPO / "datasets/incidents/2024/inc-2024-08-05-ain-al-asad-rockets.yaml").read_text()
LINES = RECORD.split("\n")


def _line_of(text: str) -> int:
    """1-based number of the first line that is exactly `text`."""
    return LINES.index(text) + 1


def _edit(line_text: str, new: str) -> tuple[str, int]:
    n = _line_of(line_text)
    lines = list(LINES)
    lines[n - 1] = new
    return "\n".join(lines), n


MISTAKES = {
    # name: (line as it is, the line with the mistake, words the message must hold, words of the fix)
    "a tab as indentation": ("  precision: day", "\tprecision: day", "tab", "spaces"),
    "a field indented one space too far": ("  precision: day", "   precision: day", "indented by 3", "2 spaces"),
    "a field indented one space too little": ("    role: target", "   role: target", "indented by 3", "4 spaces"),
    "a missing `-` before a list item": ("  - actor: us-led-coalition", "  actor: us-led-coalition",
                                         "does not start with `- `", "`- `"),
    "an unclosed quote": ('  start: "2024-08-05"', '  start: "2024-08-05', "not closed", 'closing `"`'),
    "an unclosed quote mid-file": ('    published: "2024-08-05"', '    published: "2024-08-05', "quote", 'closing `"`'),
    "a colon in an unquoted value": ("title: Rocket attack on Ain al-Asad Air Base injures U.S. personnel",
                                     "title: Ain al-Asad: rockets injure U.S. personnel", "`: `",
                                     'title: "Ain al-Asad: rockets injure U.S. personnel"'),
    "text after a closing quote": ('  end: "2024-08-05"', '  end: "2024-08-05"# same day', "closing quote", "space"),
    "words after a closing quote": ('  end: "2024-08-05"', '  end: "2024-08-05" same day', "closing quote", "quotes"),
}


@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_a_mistake_is_explained_at_its_line(name):
    original, broken, words, fix_words = MISTAKES[name]
    text, line = _edit(original, broken)
    problems = load_text(text).problems
    assert len(problems) == 1, [(p.code, p.line, p.message) for p in problems]
    problem = problems[0]
    assert problem.code == "yaml-syntax"
    assert problem.line == line, (problem.line, problem.message)
    assert words in problem.message and fix_words in problem.hint, (problem.message, problem.hint)


def test_the_record_itself_loads():
    assert load_text(RECORD).problems == []


def test_a_missing_dash_that_merges_two_items_says_so():
    """Without its `-`, an item's fields join the item above: the duplicate key's fix says why."""
    text, line = _edit("  - actor: us-led-coalition", "    actor: us-led-coalition")
    problems = load_text(text).problems
    assert [p.code for p in problems] == ["yaml-duplicate-key"] and problems[0].line == line
    assert "`- `" in problems[0].hint


def test_text_after_a_quote_is_refused_never_dropped():
    loaded = load_text('title: "value"# note\n')
    assert [p.code for p in loaded.problems] == ["yaml-syntax"]
    assert loaded.problems[0].column == len('title: "value"') + 1
