"""The release for GIS users: `incidents.geojson` and `sites.geojson` (RFC 7946
FeatureCollections) and `incidents.geoparquet` (GeoParquet 1.1, WKB points, the CRS in the
`geo` metadata). Made from the release's own tables after they are written, so a feature's
properties are exactly its table row (harm summary, verification, coordinates' origin
included), and byte for byte the same on every build.

Coordinates are WGS84 longitude/latitude (OGC:CRS84, which RFC 7946 requires and GeoParquet
assumes); a row without coordinates is a feature with a null geometry, never left out.
"""

from __future__ import annotations

import json
import struct
from pathlib import Path

from .write import strip_writer_version

GEOMETRY_COLUMN = "geometry"
# OGC:CRS84 as PROJJSON, generated from PROJ's database by scripts/make_crs84_projjson.py.
CRS84_PATH = Path(__file__).with_name("crs84.projjson.json")
GEOJSON_LAYERS = {"incidents": "incidents.geojson", "sites": "sites.geojson"}
GEOPARQUET_LAYERS = {"incidents": "incidents.geoparquet"}
CRS_NOTE = ("Coordinates are WGS84 longitude/latitude (OGC:CRS84; EPSG:4326 with longitude first), as RFC 7946 "
            "requires for GeoJSON; incidents.geoparquet states the CRS in its `geo` metadata as PROJJSON.")


def crs84() -> dict:
    return json.loads(CRS84_PATH.read_text(encoding="utf-8"))


def _point(lon, lat) -> dict | None:
    if lon is None or lat is None:
        return None
    return {"type": "Point", "coordinates": [lon, lat]}


def _columns(table) -> dict[str, list]:
    """The table's columns as Python lists, dates as ISO text (cast in Arrow: much faster than
    a mapping per row)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    out = {}
    for name in table.column_names:
        column = table.column(name)
        if pa.types.is_date(column.type):
            column = pc.cast(column, pa.string())
        out[name] = column.to_pylist()
    return out


def feature_collection(table) -> dict:
    """A typed release table (with `id`, `latitude`, `longitude`) as a GeoJSON FeatureCollection:
    one feature per row, in the table's order; properties are every column, in order."""
    columns = _columns(table)
    names = list(columns)
    features = []
    for values in zip(*columns.values()):
        properties = dict(zip(names, values))
        features.append({"type": "Feature", "id": properties["id"],
                         "geometry": _point(properties.get("longitude"), properties.get("latitude")),
                         "properties": properties})
    return {"type": "FeatureCollection", "features": features}


def geojson_bytes(table) -> bytes:
    # One feature per line: diffs of two releases stay readable, and the file is still one
    # JSON document.
    collection = feature_collection(table)
    head = '{"type":"FeatureCollection","features":[\n'
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode
    body = ",\n".join(encode(f) for f in collection["features"])
    return (head + body + ("\n" if body else "") + "]}\n").encode("utf-8")


def wkb_point(lon: float, lat: float) -> bytes:
    """A 2D point as ISO WKB, little-endian (byte order 1, geometry type 1)."""
    return struct.pack("<BIdd", 1, 1, lon, lat)


def geoparquet_table(table):
    """The table with a WKB `geometry` column and the GeoParquet 1.1 `geo` metadata."""
    import pyarrow as pa
    lons, lats = table.column("longitude").to_pylist(), table.column("latitude").to_pylist()
    points = [None if lon is None or lat is None else wkb_point(lon, lat) for lon, lat in zip(lons, lats)]
    located = [(lon, lat) for lon, lat in zip(lons, lats) if lon is not None and lat is not None]
    column = {"encoding": "WKB", "geometry_types": ["Point"] if located else [], "crs": crs84()}
    if located:
        column["bbox"] = [min(p[0] for p in located), min(p[1] for p in located),
                          max(p[0] for p in located), max(p[1] for p in located)]
    geo = {"version": "1.1.0", "primary_column": GEOMETRY_COLUMN, "columns": {GEOMETRY_COLUMN: column}}
    field = pa.field(GEOMETRY_COLUMN, pa.binary(), nullable=True,
                     metadata={"description": b"The incident's point as WKB (WGS84 longitude/latitude); null where "
                                              b"there are no coordinates."})
    with_geometry = table.append_column(field, pa.array(points, type=pa.binary()))
    metadata = dict(with_geometry.schema.metadata or {})
    metadata[b"geo"] = json.dumps(geo, sort_keys=True, separators=(",", ":")).encode()
    return with_geometry.replace_schema_metadata(metadata)


def write_geo(folder: Path) -> dict[str, str]:
    """Write the GIS files of a release whose tables are in `folder`; name -> what it is."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    written = {}
    for table_name, file_name in GEOJSON_LAYERS.items():
        table = pq.read_table(folder / f"{table_name}.parquet")
        (folder / file_name).write_bytes(geojson_bytes(table))
        written[file_name] = table_name
    for table_name, file_name in GEOPARQUET_LAYERS.items():
        table = geoparquet_table(pq.read_table(folder / f"{table_name}.parquet"))
        buffer = pa.BufferOutputStream()
        pq.write_table(table.combine_chunks(), buffer, compression="zstd", compression_level=9, store_schema=True,
                       write_statistics=True, use_dictionary=True)
        (folder / file_name).write_bytes(strip_writer_version(buffer.getvalue().to_pybytes()))
        written[file_name] = table_name
    return written
