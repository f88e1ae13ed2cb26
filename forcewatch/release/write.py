"""Write release tables as CSV (RFC 4180) and Parquet, byte for byte the same on every build."""

from __future__ import annotations

import csv
import io
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


def _csv_cells(column, values) -> list:
    """A column's values as the csv module should write them (it writes None as an empty
    cell and other values with str()): one comprehension per column, no call per cell."""
    if column.type == "list":
        join = LIST_SEPARATOR.join
        return [None if v is None else join(v) for v in values]
    if column.type == "boolean":
        return [None if v is None else ("true" if v else "false") for v in values]
    if column.type == "number":
        return [None if v is None else repr(float(v)) for v in values]
    if column.free_text:  # only cells that start like a formula need a closer look
        return [neutralise(str(v)) if v is not None and str(v).startswith(FORMULA_START) else v for v in values]
    return values


def csv_header(table) -> bytes:
    return _csv_text([[c.name for c in table.columns]]).encode("utf-8")


def csv_rows(data: TableData) -> bytes:
    """The table's rows as CSV, without the header: rows of consecutive slices of a table
    join into the table's CSV (the csv writer keeps no state from one row to the next)."""
    if not data.rows:
        return b""
    # Column by column: one conversion per column instead of one call per cell.
    cells = [_csv_cells(column, values) for column, values in zip(data.table.columns, data.columns())]
    return _csv_text(zip(*cells)).encode("utf-8")


def _csv_text(rows) -> str:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL).writerows(rows)
    return buffer.getvalue()


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


def arrow_table(data: TableData, metadata: dict[str, str]):
    """The table as Arrow, typed and described as in the data package."""
    import pyarrow as pa

    columns = data.table.columns
    fields = [pa.field(c.name, _arrow_type(pa, c), nullable=not c.required,
                       metadata={"description": (c.description or "").encode()}) for c in columns]
    schema = pa.schema(fields, metadata={k.encode(): v.encode() for k, v in sorted(metadata.items())})
    arrays = [_arrow_array(pa, list(values), c) for values, c in zip(data.columns(), columns)]
    return pa.Table.from_arrays(arrays, schema=schema)


def write_parquet_table(table, path: Path) -> None:
    """Slices joined with `pa.concat_tables` are written as one chunk, so the bytes do not
    depend on how the table was sliced."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    buffer = pa.BufferOutputStream()
    pq.write_table(table.combine_chunks(), buffer, compression="zstd", compression_level=9, store_schema=True,
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
