"""Which actors belong to which: the transitive closure of `part-of` and `member-of`
relations. "Attacks on U.S. forces" means incidents whose target is `united-states` or any
actor that belongs to it (the U.S. armed forces, their special operations forces, ...)."""

from __future__ import annotations

BELONGING = ("part-of", "member-of")

# The roots of the target groups that tallies count (tally `target_group`).
TARGET_GROUP_ROOTS = {
    "us": ("united-states",),
    "us-and-coalition": ("united-states", "us-led-coalition"),
}


def ancestors(actors: list[dict]) -> dict[str, set[str]]:
    """actor id -> every actor it belongs to, directly or through others (itself excluded):
    the groups of its `memberships` rows."""
    return {aid: {row["group"] for row in rows if row["depth"]} for aid, rows in memberships(actors).items()}


def members_of(roots, actors: list[dict], up: dict[str, set[str]] | None = None) -> set[str]:
    """The roots and every actor that belongs to one of them (`up`: `ancestors(actors)`, when
    the caller already has it)."""
    roots = set(roots)
    up = ancestors(actors) if up is None else up
    return roots | {rid for rid, groups in up.items() if groups & roots}


def _lower(partial: str | None) -> str:
    """The first day a partial date (`2015`, `2015-06`, `2015-06-01`) may mean, as comparable text."""
    return partial + "-01-01"[len(partial) - 4:] if partial else ""


def _upper(partial: str | None) -> str:
    """The last day it may mean (`2015-06` -> `2015-06-31`: compared as text, never read as a date)."""
    return partial + "-12-31"[len(partial) - 4:] if partial else ""


def memberships(actors: list[dict]) -> dict[str, list[dict]]:
    """actor id -> a row for the actor itself (depth 0) and for every actor it belongs to
    through `part-of` / `member-of` relations, directly or through others: the shortest
    path (ties: the path of the alphabetically first actors), with the relations along it
    and the period they all hold in (the latest `start`, the earliest `end`; None where no
    relation on the path states one). The release's `actor_memberships` table."""
    edges: dict[str, list[tuple]] = {}
    for actor in actors:
        for relation in actor.get("relations") or ():
            if isinstance(relation, dict) and relation.get("relation") in BELONGING and relation.get("actor") != actor["id"]:
                edges.setdefault(actor["id"], []).append(
                    (relation["actor"], relation["relation"], relation.get("start"), relation.get("end")))
    for found in edges.values():
        found.sort(key=lambda edge: (edge[0], edge[1], edge[2] or "", edge[3] or ""))
    out: dict[str, list[dict]] = {}
    for start in sorted(a["id"] for a in actors):
        rows = {start: {"actor": start, "group": start, "depth": 0, "via": [], "relations": [], "start": None, "end": None}}
        frontier = [start]
        while frontier:  # breadth first, neighbours in order: shortest paths, the first of equal ones
            following = []
            for current in frontier:
                here = rows[current]
                for group, relation, begins, ends in edges.get(current, ()):
                    if group in rows:
                        continue
                    latest = max((d for d in (here["start"], begins) if d), key=_lower, default=None)
                    earliest = min((d for d in (here["end"], ends) if d), key=_upper, default=None)
                    rows[group] = {"actor": start, "group": group, "depth": here["depth"] + 1,
                                   "via": here["via"] + ([current] if current != start else []),
                                   "relations": here["relations"] + [relation], "start": latest, "end": earliest}
                    following.append(group)
            frontier = following
        out[start] = sorted(rows.values(), key=lambda row: row["group"])
    return out


def of_actor(record: dict, found: dict[str, list[dict]]) -> list[dict]:
    """One actor's rows of `memberships` (the release computes them for all actors at once)."""
    return found.get(record["id"], [])
