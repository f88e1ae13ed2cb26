"""Write release tables as CSV (RFC 4180) and Parquet, byte for byte the same on every build."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from .tables import LIST_SEPARATOR, TableData

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\Z")

CSV_FORMULA_RULE = (
    "In free-text columns, a CSV cell that starts with =, +, -, @, a tab or a carriage return "
    "and is not a number is prefixed with a single quote (') so that spreadsheets show it as "
    "text instead of running it as a formula (OWASP CSV injection guidance). Parquet files "
    "keep the raw value."
)


def neutralise(text: str) -> str:
    if text.startswith(FORMULA_START) and not _NUMBER.match(text):
        return "'" + text
    return text


def _csv_converter(column):
    """value -> CSV text for one column; chosen once per column, not once per cell."""
    if column.type == "list":
        return lambda v: "" if v is None else LIST_SEPARATOR.join(v)
    if column.type == "boolean":
        return lambda v: "" if v is None else ("true" if v else "false")
    if column.type == "number":
        return lambda v: "" if v is None else repr(float(v))
    if column.free_text:
        return lambda v: "" if v is None else neutralise(str(v))
    return lambda v: "" if v is None else str(v)


def _needs_conversion(column) -> bool:
    """Whether the csv module's own rendering (None as empty, str() for the rest) is not
    already the release's: lists, booleans, numbers and free text need ours."""
    return column.type in ("list", "boolean", "number") or column.free_text


def write_csv(data: TableData, path: Path) -> None:
    columns = data.table.columns
    special = [i for i, c in enumerate(columns) if _needs_conversion(c)]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow([c.name for c in columns])
        if not data.rows:
            return
        # Column by column: one conversion per special column instead of one call per cell.
        cells = list(data.columns())
        for i in special:
            convert = _csv_converter(columns[i])
            cells[i] = [convert(v) for v in cells[i]]
        writer.writerows(zip(*cells))


def _arrow_type(pa, column):
    return {
        "string": pa.string(), "integer": pa.int64(), "number": pa.float64(),
        "boolean": pa.bool_(), "date": pa.date32(), "list": pa.list_(pa.string()),
    }[column.type]


def _arrow_array(pa, values: list, column):
    if column.type == "date":  # ISO dates: Arrow parses them in C
        return pa.array(values, type=pa.string()).cast(pa.date32())
    if column.type == "number":
        return pa.array([None if v is None else float(v) for v in values], type=pa.float64())
    return pa.array(values, type=_arrow_type(pa, column))


def write_parquet(data: TableData, path: Path, metadata: dict[str, str]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    columns = data.table.columns
    fields = [pa.field(c.name, _arrow_type(pa, c), nullable=not c.required,
                       metadata={"description": (c.description or "").encode()}) for c in columns]
    schema = pa.schema(fields, metadata={k.encode(): v.encode() for k, v in sorted(metadata.items())})
    arrays = [_arrow_array(pa, list(values), c) for values, c in zip(data.columns(), columns)]
    table = pa.Table.from_arrays(arrays, schema=schema)
    buffer = pa.BufferOutputStream()
    pq.write_table(table, buffer, compression="zstd", compression_level=9, store_schema=True,
                   write_statistics=True, use_dictionary=True)
    path.write_bytes(strip_writer_version(buffer.getvalue().to_pybytes()))


def strip_writer_version(raw: bytes) -> bytes:
    """Overwrite the footer's `created_by` (which names the library version) with a neutral
    string of the same length, so the bytes do not depend on the pyarrow release."""
    marker = b"parquet-cpp-arrow version "
    start = raw.rfind(marker)
    if start == -1:
        return raw
    end = start + len(marker)
    while end < len(raw) and raw[end:end + 1] in b"0123456789.-abcdefghijklmnopqrstuvwxyzSNAPHOT":
        end += 1
    neutral = b"forcewatch".ljust(end - start, b" ")
    return raw[:start] + neutral + raw[end:]
