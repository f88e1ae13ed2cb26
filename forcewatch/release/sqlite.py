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

import datetime as dt
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


def _cell(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    return value


SQL_TYPES = {"string": str, "integer": int, "number": float, "boolean": int, "date": str, "list": str}


def _create(db, table: Table, rows: list[dict]) -> None:
    columns = {c.name: SQL_TYPES[c.type] for c in table.columns}
    foreign = [(cols[0], other, fields[0]) for cols, other, fields in table.foreign_keys if len(cols) == 1]
    db[table.name].create(columns, pk=table.primary_key[0] if len(table.primary_key) == 1 else table.primary_key,
                          foreign_keys=foreign, not_null={c.name for c in table.columns if c.required})
    if rows:
        db[table.name].insert_all(rows, batch_size=1000)


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
    present = [t for t in tables if (folder / f"{t.name}.parquet").exists()]
    columns: dict[str, set[str]] = {}
    for table in _ordered(present):
        data = pq.read_table(folder / f"{table.name}.parquet")
        columns[table.name] = set(data.column_names)
        rows = [{k: _cell(v) for k, v in row.items()} for row in data.to_pylist()]
        _create(db, table, rows)
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

