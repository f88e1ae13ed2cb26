"""The loader against the YAML specification, on cases written for this project in the spirit
of the YAML test suite's valid and invalid cases (its data is not copied): valid YAML loads to
the value the specification gives, or is refused only by a rule of forcewatch's own (anchors,
tags, several documents, keys that are not text) or, where libyaml cannot read it, as
`yaml-unsupported` with an honest message; invalid YAML is refused as `yaml-syntax`, never
loaded, including the invalid documents libyaml itself accepts."""

import pytest

from forcewatch.yamlsafe import load_text

POLICY = {"yaml-anchor", "yaml-tag", "yaml-multiple-documents", "yaml-bad-key", "yaml-duplicate-key",
          "yaml-not-mapping"}

# (name, text, the value the specification gives)
VALID = [
    ("block mapping", "a: 1\nb: two\n", {"a": 1, "b": "two"}),
    ("nested mappings", "a:\n  b:\n    c: x\n  d: y\n", {"a": {"b": {"c": "x"}, "d": "y"}}),
    ("block sequence", "a:\n  - x\n  - y\n", {"a": ["x", "y"]}),
    ("sequence at the key's indentation", "a:\n- x\n- y\nb: z\n", {"a": ["x", "y"], "b": "z"}),
    ("nested compact sequences", "a:\n  - - x\n    - y\n  - - z\n", {"a": [["x", "y"], ["z"]]}),
    ("sequence of mappings", "a:\n  - k: 1\n    v: 2\n  - k: 3\n", {"a": [{"k": 1, "v": 2}, {"k": 3}]}),
    ("flow collections", "a: [x, {b: c}, []]\nd: {}\n", {"a": ["x", {"b": "c"}, []], "d": {}}),
    ("flow list over indented lines", "a: [x,\n  y,\n  z]\n", {"a": ["x", "y", "z"]}),
    ("flow mapping over indented lines", "a: {b: 1,\n    c: 2}\n", {"a": {"b": 1, "c": 2}}),
    ("plain text over lines", "a: one\n  two\n\n  three\n", {"a": "one two\nthree"}),
    ("double-quoted escapes", 'a: "t\\tn\\n\\u00e9\\x41\\"q\\\\"\n', {"a": 't\tn\néA"q\\'}),
    ("single-quoted apostrophe", "a: 'it''s'\n", {"a": "it's"}),
    ("quoted text over indented lines", 'a: "one\n  two\n\n  three"\n', {"a": "one two\nthree"}),
    ("quoted text with a tab after the indentation", 'a: "one\n  \ttwo"\n', {"a": "one two"}),
    ("literal block", "a: |\n  x\n   y\n", {"a": "x\n y\n"}),
    ("literal block, strip", "a: |-\n  x\n\n", {"a": "x"}),
    ("literal block, keep", "a: |+\n  x\n\nb: 1\n", {"a": "x\n\n", "b": 1}),
    ("folded block", "a: >\n  one\n  two\n\n  three\n", {"a": "one two\nthree\n"}),
    ("block with an indentation indicator", "a: |2\n    x\n  y\n", {"a": "  x\ny\n"}),
    ("block with fewer spaces on a leading blank line", "a: |\n \n  x\n", {"a": "\nx\n"}),
    ("block header, then a comment", "a: > # why\n  x\n", {"a": "x\n"}),
    ("comments", "# top\na: 1 # after\n# between\nb:\n  - x # item\n", {"a": 1, "b": ["x"]}),
    ("a hash inside a word", "a: b#c\nurl: https://example.org/x#part\n", {"a": "b#c", "url": "https://example.org/x#part"}),
    ("a colon inside a word", "a: http://x:80/y\nb: 12:30\n", {"a": "http://x:80/y", "b": "12:30"}),
    ("dashes and question marks in words", "a: -x\nb: x - y\nc: why?\nd: [a?b]\n", {"a": "-x", "b": "x - y", "c": "why?", "d": ["a?b"]}),
    ("document markers", "---\na: 1\n...\n", {"a": 1}),
    ("a YAML 1.2 directive", "%YAML 1.2\n---\na: 1\n", {"a": 1}),
    ("empty values", "a:\nb: ~\nc: null\n", {"a": None, "b": None, "c": None}),
    ("windows line ends", "a: 1\r\nb:\r\n  - x\r\n", {"a": 1, "b": ["x"]}),
    ("a byte-order mark", "\ufeffa: 1\n", {"a": 1}),
    ("unicode text", "name: قاعدة عين الأسد\nalias: כוחות\n", {"name": "قاعدة عين الأسد", "alias": "כוחות"}),
    ("keys with spaces and quotes", "a b: 1\n\"c: d\": 2\n'e': 3\n", {"a b": 1, "c: d": 2, "e": 3}),
    ("an explicit key", "? a\n: 1\n", {"a": 1}),
    ("a tab before a comment and after a colon", "a: 1\t# c\nb:\tx\n", {"a": 1, "b": "x"}),
    ("trailing spaces", "a: 1   \nb: x  \n", {"a": 1, "b": "x"}),
    ("a tab inside quotes", 'a: "x\ty"\n', {"a": "x\ty"}),
    ("a JSON document", '{"a": [1, 2.5, true, null], "b": {"c": "d"}}', {"a": [1, 2.5, True, None], "b": {"c": "d"}}),
]

# Valid YAML that forcewatch refuses by a rule of its own (and says so).
VALID_REFUSED = [
    ("an anchor and an alias", "a: &x 1\nb: *x\n", "yaml-anchor"),
    ("a tag", "a: !!str 1\n", "yaml-tag"),
    ("two documents", "a: 1\n---\nb: 2\n", "yaml-multiple-documents"),
    ("a mapping as a key", "? {a: 1}\n: 2\n", "yaml-bad-key"),
    ("an empty key", ": 1\n", "yaml-bad-key"),
    ("a list at the top", "- a\n- b\n", "yaml-not-mapping"),
]

# Valid YAML that libyaml cannot read: an honest message, not a contributor's mistake.
VALID_UNSUPPORTED = [
    ("a tab after `-`", "a:\n  -\tx\n"),
    ("a tab after `-` before a mapping", "a:\n  -\tb: 1\n"),
    ("nested `-` with tabs", "a:\n  -\t-\tx\n"),
    ("a value starting with `:` in a flow list", "a: [:x]\n"),
    ("a value starting with `:` after a comma", "a: [x, :y]\n"),
]

# (name, text, the line of the mistake)
INVALID = [
    ("a tab as indentation", "a:\n\tb: 1\n", 2),
    ("a line indented less than its siblings", "a:\n    b: 1\n  c: 2\n", 3),
    ("a line indented under a field that has a value", "a: 1\n  b: 2\n", 2),
    ("a list item without `-`", "a:\n  - x\n  y: 1\n", 3),
    ("a list item's field out of line", "a:\n  - k: 1\n   v: 2\n", 3),
    ("an unclosed double quote", 'a: "x\n', 1),
    ("an unclosed single quote", "a: 'x\n", 1),
    ("an unclosed quote before more fields", 'a: "x\nb: 1\nc: "y"\n', 1),
    ("an apostrophe in single quotes", "a: 'it's'\n", 1),
    ("text after a closing quote", 'a: "x" y\n', 1),
    ("a colon in an unquoted value", "a: b: c\n", 1),
    ("a colon in an unquoted list item", "a:\n  - b: c: d\n", 2),
    ("an unclosed flow list", "a: [x, y\nb: 1\n", 1),
    ("an unclosed flow mapping", "a: {x: 1\n", 1),
    ("a list on the line of its field", "a: - x\n", 1),
    ("an unknown escape", 'a: "\\q"\n', 1),
    ("a value starting with `@`", "a: @x\n", 1),
    ("a value starting with a backtick", "a: `x`\n", 1),
    ("a line without a colon", "a: 1\nb\nc: 2\n", 3),
    ("a scalar then a mapping", "a\nb: c\n", 2),
    ("a sequence then a mapping", "- a\nb: c\n", 2),
    ("text after a quoted key", '"a"b: 1\n', 1),
    ("nesting beyond any record", "a:" + "".join(f"\n{'  ' * i}b:" for i in range(1, 80)) + " x\n", None),
    # Invalid, and accepted by libyaml: refused by the loader's own checks.
    ("a comment right after a closing double quote", 'title: "value"# note\n', 1),
    ("a comment right after a closing single quote", "title: 'value'# note\n", 1),
    ("a comment right after a block indicator", "a: |# note\n  x\n", 1),
    ("a flow list whose lines are not indented", "a: [x,\ny,\nz]\n", 2),
    ("a flow mapping whose closing line is not indented", "a: {b: 1,\n}\n", 2),
    ("a quoted text whose lines are not indented", 'a: "x\ny\nz"\n', 1),
    ("a quoted text continued after a tab", 'a: "x\n\ty"\n', 2),
    ("a nested quoted text not indented past its key", 'a:\n  b: "x\n  y"\n', 2),
    ("a block whose leading blank line is wider than its text", "a: >\n \n   \n  x\n", 3),
    ("a block of blank lines wider than a comment-like first line", "a: >\n  \n   \n # not a comment\n", 3),
]


@pytest.mark.parametrize("name, text, value", VALID, ids=[c[0] for c in VALID])
def test_valid_yaml_loads_as_the_specification_says(name, text, value):
    loaded = load_text(text)
    assert loaded.problems == [], [(p.code, p.message) for p in loaded.problems]
    assert loaded.data == value


@pytest.mark.parametrize("name, text, code", VALID_REFUSED, ids=[c[0] for c in VALID_REFUSED])
def test_valid_yaml_refused_by_a_rule_of_forcewatch(name, text, code):
    loaded = load_text(text)
    assert {p.code for p in loaded.problems} == {code}


@pytest.mark.parametrize("name, text", VALID_UNSUPPORTED, ids=[c[0] for c in VALID_UNSUPPORTED])
def test_valid_yaml_libyaml_cannot_read_gets_an_honest_message(name, text):
    problems = load_text(text).problems
    assert [p.code for p in problems] == ["yaml-unsupported"]
    assert "valid YAML" in problems[0].message and problems[0].hint
    assert problems[0].line == 2 if text.startswith("a:\n") else 1


@pytest.mark.parametrize("name, text, line", INVALID, ids=[c[0] for c in INVALID])
def test_invalid_yaml_is_refused_at_the_line_of_the_mistake(name, text, line):
    loaded = load_text(text)
    assert [p.code for p in loaded.problems] == ["yaml-syntax"], [(p.code, p.message) for p in loaded.problems]
    problem = loaded.problems[0]
    assert problem.message and problem.hint
    assert "this context" not in problem.message and "did not find expected" not in problem.message
    if line is not None:
        assert problem.line == line, (problem.line, problem.message)


def _documented_features():
    """(feature, example, code) of each row of the contributor guide's table of the YAML that
    records may not use; `\\n`, `\\t`, `\\xNN` and `\\uNNNN` in an example stand for the
    character."""
    import re

    from .conftest import REPO
    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = text.split("### YAML that records may not use", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| (.+?) \| `(.+?)` \| `([a-z-]+)` \|$", section, re.M)
    return [(feature, example.replace("\\|", "|").encode().decode("unicode_escape"), code)
            for feature, example, code in rows]


DOCUMENTED = _documented_features()


def test_the_contributor_guide_lists_the_refused_features():
    assert len(DOCUMENTED) >= 15


@pytest.mark.parametrize("feature, example, code", DOCUMENTED, ids=[d[0] for d in DOCUMENTED])
def test_each_documented_refusal_is_what_the_loader_does(feature, example, code, schema_set):
    if code == "bidi-control":
        from forcewatch.checks.record import check_bidi_controls
        loaded = load_text(example)
        assert loaded.bidi_controls and [c for c, *_ in check_bidi_controls(loaded.data, "incident")] == [code]
        return
    from forcewatch.yamlsafe import load_bytes
    assert code in {p.code for p in load_bytes(example.encode()).problems}, feature
