"""The release tables are made in Arrow (`flatten`, `write.csv_rows`). These tests hold them to
plain Python readings of what they must be: the rows to the table specs read record by
record, and the CSV text to what the csv module writes."""

import copy
import csv
import io
import json
import sys

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forcewatch.recordline import canonical_json
from forcewatch.coordinates import site_coordinates
from forcewatch.memberships import memberships
from forcewatch.release.flatten import Context, tables_of
from forcewatch.release.tables import LIST_SEPARATOR, RECORD_TYPE_ORDER, TABLES_OF, Column, Derived, Table, at
from forcewatch.release.write import FORMULA_START, csv_rows, neutralise
from forcewatch.validate import validate

from .conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
from synthetic import make_repo  # noqa: E402


def _value_at(row, path):
    for part in path:
        if not isinstance(row, dict):
            return None
        row = row.get(part)
    return row


def _context(records_of_type) -> Context:
    return Context(sites=site_coordinates(records_of_type.get("site", [])),
                   memberships=memberships(records_of_type.get("actor", [])))


def reference_rows(table, records, context=None) -> list[list]:
    """The table's rows read from the specs in plain Python, one record at a time."""
    rows = []
    for record in records:
        if table.items is None:
            items = [(record, None)]
        elif isinstance(table.items, Derived):
            items = list((item, i) for i, item in enumerate(table.items.value(record, context or Context())))
        else:
            items = list((item, i) for i, item in enumerate(record.get(table.items) or []))
        for row, position in items:
            values = []
            for column in table.columns:
                value = column.get
                base = record if value.of_parent else row
                if value.kind == "derived":  # the rule applied to the whole record
                    values.append(value.derived.value(record, context or Context()))
                elif value.kind == "seq":
                    values.append(position)
                elif value.kind == "count":
                    values.append(len(_value_at(base, value.path) or []))
                elif value.kind == "flag":
                    values.append(bool(_value_at(base, value.path)))
                else:
                    values.append(_value_at(base, value.path))
            rows.append(values)
    names = [c.name for c in table.columns]
    key = [names.index(k) for k in table.primary_key]
    return sorted(rows, key=lambda values: [values[i] for i in key])


def arrow_rows(record_type, records, context=None) -> dict[str, list[list]]:
    lines = [canonical_json(r).encode() for r in sorted(records, key=lambda r: r["id"])]
    jsonl = b"".join(line + b"\n" for line in lines)
    return {table.name: [list(row.values()) for row in raw.to_pylist()]
            for table, raw in tables_of(record_type, jsonl, max(map(len, lines), default=0), context or Context())}


def records_by_type(root) -> dict[str, list[dict]]:
    report = validate(None, root, keep_lines=True, use_cache=False)
    out: dict[str, list[dict]] = {t: [] for t in RECORD_TYPE_ORDER}
    for entry in report.entries:
        if entry.line is not None and entry.record_type:
            out[entry.record_type].append(json.loads(entry.line))
    return out


def awkward(records: list[dict]) -> list[dict]:
    """Variants that the real records may not have: lists missing, empty or null, optional
    mappings missing, items in an order other than their keys', text that needs quoting."""
    out = []
    for n, record in enumerate(records[:20]):
        record = copy.deepcopy(record)
        record["id"] = record["id"] + f"-variant-{n}"
        for name in ("actors", "casualties", "munitions", "links", "aliases", "relations"):
            if name in record:
                record[name] = [[], None, record[name]][n % 3]
                if record[name] is None:
                    del record[name]
        if isinstance(record.get("sources"), list):
            record["sources"] = list(reversed(record["sources"]))
            for source in record["sources"]:
                source["excerpt"] = 'She said, "=1+2"\r\nthen left; ' + source.get("excerpt", "")
        for name in ("place", "when", "launch_point", "coordinates", "identifiers"):
            if n % 2 and name in record:
                del record[name]
        out.append(record)
    return out


def _assert_same(records_of_type):
    for record_type, records in records_of_type.items():
        context = _context(records_of_type)
        got = arrow_rows(record_type, records, context)
        for table in TABLES_OF[record_type]:
            assert got[table.name] == reference_rows(table, sorted(records, key=lambda r: r["id"]), context), table.name


def test_tables_of_the_real_records_are_what_the_specs_say(repo):
    _assert_same(records_by_type(repo))


def test_tables_of_generated_and_awkward_records_are_what_the_specs_say(tmp_path):
    by_type = records_by_type(make_repo(tmp_path / "repo", 300, seed=11))
    by_type = {t: records + awkward(records) for t, records in by_type.items()}
    _assert_same(by_type)


def test_no_records_give_empty_tables():
    for record_type in RECORD_TYPE_ORDER:
        for table, raw in tables_of(record_type, b"", 0):
            assert raw.num_rows == 0 and raw.column_names == [c.name for c in table.columns]


def test_every_primary_key_starts_with_its_records_id(repo, release):
    """What makes slices join exactly: rows of a record sort with the record's id first."""
    seen = set()
    by_type = records_by_type(repo)
    context = _context(by_type)
    for record_type, records in by_type.items():
        for record in records:
            for table in TABLES_OF[record_type]:
                rows = arrow_rows(record_type, [record], context)[table.name]
                first = [c.name for c in table.columns].index(table.primary_key[0])
                assert all(row[first] == record["id"] for row in rows), table.name
                seen.update(table.name for _ in rows[:1])
    package = json.loads((release / "datapackage.json").read_text())
    assert seen == {r["name"] for r in package["resources"] if r["forcewatch:rows"]}


# --- CSV: what the csv module writes --------------------------------------------------------

_COLUMNS = (
    Column("text", "string", at("text")),
    Column("free", "string", at("free"), free_text=True),
    Column("day", "date", at("day")),
    Column("count", "integer", at("count")),
    Column("figure", "number", at("figure")),
    Column("flag", "boolean", at("flag")),
    Column("keys", "list", at("keys")),
)
_TABLE = Table("t", "incident", "T", "T", _COLUMNS, ("text",))
_ARROW = {"string": pa.string(), "date": pa.string(), "integer": pa.int64(), "number": pa.float64(),
          "boolean": pa.bool_(), "list": pa.list_(pa.string())}


def csv_module_rows(rows) -> bytes:
    """The release's CSV rule, written out with the csv module: lists joined, booleans as
    true/false, numbers as the float's repr, formula-like free text neutralised."""
    def cell(column, value):
        if value is None:
            return None
        if column.type == "list":
            return LIST_SEPARATOR.join(value)
        if column.type == "boolean":
            return "true" if value else "false"
        if column.type == "number":
            return repr(float(value))
        if column.free_text and value.startswith(FORMULA_START):
            return neutralise(value)
        return value
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL).writerows(
        [[cell(c, v) for c, v in zip(_COLUMNS, row)] for row in rows])
    return buffer.getvalue().encode("utf-8")


_text = st.text(st.characters(codec="utf-8"), max_size=12) | st.sampled_from(
    ["", ",", '"', '""', "\r", "\n", "\r\n", "a,b", 'say "hi"', "=SUM(A1)", "+1", "-2.5e3", "-x", "@me",
     "\tx", "\rx", " lead", "trail ", "é,ü", "٣", "-٣"])
_row = st.tuples(
    _text, st.none() | _text, st.none() | _text,
    st.none() | st.integers(-2**63, 2**63 - 1),
    st.none() | st.floats(allow_nan=False, allow_infinity=False) | st.integers(-10**6, 10**6).map(float),
    st.none() | st.booleans(),
    st.none() | st.lists(_text, max_size=4),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_row, min_size=1, max_size=6))
def test_csv_rows_are_what_the_csv_module_writes(rows):
    columns = list(zip(*rows))
    raw = pa.Table.from_arrays([pa.array(list(values), type=_ARROW[c.type]) for c, values in zip(_COLUMNS, columns)],
                               names=[c.name for c in _COLUMNS])
    assert csv_rows(_TABLE, raw) == csv_module_rows(rows)


@pytest.mark.parametrize("value", ["=1", "-1", "-1.5", "+1e5", "@x", "-", "\t1", "-٣", "- note", "-.5", "-5."])
def test_formula_like_free_text_is_neutralised_as_neutralise_does(value):
    raw = pa.Table.from_arrays([pa.array(["k"]), pa.array([value])], names=["text", "free"])
    table = Table("t", "incident", "T", "T", _COLUMNS[:2], ("text",))
    expected = io.StringIO(newline="")
    csv.writer(expected, lineterminator="\r\n").writerow(["k", neutralise(value)])
    assert csv_rows(table, raw) == expected.getvalue().encode()


def test_a_value_the_columns_cannot_hold_is_a_problem_not_a_crash(repo, tmp_path):
    """Validation keeps such values out (a count of 2.0 is `wrong-type`); should one reach the
    build all the same, the slice reports it and the build fails with the reason."""
    from forcewatch.release.parts import build_part
    record = next(r for r in records_by_type(repo)["incident"] if r.get("casualties"))
    record = copy.deepcopy(record)
    record["casualties"][0]["best"] = 2.5
    part = build_part("incident", canonical_json(record).encode() + b"\n", {}, tmp_path, 0)
    assert part.problem and "incident records do not fit the table columns" in part.problem
    assert not part.tables


def test_a_line_longer_than_the_readers_block_is_read_whole(repo):
    record = copy.deepcopy(records_by_type(repo)["incident"][0])
    record["sources"][0]["excerpt"] = "long, " * 400_000  # 2.4 MB: more than one default block
    rows = arrow_rows("incident", [record])
    assert rows["incident_sources"] == reference_rows(next(t for t in TABLES_OF["incident"] if t.name == "incident_sources"), [record])


def test_a_slice_summarizes_each_record_as_the_diff_does(repo, tmp_path):
    """The slice takes each record's status and merged_into from its Arrow table, not from
    the record: the summaries must be those of the records themselves."""
    from forcewatch.release.diff import summarize
    from forcewatch.release.parts import build_part
    for record_type, records in records_by_type(repo).items():
        if not records:
            continue
        merged = copy.deepcopy(records[0])
        merged.update(id=merged["id"] + "-merged", status="merged", merged_into=records[0]["id"])
        records = sorted(records + awkward(records) + [merged], key=lambda r: r["id"])
        part = build_part(record_type, b"".join(canonical_json(r).encode() + b"\n" for r in records), {}, tmp_path, 0)
        assert part.summaries == {r["id"]: summarize(r) for r in records}, record_type
        statuses = [r.get("status") for r in records]
        assert part.status_counts == {s: statuses.count(s) for s in set(statuses)}
