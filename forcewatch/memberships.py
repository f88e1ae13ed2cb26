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


def direct_parents(actors: list[dict]) -> dict[str, set[str]]:
    parents: dict[str, set[str]] = {}
    for actor in actors:
        for relation in actor.get("relations") or ():
            if isinstance(relation, dict) and relation.get("relation") in BELONGING:
                parents.setdefault(actor["id"], set()).add(relation["actor"])
    return parents


def ancestors(actors: list[dict]) -> dict[str, set[str]]:
    """actor id -> every actor it belongs to, directly or through others (itself excluded)."""
    parents = direct_parents(actors)
    found: dict[str, set[str]] = {}
    for start in (a["id"] for a in actors):
        seen, todo = set(), list(parents.get(start, ()))
        while todo:
            current = todo.pop()
            if current in seen or current == start:
                continue
            seen.add(current)
            todo.extend(parents.get(current, ()))
        found[start] = seen
    return found


def members_of(roots, actors: list[dict]) -> set[str]:
    """The roots and every actor that belongs to one of them."""
    roots = set(roots)
    return roots | {rid for rid, up in ancestors(actors).items() if up & roots}
