"""`forcewatch.sqlite`: every release table in one SQLite database, built with sqlite-utils
from the release's Parquet files (so it holds exactly what they hold), with primary and
foreign keys, indexes on the columns people filter by, an FTS5 index over the incidents' text
and views for the common questions; and `metadata.json` for Datasette, with the title,
licence, source and every table's and column's description from the release specification.

Lists (weapons, source keys, ...) are stored as JSON arrays, as sqlite-utils and Datasette
expect; dates as ISO text. The same records give the same database: tables are created and
filled in a fixed order and the file is vacuumed. SQLite writes its own version number into
the file header, so the bytes are the same for the same SQLite library; `sqlite3
forcewatch.sqlite .dump` is the same whatever the version.
"""

from __future__ import annotations

import json
from pathlib import Path

from .datapackage import column_description
from .tables import TABLES, Table

DATABASE = "forcewatch.sqlite"
METADATA = "metadata.json"
FTS_COLUMNS = {"incidents": ("title", "summary", "notes", "place_name", "outcome_note", "date_note")}
# Columns people filter by (beside every key, which is indexed anyway).
INDEXES = {
    "incidents": (("date_start",), ("country",), ("site_id",), ("event_type",), ("verification",)),
    "incident_actors": (("actor_id", "role"),),
    "incident_casualties": (("party", "harm"),),
    "force_posture": (("country", "as_of"),),
    "tallies": (("as_of",),),
}


def _ordered(tables) -> list[Table]:
    """Referenced tables first, so each foreign key points at a table that exists."""
    by_name = {t.name: t for t in tables}
    done: list[Table] = []

    def visit(table, path=()):
        if table in done or table.name in path:
            return
        for _, other, _ in table.foreign_keys:
            if other in by_name and other != table.name:
                visit(by_name[other], path + (table.name,))
        done.append(table)

    for table in tables:
        visit(table)
    return done


_NEEDS_ESCAPE = '[\\\\"\x00-\x1f]'


def _json_lists(pa, pc, values) -> list:
    """A list-of-text column as JSON arrays, exactly as `json.dumps(value, ensure_ascii=False)`
    writes them: joined in Arrow where no item needs escaping (ids, terms, keys), in Python
    for the few that do."""
    items = pc.list_flatten(values)
    if len(items) and pc.any(pc.match_substring_regex(items, _NEEDS_ESCAPE)).as_py():
        return [None if v is None else json.dumps(v, ensure_ascii=False) for v in values.to_pylist()]
    joined = pc.binary_join_element_wise('["', pc.binary_join(values, '", "'), '"]', "")
    empty = pc.equal(pc.list_value_length(values), 0)
    return pc.if_else(empty, pa.scalar("[]"), joined).to_pylist()


def _cells(pa, pc, column, values) -> list:
    """One column's values as SQLite gets them: dates as ISO text (cast in Arrow), lists as JSON
    arrays, booleans as 0 and 1, the rest as they are."""
    if column.type == "date":
        values = pc.cast(values, pa.string())
    if column.type == "list":
        return _json_lists(pa, pc, values)
    return values.to_pylist()


def _insert(db, table: Table, data) -> None:
    """The rows, a batch at a time, with sqlite3's executemany: several times faster than
    building a mapping per row (sqlite-utils' insert_all) on a release of 100,000 incidents."""
    import pyarrow as pa
    import pyarrow.compute as pc
    names = [c.name for c in table.columns]
    sql = (f"INSERT INTO [{table.name}] ({', '.join(f'[{n}]' for n in names)}) "
           f"VALUES ({', '.join('?' for _ in names)})")
    for batch in data.select(names).to_batches(max_chunksize=50_000):
        columns = [_cells(pa, pc, c, batch.column(i)) for i, c in enumerate(table.columns)]
        db.conn.executemany(sql, zip(*columns))


SQL_TYPES = {"string": str, "integer": int, "number": float, "boolean": int, "date": str, "list": str}


def _create(db, table: Table) -> None:
    columns = {c.name: SQL_TYPES[c.type] for c in table.columns}
    foreign = [(cols[0], other, fields[0]) for cols, other, fields in table.foreign_keys if len(cols) == 1]
    db[table.name].create(columns, pk=table.primary_key[0] if len(table.primary_key) == 1 else table.primary_key,
                          foreign_keys=foreign, not_null={c.name for c in table.columns if c.required})


def views(names: set[str], columns: dict[str, set[str]]) -> dict[str, str]:
    """The views that the release's tables support (by name: what it answers)."""
    out = {}
    if "actor_memberships" in names:
        # U.S. forces: the United States and every actor that belongs to it (actor_memberships
        # lists each actor with itself and every group it belongs to, transitively).
        us_target = ("select distinct incident_id from incident_actors where role = 'target' and actor_id in "
                     "(select actor_id from actor_memberships where group_actor_id = 'united-states')")
        out["attacks_on_us_forces"] = (
            "select i.* from incidents i where i.status = 'active' and i.event_type in ('attack', 'interception') "
            f"and i.id in ({us_target}) order by i.date_start, i.id")
    if {"us_killed_best", "us_injured_best"} <= columns.get("incidents", set()):
        out["us_casualties_by_month"] = (
            "select substr(date_start, 1, 7) as month, count(*) as incidents, "
            "sum(us_killed_best) as us_killed_best, sum(us_killed_low) as us_killed_low, "
            "sum(us_injured_best) as us_injured_best, sum(us_injured_low) as us_injured_low "
            "from incidents where status = 'active' group by month order by month")
    out["incidents_by_month_and_country"] = (
        "select substr(date_start, 1, 7) as month, country, event_type, count(*) as incidents "
        "from incidents where status = 'active' group by month, country, event_type order by month, country, event_type")
    if "tallies" in names:
        out["tallies_by_date"] = ("select as_of, counter_name, counter_kind, measure, target_group, countries, "
                                  "count_low, count_best, count_high, count_qualifier, id from tallies "
                                  "where status = 'active' order by as_of, measure, id")
    return out


def write_sqlite(folder: Path, version: str, schema_set, tables=TABLES) -> None:
    """Write forcewatch.sqlite and metadata.json into the release folder `folder`."""
    import pyarrow.parquet as pq
    import sqlite_utils

    path = folder / DATABASE
    if path.exists():
        path.unlink()
    db = sqlite_utils.Database(path)
    db.conn.execute("PRAGMA journal_mode = OFF")  # a new file written once: nothing to roll back to
    db.conn.execute("PRAGMA synchronous = OFF")
    present = [t for t in tables if (folder / f"{t.name}.parquet").exists()]
    columns: dict[str, set[str]] = {}
    for table in _ordered(present):
        data = pq.read_table(folder / f"{table.name}.parquet")
        columns[table.name] = set(data.column_names)
        _create(db, table)
        _insert(db, table, data)
        for index in INDEXES.get(table.name, ()):
            if set(index) <= columns[table.name]:
                db[table.name].create_index(list(index), find_unique_name=True)
        for cols, _, _ in table.foreign_keys:
            if len(cols) == 1 and not any(ix == tuple(cols) for ix in INDEXES.get(table.name, ())):
                db[table.name].create_index(list(cols), find_unique_name=True)
    for name, text_columns in FTS_COLUMNS.items():
        if name in columns:
            db[name].enable_fts([c for c in text_columns if c in columns[name]], fts_version="FTS5",
                                tokenize="porter unicode61", create_triggers=False)
    for name, sql in views({t.name for t in present}, columns).items():
        db.create_view(name, sql)
        db.execute(f"select count(*) from [{name}]").fetchone()  # a view that does not run fails the build
    db.conn.commit()
    db.vacuum()
    db.conn.close()
    (folder / METADATA).write_bytes(
        (json.dumps(datasette_metadata(version, present, schema_set), indent=2, ensure_ascii=False) + "\n").encode("utf-8"))


def datasette_metadata(version: str, tables, schema_set) -> dict:
    from .datapackage import LICENCE
    return {
        "title": f"forcewatch {version}",
        "description": "Attacks on and by foreign forces in Iraq, Syria and the region around them, the armed "
                       "actors behind them and the force posture they target; every figure with its sources.",
        "license": LICENCE["title"],
        "license_url": LICENCE["path"],
        "source": "forcewatch contributors",
        "databases": {
            "forcewatch": {
                "tables": {
                    t.name: {"title": t.title, "description": t.description,
                             "columns": {c.name: column_description(t, c, schema_set)[0] for c in t.columns}}
                    for t in tables
                },
            },
        },
    }

