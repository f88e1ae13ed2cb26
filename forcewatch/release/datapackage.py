"""The Frictionless Data Package descriptor, generated from the table specs and the schema."""

from __future__ import annotations

import datetime as dt
import os

from ..schemas import SchemaSet
from .tablecheck import DIALECT
from .tables import LIST_SEPARATOR, TABLES, Table
from .write import CSV_FORMULA_RULE

LICENCE = {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0",
           "path": "https://creativecommons.org/licenses/by/4.0/"}
# The GIS files beside the tables (release/geo.py), and the CRS of every coordinate.
GEO = {
    "crs": "OGC:CRS84",
    "description": "Latitude and longitude are WGS84 decimal degrees (OGC:CRS84, i.e. EPSG:4326 with longitude "
                   "first in GeoJSON and WKB). incidents.geojson and sites.geojson are RFC 7946 "
                   "FeatureCollections; incidents.geoparquet is GeoParquet 1.1 with the CRS as PROJJSON in its "
                   "`geo` metadata; forcewatch.sqlite holds every table (see metadata.json for Datasette).",
    "files": ["incidents.geojson", "sites.geojson", "incidents.geoparquet", "forcewatch.sqlite", "metadata.json"],
}

FRICTIONLESS_TYPE = {"string": "string", "integer": "integer", "number": "number",
                     "boolean": "boolean", "date": "date", "list": "string"}


def column_description(table: Table, column, schema_set: SchemaSet) -> tuple[str, list | None]:
    """(description, vocabulary) of a column, from its spec or the JSON Schema."""
    description, vocabulary = column.description, column.vocabulary or None
    if column.schema_path:
        sub = schema_set.subschema(table.record_type, column.schema_path) or {}
        if column.type == "list" and isinstance(sub.get("items"), dict):
            item = schema_set.subschema(table.record_type, column.schema_path + (0,)) or {}
            vocabulary = item.get("enum")
        else:
            vocabulary = sub.get("enum")
        description = description or sub.get("description")
    description = description or column.name.replace("_", " ")
    if column.type == "list":
        description += f" In CSV, values are separated by '{LIST_SEPARATOR}'; in Parquet, a list."
    if column.free_text:
        description += " Free text: formula-like CSV cells are neutralised (see the package's csvFormulaGuard)."
    return description, vocabulary


def descriptor(schema_set: SchemaSet, version: str, row_counts: dict[str, int]) -> dict:
    resources = []
    for table in TABLES:
        fields = []
        for column in table.columns:
            description, vocabulary = column_description(table, column, schema_set)
            field = {"name": column.name, "type": FRICTIONLESS_TYPE[column.type], "description": description}
            constraints = {}
            if column.required:
                constraints["required"] = True
            if vocabulary and column.type != "list":
                constraints["enum"] = list(vocabulary)
            if constraints:
                field["constraints"] = constraints
            if column.type == "date":
                field["format"] = "default"
            fields.append(field)
        schema = {
            "fields": fields,
            "primaryKey": list(table.primary_key),
            "missingValues": [""],
        }
        if table.foreign_keys:
            schema["foreignKeys"] = [
                {"fields": list(cols), "reference": {"resource": "" if ref == table.name else ref, "fields": list(ref_fields)}}
                for cols, ref, ref_fields in table.foreign_keys
            ]
        resources.append({
            "name": table.name,
            "title": table.title,
            "description": table.description + f" Also as Parquet: {table.name}.parquet.",
            "path": f"{table.name}.csv",
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "dialect": dict(DIALECT),
            "schema": schema,
            "forcewatch:rows": row_counts[table.name],
        })
    package = {
        "profile": "tabular-data-package",
        "name": "forcewatch",
        "title": "forcewatch: attacks on and by foreign forces in Iraq, Syria and the region",
        "description": (
            "Incidents (attacks, strikes, targeted killings), the actors behind them and the force "
            "posture they target, each record sourced, with disagreeing figures kept per source. "
            "records.jsonl holds every record in full; the tables flatten them."
        ),
        "version": version,
        "licenses": [dict(LICENCE)],
        "contributors": [{"title": "forcewatch contributors", "role": "author"}],
        "sources": [{"title": "News reports and reference pages, cited record by record in the *_sources tables"}],
        "keywords": ["Iraq", "Syria", "attacks", "conflict events", "force posture"],
        "forcewatch:schemaVersion": schema_set.version,
        "forcewatch:csvFormulaGuard": CSV_FORMULA_RULE,
        "forcewatch:geo": GEO,
        "resources": resources,
    }
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        package["created"] = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return package
