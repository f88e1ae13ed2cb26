"""The safe loader keeps YAML 1.1 surprises from changing values and never raises."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forcewatch.yamlsafe import load_bytes, load_text, resolve_plain


@pytest.mark.parametrize("text,value", [
    ("NO", "NO"), ("no", "no"), ("on", "on"), ("Off", "Off"), ("y", "y"), ("yes", "yes"),
    ("010", "010"), ("0o10", "0o10"), ("0x1F", "0x1F"), ("1_000", "1_000"), ("12:30", "12:30"),
    ("2024-08-05", "2024-08-05"), ("1.0.0", "1.0.0"), (".inf", ".inf"), ("nan", "nan"),
    ("true", True), ("false", False), ("null", None), ("~", None), ("", None),
    ("0", 0), ("-3", -3), ("2500", 2500), ("2.5", 2.5), ("1e3", 1000.0),
])
def test_plain_scalars(text, value):
    assert resolve_plain(text) == value
    assert type(resolve_plain(text)) is type(value)


def test_quoted_scalars_stay_text():
    assert load_text('a: "010"\nb: \'true\'\n').data == {"a": "010", "b": "true"}


def test_positions_point_at_keys():
    loaded = load_text("a: 1\nb:\n  - c: 2\n    d: x\n")
    assert loaded.position(("b", 0, "d")) == (4, 5)
    assert loaded.position(("b", 0, "missing")) == (3, 5)


def test_billion_laughs_is_refused_without_expansion():
    text = "a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\nd: [*c, *c]\n"
    loaded = load_text(text)
    assert {p.code for p in loaded.problems} == {"yaml-anchor"}


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_never_raises_on_bytes(raw):
    loaded = load_bytes(raw)
    for p in loaded.problems:
        assert p.code and p.message


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab:-[]{}&*!?'\"#|>%@`\n \t,0.")), max_size=80))
def test_never_raises_on_yaml_like_text(text):
    load_text(text)


@pytest.mark.parametrize("text, whole", [
    ("best: 2.0\n", True), ("best: 1e3\n", True), ("best: -4.0\n", True),
    ("latitude: 33.5\n", False), ("best: '2.0'\n", False), ("best: 2\n", False), ("title: 2.0 km\n", False),
    ("items:\n  - {best: 7.0}\n", True),
])
def test_the_loader_notes_a_whole_number_written_with_a_point(text, whole):
    """The schema step looks for 2.0 in integer fields only when the loader saw such a number."""
    assert load_text(text).whole_floats is whole
