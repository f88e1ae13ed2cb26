"""The map page: every located incident on Leaflet (vendored, see `vendor`), over the Natural
Earth outlines the site ships, with no tile server. `assets/forcewatch-map.js` draws it from
the JSON block the page holds, so the map works from `file://` as from a server.

An incident is on the map when `coordinates.located` finds coordinates for it (its own, or
those of the site it names); the others are listed below the map.
"""

from __future__ import annotations

import json
from collections import Counter
from functools import lru_cache
from pathlib import Path

from ..countries import REGION_NAMES
from .charts import caveat, missing_note
from .data import Data, incident_href
from .markup import esc, html_block, json_script, legend, table
from .vendor import LEAFLET, MARKERCLUSTER, site_path

OUTLINES_FILE = Path(__file__).with_name("region_outlines.json")
OUTLINES_ASSET = "assets/region-outlines.js"
NO_CLAIM = ""  # the claimant filter's value for "no claim recorded"


@lru_cache(maxsize=1)
def outlines() -> dict:
    return json.loads(OUTLINES_FILE.read_text(encoding="utf-8"))


def outlines_script() -> bytes:
    """The country outlines as a GeoJSON FeatureCollection in a script (a page opened from
    `file://` cannot fetch a JSON file)."""
    source = outlines()
    features = [{"type": "Feature", "properties": {"name": c["name"]},
                 "geometry": {"type": "Polygon" if len(c["rings"]) == 1 else "MultiPolygon",
                              "coordinates": [c["rings"][0]] if len(c["rings"]) == 1 else [[r] for r in c["rings"]]}}
                for c in source["countries"]]
    collection = {"type": "FeatureCollection", "features": features, "window": source["window"],
                  "source": source.get("source", "Natural Earth")}
    text = json.dumps(collection, separators=(",", ":"), sort_keys=True)
    return ("/* Country outlines: Natural Earth (public domain), simplified (forcewatch/site/region_outlines.json). */\n"
            f"window.FW_OUTLINES = {text};\n").encode()


def map_points(data: Data) -> tuple[list[dict], list[str]]:
    """(a point per located active incident, the ids of the active incidents with no coordinates)."""
    points, unlocated = [], []
    for rid, record in data.active_incidents().items():
        found = data.located(record)
        if found is None:
            unlocated.append(rid)
            continue
        lat, lon, origin = found
        site = data.sites.get(record["place"].get("site", ""))
        points.append({
            "id": rid, "lat": lat, "lon": lon, "from": origin, "date": record["when"]["start"],
            "end": record["when"]["end"], "title": record["title"], "type": record["event_type"],
            "weapons": list(record["weapons"]), "claimants": data.claimants(record),
            "harm": data.harm_text(record), "verification": data.verification(record),
            "href": incident_href(rid, "incidents/"), "place": record["place"]["name"],
            "site": site["name"] if site else None,
        })
    return points, unlocated


def map_sites(data: Data, points: list[dict]) -> list[dict]:
    at_site = Counter(data.incidents[p["id"]]["place"].get("site") for p in points if p["from"] == "site")
    return [{"id": sid, "name": site["name"], "lat": data.site_coordinates[sid][0],
             "lon": data.site_coordinates[sid][1], "incidents": at_site.get(sid, 0)}
            for sid, site in data.sites.items() if site["status"] == "active" and sid in data.site_coordinates]


def _options(values: list[tuple[str, str]]) -> str:
    return "".join(f'<option value="{esc(v)}">{esc(label)}</option>' for v, label in values)


def filters(data: Data, points: list[dict]) -> str:
    types = [t for t in data.event_types if any(p["type"] == t for p in points)]
    weapons = Counter(w for p in points for w in p["weapons"])
    claimants = Counter(c for p in points for c in p["claimants"])
    first = min((p["date"] for p in points), default="")
    last = max((p["date"] for p in points), default="")
    claim_options = [(c, data.actor_name(c)) for c, _ in sorted(claimants.items(), key=lambda kv: (-kv[1], kv[0]))]
    return (
        '<form class="fw-filters" id="fw-map-filters" aria-controls="fw-map">'
        f'<label>From <input type="date" name="from" value="{esc(first)}" min="{esc(first)}" max="{esc(last)}"></label>'
        f'<label>to <input type="date" name="to" value="{esc(last)}" min="{esc(first)}" max="{esc(last)}"></label>'
        '<label>Type <select name="type"><option value="*">every type</option>'
        f'{_options([(t, t) for t in types])}</select></label>'
        '<label>Weapon <select name="weapon"><option value="*">every weapon</option>'
        f'{_options([(w, w) for w, _ in sorted(weapons.items(), key=lambda kv: (-kv[1], kv[0]))])}</select></label>'
        '<label>Claimed by <select name="claimant"><option value="*">anyone or no one</option>'
        f'{_options(claim_options)}<option value="{NO_CLAIM}">no claim recorded</option></select></label>'
        '<button type="reset">Show all</button></form>'
        '<p class="fw-shown" id="fw-map-count" aria-live="polite"></p>'
    )


def map_page(data: Data, missing: list[str]) -> str:
    points, unlocated = map_points(data)
    active = data.active_incidents()
    types = [t for t in data.event_types if any(p["type"] == t for p in points)]
    inner = ("<p>Every incident with known coordinates, its own or those of the site it names. Incidents at one "
             "place are grouped, with their number: click a group to spread it out, click an incident for its date, "
             "casualties and how sure it is, and follow the link to its page and sources. Country outlines: Natural "
             "Earth (public domain). The map needs no network.</p>")
    inner += caveat(data.coverage, "../")
    payload = {"incidents": points, "sites": map_sites(data, points), "active": len(active),
               "types": [{"term": t, "colour": data.type_colour(t)} for t in types],
               "window": outlines()["window"],
               "countries": sorted({data.country_name(data.incidents[p["id"]]["place"]["country"]) for p in points}),
               "labelled": sorted(set(REGION_NAMES.values()) & {c["name"] for c in outlines()["countries"]})}
    if missing:
        inner += missing_note("The interactive map", missing)
    else:
        inner += filters(data, points)
        inner += ('<div class="fw-map-box"><div id="fw-map" class="fw-leaflet" role="region" '
                  'aria-label="Map of incidents"></div></div>')
        inner += legend([(t, data.type_colour(t)) for t in types])
        inner += json_script("fw-map-data", payload)
        inner += "".join(f'<link rel="stylesheet" href="../{site_path(lib, f)}">'
                         for lib in (LEAFLET, MARKERCLUSTER) for f in lib.files if f.endswith(".css"))
        inner += "".join(f'<script src="../{site_path(lib, lib.files[0])}"></script>' for lib in (LEAFLET, MARKERCLUSTER))
        inner += f'<script src="../{OUTLINES_ASSET}"></script><script src="../assets/forcewatch-map.js"></script>'
    rows = [[esc(p["date"]), f'<a href="{esc(p["href"])}">{esc(p["title"])}</a>', esc(p["site"] or p["place"]),
             esc(p["type"]), f'{p["lat"]:.4f}, {p["lon"]:.4f} ({"site" if p["from"] == "site" else "record"})']
            for p in points]
    inner += (f'<h2 id="on-the-map">On the map</h2><p>{len(points)} of {len(active)} active incidents have '
              "coordinates.</p>")
    inner += table(["date", "incident", "place", "type", "coordinates (from)"], rows, "fw-located")
    if unlocated:
        items = "".join(f'<li><a href="{incident_href(r, "incidents/")}">{esc(active[r]["when"]["start"])}: '
                        f'{esc(active[r]["title"])}</a> ({esc(active[r]["place"]["name"])}, '
                        f'{esc(active[r]["place"]["geo_precision"])} precision)</li>' for r in unlocated)
        inner += (f'<h2 id="not-on-the-map">Not on the map</h2><p>{len(unlocated)} incidents have no coordinates: no '
                  "source gives them, and they name no site whose record has them.</p>"
                  f"<ul>{items}</ul>")
    return "# Map of incidents\n\n" + html_block(inner)
