"""Checks beyond the schema, in two shapes (as in OpenSanctions' zavod):

- record checks: `check(record, record_type)` yields findings for one schema-valid record;
- dataset checks: objects with `feed(entry)` for every record and `finish()` at the end.

Each is registered in a plain list (`record.RECORD_CHECKS`, `dataset.DATASET_CHECKS`).
A finding is `(code, path, message, hint)`; the pipeline adds file and position.
"""
