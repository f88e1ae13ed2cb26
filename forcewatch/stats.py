"""Coverage of the dataset: what it holds, month by month, and what it does not know."""

from __future__ import annotations

from collections import Counter

RESPONSIBLE_ROLES = ("perpetrator", "claimed", "attributed", "suspected")

# What an incident may leave unknown, and how to tell that it did.
UNKNOWNS = {
    "time of day": lambda r: "time_of_day" not in r["when"] and "local_time" not in r["when"],
    "exact day": lambda r: r["when"]["precision"] != "day",
    "weapon": lambda r: r["weapons"] == ["unknown"],
    "outcome": lambda r: r["outcome"] == "unknown",
    "munition count": lambda r: not r.get("munitions"),
    "casualty figures": lambda r: not r.get("casualties"),
    "responsibility": lambda r: "responsibility" not in r,
    "who is responsible": lambda r: not any(a["role"] in RESPONSIBLE_ROLES for a in r["actors"]),
    "launch point": lambda r: "launch_point" not in r,
}


def _unknowns(records: list[dict]) -> dict:
    """UNKNOWNS, and coordinates by the rule the release uses: the incident's own, or its site's
    where the site record has them (an incident at a site without coordinates has none)."""
    from .coordinates import located, site_coordinates
    sites = site_coordinates([r for r in records if r.get("record_type") == "site"])
    return {"coordinates": lambda r: located(r, sites) is None, **UNKNOWNS}


def ranked(counts: Counter) -> list[tuple]:
    """Most common first, ties by name: the same order on every run (Counter.most_common
    keeps insertion order among ties, and counts fed from sets follow the hash seed)."""
    return sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))


def every_month(counts: Counter, start: str | None = None, end: str | None = None) -> dict:
    """Counts for every month from the first to the last (or the period's bounds), zeros
    included: a month without incidents is data, and a gap must show."""
    months = sorted(counts)
    first = (start or (months[0] if months else ""))[:7]
    last = (end or (months[-1] if months else ""))[:7]
    if not first or not last:
        return {}
    out = {}
    year, month = int(first[:4]), int(first[5:7])
    while f"{year:04d}-{month:02d}" <= last:
        key = f"{year:04d}-{month:02d}"
        out[key] = counts.get(key, 0)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def coverage(records: list[dict], start: str | None = None, end: str | None = None) -> dict:
    """Counts over active incidents whose start date is within [start, end] (ISO dates)."""
    incidents = [r for r in records if r.get("record_type") == "incident" and r.get("status") == "active"
                 and (start is None or r["when"]["start"] >= start) and (end is None or r["when"]["start"] <= end)]
    n = len(incidents)
    actors = {r["id"]: r["name"] for r in records if r.get("record_type") == "actor"}
    responsible = Counter()
    for r in incidents:
        responsible.update({a["actor"] for a in r["actors"] if a["role"] in RESPONSIBLE_ROLES})
    by_month = every_month(Counter(r["when"]["start"][:7] for r in incidents), start, end)
    by_month_and_type: dict[str, Counter] = {month: Counter() for month in by_month}
    for r in incidents:
        by_month_and_type[r["when"]["start"][:7]][r["event_type"]] += 1
    two_sources = sum(1 for r in incidents if len(r["sources"]) >= 2)
    return {
        "incidents": n,
        "period": {"from": start, "to": end},
        "by_month": by_month,
        "by_month_and_type": {month: dict(sorted(kinds.items())) for month, kinds in by_month_and_type.items()},
        "by_country": dict(ranked(Counter(r["place"]["country"] for r in incidents))),
        "by_event_type": dict(ranked(Counter(r["event_type"] for r in incidents))),
        "by_weapon": dict(ranked(Counter(w for r in incidents for w in r["weapons"]))),
        "by_responsible_actor": {actors.get(a, a): c for a, c in ranked(responsible)},
        "two_or_more_sources": {"count": two_sources, "share": round(two_sources / n, 3) if n else None},
        "unknown": dict(sorted(((name, sum(1 for r in incidents if test(r))) for name, test in _unknowns(records).items()),
                               key=lambda kv: -kv[1])),
        "harm": harm_totals(incidents),
        "by_verification": _by_verification(incidents),
        "tallies": _tallies(records, start, end),
        "actors": sum(1 for r in records if r.get("record_type") == "actor"),
        "force_posture_figures": sum(1 for r in records if r.get("record_type") == "force_posture"),
    }


def harm_totals(incidents: list[dict]) -> dict:
    """Killed and injured over the incidents, by party group, from each incident's harm
    summary (`harm`: a whole and its parts are counted once). For each group and harm:
    `best`, the sum of the best figures; `counted`, the sum of each figure's number to add up
    (its best, else its lower bound: "several" adds 2); `incidents`, how many have a figure;
    `without_best`, how many of those give no best figure ("several", "at least 5"). An
    incident without a figure adds nothing: unknown is not zero."""
    from .harm import HARMS, analyse, default_parts, summary_groups
    parts = default_parts()
    groups = summary_groups(parts)
    totals = {group: {h: {"best": 0, "counted": 0, "incidents": 0, "without_best": 0} for h in HARMS} for group in groups}
    for record in incidents:
        analysis = analyse(record.get("casualties"), parts)
        for group in groups:
            for h in HARMS:
                figure = analysis.figure(group, h)
                if figure is None:
                    continue
                total = totals[group][h]
                total["incidents"] += 1
                total["best"] += figure.best or 0
                total["counted"] += figure.count or 0
                total["without_best"] += figure.best is None
    return totals


def _render_harm(harm: dict) -> list[str]:
    lines = ["killed and injured (sums of the harm summary's best figures; incidents with a figure):"]
    for group, by_harm in harm.items():
        cells = []
        for h, total in by_harm.items():
            cell = f"{h} {total['best']:>5} ({total['incidents']}"
            if total["without_best"]:
                cell += f"; {total['without_best']} without a best figure, whose lower bounds add " \
                        f"{total['counted'] - total['best']}"
            cells.append(cell + ")")
        lines.append(f"  {group:22} " + "; ".join(cells))
    return lines


def _by_verification(incidents: list[dict]) -> dict:
    from .verification import LEVELS, verification
    counts = Counter(verification(r) for r in incidents)
    return {level: counts.get(level, 0) for level in LEVELS}


def _tallies(records: list[dict], start: str | None, end: str | None) -> list[dict]:
    """The coverage comparison for every tally whose as-of date falls in the period."""
    from .coverage import compare
    return [row for row in compare(records)["tallies"]
            if (start is None or row["as_of"] >= start) and (end is None or row["as_of"] <= end)]


def render(stats: dict) -> str:
    n = stats["incidents"]
    period = stats["period"]
    lines = [f"{n} active incidents" + (f" from {period['from']}" if period["from"] else "")
             + (f" to {period['to']}" if period["to"] else "") + f"; {stats['actors']} actors; "
             f"{stats['force_posture_figures']} force-posture figures", ""]
    lines.append("by month (attacks, strikes, other):")
    for month, total in stats["by_month"].items():
        kinds = stats["by_month_and_type"].get(month, {})
        attacks, strikes = kinds.get("attack", 0), kinds.get("strike", 0)
        lines.append(f"  {month:10} {total:>5}   {attacks:>3} {strikes:>3} {total - attacks - strikes:>3}  {'#' * total}")
    for title, key in (("by country", "by_country"), ("by type", "by_event_type"),
                       ("by weapon", "by_weapon"), ("by actor named responsible", "by_responsible_actor")):
        lines.append(f"{title}:")
        lines += [f"  {k:40} {v:>5}" for k, v in stats[key].items()]
    two = stats["two_or_more_sources"]
    lines.append(f"with two or more sources: {two['count']} of {n}" + (f" ({two['share']:.0%})" if n else ""))
    lines += _render_harm(stats["harm"])
    lines.append("by verification level:")
    lines += [f"  {k:40} {v:>5}" for k, v in stats["by_verification"].items()]
    lines.append("most often unknown:")
    lines += [f"  {k:40} {v:>5} of {n}" for k, v in stats["unknown"].items()]
    if stats["tallies"]:
        from .coverage import describe
        lines.append("against the official and monitor counts (forcewatch coverage):")
        lines += [f"  {describe(row)}" for row in stats["tallies"]]
    return "\n".join(lines)
