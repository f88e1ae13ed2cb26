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

from .tables import TABLES_OF, Table
from .write import arrow_type

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


def _record_tree(record_type: str) -> dict:
    """The fields of a record that its tables read, as a tree: name -> column type (a leaf),
    a dict (a mapping) or a _ListOf (a list of mappings)."""
    tree: dict = {}
    for table in TABLES_OF[record_type]:
        row = tree if table.items is None else tree.setdefault(table.items, _ListOf()).fields
        for column in table.columns:
            value = column.get
            base = tree if value.of_parent else row
            if value.kind == "field":
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


def table_of(table: Table, records):
    """The raw Arrow table of one release table from the records' StructArray, sorted by
    primary key (the records come sorted by id; sort_indices is stable)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if table.items is None:
        rows, parents, seq = records, None, None
    else:
        items = pc.struct_field(records, [table.items])
        rows = pc.list_flatten(items)
        parents, seq = _positions(pa, pc, items)
    arrays = [_column(pa, pc, c.get, rows, records, parents, seq) for c in table.columns]
    raw = pa.Table.from_arrays(arrays, names=[c.name for c in table.columns])
    order = pc.sort_indices(raw, sort_keys=[(key, "ascending") for key in table.primary_key])
    return raw.take(order)


def tables_of(record_type: str, jsonl: bytes, longest_line: int) -> list:
    """(Table, raw Arrow table) for each table of a record type, from its records' lines."""
    records = read_records(record_type, jsonl, longest_line)
    return [(table, table_of(table, records)) for table in TABLES_OF[record_type]]
