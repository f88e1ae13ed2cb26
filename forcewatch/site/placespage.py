"""The gazetteer page: every site record with its aliases and, where a source states them, its
coordinates and that source; a site without sourced coordinates is listed as such, and its
incidents are not on the map."""

from __future__ import annotations

from collections import Counter

from .data import Data
from .markup import esc, html_block, link_source, table


def places_page(data: Data) -> str:
    at_site = Counter(r["place"].get("site") for r in data.incidents.values() if r["status"] == "active")
    rows, without = [], []
    for sid, site in data.sites.items():
        sources = {s["key"]: s for s in site["sources"]}
        if site.get("coordinates"):
            c = site["coordinates"]
            where = f'{c["lat"]:.4f}, {c["lon"]:.4f} ({link_source(sources[site["coordinates_source"]])})'
        else:
            where = "none recorded: no source read gives them"
            without.append(sid)
        rows.append([f'<span id="{esc(sid)}"><code>{esc(sid)}</code></span>', esc(site["name"]),
                     esc(", ".join(site.get("aliases", []))), esc(site["site_kind"]),
                     esc(data.country_name(site["country"])), esc(site.get("admin1", "")), where,
                     str(at_site.get(sid, 0))])
    inner = (f"<p>{len(data.sites)} places; {len(data.sites) - len(without)} have WGS84 coordinates from the page "
             "that states them, and every incident that names one of those sites is on the map at them. "
             f"{len(without)} have none, because no source read gives them: their incidents are listed under "
             "“Not on the map” on the map page.</p>")
    inner += table(["id", "name", "aliases", "kind", "country", "province", "coordinates (source)", "incidents"],
                   rows, "fw-places")
    return "# Places\n\n" + html_block(inner)
