"""Write release tables as CSV (RFC 4180) and Parquet, byte for byte the same on every build."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from .tables import LIST_SEPARATOR

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


# The csv module's minimal quoting (csv.QUOTE_MINIMAL, "\r\n" line ends): a cell is quoted
# when it holds the delimiter, the quote character or a line-end character, and a quote
# inside is doubled. `csv_rows` does the same in Arrow; a test holds it to the csv module.
_NEEDS_QUOTES = '[,"\r\n]'
_FORMULA_START_PATTERN = "^[" + "".join("\\" + c if c in "\\]^-" else c for c in FORMULA_START) + "]"


def _neutralised(pa, pc, values):
    """Free text with every cell that starts like a formula passed through `neutralise`
    (few are: only those are handed to Python)."""
    starts = pc.fill_null(pc.match_substring_regex(values, _FORMULA_START_PATTERN), False)
    if not pc.any(starts).as_py():
        return values
    fixed = [neutralise(text) for text in pc.filter(values, starts).to_pylist()]
    return pc.replace_with_mask(values, starts, pa.array(fixed, type=pa.string()))


def _csv_cells(pa, pc, column, values):
    """A column's cells as CSV text (null for an empty cell), written as the csv module writes
    the values: lists joined, booleans as true/false, numbers as Python's repr of the float."""
    if column.type == "list":
        values = pc.binary_join(values, LIST_SEPARATOR)
    elif column.type in ("boolean", "integer"):
        return pc.cast(values, pa.string())  # never needs quotes
    elif column.type == "number":  # Python's float repr (Arrow's differs, e.g. 33.0 -> "33")
        return pa.array([None if v is None else repr(v) for v in values.to_pylist()], type=pa.string())
    elif column.free_text:
        values = _neutralised(pa, pc, values)
    needs_quotes = pc.match_substring_regex(values, _NEEDS_QUOTES)
    if not pc.any(needs_quotes).as_py():  # most columns: nothing to quote
        return values
    quoted = pc.binary_join_element_wise('"', pc.replace_substring(values, '"', '""'), '"', "")
    return pc.if_else(needs_quotes, quoted, values)


def csv_header(table) -> bytes:
    return _csv_text([[c.name for c in table.columns]]).encode("utf-8")


def csv_rows(table, raw) -> bytes:
    """The rows of a raw table (see `flatten`) as CSV, without the header: rows of
    consecutive slices of a table join into the table's CSV. Column by column in Arrow."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not raw.num_rows:
        return b""
    cells = [_csv_cells(pa, pc, column, raw.column(column.name).combine_chunks()) for column in table.columns]
    lines = pc.binary_join_element_wise(*cells, ",", null_handling="replace", null_replacement="")
    lines = pc.binary_join_element_wise(lines, "\r\n", "")
    whole = pc.binary_join(pa.ListArray.from_arrays(pa.array([0, len(lines)], type=pa.int32()), lines), "")
    return whole[0].as_buffer().to_pybytes()


def _csv_text(rows) -> str:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL).writerows(rows)
    return buffer.getvalue()


def arrow_type(pa, column_type: str):
    """The Arrow type of a column type, as the release's Parquet files hold it."""
    return {
        "string": pa.string(), "integer": pa.int64(), "number": pa.float64(),
        "boolean": pa.bool_(), "date": pa.date32(), "list": pa.list_(pa.string()),
    }[column_type]


def arrow_table(table, raw, metadata: dict[str, str]):
    """A raw table (see `flatten`) typed and described as in the data package: dates as
    dates, required columns not nullable, descriptions and release metadata attached."""
    import pyarrow as pa

    columns = table.columns
    fields = [pa.field(c.name, arrow_type(pa, c.type), nullable=not c.required,
                       metadata={"description": (c.description or "").encode()}) for c in columns]
    schema = pa.schema(fields, metadata={k.encode(): v.encode() for k, v in sorted(metadata.items())})
    arrays = [raw.column(c.name).cast(f.type) for c, f in zip(columns, fields)]
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
