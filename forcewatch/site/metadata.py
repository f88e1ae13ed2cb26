"""What the home page tells search engines and reference managers: a schema.org `Dataset` in
JSON-LD (as Google Dataset Search reads it), from CITATION.cff (title, abstract, licence,
authors, keywords), the schema version and the records (the period and the area they cover),
and the files of a release."""

from __future__ import annotations

from pathlib import Path

from ..yamlsafe import load_text
from .data import Data
from .markup import esc

LICENCE_URLS = {"CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/"}
FORMATS = {".csv": "text/csv", ".parquet": "application/vnd.apache.parquet", ".jsonl": "application/x-ndjson",
           ".json": "application/json", ".geojson": "application/geo+json", ".geoparquet": "application/vnd.apache.parquet",
           ".sqlite": "application/vnd.sqlite3"}


def citation(root: Path) -> dict:
    path = root / "CITATION.cff"
    if not path.is_file():
        return {}
    loaded = load_text(path.read_text(encoding="utf-8"))
    return loaded.data if isinstance(loaded.data, dict) else {}


def release_files() -> list[tuple[str, str]]:
    """(file name, what it is) for every data file of a release."""
    from ..release.datapackage import GEO
    from ..release.tables import TABLES
    files = []
    for t in TABLES:
        files += [(f"{t.name}.csv", t.title), (f"{t.name}.parquet", t.title)]
    files += [("records.jsonl", "Every record in full, one JSON object per line"),
              ("datapackage.json", "Frictionless Data Package: field types, descriptions, keys, licence")]
    files += [(name, "For GIS users: " + name) for name in GEO["files"]]
    return files


def cite_text(meta: dict, version: str) -> str:
    authors = ", ".join(a.get("name") or " ".join(filter(None, (a.get("given-names"), a.get("family-names"))))
                        for a in meta.get("authors", []))
    return f"{authors}. {meta.get('title', 'forcewatch')}, release {version}. Dataset, {meta.get('license', '')}."


def dataset(root: Path, data: Data, version: str, site_url: str | None = None,
            release_url: str | None = None) -> dict:
    """The schema.org Dataset. `release_url` (mkdocs.yml `extra.release_url`, the folder that
    holds a release's files) gives each file a download URL; without it the files are listed
    by name only."""
    meta = citation(root)
    active = data.active_incidents().values()
    starts = sorted(r["when"]["start"] for r in active)
    ends = sorted(r["when"]["end"] for r in active)
    points = [p for p in (data.located(r) for r in active) if p]
    countries = sorted({data.country_name(r["place"]["country"]) for r in active})
    out = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "name": meta.get("title", "forcewatch"),
        "description": meta.get("abstract", ""),
        "license": LICENCE_URLS.get(meta.get("license"), meta.get("license")),
        "creator": [{"@type": "Organization", "name": a["name"]} if "name" in a else
                    {"@type": "Person", "givenName": a.get("given-names"), "familyName": a.get("family-names")}
                    for a in meta.get("authors", [])],
        "version": version,
        "keywords": meta.get("keywords", []),
        "isAccessibleForFree": True,
        "citation": cite_text(meta, version),
        "distribution": [],
    }
    if site_url:
        out["url"] = site_url
    if starts:
        out["temporalCoverage"] = f"{starts[0]}/{ends[-1]}"
    if countries:
        place = {"@type": "Place", "name": ", ".join(countries)}
        if points:
            lats, lons = [p[0] for p in points], [p[1] for p in points]
            place["geo"] = {"@type": "GeoShape", "box": f"{min(lats)} {min(lons)} {max(lats)} {max(lons)}"}
        out["spatialCoverage"] = place
    for name, what in release_files():
        item = {"@type": "DataDownload", "name": name, "description": what,
                "encodingFormat": FORMATS.get(Path(name).suffix, "application/octet-stream")}
        if release_url:
            item["contentUrl"] = release_url.rstrip("/") + "/" + name
        out["distribution"].append(item)
    return out


def jsonld_script(document: dict) -> str:
    import json
    text = json.dumps(document, ensure_ascii=False, indent=1)
    text = text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    return f'<script type="application/ld+json">\n{text}\n</script>'


def home_summary(data: Data, caveat_html: str) -> str:
    active = data.active_incidents()
    starts = sorted(r["when"]["start"] for r in active.values())
    if not starts:
        return ""
    located = sum(1 for r in active.values() if data.located(r))
    return (f'<div class="fw" markdown="0"><p class="fw-summary">Now: <strong>{len(active):,}</strong> incidents '
            f"from {esc(starts[0])} to {esc(starts[-1])} ({located:,} on the map), {len(data.actors):,} actors, "
            f"{len(data.postures):,} troop figures and {len(data.tallies):,} reported tallies.</p>{caveat_html}</div>")
