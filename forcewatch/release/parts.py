"""One slice of a release: the records of one record type from one run of consecutive ids,
made from their lines of records.jsonl (`flatten`) into their CSV rows and Arrow tables.

A large release is built in slices of at most a few thousand records, on every core: each
reads its run of lines from records.jsonl (already written, sorted by record type and id)
and writes its tables to files; the build joins them in id order. The join is exact:
- the records arrive sorted by id, and every table's primary key starts with the id of the
  record its rows come from (a test checks this), so joined slices are sorted by key;
- the csv writer keeps no state from one row to the next;
- the Arrow slices are joined into one chunk before Parquet sees them.
So a release is byte for byte the same however it was sliced (a test proves it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .diff import line_summary
from .flatten import Context, tables_of
from .write import arrow_table, csv_rows


@dataclass
class Part:
    """A slice's text goes to files (the build joins them), not back through a pipe."""
    tables: dict = field(default_factory=dict)  # table name -> (file of CSV rows, Arrow IPC file)
    summaries: dict = field(default_factory=dict)  # id -> diff summary
    status_counts: dict = field(default_factory=dict)  # status -> records
    problem: str | None = None  # why the slice's tables could not be made


def build_part_at(record_type: str, jsonl: Path, start: int, end: int, metadata: dict[str, str], folder: Path,
                  index: int, context: Context = Context()) -> Part:
    """`build_part` of the lines of `jsonl` (records.jsonl) from byte `start` to byte `end`."""
    with open(jsonl, "rb") as handle:
        handle.seek(start)
        return build_part(record_type, handle.read(end - start), metadata, folder, index, context)


def build_part(record_type: str, jsonl: bytes, metadata: dict[str, str], folder: Path, index: int,
               context: Context = Context()) -> Part:
    """The slice made of these records (their lines of records.jsonl, each ended by a
    newline, sorted by id, all of `record_type`); its files are written in `folder`, named
    after the slice's `index`."""
    from ..validate import collector_paused
    with collector_paused():  # also in a worker, where the build's own pause does not reach
        return _build_part(record_type, jsonl, metadata, Path(folder), index, context)


def _build_part(record_type: str, jsonl: bytes, metadata: dict[str, str], folder: Path, index: int,
                context: Context) -> Part:
    part = Part()
    lines = jsonl.split(b"\n")[:-1]
    longest = max(map(len, lines), default=0) + 1
    import pyarrow as pa
    try:
        tables = tables_of(record_type, jsonl, longest, context)
    except pa.ArrowInvalid as exc:  # a value the table's column cannot hold: the schema and the tables disagree
        part.problem = f"release tables: the {record_type} records do not fit the table columns: {exc}"
        return part
    del jsonl
    _summarize(part, lines, next(raw for table, raw in tables if table.items is None))
    for table, raw in tables:
        rows = folder / f"{table.name}.{index}.csv.part"
        rows.write_bytes(csv_rows(table, raw))
        arrow = folder / f"{table.name}.{index}.arrow.part"
        _write_ipc(arrow_table(table, raw, metadata), arrow)
        part.tables[table.name] = (rows, arrow)
        del raw
    del tables
    pa.default_memory_pool().release_unused()  # a worker builds many slices, one at a time
    return part


def _summarize(part: Part, lines: list[bytes], records) -> None:
    """Each record's diff summary and the count of each status, from the slice's record-level
    table (one row per record, in the order of `lines`: both are sorted by id)."""
    ids, statuses, merged = (records.column(name).to_pylist() for name in ("id", "status", "merged_into"))
    part.summaries = {rid: line_summary(line, status, into) for rid, line, status, into in zip(ids, lines, statuses, merged)}
    for status in statuses:
        part.status_counts[status] = part.status_counts.get(status, 0) + 1


def _write_ipc(table, path: Path) -> None:
    import pyarrow as pa
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)


def read_ipc(path: Path):
    """An Arrow IPC file, memory-mapped: its columns are not copied into this process."""
    import pyarrow as pa
    return pa.ipc.open_file(pa.memory_map(str(path), "r")).read_all()


def slice_bounds(offsets: list[int], workers: int, min_slice: int, max_slice: int) -> list[list[int]]:
    """The lines whose starts are `offsets` (then the end of the last) cut as `slices` cuts
    them: for each slice, the starts of its lines and then its end."""
    runs = slices(list(range(len(offsets) - 1)), workers, min_slice, max_slice)
    return [offsets[run[0]:run[-1] + 2] if run else offsets[-1:] for run in runs]


def slices(items: list, workers: int, min_slice: int, max_slice: int) -> list[list]:
    """`items` cut into runs of consecutive items: at least one per worker when there are
    enough (none smaller than `min_slice`), and none larger than `max_slice`, so a worker
    holds one moderate slice at a time."""
    if not items:
        return [[]]
    count = max(1, min(workers, len(items) // max(min_slice, 1)), -(-len(items) // max_slice))
    size = -(-len(items) // count)
    return [items[i:i + size] for i in range(0, len(items), size)]
