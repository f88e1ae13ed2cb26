"""Records to release tables, in Arrow: the records' lines of records.jsonl are read by
Arrow's JSON reader, and every column is taken out of them with Arrow's compute functions,
as the table specs in `tables` say (`Value`). No Python runs per cell.

The result is one "raw" Arrow table per release table: the values as the records hold them
(dates still as their ISO text), sorted by primary key. `write` turns it into the CSV rows
and the typed Arrow table that Parquet gets.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from functools import lru_cache

from .tables import TABLES_OF, Derived, Table
from .write import arrow_type

@dataclass(frozen=True)
class Context:
    """What a derived value may need from other records than its own: the sites'
    coordinates (site id -> (lat, lon)), for incidents and posture figures at a site; the
    actors' memberships (`memberships.memberships`), for the actor_memberships table."""
    sites: dict = field(default_factory=dict)
    memberships: dict = field(default_factory=dict)


@dataclass
class _ListOf:
    """A list of mappings in the record (a table's items, or a list that is counted)."""
    fields: dict = field(default_factory=dict)


def _put(tree: dict, path: tuple, leaf) -> None:
    *parents, last = path
    for name in parents:
        tree = tree.setdefault(name, {})
    if last not in tree:
        tree[last] = leaf


def _needs_tree(needs: dict) -> dict:
    """A `Derived.needs` spec as a record tree (`[{...}]` is a list of mappings)."""
    tree: dict = {}
    for name, kind in needs.items():
        if isinstance(kind, list):
            tree[name] = _ListOf(_needs_tree(kind[0]))
        elif isinstance(kind, dict):
            tree[name] = _needs_tree(kind)
        else:
            tree[name] = kind
    return tree


def _merge(tree: dict, extra: dict) -> None:
    for name, node in extra.items():
        mine = tree.get(name)
        if mine is None:
            tree[name] = node
        elif isinstance(mine, _ListOf) and isinstance(node, _ListOf):
            _merge(mine.fields, node.fields)
        elif isinstance(mine, dict) and isinstance(node, dict):
            _merge(mine, node)


def _record_tree(record_type: str) -> dict:
    """The fields of a record that its tables read, as a tree: name -> column type (a leaf),
    a dict (a mapping) or a _ListOf (a list of mappings)."""
    tree: dict = {}
    for table in TABLES_OF[record_type]:
        if isinstance(table.items, Derived):
            _merge(tree, _needs_tree(table.items.needs))
            row = {}  # the rule's rows are made in Python, not read
        else:
            row = tree if table.items is None else tree.setdefault(table.items, _ListOf()).fields
        for column in table.columns:
            value = column.get
            base = tree if value.of_parent else row
            if value.kind == "derived":
                _merge(tree, _needs_tree(value.derived.needs))
            elif value.kind == "field":
                # Dates stay text until `write.arrow_table`: the CSV writes them as the record does.
                _put(base, value.path, "string" if column.type == "date" else column.type)
            elif value.kind == "flag":
                _put(base, value.path, "boolean")
            elif value.kind == "count":
                _put(base, value.path, _ListOf())
    return tree


def _read_type(pa, node):
    if isinstance(node, _ListOf):
        return pa.list_(_read_type(pa, node.fields))
    if isinstance(node, dict):
        return pa.struct([(name, _read_type(pa, child)) for name, child in sorted(node.items())])
    return arrow_type(pa, node)


@lru_cache(maxsize=None)
def read_schema(record_type: str):
    """The Arrow schema the JSON reader reads a record type's lines with: only the fields its
    tables need (the others are skipped), typed as the tables want them."""
    import pyarrow as pa
    struct = _read_type(pa, _record_tree(record_type))
    return pa.schema(list(struct))


def read_records(record_type: str, jsonl: bytes, longest_line: int):
    """The records of `jsonl` (one canonical JSON record per line) as one StructArray."""
    import pyarrow as pa
    import pyarrow.json as pj

    schema = read_schema(record_type)
    if not jsonl:
        return pa.StructArray.from_arrays([pa.array([], type=f.type) for f in schema], fields=list(schema))
    # A block must hold the longest line whole.
    read = pj.ReadOptions(block_size=max(1 << 20, 2 * longest_line + 2))
    parse = pj.ParseOptions(explicit_schema=schema, unexpected_field_behavior="ignore")
    return pj.read_json(io.BytesIO(jsonl), read_options=read, parse_options=parse).to_struct_array().combine_chunks()


def _positions(pa, pc, items):
    """For the flattened items of a list array: the index of each item's record, and its
    position in that record's list."""
    parents = pc.list_parent_indices(items)
    offsets = items.offsets
    start = offsets[0].as_py()
    flat_index = pa.array(range(start, start + len(parents)), type=pa.int64())
    return parents, pc.subtract(flat_index, pc.take(pc.cast(offsets, pa.int64()), parents))


def _partial_records(records, needs: dict) -> list[dict]:
    """The records as Python mappings holding only the fields a rule needs (missing fields
    left out, as in the record)."""
    import pyarrow as pa
    names = [name for name in needs if records.type.get_field_index(name) >= 0]
    arrays = [records.field(name) for name in names]
    rows = pa.StructArray.from_arrays(arrays, names=names).to_pylist() if names else [{}] * len(records)
    return [_drop_nulls(row) for row in rows]


def _drop_nulls(value):
    if isinstance(value, dict):
        return {k: _drop_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_nulls(v) for v in value]
    return value


def _apply(rule: Derived, records, context: Context, made: dict) -> list:
    """The rule's value for each record. A rule shared by several columns (`Derived.pick`)
    runs once per record: its results are kept in `made` for the record type's tables."""
    key = (rule.rule, id(rule.needs), rule.with_context)
    if key not in made:
        whole = Derived(rule.rule, rule.needs, rule.with_context)
        partial = ("partial", id(rule.needs))  # rules that read the same fields read them once
        if partial not in made:
            made[partial] = _partial_records(records, rule.needs)
        made[key] = [whole.value(r, context) for r in made[partial]]
    values = made[key]
    return values if rule.pick is None else [value[rule.pick] for value in values]


def _derived_column(pa, column, records, parents, context, made):
    rule = column.get.derived
    values = _apply(rule, records, context, made)
    array = pa.array(values, type=arrow_type(pa, "string" if column.type == "date" else column.type))
    return array.take(parents) if parents is not None else array


def _derived_rows(pa, table: Table, records, context, made_before):
    """The rows a Derived `items` rule makes of each record, with each row's record index and
    its position among that record's rows."""
    made = _apply(table.items, records, context, made_before)
    parents = pa.array([i for i, rows in enumerate(made) for _ in rows], type=pa.int64())
    seq = pa.array([j for rows in made for j in range(len(rows))], type=pa.int64())
    fields = {c.get.path[0]: c for c in table.columns if c.get.kind == "field" and not c.get.of_parent}
    struct = pa.struct([(name, arrow_type(pa, "string" if c.type == "date" else c.type)) for name, c in fields.items()])
    rows = pa.array([{name: row.get(name) for name in fields} for rows in made for row in rows], type=struct)
    return rows, parents, seq


def _column(pa, pc, value, rows, records, parents, seq):
    if value.kind == "seq":
        return seq
    base = records if value.of_parent else rows
    values = pc.struct_field(base, list(value.path))
    if value.of_parent and parents is not None:
        values = pc.take(values, parents)
    if value.kind == "count":
        return pc.fill_null(pc.list_value_length(values), 0)
    if value.kind == "flag":
        return pc.fill_null(values, False)
    return values


def table_of(table: Table, records, context: Context = Context(), made: dict | None = None):
    """The raw Arrow table of one release table from the records' StructArray, sorted by
    primary key (the records come sorted by id; sort_indices is stable). `made`: the derived
    rules' results so far, shared by the tables of the same records."""
    import pyarrow as pa
    import pyarrow.compute as pc

    made = {} if made is None else made
    if table.items is None:
        rows, parents, seq = records, None, None
    elif isinstance(table.items, Derived):
        rows, parents, seq = _derived_rows(pa, table, records, context, made)
    else:
        items = pc.struct_field(records, [table.items])
        rows = pc.list_flatten(items)
        parents, seq = _positions(pa, pc, items)
    arrays = [_derived_column(pa, c, records, parents, context, made) if c.get.kind == "derived"
              else _column(pa, pc, c.get, rows, records, parents, seq) for c in table.columns]
    raw = pa.Table.from_arrays(arrays, names=[c.name for c in table.columns])
    order = pc.sort_indices(raw, sort_keys=[(key, "ascending") for key in table.primary_key])
    return raw.take(order)


def tables_of(record_type: str, jsonl: bytes, longest_line: int, context: Context = Context()) -> list:
    """(Table, raw Arrow table) for each table of a record type, from its records' lines."""
    records = read_records(record_type, jsonl, longest_line)
    made: dict = {}
    return [(table, table_of(table, records, context, made)) for table in TABLES_OF[record_type]]
