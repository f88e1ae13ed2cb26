"""How complete the dataset is: each tally (an official, monitor or claimant count) beside
the dataset's own count for the same scope and period.

The dataset's count for a tally of attacks is the number of active incidents that
- are attacks (event type `attack` or `interception`: an attack whose drones or rockets were
  shot down is still an attack on the forces),
- name as `target` an actor of the tally's target group (`memberships.TARGET_GROUP_ROOTS`:
  `united-states` and every actor that belongs to it; with `us-and-coalition`, the U.S.-led
  coalition and its members too),
- happened in one of the tally's countries,
- and started on a day from the tally's `period.from` to its `period.as_of`, both included.
A part of the tally's breakdown is compared with the same incidents in its country, or at its
site where the part names one.
For a tally of people injured or killed, it is the sum of those incidents' harm summaries for
the target group (`harm`), where they have one: an incident with no figure adds nothing, so
the dataset's count is a lower bound.
"""

from __future__ import annotations

from .memberships import TARGET_GROUP_ROOTS, ancestors, members_of

ATTACK_TYPES = ("attack", "interception")
COUNTRY_NAMES = {"IQ": "Iraq", "SY": "Syria", "JO": "Jordan"}


def official_figure(estimate: dict) -> int | None:
    """The number a tally states: its best figure, else its lower bound, else its upper one."""
    for key in ("best", "low", "high"):
        if isinstance(estimate.get(key), int):
            return estimate[key]
    return None


def _targets(actors: list[dict]) -> dict[str, set[str]]:
    up = ancestors(actors)
    return {group: members_of(roots, actors, up) for group, roots in TARGET_GROUP_ROOTS.items()}


def attacks_on(incidents: list[dict], targets: set[str]) -> list[dict]:
    return [r for r in incidents if r.get("event_type") in ATTACK_TYPES
            and any(a.get("role") == "target" and a.get("actor") in targets for a in r.get("actors") or ())]


def in_period(incidents: list[dict], start: str, end: str, countries) -> list[dict]:
    countries = set(countries)
    return [r for r in incidents if start <= r["when"]["start"] <= end and r["place"]["country"] in countries]


def _dataset_figure(measure: str, incidents: list[dict], group: str) -> int:
    if measure == "attacks":
        return len(incidents)
    from .harm import group_total
    return sum(group_total(r, group, measure) or 0 for r in incidents)


def _ratio(dataset: int, official: int | None) -> float | None:
    return round(dataset / official, 4) if official else None


def compare(records: list[dict]) -> dict:
    """Every active tally with the dataset's count beside it, ordered by as-of date."""
    actors = [r for r in records if r.get("record_type") == "actor"]
    incidents = [r for r in records if r.get("record_type") == "incident" and r.get("status") == "active"]
    tallies = sorted((r for r in records if r.get("record_type") == "tally" and r.get("status") == "active"),
                     key=lambda t: (t["period"]["as_of"], t["measure"], t["id"]))
    targets = _targets(actors)
    rows = []
    for tally in tallies:
        group, measure, period = tally["target_group"], tally["measure"], tally["period"]
        scope = in_period(attacks_on(incidents, targets[group]), period["from"], period["as_of"], tally["countries"])
        official = official_figure(tally["count"])
        dataset = _dataset_figure(measure, scope, group)
        by_country = []
        for part in tally.get("breakdown") or ():
            part_official = official_figure(part)
            site = part.get("site")
            in_part = [r for r in scope if r["place"]["country"] == part["country"]
                       and (site is None or r["place"].get("site") == site)]
            part_dataset = _dataset_figure(measure, in_part, group)
            by_country.append({"country": part["country"], "site": site, "official": part_official,
                               "qualifier": part["qualifier"], "dataset": part_dataset,
                               "ratio": _ratio(part_dataset, part_official)})
        rows.append({
            "id": tally["id"], "counter": tally["counter"]["name"], "counter_kind": tally["counter"]["kind"],
            "measure": measure, "target_group": group, "countries": list(tally["countries"]),
            "from": period["from"], "as_of": period["as_of"],
            "official": official, "qualifier": tally["count"]["qualifier"],
            "wording": tally["count"].get("wording"),
            "dataset": dataset, "ratio": _ratio(dataset, official),
            "incidents": sorted(r["id"] for r in scope) if measure == "attacks" else [],
            "by_country": by_country,
        })
    return {"tallies": rows, "latest": _latest(rows)}


def _latest(rows: list[dict]) -> dict | None:
    """The most recent official count of attacks: the headline of how complete the dataset is."""
    official = [r for r in rows if r["measure"] == "attacks" and r["counter_kind"] == "official" and r["official"]]
    return max(official, key=lambda r: (r["as_of"], r["official"])) if official else None


QUALIFIER_WORDS = {"at-least": "at least ", "approximately": "about ", "at-most": "at most ", "range": ""}
GROUP_WORDS = {"us": "U.S. forces", "us-and-coalition": "U.S. and coalition forces"}


def describe(row: dict) -> str:
    """One line: `Sabrina Singh (official), as of 2023-11-21, attacks on U.S. forces in Iraq
    and Syria since 2023-10-17: official 66, dataset 58 (88%)`."""
    places = " and ".join(COUNTRY_NAMES.get(c, c) for c in row["countries"])
    what = {"attacks": "attacks on", "injured": "people injured of", "killed": "people killed of"}[row["measure"]]
    official = "unknown" if row["official"] is None else QUALIFIER_WORDS.get(row["qualifier"], "") + str(row["official"])
    share = f" ({row['ratio']:.0%})" if row["ratio"] is not None else ""
    return (f"{row['counter']} ({row['counter_kind']}), as of {row['as_of']}, {what} {GROUP_WORDS[row['target_group']]} "
            f"in {places} since {row['from']}: official {official}, dataset {row['dataset']}{share}")


def render_text(result: dict) -> str:
    if not result["tallies"]:
        return "no tallies in the dataset: nothing to compare with\n"
    lines = []
    for row in result["tallies"]:
        lines.append(describe(row))
        for part in row["by_country"]:
            share = f" ({part['ratio']:.0%})" if part["ratio"] is not None else ""
            where = part["site"] or COUNTRY_NAMES.get(part["country"], part["country"])
            lines.append(f"    {where}: official {part['official']}, "
                         f"dataset {part['dataset']}{share}")
    return "\n".join(lines) + "\n"
