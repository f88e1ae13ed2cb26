"""Where a record is on the map, by one rule (documented in the methodology, "Places and
coordinates"): its own `coordinates` where a source gives them, else the sourced coordinates
of the site it references, else none. Never typed twice: a site's coordinates are stated once,
in its record, and every incident and posture figure at that site shares them."""

from __future__ import annotations

FROM_RECORD, FROM_SITE = "record", "site"


def site_coordinates(sites: list[dict]) -> dict[str, tuple[float, float]]:
    """site id -> (lat, lon) for every site record that has coordinates."""
    return {s["id"]: (s["coordinates"]["lat"], s["coordinates"]["lon"])
            for s in sites if isinstance(s.get("coordinates"), dict)}


def located(record: dict, sites: dict[str, tuple[float, float]]) -> tuple[float, float, str] | None:
    """(lat, lon, where they come from) for an incident (`place`) or a posture figure (`site`)."""
    place = record.get("place") if isinstance(record.get("place"), dict) else record
    own = place.get("coordinates")
    if isinstance(own, dict) and "lat" in own and "lon" in own:
        return own["lat"], own["lon"], FROM_RECORD
    site = place.get("site")
    if site in sites:
        lat, lon = sites[site]
        return lat, lon, FROM_SITE
    return None


NEEDS_INCIDENT = {"place": {"coordinates": {"lat": "number", "lon": "number"}, "site": "string"}}
NEEDS_POSTURE = {"site": "string"}


def latitude(record: dict, sites) -> float | None:
    found = located(record, sites)
    return found[0] if found else None


def longitude(record: dict, sites) -> float | None:
    found = located(record, sites)
    return found[1] if found else None


def origin(record: dict, sites) -> str | None:
    found = located(record, sites)
    return found[2] if found else None
