"""Property-based fuzzing of the loader and of the whole validator: generated YAML, random
bytes, and structure-aware mutations of the real records (a line dropped, doubled, moved or
re-indented, a quote or bracket removed, special characters inserted, a value replaced). For
every input: no exception (a crash is what the CLI reports as "internal error"), every issue
a catalogue code with a message, no hang (each example runs under an alarm) and bounded
memory (the peak of Python allocations per example). The budget is fixed (examples per test,
derandomized) so that the run takes seconds in CI, the same cases every time."""

import contextlib
import shutil
import signal
import tracemalloc
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forcewatch import codes
from forcewatch.schemas import load_schema_set
from forcewatch.validate import validate
from forcewatch.yamlsafe import load_bytes, load_text

from .conftest import REPO

RECORDS = sorted((REPO / "datasets").rglob("*.yaml"))
SCHEMA_SET = load_schema_set(REPO / "schema", remember_check=False)  # not a fixture: kept out of failure reports
SECONDS_PER_EXAMPLE = 10  # far above any real case (milliseconds): only a hang reaches it
PEAK_BYTES = 64 * 1024 * 1024
FUZZ = settings(max_examples=300, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


class Hang(Exception):
    pass


@contextlib.contextmanager
def bounded(seconds=SECONDS_PER_EXAMPLE, peak=PEAK_BYTES):
    """Fail instead of hanging, and fail if the example allocates more than `peak`."""
    def alarm(signum, frame):
        raise Hang(f"no answer within {seconds} s")
    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    tracemalloc.start()
    try:
        yield
        _, high = tracemalloc.get_traced_memory()
        assert high < peak, f"peak allocation {high} bytes"
    finally:
        tracemalloc.stop()
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _check_problems(loaded):
    for p in loaded.problems:
        assert p.code in codes.CATALOGUE and p.message, p
        assert p.line is None or p.line >= 1


# --- generated inputs ---------------------------------------------------------------------

scalars = (st.none() | st.booleans() | st.integers(-10**12, 10**12) | st.floats(allow_nan=False)
           | st.text(max_size=20) | st.sampled_from(["yes", "NO", "010", "1.0.0", "2024-01-01", "a: b", "# x",
                                                    "'", '"', "- x", "[", "{", "&a", "*a", "!t", "|", ">"]))
structures = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                          | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=12)
SPECIAL = list(":-?[]{},#&*!|>'\"%@`\t\n \r\\") + ["\u202e", "\u00a0", "\ufeff", "\x00", "\x85", "\u2028"]


@st.composite
def yaml_texts(draw):
    """YAML as a dumper writes it (block or flow style, any indentation), then mutated."""
    data = draw(structures)
    text = yaml.safe_dump(data, default_flow_style=draw(st.sampled_from([False, True, None])),
                          indent=draw(st.integers(2, 6)), width=draw(st.integers(20, 200)), allow_unicode=True)
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(text)))
        kind = draw(st.sampled_from(["insert", "delete", "replace"]))
        char = draw(st.sampled_from(SPECIAL))
        if kind == "insert":
            text = text[:at] + char + text[at:]
        elif kind == "delete":
            text = text[:at] + text[at + 1:]
        else:
            text = text[:at] + char + text[at + 1:]
    return text


def _mutate_lines(lines: list[str], draw) -> list[str]:
    """One structure-aware change to a record's lines."""
    if not lines:
        return lines
    n = draw(st.integers(0, len(lines) - 1))
    line = lines[n]
    kind = draw(st.sampled_from(["drop", "double", "move", "indent", "dedent", "tab", "unquote", "unbracket",
                                 "undash", "insert", "value", "truncate", "colon"]))
    if kind == "drop":
        return lines[:n] + lines[n + 1:]
    if kind == "double":
        return lines[:n + 1] + [line] + lines[n + 1:]
    if kind == "move":
        m = draw(st.integers(0, len(lines) - 1))
        rest = lines[:n] + lines[n + 1:]
        return rest[:m] + [line] + rest[m:]
    if kind == "indent":
        return lines[:n] + [" " * draw(st.integers(1, 3)) + line] + lines[n + 1:]
    if kind == "dedent":
        return lines[:n] + [line[draw(st.integers(1, 3)):]] + lines[n + 1:]
    if kind == "tab":
        return lines[:n] + [line.replace("  ", "\t", 1)] + lines[n + 1:]
    if kind == "unquote":
        return lines[:n] + [line.replace('"', "", 1)] + lines[n + 1:]
    if kind == "unbracket":
        return lines[:n] + [line.replace("]", "", 1).replace("[", "", 1)] + lines[n + 1:]
    if kind == "undash":
        return lines[:n] + [line.replace("- ", "", 1)] + lines[n + 1:]
    if kind == "insert":
        at = draw(st.integers(0, len(line)))
        return lines[:n] + [line[:at] + draw(st.sampled_from(SPECIAL)) + line[at:]] + lines[n + 1:]
    if kind == "value" and ": " in line:
        key = line.split(": ", 1)[0]
        value = draw(st.sampled_from(["", "~", "[]", "{}", "five", "2.5", "1e400", "-1", "yes", "'x'", '"x"',
                                      "[a, b]", "{a: 1}", "&a x", "*a", "!!str x", "|", ">-", "'''", '"\\q"']))
        return lines[:n] + [f"{key}: {value}"] + lines[n + 1:]
    if kind == "truncate":
        return lines[:n] + [line[:draw(st.integers(0, len(line)))]]
    if kind == "colon":
        return lines[:n] + [line + ": x"] + lines[n + 1:]
    return lines


@st.composite
def mutated_records(draw):
    path = draw(st.sampled_from(RECORDS))
    lines = path.read_text(encoding="utf-8").split("\n")
    for _ in range(draw(st.integers(1, 3))):
        lines = _mutate_lines(lines, draw)
    return path, "\n".join(lines)


# --- the loader ------------------------------------------------------------------------------

@FUZZ
@given(yaml_texts())
def test_the_loader_survives_generated_yaml(text):
    with bounded():
        loaded = load_text(text)
    _check_problems(loaded)
    if not loaded.problems:
        assert isinstance(loaded.data, dict)


@FUZZ
@given(st.binary(max_size=600))
def test_the_loader_survives_bytes(raw):
    with bounded():
        loaded = load_bytes(raw)
    _check_problems(loaded)


@FUZZ
@given(mutated_records())
def test_the_loader_survives_mutated_records(case):
    _, text = case
    with bounded():
        loaded = load_text(text)
    _check_problems(loaded)


# --- the whole validator ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzz") / "repo"
    for name in ("schema", "validators", "datasets"):
        shutil.copytree(REPO / name, root / name)
    return root


@settings(FUZZ, max_examples=150)
@given(case=mutated_records())
def test_the_validator_survives_mutated_records(sandbox, case):
    path, text = case
    target = sandbox / path.relative_to(REPO)
    original = target.read_bytes()
    try:
        target.write_text(text, encoding="utf-8")
        with bounded():
            report = validate([target], sandbox, schema_set=SCHEMA_SET)
    finally:
        target.write_bytes(original)
    for issue in report.issues:
        assert issue.code in codes.CATALOGUE and issue.message and issue.hint is not None, issue
    data = report.to_dict()
    assert data["summary"]["errors"] == len(report.errors)


@settings(FUZZ, max_examples=60)
@given(text=yaml_texts())
def test_the_validator_survives_generated_files(sandbox, text):
    target = sandbox / "datasets" / "incidents" / "2024" / "fuzz.yaml"
    try:
        target.write_text(text, encoding="utf-8")
        with bounded():
            report = validate([target], sandbox, schema_set=SCHEMA_SET)
    finally:
        target.unlink()
    assert not report.valid or report.records == 1
    for issue in report.issues:
        assert issue.code in codes.CATALOGUE and issue.message, issue


def test_the_bound_catches_a_hang():
    """The alarm turns a hang into a failure (so the fuzz tests can fail on one)."""
    import time
    with pytest.raises(Hang):
        with bounded(seconds=0.2):
            time.sleep(5)
